"""From validated descriptions to clingo Symbols (never program text).

Every atom has the system id as first argument, so that many systems are grounded and
solved together. For each description:

* ``system(S)``, ``as_of(S, YYYYMMDD)`` and ``present(S, "key")`` for every stated key;
* a bool ``true`` gives ``p(S)``; ``false`` or absent gives nothing (closed world);
* an enum gives ``p(S, value)``, a list one ``p(S, value)`` per element;
* a date gives ``p(S, YYYYMMDD)``; a number ``p(S, (E, M, R))`` (see :mod:`aiact_asp.context`);
* ``unknown`` gives ``unknown(S, "key")`` and leaves the atoms open: a bool or list value may
  be true or false, an enum takes exactly one of its values, a number or date is either
  below or above every threshold (the smallest or an unbounded value), so that the solver's
  brave and cautious consequences say what holds in some and in every case.

Defaults (``default`` / ``default_from`` in the catalogue) are applied here and recorded,
so that the report can show them.

Open world (``open_world``): keys a description leaves out are normally false (closed world).
With ``open_world="sections"`` (``solve --open-world``) every key of a catalogue *section*
(the ``section`` field of ``kb/vocabulary.yaml``) that the description does not answer at all
is treated as if it were written ``unknown``; a section counts as answered as soon as the
description states one of its fact keys (text keys such as ``name`` do not count). With
``open_world="keys"`` (the questionnaire, ``aiact-asp ask``) every key the description does
not state is open. In both, keys with a default keep their default.

Every open key is recorded as an :class:`OpenFact` with its possible answers, each a list of
assumptions on the open atoms, for the engine to solve under (open questions).
"""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass, field
from typing import Any

from clingo import Function, Number, String, Symbol, Tuple_

from .context import date_value, number_symbol
from .loader import Description
from .vocabulary import UNKNOWN, Entry, Vocabulary

#: The two extremes an unknown number or date may take (below / above every threshold).
NUMBER_EXTREMES = (Tuple_([Number(-1_000_000), Number(0), Number(0)]), Tuple_([Number(1_000_000), Number(0), Number(0)]))
DATE_EXTREMES = (Number(10101), Number(99991231))


OPEN_WORLD_MODES = (None, "sections", "keys")


@dataclass(frozen=True)
class Answer:
    """One possible answer to an open fact, as assumptions on its open atoms.

    Attributes:
        value: the answer as it would be written in a description: ``"true"``, ``"false"``, an
            enum value, for a list value ``"<value>"`` (it is one of the values) or
            ``"not <value>"``, for a number or date ``"low"`` / ``"high"`` (below or above every
            threshold the rules compare it with).
        assumptions: ``(atom, truth)`` pairs.
    """

    value: str
    assumptions: tuple[tuple[Symbol, bool], ...]


@dataclass(frozen=True)
class OpenFact:
    """A key of one system whose value is open, with the answers it may get.

    Attributes:
        system: the system id.
        key: the catalogue key.
        parts: ``[(list value or None, answers)]``: one part for a bool, enum, number or date;
            for a list one part per open value (is it among the values or not).
        origin: ``"unknown"`` (written so) or ``"open_world"`` (left out, opened by the open-world rule).
    """

    system: str
    key: str
    parts: tuple[tuple[str | None, tuple[Answer, ...]], ...]
    origin: str = "unknown"


@dataclass
class FactSet:
    """Input atoms for a run.

    Attributes:
        facts: atoms that hold.
        choices: atoms that are open (each may or may not hold).
        exactly_one: groups of open atoms of which exactly one holds (an unknown enum, number or date).
        defaults: system id -> ``[(key, value)]`` of defaults applied.
        open: every open key of every system, with its possible answers.
        left_open: system id -> keys opened by the open-world rule (not written ``unknown``).
        unknown: system id -> keys of its ``unknown(S, key)`` facts, in order.
    """

    facts: list[Symbol] = field(default_factory=list)
    choices: list[Symbol] = field(default_factory=list)
    exactly_one: list[list[Symbol]] = field(default_factory=list)
    defaults: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    open: list[OpenFact] = field(default_factory=list)
    left_open: dict[str, list[str]] = field(default_factory=dict)
    unknown: dict[str, list[str]] = field(default_factory=dict)

    @property
    def has_open(self) -> bool:
        return bool(self.choices or self.exactly_one)


def build_facts(descriptions: list[Description], vocabulary: Vocabulary, as_of: _dt.date,
                open_world: str | None = None, present_keys: frozenset[str] | None = None) -> FactSet:
    """Convert ``descriptions`` into a :class:`FactSet` assessed on ``as_of``.

    A case file's ``expect.as_of`` overrides ``as_of`` for that system. ``open_world`` is
    ``None`` (closed world), ``"sections"`` or ``"keys"`` (see the module documentation).
    ``present_keys``: the keys whose ``present/2`` atom the rules test
    (:attr:`aiact_asp.kb.KnowledgeBase.present_keys`); ``None``: every stated key gets one.
    """
    if open_world not in OPEN_WORLD_MODES:
        raise ValueError(f"open_world must be one of {OPEN_WORLD_MODES}, got {open_world!r}")
    out = FactSet()
    for desc in descriptions:
        system = String(desc.id)
        date = desc.meta.get("expect", {}).get("as_of")
        date = _dt.date.fromisoformat(date) if date else as_of
        out.facts += [Function("system", [system]), Function("as_of", [system, Number(date_value(date))])]
        applied: list[tuple[str, Any]] = []
        opened: list[str] = []
        answered = answered_sections(desc, vocabulary)
        for entry in vocabulary.facts:
            origin = "unknown"
            if entry.key in desc.values:
                value = desc.values[entry.key]
                if present_keys is None or entry.key in present_keys:
                    out.facts.append(Function("present", [system, String(entry.key)]))
            elif entry.default is None and is_left_open(entry, desc, open_world, answered):
                value, origin = UNKNOWN, "open_world"
                opened.append(entry.key)
                if present_keys is None or entry.key in present_keys:
                    out.facts.append(Function("present", [system, String(entry.key)]))
            elif entry.default is not None:
                value = entry.default
                applied.append((entry.key, value))
            elif entry.default_from and entry.default_from in desc.values:
                value = desc.values[entry.default_from]
                applied.append((entry.key, value))
            else:
                continue
            _add_value(out, system, entry, value, desc.open_values.get(entry.key, set()), origin)
        out.defaults[desc.id] = applied
        out.left_open[desc.id] = opened
    return out


def answered_sections(desc: Description, vocabulary: Vocabulary) -> set[str]:
    """The catalogue sections of which ``desc`` states at least one fact key (not id or text)."""
    return {vocabulary.by_key[key].section for key in desc.values
            if key in vocabulary.by_key and vocabulary.by_key[key].predicate}


def is_left_open(entry: Entry, desc: Description, open_world: str | None, answered: set[str]) -> bool:
    """Whether the absent key ``entry`` is open under the open-world rule ``open_world``.

    A key with ``default_from`` whose source key is stated takes that value instead.
    """
    if open_world is None or entry.key in desc.values or entry.default is not None:
        return False
    if entry.default_from and entry.default_from in desc.values:
        return False
    return open_world == "keys" or entry.section not in answered


@functools.lru_cache(maxsize=4096)
def _constant(name: str) -> Symbol:
    """The constant ``name`` (enum and list values recur in every system: made once)."""
    return Function(name)


def _add_unknown(out: FactSet, system: Symbol, key: str) -> None:
    out.facts.append(Function("unknown", [system, String(key)]))
    out.unknown.setdefault(system.string, []).append(key)


def _add_value(out: FactSet, system: Symbol, entry: Entry, value: Any, open_values: set[str],
               origin: str = "unknown") -> None:
    pred = entry.predicate
    if value == UNKNOWN:
        _add_unknown(out, system, entry.key)
        parts: list[tuple[str | None, tuple[Answer, ...]]] = []
        if entry.type == "bool":
            atom = Function(pred, [system])
            out.choices.append(atom)
            parts.append((None, (Answer("true", ((atom, True),)), Answer("false", ((atom, False),)))))
        elif entry.type == "list":
            for v in entry.values:
                atom = Function(pred, [system, _constant(v)])
                out.choices.append(atom)
                parts.append((v, (Answer(v, ((atom, True),)), Answer(f"not {v}", ((atom, False),)))))
        else:
            if entry.type == "enum":
                group = [(v, Function(pred, [system, _constant(v)])) for v in entry.values]
            elif entry.type in ("number", "integer"):
                group = [(label, Function(pred, [system, extreme])) for label, extreme in zip(("low", "high"), NUMBER_EXTREMES)]
            else:  # date
                group = [(label, Function(pred, [system, extreme])) for label, extreme in zip(("low", "high"), DATE_EXTREMES)]
            out.exactly_one.append([atom for _, atom in group])
            parts.append((None, tuple(Answer(label, ((atom, True),)) for label, atom in group)))
        out.open.append(OpenFact(system.string, entry.key, tuple(parts), origin))
        return
    if entry.type == "bool":
        if value is True:
            out.facts.append(Function(pred, [system]))
    elif entry.type == "enum":
        out.facts.append(Function(pred, [system, _constant(value)]))
    elif entry.type == "list":
        out.facts += [Function(pred, [system, _constant(v)]) for v in value]
        if open_values:
            _add_unknown(out, system, entry.key)
            parts = []
            for v in sorted(open_values - set(value)):
                atom = Function(pred, [system, _constant(v)])
                out.choices.append(atom)
                parts.append((v, (Answer(v, ((atom, True),)), Answer(f"not {v}", ((atom, False),)))))
            if parts:
                out.open.append(OpenFact(system.string, entry.key, tuple(parts), origin))
    elif entry.type == "date":
        out.facts.append(Function(pred, [system, Number(date_value(value))]))
    elif entry.type in ("number", "integer"):
        out.facts.append(Function(pred, [system, number_symbol(value)]))
