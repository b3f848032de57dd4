"""The AI-system definition (Art. 3(1)), the scope (Art. 2) and the risk class.

kb/definition.lp, kb/scope.lp, kb/classification.lp. Each test states the provision it
checks; each element and each exception is tested both ways (it holds / it is missing or
the exception applies). Descriptions are nested dicts exactly as a YAML system description.
"""

from __future__ import annotations

import copy

import pytest

AI_DEFINITION = {
    "machine_based": True,
    "autonomy": True,
    "infers_outputs": True,
    "output_types": ["recommendation"],
    "influences_environment": True,
}

# Annex III point 4(a) (recruitment) with profiling: high-risk, Art. 6(2) and 6(3) last subparagraph.
HIGH_RISK_RECRUITMENT = {
    "use_cases": ["employment_recruitment_selection"],
    "profiling_natural_persons": True,
}

# Art. 5(1)(f): emotion recognition of candidates at the workplace, no medical or safety reason.
EMOTION_RECOGNITION_AT_WORK = {
    "emotion_recognition": {
        "infers_emotions": True,
        "area": ["workplace"],
        "subjects": ["workers_or_candidates"],
    }
}

# Art. 50(1): intended to interact directly with natural persons, not obvious.
INTERACTS_WITH_PERSONS = {"interacts_directly_with_natural_persons": True}


def system(**blocks) -> dict:
    """An AI system meeting every element of Art. 3(1), with ``blocks`` merged in.

    ``definition={...}`` updates single definition keys; a key given the value ``None``
    is removed from the description (absent = false, closed world).
    """
    description = {"definition": copy.deepcopy(AI_DEFINITION)}
    for block, values in blocks.items():
        target = description.setdefault(block, {})
        if isinstance(values, dict):
            for key, value in values.items():
                if value is None:
                    target.pop(key, None)
                else:
                    target[key] = value
        else:
            description[block] = values
    return description


def risk_classes(outcome) -> set[str]:
    return {c for c in outcome.certain | outcome.possible if c.startswith("risk_class(")}


def has_finding(outcome, code: str) -> bool:
    return any(code in finding for finding in outcome.findings)


def assert_only_class(outcome, risk_class: str) -> None:
    """Exactly one risk class, and it is certain."""
    assert f"risk_class({risk_class})" in outcome.certain
    assert risk_classes(outcome) == {f"risk_class({risk_class})"}
    assert outcome.risk_class == risk_class


# ===========================================================================
# Article 3(1) — the elements of the definition
# ===========================================================================


def test_all_elements_make_an_ai_system(classify):
    """Art. 3(1): machine-based, autonomy, inference, outputs, influence on environments."""
    out = classify(system())
    assert "ai_system" in out.certain
    assert not any(c.startswith("not_ai_system(") for c in out.certain | out.possible)
    assert_only_class(out, "minimal_risk")


@pytest.mark.parametrize("output", ["prediction", "content", "recommendation", "decision"])
def test_each_output_kind_suffices(classify, output):
    """Art. 3(1): "outputs such as predictions, content, recommendations, or decisions"."""
    out = classify(system(definition={"output_types": [output]}))
    assert "ai_system" in out.certain


@pytest.mark.parametrize("adaptive", [True, False, None])
def test_adaptiveness_is_not_required(classify, adaptive):
    """Art. 3(1) "may exhibit adaptiveness after deployment": illustrative, never a condition
    (Handreiking §3.2: "geen harde vereiste")."""
    out = classify(system(definition={"adaptiveness": adaptive}))
    assert "ai_system" in out.certain


@pytest.mark.parametrize(
    "key, missing, ground",
    [
        ("machine_based", False, "not_machine_based"),  # "a machine-based system"
        ("autonomy", False, "no_autonomy"),  # "varying levels of autonomy"
        ("infers_outputs", False, "no_inference"),  # "infers ... how to generate outputs"
        ("output_types", [], "no_output"),  # "outputs such as predictions, ..."
        ("influences_environment", False, "no_influence_on_environment"),  # "can influence ... environments"
    ],
)
@pytest.mark.parametrize("how", ["false", "absent"])
def test_each_missing_element_is_a_ground(classify, key, missing, ground, how):
    """Art. 3(1), recital 12: every element but adaptiveness is required; stated false or
    absent (closed world), the system is not an AI system on that ground."""
    out = classify(system(definition={key: missing if how == "false" else None}))
    assert "ai_system" not in out.certain | out.possible
    assert f"not_ai_system({ground})" in out.certain
    assert_only_class(out, "not_ai_system")
    # The Regulation does not reach a non-AI system: no scope conclusion at all.
    assert not any(c.startswith(("in_scope", "out_of_scope")) for c in out.certain | out.possible)


def test_every_ground_that_holds_is_reported(classify):
    """Art. 3(1), recital 12, Guidelines §5.2: each failing element and each exclusion is named."""
    out = classify(
        system(definition={
            "autonomy": False,
            "infers_outputs": False,
            "rules_defined_solely_by_humans": True,
            "guideline_exclusion": ["classical_heuristics", "simple_prediction"],
        })
    )
    for ground in ("no_autonomy", "no_inference", "rules_defined_solely_by_humans",
                   "classical_heuristics", "simple_prediction"):
        assert f"not_ai_system({ground})" in out.certain
    assert "not_ai_system(not_machine_based)" not in out.certain | out.possible
    assert_only_class(out, "not_ai_system")


def test_no_definition_block_is_not_an_ai_system(classify):
    """Art. 3(1): nothing stated means no element holds (closed world)."""
    out = classify({"name": "spreadsheet"})
    assert "ai_system" not in out.certain | out.possible
    assert "not_ai_system(not_machine_based)" in out.certain
    assert_only_class(out, "not_ai_system")


def test_unknown_element_leaves_the_definition_open(classify):
    """Art. 3(1): an element that is not known makes the qualification undetermined, never false."""
    out = classify(system(definition={"autonomy": "unknown"}))
    assert "ai_system" in out.possible
    assert "not_ai_system(no_autonomy)" in out.possible
    assert "ai_system" not in out.certain


# ---------------------------------------------------------------------------
# Recital 12 — rules defined solely by natural persons
# ---------------------------------------------------------------------------


def test_rules_defined_solely_by_humans_is_not_an_ai_system(classify):
    """Recital 12: the definition "should not cover systems that are based on the rules defined
    solely by natural persons to automatically execute operations"."""
    out = classify(system(definition={"infers_outputs": False, "rules_defined_solely_by_humans": True}))
    assert "not_ai_system(rules_defined_solely_by_humans)" in out.certain
    assert "ai_system" not in out.certain | out.possible


def test_without_rules_solely_by_humans_the_ground_does_not_hold(classify):
    """Recital 12, the other way: no such statement, no such ground."""
    out = classify(system(definition={"rules_defined_solely_by_humans": False}))
    assert "not_ai_system(rules_defined_solely_by_humans)" not in out.certain | out.possible
    assert "ai_system" in out.certain


def test_logic_learned_from_data_is_not_defined_solely_by_humans(classify):
    """Recital 12: AI systems "derive models or algorithms ... from inputs or data"; rules learned
    from data (a regression-derived scorecard) are not defined SOLELY by natural persons. The
    contradictory description is flagged."""
    out = classify(system(definition={"rules_defined_solely_by_humans": True, "logic_derived_from_data": True}))
    assert "ai_system" in out.certain
    assert "not_ai_system(rules_defined_solely_by_humans)" not in out.certain | out.possible
    assert has_finding(out, "rules_solely_by_humans_but_logic_derived_from_data")


def test_machine_learning_enables_inference(classify):
    """Recital 12: "The techniques that enable inference ... include machine learning approaches";
    where `infers_outputs` is not stated, the technique decides."""
    out = classify(system(definition={"infers_outputs": None, "technique": ["machine_learning"]}))
    assert "ai_system" in out.certain


def test_logic_and_knowledge_based_approach_enables_inference(classify):
    """Recital 12: "... and logic- and knowledge-based approaches that infer from encoded knowledge"."""
    out = classify(system(definition={"infers_outputs": None, "technique": ["logic_knowledge_based"]}))
    assert "ai_system" in out.certain


def test_plain_rule_based_technique_does_not_infer(classify):
    """Recital 12: inference "transcends basic data processing"; a rule-based technique alone
    establishes no inference."""
    out = classify(system(definition={"infers_outputs": None, "technique": ["rule_based"]}))
    assert "not_ai_system(no_inference)" in out.certain


def test_stated_no_inference_prevails_over_technique_with_warning(classify):
    """Art. 3(1): the description states there is no inference; a machine-learning technique
    contradicts it, which is flagged."""
    out = classify(system(definition={"infers_outputs": False, "technique": ["machine_learning"]}))
    assert "not_ai_system(no_inference)" in out.certain
    assert has_finding(out, "inference_technique_but_no_inference")


# ---------------------------------------------------------------------------
# Commission Guidelines on the AI system definition, section 5.2
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "group", ["basic_data_processing", "mathematical_optimisation", "classical_heuristics", "simple_prediction"]
)
def test_guideline_exclusions(classify, group):
    """Guidelines AI system definition §5.2: systems outside the definition even though they compute."""
    out = classify(system(definition={"guideline_exclusion": [group]}))
    assert f"not_ai_system({group})" in out.certain
    assert "ai_system" not in out.certain | out.possible
    assert_only_class(out, "not_ai_system")


def test_no_guideline_exclusion_stated(classify):
    """Guidelines §5.2, the other way: an empty list excludes nothing."""
    out = classify(system(definition={"guideline_exclusion": []}))
    assert "ai_system" in out.certain


def test_basic_data_processing_only_alias(classify):
    """Guidelines §5.2: `basic_data_processing_only: true` means guideline_exclusion [basic_data_processing]."""
    out = classify(system(definition={"basic_data_processing_only": True}))
    assert "not_ai_system(basic_data_processing)" in out.certain


def test_gpai_model_gets_no_definition_conclusion(classify):
    """Art. 3(63), recital 97: a general-purpose AI model is a model, not an AI system; Art. 3(1)
    is not applied to it."""
    out = classify({"gpai": {"is_gpai_model": True}})
    assert not any(c.startswith(("ai_system", "not_ai_system(")) for c in out.certain | out.possible)
    assert "in_scope" in out.certain
    assert_only_class(out, "gpai_model")


# ===========================================================================
# Article 2 — scope
# ===========================================================================


def test_dutch_organisation_is_in_scope(classify):
    """Art. 2(1)(a)-(b): an organisation established in the Union (default) is within scope."""
    out = classify(system())
    assert "in_scope" in out.certain
    assert not any(c.startswith("out_of_scope(") for c in out.certain | out.possible)


# --- Art. 2(1) territorial scope -------------------------------------------


def test_no_link_with_the_union_is_out_of_scope(classify):
    """Art. 2(1): not established in the Union, not placing on the Union market, output not used
    in the Union: no point of Art. 2(1) applies."""
    out = classify(system(organisation={"established_in_union": False}, scope={"output_used_in_union": False}))
    assert 'out_of_scope("2(1)")' in out.certain
    assert "in_scope" not in out.certain | out.possible
    assert_only_class(out, "out_of_scope")


def test_third_country_output_used_in_union_is_in_scope(classify):
    """Art. 2(1)(c): third-country provider or deployer "where the output produced by the AI
    system is used in the Union"."""
    out = classify(system(organisation={"established_in_union": False}, scope={"output_used_in_union": True}))
    assert "in_scope" in out.certain


def test_established_in_union_output_used_elsewhere_is_in_scope(classify):
    """Art. 2(1)(b): deployers established in the Union, wherever the output is used."""
    out = classify(system(organisation={"established_in_union": True}, scope={"output_used_in_union": False}))
    assert "in_scope" in out.certain


def test_third_country_provider_placing_on_union_market_is_in_scope(classify):
    """Art. 2(1)(a): providers placing on the market in the Union "irrespective of whether those
    providers are established ... in a third country"."""
    out = classify(
        system(
            organisation={"established_in_union": False},
            scope={"output_used_in_union": False},
            activities=["develops", "places_on_market_own_name"],
        )
    )
    assert "in_scope" in out.certain


# --- Art. 2(3) military, defence, national security --------------------------


def test_exclusively_military_is_out_of_scope_and_not_classified(classify):
    """Art. 2(3): AI systems used exclusively for military, defence or national security purposes;
    the exclusion comes before any classification."""
    out = classify(system(scope={"military_defence_national_security_only": True}, annex_iii=HIGH_RISK_RECRUITMENT))
    assert 'out_of_scope("2(3)")' in out.certain
    assert not any(c.startswith("high_risk(") for c in out.certain | out.possible)
    assert_only_class(out, "out_of_scope")


def test_dual_use_is_in_scope(classify):
    """Art. 2(3), recital 24: a system also used for law enforcement or civilian purposes is not
    used "exclusively" for military purposes."""
    out = classify(system(scope={"military_defence_national_security_only": False},
                          deployment={"for_law_enforcement_purposes": True}))
    assert "in_scope" in out.certain
    assert 'out_of_scope("2(3)")' not in out.certain | out.possible


def test_military_only_contradicted_by_law_enforcement_use(classify):
    """Recital 24: use for law-enforcement purposes falls within scope; "exclusively" military and
    law-enforcement use cannot both hold (warning)."""
    out = classify(system(scope={"military_defence_national_security_only": True},
                          deployment={"for_law_enforcement_purposes": True}))
    assert "in_scope" in out.certain
    assert has_finding(out, "military_only_but_law_enforcement_use")


# --- Art. 2(4) third-country authorities ------------------------------------


def test_third_country_authority_with_safeguards_is_out_of_scope(classify):
    """Art. 2(4): third-country public authority in law-enforcement or judicial cooperation,
    "provided that ... adequate safeguards"."""
    out = classify(system(
        organisation={"established_in_union": False},
        scope={"third_country_authority_international_cooperation": True, "adequate_safeguards": True},
    ))
    assert 'out_of_scope("2(4)")' in out.certain
    assert_only_class(out, "out_of_scope")


def test_third_country_authority_without_safeguards_is_in_scope(classify):
    """Art. 2(4), proviso: without adequate safeguards the exclusion does not apply."""
    out = classify(system(
        organisation={"established_in_union": False},
        scope={"third_country_authority_international_cooperation": True, "adequate_safeguards": False},
    ))
    assert 'out_of_scope("2(4)")' not in out.certain | out.possible
    assert "in_scope" in out.certain


def test_safeguards_alone_do_not_exclude(classify):
    """Art. 2(4): the exclusion concerns third-country authorities and international organisations only."""
    out = classify(system(scope={"adequate_safeguards": True}))
    assert "in_scope" in out.certain


# --- Art. 2(6) scientific research -------------------------------------------


def test_sole_purpose_scientific_research_is_out_of_scope(classify):
    """Art. 2(6): "specifically developed and put into service for the sole purpose of scientific
    research and development"."""
    out = classify(system(scope={"scientific_research_sole_purpose": True}))
    assert 'out_of_scope("2(6)")' in out.certain
    assert_only_class(out, "out_of_scope")


def test_research_not_sole_purpose_is_in_scope(classify):
    """Art. 2(6), recital 25: other systems used in research "should remain subject" to the Regulation."""
    out = classify(system(scope={"scientific_research_sole_purpose": False}))
    assert "in_scope" in out.certain


# --- Art. 2(8) pre-market research and testing --------------------------------


def test_pre_market_testing_is_out_of_scope(classify):
    """Art. 2(8): research, testing or development "prior to their being placed on the market or
    put into service"."""
    out = classify(system(scope={"pre_market_research_testing": True}))
    assert 'out_of_scope("2(8)")' in out.certain
    assert_only_class(out, "out_of_scope")


def test_real_world_testing_is_not_excluded(classify):
    """Art. 2(8), last sentence: "Testing in real world conditions shall not be covered by that exclusion"."""
    out = classify(system(scope={"pre_market_research_testing": True, "real_world_testing": True}))
    assert 'out_of_scope("2(8)")' not in out.certain | out.possible
    assert "in_scope" in out.certain


# --- Art. 2(10) personal non-professional use --------------------------------


def test_personal_use_removes_only_deployer_obligations(classify):
    """Art. 2(10): "does not apply to obligations of deployers who are natural persons using AI
    systems in the course of a purely personal non-professional activity" — the system stays in
    scope and keeps its classification (the provider stays bound)."""
    out = classify(system(scope={"personal_non_professional_use": True}, annex_iii=HIGH_RISK_RECRUITMENT))
    assert 'deployer_obligations_excluded("2(10)")' in out.certain
    assert "in_scope" in out.certain
    assert not any(c.startswith("out_of_scope(") for c in out.certain | out.possible)
    assert_only_class(out, "high_risk")


def test_professional_use_keeps_deployer_obligations(classify):
    """Art. 2(10), the other way."""
    out = classify(system(scope={"personal_non_professional_use": False}))
    assert 'deployer_obligations_excluded("2(10)")' not in out.certain | out.possible


def test_personal_use_by_public_authority_is_flagged(classify):
    """Art. 2(10) concerns natural persons only; a public authority is not one."""
    out = classify(system(scope={"personal_non_professional_use": True}, organisation={"public_authority": True}))
    assert has_finding(out, "personal_use_by_organisation")


# --- Art. 2(12) free and open-source licences -------------------------------


def test_open_source_minimal_risk_is_out_of_scope(classify):
    """Art. 2(12): "does not apply to AI systems released under free and open-source licences"."""
    out = classify(system(scope={"free_open_source_licence": True}))
    assert 'out_of_scope("2(12)")' in out.certain
    assert "in_scope" not in out.certain | out.possible
    assert_only_class(out, "out_of_scope")


def test_open_source_high_risk_stays_in_scope(classify):
    """Art. 2(12): "... unless they are placed on the market or put into service as high-risk AI systems"."""
    out = classify(system(scope={"free_open_source_licence": True}, annex_iii=HIGH_RISK_RECRUITMENT))
    assert 'high_risk(annex_iii,"4(a)")' in out.certain
    assert 'out_of_scope("2(12)")' not in out.certain | out.possible
    assert "in_scope" in out.certain
    assert_only_class(out, "high_risk")


def test_open_source_prohibited_practice_stays_in_scope(classify):
    """Art. 2(12): "... or as an AI system that falls under Article 5"."""
    out = classify(system(scope={"free_open_source_licence": True}, prohibited_practices=EMOTION_RECOGNITION_AT_WORK))
    assert 'prohibited("5(1)(f)")' in out.certain
    assert 'out_of_scope("2(12)")' not in out.certain | out.possible
    assert_only_class(out, "prohibited")


def test_open_source_with_art50_obligation_stays_in_scope(classify):
    """Art. 2(12): "... or [Article] 50"."""
    out = classify(system(scope={"free_open_source_licence": True}, transparency=INTERACTS_WITH_PERSONS))
    assert 'transparency_obligation("50(1)")' in out.certain
    assert 'out_of_scope("2(12)")' not in out.certain | out.possible
    assert_only_class(out, "limited_risk")


def test_not_an_ai_system_gets_no_scope_conclusion(classify):
    """Art. 2 applies to AI systems (and GPAI models); a non-AI system is neither in nor out of scope."""
    out = classify(system(definition={"machine_based": False},
                          scope={"military_defence_national_security_only": True}))
    assert not any(c.startswith(("in_scope", "out_of_scope")) for c in out.certain | out.possible)
    assert_only_class(out, "not_ai_system")


# --- general-purpose AI models -----------------------------------------------


def test_gpai_model_in_scope(classify):
    """Art. 2(1)(a): "providers ... placing on the market general-purpose AI models in the Union"."""
    out = classify({"gpai": {"is_gpai_model": True}})
    assert "in_scope" in out.certain


@pytest.mark.parametrize(
    "scope, ground",
    [
        ({"scientific_research_sole_purpose": True}, "2(6)"),  # "AI systems or AI models"
        ({"pre_market_research_testing": True}, "2(8)"),  # "AI systems or AI models"
        ({"military_defence_national_security_only": True}, "2(3)"),
    ],
)
def test_gpai_model_exclusions(classify, scope, ground):
    """Art. 2(3), 2(6), 2(8) exclude models as well."""
    out = classify({"gpai": {"is_gpai_model": True}, "scope": scope})
    assert f'out_of_scope("{ground}")' in out.certain
    assert_only_class(out, "out_of_scope")


def test_open_source_licence_does_not_exclude_gpai_model(classify):
    """Art. 2(12) concerns AI systems; open-source models have their own relief (Art. 53(2))."""
    out = classify({"gpai": {"is_gpai_model": True}, "scope": {"free_open_source_licence": True}})
    assert "in_scope" in out.certain
    assert 'out_of_scope("2(12)")' not in out.certain | out.possible


# ===========================================================================
# Risk class — exactly one, in order of precedence (Art. 5, 6, 50, 51; Handreiking §4)
# ===========================================================================


def test_prohibited_prevails_over_high_risk(classify):
    """Art. 5(1)(f) and Annex III 4(a): a prohibited practice may not be used at all, so the class is
    'prohibited' although the high-risk conclusion is also reported."""
    out = classify(system(prohibited_practices=EMOTION_RECOGNITION_AT_WORK, annex_iii=HIGH_RISK_RECRUITMENT))
    assert 'prohibited("5(1)(f)")' in out.certain
    assert 'high_risk(annex_iii,"4(a)")' in out.certain
    assert_only_class(out, "prohibited")


def test_high_risk_prevails_over_transparency(classify):
    """Art. 6(2) and Art. 50(1), 50(6): transparency obligations apply beside the high-risk
    requirements; the class is 'high_risk', the 50(1) obligation is still reported."""
    out = classify(system(annex_iii=HIGH_RISK_RECRUITMENT, transparency=INTERACTS_WITH_PERSONS))
    assert 'transparency_obligation("50(1)")' in out.certain
    assert_only_class(out, "high_risk")


def test_only_transparency_is_limited_risk(classify):
    """Art. 50(1); Handreiking §5."""
    out = classify(system(transparency=INTERACTS_WITH_PERSONS))
    assert_only_class(out, "limited_risk")


def test_nothing_applies_is_minimal_risk(classify):
    """Handreiking §5: an AI system in none of the categories has low or no risk."""
    out = classify(system(transparency={"interacts_directly_with_natural_persons": False}))
    assert_only_class(out, "minimal_risk")


def test_gpai_model_without_systemic_risk(classify):
    """Art. 3(63), 51: below 10^25 FLOP and no designation."""
    out = classify({"gpai": {"is_gpai_model": True, "training_compute_flops": "5e23"}})
    assert_only_class(out, "gpai_model")


def test_gpai_model_with_systemic_risk(classify):
    """Art. 51(2): presumed high-impact capabilities above 10^25 FLOP of training compute."""
    out = classify({"gpai": {"is_gpai_model": True, "training_compute_flops": "3.8e25"}})
    assert 'gpai_systemic_risk("51(2)")' in out.certain
    assert_only_class(out, "gpai_model_systemic_risk")


def test_undetermined_class_has_one_class_per_case(classify):
    """Art. 2(12) with an unknown licence: out of scope or minimal risk, each possible, none certain."""
    out = classify(system(scope={"free_open_source_licence": "unknown"}))
    assert risk_classes(out) == {"risk_class(out_of_scope)", "risk_class(minimal_risk)"}
    assert not any(c.startswith("risk_class(") for c in out.certain)
