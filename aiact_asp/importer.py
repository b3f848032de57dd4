"""Import from the Algoritmeregister: one skeleton description per registered algorithm.

``aiact-asp import algoritmeregister FILE -o DIR`` reads an export of the Dutch
Algoritmeregister (algoritmes.overheid.nl) — the register's CSV or JSON exports, the public
listing in ``shared/data/algoritmeregister/``, or a list of publication-standard records — and
writes one YAML description per algorithm into DIR:

* the inventory fields of Handreiking §2.1 filled in from the register (name, register id,
  purpose and description, process, supplier, status mapped onto the vocabulary's values);
* every legal fact ``unknown`` (the sections of ``kb/algoritmeregister.yaml``), each under its
  question, so that the expert answers in place and the inventory shows what is still open;
* the register's own texts (goal, legal basis, methods and models, human intervention, ...)
  as comments beside the questions they help to answer.

File names and system ids are stable: ``alg-<register id>`` (or a slug of organisation and
name when the export has no id), made unique in the order of the export. Importing again
never overwrites an answer: values other than ``unknown`` and all comments are kept, keys
that are new are added, an ``unknown`` the register can now fill is filled, and every
difference between the file and the register is reported.

The field mapping, the status values and the open sections are data, in
``kb/algoritmeregister.yaml``.
"""

from __future__ import annotations

import csv
import difflib
import functools
import html
import io
import json
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable


from .kb import default_kb_dir
from .vocabulary import ID_PATTERN, UNKNOWN, Entry, Vocabulary, load_vocabulary
from .kbyaml import parse_yaml, read_yaml

SUFFIX = ".yaml"
WIDTH = 100
_ID = re.compile(ID_PATTERN)
_TAG = re.compile(r"<[^>]{0,2000}>")
_BREAK_TAG = re.compile(r"<\s*(br|/p|/li|/h[1-6]|/div)\s*/?\s*>", re.I)
_SPACE = re.compile(r"[ \t\f\v]+")
INVENTORY_TEXT = ("name", "register_id", "description", "process", "vendor")


class RegisterError(Exception):
    """The export cannot be read (no records, an unknown layout, an organisation that is not in it).

    ``args``: the English message, and the Dutch one."""

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``en`` or ``nl``)."""
        return self.args[1] if lang == "nl" and len(self.args) > 1 else self.args[0]

    def __str__(self) -> str:
        return self.text()


@functools.lru_cache(maxsize=4)
def load_mapping(directory: Path | None = None) -> dict:
    """``kb/algoritmeregister.yaml``: field mapping, status values and open sections."""
    path = Path(directory or default_kb_dir()) / "algoritmeregister.yaml"
    return read_yaml(path) or {}




# --------------------------------------------------------------------------- reading an export


def read_records(path: Path) -> list[dict[str, Any]]:
    """The records of a register export (CSV or JSON), each a dict of field -> value.

    JSON: a list of records, or an object holding one under ``algoritmes`` (the public
    listing), ``algoritme_versions`` (the register's JSON export) or ``data``/``results``.
    CSV: UTF-8 (with or without byte-order mark), separated by commas, semicolons or tabs.

    Raises:
        RegisterError: the file cannot be read or holds no records.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        from .loader import os_reason

        en, nl = os_reason(exc)
        raise RegisterError(f"{path}: cannot be read: {en}", f"{path}: kan niet gelezen worden: {nl}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegisterError(f"{path}: is not UTF-8 (byte {exc.start}); save the export as UTF-8",
                            f"{path}: is geen UTF-8 (byte {exc.start}); sla de export op als UTF-8") from None
    stripped = text.lstrip()
    if Path(path).suffix.lower() == ".json" or stripped[:1] in ("{", "["):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise RegisterError(f"{path}: is not valid JSON: {exc}", f"{path}: is geen geldige JSON: {exc}") from None
        records = _json_records(data)
        if records is None:
            raise RegisterError(f"{path}: no list of algorithms found (expected a list, or `algoritmes`, "
                                "`algoritme_versions`, `data` or `results` holding one)",
                                f"{path}: geen lijst van algoritmes gevonden (verwacht: een lijst, of `algoritmes`, "
                                "`algoritme_versions`, `data` of `results` met een lijst)")
    else:
        records = _csv_records(text)
    records = [r for r in records if isinstance(r, dict)]
    if not records:
        raise RegisterError(f"{path}: holds no algorithms", f"{path}: bevat geen algoritmes")
    return records


def _json_records(data: Any) -> list | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("algoritmes", "algoritme_versions", "algorithms", "data", "results", "items"):
            if isinstance(data.get(key), list):
                return data[key]
    return None


def _csv_records(text: str) -> list[dict[str, Any]]:
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    return [{(k or "").strip(): v for k, v in row.items() if k is not None} for row in reader]


def plain_text(value: Any) -> str:
    """A register value as plain text: HTML tags removed, entities resolved, lists joined,
    control characters and runs of spaces reduced to one space; paragraphs kept."""
    if value is None:
        return ""
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                parts.append(" — ".join(plain_text(v) for v in item.values() if plain_text(v)))
            else:
                parts.append(plain_text(item))
        return "; ".join(p for p in parts if p)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {plain_text(v)}" for k, v in value.items() if plain_text(v))
    text = str(value)
    if text.strip() in ("None", "null"):
        return ""
    text = _BREAK_TAG.sub("\n", text)
    text = html.unescape(_TAG.sub(" ", text))
    if not text.replace("\n", "").isprintable():
        text = "".join(ch if ch == "\n" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    lines = [_SPACE.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n")]
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(paragraphs)


@dataclass
class Record:
    """One algorithm of the export, mapped onto the inventory fields."""

    register_id: str
    name: str
    organisation: str
    description: str
    process: str
    vendor: str
    own_development: bool
    status: str | None          # a vocabulary status value, or None
    status_raw: str
    url: str
    comments: list[tuple[str, str, str]] = field(default_factory=list)  # (title, text, near)
    id: str = ""


def _first(record: dict, names: list[str]) -> str:
    for name in names:
        if name in record:
            text = plain_text(record[name])
            if text:
                return text
    return ""


def map_record(record: dict, mapping: dict) -> Record:
    """One export record as a :class:`Record` (fields per ``kb/algoritmeregister.yaml``)."""
    fields = mapping.get("fields", {})
    status_raw = _first(record, fields.get("status", []))
    status = (mapping.get("status") or {}).get(status_raw.strip().lower())
    vendor = _first(record, fields.get("vendor", []))
    own = vendor.strip().lower() in {v.lower() for v in mapping.get("own_development", [])}
    register_id = ""
    pattern = re.compile(mapping.get("register_id_pattern") or ".+")
    for name in fields.get("register_id", []):
        candidate = plain_text(record.get(name)).strip() if name in record else ""
        if candidate and pattern.match(candidate):
            register_id = candidate
            break
    url = _first(record, fields.get("url", []))
    if not url and register_id and mapping.get("page"):
        url = mapping["page"].format(register_id=register_id)
    comments = []
    used: set[str] = set()
    for spec in mapping.get("comments", []):
        for name in spec.get("fields", []):
            if name in record and name not in used:
                text = plain_text(record[name])
                if text:
                    comments.append((spec.get("title", name), text, spec.get("near", "header")))
                    used.add(name)
                break
    description = _first(record, fields.get("description", []))
    if not description:
        description = next((text for title, text, near in comments if near == "annex_iii"), "")
    comments = [c for c in comments if c[1] != description]  # not the same text twice
    return Record(
        register_id=register_id, name=_first(record, fields.get("name", [])),
        organisation=_first(record, fields.get("organisation", [])), description=description,
        process=_first(record, fields.get("process", [])), vendor="" if own else vendor, own_development=own,
        status=status, status_raw=status_raw, url=url, comments=comments,
    )


def _language_ok(record: dict, mapping: dict) -> bool:
    names = (mapping.get("fields") or {}).get("language", [])
    allowed = set(mapping.get("languages", []))
    for name in names:
        if name in record:
            return plain_text(record[name]) in allowed
    return True


def slug(text: str, limit: int = 60) -> str:
    """``"Gemeente Den Haag — Wmo-voorspelmodel"`` -> ``"gemeente-den-haag-wmo-voorspelmodel"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return out[:limit].rstrip("-")


def assign_ids(records: list[Record]) -> None:
    """Stable, unique ids: ``alg-<register id>``, else a slug of organisation and name."""
    seen: dict[str, int] = {}
    for record in records:
        base = f"alg-{slug(record.register_id)}" if slug(record.register_id) else slug(f"{record.organisation} {record.name}")
        base = base or "algoritme"
        if not _ID.match(base):
            base = "alg-" + base
        count = seen.get(base, 0) + 1
        seen[base] = count
        record.id = base if count == 1 else f"{base}-{count}"


def select(records: list[dict], organisation: str | None, mapping: dict) -> list[dict]:
    """The records of ``organisation`` (name compared without case and extra spaces).

    Raises:
        RegisterError: no record of that organisation (with the closest names).
    """
    records = [r for r in records if _language_ok(r, mapping)]
    if not organisation:
        return records
    names = (mapping.get("fields") or {}).get("organisation", [])
    wanted = " ".join(organisation.split()).casefold()
    found = [r for r in records if " ".join(_first(r, names).split()).casefold() == wanted]
    if not found:
        present = sorted({_first(r, names) for r in records} - {""})
        close = difflib.get_close_matches(organisation, present, n=3, cutoff=0.5)
        listed = ", ".join(repr(c) for c in close)
        raise RegisterError(f"no algorithms of organisation {organisation!r} in this export" + (f"; did you mean {listed}?" if close else ""),
                            f"geen algoritmes van organisatie {organisation!r} in deze export" + (f"; bedoelt u {listed}?" if close else ""))
    return found


# --------------------------------------------------------------------------- the skeleton


def open_entries(vocabulary: Vocabulary, mapping: dict) -> list[Entry]:
    """The keys a skeleton asks as ``unknown`` (yes/no, choice and list keys of the open sections)."""
    sections = set(mapping.get("unknown_sections", []))
    also = set(mapping.get("unknown_keys_also", []))
    never = set(mapping.get("unknown_except", [])) | set((mapping.get("known") or {}))
    out = []
    for entry in vocabulary.entries:
        if entry.is_alias or entry.type not in ("bool", "enum", "list") or entry.key in never:
            continue
        if entry.default is not None or entry.default_from:
            continue
        if entry.section in sections or entry.key in also:
            out.append(entry)
    return out


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@functools.lru_cache(maxsize=8192)
def _wrap(text: str, width: int) -> tuple[str, ...]:
    """``text`` in lines of at most ``width`` (longer words alone on a line); many register
    texts recur (the same organisation, the same standard answers), so each is wrapped once."""
    return tuple(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def _block(key: str, text: str, indent: int) -> list[str]:
    """``key: >-`` with ``text`` folded at :data:`WIDTH`; paragraphs kept."""
    pad = " " * (indent + 2)
    lines = [f"{' ' * indent}{key}: >-"]
    for i, paragraph in enumerate(text.split("\n")):
        if i:
            lines.append("")
        lines += [pad + line for line in _wrap(paragraph, WIDTH - len(pad))]
    return lines


def _text_lines(key: str, text: str, indent: int = 0) -> list[str]:
    if len(text) <= 70 and "\n" not in text:
        return [f"{' ' * indent}{key}: {_quote(text)}"]
    return _block(key, text, indent)


def _comment(text: str, indent: int, prefix: str = "") -> list[str]:
    pad = " " * indent + "# "
    out = []
    for i, paragraph in enumerate(text.split("\n")):
        wrapped = _wrap((prefix if i == 0 else "") + paragraph, WIDTH - len(pad)) or [""]
        out += [(pad + line).rstrip() for line in wrapped]
    return out


def render_skeleton(record: Record, vocabulary: Vocabulary, mapping: dict, source: str = "", lang: str = "nl") -> str:
    """The YAML text of ``record``'s skeleton description (valid for :mod:`aiact_asp.loader`)."""
    near: dict[str, list[tuple[str, str]]] = {}
    for title, text, where in record.comments:
        near.setdefault(where, []).append((title, text))
    nl = lang == "nl"
    out = [f"# Algoritmeregister: {record.name or record.id}" + (f" ({record.organisation})" if record.organisation else "")]
    if record.url:
        out.append(f"# {record.url}")
    out += _comment(
        ("Geïmporteerd door aiact-asp" + (f" uit {source}" if source else "") + ". De gegevens voor de inventarisatie komen "
         "uit het register; alle juridische vragen staan op `unknown` (nog niet beantwoord). Beantwoord ze met true, false "
         "of de genoemde waarden; een nieuwe import overschrijft geen antwoorden.") if nl else
        ("Imported by aiact-asp" + (f" from {source}" if source else "") + ". The inventory fields come from the register; "
         "every legal question is `unknown` (not yet answered). Answer with true, false or the values named; importing "
         "again never overwrites an answer."), 0)
    for title, text in near.get("header", []):
        out += _comment(text, 0, f"{title}: ")
    out.append(f"id: {record.id}")
    if record.name:
        out += _text_lines("name", record.name)
    if record.register_id:
        out.append(f"register_id: {_quote(record.register_id)}")
    if record.description:
        out += _text_lines("description", record.description)
    if record.process:
        out += _text_lines("process", record.process)
    else:
        out.append("# process: " + ("het overkoepelende proces (Handreiking §2.1); niet in het register" if nl
                                     else "the overarching process (Handreiking §2.1); not in the register"))
    if record.vendor:
        out += _text_lines("vendor", record.vendor)
    elif record.own_development:
        out.append("# vendor: " + ("geen; het register meldt eigen ontwikkeling" if nl else "none; the register says it was developed in-house"))
    if record.status:
        out.append(f"status: {record.status}" + (f"  # Algoritmeregister: {record.status_raw}" if record.status_raw else ""))
    elif record.status_raw:
        out.append(f"# status: {record.status_raw!r} " + ("in het register; kies in_development, in_use of decommissioned" if nl
                                                         else "in the register; choose in_development, in_use or decommissioned"))

    segments, shown_sections = _legal_layout(vocabulary, mapping, lang)
    for section, lines in segments:
        if section is not None:  # the register's texts for this section, just above it
            for title, text in near.get(section, []):
                out += _comment(text, 0, f"Algoritmeregister — {title}: ")
        out += lines
    # sections whose register texts found no key to stand by
    for where, items in near.items():
        if where != "header" and where not in shown_sections:
            for title, text in items:
                out += _comment(text, 0, f"Algoritmeregister — {title}: ")
    return "\n".join(out) + "\n"


_LAYOUT_CACHE: dict[tuple, tuple] = {}


def _legal_layout(vocabulary: Vocabulary, mapping: dict, lang: str) -> tuple[list[tuple[str | None, list[str]]], set[str]]:
    """The legal part of every skeleton, laid out once: ``(section, lines)`` pieces in order, where
    ``section`` (or ``None``) names the top-level section whose register texts go just above the
    lines; and the sections shown."""
    cache_key = (id(vocabulary), id(mapping), lang)
    cached = _LAYOUT_CACHE.get(cache_key)
    if cached is not None and cached[0] is vocabulary and cached[1] is mapping:
        return cached[2]
    segments: list[tuple[str | None, list[str]]] = [(None, [])]
    shown: set[str] = set()
    open_path: tuple[str, ...] = ()
    for entry, path, lines in _legal_lines(vocabulary, lang, mapping):
        shown.add(path[0])
        parents = path[:-1]
        common = 0
        while common < min(len(parents), len(open_path)) and parents[common] == open_path[common]:
            common += 1
        for depth in range(common, len(parents)):
            if depth == 0:
                segments.append((parents[0], []))
            segments[-1][1].append(f"{'  ' * depth}{parents[depth]}:")
        if not parents:
            segments.append((entry.key.split(".")[0], []))
        open_path = parents
        segments[-1][1].extend(lines)
    _LAYOUT_CACHE[cache_key] = (vocabulary, mapping, (segments, shown))
    return segments, shown


def _legal_lines(vocabulary: Vocabulary, lang: str, mapping: dict) -> tuple:
    """``(entry, path, lines)`` of every legal key of a skeleton, in catalogue order: the question
    as a comment and ``key: unknown`` (or the known answer). The same for every record (laid out
    once by :func:`_legal_layout`)."""
    known = mapping.get("known") or {}
    wanted = {e.key for e in open_entries(vocabulary, mapping)} | set(known)
    out = []
    for entry in vocabulary.entries:
        if entry.key not in wanted:
            continue
        indent = 2 * (len(entry.path) - 1)
        question = (entry.question or {}).get(lang) or (entry.question or {}).get("en") or ""
        lines: list[str] = []
        if entry.key in known:
            value = known[entry.key]["value"]
            if question:
                lines += _comment(question, indent)
            shown = "true" if value is True else "false" if value is False else str(value)
            note = known[entry.key].get("comment", "")
            lines.append(f"{' ' * indent}{entry.path[-1]}: {shown}" + (f"  # {note}" if note else ""))
        else:
            hint = ""
            if entry.type == "list":
                hint = " [" + ", ".join(entry.values) + "]"
            elif entry.type == "enum":
                hint = " (" + ", ".join(entry.values) + ")"
            if question:
                lines += _comment(question + hint, indent)
            lines.append(f"{' ' * indent}{entry.path[-1]}: {UNKNOWN}")
        out.append((entry, tuple(entry.path), lines))
    return tuple(out)


# --------------------------------------------------------------------------- writing and merging


@dataclass
class Outcome:
    """What happened to one algorithm's file.

    Attributes:
        action: ``created``, ``updated``, ``unchanged`` or ``error``.
        added: keys added to an existing file.
        filled: keys that were ``unknown`` in the file and are now filled from the register.
        differences: ``(key, in the file, in the register)`` where the file's answer was kept.
        message: for ``error``, why the file was left as it was; ``message_nl`` the same in Dutch.
    """

    id: str
    file: str
    action: str
    added: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)
    differences: list[tuple[str, str, str]] = field(default_factory=list)
    message: str = ""
    message_nl: str = ""


@dataclass
class ImportReport:
    outcomes: list[Outcome]
    records: int
    not_in_export: list[str]  # files in DIR of algorithms no longer in the export

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)


def _flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                out.update(_flatten(value, path))
            else:
                out[path] = value
    return out


def _plain_load(text: str) -> dict | None:
    """The existing file as plain data through libyaml (fast), or ``None`` if it needs ruamel."""
    from . import fastload

    if not fastload.available():
        return None
    try:
        doc, _ = fastload._document(text)
    except Exception:  # noqa: BLE001 — anything unusual: the exact reader decides
        return None
    return doc if isinstance(doc, dict) else None


def _changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[list[str], list[str], list[tuple[str, str, str]]]:
    """(keys to add, unknown keys to fill, differences kept) between flattened ``old`` and ``new``."""
    added, filled, differences = [], [], []
    for key, value in new.items():
        if key in old:
            current = old[key]
            if current == value:
                continue
            if current == UNKNOWN and value != UNKNOWN:
                filled.append(key)
            elif value != UNKNOWN and key != "id":
                differences.append((key, _shown(current), _shown(value)))
            continue
        parts = key.split(".")
        if any(".".join(parts[:i]) in old for i in range(1, len(parts))):
            continue  # the file holds a value where the register has a section: leave it
        added.append(key)
    return added, filled, differences


def _shown(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:59] + "…"


def merge_text(existing: str, skeleton: str, vocabulary: Vocabulary, lang: str = "nl") -> tuple[str | None, Outcome]:
    """Merge ``skeleton`` into the ``existing`` description text.

    Returns ``(new text or None when nothing changes, outcome)``; the outcome's action is
    ``updated``, ``unchanged`` or ``error``. Answers (values other than ``unknown``) and
    comments of ``existing`` are kept; keys it lacks are added with their question; an
    ``unknown`` the register fills is filled.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    new_plain = _plain_load(skeleton)
    if new_plain is None:
        new_plain = parse_yaml(skeleton)
    new_flat = _flatten(new_plain)
    old_plain = _plain_load(existing)
    if old_plain is not None:
        added, filled, differences = _changes(_flatten(old_plain), new_flat)
        if not added and not filled:
            return None, Outcome("", "", "unchanged", differences=differences)
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    try:
        doc = rt.load(existing)
    except Exception as exc:  # noqa: BLE001 — any YAML problem: leave the file alone
        problem = " ".join(str(exc).split())
        return None, Outcome("", "", "error", message=f"the existing file cannot be read ({problem}); left unchanged",
                             message_nl=f"het bestaande bestand kan niet gelezen worden ({problem}); niet gewijzigd")
    if not isinstance(doc, CommentedMap) or "systems" in doc:
        return None, Outcome("", "", "error", message="the existing file is not one system description; left unchanged",
                             message_nl="het bestaande bestand is niet de beschrijving van één systeem; niet gewijzigd")
    added, filled, differences = _changes(_flatten(dict(_plainify(doc))), new_flat)
    if not added and not filled:
        return None, Outcome("", "", "unchanged", differences=differences)
    by_key = vocabulary.by_key
    for key in filled:
        node, last = _parent(doc, key)
        node[last] = _value_of(new_flat[key])
    for key in added:
        parts = key.split(".")
        node = doc
        for depth, part in enumerate(parts[:-1]):
            if part not in node or not isinstance(node[part], dict):
                position = _position(node, ".".join(parts[:depth + 1]), vocabulary)
                node.insert(position, part, CommentedMap())
            node = node[part]
        position = _position(node, key, vocabulary)
        node.insert(position, parts[-1], _value_of(new_flat[key]))
        entry = by_key.get(key)
        question = (entry.question or {}).get(lang) if entry else None
        if question:
            indent = 2 * (len(parts) - 1)
            text = "\n".join(line[indent + 2:] if line.startswith(" " * indent + "# ") else line.lstrip("# ")
                             for line in _comment(question, indent))
            node.yaml_set_comment_before_after_key(parts[-1], before=text, indent=indent)
    stream = io.StringIO()
    rt.dump(doc, stream)
    return stream.getvalue(), Outcome("", "", "updated", added=added, filled=filled, differences=differences)


def _plainify(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plainify(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plainify(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def _value_of(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    if isinstance(value, list):
        seq = CommentedSeq(value)
        seq.fa.set_flow_style()
        return seq
    return value


def _parent(doc: Any, key: str) -> tuple[Any, str]:
    parts = key.split(".")
    node = doc
    for part in parts[:-1]:
        node = node[part]
    return node, parts[-1]


def _position(node: Any, key: str, vocabulary: Vocabulary) -> int:
    """Where to insert ``key`` in ``node``: after the last key that comes before it in the catalogue."""
    order = _catalogue_order(vocabulary)
    mine = order.get(key, len(order))
    prefix = key.rsplit(".", 1)[0] + "." if "." in key else ""
    position = 0
    for i, existing in enumerate(node):
        if order.get(prefix + str(existing), -1) < mine:
            position = i + 1
    return position


def _catalogue_order(vocabulary: Vocabulary) -> dict[str, int]:
    order: dict[str, int] = {}
    for entry in vocabulary.entries:
        for depth in range(1, len(entry.path) + 1):
            order.setdefault(".".join(entry.path[:depth]), len(order))
    return order


def import_register(path: Path, out_dir: Path, organisation: str | None = None, kb_dir: Path | None = None,
                    lang: str = "nl", on_record: Callable[[], None] | None = None) -> ImportReport:
    """Import the export ``path`` into ``out_dir`` (created if needed); see the module doc.

    Raises:
        RegisterError: the export cannot be read, or holds no algorithm of ``organisation``.
    """
    mapping = load_mapping(kb_dir)
    vocabulary = load_vocabulary(Path(kb_dir or default_kb_dir()) / "vocabulary.yaml")
    records = [map_record(r, mapping) for r in select(read_records(path), organisation, mapping)]
    assign_ids(records)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    outcomes = []
    source = Path(path).name
    for record in records:
        target = out_dir / f"{record.id}{SUFFIX}"
        skeleton = render_skeleton(record, vocabulary, mapping, source, lang)
        if target.exists():
            try:
                existing = target.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                outcome = Outcome(record.id, str(target), "error", message=f"cannot be read ({exc}); left unchanged",
                                  message_nl=f"kan niet gelezen worden ({exc}); niet gewijzigd")
            else:
                text, outcome = merge_text(existing, skeleton, vocabulary, lang)
                outcome.id, outcome.file = record.id, str(target)
                if text is not None:
                    _write_atomic(target, text)
        else:
            try:
                with open(target, "x", encoding="utf-8") as stream:  # a new file: never replaces one
                    stream.write(skeleton)
            except OSError as exc:
                outcome = Outcome(record.id, str(target), "error", message=f"cannot be written ({exc.strerror or exc})",
                                  message_nl=f"kan niet geschreven worden ({exc.strerror or exc})")
            else:
                outcome = Outcome(record.id, str(target), "created")
        outcomes.append(outcome)
        if on_record is not None:
            on_record()
    wanted = {f"{r.id}{SUFFIX}" for r in records}
    others = sorted(p.name for p in out_dir.glob(f"alg-*{SUFFIX}") if p.name not in wanted) if not organisation else []
    return ImportReport(outcomes, len(records), others)


def _write_atomic(target: Path, text: str) -> None:
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)


#: The words of :func:`report_text`, per language.
REPORT_WORDS = {
    "en": {"head": "{n} algorithms → {out}: {created} created, {updated} updated, {unchanged} unchanged",
           "errors": ", {n} left alone because of an error", "added": "{n} keys added",
           "filled": "filled from the register: ", "kept": "{key} kept as {mine!r} (the register says {theirs!r})",
           "not_in_export": "{n} files in {out} are not in this export (left as they are): "},
    "nl": {"head": "{n} algoritmes → {out}: {created} aangemaakt, {updated} bijgewerkt, {unchanged} ongewijzigd",
           "errors": ", {n} niet aangeraakt vanwege een fout", "added": "{n} sleutels toegevoegd",
           "filled": "ingevuld uit het register: ", "kept": "{key} behouden als {mine!r} (het register zegt {theirs!r})",
           "not_in_export": "{n} bestanden in {out} staan niet in deze export (gelaten zoals ze zijn): "},
}


def report_text(report: ImportReport, out_dir: Path, verbose: bool = False, lang: str = "en") -> str:
    """A short account of an import in ``lang`` (``en`` or ``nl``): counts, and per changed file
    what changed."""
    words = REPORT_WORDS[lang]
    lines = [words["head"].format(n=report.records, out=out_dir, created=report.count("created"),
                                  updated=report.count("updated"), unchanged=report.count("unchanged"))
             + (words["errors"].format(n=report.count("error")) if report.count("error") else "")]
    for outcome in report.outcomes:
        if outcome.action == "updated":
            parts = []
            if outcome.added:
                parts.append(words["added"].format(n=len(outcome.added)))
            if outcome.filled:
                parts.append(words["filled"] + ", ".join(outcome.filled))
            lines.append(f"  ~ {outcome.file}: " + "; ".join(parts))
            if verbose:
                lines += [f"      + {key}" for key in outcome.added]
        elif outcome.action == "error":
            lines.append(f"  ✗ {outcome.file}: {outcome.message_nl if lang == 'nl' and outcome.message_nl else outcome.message}")
        for key, mine, theirs in outcome.differences:
            lines.append(f"  = {outcome.file}: " + words["kept"].format(key=key, mine=mine, theirs=theirs))
    if report.not_in_export:
        lines.append("  " + words["not_in_export"].format(n=len(report.not_in_export), out=out_dir)
                     + ", ".join(report.not_in_export[:10]) + (" …" if len(report.not_in_export) > 10 else ""))
    return "\n".join(lines) + "\n"
