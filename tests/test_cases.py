"""The rule-set cases in tests/cases/: every case comes out as the law says.

tests/cases/ holds, per rule set (art5/, annex_iii/, art50/), system descriptions with a `reason:`
citing the article and an `expect:` block derived from the law, written so that every condition
of the rules in kb/art5.lp, kb/annex_iii.lp and kb/art50.lp decides at least one case (a
near-miss in which exactly that element is absent, or its exception applies). `aiact-asp test`
runs them together with facts/ by default, and `aiact-asp test --mutate` uses them to check that
no condition of those rules can be dropped or reversed unnoticed.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ruamel.yaml import YAML

from aiact_asp.case_report import run_text
from aiact_asp.cases import PASSED, run_cases

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
RULE_SETS = ("art5", "annex_iii", "art50")


def _entries() -> list[tuple[Path, dict]]:
    out = []
    for path in sorted(CASES.rglob("*.yaml")):
        doc = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        out += [(path, entry) for entry in (doc["systems"] if "systems" in doc else [doc])]
    return out


def test_every_case_passes():
    run = run_cases([CASES], as_of=_dt.date(2026, 11, 30))
    assert not run.errors, "\n".join(map(str, run.errors))
    assert run.cases and not run.unchecked, "every description in tests/cases/ must have an `expect:` block"
    failing = [c for c in run.cases if c.status != PASSED]
    assert not failing, run_text(run, "en", False)


def test_cases_are_grouped_by_rule_set_and_cite_the_law():
    entries = _entries()
    assert {p.parent.name for p, _ in entries} == set(RULE_SETS)
    for path, entry in entries:
        reason = entry.get("reason") or ""
        assert any(word in reason for word in ("Art ", "Art. ", "Annex", "recital")), f"{path}: {entry['id']}: reason cites no source"
        assert entry["expect"].get("as_of"), f"{path}: {entry['id']}: set expect.as_of (the outcome must not depend on today)"


def test_default_test_run_includes_the_cases(monkeypatch):
    from aiact_asp.cli import main  # noqa: F401 — the CLI module imports the workbench commands
    from aiact_asp.cli_workbench import _default_paths

    monkeypatch.chdir(ROOT)
    assert _default_paths((), None, with_cases=True) == [Path("facts"), Path("tests/cases")]
    assert _default_paths((), None) == [Path("facts")]
