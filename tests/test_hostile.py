"""Hostile and broken input: clear errors, no injection, nothing lost (docs/input-rules.md).

Two parts:

* the corpus ``tests/hostile/`` (BOM, CRLF, tabs, alias bombs, duplicate keys, latin-1, tags
  that would build Python objects, deep nesting, ASP/shell/markup injection, control
  characters, ...), each file with the outcome it must give in ``tests/hostile-expected.yaml``;
  a file that is too large is generated here (it is not committed);
* property-based tests (hypothesis) over generated valid and invalid descriptions and hostile
  strings: reading never raises, valid descriptions always classify, free text never changes a
  fact or a conclusion and comes out unchanged, invalid input always gets an error naming the key.

The run is bounded: the ``ci`` profile (default) runs a fixed, derandomised number of examples;
``HYPOTHESIS_PROFILE=thorough`` runs many more (and random) ones.
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import yaml as pyyaml
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from aiact_asp import loader
from aiact_asp.api import classify_descriptions
from aiact_asp.cli import main
from aiact_asp.facts import build_facts
from aiact_asp.kb import load_kb
from aiact_asp.loader import load_file, load_paths, parse_text
from aiact_asp.report import run_json, run_text
from aiact_asp.vocabulary import DATE_PATTERN, NUMBER_PATTERN, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "hostile"
EXPECTED = pyyaml.safe_load((ROOT / "tests" / "hostile-expected.yaml").read_text(encoding="utf-8"))
AS_OF = _dt.date(2026, 11, 30)
RISK_CLASSES = {"prohibited", "high_risk", "limited_risk", "minimal_risk", "out_of_scope", "not_ai_system",
                "gpai_model", "gpai_model_systemic_risk", "undetermined"}

settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True, database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("thorough", max_examples=500, deadline=None, database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in ("ci", "thorough"):
    PROFILE = "ci"
#: Scale of each property's example count relative to the profile (cheap properties run more).
CHEAP, COSTLY = (4, 1) if PROFILE == "ci" else (4, 1)


def profile(scale: int = 1) -> settings:
    base = settings.get_profile(PROFILE)
    return settings(base, max_examples=base.max_examples * scale)


KB = load_kb()
VOCAB = load_vocabulary(KB.directory / "vocabulary.yaml")
FACT_ENTRIES = [e for e in VOCAB.entries if e.type not in ("id", "text") and not e.is_alias]
TEXT_KEYS = [e.key for e in VOCAB.entries if e.type == "text"]
EXAMPLES = sorted((ROOT / "facts").glob("*.yaml"))


# --------------------------------------------------------------------------------------------
# The corpus


def _corpus_files() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.is_file())


def test_every_corpus_file_has_an_expectation():
    assert _corpus_files() == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(name):
    started = time.monotonic()
    descriptions, errors = load_paths([CORPUS / name], VOCAB)
    elapsed = time.monotonic() - started
    expected = EXPECTED[name]
    assert [d.id for d in descriptions] == expected.get("valid", [])
    for description in descriptions:
        if description.id in expected.get("names", {}):
            assert description.name == expected["names"][description.id]
        if description.id in expected.get("lines", {}):
            assert description.line == expected["lines"][description.id]
    want = expected.get("errors", [])
    assert len(errors) == len(want), "\n".join(map(str, errors))
    for error, spec in zip(errors, want):
        assert error.file == str(CORPUS / name)
        assert (error.line, error.key) == (spec["line"], spec["key"]), str(error)
        assert spec["message"] in error.message, str(error)
        assert "Traceback" not in error.message and "\n" not in error.message
    assert elapsed < 10, f"{name} took {elapsed:.1f}s"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_reads_the_same_with_the_fast_reader(name):
    """The fast reader for large inventories (libyaml) must give exactly the loader's outcome."""
    fastload = pytest.importorskip("aiact_asp.fastload")
    assert fastload.load_paths([CORPUS / name], VOCAB) == load_paths([CORPUS / name], VOCAB)


def test_file_larger_than_the_limit_is_refused_before_reading(tmp_path):
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as stream:
        stream.write(b"id: huge\ndescription: |\n")
        line = b"  " + b"x" * 98 + b"\n"
        stream.write(line * (loader.MAX_FILE_BYTES // len(line) + 1))
    started = time.monotonic()
    descriptions, errors = load_paths([huge], VOCAB)
    assert descriptions == [] and len(errors) == 1
    assert errors[0].file == str(huge) and "larger than 2,097,152 bytes are refused" in errors[0].message
    assert time.monotonic() - started < 2


def test_too_many_values_are_refused_with_file_and_line(monkeypatch):
    monkeypatch.setattr(loader, "MAX_NODES", 1_000)
    text = "id: many\nactivities:\n" + "".join(f"  - v{i}\n" for i in range(2_000))
    descriptions, errors = parse_text(text, "many.yaml", VOCAB)
    assert descriptions == [] and len(errors) == 1
    assert errors[0].line is not None and "holds more than 1,000 values" in errors[0].message


def test_alias_bomb_is_refused_in_bounded_time_and_memory():
    import tracemalloc

    text = (CORPUS / "billion-laughs.yaml").read_text(encoding="utf-8")
    tracemalloc.start()
    started = time.monotonic()
    _, errors = parse_text(text, "bomb.yaml", VOCAB)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "billion laughs" in errors[0].message
    assert time.monotonic() - started < 2 and peak < 20_000_000


def test_aliases_within_the_limit_are_read():
    text = "systems:\n  - id: a\n    activities: &acts [uses_under_own_authority]\n  - id: b\n    activities: *acts\n"
    descriptions, errors = parse_text(text, "x.yaml", VOCAB)
    assert errors == [] and [d.values["activities"] for d in descriptions] == [["uses_under_own_authority"]] * 2


def test_tags_never_construct_python_objects(tmp_path):
    marker = tmp_path / "pwned"
    text = f"id: a\nname: !!python/object/apply:os.system ['touch {marker}']\n"
    _, errors = parse_text(text, "x.yaml", VOCAB)
    assert not marker.exists() and "is not allowed" in errors[0].message


def test_whole_corpus_through_the_command_line(tmp_path):
    """Every bad file is reported, every good one classified; exit code 2; no traceback."""
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    (folder / "huge.yaml").write_bytes(b"id: huge\n" + b"# padding\n" * (loader.MAX_FILE_BYTES // 10 + 1))
    result = CliRunner().invoke(main, ["solve", str(folder), "--format", "json", "--as-of", "2026-11-30"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    valid = sorted(i for spec in EXPECTED.values() for i in spec.get("valid", []))
    assert sorted(s["id"] for s in data["systems"]) == valid
    wanted_errors = sum(len(spec.get("errors", [])) for spec in EXPECTED.values()) + 1
    assert data["summary"]["errors"] == len(data["errors"]) == wanted_errors
    assert all(e["file"].startswith(str(folder)) for e in data["errors"])
    assert any(e["file"].endswith("huge.yaml") for e in data["errors"])
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------------------------
# Injection: free text never enters ASP and comes out unchanged


def _without_text(description) -> str:
    """The YAML of a parsed description's file without its free-text keys."""
    data = YAML(typ="safe").load(Path(description.file).read_text(encoding="utf-8-sig"))
    for key in TEXT_KEYS + ["reason"]:
        data.pop(key, None)
    return _dump(data)


def _dump(data) -> str:
    stream = io.StringIO()
    YAML().dump(data, stream)
    return stream.getvalue()


def _system_json(descriptions) -> dict:
    return _run_and_json(descriptions)[1]


def _run_and_json(descriptions):
    """The run of ``descriptions`` and the JSON of its first system."""
    run = classify_descriptions(descriptions, KB, VOCAB, AS_OF)
    return run, run_json(run)["systems"][0]


@pytest.mark.parametrize("name", ["injection-asp.yaml", "injection-shell-markup.yaml", "unicode.yaml"])
def test_injection_files_change_no_fact_and_no_conclusion(name):
    hostile, errors = load_paths([CORPUS / name], VOCAB)
    assert errors == []
    clean, errors = parse_text(_without_text(hostile[0]), str(CORPUS / name), VOCAB)
    assert errors == []
    assert sorted(build_facts(hostile, VOCAB, AS_OF).facts) == sorted(build_facts(clean, VOCAB, AS_OF).facts)
    with_text, without = _system_json(hostile), _system_json(clean)
    assert with_text.pop("name") == hostile[0].name and without.pop("name") == ""
    assert with_text == without
    assert with_text["risk_class"] == "high_risk"


def test_injection_strings_come_out_unchanged_in_text_and_json(tmp_path):
    raw = YAML(typ="safe").load((CORPUS / "injection-asp.yaml").read_text(encoding="utf-8"))
    assert raw["name"].startswith('x"). system("evil").')
    for fmt in ("json", "text"):
        result = CliRunner().invoke(main, ["solve", str(CORPUS / "injection-asp.yaml"), str(CORPUS / "unicode.yaml"),
                                           "--format", fmt, "--as-of", "2026-11-30"])
        assert result.exit_code == 0, result.output
        if fmt == "json":
            names = {s["id"]: s["name"] for s in json.loads(result.stdout)["systems"]}
            assert names["injection-asp"] == raw["name"]
            assert [s for s in json.loads(result.stdout)["systems"] if s["id"] == "evil"] == []
        else:
            assert f"injection-asp — {raw['name']}" in result.stdout
            assert "evil —" not in result.stdout
    unicode_name = YAML(typ="safe").load((CORPUS / "unicode.yaml").read_text(encoding="utf-8"))["name"]
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["solve", str(CORPUS / "unicode.yaml"), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["systems"][0]["name"] == unicode_name


# --------------------------------------------------------------------------------------------
# Strategies


def _value(entry) -> st.SearchStrategy:
    if entry.type == "bool":
        return st.booleans()
    if entry.type == "enum":
        return st.sampled_from(entry.values)
    if entry.type == "list":
        return st.lists(st.sampled_from(entry.values), unique=True, max_size=min(3, len(entry.values)))
    if entry.type == "date":
        return st.dates(_dt.date(2015, 1, 1), _dt.date(2035, 12, 31)).map(lambda d: d.isoformat())
    if entry.type == "number":
        return st.one_of(st.integers(0, 10**27), st.sampled_from(["1e25", "3.8e25", "0", "2.5e24", "1_000_000"]))
    if entry.type == "integer":
        return st.integers(0, 10**9)
    raise AssertionError(entry.type)


def _nest(flat: dict) -> dict:
    out: dict = {}
    for key, value in flat.items():
        node = out
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return out


def _flatten(data: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in data.items():
        if isinstance(value, dict) and f"{prefix}{key}" not in VOCAB.by_key:
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _example(path: Path) -> dict:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    flat = _flatten({k: v for k, v in data.items() if k not in ("reason", "expect", "id") and k not in TEXT_KEYS})
    return {k: (v.isoformat() if isinstance(v, _dt.date) else v) for k, v in flat.items()
            if k in VOCAB.by_key and not VOCAB.by_key[k].is_alias}


@functools.cache
def example_facts() -> list[dict]:
    """The answers of every example (read on first use: only the properties need them)."""
    return [_example(p) for p in EXAMPLES]


@st.composite
def facts(draw, max_changes: int = 10, max_unknown: int = 2) -> dict:
    """A valid set of answers (dotted keys): an example of facts/ or nothing, with random
    answers added or changed and at most ``max_unknown`` of them ``unknown``."""
    base = dict(draw(st.sampled_from([{}] + example_facts())))
    changed = draw(st.lists(st.sampled_from(FACT_ENTRIES), unique_by=lambda e: e.key, max_size=max_changes))
    for entry in changed:
        base[entry.key] = draw(_value(entry))
    removed = draw(st.lists(st.sampled_from(sorted(base)), unique=True, max_size=3)) if base else []
    for key in removed:
        base.pop(key)
    if base:
        for key in draw(st.lists(st.sampled_from(sorted(base)), unique=True, max_size=max_unknown)):
            base[key] = "unknown"
    return base


INJECTIONS = [
    '").', '"). system("evil"). risk_class("evil", prohibited).', ":- system(S).", "#show.", "#show system/1.",
    "% comment", "%* block *%", '#include "/etc/passwd".', "#external x.", "#const n = 2.", "a :- not a.",
    '"', "'", "\\", "\\n", "\n", "\n\n", "\t", ").\n#show.\n", "{", "}", "[", "]", "&a", "*a", "!!python/object:os.system",
    "---", "...", ": ", "- ", "? ", "|", ">", "@date(\"2026-02-30\")", "$(rm -rf /)", "`id`", "${HOME}", "; rm -rf /",
    "&& echo pwned", "<script>alert(1)</script>", "{{7*7}}", "{system}", "{0}", "%s%n", "**bold**", "[x](javascript:1)",
    "\u202e", "\u200b", "\ufeff", "\u2028", "\u2029", "😀", "顔", "ẞ", "\U0010fffd", "   ", "unknown", "true", "null", "~",
]
#: Any character a YAML file can hold, except the control characters the loader refuses (tab and line break are allowed).
TEXT_CHARACTERS = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff") | st.sampled_from("\t\n")
hostile_strings = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(TEXT_CHARACTERS, max_size=60),
    st.lists(st.sampled_from(INJECTIONS) | st.text(TEXT_CHARACTERS, max_size=8), min_size=1, max_size=6).map("".join),
)


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _yaml_of(flat: dict, ident: str, texts: dict[str, str] | None = None, style: str = "quoted") -> str:
    data = {"id": ident, **_nest(flat)}
    if style == "dump":
        return _dump({**data, **(texts or {})})
    out = _dump(data)
    for key, value in (texts or {}).items():
        out += f"{key}: {_quoted(value)}\n"
    return out


# --------------------------------------------------------------------------------------------
# Properties


@pytest.mark.slow
@profile(COSTLY)
@given(st.lists(facts(), min_size=1, max_size=4))
def test_valid_descriptions_always_classify(batch):
    text = "systems:\n" + "".join(
        "  - " + _yaml_of(flat, f"s{i}").replace("\n", "\n    ").rstrip() + "\n" for i, flat in enumerate(batch))
    descriptions, errors = parse_text(text, "gen.yaml", VOCAB)
    assert errors == [], "\n".join(map(str, errors)) + "\n" + text
    run = classify_descriptions(descriptions, KB, VOCAB, AS_OF)
    assert [r.id for r in run.results] == [f"s{i}" for i in range(len(batch))]
    for result in run.results:
        assert result.risk_class in RISK_CLASSES
        assert set(result.possible_risk_classes) <= RISK_CLASSES - {"undetermined"}
    json.dumps(run_json(run), ensure_ascii=False)
    assert run_text(run)
    alone = classify_descriptions(descriptions[:1], KB, VOCAB, AS_OF).results[0]
    together = run.results[0]
    assert (alone.risk_class, alone.labels(None), alone.labels(True)) == (together.risk_class, together.labels(None), together.labels(True))


@pytest.mark.slow
@profile(COSTLY)
@given(facts(), st.dictionaries(st.sampled_from(TEXT_KEYS + ["reason"]), hostile_strings, min_size=1),
       st.sampled_from(["quoted", "dump"]))
def test_free_text_never_changes_a_fact_or_a_conclusion(flat, texts, style):
    plain, errors = parse_text(_yaml_of(flat, "s"), "gen.yaml", VOCAB)
    assert errors == []
    hostile_text = _yaml_of(flat, "s", texts, style)
    hostile, errors = parse_text(hostile_text, "gen.yaml", VOCAB)
    assert errors == [], "\n".join(map(str, errors)) + "\n" + hostile_text
    for key, value in texts.items():  # read exactly as written
        assert (hostile[0].text.get(key) if key != "reason" else hostile[0].meta.get("reason")) == value
    assert sorted(build_facts(hostile, VOCAB, AS_OF).facts) == sorted(build_facts(plain, VOCAB, AS_OF).facts)
    (run, with_text), without = _run_and_json(hostile), _system_json(plain)
    assert with_text.pop("name") == texts.get("name", "") and without.pop("name") == ""
    assert with_text == without
    if texts.get("name"):
        report = run_text(run, rules=False)  # the same run: classifying it again would give the same
        assert f"s — {texts['name']}\n" in report


def _bad_value(entry) -> st.SearchStrategy:
    not_unknown = st.text(max_size=12).filter(lambda s: s != "unknown")
    if entry.type == "bool":
        return st.one_of(not_unknown, st.integers(), st.lists(st.booleans(), min_size=1, max_size=2), st.none())
    if entry.type == "enum":
        return st.one_of(not_unknown.filter(lambda s: s not in entry.values), st.integers(), st.booleans())
    if entry.type == "list":
        return st.one_of(st.lists(not_unknown.filter(lambda s: s not in entry.values), min_size=1, max_size=2),
                         st.lists(st.integers(), min_size=1, max_size=2), not_unknown, st.booleans())
    if entry.type == "date":
        return st.one_of(not_unknown.filter(lambda s: not re.match(DATE_PATTERN, s)), st.sampled_from(["2026-02-30", "2026-13-01"]),
                         st.integers(), st.booleans())
    if entry.type in ("number", "integer"):
        bad = [st.integers(max_value=-1), not_unknown.filter(lambda s: not re.match(NUMBER_PATTERN, s)), st.booleans(),
               st.lists(st.integers(0, 9), min_size=1, max_size=2)]
        if entry.type == "integer":
            bad.append(st.sampled_from(["2.5", "1e-3"]))
        return st.one_of(*bad)
    if entry.type == "text":
        return st.one_of(st.integers(), st.booleans(), st.lists(st.text(max_size=3), max_size=2), st.sampled_from(["\x1b[2J", "a\rb"]))
    raise AssertionError(entry.type)


TEXT_ENTRIES = [VOCAB.by_key[k] for k in TEXT_KEYS]


@pytest.mark.slow
@profile(CHEAP)
@given(facts(max_unknown=0), st.sampled_from(FACT_ENTRIES + TEXT_ENTRIES).flatmap(lambda e: st.tuples(st.just(e), _bad_value(e))))
def test_a_wrong_value_is_an_error_naming_its_key(flat, bad):
    entry, value = bad
    flat = {k: v for k, v in flat.items() if not k.startswith(entry.key + ".")}
    flat[entry.key] = value
    text = _yaml_of(flat, "s")
    descriptions, errors = parse_text(text, "gen.yaml", VOCAB)
    assert descriptions == [], text
    named = [e for e in errors if e.key == entry.key or (e.key or "").startswith(entry.key + "[")]
    assert named, "\n".join(map(str, errors)) + "\n" + text
    assert all(isinstance(e.line, int) and e.line >= 1 for e in named)


@pytest.mark.slow
@profile(CHEAP)
@given(st.lists(facts(), min_size=1, max_size=3), st.dictionaries(st.sampled_from(TEXT_KEYS), hostile_strings, max_size=2))
def test_the_fast_reader_reads_generated_descriptions_as_the_loader_does(batch, texts):
    fastload = pytest.importorskip("aiact_asp.fastload")
    text = "systems:\n" + "".join(
        "  - " + _yaml_of(flat, f"s{i}", texts).replace("\n", "\n    ").rstrip() + "\n" for i, flat in enumerate(batch))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gen.yaml"
        path.write_text(text, encoding="utf-8")
        assert fastload.load_paths([path], VOCAB) == load_paths([path], VOCAB)


key_names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=15)
SECTIONS = sorted({e.path[0] for e in VOCAB.entries if len(e.path) > 1})


@pytest.mark.slow
@profile(CHEAP)
@given(facts(max_unknown=0), st.sampled_from([None] + SECTIONS), key_names)
def test_an_unknown_key_is_an_error_naming_it(flat, section, key):
    prefix = () if section is None else (section,)
    assume("\x85" not in key)  # a raw NEXT LINE is refused for the whole line (the key is unreadable): corpus next-line.yaml
    assume(key not in VOCAB.children(prefix) and key not in ("reason", "expect", "id", "systems"))
    assume(not any(k == (f"{section}.{key}" if section else key) or k.startswith((f"{section}.{key}" if section else key) + ".")
                   for k in flat))
    data = {"id": "s", **_nest({k: v for k, v in flat.items() if not (section and k == section)})}
    if section is None:
        data[key] = True
    else:
        if not isinstance(data.get(section), dict):
            data[section] = {}
        data[section][key] = True
    text = _dump(data)
    descriptions, errors = parse_text(text, "gen.yaml", VOCAB)
    assert descriptions == []
    shown = loader._dotted(list(prefix) + [key])
    named = [e for e in errors if e.key == shown]
    assert named and "unknown key" in named[0].message and isinstance(named[0].line, int), "\n".join(map(str, errors))


YAML_ALPHABET = st.sampled_from(list(":-[]{}!&*#|>'\"%@`,?~ \n\t\r.=<") + ["id", "a", "true", "unknown", "systems", "definition",
                                                                            "machine_based", "  ", "- ", ": ", "\ufeff", "\x00",
                                                                            "é", "\u0085", "!!python/object", "&x", "*x", "<<"])


@pytest.mark.slow
@profile(CHEAP)
@given(st.one_of(st.lists(YAML_ALPHABET, max_size=60).map("".join), st.text(max_size=200)))
def test_reading_any_text_never_raises(text):
    descriptions, errors = parse_text(text, "any.yaml", VOCAB)
    lines = text.count("\n") + text.count("\r") + 2
    for error in errors:
        assert error.file == "any.yaml" and error.message and isinstance(error.message, str)
        assert error.line is None or 1 <= error.line <= lines, str(error)
    for description in descriptions:
        assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*", description.id)


@pytest.mark.slow
@profile(CHEAP)
@given(st.binary(max_size=300))
def test_reading_any_bytes_never_raises(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bytes.yaml"
        path.write_bytes(data)
        _, errors = load_file(path, VOCAB)
        assert all(e.file == str(path) and e.message for e in errors)


@pytest.mark.slow
@profile(COSTLY)
@given(st.one_of(st.binary(max_size=200), st.lists(YAML_ALPHABET, max_size=40).map(lambda p: "".join(p).encode("utf-8", "surrogatepass"))))
def test_the_command_line_never_shows_a_traceback(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.yaml"
        path.write_bytes(data)
        result = CliRunner().invoke(main, ["solve", str(path), "--format", "json", "--as-of", "2026-11-30"])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 2), result.output
        report = json.loads(result.stdout)
        assert (result.exit_code == 2) == bool(report["errors"])
        assert "Traceback" not in result.output
