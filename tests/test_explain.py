"""Explanations: derivation trees (why) and why-nots, checked against the law.

For each example system the tree of its main conclusion must contain exactly the expected rules
(by file and head predicate) and input facts; the reasons cited with each expectation are the
provisions of Regulation (EU) 2024/1689 (as amended by Regulation (EU) 2026/1744) that the rules
implement. Then: why-nots name the failed conditions, every concept has wording, every cited article
has a title and link, and the formats (text, JSON, Markdown, ``solve --explain``) hold together.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import re
import string
from pathlib import Path

import clingo
import pytest
import yaml
from click.testing import CliRunner

from aiact_asp.api import classify_paths
from aiact_asp.cli import main
from aiact_asp.explain import (KIND_INPUT, LegalSources, collapsed, compiled_rules, explain_run, load_concepts,
                               requirements)
from aiact_asp.explain_render import Phrases, render_json, render_markdown, render_text
from aiact_asp.kb import load_kb

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts"
AS_OF = _dt.date(2026, 11, 30)


# --------------------------------------------------------------------------- helpers


@functools.lru_cache(maxsize=64)
def _explained(system: str, conclusions: tuple = (), why_not: tuple = ()):
    run = classify_paths([FACTS / f"{system}.yaml"], AS_OF)
    return explain_run(run, "en", conclusions=list(conclusions) or None, why_not=list(why_not), as_of=AS_OF)


def _value(atom: clingo.Symbol):
    args = atom.arguments[1:]
    if not args:
        return True
    value = args[0]
    if value.type == clingo.SymbolType.String:
        return value.string
    if value.type == clingo.SymbolType.Number:
        return value.number
    return str(value)


def tree(system: str, conclusion: str):
    """(root atoms, {(file, head)} of every rule instance in the tree, {(key, value)} of every input fact
    it rests on, {absent atom text} of every ``not`` condition)."""
    explained = _explained(system, (conclusion,))
    explainer = explained.explainer
    roots = explained.systems[0].roots
    rules, facts, absent, seen = set(), set(), set(), set()

    def walk(atom: clingo.Symbol) -> None:
        if str(atom) in seen:
            return
        seen.add(str(atom))
        if explainer.atom_kind(atom) == KIND_INPUT:
            facts.add((explainer.vocabulary.by_predicate[atom.name].key, _value(atom)))
            return
        for step in explainer.steps(atom):
            rules.add((step.rule.file, step.rule.head))
            absent.update(str(a) for a in step.absent)
            for used in step.used:
                walk(used)

    for root in roots:
        walk(root)
    return [str(r) for r in roots], rules, facts, absent


#: Art. 3(1) (definition.lp): machine-based, autonomy, inference (recital 12), outputs, influence;
#: the entry is a system, not a general-purpose AI model (Art. 3(63), recital 97).
AI_SYSTEM = {("definition.lp", "system_entry"), ("definition.lp", "infers_how_to_generate_outputs"),
             ("definition.lp", "generates_outputs"), ("definition.lp", "ai_system")}
#: Art. 2: an AI system not excluded by Art. 2(1), (3), (4), (6), (8) is classified (scope.lp).
CLASSIFIABLE = AI_SYSTEM | {("scope.lp", "classifiable")}


def ai_facts(*outputs: str) -> set:
    """The input facts of the Art. 3(1) elements: machine-based, autonomy, infers outputs, the output
    types ("predictions, content, recommendations, or decisions") and influence on environments."""
    return {("definition.machine_based", True), ("definition.autonomy", True), ("definition.infers_outputs", True),
            ("definition.influences_environment", True)} | {("definition.output_types", o) for o in outputs}


# --------------------------------------------------------------------------- why: trees of the main conclusion

ANNEX_III = {("annex_iii.lp", "annex_iii_point"), ("annex_iii.lp", "annex_iii_intended"), ("annex_iii.lp", "annex_iii_system")}

TREES = [
    # Art. 6(2) + Annex III 4(a) "recruitment or selection of natural persons"; Art. 6(3), last
    # subparagraph: "shall always be considered to be high-risk where the AI system performs profiling".
    ("cv-screening", 'high_risk(annex_iii,"4(a)")',
     CLASSIFIABLE | ANNEX_III | {("annex_iii.lp", "performs_profiling"), ("annex_iii.lp", "high_risk")},
     ai_facts("recommendation") | {("annex_iii.use_cases", "employment_recruitment_selection"),
                                   ("annex_iii.profiling_natural_persons", True)}),
    # Annex III 7(c) (assisting the examination of residence-permit applications), but Art. 6(3), second
    # subparagraph, point (d): "a preparatory task to an assessment"; no profiling.
    ("triage-verblijfsaanvragen", "annex_iii_derogation",
     CLASSIFIABLE | ANNEX_III | {("annex_iii.lp", "annex_iii_6_3_condition"), ("annex_iii.lp", "annex_iii_derogation")},
     ai_facts("prediction", "decision") | {("annex_iii.use_cases", "migration_application_examination"),
                                           ("annex_iii.preparatory_task", True)}),
    # Annex III 1(c) "AI systems intended to be used for emotion recognition" (Art. 6(2)); not prohibited:
    # the 'medical or safety reasons' exception of Art. 5(1)(f) is a "not" condition, not a rule used.
    ("emotieherkenning-tunneloperators", 'high_risk(annex_iii,"1(c)")',
     CLASSIFIABLE | ANNEX_III | {("annex_iii.lp", "high_risk")},
     ai_facts("prediction", "recommendation") | {("annex_iii.use_cases", "emotion_recognition")}),
    # Art. 50(1): "AI systems intended to interact directly with natural persons"; Art. 113: applies
    # from 2 August 2026 (in_force on the assessment date, as_of is a given fact).
    ("chatbot-gemeente", 'transparency_obligation("50(1)")',
     CLASSIFIABLE | {("art50.lp", "art50_covered"), ("art50.lp", "transparency_obligation"),
                     ("data/dates.lp", "applies_from"), ("data/dates.lp", "in_force")},
     ai_facts("prediction", "content") | {("transparency.interacts_directly_with_natural_persons", True)}),
    # Art. 51(2): "presumed to have high impact capabilities ... when the cumulative amount of computation
    # used for its training ... is greater than 10^25" (3.8e25); a model within scope (Art. 2(1)(a)).
    ("gpai-model-groot", 'gpai_systemic_risk("51(2)")',
     {("gpai.lp", "gpai_model"), ("gpai.lp", "meets_art51_1_a"), ("gpai.lp", "gpai_systemic_risk"),
      ("data/thresholds.lp", "systemic_risk_training_compute_threshold"), ("scope.lp", "in_scope")},
     {("gpai.is_gpai_model", True), ("gpai.training_compute_flops", "(17,380000000,0)")}),
    # Art. 3(63) model without systemic risk (9.5e24 is not above 10^25): class gpai_model, in scope
    # under Art. 2(1)(a); "not classified with systemic risk" is a not-condition.
    ("gpai-model-onder-drempel", "risk_class(gpai_model)",
     {("classification.lp", "risk_class"), ("scope.lp", "in_scope")},
     {("gpai.is_gpai_model", True)}),
    # Art. 5(1)(c): evaluation of natural persons over time on social behaviour, leading to detrimental
    # treatment in unrelated contexts (i) and unjustified or disproportionate treatment (ii); applies
    # from 2 February 2025 (Art. 113, third paragraph, point (a)).
    ("sociale-score-burgers", 'prohibited("5(1)(c)")',
     CLASSIFIABLE | {("art5.lp", "social_scoring"), ("art5.lp", "ai_practice"), ("art5.lp", "prohibited"),
                     ("art5.lp", "prohibition_applies_from"), ("data/dates.lp", "applies_from"), ("data/dates.lp", "in_force")},
     ai_facts("prediction", "decision") | {
         ("deployment.affected_persons", "natural_persons"),
         ("prohibited_practices.social_scoring.evaluates_persons_over_time_on_social_behaviour_or_characteristics", True),
         ("prohibited_practices.social_scoring.detrimental_treatment_unrelated_context", True),
         ("prohibited_practices.social_scoring.detrimental_treatment_unjustified_or_disproportionate", True)}),
    # Art. 5(1)(f): emotion recognition system (Art. 3(39): emotions inferred from biometric data) in
    # the workplace, of workers (recital 44), not for medical or safety reasons.
    ("stressmeting-medewerkers", 'prohibited("5(1)(f)")',
     CLASSIFIABLE | {("art5.lp", "emotion_recognition_system"), ("art5.lp", "emotion_recognition_of_workers_or_students"),
                     ("art5.lp", "workplace_or_education_institution"), ("art5.lp", "ai_practice"), ("art5.lp", "prohibited"),
                     ("art5.lp", "prohibition_applies_from"), ("data/dates.lp", "applies_from"), ("data/dates.lp", "in_force")},
     ai_facts("prediction") | {("prohibited_practices.emotion_recognition.infers_emotions", True),
                               ("prohibited_practices.emotion_recognition.based_on_biometric_data", True),
                               ("prohibited_practices.emotion_recognition.area", "workplace"),
                               ("prohibited_practices.emotion_recognition.subjects", "workers_or_candidates")}),
    # Recital 12: the definition "should not cover systems that are based on the rules defined solely by
    # natural persons to automatically execute operations".
    ("regelengine-parkeervergunning", "not_ai_system(rules_defined_solely_by_humans)",
     {("definition.lp", "system_entry"), ("definition.lp", "based_on_rules_defined_solely_by_natural_persons"),
      ("definition.lp", "not_ai_system")},
     {("definition.rules_defined_solely_by_humans", True)}),
    # Art. 2(3): "used ... exclusively for military, defence or national security purposes".
    ("doelherkenning-defensie", 'out_of_scope("2(3)")',
     AI_SYSTEM | {("scope.lp", "art2_exclusion"), ("scope.lp", "out_of_scope")},
     ai_facts("prediction", "recommendation") | {("scope.military_defence_national_security_only", True)}),
    # Art. 6(1): the AI system is itself a product (and a safety component) covered by Annex I Section A
    # point 11 (Regulation (EU) 2017/745, medical devices) and needs third-party conformity assessment.
    ("longnodule-detectie-ct", "high_risk(annex_i_section_a,medical_devices)",
     CLASSIFIABLE | {("annex_i.lp", "annex_i_covering_act"), ("annex_i.lp", "annex_i_entry"),
                     ("annex_i.lp", "annex_i_product_or_safety_component"), ("annex_i.lp", "annex_i_third_party_conformity_assessment"),
                     ("annex_i.lp", "high_risk"), ("data/annex_i.lp", "annex_i_act")},
     ai_facts("prediction") | {("annex_i.legislation", "medical_devices"), ("annex_i.ai_system_is_the_product", True),
                               ("annex_i.safety_component_or_product", True), ("annex_i.third_party_conformity_assessment", True)}),
    # Annex III 5(b): "to evaluate the creditworthiness of natural persons"; profiling (Art. 6(3), last
    # subparagraph) keeps it high-risk.
    ("kredietwaardigheid-sociale-lening", 'high_risk(annex_iii,"5(b)")',
     CLASSIFIABLE | ANNEX_III | {("annex_iii.lp", "performs_profiling"), ("annex_iii.lp", "high_risk")},
     ai_facts("prediction") | {("annex_iii.use_cases", "creditworthiness"), ("annex_iii.profiling_natural_persons", True)}),
    # Art. 2(12): "released under free and open-source licences, unless ... high-risk ... or ... Article 5
    # or 50" — the 'unless' is a not-condition.
    ("signalen-categorisering-opensource", 'out_of_scope("2(12)")',
     CLASSIFIABLE | {("scope.lp", "out_of_scope")},
     ai_facts("prediction", "recommendation") | {("scope.free_open_source_licence", True)}),
]


@pytest.mark.parametrize("system,conclusion,rules,facts", TREES, ids=[t[0] for t in TREES])
def test_tree_of_main_conclusion(system, conclusion, rules, facts):
    roots, got_rules, got_facts, _ = tree(system, conclusion)
    assert len(roots) == 1, roots
    assert got_rules == rules
    assert got_facts == facts


def test_not_conditions_of_trees():
    # Art. 6(3), last subparagraph is the ground of the cv-screening tree; Art. 6(2) with "not derogated"
    # would be the other (kb/annex_iii.lp): the Annex III point must not be excluded (Annex III 3-8).
    _, _, _, absent = tree("cv-screening", 'high_risk(annex_iii,"4(a)")')
    assert 'annex_iii_excluded("cv-screening","4(a)")' in absent
    # Art. 5(1)(f): "except where ... for medical or safety reasons" — a not-condition of the practice.
    _, _, _, absent = tree("stressmeting-medewerkers", 'prohibited("5(1)(f)")')
    assert 'medical_or_safety_reasons("stressmeting-medewerkers")' in absent
    # Art. 2(12): "unless ... high-risk ... Article 5 or 50".
    _, _, _, absent = tree("signalen-categorisering-opensource", 'out_of_scope("2(12)")')
    assert 'open_source_exclusion_lifted("signalen-categorisering-opensource")' in absent


def test_reason_of_a_not_condition_names_the_failing_condition():
    # Art. 6(2) would make triage high-risk, but the not-condition "no Art. 6(3) derogation" fails:
    # the derogation holds because of Art. 6(3)(d), a preparatory task.
    explained = _explained("triage-verblijfsaanvragen", ("annex_iii_derogation",))
    explainer = explained.explainer
    phrases = Phrases(explainer, "en")
    atom = clingo.parse_term('annex_iii_derogated("triage-verblijfsaanvragen","7(c)")')
    assert explainer.model.holds(atom) == "certain"
    # and the reason why it is not profiling (Art. 6(3), last subparagraph): the input says so
    reason = explainer.absent_reason("triage-verblijfsaanvragen", clingo.parse_term('performs_profiling("triage-verblijfsaanvragen")'))
    routes = collapsed(reason)
    first = routes[0]
    assert first.rule.file == "annex_iii.lp" and first.rule.head == "performs_profiling"
    assert "Art. 6(3), last subparagraph" in first.rule.sources
    needs = [phrases.need(n) for alt in requirements(first, explainer) for n in alt]
    assert needs == ["annex_iii.profiling_natural_persons = true"]


# --------------------------------------------------------------------------- why not


def why_not(system: str, pattern: str):
    explained = _explained(system, (), (pattern,))
    result = explained.systems[0].why_not[0]
    return explained.explainer, result, collapsed(result)


def _needs(explainer, route):
    phrases = Phrases(explainer, "en")
    return [[phrases.need(n) for n in alternatives] for alternatives in requirements(route, explainer)]


def test_why_not_high_risk_for_a_derogated_annex_iii_system():
    # Annex III 7(c), but the Art. 6(3)(d) derogation (preparatory task) applies and there is no
    # profiling (Art. 6(3), last subparagraph): two routes, one condition each.
    explainer, result, routes = why_not("triage-verblijfsaanvragen", "high_risk")
    assert result.status == "absent"
    first = routes[0]
    assert (first.rule.file, first.rule.head) == ("annex_iii.lp", "high_risk")
    assert [c.kind for c in first.failed] == ["present"]
    assert str(first.failed[0].atom) == 'annex_iii_derogated("triage-verblijfsaanvragen","7(c)")'
    assert _needs(explainer, first) == [["annex_iii.preparatory_task = false"]]
    profiling = next(r for r in routes if r.rule.head == "performs_profiling")
    assert profiling.cost == 1
    assert _needs(explainer, profiling) == [["annex_iii.profiling_natural_persons = true"]]
    assert [r.cost for r in routes[:3]] == [1, 1, 1]


def test_why_not_transparency_for_an_obvious_robot():
    # Art. 50(1): "unless this is obvious from the point of view of a natural person who is reasonably
    # well-informed, observant and circumspect".
    explainer, result, routes = why_not("robot-bibliotheek", 'transparency_obligation("50(1)")')
    first = routes[0]
    assert (first.rule.file, first.rule.head) == ("art50.lp", "art50_covered")
    assert [c.kind for c in first.failed] == ["present"]
    assert first.failed[0].name == "art50_excepted"
    assert _needs(explainer, first) == [["transparency.obvious_to_reasonable_person = false"]]
    assert len(routes) == 1  # the transparency obligation of 50(1) has no other route


def test_why_not_systemic_risk_just_under_the_threshold():
    # Art. 51(2): "greater than 10^25" — 9.5e24 is not; Art. 51(1)(a) high-impact capabilities and
    # Art. 51(1)(b) Commission designation are not stated either.
    explainer, result, routes = why_not("gpai-model-onder-drempel", "gpai_systemic_risk")
    assert {r.rule.head for r in routes} == {"meets_art51_1_a", "gpai_systemic_risk"}
    presumption = next(r for r in routes if "Art. 51(2)" in r.rule.sources and r.rule.head == "meets_art51_1_a")
    comparison = presumption.failed[0]
    assert comparison.kind == "comparison" and comparison.name == ">"
    phrases = Phrases(explainer, "en")
    assert [phrases.value(v) for v in comparison.values] == ["9.5e24", "1e25"]
    assert _needs(explainer, presumption) == [["gpai.training_compute_flops > 1e25"]]
    needs = {tuple(map(tuple, _needs(explainer, r))) for r in routes}
    assert (("gpai.high_impact_capabilities = true",),) in needs
    assert (("gpai.commission_designated = true",),) in needs
    assert all(r.cost == 1 for r in routes)


def test_why_not_prohibited_for_emotion_recognition_for_safety_reasons():
    # Art. 5(1)(f): "except where the use of the AI system is intended ... for medical or safety reasons".
    explainer, result, routes = why_not("emotieherkenning-tunneloperators", "prohibited")
    first = routes[0]
    assert (first.rule.file, first.rule.head) == ("art5.lp", "ai_practice")
    assert "Art. 5(1)(f)" in first.rule.sources
    assert [(c.kind, c.name) for c in first.failed] == [("present", "medical_or_safety_reasons")]
    assert _needs(explainer, first) == [
        ["prohibited_practices.emotion_recognition.medical_or_safety_reasons = false"]]
    assert first.cost == 1 and all(r.cost >= 1 for r in routes[1:])


def test_why_not_prohibited_before_the_date_of_application():
    # Art. 5(1)(ba) applies from 2 December 2026 (Art. 113, third paragraph, point (a) as amended by
    # Reg. 2026/1744): on 30 November 2026 the practice is described but not yet prohibited.
    explainer, result, routes = why_not("naaktbeeld-generator-2026-11", "prohibited")
    first = routes[0]
    assert (first.rule.file, first.rule.head) == ("data/dates.lp", "in_force")
    assert first.failed[0].kind == "comparison"
    assert _needs(explainer, first) == [["assessment date >= 2026-12-02"]]


def test_why_not_ai_system_for_human_defined_rules():
    # Art. 3(1) "infers ... how to generate outputs" is not met, and recital 12 excludes systems "based on
    # the rules defined solely by natural persons": both would have to change.
    explainer, result, routes = why_not("regelengine-parkeervergunning", "ai_system")
    first = routes[0]
    assert (first.rule.file, first.rule.head) == ("definition.lp", "ai_system")
    kinds = {(c.kind, c.name) for c in first.failed}
    assert kinds == {("missing", "infers_how_to_generate_outputs"), ("present", "based_on_rules_defined_solely_by_natural_persons")}
    assert _needs(explainer, first) == [
        ["definition.infers_outputs = true"], ["definition.rules_defined_solely_by_humans = false"]]


@pytest.mark.parametrize("system,reason,key", [
    # Annex III 5(b): "with the exception of AI systems used for the purpose of detecting financial fraud"
    ("fraudedetectie-leningaanvragen", "financial_fraud_detection", "annex_iii.financial_fraud_detection"),
    # Annex III 8(b) / recital 62: tools "to the output of which natural persons are not directly exposed"
    ("campagnelogistiek-partij", "not_directly_exposed_campaign_tool", "annex_iii.not_directly_exposed_campaign_tool"),
    # recital 61: "purely ancillary administrative activities ... such as anonymisation"
    ("anonimisering-uitspraken", "purely_ancillary_administrative", "annex_iii.purely_ancillary_administrative"),
])
def test_why_not_high_risk_names_the_annex_iii_limitation(system, reason, key):
    explainer, result, routes = why_not(system, "high_risk")
    first = routes[0]
    assert [c.kind for c in first.failed] == ["present"] and first.failed[0].name == "annex_iii_excluded"
    assert _needs(explainer, first) == [[f"{key} = false"]]
    steps = explainer.steps(first.failed[0].atom)
    below = explainer.steps(steps[0].used[0])
    assert str(below[0].head.arguments[2]) == reason


def test_why_not_of_a_conclusion_that_holds():
    explained = _explained("cv-screening", (), ('high_risk(annex_iii,"4(a)")',))
    assert explained.systems[0].why_not[0].status == "holds"


# --------------------------------------------------------------------------- wording, titles, links


def test_every_head_predicate_that_is_not_a_conclusion_has_wording():
    kb = load_kb()
    concepts = load_concepts(kb.directory)
    missing = sorted({name for name, _ in compiled_rules(kb) if name not in kb.conclusions and name not in concepts})
    assert not missing, f"add wording for these predicates to kb/concepts.yaml: {missing}"
    incomplete = sorted(name for name, spec in concepts.items() if not (spec.template.get("en") and spec.template.get("nl")))
    assert not incomplete, f"wording without English or Dutch in kb/concepts.yaml: {incomplete}"


def test_concept_templates_use_only_their_arguments():
    kb = load_kb()
    arities = {}
    for name, arity in compiled_rules(kb):
        arities.setdefault(name, set()).add(arity)
    for name, spec in load_concepts(kb.directory).items():
        allowed = {"system"} | set(spec.args) | {f"{a}_label" for a in spec.args}
        for text in list(spec.template.values()) + list(spec.negated.values()):
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            assert fields <= allowed, (name, fields - allowed)
        if name in arities:  # the argument names fit the predicate's arity
            assert len(spec.args) + (1 if spec.system else 0) in arities[name], name


def test_every_cited_article_and_annex_has_a_title_and_a_eur_lex_link():
    kb = load_kb()
    sources = LegalSources.load(kb.directory)
    for rule in kb.rules:
        for citation in rule.sources:
            if re.match(r"^(Art\.|Annex|recital)", citation):
                cited = sources.cite(citation)
                assert cited.url and cited.url["en"].startswith("https://eur-lex.europa.eu/eli/reg/"), citation
                if not citation.startswith("recital"):
                    assert cited.title and cited.title.get("en"), citation
    assert sources.cite("Art. 5(1)(f)").url["en"] == "https://eur-lex.europa.eu/eli/reg/2024/1689/oj/eng#art_5"
    assert sources.cite("Annex III 4(a)").url["nl"] == "https://eur-lex.europa.eu/eli/reg/2024/1689/oj/nld#anx_III"
    assert sources.cite("recital 12").url["en"].endswith("#rct_12")
    assert sources.cite("Art. 6(3)").title == {"en": "Classification rules for high-risk AI systems",
                                               "nl": "Classificatieregels voor AI-systemen met een hoog risico"}
    assert sources.cite("Reg. 2026/1744 Art. 1(8)").url["en"] == "https://eur-lex.europa.eu/eli/reg/2026/1744/oj/eng#art_1"


def test_article_titles_file_matches_the_reference_text():
    reference = ROOT.parent / "shared" / "reference" / "ai-act"
    if not reference.is_dir():
        pytest.skip("reference text not available")
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from gen_article_titles import build
    finally:
        sys.path.pop(0)
    stored = yaml.safe_load((ROOT / "kb" / "data" / "article_titles.yaml").read_text(encoding="utf-8"))
    assert stored == json.loads(json.dumps(build(reference))), "run: python tools/gen_article_titles.py"


def test_trees_of_all_examples_are_in_words(examples_run):
    """No atom of any tree of facts/ falls back to its predicate form: every concept has wording."""
    run = examples_run
    explained = explain_run(run, "en", as_of=AS_OF)
    data = render_json(explained, "en")
    raw = re.compile(r"^[a-z_][a-z0-9_]*(\(.*\))?$")
    for system in data["systems"]:
        for node in system["nodes"]:
            if node["type"] in ("atom", "absence") and node["kind"] != "given":
                assert not raw.match(node["statement"].removeprefix("not: ")), (system["system"], node)


# --------------------------------------------------------------------------- formats


def test_json_nodes_and_edges_have_stable_ids():
    first = render_json(_explained("cv-screening"), "en")
    again = render_json(explain_run(classify_paths([FACTS / "cv-screening.yaml"], AS_OF), "en", as_of=AS_OF), "en")
    assert first == again  # the same input gives the same output
    system = first["systems"][0]
    ids = [n["id"] for n in system["nodes"]]
    assert len(ids) == len(set(ids))
    assert set(system["roots"]) <= set(ids)
    for edge in system["edges"]:
        assert edge["from"] in ids and edge["to"] in ids, edge
        assert edge["relation"] in ("derived_by", "uses", "requires_absence")
    steps = [n for n in system["nodes"] if n["type"] == "step"]
    assert all(n["id"].startswith(f"step:{n['rule']}:") for n in steps)
    profiling = next(n for n in system["nodes"] if n["id"] == 'profiling_natural_persons("cv-screening")')
    assert profiling["key"] == "annex_iii.profiling_natural_persons" and profiling["value"] is True
    assert profiling["source"].startswith("Art. 6(3), last subparagraph")
    step = next(n for n in steps if n["rule"].startswith("annex_iii") and n["head"] == "high_risk"
                and any(s["citation"] == "Art. 6(3), last subparagraph" for s in n["sources"]))
    assert {"citation": "Art. 6(3), last subparagraph", "title": "Classification rules for high-risk AI systems",
            "url": "https://eur-lex.europa.eu/eli/reg/2024/1689/oj/eng#art_6",
            "titles": {"en": "Classification rules for high-risk AI systems",
                       "nl": "Classificatieregels voor AI-systemen met een hoog risico"},
            "citation_nl": "art. 6, lid 3, laatste alinea"} in step["sources"]


def test_text_and_markdown_read_top_down_in_both_languages():
    explained = _explained("cv-screening", ('high_risk(annex_iii,"4(a)")',))
    text = render_text(explained, "en")
    lines = text.splitlines()
    assert lines[2] == "Why: cv-screening is a high-risk AI system under Article 6(2) and Annex III (4(a))."
    # the steps under it (their order follows the rules of kb/annex_iii.lp)
    assert any(line.startswith(("  by Art. 6(3), last subparagraph; recital 53 — Classification rules for high-risk AI systems",
                                "  also by Art. 6(3), last subparagraph; recital 53 — Classification rules for high-risk AI systems"))
               for line in lines)
    assert "fact: annex_iii.profiling_natural_persons = true" in text
    assert "<https://eur-lex.europa.eu/eli/reg/2024/1689/oj/eng#art_6>" in text
    dutch = render_text(explained, "nl")
    assert "Waarom: cv-screening is een AI-systeem met een hoog risico" in dutch
    assert "voert profilering van natuurlijke personen uit" in dutch
    # sources in the Dutch citation style (aiact_asp/citation_nl.py), the article titles in Dutch
    assert any(line.startswith(("  op grond van art. 6, lid 3, laatste alinea; overweging 53 — Classificatieregels voor "
                                "AI-systemen met een hoog risico", "  ook op grond van art. 6, lid 3, laatste alinea; "
                                "overweging 53 — Classificatieregels voor AI-systemen met een hoog risico"))
               for line in dutch.splitlines())
    assert "[art. 6, lid 3, laatste alinea; art. 3, punt 52; overweging 53; Handreiking §4.2.3]" in dutch
    markdown = render_markdown(explained, "nl")
    assert markdown.startswith("## cv-screening — CV-screening voor werving")
    assert "[art. 6, lid 3, laatste alinea](https://eur-lex.europa.eu/eli/reg/2024/1689/oj/nld#art_6" in markdown
    for rendering in (dutch, markdown):
        assert not re.search(r"\b(Art\.|Annex|recital|subparagraph|paragraph)\b", rendering), rendering


def test_cli_explain_and_solve_explain():
    runner = CliRunner()
    result = runner.invoke(main, ["explain", str(FACTS / "triage-verblijfsaanvragen.yaml"), "--why-not", "high_risk",
                                  "--as-of", "2026-11-30"])
    assert result.exit_code == 0, result.output
    assert "Why not: high_risk (high-risk AI system)" in result.output  # the label of kb/conclusions.yaml
    assert "annex_iii.preparatory_task = false" in result.output
    result = runner.invoke(main, ["explain", str(FACTS), "--system", "robot-bibliotheek", "--format", "json",
                                  "--as-of", "2026-11-30", "transparency_obligation"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [s["system"] for s in data["systems"]] == ["robot-bibliotheek"]
    assert data["systems"][0]["why_not"][0]["status"] == "absent"
    result = runner.invoke(main, ["explain", str(FACTS / "cv-screening.yaml"), "--why-not", "high_rsk"])
    assert result.exit_code == 2 and "did you mean high_risk" in result.output
    # a conclusion asked for by (part of) its label, in Dutch with --lang nl: the code is suggested
    result = runner.invoke(main, ["explain", str(FACTS / "cv-screening.yaml"), "--why-not", "verboden", "--lang", "nl"])
    assert result.exit_code == 2
    assert "fout: ongeldige waarde: 'verboden' is geen conclusie" in result.output and "bedoelt u prohibited," in result.output
    result = runner.invoke(main, ["solve", str(FACTS / "cv-screening.yaml"), "--explain", "--as-of", "2026-11-30"])
    assert result.exit_code == 0, result.output
    assert "Risk class: high-risk AI system" in result.output and "Why: " in result.output
    result = runner.invoke(main, ["solve", str(FACTS / "cv-screening.yaml"), "--explain", "--format", "json",
                                  "--as-of", "2026-11-30"])
    system = json.loads(result.output)["systems"][0]
    assert system["risk_class"] == "high_risk" and system["explanation"]["roots"]


def test_a_missing_input_fact_says_why_it_is_missing():
    """"= true — not given" was ambiguous: the explanation says whether the key is left out of the
    description (absent means false), or stated with another value."""
    explained = _explained("cv-screening", ("ai_system",))
    text, dutch = render_text(explained, "en"), render_text(explained, "nl")
    # definition.rules_defined_solely_by_humans is not in facts/cv-screening.yaml: absent means false
    assert ("definition.rules_defined_solely_by_humans = true — not stated in the description, taken as false "
            "(absent means false)") in text
    assert "definition.rules_defined_solely_by_humans = true — niet vermeld in de beschrijving, dus onwaar" in dutch
    # a rule relying on the absence of a key the description leaves out
    assert re.search(r"gpai\.is_gpai_model = false  \[[^]]*\]  \(not stated, so false\)", text)
    assert "(niet vermeld, dus onwaar)" in dutch
    assert "not given" not in text and "niet opgegeven" not in dutch
    why_not = render_text(_explained("triage-verblijfsaanvragen", why_not=("high_risk",)), "en")
    # facts/triage-verblijfsaanvragen.yaml states profiling_natural_persons: false and one use case
    assert "✗ fact: annex_iii.profiling_natural_persons = true — the description says false" in why_not
    assert "— the description lists [migration_application_examination]" in why_not
    assert "— fails" not in why_not


# --------------------------------------------------------------------------- readable why-nots


#: Annex I on 30 November 2026, as amended by Reg. 2026/1744 Art. 1(41): Section A points 2-12 (point 1,
#: the Machinery Directive, deleted by Art. 1(41)(a)); Section B points 13-20 and point 21, the Machinery
#: Regulation (EU) 2023/1230 added by Art. 1(41)(b) — a description naming the Directive is read as the
#: Regulation (interpretation machinery_directive_read_as_regulation, kb/annex_i.lp).
ANNEX_I_SECTION_A = {"toys", "recreational_craft", "lifts", "atex", "radio_equipment", "pressure_equipment", "cableways",
                     "ppe", "gas_appliances", "medical_devices", "in_vitro_diagnostics"}
ANNEX_I_SECTION_B = {"civil_aviation_security", "two_three_wheel_vehicles", "agricultural_forestry_vehicles", "marine_equipment",
                     "rail_interoperability", "motor_vehicles", "motor_vehicles_general_safety", "civil_aviation",
                     "machinery_regulation", "machinery"}


def test_why_not_annex_i_is_one_route_per_section_in_general_terms():
    """Art. 6(1): the routes that differ only in the Annex I act are one route, worded in general
    terms; what would have to change names the acts of that section as alternatives, not one act."""
    from aiact_asp.explain import general_routes

    explained = _explained("triage-verblijfsaanvragen", why_not=("high_risk",))
    result = explained.systems[0].why_not[0]
    routes = general_routes(collapsed(result))
    annex_i = {r.head[1].name: r for r in routes if r.rule.file == "annex_i.lp" and r.rule.head == "high_risk"}
    assert set(annex_i) == {"annex_i_section_a", "annex_i_section_b"}
    for basis, acts in (("annex_i_section_a", ANNEX_I_SECTION_A), ("annex_i_section_b", ANNEX_I_SECTION_B)):
        needs = requirements(annex_i[basis], explained.explainer)
        legislation = [n for (n,) in needs if n.name == "annex_i_legislation"]
        assert len(legislation) == 1 and legislation[0].args[1] is None  # open: any act of the section
        assert {str(v) for v in legislation[0].choices[1]} == acts
        others = {Phrases(explained.explainer, "en").need(n) for (n,) in needs if n.name != "annex_i_legislation"}
        # Art. 6(1)(a) "the AI system is itself a product" (the cheapest of the three rules), 6(1)(b)
        assert others == {"annex_i.ai_system_is_the_product = true", "annex_i.third_party_conformity_assessment = true"}
    text = render_text(explained, "en")
    assert "→ would conclude: triage-verblijfsaanvragen is a high-risk AI system under Article 6(1) and Annex I Section A\n" in text
    assert ("✗ triage-verblijfsaanvragen is a product, or a safety component of a product, covered by the Union "
            "harmonisation legislation listed in Annex I (Article 6(1)(a)) — does not hold") in text
    assert ("would have to change: annex_i.legislation includes one of: " + ", ".join(sorted(ANNEX_I_SECTION_A))) in text
    dutch = render_text(explained, "nl")
    assert "valt onder de harmonisatiewetgeving van de Unie vermeld in bijlage I (artikel 6, lid 1, punt a)" in dutch
    for rendering in (text, dutch, json.dumps(render_json(explained, "en"), ensure_ascii=False)):
        assert "…" not in rendering
    # the first three routes (Annex III 7(c) derogation, profiling) are unchanged
    assert [r.cost for r in routes[:3]] == [1, 1, 1] and routes[0].rule.file == "annex_iii.lp"


def test_why_not_shows_the_best_routes_and_says_how_many_more():
    from aiact_asp.explain import general_routes

    explained = _explained("cv-screening", why_not=("prohibited",))
    total = len(general_routes(collapsed(explained.systems[0].why_not[0])))
    assert total > 5
    text = render_text(explained, "en")
    numbered = [line for line in text.splitlines() if re.match(r"^  \d+\. ", line)]
    assert len(numbered) == 5
    assert f"  {total - 5} further routes need as many or more changes; --all shows them" in text
    everything = render_text(explained, "en", all_routes=True)
    assert len([line for line in everything.splitlines() if re.match(r"^  \d+\. ", line)]) == total
    assert "further route" not in everything
    data = render_json(explained, "en")["systems"][0]["why_not"][0]
    assert len(data["routes"]) == 5 and data["more_routes"] == total - 5
    assert [r["cost"] for r in data["routes"]] == sorted(r["cost"] for r in data["routes"])
    assert "nog " + str(total - 5) + " routes vragen evenveel of meer wijzigingen; --all toont ze" in render_text(explained, "nl")


@pytest.mark.slow
def test_no_placeholder_in_any_why_not_of_the_examples(examples_run):
    """Every why-not of the example systems is in words: no "…" for an open argument, no "(any)"
    fallback (every concept that appears with open arguments has a general wording)."""
    run = examples_run
    asked = ["high_risk", "prohibited", "transparency_obligation", "transparency_obligation_from", "gpai_systemic_risk",
             "not_ai_system", "out_of_scope", "annex_iii_derogation", "prohibited_from"]
    explained = explain_run(run, "en", why_not=asked, as_of=AS_OF)
    for lang in ("en", "nl"):
        text = render_text(explained, lang)
        data = json.dumps(render_json(explained, lang), ensure_ascii=False)
        for placeholder in ("…", "(any)", "(welk dan ook)"):
            assert placeholder not in text and placeholder not in data, (lang, placeholder)


@pytest.mark.parametrize("mode", ["sections", "keys"])
def test_no_placeholder_in_the_open_world_trees_of_solve(mode):
    """`solve --explain --open-world` (sections; the API's "keys" too): with keys left open, a
    route can stand for every ground of Art. 25(1)/(3), every Annex III point of Art. 25(1)(c),
    both bases of Art. 6(1)/(2), or every Art. 111(2) cut-off date; each then reads in general
    terms (kb/concepts.yaml `general:`), never "(any)"."""
    from aiact_asp.explain_render import solve_report

    names = ["dashboard-wachttijden"] + (["naaktbeeld-generator-2026-11"] if mode == "sections" else [])
    run = classify_paths([ROOT / "facts" / f"{name}.yaml" for name in names], as_of=AS_OF, open_world=mode, keep_answer_sets=True)
    wanted = {("sections", "en"): ["the organisation is considered the provider of dashboard-wachttijden under Article 25(1) or 25(3)",
                                   "before the date set for its high-risk basis",
                                   "Chapter III applies to naaktbeeld-generator-2026-11 as a high-risk AI system under Article 6(1) or 6(2)"],
              # a statement that does not hold follows "niet vastgesteld:" as written (main-clause order;
              # "niet vastgesteld is dat ... wordt beschouwd" would ask for the verb at the end)
              ("sections", "nl"): ["niet vastgesteld: de organisatie wordt beschouwd als aanbieder van dashboard-wachttijden op grond van artikel 25, lid 1 of lid 3",
                                   "niet vastgesteld: dashboard-wachttijden is een AI-systeem in de zin van artikel 3, punt 1",
                                   "als AI-systeem met een hoog risico op grond van artikel 6, lid 1 of lid 2"],
              ("keys", "en"): ["the organisation uses dashboard-wachttijden for a purpose listed in Annex III that the provider did not intend"],
              ("keys", "nl"): ["de organisatie gebruikt dashboard-wachttijden voor een doel vermeld in bijlage III dat de aanbieder niet beoogde"]}
    for lang in ("en", "nl"):
        text = solve_report(run, "text", lang, True, AS_OF, open_world=mode)
        for placeholder in ("(any)", "(welk dan ook)", "vastgesteld is dat"):
            assert placeholder not in text, (lang, placeholder)
        # "… and 4 more open questions" is the report's own; an open argument never reads "…"
        assert not [line for line in text.splitlines() if "…" in line and not line.strip().startswith("… ")], lang
        for statement in wanted[mode, lang]:
            assert statement in text, (lang, statement)
        # neither file has a gpai section: with --open-world it is left open, so a route that
        # needs "not a GPAI model" (Art. 3(1) against 3(63)) assumes it; it is not "absent, so false"
        flagged = [line for line in text.splitlines() if "gpai.is_gpai_model = false" in line]
        left_open = {"en": "(not stated, left open: this route takes it as not holding)",
                     "nl": "(niet vermeld, open gelaten: deze route gaat ervan uit dat het niet geldt)"}[lang]
        assert flagged and all(line.endswith(left_open) for line in flagged), (lang, flagged[:2])


def _cited_in_body(text: str) -> list[str]:
    """The citations of the Sources list that the explanation above it does not show."""
    body, _, sources = text.partition("\nSources:\n")
    missing = []
    for line in sources.splitlines():
        cited = re.sub(r"\s<[^>]*>$", "", line.strip()).split(" — ")[0]
        for citation in cited.split("; "):
            shown = r"(?:^|[\[;|]\s*|by |via |· |— |\s)" + re.escape(citation) + r"(?=;|\]|\s\[|\s—|\s\||$|\s\s|:)"
            if not re.search(shown, body, re.M):
                missing.append(citation)
    return missing


@pytest.mark.parametrize("system,why_not", [("cv-screening", ()), ("anonimisering-uitspraken", ()),
                                            ("triage-verblijfsaanvragen", ("high_risk",)),
                                            ("robot-bibliotheek", ('transparency_obligation("50(1)")',))])
def test_sources_list_exactly_what_the_explanation_cites(system, why_not):
    """The Sources at the end name the citations shown above, and only those: a reason line that shows
    the first two sources of a rule (kb/scope.lp:92, "Art. 2(1); recital 21; recital 22") does not put
    recital 22 in the list."""
    text = render_text(_explained(system, why_not=why_not), "en")
    assert "\nSources:\n" in text
    assert _cited_in_body(text) == []
    if system == "cv-screening":
        assert "recital 22" not in text


def test_why_not_an_unknown_obligation_id_suggests_the_right_one():
    """`--why-not 'obligation(art26_9_dpia,deployer)'` names no obligation of kb/obligations.yaml: an
    error with the obligation of the same article and paragraph (Art. 26(9)), not a silent "no rule"."""
    from click.testing import CliRunner

    from aiact_asp.cli import main

    result = CliRunner().invoke(main, ["explain", str(FACTS / "cv-screening.yaml"), "--why-not", "obligation(art26_9_dpia,deployer)"])
    assert result.exit_code == 2
    assert "did you mean art26_9_data_protection_impact_assessment?" in result.output
    result = CliRunner().invoke(main, ["explain", str(FACTS / "cv-screening.yaml"), "--why-not",
                                       "obligation(art26_9_data_protection_impact_assessment,deployr)"])
    assert result.exit_code == 2 and "did you mean deployer?" in result.output


def test_why_not_is_the_same_whatever_the_order_of_the_answer_set(monkeypatch, examples_run):
    """The engine's consequences come as a set, in an order that changes from run to run; which of
    two routes of the same cost a why-not shows must not (deepfake-burgemeester-video has Art. 50(2)
    and Art. 50(4) routes to a transparency date)."""
    import random

    from aiact_asp import explain

    original = explain.Model.__init__
    outputs = set()
    for seed in (1, 2):
        def shuffled(self, kb, brave, cautious, systems, facts=None, _seed=seed):
            brave = list(brave)
            random.Random(_seed).shuffle(brave)
            original(self, kb, brave, cautious, systems, facts)

        monkeypatch.setattr(explain.Model, "__init__", shuffled)
        explained = explain_run(examples_run, "en", why_not=["transparency_obligation_from"], as_of=AS_OF)
        outputs.add(render_text(explained, "en"))
    assert len(outputs) == 1
