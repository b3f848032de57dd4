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
* :func:`by_cone`, the same figures by outcome, quicker, when the rules are a function of the
  open inputs (:func:`input_cones`: stratified, without constraints across inputs; the shipped
  rules are): one system at a time, only the answers in the *cone* of an outcome (the inputs
  its rules reach) can decide it, and one answer set found under one outcome shows, for every
  outcome, answers that go with it or without it. For each outcome and polarity, solver calls
  for one answer set each with answers not yet seen with it (a domain heuristic prefers all of
  them), until unsatisfiable: the answers left never go with it. A freshly imported register
  entry (every legal fact open): fewer than one call of one answer set per outcome and
  polarity, against a brave enumeration of 15-25 answer sets. Otherwise :func:`by_outcome`.

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

import functools
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


# --------------------------------------------------------------------------- by cone


class ProgramShape:
    """The ground rules of a control, recorded as a :class:`clingo.Observer` (register it with
    ``control.register_observer`` before grounding; set :attr:`recording` off before adding
    anything of one's own). :attr:`plain` is off when something other than normal, choice and
    weight rules (with weights of at least zero) occurs: then :func:`input_cones` gives up."""

    def __init__(self) -> None:
        self.rules: list[tuple[bool, list[int], list[int], bool]] = []  # choice, head, body, weighted
        self.plain = True
        self.recording = True

    def rule(self, choice: bool, head: list[int], body: list[int]) -> None:
        if self.recording:
            self.rules.append((choice, list(head), list(body), False))

    def weight_rule(self, choice: bool, head: list[int], lower_bound: int, body: list[tuple[int, int]]) -> None:
        if self.recording:
            self.plain = self.plain and all(weight >= 0 for _, weight in body)
            self.rules.append((choice, list(head), [literal for literal, _ in body], True))

    def _other(self, *_: Any) -> None:
        if self.recording:
            self.plain = False

    minimize = project = external = assume = heuristic = acyc_edge = theory_atom = theory_atom_with_guard = _other


def input_cones(shape: ProgramShape, unit_of: dict[int, int]) -> dict[int, int] | None:
    """Program atom -> the input units it depends on (bit ``u`` for unit ``u``), or ``None`` when
    the program is not a function of its inputs.

    ``unit_of``: input atom -> its unit (an open bool or list value alone, the atoms of an open
    enum, number or date together). A function of its inputs: inputs only in the heads of choice
    rules whose bodies do not depend on inputs, integrity constraints each on the atoms of one
    unit (exactly one of an enum), and otherwise normal rules without a cycle through negation
    (stratified). Then every choice of the units' values has exactly one answer set, the units
    are independent, and an atom depends on no input outside its cone (the atoms its rules
    reach).

    The cones are those of an equivalent program: an atom that holds or fails whatever the
    inputs (derived from facts alone, or every rule blocked) has none; its literals are left out
    of the other rules (a rule with one that fails, left out); and a rule whose body includes
    that of another rule for the same atom is left out (it adds nothing)."""
    bodies: dict[int, list[tuple[list[int], bool]]] = defaultdict(list)
    constraints: list[list[int]] = []
    guards: list[int] = []  # body atoms of choice rules
    if not shape.plain:
        return None
    for choice, head, body, weighted in shape.rules:
        if choice:
            if any(atom not in unit_of for atom in head):
                return None
            guards += [abs(literal) for literal in body]
        elif not head:
            constraints.append(body)
        elif len(head) > 1 or head[0] in unit_of:
            return None
        else:
            bodies[head[0]].append((body, weighted))
    mask: dict[int, int] = {atom: 1 << unit for atom, unit in unit_of.items()}
    holds: set[int] = set()  # atoms that hold whatever the inputs

    def fails(atom: int) -> bool:  # whatever the inputs
        return atom not in mask and atom not in bodies or atom in failing

    failing: set[int] = set()
    for component in _components(bodies):
        members = set(component)
        cone = 0
        for atom in component:
            for body, _ in bodies[atom]:
                if any(literal < 0 and abs(literal) in members for literal in body):
                    return None  # a cycle through negation
        if len(component) == 1 and not any(abs(literal) in members for body, _ in bodies[component[0]] for literal in body):
            atom = component[0]
            normal: list[frozenset[int]] = []
            weighted_bodies: list[list[int]] = []
            for body, weighted in bodies[atom]:
                if weighted:
                    weighted_bodies.append(body)
                    continue
                left = set()
                for literal in body:
                    below = abs(literal)
                    if (below in holds) if literal < 0 else fails(below):
                        break  # a literal that fails whatever the inputs: the rule never applies
                    if not ((below in holds) if literal > 0 else fails(below)):
                        left.add(literal)
                else:
                    normal.append(frozenset(left))
            if frozenset() in normal or not normal and not weighted_bodies:
                (holds if normal else failing).add(atom)
                mask[atom] = 0
                continue
            least: list[frozenset[int]] = []
            for body in sorted(normal, key=len):
                if not any(other <= body for other in least):
                    least.append(body)
            for body in [*least, *weighted_bodies]:
                for literal in body:
                    cone |= mask.get(abs(literal), 0)
            mask[atom] = cone
            continue
        for atom in component:
            for body, _ in bodies[atom]:
                for literal in body:
                    if abs(literal) not in members:
                        cone |= mask.get(abs(literal), 0)
        for atom in component:
            mask[atom] = cone
    if any(mask.get(atom, 0) for atom in guards):
        return None
    for body in constraints:
        cone = 0
        for literal in body:
            cone |= mask.get(abs(literal), 0)
        if cone.bit_count() > 1:
            return None
    return mask


def _components(bodies: dict[int, list[tuple[list[int], bool]]]) -> list[list[int]]:
    """The strongly connected components of the atoms with rules (edges to their body atoms),
    those below first (Tarjan's algorithm, without recursion)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    out: list[list[int]] = []
    for root in bodies:
        if root in index:
            continue
        work = [(root, iter([abs(l) for body, _ in bodies[root] for l in body]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            atom, below = work[-1]
            for child in below:
                if child not in bodies:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter([abs(l) for body, _ in bodies[child] for l in body])))
                    break
                if child in on_stack:
                    low[atom] = min(low[atom], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[atom])
                if low[atom] == index[atom]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == atom:
                            break
                    out.append(component)
    return out


def cone_shows(open_facts: list[OpenFact], undetermined: Iterable[Symbol]) -> str:
    """``#show`` statements for :func:`by_cone`: the predicates of the open atoms and of the
    outcomes (names from the catalogue and the conclusions, never from a description)."""
    signatures = {(atom.name, len(atom.arguments)) for fact in open_facts for _, answers in fact.parts
                  for answer in answers for atom, _ in answer.assumptions}
    signatures |= {(outcome.name, len(outcome.arguments)) for outcome in undetermined}
    return "".join(f"#show {name}/{arity}.\n" for name, arity in sorted(signatures))


def by_cone(control: clingo.Control, shape: ProgramShape, units: list[list[Symbol]], open_facts: list[OpenFact],
            undetermined: set[Symbol], reached: set[str] | None = None) -> Decided | None:
    """What every answer decides, for one system, from the answers that go with and without each
    undetermined outcome, when the program is a function of its inputs (:func:`input_cones`);
    ``None`` otherwise.

    An input outside the cone of an outcome goes with it and without it (change it in an answer
    set: the outcome stays), so only the answers in the cone are looked at. For each outcome and
    polarity: solve for an answer set with it and with some answer not yet seen with it,
    preferring all those answers (domain heuristic: the inputs decided first, each towards a
    wanted answer); every answer set found counts for every outcome (seen with what holds in it).
    Unsatisfiable: the answers left never go with it. No combinations are enumerated.

    Args:
        control: a grounding of the rules and the facts of one system, made with
            ``--heuristic=Domain``, ``shape`` registered as its observer, showing
            :func:`cone_shows` and nothing else; it is solved repeatedly.
        units: every group of open atoms of which exactly one holds, and every other open atom
            alone (``[atom]``), of the grounding.
        open_facts: the open facts asked (of the one system).
        undetermined: its undetermined outcomes.
        reached: if given, receives the keys of ``open_facts`` in the cone of an undetermined
            outcome (the others cannot change one, not even together with other open facts).
    """
    atoms = control.symbolic_atoms
    unit_of: dict[int, int] = {}
    for number, unit in enumerate(units):
        for atom in unit:
            found = atoms[atom]
            if found is not None:
                unit_of[found.literal] = number
    cones = input_cones(shape, unit_of)
    if cones is None:
        return None
    shape.recording = False
    inputs = list(dict.fromkeys(atom for fact in open_facts for _, answers in fact.parts
                                for answer in answers for atom, _ in answer.assumptions))
    if any(atoms[atom] is None for atom in inputs):
        return None
    # answer bits: 2i = input i holds, 2i + 1 = it does not
    literal = [atoms[atom].literal for atom in inputs]
    bit_of = {symbol_key(atom): i for i, atom in enumerate(inputs)}
    unit_bits: dict[int, int] = defaultdict(int)
    for i, lit in enumerate(literal):
        unit_bits[unit_of[lit]] |= 3 << (2 * i)
    outcomes = [o for o in sorted(undetermined) if atoms[o] is not None]
    outcome_of = {symbol_key(o): j for j, o in enumerate(outcomes)}
    in_cone = []
    for o in outcomes:
        units_below, bits = cones.get(atoms[o].literal, 0), 0
        while units_below:
            low = units_below & -units_below
            bits |= unit_bits.get(low.bit_length() - 1, 0)
            units_below ^= low
        in_cone.append(bits)
    if reached is not None:
        anywhere = 0
        for bits in in_cone:
            anywhere |= bits
        reached.update(fact.key for fact in open_facts if any(
            anywhere >> (2 * bit_of[symbol_key(atom)]) & 3 for _, answers in fact.parts for answer in answers
            for atom, _ in answer.assumptions))
    n = len(inputs)
    with control.backend() as backend:
        goal = backend.add_atom()
        want = [(backend.add_atom(), backend.add_atom()) for _ in range(n)]
        for lit in unit_of:  # inputs first: what the rules derive is then propagated, never guessed
            backend.add_heuristic(lit, clingo.backend.HeuristicType.Level, 1, 1, [])
        for lit, (yes, no) in zip(literal, want):
            for atom in (yes, no):
                backend.add_external(atom, clingo.TruthValue.False_)
            backend.add_rule([goal], [lit, yes])
            backend.add_rule([goal], [-lit, no])
            backend.add_heuristic(lit, clingo.backend.HeuristicType.Sign, 1, 2, [yes])
            backend.add_heuristic(lit, clingo.backend.HeuristicType.Sign, -1, 1, [no])
    control.configuration.solve.models = "1"
    none_hold = sum(2 << (2 * i) for i in range(n))  # every input false
    seen = ([0] * len(outcomes), [0] * len(outcomes))  # [holds][outcome] -> answer bits seen with it

    def on_model(model: clingo.Model) -> bool:
        bits, holds = none_hold, set()
        for symbol in model.symbols(shown=True):
            key = symbol_key(symbol)
            i = bit_of.get(key)
            if i is not None:
                bits ^= 3 << (2 * i)
            elif key in outcome_of:
                holds.add(outcome_of[key])
        for j in range(len(outcomes)):
            seen[j in holds][j] |= bits
        return False

    wants = [atom for pair in want for atom in pair]  # answer bit -> its external
    wanted: set[int] = set()  # the externals now true (the others are false)

    def wish(bits: int) -> None:
        chosen = set()
        while bits:
            low = bits & -bits
            chosen.add(wants[low.bit_length() - 1])
            bits ^= low
        for atom in wanted - chosen:
            control.assign_external(atom, False)
        for atom in chosen - wanted:
            control.assign_external(atom, True)
        wanted.clear()
        wanted.update(chosen)

    never = ([0] * len(outcomes), [0] * len(outcomes))
    for j, outcome in enumerate(outcomes):
        for polarity in (True, False):
            side = atoms[outcome].literal if polarity else -atoms[outcome].literal
            if not seen[polarity][j] and not control.solve(assumptions=[side], on_model=on_model).satisfiable:
                continue  # not expected (the outcome is undetermined): it decides nothing
            while True:
                left = in_cone[j] & ~seen[polarity][j]
                if not left:
                    break
                wish(left)
                if not control.solve(assumptions=[side, goal], on_model=on_model).satisfiable:
                    never[polarity][j] = left
                    break
    where: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # answer bit -> answers
    decided: Decided = {}
    for f, fact in enumerate(open_facts):
        for p, (_, answers) in enumerate(fact.parts):
            for a, answer in enumerate(answers):
                decided[(f, p, a)] = (set(), set())
                for atom, truth in answer.assumptions:
                    where[2 * bit_of[symbol_key(atom)] + (0 if truth else 1)].append((f, p, a))
    for polarity in (True, False):
        for j, bits in enumerate(never[polarity]):
            while bits:
                low = bits & -bits
                for index in where.get(low.bit_length() - 1, ()):
                    decided[index][0 if polarity else 1].add(outcomes[j])
                bits ^= low
    return decided


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


#: Where the rules of :func:`add_flip_program` come from.
_FLIP = ast.Location(ast.Position("<flip>", 1, 1), ast.Position("<flip>", 1, 1))
# Parts of the flip program are kept from one call to the next (the functions below): the
# questionnaire builds the program after every answer with nearly the same rules, and building
# their AST nodes in Python cost more than grounding them. Bounded (about 8 MB when full) for large
# runs, whose systems share none; a questionnaire's system needs a few hundred of each.

#: The head of an integrity constraint.
_FALSE = ast.Literal(_FLIP, ast.Sign.NoSign, ast.BooleanConstant(False))


@functools.lru_cache(maxsize=2048)
def _twin(symbol: Symbol) -> Symbol:
    """:func:`twin_of`, kept (a few calls into clingo each)."""
    return twin_of(symbol)


@functools.lru_cache(maxsize=4096)
def _flip_literal(symbol: Symbol, sign: int = ast.Sign.NoSign) -> ast.AST:
    """One node per literal, used by several rules."""
    return ast.Literal(_FLIP, sign, ast.SymbolicAtom(ast.SymbolicTerm(_FLIP, symbol)))


@functools.lru_cache(maxsize=1024)
def _differs_rules(differs: Symbol, outcome: Symbol) -> tuple[ast.AST, ast.AST]:
    """``differs :- outcome, not twin.`` and ``differs :- twin, not outcome.``"""
    head, twin, not_ = _flip_literal(differs), _twin(outcome), ast.Sign.Negation
    return (ast.Rule(_FLIP, head, [_flip_literal(outcome), _flip_literal(twin, not_)]),
            ast.Rule(_FLIP, head, [_flip_literal(twin), _flip_literal(outcome, not_)]))


@functools.lru_cache(maxsize=1024)
def _switch_rule(switch: Symbol) -> ast.AST:
    """``{switch}.``"""
    return ast.Rule(_FLIP, ast.Aggregate(_FLIP, None, [ast.ConditionalLiteral(_FLIP, _flip_literal(switch), [])], None), [])


def add_flip_program(builder: ast.ProgramBuilder, open_facts: list[OpenFact], undetermined: dict[str, set[Symbol]]) -> None:
    """For a grounding of every system ``S`` and of its twin ``S~twin`` (the same facts): the
    open atoms of the twin equal those of ``S`` except for the fact whose ``_switch(S, I)`` is
    on (``I`` its index in ``open_facts``); ``_differs(S)`` holds when an undetermined outcome
    of ``S`` holds for one of the two and not for the other. Built from Symbols."""
    not_ = ast.Sign.Negation
    # in a fixed order: the order of the rules steers the search, and so which two answer sets
    # (and which outcomes that differ in them) are found; a set's order changes with the hash seed
    for system in sorted({f.system for f in open_facts}):
        differs = _differs(system)
        for outcome in sorted(undetermined.get(system, ())):
            for rule in _differs_rules(differs, outcome):
                builder.add(rule)
    for index, fact in enumerate(open_facts):
        switch = _switch(fact.system, index)
        builder.add(_switch_rule(switch))
        off = _flip_literal(switch, not_)
        atoms = {atom for _, answers in fact.parts for answer in answers for atom, _ in answer.assumptions}
        for atom in sorted(atoms):  # not kept: the index of a fact changes with every answer before it
            twin = _twin(atom)
            builder.add(ast.Rule(_FLIP, _FALSE, [_flip_literal(atom), _flip_literal(twin, not_), off]))
            builder.add(ast.Rule(_FLIP, _FALSE, [_flip_literal(twin), _flip_literal(atom, not_), off]))


def flip_relevant(control: clingo.Control, open_facts: list[OpenFact], indices: list[int],
                  undetermined: dict[str, set[Symbol]]) -> dict[int, list[Symbol]]:
    """Which of the open facts ``indices`` can change an undetermined outcome together with
    other open facts (:meth:`FlipSearch.relevant`, on a search of its own).

    Args:
        control: a grounding of the systems, their twins and :func:`add_flip_program`.

    Returns:
        fact index -> the outcomes that differ in the two answer sets found.
    """
    return FlipSearch(control, open_facts, undetermined).relevant(indices)


class FlipSearch:
    """The solver calls that find the open facts that can change an undetermined outcome
    together with other open facts, on one grounding of the systems, their twins and
    :func:`add_flip_program`; its atoms are looked up once for any number of :meth:`relevant`
    calls (``ask`` asks section by section)."""

    def __init__(self, control: clingo.Control, open_facts: list[OpenFact], undetermined: dict[str, set[Symbol]]):
        self.control, self.open_facts, self.undetermined = control, open_facts, undetermined
        self._atoms = control.symbolic_atoms
        self.switches: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, fact in enumerate(open_facts):
            literal = self._lit(_switch(fact.system, index))
            if literal is not None:
                self.switches[fact.system].append((index, literal))
        self.all_off = [-literal for mine in self.switches.values() for _, literal in mine]
        self._differs: dict[str, int | None] = {}
        self._pairs: dict[str, list[tuple[Symbol, int | None, int | None]]] = {}
        control.configuration.solve.enum_mode = "auto"
        control.configuration.solve.models = "1"

    def _lit(self, symbol: Symbol) -> int | None:
        found = self._atoms[symbol]
        return found.literal if found is not None else None

    def relevant(self, indices: list[int]) -> dict[int, list[Symbol]]:
        """Which of the open facts ``indices`` can change an undetermined outcome together with
        other open facts: there are two answer sets, alike except for this fact's answer, with
        different undetermined outcomes. One call per fact; the ``i``-th fact of every system
        goes into the same call, and when that call is unsatisfiable its core names the
        system(s) whose fact changes nothing, which leave the call.

        Returns:
            fact index -> the outcomes that differ in the two answer sets found.
        """
        control, switches, all_off, open_facts = self.control, self.switches, self.all_off, self.open_facts
        queue: dict[str, list[int]] = defaultdict(list)
        for index in indices:
            if any(i == index for i, _ in switches.get(open_facts[index].system, ())):
                queue[open_facts[index].system].append(index)
        for system in queue:
            if system not in self._differs:
                self._differs[system] = self._lit(_differs(system))
                self._pairs[system] = [(o, self._lit(o), self._lit(twin_of(o))) for o in sorted(self.undetermined.get(system, ()))]
        differs, pairs = self._differs, self._pairs
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
                    found: list[list[Symbol]] = []
                    literal = dict(switches[system])[index]
                    control.solve(assumptions=[l for l in all_off if l != -literal] + [literal, differs[system]],
                                  on_model=lambda m, s=system: found.append(
                                      [o for o, a, b in pairs[s] if a is not None and b is not None and m.is_true(a) != m.is_true(b)]))
                    if found:
                        out[index] = found[0]
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
