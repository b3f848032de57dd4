"""Why the rules have no answer set for some input: the systems that cause it, and the
integrity constraints they violate, in words.

The knowledge base must report contradictory input as a *finding* (``finding(S, code)``), never
as an integrity constraint (``:- ...``) or another rule without a model. When it does not,
the engine finds no answer set, and "UNSATISFIABLE" alone would tell the lawyer nothing. This
module, used only after such a failure, works out:

1. which systems have no answer set: every system's input atoms are put under an assumption
   ``_sel("id")``, the program is grounded once, and each system is solved on its own;
2. for each such system, which integrity constraints it violates: every constraint
   ``:- Body.`` is relaxed to ``_violated(I, (positive atoms), (negated atoms)) :- Body.`` and the
   number of violations is minimised, so that the remaining ones are unavoidable; the
   violated instance names the constraint's file, line, legal source and text, and the facts
   involved (an unknown fact shows the answer that was assumed);
3. when no constraint is violated, a rule that depends on its own negation (``p :- not p.``)
   is looked for, and otherwise the system is named with a general explanation.

Every problem becomes an :class:`~aiact_asp.errors.InputError` naming the ``.lp`` file and
line; nothing here raises (a failure falls back to a plain message).
"""

from __future__ import annotations

import datetime as _dt
import inspect
from pathlib import Path

import clingo
from clingo import ast

from .context import GroundingContext
from .errors import InputError
from .facts import FactSet, build_facts
from .kb import KnowledgeBase, Rule
from .loader import Description
from .vocabulary import Vocabulary

VIOLATED = "_violated"
SELECT = "_sel"
#: At most this many violated constraint instances are reported per system.
MAX_REPORTED = 5


def explain_unsatisfiable(descriptions: list[Description], kb: KnowledgeBase, vocabulary: Vocabulary,
                          as_of: _dt.date, open_world: str | None = None) -> list[InputError]:
    """One error per violated constraint (or per system without an answer set); never raises."""
    try:
        return _explain(descriptions, kb, vocabulary, as_of, open_world)
    except Exception as exc:  # noqa: BLE001 — the diagnosis must not hide the original problem
        return [InputError("kb", None, None, "the rules have no answer set for this input (a rule of the knowledge base "
                           f"acts as a contradiction); finding the cause failed: {type(exc).__name__}: {exc}")]


def _explain(descriptions: list[Description], kb: KnowledgeBase, vocabulary: Vocabulary,
             as_of: _dt.date, open_world: str | None) -> list[InputError]:
    facts = _build(descriptions, vocabulary, as_of, open_world)
    culprits = _culprits(descriptions, kb, facts)
    if culprits is None:  # no single system: they contradict each other together
        ids = ", ".join(f"`{d.id}`" for d in descriptions)
        return [InputError("kb", None, None, f"the rules have no answer set for the systems {ids} together, "
                           "although each has one alone; a rule of the knowledge base relates different systems")]
    relaxed = _relaxed_control(kb, facts)
    errors: list[InputError] = []
    for desc in culprits:
        violations = _violations(relaxed, desc.id, facts)
        if violations is None or not violations:
            errors.append(_no_constraint_error(desc, kb))
            continue
        for rule, positive, negative in violations[:MAX_REPORTED]:
            errors.append(_violation_error(desc, kb, vocabulary, rule, positive, negative, facts))
        if len(violations) > MAX_REPORTED:
            errors.append(InputError("kb", None, None, f"... and {len(violations) - MAX_REPORTED} more violated constraints for `{desc.id}`"))
    return errors


def _build(descriptions: list[Description], vocabulary: Vocabulary, as_of: _dt.date, open_world: str | None) -> FactSet:
    if "open_world" in inspect.signature(build_facts).parameters:
        return build_facts(descriptions, vocabulary, as_of, open_world=open_world)
    return build_facts(descriptions, vocabulary, as_of)


def _system_of(symbol: clingo.Symbol) -> str | None:
    if symbol.type == clingo.SymbolType.Function and symbol.arguments and symbol.arguments[0].type == clingo.SymbolType.String:
        return symbol.arguments[0].string
    return None


def _add_guarded_facts(control: clingo.Control, facts: FactSet) -> dict[str, int]:
    """The engine's input atoms, each under the assumption ``_sel(system)``; returns the
    program literal of ``_sel`` per system id."""
    selectors: dict[str, int] = {}
    with control.backend() as backend:

        def guard(symbol: clingo.Symbol) -> list[int]:
            system = _system_of(symbol)
            if system is None:
                return []
            if system not in selectors:
                literal = backend.add_atom(clingo.Function(SELECT, [clingo.String(system)]))
                backend.add_rule([literal], choice=True)
                selectors[system] = literal
            return [selectors[system]]

        for symbol in facts.facts:
            backend.add_rule([backend.add_atom(symbol)], guard(symbol))
        for symbol in facts.choices:
            backend.add_rule([backend.add_atom(symbol)], guard(symbol), choice=True)
        for group in facts.exactly_one:
            body = guard(group[0])
            atoms = [backend.add_atom(s) for s in group]
            backend.add_rule(atoms, body, choice=True)
            backend.add_rule([], body + [-a for a in atoms])  # at least one
            for i, first in enumerate(atoms):
                for second in atoms[i + 1:]:
                    backend.add_rule([], [first, second])  # at most one
    return selectors


def _assumptions(selectors: dict[str, int], system: str) -> list[int]:
    return [literal if name == system else -literal for name, literal in selectors.items()]


def _culprits(descriptions: list[Description], kb: KnowledgeBase, facts: FactSet) -> list[Description] | None:
    """The systems without an answer set when solved alone (``None``: every system has one)."""
    control = clingo.Control(["--warn=none"])
    selectors = _add_guarded_facts(control, facts)
    kb.add_to(control)
    control.ground([("base", [])], context=GroundingContext())
    out = [d for d in descriptions if d.id in selectors
           and control.solve(assumptions=_assumptions(selectors, d.id)).unsatisfiable]
    return out or None


def _is_constraint(statement: ast.AST) -> bool:
    head = getattr(statement, "head", None)
    return (statement.ast_type == ast.ASTType.Rule and head.ast_type == ast.ASTType.Literal
            and head.atom.ast_type == ast.ASTType.BooleanConstant and not head.atom.value)


class _NameAnonymous(ast.Transformer):
    def __init__(self) -> None:
        self.count = 0

    def visit_Variable(self, node: ast.AST) -> ast.AST:  # noqa: N802 (clingo's visitor naming)
        if node.name == "_":
            self.count += 1
            return node.update(name=f"Anonymous{self.count}")
        return node


def _relax(statement: ast.AST, index: int) -> ast.AST:
    """``:- Body.`` -> ``_violated(index, (positive atoms), (negated atoms)) :- Body.``"""
    statement = _NameAnonymous()(statement)
    loc = statement.location
    positive, negative = [], []
    for literal in statement.body:
        if literal.ast_type != ast.ASTType.Literal or literal.atom.ast_type != ast.ASTType.SymbolicAtom:
            continue
        (positive if literal.sign == ast.Sign.NoSign else negative).append(literal.atom.symbol)
    head = ast.Function(loc, VIOLATED, [ast.SymbolicTerm(loc, clingo.Number(index)), ast.Function(loc, "", positive, 0),
                                        ast.Function(loc, "", negative, 0)], 0)
    return ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(head)), statement.body)


def _rule_at(kb: KnowledgeBase) -> dict[tuple[str, int], Rule]:
    out = {}
    for rule in kb.rules:
        out[(str((kb.directory / rule.file).resolve()), rule.line)] = rule
    return out


def _relaxed_control(kb: KnowledgeBase, facts: FactSet) -> tuple[clingo.Control, dict[str, int], list[Rule]]:
    """A control with every integrity constraint of ``kb`` relaxed and their violations minimised."""
    rules = _rule_at(kb)
    relaxed: list[Rule] = []
    control = clingo.Control(["--warn=none", "--opt-mode=opt"])
    selectors = _add_guarded_facts(control, facts)
    with ast.ProgramBuilder(control) as builder:
        for statement in kb.statements:
            if _is_constraint(statement):
                begin = statement.location.begin
                rule = rules.get((str(Path(begin.filename).resolve()), begin.line))
                if rule is None:
                    rule = Rule(-1, f"{Path(begin.filename).stem}:{begin.line}", Path(begin.filename).name, begin.line, "", (), None,
                                str(statement))
                relaxed.append(rule)
                statement = _relax(statement, len(relaxed) - 1)
            builder.add(statement)
        ast.parse_string(f"#minimize {{ 1,I,P,N : {VIOLATED}(I,P,N) }}.", builder.add)
    control.ground([("base", [])], context=GroundingContext())
    return control, selectors, relaxed


def _violations(relaxed: tuple[clingo.Control, dict[str, int], list[Rule]], system: str,
                facts: FactSet) -> list[tuple[Rule, tuple[clingo.Symbol, ...], tuple[clingo.Symbol, ...]]] | None:
    """The constraint instances violated in an optimal answer set of ``system`` alone
    (``None``: even with every constraint relaxed there is no answer set)."""
    control, selectors, rules = relaxed
    if system not in selectors:
        return None
    best: list[clingo.Symbol] | None = None

    def on_model(model: clingo.Model) -> None:
        nonlocal best
        best = [s for s in model.symbols(atoms=True) if s.name == VIOLATED]

    result = control.solve(assumptions=_assumptions(selectors, system), on_model=on_model)
    if result.unsatisfiable or best is None:
        return None
    out = []
    for symbol in sorted(best):
        index, positive, negative = symbol.arguments
        out.append((rules[index.number], tuple(positive.arguments), tuple(negative.arguments)))
    return out


def _violation_error(desc: Description, kb: KnowledgeBase, vocabulary: Vocabulary, rule: Rule,
                     positive: tuple[clingo.Symbol, ...], negative: tuple[clingo.Symbol, ...], facts: FactSet) -> InputError:
    from .report import Wording

    wording = Wording(kb, vocabulary, "en")
    open_atoms = set(facts.choices) | {s for group in facts.exactly_one for s in group}
    used = [wording.fact(a) + (" (assumed for an unknown fact)" if a in open_atoms else "")
            for a in positive if a.name != "system"]
    absent = [wording.fact(a) for a in negative]
    sources = f" [{'; '.join(rule.sources)}]" if rule.sources else ""
    text = " ".join(rule.text.split())
    message = (f"the rules have no answer set for system `{desc.id}` ({desc.file}:{desc.line}): it violates the integrity "
               f"constraint `{text}`{sources}")
    if used:
        message += f"; facts involved: {', '.join(used)}"
    if absent:
        message += f"; and not: {', '.join(absent)}"
    message += ". Contradictory input must be reported as a finding (finding(S, code)), not as a constraint"
    return InputError(rule.file, rule.line, None, message)


def _no_constraint_error(desc: Description, kb: KnowledgeBase) -> InputError:
    loops = _direct_odd_loops(kb)
    where = f"system `{desc.id}` ({desc.file}:{desc.line})"
    if loops:
        rule = loops[0]
        return InputError(rule.file, rule.line, None, f"the rules have no answer set for {where}: no integrity constraint is "
                          f"violated, but this rule depends on the negation of its own conclusion: `{' '.join(rule.text.split())}`")
    return InputError("kb", None, None, f"the rules have no answer set for {where}: no integrity constraint is violated; "
                      "some rules depend on the negation of their own conclusions (a cycle through `not`)")


def _direct_odd_loops(kb: KnowledgeBase) -> list[Rule]:
    """Rules whose head predicate occurs negated in their own body (``p(S) :- ..., not p(S).``)."""
    rules = _rule_at(kb)
    out: list[Rule] = []
    for statement in kb.statements:
        if statement.ast_type != ast.ASTType.Rule or _is_constraint(statement):
            continue
        head = statement.head
        if head.ast_type != ast.ASTType.Literal or head.atom.ast_type != ast.ASTType.SymbolicAtom:
            continue
        name = getattr(head.atom.symbol, "name", None)
        for literal in statement.body:
            if (literal.ast_type == ast.ASTType.Literal and literal.sign != ast.Sign.NoSign
                    and literal.atom.ast_type == ast.ASTType.SymbolicAtom and getattr(literal.atom.symbol, "name", None) == name):
                begin = statement.location.begin
                rule = rules.get((str(Path(begin.filename).resolve()), begin.line))
                if rule is not None and rule not in out:
                    out.append(rule)
    return out


def is_external_call_error(exc: BaseException) -> bool:
    """Whether ``exc`` was raised by an ``@function`` of the knowledge base during grounding
    (a malformed ``@date("2026-02-30")``, an unknown ``@name``), not by the tool itself."""
    if isinstance(exc, AttributeError) and "GroundingContext" in str(exc):
        return True
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == inspect.getfile(GroundingContext):
            return True
        tb = tb.tb_next
    return False


def external_call_errors(exc: BaseException, kb: KnowledgeBase) -> list[InputError]:
    """The rules whose ``@function(...)`` call fails, with file and line (for :func:`is_external_call_error`)."""
    import re

    call = re.compile(r"@(\w+)\s*\(([^()]*)\)")
    context = GroundingContext()
    out: list[InputError] = []
    for rule in kb.rules:
        for match in call.finditer(rule.text):
            name, raw = match.group(1), match.group(2)
            function = getattr(context, name, None)
            if function is None:
                out.append(InputError(rule.file, rule.line, None, f"the function @{name} does not exist "
                                      f"(the knowledge base may call: @date, @number): {match.group(0)}"))
                continue
            try:
                args = [clingo.parse_term(a) for a in raw.split(",")] if raw.strip() else []
                if all(a.type in (clingo.SymbolType.String, clingo.SymbolType.Number) for a in args):
                    function(*args)
            except (RuntimeError, ValueError, TypeError) as error:
                out.append(InputError(rule.file, rule.line, None, f"{match.group(0)} fails: {error}"))
    if not out:
        out.append(InputError("kb", None, None, f"a @function call of the knowledge base failed while grounding: "
                              f"{type(exc).__name__}: {exc}"))
    return list(dict.fromkeys(out))
