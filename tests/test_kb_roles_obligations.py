"""Roles (Art 3(3)-(7), 2(1)(e), 25) and obligations with their dates (Art 4, 5, 6(4), 16-27, 43,
47-50, 53-55, 72, 73, 86; Art 111 and 113) — Regulation (EU) 2024/1689 as amended by Regulation
(EU) 2026/1744.

Each test states what the law says and cites it. Labels: ``role(deployer)``,
``obligation(art26_deployer_duties,deployer)``, ``obligation_applies_from(art26_deployer_duties,20271202)``.
Uses the ``classify`` fixture (tests/conftest.py).
"""

from __future__ import annotations

import copy
import datetime as _dt

from aiact_asp.kb import load_kb
from aiact_asp.obligations import obligations_of

AI_DEFINITION = {
    "machine_based": True,
    "autonomy": True,
    "infers_outputs": True,
    "output_types": ["prediction", "recommendation"],
    "influences_environment": True,
}

# Art 113 as amended by Reg. 2026/1744 Art. 1(40), and Art 111 as amended by Art. 1(39)
CHAPTER_I_II = 20250202  # Art 113(a): Chapters I and II (Art 4, Art 5(1)(a)-(h))
CHAPTER_V = 20250802  # Art 113(b): Chapter V (general-purpose AI models)
GENERAL = 20260802  # Art 113, second paragraph (Art 50)
ART5_BA_BB = 20261202  # Art 113(a) as amended: Art 5(1)(ba), (bb)
ART111_4 = 20261202  # Art 111(4): Art 50(2) for generative systems on the market before 2 Aug 2026
ANNEX_III = 20271202  # Art 113(c)(i) as amended
GPAI_LEGACY = 20270802  # Art 111(3)
ANNEX_I = 20280802  # Art 113(c)(ii) as amended
PUBLIC_LEGACY = 20300802  # Art 111(2), second sentence
ANNEX_X = 20301231  # Art 111(1)

PROVIDER_HIGH_RISK = {
    "art9_risk_management_system", "art10_data_governance", "art11_technical_documentation",
    "art12_record_keeping", "art13_transparency_instructions_for_use", "art14_human_oversight_design",
    "art15_accuracy_robustness_cybersecurity", "art16_b_provider_contact_details",
    "art17_quality_management_system", "art18_documentation_keeping",
    "art19_automatically_generated_logs", "art20_corrective_actions_and_information",
    "art16_k_demonstrate_conformity", "art16_l_accessibility", "art43_conformity_assessment",
    "art47_eu_declaration_of_conformity", "art48_ce_marking", "art72_post_market_monitoring",
    "art73_serious_incident_reporting",
}


def system(**sections) -> dict:
    description = {"definition": copy.deepcopy(AI_DEFINITION)}
    description.update(copy.deepcopy(sections))
    return description


def public_deployer(**sections) -> dict:
    """A Dutch public body using a vendor's product under its own authority."""
    base = {
        "activities": ["uses_under_own_authority"],
        "organisation": {"public_authority": True},
        "supply": {"placed_under_name_of": "vendor"},
    }
    base.update(sections)
    return system(**base)


def private_deployer(**sections) -> dict:
    base = {
        "activities": ["uses_under_own_authority"],
        "organisation": {"public_authority": False},
        "supply": {"placed_under_name_of": "vendor"},
    }
    base.update(sections)
    return system(**base)


# Annex III uses that are high-risk (profiling excludes the Art 6(3) derogation, Art 6(3) last subpara)
HR_5A = {"use_cases": ["public_assistance_eligibility"], "profiling_natural_persons": True}
HR_4A = {"use_cases": ["employment_recruitment_selection"], "profiling_natural_persons": True}
HR_5B = {"use_cases": ["creditworthiness"], "profiling_natural_persons": True}
# Annex III 4(a) derogated under Art 6(3)(d): a preparatory task, no profiling
DEROGATED_4A = {"use_cases": ["employment_recruitment_selection"], "preparatory_task": True}
# Annex I Section A: medical device software with a notified body
MEDICAL_DEVICE = {"legislation": ["medical_devices"], "ai_system_is_the_product": True,
                  "third_party_conformity_assessment": True}


def obligations(out) -> set[str]:
    """The obligation ids that certainly hold."""
    return {c[len("obligation("):].split(",")[0] for c in out.certain if c.startswith("obligation(")}


def obl(ident: str, role: str) -> str:
    return f"obligation({ident},{role})"


def start(ident: str, date: int) -> str:
    return f"obligation_applies_from({ident},{date})"


def applies_now(out, ident: str) -> bool:
    # the conclusions and the assessment date are all obligations_of reads: no need for the rule firings
    items = {i.id: i for i in obligations_of(out.plain, load_kb().directory)}
    return items[ident].applies_now


def iso(date: int) -> str:
    return _dt.date(date // 10000, date // 100 % 100, date % 100).isoformat()


def day_before(date: int) -> str:
    return (_dt.date.fromisoformat(iso(date)) - _dt.timedelta(days=1)).isoformat()


# ===========================================================================
# Roles — Art 3(3)-(7), 2(1)(e)
# ===========================================================================

def test_deployer_uses_under_own_authority(classify):
    """Art 3(4): 'using an AI system under its authority'; a vendor's configured product leaves the
    vendor provider (Art 3(3): placed on the market under the vendor's name)."""
    out = classify(public_deployer())
    assert "role(deployer)" in out.certain
    assert "role(provider)" not in out.possible


def test_personal_non_professional_use_is_no_deployer(classify):
    """Art 3(4): '... except where the AI system is used in the course of a personal non-professional
    activity'; Art 2(10): no deployer obligations."""
    out = classify(system(activities=["uses_under_own_authority"],
                          scope={"personal_non_professional_use": True}))
    assert "role(deployer)" not in out.possible
    assert not obligations(out)


def test_public_body_commissioning_and_putting_into_service_under_own_name_is_provider(classify):
    """Art 3(3): a public authority 'that has an AI system ... developed and ... puts the AI system into
    service under its own name'."""
    out = classify(system(activities=["commissions_development", "puts_into_service_own_name",
                                      "uses_under_own_authority"],
                          organisation={"public_authority": True},
                          supply={"placed_under_name_of": "own_organisation"}))
    assert {"role(provider)", "role(deployer)"} <= out.certain


def test_in_house_development_for_own_use_is_provider(classify):
    """Art 3(3), 3(11): developing a system and using it oneself is putting it into service 'for own use'
    under one's own name."""
    out = classify(system(activities=["develops", "uses_under_own_authority"]))
    assert {"role(provider)", "role(deployer)"} <= out.certain


def test_developing_for_a_vendor_is_not_provider(classify):
    """Art 3(3): the provider places on the market 'under its own name'; a system placed under the
    vendor's name leaves the vendor provider."""
    out = classify(system(activities=["develops"], supply={"placed_under_name_of": "vendor"}))
    assert "role(provider)" not in out.possible


def test_own_name_without_development_is_no_provider_but_a_finding(classify):
    """Art 3(3) needs developing or having developed; own name alone is Art 25(1)(a) territory."""
    out = classify(system(activities=["uses_under_own_authority"],
                          supply={"placed_under_name_of": "own_organisation"}))
    assert "role(provider)" not in out.possible
    assert "own_name_without_development" in out.findings


def test_importer(classify):
    """Art 3(6): established in the Union, places on the market a system bearing the name of a person
    established in a third country."""
    out = classify(system(activities=["imports_from_third_country"],
                          supply={"placed_under_name_of": "vendor", "vendor_established_in_union": False}))
    assert "role(importer)" in out.certain


def test_importer_outside_union_is_no_importer(classify):
    """Art 3(6): 'located or established in the Union'."""
    out = classify(system(activities=["imports_from_third_country"],
                          organisation={"established_in_union": False},
                          supply={"vendor_established_in_union": False}))
    assert "role(importer)" not in out.possible
    assert "importer_not_established_in_union" in out.findings


def test_import_from_provider_in_union_is_a_finding(classify):
    """Art 3(6): the system must bear the name of a person established in a third country."""
    out = classify(system(activities=["imports_from_third_country"],
                          supply={"vendor_established_in_union": True}))
    assert "import_from_provider_established_in_union" in out.findings


def test_distributor_and_not_when_provider(classify):
    """Art 3(7): 'other than the provider or the importer, that makes an AI system available'."""
    out = classify(system(activities=["makes_available_on_market"]))
    assert "role(distributor)" in out.certain
    out = classify(system(activities=["develops", "places_on_market_own_name", "makes_available_on_market"]))
    assert "role(provider)" in out.certain
    assert "role(distributor)" not in out.possible


def test_authorised_representative(classify):
    """Art 3(5): established in the Union, with a written mandate of a provider."""
    out = classify(system(activities=["acts_for_non_eu_provider"]))
    assert "role(authorised_representative)" in out.certain
    out = classify(system(activities=["acts_for_non_eu_provider"], organisation={"established_in_union": False}))
    assert "role(authorised_representative)" not in out.possible
    assert "authorised_representative_not_established_in_union" in out.findings


def test_product_manufacturer(classify):
    """Art 2(1)(e): placing an AI system on the market together with its product under its own name."""
    out = classify(system(activities=["integrates_into_own_product"]))
    assert "role(product_manufacturer)" in out.certain


def test_stated_role_taken_as_given_and_checked(classify):
    """Art 3(3): a stated provider role that the activities do not support is applied but reported."""
    out = classify(system(roles=["provider"], activities=["uses_under_own_authority"],
                          supply={"placed_under_name_of": "vendor"}))
    assert {"role(provider)", "role(deployer)"} <= out.certain
    assert "stated_role_contradicts_activities" in out.findings
    assert "derived_role_not_stated" in out.findings


def test_stated_role_without_activities(classify):
    """A stated role alone is taken as given (Handreiking §2.1 'Rol organisatie')."""
    out = classify(system(roles=["deployer"]))
    assert "role(deployer)" in out.certain
    assert "stated_role_contradicts_activities" not in out.findings


def test_no_role_is_a_finding(classify):
    """Art 3(8): obligations attach to operators; without a role none can be attached."""
    out = classify(system())
    assert "role_not_determined" in out.findings
    assert not obligations(out)


def test_not_an_ai_system_has_no_role_and_no_obligation(classify):
    """Art 3(1): the Regulation does not reach a system that is not an AI system."""
    description = public_deployer(annex_iii=HR_5A)
    description["definition"]["infers_outputs"] = False
    out = classify(description)
    assert not any(c.startswith("role(") for c in out.possible)
    assert not obligations(out)


# ===========================================================================
# Art 25 — becoming a provider of a high-risk AI system
# ===========================================================================

def test_art25_1_a_own_name_on_high_risk_system(classify):
    """Art 25(1)(a): putting one's name on a high-risk system already on the market makes one provider,
    subject to Art 16."""
    out = classify(public_deployer(annex_iii=HR_5A, changes={"own_name_on_existing_system": True}))
    assert "role(provider)" in out.certain
    assert PROVIDER_HIGH_RISK <= obligations(out)


def test_art25_1_a_contract_allocates_otherwise(classify):
    """Art 25(1)(a): 'without prejudice to contractual arrangements stipulating that the obligations are
    otherwise allocated'."""
    out = classify(public_deployer(annex_iii=HR_5A, changes={"own_name_on_existing_system": True,
                                                             "contract_allocates_provider_obligations": True}))
    assert "role(provider)" not in out.possible
    assert "art25_1_a_obligations_allocated_by_contract" in out.findings


def test_art25_1_a_not_for_a_system_that_is_not_high_risk(classify):
    """Art 25(1): 'provider of a high-risk AI system' — own name on a minimal-risk system does not."""
    out = classify(public_deployer(changes={"own_name_on_existing_system": True}))
    assert "role(provider)" not in out.possible


def test_art25_1_b_substantial_modification(classify):
    """Art 25(1)(b), 3(23): a change not foreseen in the initial conformity assessment that affects
    compliance makes the modifier provider."""
    out = classify(public_deployer(annex_iii=HR_5A,
                                   changes={"modification_affects_compliance_or_purpose": True}))
    assert "role(provider)" in out.certain
    out = classify(public_deployer(annex_iii=HR_5A, changes={"substantial_modification": True}))
    assert "role(provider)" in out.certain


def test_art25_1_b_predetermined_change_is_not_substantial(classify):
    """Art 43(4), 3(23): pre-determined changes 'shall not constitute a substantial modification'."""
    out = classify(public_deployer(annex_iii=HR_5A,
                                   changes={"modification_affects_compliance_or_purpose": True,
                                            "modification_predetermined": True}))
    assert "role(provider)" not in out.possible
    out = classify(public_deployer(annex_iii=HR_5A, changes={"substantial_modification": True,
                                                             "modification_predetermined": True}))
    assert "role(provider)" not in out.possible
    assert "substantial_modification_but_predetermined" in out.findings


def test_art25_1_c_changed_intended_purpose(classify):
    """Art 25(1)(c): modifying the intended purpose of a system (including a general-purpose AI system)
    not classified as high-risk so that it becomes high-risk."""
    out = classify(public_deployer(annex_iii=HR_4A, changes={"provider_intended_use_cases": ["general_purpose"]}))
    assert "role(provider)" in out.certain
    assert "obligation(art43_conformity_assessment,provider)" in out.certain


def test_art25_1_c_use_within_provider_purpose(classify):
    """Art 3(12): used for the purpose the provider intended — no change of intended purpose."""
    out = classify(public_deployer(annex_iii=HR_4A,
                                   changes={"provider_intended_use_cases": ["employment_recruitment_selection"]}))
    assert "role(provider)" not in out.possible


def test_art25_1_c_override_and_initial_provider_exclusion(classify):
    """Art 25(1)(c) stated directly; Art 25(2) last subparagraph as amended: the initial provider that
    excluded a high-risk use need not cooperate (finding)."""
    out = classify(public_deployer(annex_iii=HR_4A, changes={"changed_intended_purpose": True,
                                                             "initial_provider_excluded_high_risk_use": True}))
    assert "role(provider)" in out.certain
    assert "new_provider_without_initial_provider_cooperation" in out.findings


def test_art25_purpose_change_of_a_high_risk_system_is_substantial_modification(classify):
    """Art 3(23) 'results in a modification to the intended purpose for which the AI system has been
    assessed'; Art 25(1)(b)."""
    out = classify(public_deployer(annex_iii=HR_5A,
                                   changes={"provider_intended_use_cases": ["employment_recruitment_selection"]}))
    assert "role(provider)" in out.certain


def test_art25_3_product_manufacturer_of_annex_i_section_a_product_is_provider(classify):
    """Art 25(3): the product manufacturer of a Section A product is the provider of the high-risk AI
    system placed on the market with the product under its name; Art 113(c)(ii): from 2 Aug 2028; no
    Art 49(1) registration (Annex III systems only)."""
    out = classify(system(activities=["integrates_into_own_product"], annex_i=MEDICAL_DEVICE))
    assert {"role(product_manufacturer)", "role(provider)"} <= out.certain
    assert PROVIDER_HIGH_RISK <= obligations(out)
    assert "art49_1_registration" not in obligations(out)
    assert start("art43_conformity_assessment", ANNEX_I) in out.certain


def test_art25_3_not_under_the_manufacturers_name(classify):
    """Art 25(3)(a)-(b): only 'under the name or trademark of the product manufacturer'."""
    out = classify(system(activities=["integrates_into_own_product"], annex_i=MEDICAL_DEVICE,
                          supply={"placed_under_name_of": "vendor"}))
    assert "role(provider)" not in out.possible


# ===========================================================================
# Obligations per role and class
# ===========================================================================

def test_public_body_deployer_of_annex_iii_5a(classify):
    """Art 26 (deployer duties), Art 27(1) (body governed by public law), Art 26(8) with 49(3) (public
    authority registers its use), Art 4 (AI literacy); no provider obligations. Art 26(9) (DPIA): the
    system profiles natural persons, and profiling is processing of personal data (Art 3(52), which
    refers to Art 4(4) GDPR), though the description does not say so in so many words."""
    out = classify(public_deployer(annex_iii=HR_5A))
    assert obligations(out) == {"art4_ai_literacy_deployer", "art26_deployer_duties",
                                "art27_fundamental_rights_impact_assessment", "art49_3_register_use",
                                "art26_9_data_protection_impact_assessment"}
    assert obl("art49_3_register_use", "deployer") in out.certain
    assert start("art26_deployer_duties", ANNEX_III) in out.certain
    assert start("art4_ai_literacy_deployer", CHAPTER_I_II) in out.certain


def test_deployer_conditional_duties(classify):
    """Art 26(4) input data under control; 26(6) logs under control; 26(7) workers; 26(9) DPIA;
    26(11) decisions on natural persons; Art 86(1) decisions with legal or similar effects."""
    out = classify(public_deployer(annex_iii=HR_5A, deployment={
        "controls_input_data": True, "controls_logs": True, "workers_affected": True,
        "processes_personal_data": True, "assists_decisions_on_natural_persons": True,
        "decision_has_legal_or_similar_effect": True}))
    assert {"art26_4_input_data", "art26_6_log_keeping", "art26_7_inform_workers",
            "art26_9_data_protection_impact_assessment", "art26_11_inform_natural_persons",
            "art86_right_to_explanation"} <= obligations(out)
    assert start("art86_right_to_explanation", ANNEX_III) in out.certain


def test_art26_11_law_enforcement_follows_directive_2016_680(classify):
    """Art 26(11), second sentence: 'For high-risk AI systems used for law enforcement purposes Article 13
    of Directive (EU) 2016/680 shall apply.'"""
    out = classify(public_deployer(annex_iii=HR_5A, deployment={
        "assists_decisions_on_natural_persons": True, "for_law_enforcement_purposes": True}))
    assert "art26_11_inform_natural_persons" not in obligations(out)


def test_private_deployer_without_public_services_no_fria_no_registration(classify):
    """Art 27(1): only bodies governed by public law, private entities providing public services, and
    points 5(b)-(c); Art 49(3): only public authorities (or on their behalf)."""
    out = classify(private_deployer(annex_iii=HR_4A))
    assert "art26_deployer_duties" in obligations(out)
    assert "art27_fundamental_rights_impact_assessment" not in obligations(out)
    assert "art49_3_register_use" not in obligations(out)


def test_private_entity_providing_public_services_does_fria(classify):
    """Art 27(1): 'deployers that are ... private entities providing public services'."""
    out = classify(private_deployer(annex_iii=HR_4A, organisation={
        "public_authority": False, "private_entity_providing_public_services": True}))
    assert "art27_fundamental_rights_impact_assessment" in obligations(out)


def test_fria_for_annex_iii_5b_by_private_deployer(classify):
    """Art 27(1): '... and deployers of high-risk AI systems referred to in points 5 (b) and (c) of
    Annex III' — whoever they are."""
    out = classify(private_deployer(annex_iii=HR_5B))
    assert "art27_fundamental_rights_impact_assessment" in obligations(out)


def test_on_behalf_of_public_authority_registers_use(classify):
    """Art 49(3): '... deployers that are public authorities ... or persons acting on their behalf'."""
    out = classify(private_deployer(annex_iii=HR_4A, organisation={
        "public_authority": False, "acts_on_behalf_of_public_authority": True}))
    assert "art49_3_register_use" in obligations(out)


def test_annex_iii_point_2_deployer(classify):
    """Art 27(1), 49(3), 86(1) except point 2 of Annex III; Art 26 applies."""
    out = classify(public_deployer(
        annex_iii={"use_cases": ["critical_infrastructure_safety_component"],
                   "critical_infrastructure_sector": ["road_traffic"]},
        safety_component={"fulfils_safety_function": True},
        deployment={"decision_has_legal_or_similar_effect": True}))
    assert 'high_risk(annex_iii,"2")' in out.certain
    assert obligations(out) == {"art4_ai_literacy_deployer", "art26_deployer_duties"}


def test_annex_iii_point_2_provider_registers_nationally(classify):
    """Art 49(1) excludes point 2; Art 49(5): 'shall be registered at national level'."""
    out = classify(system(activities=["develops", "places_on_market_own_name"],
                          annex_iii={"use_cases": ["critical_infrastructure_safety_component"],
                                     "critical_infrastructure_sector": ["water_supply"]},
                          safety_component={"fulfils_safety_function": True}))
    assert "art49_5_national_registration" in obligations(out)
    assert "art49_1_registration" not in obligations(out)


def test_provider_of_high_risk_annex_iii_system(classify):
    """Art 16(a)-(l) with Art 9-15, 17-20, 43, 47, 48, 49(1); Art 72, 73; Art 4; from 2 Dec 2027."""
    out = classify(system(activities=["develops", "places_on_market_own_name"], annex_iii=HR_4A))
    assert obligations(out) == PROVIDER_HIGH_RISK | {"art49_1_registration", "art4_ai_literacy_provider"}
    for ident in PROVIDER_HIGH_RISK:
        assert start(ident, ANNEX_III) in out.certain


def test_provider_established_in_third_country_appoints_authorised_representative(classify):
    """Art 22(1): 'providers established in third countries shall, by written mandate, appoint an
    authorised representative which is established in the Union'."""
    out = classify(system(activities=["develops", "places_on_market_own_name"], annex_iii=HR_4A,
                          organisation={"established_in_union": False}))
    assert "art22_appoint_authorised_representative" in obligations(out)
    out = classify(system(activities=["develops", "places_on_market_own_name"], annex_iii=HR_4A))
    assert "art22_appoint_authorised_representative" not in obligations(out)


def test_provider_of_derogated_annex_iii_system(classify):
    """Art 6(3)(d) derogation: Art 6(4) (document the assessment) and Art 49(2) (register) only, plus
    Art 4; no Chapter III requirements."""
    out = classify(system(activities=["develops", "places_on_market_own_name"], annex_iii=DEROGATED_4A))
    assert 'annex_iii_derogation("4(a)","6(3)(d)")' in out.certain
    assert obligations(out) == {"art4_ai_literacy_provider", "art6_4_document_assessment",
                                "art49_2_register_derogation"}
    assert start("art49_2_register_derogation", ANNEX_III) in out.certain


def test_deployer_of_derogated_annex_iii_system(classify):
    """Art 6(4), 49(2) bind the provider; the deployer of a system that is not high-risk has Art 4 only."""
    out = classify(public_deployer(annex_iii=DEROGATED_4A))
    assert obligations(out) == {"art4_ai_literacy_deployer"}


def test_importer_of_high_risk_system(classify):
    """Art 23 (importers); Art 4 as amended binds providers and deployers only."""
    out = classify(system(activities=["imports_from_third_country"], annex_iii=HR_4A,
                          supply={"placed_under_name_of": "vendor", "vendor_established_in_union": False}))
    assert obligations(out) == {"art23_importer_duties"}
    assert start("art23_importer_duties", ANNEX_III) in out.certain


def test_importer_of_minimal_risk_system_has_no_obligation(classify):
    """Art 23 concerns high-risk AI systems only."""
    out = classify(system(activities=["imports_from_third_country"],
                          supply={"vendor_established_in_union": False}))
    assert not obligations(out)


def test_distributor_of_high_risk_system(classify):
    """Art 24 (distributors)."""
    out = classify(system(activities=["makes_available_on_market"], annex_iii=HR_4A))
    assert obligations(out) == {"art24_distributor_duties"}


def test_authorised_representative_of_high_risk_system(classify):
    """Art 22(3): the authorised representative performs the tasks of the mandate."""
    out = classify(system(activities=["acts_for_non_eu_provider"], annex_iii=HR_4A))
    assert obligations(out) == {"art22_3_authorised_representative_tasks"}


def test_deployer_of_prohibited_practice(classify):
    """Art 5(1)(c): the use is prohibited (from 2 Feb 2025, Art 113(a)); no Chapter III obligations for a
    practice that may not be used."""
    out = classify(public_deployer(prohibited_practices={"social_scoring": {
        "evaluates_persons_over_time_on_social_behaviour_or_characteristics": True,
        "detrimental_treatment_unrelated_context": True}}))
    assert 'prohibited("5(1)(c)")' in out.certain
    assert obligations(out) == {"art4_ai_literacy_deployer", "art5_deployer_prohibited_practice"}
    assert start("art5_deployer_prohibited_practice", CHAPTER_I_II) in out.certain


def test_provider_of_prohibited_practice(classify):
    """Art 5(1): 'the placing on the market, the putting into service' is prohibited."""
    out = classify(system(activities=["develops", "places_on_market_own_name"],
                          prohibited_practices={"facial_recognition_scraping": {
                              "creates_or_expands_facial_recognition_database": True,
                              "untargeted_scraping": True}}))
    assert "art5_provider_prohibited_practice" in obligations(out)


def test_chatbot_provider_and_deployer(classify):
    """Art 50(1) binds the provider ('Providers shall ensure ...'), not the deployer; from 2 Aug 2026."""
    chatbot = {"interacts_directly_with_natural_persons": True}
    out = classify(system(activities=["develops", "places_on_market_own_name"], transparency=chatbot))
    assert obligations(out) == {"art4_ai_literacy_provider", "art50_1_inform_interaction"}
    assert start("art50_1_inform_interaction", GENERAL) in out.certain
    out = classify(public_deployer(transparency=chatbot))
    assert obligations(out) == {"art4_ai_literacy_deployer"}


def test_deep_fake_deployer(classify):
    """Art 50(4): 'Deployers of an AI system that generates or manipulates ... a deep fake, shall
    disclose'."""
    out = classify(public_deployer(transparency={"generates_synthetic_content": ["video"], "deep_fake": True}))
    assert "art50_4_disclose_generated_content" in obligations(out)
    assert "art50_2_mark_synthetic_content" not in obligations(out)


def test_emotion_recognition_deployer_informs_exposed_persons(classify):
    """Art 50(3): deployers of an emotion recognition system inform the persons exposed."""
    out = classify(public_deployer(annex_iii={"use_cases": ["emotion_recognition"]}))
    assert "art50_3_inform_exposed_persons" in obligations(out)


def test_minimal_risk_deployer_has_ai_literacy_only(classify):
    """Art 4 as amended: 'Providers and deployers of AI systems'; nothing else for minimal risk."""
    out = classify(public_deployer())
    assert out.risk_class == "minimal_risk"
    assert obligations(out) == {"art4_ai_literacy_deployer"}


def test_out_of_scope_system_has_no_obligation(classify):
    """Art 2(3): the Regulation does not apply to systems used exclusively for military purposes."""
    out = classify(public_deployer(annex_iii=HR_5A, scope={"military_defence_national_security_only": True}))
    assert 'out_of_scope("2(3)")' in out.certain
    assert not obligations(out)


def test_annex_i_section_b_only_listed_articles(classify):
    """Art 2(2) as amended: for Section B systems 'only Article 6(1), Article 60a and Articles 102 to 112
    shall apply' — no obligations of the operators, not even Art 4."""
    out = classify(system(activities=["integrates_into_own_product", "develops", "places_on_market_own_name"],
                          annex_i={"legislation": ["motor_vehicles"], "safety_component_or_product": True,
                                   "third_party_conformity_assessment": True}))
    assert "high_risk(annex_i_section_b,motor_vehicles)" in out.certain
    assert not obligations(out)
    assert "annex_i_section_b_sectoral_regime" in out.findings


def test_machinery_moves_to_section_b_on_27_july_2026(classify):
    """Reg. 2026/1744 Art 1(41): machinery moves from Section A to Section B (in force 27 Jul 2026,
    Art 4 of 2026/1744); Art 2(2) as amended then leaves no Chapter III obligations. Before: the 2024 text,
    Art 6(1) 'and the corresponding obligations' from 2 Aug 2027 (Art 113(c) 2024 text)."""
    machine = system(activities=["develops", "places_on_market_own_name"],
                     annex_i={"legislation": ["machinery"], "safety_component_or_product": True,
                              "third_party_conformity_assessment": True},
                     safety_component={"fulfils_safety_function": True})
    before = classify(machine, as_of="2026-07-26")
    assert start("art43_conformity_assessment", 20270802) in before.certain
    after = classify(machine, as_of="2026-07-27")
    assert "art43_conformity_assessment" not in obligations(after)


# --- general-purpose AI models ---

GPAI_PROVIDER = {"activities": ["develops", "places_on_market_own_name"]}


def gpai_model(**gpai) -> dict:
    return {**copy.deepcopy(GPAI_PROVIDER), "gpai": {"is_gpai_model": True, **gpai}}


def test_gpai_provider(classify):
    """Art 53(1)(a)-(d); no Art 4 (it binds providers of AI systems); from 2 Aug 2025 (Art 113(b))."""
    out = classify(gpai_model())
    assert obligations(out) == {"art53_1_a_technical_documentation",
                                "art53_1_b_information_for_downstream_providers",
                                "art53_1_c_copyright_policy", "art53_1_d_training_content_summary"}
    assert start("art53_1_c_copyright_policy", CHAPTER_V) in out.certain


def test_gpai_open_source_without_systemic_risk(classify):
    """Art 53(2): points (a) and (b) do not apply to open-source models with public weights; Art 54(6)
    likewise for the authorised representative."""
    out = classify({**gpai_model(open_source_model_public_weights=True),
                    "organisation": {"established_in_union": False}})
    assert obligations(out) == {"art53_1_c_copyright_policy", "art53_1_d_training_content_summary"}


def test_gpai_open_source_with_systemic_risk(classify):
    """Art 53(2), last sentence: 'This exception shall not apply to general-purpose AI models with
    systemic risks'; Art 55(1)(a)-(d)."""
    out = classify(gpai_model(open_source_model_public_weights=True, training_compute_flops="3e25"))
    assert 'gpai_systemic_risk("51(2)")' in out.certain
    assert obligations(out) == {"art53_1_a_technical_documentation",
                                "art53_1_b_information_for_downstream_providers",
                                "art53_1_c_copyright_policy", "art53_1_d_training_content_summary",
                                "art55_1_a_model_evaluation", "art55_1_b_systemic_risk_mitigation",
                                "art55_1_c_serious_incident_reporting", "art55_1_d_cybersecurity"}


def test_gpai_provider_in_third_country_appoints_representative(classify):
    """Art 54(1): providers established in third countries appoint an authorised representative."""
    out = classify({**gpai_model(), "organisation": {"established_in_union": False}})
    assert "art54_appoint_authorised_representative" in obligations(out)


def test_gpai_purely_internal_own_model(classify):
    """Recital 97: model obligations do not apply to an own model used for purely internal processes
    (not with systemic risk)."""
    out = classify(gpai_model(model_internal_use_only=True))
    assert not obligations(out)


# ===========================================================================
# Dates: Art 113 as amended, Art 111 as amended — each boundary, the day before and the day itself
# ===========================================================================

def test_art4_from_2_february_2025(classify):
    """Art 113(a): Chapters I and II (Art 4) apply from 2 Feb 2025."""
    for as_of, now in ((day_before(CHAPTER_I_II), False), (iso(CHAPTER_I_II), True)):
        out = classify(public_deployer(), as_of=as_of)
        assert start("art4_ai_literacy_deployer", CHAPTER_I_II) in out.certain
        assert applies_now(out, "art4_ai_literacy_deployer") is now


def test_art5_from_2_february_2025(classify):
    """Art 113(a): Art 5(1)(a)-(h) from 2 Feb 2025."""
    scoring = public_deployer(prohibited_practices={"social_scoring": {
        "evaluates_persons_over_time_on_social_behaviour_or_characteristics": True,
        "detrimental_treatment_unrelated_context": True}})
    for as_of, now in ((day_before(CHAPTER_I_II), False), (iso(CHAPTER_I_II), True)):
        out = classify(scoring, as_of=as_of)
        assert start("art5_deployer_prohibited_practice", CHAPTER_I_II) in out.certain
        assert applies_now(out, "art5_deployer_prohibited_practice") is now


def test_art5_1_ba_from_2_december_2026(classify):
    """Art 113(a) as amended: Art 5(1)(ba) and 5(1a) apply from 2 Dec 2026; the provider whose system's
    intended purpose is that generation (5(1a)(a)(i)) may not place it on the market from then on."""
    undress = system(activities=["develops", "places_on_market_own_name"],
                     definition={**AI_DEFINITION, "output_types": ["content"]},
                     prohibited_practices={"intimate_imagery": {
                         "generates_realistic_intimate_imagery_of_identifiable_person": True,
                         "intended_purpose": True}})
    before = classify(undress, as_of=day_before(ART5_BA_BB))
    assert 'prohibited_from("5(1)(ba)",20261202)' in before.certain
    assert start("art5_provider_prohibited_practice", ART5_BA_BB) in before.certain
    assert not applies_now(before, "art5_provider_prohibited_practice")
    on = classify(undress, as_of=iso(ART5_BA_BB))
    assert 'prohibited("5(1)(ba)")' in on.certain
    assert start("art5_provider_prohibited_practice", ART5_BA_BB) in on.certain
    assert applies_now(on, "art5_provider_prohibited_practice")


def test_art5_1a_b_deployer_only_when_using_for_that_purpose(classify):
    """Art 5(1a)(b): the use is only prohibited where the deployer uses the system for that purpose."""
    undress = public_deployer(prohibited_practices={"intimate_imagery": {
        "generates_realistic_intimate_imagery_of_identifiable_person": True, "intended_purpose": True}})
    out = classify(undress, as_of=iso(ART5_BA_BB))
    assert "art5_deployer_prohibited_practice" not in obligations(out)


def test_gpai_from_2_august_2025_and_legacy_models(classify):
    """Art 113(b): Chapter V from 2 Aug 2025; Art 111(3): models placed on the market before 2 Aug 2025
    comply by 2 Aug 2027."""
    for as_of, now in ((day_before(CHAPTER_V), False), (iso(CHAPTER_V), True)):
        out = classify({**gpai_model(), "dates": {"placed_on_market": as_of}}, as_of=as_of)
        assert start("art53_1_c_copyright_policy", CHAPTER_V if now else GPAI_LEGACY) in out.certain
    out = classify({**gpai_model(), "dates": {"placed_on_market": day_before(CHAPTER_V)}}, as_of=iso(GPAI_LEGACY))
    assert applies_now(out, "art53_1_c_copyright_policy")
    out = classify({**gpai_model(), "dates": {"placed_on_market": day_before(CHAPTER_V)}},
                   as_of=day_before(GPAI_LEGACY))
    assert not applies_now(out, "art53_1_c_copyright_policy")


def test_art50_from_2_august_2026(classify):
    """Art 113, second paragraph: Art 50 applies from 2 Aug 2026."""
    chatbot = system(activities=["develops", "places_on_market_own_name"],
                     transparency={"interacts_directly_with_natural_persons": True})
    for as_of, now in ((day_before(GENERAL), False), (iso(GENERAL), True)):
        out = classify(chatbot, as_of=as_of)
        assert start("art50_1_inform_interaction", GENERAL) in out.certain
        assert applies_now(out, "art50_1_inform_interaction") is now


def test_art111_4_legacy_generative_systems(classify):
    """Art 111(4): providers of generative systems placed on the market before 2 Aug 2026 comply with
    Art 50(2) by 2 Dec 2026; one placed on the market on 2 Aug 2026 from that date; a system only put
    into service for own use is not 'placed on the market' (Art 3(9), 3(11))."""
    def generator(placed: str, own_use: bool = False) -> dict:
        return system(activities=["develops", "places_on_market_own_name"],
                      definition={**AI_DEFINITION, "output_types": ["content"]},
                      transparency={"generates_synthetic_content": ["image"]},
                      dates={"placed_on_market": placed, "put_into_service_only": own_use})
    out = classify(generator(day_before(GENERAL)))
    assert start("art50_2_mark_synthetic_content", ART111_4) in out.certain
    out = classify(generator(iso(GENERAL)))
    assert start("art50_2_mark_synthetic_content", GENERAL) in out.certain
    out = classify(generator(day_before(GENERAL), own_use=True))
    assert start("art50_2_mark_synthetic_content", GENERAL) in out.certain
    legacy = generator(day_before(GENERAL))
    assert not applies_now(classify(legacy, as_of=day_before(ART111_4)), "art50_2_mark_synthetic_content")
    assert applies_now(classify(legacy, as_of=iso(ART111_4)), "art50_2_mark_synthetic_content")


def test_chapter_iii_annex_iii_from_2_december_2027(classify):
    """Art 113(c)(i) as amended: Chapter III for Annex III systems from 2 Dec 2027."""
    for as_of, now in ((day_before(ANNEX_III), False), (iso(ANNEX_III), True)):
        out = classify(public_deployer(annex_iii=HR_5A), as_of=as_of)
        assert start("art27_fundamental_rights_impact_assessment", ANNEX_III) in out.certain
        assert applies_now(out, "art27_fundamental_rights_impact_assessment") is now


def test_chapter_iii_annex_i_from_2_august_2028(classify):
    """Art 113(c)(ii) as amended: Chapter III for Annex I systems from 2 Aug 2028."""
    device = public_deployer(annex_i=MEDICAL_DEVICE)
    for as_of, now in ((day_before(ANNEX_I), False), (iso(ANNEX_I), True)):
        out = classify(device, as_of=as_of)
        assert start("art26_deployer_duties", ANNEX_I) in out.certain
        assert applies_now(out, "art26_deployer_duties") is now
    out = classify(device)
    assert "art49_3_register_use" not in obligations(out)  # Art 49(3): Annex III systems only
    assert "art27_fundamental_rights_impact_assessment" not in obligations(out)  # Art 27(1): Art 6(2) only


def test_chapter_iii_dates_before_the_amendment(classify):
    """Before Reg. 2026/1744 entered into force (27 Jul 2026, its Art 4) the 2024 text of Art 113 applied:
    Annex III systems from 2 Aug 2026 (second paragraph)."""
    out = classify(public_deployer(annex_iii=HR_5A), as_of="2026-07-26")
    assert start("art26_deployer_duties", 20260802) in out.certain
    out = classify(public_deployer(annex_iii=HR_5A), as_of="2026-07-27")
    assert start("art26_deployer_duties", ANNEX_III) in out.certain


def test_derogation_duties_from_2_december_2027(classify):
    """Art 6(4) is in Chapter III Section 1 (Art 113(c)(i) as amended); the Art 49(2) registration rests
    on it."""
    out = classify(system(activities=["develops", "places_on_market_own_name"], annex_iii=DEROGATED_4A),
                   as_of=day_before(ANNEX_III))
    assert start("art6_4_document_assessment", ANNEX_III) in out.certain
    assert not applies_now(out, "art6_4_document_assessment")


# --- Art 111(2): high-risk systems already on the market ---

def vendor_system(placed: str, public: bool, **extra) -> dict:
    base = public_deployer(annex_iii=HR_4A) if public else private_deployer(annex_iii=HR_4A)
    base["dates"] = {"placed_on_market": placed, **extra}
    return base


def test_art111_2_placed_before_chapter_iii_date_not_under_the_act(classify):
    """Art 111(2) as amended: a high-risk system placed on the market before the Chapter III date (for
    Annex III: 2 Dec 2027) comes under the Regulation only after a significant change in design; no
    Chapter III obligation, a finding instead. Art 4 is not a provision on high-risk systems."""
    out = classify(vendor_system(day_before(ANNEX_III), public=False))
    assert obligations(out) == {"art4_ai_literacy_deployer"}
    assert "art111_2_high_risk_obligations_not_applicable" in out.findings


def test_art111_2_placed_on_the_chapter_iii_date(classify):
    """Art 111(2): 'before the date of application' — a system placed on that date is not a legacy system."""
    out = classify(vendor_system(iso(ANNEX_III), public=False))
    assert start("art26_deployer_duties", ANNEX_III) in out.certain
    assert "art111_2_high_risk_obligations_not_applicable" not in out.findings


def test_art111_2_public_authorities_by_2_august_2030(classify):
    """Art 111(2), second sentence: 'In any case, the providers and deployers of high-risk AI systems
    intended to be used by public authorities shall ... comply ... by 2 August 2030'."""
    description = vendor_system(day_before(ANNEX_III), public=True)
    out = classify(description)
    assert start("art26_deployer_duties", PUBLIC_LEGACY) in out.certain
    assert not applies_now(classify(description, as_of=day_before(PUBLIC_LEGACY)), "art26_deployer_duties")
    assert applies_now(classify(description, as_of=iso(PUBLIC_LEGACY)), "art26_deployer_duties")


def test_art111_2_intended_deployers_stated_by_vendor(classify):
    """Art 111(2): 'intended to be used by public authorities' — as stated in `intended_deployers`."""
    description = vendor_system(day_before(ANNEX_III), public=False)
    description["intended_deployers"] = ["public_authority"]
    description["annex_iii"] = HR_5A
    out = classify(description)
    assert start("art26_deployer_duties", PUBLIC_LEGACY) in out.certain


def test_art111_2_public_deadline_not_for_importers(classify):
    """Art 111(2), second sentence names 'the providers and deployers' only."""
    out = classify(system(activities=["imports_from_third_country"], annex_iii=HR_4A,
                          intended_deployers=["public_authority"],
                          supply={"vendor_established_in_union": False},
                          dates={"placed_on_market": day_before(ANNEX_III)}))
    assert "art23_importer_duties" not in obligations(out)


def test_art111_2_significant_change(classify):
    """Art 111(2): 'only if, as from that date, those systems are subject to significant changes in their
    designs' — a change the day before the Chapter III date does not count, a change on it does."""
    out = classify(vendor_system(day_before(ANNEX_III), public=False,
                                 significant_change=day_before(ANNEX_III)))
    assert "art26_deployer_duties" not in obligations(out)
    out = classify(vendor_system(day_before(ANNEX_III), public=False, significant_change=iso(ANNEX_III)))
    assert start("art26_deployer_duties", ANNEX_III) in out.certain
    out = classify(vendor_system("2020-01-01", public=True, significant_change="2029-01-01"))
    assert start("art26_deployer_duties", 20290101) in out.certain  # earlier than 2 Aug 2030


def test_art111_2_annex_i_cutoff_is_2_august_2028(classify):
    """Art 111(2) as amended, for Annex I systems: the Chapter III date of Art 113(c)(ii), 2 Aug 2028."""
    out = classify(public_deployer(annex_i=MEDICAL_DEVICE, organisation={"public_authority": False},
                                   dates={"placed_on_market": "2028-08-01"}))
    assert "art26_deployer_duties" not in obligations(out)
    out = classify(public_deployer(annex_i=MEDICAL_DEVICE, organisation={"public_authority": False},
                                   dates={"placed_on_market": "2028-08-02"}))
    assert start("art26_deployer_duties", ANNEX_I) in out.certain


def test_art111_1_annex_x_components(classify):
    """Art 111(1): components of Annex X large-scale IT systems placed on the market before 2 Aug 2027
    are brought into compliance by 31 Dec 2030 (the whole Regulation, Art 5 aside); one placed on
    2 Aug 2027 is not, and falls under Art 111(2) (placed before 2 Dec 2027; public authority: 2030)."""
    migration = {"use_cases": ["migration_risk_assessment"], "profiling_natural_persons": True}
    out = classify(public_deployer(annex_iii=migration, annex_x_system=["etias"],
                                   dates={"placed_on_market": "2027-08-01"}))
    assert start("art26_deployer_duties", ANNEX_X) in out.certain
    assert start("art4_ai_literacy_deployer", ANNEX_X) in out.certain
    legacy = public_deployer(annex_iii=migration, annex_x_system=["etias"],
                             dates={"placed_on_market": "2027-08-01"})
    assert not applies_now(classify(legacy, as_of=day_before(ANNEX_X)), "art26_deployer_duties")
    assert applies_now(classify(legacy, as_of=iso(ANNEX_X)), "art26_deployer_duties")
    out = classify(public_deployer(annex_iii=migration, annex_x_system=["etias"],
                                   dates={"placed_on_market": "2027-08-02"}))
    assert start("art26_deployer_duties", PUBLIC_LEGACY) in out.certain
    assert start("art4_ai_literacy_deployer", CHAPTER_I_II) in out.certain


def test_placed_on_market_date_missing_for_system_in_use(classify):
    """Art 111(2): the date decides whether the grace period applies; a system in use without it is
    reported and given the ordinary dates."""
    description = public_deployer(annex_iii=HR_5A, status="in_use")
    out = classify(description)
    assert "placed_on_market_date_missing" in out.findings
    assert start("art26_deployer_duties", ANNEX_III) in out.certain


def test_art26_10_post_remote_biometric_identification(classify):
    """Art 26(10): the deployer of a high-risk system for post-remote biometric identification
    (Annex III 1(a)) in a criminal investigation requests authorisation; not for real-time use
    (Art 5(1)(h)) and not outside law enforcement."""
    rbi = {"use_cases": ["remote_biometric_identification"]}
    out = classify(public_deployer(annex_iii=rbi, organisation={"public_authority": True,
                                                                "law_enforcement_authority": True},
                                   deployment={"for_law_enforcement_purposes": True}))
    assert "art26_10_post_remote_biometric_identification" in obligations(out)
    out = classify(public_deployer(annex_iii=rbi))
    assert "art26_10_post_remote_biometric_identification" not in obligations(out)


def test_authorised_representative_of_gpai_model(classify):
    """Art 54(3): the authorised representative of a model provider performs the tasks of the mandate;
    Art 54(6): not for open-source models without systemic risk."""
    out = classify({"activities": ["acts_for_non_eu_provider"], "gpai": {"is_gpai_model": True}})
    assert obligations(out) == {"art54_3_authorised_representative_tasks"}
    out = classify({"activities": ["acts_for_non_eu_provider"],
                    "gpai": {"is_gpai_model": True, "open_source_model_public_weights": True}})
    assert not obligations(out)


def test_gpai_model_has_no_deployer(classify):
    """Art 3(4): a deployer uses an AI system; a model is not an AI system (recital 97)."""
    out = classify({"roles": ["deployer"], "gpai": {"is_gpai_model": True}})
    assert "role(deployer)" not in out.possible
    assert "stated_role_not_applicable_to_gpai_model" in out.findings


def test_dpia_follows_from_personal_data_or_from_profiling(classify):
    """Art 26(9): the DPIA duty where the system processes personal data; a system that profiles
    natural persons does (Art 3(52): profiling as in Art 4(4) GDPR, 'automated processing of personal
    data'); a derogated Annex III system without profiling or personal data has no such duty."""
    stated = classify(public_deployer(annex_iii={"use_cases": ["public_assistance_eligibility"]},
                                      deployment={"processes_personal_data": True}))
    assert "art26_9_data_protection_impact_assessment" in obligations(stated)
    profiling = classify(public_deployer(annex_iii=HR_4A))
    assert "art26_9_data_protection_impact_assessment" in obligations(profiling)
    neither = classify(public_deployer(annex_iii={"use_cases": ["public_assistance_eligibility"]}))
    assert "art26_9_data_protection_impact_assessment" not in obligations(neither)
