"""Article 6(1)-(3), Annex I and Annex III (Regulation (EU) 2024/1689 as amended by 2026/1744).

Each test states what the law says and cites it. Uses the ``classify`` fixture of
tests/conftest.py: ``classify(description, as_of="2026-11-30") -> Outcome``.
"""

from __future__ import annotations

import copy

import pytest

AI_DEFINITION = {
    "machine_based": True,
    "autonomy": True,
    "infers_outputs": True,
    "output_types": ["prediction", "recommendation"],
    "influences_environment": True,
}

BEFORE_OMNIBUS = "2026-07-26"  # last day of the 2024 text of Art 3(14), 6(1) and Annex I
OMNIBUS = "2026-07-27"  # Reg. 2026/1744 in force (Art. 4 of 2026/1744)


def system(**sections) -> dict:
    """An AI system (Art 3(1)) described by a Dutch public body's own file, plus ``sections``."""
    description = {"id": "s1", "definition": copy.deepcopy(AI_DEFINITION)}
    for key, value in sections.items():
        description[key] = value
    return description


def annex_iii(use_case: str, **keys) -> dict:
    return {"use_cases": [use_case], **keys}


def hr_iii(point: str) -> str:
    return f'high_risk(annex_iii,"{point}")'


def derogation(point: str, ground: str) -> str:
    return f'annex_iii_derogation("{point}","{ground}")'


def hr_i(section: str, legislation: str) -> str:
    return f"high_risk(annex_i_{section},{legislation})"


def annex_iii_conclusions(out) -> set[str]:
    return {c for c in out.certain | out.possible if c.startswith("high_risk(annex_iii")}


def annex_i_conclusions(out) -> set[str]:
    return {c for c in out.certain | out.possible if c.startswith("high_risk(annex_i_")}


def has_finding(out, code: str) -> bool:
    return any(code in f for f in out.findings)


# ---------------------------------------------------------------------------
# Annex III — every point, positive case (Art 6(2))
# ---------------------------------------------------------------------------

PUBLIC_BODY = {"public_authority": True}
POLICE = {"law_enforcement_authority": True, "public_authority": True}
COURT = {"judicial_authority": True, "public_authority": True}

# use case value -> (Annex III point, extra description sections the point needs)
POINTS = {
    "remote_biometric_identification": ("1(a)", {}),
    "biometric_categorisation_sensitive_attributes": ("1(b)", {}),
    "emotion_recognition": ("1(c)", {}),
    "critical_infrastructure_safety_component": (
        "2",
        {"annex_iii": {"critical_infrastructure_sector": ["water_supply"]}},
    ),
    "education_access_admission": ("3(a)", {}),
    "education_learning_outcomes": ("3(b)", {}),
    "education_level_assessment": ("3(c)", {}),
    "education_exam_monitoring": ("3(d)", {}),
    "employment_recruitment_selection": ("4(a)", {}),
    "employment_work_relationship_decisions": ("4(b)", {}),
    "public_assistance_eligibility": ("5(a)", {"organisation": PUBLIC_BODY}),
    "creditworthiness": ("5(b)", {}),
    "life_health_insurance_pricing": ("5(c)", {}),
    "emergency_triage_dispatch": ("5(d)", {}),
    "law_enforcement_victim_risk": ("6(a)", {"organisation": POLICE}),
    "law_enforcement_polygraph": ("6(b)", {"organisation": POLICE}),
    "law_enforcement_evidence_reliability": ("6(c)", {"organisation": POLICE}),
    "law_enforcement_offending_risk": ("6(d)", {"organisation": POLICE}),
    "law_enforcement_profiling": ("6(e)", {"organisation": POLICE}),
    "migration_polygraph": ("7(a)", {"organisation": PUBLIC_BODY}),
    "migration_risk_assessment": ("7(b)", {"organisation": PUBLIC_BODY}),
    "migration_application_examination": ("7(c)", {"organisation": PUBLIC_BODY}),
    "migration_identification": ("7(d)", {"organisation": PUBLIC_BODY}),
    "justice_assistance": ("8(a)", {"organisation": COURT}),
    "election_influencing": ("8(b)", {}),
}


def point_description(use_case: str, **annex_iii_keys) -> dict:
    point, extra = POINTS[use_case]
    sections = copy.deepcopy(extra)
    sections.setdefault("annex_iii", {})
    sections["annex_iii"].update(annex_iii(use_case, **annex_iii_keys))
    return system(**sections)


def test_all_25_points_covered():
    """Annex III has 25 points: 1(a)-(c), 2, 3(a)-(d), 4(a)-(b), 5(a)-(d), 6(a)-(e), 7(a)-(d), 8(a)-(b)."""
    assert len(POINTS) == 25
    assert len({p for p, _ in POINTS.values()}) == 25


@pytest.mark.parametrize("use_case", sorted(POINTS))
def test_annex_iii_point_is_high_risk(classify, use_case):
    """Art 6(2): AI systems referred to in Annex III shall be considered high-risk (each point)."""
    point, _ = POINTS[use_case]
    out = classify(point_description(use_case))
    assert hr_iii(point) in out.certain
    assert out.risk_class == "high_risk"


def test_annex_iii_point_requires_ai_system(classify):
    """Art 6(2) classifies AI systems (Art 3(1)); a system that is not one is not classified."""
    description = point_description("employment_recruitment_selection")
    description["definition"] = {"machine_based": True, "autonomy": False, "infers_outputs": False}
    out = classify(description)
    assert not annex_iii_conclusions(out)


def test_annex_iii_no_use_case_no_classification(classify):
    """Art 6(2): only the intended purposes listed in Annex III make a system high-risk."""
    out = classify(system(organisation=PUBLIC_BODY))
    assert not annex_iii_conclusions(out)


def test_annex_iii_applies_before_chapter_iii_application_date(classify):
    """Art 113(c)(i) as amended defers Chapter III obligations to 2 Dec 2027, not the
    classification of Art 6(2): a recruitment system is already classified on 30 Nov 2026."""
    out = classify(point_description("employment_recruitment_selection"), as_of="2026-11-30")
    assert hr_iii("4(a)") in out.certain


# ---------------------------------------------------------------------------
# Point 1 — biometrics
# ---------------------------------------------------------------------------


def test_1a_biometric_verification_excluded(classify):
    """Annex III 1(a), second sentence; recital 54: biometric verification whose sole purpose is
    to confirm that a person is who he or she claims to be is not included."""
    out = classify(point_description("remote_biometric_identification", biometric_verification_only=True))
    assert hr_iii("1(a)") not in out.certain | out.possible


@pytest.mark.parametrize(
    "use_case", ["remote_biometric_identification", "biometric_categorisation_sensitive_attributes", "emotion_recognition"]
)
def test_1_cybersecurity_only_biometrics_excluded(classify, use_case):
    """Recital 54: biometric systems intended solely to enable cybersecurity and personal data
    protection measures should not be considered high-risk."""
    point, _ = POINTS[use_case]
    out = classify(point_description(use_case, cybersecurity_or_data_protection_only=True))
    assert hr_iii(point) not in out.certain | out.possible


def test_1b_ancillary_feature_not_biometric_categorisation(classify):
    """Annex III 1(b); Art 3(40): a feature ancillary to another commercial service and strictly
    necessary for objective technical reasons is not a biometric categorisation system."""
    description = point_description("biometric_categorisation_sensitive_attributes")
    description["prohibited_practices"] = {"biometric_categorisation": {"ancillary_feature_strictly_necessary": True}}
    out = classify(description)
    assert hr_iii("1(b)") not in out.certain | out.possible


def test_1c_emotion_recognition_requires_biometric_data(classify):
    """Annex III 1(c); Art 3(39): emotion recognition infers emotions on the basis of biometric
    data; text sentiment analysis is not emotion recognition."""
    description = point_description("emotion_recognition")
    description["prohibited_practices"] = {"emotion_recognition": {"based_on_biometric_data": False}}
    out = classify(description)
    assert hr_iii("1(c)") not in out.certain | out.possible


# ---------------------------------------------------------------------------
# Point 2 — critical infrastructure (safety components; Art 3(14), 6(1a)-(1b) as amended)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sector",
    ["critical_digital_infrastructure", "road_traffic", "water_supply", "gas_supply", "heating_supply", "electricity_supply"],
)
def test_2_each_listed_sector(classify, sector):
    """Annex III 2: critical digital infrastructure, road traffic, supply of water, gas, heating
    or electricity."""
    out = classify(system(annex_iii=annex_iii("critical_infrastructure_safety_component", critical_infrastructure_sector=[sector])))
    assert hr_iii("2") in out.certain


def test_2_no_listed_sector(classify):
    """Annex III 2 covers only the listed sectors; a description stating none of them is not point 2."""
    out = classify(system(annex_iii=annex_iii("critical_infrastructure_safety_component", critical_infrastructure_sector=[])))
    assert hr_iii("2") not in out.certain | out.possible


def test_2_safety_component_in_sector_without_use_case(classify):
    """Annex III 2; Art 3(14) as amended: a component whose intended purpose is to prevent or
    mitigate risks to health and safety, used in the supply of electricity, is point 2."""
    out = classify(
        system(
            annex_iii={"critical_infrastructure_sector": ["electricity_supply"]},
            safety_component={"fulfils_safety_function": True},
        )
    )
    assert hr_iii("2") in out.certain


def test_2_sector_without_safety_component(classify):
    """Annex III 2 requires a safety component: a system merely used in water supply is not point 2."""
    out = classify(system(annex_iii={"critical_infrastructure_sector": ["water_supply"]}))
    assert hr_iii("2") not in out.certain | out.possible


def test_2_solely_non_safety_functions_not_safety_component(classify):
    """Art 6(1a) ("for the purposes of this Regulation"): a system solely used for performance
    optimisation or service efficiency is not a safety component, from 27 Jul 2026."""
    description = system(
        annex_iii=annex_iii("critical_infrastructure_safety_component", critical_infrastructure_sector=["gas_supply"]),
        safety_component={"solely_non_safety_functions": True},
    )
    after = classify(description, as_of=OMNIBUS)
    assert hr_iii("2") not in after.certain | after.possible
    # Before 27 Jul 2026 the 2024 text applies: Art 6(1a) does not exist yet.
    assert hr_iii("2") in classify(description, as_of=BEFORE_OMNIBUS).certain


def test_2_failure_endangers_health_safety_is_safety_component(classify):
    """Art 6(1b): notwithstanding 6(1a), a system whose failure would endanger health and safety
    is a safety component."""
    description = system(
        annex_iii=annex_iii("critical_infrastructure_safety_component", critical_infrastructure_sector=["road_traffic"]),
        safety_component={"solely_non_safety_functions": True, "failure_endangers_health_safety": True},
    )
    assert hr_iii("2") in classify(description, as_of=OMNIBUS).certain


def test_2_cybersecurity_only_component_excluded(classify):
    """Recital 55: components intended to be used solely for cybersecurity purposes do not
    qualify as safety components."""
    out = classify(
        system(
            annex_iii=annex_iii(
                "critical_infrastructure_safety_component",
                critical_infrastructure_sector=["critical_digital_infrastructure"],
                cybersecurity_or_data_protection_only=True,
            )
        )
    )
    assert hr_iii("2") not in out.certain | out.possible


def test_2_cybersecurity_component_whose_failure_endangers_safety(classify):
    """Art 3(14), second limb, and Art 6(1b) ("shall qualify as safety components") prevail over
    recital 55: a cybersecurity component whose failure would endanger health and safety is a
    safety component."""
    out = classify(
        system(
            annex_iii=annex_iii(
                "critical_infrastructure_safety_component",
                critical_infrastructure_sector=["electricity_supply"],
                cybersecurity_or_data_protection_only=True,
            ),
            safety_component={"failure_endangers_health_safety": True},
        )
    )
    assert hr_iii("2") in out.certain


# ---------------------------------------------------------------------------
# Natural persons (points 3-8 where the point names them)
# ---------------------------------------------------------------------------


def test_natural_persons_required_for_4a(classify):
    """Annex III 4(a) covers "the recruitment or selection of natural persons"."""
    description = point_description("employment_recruitment_selection")
    description["deployment"] = {"affected_persons": ["legal_persons"]}
    out = classify(description)
    assert hr_iii("4(a)") not in out.certain | out.possible


def test_natural_persons_required_for_5b(classify):
    """Annex III 5(b): creditworthiness "of natural persons"; scoring companies is not covered."""
    description = point_description("creditworthiness")
    description["deployment"] = {"affected_persons": ["legal_persons"]}
    out = classify(description)
    assert hr_iii("5(b)") not in out.certain | out.possible


def test_natural_persons_default(classify):
    """The description's affected persons default to natural persons (input contract)."""
    description = point_description("creditworthiness")
    description["deployment"] = {"affected_persons": ["natural_persons", "legal_persons"]}
    assert hr_iii("5(b)") in classify(description).certain


def test_8a_not_limited_to_natural_persons(classify):
    """Annex III 8(a) does not name natural persons: assisting a court in a dispute between
    companies is still assisting a judicial authority."""
    description = point_description("justice_assistance")
    description["deployment"] = {"affected_persons": ["legal_persons"]}
    assert hr_iii("8(a)") in classify(description).certain


# ---------------------------------------------------------------------------
# Point 5
# ---------------------------------------------------------------------------


def test_5a_requires_public_authority(classify):
    """Annex III 5(a): "by public authorities or on behalf of public authorities"; a private
    organisation's own benefits tool is not covered."""
    out = classify(system(annex_iii=annex_iii("public_assistance_eligibility"), organisation={"public_authority": False}))
    assert hr_iii("5(a)") not in out.certain | out.possible


def test_5a_on_behalf_of_public_authority(classify):
    """Annex III 5(a): use "on behalf of public authorities" is covered."""
    out = classify(
        system(annex_iii=annex_iii("public_assistance_eligibility"), organisation={"acts_on_behalf_of_public_authority": True})
    )
    assert hr_iii("5(a)") in out.certain


def test_5a_intended_deployers_of_vendor(classify):
    """Annex III 5(a): a vendor's system intended to be used by public authorities is covered
    although the vendor itself is not a public authority."""
    out = classify(
        system(annex_iii=annex_iii("public_assistance_eligibility"), intended_deployers=["public_authority"])
    )
    assert hr_iii("5(a)") in out.certain


def test_5a_intended_deployers_override_organisation(classify):
    """The intended deployers, when stated, decide (Annex III 5(a) "intended to be used by"):
    a system intended for private entities is not 5(a) even if the describing body is public."""
    out = classify(
        system(
            annex_iii=annex_iii("public_assistance_eligibility"),
            organisation=PUBLIC_BODY,
            intended_deployers=["private_entity"],
        )
    )
    assert hr_iii("5(a)") not in out.certain | out.possible


def test_5b_financial_fraud_detection_excluded(classify):
    """Annex III 5(b): "with the exception of AI systems used for the purpose of detecting
    financial fraud"."""
    out = classify(point_description("creditworthiness", financial_fraud_detection=True))
    assert hr_iii("5(b)") not in out.certain | out.possible


# ---------------------------------------------------------------------------
# Point 6 — law enforcement
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("use_case", [u for u in POINTS if u.startswith("law_enforcement_")])
def test_6_requires_law_enforcement_use(classify, use_case):
    """Annex III 6: "by or on behalf of law enforcement authorities" (or Union bodies in
    support of them); a municipality that is no law enforcement authority is not covered."""
    point, _ = POINTS[use_case]
    out = classify(system(annex_iii=annex_iii(use_case), organisation={"public_authority": True}))
    assert hr_iii(point) not in out.certain | out.possible


def test_6_union_institution_in_support(classify):
    """Annex III 6(c): "or by Union institutions, bodies, offices or agencies, in support of law
    enforcement authorities"."""
    out = classify(system(annex_iii=annex_iii("law_enforcement_evidence_reliability"), intended_deployers=["union_institution"]))
    assert hr_iii("6(c)") in out.certain


def test_6_on_behalf_of_law_enforcement(classify):
    """Annex III 6(a): use "on behalf of law enforcement authorities" is covered."""
    out = classify(
        system(annex_iii=annex_iii("law_enforcement_victim_risk"), organisation={"acts_on_behalf_of_public_authority": True})
    )
    assert hr_iii("6(a)") in out.certain


def test_6_tax_customs_administrative_excluded(classify):
    """Recital 59: systems specifically intended for administrative proceedings by tax and
    customs authorities are not high-risk systems used by law enforcement authorities."""
    out = classify(point_description("law_enforcement_evidence_reliability", tax_customs_administrative=True))
    assert hr_iii("6(c)") not in out.certain | out.possible


# ---------------------------------------------------------------------------
# Point 7 — migration, asylum and border control
# ---------------------------------------------------------------------------


def test_7_requires_competent_public_authority(classify):
    """Annex III 7: "by or on behalf of competent public authorities or by Union institutions";
    a private entity's own use is not covered."""
    out = classify(system(annex_iii=annex_iii("migration_risk_assessment"), intended_deployers=["private_entity"]))
    assert hr_iii("7(b)") not in out.certain | out.possible


def test_7_union_agency(classify):
    """Annex III 7(b): use by Union institutions, bodies, offices or agencies is covered."""
    out = classify(system(annex_iii=annex_iii("migration_risk_assessment"), intended_deployers=["union_institution"]))
    assert hr_iii("7(b)") in out.certain


def test_7_border_police(classify):
    """Annex III 7(d); Art 3(45)(a): a law enforcement authority (e.g. border police) is a
    competent public authority for border control."""
    out = classify(system(annex_iii=annex_iii("migration_identification"), organisation={"law_enforcement_authority": True}))
    assert hr_iii("7(d)") in out.certain


def test_7d_travel_document_verification_excluded(classify):
    """Annex III 7(d): "with the exception of the verification of travel documents"."""
    out = classify(point_description("migration_identification", travel_document_verification=True))
    assert hr_iii("7(d)") not in out.certain | out.possible


# ---------------------------------------------------------------------------
# Point 8 — justice and democratic processes
# ---------------------------------------------------------------------------


def test_8a_requires_judicial_authority(classify):
    """Annex III 8(a): "by a judicial authority or on their behalf"; a private law firm's
    research tool is not covered."""
    out = classify(system(annex_iii=annex_iii("justice_assistance"), intended_deployers=["private_entity"]))
    assert hr_iii("8(a)") not in out.certain | out.possible


def test_8a_alternative_dispute_resolution(classify):
    """Annex III 8(a): "or to be used in a similar way in alternative dispute resolution"."""
    out = classify(system(annex_iii=annex_iii("justice_assistance"), intended_deployers=["alternative_dispute_resolution"]))
    assert hr_iii("8(a)") in out.certain


def test_8a_on_behalf_of_judicial_authority(classify):
    """Annex III 8(a): "by a judicial authority or on their behalf"."""
    out = classify(system(annex_iii=annex_iii("justice_assistance"), organisation={"acts_on_behalf_of_public_authority": True}))
    assert hr_iii("8(a)") in out.certain


def test_8a_purely_ancillary_administrative_excluded(classify):
    """Recital 61: purely ancillary administrative activities (anonymisation of judgments,
    communication between personnel) are not covered."""
    out = classify(point_description("justice_assistance", purely_ancillary_administrative=True))
    assert hr_iii("8(a)") not in out.certain | out.possible


def test_8b_campaign_logistics_excluded(classify):
    """Annex III 8(b), second sentence: systems to whose output natural persons are not directly
    exposed, such as tools to organise political campaigns logistically, are not included."""
    out = classify(point_description("election_influencing", not_directly_exposed_campaign_tool=True))
    assert hr_iii("8(b)") not in out.certain | out.possible


# ---------------------------------------------------------------------------
# Art 6(3) — derogation and the profiling override
# ---------------------------------------------------------------------------

GROUNDS = {
    "narrow_procedural_task": "6(3)(a)",
    "improves_completed_human_activity": "6(3)(b)",
    "detects_decision_patterns_without_replacing_review": "6(3)(c)",
    "preparatory_task": "6(3)(d)",
}


@pytest.mark.parametrize("key", sorted(GROUNDS))
def test_6_3_each_ground_derogates(classify, key):
    """Art 6(3), first and second subparagraphs: an Annex III system is not high-risk where any
    of the conditions (a)-(d) is fulfilled."""
    out = classify(point_description("employment_recruitment_selection", **{key: True}))
    assert derogation("4(a)", GROUNDS[key]) in out.certain
    assert hr_iii("4(a)") not in out.certain | out.possible


def test_6_3_one_derogation_per_ground(classify):
    """Art 6(3): "any of the following conditions" — each fulfilled condition is reported."""
    out = classify(point_description("creditworthiness", narrow_procedural_task=True, preparatory_task=True))
    assert derogation("5(b)", "6(3)(a)") in out.certain
    assert derogation("5(b)", "6(3)(d)") in out.certain
    assert hr_iii("5(b)") not in out.certain | out.possible


@pytest.mark.parametrize("key", sorted(GROUNDS))
def test_6_3_profiling_always_high_risk(classify, key):
    """Art 6(3), last subparagraph: an Annex III system that profiles natural persons is always
    high-risk, whatever condition of 6(3) is fulfilled."""
    out = classify(point_description("employment_recruitment_selection", profiling_natural_persons=True, **{key: True}))
    assert hr_iii("4(a)") in out.certain
    assert not any(c.startswith("annex_iii_derogation") for c in out.certain | out.possible)


def test_6_3_profiling_inherent_in_6e(classify):
    """Annex III 6(e) is "for the profiling of natural persons": Art 6(3) cannot apply."""
    out = classify(point_description("law_enforcement_profiling", preparatory_task=True))
    assert hr_iii("6(e)") in out.certain
    assert derogation("6(e)", "6(3)(d)") not in out.certain | out.possible


def test_6_3_needs_annex_iii_point(classify):
    """Art 6(3) derogates from 6(2) only: without an Annex III point there is nothing to derogate from."""
    out = classify(system(annex_iii={"narrow_procedural_task": True}))
    assert not any(c.startswith("annex_iii_derogation") for c in out.certain | out.possible)


def test_6_3_unknown_ground_is_undetermined(classify):
    """Art 6(3): when it is not known whether a condition is fulfilled, both outcomes remain possible."""
    out = classify(point_description("creditworthiness", preparatory_task="unknown"))
    assert hr_iii("5(b)") in out.possible
    assert derogation("5(b)", "6(3)(d)") in out.possible


def test_cv_screening_example_from_spec(classify):
    """The input contract's example: CV screening that profiles candidates is high-risk under
    Annex III 4(a); Art 6(3) is unavailable because it profiles."""
    description = {
        "id": "cv-screening",
        "status": "in_use",
        "activities": ["uses_under_own_authority"],
        "organisation": {"public_authority": True, "established_in_union": True},
        "definition": {**AI_DEFINITION, "technique": ["machine_learning"]},
        "annex_iii": {"use_cases": ["employment_recruitment_selection"], "profiling_natural_persons": True},
        "transparency": {"interacts_directly_with_natural_persons": False},
    }
    out = classify(description)
    assert hr_iii("4(a)") in out.certain
    assert out.risk_class == "high_risk"


# ---------------------------------------------------------------------------
# Annex I — Art 6(1)
# ---------------------------------------------------------------------------


def product(legislation, **keys) -> dict:
    return system(annex_i={"legislation": legislation, **keys})


def test_annex_i_section_a_medical_device(classify):
    """Art 6(1); Annex I Section A point 11 (Regulation (EU) 2017/745): a safety component of a
    medical device that must undergo notified-body assessment is high-risk."""
    out = classify(product(["medical_devices"], safety_component_or_product=True, third_party_conformity_assessment=True))
    assert hr_i("section_a", "medical_devices") in out.certain
    assert out.risk_class == "high_risk"


def test_annex_i_ai_system_is_the_product(classify):
    """Art 6(1)(a): "or the AI system is itself a product" (e.g. medical device software)."""
    out = classify(product(["medical_devices"], ai_system_is_the_product=True, third_party_conformity_assessment=True))
    assert hr_i("section_a", "medical_devices") in out.certain


def test_annex_i_requires_third_party_assessment(classify):
    """Art 6(1)(b): both conditions must be fulfilled; without third-party conformity assessment
    (e.g. a class I medical device) the system is not high-risk under 6(1)."""
    out = classify(product(["medical_devices"], safety_component_or_product=True))
    assert not annex_i_conclusions(out)


def test_annex_i_requires_safety_component_or_product(classify):
    """Art 6(1)(a): an AI system that is neither a safety component nor the product is not
    high-risk merely because the product needs third-party assessment."""
    out = classify(product(["medical_devices"], third_party_conformity_assessment=True))
    assert not annex_i_conclusions(out)


def test_annex_i_requires_annex_i_legislation(classify):
    """Art 6(1)(a): the product must be covered by legislation listed in Annex I; without it
    there is no 6(1) classification (and a warning)."""
    out = classify(system(annex_i={"safety_component_or_product": True, "third_party_conformity_assessment": True}))
    assert not annex_i_conclusions(out)
    assert has_finding(out, "annex_i_legislation_missing")


def test_annex_i_product_without_legislation_warns(classify):
    """Art 6(1)(a): an AI system that is itself a product needs an Annex I act; warn when none is named."""
    out = classify(system(annex_i={"ai_system_is_the_product": True, "third_party_conformity_assessment": True}))
    assert not annex_i_conclusions(out)
    assert has_finding(out, "annex_i_legislation_missing")


def test_annex_i_safety_function_without_summary_key(classify):
    """Art 3(14) as amended: a component whose intended purpose is to prevent or mitigate risks
    to health and safety fulfils a safety function, so Art 6(1)(a) is met."""
    out = classify(
        system(
            annex_i={"legislation": ["lifts"], "third_party_conformity_assessment": True},
            safety_component={"fulfils_safety_function": True},
        )
    )
    assert hr_i("section_a", "lifts") in out.certain


def test_annex_i_section_b_motor_vehicles(classify):
    """Art 6(1); Annex I Section B point 18 (Regulation (EU) 2018/858): classified high-risk
    under 6(1); Art 2(2) as amended limits which articles then apply."""
    out = classify(product(["motor_vehicles"], safety_component_or_product=True, third_party_conformity_assessment=True))
    assert hr_i("section_b", "motor_vehicles") in out.certain
    assert not any(c.startswith("high_risk(annex_i_section_a") for c in out.certain)


def test_annex_i_section_b_civil_aviation_unmanned_only(classify):
    """Annex I Section B point 20: Regulation (EU) 2018/1139 only as regards unmanned aircraft,
    their engines, propellers, parts and remote-control equipment; the tool warns."""
    out = classify(product(["civil_aviation"], safety_component_or_product=True, third_party_conformity_assessment=True))
    assert hr_i("section_b", "civil_aviation") in out.certain
    assert has_finding(out, "civil_aviation_limited_to_unmanned_aircraft")


@pytest.mark.parametrize(
    "legislation,section",
    [
        ("toys", "section_a"), ("recreational_craft", "section_a"), ("lifts", "section_a"), ("atex", "section_a"),
        ("radio_equipment", "section_a"), ("pressure_equipment", "section_a"), ("cableways", "section_a"),
        ("ppe", "section_a"), ("gas_appliances", "section_a"), ("medical_devices", "section_a"),
        ("in_vitro_diagnostics", "section_a"), ("civil_aviation_security", "section_b"),
        ("two_three_wheel_vehicles", "section_b"), ("agricultural_forestry_vehicles", "section_b"),
        ("marine_equipment", "section_b"), ("rail_interoperability", "section_b"), ("motor_vehicles", "section_b"),
        ("motor_vehicles_general_safety", "section_b"), ("civil_aviation", "section_b"),
        ("machinery_regulation", "section_b"),
    ],
)
def test_annex_i_sections_as_amended(classify, legislation, section):
    """Annex I as amended by Reg. 2026/1744 Art 1(41): points 2-12 in Section A, 13-21 in Section B."""
    out = classify(product([legislation], safety_component_or_product=True, third_party_conformity_assessment=True))
    assert hr_i(section, legislation) in out.certain


# --- the machinery move (Reg. 2026/1744 Art 1(41)) ---


def machinery(legislation="machinery"):
    return product([legislation], safety_component_or_product=True, third_party_conformity_assessment=True)


def test_machinery_directive_section_a_before_27_july_2026(classify):
    """Annex I Section A point 1 (2024 text): Directive 2006/42/EC, until the Omnibus applies."""
    out = classify(machinery(), as_of=BEFORE_OMNIBUS)
    assert hr_i("section_a", "machinery") in out.certain
    assert not any(c.startswith("high_risk(annex_i_section_b") for c in out.certain | out.possible)
    assert not has_finding(out, "machinery_directive_read_as_regulation")


def test_machinery_directive_read_as_regulation_from_27_july_2026(classify):
    """Reg. 2026/1744 Art 1(41): Section A point 1 deleted, Regulation (EU) 2023/1230 added as
    Section B point 21; a description naming the Directive is read as the Regulation, with a warning."""
    out = classify(machinery(), as_of=OMNIBUS)
    assert hr_i("section_b", "machinery_regulation") in out.certain
    assert hr_i("section_a", "machinery") not in out.certain | out.possible
    assert has_finding(out, "machinery_directive_read_as_regulation")


def test_machinery_regulation_section_b_from_27_july_2026(classify):
    """Annex I Section B point 21 as added by Reg. 2026/1744 Art 1(41)(b)."""
    out = classify(machinery("machinery_regulation"), as_of=OMNIBUS)
    assert hr_i("section_b", "machinery_regulation") in out.certain
    assert not has_finding(out, "machinery_directive_read_as_regulation")


def test_machinery_regulation_before_27_july_2026(classify):
    """Before 27 Jul 2026 Annex I lists Directive 2006/42/EC (Section A point 1), not Regulation
    (EU) 2023/1230 which replaces it: read as the Directive, with a warning."""
    out = classify(machinery("machinery_regulation"), as_of=BEFORE_OMNIBUS)
    assert hr_i("section_a", "machinery") in out.certain
    assert hr_i("section_b", "machinery_regulation") not in out.certain | out.possible
    assert has_finding(out, "machinery_regulation_read_as_directive")


# --- Art 6(1a), 6(1b), 6(1c) ---


def test_6_1a_solely_non_safety_functions(classify):
    """Art 6(1a): a system solely used for non-safety user assistance, performance optimisation,
    service efficiency, automation, convenience or quality control is no safety component, so
    6(1)(a) is not met (from 27 Jul 2026)."""
    description = product(
        ["medical_devices"],
        safety_component_or_product=True,
        third_party_conformity_assessment=True,
        solely_non_safety_functions=True,
    )
    out = classify(description, as_of=OMNIBUS)
    assert not annex_i_conclusions(out)


def test_6_1a_not_before_27_july_2026(classify):
    """Art 6(1a) was inserted by Reg. 2026/1744 Art 1(8); under the 2024 text the stated safety
    component remains one."""
    description = product(
        ["medical_devices"],
        safety_component_or_product=True,
        third_party_conformity_assessment=True,
        solely_non_safety_functions=True,
    )
    out = classify(description, as_of=BEFORE_OMNIBUS)
    assert hr_i("section_a", "medical_devices") in out.certain


def test_6_1a_concerns_safety_components_not_products(classify):
    """Art 6(1a) concerns safety components; an AI system that is itself the product stays
    within Art 6(1)(a)."""
    description = product(
        ["medical_devices"],
        ai_system_is_the_product=True,
        third_party_conformity_assessment=True,
        solely_non_safety_functions=True,
    )
    assert hr_i("section_a", "medical_devices") in classify(description, as_of=OMNIBUS).certain


def test_6_1b_failure_endangers_health_safety(classify):
    """Art 6(1b): notwithstanding 6(1a), a system whose failure or malfunctioning would endanger
    health and safety is a safety component."""
    description = product(
        ["toys"],
        safety_component_or_product=True,
        third_party_conformity_assessment=True,
        solely_non_safety_functions=True,
        failure_endangers_health_safety=True,
    )
    assert hr_i("section_a", "toys") in classify(description, as_of=OMNIBUS).certain


def test_6_1b_alone_makes_safety_component(classify):
    """Art 3(14) as amended, second limb; Art 6(1b): failure endangering health and safety
    suffices for a safety component of the product."""
    out = classify(
        system(
            annex_i={"legislation": ["lifts"], "third_party_conformity_assessment": True},
            safety_component={"failure_endangers_health_safety": True},
        ),
        as_of=OMNIBUS,
    )
    assert hr_i("section_a", "lifts") in out.certain


def test_6_1c_third_party_only_for_non_safety_risks(classify):
    """Art 6(1c): a product that needs third-party assessment solely for risks other than health
    and safety (e.g. radio spectrum) does not fulfil 6(1)(b) (from 27 Jul 2026)."""
    description = product(
        ["radio_equipment"],
        safety_component_or_product=True,
        third_party_conformity_assessment=True,
        third_party_assessment_only_for_non_safety_risks=True,
    )
    assert not annex_i_conclusions(classify(description, as_of=OMNIBUS))
    # Under the 2024 text (before 27 Jul 2026) 6(1)(b) is met by any third-party assessment.
    assert hr_i("section_a", "radio_equipment") in classify(description, as_of=BEFORE_OMNIBUS).certain


def test_safety_function_and_non_safety_use_contradict(classify):
    """Art 3(14) as amended and Art 6(1a): a component cannot both fulfil a safety function and
    be used solely for non-safety aspects; warn, and keep the safety component."""
    out = classify(
        system(
            annex_i={"legislation": ["lifts"], "third_party_conformity_assessment": True},
            safety_component={"fulfils_safety_function": True, "solely_non_safety_functions": True},
        ),
        as_of=OMNIBUS,
    )
    assert has_finding(out, "safety_function_contradicts_non_safety_use")
    assert hr_i("section_a", "lifts") in out.certain


def test_annex_i_unknown_third_party_is_undetermined(classify):
    """Art 6(1)(b): when it is not known whether third-party assessment is required, the
    classification is possible but not certain."""
    out = classify(product(["medical_devices"], safety_component_or_product=True, third_party_conformity_assessment="unknown"))
    assert hr_i("section_a", "medical_devices") in out.possible
