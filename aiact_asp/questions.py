"""Open questions: which open facts of a system can still change its outcome, ranked.

An *outcome* of a system is one of its conclusions of ``kb/conclusions.yaml``: the risk
class, the conclusions, roles, obligations and the dates they apply from. Not outcomes of
their own: findings (remarks on the description), and alternative grounds of a result that
other outcomes already state: the grounds of "not an AI system" and "outside the scope" (the
risk class states them) and of the Article 6(3) derogation (stated by the absence of
high-risk under that Annex III point, the risk class and the obligations). Another ground
for the same result changes nothing for the user. With open facts some outcomes are
*undetermined*: possible (brave) but not certain (cautious).

An answer to an open fact (a bool true or false; an enum each of its values; a number or date
below or above every threshold of the rules; a list each open value in or out) can only
narrow this: it may *rule out* an undetermined outcome (no answer set has both) or *make it
certain* (no answer set has the answer without it). An open fact is an *open question* when
one of its answers decides at least one undetermined outcome; otherwise no answer changes the
risk class, a conclusion or an obligation, and it is not asked.

Both ways below are exact and enumerate no combinations: clingo computes brave and cautious
consequences (with a restart after each answer set, so that each one varies many open facts
at once). Systems are independent (every atom has the system id first), so one solver call
carries an assumption for every system at once.

* :func:`by_answer`, on the grounding of the run: for each answer, brave and cautious
  consequences under it (``solve(assumptions=...)``), compared with the current ones. Two
  calls per answer: the cost grows linearly with the number of open facts.
* :func:`by_outcome`, on a grounding in which every open input atom *p* has two shown twins,
  ``_open_true(p) :- p.`` and ``_open_false(p) :- not p.``: for each undetermined outcome *o*,
  the brave consequences under *o* and under not *o* say which answers go with it and which go
  without it. Two calls per undetermined outcome, whatever the number of open facts; chosen
  when that is fewer.

Ranking (most settling first):

1. ``risk_classes_at_least``: possible risk classes ruled out whatever the answer (the
   minimum over the answers);
2. ``settles_at_least``: undetermined outcomes decided whatever the answer (the minimum);
3. ``settles_in_total``: undetermined outcomes decided, summed over the answers;
4. the order of the catalogue.

Open facts that matter only together: an outcome can depend on an open fact although no
single answer to it changes what is certain or possible, e.g. "outside the scope" under
Art. 2(3) needs both exclusively military use and no law-enforcement use, and may also follow
from other grounds. Such a fact is an open question too, marked ``together`` and ranked after
the others, when it can change an undetermined outcome in combination with the other open
facts: there are two answer sets, alike except for this fact's answer, with different
undetermined outcomes (:func:`flip_relevant`, exact: a grounding of the system beside a twin
whose open facts equal its own except this one; one solver call per fact).

A list key is a set of yes/no questions, one per open value (is it among the values?); its
figures are those of its most settling value, and ``values`` names every value that matters.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import clingo
from clingo import Symbol, ast

from .facts import OpenFact
from .symbols import symbol_key

RISK_CLASS = "risk_class"
#: Shown atoms that are not outcomes (see the module documentation).
NOT_OUTCOMES = frozenset({"_fired", "finding", "not_ai_system", "out_of_scope", "annex_iii_derogation"})
#: Shown twins of an open input atom: it holds / it does not hold.
TRUE_TWIN, FALSE_TWIN = "_open_true", "_open_false"
SHOW_TWINS = f"#show {TRUE_TWIN}/1.\n#show {FALSE_TWIN}/1.\n"

Literal = tuple[Symbol, bool]
#: ``consequences(assumptions) -> (cautious, brave)`` over the shown atoms, ``None`` if unsatisfiable.
Consequences = Callable[[list[Literal]], "tuple[set[Symbol], set[Symbol]] | None"]
#: (fact index, part index, answer index) -> (outcomes ruled out, outcomes made certain)
Decided = dict[tuple[int, int, int], tuple[set[Symbol], set[Symbol]]]


@dataclass(frozen=True)
class AnswerEffect:
    """What one answer decides among the undetermined outcomes of its system.

    Attributes:
        value: the answer (see :class:`aiact_asp.facts.Answer`).
        rules_out: outcomes that are no longer possible with this answer.
        makes_certain: outcomes that become certain with this answer.
    """

    value: str
    rules_out: tuple[Symbol, ...] = ()
    makes_certain: tuple[Symbol, ...] = ()

    @property
    def settles(self) -> int:
        return len(self.rules_out) + len(self.makes_certain)

    @property
    def risk_classes_ruled_out(self) -> int:
        return sum(1 for atom in self.rules_out if atom.name == RISK_CLASS)


@dataclass
class OpenQuestion:
    """An open fact whose answer can change the outcome of its system.

    Attributes:
        key: the catalogue key.
        origin: ``"unknown"`` (written so) or ``"open_world"`` (left out).
        values: for a list key, the values whose answer matters (else empty).
        answers: per answer (of the most settling value of a list), what it decides.
        risk_classes_at_least, settles_at_least, settles_in_total: the ranking figures.
        order: position of the key in the catalogue (the last tie-breaker).
        together: no single answer decides anything, but the fact can change an undetermined
            outcome together with other open facts (:func:`flip_relevant`); then ``outcomes``
            lists outcomes it can change and ``answers`` is empty.
        follow_up: sections of stated facts this fact is a further condition of (in the body
            of a rule that fired), for the questionnaire's order (:func:`follow_up_hints`).
    """

    key: str
    origin: str
    values: list[str] = field(default_factory=list)
    answers: list[AnswerEffect] = field(default_factory=list)
    risk_classes_at_least: int = 0
    settles_at_least: int = 0
    settles_in_total: int = 0
    order: int = 0
    together: bool = False
    outcomes: list[Symbol] = field(default_factory=list)
    follow_up: list[str] = field(default_factory=list)

    @property
    def rank_key(self) -> tuple:
        """Sort key: most settling first, those that matter only together last (see the
        module documentation)."""
        return (self.together, -self.risk_classes_at_least, -self.settles_at_least, -self.settles_in_total, self.order)


def is_outcome(symbol: Symbol) -> bool:
    """Whether a shown atom is an outcome of a system (see the module documentation)."""
    return (symbol.name not in NOT_OUTCOMES and bool(symbol.arguments)
            and symbol.arguments[0].type == clingo.SymbolType.String)


def outcomes_by_system(symbols: Iterable[Symbol]) -> dict[str, set[Symbol]]:
    """system id -> its outcome atoms among ``symbols``."""
    out: dict[str, set[Symbol]] = defaultdict(set)
    for symbol in symbols:
        if is_outcome(symbol):
            out[symbol.arguments[0].string].add(symbol)
    return out


def undetermined_outcomes(certain: Iterable[Symbol], possible: Iterable[Symbol]) -> dict[str, set[Symbol]]:
    """system id -> outcome atoms that are possible but not certain."""
    certain = set(certain)
    return {system: atoms for system, atoms in outcomes_by_system(s for s in possible if s not in certain).items()}


def answer_count(open_facts: Iterable[OpenFact]) -> int:
    return sum(len(answers) for fact in open_facts for _, answers in fact.parts)


# --------------------------------------------------------------------------- by answer


def by_answer(consequences: Consequences, open_facts: list[OpenFact],
              undetermined: dict[str, set[Symbol]]) -> Decided:
    """What every answer decides: brave and cautious consequences under it (see the module
    documentation). Answer *i* of every system goes into the same calls."""
    jobs: dict[str, list[tuple[int, int, int, tuple[Literal, ...]]]] = defaultdict(list)
    for f, fact in enumerate(open_facts):
        if not undetermined.get(fact.system):
            continue
        for p, (_, answers) in enumerate(fact.parts):
            for a, answer in enumerate(answers):
                jobs[fact.system].append((f, p, a, answer.assumptions))
    decided: Decided = {}
    for i in range(max((len(j) for j in jobs.values()), default=0)):
        batch = {system: mine[i] for system, mine in jobs.items() if i < len(mine)}
        solved = consequences([literal for *_, literals in batch.values() for literal in literals])
        if solved is None:  # not expected (open atoms are free): one by one
            for system, job in batch.items():
                alone = consequences(list(job[3]))
                if alone is not None:
                    _decide(decided, job, undetermined[system], *alone)
            continue
        for system, job in batch.items():
            _decide(decided, job, undetermined[system], *solved)
    return decided


def _decide(decided: Decided, job: tuple, undetermined: set[Symbol], cautious: set[Symbol], brave: set[Symbol]) -> None:
    """``undetermined`` holds outcomes of one system: compared with all the atoms of ``cautious``
    and ``brave`` as with that system's outcomes among them (without sorting thousands of atoms out)."""
    f, p, a, _ = job
    decided[(f, p, a)] = (undetermined - brave, undetermined & cautious)


# --------------------------------------------------------------------------- by outcome


def add_twins(builder: ast.ProgramBuilder, open_facts: list[OpenFact]) -> None:
    """Add ``_open_true(p) :- p.`` and ``_open_false(p) :- not p.`` for every open input atom
    ``p`` (built from Symbols; show them with :data:`SHOW_TWINS` and nothing else)."""
    loc = ast.Location(ast.Position("<open>", 1, 1), ast.Position("<open>", 1, 1))

    def literal(symbol: Symbol, sign: int = ast.Sign.NoSign) -> ast.AST:
        return ast.Literal(loc, sign, ast.SymbolicAtom(ast.SymbolicTerm(loc, symbol)))

    seen: set[Symbol] = set()
    for fact in open_facts:
        for _, answers in fact.parts:
            for answer in answers:
                for atom, _ in answer.assumptions:
                    if atom not in seen:
                        seen.add(atom)
                        builder.add(ast.Rule(loc, literal(clingo.Function(TRUE_TWIN, [atom])), [literal(atom)]))
                        builder.add(ast.Rule(loc, literal(clingo.Function(FALSE_TWIN, [atom])), [literal(atom, ast.Sign.Negation)]))


def by_outcome(control: clingo.Control, open_facts: list[OpenFact], undetermined: dict[str, set[Symbol]]) -> Decided:
    """What every answer decides, from which answers go with and without each undetermined
    outcome (see the module documentation).

    Args:
        control: a grounding of the rules and the facts of the systems of ``open_facts``, with
            the twins of :func:`add_twins` as its only shown atoms; it is solved repeatedly.
    """
    atoms = control.symbolic_atoms
    twins: dict[str, dict[Literal, Any]] = defaultdict(dict)  # -> key of the twin atom
    for fact in open_facts:
        for _, answers in fact.parts:
            for answer in answers:
                for atom, truth in answer.assumptions:
                    twin = atoms[clingo.Function(TRUE_TWIN if truth else FALSE_TWIN, [atom])]
                    if twin is not None:
                        twins[fact.system][(atom, truth)] = symbol_key(twin.symbol)
    tasks: dict[str, list[Literal]] = {}
    for system in twins:
        outcomes = [o for o in sorted(undetermined.get(system, ())) if atoms[o] is not None]
        if outcomes:
            tasks[system] = [(o, polarity) for o in outcomes for polarity in (True, False)]
    # literals that never go with (polarity True) or without (False) an outcome
    never: dict[tuple[str, Literal], set[Literal]] = {}
    configure(control)
    control.configuration.solve.enum_mode = "brave"
    for i in range(max((len(t) for t in tasks.values()), default=0)):
        batch = {system: mine[i] for system, mine in tasks.items() if i < len(mine)}
        found = _possible(control, list(batch.values()), {system: twins[system] for system in batch})
        if found is None:  # not expected (systems are independent): one by one
            found = {}
            for system, task in batch.items():
                found.update(_possible(control, [task], {system: twins[system]}) or {})
        for system, task in batch.items():
            if system in found:
                never[(system, task)] = twins[system].keys() - found[system]
    where: dict[tuple[str, Literal], list[tuple[int, int, int]]] = defaultdict(list)
    decided: Decided = {}
    for f, fact in enumerate(open_facts):
        for p, (_, answers) in enumerate(fact.parts):
            for a, answer in enumerate(answers):
                decided[(f, p, a)] = (set(), set())
                for literal in answer.assumptions:
                    where[(fact.system, literal)].append((f, p, a))
    for (system, (outcome, polarity)), literals in never.items():
        for literal in literals:
            for index in where.get((system, literal), ()):
                decided[index][0 if polarity else 1].add(outcome)
    return decided


#: Solver threads for the consequences (brave or cautious: one set, whatever the order in which
#: the threads find answer sets, so the outcome does not depend on it).
THREADS = max(1, min(os.cpu_count() or 1, 4))


def configure(control: clingo.Control) -> None:
    """A restart after every answer set, without saved phases: when consequences are
    enumerated, each answer set then varies many open facts at once. With several cores the
    answer sets are searched by several threads (about half the answer sets per solver call
    and half the time on two cores)."""
    solver = control.configuration.solver
    solver.restart_on_model = "1"
    solver.save_progress = "0"
    if THREADS > 1:
        control.configuration.solve.parallel_mode = str(THREADS)


def _possible(control: clingo.Control, assumptions: list[Literal],
              twins: dict[str, dict[Literal, Any]]) -> dict[str, set[Literal]] | None:
    """Per system, the input literals possible under ``assumptions``; ``None`` if unsatisfiable.

    ``twins``: per system, input literal -> :func:`~aiact_asp.symbols.symbol_key` of its twin atom
    (the shown atoms of ``control``). The shown atoms are read once per answer set rather than
    asking clingo about each twin (thousands of calls)."""
    out: dict[str, set[Literal]] | None = None

    def on_last(model: clingo.Model) -> None:
        nonlocal out
        shown = {symbol_key(s) for s in model.symbols(shown=True)}
        out = {system: {literal for literal, twin in mine.items() if twin in shown} for system, mine in twins.items()}

    control.solve(assumptions=assumptions, on_last=on_last)
    return out


# --------------------------------------------------------------------------- together

#: Suffix of the twin of a system (``~`` cannot occur in a system id).
TWIN = "~twin"


def twin_of(symbol: Symbol) -> Symbol:
    """``p("s", X)`` -> ``p("s~twin", X)``."""
    return clingo.Function(symbol.name, [clingo.String(symbol.arguments[0].string + TWIN), *symbol.arguments[1:]])


def _switch(system: str, index: int) -> Symbol:
    return clingo.Function("_switch", [clingo.String(system), clingo.Number(index)])


def _differs(system: str) -> Symbol:
    return clingo.Function("_differs", [clingo.String(system)])


def add_flip_program(builder: ast.ProgramBuilder, open_facts: list[OpenFact], undetermined: dict[str, set[Symbol]]) -> None:
    """For a grounding of every system ``S`` and of its twin ``S~twin`` (the same facts): the
    open atoms of the twin equal those of ``S`` except for the fact whose ``_switch(S, I)`` is
    on (``I`` its index in ``open_facts``); ``_differs(S)`` holds when an undetermined outcome
    of ``S`` holds for one of the two and not for the other. Built from Symbols."""
    loc = ast.Location(ast.Position("<flip>", 1, 1), ast.Position("<flip>", 1, 1))

    def literal(symbol: Symbol, sign: int = ast.Sign.NoSign) -> ast.AST:
        return ast.Literal(loc, sign, ast.SymbolicAtom(ast.SymbolicTerm(loc, symbol)))

    def head(symbol: Symbol | None) -> ast.AST:
        if symbol is None:  # an integrity constraint
            return ast.Literal(loc, ast.Sign.NoSign, ast.BooleanConstant(False))
        return literal(symbol)

    not_ = ast.Sign.Negation
    systems = {f.system for f in open_facts}
    for system in systems:
        for outcome in undetermined.get(system, ()):
            builder.add(ast.Rule(loc, head(_differs(system)), [literal(outcome), literal(twin_of(outcome), not_)]))
            builder.add(ast.Rule(loc, head(_differs(system)), [literal(twin_of(outcome)), literal(outcome, not_)]))
    for index, fact in enumerate(open_facts):
        switch = _switch(fact.system, index)
        builder.add(ast.Rule(loc, ast.Aggregate(loc, None, [ast.ConditionalLiteral(loc, literal(switch), [])], None), []))
        atoms = {atom for _, answers in fact.parts for answer in answers for atom, _ in answer.assumptions}
        for atom in sorted(atoms):
            builder.add(ast.Rule(loc, head(None), [literal(atom), literal(twin_of(atom), not_), literal(switch, not_)]))
            builder.add(ast.Rule(loc, head(None), [literal(twin_of(atom)), literal(atom, not_), literal(switch, not_)]))


def flip_relevant(control: clingo.Control, open_facts: list[OpenFact], indices: list[int],
                  undetermined: dict[str, set[Symbol]]) -> dict[int, list[Symbol]]:
    """Which of the open facts ``indices`` can change an undetermined outcome together with
    other open facts: there are two answer sets, alike except for this fact's answer, with
    different undetermined outcomes. One call per fact; the ``i``-th fact of every system goes
    into the same call, and when that call is unsatisfiable its core names the system(s) whose
    fact changes nothing, which leave the call.

    Args:
        control: a grounding of the systems, their twins and :func:`add_flip_program`.

    Returns:
        fact index -> the outcomes that differ in the two answer sets found.
    """
    atoms = control.symbolic_atoms

    def lit(symbol: Symbol) -> int | None:
        found = atoms[symbol]
        return found.literal if found is not None else None

    switches: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for index, fact in enumerate(open_facts):
        literal = lit(_switch(fact.system, index))
        if literal is not None:
            switches[fact.system].append((index, literal))
    queue: dict[str, list[int]] = defaultdict(list)
    for index in indices:
        if any(i == index for i, _ in switches.get(open_facts[index].system, ())):
            queue[open_facts[index].system].append(index)
    differs = {system: lit(_differs(system)) for system in queue}
    pairs = {system: [(o, lit(o), lit(twin_of(o))) for o in sorted(undetermined.get(system, ()))] for system in queue}
    all_off = [-literal for mine in switches.values() for _, literal in mine]
    control.configuration.solve.enum_mode = "auto"
    control.configuration.solve.models = "1"
    out: dict[int, list[Symbol]] = {}
    for i in range(max((len(q) for q in queue.values()), default=0)):
        batch = {system: mine[i] for system, mine in queue.items() if i < len(mine) and differs.get(system) is not None}
        while batch:
            on = {dict(switches[s])[index]: s for s, index in batch.items()}
            owner = {**on, **{differs[s]: s for s in batch}}
            assumptions = [literal for literal in all_off if -literal not in on] + list(on) + [differs[s] for s in batch]
            witness: dict[str, list[Symbol]] = {}
            cores: list[list[int]] = []

            def on_model(model: clingo.Model) -> None:
                for system in batch:
                    witness[system] = [o for o, a, b in pairs[system]
                                       if a is not None and b is not None and model.is_true(a) != model.is_true(b)]

            control.solve(assumptions=assumptions, on_model=on_model, on_core=lambda core: cores.append(list(core)))
            if witness:
                for system, index in batch.items():
                    out[index] = witness.get(system, [])
                break
            named = {owner[abs(l)] for core in cores for l in core if abs(l) in owner}
            if len(batch) == 1 or len(named) == 1:
                batch.pop(next(iter(named or batch)))  # its fact changes nothing
                continue
            for system in list(batch):  # not expected: the core did not name one system; one by one
                index = batch.pop(system)
                alone = {system: index}
                found: list[list[Symbol]] = []
                literal = dict(switches[system])[index]
                control.solve(assumptions=[l for l in all_off if l != -literal] + [literal, differs[system]],
                              on_model=lambda m, s=system: found.append(
                                  [o for o, a, b in pairs[s] if a is not None and b is not None and m.is_true(a) != m.is_true(b)]))
                if found:
                    out[index] = found[0]
                del alone
    return out


def follow_up_hints(derivations: dict, stated: set[Symbol], atoms: dict[Symbol, OpenFact],
                    section_of: Callable[[Symbol], str | None]) -> dict[str, set[str]]:
    """Open fact key -> sections of the stated facts it appears with in the body of a rule that
    fired in some answer set (a further condition of the same legal test: e.g. "not used for
    law enforcement" beside "used exclusively for military purposes", Art. 2(3))."""
    hints: dict[str, set[str]] = defaultdict(set)
    for firings in derivations.values():
        for firing in firings:
            body = (*firing.used, *firing.absent)
            opened = [atoms[a].key for a in body if a in atoms]
            if not opened:
                continue
            sections = {section_of(a) for a in firing.used if a in stated} - {None}
            for key in opened:
                hints[key] |= sections
    return hints


# --------------------------------------------------------------------------- ranking


def rank(open_facts: list[OpenFact], decided: Decided, order: dict[str, int]) -> dict[str, list[OpenQuestion]]:
    """The open questions per system, most settling first (see the module documentation)."""
    out: dict[str, list[OpenQuestion]] = {}
    for f, fact in enumerate(open_facts):
        best: OpenQuestion | None = None
        values: list[str] = []
        for p, (value, answers) in enumerate(fact.parts):
            effects = []
            for a, answer in enumerate(answers):
                rules_out, makes_certain = decided.get((f, p, a), ((), ()))
                effects.append(AnswerEffect(answer.value, tuple(sorted(rules_out)), tuple(sorted(makes_certain))))
            if not any(e.settles for e in effects):
                continue
            if value is not None:
                values.append(value)
            candidate = OpenQuestion(
                fact.key, fact.origin, answers=effects,
                risk_classes_at_least=min(e.risk_classes_ruled_out for e in effects),
                settles_at_least=min(e.settles for e in effects),
                settles_in_total=sum(e.settles for e in effects),
                order=order.get(fact.key, 0),
            )
            if best is None or candidate.rank_key < best.rank_key:
                best = candidate
        if best is not None:
            best.values = values
            out.setdefault(fact.system, []).append(best)
    for questions in out.values():
        questions.sort(key=lambda q: q.rank_key)
    return out
