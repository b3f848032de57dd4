"""``aiact-asp lint``: checks of the knowledge base that a rule author runs before committing.

Each check reports :class:`Problem` s with ``file:line:col``; errors make the lint fail, warnings
do not. The checks (predicates are read from clingo's AST, not from the rule text):

* syntax errors, in plain words (``kb.read_kb_file``);
* rule forms the conventions forbid (docs/kb-conventions.md): integrity constraints, choice
  rules, disjunction, aggregates, conditional literals, ``#show``/``#const``/``#include``...,
  ``_`` inside a ``not`` literal;
* predicates used in a rule body that no rule defines and that are no input of
  ``kb/vocabulary.yaml`` (misspelled predicate or input key), or used with the wrong number of
  arguments; rules that conclude an input predicate; ``present``/``unknown`` with a key the
  catalogue does not have; catalogue entries that no rule uses (warning); predicates defined but
  never used and not reported (warning);
* rules without ``%@ source:``, and sources that cite a provision that does not exist in the AI Act
  as amended by Regulation (EU) 2026/1744 (:mod:`aiact_asp.citations`);
* conclusions of ``kb/conclusions.yaml`` without an English or Dutch label or template, or with a
  template that names an unknown field; conclusions whose rules have another number of arguments;
* conclusions that no input can derive, and rules that can never fire: the knowledge base is
  solved once for one synthetic system whose every input is open (each bool, list and enum value
  may or may not hold, dates and numbers on either side of every threshold, every assessment date)
  and the brave consequences are inspected;
* constants in derivable conclusions whose wording is missing from ``labels:`` (warning).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import os
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import clingo
import yaml
from clingo import ast

from .citations import Reference, check_citation, default_reference_dir, load_reference
from .clingo_messages import plain
from .context import GroundingContext, date_value, number_symbol, parse_number
from .errors import KnowledgeBaseError
from .facts import DATE_EXTREMES, NUMBER_EXTREMES
from .kb import FIRED, assemble_kb, default_kb_dir, read_kb_file
from .vocabulary import Vocabulary, load_vocabulary

ERROR, WARNING, NOTE = "error", "warning", "note"
#: Atoms the engine itself provides for every system.
ENGINE_PREDICATES = {("system", 1), ("as_of", 2), ("present", 2), ("unknown", 2)}
#: Predicates that the engine reads besides the conclusions.
REPORTED = {"finding"}
SYSTEM = "lint-open-system"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of the lint: ``severity`` is ``error``, ``warning`` or ``note``."""

    file: str
    line: int | None
    col: int | None
    severity: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "") + (f":{self.col}" if self.line and self.col else "")
        return f"{where}: {self.severity}: {self.message}"


@dataclass
class LintReport:
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def add(self, file: str, line: int | None, col: int | None, severity: str, message: str) -> None:
        self.problems.append(Problem(file, line, col, severity, message))


@dataclass(frozen=True)
class Use:
    """A predicate occurrence: ``name/arity`` at ``file:line:col``; ``kind`` is head, body or negative."""

    name: str
    arity: int
    file: str
    line: int
    col: int
    kind: str
    node: ast.AST


def lint(kb_dir: Path | None = None, reference: Path | None = None, display: Path | None = None) -> LintReport:
    """Lint the knowledge base in ``kb_dir`` (default: the shipped ``kb/``).

    ``reference`` is the folder of the legal text (``.../ai-act``); when it is ``None`` the
    folder ``../shared/reference/ai-act`` beside the project is used if it exists, otherwise the
    citation check is skipped with a note. Paths in the report are relative to ``display``
    (default: the current folder).
    """
    kb_dir = (Path(kb_dir) if kb_dir else default_kb_dir()).resolve()
    report = LintReport()
    show = _Display(kb_dir, display or Path.cwd())
    files = sorted(kb_dir.rglob("*.lp"))
    if not files:
        report.add(show(kb_dir), None, None, ERROR, "contains no .lp rule files")
        return report
    parsed, unreadable = [], []
    for path in files:
        relative = str(path.relative_to(kb_dir))
        statements, text, errors = read_kb_file(path, relative)
        for error in errors:
            line, col, message = _syntax_message(error.message)
            report.add(show(path), error.line or line, col, ERROR, message)
        if errors:
            unreadable.append(path)
        else:
            parsed.append((path, statements, text))
            _check_text(path, text, show, report)
    try:
        vocabulary = load_vocabulary(kb_dir / "vocabulary.yaml")
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        report.add(show(kb_dir / "vocabulary.yaml"), None, None, ERROR, f"the vocabulary catalogue cannot be read: {exc}")
        return report
    try:
        kb = assemble_kb(kb_dir, parsed)
    except KnowledgeBaseError as exc:
        for error in exc.errors:
            report.add(error.file, error.line, None, ERROR, error.message)
        return report
    uses = list(_uses(parsed))
    whole = not unreadable  # the rules of a file that cannot be read are missing from the rest
    _check_forms(parsed, show, report)
    _check_predicates(uses, vocabulary, kb, show, report, whole)
    _check_sources(kb, parsed, reference, show, report)
    _check_conclusions(kb, uses, show, report)
    if whole:
        _check_derivable(kb, vocabulary, uses, show, report)
    else:
        names = ", ".join(show(path) for path in unreadable)
        shown = {show(path) for path in unreadable}
        one = sum(p.file in shown and p.severity == ERROR for p in report.problems) == 1
        report.add(names, None, None, NOTE,
                   f"these checks are skipped until the syntax {'error is' if one else 'errors are'} fixed (the rules of "
                   f"{names} are missing): predicates used but never defined or defined but unused, inputs no rule "
                   "uses, conclusions that can never be derived, rules that can never fire")
    report.problems = sorted(set(report.problems), key=lambda p: (p.severity != ERROR, p.file, p.line or 0, p.col or 0, p.message))
    return report


class _Display:
    """Paths as the user sees them: relative to the current folder where possible."""

    def __init__(self, kb_dir: Path, base: Path):
        self.kb_dir, self.base = kb_dir.resolve(), base.resolve()

    def __call__(self, path: Path | str) -> str:
        path = Path(path)
        if not path.is_absolute():
            path = self.kb_dir / path
        try:
            return os.path.relpath(path.resolve(), self.base) if path.resolve().is_relative_to(self.base) else str(path)
        except ValueError:
            return str(path)


def _syntax_message(message: str) -> tuple[int | None, int | None, str]:
    """``"column 5: syntax error: unexpected <IDENTIFIER>, expecting ."`` -> plain words."""
    col = None
    match = re.match(r"^column (\d+):\s*(.*)$", message, re.S)
    if match:
        col, message = int(match.group(1)), match.group(2)
    message = message.replace("syntax error: unexpected", "syntax error, unexpected")
    _, col2, text = plain(message)
    return None, col or col2, text


def _check_text(path: Path, text: str, show: _Display, report: LintReport) -> None:
    """Directives that clingo resolves while parsing (so the AST never shows them)."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if stripped.startswith("#include"):
            report.add(show(path), number, len(line) - len(stripped) + 1, ERROR,
                       "#include is not allowed in kb/*.lp: every .lp file under kb/ is loaded already")


# ---------------------------------------------------------------------------------------------
# Rule forms and predicates (from the AST)


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        for key in item.child_keys:
            child = getattr(item, key)
            if isinstance(child, ast.AST):
                stack.append(child)
            elif isinstance(child, Iterable) and not isinstance(child, str):
                stack.extend(c for c in child if isinstance(c, ast.AST))


def _rules(parsed) -> Iterator[tuple[Path, ast.AST]]:
    for path, statements, _ in parsed:
        for statement in statements:
            if statement.ast_type == ast.ASTType.Rule:
                yield path, statement


def _signature(atom: ast.AST) -> tuple[str, int] | None:
    symbol = atom.symbol
    if symbol.ast_type == ast.ASTType.UnaryOperation:
        symbol = symbol.argument
    if symbol.ast_type == ast.ASTType.Function and not symbol.external:
        return symbol.name, len(symbol.arguments)
    if symbol.ast_type == ast.ASTType.SymbolicTerm and symbol.symbol.type == clingo.SymbolType.Function:
        return symbol.symbol.name, len(symbol.symbol.arguments)
    return None


def _uses(parsed) -> Iterator[Use]:
    for path, rule in _rules(parsed):
        for part, kind in [(rule.head, "head")] + [(literal, "body") for literal in rule.body]:
            for node in _walk(part):
                if node.ast_type == ast.ASTType.Literal and node.atom.ast_type == ast.ASTType.SymbolicAtom:
                    signature = _signature(node.atom)
                    if signature:
                        where = node.location.begin
                        use_kind = kind if kind == "head" or node.sign == ast.Sign.NoSign else "negative"
                        yield Use(signature[0], signature[1], str(path), where.line, where.column, use_kind, node)


def _constant(term: ast.AST) -> str | None:
    if term.ast_type == ast.ASTType.SymbolicTerm and term.symbol.type == clingo.SymbolType.Function and not term.symbol.arguments:
        return term.symbol.name
    if term.ast_type == ast.ASTType.Function and not term.arguments and not term.external:
        return term.name
    return None


def _check_forms(parsed, show: _Display, report: LintReport) -> None:
    for path, statements, _ in parsed:
        for statement in statements:
            where = statement.location.begin
            kind = statement.ast_type
            if kind in (ast.ASTType.Comment,):
                continue
            if kind == ast.ASTType.Program:
                if statement.name != "base" or statement.parameters:
                    report.add(show(path), where.line, where.column, ERROR, "#program parts are not allowed in kb/*.lp (docs/kb-conventions.md)")
                continue
            if kind != ast.ASTType.Rule:
                text = str(statement).split(" ", 1)[0]
                report.add(show(path), where.line, where.column, ERROR,
                           f"`{text}` is not allowed in kb/*.lp: only rules `head :- body.` and facts (docs/kb-conventions.md)")
                continue
            head = statement.head
            if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.BooleanConstant:
                report.add(show(path), where.line, where.column, ERROR,
                           "integrity constraint: contradictory or suspicious input is reported as finding(S, code), "
                           "never as a constraint that leaves no answer (docs/kb-conventions.md)")
            elif head.ast_type != ast.ASTType.Literal or head.atom.ast_type != ast.ASTType.SymbolicAtom:
                report.add(show(path), where.line, where.column, ERROR,
                           "only a single atom may be concluded: no choice rules, disjunction or aggregates in heads (docs/kb-conventions.md)")
            elif head.sign != ast.Sign.NoSign:
                report.add(show(path), where.line, where.column, ERROR, "a rule head cannot be negated with `not`")
            for literal in statement.body:
                at = literal.location.begin
                if literal.ast_type == ast.ASTType.ConditionalLiteral:
                    report.add(show(path), at.line, at.column, ERROR, "conditional literals (`a : b`) are not allowed (docs/kb-conventions.md)")
                elif literal.ast_type == ast.ASTType.Literal and literal.atom.ast_type in (ast.ASTType.BodyAggregate, ast.ASTType.Aggregate):
                    report.add(show(path), at.line, at.column, ERROR, "aggregates (#count, #sum, ...) are not allowed (docs/kb-conventions.md)")
                elif literal.ast_type == ast.ASTType.Literal and literal.sign != ast.Sign.NoSign:
                    if any(n.ast_type == ast.ASTType.Variable and n.name == "_" for n in _walk(literal)):
                        report.add(show(path), at.line, at.column, ERROR,
                                   f"`{literal}`: no anonymous variable `_` inside a `not` condition; name the variable (docs/kb-conventions.md)")


def _input_signatures(vocabulary: Vocabulary) -> dict[tuple[str, int], str]:
    out = {}
    for entry in vocabulary.facts:
        out[(entry.predicate, 1 if entry.type == "bool" else 2)] = entry.key
    return out


def _check_predicates(uses: list[Use], vocabulary: Vocabulary, kb, show: _Display, report: LintReport,
                      whole: bool = True) -> None:
    """Predicates and input keys. Without ``whole`` (a file could not be read, so its rules are
    missing) only what each use shows on its own is checked: a rule concluding an input, a value or
    key the catalogue does not have; not whether a predicate is defined or used elsewhere."""
    inputs = _input_signatures(vocabulary)
    input_names = {name: arity for name, arity in inputs}
    defined = {(u.name, u.arity) for u in uses if u.kind == "head"}
    used = {(u.name, u.arity) for u in uses if u.kind != "head"}
    known = defined | set(inputs) | ENGINE_PREDICATES
    names = sorted({n for n, _ in known})
    reported: set[tuple[str, int]] = set()
    for use in uses:
        signature = (use.name, use.arity)
        if use.kind == "head":
            if signature in inputs or signature in ENGINE_PREDICATES:
                what = f"the input `{inputs[signature]}`" if signature in inputs else "an atom the engine provides"
                report.add(show(use.file), use.line, use.col, ERROR,
                           f"{use.name}/{use.arity} is {what}; input facts are made by the converter and no rule may conclude them")
            continue
        if not whole or signature in known or signature in reported:
            continue
        reported.add(signature)
        if use.name in input_names:
            entry = vocabulary.by_predicate[use.name]
            message = (f"{use.name} is the input `{entry.key}` ({entry.type}), which has {input_names[use.name]} argument(s) "
                       f"(the system{'' if entry.type == 'bool' else ' and the value'}), but is used with {use.arity}")
        elif any(n == use.name for n, _ in defined):
            arities = sorted(a for n, a in defined if n == use.name)
            message = f"{use.name}/{use.arity} is used, but rules define {use.name} only with {', '.join(map(str, arities))} argument(s)"
        else:
            close = difflib.get_close_matches(use.name, names, n=1, cutoff=0.7) or \
                [n for n in names if len(use.name) >= 8 and n.startswith(use.name[:-2])][:1]
            hint = f"; did you mean `{close[0]}`?" if close else ""
            message = (f"{use.name}/{use.arity} is used but never defined: no rule concludes it and it is not an input "
                       f"predicate of kb/vocabulary.yaml{hint}")
        report.add(show(use.file), use.line, use.col, ERROR, message)
    for use in uses:
        entry = vocabulary.by_predicate.get(use.name)
        if entry is not None and entry.type in ("enum", "list") and use.arity == 2 and (use.name, 2) in inputs:
            value = _constant(use.node.atom.symbol.arguments[1])
            if value is not None and value not in entry.values:
                close = difflib.get_close_matches(value, list(entry.values), n=1)
                hint = f"; did you mean `{close[0]}`?" if close else f" (values: {', '.join(entry.values)})"
                report.add(show(use.file), use.line, use.col, ERROR,
                           f"`{value}` is not a value of the input `{entry.key}`, so {use.name}(S, {value}) never holds{hint}")
        if use.name in ("present", "unknown") and use.arity == 2:
            key = use.node.atom.symbol.arguments[1]
            if key.ast_type == ast.ASTType.SymbolicTerm and key.symbol.type == clingo.SymbolType.String:
                if key.symbol.string not in vocabulary.by_key:
                    close = difflib.get_close_matches(key.symbol.string, list(vocabulary.by_key), n=1)
                    hint = f"; did you mean \"{close[0]}\"?" if close else ""
                    report.add(show(use.file), use.line, use.col, ERROR,
                               f"\"{key.symbol.string}\" is not a key of kb/vocabulary.yaml, so {use.name}(S, ...) never holds{hint}")
    if not whole:
        return
    vocabulary_text = _lines(kb.directory / "vocabulary.yaml")
    for signature, key in sorted(inputs.items(), key=lambda item: item[1]):
        if signature not in used:
            line = _find_line(vocabulary_text, rf"^\s*predicate:\s*{re.escape(signature[0])}\s*$") or _find_line(vocabulary_text, rf"key:\s*{re.escape(key)}\s*$")
            report.add(show(kb.directory / "vocabulary.yaml"), line, None, WARNING,
                       f"the input `{key}` ({signature[0]}) is not used by any rule")
    reported_names = set(kb.conclusions) | set(kb.preconditions) | REPORTED
    for name, arity in sorted(defined - used):
        if name in reported_names or name == FIRED:
            continue
        first = next(u for u in uses if u.kind == "head" and (u.name, u.arity) == (name, arity))
        report.add(show(first.file), first.line, first.col, WARNING,
                   f"{name}/{arity} is defined but used by no rule and not a conclusion of kb/conclusions.yaml")


# ---------------------------------------------------------------------------------------------
# Sources


def _check_sources(kb, parsed, reference: Path | None, show: _Display, report: LintReport) -> None:
    texts = {str(path.relative_to(kb.directory)): text.splitlines() for path, _, text in parsed}
    ref = _reference(reference, kb.directory, show, report)
    cache: dict[str, list[tuple[str, str]]] = {}
    for rule in kb.rules:
        lines = texts.get(rule.file, [])
        if not rule.sources:
            report.add(show(kb.directory / rule.file), rule.line, 1, ERROR,
                       f"rule `{_first_line(rule.text)}` has no `%@ source:` annotation above it")
            continue
        if ref is None:
            continue
        line = next((n for n in range(rule.line - 1, 0, -1) if re.match(r"^\s*%@\s*source\s*:", lines[n - 1])), rule.line)
        for source in rule.sources:
            if source not in cache:
                cache[source] = check_citation(source, ref)
            for severity, message in cache[source]:
                col = lines[line - 1].find(source) + 1 if line <= len(lines) and source in lines[line - 1] else 1
                report.add(show(kb.directory / rule.file), line, col, severity, message)


def _reference(reference: Path | None, kb_dir: Path, show: _Display, report: LintReport) -> Reference | None:
    root = Path(reference) if reference else default_reference_dir(kb_dir.resolve().parent)
    if not (root / "en").is_dir():
        where = f"--reference {reference}" if reference else f"{root} (the default)"
        report.add(show(kb_dir), None, None, NOTE if not reference else ERROR,
                   f"legal texts not found at {where}; citations were not checked (give --reference DIR, the folder with en/article-005.md)")
        return None
    return load_reference(root.resolve())


# ---------------------------------------------------------------------------------------------
# conclusions.yaml


def _check_conclusions(kb, uses: list[Use], show: _Display, report: LintReport) -> None:
    path = kb.directory / "conclusions.yaml"
    text = _lines(path)
    for name, spec in kb.conclusions.items():
        line = _find_line(text, rf"^\s*-\s*name:\s*{re.escape(name)}\s*$")
        for lang in ("en", "nl"):
            if not spec.label.get(lang):
                report.add(show(path), line, None, ERROR, f"conclusion `{name}` has no {lang} label")
            template = spec.template.get(lang)
            if not template:
                report.add(show(path), line, None, ERROR, f"conclusion `{name}` has no {lang} template")
                continue
            allowed = {"system"} | set(spec.args) | {f"{a}_label" for a in spec.args}
            try:
                fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
            except ValueError as exc:
                report.add(show(path), line, None, ERROR, f"the {lang} template of `{name}` cannot be read: {exc}")
                continue
            for unknown in sorted(f for f in fields if f.split(".")[0].split("[")[0] not in allowed):
                report.add(show(path), line, None, ERROR,
                           f"the {lang} template of `{name}` uses {{{unknown}}}, but only {', '.join('{' + a + '}' for a in sorted(allowed))} exist")
        arity = len(spec.args) + 1
        for use in uses:
            if use.kind == "head" and use.name == name and use.arity != arity:
                report.add(show(use.file), use.line, use.col, ERROR,
                           f"conclusion `{name}` has {arity} argument(s) in kb/conclusions.yaml (system, {', '.join(spec.args) or 'no others'}), "
                           f"but this rule concludes it with {use.arity}")


# ---------------------------------------------------------------------------------------------
# Derivability: one system with every input open


def _check_derivable(kb, vocabulary: Vocabulary, uses: list[Use], show: _Display, report: LintReport) -> None:
    messages: list[str] = []

    def logger(code: clingo.MessageCode, message: str) -> None:
        if code in (clingo.MessageCode.RuntimeError, clingo.MessageCode.OperationUndefined):
            messages.append(message)

    control = clingo.Control(["--warn=none"], logger=logger, message_limit=50)
    try:
        kb.add_to(control)
        _add_open_system(control, kb, vocabulary)
        control.ground([("base", [])], context=GroundingContext())
    except RuntimeError as exc:
        for message in messages or [str(exc)]:
            line, col, text = plain(message)
            file = next((str(f) for f in kb.files if str(f) in message), str(kb.directory))
            report.add(show(file), line, col, ERROR, text)
        return
    control.configuration.solve.enum_mode = "brave"
    brave: list[clingo.Symbol] = []
    with control.solve(yield_=True) as handle:
        for model in handle:
            brave = model.symbols(shown=True)
    if not brave:
        report.add(show(kb.directory), None, None, ERROR,
                   "the rules have no answer set for a system with every input open: some rule acts as a contradiction")
        return
    derived = {s.name for s in brave if s.name != FIRED}
    fired = {s.arguments[0].number for s in brave if s.name == FIRED}
    atoms = [s for s in brave if s.name != FIRED]
    for name, spec in kb.conclusions.items():
        if name in derived:
            continue
        heads = [u for u in uses if u.kind == "head" and u.name == name]
        if heads:
            places = ", ".join(f"{show(u.file)}:{u.line}" for u in heads[:5])
            report.add(show(heads[0].file), heads[0].line, heads[0].col, ERROR,
                       f"conclusion `{name}` can never be derived: no input makes its rule(s) fire ({places})")
        else:
            line = _find_line(_lines(kb.directory / "conclusions.yaml"), rf"^\s*-\s*name:\s*{re.escape(name)}\s*$")
            report.add(show(kb.directory / "conclusions.yaml"), line, None, WARNING,
                       f"conclusion `{name}` is declared but no rule concludes it")
    for rule in kb.rules:
        if rule.index not in fired and rule.head and rule.head != FIRED and _has_body(rule):
            report.add(show(kb.directory / rule.file), rule.line, 1, WARNING,
                       f"rule `{_first_line(rule.text)}` can never fire, whatever the input (a condition that can never hold?)")
    _check_labels(kb, atoms, show, report)


def _has_body(rule) -> bool:
    return ":-" in rule.text


def _add_open_system(control: clingo.Control, kb, vocabulary: Vocabulary) -> None:
    """One system, every input open: facts ``system``; choices for the rest (see module doc)."""
    system = clingo.String(SYSTEM)
    dates, numbers = _thresholds(kb)
    date_values = sorted({d for value in dates for d in _around(value)} | {e.number for e in DATE_EXTREMES})
    as_of_values = sorted({d for value in dates for d in _around(value)})
    number_values = sorted(set(numbers) | set(NUMBER_EXTREMES) | {_just_above(n) for n in numbers})
    with control.backend() as backend:
        backend.add_rule([backend.add_atom(clingo.Function("system", [system]))])
        _one_of(backend, [clingo.Function("as_of", [system, clingo.Number(d)]) for d in as_of_values], exactly=True)
        for entry in vocabulary.facts:
            key = clingo.String(entry.key)
            for name in ("present", "unknown"):
                backend.add_rule([backend.add_atom(clingo.Function(name, [system, key]))], choice=True)
            pred = entry.predicate
            if entry.type == "bool":
                backend.add_rule([backend.add_atom(clingo.Function(pred, [system]))], choice=True)
            elif entry.type == "list":
                for value in entry.values:
                    backend.add_rule([backend.add_atom(clingo.Function(pred, [system, clingo.Function(value)]))], choice=True)
            elif entry.type == "enum":
                _one_of(backend, [clingo.Function(pred, [system, clingo.Function(v)]) for v in entry.values])
            elif entry.type == "date":
                _one_of(backend, [clingo.Function(pred, [system, clingo.Number(d)]) for d in date_values])
            elif entry.type in ("number", "integer"):
                _one_of(backend, [clingo.Function(pred, [system, n]) for n in number_values])


def _one_of(backend, symbols: list[clingo.Symbol], exactly: bool = False) -> None:
    atoms = [backend.add_atom(s) for s in symbols]
    backend.add_rule(atoms, choice=True)
    if exactly:
        backend.add_rule([], [-a for a in atoms])
    for i, first in enumerate(atoms):
        for second in atoms[i + 1:]:
            backend.add_rule([], [first, second])


def _thresholds(kb) -> tuple[list[int], list[clingo.Symbol]]:
    """Every ``@date("...")`` (as YYYYMMDD) and ``@number("...")`` (as a number term) in the rules."""
    dates, numbers = [], []
    for statement in kb.statements:
        for node in _walk(statement):
            if node.ast_type == ast.ASTType.Function and node.external and len(node.arguments) == 1:
                argument = node.arguments[0]
                if argument.ast_type != ast.ASTType.SymbolicTerm:
                    continue
                value = argument.symbol
                raw = value.string if value.type == clingo.SymbolType.String else str(value)
                try:
                    if node.name == "date":
                        dates.append(date_value(_dt.date.fromisoformat(raw)))
                    elif node.name == "number":
                        numbers.append(number_symbol(parse_number(raw)))
                except ValueError:
                    continue
            elif node.ast_type == ast.ASTType.SymbolicTerm and node.symbol.type == clingo.SymbolType.Number:
                number = node.symbol.number
                if 19000101 <= number <= 21001231 and _valid_date(number):
                    dates.append(number)
    if not dates:
        dates = [date_value(_dt.date.today())]
    return dates, numbers


def _valid_date(value: int) -> bool:
    try:
        _dt.date(value // 10000, value // 100 % 100, value % 100)
    except ValueError:
        return False
    return True


def _around(value: int) -> list[int]:
    day = _dt.date(value // 10000, value // 100 % 100, value % 100)
    return [date_value(day + _dt.timedelta(days=delta)) for delta in (-1, 0, 1)]


def _just_above(number: clingo.Symbol) -> clingo.Symbol:
    exponent, mantissa, _ = (a.number for a in number.arguments)
    return clingo.Tuple_([clingo.Number(exponent), clingo.Number(mantissa), clingo.Number(1)])


def _check_labels(kb, atoms: list[clingo.Symbol], show: _Display, report: LintReport) -> None:
    path = kb.directory / "conclusions.yaml"
    text = _lines(path)
    missing: dict[str, set[str]] = {}
    for atom in atoms:
        spec = kb.conclusions.get(atom.name)
        if spec is None:
            continue
        templates = " ".join(spec.template.values())
        for name, value in zip(spec.args, atom.arguments[1:]):
            if f"{{{name}_label}}" not in templates or value.type != clingo.SymbolType.Function or value.arguments:
                continue
            wording = kb.labels.get(value.name, {})
            lacking = [lang for lang in ("en", "nl") if not wording.get(lang)]
            if lacking:
                missing.setdefault(value.name, set()).add(f"{atom.name}.{name} ({'/'.join(lacking)})")
    line = _find_line(text, r"^labels:\s*$")
    for constant, where in sorted(missing.items()):
        report.add(show(path), line, None, WARNING,
                   f"`{constant}` can appear in {', '.join(sorted(where))} but has no wording under labels: (the report would show the bare constant)")


# ---------------------------------------------------------------------------------------------


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _find_line(lines: list[str], pattern: str) -> int | None:
    regex = re.compile(pattern)
    return next((n for n, line in enumerate(lines, start=1) if regex.search(line)), None)


def _first_line(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else text
    return first if len(first) <= 90 else first[:87] + "..."


def report_text(report: LintReport) -> str:
    """The lint report as lines ``file:line:col: severity: message`` and a count."""
    lines = [str(p) for p in report.problems]
    errors, warnings = len(report.errors), len(report.warnings)
    lines.append(f"{errors} error{'' if errors == 1 else 's'}, {warnings} warning{'' if warnings == 1 else 's'}")
    return "\n".join(lines) + "\n"
