"""Reading and validating system descriptions (YAML) against the vocabulary catalogue.

A file holds one system (the keys of ``kb/vocabulary.yaml``) or ``systems: [...]``. Every
problem becomes an :class:`~aiact_asp.errors.InputError` naming file, line and key; a bad
file or a bad entry never stops the other systems from being read.

YAML is read with ruamel.yaml in its YAML 1.2 round-trip mode: duplicate keys are errors,
and ``yes``/``no``/``on``/``off`` are plain strings (a bool field then asks for true/false).
"""

from __future__ import annotations

import datetime as _dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import jsonschema
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .context import parse_number
from .errors import InputError
from .vocabulary import UNKNOWN, Entry, Vocabulary, load_vocabulary

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 20
SUFFIXES = (".yaml", ".yml")


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that keeps dates as text, so that 2026-02-30 is reported on its key."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


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
    """Expand files and folders (recursively, ``*.yaml``/``*.yml``) into a sorted file list."""
    files: list[Path] = []
    errors: list[InputError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
            if not found:
                errors.append(InputError(str(path), None, None, "this folder contains no .yaml files"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            errors.append(InputError(str(path), None, None, "no such file or folder"))
    return files, errors


def load_paths(paths: Iterable[str | Path], vocabulary: Vocabulary | None = None) -> tuple[list[Description], list[InputError]]:
    """Read every description in ``paths`` (files or folders).

    Returns:
        ``(descriptions, errors)``: all valid descriptions (ids unique), and one error per problem.
    """
    vocabulary = vocabulary or load_vocabulary()
    files, errors = iter_files(paths)
    descriptions: list[Description] = []
    seen: dict[str, Description] = {}
    for path in files:
        found, file_errors = load_file(path, vocabulary)
        errors.extend(file_errors)
        for desc in found:
            if desc.id in seen:
                first = seen[desc.id]
                errors.append(InputError(desc.file, desc.line, "id", f"system id {desc.id!r} is already used in {first.file}:{first.line}; ids must be unique in an inventory"))
                continue
            seen[desc.id] = desc
            descriptions.append(desc)
    return descriptions, errors


def load_file(path: Path, vocabulary: Vocabulary) -> tuple[list[Description], list[InputError]]:
    """Read one YAML file: one system, or ``systems:`` with a list of them."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [InputError(name, None, None, f"cannot be read: {exc.strerror}")]
    if len(raw) > MAX_FILE_BYTES:
        return [], [InputError(name, None, None, f"is {len(raw):,} bytes; descriptions larger than {MAX_FILE_BYTES:,} bytes are refused")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [], [InputError(name, line, None, f"is not valid UTF-8 (byte {exc.start}); save the file as UTF-8")]
    return parse_text(text, name, vocabulary)


def parse_text(text: str, name: str, vocabulary: Vocabulary) -> tuple[list[Description], list[InputError]]:
    """Parse YAML ``text`` (from file ``name``) into descriptions."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    try:
        doc = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "malformed YAML"
        if "duplicate key" in problem:
            problem = f"{problem}; a key may appear only once (a second value would silently replace the first)"
        return [], [InputError(name, line, None, f"YAML error: {problem}")]
    except (YAMLError, RecursionError, ValueError) as exc:
        return [], [InputError(name, None, None, f"YAML error: {exc}")]
    if doc is None:
        return [], [InputError(name, 1, None, "the file is empty; it must describe a system (at least an `id`)")]
    if not isinstance(doc, CommentedMap):
        return [], [InputError(name, 1, None, "the file must hold a mapping of keys (one system) or `systems:` with a list of systems")]
    if "systems" in doc:
        if len(doc) != 1 or not isinstance(doc["systems"], CommentedSeq):
            return [], [InputError(name, _key_line(doc, "systems"), "systems", "`systems:` must be the only top-level key and hold a list of systems")]
        out, errors = [], []
        for i, item in enumerate(doc["systems"]):
            line = doc["systems"].lc.item(i)[0] + 1
            if not isinstance(item, CommentedMap):
                errors.append(InputError(name, line, f"systems[{i}]", "each entry of `systems:` must be a mapping (one system)"))
                continue
            desc, errs = _validate(item, name, vocabulary, prefix=f"systems[{i}].")
            errors.extend(errs)
            if desc:
                out.append(desc)
        return out, errors
    desc, errors = _validate(doc, name, vocabulary)
    return ([desc] if desc else []), errors


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
        return {str(k) if not isinstance(k, str) else k: _plain(v, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v, depth + 1) for v in node]
    if isinstance(node, (_dt.date, _dt.datetime)):
        return node.isoformat()[:10] if not isinstance(node, _dt.datetime) else node.isoformat()
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def _dotted(path: list) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _validate(node: CommentedMap, name: str, vocabulary: Vocabulary, prefix: str = "") -> tuple[Description | None, list[InputError]]:
    try:
        data = _plain(node)
    except RecursionError:
        return None, [InputError(name, _line_of(node, []), None, f"nesting deeper than {MAX_DEPTH} levels is refused")]
    errors: dict[tuple, InputError] = {}

    def report(path: list, message: str) -> None:
        key = prefix + _dotted(path) if path else (prefix.rstrip(".") or None)
        errors.setdefault((tuple(map(str, path)), message), InputError(name, _line_of(node, path), key, message))

    validator = jsonschema.Draft202012Validator(_schema(vocabulary))
    for error in validator.iter_errors(data):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties":
            allowed = set(error.schema.get("properties", {}))
            for extra in sorted(set(error.instance) - allowed):
                report(path + [extra], _unknown_key_message(vocabulary, path, extra, allowed))
        elif error.validator == "required":
            report(path, "every description needs an `id` (lowercase letters, digits, `-` and `_`)")
        elif error.validator == "type" and error.validator_value == "object":
            report(path, "must be a mapping of keys (e.g. `key: true` on indented lines)")
        else:
            entry = _entry_for(vocabulary, path)
            if entry is not None and entry.type == "list" and isinstance(error.instance, list):
                bad = [i for i, v in enumerate(error.instance) if v not in entry.values]
                path = path + bad[:1]
            report(path, _value_message(vocabulary, path, error.instance, data))
    if errors:
        return None, sorted(errors.values())
    return _normalise(data, node, name, vocabulary, prefix)


def _schema(vocabulary: Vocabulary) -> dict:
    cached = getattr(vocabulary, "_schema_cache", None)
    if cached is None:
        cached = vocabulary.json_schema()
        vocabulary._schema_cache = cached  # type: ignore[attr-defined]
    return cached


def _unknown_key_message(vocabulary: Vocabulary, path: list, extra: str, allowed: set[str]) -> str:
    where = f"in `{_dotted(path)}`" if path else "at the top level"
    message = f"unknown key `{extra}` {where}"
    close = difflib.get_close_matches(extra, sorted(allowed), n=1, cutoff=0.6)
    if close:
        return f"{message}; did you mean `{close[0]}`?"
    elsewhere = [e.key for e in vocabulary.entries if e.path[-1] == extra or e.path[-2:-1] == (extra,)]
    if elsewhere:
        return f"{message}; `{extra}` belongs under `{'.'.join(vocabulary.by_key[elsewhere[0]].path[:-1]) or 'the top level'}` (`{elsewhere[0]}`)"
    return f"{message} (allowed here: {', '.join(sorted(allowed))})"


def _entry_for(vocabulary: Vocabulary, path: list) -> Entry | None:
    keys = [p for p in path if not isinstance(p, int)]
    return vocabulary.by_key.get(".".join(keys))


def _value_message(vocabulary: Vocabulary, path: list, instance: Any, data: dict) -> str:
    entry = _entry_for(vocabulary, path)
    if entry is None:
        return f"invalid value {instance!r}"
    if entry.is_alias:
        target = vocabulary.by_key[entry.alias_of]
        entry = target if not entry.alias_value else Entry(key=entry.key, type="bool")
    got = f"got {instance!r}"
    if entry.type == "bool":
        hint = " (write true or false; yes/no/ja/nee are not read as booleans)" if isinstance(instance, str) else ""
        return f"must be true, false or unknown, {got}{hint}"
    if entry.type == "enum":
        close = difflib.get_close_matches(str(instance), entry.values, n=1)
        dym = f"; did you mean `{close[0]}`?" if close else ""
        return f"must be one of {', '.join(entry.values)} or unknown, {got}{dym}"
    if entry.type == "list":
        if isinstance(instance, str) and isinstance(path[-1], int):
            instance = [instance]
        if isinstance(instance, list):
            bad = [v for v in instance if v not in entry.values]
            if bad:
                close = difflib.get_close_matches(str(bad[0]), entry.values, n=1)
                dym = f"; did you mean `{close[0]}`?" if close else ""
                return f"{bad[0]!r} is not an allowed value (allowed: {', '.join(entry.values)}){dym}"
            return "lists each value only once"
        if isinstance(instance, str) and instance in entry.values:
            return f"must be a list, e.g. [{instance}], {got}"
        return f"must be a list of: {', '.join(entry.values)} (or unknown), {got}"
    if entry.type == "date":
        return f"must be a date written YYYY-MM-DD, or unknown, {got}"
    if entry.type in ("number", "integer"):
        return f"must be a non-negative number (e.g. 3.8e25 or 38000000000000000000000000), or unknown, {got}"
    if entry.type == "id":
        return f"must consist of lowercase letters, digits, `-` and `_`, starting with a letter or digit, {got}"
    if entry.type == "text":
        return f"must be text, {got} (put it in quotes)"
    return f"invalid value, {got}"


def _get(data: dict, path: tuple[str, ...]) -> tuple[bool, Any]:
    node: Any = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _normalise(data: dict, node: CommentedMap, name: str, vocabulary: Vocabulary, prefix: str) -> tuple[Description | None, list[InputError]]:
    values: dict[str, Any] = {}
    open_values: dict[str, set[str]] = {}
    text: dict[str, str] = {}
    errors: list[InputError] = []
    for entry in vocabulary.entries:
        present, value = _get(data, entry.path)
        if not present:
            continue
        if entry.type == "text":
            text[entry.key] = value
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
            if _get(data, target.path)[0] and _get(data, target.path)[1] != value:
                errors.append(InputError(name, _line_of(node, list(entry.path)), prefix + entry.key, f"is an alias of `{target.key}`, which is also given with another value; keep one of the two"))
                continue
            entry, value = target, value
        try:
            values[entry.key] = _convert(entry, value)
        except ValueError as exc:
            errors.append(InputError(name, _line_of(node, list(entry.path)), prefix + entry.key, str(exc)))
    if errors:
        return None, errors
    meta = {k: data[k] for k in ("reason", "expect") if k in data}
    return Description(values["id"], name, node.lc.line + 1, values, open_values, text, meta), []


def _convert(entry: Entry, value: Any) -> Any:
    if value == UNKNOWN and entry.type != "id":
        return UNKNOWN
    if entry.type == "date":
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a calendar date (YYYY-MM-DD)") from None
    if entry.type in ("number", "integer"):
        number = parse_number(value if not isinstance(value, float) else repr(value))
        if entry.type == "integer" and number != number.to_integral_value():
            raise ValueError(f"must be a whole number, got {value!r}")
        return number
    if entry.type == "list":
        return list(value)
    return value


__all__ = ["Description", "load_paths", "load_file", "parse_text", "iter_files"]
