"""Faults of the knowledge base: a message naming the file and line (or the violated
constraint in words with the facts involved), exit code 3, never a traceback and never a bare
"UNSATISFIABLE". Each fault is made in a copy of kb/ (``--kb``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from aiact_asp.cli import main
from aiact_asp.errors import KnowledgeBaseError

ROOT = Path(__file__).resolve().parent.parent
CV = str(ROOT / "facts" / "cv-screening.yaml")
CHATBOT = str(ROOT / "facts" / "chatbot-gemeente.yaml")


@pytest.fixture
def kb(tmp_path):
    copy = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", copy)
    return copy


def append(path: Path, text: str) -> int:
    """Append ``text`` to ``path``; return the line number of its first line."""
    before = path.read_text(encoding="utf-8")
    if not before.endswith("\n"):
        before += "\n"
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def solve_with(kb: Path, *paths: str):
    result = CliRunner().invoke(main, ["solve", *(paths or (CV,)), "--kb", str(kb), "--as-of", "2026-11-30"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output and "UNSATISFIABLE" not in result.output
    assert result.stdout == ""
    return result.stderr


def test_syntax_error(kb):
    line = append(kb / "art5.lp", "broken(S) :- system(S) oops.\n")
    err = solve_with(kb)
    assert f"art5.lp:{line}: column " in err and "syntax error" in err


def test_unsafe_variable_is_reported_once(kb):
    line = append(kb / "art5.lp", "unsafe(S, X) :- system(S).\n")
    err = solve_with(kb)
    assert err.count(f"art5.lp:{line}:") == 1
    assert "unsafe rule: X must also occur in a positive condition" in err and "_fired" not in err


def test_include_of_a_missing_file(kb):
    line = append(kb / "scope.lp", '#include "nonexistent.lp".\n')
    err = solve_with(kb)
    assert f"scope.lp:{line}:" in err and "#include: nonexistent.lp could not be opened" in err


def test_missing_knowledge_base_folder(tmp_path):
    err = solve_with(tmp_path / "no-kb")
    assert "no-kb: knowledge-base folder not found" in err


@pytest.mark.parametrize("name, message", [
    ("vocabulary.yaml", "vocabulary.yaml: not found: the knowledge base needs its input catalogue"),
    ("conclusions.yaml", "has no conclusions.yaml"),
])
def test_missing_catalogue_file(kb, name, message):
    (kb / name).unlink()
    assert message in solve_with(kb)


@pytest.mark.parametrize("name", ["vocabulary.yaml", "conclusions.yaml"])
def test_malformed_catalogue_file(kb, name):
    (kb / name).write_text("entries:\n  - [unclosed\n", encoding="utf-8")
    err = solve_with(kb)
    assert f"{name}:3: " in err or f"{name}:2: " in err


def test_vocabulary_command_with_a_broken_kb(kb):
    (kb / "vocabulary.yaml").unlink()
    result = CliRunner().invoke(main, ["vocabulary", "--kb", str(kb)])
    assert result.exit_code == 3 and "vocabulary.yaml: not found" in result.stderr


def test_failing_function_call(kb):
    line = append(kb / "scope.lp", 'bad_date(S) :- system(S), D = @date("2026-02-30").\n')
    err = solve_with(kb)
    assert f'scope.lp:{line}: @date("2026-02-30") fails: day is out of range for month' in err


def test_unknown_function(kb):
    line = append(kb / "scope.lp", 'bad_call(S) :- system(S), D = @nosuch("x").\n')
    assert f"scope.lp:{line}: the function @nosuch does not exist" in solve_with(kb)


def test_integrity_constraint_names_the_culprit_constraint_and_facts(kb):
    line = append(kb / "classification.lp", "%@ source: Art. 99 (test)\n:- system(S), high_risk(S, _, _).\n") + 1
    err = solve_with(kb, CV, CHATBOT)
    assert f"classification.lp:{line}: the rules have no answer set for system `cv-screening`" in err
    assert "integrity constraint `:- system(S), high_risk(S, _, _).` [Art. 99 (test)]" in err
    assert 'facts involved: high_risk(annex_iii,"4(a)")' in err
    assert "chatbot-gemeente" not in err  # it has an answer set: not a culprit


def test_contradictory_choices_for_an_unknown_fact(kb, tmp_path):
    line = append(kb / "classification.lp", "%@ source: test\n:- status(S, in_use).\n:- status(S, in_development).\n"
                                            ":- status(S, decommissioned).\n") + 1
    description = tmp_path / "open.yaml"
    description.write_text("id: open-status\nstatus: unknown\n", encoding="utf-8")
    err = solve_with(kb, str(description))
    assert "system `open-status`" in err and f"classification.lp:{line}" in err
    assert "(assumed for an unknown fact)" in err


def test_rule_depending_on_its_own_negation(kb):
    line = append(kb / "classification.lp", "loopy(S) :- system(S), not loopy(S).\n")
    err = solve_with(kb)
    assert f"classification.lp:{line}: the rules have no answer set for system `cv-screening`" in err
    assert "depends on the negation of its own conclusion: `loopy(S) :- system(S), not loopy(S).`" in err


def test_knowledge_base_error_keeps_each_problem_once():
    from aiact_asp.errors import InputError

    same = InputError("a.lp", 3, None, "x")
    assert KnowledgeBaseError([same, same, InputError("a.lp", 4, None, "y")]).errors == [same, InputError("a.lp", 4, None, "y")]


def test_gpai_model_described_as_used_for_recruitment_gives_a_finding(classify):
    # Art. 6(2): Annex III use cases are intended purposes of AI systems, not of models (Art. 3(63))
    outcome = classify({
        "activities": ["develops", "places_on_market_own_name"],
        "gpai": {"is_gpai_model": True},
        "annex_iii": {"use_cases": ["employment_recruitment_selection"]},
    })
    assert "annex_iii_use_case_on_gpai_model" in outcome.findings, outcome.certain
    assert outcome.risk_class == "gpai_model"
