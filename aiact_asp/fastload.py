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
_NO_KEY = object()  # no key read yet in the open mapping


class _Unusual(Exception):
    """The file uses something this reader leaves to the exact loader."""


def available() -> bool:
    """Whether libyaml's C parser is there (else every file goes to the exact loader)."""
    return _CParser is not None


# --------------------------------------------------------------------------- YAML events -> plain data


def _plain(value: str) -> Any:
    """A plain (unquoted) scalar other than ``true``/``false`` (read by the caller) as YAML 1.2
    and YAML 1.1 both read it; :class:`_Unusual` when they differ or the reading is not obvious."""
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
    """The single document of ``text`` as plain data, and the 0-based line of each mapping and
    list (by ``id``); :class:`_Unusual` for anything this reader leaves to the exact loader.

    One pass over libyaml's events; it runs once per event (a million for 10,000 systems), so
    it is written flat: the open containers on a stack, each child stored in its parent as soon
    as it starts, and no tag, anchor or alias accepted at all."""
    parser = _CParser(text)
    get = parser.get_event
    scalar_event, mapping_start, sequence_start = _events.ScalarEvent, _events.MappingStartEvent, _events.SequenceStartEvent
    mapping_end, sequence_end = _events.MappingEndEvent, _events.SequenceEndEvent
    document_start, alias_event = _events.DocumentStartEvent, _events.AliasEvent
    special, numeric = _SPECIAL, "-+.0123456789"
    lines: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = []  # the enclosing containers, and whether each is a mapping
    top: Any = None                      # the container being filled
    mapping = False                      # whether ``top`` is a mapping
    key: Any = _NO_KEY                   # in a mapping: the key read, waiting for its value
    root: Any = None
    documents = nodes = 0
    limit = loader.MAX_NODES
    try:
        event = get()
        while event is not None:
            kind = type(event)
            if kind is scalar_event:
                nodes += 1
                if event.anchor is not None or event.tag is not None:
                    raise _Unusual
                node: Any = event.value
                if not event.style:  # plain: quoted and block scalars are text
                    if node == "true":
                        node = True
                    elif node == "false":
                        node = False
                    elif node in special or node[0] in numeric:
                        node = _plain(node)
                if mapping:
                    if key is _NO_KEY:
                        if type(node) is not str or node in top:
                            raise _Unusual  # a key that is not text, or a duplicate key
                        key = node
                    else:
                        top[key] = node
                        key = _NO_KEY
                elif top is not None:
                    top.append(node)
                else:
                    return node, lines  # a document of one scalar
            elif kind is mapping_start or kind is sequence_start:
                nodes += 1
                if event.anchor is not None or event.tag is not None:
                    raise _Unusual
                node = {} if kind is mapping_start else []
                lines[id(node)] = event.start_mark.line
                if mapping:
                    if key is _NO_KEY:
                        raise _Unusual  # a mapping or list as a key
                    top[key] = node
                elif top is not None:
                    top.append(node)
                else:
                    root = node
                stack.append((top, mapping))
                top, mapping, key = node, kind is mapping_start, _NO_KEY
            elif kind is mapping_end or kind is sequence_end:
                top, mapping = stack.pop()
                key = _NO_KEY
            elif kind is document_start:
                documents += 1
                if documents > 1 or event.explicit or event.version or event.tags:
                    raise _Unusual
            elif kind is alias_event:
                raise _Unusual
            # else: stream start and end, document end
            if nodes > limit:
                raise _Unusual  # the loader names the limit
            event = get()
        return root, lines
    except _YAMLError:
        raise _Unusual from None
    finally:
        parser.dispose()


# --------------------------------------------------------------------------- the strict check


class _Checker:
    """Says whether a system is *certainly* valid for the loader (never the reverse), and which
    catalogue entries it gives: one walk over the system's own keys along the loader's tree of
    the catalogue (:func:`aiact_asp.loader._layout`)."""

    def __init__(self, vocabulary: Vocabulary):
        tree = loader._layout(vocabulary)
        if tree is None:
            raise ValueError("the catalogue is not a tree of keys")
        self.tree = tree
        #: per entry index: what its value may be (see :func:`_value_ok`), worked out once.
        self.kinds = [_kind(entry) for entry in vocabulary.entries]

    def present(self, data: dict) -> list[tuple[int, Any]] | None:
        """``loader._present(data, ...)`` when ``data`` is certainly valid, else ``None``."""
        if type(data.get("id")) is not str:
            return None
        out: list[tuple[int, Any]] = []
        rest = data
        if "reason" in data or "expect" in data:  # a case file's own keys, next to the catalogue's
            if not _clean_text(data.get("reason", "")) or not _expect_ok(data.get("expect", {})):
                return None
            rest = {k: v for k, v in data.items() if k != "reason" and k != "expect"}
        if not self._collect(self.tree, rest, out):
            return None
        out.sort()  # by index: the indices differ, so the values are never compared
        return out

    def _collect(self, tree: dict, data: dict, out: list[tuple[int, Any]]) -> bool:
        """Add ``(index, value)`` of each entry in ``data`` (a mapping at the level ``tree``) to
        ``out``; ``False`` at the first key or value not certainly valid."""
        kinds = self.kinds
        for key, value in data.items():
            spec = tree.get(key)
            if type(spec) is int:
                kind, allowed = kinds[spec]
                if kind == "bool":  # the commonest two, checked here to save a call per value
                    if not (value is True or value is False or (type(value) is str and value == UNKNOWN)):
                        return False
                elif kind == "enum":
                    if not (type(value) is str and (value in allowed or value == UNKNOWN)):
                        return False
                elif not _value_ok(kinds[spec], value):
                    return False
                out.append((spec, value))
            elif type(spec) is not dict or type(value) is not dict or not self._collect(spec, value, out):
                return False  # an unknown key, or a group that is not a mapping
        return True


def _clean_text(value: Any) -> bool:
    return type(value) is str and _clean(value)


def _clean(text: str) -> bool:
    """No control characters other than tab and line break, no surrogates (the loader's rule)."""
    if text.isprintable():
        return True
    return all(ch in "\t\n" or (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in ("\ufffe", "\uffff"))
               for ch in text)


def _kind(entry: Entry) -> tuple[str, tuple[str, ...] | frozenset[str]]:
    """What :func:`_value_ok` checks for ``entry``: its type, or ``alias_value`` (a bool that
    stands for a list value) or ``alias`` (another name for a key: left to the loader), with
    the allowed values."""
    if entry.alias_value:
        return "alias_value", ()
    if entry.is_alias:
        return "alias", ()
    return entry.type, frozenset(entry.values)


def _value_ok(kind: tuple[str, Any], value: Any) -> bool:
    kind, allowed = kind
    if kind == "alias_value":
        return type(value) is bool or value == UNKNOWN
    if kind == "alias":
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
        return type(value) is str and value in allowed
    if kind == "list":
        return (type(value) is list and all(type(v) is str and v in allowed for v in value)
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
    try:
        check = _checker(vocabulary)
    except ValueError:  # a catalogue that is not a tree of keys: read exactly
        return None
    out = []
    try:
        for item, prefix in zip(items, prefixes):
            present = check.present(item) if type(item) is dict else None
            if present is None:
                return None
            where = CommentedMap()
            where._yaml_set_line_col(lines[id(item)], 0)
            desc, errors = loader._normalise(item, where, name, vocabulary, prefix, present)
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


def read_files(files: list[Path], errors: list[InputError], vocabulary: Vocabulary,
               on_file: Callable[[Path], None] | None = None) -> tuple[list[Description], list[InputError]]:
    """Like :func:`aiact_asp.loader.read_files`, faster."""
    return loader.read_files(files, errors, vocabulary, read=load_file, on_file=on_file)


__all__ = ["available", "parse_text", "load_file", "load_paths", "read_files"]
