"""A fast reader for well-formed description files (for inventories of thousands of systems).

:mod:`aiact_asp.loader` reads YAML with ruamel.yaml's round-trip parser (written in Python,
keeping comments) and validates each system with ``jsonschema``; for an inventory that is
most of the run time, about 1 ms per key. This module reads the same files with libyaml's C
parser (PyYAML's ``CParser``) and accepts a system only when a strict check against the
catalogue shows it is valid; it then hands it to the loader's own normalisation, so the
:class:`~aiact_asp.loader.Description` is the loader's. Anything else goes to
:func:`aiact_asp.loader.load_file`, which reads the file exactly and reports every problem
with its line: anchors and aliases, tags, directives, several documents, duplicate keys,
scalars whose YAML 1.2 reading is not obvious (``True``, ``null``, ``0x1F``, ``1_000``), any
value the check does not accept, and any file with a problem to report.

So the outcome is always the loader's; only the speed differs. ``tests/test_inventory.py``
checks that both give the same descriptions for every example and for imported skeletons.
Without libyaml every file goes to the exact loader.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any, Callable, Iterable

from ruamel.yaml.comments import CommentedMap

from . import loader
from .errors import InputError
from .loader import Description
from .vocabulary import DATE_PATTERN, ID_PATTERN, NUMBER_PATTERN, UNKNOWN, Entry, Vocabulary

try:  # libyaml is optional
    from yaml import YAMLError as _YAMLError
    from yaml import events as _events
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    _CParser = None

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?[0-9]+(?:\.[0-9]*(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)")
_DATE_LIKE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ID = re.compile(ID_PATTERN)
_DATE = re.compile(DATE_PATTERN)
_NUMBER = re.compile(NUMBER_PATTERN)
#: Plain scalars whose reading is not plain text, or differs between YAML 1.1 and 1.2.
_SPECIAL = frozenset({"True", "TRUE", "False", "FALSE", "null", "Null", "NULL", "~", "", "yes", "no", "Yes",
                      "No", "YES", "NO", "on", "off", "On", "Off", "ON", "OFF", "y", "n", "Y", "N"})
_EXPECT_LISTS = ("conclusions", "include", "exclude")


class _Unusual(Exception):
    """The file uses something this reader leaves to the exact loader."""


def available() -> bool:
    """Whether libyaml's C parser is there (else every file goes to the exact loader)."""
    return _CParser is not None


# --------------------------------------------------------------------------- YAML events -> plain data


def _scalar(event: Any) -> Any:
    if event.anchor is not None or (event.tag is not None and not any(event.implicit)):
        raise _Unusual
    value = event.value
    if event.style:  # quoted or block scalar: text
        return value
    if value in ("true", "false"):
        return value == "true"
    if value in _SPECIAL:
        raise _Unusual
    if value[0] in "-+.0123456789":
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
        if _DATE_LIKE.fullmatch(value):
            return value
        raise _Unusual
    return value


def _document(text: str) -> tuple[Any, dict[int, int]]:
    """The single document of ``text`` as plain data, and the 0-based line of each mapping
    (by ``id``); :class:`_Unusual` for anything this reader leaves to the exact loader."""
    parser = _CParser(text)
    lines: dict[int, int] = {}
    stack: list[Any] = []
    keys: list[Any] = []
    pending = keys  # a sentinel: no key read yet
    root: Any = None
    documents = nodes = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            kind = type(event)
            nodes += 1
            if nodes > loader.MAX_NODES:
                raise _Unusual  # the loader names the limit
            if kind is _events.ScalarEvent:
                node: Any = _scalar(event)
            elif kind is _events.MappingStartEvent or kind is _events.SequenceStartEvent:
                if event.anchor is not None or (event.tag is not None and not event.implicit):
                    raise _Unusual
                node = {} if kind is _events.MappingStartEvent else []
                lines[id(node)] = event.start_mark.line
            elif kind is _events.MappingEndEvent or kind is _events.SequenceEndEvent:
                root = stack.pop()
                keys.pop()
                continue
            elif kind is _events.DocumentStartEvent:
                documents += 1
                if documents > 1 or event.explicit or event.version or event.tags:
                    raise _Unusual
                continue
            elif kind is _events.AliasEvent:
                raise _Unusual
            else:  # stream start and end, document end
                continue
            if stack:
                parent = stack[-1]
                if type(parent) is dict:
                    if keys[-1] is pending:
                        if type(node) is not str or node in parent:
                            raise _Unusual  # a key that is not text, or a duplicate key
                        keys[-1] = node
                        continue
                    parent[keys[-1]] = node
                    keys[-1] = pending
                else:
                    parent.append(node)
            elif type(node) is not dict and type(node) is not list:
                return node, lines
            if type(node) is dict or type(node) is list:
                stack.append(node)
                keys.append(pending)
        return root, lines
    except _YAMLError:
        raise _Unusual from None
    finally:
        parser.dispose()


# --------------------------------------------------------------------------- the strict check


class _Checker:
    """Says whether a system is *certainly* valid for the loader (never the reverse)."""

    def __init__(self, vocabulary: Vocabulary):
        self.tree: dict = {}
        for entry in vocabulary.entries:
            node = self.tree
            for part in entry.path[:-1]:
                node = node.setdefault(part, {})
                if not isinstance(node, dict):
                    raise ValueError(entry.key)
            node[entry.path[-1]] = entry

    def valid(self, data: dict) -> bool:
        if type(data.get("id")) is not str:
            return False
        for key, value in data.items():
            if key == "reason":
                if type(value) is not str or not _clean(value):
                    return False
            elif key == "expect":
                if not _expect_ok(value):
                    return False
            elif not self._ok(self.tree.get(key), value):
                return False
        return True

    def _ok(self, spec: Any, value: Any) -> bool:
        if spec is None:
            return False
        if isinstance(spec, dict):
            return type(value) is dict and all(self._ok(spec.get(k), v) for k, v in value.items())
        return _value_ok(spec, value)


def _clean(text: str) -> bool:
    """No control characters other than tab and line break, no surrogates (the loader's rule)."""
    if text.isprintable():
        return True
    return all(ch in "\t\n" or (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in ("\ufffe", "\uffff"))
               for ch in text)


def _value_ok(entry: Entry, value: Any) -> bool:
    kind = entry.type
    if entry.alias_value:
        return type(value) is bool or value == UNKNOWN
    if entry.is_alias:
        return False  # an alias of a whole key: leave the consistency check to the loader
    if kind == "text":
        return type(value) is str and _clean(value)
    if kind == "id":
        return type(value) is str and _ID.match(value) is not None
    if value == UNKNOWN and type(value) is str:
        return True
    if kind == "bool":
        return type(value) is bool
    if kind == "enum":
        return type(value) is str and value in entry.values
    if kind == "list":
        return (type(value) is list and all(type(v) is str and v in entry.values for v in value)
                and len(set(value)) == len(value))
    if kind == "date":
        return type(value) is str and _DATE.match(value) is not None
    if kind in ("number", "integer"):
        return (type(value) in (int, float) and value >= 0) or (type(value) is str and _NUMBER.match(value) is not None)
    return False


def _expect_ok(value: Any) -> bool:
    if type(value) is not dict:
        return False
    for key, item in value.items():
        if key == "risk_class":
            ok = type(item) is str
        elif key in _EXPECT_LISTS:
            ok = type(item) is list and all(type(v) is str for v in item)
        elif key == "as_of":
            ok = type(item) is str and _DATE.match(item) is not None
        else:
            ok = False
        if not ok:
            return False
    return True


_CHECKERS: dict[int, tuple[Vocabulary, _Checker]] = {}


def _checker(vocabulary: Vocabulary) -> _Checker:
    found = _CHECKERS.get(id(vocabulary))
    if found is None or found[0] is not vocabulary:
        found = (vocabulary, _Checker(vocabulary))
        _CHECKERS[id(vocabulary)] = found
    return found[1]


# --------------------------------------------------------------------------- reading


def parse_text(text: str, name: str, vocabulary: Vocabulary) -> list[Description] | None:
    """The descriptions of ``text`` exactly as :func:`aiact_asp.loader.parse_text` gives them,
    or ``None`` when the text must go to the exact loader."""
    if _CParser is None or text.startswith("\ufeff") or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return None  # a byte-order mark, or line breaks that libyaml counts and YAML 1.2 does not
    try:
        doc, lines = _document(text)
    except (_Unusual, RecursionError, ValueError, TypeError):
        return None
    if type(doc) is not dict:
        return None
    if "systems" in doc:
        items = doc["systems"]
        if len(doc) != 1 or type(items) is not list or not items:
            return None
        prefixes = [f"systems[{i}]." for i in range(len(items))]
    else:
        items, prefixes = [doc], [""]
    check = _checker(vocabulary)
    out = []
    try:
        for item, prefix in zip(items, prefixes):
            if type(item) is not dict or not check.valid(item):
                return None
            where = CommentedMap()
            where._yaml_set_line_col(lines[id(item)], 0)
            desc, errors = loader._normalise(item, where, name, vocabulary, prefix)
            if errors or desc is None:
                return None
            out.append(desc)
    except Exception:  # noqa: BLE001 — the loader's internals changed: read exactly instead
        return None
    return out


def load_file(path: Path, vocabulary: Vocabulary) -> tuple[list[Description], list[InputError]]:
    """Like :func:`aiact_asp.loader.load_file`, faster for well-formed files."""
    try:
        raw = path.read_bytes() if path.stat().st_size <= loader.MAX_FILE_BYTES else None
        text = raw.decode("utf-8") if raw is not None else None
    except (OSError, UnicodeDecodeError):
        text = None
    fast = parse_text(text, str(path), vocabulary) if text is not None else None
    return (fast, []) if fast is not None else loader.load_file(path, vocabulary)


def load_paths(paths: Iterable[str | Path], vocabulary: Vocabulary | None = None,
               on_file: Callable[[Path], None] | None = None) -> tuple[list[Description], list[InputError]]:
    """Like :func:`aiact_asp.loader.load_paths` (same files and order, same id check, same
    errors), faster. ``on_file(path)`` is called after each file (for a progress bar)."""
    return loader.load_paths(paths, vocabulary, read=load_file, on_file=on_file)


__all__ = ["available", "parse_text", "load_file", "load_paths"]


def read_files(files: list[Path], errors: list[InputError], vocabulary: Vocabulary,
               on_file: Callable[[Path], None] | None = None) -> tuple[list[Description], list[InputError]]:
    """Like :func:`aiact_asp.loader.read_files`, faster."""
    return loader.read_files(files, errors, vocabulary, read=load_file, on_file=on_file)
