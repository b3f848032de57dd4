"""Loading the knowledge base: the ``.lp`` rule files, their source annotations and conclusions.

Each rule is parsed with ``clingo.ast`` and instrumented: beside ``head :- body.`` the engine
adds ``_fired(I, head, positive body atoms..., negated atoms...) :- body.``, so that every
answer set records which rule ``I`` fired with which facts. The source of a rule is the
``%@ source:`` comment above it (docs/kb-conventions.md); it is read from the file text by
line, since comments are not part of clingo's AST.
"""

from __future__ import annotations

import functools
import re
from dataclasses import astuple, dataclass, field, replace
from pathlib import Path

import clingo
import yaml
from clingo import ast

from . import kbcache
from .errors import InputError, KnowledgeBaseError
from .kbyaml import read_yaml

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
        used_count: how many of the atoms after the head in its ``_fired`` record are the positive
            body atoms (used); the rest, ``absent_count``, are the atoms of its ``not`` conditions.
    """

    index: int
    id: str
    file: str
    line: int
    head: str
    sources: tuple[str, ...]
    interpretation: str | None
    text: str
    used_count: int = 0
    absent_count: int = 0


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
    """The parsed, instrumented knowledge base, ready to be added to a clingo ``Control``.

    ``parsed``: the statements (each rule followed by its ``_fired`` record) as clingo AST, or
    ``None`` when the knowledge base came from the cache (:mod:`aiact_asp.kbcache`): they are then
    parsed on first use of :attr:`statements`. ``program``: the same statements as program text
    (what :meth:`add_to` adds when set), or ``None`` to add the AST (e.g. a mutated copy)."""

    directory: Path
    files: list[Path]
    rules: list[Rule]
    parsed: list[ast.AST] | None
    conclusions: dict[str, ConclusionSpec]
    labels: dict[str, dict]
    preconditions: frozenset[str] = frozenset()
    program: str | None = None
    #: the rules without their ``_fired`` records, as program text (``None``: from :attr:`statements`)
    plain: str | None = None
    #: whether the statements hold the ``_fired`` records (``assemble_kb(instrument=False)``: not)
    instrumented: bool = True

    @property
    def statements(self) -> list[ast.AST]:
        """The statements as clingo AST (parsed from the files on first use after a cache hit).

        Raises:
            KnowledgeBaseError: a file changed on disk since and no longer parses.
        """
        if self.parsed is None:
            self.parsed = _parse_files(self.directory, self.files)[1]
        return self.parsed

    def exact(self) -> "KnowledgeBase":
        """This knowledge base added as AST, so that clingo's messages name the ``.lp`` file and line
        of a rule (the program text is one anonymous string)."""
        return self if self.program is None else replace(self, parsed=self.statements, program=None, plain=None)

    @functools.cached_property
    def present_keys(self) -> frozenset[str] | None:
        """The keys ``K`` of the ``present(S, K)`` conditions of the rules (a stated key is only
        worth a ``present/2`` fact if a rule tests it); ``None`` if a rule tests a variable key."""
        keys = set()
        for rule in self.rules:
            for match in _PRESENT.finditer(rule.text):
                key = match.group(1)
                if not key.startswith('"'):
                    return None
                keys.add(key[1:-1])
        return frozenset(keys)

    @functools.cached_property
    def records_every_head(self) -> bool:
        """Whether every atom a rule derives has ``_fired`` records (every rule is instrumented,
        or an integrity constraint): then the heads of the records are all that was derived. A
        choice or disjunctive rule (not instrumented) makes this false."""
        return self.instrumented and all(
            rule.head or rule.text.lstrip().startswith((":-", "#false")) for rule in self.rules)

    @functools.cached_property
    def conclusion_arities(self) -> dict[str, int]:
        """Predicate name -> arity of each conclusion of ``conclusions.yaml`` (the system first)."""
        return {spec.name: len(spec.args) + 1 for spec in self.conclusions.values()}

    def conclusion_shows(self) -> str:
        """``#show`` statements for the conclusions (not the findings)."""
        return "".join(f"#show {name}/{arity}.\n" for name, arity in self.conclusion_arities.items())

    @functools.cached_property
    def fired_arities(self) -> tuple[int, ...]:
        """The arities of the ``_fired`` records (index, head, then the recorded body atoms)."""
        return tuple(sorted({2 + rule.used_count + rule.absent_count for rule in self.rules}))

    def add_plain_to(self, control: clingo.Control, shows: str = "") -> None:
        """Add the rules without the rule-firing records (faster to ground; no explanations) and
        ``shows`` (show statements written by the engine, never taken from a description)."""
        if self.program is not None and self.plain is not None:
            control.add("base", [], self.plain + "\n#show.\n" + shows)
            return
        with ast.ProgramBuilder(control) as builder:
            for statement in self.statements:
                if not (statement.ast_type == ast.ASTType.Rule and _head_name(statement) == FIRED):
                    builder.add(statement)
            ast.parse_string("#show.\n" + shows, builder.add)

    def add_to(self, control: clingo.Control, conclusions: bool = True) -> None:
        """Add every rule, instrumented, and the ``#show`` statements to ``control``.

        ``conclusions=False`` shows only the ``_fired`` records: enough where there is one answer
        set, whose conclusions are the heads of the records (fewer atoms to read)."""
        shows = "".join(f"#show {FIRED}/{arity}.\n" for arity in self.fired_arities)
        if conclusions:
            shows += "#show finding/2.\n" + self.conclusion_shows()
        if self.program is not None:
            control.add("base", [], self.program + "\n" + shows)
            return
        with ast.ProgramBuilder(control) as builder:
            for statement in self.statements:
                builder.add(statement)
            ast.parse_string(shows, builder.add)


#: A ``present(S, Key)`` condition in a rule's text (``Key`` a string constant or a variable).
_PRESENT = re.compile(r'\bpresent\(\s*\w+\s*,\s*("[^"\\]*"|\w+)\s*\)')

#: A string constant (left alone) or an anonymous variable ``_`` (renamed), in clingo's rendering.
_ANONYMOUS = re.compile(r'"(?:\\.|[^"\\])*"|(?<![A-Za-z0-9_\'])_(?![A-Za-z0-9_\'])')


def _name_anonymous(text: str, count: int) -> tuple[str, int]:
    """``text`` with each ``_`` renamed ``Anonymous<n>`` (numbered after ``count``), and the last number.

    The body atoms are copied into the ``_fired`` head, where ``_`` is not allowed; a renamed
    ``_`` that occurs once stays a fresh variable, so the rule means the same."""
    if "_" not in text:
        return text, count
    last = [count]

    def rename(match: re.Match) -> str:
        if match.group(0)[0] == '"':
            return match.group(0)
        last[0] += 1
        return f"Anonymous{last[0]}"

    return _ANONYMOUS.sub(rename, text), last[0]


def _recorded_sign(literal: ast.AST) -> bool | None:
    """Whether a body literal is recorded in the ``_fired`` atom as used (``True``: a positive
    atom) or absent (``False``: under ``not``); ``None``: not recorded (a comparison, an aggregate)."""
    if literal.ast_type == ast.ASTType.Literal and literal.atom.ast_type == ast.ASTType.SymbolicAtom:
        return literal.sign == ast.Sign.NoSign
    return None


def _recorded_counts(rule: ast.AST) -> tuple[int, int]:
    """How many body atoms of ``rule`` its ``_fired`` atom records: (used, absent)."""
    signs = [_recorded_sign(literal) for literal in rule.body]
    return signs.count(True), signs.count(False)


def _instrumented_text(rule: ast.AST, index: int) -> str | None:
    """``_fired(index, Head, Pos..., Neg...) :- Body.`` as program text for a normal rule, else ``None``.

    The body atoms are arguments of their own (not a tuple each): reading a record of the answer
    set is then one call into clingo (:func:`aiact_asp.engine._collect`); the rule's
    :attr:`Rule.used_count` tells where the positive atoms end. Written as text from clingo's own
    rendering of the parsed rule (and parsed back by clingo in one go), which is several times
    faster than rebuilding each rule through the AST classes."""
    head = rule.head
    if head.ast_type != ast.ASTType.Literal or head.atom.ast_type != ast.ASTType.SymbolicAtom:
        return None
    count = 0
    body: list[str] = []
    positive: list[str] = []
    negative: list[str] = []
    for literal in rule.body:
        sign = _recorded_sign(literal)
        if sign is not None:
            atom, _ = _name_anonymous(str(literal.atom.symbol), count)
            (positive if sign else negative).append(atom)
        text, count = _name_anonymous(str(literal), count)
        body.append(text)
    fired, _ = _name_anonymous(str(head.atom.symbol), 0)
    text = f"{FIRED}({','.join([str(index), fired, *positive, *negative])})"
    return text + (" :- " + "; ".join(body) if body else "") + "."


def _instrument_all(rules: list[tuple[ast.AST, int]]) -> list[ast.AST | None]:
    """The instrumented statement of each ``(rule, index)`` (``None`` where the rule records
    nothing, e.g. an integrity constraint), located where the rule is written."""
    texts = [_instrumented_text(rule, index) for rule, index in rules]
    parsed: list[ast.AST] = []
    ast.parse_string("\n".join(t for t in texts if t is not None), parsed.append)
    statements = iter(s for s in parsed if s.ast_type == ast.ASTType.Rule)
    return [None if text is None else next(statements).update(location=rule.location)
            for (rule, _), text in zip(rules, texts)]


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
    pending: list[tuple[ast.AST, int, int]] = []  # (rule, index, position after it in ``out``)
    previous_end = 0
    for statement in statements:
        kind = statement.ast_type
        if kind in (ast.ASTType.Comment, ast.ASTType.Program):
            continue  # annotations are read from the lines above each rule; `#program base.` is implicit
        location = statement.location
        begin, end = location.begin.line, location.end.line
        if kind == ast.ASTType.Rule:
            mine = [(kind, value) for line, kind, value in notes if previous_end < line < begin]
            sources = tuple(s.strip() for kind, value in mine if kind == "source" for s in value.split(";") if s.strip())
            interpretation = next((value for kind, value in mine if kind == "interpretation"), None)
            name = next((value for kind, value in mine if kind == "rule"), None)
            index = first_index + len(rules)
            rules.append(
                Rule(index, name or f"{Path(relative).stem}:{begin}", relative, begin, _head_name(statement),
                     sources, interpretation, "\n".join(lines[begin - 1:end]).strip(),
                     *_recorded_counts(statement))
            )
            out.append(statement)
            if instrument:
                pending.append((statement, index, len(out)))
        else:
            out.append(statement)
        previous_end = max(previous_end, end)
    if pending:  # each instrumented rule goes right after its rule
        instrumented = _instrument_all([(statement, index) for statement, index, _ in pending])
        for (_, _, position), statement in sorted(zip(pending, instrumented), key=lambda p: -p[0][2]):
            if statement is not None:
                out.insert(position, statement)
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
        files = {name: read_yaml(directory / name) or {} for name in ("conclusions.yaml", "obligations.yaml")
                 if (directory / name).is_file()}
        conclusions, labels = load_conclusions(directory, files)
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise KnowledgeBaseError([InputError(str(directory / "conclusions.yaml"), None, None, f"cannot be read: {exc}")]) from None
    return KnowledgeBase(directory, [Path(p) for p, _, _ in parsed], rules, statements, conclusions, labels,
                         frozenset(files["conclusions.yaml"].get("preconditions", ())), instrumented=instrument)


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


def load_conclusions(directory: Path, files: dict[str, dict] | None = None) -> tuple[dict[str, ConclusionSpec], dict[str, dict]]:
    """Read ``conclusions.yaml``: the conclusion predicates and the wording of constants.

    ``files``: the YAML files already read (:func:`_check_yaml_files`), else they are read here."""
    if files is None:
        files = {name: read_yaml(directory / name) or {} for name in ("conclusions.yaml", "obligations.yaml")
                 if (directory / name).is_file()}
    data = files["conclusions.yaml"]
    labels = dict(data.get("labels", {}))
    more = files.get("obligations.yaml")
    if more:  # role and obligation titles are labels of their constants too
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

    The parsed and instrumented rules come from the cache (:mod:`aiact_asp.kbcache`) while the
    files are unchanged.

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
    try:
        key = kbcache.digest(directory, files, [Path(__file__)])
    except OSError:
        key = None  # an unreadable file: parsing reports it
    cached = _cached_rules(kbcache.read(key)) if key else None
    parsed = None
    if cached is None:
        rules, parsed = _parse_files(directory, files)
        program = "\n".join(str(statement) for statement in parsed)
        plain = "\n".join(str(s) for s in parsed if not (s.ast_type == ast.ASTType.Rule and _head_name(s) == FIRED))
        if key:
            kbcache.write(key, {"rules": [list(astuple(rule)) for rule in rules], "program": program, "plain": plain})
    else:
        rules, program, plain = cached
    data = _check_yaml_files(directory)
    try:
        conclusions, labels = load_conclusions(directory, data)
        preconditions = frozenset(data["conclusions.yaml"].get("preconditions", ()))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise KnowledgeBaseError([InputError(str(directory / "conclusions.yaml"), None, None,
                                             f"is malformed ({type(exc).__name__}: {exc}); see docs/kb-conventions.md")]) from None
    return KnowledgeBase(directory, files, rules, parsed, conclusions, labels, preconditions, program, plain)


def _parse_files(directory: Path, files: list[Path]) -> tuple[list[Rule], list[ast.AST]]:
    """The rules and instrumented statements of ``files`` (under ``directory``), numbered in order.

    Raises:
        KnowledgeBaseError: a file cannot be read or has a syntax error (every such file named).
    """
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
    return rules, statements


def _cached_rules(entry: dict | None) -> tuple[list[Rule], str, str] | None:
    """The rules, program text and plain program text of a cache entry, or ``None`` if it does not hold them."""
    if not entry:
        return None
    try:
        rules = [Rule(int(i), str(ident), str(file), int(line), str(head), tuple(sources), interpretation, str(text),
                      int(used), int(absent))
                 for i, ident, file, line, head, sources, interpretation, text, used, absent in entry["rules"]]
        program, plain = entry["program"], entry["plain"]
    except (KeyError, TypeError, ValueError):
        return None
    return (rules, program, plain) if isinstance(program, str) and isinstance(plain, str) else None


def _check_yaml_files(directory: Path) -> dict[str, dict]:
    """The YAML files of the knowledge base that the rules need (``conclusions.yaml``, and
    ``obligations.yaml`` if present), by file name.

    Raises:
        KnowledgeBaseError: a file cannot be read or parsed (naming file and line).
    """
    errors = []
    data: dict[str, dict] = {}
    for name in ("conclusions.yaml", "obligations.yaml"):
        path = directory / name
        if not path.is_file():
            continue
        try:
            data[name] = read_yaml(path) or {}
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(InputError(str(path), None, None, f"cannot be read: {exc}"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            errors.append(InputError(str(path), mark.line + 1 if mark else None, None, f"YAML error: {problem}"))
    if errors:
        raise KnowledgeBaseError(errors)
    return data
