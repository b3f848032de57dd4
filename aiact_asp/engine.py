"""Solving: all systems of a run in one grounding, with certain and undetermined conclusions.

The input atoms are added through clingo's backend (facts, and choices for what is
``unknown``); the knowledge base is added as instrumented AST. The engine then computes the
*cautious* consequences (what holds in every answer set: certain) and the *brave*
consequences (what holds in some answer set: possible). A conclusion that is brave but not
cautious depends on an unknown fact and is reported as undetermined. Without unknown facts
the program has one answer set and a single solve call suffices.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import clingo

from .context import GroundingContext
from .errors import InputError, KnowledgeBaseError
from .facts import FactSet, build_facts
from .kb import FIRED, KnowledgeBase, Rule
from .loader import Description
from .vocabulary import Vocabulary

RISK_CLASS = "risk_class"


@dataclass(frozen=True)
class Firing:
    """One rule instance that derived a conclusion: the rule, and the atoms its body used."""

    rule: Rule
    used: tuple[clingo.Symbol, ...]
    absent: tuple[clingo.Symbol, ...]


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

    @property
    def name(self) -> str:
        return self.atom.name

    @property
    def arguments(self) -> tuple[clingo.Symbol, ...]:
        return tuple(self.atom.arguments[1:])

    @property
    def label(self) -> str:
        """The atom without the system argument: ``high_risk(annex_iii,"4(a)")``."""
        return str(clingo.Function(self.atom.name, self.arguments)) if self.arguments else self.atom.name

    @property
    def sources(self) -> list[str]:
        """Legal sources of the rules that derive it and of the intermediate legal concepts
        they rest on (down to the input facts and other conclusions), without repetition."""
        seen: dict[str, None] = {}
        for firing in self.firings:
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
        return sorted(str(c.arguments[0]) for c in self.risk_classes)

    def labels(self, certain: bool | None = True) -> set[str]:
        """Conclusion labels; ``certain=None`` gives all (certain and undetermined)."""
        return {c.label for c in self.conclusions if certain is None or c.certain == certain}


def solve(descriptions: list[Description], kb: KnowledgeBase, vocabulary: Vocabulary, as_of: _dt.date) -> list[SystemResult]:
    """Ground and solve ``descriptions`` together; return one :class:`SystemResult` each, in order.

    Raises:
        KnowledgeBaseError: the knowledge base cannot be grounded (e.g. an unsafe variable),
            or the program has no answer set (a defect of the knowledge base: it must report
            contradictions as findings, not as integrity constraints).
    """
    facts = build_facts(descriptions, vocabulary, as_of)
    messages: list[str] = []

    def logger(code: clingo.MessageCode, message: str) -> None:
        if code in (clingo.MessageCode.RuntimeError, clingo.MessageCode.OperationUndefined):
            messages.append(message.strip())

    control = clingo.Control(logger=logger, message_limit=20)
    try:
        _add_facts(control, facts)
        kb.add_to(control)
        control.ground([("base", [])], context=GroundingContext())
    except RuntimeError as exc:
        raise KnowledgeBaseError(_grounding_errors(messages or [str(exc)], kb)) from None
    if messages:
        raise KnowledgeBaseError(_grounding_errors(messages, kb))
    cautious, brave = _consequences(control, facts)
    return _collect(descriptions, facts, kb, cautious, brave, as_of)


def _add_facts(control: clingo.Control, facts: FactSet) -> None:
    with control.backend() as backend:
        for symbol in facts.facts:
            backend.add_rule([backend.add_atom(symbol)])
        for symbol in facts.choices:
            backend.add_rule([backend.add_atom(symbol)], choice=True)
        for group in facts.exactly_one:
            atoms = [backend.add_atom(s) for s in group]
            backend.add_rule(atoms, choice=True)
            backend.add_rule([], [-a for a in atoms])  # at least one
            for i, first in enumerate(atoms):
                for second in atoms[i + 1:]:
                    backend.add_rule([], [first, second])  # at most one


def _consequences(control: clingo.Control, facts: FactSet) -> tuple[set[clingo.Symbol], set[clingo.Symbol]]:
    """(cautious, brave) consequences over the shown atoms."""
    if not facts.has_open:
        model = _last_model(control)
        return model, model
    control.configuration.solve.enum_mode = "brave"
    brave = _last_model(control)
    control.configuration.solve.enum_mode = "cautious"
    cautious = _last_model(control)
    return cautious, brave


def _last_model(control: clingo.Control) -> set[clingo.Symbol]:
    last: list[clingo.Symbol] | None = None
    with control.solve(yield_=True) as handle:
        for model in handle:
            last = model.symbols(shown=True)
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


def _chain_sources(start: list[Firing], firings: dict[clingo.Symbol, list[Firing]], shown: set[str]) -> list[str]:
    """Sources of the intermediate concepts below ``start`` (not of other conclusions or inputs)."""
    out: dict[str, None] = {}
    seen: set[clingo.Symbol] = set()
    stack = [atom for firing in start for atom in firing.used]
    while stack:
        atom = stack.pop()
        if atom in seen or atom.name in shown or atom not in firings:
            continue
        seen.add(atom)
        for firing in firings[atom]:
            for source in firing.rule.sources:
                out.setdefault(source, None)
            stack.extend(firing.used)
    return list(out)


def _collect(descriptions: list[Description], facts: FactSet, kb: KnowledgeBase,
             cautious: set[clingo.Symbol], brave: set[clingo.Symbol], as_of: _dt.date) -> list[SystemResult]:
    firings: dict[clingo.Symbol, list[Firing]] = defaultdict(list)
    atoms: dict[str, list[clingo.Symbol]] = defaultdict(list)
    for symbol in brave:
        if symbol.name == FIRED:
            index, head, used, absent = symbol.arguments
            firings[head].append(Firing(kb.rules[index.number], tuple(used.arguments), tuple(absent.arguments)))
        elif symbol.arguments and symbol.arguments[0].type == clingo.SymbolType.String:
            atoms[symbol.arguments[0].string].append(symbol)
    unknown: dict[str, list[str]] = defaultdict(list)
    for symbol in facts.facts:
        if symbol.name == "unknown":
            unknown[symbol.arguments[0].string].append(symbol.arguments[1].string)
    shown = set(kb.conclusions) | kb.preconditions
    results = []
    for desc in descriptions:
        conclusions, findings = [], []
        for symbol in sorted(atoms.get(desc.id, [])):
            mine = sorted(firings.get(symbol, []), key=lambda f: (f.rule.index, str(f.used)))
            item = Conclusion(symbol, symbol in cautious, mine, _chain_sources(mine, firings, shown))
            (findings if symbol.name == "finding" else conclusions).append(item)
        date = desc.meta.get("expect", {}).get("as_of")
        results.append(SystemResult(desc, _dt.date.fromisoformat(date) if date else as_of, conclusions, findings,
                                    facts.defaults.get(desc.id, []), sorted(unknown.get(desc.id, []))))
    return results
