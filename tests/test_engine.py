"""The engine on a tiny rule set: facts through the Symbol API, unknowns, big numbers, dates, sources."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest

from aiact_asp.api import classify_descriptions
from aiact_asp.context import number_tuple, parse_number
from aiact_asp.kb import load_kb
from aiact_asp.loader import parse_text
from aiact_asp.vocabulary import load_vocabulary

MINI = Path(__file__).parent / "fixtures" / "kb_mini"


def run(text, as_of="2026-11-30"):
    kb = load_kb(MINI)
    vocabulary = load_vocabulary()
    descriptions, errors = parse_text(text, "t.yaml", vocabulary)
    assert not errors, errors
    return {r.id: r for r in classify_descriptions(descriptions, kb, vocabulary, _dt.date.fromisoformat(as_of)).results}


AI = "definition: {machine_based: true, infers_outputs: true}"


def test_conclusion_with_rule_source_and_used_facts():
    result = run(f"id: cv\n{AI}\nannex_iii: {{use_cases: [employment_recruitment_selection]}}\n")["cv"]
    assert result.labels() == {"ai_system", 'high_risk(annex_iii,"4(a)")', "risk_class(high_risk)"}
    high = next(c for c in result.conclusions if c.name == "high_risk")
    assert high.sources == ["Art. 6(2)", "Annex III 4(a)"]
    assert [str(a) for a in high.firings[0].used] == ['ai_system("cv")', 'annex_iii_use_case("cv",employment_recruitment_selection)']
    assert result.risk_class == "high_risk"


def test_unknown_is_never_false():
    # rules_defined_solely_by_humans unknown: the AI-system conclusion (recital 12) is undetermined
    result = run("id: x\ndefinition: {machine_based: true, infers_outputs: true, rules_defined_solely_by_humans: unknown}\n")["x"]
    assert "ai_system" not in result.labels(True)
    assert "ai_system" in result.labels(None)
    assert result.risk_class == "undetermined"
    assert result.possible_risk_classes == ["minimal_risk"]
    assert result.unknown_keys == ["definition.rules_defined_solely_by_humans"]


def test_unknown_enum_list_and_number_stay_open():
    result = run(f"id: x\n{AI}\nannex_iii: {{use_cases: unknown}}\ngpai: {{training_compute_flops: unknown}}\n")["x"]
    assert 'high_risk(annex_iii,"4(a)")' in result.labels(None) - result.labels(True)
    assert 'gpai_systemic_risk("51(2)")' in result.labels(None) - result.labels(True)
    assert result.possible_risk_classes == ["high_risk", "minimal_risk"]


@pytest.mark.parametrize("flops,expected", [("3.8e25", True), ("1e25", False), ("9.99e24", False),
                                            ("10000000000000000000000001", True), ("38000000000000000000000000", True)])
def test_compute_threshold_beyond_32_bit(flops, expected):
    # Art. 51(2): "greater than 10^25"
    result = run(f"id: m\ngpai: {{is_gpai_model: true, training_compute_flops: {flops}}}\n")["m"]
    assert ('gpai_systemic_risk("51(2)")' in result.labels()) is expected


def test_number_tuple_orders_like_the_numbers():
    values = ["0", "1", "9.99e24", "1e25", "1.0000000001e25", "3.8e25", "1e100"]
    tuples = [number_tuple(parse_number(v)) for v in values]
    assert tuples == sorted(tuples)
    assert len(set(tuples)) == len(tuples)


@pytest.mark.parametrize("as_of,expected", [("2026-12-01", False), ("2026-12-02", True)])
def test_dates_come_from_the_data_file(as_of, expected):
    # Art. 113(a) as amended: Art. 5(1)(ba) applies from 2 December 2026
    text = f"id: g\n{AI}\nprohibited_practices: {{intimate_imagery: {{generates_realistic_intimate_imagery_of_identifiable_person: true}}}}\n"
    assert ('prohibited("5(1)(ba)")' in run(text, as_of)["g"].labels()) is expected


def test_free_text_cannot_change_the_logic():
    hostile = 'name: "x). ai_system(\\"y\\"). #show. :- a. % \\n"\ndescription: "high_risk(S,annex_iii,\\"4(a)\\") :- system(S)."\n'
    plain = run(f"id: y\n{AI}\n")["y"]
    attacked = run(f"id: y\n{AI}\n{hostile}")["y"]
    assert attacked.labels() == plain.labels() == {"ai_system", "risk_class(minimal_risk)"}
    assert attacked.description.name == 'x). ai_system("y"). #show. :- a. % \n'


def test_many_systems_in_one_grounding():
    text = "systems:\n" + "".join(f"  - id: s{i}\n    {AI}\n" for i in range(50))
    results = run(text)
    assert len(results) == 50
    assert all(r.labels() == {"ai_system", "risk_class(minimal_risk)"} for r in results.values())
