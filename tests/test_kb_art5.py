"""Article 5 AI Act (as amended by Regulation (EU) 2026/1744): prohibited AI practices.

For every point of Art. 5(1): the positive case, each missing element, each exception, and the
examples of the Handreiking AI-verordening (CIO Rijk, §4.1). The assessment date is the
fixture's default (2026-11-30) unless a test concerns points (ba)/(bb), which apply from
2 December 2026 (Art. 113, third paragraph, point (a) as amended).
"""

from __future__ import annotations

import copy

import pytest

DEFINITION = {
    "machine_based": True,
    "autonomy": True,
    "infers_outputs": True,
    "output_types": ["prediction", "content", "decision"],
    "influences_environment": True,
}

BA_BB_DATE = "2026-12-02"  # Art. 113(a) as amended: points (ba) and (bb) apply from this date
BA_BB_EVE = "2026-12-01"


def described(practices: dict, **extra) -> dict:
    """An AI system (Art. 3(1)) with the given `prohibited_practices` blocks and other top-level keys."""
    description = {"definition": copy.deepcopy(DEFINITION), "prohibited_practices": copy.deepcopy(practices)}
    description.update(copy.deepcopy(extra))
    return description


def with_value(block: str, base: dict, key: str, value) -> dict:
    """`{block: base}` with `key` set to `value`."""
    changed = copy.deepcopy(base)
    changed[key] = value
    return {block: changed}


def P(point: str) -> str:  # noqa: N802 - reads like the conclusion
    return f'prohibited("{point}")'


def assert_prohibited(outcome, point: str) -> None:
    assert P(point) in outcome.certain, (outcome.certain, outcome.possible)


def assert_not_prohibited(outcome, point: str) -> None:
    assert P(point) not in outcome.possible, (outcome.certain, outcome.possible)


# ---------------------------------------------------------------------------------------------
# Shared: AI systems only; dates of application
# ---------------------------------------------------------------------------------------------

MANIPULATION = {
    "subliminal_manipulative_or_deceptive_techniques": True,
    "materially_distorts_behaviour": True,
    "impairs_informed_decision": True,
    "significant_harm_likely": True,
}


def test_not_an_ai_system_is_not_a_prohibited_ai_practice(classify):
    """Art. 5(1): 'AI practices' — the prohibitions concern AI systems (Art. 3(1)); without
    inference (recital 12) there is no AI system and no Art. 5 conclusion."""
    description = described({"manipulation": MANIPULATION})
    description["definition"]["infers_outputs"] = False
    out = classify(description)
    assert_not_prohibited(out, "5(1)(a)")
    assert not any(c.startswith("prohibited_from(") for c in out.possible)


def test_points_a_to_h_apply_from_2_february_2025(classify):
    """Art. 113, third paragraph, point (a): Chapters I and II apply from 2 February 2025."""
    before = classify(described({"manipulation": MANIPULATION}), as_of="2025-02-01")
    assert_not_prohibited(before, "5(1)(a)")
    assert 'prohibited_from("5(1)(a)",20250202)' in before.certain
    on = classify(described({"manipulation": MANIPULATION}), as_of="2025-02-02")
    assert_prohibited(on, "5(1)(a)")
    assert not any(c.startswith("prohibited_from(") for c in on.possible)


def test_unknown_element_leaves_the_prohibition_undetermined(classify):
    """Art. 5(1)(a): significant harm is an element; when it is unknown the practice is possible,
    not certain."""
    block = dict(MANIPULATION, significant_harm_likely="unknown")
    out = classify(described({"manipulation": block}))
    assert P("5(1)(a)") in out.possible
    assert P("5(1)(a)") not in out.certain


# ---------------------------------------------------------------------------------------------
# Art. 5(1)(a) — subliminal, manipulative or deceptive techniques; recital 29
# ---------------------------------------------------------------------------------------------

def test_a_all_elements_prohibited(classify):
    """Art. 5(1)(a): technique + material distortion by appreciably impairing the informed
    decision + significant harm (likely)."""
    out = classify(described({"manipulation": MANIPULATION}))
    assert_prohibited(out, "5(1)(a)")
    assert out.risk_class == "prohibited"


@pytest.mark.parametrize("element", sorted(MANIPULATION))
def test_a_missing_element_not_prohibited(classify, element):
    """Art. 5(1)(a): every element is required (technique; 'materially distorting the
    behaviour'; 'by appreciably impairing their ability to make an informed decision';
    'significant harm')."""
    out = classify(described(with_value("manipulation", MANIPULATION, element, False)))
    assert_not_prohibited(out, "5(1)(a)")


def test_a_lawful_medical_treatment_not_prohibited(classify):
    """Recital 29: lawful practices in the context of medical treatment (e.g. psychological
    treatment, physical rehabilitation), in accordance with law and medical standards."""
    block = dict(MANIPULATION, lawful_medical_treatment=True)
    out = classify(described({"manipulation": block}))
    assert_not_prohibited(out, "5(1)(a)")


def test_handreiking_hidden_messages_swaying_votes(classify):
    """Handreiking §4.1.1: hidden messages in government announcements that influence how
    citizens vote — Art. 5(1)(a)."""
    out = classify(described({"manipulation": MANIPULATION}, organisation={"public_authority": True}))
    assert_prohibited(out, "5(1)(a)")


def test_handreiking_game_keeping_players_playing(classify):
    """Handreiking §4.1.1: influencing gamers by AI to keep playing longer — Art. 5(1)(a) when it
    materially distorts their decisions with significant (e.g. financial, psychological) harm."""
    out = classify(described({"manipulation": MANIPULATION}))
    assert_prohibited(out, "5(1)(a)")


# ---------------------------------------------------------------------------------------------
# Art. 5(1)(b) — exploitation of vulnerabilities; recital 29
# ---------------------------------------------------------------------------------------------

EXPLOITATION = {
    "exploits_vulnerability": ["age"],
    "materially_distorts_behaviour": True,
    "significant_harm_likely": True,
}


@pytest.mark.parametrize("ground", ["age", "disability", "social_economic_situation"])
def test_b_each_vulnerability_ground_prohibited(classify, ground):
    """Art. 5(1)(b): vulnerabilities 'due to their age, disability or a specific social or
    economic situation'."""
    out = classify(described(with_value("exploitation_of_vulnerabilities", EXPLOITATION,
                                        "exploits_vulnerability", [ground])))
    assert_prohibited(out, "5(1)(b)")


def test_b_no_vulnerability_exploited_not_prohibited(classify):
    """Art. 5(1)(b): without exploitation of a listed vulnerability the point does not apply."""
    out = classify(described(with_value("exploitation_of_vulnerabilities", EXPLOITATION,
                                        "exploits_vulnerability", [])))
    assert_not_prohibited(out, "5(1)(b)")


@pytest.mark.parametrize("element", ["materially_distorts_behaviour", "significant_harm_likely"])
def test_b_missing_element_not_prohibited(classify, element):
    """Art. 5(1)(b): material distortion of behaviour and (likely) significant harm are required."""
    out = classify(described(with_value("exploitation_of_vulnerabilities", EXPLOITATION, element, False)))
    assert_not_prohibited(out, "5(1)(b)")


def test_b_lawful_medical_treatment_not_prohibited(classify):
    """Recital 29: the prohibitions of manipulative and exploitative practices do not affect
    lawful practices in the context of medical treatment."""
    block = dict(EXPLOITATION, lawful_medical_treatment=True)
    out = classify(described({"exploitation_of_vulnerabilities": block}))
    assert_not_prohibited(out, "5(1)(b)")


def test_handreiking_game_keeping_children_playing(classify):
    """Handreiking §4.1.2: influencing gaming children by AI to keep playing — exploitation of
    age, Art. 5(1)(b)."""
    out = classify(described({"exploitation_of_vulnerabilities": EXPLOITATION}))
    assert_prohibited(out, "5(1)(b)")
    assert out.risk_class == "prohibited"


def test_handreiking_manipulative_ads_people_with_intellectual_disability(classify):
    """Handreiking §4.1.2: manipulative advertisements aimed at people with an intellectual
    disability, pushing them to inappropriate financial decisions — Art. 5(1)(b)."""
    block = dict(EXPLOITATION, exploits_vulnerability=["disability"])
    out = classify(described({"exploitation_of_vulnerabilities": block}))
    assert_prohibited(out, "5(1)(b)")


# ---------------------------------------------------------------------------------------------
# Art. 5(1)(ba) — non-consensual intimate material; Art. 5(1a), (1b) (Reg. 2026/1744 Art. 1(7))
# ---------------------------------------------------------------------------------------------

INTIMATE = {"generates_realistic_intimate_imagery_of_identifiable_person": True, "intended_purpose": True}


@pytest.mark.parametrize("condition", ["intended_purpose", "foreseeable_without_adequate_safeguards",
                                       "deployer_uses_for_that_purpose"])
def test_ba_each_paragraph_1a_condition_prohibited(classify, condition):
    """Art. 5(1)(ba) with 5(1a): placing on the market / putting into service where generation
    is (i) the intended purpose or (ii) a foreseeable, reproducible outcome without adequate
    safeguards; use where (b) the deployer uses the system for that purpose."""
    block = {"generates_realistic_intimate_imagery_of_identifiable_person": True, condition: True}
    out = classify(described({"intimate_imagery": block}), as_of=BA_BB_DATE)
    assert_prohibited(out, "5(1)(ba)")


def test_ba_no_paragraph_1a_condition_not_prohibited(classify):
    """Art. 5(1a): placing on the market, putting into service and use are 'only prohibited
    where' a condition of (a) or (b) holds (e.g. a general generator with adequate safeguards,
    used for lawful purposes; recital 12 of Reg. 2026/1744)."""
    block = {"generates_realistic_intimate_imagery_of_identifiable_person": True}
    out = classify(described({"intimate_imagery": block}), as_of=BA_BB_DATE)
    assert_not_prohibited(out, "5(1)(ba)")


def test_ba_explicit_consent_not_prohibited(classify):
    """Art. 5(1)(ba): only material made 'without that person's freely-given, specific, informed,
    unambiguous and explicit consent' (e.g. try-on apps with consent, recital 12)."""
    block = dict(INTIMATE, explicit_consent=True)
    out = classify(described({"intimate_imagery": block}), as_of=BA_BB_DATE)
    assert_not_prohibited(out, "5(1)(ba)")


def test_ba_manipulation_not_increasing_exposure_is_not_manipulation(classify):
    """Art. 5(1b): manipulation that does not increase the exposure of intimate parts or alter
    the sexual activity depicted 'shall not constitute manipulation'."""
    block = dict(INTIMATE, manipulation_not_increasing_exposure=True)
    out = classify(described({"intimate_imagery": block}), as_of=BA_BB_DATE)
    assert_not_prohibited(out, "5(1)(ba)")


def test_ba_no_intimate_material_not_prohibited_and_warned(classify):
    """Art. 5(1)(ba): the system must generate or manipulate realistic intimate material of an
    identifiable person; a paragraph 1a condition without it is suspicious input."""
    block = dict(INTIMATE, generates_realistic_intimate_imagery_of_identifiable_person=False)
    out = classify(described({"intimate_imagery": block}), as_of=BA_BB_DATE)
    assert_not_prohibited(out, "5(1)(ba)")
    assert "intimate_imagery_condition_without_generation" in out.findings


def test_ba_day_before_application_is_prohibited_from(classify):
    """Art. 113(a) as amended: point (ba) applies from 2 December 2026; on 1 December 2026 it is
    not yet prohibited, but will be from 2 December 2026."""
    out = classify(described({"intimate_imagery": INTIMATE}), as_of=BA_BB_EVE)
    assert_not_prohibited(out, "5(1)(ba)")
    assert 'prohibited_from("5(1)(ba)",20261202)' in out.certain


def test_ba_on_date_of_application_is_prohibited(classify):
    """Art. 113(a) as amended: from 2 December 2026 point (ba) applies."""
    out = classify(described({"intimate_imagery": INTIMATE}), as_of=BA_BB_DATE)
    assert_prohibited(out, "5(1)(ba)")
    assert 'prohibited_from("5(1)(ba)",20261202)' not in out.possible


# ---------------------------------------------------------------------------------------------
# Art. 5(1)(bb) — child sexual abuse material; Art. 5(1a) (Reg. 2026/1744 Art. 1(7))
# ---------------------------------------------------------------------------------------------

CSAM = {"generates_child_sexual_abuse_material": True, "intended_purpose": True}


@pytest.mark.parametrize("condition", ["intended_purpose", "foreseeable_without_adequate_safeguards",
                                       "deployer_uses_for_that_purpose"])
def test_bb_each_paragraph_1a_condition_prohibited(classify, condition):
    """Art. 5(1)(bb) with 5(1a)(a)(i), (a)(ii) and (b)."""
    block = {"generates_child_sexual_abuse_material": True, condition: True}
    out = classify(described({"child_sexual_abuse_material": block}), as_of=BA_BB_DATE)
    assert_prohibited(out, "5(1)(bb)")


def test_bb_no_paragraph_1a_condition_not_prohibited(classify):
    """Art. 5(1a): 'only prohibited where' one of its conditions holds."""
    block = {"generates_child_sexual_abuse_material": True}
    out = classify(described({"child_sexual_abuse_material": block}), as_of=BA_BB_DATE)
    assert_not_prohibited(out, "5(1)(bb)")


def test_bb_without_right_defence_not_prohibited(classify):
    """Art. 5(1)(bb): 'except where a "without right" defence applies under national law'
    (Art. 5(1) Directive 2011/93/EU; recital 13 of Reg. 2026/1744: e.g. authorities in criminal
    proceedings, red-teaming)."""
    block = dict(CSAM, without_right_defence=True)
    out = classify(described({"child_sexual_abuse_material": block}), as_of=BA_BB_DATE)
    assert_not_prohibited(out, "5(1)(bb)")


def test_bb_no_such_material_not_prohibited_and_warned(classify):
    """Art. 5(1)(bb): the system must generate or manipulate such material."""
    block = dict(CSAM, generates_child_sexual_abuse_material=False)
    out = classify(described({"child_sexual_abuse_material": block}), as_of=BA_BB_DATE)
    assert_not_prohibited(out, "5(1)(bb)")
    assert "child_sexual_abuse_material_condition_without_generation" in out.findings


def test_bb_date_boundary(classify):
    """Art. 113(a) as amended: point (bb) applies from 2 December 2026."""
    eve = classify(described({"child_sexual_abuse_material": CSAM}), as_of=BA_BB_EVE)
    assert_not_prohibited(eve, "5(1)(bb)")
    assert 'prohibited_from("5(1)(bb)",20261202)' in eve.certain
    on = classify(described({"child_sexual_abuse_material": CSAM}), as_of=BA_BB_DATE)
    assert_prohibited(on, "5(1)(bb)")


# ---------------------------------------------------------------------------------------------
# Art. 5(1)(c) — social scoring; recital 31
# ---------------------------------------------------------------------------------------------

EVALUATES = {"evaluates_persons_over_time_on_social_behaviour_or_characteristics": True}


@pytest.mark.parametrize("treatment", ["detrimental_treatment_unrelated_context",
                                       "detrimental_treatment_unjustified_or_disproportionate"])
def test_c_either_detrimental_treatment_prohibited(classify, treatment):
    """Art. 5(1)(c): the social score leads to 'either or both' of (i) treatment in unrelated
    social contexts and (ii) unjustified or disproportionate treatment."""
    out = classify(described({"social_scoring": dict(EVALUATES, **{treatment: True})}))
    assert_prohibited(out, "5(1)(c)")


def test_c_no_detrimental_treatment_not_prohibited(classify):
    """Art. 5(1)(c): evaluation over time alone is not enough; (i) or (ii) is required."""
    out = classify(described({"social_scoring": EVALUATES}))
    assert_not_prohibited(out, "5(1)(c)")


def test_c_no_evaluation_over_time_not_prohibited(classify):
    """Art. 5(1)(c): evaluation or classification over a certain period of time on social
    behaviour or personal characteristics is required."""
    block = {"evaluates_persons_over_time_on_social_behaviour_or_characteristics": False,
             "detrimental_treatment_unrelated_context": True}
    out = classify(described({"social_scoring": block}))
    assert_not_prohibited(out, "5(1)(c)")


def test_c_legal_persons_only_not_prohibited(classify):
    """Art. 5(1)(c): evaluation 'of natural persons or groups of persons'; scoring undertakings
    only is outside the point."""
    block = dict(EVALUATES, detrimental_treatment_unrelated_context=True)
    out = classify(described({"social_scoring": block}, deployment={"affected_persons": ["legal_persons"]}))
    assert_not_prohibited(out, "5(1)(c)")


def test_c_lawful_specific_purpose_does_not_lift_prohibition(classify):
    """Recital 31: lawful specific-purpose evaluation is not affected — but such evaluation does
    not lead to (i) or (ii); when (i) or (ii) holds the practice stays prohibited (and the
    description gets a warning)."""
    block = dict(EVALUATES, detrimental_treatment_unjustified_or_disproportionate=True,
                 lawful_specific_purpose_evaluation=True)
    out = classify(described({"social_scoring": block}))
    assert_prohibited(out, "5(1)(c)")
    assert "social_scoring_lawful_purpose_does_not_exempt" in out.findings


def test_c_lawful_specific_purpose_without_detriment_not_prohibited(classify):
    """Recital 31: a lawful evaluation for a specific purpose without (i) or (ii) is not social
    scoring under Art. 5(1)(c)."""
    block = dict(EVALUATES, lawful_specific_purpose_evaluation=True)
    out = classify(described({"social_scoring": block}))
    assert_not_prohibited(out, "5(1)(c)")
    assert "social_scoring_lawful_purpose_does_not_exempt" not in out.findings


def test_handreiking_social_score_online_financial_traffic_behaviour(classify):
    """Handreiking §4.1.3: a social score of citizens from online activity, financial history and
    traffic behaviour, which the government uses to regulate access to loans, property or travel
    abroad — treatment in unrelated contexts, Art. 5(1)(c)(i), and disproportionate, (c)(ii)."""
    block = dict(EVALUATES, detrimental_treatment_unrelated_context=True,
                 detrimental_treatment_unjustified_or_disproportionate=True)
    out = classify(described({"social_scoring": block}, organisation={"public_authority": True}))
    assert_prohibited(out, "5(1)(c)")
    assert out.risk_class == "prohibited"


def test_handreiking_social_media_data_for_unemployment_benefit(classify):
    """Handreiking §4.1.3: social-media data of a person used to decide on an unemployment
    benefit — data from an unrelated context, Art. 5(1)(c)(i)."""
    block = dict(EVALUATES, detrimental_treatment_unrelated_context=True)
    out = classify(described({"social_scoring": block}, organisation={"public_authority": True}))
    assert_prohibited(out, "5(1)(c)")


# ---------------------------------------------------------------------------------------------
# Art. 5(1)(d) — criminal-offence risk assessment of individuals; recital 42
# ---------------------------------------------------------------------------------------------

CRIME_RISK = {"predicts_risk_of_committing_criminal_offence": True, "based_solely_on_profiling_or_personality": True}


def test_d_all_elements_prohibited(classify):
    """Art. 5(1)(d); Handreiking §4.1.4 ('predictive policing'): risk of a natural person
    committing a criminal offence, based solely on profiling or personality traits."""
    out = classify(described({"criminal_risk_assessment": CRIME_RISK}))
    assert_prohibited(out, "5(1)(d)")


@pytest.mark.parametrize("element", sorted(CRIME_RISK))
def test_d_missing_element_not_prohibited(classify, element):
    """Art. 5(1)(d): prediction of offending risk, and 'based solely' on profiling or personality
    traits (recital 42: risk analytics not based on profiling are outside)."""
    out = classify(described(with_value("criminal_risk_assessment", CRIME_RISK, element, False)))
    assert_not_prohibited(out, "5(1)(d)")


def test_d_legal_persons_only_not_prohibited(classify):
    """Art. 5(1)(d) and recital 42: risk assessments 'of natural persons'; assessing the
    likelihood of financial fraud by undertakings is not covered."""
    out = classify(described({"criminal_risk_assessment": CRIME_RISK}, deployment={"affected_persons": ["legal_persons"]}))
    assert_not_prohibited(out, "5(1)(d)")


def test_d_support_of_human_assessment_on_objective_facts_not_prohibited(classify):
    """Art. 5(1)(d), second clause: not applicable to systems supporting the human assessment of
    involvement in a criminal activity that is already based on objective and verifiable facts
    directly linked to it."""
    block = dict(CRIME_RISK, supports_human_assessment_on_objective_facts=True)
    out = classify(described({"criminal_risk_assessment": block}))
    assert_not_prohibited(out, "5(1)(d)")


def test_d_alias_predicts_risk_of_committing_offence(classify):
    """Art. 5(1)(d): the spec's alias `predicts_risk_of_committing_offence` states the same element."""
    block = {"predicts_risk_of_committing_offence": True, "based_solely_on_profiling_or_personality": True}
    out = classify(described({"criminal_risk_assessment": block}))
    assert_prohibited(out, "5(1)(d)")


# ---------------------------------------------------------------------------------------------
# Art. 5(1)(e) — untargeted scraping of facial images; recital 43
# ---------------------------------------------------------------------------------------------

SCRAPING = {"creates_or_expands_facial_recognition_database": True, "untargeted_scraping": True}


def test_handreiking_clearview_like_database(classify):
    """Handreiking §4.1.5: a facial recognition database like Clearview's (billions of scraped
    photos, identification from one photo) — Art. 5(1)(e)."""
    out = classify(described({"facial_recognition_scraping": SCRAPING}))
    assert_prohibited(out, "5(1)(e)")
    assert out.risk_class == "prohibited"


def test_e_targeted_scraping_not_prohibited(classify):
    """Art. 5(1)(e): only 'untargeted' scraping; collecting images of specific persons is not."""
    out = classify(described(with_value("facial_recognition_scraping", SCRAPING, "untargeted_scraping", False)))
    assert_not_prohibited(out, "5(1)(e)")


def test_e_no_facial_recognition_database_not_prohibited(classify):
    """Art. 5(1)(e): the scraping must create or expand a facial recognition database (e.g. not
    scraping to train a generator of fictitious faces)."""
    out = classify(described(with_value("facial_recognition_scraping", SCRAPING,
                                        "creates_or_expands_facial_recognition_database", False)))
    assert_not_prohibited(out, "5(1)(e)")


# ---------------------------------------------------------------------------------------------
# Art. 5(1)(f) — emotion recognition in the workplace and education; Art. 3(39); recitals 18, 44
# ---------------------------------------------------------------------------------------------

EMOTION_AT_WORK = {"infers_emotions": True, "area": ["workplace"], "subjects": ["workers_or_candidates"]}


def test_handreiking_stress_measurement_of_employees(classify):
    """Handreiking §4.1.6: measuring stress, fatigue or frustration of employees for management
    purposes (productivity, attitude) — Art. 5(1)(f)."""
    out = classify(described({"emotion_recognition": EMOTION_AT_WORK}))
    assert_prohibited(out, "5(1)(f)")
    assert out.risk_class == "prohibited"


def test_f_students_in_education_prohibited(classify):
    """Art. 5(1)(f): '... in the areas of workplace and education institutions'."""
    block = {"infers_emotions": True, "area": ["education"], "subjects": ["students"]}
    out = classify(described({"emotion_recognition": block}))
    assert_prohibited(out, "5(1)(f)")


def test_f_teachers_in_education_institution_prohibited(classify):
    """Art. 5(1)(f): staff of an education institution are at their workplace."""
    block = {"infers_emotions": True, "area": ["education"], "subjects": ["workers_or_candidates"]}
    out = classify(described({"emotion_recognition": block}))
    assert_prohibited(out, "5(1)(f)")


def test_f_subjects_not_stated_area_decides(classify):
    """Art. 5(1)(f): emotion inference in the workplace concerns workers unless the description
    says otherwise (interpretation art5-f-subjects)."""
    block = {"infers_emotions": True, "area": ["workplace"]}
    out = classify(described({"emotion_recognition": block}))
    assert_prohibited(out, "5(1)(f)")


def test_f_customers_at_workplace_not_prohibited(classify):
    """Art. 5(1)(f), recital 44 (power imbalance of work and education); Commission guidelines:
    a call centre inferring its customers' emotions is not covered by Art. 5(1)(f)."""
    block = {"infers_emotions": True, "area": ["workplace"], "subjects": ["customers_or_public"]}
    out = classify(described({"emotion_recognition": block}))
    assert_not_prohibited(out, "5(1)(f)")


def test_f_other_area_not_prohibited(classify):
    """Art. 5(1)(f): outside workplace and education the point does not apply (Annex III 1(c)
    may)."""
    block = {"infers_emotions": True, "area": ["other"], "subjects": ["customers_or_public"]}
    out = classify(described({"emotion_recognition": block}))
    assert_not_prohibited(out, "5(1)(f)")


def test_f_no_emotion_inference_not_prohibited(classify):
    """Art. 5(1)(f): 'to infer emotions'; recital 18: physical states such as fatigue are not
    emotions."""
    out = classify(described(with_value("emotion_recognition", EMOTION_AT_WORK, "infers_emotions", False)))
    assert_not_prohibited(out, "5(1)(f)")


def test_f_text_sentiment_analysis_not_prohibited(classify):
    """Art. 3(39): emotion recognition is 'on the basis of their biometric data'; sentiment
    analysis of written text is not."""
    block = dict(EMOTION_AT_WORK, based_on_biometric_data=False)
    out = classify(described({"emotion_recognition": block}))
    assert_not_prohibited(out, "5(1)(f)")


def test_f_medical_or_safety_reasons_not_prohibited(classify):
    """Art. 5(1)(f): 'except where the use of the AI system is intended to be put in place or into
    the market for medical or safety reasons' (recital 44: e.g. therapeutic use)."""
    block = dict(EMOTION_AT_WORK, medical_or_safety_reasons=True)
    out = classify(described({"emotion_recognition": block}))
    assert_not_prohibited(out, "5(1)(f)")


# ---------------------------------------------------------------------------------------------
# Art. 5(1)(g) — biometric categorisation of sensitive attributes; Art. 3(40); recitals 16, 30
# ---------------------------------------------------------------------------------------------

CATEGORISATION = {"categorises_individuals_on_biometric_data": True, "infers_sensitive_attributes": ["race"]}
SENSITIVE = ["race", "political_opinions", "trade_union_membership", "religious_or_philosophical_beliefs",
             "sex_life", "sexual_orientation"]


@pytest.mark.parametrize("attribute", SENSITIVE)
def test_g_each_sensitive_attribute_prohibited(classify, attribute):
    """Art. 5(1)(g): to deduce or infer race, political opinions, trade union membership,
    religious or philosophical beliefs, sex life or sexual orientation."""
    out = classify(described(with_value("biometric_categorisation", CATEGORISATION,
                                        "infers_sensitive_attributes", [attribute])))
    assert_prohibited(out, "5(1)(g)")


def test_g_no_sensitive_attribute_not_prohibited(classify):
    """Art. 5(1)(g): categorising on other attributes (e.g. age, hair colour) is not covered."""
    out = classify(described(with_value("biometric_categorisation", CATEGORISATION,
                                        "infers_sensitive_attributes", [])))
    assert_not_prohibited(out, "5(1)(g)")


def test_g_no_biometric_categorisation_not_prohibited(classify):
    """Art. 5(1)(g): the system must categorise individual natural persons based on biometric data."""
    out = classify(described(with_value("biometric_categorisation", CATEGORISATION,
                                        "categorises_individuals_on_biometric_data", False)))
    assert_not_prohibited(out, "5(1)(g)")


def test_g_ancillary_feature_is_not_a_biometric_categorisation_system(classify):
    """Art. 3(40), recital 16: a feature ancillary to another commercial service and strictly
    necessary for objective technical reasons is not a biometric categorisation system."""
    block = dict(CATEGORISATION, ancillary_feature_strictly_necessary=True)
    out = classify(described({"biometric_categorisation": block}))
    assert_not_prohibited(out, "5(1)(g)")


def test_g_labelling_or_filtering_lawful_datasets_not_prohibited(classify):
    """Art. 5(1)(g), recital 30: 'does not cover any labelling or filtering of lawfully acquired
    biometric datasets'."""
    block = dict(CATEGORISATION, labelling_or_filtering_lawful_datasets=True)
    out = classify(described({"biometric_categorisation": block}))
    assert_not_prohibited(out, "5(1)(g)")


def test_g_categorising_in_the_area_of_law_enforcement_not_prohibited(classify):
    """Art. 5(1)(g): '... or categorizing of biometric data in the area of law enforcement'."""
    block = dict(CATEGORISATION, law_enforcement_categorisation=True)
    out = classify(described({"biometric_categorisation": block}))
    assert_not_prohibited(out, "5(1)(g)")


def test_handreiking_categorisation_from_photos(classify):
    """Handreiking §4.1.7: a system that categorises individuals from their photos by race,
    political preference and/or orientation — Art. 5(1)(g)."""
    block = dict(CATEGORISATION, infers_sensitive_attributes=["race", "political_opinions", "sexual_orientation"])
    out = classify(described({"biometric_categorisation": block}))
    assert_prohibited(out, "5(1)(g)")
    assert out.risk_class == "prohibited"


# ---------------------------------------------------------------------------------------------
# Art. 5(1)(h) with 5(2), (3), (5) — real-time remote biometric identification for law enforcement
# ---------------------------------------------------------------------------------------------

RBI_USE = {
    "realtime_remote_biometric_identification": True,
    "publicly_accessible_space": True,
    "for_law_enforcement": True,
}
RBI_LAWFUL = dict(
    RBI_USE,
    objective=["targeted_victim_search"],
    prior_authorisation=True,
    national_law_permits=True,
    fria_completed=True,
    registered_in_eu_database=True,
)
LAW_ENFORCEMENT_ORG = {"law_enforcement_authority": True, "public_authority": True}


def rbi(block: dict) -> dict:
    return described({"realtime_remote_biometric_identification": block}, organisation=LAW_ENFORCEMENT_ORG)


def test_handreiking_real_time_face_recognition_of_litterers(classify):
    """Handreiking §4.1.8: police face recognition identifying everyone in public places in real
    time to catch people who drop litter — no objective of Art. 5(1)(h)(i)-(iii): prohibited."""
    out = classify(rbi(RBI_USE))
    assert_prohibited(out, "5(1)(h)")
    assert out.risk_class == "prohibited"


def test_h_litterers_prohibited_even_with_authorisation_and_conditions(classify):
    """Art. 5(1)(h): the conditions of paragraphs 2-5 never replace a listed objective."""
    block = {k: v for k, v in RBI_LAWFUL.items() if k != "objective"}
    out = classify(rbi(block))
    assert_prohibited(out, "5(1)(h)")


@pytest.mark.parametrize("objective", ["targeted_victim_search", "imminent_threat_prevention"])
def test_h_objective_with_all_conditions_not_prohibited(classify, objective):
    """Art. 5(1)(h)(i), (ii) with 5(2), (3), (5): strictly necessary for a listed objective, prior
    authorisation, national law, FRIA completed, registered in the EU database."""
    out = classify(rbi(dict(RBI_LAWFUL, objective=[objective])))
    assert_not_prohibited(out, "5(1)(h)")


def test_h_suspect_of_annex_ii_offence_of_at_least_four_years_not_prohibited(classify):
    """Art. 5(1)(h)(iii): suspects of Annex II offences punishable by at least four years."""
    block = dict(RBI_LAWFUL, objective=["suspect_localisation"], offence_annex_ii_min_4_years=True)
    out = classify(rbi(block))
    assert_not_prohibited(out, "5(1)(h)")


def test_h_suspect_of_other_offence_prohibited(classify):
    """Art. 5(1)(h)(iii): other offences (not in Annex II, or under four years) do not qualify."""
    block = dict(RBI_LAWFUL, objective=["suspect_localisation"], offence_annex_ii_min_4_years=False)
    out = classify(rbi(block))
    assert_prohibited(out, "5(1)(h)")


@pytest.mark.parametrize("condition", ["prior_authorisation", "national_law_permits", "fria_completed",
                                       "registered_in_eu_database"])
def test_h_missing_condition_prohibited(classify, condition):
    """Art. 5(3) prior authorisation; Art. 5(5) national law providing for it; Art. 5(2) FRIA
    (Art. 27) and registration (Art. 49): without any one of them the use stays prohibited."""
    out = classify(rbi(dict(RBI_LAWFUL, **{condition: False})))
    assert_prohibited(out, "5(1)(h)")


def test_h_urgency_replaces_prior_authorisation_and_registration(classify):
    """Art. 5(3): in duly justified urgency the use may start without authorisation if it is
    requested within 24 hours; Art. 5(2): registration may then follow without undue delay."""
    block = dict(RBI_LAWFUL, prior_authorisation=False, registered_in_eu_database=False,
                 urgent_authorisation_requested_within_24h=True)
    out = classify(rbi(block))
    assert_not_prohibited(out, "5(1)(h)")


def test_h_urgency_does_not_replace_fria(classify):
    """Art. 5(2): the urgency exception covers registration only, not the completed FRIA."""
    block = dict(RBI_LAWFUL, prior_authorisation=False, fria_completed=False,
                 urgent_authorisation_requested_within_24h=True)
    out = classify(rbi(block))
    assert_prohibited(out, "5(1)(h)")


def test_h_urgency_does_not_replace_national_law(classify):
    """Art. 5(5), recital 37: without national law providing for authorisation, no use is possible."""
    block = dict(RBI_LAWFUL, prior_authorisation=False, national_law_permits=False,
                 urgent_authorisation_requested_within_24h=True)
    out = classify(rbi(block))
    assert_prohibited(out, "5(1)(h)")


@pytest.mark.parametrize("element", sorted(RBI_USE))
def test_h_missing_element_not_prohibited(classify, element):
    """Art. 5(1)(h): only 'real-time' remote biometric identification (Art. 3(42)), in publicly
    accessible spaces (Art. 3(44)), for law enforcement (non-law-enforcement use: Art. 9 GDPR,
    Art. 5(1) second subparagraph)."""
    out = classify(rbi(dict(RBI_USE, **{element: False})))
    assert_not_prohibited(out, "5(1)(h)")


def test_h_law_enforcement_purpose_stated_for_the_deployment(classify):
    """Art. 5(1)(h): 'for the purposes of law enforcement' may be stated for the deployment as a
    whole (deployment.for_law_enforcement_purposes; interpretation art5-h-law-enforcement-purposes)."""
    block = dict(RBI_USE, for_law_enforcement=False)
    description = rbi(block)
    description["deployment"] = {"for_law_enforcement_purposes": True}
    out = classify(description)
    assert_prohibited(out, "5(1)(h)")
