"""A large run in shares (``solve --jobs``, aiact_asp/parallel.py) gives the report of one process.

Systems are independent (every atom carries the system id), so splitting them over processes
can change nothing in the report: these tests hold the joined report to the one-process report
byte for byte, with input errors and in both languages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aiact_asp import parallel

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts"

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="shares are forked processes (Linux)")


def _solve(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "aiact_asp", "solve", *args, "--as-of", "2026-11-30"],
                          cwd=cwd or ROOT, env=env, capture_output=True, timeout=600)


def test_shares_cover_every_system_once_in_order():
    assert parallel.shares(10, 3) == [(0, 4), (4, 7), (7, 10)]
    assert parallel.shares(2, 2) == [(0, 1), (1, 2)]


def test_small_runs_stay_in_one_process():
    assert parallel.jobs_for(1) == 1
    assert parallel.jobs_for(parallel.MIN_SHARE - 1) == 1
    cpus = os.cpu_count() or 1
    assert parallel.jobs_for(47, requested=3) == min(3, cpus)  # never more processes than processors
    assert parallel.jobs_for(2, requested=8) == min(2, cpus)  # nor than systems
    assert parallel.jobs_for(10 * parallel.MIN_SHARE) == min(10, cpus)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The examples and one file that cannot be read (listed in the report)."""
    target = tmp_path / "facts"
    shutil.copytree(FACTS, target)
    (target / "zz-bad.yaml").write_text("id: zz-bad\ndefinition:\n  machine_based: yes\n", encoding="utf-8")
    return target


@pytest.mark.parametrize("fmt,lang", [("json", "en"), ("text", "nl")])
def test_report_in_shares_is_the_one_process_report(folder: Path, tmp_path: Path, fmt: str, lang: str):
    reports = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"report-{jobs}.{fmt}"
        result = _solve(str(folder), "--format", fmt, "--lang", lang, "--jobs", jobs, "-o", str(out))
        assert result.returncode == 2, result.stderr.decode()  # one file could not be read
        assert b"zz-bad.yaml:3" in result.stderr
        reports[jobs] = out.read_bytes()
    assert reports["1"] == reports["2"]
    text = reports["2"].decode("utf-8")
    assert "cv-screening" in text and "zz-bad.yaml" in text
    assert ("Samenvatting: 47 systemen" in text) if fmt == "text" else ('"systems": 47' in text)
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("aiact-asp-shares-*/share-*"))  # cleaned up


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
