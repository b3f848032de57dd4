"""Reading and validating system descriptions (YAML) against the vocabulary catalogue.

A file holds one system (the keys of ``kb/vocabulary.yaml``) or ``systems: [...]``. Every
problem becomes an :class:`~aiact_asp.errors.InputError` naming file, line and key; a bad
file or a bad entry never stops the other systems from being read.

YAML is read with ruamel.yaml in its YAML 1.2 round-trip mode, which never builds Python
objects from tags. On top of that the reader is deliberately strict (docs/input-rules.md):

* only the plain YAML tags (``!!str``, ``!!int``, ``!!float``, ``!!bool``, ``!!null``,
  ``!!seq``, ``!!map``) may be written; ``!!python/object``, ``!!binary``, ``!!set``, local
  tags (``!x``) and the rest are an error with file and line;
* a duplicate key is an error (a second value would silently replace the first);
* anchors and aliases may be used, but an alias that would expand the document beyond
  :data:`MAX_NODES` values ("billion laughs") or that refers to its own container is refused
  while the file is read, before anything is expanded;
* nesting deeper than :data:`MAX_DEPTH` levels and files larger than :data:`MAX_FILE_BYTES`
  are refused;
* ``%YAML 1.1`` is refused (it would read ``yes``/``no``/``on``/``off`` as booleans); in
  YAML 1.2 they are text, and a yes/no field then asks for ``true``/``false``;
* a byte-order mark and CRLF line ends are accepted; a tab used for indentation is an error
  ("tab characters may not be used for indentation, use spaces"), a tab between the parts of
  a line or inside a text is read as YAML 1.2 says (ruamel.yaml alone would refuse it);
* free text may hold any Unicode character YAML allows in a file (it is never turned into
  ASP, see :mod:`aiact_asp.facts`), but no control characters other than tab and line break,
  which could rewrite a terminal when the report is shown.
"""

from __future__ import annotations

import copy
import datetime as _dt
import difflib
import errno
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scanner import RoundTripScanner, Scanner

from .context import parse_number
from .errors import InputError
from .vocabulary import UNKNOWN, Entry, Vocabulary, load_vocabulary

#: Largest description file read (an inventory of over a thousand systems fits).
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Deepest nesting of mappings and lists (a description needs at most 6).
MAX_DEPTH = 20
#: Most values (scalars, mappings, lists) a file may hold once its aliases are expanded.
MAX_NODES = 100_000
#: Largest power of ten in a number (10^1000 FLOPs is far beyond any threshold of the Act).
MAX_EXPONENT = 1000
SUFFIXES = (".yaml", ".yml")

_CORE = "tag:yaml.org,2002:"
#: Explicit tags that may be written: those of plain YAML 1.2 data (and ``!``, "no tag").
ALLOWED_TAGS = frozenset({"!"} | {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "merge", "timestamp")})

#: Spellings that mean "I do not know": the answer is written ``unknown``.
UNKNOWN_LIKE = frozenset({"onbekend", "?", "??", "???", "unk", "niet bekend", "weet niet", "unclear", "onduidelijk",
                          "tbd", "unsure", "don't know", "dont know", "maybe", "misschien", "unknown?"})
#: Spellings that mean "does not apply": the answer is ``false`` (or the key is left out).
NOT_APPLICABLE_LIKE = frozenset({"n/a", "na", "nvt", "n.v.t.", "n.v.t", "not applicable", "niet van toepassing", "-", "none"})
#: Spellings of yes and no that YAML 1.1 (but not 1.2) read as booleans.
YES_NO_LIKE = frozenset({"yes", "no", "y", "n", "on", "off", "ja", "nee", "j", "wel", "niet"})


class _Refused(MarkedYAMLError):
    """A YAML construct the reader refuses on purpose; ``problem`` is the full message."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem=problem, problem_mark=mark)


class _Scanner(Scanner):
    """Stops at the first bracket or indentation beyond the depth limit, before the scanner
    does any work on it (its cost grows with the square of the nesting).

    ruamel.yaml's plain scanner, not its round-trip one: comments are never needed here (the
    questionnaire, which writes files back, keeps them with a reader of its own), and gathering
    them took a fifth of the time of reading a file (the 111 files of facts/ and tests/: 1.08 s,
    now 0.88 s). Tags are read as the round-trip scanner reads them (``%xx`` escapes not
    decoded), so that an escaped tag is refused as written."""

    scan_uri_escapes = RoundTripScanner.scan_uri_escapes

    def fetch_flow_collection_start(self, TokenClass: Any, to_push: Any) -> None:  # noqa: N803 (ruamel's naming)
        if len(self.flow_context) >= MAX_DEPTH:
            raise _Refused(f"brackets nested deeper than {MAX_DEPTH} levels are refused", self.reader.get_mark())
        super().fetch_flow_collection_start(TokenClass, to_push)

    def scan_to_next_token(self) -> Any:
        """Also skip a tab between tokens within a line (``key:<TAB>value``, a trailing tab),
        as YAML 1.2 allows; a tab in the indentation stays an error."""
        result = super().scan_to_next_token()
        while result is None and not self.flow_level and self.reader.peek() == "\t" and self._after_content():
            while self.reader.peek() in " \t":
                self.reader.forward()
            result = super().scan_to_next_token()
        return result

    def scan_plain_spaces(self, indent: Any, start_mark: Any) -> Any:
        """As ruamel.yaml's, but a tab between the words of a plain text is kept, as in YAML 1.2
        (ruamel.yaml ends the text at the tab and then fails on the next word)."""
        length = 0
        while self.reader.peek(length) == "\t" or self.reader.peek(length) == " ":
            length += 1
        if "\t" in self.reader.prefix(length) and self.reader.peek(length) not in "\0\r\n\x85\u2028\u2029#":
            whitespaces = self.reader.prefix(length)
            self.reader.forward(length)
            return [whitespaces]
        return super().scan_plain_spaces(indent, start_mark)

    def _after_content(self) -> bool:
        buffer, pointer = self.reader.buffer, self.reader.pointer
        start = max(buffer.rfind("\n", 0, pointer), buffer.rfind("\r", 0, pointer)) + 1
        return buffer[start:pointer].strip(" \t-?:") != ""

    def add_indent(self, column: int) -> bool:
        if self.indent < column and len(self.indents) > MAX_DEPTH + 1:
            raise _Refused(f"nesting deeper than {MAX_DEPTH} levels is refused", self.reader.get_mark())
        return super().add_indent(column)


class _Composer(Composer):
    """Checks every node while the document is composed, before anything is constructed:
    tags, depth, and the size the document takes once aliases are expanded."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self._expanded = 0
        self._depth = 0
        self._open: list[str] = []
        self._sizes: dict[int, int] = {}

    def compose_document(self) -> Any:
        event = self.parser.peek_event()
        version = getattr(event, "version", None)
        if version is not None and tuple(version) != (1, 2):
            raise _Refused(f"`%YAML {'.'.join(map(str, version))}` is refused: descriptions are read as YAML 1.2 "
                           "(remove the %YAML line; under YAML 1.1 yes/no/on/off would silently become true/false)",
                           event.start_mark)
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            if event.anchor in self._open:
                raise _Refused(f"the alias *{event.anchor} refers to the mapping or list that contains it; "
                               "that would make an endless structure", event.start_mark)
            target = self.anchors.get(event.anchor)
            if target is not None:
                self._count(self._size(target), event.start_mark, event.anchor)
            return super().compose_node(parent, index)
        tag = getattr(event, "tag", None)
        if tag is not None and str(tag) not in ALLOWED_TAGS:
            shown = "!!" + str(tag)[len(_CORE):] if str(tag).startswith(_CORE) else str(tag)
            raise _Refused(f"the tag `{shown}` is not allowed: descriptions hold plain data only "
                           "(text, numbers, true/false, lists and mappings); remove the tag", event.start_mark)
        self._count(1, event.start_mark, None)
        anchor = event.anchor if isinstance(event, CollectionStartEvent) else None
        self._depth += 1
        if self._depth > MAX_DEPTH + 1:
            raise _Refused(f"nesting deeper than {MAX_DEPTH} levels is refused", event.start_mark)
        if anchor is not None:
            self._open.append(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            if anchor is not None:
                self._open.pop()

    def _count(self, size: int, mark: Any, alias: str | None) -> None:
        self._expanded += size
        if self._expanded > MAX_NODES:
            if alias:
                raise _Refused(f"the alias *{alias} makes the file expand to more than {MAX_NODES:,} values; "
                               "aliases that multiply the content (a \"billion laughs\" document) are refused", mark)
            raise _Refused(f"the file holds more than {MAX_NODES:,} values (keys, answers, list items); "
                           "split the inventory over several files", mark)

    def _size(self, node: Any) -> int:
        """Number of values ``node`` stands for once every alias in it is expanded."""
        key = id(node)
        if key not in self._sizes:
            value = node.value
            if isinstance(value, list):
                total = 1
                for item in value:
                    total += sum(self._size(n) for n in item) if isinstance(item, tuple) else self._size(item)
                self._sizes[key] = total
            else:
                self._sizes[key] = 1
        return self._sizes[key]


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that keeps dates as text (so that 2026-02-30 is reported on its
    key) and reports an over-long integer on its line."""

    def construct_yaml_int(self, node: Any) -> Any:
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            raise _Refused(f"a number of {len(str(node.value)):,} digits is refused; write it as e.g. 3.8e25", node.start_mark) from None


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


@dataclass
class Description:
    """One validated system description.

    Attributes:
        id: the system id (``[a-z0-9][a-z0-9_-]*``), unique in a run.
        file, line: where the description starts.
        values: catalogue key -> value, aliases resolved; bools are ``True``/``False``/``"unknown"``,
            enums ``str``, lists ``list[str]``, dates :class:`datetime.date`, numbers
            :class:`decimal.Decimal`; every may also be ``"unknown"``. Absent keys are absent.
        open_values: list key -> values left open by an alias given as ``unknown``.
        text: free-text fields (name, description, ...), never turned into ASP terms.
        meta: ``reason`` and ``expect`` of a case file.
    """

    id: str
    file: str
    line: int
    values: dict[str, Any]
    open_values: dict[str, set[str]] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.text.get("name", "")


def iter_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[InputError]]:
    """Expand files and folders (recursively, ``*.yaml``/``*.yml``) into one file list.

    The list is sorted by path (the order the paths are given in, or the order a folder lists
    its files in, does not matter) and holds each file once, however often it is named.
    """
    files: dict[Path, Path] = {}
    errors: list[InputError] = []
    folders: dict[Path, Path] = {}  # folder -> its resolved path

    def resolved(path: Path) -> Path:
        # Path.resolve() looks at every part of the path, per file (a tenth of a second for
        # 1,500 files): resolve each folder once, and the file itself when it is a link.
        try:
            if not path.is_symlink():
                folder = path.parent
                real = folders.get(folder)
                if real is None:
                    real = folders[folder] = folder.resolve()
                return real / path.name
        except (OSError, RuntimeError, ValueError):
            pass
        return path.resolve()

    def add(path: Path) -> None:
        try:
            key = resolved(path)
        except (OSError, RuntimeError):  # a symlink loop
            errors.append(InputError(str(path), None, None, "cannot be read: a symbolic link that leads nowhere or in a circle",
                                     "kan niet gelezen worden: een symbolische koppeling die nergens of in een kring heen leidt"))
            return
        files.setdefault(key, path)

    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                unreadable: list[tuple[Path, OSError]] = []
                found = [p for p in _folder_entries(path, unreadable)
                         if p.suffix in SUFFIXES and (p.is_file() or (p.is_symlink() and not p.exists()))]
                for folder, exc in unreadable:  # never skipped in silence: its systems would be missing
                    en, nl = os_reason(exc)
                    errors.append(InputError(str(folder), None, None,
                                             f"cannot be read: {en}; this folder's descriptions are not in this run",
                                             f"kan niet gelezen worden: {nl}; de beschrijvingen in deze map doen niet mee"))
                if not found and not unreadable:
                    errors.append(InputError(str(path), None, None, "this folder contains no .yaml or .yml files", "deze map bevat geen .yaml- of .yml-bestanden"))
                for p in found:
                    add(p)
            elif path.is_file():
                add(path)
            elif path.exists():
                errors.append(InputError(str(path), None, None, "is not a regular file or folder", "is geen gewoon bestand en geen map"))
            else:
                errors.append(InputError(str(path), None, None, "no such file or folder", "dit bestand of deze map bestaat niet"))
        except OSError as exc:  # e.g. inside a folder that may not be entered
            en, nl = os_reason(exc)
            errors.append(InputError(str(path), None, None, f"cannot be read: {en}", f"kan niet gelezen worden: {nl}"))
    return sorted(files.values(), key=_sort_key), errors


def _folder_entries(folder: Path, unreadable: list[tuple[Path, OSError]]) -> Iterator[Path]:
    """Every entry below ``folder``, in the order of ``Path.rglob("*")`` (a folder's entries, then
    those of each of its folders; links to folders not followed), noting in ``unreadable`` each
    folder that cannot be listed (``rglob`` passes over those without a word)."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError as exc:
        unreadable.append((folder, exc))
        return
    for entry in entries:
        yield folder / entry.name
    for entry in entries:
        try:
            below = entry.is_dir(follow_symlinks=False)
        except OSError:
            below = False
        if below:
            yield from _folder_entries(folder / entry.name, unreadable)


#: Dutch for the operating system's reasons a file cannot be read (its own words are English).
_OS_REASONS_NL = {errno.EACCES: "geen toegang", errno.EPERM: "geen toegang", errno.ENOENT: "bestaat niet",
                  errno.EISDIR: "is een map", errno.ENOTDIR: "een deel van het pad is geen map",
                  errno.ELOOP: "symbolische koppelingen in een kring", errno.EIO: "leesfout van het apparaat"}


def os_reason(exc: OSError) -> tuple[str, str]:
    """Why a file or folder cannot be read, in English (the system's words) and in Dutch."""
    en = exc.strerror or str(exc)
    return en, f"{_OS_REASONS_NL[exc.errno]} ({en})" if exc.errno in _OS_REASONS_NL else en


def _sort_key(path: Path) -> tuple:
    return (path.is_absolute(), path.parts)


def load_paths(paths: Iterable[str | Path], vocabulary: Vocabulary | None = None,
               read: Callable[[Path, Vocabulary], tuple[list[Description], list[InputError]]] | None = None,
               on_file: Callable[[Path], None] | None = None) -> tuple[list[Description], list[InputError]]:
    """Read every description in ``paths`` (files or folders): :func:`iter_files`, then
    :func:`read_files`.

    Returns:
        ``(descriptions, errors)``: all valid descriptions (ids unique), sorted by file path and
        then by position in the file; and one error per problem, in the same order.
    """
    files, errors = iter_files(paths)
    return read_files(files, errors, vocabulary or load_vocabulary(), read, on_file)


def read_files(files: list[Path], errors: list[InputError], vocabulary: Vocabulary,
               read: Callable[[Path, Vocabulary], tuple[list[Description], list[InputError]]] | None = None,
               on_file: Callable[[Path], None] | None = None) -> tuple[list[Description], list[InputError]]:
    """Read ``files`` in order, each with ``read`` (default :func:`load_file`; the fast reader
    passes its own), after the ``errors`` already found; ``on_file(path)`` is called after each
    file (for a progress bar). A system whose id an earlier one has is an error (:class:`UniqueIds`).

    Returns:
        ``(descriptions, errors)`` as :func:`load_paths` gives them.
    """
    errors = list(errors)
    descriptions: list[Description] = []
    ids = UniqueIds()
    read = read or load_file
    for path in files:
        found, file_errors = read(path, vocabulary)
        errors.extend(file_errors)
        for desc in found:
            duplicate = ids.offer(desc)
            if duplicate is None:
                descriptions.append(desc)
            else:
                errors.append(duplicate)
        if on_file is not None:
            on_file(path)
    return descriptions, errors


class SystemAt(NamedTuple):
    """Where a system was read: its id, file and 1-based line (what the id check needs)."""

    id: str
    file: str
    line: int


class UniqueIds:
    """Every system id once in a run: systems are offered in reading order (files sorted, then
    position in the file); a later system with an id already seen is refused with an error naming
    where that id was first used. Takes a :class:`Description` or a :class:`SystemAt`."""

    def __init__(self) -> None:
        self._first: dict[str, Description | SystemAt] = {}

    def offer(self, desc: Description | SystemAt) -> InputError | None:
        """``None`` when ``desc`` is the first with its id, else the error for it."""
        first = self._first.setdefault(desc.id, desc)
        return None if first is desc else duplicate_id_error(desc, first)


def duplicate_id_error(desc: Description | SystemAt, first: Description | SystemAt) -> InputError:
    """The error for a system whose id ``first`` (read earlier) already has."""
    return InputError(desc.file, desc.line, "id",
                      f"system id {desc.id!r} is already used in {first.file}:{first.line}; ids must be unique in an inventory",
                      f"systeem-id {desc.id!r} wordt al gebruikt in {first.file}:{first.line}; elk id mag in een "
                      "inventarisatie maar één keer voorkomen")


def load_file(path: Path, vocabulary: Vocabulary) -> tuple[list[Description], list[InputError]]:
    """Read one YAML file: one system, or ``systems:`` with a list of them."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return [], [_too_large(name, size)]
        with open(path, "rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        en, nl = os_reason(exc)
        return [], [InputError(name, None, None, f"cannot be read: {en}", f"kan niet gelezen worden: {nl}")]
    if len(raw) > MAX_FILE_BYTES:
        return [], [_too_large(name, len(raw))]
    wide = _wide_encoding(raw)
    if wide:
        return [], [InputError(name, None, None, f"is saved as {wide} (what some editors call 'Unicode'); save the file as UTF-8",
                               f"is opgeslagen als {wide} (wat sommige editors 'Unicode' noemen); sla het bestand op als UTF-8")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)  # utf-8-sig counts after the BOM
        line = raw[:offset].count(b"\n") + 1
        column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        return [], [InputError(name, line, None, f"is not valid UTF-8: byte 0x{raw[offset]:02x} at line {line}, column {column} "
                                                 f"(byte {offset} of the file); save the file as UTF-8",
                               f"is geen geldige UTF-8: byte 0x{raw[offset]:02x} op regel {line}, kolom {column} "
                               f"(byte {offset} van het bestand); sla het bestand op als UTF-8")]
    return parse_text(text, name, vocabulary)


def _wide_encoding(raw: bytes) -> str | None:
    """``"UTF-16"`` or ``"UTF-32"`` when ``raw`` starts like text in one of them (a byte-order mark,
    or ASCII with zero bytes beside it: never valid YAML in UTF-8), else ``None``."""
    if raw[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") or (len(raw) >= 4 and raw[:4].count(0) == 3):
        return "UTF-32"
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:2]:
        return "UTF-16"
    return None


def _too_large(name: str, size: int) -> InputError:
    return InputError(name, None, None, f"is {size:,} bytes or more; description files larger than {MAX_FILE_BYTES:,} bytes "
                                        "are refused (split a list of systems over several files)",
                      f"is {size:,} bytes of groter; beschrijvingen groter dan {MAX_FILE_BYTES:,} bytes worden geweigerd "
                      "(verdeel een lijst van systemen over meer bestanden)")


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Scanner = _Scanner
    yaml.Composer = _Composer
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


def parse_text(text: str, name: str, vocabulary: Vocabulary) -> tuple[list[Description], list[InputError]]:
    """Parse YAML ``text`` (from file ``name``) into descriptions."""
    if text.startswith("\ufeff"):
        text = text[1:]
    nel = text.find("\x85")
    if nel >= 0:  # the YAML reader would silently turn it into a line break (YAML 1.1) and fold it to a space
        line = text.count("\n", 0, nel) + 1
        return [], [InputError(name, line, _key_at_line(text.replace("\x85", " "), line), "contains the control character "
                               "U+0085 (NEXT LINE), which would silently become a space; replace it by a line break or a space")]
    try:
        doc = _yaml().load(text)
    except _Refused as exc:
        line = _mark_line(exc.problem_mark)
        if str(exc.problem).startswith("`%YAML"):  # name the directive's own line, not the `---` after it
            line = next((i for i, text_line in enumerate(text.splitlines(), start=1) if text_line.startswith("%YAML")), line)
        return [], [InputError(name, line, None, str(exc.problem))]
    except MarkedYAMLError as exc:
        return [], [_yaml_error(exc, text, name)]
    except ReaderError as exc:
        position = exc.position if isinstance(exc.position, int) else 0
        line = text.count("\n", 0, position) + 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return [], [InputError(name, line, None, f"contains the control character {char}, which may not be written in a YAML file")]
    except (YAMLError, RecursionError, ValueError, TypeError) as exc:  # e.g. an unhashable key
        return [], [InputError(name, None, None, f"YAML error: {exc}", f"YAML-fout (het bestand is geen geldige YAML): {exc}")]
    if doc is None:
        return [], [InputError(name, 1, None, "the file is empty; it must describe a system (at least an `id`)",
                               "het bestand is leeg; het moet een systeem beschrijven (ten minste een `id`)")]
    if not isinstance(doc, CommentedMap):
        seq = isinstance(doc, CommentedSeq)
        hint = " (for several systems write `systems:` on the line above the list)" if seq else ""
        hint_nl = " (schrijf voor meer systemen `systems:` op de regel boven de lijst)" if seq else ""
        return [], [InputError(name, 1, None, f"the file must hold a mapping of keys (one system) or `systems:` with a list of systems{hint}",
                               f"het bestand moet sleutels met waarden bevatten (één systeem) of `systems:` met een lijst van systemen{hint_nl}")]
    if "systems" in doc:
        if len(doc) != 1 or not isinstance(doc["systems"], CommentedSeq):
            return [], [InputError(name, _key_line(doc, "systems"), "systems", "`systems:` must be the only top-level key and hold a list of systems",
                                   "`systems:` moet de enige sleutel op het hoogste niveau zijn en een lijst van systemen bevatten")]
        if not doc["systems"]:
            return [], [InputError(name, _key_line(doc, "systems"), "systems", "`systems:` holds no systems", "`systems:` bevat geen systemen")]
        out, errors = [], []
        for i, item in enumerate(doc["systems"]):
            line = doc["systems"].lc.item(i)[0] + 1
            if not isinstance(item, CommentedMap):
                errors.append(InputError(name, line, f"systems[{i}]", "each entry of `systems:` must be a mapping (one system)",
                                         "elk item van `systems:` moet sleutels met waarden bevatten (één systeem)"))
                continue
            desc, errs = _validate(item, name, vocabulary, prefix=f"systems[{i}].")
            errors.extend(errs)
            if desc:
                out.append(desc)
        return out, errors
    desc, errors = _validate(doc, name, vocabulary)
    return ([desc] if desc else []), errors


def _key_at_line(text: str, line: int) -> str | None:
    """The dotted key whose value is written at ``line`` of ``text`` (``None`` when ``text`` is
    not readable YAML or no key is on or above that line)."""
    try:
        doc = _yaml().load(text)
    except (YAMLError, RecursionError, ValueError, TypeError):
        return None
    best: tuple[int, list] | None = None
    stack: list[tuple[Any, list]] = [(doc, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, CommentedMap):
            children = [(k, node.lc.key(k)[0] + 1) for k in node if isinstance(k, str)]
        elif isinstance(node, CommentedSeq):
            children = [(i, node.lc.item(i)[0] + 1) for i in range(len(node))]
        else:
            continue
        for key, at in children:
            if at <= line and (best is None or at >= best[0]):
                best = (at, path + [key])
            stack.append((node[key], path + [key]))
    return _dotted(best[1]) if best else None


def _mark_line(mark: Any) -> int | None:
    return mark.line + 1 if mark is not None else None


#: Constructs the YAML reader names when one is opened and never closed: (English, Dutch).
_UNCLOSED = {
    "while parsing a flow sequence": ("the list opened here with `[` is not closed with `]`",
                                      "de lijst die hier met `[` begint, wordt niet gesloten met `]`"),
    "while parsing a flow mapping": ("the mapping opened here with `{` is not closed with `}`",
                                     "de mapping die hier met `{` begint, wordt niet gesloten met `}`"),
    "while scanning a quoted scalar": ("the text opened here with a quote is not closed with the same quote",
                                       "de tekst die hier met een aanhalingsteken begint, wordt niet gesloten met hetzelfde teken"),
}


def _unclosed_error(exc: MarkedYAMLError, text: str, name: str) -> InputError | None:
    """A bracket or quote that is never closed, named where it opens (the reader notices it
    only further on, often past the last line), with the key it belongs to; ``None`` otherwise."""
    words = _UNCLOSED.get(str(exc.context or ""))
    if words is None or exc.context_mark is None:
        return None
    line, column = exc.context_mark.line + 1, exc.context_mark.column + 1
    lines = text.splitlines()
    # the text up to the opening, with a value in its place, is readable: its key is the one there
    before = "\n".join(lines[:line - 1] + [lines[line - 1][:column - 1] + "null"]) if line <= len(lines) else ""
    problem = str(exc.problem or "")
    return InputError(name, line, _key_at_line(before, line) if before else None,
                      f"YAML error: {words[0]} (column {column}; the YAML reader: {problem})",
                      f"YAML-fout (het bestand is geen geldige YAML): {words[1]} (kolom {column}; de YAML-lezer: {problem})")


def _yaml_error(exc: MarkedYAMLError, text: str, name: str) -> InputError:
    """A YAML syntax error in plain words, on its line."""
    unclosed = _unclosed_error(exc, text, name)
    if unclosed is not None:
        return unclosed
    mark = exc.problem_mark or exc.context_mark
    line = _mark_line(mark)
    problem = str(exc.problem or exc.context or "malformed YAML")
    source = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    if "\t" in source and ("'\\t'" in problem or "tab" in problem.lower() or mark is not None):
        indent = source[: len(source) - len(source.lstrip(" \t"))]
        if "\t" in indent:
            return InputError(name, line, None, "tab characters may not be used for indentation, use spaces",
                              "tabs mogen niet gebruikt worden om in te springen; gebruik spaties")
        column = source.index(chr(9)) + 1
        return InputError(name, line, None, f"a tab character at column {column} cannot be read here; use spaces",
                          f"een tab op kolom {column} kan hier niet gelezen worden; gebruik spaties")
    if "duplicate key" in problem:
        found = _duplicate_key_error(exc, text, name)
        if found is not None:
            return found
        problem = f"{problem}; a key may appear only once (a second value would silently replace the first)"
    elif "found another document" in problem:
        return InputError(name, line, None, "the file holds more than one YAML document (a `---` line); "
                                            "describe several systems under `systems:` or in separate files",
                          "het bestand bevat meer dan één YAML-document (een regel `---`); beschrijf meer systemen "
                          "onder `systems:` of in aparte bestanden")
    elif "found undefined alias" in problem:
        problem = f"{problem} (an alias *x needs an anchor &x earlier in the file)"
    elif line and (problem.startswith("expected <block end>") or problem == "mapping values are not allowed here"):
        return _indentation_error(problem, text, line, name)
    return InputError(name, line, None, f"YAML error: {problem}", f"YAML-fout (het bestand is geen geldige YAML): {problem}")


def _indentation_error(problem: str, text: str, line: int, name: str) -> InputError:
    """The reader's two messages for a line indented wrongly (or a `: ` inside a value), in
    plain words: which key, what its indentation must match, and the reader's own words."""
    lines = text.splitlines()
    source = lines[line - 1] if line <= len(lines) else ""
    indent = len(source) - len(source.lstrip(" "))
    above = next((l for l in reversed(lines[:line - 1]) if l.strip() and not l.lstrip().startswith("#")), "")
    above_indent = len(above) - len(above.lstrip(" "))
    key = source.strip().lstrip("- ").split(":", 1)[0].strip()
    said = f"`{key}` " if key and " " not in key and len(key) <= 60 else ""
    reader = f" (the YAML reader: {problem})", f" (de YAML-lezer: {problem})"
    spaces = f"{indent} space" + ("s" if indent != 1 else ""), f"{indent} spatie" + ("s" if indent != 1 else "")
    if problem.startswith("expected <block end>"):
        return InputError(name, line, None,
                          f"YAML error: the indentation of {said}on this line ({spaces[0]}) does not match the lines "
                          "above: keys of the same section start in the same column, keys under a section further "
                          f"in; check the spaces at the start of the line{reader[0]}",
                          f"YAML-fout: het inspringen van {said}op deze regel ({spaces[1]}) past niet bij de regels "
                          "erboven: sleutels van dezelfde sectie beginnen in dezelfde kolom, sleutels onder een sectie "
                          f"verder naar rechts; controleer de spaties aan het begin van de regel{reader[1]}")
    if indent > above_indent and ":" in above and above.split(":", 1)[1].strip():
        return InputError(name, line, None,
                          f"YAML error: {said}is indented further than the line above ({indent} spaces against "
                          f"{above_indent}), which already has a value; indent keys only under a section (a key with "
                          f"nothing after its colon){reader[0]}",
                          f"YAML-fout: {said}springt verder in dan de regel erboven ({indent} spaties tegen "
                          f"{above_indent}), die al een waarde heeft; spring sleutels alleen in onder een sectie (een "
                          f"sleutel met niets achter de dubbele punt){reader[1]}")
    return InputError(name, line, None,
                      f"YAML error: a second `: ` on this line; text that holds `: ` must be put in quotes "
                      f"(e.g. name: \"a: b\"){reader[0]}",
                      f"YAML-fout: een tweede `: ` op deze regel; tekst met `: ` erin moet tussen aanhalingstekens "
                      f"(bijvoorbeeld name: \"a: b\"){reader[1]}")


def _duplicate_key_error(exc: MarkedYAMLError, text: str, name: str) -> InputError | None:
    """A key written twice in one mapping, in plain words: which key, where, on which lines.

    The file is read again with duplicates allowed (the first value kept) to find the mapping
    (it starts at the error's context mark) and the line of the first occurrence; ``None`` when
    that does not work out (then the YAML reader's own message is given)."""
    if exc.context_mark is None or exc.problem_mark is None:
        return None
    yaml = _yaml()
    yaml.allow_duplicate_keys = True
    try:
        doc = yaml.load(text)
    except (YAMLError, RecursionError, ValueError, TypeError):
        return None
    start = (exc.context_mark.line, exc.context_mark.column)
    stack: list[tuple[Any, list]] = [(doc, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, CommentedMap):
            if (node.lc.line, node.lc.col) == start:
                break
            stack.extend((node[k], path + [k]) for k in node)
        elif isinstance(node, CommentedSeq):
            stack.extend((node[i], path + [i]) for i in range(len(node)))
    else:
        return None
    second = exc.problem_mark.line + 1
    key = next((k for k in node if isinstance(k, str) and _starts_key(text, exc.problem_mark, k)), None)
    if key is None:
        return None
    first = node.lc.key(key)[0] + 1
    inside = _dotted(path[2:] if path[:1] == ["systems"] else path)  # within one system of a `systems:` list
    lines_en = f"both on line {first}" if first == second else f"lines {first} and {second}"
    lines_nl = f"allebei op regel {first}" if first == second else f"regels {first} en {second}"
    return InputError(
        name, second, _dotted(path + [key]),
        f"the key `{_shown(key)}` appears twice in {f'`{inside}` of ' if inside else ''}the same system ({lines_en}); "
        "keep one of the two (a second value would silently replace the first)",
        f"de sleutel `{_shown(key)}` staat twee keer in {f'`{inside}` van ' if inside else ''}hetzelfde systeem ({lines_nl}); "
        "laat er één staan (een tweede waarde zou de eerste ongemerkt vervangen)")


def _starts_key(text: str, mark: Any, key: str) -> bool:
    """Whether the key ``key`` is written at ``mark`` (plain or quoted)."""
    lines = text.splitlines()
    if mark.line >= len(lines):
        return False
    rest = lines[mark.line][mark.column:]
    return rest.startswith((key, f'"{key}"', f"'{key}'"))


def _key_line(node: Any, key: Any) -> int | None:
    try:
        return node.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return None


def _line_of(root: CommentedMap, path: list) -> int | None:
    """1-based line of the value at ``path`` (keys and list indexes) in the ruamel tree."""
    node, line = root, (root.lc.line + 1 if hasattr(root, "lc") else None)
    for part in path:
        try:
            if isinstance(node, CommentedMap):
                line = node.lc.key(part)[0] + 1
            elif isinstance(node, CommentedSeq):
                line = node.lc.item(part)[0] + 1
            node = node[part]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


def _plain(node: Any, depth: int = 0) -> Any:
    """ruamel nodes -> plain Python (dicts, lists, str, bool, int, float; dates as ISO strings)."""
    if depth > MAX_DEPTH:
        raise RecursionError
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, str) else str(k): _plain(v, depth + 1) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [_plain(v, depth + 1) for v in node]
    if isinstance(node, (_dt.date, _dt.datetime)):
        return node.isoformat()[:10] if not isinstance(node, _dt.datetime) else node.isoformat()
    if isinstance(node, (bool, ScalarBoolean)):
        return bool(node)
    if node is None:
        return None
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def _dotted(path: list) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{_shown(part)}" if out else _shown(part))
    return out


def _shown(text: Any) -> str:
    """``text`` for a message: as written, unless it holds characters that could disturb a
    terminal or a line-oriented log (then escaped as Python would) or is over-long."""
    text = str(text)
    if any(not ch.isprintable() for ch in text):
        text = repr(text)[1:-1]
    return text if len(text) <= 80 else text[:77] + "..."


def _as_written(instance: Any) -> str:
    """A read value in YAML's spelling (``true``, ``null``, ``[true, 'x']``), strings quoted as
    Python quotes them (escapes shown): the user wrote YAML, not Python."""
    if isinstance(instance, bool):
        return "true" if instance else "false"
    if instance is None:
        return "null"
    if isinstance(instance, list):
        return "[" + ", ".join(_as_written(item) for item in instance) + "]"
    if isinstance(instance, dict):
        return "{" + ", ".join(f"{_as_written(k)}: {_as_written(v)}" for k, v in instance.items()) + "}"
    return repr(instance)


def _got(instance: Any) -> str:
    """``got 'value'`` for a message, shortened."""
    shown = _as_written(instance)
    return f"got {shown if len(shown) <= 80 else shown[:77] + '...'}"


def _got_nl(instance: Any) -> str:
    """``opgegeven: 'waarde'`` for a Dutch message, shortened as :func:`_got`."""
    return "opgegeven: " + _got(instance)[4:]


def _validate(node: CommentedMap, name: str, vocabulary: Vocabulary, prefix: str = "") -> tuple[Description | None, list[InputError]]:
    try:
        data = _plain(node)
    except RecursionError:
        return None, [InputError(name, _line_of(node, []), None, f"nesting deeper than {MAX_DEPTH} levels is refused")]
    errors: dict[tuple, InputError] = {}

    def report(path: list, message: str | tuple[str, str]) -> None:
        """``message``: English, or ``(English, Dutch)``."""
        key = prefix + _dotted(path) if path else (prefix.rstrip(".") or None)
        en, nl = (message, None) if isinstance(message, str) else message
        errors.setdefault((tuple(map(str, path)), en), InputError(name, _line_of(node, path), key, en, nl))

    import jsonschema  # here, not at the top: the fast reader (fastload) needs it only for files it leaves to this one

    validator = jsonschema.Draft202012Validator(_schema(vocabulary))
    misspelled: list[tuple[list, str, str]] = []  # (path of the mapping, key as written, the section meant)

    def check(instance: dict, renamed: tuple[list, str, str] | None = None) -> None:
        for error in validator.iter_errors(instance):
            path = list(error.absolute_path)
            if renamed is not None:  # checked as if the misspelled section were spelled right
                where, written, meant = renamed
                if path[:len(where) + 1] != where + [meant]:
                    continue
                path[len(where)] = written
            if error.validator == "additionalProperties":
                allowed = set(error.schema.get("properties", {}))
                for extra in sorted(set(error.instance) - allowed):
                    close = _closest_key(extra, allowed)
                    message = _unknown_key_message(vocabulary, path, extra, allowed, close)
                    meant = None if renamed is not None else _section_meant(error.schema, error.instance, extra, close)
                    if meant is not None:
                        misspelled.append((path, extra, meant))
                    report(path + [extra], _as_meant(message, renamed))
            elif error.validator == "required":
                report(path, ("every description needs an `id` (lowercase letters, digits, `-` and `_`)",
                              "elke beschrijving heeft een `id` nodig (kleine letters, cijfers, `-` en `_`)"))
            elif error.validator == "type" and error.validator_value == "object":
                report(path, _as_meant(("must be a mapping of keys (e.g. `key: true` on indented lines)",
                                        "moet sleutels met waarden bevatten (bijvoorbeeld `sleutel: true` op ingesprongen regels)")
                                       if error.instance is not None else
                                       ("has no value; write the keys under it on indented lines, or leave it out",
                                        "heeft geen waarde; schrijf de sleutels eronder op ingesprongen regels, of laat hem weg"),
                                       renamed))
            else:
                checked = path if renamed is None else path[:len(renamed[0])] + [renamed[2]] + path[len(renamed[0]) + 1:]
                entry = _entry_for(vocabulary, checked)
                if entry is not None and entry.type == "list" and isinstance(error.instance, list):
                    bad = [i for i, v in enumerate(error.instance) if v not in entry.values]
                    path, checked = path + bad[:1], checked + bad[:1]
                report(path, _as_meant(_value_message(vocabulary, checked, error.instance, data), renamed))

    check(data)
    # the keys under a misspelled section are checked too, as if it were spelled as suggested, so
    # that one run names every problem of the file (not first the section, then what it holds)
    for where, written, meant in misspelled:
        trial = copy.deepcopy(data)
        holder = trial
        for part in where:
            holder = holder[part]
        holder[meant] = holder.pop(written)
        check(trial, (where, written, meant))
    for path, value in _free_text(data, vocabulary):
        problem = _text_problem(value)
        if problem:
            report(path, problem)
    if errors:
        # the values the schema let through are converted too (a date that does not exist, a
        # number beyond what YAML holds), so that one run names every problem of the file
        reported = {e.key for e in errors.values() if e.key}
        entries = vocabulary.entries
        passed = [(index, value) for index, value in _present(data, vocabulary)
                  if not any(key == prefix + entries[index].key or (prefix + entries[index].key).startswith((key + ".", key + "["))
                             or key.startswith((prefix + entries[index].key + ".", prefix + entries[index].key + "["))
                             for key in reported)]
        found = list(errors.values())
        for index, value in passed:
            entry = entries[index]
            if entry.type in ("date", "number", "integer"):
                try:
                    _convert(entry, value)
                except ValueError as exc:
                    found.append(_conversion_error(exc, name, node, prefix, entry))
        return None, sorted(found, key=lambda e: (e.line or 0, e.key or "", e.message))
    return _normalise(data, node, name, vocabulary, prefix)


def _free_text(data: dict, vocabulary: Vocabulary) -> list[tuple[list, str]]:
    """``(path, value)`` of every free-text value (text keys, ``reason``, strings in ``expect``)."""
    out: list[tuple[list, str]] = []
    entries = vocabulary.entries
    for index, value in _present(data, vocabulary):
        entry = entries[index]
        if entry.type == "text" and isinstance(value, str):
            out.append((list(entry.path), value))
    if isinstance(data.get("reason"), str):
        out.append((["reason"], data["reason"]))
    return out


def _text_problem(value: str) -> str | None:
    """Why ``value`` cannot be accepted as free text, or ``None``.

    Every character YAML allows in a file is kept, unchanged; refused are control characters
    other than tab and line break (``\\e``, ``\\x1b``, ``\\0``, ``\\r`` written as escapes,
    which could rewrite the terminal a report is shown on) and unpaired surrogates (not text).
    """
    for position, ch in enumerate(value, start=1):
        if ch in "\t\n":
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs") or ch in ("\ufffe", "\uffff"):
            kind = "an unpaired surrogate" if category == "Cs" else "the control character"
            return (f"contains {kind} U+{ord(ch):04X} (character {position}); text may hold any letter, "
                    "symbol, tab or line break, but no control characters")
    return None


def _schema(vocabulary: Vocabulary) -> dict:
    cached = getattr(vocabulary, "_schema_cache", None)
    if cached is None:
        cached = vocabulary.json_schema()
        vocabulary._schema_cache = cached  # type: ignore[attr-defined]
    return cached


def _unknown_key_message(vocabulary: Vocabulary, path: list, extra: str, allowed: set[str], close: str | None) -> tuple[str, str]:
    """``(English, Dutch)``: the key is unknown here; did you mean a close one, or does it belong elsewhere."""
    where = f"in `{_dotted(path)}`" if path else "at the top level"
    where_nl = f"in `{_dotted(path)}`" if path else "op het hoogste niveau"
    message = f"unknown key `{_shown(extra)}` {where}"
    message_nl = f"onbekende sleutel `{_shown(extra)}` {where_nl}"
    if close:
        return f"{message}; did you mean `{close}`?", f"{message_nl}; bedoelt u `{close}`?"
    elsewhere = [e.key for e in vocabulary.entries if e.path[-1] == extra or e.path[-2:-1] == (extra,)]
    if elsewhere:
        parent = '.'.join(vocabulary.by_key[elsewhere[0]].path[:-1])
        return (f"{message}; `{extra}` belongs under `{parent or 'the top level'}` (`{elsewhere[0]}`)",
                f"{message_nl}; `{extra}` hoort onder `{parent or 'het hoogste niveau'}` (`{elsewhere[0]}`)")
    listed = ', '.join(sorted(allowed))
    return f"{message} (allowed here: {listed})", f"{message_nl} (hier toegestaan: {listed})"


def _section_meant(schema: dict, instance: dict, extra: str, close: str | None) -> str | None:
    """The section an unknown key ``extra`` most likely misspells (the "did you mean" of
    :func:`_unknown_key_message`: ``close``), when it holds keys and that section is not written as well."""
    if close is None or close in instance or not isinstance(instance.get(extra), dict):
        return None
    return close if schema.get("properties", {}).get(close, {}).get("type") == "object" else None


def _closest_key(extra: str, allowed: set[str]) -> str | None:
    """The allowed key an unknown key ``extra`` most likely misspells, or ``None``."""
    close = difflib.get_close_matches(extra, sorted(allowed), n=1, cutoff=0.6)
    return close[0] if close else None


def _as_meant(message: tuple[str, str], renamed: tuple[list, str, str] | None) -> tuple[str, str]:
    """``message`` of a key under a misspelled section, saying under which section it was checked."""
    if renamed is None:
        return message
    where, written, meant = renamed
    shown = _dotted(where + [meant]) if where else meant
    return (f"{message[0]} (checked as under `{shown}`, which `{_shown(written)}` seems to mean)",
            f"{message[1]} (gecontroleerd als onder `{shown}`, dat met `{_shown(written)}` bedoeld lijkt)")


def _entry_for(vocabulary: Vocabulary, path: list) -> Entry | None:
    keys = [p for p in path if not isinstance(p, int)]
    return vocabulary.by_key.get(".".join(keys))


def _spelling_hint(entry: Entry, instance: Any) -> tuple[str, str] | None:
    """``(English, Dutch)`` hint for a value that looks like an answer spelled the wrong way, or ``None``."""
    if not isinstance(instance, str):
        return None
    word = instance.strip().lower()
    if word == UNKNOWN:
        return ("an unknown answer is written `unknown`, in lowercase and without quotes",
                "een onbekend antwoord schrijft u als `unknown`, in kleine letters en zonder aanhalingstekens")
    if word in UNKNOWN_LIKE:
        return ("an answer that is not known is written `unknown` (in English, lowercase)",
                "een antwoord dat niet bekend is, schrijft u als `unknown` (Engels, kleine letters)")
    if word in NOT_APPLICABLE_LIKE and entry.type in ("bool", "list"):
        return ("write false (or [] for a list) when it does not apply, or leave the key out",
                "schrijf false (of [] bij een lijst) als het niet van toepassing is, of laat de sleutel weg")
    if entry.type == "bool" and word in ("true", "false"):
        return (f"{instance!r} is in quotes, which makes it text; write {word} without quotes",
                f"{instance!r} staat tussen aanhalingstekens en is daardoor tekst; schrijf {word} zonder aanhalingstekens")
    if entry.type == "bool" and word in YES_NO_LIKE:
        return ("yes/no/on/off/ja/nee are not read as booleans (YAML 1.2); write true or false",
                "yes/no/on/off/ja/nee worden niet als ja/nee-antwoord gelezen (YAML 1.2); schrijf true of false")
    return None


#: After a "did you mean", the allowed values are listed only up to this many; a longer list (the
#: 25 Annex III use cases) would bury the suggestion, and `aiact-asp vocabulary` lists them all.
MAX_LISTED_AFTER_SUGGESTION = 8


def _allowed_after_suggestion(entry: Entry, more: str = "", more_nl: str = "") -> tuple[str, str]:
    """``(English, Dutch)``: the allowed values of ``entry`` (``more``: what else is allowed, e.g.
    " or unknown"), or, when there are many, how many and where they are listed."""
    values = entry.values or ()
    if len(values) <= MAX_LISTED_AFTER_SUGGESTION:
        allowed = ", ".join(values)
        return f"allowed: {allowed}{more}", f"toegestaan: {allowed}{more_nl}"
    return (f"{len(values)} values are allowed, listed by `aiact-asp vocabulary`",
            f"{len(values)} waarden zijn toegestaan, opgesomd door `aiact-asp vocabulary --lang nl`")


def _value_message(vocabulary: Vocabulary, path: list, instance: Any, data: dict) -> tuple[str, str]:
    """``(English, Dutch)``: what the value of the key at ``path`` must be, what was given, and a hint."""
    entry = _entry_for(vocabulary, path)
    got, kreeg = _got(instance), _got_nl(instance)
    if entry is None:
        return f"invalid value, {got}", f"ongeldige waarde, {kreeg}"
    if entry.is_alias:
        target = vocabulary.by_key[entry.alias_of]
        entry = target if not entry.alias_value else Entry(key=entry.key, type="bool")
    if instance is None and not isinstance(path[-1], int):
        expected = {"bool": "true, false or unknown", "enum": "one of its values or unknown", "list": "a list such as [a, b], or unknown",
                    "date": "a date YYYY-MM-DD, or unknown", "number": "a number, or unknown", "integer": "a whole number, or unknown",
                    "text": "the text", "id": "the id"}.get(entry.type, "a value")
        expected_nl = {"bool": "true, false of unknown", "enum": "een van de waarden of unknown",
                       "list": "een lijst zoals [a, b], of unknown", "date": "een datum JJJJ-MM-DD, of unknown",
                       "number": "een getal, of unknown", "integer": "een geheel getal, of unknown",
                       "text": "de tekst", "id": "het id"}.get(entry.type, "een waarde")
        return (f"has no value; write {expected}, or leave the key out",
                f"heeft geen waarde; schrijf {expected_nl}, of laat de sleutel weg")
    hint = _spelling_hint(entry, instance)
    hint, hint_nl = (f"; {hint[0]}", f"; {hint[1]}") if hint else ("", "")
    if entry.type == "bool":
        if not hint and isinstance(instance, str):
            hint = "; write true or false (yes/no/ja/nee are not read as booleans)"
            hint_nl = "; schrijf true of false (yes/no/ja/nee worden niet als ja/nee-antwoord gelezen)"
        return (f"must be true, false or unknown, {got}{hint}",
                f"moet true, false of unknown zijn, {kreeg}{hint_nl}")
    if entry.type == "enum":
        close = difflib.get_close_matches(str(instance), entry.values, n=1) if not hint else []
        allowed = ", ".join(entry.values)
        if close:  # the suggestion first: the list of allowed values can be long (Annex III has 25)
            listed, listed_nl = _allowed_after_suggestion(entry, " or unknown", " of unknown")
            return (f"must be one of the allowed values; did you mean `{close[0]}`? ({got}; {listed})",
                    f"moet een van de toegestane waarden zijn; bedoelt u `{close[0]}`? ({kreeg}; {listed_nl})")
        return (f"must be one of {allowed} or unknown, {got}{hint}",
                f"moet een van deze waarden zijn: {allowed} of unknown, {kreeg}{hint_nl}")
    if entry.type == "list":
        if isinstance(instance, str) and isinstance(path[-1], int):
            instance = [instance]
        allowed = ", ".join(entry.values)
        if isinstance(instance, list):
            bad = [v for v in instance if v not in entry.values]
            if bad:
                close = difflib.get_close_matches(str(bad[0]), entry.values, n=1)
                dym, dym_nl = (f"; did you mean `{close[0]}`?", f"; bedoelt u `{close[0]}`?") if close else ("", "")
                if not isinstance(bad[0], str):
                    dym, dym_nl = "; write the values as words from the list", "; schrijf de waarden als woorden uit de lijst"
                if isinstance(bad[0], str) and bad[0].strip().lower() in {UNKNOWN} | UNKNOWN_LIKE:
                    dym = "; write `unknown` instead of the whole list when the values are not known"
                    dym_nl = "; schrijf `unknown` in plaats van de hele lijst als de waarden niet bekend zijn"
                shown = _shown(repr(bad[0]))
                if close and dym.startswith("; did you mean"):  # the suggestion first, then the (long) list
                    listed, listed_nl = _allowed_after_suggestion(entry)
                    return (f"{shown} is not an allowed value{dym} ({listed})",
                            f"{shown} is geen toegestane waarde{dym_nl} ({listed_nl})")
                return (f"{shown} is not an allowed value (allowed: {allowed}){dym}",
                        f"{shown} is geen toegestane waarde (toegestaan: {allowed}){dym_nl}")
            return "lists each value only once", "noem elke waarde maar één keer"
        if isinstance(instance, str) and instance in entry.values:
            return f"must be a list, e.g. [{instance}], {got}", f"moet een lijst zijn, bijvoorbeeld [{instance}], {kreeg}"
        close = difflib.get_close_matches(instance, entry.values, n=1) if isinstance(instance, str) and not hint else []
        if close:  # one value, misspelled: the suggestion as the list it should be
            return (f"must be a list of allowed values; did you mean [{close[0]}]? ({got})",
                    f"moet een lijst van toegestane waarden zijn; bedoelt u [{close[0]}]? ({kreeg})")
        return (f"must be a list of: {allowed} (or unknown), {got}{hint}",
                f"moet een lijst zijn van: {allowed} (of unknown), {kreeg}{hint_nl}")
    if entry.type == "date":
        return (f"must be a date written YYYY-MM-DD, or unknown, {got}{hint}",
                f"moet een datum zijn geschreven als JJJJ-MM-DD, of unknown, {kreeg}{hint_nl}")
    if entry.type in ("number", "integer"):
        return (f"must be a non-negative number (e.g. 3.8e25 or 38000000000000000000000000), or unknown, {got}{hint}",
                f"moet een getal van nul of meer zijn (bijvoorbeeld 3.8e25 of 38000000000000000000000000), of unknown, {kreeg}{hint_nl}")
    if entry.type == "id":
        if isinstance(instance, (int, float)) and not isinstance(instance, bool):  # `id: 123`: YAML reads a number
            return (f"must be text, {got}: YAML reads it as a number; put it in quotes (id: \"{instance}\")",
                    f"moet tekst zijn, {kreeg}: YAML leest het als getal; zet het tussen aanhalingstekens (id: \"{instance}\")")
        return (f"must consist of lowercase letters, digits, `-` and `_`, starting with a letter or digit, {got}",
                f"mag alleen kleine letters, cijfers, `-` en `_` bevatten en moet met een letter of cijfer beginnen, {kreeg}")
    if entry.type == "text":
        return f"must be text, {got} (put it in quotes)", f"moet tekst zijn, {kreeg} (zet het tussen aanhalingstekens)"
    return f"invalid value, {got}", f"ongeldige waarde, {kreeg}"


def _layout(vocabulary: Vocabulary) -> dict | None:
    """The catalogue's keys as a tree: each part of a key leads to the next level (a dict) or,
    at its last part, to the entry's index in ``vocabulary.entries``. ``None`` when one key is
    also the start of another (``a`` and ``a.b``), where a walk over the tree could differ
    from looking each key up with :func:`_get`. Kept on the vocabulary (built once)."""
    entries = vocabulary.entries
    cached = getattr(vocabulary, "_layout_cache", None)
    if cached is not None and cached[0] is entries and cached[1] == len(entries):
        return cached[2]
    tree: dict | None = {}
    for index, entry in enumerate(entries):
        node: Any = tree
        for part in entry.path[:-1]:
            node = node.setdefault(part, {})
            if type(node) is not dict:
                break
        if type(node) is not dict or entry.path[-1] in node:
            tree = None
            break
        node[entry.path[-1]] = index
    vocabulary._layout_cache = (entries, len(entries), tree)  # type: ignore[attr-defined]
    return tree


def _present(data: dict, vocabulary: Vocabulary) -> list[tuple[int, Any]]:
    """``(index, value)`` of every catalogue entry given in ``data``, in catalogue order: the
    entries for which :func:`_get` finds a value, with that value.

    One walk over the keys that are there (a description gives a few dozen of the ~160
    entries) instead of a look-up per entry."""
    tree = _layout(vocabulary)
    if tree is None:
        out = []
        for index, entry in enumerate(vocabulary.entries):
            present, value = _get(data, entry.path)
            if present:
                out.append((index, value))
        return out
    out = []
    _walk(data, tree, out)
    out.sort()  # by index: the indices differ, so the values are never compared
    return out


def _walk(data: dict, tree: dict, out: list[tuple[int, Any]]) -> None:
    for key, value in data.items():
        spec = tree.get(key)
        if spec is None:
            continue
        if type(spec) is int:
            out.append((spec, value))
        elif isinstance(value, dict):  # as _get: a group is only entered when it is a mapping
            _walk(value, spec, out)


def _get(data: dict, path: tuple[str, ...]) -> tuple[bool, Any]:
    node: Any = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _normalise(data: dict, node: CommentedMap, name: str, vocabulary: Vocabulary, prefix: str,
               present: list[tuple[int, Any]] | None = None) -> tuple[Description | None, list[InputError]]:
    """The :class:`Description` of the valid system ``data`` (``node`` gives its line), or the
    errors of values that pass the schema but not the conversion. ``present`` is
    ``_present(data, vocabulary)`` when the caller has it already."""
    values: dict[str, Any] = {}
    open_values: dict[str, set[str]] = {}
    text: dict[str, str] = {}
    errors: list[InputError] = []
    entries = vocabulary.entries
    for index, value in (_present(data, vocabulary) if present is None else present):
        entry = entries[index]
        kind = entry.type
        if kind == "text":
            text[entry.key] = value
            continue
        if (kind == "bool" or kind == "enum") and entry.alias_of is None:  # most values: _convert gives them back as they are
            values[entry.key] = value
            continue
        if entry.is_alias:
            target = vocabulary.by_key[entry.alias_of]
            if entry.alias_value:  # a bool standing for one value of a list
                current = values.get(target.key, [])
                if value is True and current != UNKNOWN:
                    values[target.key] = sorted(set(current) | {entry.alias_value})
                elif value == UNKNOWN and current != UNKNOWN:
                    values.setdefault(target.key, list(current))
                    open_values.setdefault(target.key, set()).add(entry.alias_value)
                continue
            found, other = _get(data, target.path)
            if found and other != value:
                errors.append(InputError(name, _line_of(node, list(entry.path)), prefix + entry.key,
                                         f"is an alias of `{target.key}`, which is also given with another value; keep one of the two",
                                         f"is een andere naam voor `{target.key}`, die ook met een andere waarde is opgegeven; "
                                         "laat er één staan"))
                continue
            entry, value = target, value
        try:
            values[entry.key] = _convert(entry, value)
        except ValueError as exc:
            errors.append(_conversion_error(exc, name, node, prefix, entry))
    if errors:
        return None, errors
    meta = {k: data[k] for k in ("reason", "expect") if k in data}
    return Description(values["id"], name, node.lc.line + 1, values, open_values, text, meta), []


def _conversion_error(exc: ValueError, name: str, node: CommentedMap, prefix: str, entry: Entry) -> InputError:
    """The error of a value :func:`_convert` refused (``exc.args``: the English message, and
    the Dutch one where written), on the line of its key."""
    return InputError(name, _line_of(node, list(entry.path)), prefix + entry.key, str(exc.args[0]),
                      exc.args[1] if len(exc.args) > 1 else None)


def _convert(entry: Entry, value: Any) -> Any:
    if value == UNKNOWN and entry.type != "id":
        return UNKNOWN
    if entry.type == "date":
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a calendar date (YYYY-MM-DD)",
                             f"{value!r} is geen bestaande datum (JJJJ-MM-DD)") from None
    if entry.type in ("number", "integer"):
        if isinstance(value, float) and value in (float("inf"), float("-inf")):  # e.g. 1e400: beyond a YAML float
            raise ValueError("is not a finite, non-negative number as written (`.inf`, or beyond about 1.8e308 without "
                             "quotes); write a finite amount, a very large one in quotes, e.g. \"1e400\" (the tool "
                             "reads up to 10^1000)",
                             "is zoals geschreven geen eindig getal van nul of meer (`.inf`, of zonder aanhalingstekens "
                             "groter dan ongeveer 1,8e308); schrijf een eindig getal, een heel groot tussen "
                             "aanhalingstekens, bijvoorbeeld \"1e400\" (het programma leest tot 10^1000)")
        number = parse_number(value if not isinstance(value, float) else repr(value))
        if number and abs(number.adjusted()) > MAX_EXPONENT:
            raise ValueError(f"{_got(value)[4:]} is outside the range this tool reads (10^-{MAX_EXPONENT} to 10^{MAX_EXPONENT})",
                             f"{_got(value)[4:]} valt buiten het bereik dat dit programma leest "
                             f"(10^-{MAX_EXPONENT} tot 10^{MAX_EXPONENT})")
        if entry.type == "integer" and number != number.to_integral_value():
            raise ValueError(f"must be a whole number, {_got(value)}", f"moet een geheel getal zijn, {_got_nl(value)}")
        return number
    if entry.type == "list":
        return list(value)
    return value


__all__ = ["Description", "load_paths", "read_files", "UniqueIds", "SystemAt", "load_file", "parse_text", "iter_files", "MAX_FILE_BYTES", "MAX_DEPTH", "MAX_NODES"]
