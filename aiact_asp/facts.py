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
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from clingo import Function, Number, String, Symbol, Tuple_

from .context import date_value, number_symbol
from .loader import Description
from .vocabulary import UNKNOWN, Entry, Vocabulary

#: The two extremes an unknown number or date may take (below / above every threshold).
NUMBER_EXTREMES = (Tuple_([Number(-1_000_000), Number(0), Number(0)]), Tuple_([Number(1_000_000), Number(0), Number(0)]))
DATE_EXTREMES = (Number(10101), Number(99991231))


@dataclass
class FactSet:
    """Input atoms for a run.

    Attributes:
        facts: atoms that hold.
        choices: atoms that are open (each may or may not hold).
        exactly_one: groups of open atoms of which exactly one holds (an unknown enum, number or date).
        defaults: system id -> ``[(key, value)]`` of defaults applied.
    """

    facts: list[Symbol] = field(default_factory=list)
    choices: list[Symbol] = field(default_factory=list)
    exactly_one: list[list[Symbol]] = field(default_factory=list)
    defaults: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)

    @property
    def has_open(self) -> bool:
        return bool(self.choices or self.exactly_one)


def build_facts(descriptions: list[Description], vocabulary: Vocabulary, as_of: _dt.date) -> FactSet:
    """Convert ``descriptions`` into a :class:`FactSet` assessed on ``as_of``.

    A case file's ``expect.as_of`` overrides ``as_of`` for that system.
    """
    out = FactSet()
    for desc in descriptions:
        system = String(desc.id)
        date = desc.meta.get("expect", {}).get("as_of")
        date = _dt.date.fromisoformat(date) if date else as_of
        out.facts += [Function("system", [system]), Function("as_of", [system, Number(date_value(date))])]
        applied: list[tuple[str, Any]] = []
        for entry in vocabulary.facts:
            if entry.key in desc.values:
                value = desc.values[entry.key]
                out.facts.append(Function("present", [system, String(entry.key)]))
            elif entry.default is not None:
                value = entry.default
                applied.append((entry.key, value))
            elif entry.default_from and entry.default_from in desc.values:
                value = desc.values[entry.default_from]
                applied.append((entry.key, value))
            else:
                continue
            _add_value(out, system, entry, value, desc.open_values.get(entry.key, set()))
        out.defaults[desc.id] = applied
    return out


def _add_value(out: FactSet, system: Symbol, entry: Entry, value: Any, open_values: set[str]) -> None:
    pred = entry.predicate
    if value == UNKNOWN:
        out.facts.append(Function("unknown", [system, String(entry.key)]))
        if entry.type == "bool":
            out.choices.append(Function(pred, [system]))
        elif entry.type == "list":
            out.choices += [Function(pred, [system, Function(v)]) for v in entry.values]
        elif entry.type == "enum":
            out.exactly_one.append([Function(pred, [system, Function(v)]) for v in entry.values])
        elif entry.type in ("number", "integer"):
            out.exactly_one.append([Function(pred, [system, extreme]) for extreme in NUMBER_EXTREMES])
        elif entry.type == "date":
            out.exactly_one.append([Function(pred, [system, extreme]) for extreme in DATE_EXTREMES])
        return
    if entry.type == "bool":
        if value is True:
            out.facts.append(Function(pred, [system]))
    elif entry.type == "enum":
        out.facts.append(Function(pred, [system, Function(value)]))
    elif entry.type == "list":
        out.facts += [Function(pred, [system, Function(v)]) for v in value]
        if open_values:
            out.facts.append(Function("unknown", [system, String(entry.key)]))
            out.choices += [Function(pred, [system, Function(v)]) for v in sorted(open_values - set(value))]
    elif entry.type == "date":
        out.facts.append(Function(pred, [system, Number(date_value(value))]))
    elif entry.type in ("number", "integer"):
        out.facts.append(Function(pred, [system, number_symbol(value)]))
