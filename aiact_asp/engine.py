"""Solving: all systems of a run in one grounding, with certain and undetermined conclusions.

The input atoms are added through clingo's backend (facts, and choices for what is
``unknown``); the knowledge base is added as instrumented AST. The engine then computes the
*cautious* consequences (what holds in every answer set: certain) and the *brave*
consequences (what holds in some answer set: possible). A conclusion that is brave but not
cautious depends on an unknown fact and is reported as undetermined. Without unknown facts
the program has one answer set and a single solve call suffices.

Open questions (:mod:`aiact_asp.questions`): for each open fact the engine solves the same
grounding again under each of its answers (``solve(assumptions=...)``) and keeps the facts
whose answer changes the certain or possible outcome of their system.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from dataclasses import replace as _dc_replace
from typing import Any, Callable

import clingo
from clingo import ast

from .context import GroundingContext
from .errors import InputError, KnowledgeBaseError
from .facts import FactSet, OpenFact, build_facts
from .kb import FIRED, KnowledgeBase, Rule
from .loader import Description
from . import questions as _questions
from .questions import OpenQuestion
from .symbols import Names, symbol_key, without_gc
from .vocabulary import Vocabulary

RISK_CLASS = "risk_class"
#: The risk classes from the most to the least burdensome for the organisation (prohibited, then
#: high-risk with Chapter III, transparency duties only, none; GPAI models; outside the Act), and
#: ``undetermined`` last: the order of lists and totals shown to users.
RISK_ORDER = ("prohibited", "high_risk", "limited_risk", "minimal_risk", "gpai_model_systemic_risk", "gpai_model",
              "out_of_scope", "not_ai_system", "undetermined")


def risk_order(name: str) -> tuple[int, str]:
    """Sort key of a risk class name by :data:`RISK_ORDER` (an unknown name after them, by name)."""
    return (RISK_ORDER.index(name) if name in RISK_ORDER else len(RISK_ORDER), name)


@dataclass(frozen=True, slots=True)  # slots: hundreds of thousands of them in a large run
class Firing:
    """One rule instance that derived a conclusion: the rule, and the atoms its body used."""

    rule: Rule
    used: tuple[clingo.Symbol, ...]
    absent: tuple[clingo.Symbol, ...]
    #: the rule instance applies whatever the unknown facts are (``False``: only for some answers)
    certain: bool = True


#: Labels by name and argument keys, with the arguments themselves: kept alive, their symbols
#: cannot be freed by clingo, so their keys cannot come to stand for other symbols.
_LABELS: dict[tuple, tuple[str, tuple]] = {}


@dataclass
class Conclusion:
    """A derived conclusion about one system.

    Attributes:
        atom: the atom, with the system id as first argument (e.g. ``high_risk("cv",annex_iii,"4(a)")``).
        certain: ``True`` when it holds whatever the unknown facts are; ``False`` when it holds
            only for some of their values (undetermined).
        firings: the rule instances that derive it (in every or some answer set).
    """

    atom: clingo.Symbol
    certain: bool
    firings: list[Firing] = field(default_factory=list)
    chain_sources: list[str] = field(default_factory=list)

    #: the predicate name when known without asking clingo (the head of the rule that derived it)
    known_name: str | None = field(default=None, repr=False)

    # read once: each read of a Symbol's name or arguments is a call into clingo
    @functools.cached_property
    def name(self) -> str:
        return self.known_name if self.known_name is not None else self.atom.name

    @functools.cached_property
    def arguments(self) -> tuple[clingo.Symbol, ...]:
        return tuple(self.atom.arguments[1:])

    @functools.cached_property
    def label(self) -> str:
        """The atom without the system argument: ``high_risk(annex_iii,"4(a)")``."""
        if not self.arguments:
            return self.name
        key = (self.name, tuple([symbol_key(a) for a in self.arguments]))
        found = _LABELS.get(key)
        if found is None:  # the same few labels in every system: written by clingo once
            found = _LABELS[key] = (str(clingo.Function(self.name, self.arguments)), self.arguments)
        return found[0]

    @property
    def basis(self) -> list[Firing]:
        """The rule instances it rests on: those that apply whatever the unknown facts are, if
        any; else (an undetermined conclusion, or one that holds by one rule for some answers and
        by another for the others) all of them."""
        return [f for f in self.firings if f.certain] or self.firings

    @property
    def sources(self) -> list[str]:
        """Legal sources of the rules it rests on (:attr:`basis`) and of the intermediate legal
        concepts below them (down to the input facts and other conclusions), without repetition."""
        seen: dict[str, None] = {}
        for firing in self.basis:
            for source in firing.rule.sources:
                seen.setdefault(source, None)
        for source in self.chain_sources:
            seen.setdefault(source, None)
        return list(seen)


@dataclass
class SystemResult:
    """Everything derived about one described system."""

    description: Description
    as_of: _dt.date
    conclusions: list[Conclusion]
    findings: list[Conclusion]
    defaults: list[tuple[str, Any]]
    unknown_keys: list[str]
    left_open: list[str] = field(default_factory=list)
    open_questions: list[OpenQuestion] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.description.id

    @property
    def risk_classes(self) -> list[Conclusion]:
        return [c for c in self.conclusions if c.name == RISK_CLASS]

    @property
    def risk_class(self) -> str:
        """The risk class, or ``"undetermined"`` when it depends on unknown facts."""
        certain = [c for c in self.risk_classes if c.certain]
        return str(certain[0].arguments[0]) if len(certain) == 1 else "undetermined"

    @property
    def possible_risk_classes(self) -> list[str]:
        """Every risk class some answer to the open facts leads to, from prohibited down (:data:`RISK_ORDER`)."""
        return sorted((str(c.arguments[0]) for c in self.risk_classes), key=risk_order)

    @property
    def certain(self) -> list[Conclusion]:
        """Conclusions that hold whatever the open facts are."""
        return [c for c in self.conclusions if c.certain]

    @property
    def possible(self) -> list[Conclusion]:
        """Conclusions that hold for some answer to the open facts (the certain ones too)."""
        return list(self.conclusions)

    @property
    def undetermined(self) -> list[Conclusion]:
        """Conclusions that hold only for some answers to the open facts."""
        return [c for c in self.conclusions if not c.certain]

    def labels(self, certain: bool | None = True) -> set[str]:
        """Conclusion labels; ``certain=None`` gives all (certain and undetermined)."""
        return {c.label for c in self.conclusions if certain is None or c.certain == certain}


def solve(descriptions: list[Description], kb: KnowledgeBase, vocabulary: Vocabulary, as_of: _dt.date,
          open_world: str | None = None, questions: bool = True) -> list[SystemResult]:
    """Ground and solve ``descriptions`` together; return one :class:`SystemResult` each, in order.

    Args:
        open_world: ``None`` (a key left out is false), ``"sections"`` or ``"keys"`` (keys left
            out are open; see :mod:`aiact_asp.facts`).
        questions: also work out the open questions of every system with open facts
            (:attr:`SystemResult.open_questions`).

    Raises:
        KnowledgeBaseError: the knowledge base cannot be grounded (e.g. an unsafe variable),
            or the program has no answer set (a defect of the knowledge base: it must report
            contradictions as findings, not as integrity constraints).
    """
    grounding = ground(descriptions, kb, vocabulary, as_of, open_world)
    if questions:
        grounding.open_questions()
    return grounding.results


def ground(descriptions: list[Description], kb: KnowledgeBase, vocabulary: Vocabulary, as_of: _dt.date,
           open_world: str | None = None, firings: bool = True) -> "Grounding":
    """Ground and solve ``descriptions`` together, keeping the grounding for open questions
    (see :func:`solve`, which raises the same errors). Without ``firings`` the rules are not
    instrumented: the conclusions come without the rules that derived them (faster; used by
    the questionnaire between questions)."""
    facts = build_facts(descriptions, vocabulary, as_of, open_world, kb.present_keys)
    messages: list[str] = []

    def logger(code: clingo.MessageCode, message: str) -> None:
        if code in (clingo.MessageCode.RuntimeError, clingo.MessageCode.OperationUndefined):
            messages.append(message.strip())

    control = clingo.Control(logger=logger, message_limit=20)
    try:
        _add_facts(control, facts)
        records_only = firings and kb.records_every_head and not facts.has_open
        if firings:  # with one answer set its conclusions are the heads of the rule instances
            kb.add_to(control, conclusions=not records_only)
        else:
            kb.add_plain_to(control, kb.conclusion_shows())
        control.ground([("base", [])], context=GroundingContext())
    except RuntimeError as exc:
        if firings and kb.program is not None:  # again from the AST, for messages that name the .lp file and line
            return ground(descriptions, kb.exact(), vocabulary, as_of, open_world, firings)
        raise KnowledgeBaseError(_grounding_errors(messages or [str(exc)], kb)) from None
    if messages:
        if firings and kb.program is not None:
            return ground(descriptions, kb.exact(), vocabulary, as_of, open_world, firings)
        raise KnowledgeBaseError(_grounding_errors(messages, kb))
    cautious, brave = _consequences(control, facts)
    if not facts.has_open:  # no open question can need the solver again: free it (most of the memory of a large run)
        control = None
    derivations: dict[clingo.Symbol, list[Firing]] = defaultdict(list)
    results = _collect(descriptions, facts, kb, cautious, brave, as_of, derivations, records_only=records_only)
    return Grounding(descriptions, kb, vocabulary, as_of, open_world, facts, control, cautious, brave, results,
                     derivations if firings else None)


#: Systems per extra grounding when open questions are worked out by outcome: a solver call
#: carries one assumption of each, and each answer set is as large as the grounding.
QUESTION_CHUNK = 8

#: Systems per grounding when the open facts that matter only together are sought (each beside
#: its twin): one. Which outcomes the two answer sets found differ in depends on the solver's
#: search, and a solver that has searched other systems searches differently; alone, a system gets
#: the same outcomes whatever else is in the run (in shares too: aiact_asp/parallel.py), and the
#: smaller groundings are solved sooner than the calls that carried eight (7 examples with
#: --open-world: 6.4 s of CPU against 9.3 s).
FLIP_CHUNK = 1
#: Relative cost of one answer (by answer) against one undetermined outcome (by outcome), and
#: the fixed cost of the extra grounding in the same unit (measured on the shipped kb/).
ANSWER_COST, OUTCOME_GROUNDING_COST = 10, 30


@dataclass
class Grounding:
    """A solved run kept for open questions: one grounding of every system."""

    descriptions: list[Description]
    kb: KnowledgeBase
    vocabulary: Vocabulary
    as_of: _dt.date
    open_world: str | None
    facts: FactSet
    control: clingo.Control | None  # None once nothing can need it (no open facts, or released)
    cautious: set[clingo.Symbol]
    brave: set[clingo.Symbol]
    results: list[SystemResult]
    derivations: dict[clingo.Symbol, list[Firing]] | None = None
    _derivations_by_system: dict | None = field(default=None, repr=False)
    _released: bool = field(default=False, repr=False)
    _fact_set: set | None = field(default=None, repr=False)
    _undetermined: dict[str, set[clingo.Symbol]] | None = field(default=None, repr=False)

    def undetermined(self, outcomes: Callable[[clingo.Symbol], bool] | None = None) -> dict[str, set[clingo.Symbol]]:
        """System id -> its undetermined outcome atoms (only those ``outcomes`` accepts)."""
        if self._undetermined is None:  # once: asked for every kind of question (thousands of atoms to sort out)
            self._undetermined = _questions.undetermined_outcomes(self.cautious, self.brave)
        undetermined = self._undetermined
        if outcomes is not None:
            undetermined = {s: {o for o in u if outcomes(o)} for s, u in undetermined.items()}
        return {s: u for s, u in undetermined.items() if u}

    @property
    def released(self) -> bool:
        """Whether :meth:`release` freed the solver and the answer-set atoms."""
        return self._released

    def release(self) -> "Grounding":
        """Free the solver and the answer-set atoms (most of the memory of a large run), keeping
        the results, the input facts and the rule instances (``derivations``) for the report.
        :meth:`open_questions` cannot be asked afterwards. Returns ``self``."""
        self.control = None  # type: ignore[assignment]
        self.brave, self.cautious = set(), set()
        self._derivations_by_system = self._undetermined = None
        self._released = True
        return self

    def open_questions(self, keys: Any = None, outcomes: Callable[[clingo.Symbol], bool] | None = None,
                       together: bool = True, quick: bool = False) -> dict[str, list[OpenQuestion]]:
        """The open questions per system id, most settling first (:mod:`aiact_asp.questions`).

        Args:
            keys: only these catalogue keys (a collection), e.g. those of one section; ``None``
                for all.
            outcomes: only these outcome atoms count (e.g. the classification without the
                obligations); ``None`` for all.
            together: also the open facts that matter only together with other open facts.
            quick: the same questions, found sooner, but for those that matter only together
                other outcomes they can change may be named than in a report (not run to run
                the same); for an inventory, which counts the questions and lists their keys.

        Without ``keys`` and ``outcomes`` this also sets :attr:`SystemResult.open_questions`.
        """
        undetermined = self.undetermined(outcomes)
        open_facts = [f for f in self.facts.open if undetermined.get(f.system) and (keys is None or f.key in keys)]
        found: dict[str, list[OpenQuestion]] = {}
        reached: dict[str, set[str]] = {}  # system -> open keys in the cone of an undetermined outcome (by cone)
        if open_facts:
            order = {entry.key: i for i, entry in enumerate(self.vocabulary.entries)}
            answers = max(_questions.answer_count(f for f in open_facts if f.system == s) for s in {f.system for f in open_facts})
            most = max(len(u) for u in undetermined.values())
            if ANSWER_COST * answers <= most + OUTCOME_GROUNDING_COST:
                decided = _questions.by_answer(self._consequences, open_facts, undetermined)
                found = _questions.rank(open_facts, decided, order)
            else:
                found = self._by_cone(open_facts, undetermined, order, reached)
                if found is None:  # the rules are not a function of the inputs
                    found = self._by_outcome(open_facts, undetermined, order)
                    reached.clear()
            if together:
                singles = {(system, q.key) for system, questions in found.items() for q in questions}
                rest = {(f.system, f.key) for f in open_facts if (f.system, f.key) not in singles}
                if quick:  # outside every cone no fact can change an outcome; leaving them out changes the search
                    rest = {(system, key) for system, key in rest if system not in reached or key in reached[system]}
                for system, relevant in self.relevant(outcomes, rest).items():
                    for key, changed in relevant.items():
                        fact = next(f for f in open_facts if f.system == system and f.key == key)
                        found.setdefault(system, []).append(OpenQuestion(
                            key, fact.origin, order=order.get(key, 0), together=True, outcomes=changed))
                self._add_follow_ups(found)
                for questions in found.values():
                    questions.sort(key=lambda q: q.rank_key)
        if keys is None and outcomes is None:  # all of them: keep them with the results
            for result in self.results:
                result.open_questions = found.get(result.id, [])
        return found

    def relevant(self, outcomes: Callable[[clingo.Symbol], bool] | None = None,
                 only: set[tuple[str, str]] | None = None) -> dict[str, dict[str, list[clingo.Symbol]]]:
        """System id -> open key -> undetermined outcomes it can change, alone or together with
        other open facts (:func:`aiact_asp.questions.flip_relevant`): every open question, the
        single ones included. ``only``: just these ``(system, key)``.

        Worked out on a grounding of each system beside its twin (:data:`FLIP_CHUNK`; one solver
        call per open fact)."""
        undetermined = self.undetermined(outcomes)
        wanted = [f for f in self.facts.open if undetermined.get(f.system) and (only is None or (f.system, f.key) in only)]
        systems = sorted({f.system for f in wanted})
        keys = {(f.system, f.key) for f in wanted}
        out: dict[str, dict[str, list[clingo.Symbol]]] = {}
        for start in range(0, len(systems), FLIP_CHUNK):
            control, tied = self._flip_grounding(systems[start:start + FLIP_CHUNK], undetermined)
            indices = [i for i, f in enumerate(tied) if (f.system, f.key) in keys]
            for index, changed in sorted(_questions.flip_relevant(control, tied, indices, undetermined).items()):
                out.setdefault(tied[index].system, {})[tied[index].key] = changed
        return out

    def first_relevant(self, system: str, groups: list[list[str]],
                       outcomes: Callable[[clingo.Symbol], bool] | None = None) -> dict[str, list[clingo.Symbol]]:
        """Open key -> undetermined outcomes it can change (as :meth:`relevant`) for the first of
        ``groups`` (lists of open keys of ``system``, e.g. one per section in the order they are
        asked) that has such a key; ``{}`` when none has. One grounding; the groups after the
        first with a relevant key cost no solver call (``ask`` needs only the next section).

        Which keys are relevant is what :meth:`relevant` finds; the outcomes named for a key
        may differ, as they depend on the solver's search (any outcome the key can change)."""
        undetermined = self.undetermined(outcomes)
        if not undetermined.get(system):
            return {}
        control, tied = self._flip_grounding([system], undetermined)
        search = _questions.FlipSearch(control, tied, undetermined)
        index_of = {f.key: i for i, f in enumerate(tied)}
        for group in groups:
            indices = sorted(index_of[key] for key in group if key in index_of)
            found = search.relevant(indices)
            if found:
                return {tied[index].key: changed for index, changed in sorted(found.items())}
        return {}

    def _flip_grounding(self, systems: list[str], undetermined: dict[str, set[clingo.Symbol]]
                        ) -> tuple[clingo.Control, list[OpenFact]]:
        """A grounding of ``systems`` each beside its twin, with the flip program
        (:func:`aiact_asp.questions.add_flip_program`), and the open facts tied to their twins."""
        by_id = {d.id: d for d in self.descriptions}
        descs = [by_id[s] for s in systems]
        twins = [_dc_replace(d, id=d.id + _questions.TWIN) for d in descs]
        facts = build_facts(descs + twins, self.vocabulary, self.as_of, self.open_world, self.kb.present_keys)
        tied = [f for f in self.facts.open if f.system in set(systems)]  # every open fact is tied to its twin
        control = clingo.Control(["--warn=none"])
        _add_facts(control, facts)
        with ast.ProgramBuilder(control) as builder:
            _questions.add_flip_program(builder, tied, undetermined)
        self.kb.add_plain_to(control)
        control.ground([("base", [])], context=GroundingContext())
        return control, tied

    def follow_ups(self, system: str) -> dict[str, set[str]]:
        """Open key -> sections of the stated facts it is a further condition of (needs the
        rule firings: an instrumented grounding; else empty)."""
        if self.derivations is None:
            return {}
        atoms = {atom: f for f in self.facts.open if f.system == system for _, answers in f.parts
                 for answer in answers for atom, _ in answer.assumptions}
        if self._derivations_by_system is None:  # once, not once per system (thousands of atoms each)
            self._derivations_by_system = defaultdict(dict)
            for atom, firings in self.derivations.items():
                args = atom.arguments
                if args and args[0].type == clingo.SymbolType.String:
                    self._derivations_by_system[args[0].string][atom] = firings
        mine = self._derivations_by_system.get(system, {})
        if self._fact_set is None:
            self._fact_set = set(self.facts.facts)
        return _questions.follow_up_hints(mine, self._fact_set, atoms, self._section_of)

    def _add_follow_ups(self, found: dict[str, list[OpenQuestion]]) -> None:
        for system, questions in found.items():
            if any(q.together for q in questions):
                hints = self.follow_ups(system)
                for question in questions:
                    if question.together:
                        question.follow_up = sorted(hints.get(question.key, ()))

    def _section_of(self, atom: clingo.Symbol) -> str | None:
        entry = self.vocabulary.by_predicate.get(atom.name)
        return entry.section if entry is not None else None

    def _consequences(self, assumptions: list[tuple[clingo.Symbol, bool]]) -> tuple[set[clingo.Symbol], set[clingo.Symbol]] | None:
        try:
            return _consequences(self.control, self.facts, assumptions)
        except KnowledgeBaseError:
            return None

    def _by_cone(self, open_facts: list, undetermined: dict, order: dict,
                 reached: dict[str, set[str]]) -> dict[str, list[OpenQuestion]] | None:
        """One system at a time, on an extra grounding of its own, without the rule-firing atoms
        (:func:`aiact_asp.questions.by_cone`); ``None`` when the rules are not a function of the
        inputs. ``reached`` receives per system the keys in the cone of an undetermined outcome."""
        by_id = {d.id: d for d in self.descriptions}
        asked = {(f.system, f.key) for f in open_facts}
        found: dict[str, list[OpenQuestion]] = {}
        for system in sorted({system for system, _ in asked}):
            mine = build_facts([by_id[system]], self.vocabulary, self.as_of, self.open_world, self.kb.present_keys)
            facts_asked = [f for f in mine.open if (f.system, f.key) in asked]
            control = clingo.Control(["--warn=none", "--heuristic=Domain"])
            shape = _questions.ProgramShape()
            control.register_observer(shape)
            _add_facts(control, mine)
            self.kb.add_plain_to(control, _questions.cone_shows(facts_asked, undetermined[system]))
            control.ground([("base", [])], context=GroundingContext())
            units = [[atom] for atom in mine.choices] + mine.exactly_one
            decided = _questions.by_cone(control, shape, units, facts_asked, undetermined[system],
                                         reached.setdefault(system, set()))
            if decided is None:
                return None
            found.update(_questions.rank(facts_asked, decided, order))
        return found

    def _by_outcome(self, open_facts: list, undetermined: dict, order: dict) -> dict[str, list[OpenQuestion]]:
        """On extra groundings of a few systems each (about as many undetermined outcomes
        together), without the rule-firing atoms, showing only the twins of the open atoms."""
        ids = {fact.system for fact in open_facts}
        waiting = sorted((d for d in self.descriptions if d.id in ids), key=lambda d: (len(undetermined[d.id]), d.id))
        found: dict[str, list[OpenQuestion]] = {}
        for start in range(0, len(waiting), QUESTION_CHUNK):
            chunk = {d.id for d in waiting[start:start + QUESTION_CHUNK]}
            mine = build_facts(waiting[start:start + QUESTION_CHUNK], self.vocabulary, self.as_of, self.open_world,
                               self.kb.present_keys)
            asked = {(f.system, f.key) for f in open_facts if f.system in chunk}
            facts_asked = [f for f in mine.open if (f.system, f.key) in asked]
            control = clingo.Control(["--warn=none"])
            _add_facts(control, mine)
            with ast.ProgramBuilder(control) as builder:
                _questions.add_twins(builder, facts_asked)
            self.kb.add_plain_to(control, _questions.SHOW_TWINS)
            control.ground([("base", [])], context=GroundingContext())
            decided = _questions.by_outcome(control, facts_asked, undetermined)
            found.update(_questions.rank(facts_asked, decided, order))
        return found


def _add_facts(control: clingo.Control, facts: FactSet) -> None:
    """Add the input atoms, built from Symbols (never program text).

    Facts go through clingo's backend (fast). Open atoms go in as choice rules of clingo's
    AST, so that the grounder knows them when it instantiates the knowledge base: open atoms
    added through the backend before grounding were not reliably taken into account by the
    grounder for rules depending on them through several layers (with several systems, an
    instance of ``chapter_iii_start_candidate/3`` went missing); as AST choices the result
    equals that of a plain-text program.
    """
    with control.backend() as backend:
        for symbol in facts.facts:
            backend.add_rule([backend.add_atom(symbol)])
    if not facts.has_open:
        return
    with ast.ProgramBuilder(control) as builder:
        for symbol in facts.choices:
            builder.add(_choice((symbol,), None))
        for group in facts.exactly_one:
            builder.add(_choice(tuple(group), 1))


#: Where the choice rules of :func:`_add_facts` come from.
_INPUT = ast.Location(ast.Position("<input>", 1, 1), ast.Position("<input>", 1, 1))


@functools.lru_cache(maxsize=2048)
def _choice(symbols: tuple[clingo.Symbol, ...], bound: int | None) -> ast.AST:
    """``{s1; ...; sn}.``, or ``bound {...} bound.``; kept from one call to the next: the
    questionnaire grounds the same open atoms a few times after every answer, and building the
    AST nodes in Python cost more than grounding them. Bounded (about 3 MB when full) for large
    runs, whose systems share none; a questionnaire's system and its twin need a few hundred."""
    guard = ast.Guard(ast.ComparisonOperator.Equal, ast.SymbolicTerm(_INPUT, clingo.Number(bound))) if bound else None
    elements = [ast.ConditionalLiteral(_INPUT, ast.Literal(_INPUT, ast.Sign.NoSign, ast.SymbolicAtom(
        ast.SymbolicTerm(_INPUT, s))), []) for s in symbols]
    return ast.Rule(_INPUT, ast.Aggregate(_INPUT, guard, elements, None), [])


def _consequences(control: clingo.Control, facts: FactSet,
                  assumptions: list[tuple[clingo.Symbol, bool]] | None = None) -> tuple[set[clingo.Symbol], set[clingo.Symbol]]:
    """(cautious, brave) consequences over the shown atoms, under ``assumptions`` if given."""
    if not facts.has_open:
        model = _last_model(control)
        return model, model
    _questions.configure(control)  # far fewer answer sets to reach the consequences
    control.configuration.solve.enum_mode = "brave"
    brave = _last_model(control, assumptions)
    control.configuration.solve.enum_mode = "cautious"
    cautious = _last_model(control, assumptions)
    return cautious, brave


def _last_model(control: clingo.Control, assumptions: list[tuple[clingo.Symbol, bool]] | None = None) -> set[clingo.Symbol]:
    last: list[clingo.Symbol] | None = None

    def on_last(model: clingo.Model) -> None:
        nonlocal last
        last = model.symbols(shown=True)

    control.solve(assumptions=assumptions or [], on_last=on_last)
    if last is None:
        raise KnowledgeBaseError([InputError("kb", None, None, "the rules have no answer set for this input; "
                                             "a rule of the knowledge base acts as a contradiction (integrity constraint)")])
    return set(last)


def _grounding_errors(messages: list[str], kb: KnowledgeBase) -> list[InputError]:
    from .kb import _kb_message

    errors = []
    for message in messages:
        path = next((str(f) for f in kb.files if str(f) in message), "")
        relative = str(kb.files[[str(f) for f in kb.files].index(path)].relative_to(kb.directory)) if path else "kb"
        errors.append(_kb_message(message, relative, path or "\0"))
    return errors


def _chain_sources(start: list[Firing], firings: dict, shown: set[str], steps: dict) -> list[str]:
    """Sources of the intermediate concepts below ``start`` (not of other conclusions or inputs).

    ``firings``: rule instances by :func:`~aiact_asp.symbols.symbol_key` of the derived atom.
    ``steps``: what each atom adds (its sources, the atoms below it), kept between the calls for
    the conclusions of one system: they rest on the same concepts, each sorted once."""
    out: dict[str, None] = {}
    seen: set = set()
    stack = [atom for firing in start for atom in firing.used]
    while stack:
        atom = stack.pop()
        key = symbol_key(atom)
        if key in seen:
            continue
        step = steps.get(key)
        if step is None:
            step = steps[key] = _chain_step(firings.get(key), shown)
        if not step:
            continue
        seen.add(key)
        for source in step[0]:
            out.setdefault(source, None)
        stack.extend(step[1])
    return list(out)


def _chain_step(below: list[Firing] | None, shown: set[str]) -> tuple:
    """For :func:`_chain_sources`: the sources of the rule instances ``below`` of an atom and
    the atoms they use, in a stable order; ``()`` where the chain stops (an input, a conclusion)."""
    if below is None or below[0].rule.head in shown:  # the rule's head names the atom: no call into clingo
        return ()
    if len(below) > 1:
        below = sorted(below, key=lambda f: (f.rule.index, f.used, f.absent))
    return (tuple(source for firing in below for source in firing.rule.sources),
            tuple(atom for firing in below for atom in firing.used))


class _Everything:
    """A set that holds every key (when all atoms are certain)."""

    def __contains__(self, key: Any) -> bool:
        return True


@functools.lru_cache(maxsize=4)
def _rule_numbers(count: int) -> dict:
    """Symbol key of ``Number(i)`` -> ``i`` for the rule indices: the index of a ``_fired`` record
    is then read without a call into clingo."""
    return {symbol_key(clingo.Number(i)): i for i in range(count)}


@without_gc
def _collect(descriptions: list[Description], facts: FactSet, kb: KnowledgeBase,
             cautious: set[clingo.Symbol], brave: set[clingo.Symbol], as_of: _dt.date,
             firings: dict[clingo.Symbol, list[Firing]] | None = None, records_only: bool = False) -> list[SystemResult]:
    """The results per description; ``firings`` (if given) receives every rule instance of
    every atom derived in some answer set.

    Indexed by symbol representation (:mod:`aiact_asp.symbols`), so that each atom costs a few
    calls into clingo however many conclusions rest on it: one call per ``_fired`` record (its
    arguments). ``records_only``: the shown atoms are only ``_fired`` records (one answer set:
    see :meth:`KnowledgeBase.add_to`); the conclusions are then read from their heads."""
    by_key: dict = defaultdict(list)  # key of a derived atom -> its rule instances
    heads: dict = {}  # key -> the derived atom
    atoms: dict[str, list[clingo.Symbol]] = defaultdict(list)
    rules = kb.rules
    numbers = _rule_numbers(len(rules))
    names = Names()
    # one answer set (no open facts): everything in it is certain; no second set of keys (memory)
    one_answer_set = cautious is brave
    certain = _Everything() if one_answer_set else {symbol_key(s) for s in cautious}
    one: dict = {}  # one Python object per atom, however many rule instances use it (memory)
    string = clingo.SymbolType.String

    def interned(symbols: list[clingo.Symbol]) -> tuple[clingo.Symbol, ...]:
        return tuple([one.setdefault(symbol_key(a), a) for a in symbols])

    for symbol in brave:
        args = symbol.arguments
        if not args:
            continue
        if not records_only and names(symbol) != FIRED:
            if args[0].type == string:
                atoms[args[0].string].append(symbol)
            continue
        rule = rules[numbers[symbol_key(args[0])]]
        head = args[1]
        key = symbol_key(head)
        heads.setdefault(key, head)
        end = 2 + rule.used_count
        by_key[key].append(Firing(rule, interned(args[2:end]), interned(args[end:]),
                                  one_answer_set or symbol_key(symbol) in certain))
    if firings is not None:
        for key, found in by_key.items():
            firings[heads[key]] = found
    shown = set(kb.conclusions) | kb.preconditions
    if records_only:  # the conclusions: the heads of the rules that conclude them
        arity = {**kb.conclusion_arities, "finding": 2}
        for key, found in by_key.items():
            wanted = arity.get(found[0].rule.head)
            if wanted is not None:
                args = heads[key].arguments
                if len(args) == wanted and args[0].type == string:
                    atoms[args[0].string].append(heads[key])
    unknown = facts.unknown
    results = []
    for desc in descriptions:
        conclusions, findings = [], []
        steps: dict = {}  # for _chain_sources: one system's (every atom has the system id first)
        for symbol in sorted(atoms.get(desc.id, [])):
            key = symbol_key(symbol)
            mine = by_key.get(key, [])
            if len(mine) > 1:  # a stable order; Symbols compare without building strings
                mine = sorted(mine, key=lambda f: (f.rule.index, f.used))
            basis = [f for f in mine if f.certain] or mine  # as Conclusion.basis
            name = mine[0].rule.head if mine else names(symbol)
            item = Conclusion(symbol, key in certain, mine, _chain_sources(basis, by_key, shown, steps), name)
            (findings if name == "finding" else conclusions).append(item)
        date = desc.meta.get("expect", {}).get("as_of")
        left_open = set(facts.left_open.get(desc.id, []))
        results.append(SystemResult(desc, _dt.date.fromisoformat(date) if date else as_of, conclusions, findings,
                                    facts.defaults.get(desc.id, []),
                                    sorted(k for k in unknown.get(desc.id, []) if k not in left_open), sorted(left_open)))
    return results
