"""The text report (aiact_asp/report.py): sources in the citation style of the report's language,
only the defaults that matter for a system, and no error messages mixed into the report."""

from __future__ import annotations

import datetime as _dt
import json
import re
from pathlib import Path

from click.testing import CliRunner

from aiact_asp import engine
from aiact_asp.api import Run, classify_paths, load_kb_vocabulary
from aiact_asp.citation_nl import citation_nl
from aiact_asp.cli import main
from aiact_asp.kb import load_kb
from aiact_asp.loader import load_paths
from aiact_asp.report import relevant_defaults, run_json, run_text

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts"
AS_OF = _dt.date(2026, 11, 30)
ENGLISH_CITATION = re.compile(r"\b(Art\.|Annex|recital|subparagraph|paragraph|Reg\.|as amended|Guidelines)\b")

EMOTION = """id: emotie
name: Emotieherkenning klantcontact
activities: [uses_under_own_authority]
organisation: {public_authority: true}
definition:
  machine_based: true
  autonomy: true
  infers_outputs: true
  output_types: [prediction]
  influences_environment: true
annex_iii:
  use_cases: [emotion_recognition]
"""


def _source_lines(text: str) -> list[str]:
    """The lines of a Dutch report that cite sources: grondslag, rules, findings, obligations."""
    return [line for line in text.splitlines()
            if line.strip().startswith(("grondslag:", "regel kb/", "! ", "[ ]", "[?]"))]


def _after(text: str, statement: str, label: str) -> list[str]:
    """The citations on the ``label`` line under the conclusion whose statement starts with ``statement``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(f"• {statement}"))
    line = next(line for line in lines[start + 1:] if line.strip().startswith(label))
    return line.strip()[len(label):].strip().split("; ")


def test_dutch_report_cites_in_the_dutch_style():
    run = classify_paths([FACTS / "cv-screening.yaml"], AS_OF)
    english, text = run_text(run, "en"), run_text(run, "nl")
    sources = _after(english, "cv-screening is a high-risk AI system", "rests on:")
    dutch = _after(text, "cv-screening is een AI-systeem met een hoog risico", "grondslag:")
    # the same sources, in the same order, each in the Dutch style
    assert dutch == [citation_nl(s) for s in sources]
    for english_form, dutch_form in (("Art. 6(3), last subparagraph", "art. 6, lid 3, laatste alinea"),
                                     ("recital 53", "overweging 53"), ("Annex III 4(a)", "bijlage III, punt 4, a)"),
                                     ("Art. 3(52)", "art. 3, punt 52")):
        assert english_form in sources and dutch_form in dutch
    assert "[art. 6, lid 3, laatste alinea; overweging 53]" in text  # the rule that fired
    # obligations: the paragraphs of one article together, as the Dutch text writes "leden 1, 2 en 3"
    assert "— art. 26, leden 1, 2, 3, 5 en 12 (vanaf 2027-12-02)" in text
    assert "— art. 26, lid 8; art. 49, lid 3 (vanaf 2027-12-02)" in text
    # the finding on the missing first-placing date cites Art. 113 as amended
    assert ("art. 113, derde alinea, punt c), i), zoals gewijzigd bij art. 1, punt 40, b), van Verordening (EU) "
            "2026/1744]") in text
    lines = _source_lines(text)
    assert len(lines) >= 8
    for line in lines:
        assert not ENGLISH_CITATION.search(line), line


def test_every_example_in_dutch_cites_without_english_words(examples_run):
    text = run_text(examples_run, "nl")
    lines = _source_lines(text)
    assert len(lines) > 200
    assert [line for line in lines if ENGLISH_CITATION.search(line)] == []


def test_summary_lists_risk_classes_from_prohibited_down(examples_run):
    """The last line counts the systems per risk class in the order of the Act's tiers, as the
    inventory's totals do: prohibited practices (Art. 5), high-risk (Art. 6), transparency duties
    only (Art. 50), minimal risk; then GPAI models (Art. 51), then systems outside the Act."""
    line = run_text(examples_run, "en").rstrip("\n").splitlines()[-1]
    shown = [part.rsplit(":", 1)[0] for part in line.split(" — ", 1)[1].split(", ")]
    assert shown == ["prohibited AI practice", "high-risk AI system", "limited risk (transparency obligations only)",
                     "minimal risk", "general-purpose AI model with systemic risk", "general-purpose AI model",
                     "outside the scope of the AI Act", "not an AI system"]
    dutch = run_text(examples_run, "nl").rstrip("\n").splitlines()[-1]
    shown_nl = [part.rsplit(":", 1)[0] for part in dutch.split(" — ", 1)[1].split(", ")]
    assert shown_nl[:3] == ["verboden AI", "hoog-risico AI", "beperkt risico (alleen transparantieverplichtingen)"]


def test_english_report_and_json_keep_the_citations_as_written():
    run = classify_paths([FACTS / "cv-screening.yaml"], AS_OF)
    sources = _after(run_text(run, "en"), "cv-screening is a high-risk AI system", "rests on:")
    assert {"Art. 6(3), last subparagraph", "recital 53", "Art. 3(52)", "Annex III 4(a)"} <= set(sources)
    data = run_json(run, "nl")
    high_risk = next(c for c in data["systems"][0]["conclusions"] if c["name"] == "high_risk")
    # documented stable format (docs/output.md): articles without "Art.", in English
    assert high_risk["articles"] == [s.removeprefix("Art. ") for s in sources]
    assert ["Art. 6(3), last subparagraph", "recital 53"] in [r["source"] for r in high_risk["rules"]]


def _run_with_grounding(paths: list[Path]) -> Run:
    """A run that keeps the engine's grounding, as ``run.grounding`` (see report.relevant_defaults)."""
    kb = load_kb(None)
    vocabulary = load_kb_vocabulary(kb.directory)
    descriptions, errors = load_paths(paths, vocabulary)
    grounding = engine.ground(descriptions, kb, vocabulary, AS_OF)
    run = Run(grounding.results, errors, kb, vocabulary)
    run.grounding = grounding
    return run


def test_only_the_defaults_that_matter_are_shown(tmp_path):
    (tmp_path / "emotie.yaml").write_text(EMOTION, encoding="utf-8")
    run = _run_with_grounding([FACTS / "cv-screening.yaml", FACTS / "regelengine-parkeervergunning.yaml", tmp_path / "emotie.yaml"])
    applied = {r.id: [k for k, _ in r.defaults] for r in run.results}
    shown = {system: [k for k, _ in kept] for system, kept in relevant_defaults(run).items()}
    # every description gets the emotion-recognition default (facts.py) ...
    assert all("prohibited_practices.emotion_recognition.based_on_biometric_data" in keys for keys in applied.values())
    # ... but only for an emotion recognition system does it decide anything (Annex III 1(c), Art. 50(3))
    assert "prohibited_practices.emotion_recognition.based_on_biometric_data" in shown["emotie"]
    assert "prohibited_practices.emotion_recognition.based_on_biometric_data" not in shown["cv-screening"]
    # CV screening (Annex III 4(a)): natural persons affected keeps the Annex III 3-8 exclusion away;
    # a public authority is a body governed by public law (Art. 27(1): the FRIA)
    assert shown["cv-screening"] == ["organisation.body_governed_by_public_law", "deployment.affected_persons",
                                     "scope.output_used_in_union"]
    # the vendor's establishment is used only where the description states it (present/2): never a default
    assert all("supply.vendor_established_in_union" not in keys for keys in shown.values())
    # a rule engine that is no AI system: no default matters
    assert shown["regelengine-parkeervergunning"] == []
    text = run_text(run, "en")
    cv = text.split("cv-screening — ")[1].split("\n\n")[0]
    assert cv.splitlines()[-1] == ("  Defaults applied (absent keys): organisation.body_governed_by_public_law = true, "
                                   "deployment.affected_persons = [natural_persons], scope.output_used_in_union = true")
    assert "Defaults applied" not in text.split("regelengine-parkeervergunning — ")[1].split("\n\n")[0]


def test_without_the_grounding_every_default_applied_is_listed():
    run = classify_paths([FACTS / "cv-screening.yaml"], AS_OF)
    if getattr(run, "grounding", None) is None:
        assert relevant_defaults(run) == {"cv-screening": run.results[0].defaults}


def test_errors_go_to_standard_error_only(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nstatus: use\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(FACTS / "cv-screening.yaml"), str(bad), "--as-of", "2026-11-30", "--lang", "nl"])
    assert result.exit_code == 2
    assert "bad.yaml" not in result.stdout and "cv-screening — CV-screening voor werving" in result.stdout
    assert result.stdout.rstrip().endswith("; niet ingedeeld: 1 bestand met een probleem in de invoer (zie de foutmelding)")
    assert result.stderr == (f"fout: {bad}:2: status: moet een van de toegestane waarden zijn; bedoelt u `in_use`? "
                             "(opgegeven: 'use'; toegestaan: in_development, in_use, decommissioned of unknown)\n")
    # a report written to a file says which input it left out (the screen shows it on standard error)
    report = tmp_path / "report.txt"
    result = CliRunner().invoke(main, ["solve", str(FACTS / "cv-screening.yaml"), str(bad), "--as-of", "2026-11-30", "-o", str(report)])
    assert result.exit_code == 2 and f"{bad}:2: status: must be one of" in result.stderr
    written = report.read_text(encoding="utf-8")
    assert f"Input that could not be read:\n  {bad}:2: status: must be one of" in written
    assert written.rstrip().endswith("; not classified: 1 file with a problem in the input (see the error message)")
    data = json.loads(CliRunner().invoke(main, ["solve", str(bad), "--format", "json", "--lang", "nl"]).stdout)
    # JSON is a document for other tools: the errors stay in it (docs/output.md), in English and Dutch
    assert data["errors"][0]["message"].startswith("must be one of the allowed values; did you mean `in_use`?")
    assert data["errors"][0]["message"].endswith("allowed: in_development, in_use, decommissioned or unknown)")
    assert data["errors"][0]["message_nl"].startswith("moet een van de toegestane waarden zijn")


def test_help_lines_are_not_cut_off():
    """click shortens a command's help in the list to the first sentence that fits, with "...":
    every command has a short help that fits an 80-column terminal."""
    runner = CliRunner()
    for args in ([], ["import"]):
        result = runner.invoke(main, args + ["--help"], terminal_width=80)
        assert result.exit_code == 0
        commands = result.output.split("Commands:")[1]
        assert "..." not in commands, commands
        assert len([line for line in commands.splitlines() if line.strip()]) == (9 if not args else 1)
    for command in ("solve", "vocabulary", "explain", "inventory", "import algoritmeregister", "ask", "test", "diff", "lint"):
        result = runner.invoke(main, command.split() + ["--help"], terminal_width=80)
        assert result.exit_code == 0
        body = result.output.splitlines()[1:]  # the usage line ends with "PATHS..." on purpose
        assert not [line for line in body if line.rstrip().endswith("...")], result.output
        assert all(len(line) <= 80 for line in body), command


def test_streamed_json_is_the_json_document_byte_for_byte(tmp_path):
    """`solve --format json` writes the report one system at a time (for large inventories); the
    bytes are those of the whole document dumped at once, also with unreadable input and with none."""
    from aiact_asp.report import run_json, run_json_text

    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ndefinition:\n  machine_basd: true\n", encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    for paths in ([root / "facts"], [bad], [root / "facts" / "chatbot-gemeente.yaml", bad]):
        run = classify_paths(paths, _dt.date(2026, 11, 30))
        for lang in ("en", "nl"):
            whole = json.dumps(run_json(run, lang), ensure_ascii=False, indent=2) + "\n"
            assert "".join(run_json_text(run, lang)) == whole
            assert json.loads(whole)["summary"]["errors"] == len(run.errors)


def test_a_rule_that_applies_only_for_some_answers_is_marked_and_not_cited():
    """Annex III 4(a) recruitment with profiling unknown: high-risk is certain (Art. 6(2): no Art. 6(3)
    derogation is stated), but the Art. 6(3) last-subparagraph rule (profiling) applies only if the
    system profiles: it is shown as such and its sources are not what the conclusion rests on."""
    text = """id: cv-unknown
definition: {machine_based: true, autonomy: true, infers_outputs: true, output_types: [recommendation], influences_environment: true}
annex_iii: {use_cases: [employment_recruitment_selection], profiling_natural_persons: unknown}
"""
    vocabulary = load_kb_vocabulary(Path(__file__).resolve().parent.parent / "kb")
    from aiact_asp.api import classify_descriptions
    from aiact_asp.kb import load_kb
    from aiact_asp.loader import parse_text

    descriptions, errors = parse_text(text, "<test>", vocabulary)
    assert not errors
    run = classify_descriptions(descriptions, load_kb(), vocabulary, _dt.date(2026, 11, 30))
    high = next(c for c in run.results[0].conclusions if c.name == "high_risk")
    assert high.certain
    by_head = {f.rule.sources: f.certain for f in high.firings}
    assert by_head[("Art. 6(2)", "Annex III")] is True
    assert by_head[("Art. 6(3), last subparagraph", "recital 53")] is False
    assert "Art. 6(3), last subparagraph" not in high.sources and "Art. 6(2)" in high.sources
    from aiact_asp.report import run_text
    line = next(line for line in run_text(run).splitlines() if "last subparagraph" in line and "rule kb/" in line)
    assert line.endswith("(only for some answers to the unknown facts)")


def test_a_finding_that_holds_only_for_some_answers_is_marked_as_such():
    """A finding is a warning about the description; where it rests on unknown facts it may not hold:
    the text report must not state it as certain (`!`), but as possible (`?`), after the certain ones.
    Here `definition.adaptiveness` and `definition.infers_outputs` are unknown, so the finding
    'adaptive without inference' (Art. 3(1): adaptiveness is an indicator, inference the criterion)
    holds only for some answers."""
    text = "id: adaptive\ndefinition: {machine_based: true, adaptiveness: unknown, infers_outputs: unknown}\n"
    vocabulary = load_kb_vocabulary(Path(__file__).resolve().parent.parent / "kb")
    from aiact_asp.api import classify_descriptions
    from aiact_asp.kb import load_kb
    from aiact_asp.loader import parse_text
    from aiact_asp.report import run_text

    descriptions, errors = parse_text(text, "<test>", vocabulary)
    assert not errors
    run = classify_descriptions(descriptions, load_kb(), vocabulary, _dt.date(2026, 11, 30))
    possible = [f for f in run.results[0].findings if not f.certain]
    assert possible, [str(f.atom) for f in run.results[0].findings]
    lines = run_text(run).splitlines()
    start = lines.index("  Findings:")
    marks = [line.split()[0] for line in lines[start + 1:] if line.startswith("    ") and line.split()[0] in ("!", "?")]
    assert marks.count("?") == len(possible) and marks == sorted(marks, key=lambda m: m == "?")


def test_role_cites_its_definition_and_a_prohibition_says_it_governs():
    """The role line names the definition it rests on (Art. 3(4) deployer); a prohibited practice
    (Art. 5(1)(f), emotion recognition at the workplace) says that the prohibition governs the
    other, multi-label conclusions — in English and Dutch."""
    from aiact_asp.report import run_text

    run = classify_paths([FACTS / "cv-screening.yaml", FACTS / "stressmeting-medewerkers.yaml"], _dt.date(2026, 11, 30))
    text = run_text(run, "en")
    assert "  Role of the organisation: deployer [Art. 3(4)]" in text
    prohibited = text[text.index("stressmeting-medewerkers —"):]
    assert prohibited.splitlines()[3].startswith("  (The prohibition of Article 5 governs")
    assert "The prohibition of Article 5" not in text[:text.index("stressmeting-medewerkers —")]
    dutch = run_text(run, "nl")
    assert "gebruiksverantwoordelijke [art. 3, punt 4]" in dutch and "Het verbod van artikel 5 gaat voor" in dutch
