"""``aiact-asp test --mutate``: which conditions of the rules do the cases not pin down?

For every rule of the selected files and every condition of its body, two *mutants* of the
knowledge base are made through clingo's AST: one without the condition (``drop``) and one with
the condition reversed (``negate``: ``a`` becomes ``not a``, ``not a`` becomes ``a``, ``X < Y``
becomes ``not X < Y``). Each mutant is solved with all cases in one grounding and the outcome
compared with the cases' expectations. A mutant that no case notices — every case passes or fails
exactly as before — *survives*: that condition could be removed or reversed without any case
telling, so a case that pins it (the element present, and the element missing) is missing.

Mutants that would make the rule unsafe (a variable no longer bound by a positive condition) are
skipped. Mutants run in parallel worker processes (``jobs``).
"""

from __future__ import annotations

import datetime as _dt
import inspect
import multiprocessing
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from clingo import ast

from .cases import PreparedCases, compare, prepare
from .engine import solve
from .errors import KnowledgeBaseError
from .kb import KnowledgeBase, assemble_kb, default_kb_dir, read_kb_file

DEFAULT_FILES = ("art5.lp", "annex_iii.lp", "art50.lp")
#: ``%@ mutation: drop <predicate> — <reason>`` above a rule: the author holds that dropping (or
#: ``negate``: reversing) that condition can change no outcome, for the reason given. Such a
#: mutant is still run; unnoticed it is listed as declared, noticed it is reported as a wrong
#: declaration (docs/guide-rule-authors.md).
DECLARED = re.compile(r"^\s*%@\s*mutation\s*:\s*(?P<operator>drop|negate)\s+(?P<predicate>[a-z_][A-Za-z0-9_']*)\s*(?:—|--|-|:)\s*(?P<reason>\S.*?)\s*$")
OPERATORS = ("drop", "negate")


@dataclass(frozen=True)
class Mutant:
    """One changed condition: ``operator`` (drop/negate) applied to ``condition`` of the rule at
    ``file:line`` (the condition itself at ``cond_line:cond_col``)."""

    number: int
    file: str
    line: int
    cond_line: int
    cond_col: int
    condition: str
    operator: str
    rule_text: str
    position: int  # index in KnowledgeBase.statements of the rule replaced
    #: why the rule's author holds that no input can notice this mutant (``%@ mutation:``), if so
    declared: str | None = None


@dataclass(frozen=True)
class MutantOutcome:
    mutant: Mutant
    killed: bool
    by: tuple[str, ...] = ()       # the cases that noticed (up to three)
    error: str | None = None        # the mutant could not be solved (counts as noticed)


@dataclass
class MutationReport:
    outcomes: list[MutantOutcome]
    skipped: list[tuple[Mutant, str]]
    files: list[str]
    cases: int
    seconds: float

    @property
    def survivors(self) -> list[MutantOutcome]:
        """Mutants no case notices, except those declared equivalent."""
        return [o for o in self.outcomes if not o.killed and not o.mutant.declared]

    @property
    def declared(self) -> list[MutantOutcome]:
        """Mutants declared equivalent (``%@ mutation:``) that indeed no case notices."""
        return [o for o in self.outcomes if not o.killed and o.mutant.declared]

    @property
    def wrongly_declared(self) -> list[MutantOutcome]:
        """Mutants declared equivalent that a case does notice: the declaration is wrong."""
        return [o for o in self.outcomes if o.killed and o.mutant.declared]


# Worker state: set before the pool forks, so that workers inherit the parsed AST.
_STATE: dict = {}


def mutation_run(paths: Iterable[str | Path], kb_dir: Path | None = None, files: Iterable[str] = DEFAULT_FILES,
                 as_of: _dt.date | None = None, operators: Iterable[str] = OPERATORS, jobs: int | None = None) -> MutationReport:
    """Mutate each condition of the rules in ``files`` (names relative to the knowledge base) and
    report which mutants no case notices.

    Raises:
        KnowledgeBaseError: the knowledge base cannot be read, or a case cannot be solved unmutated.
        ValueError: a file of ``files`` is not in the knowledge base.
    """
    start = time.perf_counter()
    kb_dir = (Path(kb_dir) if kb_dir else default_kb_dir()).resolve()
    as_of = as_of or _dt.date.today()
    parsed, errors = [], []
    for path in sorted(kb_dir.rglob("*.lp")):
        statements, text, file_errors = read_kb_file(path, str(path.relative_to(kb_dir)))
        errors += file_errors
        parsed.append((path, statements, text))
    if errors:
        raise KnowledgeBaseError(errors)
    wanted = [str(Path(f).relative_to(kb_dir.name)) if Path(f).parts[:1] == (kb_dir.name,) and not (kb_dir / f).is_file()
              else str(Path(f)) for f in files]
    known = {str(p.relative_to(kb_dir)) for p, _, _ in parsed}
    for name in wanted:
        if name not in known:
            raise ValueError(f"{name} is not a file of the knowledge base {kb_dir} (files: {', '.join(sorted(known))})")
    base = assemble_kb(kb_dir, parsed, instrument=False)
    prepared = prepare(paths, base)
    checked = {k: v for k, v in prepared.expectations.items() if v is not None}
    mutants, skipped = _mutants(base, parsed, kb_dir, wanted, tuple(operators))
    _STATE.update(base=base, prepared=prepared, checked=checked, as_of=as_of)
    _STATE["baseline"] = _signature(base)
    outcomes: list[MutantOutcome] = []
    jobs = max(1, jobs or os.cpu_count() or 1)
    if jobs == 1 or len(mutants) < 8:
        outcomes = [_run(m) for m in mutants]
    else:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            outcomes = list(pool.map(_run, mutants, chunksize=max(1, len(mutants) // (jobs * 8))))
    _STATE.clear()
    return MutationReport(outcomes, skipped, wanted, len(checked), time.perf_counter() - start)


def _signature(kb: KnowledgeBase) -> dict[str, tuple]:
    """Per checked case: the differences from its expectation (``()`` when it passes)."""
    prepared: PreparedCases = _STATE["prepared"]
    options = {"questions": False} if "questions" in inspect.signature(solve).parameters else {}
    results = solve(prepared.descriptions, kb, prepared.vocabulary, _STATE["as_of"], **options) if prepared.descriptions else []
    out = {}
    for result in results:
        expectation = _STATE["checked"].get(result.id)
        if expectation is not None:
            out[result.id] = tuple(sorted(d.key for d in compare(expectation, result)))
    return out


def _run(mutant: Mutant) -> MutantOutcome:
    base: KnowledgeBase = _STATE["base"]
    statements = list(base.statements)
    statements[mutant.position] = _build(base.statements[mutant.position], mutant)
    try:
        signature = _signature(replace(base, parsed=statements, program=None))
    except KnowledgeBaseError as exc:
        return MutantOutcome(mutant, True, error=str(exc).splitlines()[0] if str(exc) else "cannot be solved")
    baseline = _STATE["baseline"]
    noticed = tuple(case for case, value in signature.items() if value != baseline.get(case))
    return MutantOutcome(mutant, bool(noticed), noticed[:3])


def _build(rule: ast.AST, mutant: Mutant) -> ast.AST:
    """The rule with the mutant's change; a system variable (``S``) left unbound by the change is
    bound again by ``system(S)``, so that the rule stays safe and means "for every system"."""
    body = list(rule.body)
    index = next(i for i, lit in enumerate(body) if _place(lit) == (mutant.cond_line, mutant.cond_col) and str(lit) == mutant.condition)
    literal = body[index]
    if mutant.operator == "drop":
        del body[index]
    else:
        body[index] = _negated(literal)
    changed = rule.update(body=body)
    systems = _unsafe(changed) & _system_variables(rule)
    if systems:
        location = literal.location
        for name in sorted(systems):
            atom = ast.SymbolicAtom(ast.Function(location, "system", [ast.Variable(location, name)], 0))
            body.append(ast.Literal(location, ast.Sign.NoSign, atom))
        changed = rule.update(body=body)
    return changed


def _system_variables(rule: ast.AST) -> set[str]:
    """Variables in the first argument (the system id) of an atom of ``rule``."""
    out = set()
    for literal in [rule.head, *rule.body]:
        atom = getattr(literal, "atom", None)
        symbol = getattr(atom, "symbol", None) if atom is not None and atom.ast_type == ast.ASTType.SymbolicAtom else None
        if symbol is not None and symbol.ast_type == ast.ASTType.Function and symbol.arguments:
            first = symbol.arguments[0]
            if first.ast_type == ast.ASTType.Variable and first.name != "_":
                out.add(first.name)
    return out


def _place(literal: ast.AST) -> tuple[int, int]:
    return literal.location.begin.line, literal.location.begin.column


def _negated(literal: ast.AST) -> ast.AST:
    sign = ast.Sign.Negation if literal.sign == ast.Sign.NoSign else ast.Sign.NoSign
    return literal.update(sign=sign)


def _mutants(base: KnowledgeBase, parsed, kb_dir: Path, wanted: list[str], operators: tuple[str, ...]) -> tuple[list[Mutant], list[tuple[Mutant, str]]]:
    positions = {id(statement): i for i, statement in enumerate(base.statements)}
    mutants: list[Mutant] = []
    skipped: list[tuple[Mutant, str]] = []
    for path, statements, text in parsed:
        relative = str(path.relative_to(kb_dir))
        if relative not in wanted:
            continue
        lines = text.splitlines()
        notes = [(number, match) for number, line in enumerate(lines, start=1) if (match := DECLARED.match(line))]
        previous_end = 0
        for statement in statements:
            if statement.ast_type == ast.ASTType.Comment:
                continue
            begin, end = statement.location.begin.line, statement.location.end.line
            above, previous_end = [m for n, m in notes if previous_end < n < begin], max(previous_end, end)
            if statement.ast_type != ast.ASTType.Rule or not statement.body or id(statement) not in positions:
                continue
            rule_text = "\n".join(lines[begin - 1:end]).strip()
            for literal in statement.body:
                if literal.ast_type != ast.ASTType.Literal or literal.sign == ast.Sign.DoubleNegation:
                    continue
                name = getattr(literal.atom.symbol, "name", None) if literal.atom.ast_type == ast.ASTType.SymbolicAtom else None
                for operator in operators:
                    declared = next((m.group("reason") for m in above if m.group("operator") == operator
                                     and m.group("predicate") == name), None)
                    mutant = Mutant(len(mutants) + len(skipped), relative, begin, *_place(literal), str(literal), operator,
                                    rule_text, positions[id(statement)], declared)
                    changed = _build(statement, mutant)
                    unsafe = _unsafe(changed)
                    if unsafe:
                        skipped.append((mutant, f"unsafe: {', '.join(sorted(unsafe))} no longer bound"))
                    else:
                        mutants.append(mutant)
    return mutants, skipped


def _variables(node: ast.AST) -> set[str]:
    out = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if item.ast_type == ast.ASTType.Variable:
            if item.name != "_":
                out.add(item.name)
            continue
        for key in item.child_keys:
            child = getattr(item, key)
            if isinstance(child, ast.AST):
                stack.append(child)
            elif child is not None and not isinstance(child, str) and hasattr(child, "__iter__"):
                stack.extend(c for c in child if isinstance(c, ast.AST))
    return out


def _unsafe(rule: ast.AST) -> set[str]:
    """Variables of ``rule`` that no positive condition binds (clingo would refuse the rule)."""
    bound: set[str] = set()
    others: list[ast.AST] = [rule.head]
    equalities: list[ast.AST] = []
    for literal in rule.body:
        if literal.ast_type == ast.ASTType.Literal and literal.sign == ast.Sign.NoSign:
            if literal.atom.ast_type == ast.ASTType.SymbolicAtom:
                bound |= _variables(literal.atom)
                continue
            if literal.atom.ast_type == ast.ASTType.Comparison:
                equalities.append(literal.atom)
        others.append(literal)
    changed = True
    while changed:  # X = term binds X once the term's variables are bound
        changed = False
        for comparison in equalities:
            guards = list(comparison.guards)
            if len(guards) != 1 or guards[0].comparison != ast.ComparisonOperator.Equal:
                continue
            for left, right in ((comparison.term, guards[0].term), (guards[0].term, comparison.term)):
                if left.ast_type == ast.ASTType.Variable and left.name not in bound and _variables(right) <= bound:
                    bound.add(left.name)
                    changed = True
    needed: set[str] = set()
    for node in others:
        needed |= _variables(node)
    return needed - bound


def _count(n: int, noun: str) -> str:
    """``1 rule``, ``2 rules``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def report_text(report: MutationReport) -> str:
    """Survivors grouped by rule, one line per condition (what no case notices), and a summary."""
    out: list[str] = []
    by_rule: dict[tuple[str, int], dict[tuple[int, int, str], list[str]]] = {}
    texts: dict[tuple[str, int], str] = {}
    for outcome in report.survivors:
        m = outcome.mutant
        texts[(m.file, m.line)] = m.rule_text
        by_rule.setdefault((m.file, m.line), {}).setdefault((m.cond_line, m.cond_col, m.condition), []).append(m.operator)
    untested = 0
    for (file, line), conditions in sorted(by_rule.items()):
        lines = texts[(file, line)].splitlines()
        out.append(f"kb/{file}:{line}: {lines[0].strip()}{' ...' if len(lines) > 1 else ''}")
        for (cond_line, cond_col, condition), operators in sorted(conditions.items()):
            if set(operators) >= set(OPERATORS):
                untested += 1
                what = "dropping it or reversing it"
            else:
                what = "dropping it" if operators == ["drop"] else "reversing it"
            out.append(f"  kb/{file}:{cond_line}:{cond_col}: `{condition}` — no case notices {what}")
    if out:
        out.insert(0, "Survivors — conditions no case pins down (add a case in which the condition decides the outcome):")
        out.append("")
    if report.wrongly_declared:
        out.append("Declared equivalent (%@ mutation:) but a case notices the change — the declaration is wrong, remove it:")
        for outcome in report.wrongly_declared:
            m = outcome.mutant
            out.append(f"  kb/{m.file}:{m.cond_line}:{m.cond_col}: {m.operator} `{m.condition}` — noticed by "
                       f"{', '.join(outcome.by) or 'an error'}")
        out.append("")
    if report.declared:
        out.append("Declared equivalent by the rule's author (%@ mutation:), and no case notices them:")
        for outcome in report.declared:
            m = outcome.mutant
            out.append(f"  kb/{m.file}:{m.cond_line}:{m.cond_col}: {m.operator} `{m.condition}` — {m.declared}")
        out.append("")
    killed = sum(1 for o in report.outcomes if o.killed)
    total = len(report.outcomes)
    conditions = sum(len(c) for c in by_rule.values())
    declared = f", {len(report.declared)} declared equivalent" if report.declared else ""
    out.append(f"mutation: {_count(total, 'mutant')} of {', '.join('kb/' + f for f in report.files)} against "
               f"{_count(report.cases, 'case')}: {killed} noticed, {len(report.survivors)} survived{declared} "
               f"({_count(conditions, 'condition')} in {_count(len(by_rule), 'rule')}; "
               f"{untested} of them neither dropping nor reversing is noticed)"
               + (f"; {len(report.skipped)} skipped (would make the rule unsafe)" if report.skipped else "")
               + f" ({report.seconds:.0f} s)")
    return "\n".join(out) + "\n"
