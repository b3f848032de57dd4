"""Shared fixtures: classify a description given as a Python dict, as a YAML file would hold it."""

from __future__ import annotations

import dataclasses
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
from aiact_asp.errors import KnowledgeBaseError
from aiact_asp.kb import load_kb
from aiact_asp.loader import Description, parse_text
from aiact_asp.symbols import collect_cycles_less_often
from aiact_asp.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """libyaml's emitter (when PyYAML was built with it) that quotes, as ruamel.yaml does, a string
    YAML 1.2 reads as a number though YAML 1.1 does not (``"3.8e25"``, ``"0o17"``): a test that
    writes a number in quotes keeps its quotes."""


_Dumper.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
                              list("-+0123456789."))
_Dumper.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^0o[0-7]+$"), ["0"])

# A test process keeps thousands of memoised results, as a large run does: the collector ran 3 s
# per process, about 1 s after this (the CLI's commands, run in this process, set the same).
collect_cycles_less_often()

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


def _description(text: str) -> Description:
    """The description in ``text``, read as ``solve`` reads it: the fast reader, which gives the
    loader's description or None (then the loader reads it)."""
    vocabulary = load_vocabulary(load_kb().directory / "vocabulary.yaml")
    descriptions = fastload.parse_text(text, "<test>", vocabulary)
    if descriptions is None or CROSSCHECK:
        exact, errors = parse_text(text, "<test>", vocabulary)
        assert not errors, "\n".join(map(str, errors))
        assert descriptions in (None, exact), "the fast reader and the loader disagree"
        descriptions = exact
    return descriptions[0]


#: (description text, date) -> (result, summary), worked out ahead for a module (:func:`_prefetch`)
_PREFETCHED: dict[tuple[str, str], tuple[SystemResult, tuple]] = {}


@functools.lru_cache(maxsize=4096)
def _plain(text: str, as_of: str) -> tuple[SystemResult, tuple]:
    """The result of the description in ``text`` from the plain knowledge base, and its summary;
    memoised: a test may classify the same description as another one (the base case of a group)."""
    found = _PREFETCHED.pop((text, as_of), None)
    if found is not None:
        return found
    kb = load_kb()
    vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    description = _description(text)
    date = _dt.date.fromisoformat(as_of)
    result = ground([description], kb, vocabulary, date, firings=False).results[0]
    summary = _summary(result)
    if CROSSCHECK:
        assert _summary(_classified(description, date)) == summary, "plain and instrumented rules disagree"
    return result, summary


class _Recorded(Exception):
    """Raised by the recorder of :func:`_prefetch` at a test's first ``classify``."""


def _prefetch(request: pytest.FixtureRequest) -> None:
    """Classify together, in one grounding per date, the first description of every test of
    the requesting module that needs only ``classify`` (and its parameters), as ``solve``
    classifies a folder: a few hundred rule tests then cost a few groundings instead of one
    each. The systems are independent (every atom carries the system id), so each result is
    the one the system gets alone (as the shares of tests/test_parallel.py and the properties
    of tests/test_hostile.py check). Each test's body runs up to its first ``classify`` to find
    the description (the rule tests are functions of the dicts they build); the test itself then
    runs as always, and anything unexpected on the way only leaves its description to be
    classified alone."""
    wanted: dict[tuple[str, str], None] = {}

    def recorder(description: dict, as_of: str = "2026-11-30") -> Outcome:
        wanted[(to_yaml({"id": "s", **description}), as_of)] = None
        raise _Recorded

    for item in request.session.items:
        if item.path != request.path or not isinstance(item, pytest.Function):
            continue
        params = getattr(getattr(item, "callspec", None), "params", {})
        names = item._fixtureinfo.argnames
        if "classify" not in names or set(names) - {"classify", *params}:
            continue
        try:
            item.obj(classify=recorder, **{name: params[name] for name in names if name != "classify"})
        except Exception:  # noqa: BLE001 - _Recorded, or a test that is not a plain function of its dicts
            pass
    kb = load_kb()
    vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    by_date: dict[str, list[str]] = {}
    for text, as_of in wanted:
        by_date.setdefault(as_of, []).append(text)
    for as_of, texts in by_date.items():
        originals = []
        for text in texts:
            try:
                originals.append((text, _description(text)))
            except AssertionError:  # classified alone, where its test shows the error
                continue
        together = [dataclasses.replace(d, id=f"s{i}") for i, (_, d) in enumerate(originals)]
        try:
            results = ground(together, kb, vocabulary, _dt.date.fromisoformat(as_of), firings=False).results
        except KnowledgeBaseError:  # each alone, where its test shows which
            continue
        for (text, original), result in zip(originals, results):
            result.description = original  # the test's own id; the atoms keep the run's ("s<n>")
            _PREFETCHED[(text, as_of)] = (result, _summary(result))


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


_PREFETCHED_MODULES: set[Path] = set()


@pytest.fixture
def classify(request: pytest.FixtureRequest):
    """``classify(description: dict, as_of="2026-11-30") -> Outcome``."""
    if request.path not in _PREFETCHED_MODULES and not CROSSCHECK:
        _PREFETCHED_MODULES.add(request.path)
        _prefetch(request)
    return classify_one


@pytest.fixture(name="examples_run")
def _examples_run() -> Run:
    """The run of every example (:func:`examples_run`)."""
    return examples_run()


# --------------------------------------------------------------------------------------------
# Thorough checks (``@pytest.mark.slow``): properties over generated input, a fast algorithm
# against its slow reference, other processes, a real browser. Left out of a plain run, so
# that the suite answers within a minute; ``-m slow`` runs them, ``-m "slow or not slow"``
# everything, and a test named on the command line (``file::test``) always runs. CI runs both.


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a thorough check, left out unless asked for (-m slow)")


#: Modules whose tests take seconds each (questionnaire sessions): run first, so that with -n the
#: workers end together (a worker takes over another's tests only between tests).
FIRST = ("test_partial_knowledge.py",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in FIRST)  # stable: the order within stays
    if config.option.markexpr:  # the user chose with -m
        return
    named = [_named_test(arg, config.invocation_params.dir) for arg in config.args if "::" in arg]
    left_out = [item for item in items if item.get_closest_marker("slow") and not _is_named(item, named)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        kept = set(map(id, left_out))
        items[:] = [item for item in items if id(item) not in kept]
        config.stash[_LEFT_OUT] = len(left_out)


_LEFT_OUT = pytest.StashKey[int]()


def _is_named(item: pytest.Item, named: list[tuple[Path, str]]) -> bool:
    """Whether ``item`` is one of the tests ``named`` (a parametrised test: any of its cases)."""
    name = item.nodeid.split("::", 1)[1]
    return any(item.path == path and (name == test or name.startswith((test + "[", test + "::"))) for path, test in named)


def _named_test(arg: str, start: Path) -> tuple[Path, str]:
    """``tests/test_x.py::test_y[p]`` named on the command line -> (the file, ``test_y[p]``),
    the file's path taken from where pytest was started."""
    file, _, test = arg.partition("::")
    return (start / file).resolve(), test


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workeroutput"):  # an xdist worker: tell the controller
        session.config.workeroutput["left_out"] = session.config.stash.get(_LEFT_OUT, 0)


@pytest.hookimpl(optionalhook=True)  # xdist's hook: when it is not installed, never called
def pytest_testnodedown(node, error) -> None:  # the controller; every worker collects all
    count = getattr(node, "workeroutput", {}).get("left_out", 0)
    node.config.stash[_LEFT_OUT] = max(count, node.config.stash.get(_LEFT_OUT, 0))


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    count = config.stash.get(_LEFT_OUT, 0)
    if count and not hasattr(config, "workerinput"):
        terminalreporter.write_line(f"{count} thorough checks (@pytest.mark.slow) left out: "
                                    "python -m pytest -q -n auto -m slow runs them")
