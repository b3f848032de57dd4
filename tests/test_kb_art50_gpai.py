"""Article 50 (transparency) and general-purpose AI (Art. 3(63), 3(66), 51, 52).

Each test states the provision it checks. The expectations are those of the law
(Regulation (EU) 2024/1689 as amended by Regulation (EU) 2026/1744, which changed only
Art. 50(7) and none of Art. 3(63)-(68), 51, 52 or Annex XIII); where the project made an
interpretive choice, the docstring names it (docs/interpretations.d/art50-gpai.md).
"""

from __future__ import annotations

import copy

import pytest

# An AI system within Art. 3(1) (recital 12), in scope, used by a Dutch public authority.
AI_SYSTEM = {
    "activities": ["uses_under_own_authority"],
    "organisation": {"public_authority": True},
    "definition": {
        "machine_based": True,
        "autonomy": True,
        "infers_outputs": True,
        "output_types": ["content"],
        "influences_environment": True,
        "technique": ["machine_learning"],
    },
}

# A general-purpose AI model that the organisation develops and places on the market.
GPAI_MODEL = {
    "activities": ["develops", "places_on_market_own_name"],
    "gpai": {"is_gpai_model": True},
}


def _merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def system(**blocks) -> dict:
    return _merge(AI_SYSTEM, blocks)


def model(**gpai) -> dict:
    return _merge(GPAI_MODEL, {"gpai": gpai})


def holds(outcome, conclusion: str) -> bool:
    return conclusion in outcome.certain


def absent(outcome, conclusion: str) -> bool:
    return conclusion not in outcome.certain and conclusion not in outcome.possible


def undetermined(outcome, conclusion: str) -> bool:
    return conclusion in outcome.possible and conclusion not in outcome.certain


def has_finding(outcome, code: str) -> bool:
    return any(code in str(f) for f in outcome.findings)


T50_1 = 'transparency_obligation("50(1)")'
T50_2 = 'transparency_obligation("50(2)")'
T50_3 = 'transparency_obligation("50(3)")'
T50_4 = 'transparency_obligation("50(4)")'
LIMITED_50_4 = 'transparency_obligation_limited("50(4)")'


# ---------------------------------------------------------------------------
# Art. 50(1) — interaction with natural persons
# ---------------------------------------------------------------------------


def test_50_1_chatbot(classify):
    """Art. 50(1): a system intended to interact directly with natural persons (a chatbot)."""
    out = classify(system(transparency={"interacts_directly_with_natural_persons": True}))
    assert holds(out, T50_1)
    assert holds(out, "ai_system")


def test_50_1_no_interaction(classify):
    """Art. 50(1): no direct interaction with natural persons, no 50(1) obligation."""
    out = classify(system(transparency={"interacts_directly_with_natural_persons": False}))
    assert absent(out, T50_1)


def test_50_1_obvious_chatbot(classify):
    """Art. 50(1), recital 132: not where it is obvious to a reasonably well-informed,
    observant and circumspect natural person that it is an AI system."""
    out = classify(
        system(
            transparency={
                "interacts_directly_with_natural_persons": True,
                "obvious_to_reasonable_person": True,
            }
        )
    )
    assert absent(out, T50_1)


def test_50_1_obvious_unknown(classify):
    """Art. 50(1): whether it is obvious is not known, so the obligation is undetermined."""
    out = classify(
        system(
            transparency={
                "interacts_directly_with_natural_persons": True,
                "obvious_to_reasonable_person": "unknown",
            }
        )
    )
    assert undetermined(out, T50_1)


def test_50_1_law_enforcement_exception(classify):
    """Art. 50(1), second sentence: not for systems authorised by law to detect, prevent,
    investigate or prosecute criminal offences."""
    out = classify(
        system(
            organisation={"public_authority": True, "law_enforcement_authority": True},
            deployment={"for_law_enforcement_purposes": True},
            transparency={
                "interacts_directly_with_natural_persons": True,
                "law_enforcement_authorised": True,
            },
        )
    )
    assert absent(out, T50_1)


def test_50_1_law_enforcement_but_public_reporting(classify):
    """Art. 50(1), second sentence: the exception does not cover systems available for the
    public to report a criminal offence (e.g. a police reporting chatbot)."""
    out = classify(
        system(
            organisation={"public_authority": True, "law_enforcement_authority": True},
            deployment={"for_law_enforcement_purposes": True},
            transparency={
                "interacts_directly_with_natural_persons": True,
                "law_enforcement_authorised": True,
                "available_to_public_for_reporting_crime": True,
            },
        )
    )
    assert holds(out, T50_1)


def test_50_1_not_an_ai_system(classify):
    """Art. 50(1) concerns AI systems (Art. 3(1)): a rule-based system defined solely by
    humans (recital 12) gets no transparency obligation."""
    out = classify(
        system(
            definition={"infers_outputs": False, "rules_defined_solely_by_humans": True},
            transparency={"interacts_directly_with_natural_persons": True},
        )
    )
    assert absent(out, T50_1)


def test_50_1_out_of_scope_military(classify):
    """Art. 2(3): a system used exclusively for military, defence or national-security purposes
    is outside the Act, so Art. 50 does not apply."""
    out = classify(
        system(
            scope={"military_defence_national_security_only": True},
            transparency={"interacts_directly_with_natural_persons": True},
        )
    )
    assert absent(out, T50_1)


def test_50_1_open_source_still_bound(classify):
    """Art. 2(12): the open-source exclusion does not cover 'an AI system that falls under
    Article ... 50'."""
    out = classify(
        system(
            scope={"free_open_source_licence": True},
            transparency={"interacts_directly_with_natural_persons": True},
        )
    )
    assert holds(out, T50_1)


def test_50_before_application_date(classify):
    """Art. 113, second paragraph: Art. 50 applies from 2 August 2026; before that date the
    obligation does not apply yet (interpretation art50-before-application-date: it is
    reported as applying from that date)."""
    out = classify(
        system(transparency={"interacts_directly_with_natural_persons": True}),
        as_of="2026-07-01",
    )
    assert absent(out, T50_1)
    assert holds(out, 'transparency_obligation_from("50(1)",20260802)')


def test_50_on_application_date(classify):
    """Art. 113, second paragraph: applies on 2 August 2026 itself."""
    out = classify(
        system(transparency={"interacts_directly_with_natural_persons": True}),
        as_of="2026-08-02",
    )
    assert holds(out, T50_1)


def test_the_rule_that_a_provision_applies_from_its_date_cites_article_113_as_a_whole():
    """kb/data/dates.lp: `in_force` serves every date of application, so it cites Art. 113, second
    paragraph (the general date) and third paragraph (the exceptions), not point (a) of the third
    paragraph alone, which concerns Chapters I and II only; each date keeps its own point."""
    from aiact_asp.kb import load_kb

    rules = [r for r in load_kb().rules if r.head == "in_force"]
    assert [r.sources for r in rules] == [("Art. 113, second paragraph",
                                           "Art. 113, third paragraph as amended by Reg. 2026/1744 Art. 1(40)")]


# ---------------------------------------------------------------------------
# Art. 50(2) — synthetic content: marking
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["audio", "image", "video", "text"])
def test_50_2_generates_synthetic_content(classify, content):
    """Art. 50(2): providers of systems generating synthetic audio, image, video or text."""
    out = classify(system(transparency={"generates_synthetic_content": [content]}))
    assert holds(out, T50_2)


def test_50_2_no_synthetic_content(classify):
    """Art. 50(2): a system that generates no synthetic content has no marking obligation."""
    out = classify(system(transparency={"generates_synthetic_content": []}))
    assert absent(out, T50_2)


def test_50_2_assistive_standard_editing(classify):
    """Art. 50(2), third sentence; recital 133: not where the system performs an assistive
    function for standard editing (e.g. a spelling and grammar tool)."""
    out = classify(
        system(
            transparency={
                "generates_synthetic_content": ["text"],
                "assistive_standard_editing_only": True,
            }
        )
    )
    assert absent(out, T50_2)


def test_50_2_no_substantial_alteration(classify):
    """Art. 50(2), third sentence: not where the system does not substantially alter the input
    data provided by the deployer or its semantics."""
    out = classify(
        system(
            transparency={
                "generates_synthetic_content": ["text"],
                "no_substantial_alteration_of_input": True,
            }
        )
    )
    assert absent(out, T50_2)


def test_50_2_law_enforcement(classify):
    """Art. 50(2), third sentence: not where authorised by law to detect, prevent,
    investigate or prosecute criminal offences."""
    out = classify(
        system(
            deployment={"for_law_enforcement_purposes": True},
            transparency={
                "generates_synthetic_content": ["image"],
                "law_enforcement_authorised": True,
            },
        )
    )
    assert absent(out, T50_2)


def test_50_2_general_purpose_ai_system(classify):
    """Art. 50(2) ('including general-purpose AI systems'); Art. 3(66)."""
    out = classify(
        system(
            gpai={"is_gpai_system": True, "based_on_gpai_model": True},
            transparency={
                "interacts_directly_with_natural_persons": True,
                "generates_synthetic_content": ["text", "image"],
            },
        )
    )
    assert holds(out, "gpai_system")
    assert holds(out, T50_1)
    assert holds(out, T50_2)


# ---------------------------------------------------------------------------
# Art. 50(3) — emotion recognition and biometric categorisation
# ---------------------------------------------------------------------------


def test_50_3_emotion_recognition(classify):
    """Art. 50(3), Art. 3(39): deployers of an emotion recognition system (emotions inferred
    from biometric data; customers, outside workplace and education, so not Art. 5(1)(f))."""
    out = classify(
        system(
            prohibited_practices={
                "emotion_recognition": {
                    "infers_emotions": True,
                    "based_on_biometric_data": True,
                    "area": ["other"],
                    "subjects": ["customers_or_public"],
                }
            }
        )
    )
    assert holds(out, T50_3)


def test_50_3_text_sentiment_is_not_emotion_recognition(classify):
    """Art. 3(39): emotion recognition is 'on the basis of their biometric data'; sentiment
    analysis of text is not, so no 50(3) obligation."""
    out = classify(
        system(
            prohibited_practices={
                "emotion_recognition": {
                    "infers_emotions": True,
                    "based_on_biometric_data": False,
                    "area": ["other"],
                }
            }
        )
    )
    assert absent(out, T50_3)


def test_50_3_biometric_categorisation(classify):
    """Art. 50(3), Art. 3(40): deployers of a biometric categorisation system."""
    out = classify(
        system(
            prohibited_practices={
                "biometric_categorisation": {"categorises_individuals_on_biometric_data": True}
            }
        )
    )
    assert holds(out, T50_3)


def test_50_3_ancillary_feature_is_not_biometric_categorisation(classify):
    """Art. 3(40), recital 16: not a biometric categorisation system when ancillary to another
    commercial service and strictly necessary for objective technical reasons."""
    out = classify(
        system(
            prohibited_practices={
                "biometric_categorisation": {
                    "categorises_individuals_on_biometric_data": True,
                    "ancillary_feature_strictly_necessary": True,
                }
            }
        )
    )
    assert absent(out, T50_3)


def test_50_3_law_enforcement(classify):
    """Art. 50(3), second sentence: not for systems permitted by law to detect, prevent or
    investigate criminal offences."""
    out = classify(
        system(
            organisation={"public_authority": True, "law_enforcement_authority": True},
            deployment={"for_law_enforcement_purposes": True},
            prohibited_practices={
                "biometric_categorisation": {"categorises_individuals_on_biometric_data": True}
            },
            transparency={"law_enforcement_authorised": True},
        )
    )
    assert absent(out, T50_3)


def test_50_3_alongside_high_risk(classify):
    """Art. 50(6): paragraphs 1-4 apply alongside Chapter III; an emotion recognition system
    listed in Annex III point 1(c) also carries the 50(3) obligation (interpretation
    art50-3-annex-iii-route: the Annex III use case makes it an emotion recognition system)."""
    out = classify(system(annex_iii={"use_cases": ["emotion_recognition"]}))
    assert holds(out, T50_3)


# ---------------------------------------------------------------------------
# Art. 50(4) — deep fakes and public-interest text
# ---------------------------------------------------------------------------


def test_50_4_deepfake_generator(classify):
    """Art. 50(4), first subparagraph; Art. 3(60): deep fakes must be disclosed by the
    deployer; the provider marks the synthetic video (50(2))."""
    out = classify(
        system(transparency={"generates_synthetic_content": ["video"], "deep_fake": True})
    )
    assert holds(out, T50_4)
    assert holds(out, T50_2)
    assert absent(out, LIMITED_50_4)


def test_50_4_artistic_deepfake_still_obliged(classify):
    """Art. 50(4), first subparagraph, third sentence; recital 134: for an evidently artistic,
    creative, satirical or fictional work the obligation is LIMITED to disclosing the existence
    of the generated content in a manner that does not hamper the work - still an obligation."""
    out = classify(
        system(
            transparency={
                "generates_synthetic_content": ["video"],
                "deep_fake": True,
                "evidently_artistic_creative_satirical": True,
            }
        )
    )
    assert holds(out, T50_4)
    assert holds(out, LIMITED_50_4)


def test_50_4_deepfake_law_enforcement(classify):
    """Art. 50(4), first subparagraph, second sentence: not where the use is authorised by law
    to detect, prevent, investigate or prosecute criminal offences."""
    out = classify(
        system(
            deployment={"for_law_enforcement_purposes": True},
            transparency={
                "generates_synthetic_content": ["video"],
                "deep_fake": True,
                "law_enforcement_authorised": True,
            },
        )
    )
    assert absent(out, T50_4)


def test_50_4_deepfake_without_audiovisual_output_finding(classify):
    """Art. 3(60): a deep fake is image, audio or video content; a description with deep_fake
    but only text output is contradictory (warning)."""
    out = classify(
        system(transparency={"generates_synthetic_content": ["text"], "deep_fake": True})
    )
    assert has_finding(out, "art50_deep_fake_without_audiovisual_content")


def test_50_4_public_interest_text(classify):
    """Art. 50(4), second subparagraph: AI-generated text published to inform the public on
    matters of public interest must be disclosed."""
    out = classify(
        system(
            transparency={
                "generates_synthetic_content": ["text"],
                "text_published_on_public_interest_matters": True,
            }
        )
    )
    assert holds(out, T50_4)


def test_50_4_public_interest_text_editorial_responsibility(classify):
    """Art. 50(4), second subparagraph, second sentence: not where the content underwent human
    review or editorial control and a person holds editorial responsibility. The provider's
    marking duty (50(2)) is unaffected."""
    out = classify(
        system(
            transparency={
                "generates_synthetic_content": ["text"],
                "text_published_on_public_interest_matters": True,
                "human_review_editorial_responsibility": True,
            }
        )
    )
    assert absent(out, T50_4)
    assert holds(out, T50_2)


def test_50_4_public_interest_text_law_enforcement(classify):
    """Art. 50(4), second subparagraph, second sentence: law-enforcement exception."""
    out = classify(
        system(
            deployment={"for_law_enforcement_purposes": True},
            transparency={
                "generates_synthetic_content": ["text"],
                "text_published_on_public_interest_matters": True,
                "law_enforcement_authorised": True,
            },
        )
    )
    assert absent(out, T50_4)


def test_50_4_editorial_responsibility_does_not_cover_deep_fakes(classify):
    """Art. 50(4): the human-review exception is in the second subparagraph (text) only; it
    does not lift the deep-fake disclosure of the first subparagraph."""
    out = classify(
        system(
            transparency={
                "generates_synthetic_content": ["video"],
                "deep_fake": True,
                "human_review_editorial_responsibility": True,
            }
        )
    )
    assert holds(out, T50_4)


# ---------------------------------------------------------------------------
# General-purpose AI models — Art. 3(63), 51, 52
# ---------------------------------------------------------------------------


def test_gpai_model_is_not_an_ai_system(classify):
    """Art. 3(63), recital 97: a general-purpose AI model is not an AI system on its own; it
    gets no AI-system or Art. 50 conclusions."""
    out = classify(
        _merge(model(), {"transparency": {"generates_synthetic_content": ["text"]}})
    )
    assert holds(out, "gpai_model")
    assert absent(out, "ai_system")
    assert absent(out, T50_2)
    assert has_finding(out, "art50_input_on_gpai_model")


@pytest.mark.parametrize("flops", ["3.8e25", "3.8e+25", 38000000000000000000000000,
                                   "38000000000000000000000000"])
def test_gpai_systemic_risk_presumed_above_1e25(classify, flops):
    """Art. 51(2): presumed to have high-impact capabilities when cumulative training compute
    is greater than 10^25 FLOPs; 3.8e25 in any notation (spec: 3.8e25, 3.8e+25, in full)."""
    out = classify(model(training_compute_flops=flops))
    assert holds(out, "gpai_model")
    assert holds(out, 'gpai_systemic_risk("51(2)")')


def test_gpai_exactly_1e25_not_presumed(classify):
    """Art. 51(2): 'greater than 10^25' - exactly 10^25 FLOPs does not trigger the presumption."""
    out = classify(model(training_compute_flops="1e25"))
    assert holds(out, "gpai_model")
    assert absent(out, 'gpai_systemic_risk("51(2)")')


def test_gpai_just_above_1e25_presumed(classify):
    """Art. 51(2): 10^25 + 1 FLOPs is greater than 10^25."""
    out = classify(model(training_compute_flops=10**25 + 1))
    assert holds(out, 'gpai_systemic_risk("51(2)")')


def test_gpai_below_threshold(classify):
    """Art. 51(2): 9.9e24 FLOPs is below the threshold; no other ground, no systemic risk."""
    out = classify(model(training_compute_flops="9.9e24"))
    assert holds(out, "gpai_model")
    for ground in ("51(2)", "51(1)(a)", "51(1)(b)"):
        assert absent(out, f'gpai_systemic_risk("{ground}")')


def test_gpai_compute_unknown(classify):
    """Art. 51(2): training compute not known - the presumption is undetermined."""
    out = classify(model(training_compute_flops="unknown"))
    assert undetermined(out, 'gpai_systemic_risk("51(2)")')


def test_gpai_high_impact_capabilities(classify):
    """Art. 51(1)(a), Art. 3(64): high-impact capabilities evaluated with technical tools."""
    out = classify(model(high_impact_capabilities=True, training_compute_flops="5e24"))
    assert holds(out, 'gpai_systemic_risk("51(1)(a)")')
    assert absent(out, 'gpai_systemic_risk("51(2)")')


def test_gpai_commission_designation(classify):
    """Art. 51(1)(b), Annex XIII: Commission designation, whatever the compute."""
    out = classify(model(commission_designated=True, training_compute_flops="1e23"))
    assert holds(out, 'gpai_systemic_risk("51(1)(b)")')


def test_gpai_rebuttal_accepted_presumption(classify):
    """Art. 52(2)-(3): the Commission accepted the provider's arguments that the model,
    although it meets Art. 51(1)(a) (here by the presumption of 51(2)), does not present
    systemic risks: not classified as a model with systemic risk."""
    out = classify(model(training_compute_flops="3.8e25", systemic_risk_rebuttal_accepted=True))
    assert holds(out, "gpai_model")
    assert absent(out, 'gpai_systemic_risk("51(2)")')


def test_gpai_rebuttal_accepted_high_impact(classify):
    """Art. 52(2): the arguments concern a model that 'meets the condition referred to in
    Article 51(1), point (a)' (interpretation gpai-rebuttal-scope)."""
    out = classify(model(high_impact_capabilities=True, systemic_risk_rebuttal_accepted=True))
    assert absent(out, 'gpai_systemic_risk("51(1)(a)")')


def test_gpai_rebuttal_does_not_lift_designation(classify):
    """Art. 52(1), last sentence, 52(4)-(5): a Commission designation under 51(1)(b) is not
    rebutted under 52(2); it has its own reassessment."""
    out = classify(
        model(
            training_compute_flops="3.8e25",
            systemic_risk_rebuttal_accepted=True,
            commission_designated=True,
        )
    )
    assert holds(out, 'gpai_systemic_risk("51(1)(b)")')
    assert absent(out, 'gpai_systemic_risk("51(2)")')


def test_gpai_internal_use_only_keeps_classification(classify):
    """Recital 97: obligations for models do not apply to an own model used purely internally,
    but models with systemic risk 'should always be subject to the relevant obligations';
    the model remains a GPAI model (with systemic risk) (interpretation gpai-internal-use-only)."""
    out = classify(model(model_internal_use_only=True, training_compute_flops="3.8e25"))
    assert holds(out, "gpai_model")
    assert holds(out, 'gpai_systemic_risk("51(2)")')


def test_gpai_model_research_before_market(classify):
    """Art. 3(63): 'except AI models that are used for research, development or prototyping
    activities before they are placed on the market'."""
    out = classify(
        _merge(model(high_impact_capabilities=True),
               {"scope": {"pre_market_research_testing": True}})
    )
    assert absent(out, "gpai_model")
    assert absent(out, 'gpai_systemic_risk("51(1)(a)")')


def test_gpai_classification_before_chapter_v_dates(classify):
    """Art. 51 classifies; Art. 113(b) (2 Aug 2025) and Art. 111(3) govern when the
    obligations apply (interpretation gpai-classification-date): classification stands."""
    out = classify(model(training_compute_flops="3.8e25"), as_of="2025-06-01")
    assert holds(out, 'gpai_systemic_risk("51(2)")')


def test_gpai_business_users_informative(classify):
    """Annex XIII(f): 10 000 registered business users is a criterion for a designation, not a
    classification: no systemic risk without a designation."""
    out = classify(model(registered_business_users_eu=12000, training_compute_flops="1e24"))
    assert absent(out, 'gpai_systemic_risk("51(1)(b)")')
    assert has_finding(out, "annex_xiii_f_business_users_reached")


# ---------------------------------------------------------------------------
# General-purpose AI systems — Art. 3(66), 3(68); modification (recital 109)
# ---------------------------------------------------------------------------


def test_gpai_system_stated(classify):
    """Art. 3(66): an AI system based on a GPAI model that can serve a variety of purposes."""
    out = classify(system(gpai={"is_gpai_system": True, "based_on_gpai_model": True}))
    assert holds(out, "gpai_system")
    assert holds(out, "ai_system")
    assert absent(out, "gpai_model")


def test_gpai_system_general_purpose_intended(classify):
    """Art. 3(66), recital 100: built on a GPAI model and offered for general purposes
    (interpretation gpai-system-variety-of-purposes)."""
    out = classify(
        system(
            gpai={"based_on_gpai_model": True, "model_provider": "third_party"},
            changes={"provider_intended_use_cases": ["general_purpose"]},
        )
    )
    assert holds(out, "gpai_system")


def test_built_on_gpai_model_specific_purpose_is_not_gpai_system(classify):
    """Art. 3(66), 3(68), recital 100: a system with one specific purpose built on a GPAI
    model is an AI system of a downstream provider, not a general-purpose AI system."""
    out = classify(
        system(
            gpai={"based_on_gpai_model": True, "model_provider": "third_party"},
            changes={"provider_intended_use_cases": ["none"]},
        )
    )
    assert absent(out, "gpai_system")


def test_system_on_large_model_is_not_itself_systemic(classify):
    """Art. 51 classifies models, not systems: a system built on a model trained with 2e25
    FLOPs is not a 'general-purpose AI model with systemic risk'."""
    out = classify(
        system(gpai={"based_on_gpai_model": True, "is_gpai_system": True,
                     "training_compute_flops": "2e25"})
    )
    assert holds(out, "gpai_system")
    assert absent(out, 'gpai_systemic_risk("51(2)")')
    assert has_finding(out, "training_compute_above_threshold_not_a_model")


def test_fine_tuning_no_invented_threshold(classify):
    """Recital 109: obligations of a modifier are limited to the modification; the Act sets no
    compute threshold for becoming the provider of a modified model, so none is applied -
    only a warning to assess it (interpretation gpai-modification-no-threshold)."""
    out = classify(
        system(
            gpai={
                "based_on_gpai_model": True,
                "model_provider": "third_party",
                "modifies_model": True,
                "modification_compute_flops": "9e24",
            }
        )
    )
    assert absent(out, "gpai_model")
    assert has_finding(out, "gpai_model_modified")
