"""The vocabulary catalogue (``kb/vocabulary.yaml``): every input key a description may use.

The catalogue is the single source for validation (the JSON Schema is generated from it),
for the YAML-to-facts converter (each entry names its ASP predicate) and for the questions
and documentation. Contract: ``../shared/spec/system-description.md``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .kbyaml import read_yaml

#: Value types of the catalogue.
TYPES = ("id", "text", "bool", "enum", "list", "date", "number", "integer")
UNKNOWN = "unknown"
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
NUMBER_PATTERN = r"^[0-9][0-9_]*(\.[0-9]+)?([eE][+-]?[0-9]+)?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@dataclass(frozen=True)
class Entry:
    """One input key.

    Attributes:
        key: dotted path in the YAML description, e.g. ``annex_iii.profiling_natural_persons``.
        type: one of :data:`TYPES`.
        predicate: the ASP predicate the converter emits (``None`` for id/text keys).
        values: allowed values of an enum or list.
        default: value taken when the key is absent (``None``: absent means false/nothing).
        default_from: key whose value is taken when this one is absent.
        alias_of: for an alias, the key it stands for; ``alias_value`` the list value it means.
        source: legal source, e.g. ``"Art. 6(3), last subparagraph"``.
        question, help: ``{"en": ..., "nl": ...}``.
    """

    key: str
    type: str
    predicate: str | None = None
    values: tuple[str, ...] = ()
    default: Any = None
    default_from: str | None = None
    alias_of: str | None = None
    alias_value: str | None = None
    source: str = ""
    section: str = ""
    question: dict = field(default_factory=dict)
    help: dict = field(default_factory=dict)
    value_labels: dict = field(default_factory=dict)
    value_sources: dict = field(default_factory=dict)
    unit: str | None = None

    @functools.cached_property
    def path(self) -> tuple[str, ...]:
        """The parts of :attr:`key` (``("annex_iii", "profiling_natural_persons")``); worked out
        once, as readers ask for it per entry and per system. Not a field: equality, hashing
        and ``repr`` stay those of the fields."""
        return tuple(self.key.split("."))

    @property
    def is_alias(self) -> bool:
        return self.alias_of is not None


class Vocabulary:
    """The loaded catalogue: entries by key and by predicate, and the JSON Schema.

    Raises:
        ValueError: the catalogue itself is malformed (unknown type, duplicate key or predicate,
            alias to a missing key).
    """

    def __init__(self, entries: list[Entry], sections: list[dict] | None = None, path: Path | None = None):
        self.path = path
        self.sections = sections or []
        self.entries = entries
        self.by_key: dict[str, Entry] = {}
        self.by_predicate: dict[str, Entry] = {}
        for entry in entries:
            if entry.type not in TYPES:
                raise ValueError(f"{path}: entry {entry.key!r} has unknown type {entry.type!r}")
            if entry.key in self.by_key:
                raise ValueError(f"{path}: key {entry.key!r} is listed twice")
            self.by_key[entry.key] = entry
            if entry.predicate and not entry.is_alias:
                if entry.predicate in self.by_predicate:
                    raise ValueError(f"{path}: predicate {entry.predicate!r} is used by two keys")
                self.by_predicate[entry.predicate] = entry
        for entry in entries:
            if entry.is_alias and entry.alias_of not in self.by_key:
                raise ValueError(f"{path}: alias {entry.key!r} points to missing key {entry.alias_of!r}")

    @property
    def facts(self) -> list[Entry]:
        """Entries that become ASP facts (not aliases, not id/text)."""
        return [e for e in self.entries if not e.is_alias and e.predicate]

    def children(self, prefix: tuple[str, ...]) -> set[str]:
        """Names allowed directly under the mapping at ``prefix`` (for "did you mean")."""
        n = len(prefix)
        return {e.path[n] for e in self.entries if len(e.path) > n and e.path[:n] == prefix}

    def json_schema(self) -> dict:
        """A JSON Schema (draft 2020-12) of one system description, generated from the catalogue."""
        root: dict = {"type": "object", "properties": {}, "additionalProperties": False, "required": ["id"]}
        for entry in self.entries:
            node = root
            for part in entry.path[:-1]:
                node = node["properties"].setdefault(
                    part, {"type": "object", "properties": {}, "additionalProperties": False}
                )
            node["properties"][entry.path[-1]] = _value_schema(self.by_key[entry.alias_of] if entry.is_alias and not entry.alias_value else entry)
        for meta, schema in META_SCHEMA.items():
            root["properties"][meta] = schema
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "AI system description", **root}


def _value_schema(entry: Entry) -> dict:
    unknown = {"const": UNKNOWN}
    if entry.alias_value:  # an alias of one list value behaves as a bool
        return {"enum": [True, False, UNKNOWN]}
    t = entry.type
    if t == "id":
        return {"type": "string", "pattern": ID_PATTERN}
    if t == "text":
        return {"type": "string"}
    if t == "bool":
        return {"enum": [True, False, UNKNOWN]}
    if t == "enum":
        return {"enum": [*entry.values, UNKNOWN]}
    if t == "list":
        return {"anyOf": [{"type": "array", "items": {"enum": list(entry.values)}, "uniqueItems": True}, unknown]}
    if t == "date":
        return {"anyOf": [{"type": "string", "pattern": DATE_PATTERN}, unknown]}
    if t in ("number", "integer"):
        return {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": NUMBER_PATTERN}, unknown]}
    raise ValueError(t)


#: Keys of a case file that are not facts about the system (see docs/descriptions.md).
META_SCHEMA: dict[str, dict] = {
    "reason": {"type": "string"},
    "expect": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "risk_class": {"type": "string"},
            "conclusions": {"type": "array", "items": {"type": "string"}},
            "include": {"type": "array", "items": {"type": "string"}},
            "exclude": {"type": "array", "items": {"type": "string"}},
            "as_of": {"type": "string", "pattern": DATE_PATTERN},
        },
    },
}


def default_path() -> Path:
    """The catalogue shipped with the knowledge base: ``<kb>/vocabulary.yaml``."""
    from .kb import default_kb_dir

    return default_kb_dir() / "vocabulary.yaml"


@functools.lru_cache(maxsize=8)
def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Load and check the catalogue at ``path`` (default: the shipped one).

    Raises:
        FileNotFoundError: no catalogue at ``path``.
        ValueError: the catalogue is malformed.
    """
    path = Path(path or default_path())
    data = read_yaml(path)
    entries = []
    for raw in data["entries"]:
        raw = dict(raw)
        raw.pop("meaning", None)
        if raw.get("alias_of"):
            raw.setdefault("type", "bool")
        raw["values"] = tuple(raw.get("values") or ())
        entries.append(Entry(**raw))
    return Vocabulary(entries, data.get("sections"), path)
