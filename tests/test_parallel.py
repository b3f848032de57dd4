"""A large run in shares (``solve --jobs``, aiact_asp/parallel.py) gives the report of one process.

Systems are independent (every atom carries the system id), so splitting them over processes
can change nothing in the report: these tests hold the joined report to the one-process report
byte for byte, with input errors and in both languages.
"""

from __future__ import annotations

import os
from datetime import date
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aiact_asp import parallel

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts"

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="shares are forked processes (Linux)")


def _solve(*args: str, cwd: Path | None = None, tmp: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **({"TMPDIR": str(tmp)} if tmp else {})}
    return subprocess.run([sys.executable, "-m", "aiact_asp", "solve", *args, "--as-of", "2026-11-30"],
                          cwd=cwd or ROOT, env=env, capture_output=True, timeout=600)


def _files(folder: Path, sizes: list[int]) -> list[Path]:
    folder.mkdir()
    out = []
    for i, size in enumerate(sizes):
        path = folder / f"f{i:02}.yaml"
        path.write_bytes(b"#" * size)
        out.append(path)
    return out


def test_shares_are_consecutive_files_of_about_equal_size(tmp_path: Path):
    even = _files(tmp_path / "even", [100] * 10)
    assert parallel.shares(even, 2) == [even[:5], even[5:]]
    assert [len(s) for s in parallel.shares(even, 3)] == [3, 4, 3]
    assert parallel.shares(even, 10) == [[f] for f in even]
    uneven = _files(tmp_path / "uneven", [10_000] + [100] * 9)
    assert parallel.shares(uneven, 2) == [uneven[:1], uneven[1:]]  # the large file is a share of its own
    assert parallel.shares(uneven, 3) == [uneven[:1], uneven[1:2], uneven[2:]]  # none empty


def test_small_runs_stay_in_one_process(tmp_path: Path):
    examples = sorted(FACTS.glob("*.yaml"))
    assert sum(p.stat().st_size for p in examples) < parallel.SHARE_BYTES
    assert parallel.jobs_for(examples) == 1
    assert parallel.jobs_for(examples, open_world=True) == min(2, os.cpu_count() or 1)  # a second or so per system
    assert parallel.jobs_for(examples[:1], requested=4) == 1  # one file: one process
    cpus = os.cpu_count() or 1
    assert parallel.jobs_for(examples, requested=3) == min(3, cpus)  # never more processes than processors
    assert parallel.jobs_for(examples[:2], requested=8) == min(2, cpus)  # nor than files
    large = _files(tmp_path / "large", [parallel.SHARE_BYTES] * 10)
    assert parallel.jobs_for(large) == min(10, cpus)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The examples, one file that cannot be read, and one that repeats the id of a system in an
    earlier file (listed in the report): with two processes the repeat is in the second share,
    the system it repeats in the first."""
    target = tmp_path / "facts"
    shutil.copytree(FACTS, target)
    (target / "zz-bad.yaml").write_text("id: zz-bad\ndefinition:\n  machine_based: yes\n", encoding="utf-8")
    shutil.copy(FACTS / "cv-screening.yaml", target / "zz-repeat.yaml")
    return target


@pytest.mark.parametrize("fmt,lang", [("json", "en"), pytest.param("text", "nl", marks=pytest.mark.slow)])
def test_report_in_shares_is_the_one_process_report(folder: Path, tmp_path: Path, fmt: str, lang: str):
    reports = {}
    scratch = tmp_path / "scratch"  # the shares' temporary folders (of this run only)
    scratch.mkdir()
    for jobs in ("1", "2"):
        out = tmp_path / f"report-{jobs}.{fmt}"
        result = _solve(str(folder), "--format", fmt, "--lang", lang, "--jobs", jobs, "-o", str(out), tmp=scratch)
        assert result.returncode == 2, result.stderr.decode()  # one file could not be read
        assert b"zz-bad.yaml:3" in result.stderr
        assert b"zz-repeat.yaml:2: id: " in result.stderr and b"cv-screening.yaml:2" in result.stderr
        reports[jobs] = (out.read_bytes(), result.stderr)
    assert reports["1"] == reports["2"]  # the report, and the errors in the same order
    shares = parallel.shares(sorted(folder.glob("*.yaml")), 2)
    assert folder / "cv-screening.yaml" in shares[0] and folder / "zz-repeat.yaml" in shares[1]
    reports = {jobs: report for jobs, (report, _) in reports.items()}
    text = reports["2"].decode("utf-8")
    assert "cv-screening" in text and "zz-bad.yaml" in text
    assert ("Samenvatting: 47 systemen" in text) if fmt == "text" else ('"systems": 47' in text)
    assert not list(scratch.iterdir())  # cleaned up


def test_knowledge_base_error_in_a_share_is_reported_before_any_output(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", kb)
    with open(kb / "classification.lp", "a", encoding="utf-8") as stream:
        stream.write("\n:- ai_system(S).\n")  # no answer set for any AI system: a defect of the rules
    out = tmp_path / "report.json"
    out.write_text("old report", encoding="utf-8")
    result = _solve(str(FACTS), "--kb", str(kb), "--jobs", "2", "--format", "json", "-o", str(out))
    assert result.returncode == 3, result.stderr.decode()
    assert b"knowledge base has a problem" in result.stderr and b"Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "old report"


def test_inventory_read_in_shares_is_the_inventory_of_one_process(folder: Path, monkeypatch: pytest.MonkeyPatch):
    # an inventory reads its files in shares (the systems are then solved together, once per set of facts)
    from aiact_asp.inventory import inventory_paths

    as_of = date(2026, 11, 30)
    one = inventory_paths([folder], as_of, questions=False)
    monkeypatch.setattr(parallel, "SHARE_BYTES", 1)  # as if the examples were large
    if parallel.jobs_for(sorted(folder.glob("*.yaml"))) < 2:
        pytest.skip("one processor")
    shared = inventory_paths([folder], as_of, questions=False)
    assert [row.id for row in shared.rows] == [row.id for row in one.rows] and len(one.rows) == 47
    assert shared.rows == one.rows
    assert shared.failed == one.failed and len(one.failed) == 2  # the unreadable file and the repeated id
    assert "already used" in one.failed[1].message
    assert shared.groups == one.groups


@pytest.mark.slow
def test_outcomes_named_for_questions_that_matter_together_do_not_depend_on_the_other_systems():
    # which outcomes a together-question names comes from the two answer sets the solver finds;
    # each system is searched on a grounding of its own, so a share (other neighbours) names the same
    from aiact_asp.api import classify_descriptions, read_inputs

    kb, vocabulary, descriptions, errors = read_inputs([FACTS / "sociale-score-burgers.yaml",
                                                        FACTS / "regelengine-parkeervergunning.yaml"])
    assert not errors

    def together(run, system):
        result = next(r for r in run.results if r.id == system)
        return [(q.key, [str(o) for o in q.outcomes]) for q in result.open_questions if q.together]

    as_of = date(2026, 11, 30)
    everything = classify_descriptions(descriptions, kb, vocabulary, as_of, open_world="sections")
    for desc in descriptions:
        alone = classify_descriptions([desc], kb, vocabulary, as_of, open_world="sections")
        assert together(alone, desc.id) == together(everything, desc.id)
    assert together(everything, "sociale-score-burgers")  # there are such questions to compare


def test_a_share_that_ends_without_a_result_is_an_error_not_a_hang(tmp_path: Path):
    from aiact_asp.api import load_kb_vocabulary

    files = sorted(FACTS.glob("*.yaml"))[:4]
    vocabulary = load_kb_vocabulary(ROOT / "kb")

    def work(index: int, descriptions: list) -> int:
        if index == 1:
            os._exit(1)  # as if the process were killed
        return len(descriptions)

    with pytest.raises(parallel.ShareFailed, match="exit code 1; try again with --jobs 1"):
        parallel.read_in_shares(files, [], vocabulary, 2, work)
    errors, counts = parallel.read_in_shares(files, [], vocabulary, 2, lambda index, descriptions: len(descriptions))
    assert errors == [] and sum(counts) == 4 and len(counts) == 2
