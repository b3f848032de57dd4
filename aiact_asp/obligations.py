"""Roles and obligations of a system, as a checklist: from the conclusions ``role/2``,
``obligation/3`` and ``obligation_applies_from/3`` (kb/roles.lp, kb/obligations.lp) and
their titles, articles and Algoritmekader ids in ``kb/obligations.yaml``.
"""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass
from pathlib import Path

from .engine import SystemResult
from .kbyaml import read_yaml


@dataclass(frozen=True)
class ObligationItem:
    """One obligation for one system.

    Attributes:
        id: stable obligation id (``art26_deployer_duties``).
        role: the role it binds (``deployer``).
        articles: provisions as written in the law (``["26(7)"]``).
        title: ``{"en": ..., "nl": ...}``.
        algoritmekader: Dutch government requirement ids (``["aia-27"]``).
        applies_from: the date from which it applies to this system, or ``None`` if not derived.
        applies_now: it applies on the assessment date.
        certain: ``False`` when it depends on unknown facts.
    """

    id: str
    role: str
    articles: tuple[str, ...]
    title: dict
    algoritmekader: tuple[str, ...]
    applies_from: _dt.date | None
    applies_now: bool
    certain: bool


@functools.lru_cache(maxsize=4)
def load_catalogue(directory: Path) -> dict:
    """``kb/obligations.yaml`` as a dict (``{"roles": {...}, "obligations": {...}}``); empty if absent."""
    path = Path(directory) / "obligations.yaml"
    if not path.is_file():
        return {"roles": {}, "obligations": {}}
    data = read_yaml(path) or {}
    return {"roles": data.get("roles", {}) or {}, "obligations": data.get("obligations", {}) or {}}


def _date(value: int) -> _dt.date:
    return _dt.date(value // 10000, value // 100 % 100, value % 100)


def roles_of(result: SystemResult) -> list[tuple[str, bool]]:
    """``[(role, certain)]`` of the organisation for this system."""
    return [(str(c.arguments[0]), c.certain) for c in result.conclusions if c.name == "role"]


def obligations_of(result: SystemResult, directory: Path) -> list[ObligationItem]:
    """The obligations of ``result``, ordered by role, then start date, then id."""
    catalogue = load_catalogue(directory)["obligations"]
    starts: dict[str, int] = {}
    for c in result.conclusions:
        if c.name == "obligation_applies_from":
            key = str(c.arguments[0])
            starts[key] = max(starts.get(key, 0), c.arguments[1].number)
    items = []
    for c in result.conclusions:
        if c.name != "obligation":
            continue
        ident, role = str(c.arguments[0]), str(c.arguments[1])
        info = catalogue.get(ident, {})
        start = _date(starts[ident]) if ident in starts else None
        items.append(ObligationItem(
            ident, role, tuple(info.get("articles", ())), info.get("title", {}),
            tuple(info.get("algoritmekader", ()) or ()), start,
            start is not None and start <= result.as_of, c.certain,
        ))
    return sorted(items, key=lambda i: (i.role, i.applies_from or _dt.date.max, i.id))
