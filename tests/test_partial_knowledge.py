"""Partial knowledge: certain and possible outcomes, the open questions that matter, and the
questionnaire (``aiact-asp ask``). The expected outcomes are derived from the law (cited per case)."""

from __future__ import annotations

import datetime as _dt
import io
import json
from pathlib import Path

import clingo
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from aiact_asp import engine
from aiact_asp.api import classify_descriptions
from aiact_asp.cli import main
from aiact_asp.facts import build_facts
from aiact_asp.kb import load_kb
from aiact_asp.loader import parse_text
from aiact_asp.questionnaire import DescriptionFile, Session, Stop, parse_reply
from aiact_asp.vocabulary import UNKNOWN, load_vocabulary

AS_OF = _dt.date(2026, 11, 30)
AI = {"machine_based": True, "autonomy": True, "infers_outputs": True, "output_types": ["recommendation"],
      "influences_environment": True}
RECRUITMENT = {"activities": ["uses_under_own_authority"], "organisation": {"public_authority": True}, "definition": AI}


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.fixture(scope="module")
def vocabulary(kb):
    return load_vocabulary(kb.directory / "vocabulary.yaml")


def _yaml(description: dict) -> str:
    stream = io.StringIO()
    YAML().dump(description, stream)
    return stream.getvalue()


def descriptions(vocabulary, *items: dict):
    text = _yaml({"systems": [dict(item) for item in items]})
    found, errors = parse_text(text, "<test>", vocabulary)
    assert not errors, errors
    return found


def classify(kb, vocabulary, description: dict, open_world: str | None = None):
    found = descriptions(vocabulary, {"id": "s", **description})
    return classify_descriptions(found, kb, vocabulary, AS_OF, open_world=open_world).results[0]


def question_keys(result, together: bool | None = False) -> set[str]:
    return {q.key for q in result.open_questions if together is None or q.together == together}


# --------------------------------------------------------------------------------------------
# Certain, possible and the open questions, derived from the law

CASES = {
    # Annex III 4(a) recruitment with a 6(3)(d) preparatory task: the derogation applies unless
    # the system profiles natural persons (Art. 6(3), last subparagraph) — profiling unknown.
    "recruitment, profiling unknown": (
        {**RECRUITMENT, "annex_iii": {"use_cases": ["employment_recruitment_selection"],
                                      "profiling_natural_persons": UNKNOWN, "preparatory_task": True}},
        None, ["high_risk", "minimal_risk"], {"ai_system", "in_scope"},
        {'high_risk(annex_iii,"4(a)")', 'annex_iii_derogation("4(a)","6(3)(d)")'},
        {"annex_iii.profiling_natural_persons"}),
    # With profiling the system is always high-risk, whatever the derogation (Art. 6(3), last subparagraph).
    "recruitment, profiling, derogation unknown": (
        {**RECRUITMENT, "annex_iii": {"use_cases": ["employment_recruitment_selection"],
                                      "profiling_natural_persons": True, "preparatory_task": UNKNOWN}},
        "high_risk", ["high_risk"], {'high_risk(annex_iii,"4(a)")', "risk_class(high_risk)"}, set(), set()),
    # Art. 5(1)(f): emotion recognition at the workplace, "except where ... for medical or safety
    # reasons" — unknown. Otherwise an emotion recognition system with an Art. 50(3) duty.
    "emotion recognition at work, medical or safety reasons unknown": (
        {"definition": AI, "prohibited_practices": {"emotion_recognition": {
            "infers_emotions": True, "area": ["workplace"], "subjects": ["workers_or_candidates"],
            "medical_or_safety_reasons": UNKNOWN}}},
        None, ["prohibited", "limited_risk"], {"ai_system", 'transparency_obligation("50(3)")'},
        {'prohibited("5(1)(f)")'}, {"prohibited_practices.emotion_recognition.medical_or_safety_reasons"}),
    # Art. 3(63) and 51(2): a general-purpose AI model; systemic risk is presumed above 10^25 FLOP
    # of training compute — unknown.
    "GPAI model, training compute unknown": (
        {"gpai": {"is_gpai_model": True, "training_compute_flops": UNKNOWN}},
        None, ["gpai_model_systemic_risk", "gpai_model"], {"gpai_model", "in_scope"},
        {'gpai_systemic_risk("51(2)")'}, {"gpai.training_compute_flops"}),
    # Art. 2(3): the Act does not apply to systems used exclusively for military, defence or
    # national-security purposes — unknown for a recruitment tool.
    "AI system, exclusively military use unknown": (
        {"definition": AI, "annex_iii": {"use_cases": ["employment_recruitment_selection"]},
         "scope": {"military_defence_national_security_only": UNKNOWN}},
        None, ["high_risk", "out_of_scope"], {"ai_system"}, {'high_risk(annex_iii,"4(a)")', 'out_of_scope("2(3)")', "in_scope"},
        {"scope.military_defence_national_security_only"}),
    # Art. 3(1): inference decides whether a chatbot is an AI system; if it is, Art. 50(1) applies.
    "chatbot, inference unknown": (
        {"definition": {**AI, "infers_outputs": UNKNOWN, "output_types": ["content"]},
         "transparency": {"interacts_directly_with_natural_persons": True}},
        None, ["limited_risk", "not_ai_system"], set(), {"ai_system", 'transparency_obligation("50(1)")'},
        {"definition.infers_outputs"}),
    # Annex III 5(b): creditworthiness, "with the exception of AI systems used for the purpose of
    # detecting financial fraud" — unknown.
    "creditworthiness, fraud detection unknown": (
        {"definition": AI, "annex_iii": {"use_cases": ["creditworthiness"], "financial_fraud_detection": UNKNOWN}},
        None, ["high_risk", "minimal_risk"], {"ai_system", "in_scope"}, {'high_risk(annex_iii,"5(b)")'},
        {"annex_iii.financial_fraud_detection"}),
    # Art. 50(4): a deep fake must be disclosed; for an evidently artistic, creative or satirical
    # work the duty is limited. The risk class is certain, a conclusion is not.
    "deep fake, artistic work unknown": (
        {"definition": {**AI, "output_types": ["content"]},
         "transparency": {"generates_synthetic_content": ["video"], "deep_fake": True,
                          "evidently_artistic_creative_satirical": UNKNOWN}},
        "limited_risk", ["limited_risk"], {'transparency_obligation("50(4)")', "risk_class(limited_risk)"},
        {'transparency_obligation_limited("50(4)")'}, {"transparency.evidently_artistic_creative_satirical"}),
    # Art. 5(1)(c): social scoring is prohibited when it leads to (i) unrelated-context or (ii)
    # unjustified or disproportionate detrimental treatment — both unknown, each decides alone.
    "social scoring, both detriments unknown": (
        {"definition": AI, "prohibited_practices": {"social_scoring": {
            "evaluates_persons_over_time_on_social_behaviour_or_characteristics": True,
            "detrimental_treatment_unrelated_context": UNKNOWN,
            "detrimental_treatment_unjustified_or_disproportionate": UNKNOWN}}},
        None, ["prohibited", "minimal_risk"], {"ai_system"}, {'prohibited("5(1)(c)")'},
        {"prohibited_practices.social_scoring.detrimental_treatment_unrelated_context",
         "prohibited_practices.social_scoring.detrimental_treatment_unjustified_or_disproportionate"}),
    # Not machine-based, so not an AI system (Art. 3(1)): whether it profiles cannot matter.
    "not an AI system, profiling unknown": (
        {"definition": {"machine_based": False}, "annex_iii": {"use_cases": ["employment_recruitment_selection"],
                                                               "profiling_natural_persons": UNKNOWN}},
        "not_ai_system", ["not_ai_system"], {"risk_class(not_ai_system)"}, set(), set()),
    # A GPAI model below the threshold: when it was placed on the market changes nothing here.
    "GPAI model under the threshold, date unknown": (
        {"gpai": {"is_gpai_model": True, "training_compute_flops": "1e24"}, "dates": {"placed_on_market": UNKNOWN}},
        "gpai_model", ["gpai_model"], {"gpai_model", "risk_class(gpai_model)"}, set(), set()),
}


@pytest.mark.parametrize("name", list(CASES))
def test_undetermined_outcomes_and_open_questions(kb, vocabulary, name):
    description, risk_class, possible_classes, certain, undetermined, questions = CASES[name]
    result = classify(kb, vocabulary, description)
    assert result.risk_class == (risk_class or "undetermined")
    assert result.possible_risk_classes == possible_classes  # listed from prohibited down (engine.RISK_ORDER)
    assert certain <= result.labels(True)
    assert undetermined <= result.labels(False), result.labels(False)
    assert not undetermined & result.labels(True)
    assert question_keys(result, together=None) == questions


def test_an_answer_settles_the_recruitment_tool(kb, vocabulary):
    description = CASES["recruitment, profiling unknown"][0]
    result = classify(kb, vocabulary, description)
    (question,) = result.open_questions
    effects = {e.value: e for e in question.answers}
    labels = {value: {str(a) for a in effects[value].rules_out} for value in ("true", "false")}
    assert 'risk_class("s",minimal_risk)' in labels["true"]
    assert 'risk_class("s",high_risk)' in labels["false"]
    assert question.risk_classes_at_least == 1
    assert question.settles_at_least >= 2


def test_ranking_puts_the_most_decisive_first(kb, vocabulary):
    # Whether the system is machine-based decides AI-ness and hence every class; whether a
    # recruitment tool profiles only decides between high and minimal risk.
    result = classify(kb, vocabulary, {**RECRUITMENT, "definition": {**AI, "machine_based": UNKNOWN},
                                       "annex_iii": {"use_cases": ["employment_recruitment_selection"],
                                                     "profiling_natural_persons": UNKNOWN, "preparatory_task": True}})
    keys = [q.key for q in result.open_questions]
    assert keys == ["definition.machine_based", "annex_iii.profiling_natural_persons"]
    assert result.open_questions[0].rank_key < result.open_questions[1].rank_key


def test_list_key_names_the_values_that_matter(kb, vocabulary):
    result = classify(kb, vocabulary, {"definition": AI, "annex_iii": {"use_cases": UNKNOWN}})
    (question,) = result.open_questions
    assert question.key == "annex_iii.use_cases"
    assert "employment_recruitment_selection" in question.values
    # Annex III 5(a) covers only use by or on behalf of public authorities, 6 and 7 only
    # (law-enforcement and migration) authorities: not this organisation.
    assert "public_assistance_eligibility" not in question.values
    assert "law_enforcement_profiling" not in question.values


def test_facts_that_matter_only_together(kb, vocabulary):
    # Art. 2(3) needs exclusively military use AND no law-enforcement use: with both unknown,
    # and another route out of scope open, neither answer alone changes what is possible.
    result = classify(kb, vocabulary, {"definition": AI, "annex_iii": {"use_cases": ["employment_recruitment_selection"]},
                                       "scope": {"military_defence_national_security_only": UNKNOWN,
                                                 "scientific_research_sole_purpose": UNKNOWN},
                                       "deployment": {"for_law_enforcement_purposes": UNKNOWN}})
    assert question_keys(result, together=False) == {"scope.scientific_research_sole_purpose"}
    assert question_keys(result, together=True) == {"scope.military_defence_national_security_only",
                                                    "deployment.for_law_enforcement_purposes"}
    together = [q for q in result.open_questions if q.together]
    assert all(not q.answers and q.outcomes for q in together)
    assert [q.together for q in result.open_questions] == sorted(q.together for q in result.open_questions)


# --------------------------------------------------------------------------------------------
# Exactness and independence of systems


def _summary(found: dict) -> dict:
    return {system: [(q.key, q.values, q.rank_key, [(e.value, e.rules_out, e.makes_certain) for e in q.answers])
                     for q in questions] for system, questions in found.items()}


@pytest.mark.slow
def test_by_answer_and_by_outcome_agree_and_match_brute_force(kb, vocabulary, monkeypatch):
    found = descriptions(vocabulary, {"id": "g", "gpai": {"is_gpai_model": True}})
    grounding = engine.ground(found, kb, vocabulary, AS_OF, open_world="sections")
    monkeypatch.setattr(engine, "ANSWER_COST", 0)  # always by answer
    by_answer = _summary(grounding.open_questions(together=False))
    monkeypatch.setattr(engine, "ANSWER_COST", 10 ** 9)  # always by outcome
    by_outcome = _summary(grounding.open_questions(together=False))
    assert by_answer == by_outcome and by_answer["g"]
    # brute force: brave and cautious consequences under every answer of every open fact, on the
    # rules without their rule-firing records (the same conclusions, see test_kbcache; the models
    # are a fraction of the size: several times faster)
    facts = build_facts(found, vocabulary, AS_OF, "sections")
    from aiact_asp.questions import undetermined_outcomes
    undetermined = undetermined_outcomes(grounding.cautious, grounding.brave)["g"]
    plain = engine.ground(found, kb, vocabulary, AS_OF, open_world="sections", firings=False)
    assert undetermined_outcomes(plain.cautious, plain.brave)["g"] == undetermined
    relevant = set()
    for fact in facts.open:
        for _, answers in fact.parts:
            for answer in answers:
                cautious, brave = engine._consequences(plain.control, facts, list(answer.assumptions))
                if undetermined - brave or undetermined & cautious:
                    relevant.add(fact.key)
    assert relevant == {key for key, *_ in by_answer["g"]}


@pytest.mark.slow
def test_by_cone_and_by_twins_agree_on_a_skeleton(kb, vocabulary, monkeypatch):
    # every legal fact open (as an imported register entry): the quick way by outcome (one
    # system at a time, only the answers in the cone of each outcome) gives what the way by the
    # twins of the open atoms gives, answer for answer
    found = descriptions(vocabulary, {"id": "k", "status": "in_use"}, {"id": "m", "organisation": {"public_authority": True}})
    grounding = engine.ground(found, kb, vocabulary, AS_OF, open_world="keys", firings=False)
    monkeypatch.setattr(engine, "ANSWER_COST", 10 ** 9)  # always by outcome
    from aiact_asp import questions
    used, original = [], questions.by_cone
    monkeypatch.setattr(questions, "by_cone", lambda *args: used.append(original(*args)) or used[-1])
    by_cone = _summary(grounding.open_questions(together=False))
    assert len(used) == 2 and None not in used  # the rules are a function of the inputs
    monkeypatch.setattr(engine.Grounding, "_by_cone", lambda *_: None)  # as for rules that are not a function of the inputs
    by_twins = _summary(grounding.open_questions(together=False))
    assert by_cone == by_twins and by_cone["k"] and by_cone["m"]


@pytest.mark.slow
def test_quick_open_questions_are_the_same_questions(kb, vocabulary):
    # the inventory's quick way leaves out of the search for facts that matter only together
    # those outside the cone of every undetermined outcome: the same questions, in the same order
    found = descriptions(vocabulary, {"id": "k", "status": "in_use", "organisation": {"public_authority": True}})

    def questions(**options):
        grounding = engine.ground(found, kb, vocabulary, AS_OF, open_world="keys", firings=False)
        return [(q.key, q.together, q.rank_key, q.values, [(e.value, e.rules_out, e.makes_certain) for e in q.answers],
                 bool(q.outcomes) == q.together) for q in grounding.open_questions(**options)["k"]]

    slow, quick = questions(), questions(quick=True)
    assert quick == slow and any(item[1] for item in slow) and all(item[-1] for item in slow)


def test_input_cones_only_for_a_function_of_the_inputs():
    import clingo

    from aiact_asp.questions import ProgramShape, input_cones

    def cones(program: str) -> dict[str, int] | None:
        control = clingo.Control(["--warn=none"])
        shape = ProgramShape()
        control.register_observer(shape)
        control.add("base", [], program)
        control.ground([("base", [])])
        atoms = {str(a.symbol): a.literal for a in control.symbolic_atoms}
        found = input_cones(shape, {atoms[name]: unit for unit, names in enumerate([["i"], ["j"], ["e1", "e2"]])
                                    for name in names})
        return None if found is None else {name: found.get(atom, 0) for name, atom in atoms.items()}

    inputs = "{i}. {j}. 1 {e1; e2} 1.\n"
    found = cones(inputs + "a :- i, not j. b :- a. b :- b, e2. c :- not b. d :- 1 #count { 1 : e1 }.")
    assert found is not None
    assert (found["a"], found["b"], found["c"], found["d"]) == (0b011, 0b111, 0b111, 0b100)
    # an equivalent program: f holds whatever the inputs, k never; h :- i, j adds nothing to h :- i
    found = cones(inputs + "f :- i. f. g :- f, j. h :- i. h :- i, j. k :- z, i. l :- not k, e1. #external z.")
    assert found is None  # an external atom: not a function of the inputs
    found = cones(inputs + "f :- i. f. g :- f, j. h :- i. h :- i, j. k :- z, i. l :- not k, e1.")
    assert (found.get("f", 0), found["g"], found["h"], found["l"]) == (0, 0b010, 0b001, 0b100)
    assert cones(inputs + "a :- not b, i. b :- not a.") is None  # a cycle through negation
    assert cones(inputs + ":- i, j.") is None  # a constraint across two inputs
    assert cones(inputs + "i :- j.") is None  # an input derived by a rule
    assert cones(inputs + "a | b :- i.") is None  # a disjunction
    assert cones(inputs + "{a} :- i.") is None  # a choice that is not an input
    assert cones(inputs + "a :- i. #minimize { 1 : a }.") is None


def test_systems_solved_together_get_their_own_questions(kb, vocabulary):
    items = [{"id": f"s{i}", **CASES[name][0]} for i, name in enumerate(list(CASES)[:6])]
    together = classify_descriptions(descriptions(vocabulary, *items), kb, vocabulary, AS_OF).results
    for item, result in zip(items, together):
        alone = classify_descriptions(descriptions(vocabulary, item), kb, vocabulary, AS_OF).results[0]
        assert question_keys(result, None) == question_keys(alone, None)
        assert [(q.key, q.rank_key) for q in result.open_questions] == [(q.key, q.rank_key) for q in alone.open_questions]
        assert result.labels(True) == alone.labels(True) and result.labels(None) == alone.labels(None)


# --------------------------------------------------------------------------------------------
# --open-world


def test_open_world_leaves_open_the_sections_not_answered(kb, vocabulary):
    result = classify(kb, vocabulary, {"definition": AI, "annex_iii": {"use_cases": ["employment_recruitment_selection"]}},
                      open_world="sections")
    assert "prohibited_practices.emotion_recognition.infers_emotions" in result.left_open
    assert "gpai.is_gpai_model" in result.left_open
    assert "definition.adaptiveness" not in result.left_open          # its section is answered
    assert "annex_iii.profiling_natural_persons" not in result.left_open
    assert "organisation.established_in_union" not in result.left_open  # has a default
    assert result.unknown_keys == []
    assert "prohibited" in result.possible_risk_classes and "high_risk" in result.possible_risk_classes
    closed = classify(kb, vocabulary, {"definition": AI, "annex_iii": {"use_cases": ["employment_recruitment_selection"]}})
    assert closed.risk_class == "high_risk" and closed.left_open == [] and closed.open_questions == []


def test_open_world_on_the_command_line(tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text("id: cv\ndefinition: {machine_based: true, autonomy: true, infers_outputs: true, "
                    "output_types: [recommendation], influences_environment: true}\n"
                    "annex_iii: {use_cases: [employment_recruitment_selection]}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(path), "--open-world", "--format", "json", "--as-of", "2026-11-30"])
    assert result.exit_code == 0, result.output
    system = json.loads(result.output)["systems"][0]
    assert system["risk_class"] == "undetermined"
    assert system["left_open"] and system["open_questions"]
    help_text = CliRunner().invoke(main, ["solve", "--help"]).output
    assert "--open-world" in help_text and "section" in help_text


# --------------------------------------------------------------------------------------------
# Reports


def test_json_fields(tmp_path):
    path = tmp_path / "rec.yaml"
    path.write_text(_yaml({"id": "rec", **CASES["recruitment, profiling unknown"][0]}), encoding="utf-8")
    for lang, word in (("en", "profiling"), ("nl", "profilering")):
        result = CliRunner().invoke(main, ["solve", str(path), "--format", "json", "--lang", lang, "--as-of", "2026-11-30"])
        assert result.exit_code == 0, result.output
        system = json.loads(result.output)["systems"][0]
        assert "ai_system" in system["certain"]
        assert set(system["certain"]) <= set(system["possible"])
        assert 'high_risk(annex_iii,"4(a)")' in set(system["possible"]) - set(system["certain"])
        (question,) = system["open_questions"]
        assert question["key"] == "annex_iii.profiling_natural_persons"
        assert word in question["question"].lower() and question["help"]
        assert question["source"].startswith("Art. 6(3)")
        assert question["rank"]["position"] == 1 and question["rank"]["risk_classes_at_least"] == 1
        answers = {a["answer"]: a for a in question["answers"]}
        assert "risk_class(minimal_risk)" in answers["true"]["rules_out"]
        assert "risk_class(high_risk)" in answers["true"]["makes_certain"]
        assert question["together"] is False


def test_text_report_in_english_and_dutch(tmp_path):
    path = tmp_path / "rec.yaml"
    path.write_text(_yaml({"id": "rec", **CASES["recruitment, profiling unknown"][0]}), encoding="utf-8")
    en = CliRunner().invoke(main, ["solve", str(path), "--as-of", "2026-11-30", "--no-rules"]).output
    assert "Possible risk classes: high-risk AI system, minimal risk" in en
    assert "Open questions, most decisive first:" in en
    assert "Does the system perform profiling of natural persons?" in en
    assert "yes → rules out: risk class minimal risk" in en
    nl = CliRunner().invoke(main, ["solve", str(path), "--as-of", "2026-11-30", "--no-rules", "--lang", "nl"]).output
    assert "Open vragen, meest bepalend eerst:" in nl and "ja → sluit uit: risicoklasse" in nl
    # the provisions as each language's text of the Act cites them (Annex III 4(a), Art. 6(3)(d))
    assert "Article 6(3) derogation (Annex III 4(a), 6(3)(d))" in en
    assert ("uitzondering van artikel 6, lid 3 (bijlage III, punt 4, a), art. 6, lid 3, punt d)); "
            "AI-systeem met een hoog risico (artikel 6, lid 2, en bijlage III, punt 4, a))") in nl
    assert "4 obligations" in en and "4 verplichtingen" in nl and "(s)" not in en and "(en)" not in nl


def test_risk_classes_of_an_answer_come_from_the_most_serious_down(kb, vocabulary):
    """What an answer rules out or makes certain lists its risk classes as everywhere else:
    GPAI with systemic risk (Art. 51) before GPAI (Art. 3(63)) before outside the scope."""
    from aiact_asp.report import Wording
    from aiact_asp.report_partial import outcomes_summary

    atoms = [clingo.Function("risk_class", [clingo.String("s"), clingo.Function(name)])
             for name in ("out_of_scope", "gpai_model", "gpai_model_systemic_risk")]
    wording = Wording(kb, vocabulary, "en")
    assert outcomes_summary(atoms, wording) == ["risk class general-purpose AI model with systemic risk",
                                                "risk class general-purpose AI model",
                                                "risk class outside the scope of the AI Act"]


# --------------------------------------------------------------------------------------------
# The questionnaire


RECRUITMENT_FILE = """\
# CV screening for recruitment (kept)
id: cv
name: CV screening
activities: [uses_under_own_authority]
organisation: {public_authority: true}
definition:
  machine_based: true   # checked with the supplier
  autonomy: true
  infers_outputs: true
  output_types: [recommendation]
  influences_environment: true
annex_iii:
  use_cases: [employment_recruitment_selection]
  profiling_natural_persons: unknown   # ask HR
  preparatory_task: true
"""


def ask(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["ask", *args, "--as-of", "2026-11-30"], input=input)


def test_ask_asks_the_one_question_that_matters_and_keeps_comments(tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text(RECRUITMENT_FILE, encoding="utf-8")
    result = ask(str(path), "--open-world", "none", "--lang", "nl", input="ja\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Vraag ") == 1 and "Voert het systeem profilering" in result.output
    assert "Risicoklasse: hoog-risico AI" in result.output
    text = path.read_text(encoding="utf-8")
    assert "profiling_natural_persons: true" in text and "unknown" not in text
    for comment in ("# CV screening for recruitment (kept)", "# checked with the supplier", "# ask HR"):
        assert comment in text
    keys = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert keys == ["id", "name", "activities", "organisation", "definition", "annex_iii"]


def test_ask_keeps_the_files_indentation_of_lists(tmp_path):
    # the answer changes its own line only: lists keep their indentation and their comments in
    # place, in the examples' style (dash two spaces in) and with the dash under the key
    base = RECRUITMENT_FILE.replace("unknown   # ask HR", "unknown")
    for expect in ("expect:\n  conclusions:\n    - ai_system        # Art. 3(1)\n    - in_scope\n",
                   "expect:\n  conclusions:\n  - ai_system   # Art. 3(1)\n  - in_scope\n"):
        path = tmp_path / "cv.yaml"
        path.write_text(base + expect, encoding="utf-8")
        result = ask(str(path), "--open-world", "none", input="ja\n")
        assert result.exit_code == 0, result.output
        assert path.read_text(encoding="utf-8") == (base + expect).replace("profiling_natural_persons: unknown",
                                                                           "profiling_natural_persons: true")


def test_ask_help_back_and_dutch_replies(tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text(RECRUITMENT_FILE.replace("preparatory_task: true", "preparatory_task: unknown"), encoding="utf-8")
    # ? shows the help (never read as unknown); terug changes the previous answer; with
    # profiling unknown the 6(3)(d) derogation still matters (no derogation: high-risk anyway)
    script = "?\nnee\nterug\nweet niet\nja\n"
    result = ask(str(path), "--open-world", "none", "--lang", "nl", input=script)
    assert result.exit_code == 0, result.output
    assert "Uitleg:" in result.output and "Bron: art. 6, lid 3" in result.output  # Dutch citation style
    assert "(huidig antwoord: false)" in result.output  # back at the first question
    text = path.read_text(encoding="utf-8")
    assert "profiling_natural_persons: unknown" in text and "preparatory_task: true" in text
    assert "Risicoklasse: onbepaald" in result.output


def test_ask_menu_numbers_for_a_list(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("id: x\ndefinition: {machine_based: true, autonomy: true, infers_outputs: true, "
                    "output_types: [recommendation], influences_environment: true}\nannex_iii: {use_cases: unknown}\n",
                    encoding="utf-8")
    result = ask(str(path), "--open-world", "none", input="9\n")  # 9. employment_recruitment_selection
    assert result.exit_code == 0, result.output
    assert "9. employment_recruitment_selection" in result.output
    assert "use_cases: [employment_recruitment_selection]" in path.read_text(encoding="utf-8")
    assert "Risk class: high-risk AI system" in result.output


def test_an_interrupted_session_keeps_its_answers(tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text(RECRUITMENT_FILE.replace("preparatory_task: true", "preparatory_task: unknown")
                    .replace("infers_outputs: true", "infers_outputs: unknown"), encoding="utf-8")
    answers = tmp_path / "answers.txt"
    answers.write_text("# only the first answer\nyes\n", encoding="utf-8")
    result = ask(str(path), "--open-world", "none", "--answers", str(answers))
    assert result.exit_code == 1, result.output
    assert "Stopped before the end" in result.output and "Traceback" not in result.output
    text = path.read_text(encoding="utf-8")
    assert "infers_outputs: true" in text and "# checked with the supplier" in text
    # the next session continues where this one stopped: the answered key is not asked again
    again = ask(str(path), "--open-world", "none", input="no\n")
    first = again.output.split("Question 1:")[1].split("Question 2:")[0]
    assert "annex_iii.profiling_natural_persons" in first and "infers_outputs" not in first


def test_ask_starts_a_new_file_with_id_and_name(tmp_path):
    path = tmp_path / "new.yaml"
    result = ask(str(path), input="mijn-systeem\nMijn systeem\n")  # then the input ends
    assert result.exit_code == 1
    text = path.read_text(encoding="utf-8")
    assert text.startswith("id: mijn-systeem\nname: Mijn systeem\n")


def test_ask_stopped_before_any_answer_says_no_file_was_made(tmp_path):
    path = tmp_path / "nope.yaml"
    result = ask(str(path), input="")  # the input ends at the first question (the id)
    assert result.exit_code == 1
    assert f"no answer was given, so {path} was not made" in result.output and not path.exists()


def test_ask_refuses_a_bad_id_and_asks_again(tmp_path):
    path = tmp_path / "new.yaml"
    result = ask(str(path), input="Mijn Systeem!\nok-id\n\n")
    assert "lowercase letters" in result.output
    assert path.read_text(encoding="utf-8").startswith("id: ok-id\n")


def _oracle_session(kb, vocabulary, path: Path, answers: dict[str, str], open_world: str = "keys"):
    """A session that answers from ``answers`` by key (default: no / none / first value)."""
    asked: list[str] = []
    defaults = {"bool": "no", "list": "none", "enum": "1", "date": "2027-01-01", "number": "1", "integer": "1"}
    session: Session | None = None

    def read(prompt: str) -> str:
        key = session.current_key
        asked.append(key)
        return answers.get(key, defaults[vocabulary.by_key[key].type])

    session = Session(DescriptionFile.open(path), kb, vocabulary, AS_OF, "en", read, lambda line: None, open_world=open_world)
    result = session.run()
    return result, asked


NO_ANNEX = ("annex_i.", "annex_iii.", "safety_component.", "prohibited_practices.")


def test_ask_not_an_ai_system_asks_nothing_about_the_classification_rules(kb, vocabulary, tmp_path):
    path = tmp_path / "n.yaml"
    path.write_text("id: n\n", encoding="utf-8")
    result, asked = _oracle_session(kb, vocabulary, path, {"definition.machine_based": "no"})
    assert result.risk_class == "not_ai_system"
    assert "definition.machine_based" in asked and "gpai.is_gpai_model" in asked
    assert not [k for k in asked if k.startswith(NO_ANNEX)], asked
    # only machine_based of the definition: one failed criterion settles it (Art. 3(1))
    assert [k for k in asked if k.startswith("definition.")] == ["definition.machine_based"]
    assert len(asked) <= 7, asked


def test_ask_out_of_scope_asks_no_annex_questions_after_it(kb, vocabulary, tmp_path):
    path = tmp_path / "m.yaml"
    # the sections that come before or beside the scope answered (no GPAI, no roles named), the
    # classification's sections left open: none of them may be asked once the system is out of scope
    path.write_text(_yaml({"id": "m", "definition": {**AI, "guideline_exclusion": [], "rules_defined_solely_by_humans": False},
                           "intended_deployers": [], "roles": [], "activities": [],
                           "gpai": {"is_gpai_model": False, "is_gpai_system": False, "based_on_gpai_model": False}}),
                    encoding="utf-8")
    result, asked = _oracle_session(kb, vocabulary, path, {"scope.military_defence_national_security_only": "yes",
                                                           "deployment.for_law_enforcement_purposes": "no"})
    assert result.risk_class == "out_of_scope"
    assert "scope.military_defence_national_security_only" in asked
    # the further condition of Art. 2(3) is asked at once, in the scope section
    after = asked[asked.index("scope.military_defence_national_security_only") + 1:]
    assert "deployment.for_law_enforcement_purposes" in after
    assert not [k for k in asked if k.startswith(NO_ANNEX)], asked


def test_ask_asks_the_definition_before_the_scope_exclusions(kb, vocabulary, tmp_path):
    # Handreiking order (docs/partial-knowledge.md): is it an AI system, then the scope. The scope
    # exclusions sit beside "established in the Union" in the rules of Art. 2(1), but a fact of
    # the system's setting (organisation, Handreiking §2) does not pull them ahead of the definition
    path = tmp_path / "cv.yaml"
    path.write_text(RECRUITMENT_FILE.replace("infers_outputs: true", "infers_outputs: unknown"), encoding="utf-8")
    asked: list[str] = []

    def read(prompt: str) -> str:  # the first question is all this test needs: then the user stops
        asked.append(session.current_key)
        raise KeyboardInterrupt

    session = Session(DescriptionFile.open(path), kb, vocabulary, AS_OF, "en", read, lambda line: None, open_world="keys")
    with pytest.raises(KeyboardInterrupt):
        session.run()
    assert asked == ["definition.infers_outputs"]


def test_ask_recruitment_tool_reaches_high_risk(kb, vocabulary, tmp_path):
    path = tmp_path / "r.yaml"
    start = {"id": "r", **RECRUITMENT, "annex_iii": {"use_cases": UNKNOWN, "profiling_natural_persons": UNKNOWN,
                                                     "preparatory_task": UNKNOWN}}
    path.write_text(_yaml(start), encoding="utf-8")
    result, asked = _oracle_session(kb, vocabulary, path, {"annex_iii.use_cases": "employment_recruitment_selection",
                                                           "annex_iii.profiling_natural_persons": "yes"}, open_world=None)
    assert result.risk_class == "high_risk"
    # use cases first (decides most), then profiling; the derogation no longer matters
    assert asked == ["annex_iii.use_cases", "annex_iii.profiling_natural_persons"]


def test_session_interrupted_by_the_user_keeps_answers(kb, vocabulary, tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text(RECRUITMENT_FILE.replace("preparatory_task: true", "preparatory_task: unknown")
                    .replace("infers_outputs: true", "infers_outputs: unknown"), encoding="utf-8")
    replies = iter(["yes"])

    def read(prompt: str) -> str:
        try:
            return next(replies)
        except StopIteration:
            raise KeyboardInterrupt from None

    session = Session(DescriptionFile.open(path), kb, vocabulary, AS_OF, "en", read, lambda line: None, open_world=None)
    with pytest.raises(KeyboardInterrupt):
        session.run()
    assert "infers_outputs: true" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("reply,value", [("ja", True), ("J", True), ("yes", True), ("nee", False), ("n", False),
                                         ("weet niet", UNKNOWN), ("Weet  niet", UNKNOWN), ("unknown", UNKNOWN), ("u", UNKNOWN)])
def test_replies_to_a_yes_no_question(vocabulary, reply, value):
    assert parse_reply(reply, vocabulary.by_key["annex_iii.profiling_natural_persons"]).value == value


@pytest.mark.parametrize("reply,command", [("?", "help"), ("help", "help"), ("uitleg", "help"), ("terug", "back"),
                                           ("back", "back"), ("stop", "stop"), ("misschien", "bad")])
def test_commands_in_replies(vocabulary, reply, command):
    assert parse_reply(reply, vocabulary.by_key["annex_iii.profiling_natural_persons"]).command == command


def test_replies_to_choices_numbers_and_dates(vocabulary):
    use_cases = vocabulary.by_key["annex_iii.use_cases"]
    assert parse_reply("9, creditworthiness", use_cases).value == ["employment_recruitment_selection", "creditworthiness"]
    assert parse_reply("geen", use_cases).value == []
    assert parse_reply("no", use_cases).value == [] and parse_reply("Nee", use_cases).value == []  # none of them
    assert parse_reply("99", use_cases).command == "bad"
    assert parse_reply("3.8e25", vocabulary.by_key["gpai.training_compute_flops"]).value == "3.8e25"
    assert parse_reply("2026-02-30", vocabulary.by_key["dates.placed_on_market"]).command == "bad"
    assert parse_reply("2026-08-02", vocabulary.by_key["dates.placed_on_market"]).value == "2026-08-02"


def test_stop_raises_stop(kb, vocabulary, tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text(RECRUITMENT_FILE, encoding="utf-8")
    session = Session(DescriptionFile.open(path), kb, vocabulary, AS_OF, "en", lambda prompt: "stop", lambda line: None,
                      open_world=None)
    with pytest.raises(Stop):
        session.run()
    assert path.read_text(encoding="utf-8") == RECRUITMENT_FILE


def test_ask_without_a_file_names_it_after_the_id(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["ask", "--as-of", "2026-11-30"], input="nieuw-systeem\nNieuw systeem\n")
    assert result.exit_code == 1, result.output  # the input ends before the first question
    text = (tmp_path / "nieuw-systeem.yaml").read_text(encoding="utf-8")
    assert text.startswith("id: nieuw-systeem\nname: Nieuw systeem\n")
