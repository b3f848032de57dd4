"""Shared fixtures: classify a description given as a Python dict, as a YAML file would hold it."""

from __future__ import annotations

import datetime as _dt
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from aiact_asp.api import classify_descriptions
from aiact_asp.engine import SystemResult
from aiact_asp.kb import load_kb
from aiact_asp.loader import parse_text
from aiact_asp.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent

# The test run keeps its knowledge-base cache (aiact_asp.kbcache) in a folder of its own, shared
# with the commands it starts, not in the user's ~/.cache.
os.environ.setdefault("AIACT_ASP_CACHE_DIR", tempfile.mkdtemp(prefix="aiact-asp-test-cache-"))


@dataclass
class Outcome:
    """What the engine derived for one description.

    ``certain``/``possible`` hold conclusion labels without the system id, e.g.
    ``high_risk(annex_iii,"4(a)")``; ``possible`` includes the certain ones; ``findings`` holds
    the finding codes (``machinery_directive_read_as_regulation``).
    """

    certain: set[str]
    possible: set[str]
    risk_class: str | None
    findings: set[str]
    result: SystemResult


def to_yaml(description: dict) -> str:
    stream = io.StringIO()
    YAML().dump(description, stream)
    return stream.getvalue()


def classify_one(description: dict, as_of: str = "2026-11-30") -> Outcome:
    kb = load_kb()
    vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    description = {"id": "s", **description}
    descriptions, errors = parse_text(to_yaml(description), "<test>", vocabulary)
    assert not errors, "\n".join(map(str, errors))
    run = classify_descriptions(descriptions, kb, vocabulary, _dt.date.fromisoformat(as_of))
    result = run.results[0]
    risk = result.risk_class
    return Outcome(
        certain=result.labels(True),
        possible=result.labels(None),
        risk_class=None if risk == "undetermined" else risk,
        findings={str(f.arguments[0]) for f in result.findings},
        result=result,
    )


@pytest.fixture
def classify():
    """``classify(description: dict, as_of="2026-11-30") -> Outcome``."""
    return classify_one
