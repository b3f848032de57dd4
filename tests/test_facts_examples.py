"""The example inventory in facts/: every description classified as its `expect:` block says.

Each file in facts/ describes one system and carries, next to the system keys, a `reason:` (which
articles decide the outcome) and an `expect:` block with the risk class and the EXACT set of
certain classification conclusions, derived from the law (Regulation (EU) 2024/1689 as amended by
Regulation (EU) 2026/1744, the Handreiking AI-verordening), not from the program's output. The
articles behind each expectation are cited in comments in the file itself.

The comparison is restricted to the classification conclusions (definition, scope, Art 5,
Art 6 / Annexes I and III, Art 50, GPAI, risk class); roles and obligations, which the knowledge
base also reports, are tested elsewhere.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML


FACTS = Path(__file__).resolve().parent.parent / "facts"
DEFAULT_AS_OF = "2026-11-30"
FILES = sorted(p for p in FACTS.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))

# Conclusion predicates that make up a classification (kb/conclusions.yaml); `role`, `obligation`,
# `obligation_applies_from` and `finding` are not part of the comparison.
CLASSIFICATION = {
    "ai_system", "not_ai_system", "in_scope", "out_of_scope", "deployer_obligations_excluded",
    "prohibited", "prohibited_from", "high_risk", "annex_iii_derogation",
    "transparency_obligation", "transparency_obligation_from", "transparency_obligation_limited",
    "gpai_model", "gpai_system", "gpai_systemic_risk", "risk_class",
}
RISK_CLASSES = {"prohibited", "high_risk", "limited_risk", "minimal_risk", "out_of_scope",
                "not_ai_system", "gpai_model", "gpai_model_systemic_risk"}


def _read(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _predicate(label: str) -> str:
    return label.split("(", 1)[0]


def test_inventory_has_at_least_30_examples():
    assert len(FILES) >= 30, f"facts/ holds {len(FILES)} descriptions; at least 30 expected"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_example_is_well_formed(path: Path):
    """Every file: one system, a reason, and an expect block with a risk class and conclusions."""
    data = _read(path)
    assert isinstance(data, dict) and "systems" not in data, "one system per file"
    assert data.get("id") == path.stem, "file name must be <id>.yaml"
    assert isinstance(data.get("reason"), str) and data["reason"].strip(), "missing `reason:`"
    expect = data.get("expect")
    assert isinstance(expect, dict), "missing `expect:` block"
    assert expect.get("risk_class") in RISK_CLASSES
    conclusions = expect.get("conclusions")
    assert isinstance(conclusions, list) and conclusions, "expect.conclusions must list the conclusions"
    assert len(set(conclusions)) == len(conclusions), "duplicate expected conclusion"
    assert f"risk_class({expect['risk_class']})" in conclusions, "risk_class(...) must be among the conclusions"
    assert {_predicate(c) for c in conclusions} <= CLASSIFICATION, "unknown conclusion predicate"
    if "as_of" in expect:
        _dt.date.fromisoformat(str(expect["as_of"]))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_example_classification(path: Path, examples_run):
    """The certain classification conclusions and the risk class are exactly those the law gives."""
    expect = _read(path)["expect"]
    as_of = _dt.date.fromisoformat(str(expect.get("as_of", DEFAULT_AS_OF)))
    # every example in one run (systems are independent), each assessed on its own
    # ``expect.as_of``, else on the run's date (DEFAULT_AS_OF)
    run = examples_run
    errors = [e for e in run.errors if Path(e.file).resolve() == path.resolve()]
    assert not errors, "\n".join(map(str, errors))
    results = [r for r in run.results if Path(r.description.file).resolve() == path.resolve()]
    assert len(results) == 1
    result = results[0]
    assert result.as_of == as_of
    certain = {label for label in result.labels(True) if _predicate(label) in CLASSIFICATION}
    expected = set(expect["conclusions"])
    assert certain == expected, (
        f"{path.name}: missing {sorted(expected - certain)}, unexpected {sorted(certain - expected)}"
    )
    assert result.risk_class == expect["risk_class"]
