"""A large run on several processors: the description files in shares, each share read,
grounded and solved in a process of its own, the results joined in order.

Systems are independent: every atom carries the system id, no rule joins two systems, so a
system's answer set, conclusions and rule instances are the same whether it is grounded alone,
with a share or with the whole folder. The report of each system is therefore the same text,
and the joined report is the one a single process writes, byte for byte (tested); the summary
is counted over all shares. Each share is still grounded and solved in one run of clingo
(thousands of systems at a time), never one run per system.

A share is a run of consecutive files (in the sorted order of :func:`aiact_asp.loader.iter_files`),
about as many bytes as the others. Each process reads its own files, so reading is shared out too;
the check that every system id is used once is then made in the first process, in reading order
(:class:`aiact_asp.loader.UniqueIds`), on the ids and lines the shares send, and each share drops
the systems that check refuses before it grounds: the errors and the systems are those of one
process reading every file.

Only where the process can be forked safely (Linux): the shares are forked from the process that
loaded the knowledge base, so nothing is copied or loaded twice.
"""

from __future__ import annotations

import datetime as _dt
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
from bisect import bisect_left
from collections import Counter
from contextlib import ExitStack, contextmanager
from itertools import accumulate
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterator, TypeVar

from .errors import InputError, ShareFailed
from .kb import KnowledgeBase
from .loader import Description, SystemAt, UniqueIds
from .vocabulary import Vocabulary

#: Bytes of description files per process. 1 MiB is some 500 compact descriptions, or some 40
#: skeletons full of the register's comments: at least a second of work either way, far more than
#: forking and grounding the rules once more cost (about 0.1 s); smaller runs stay in one process.
SHARE_BYTES = 1 << 20

T = TypeVar("T")


def can_fork() -> bool:
    """Whether shares can be forked here: on Linux (elsewhere forking a process that has loaded
    native libraries is not safe, and the run stays in one process)."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read (and reported) by its share like any other file


#: With open questions for the sections left out (``solve --open-world``) a system costs about a
#: second rather than a few milliseconds: a share is worth a process from this many bytes.
OPEN_WORLD_SHARE_BYTES = 16 << 10


def jobs_for(files: list[Path], requested: int | None = None, open_world: bool = False) -> int:
    """How many processes to read and classify ``files`` in: ``requested`` if given, else one per
    :data:`SHARE_BYTES` of them (:data:`OPEN_WORLD_SHARE_BYTES` with ``open_world``); never more
    than the processors or the files; 1 where processes cannot be forked."""
    if not can_fork() or len(files) < 2:
        return 1
    per_process = OPEN_WORLD_SHARE_BYTES if open_world else SHARE_BYTES
    wanted = requested if requested is not None else sum(map(_size, files)) // per_process
    return max(1, min(wanted, len(files), os.cpu_count() or 1))


def shares(files: list[Path], jobs: int) -> list[list[Path]]:
    """``jobs`` runs of consecutive ``files`` (``jobs`` at most the number of files), none empty,
    each about as many bytes as the others."""
    cumulative = list(accumulate(max(1, _size(path)) for path in files))  # bytes up to and with each file
    cuts = [0]
    for i in range(1, jobs):
        target = cumulative[-1] * i / jobs
        cut = bisect_left(cumulative, target)  # files[:cut + 1] reach the target, files[:cut] do not
        if cut > 0 and target - cumulative[cut - 1] < cumulative[cut] - target:
            cut -= 1
        cuts.append(min(max(cut + 1, cuts[-1] + 1), len(files) - (jobs - i)))
    cuts.append(len(files))
    return [files[a:b] for a, b in zip(cuts, cuts[1:])]


def read_in_shares(files: list[Path], errors: list[InputError], vocabulary: Vocabulary, jobs: int,
                   work: Callable[[int, list[Description]], T],
                   waiting: ContextManager | None = None) -> tuple[list[InputError], list[T]]:
    """Read ``files`` (sorted, as :func:`aiact_asp.loader.iter_files` gives them) in ``jobs``
    forked processes and call ``work(share index, descriptions)`` in each on what it read.

    ``errors`` are the errors found before reading (paths that do not exist). ``waiting`` (e.g. a progress
    :class:`~aiact_asp.progress.Ticker`, whose thread must not be running when a process is forked)
    is entered once every process is started and left at the end.

    Returns:
        ``(errors, results)``: the errors of reading every file in one process (the same list,
        in the same order, as :func:`aiact_asp.fastload.load_paths`), and ``work``'s result per
        share, in share order. Every system is in exactly one share's descriptions, in reading
        order; a system whose id an earlier one already has is in none.

    Raises:
        whatever ``work`` raised in the first share that failed (e.g. KnowledgeBaseError);
        ShareFailed: a process ended without a result.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    runs = shares(files, jobs)
    links, processes = [], []
    stack = ExitStack()
    stack.enter_context(_ended_by_sigterm())
    try:
        for index, mine in enumerate(runs):
            here, there = context.Pipe()
            process = context.Process(target=_share, args=(there, os.getpid(), index, mine, vocabulary, work), daemon=True)
            process.start()
            there.close()
            links.append(here)
            processes.append(process)
        if waiting is not None:
            stack.enter_context(waiting)
        errors = list(errors)
        ids = UniqueIds()
        drops = []
        for link, process in zip(links, processes):
            drop = []
            for position, (file_errors, systems) in enumerate(_receive(link, process)):
                errors.extend(file_errors)
                for number, system in enumerate(systems):
                    duplicate = ids.offer(SystemAt(*system))
                    if duplicate is not None:
                        errors.append(duplicate)
                        drop.append((position, number))
            drops.append(drop)
        for link, process, drop in zip(links, processes, drops):
            try:
                link.send(drop)
            except OSError:  # it has ended already
                _receive(link, process)
                raise _failed(process) from None
        results = [_receive(link, process) for link, process in zip(links, processes)]
    finally:
        stack.close()
        for link in links:
            link.close()
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
    return errors, results


@contextmanager
def _ended_by_sigterm() -> Iterator[None]:
    """While the shares run, end on SIGTERM (a batch system's or a time limit's stop) as on Ctrl-C:
    the finally clauses then stop the shares and remove their temporary files. (This process only
    waits on pipes meanwhile, so the signal is handled at once; a share keeps the default.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(number: int, frame: Any) -> None:
    print("stopped (SIGTERM): the run was ended before its report was written", file=sys.stderr)
    sys.exit(128 + number)


def _receive(link: Any, process: Any) -> Any:
    try:
        kind, value = link.recv()
    except (EOFError, OSError):
        raise _failed(process) from None
    if kind == "error":
        raise value
    return value


def _failed(process: Any) -> ShareFailed:
    process.join()
    code = process.exitcode
    why = " (stopped by the system, e.g. when memory ran out)" if code is not None and code < 0 else ""
    return ShareFailed(f"a process reading and classifying part of the systems stopped without a result, exit code "
                       f"{code}{why}; try again with --jobs 1")


def _end_with(parent: int) -> None:
    """Have this process ended when ``parent`` ends, however it ends (killed by a batch system or a
    time limit): Linux's parent-death signal."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the first process's handler: end at once, even inside clingo
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux's C library: the pipe still ends the share when it is used
        return
    if os.getppid() != parent:  # it ended before the signal was asked for
        os._exit(1)


def _share(link: Any, parent: int, index: int, files: list[Path], vocabulary: Vocabulary,
           work: Callable[[int, list[Description]], Any]) -> None:
    """In a forked process: read ``files``, send what the id check needs, drop what it refuses,
    send ``work``'s result (or the exception it raised)."""
    from .fastload import load_file

    try:
        _end_with(parent)
        read = [load_file(path, vocabulary) for path in files]
        link.send(("read", [(file_errors, [(d.id, d.file, d.line) for d in found]) for found, file_errors in read]))
        drop = set(link.recv())
        kept = [desc for position, (found, _) in enumerate(read) for number, desc in enumerate(found)
                if (position, number) not in drop]
        del read
        link.send(("done", work(index, kept)))
    except BaseException as exc:  # noqa: BLE001 — handed to the first process, which raises it
        try:
            link.send(("error", exc))
        except Exception:  # noqa: BLE001 — an exception that cannot be pickled
            link.send(("error", ShareFailed(f"{type(exc).__name__}: {exc}")))
    finally:
        link.close()


# --------------------------------------------------------------------------- solve


def solve_report(files: list[Path], errors: list[InputError], kb: KnowledgeBase, vocabulary: Vocabulary,
                 as_of: _dt.date, open_world: str | None, fmt: str, lang: str, rules: bool, list_errors: bool,
                 jobs: int, waiting: ContextManager | None = None) -> tuple[list[InputError], Iterator[str]]:
    """Read and classify ``files`` in ``jobs`` processes (:func:`read_in_shares`); return the
    errors of reading and the ``solve`` report (``fmt`` ``"json"`` or ``"text"``) in pieces: the
    same text as :func:`aiact_asp.report.run_json_text` / :func:`aiact_asp.report.run_text_pieces`
    of one run. ``waiting``: as for :func:`read_in_shares` (a progress ticker).

    Every share is classified before this returns; each writes its systems' reports to a file of
    its own in a temporary folder, read as the pieces are consumed (the folder is removed after
    the last piece, or when the iterator is closed), so that an error of the knowledge base
    (exit code 3) is reported before any output, as in one process.

    Raises:
        KnowledgeBaseError: the knowledge base cannot be grounded for a share, or has no answer
            set (as :func:`aiact_asp.api.classify_descriptions` raises it).
        ShareFailed: a process ended without a result.
    """
    folder = Path(tempfile.mkdtemp(prefix="aiact-asp-shares-"))

    def work(index: int, descriptions: list[Description]) -> Counter:
        return _classify_share(descriptions, folder / f"share-{index}.pickle", kb, vocabulary, as_of, open_world,
                               fmt, lang, rules)

    try:
        errors, counts = read_in_shares(files, errors, vocabulary, jobs, work, waiting=waiting)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return errors, _pieces(folder, len(counts), sum(counts, Counter()), errors, kb, vocabulary, fmt, lang, list_errors)


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


def _classify_share(descriptions: list[Description], path: Path, kb: KnowledgeBase, vocabulary: Vocabulary,
                    as_of: _dt.date, open_world: str | None, fmt: str, lang: str, rules: bool) -> Counter:
    """Classify ``descriptions`` and write the report of each system to ``path``; returns the
    count of each risk class."""
    from .api import classify_descriptions
    from .report import json_system_blocks, text_system_blocks

    run = classify_descriptions(descriptions, kb, vocabulary, as_of, open_world=open_world)
    blocks = json_system_blocks(run, lang) if fmt == "json" else text_system_blocks(run, lang, rules)
    with open(path, "wb") as stream:
        for block in blocks:
            pickle.dump(block, stream, protocol=pickle.HIGHEST_PROTOCOL)
    return Counter(result.risk_class for result in run.results)
