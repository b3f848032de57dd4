"""A large ``solve`` on several processors: the systems in shares, each share grounded and
solved in a process of its own, the reports joined in order.

Systems are independent: every atom carries the system id, no rule joins two systems, so a
system's answer set, conclusions and rule instances are the same whether it is grounded alone,
with a share or with the whole folder. The report of each system is therefore the same text,
and the joined report is the one a single process writes, byte for byte (tested); the summary
is counted over all shares. Each share is still grounded and solved in one run of clingo (thousands
of systems at a time), never one run per system.

Only where the process can be forked safely (Linux): the shares are forked from the process that
read the descriptions, so nothing is copied or read twice. A share writes its systems' reports
to a file of its own in a temporary folder; the reports are written out once every share is
done, so that an error of the knowledge base (exit code 3) is reported before any output, as in
one process.
"""

from __future__ import annotations

import datetime as _dt
import os
import pickle
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

from .errors import InputError
from .kb import KnowledgeBase
from .loader import Description
from .vocabulary import Vocabulary

#: Systems per process: a share of this size takes about 10 s of CPU (about 5 ms per system,
#: benchmarks/run.py), far more than forking and grounding the rules once more cost; smaller runs
#: stay in one process and one grounding.
MIN_SHARE = 2000

#: What a forked share reads (set just before the processes are forked; never pickled).
_STATE: dict[str, Any] = {}


def can_fork() -> bool:
    """Whether shares can be forked here: on Linux (elsewhere forking a process that has loaded
    native libraries is not safe, and the run stays in one process)."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def jobs_for(systems: int, requested: int | None = None) -> int:
    """How many processes to use for ``systems`` systems: ``requested`` if given, else one per
    :data:`MIN_SHARE` systems; never more than the processors or the systems; 1 where processes
    cannot be forked."""
    if not can_fork() or systems < 2:
        return 1
    wanted = requested if requested is not None else systems // MIN_SHARE
    return max(1, min(wanted, systems, os.cpu_count() or 1))


def shares(count: int, jobs: int) -> list[tuple[int, int]]:
    """``jobs`` contiguous ``(start, stop)`` ranges over ``count`` items, sizes differing by at most one."""
    size, extra = divmod(count, jobs)
    out, start = [], 0
    for i in range(jobs):
        stop = start + size + (1 if i < extra else 0)
        out.append((start, stop))
        start = stop
    return out


def solve_report(descriptions: list[Description], errors: list[InputError], kb: KnowledgeBase, vocabulary: Vocabulary,
                 as_of: _dt.date, open_world: str | None, fmt: str, lang: str, rules: bool, list_errors: bool,
                 jobs: int) -> Iterator[str]:
    """Classify ``descriptions`` in ``jobs`` processes; return the ``solve`` report (``fmt``
    ``"json"`` or ``"text"``) in pieces: the same text as :func:`aiact_asp.report.run_json_text`
    / :func:`aiact_asp.report.run_text_pieces` of one run.

    Every share is classified before this returns; the pieces are read from the shares' files
    as they are consumed (the files are removed after the last piece, or when the iterator is closed).

    Raises:
        KnowledgeBaseError: the knowledge base cannot be grounded for a share, or has no answer
            set (as :func:`aiact_asp.api.classify_descriptions` raises it).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    folder = Path(tempfile.mkdtemp(prefix="aiact-asp-shares-"))
    try:
        ranges = shares(len(descriptions), jobs)
        _STATE.update(descriptions=descriptions, kb=kb, vocabulary=vocabulary, as_of=as_of, open_world=open_world,
                      fmt=fmt, lang=lang, rules=rules)
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = [pool.submit(_classify_share, start, stop, str(folder / f"share-{i}.pickle"))
                           for i, (start, stop) in enumerate(ranges)]
                counts = [future.result() for future in futures]
        finally:
            _STATE.clear()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return _pieces(folder, len(ranges), sum(counts, Counter()), errors, kb, vocabulary, fmt, lang, list_errors)


def _pieces(folder: Path, count: int, risk_classes: Counter, errors: list[InputError], kb: KnowledgeBase,
            vocabulary: Vocabulary, fmt: str, lang: str, list_errors: bool) -> Iterator[str]:
    from .report import Wording, json_document, text_summary

    try:
        blocks = _blocks(folder, count)
        if fmt == "json":
            yield from json_document(lang, blocks, errors, lambda: risk_classes)
        else:
            yield from blocks
            yield text_summary(lang, risk_classes, errors, list_errors, Wording(kb, vocabulary, lang))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _blocks(folder: Path, count: int) -> Iterator[str]:
    for i in range(count):
        with open(folder / f"share-{i}.pickle", "rb") as stream:
            while True:
                try:
                    yield pickle.load(stream)
                except EOFError:
                    break


def _classify_share(start: int, stop: int, path: str) -> Counter:
    """In a forked process: classify systems ``start:stop`` and write the report of each to
    ``path``; returns the count of each risk class."""
    from .api import classify_descriptions
    from .report import json_system_blocks, text_system_blocks

    state = _STATE
    run = classify_descriptions(state["descriptions"][start:stop], state["kb"], state["vocabulary"], state["as_of"],
                                open_world=state["open_world"])
    if state["fmt"] == "json":
        blocks = json_system_blocks(run, state["lang"])
    else:
        blocks = text_system_blocks(run, state["lang"], state["rules"])
    with open(path, "wb") as stream:
        for block in blocks:
            pickle.dump(block, stream, protocol=pickle.HIGHEST_PROTOCOL)
    return Counter(result.risk_class for result in run.results)

