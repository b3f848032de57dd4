"""Shared fixtures: classify a description given as a Python dict, as a YAML file would hold it."""

from __future__ import annotations

import datetime as _dt
import functools
import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml

from aiact_asp import fastload
from aiact_asp.api import Run, classify_descriptions, classify_paths
from aiact_asp.engine import SystemResult, ground
from aiact_asp.kb import load_kb
from aiact_asp.loader import Description, parse_text
from aiact_asp.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """libyaml's emitter (when PyYAML was built with it) that quotes, as ruamel.yaml does, a string
    YAML 1.2 reads as a number though YAML 1.1 does not (``"3.8e25"``, ``"0o17"``): a test that
    writes a number in quotes keeps its quotes."""


_Dumper.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
                              list("-+0123456789."))
_Dumper.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^0o[0-7]+$"), ["0"])

# The test run keeps its knowledge-base cache (aiact_asp.kbcache) in a folder of its own, shared
# with the commands it starts, not in the user's ~/.cache.
os.environ.setdefault("AIACT_ASP_CACHE_DIR", tempfile.mkdtemp(prefix="aiact-asp-test-cache-"))

#: Set (``AIACT_ASP_TEST_CROSSCHECK=1``) to have every ``classify`` also ground the instrumented
#: knowledge base and check that it gives the same labels, risk class and findings as the plain one.
CROSSCHECK = os.environ.get("AIACT_ASP_TEST_CROSSCHECK", "").strip().lower() not in ("", "0", "no", "false", "off")


class Outcome:
    """What the engine derived for one description.

    ``certain``/``possible`` hold conclusion labels without the system id, e.g.
    ``high_risk(annex_iii,"4(a)")``; ``possible`` includes the certain ones; ``findings`` holds
    the finding codes (``machinery_directive_read_as_regulation``).

    These come from the plain knowledge base (no rule-firing records: a third of the cost), as
    does :attr:`plain`; :attr:`result` — with the rules that derived each conclusion and the open
    questions, as a user's run has them — is computed on first use.
    """

    def __init__(self, certain: set[str], possible: set[str], risk_class: str | None, findings: set[str],
                 plain: SystemResult):
        self.certain, self.possible, self.risk_class, self.findings = certain, possible, risk_class, findings
        #: the result from the plain rules: every conclusion, certain or not, and the assessment
        #: date, without the rules that derived them or the open questions (shared: do not change it)
        self.plain = plain

    def __repr__(self) -> str:
        return (f"Outcome(certain={self.certain!r}, possible={self.possible!r}, risk_class={self.risk_class!r}, "
                f"findings={self.findings!r})")

    @functools.cached_property
    def result(self) -> SystemResult:
        """The full result of a run (:func:`aiact_asp.api.classify_descriptions`): instrumented
        rules, rule firings and open questions."""
        return _classified(self.plain.description, self.plain.as_of)


def to_yaml(description: dict) -> str:
    """``description`` as a YAML file holds it (block style, keys in their order): with libyaml's
    emitter, a tenth of ruamel.yaml's cost for the ~1,000 descriptions the rule tests classify."""
    return yaml.dump(description, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def _summary(result: SystemResult) -> tuple[set[str], set[str], str | None, set[str]]:
    """(certain, possible, risk class or None when undetermined, finding codes) of ``result``."""
    risk = result.risk_class
    return (result.labels(True), result.labels(None), None if risk == "undetermined" else risk,
            {str(f.arguments[0]) for f in result.findings})


def _classified(description: Description, as_of: _dt.date) -> SystemResult:
    kb = load_kb()
    vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    return classify_descriptions([description], kb, vocabulary, as_of).results[0]


@functools.lru_cache(maxsize=4096)
def _plain(text: str, as_of: str) -> tuple[SystemResult, tuple]:
    """The result of the description in ``text`` from the plain knowledge base, and its summary;
    memoised: a test may classify the same description as another one (the base case of a group)."""
    kb = load_kb()
    vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    # the fast reader gives the loader's descriptions or None (then the loader reads it), as for `solve`
    descriptions = fastload.parse_text(text, "<test>", vocabulary)
    if descriptions is None or CROSSCHECK:
        exact, errors = parse_text(text, "<test>", vocabulary)
        assert not errors, "\n".join(map(str, errors))
        assert descriptions in (None, exact), "the fast reader and the loader disagree"
        descriptions = exact
    date = _dt.date.fromisoformat(as_of)
    result = ground(descriptions, kb, vocabulary, date, firings=False).results[0]
    summary = _summary(result)
    if CROSSCHECK:
        assert _summary(_classified(descriptions[0], date)) == summary, "plain and instrumented rules disagree"
    return result, summary


#: The assessment date of the shared run of the examples (and the fixture's default).
EXAMPLES_AS_OF = _dt.date(2026, 11, 30)


@functools.lru_cache(maxsize=1)
def examples_run() -> Run:
    """Every description in facts/ classified on :data:`EXAMPLES_AS_OF` in one run, as
    ``aiact-asp solve facts/`` does: computed once per test process and shared by the tests that
    report or explain it (neither changes a run; do not change it)."""
    return classify_paths([ROOT / "facts"], EXAMPLES_AS_OF)


def classify_one(description: dict, as_of: str = "2026-11-30") -> Outcome:
    """Classify ``description`` (system id ``s``) on ``as_of`` (see :class:`Outcome`)."""
    result, (certain, possible, risk_class, findings) = _plain(to_yaml({"id": "s", **description}), as_of)
    # fresh sets: a test may change what it gets without changing what the next one gets
    return Outcome(set(certain), set(possible), risk_class, set(findings), result)


@pytest.fixture
def classify():
    """``classify(description: dict, as_of="2026-11-30") -> Outcome``."""
    return classify_one


@pytest.fixture(name="examples_run")
def _examples_run() -> Run:
    """The run of every example (:func:`examples_run`)."""
    return examples_run()
