"""The rule author's workbench: `aiact-asp lint`, `test` (cases, JUnit, mutation) and `diff`.

These tests work on a copy of the small fixture knowledge base (tests/fixtures/kb_mini) with the
shipped vocabulary, in a temporary folder, so that they do not depend on the law in kb/.
"""

from __future__ import annotations

import datetime as _dt
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from aiact_asp.cases import ERROR, FAILED, PASSED, run_cases
from aiact_asp.cli import main
from aiact_asp.kb import load_kb
from aiact_asp.kbdiff import diff
from aiact_asp.lint import lint
from aiact_asp.mutate import MutationReport, mutation_run, report_text

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "kb_mini"
REFERENCE = ROOT.parent / "shared" / "reference" / "ai-act"
AS_OF = _dt.date(2026, 11, 30)
AI = "definition: {machine_based: true, infers_outputs: true}"


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A copy of the fixture knowledge base, with the shipped vocabulary, at tmp_path/kb."""
    target = tmp_path / "kb"
    shutil.copytree(MINI, target)
    shutil.copy(ROOT / "kb" / "vocabulary.yaml", target / "vocabulary.yaml")
    load_kb.cache_clear()
    return target


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


CASES = f"""\
systems:
  - id: cv
    {AI}
    annex_iii: {{use_cases: [employment_recruitment_selection]}}
    reason: Annex III 4(a), recruitment.
    expect:
      risk_class: high_risk
      conclusions: [ai_system, 'high_risk(annex_iii,"4(a)")', risk_class(high_risk)]
  - id: credit
    {AI}
    annex_iii: {{use_cases: [creditworthiness]}}
    reason: Not in the fixture's rules.
    expect:
      risk_class: minimal_risk
  - id: plain
    {AI}
    reason: An AI system with nothing else.
    expect:
      conclusions: [ai_system, risk_class(minimal_risk)]
  - id: model
    gpai: {{is_gpai_model: true, training_compute_flops: 3.8e25}}
    reason: Art. 51(2).
    expect:
      include: ['gpai_systemic_risk("51(2)")']
"""


# --- lint -----------------------------------------------------------------------------------


def test_lint_reports_a_syntax_error_with_file_line_and_column(kb_copy: Path, tmp_path: Path):
    write(kb_copy / "broken.lp", '%@ source: Art. 5(1)(a)\nprohibited(S, "5(1)(a)") :- ai_system(S)\n    manipulative(S).\n')
    report = lint(kb_copy, display=tmp_path)
    syntax = [p for p in report.errors if p.message.startswith("syntax error")]
    assert [(p.file, p.line, p.col) for p in syntax] == [("kb/broken.lp", 3, 5)]
    assert "',' between two conditions" in syntax[0].message


def test_lint_with_a_syntax_error_reports_no_invented_errors_elsewhere(kb_copy: Path, tmp_path: Path):
    """A file that cannot be read lacks its rules: a helper it defines looks undefined in the file that
    uses it. Lint reports the syntax error, says which checks wait for it, and invents nothing else."""
    write(kb_copy / "helper.lp", "%@ source: Art. 3(1)\nmanipulative(S) :- machine_based(S)\n    infers_outputs(S).\n")
    write(kb_copy / "user.lp", '%@ source: Art. 5(1)(a)\nprohibited(S, "5(1)(a)") :- ai_system(S), manipulative(S).\n')
    report = lint(kb_copy, display=tmp_path)
    assert [(p.file, p.line, p.message.split(":")[0]) for p in report.errors] == [("kb/helper.lp", 3, "syntax error")]
    assert not [p for p in report.warnings if "not used by any rule" in p.message or "used by no rule" in p.message]
    notes = [p.message for p in report.problems if p.severity == "note" and p.file == "kb/helper.lp"]
    assert len(notes) == 1 and notes[0].startswith("these checks are skipped until the syntax error is fixed (the rules of kb/helper.lp are missing)")
    assert "predicates used but never defined" in notes[0] and "conclusions that can never be derived" in notes[0]
    # once the file reads, the whole-knowledge-base checks run again and find nothing wrong with user.lp
    write(kb_copy / "helper.lp", "%@ source: Art. 3(1)\nmanipulative(S) :- machine_based(S), infers_outputs(S).\n")
    fixed = lint(kb_copy, display=tmp_path)
    assert not [p for p in fixed.errors if p.file in ("kb/helper.lp", "kb/user.lp")]
    assert not [p for p in fixed.problems if p.severity == "note" and "skipped" in p.message]


def test_lint_command_prints_file_line_col_and_fails(kb_copy: Path, tmp_path: Path, monkeypatch):
    write(kb_copy / "broken.lp", "%@ source: Art. 3(1)\nai_system(S) :- machine_based(S), .\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["lint", "--kb", "kb"])
    assert result.exit_code == 1
    assert "kb/broken.lp:2:" in result.output and ": error: syntax error" in result.output


def test_lint_finds_undefined_predicates_missing_sources_and_forbidden_forms(kb_copy: Path, tmp_path: Path):
    write(kb_copy / "extra.lp", (
        "%@ source: Art. 50(1)\n"
        'transparency_obligation(S, "50(1)") :- ai_system(S), interacts_directy(S).\n'
        "\n"
        'in_scope(S) :- ai_system(S), present(S, "definition.machine_base").\n'
        ":- ai_system(S), not in_scope(S).\n"
    ))
    report = {(p.line, p.message.split(" ")[0]) for p in lint(kb_copy, display=tmp_path).errors if p.file == "kb/extra.lp"}
    messages = "\n".join(str(p) for p in lint(kb_copy, display=tmp_path).errors)
    assert "kb/extra.lp:2:54: error: interacts_directy/1 is used but never defined" in messages
    assert "did you mean `interacts_directly_with_natural_persons`?" in messages
    assert "kb/extra.lp:4:1: error: rule `in_scope(S)" in messages and "no `%@ source:`" in messages
    assert '"definition.machine_base" is not a key of kb/vocabulary.yaml' in messages
    assert any(line == 5 and word == "integrity" for line, word in report)


@pytest.mark.skipif(not (REFERENCE / "en").is_dir(), reason="the legal texts (../shared/reference/ai-act) are not available")
def test_lint_checks_citations_against_the_amended_text(kb_copy: Path, tmp_path: Path):
    write(kb_copy / "cite.lp", (
        "%@ source: Art. 5(1)(ba); Art. 6(1c); Annex I Section B point 21; Art. 113, third paragraph, point (d)\n"
        "in_scope(S) :- ai_system(S).\n"
        "%@ source: Art. 5(1)(z); Annex III 9; recital 181\n"
        "in_scope(S) :- ai_system(S), machine_based(S).\n"
    ))
    problems = [p for p in lint(kb_copy, reference=REFERENCE, display=tmp_path).problems if p.file == "kb/cite.lp"]
    assert all(p.line == 3 for p in problems), problems  # the provisions inserted by Reg. 2026/1744 exist
    assert {p.message.split("`")[1] for p in problems if p.severity == "error"} == {"Art. 5(1)(z)", "Annex III 9", "recital 181"}


def test_lint_reports_a_conclusion_no_input_can_derive(kb_copy: Path, tmp_path: Path):
    rules = (kb_copy / "rules.lp").read_text()
    rules = rules.replace('gpai_systemic_risk(S, "51(2)") :- training_compute_flops(S, V), V > @number("1e25").',
                          'gpai_systemic_risk(S, "51(2)") :- training_compute_flops(S, V), V > @number("1e25"), V < @number("1e24").')
    write(kb_copy / "rules.lp", rules)
    report = lint(kb_copy, display=tmp_path)
    assert any("`gpai_systemic_risk` can never be derived" in p.message and p.file == "kb/rules.lp" for p in report.errors)


# --- test: cases, errors, JUnit --------------------------------------------------------------


def test_cases_pass_and_a_wrong_expectation_fails_with_the_rule_that_fired(kb_copy: Path, tmp_path: Path):
    cases = write(tmp_path / "cases" / "all.yaml", CASES.replace("risk_class: minimal_risk\n", "risk_class: high_risk\n", 1))
    run = run_cases([cases], kb_copy, AS_OF)
    status = {c.id: c.status for c in run.cases}
    assert status == {"cv": PASSED, "credit": FAILED, "plain": PASSED, "model": PASSED}
    credit = next(c for c in run.cases if c.id == "credit")
    assert [(d.kind, d.label, d.got) for d in credit.differences] == [("risk_class", "high_risk", "minimal_risk")]
    assert any("kb/rules.lp:18" in line for line in credit.differences[0].explanation)


def test_unexpected_conclusion_shows_its_rule_chain(kb_copy: Path, tmp_path: Path):
    text = CASES.replace("""conclusions: [ai_system, risk_class(minimal_risk)]""", """conclusions: [risk_class(minimal_risk)]""")
    run = run_cases([write(tmp_path / "c.yaml", text)], kb_copy, AS_OF)
    plain = next(c for c in run.cases if c.id == "plain")
    (difference,) = plain.differences
    assert (difference.kind, difference.label) == ("unexpected", "ai_system")
    assert "kb/rules.lp:4 [Art. 3(1)]" in difference.explanation[0]
    assert "definition.machine_based = true" in difference.explanation[0]


def test_misspelled_expectation_is_an_error_not_a_pass(kb_copy: Path, tmp_path: Path, monkeypatch):
    case = write(tmp_path / "typo.yaml", f"""\
id: typo
{AI}
annex_iii: {{use_cases: [employment_recruitment_selection]}}
reason: a misspelled conclusion must never pass silently
expect:
  include:
    - high_risc(annex_iii,"4(a)")
    - high_risk(annex_iii,"4(z)")
""")
    run = run_cases([case], kb_copy, AS_OF)
    (result,) = run.cases
    assert result.status == ERROR
    assert [(e.line, e.key) for e in result.errors] == [(7, "expect.include[0]"), (8, "expect.include[1]")]
    assert "did you mean `high_risk`?" in result.errors[0].message
    assert '"4(z)", which occurs nowhere in the knowledge base' in result.errors[1].message
    monkeypatch.chdir(tmp_path)
    cli = CliRunner().invoke(main, ["test", "--kb", str(kb_copy), "--as-of", "2026-11-30", "typo.yaml"])
    assert cli.exit_code == 2, cli.output
    assert "ERROR  typo" in cli.output


def test_case_report_in_dutch(kb_copy: Path, tmp_path: Path, monkeypatch):
    """`test --lang nl`: a misspelled label is explained in Dutch, the rule citations of a failing
    case read in the Dutch citation style, and one case is "1 casus"."""
    typo = write(tmp_path / "typo" / "typo.yaml", f"""\
id: typo
{AI}
reason: a misspelled conclusion
expect:
  include: ['high_risc(annex_iii,"4(a)")']
""")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["test", "--kb", str(kb_copy), "--as-of", "2026-11-30", "--lang", "nl", "typo"])
    assert result.exit_code == 2, result.output
    assert ("typo/typo.yaml:5: expect.include[0]: `high_risc(annex_iii,\"4(a)\")`: `high_risc` is geen conclusie van "
            "kb/conclusions.yaml; bedoelt u `high_risk`?") in result.output
    assert "1 casus: 0 goed, 0 fout, 1 met fouten in de verwachting" in result.output
    assert "is not a conclusion" not in result.output and "1 casussen" not in result.output
    assert typo.exists()
    # Art. 6(2) and Annex III point 4(a) (kb_mini/rules.lp:7) in the Dutch style of the AI Act
    wrong = write(tmp_path / "wrong" / "cv.yaml", f"""\
id: cv
{AI}
annex_iii: {{use_cases: [employment_recruitment_selection]}}
reason: Annex III 4(a) — the high-risk conclusion deliberately left out
expect: {{conclusions: [ai_system, risk_class(high_risk)]}}
""")
    result = CliRunner().invoke(main, ["test", "--kb", str(kb_copy), "--as-of", "2026-11-30", "--lang", "nl", "wrong"])
    assert result.exit_code == 1, result.output
    assert 'onverwacht:  high_risk(annex_iii,"4(a)")' in result.output
    assert "kb/rules.lp:7 [art. 6, lid 2; bijlage III, punt 4, a)]" in result.output, result.output
    assert "[Art. 6(2)" not in result.output
    assert "1 casus: 0 goed, 1 fout" in result.output and wrong.exists()


def test_case_chain_words_a_key_left_out_from_the_vocabulary(tmp_path: Path):
    """Art. 111(1)-(2): a high-risk system in use whose description leaves out dates.placed_on_market
    gets the finding placed_on_market_date_missing; the rule relies on that key *not* being stated,
    which the chain says with the key, not as the internal atom present(...)."""
    case = (ROOT / "facts" / "cv-screening.yaml").read_text(encoding="utf-8")
    assert "placed_on_market" not in case and "status: in_use" in case
    case = case.split("\nexpect:")[0] + "\nexpect:\n  exclude: [finding(placed_on_market_date_missing)]\n"
    run = run_cases([write(tmp_path / "cv.yaml", case)], None, AS_OF, "nl")
    (result,) = run.cases
    lines = "\n".join(result.differences[0].explanation)
    assert "en niet: dates.placed_on_market staat in de beschrijving" in lines, lines
    assert "present(" not in lines
    assert "[art. 111, lid 1; art. 111, lid 2; overweging 39 van Verordening (EU) 2026/1744]" in lines


def test_reserved_roles_key_is_refused_with_a_clear_message(kb_copy: Path, tmp_path: Path):
    case = write(tmp_path / "roles.yaml", f"id: r\n{AI}\nexpect:\n  roles: [deployer]\n")
    run = run_cases([case], kb_copy, AS_OF)
    assert not run.cases and len(run.errors) == 1
    assert "`roles` is reserved" in run.errors[0].message


def test_junit_file_is_written(kb_copy: Path, tmp_path: Path, monkeypatch):
    write(tmp_path / "facts" / "all.yaml", CASES.replace("risk_class: minimal_risk\n", "risk_class: high_risk\n", 1))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["test", "--kb", str(kb_copy), "--as-of", "2026-11-30", "--junit", "out/cases.xml"])
    assert result.exit_code == 1, result.output
    suite = ET.parse(tmp_path / "out" / "cases.xml").getroot().find("testsuite")
    assert suite.get("tests") == "4" and suite.get("failures") == "1"
    failing = [t.get("name") for t in suite.iter("testcase") if t.find("failure") is not None]
    assert failing == ["credit"]


# --- diff ------------------------------------------------------------------------------------


def _edit_annex_iii_rule(kb_dir: Path) -> None:
    rules = (kb_dir / "rules.lp").read_text()
    write(kb_dir / "rules.lp", rules.replace("annex_iii_use_case(S, employment_recruitment_selection)",
                                             "annex_iii_use_case(S, creditworthiness)"))


def test_diff_shows_exactly_the_cases_a_rule_edit_affects(kb_copy: Path, tmp_path: Path):
    base = tmp_path / "base"
    shutil.copytree(kb_copy, base)
    _edit_annex_iii_rule(kb_copy)
    cases = write(tmp_path / "cases.yaml", CASES)
    report = diff([cases], str(base), kb_copy, AS_OF)
    changed = {c.id: c for c in report.changed}
    assert set(changed) == {"cv", "credit"}
    assert (changed["cv"].base_risk, changed["cv"].new_risk) == ("high_risk", "minimal_risk")
    assert 'high_risk(annex_iii,"4(a)")' in changed["cv"].removed
    assert 'high_risk(annex_iii,"4(a)")' in changed["credit"].added
    assert report.compared == 4


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_against_a_git_revision(kb_copy: Path, tmp_path: Path, monkeypatch):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run([*git, "add", "kb"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "kb"], cwd=tmp_path, check=True)
    _edit_annex_iii_rule(kb_copy)
    write(tmp_path / "facts" / "cases.yaml", CASES)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["diff", "--base", "HEAD", "--kb", "kb", "--as-of", "2026-11-30", "--exit-code"])
    assert result.exit_code == 1, result.output
    assert "risk class: high_risk -> minimal_risk" in result.output
    assert "4 systems compared: 2 changed (2 in risk class), 2 unchanged" in result.output


# --- mutation --------------------------------------------------------------------------------


MUTATION_CASES = f"""\
systems:
  - id: ai
    {AI}
    reason: Art. 3(1)
    expect: {{conclusions: [ai_system, risk_class(minimal_risk)]}}
  - id: not-machine
    definition: {{infers_outputs: true}}
    reason: Art. 3(1), not machine-based
    expect: {{conclusions: []}}
  - id: human-rules
    definition: {{machine_based: true, infers_outputs: true, rules_defined_solely_by_humans: true}}
    reason: recital 12
    expect: {{conclusions: []}}
"""


def test_mutation_finds_the_condition_no_case_tests(kb_copy: Path, tmp_path: Path):
    # No case is machine-based without inferring: the infers_outputs condition of the Art. 3(1)
    # rule (rules.lp line 4) is left untested on purpose, the other two are pinned.
    cases = write(tmp_path / "cases.yaml", MUTATION_CASES)
    report = mutation_run([cases], kb_copy, ["rules.lp"], AS_OF, jobs=1)
    survivors = {(o.mutant.condition, o.mutant.operator) for o in report.survivors if o.mutant.line == 4}
    assert ("infers_outputs(S)", "drop") in survivors
    assert ("machine_based(S)", "drop") not in survivors
    assert ("not rules_defined_solely_by_humans(S)", "drop") not in survivors
    assert report.cases == 3
    summary = report_text(report).splitlines()[-1]
    conditions = len({(o.mutant.file, o.mutant.cond_line, o.mutant.cond_col) for o in report.survivors})
    rules = len({(o.mutant.file, o.mutant.line) for o in report.survivors})
    assert "against 3 cases: " in summary and f"({conditions} conditions in {rules} rules; " in summary
    # one survivor of one rule: the summary says so in the singular
    only = [o for o in report.survivors if o.mutant.line == 4 and o.mutant.condition == "infers_outputs(S)"]
    single = MutationReport(only, [], report.files, 1, 0.0)
    assert "against 1 case: 0 noticed, 1 survived (1 condition in 1 rule; 0 of them" in report_text(single)


def test_mutation_lists_declared_equivalents_apart_and_checks_them(kb_copy: Path, tmp_path: Path):
    """A condition the author declares equivalent (`%@ mutation: drop p — reason`) is still mutated:
    unnoticed it is listed apart with the reason, not as a survivor; noticed by a case, the
    declaration is reported as wrong and the run fails."""
    rules = kb_copy / "rules.lp"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace(
        "%@ source: Art. 3(1)\n",
        "%@ source: Art. 3(1)\n"
        "%@ mutation: drop infers_outputs — test: declared although no case pins it\n"
        "%@ mutation: drop machine_based — test: a wrong declaration, the cases pin it\n", 1), encoding="utf-8")
    cases = write(tmp_path / "cases.yaml", MUTATION_CASES)
    report = mutation_run([cases], kb_copy, ["rules.lp"], AS_OF, jobs=1)
    assert ("infers_outputs(S)", "drop") not in {(o.mutant.condition, o.mutant.operator) for o in report.survivors}
    assert [(o.mutant.condition, o.mutant.declared) for o in report.declared] == [
        ("infers_outputs(S)", "test: declared although no case pins it")]
    assert [o.mutant.condition for o in report.wrongly_declared] == ["machine_based(S)"]
    text = report_text(report)
    assert "declaration is wrong" in text and "1 declared equivalent" in text
    result = CliRunner().invoke(main, ["test", str(cases), "--kb", str(kb_copy), "--mutate", "--mutate-file", "rules.lp",
                                       "--jobs", "1", "--as-of", "2026-11-30"])
    assert result.exit_code == 1, result.output
