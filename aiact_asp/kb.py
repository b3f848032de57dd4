"""Loading the knowledge base: the ``.lp`` rule files, their source annotations and conclusions.

Each rule is parsed with ``clingo.ast`` and instrumented: beside ``head :- body.`` the engine
adds ``_fired(I, head, (positive body atoms), (negated atoms)) :- body.``, so that every
answer set records which rule ``I`` fired with which facts. The source of a rule is the
``%@ source:`` comment above it (docs/kb-conventions.md); it is read from the file text by
line, since comments are not part of clingo's AST.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import clingo
import yaml
from clingo import ast

from .errors import InputError, KnowledgeBaseError

FIRED = "_fired"
ANNOTATION = re.compile(r"^\s*%@\s*(source|interpretation|rule)\s*:\s*(.*?)\s*$")


def default_kb_dir() -> Path:
    """The shipped knowledge base: ``kb/`` beside the package, or the installed copy."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "kb", here / "kb"):
        if (candidate / "vocabulary.yaml").is_file():
            return candidate
    raise FileNotFoundError("the knowledge base folder kb/ was not found next to the aiact_asp package")


@dataclass(frozen=True)
class Rule:
    """One rule of the knowledge base.

    Attributes:
        index: position in :attr:`KnowledgeBase.rules` (the first argument of ``_fired``).
        id: ``<file stem>:<line>`` or the name given with ``%@ rule:``.
        file: path of the ``.lp`` file, relative to the knowledge-base folder.
        line: 1-based first line of the rule.
        head: predicate name of the head (``""`` for constraints).
        sources: legal sources from ``%@ source:`` (e.g. ``("Art. 5(1)(f)", "recital 44")``).
        interpretation: id of the interpretive choice (docs/interpretations.md), if any.
        text: the rule as written.
    """

    index: int
    id: str
    file: str
    line: int
    head: str
    sources: tuple[str, ...]
    interpretation: str | None
    text: str


@dataclass(frozen=True)
class ConclusionSpec:
    """A conclusion predicate from ``kb/conclusions.yaml`` with its wording."""

    name: str
    args: tuple[str, ...]
    label: dict
    template: dict
    arg_types: dict = field(default_factory=dict)


@dataclass
class KnowledgeBase:
    """The parsed, instrumented knowledge base, ready to be added to a clingo ``Control``."""

    directory: Path
    files: list[Path]
    rules: list[Rule]
    statements: list[ast.AST]
    conclusions: dict[str, ConclusionSpec]
    labels: dict[str, dict]
    preconditions: frozenset[str] = frozenset()

    def add_to(self, control: clingo.Control) -> None:
        """Add every rule, instrumented, and the ``#show`` statements to ``control``."""
        with ast.ProgramBuilder(control) as builder:
            for statement in self.statements:
                builder.add(statement)
            shows = [f"#show {FIRED}/4.", "#show finding/2."]
            shows += [f"#show {spec.name}/{len(spec.args) + 1}." for spec in self.conclusions.values()]
            ast.parse_string("\n".join(shows), builder.add)


class _AnonymousVariables(ast.Transformer):
    """Give each ``_`` a name, so that body atoms can be copied into the ``_fired`` head."""

    def __init__(self) -> None:
        self.count = 0

    def visit_Variable(self, node: ast.AST) -> ast.AST:  # noqa: N802 (clingo's visitor naming)
        if node.name == "_":
            self.count += 1
            return node.update(name=f"Anonymous{self.count}")
        return node


def _instrument(rule: ast.AST, index: int) -> ast.AST | None:
    """``_fired(index, Head, (Pos...), (Neg...)) :- Body.`` for a normal rule, else ``None``."""
    head = rule.head
    if head.ast_type != ast.ASTType.Literal or head.atom.ast_type != ast.ASTType.SymbolicAtom:
        return None
    rule = _AnonymousVariables()(rule)
    loc = rule.location
    positive, negative = [], []
    for literal in rule.body:
        if literal.ast_type != ast.ASTType.Literal or literal.atom.ast_type != ast.ASTType.SymbolicAtom:
            continue
        (positive if literal.sign == ast.Sign.NoSign else negative).append(literal.atom.symbol)
    fired = ast.Function(
        loc,
        FIRED,
        [
            ast.SymbolicTerm(loc, clingo.Number(index)),
            rule.head.atom.symbol,
            ast.Function(loc, "", positive, 0),
            ast.Function(loc, "", negative, 0),
        ],
        0,
    )
    return ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(fired)), rule.body)


def _head_name(rule: ast.AST) -> str:
    head = rule.head
    if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.SymbolicAtom:
        symbol = head.atom.symbol
        return getattr(symbol, "name", "")
    return ""


def _annotations(lines: list[str]) -> list[tuple[int, str, str]]:
    """``(line, kind, value)`` for every ``%@ kind: value`` comment."""
    out = []
    for number, line in enumerate(lines, start=1):
        match = ANNOTATION.match(line)
        if match:
            out.append((number, match.group(1), match.group(2)))
    return out


def parse_kb_file(path: Path, relative: str, first_index: int) -> tuple[list[Rule], list[ast.AST], list[InputError]]:
    """Parse one ``.lp`` file into rules (with sources) and instrumented statements."""
    statements, text, errors = read_kb_file(path, relative)
    if errors:
        return [], [], errors
    rules, out = rules_of_statements(statements, text, relative, first_index)
    return rules, out, []


def read_kb_file(path: Path, relative: str) -> tuple[list[ast.AST], str, list[InputError]]:
    """Read and parse one ``.lp`` file: ``(statements as parsed, file text, errors)``.

    The statements are clingo's AST as written (not instrumented). On a syntax error the
    statements are empty and ``errors`` names the file (``relative``), line and column.
    """
    messages: list[InputError] = []

    def logger(code: clingo.MessageCode, message: str) -> None:
        messages.append(_kb_message(message, relative, str(path)))

    statements: list[ast.AST] = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], "", [InputError(relative, None, None, f"cannot be read: {exc}")]
    try:
        ast.parse_files([str(path)], statements.append, logger=logger, message_limit=50)
    except RuntimeError:
        return [], text, messages or [InputError(relative, None, None, "syntax error")]
    return statements, text, []


def rules_of_statements(statements: list[ast.AST], text: str, relative: str, first_index: int,
                        instrument: bool = True) -> tuple[list[Rule], list[ast.AST]]:
    """The rules (numbered from ``first_index``, with their sources read from ``text``) and the
    statements to ground, instrumented with ``_fired`` unless ``instrument`` is false."""
    lines = text.splitlines()
    notes = _annotations(lines)
    rules: list[Rule] = []
    out: list[ast.AST] = []
    previous_end = 0
    for statement in statements:
        begin, end = statement.location.begin.line, statement.location.end.line
        if statement.ast_type == ast.ASTType.Rule:
            mine = [(kind, value) for line, kind, value in notes if previous_end < line < begin]
            sources = tuple(s.strip() for kind, value in mine if kind == "source" for s in value.split(";") if s.strip())
            interpretation = next((value for kind, value in mine if kind == "interpretation"), None)
            name = next((value for kind, value in mine if kind == "rule"), None)
            index = first_index + len(rules)
            rules.append(
                Rule(index, name or f"{Path(relative).stem}:{begin}", relative, begin, _head_name(statement),
                     sources, interpretation, "\n".join(lines[begin - 1:end]).strip())
            )
            instrumented = _instrument(statement, index) if instrument else None
            out.append(statement)
            if instrumented is not None:
                out.append(instrumented)
        elif statement.ast_type in (ast.ASTType.Comment, ast.ASTType.Program):
            continue  # annotations are read from the lines above each rule; `#program base.` is implicit
        else:
            out.append(statement)
        previous_end = max(previous_end, end)
    return rules, out


def assemble_kb(directory: Path, parsed: list[tuple[Path, list[ast.AST], str]], instrument: bool = True) -> KnowledgeBase:
    """A :class:`KnowledgeBase` from already parsed files ``(path, statements, text)`` under
    ``directory`` (e.g. with one rule changed, for mutation testing); no syntax checks.

    Raises:
        KnowledgeBaseError: ``directory`` has no readable ``conclusions.yaml``.
    """
    directory = Path(directory)
    rules: list[Rule] = []
    statements: list[ast.AST] = []
    for path, file_statements, text in parsed:
        file_rules, out = rules_of_statements(file_statements, text, str(Path(path).relative_to(directory)), len(rules), instrument)
        rules.extend(file_rules)
        statements.extend(out)
    try:
        conclusions, labels = load_conclusions(directory)
        data = yaml.safe_load((directory / "conclusions.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise KnowledgeBaseError([InputError(str(directory / "conclusions.yaml"), None, None, f"cannot be read: {exc}")]) from None
    return KnowledgeBase(directory, [Path(p) for p, _, _ in parsed], rules, statements, conclusions, labels,
                         frozenset(data.get("preconditions", ())))


_LOCATION = re.compile(r"^(?:.*?):(\d+):(\d+)(?:-(?:\d+:)?\d+)?:\s*(.*)$", re.S)


def _kb_message(message: str, relative: str, path: str) -> InputError:
    """Turn a clingo message ``file:L:C-C: error: ...`` into an error naming the file and line."""
    from .clingo_messages import plain  # clingo's wording in plain words

    text = message.strip().replace(path, relative)
    match = _LOCATION.match(text)
    if match:
        line, col, rest = int(match.group(1)), match.group(2), match.group(3)
        if "file could not be opened" in rest:  # `#include "x.lp".` of a file that is not there
            included = rest.split("opened:", 1)[-1].strip() or "the included file"
            return InputError(relative, line, None, f"column {col}: #include: {included} could not be opened "
                                                    "(it does not exist or cannot be read; the path is relative to the working folder or this file)")
        _, _, rest = plain(text)
        return InputError(relative, line, None, f"column {col}: {rest.strip()}")
    return InputError(relative, None, None, text)


def load_conclusions(directory: Path) -> tuple[dict[str, ConclusionSpec], dict[str, dict]]:
    """Read ``conclusions.yaml``: the conclusion predicates and the wording of constants."""
    data = yaml.safe_load((directory / "conclusions.yaml").read_text(encoding="utf-8"))
    labels = dict(data.get("labels", {}))
    extra = directory / "obligations.yaml"
    if extra.is_file():  # role and obligation titles are labels of their constants too
        more = yaml.safe_load(extra.read_text(encoding="utf-8")) or {}
        for role, info in (more.get("roles") or {}).items():
            labels.setdefault(role, {k: v for k, v in info.items() if k in ("en", "nl")})
        for ident, info in (more.get("obligations") or {}).items():
            labels.setdefault(ident, info.get("title", {}))
    specs = {}
    for raw in data["conclusions"]:
        specs[raw["name"]] = ConclusionSpec(raw["name"], tuple(raw.get("args", ())), raw.get("label", {}),
                                            raw.get("template", {}), raw.get("arg_types", {}))
    return specs, labels


@functools.lru_cache(maxsize=4)
def load_kb(directory: Path | None = None) -> KnowledgeBase:
    """Load every ``*.lp`` file under ``directory`` (default: the shipped ``kb/``), sorted by path.

    Raises:
        KnowledgeBaseError: a file is missing or unreadable, or has a syntax error (with file and line).
    """
    directory = Path(directory) if directory else default_kb_dir()
    if not directory.is_dir():
        raise KnowledgeBaseError([InputError(str(directory), None, None, "knowledge-base folder not found")])
    files = sorted(directory.rglob("*.lp"))
    if not files:
        raise KnowledgeBaseError([InputError(str(directory), None, None, "contains no .lp rule files")])
    if not (directory / "conclusions.yaml").is_file():
        raise KnowledgeBaseError([InputError(str(directory), None, None, "has no conclusions.yaml (the list of conclusions and their wording)")])
    rules: list[Rule] = []
    statements: list[ast.AST] = []
    errors: list[InputError] = []
    for path in files:
        relative = str(path.relative_to(directory))
        file_rules, file_statements, file_errors = parse_kb_file(path, relative, len(rules))
        errors.extend(file_errors)
        rules.extend(file_rules)
        statements.extend(file_statements)
    if errors:
        raise KnowledgeBaseError(errors)
    _check_yaml_files(directory)
    try:
        conclusions, labels = load_conclusions(directory)
        data = yaml.safe_load((directory / "conclusions.yaml").read_text(encoding="utf-8"))
        preconditions = frozenset(data.get("preconditions", ()))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise KnowledgeBaseError([InputError(str(directory / "conclusions.yaml"), None, None,
                                             f"is malformed ({type(exc).__name__}: {exc}); see docs/kb-conventions.md")]) from None
    return KnowledgeBase(directory, files, rules, statements, conclusions, labels, preconditions)


def _check_yaml_files(directory: Path) -> None:
    """Raise a :class:`KnowledgeBaseError` naming file and line for a YAML file of the
    knowledge base that cannot be read or parsed."""
    errors = []
    for name in ("conclusions.yaml", "obligations.yaml"):
        path = directory / name
        if not path.is_file():
            continue
        try:
            yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(InputError(str(path), None, None, f"cannot be read: {exc}"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            errors.append(InputError(str(path), mark.line + 1 if mark else None, None, f"YAML error: {problem}"))
    if errors:
        raise KnowledgeBaseError(errors)
