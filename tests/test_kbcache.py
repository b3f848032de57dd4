"""The cache of the instrumented knowledge base (aiact_asp.kbcache): it must never change an
outcome, only the time a run takes."""

from __future__ import annotations

import datetime as _dt
import json
import shutil
from pathlib import Path

import pytest

from aiact_asp import fastload, kbcache
from aiact_asp.api import classify_descriptions
from aiact_asp.kb import load_kb
from aiact_asp.loader import load_paths
from aiact_asp.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
AS_OF = _dt.date(2026, 11, 30)


def outcome(kb, descriptions, vocabulary):
    """Per system: risk class, certain and possible conclusions with their rules and sources."""
    run = classify_descriptions(descriptions, kb, vocabulary, AS_OF)
    return {r.id: (r.risk_class, sorted((str(c.atom), c.certain, tuple(sorted((f.rule.id, str(f.used)) for f in c.firings)),
                                         tuple(c.sources)) for c in r.conclusions))
            for r in run.results}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("AIACT_ASP_CACHE_DIR", str(folder))
    load_kb.cache_clear()
    yield folder
    load_kb.cache_clear()


@pytest.mark.slow
def test_cached_program_gives_the_same_outcomes_as_the_parsed_rules(cache):
    """Every example system (facts/): the rules added as program text from the cache derive the
    same conclusions, by the same rules with the same sources, as the rules added as clingo AST."""
    fresh = load_kb()
    assert list(cache.glob("kb-*.json")), "the first load writes the cache"
    load_kb.cache_clear()
    cached = load_kb()
    assert cached.parsed is None and cached.program is not None  # came from the cache
    assert [r.id for r in cached.rules] == [r.id for r in fresh.rules]
    assert [r.sources for r in cached.rules] == [r.sources for r in fresh.rules]
    vocabulary = load_vocabulary(fresh.directory / "vocabulary.yaml")
    descriptions, errors = fastload.load_paths([ROOT / "facts"], vocabulary)  # the loader's descriptions, faster
    assert not errors and len(descriptions) >= 40
    assert outcome(cached, descriptions, vocabulary) == outcome(fresh.exact(), descriptions, vocabulary)
    # the AST is still there for whoever needs it (explanations, lint, mutation), parsed on demand
    assert len(cached.statements) == len(fresh.statements)


def test_a_changed_rule_file_is_read_again(cache, tmp_path):
    copy = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", copy)
    before = load_kb(copy)
    assert not any(r.head == "cache_probe" for r in before.rules)
    with open(copy / "scope.lp", "a", encoding="utf-8") as out:
        out.write('\n%@ source: Art. 2(1)\ncache_probe(S) :- system(S).\n')
    load_kb.cache_clear()
    after = load_kb(copy)
    assert [r.sources for r in after.rules if r.head == "cache_probe"] == [("Art. 2(1)",)]
    assert len(list(cache.glob("kb-*.json"))) == 2


def test_a_damaged_cache_entry_is_passed_over(cache):
    expected = [r.id for r in load_kb().rules]
    for entry in cache.glob("kb-*.json"):
        entry.write_text('{"format": 2, "rules": [[1, 2]], "program": "p("', encoding="utf-8")
    load_kb.cache_clear()
    kb = load_kb()
    assert [r.id for r in kb.rules] == expected and kb.parsed is not None  # parsed again
    for entry in cache.glob("yaml-*.json"):
        entry.write_text("not json", encoding="utf-8")
    load_kb.cache_clear()
    assert set(load_kb().conclusions) >= {"high_risk", "prohibited", "transparency_obligation"}


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("AIACT_ASP_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    load_kb.cache_clear()
    try:
        assert load_kb().parsed is not None
    finally:
        load_kb.cache_clear()
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()
    assert kbcache.cache_dir() is None


def test_an_unwritable_cache_folder_does_not_stop_a_run(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("AIACT_ASP_CACHE_DIR", str(blocker / "cache"))
    load_kb.cache_clear()
    try:
        assert len(load_kb().rules) > 100
    finally:
        load_kb.cache_clear()


def test_grounding_error_with_a_cached_kb_names_the_rule_file_and_line(cache, tmp_path):
    """The program text from the cache has no file names: a grounding error is reported from the
    rules as parsed, with the .lp file and line."""
    from aiact_asp.errors import KnowledgeBaseError

    copy = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", copy)
    with open(copy / "scope.lp", encoding="utf-8") as stream:
        line = stream.read().count("\n") + 2
    with open(copy / "scope.lp", "a", encoding="utf-8") as out:
        out.write('\n%@ source: Art. 2(1)\nbad_date(S) :- system(S), D = @date("2026-02-30").\n')
    load_kb(copy)  # writes the cache
    load_kb.cache_clear()
    kb = load_kb(copy)
    assert kb.parsed is None
    vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    descriptions, _ = load_paths([ROOT / "facts" / "cv-screening.yaml"], vocabulary)
    with pytest.raises(KnowledgeBaseError) as caught:
        classify_descriptions(descriptions, kb, vocabulary, AS_OF)
    assert any(e.file == "scope.lp" and e.line == line + 1 for e in caught.value.errors), caught.value.errors


def test_cache_entry_is_plain_json(cache):
    load_kb()
    entry = json.loads(next(cache.glob("kb-*.json")).read_text(encoding="utf-8"))
    assert entry["format"] == kbcache.FORMAT and "_fired(" in entry["program"]


def _summary(results) -> dict:
    """Per system: certain and possible labels, risk class and finding codes (what the
    ``classify`` fixture of conftest.py gives the rule tests)."""
    return {r.id: (r.labels(True), r.labels(None), r.risk_class, {str(f.arguments[0]) for f in r.findings})
            for r in results}


@pytest.mark.slow
def test_plain_rules_give_the_same_outcomes_as_the_instrumented_ones():
    """The rules without their rule-firing records (``engine.ground(..., firings=False)``, which
    the rule tests classify with: a third of the cost) derive the same certain and possible
    conclusions, risk class and findings as the instrumented rules of a run, for every example
    (facts/) and every case (tests/cases/). ``AIACT_ASP_TEST_CROSSCHECK=1`` checks the same for
    every description the rule tests classify."""
    from aiact_asp.engine import ground

    kb = load_kb()
    vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    examples, errors = fastload.load_paths([ROOT / "facts"], vocabulary)  # the loader's descriptions, faster
    cases, more_errors = fastload.load_paths([ROOT / "tests" / "cases"], vocabulary)
    descriptions = examples + cases
    assert not errors and not more_errors and len(examples) >= 40 and len(cases) >= 130
    instrumented = _summary(ground(descriptions, kb, vocabulary, AS_OF).results)
    plain = _summary(ground(descriptions, kb, vocabulary, AS_OF, firings=False).results)
    assert plain == instrumented
    # and with undetermined outcomes: a few examples with the sections they do not answer left
    # open (all of them that way take seconds each; the rule tests' unknowns are checked by the switch)
    some = examples[::12]
    instrumented = _summary(ground(some, kb, vocabulary, AS_OF, "sections").results)
    plain = _summary(ground(some, kb, vocabulary, AS_OF, "sections", firings=False).results)
    assert plain == instrumented
    assert all(certain != possible for certain, possible, *_ in plain.values())
