#!/usr/bin/env python3
"""Speed and memory figures for aiact-asp. It PRINTS figures; it is not a test.

    python benchmarks/run.py                    # 1 system, then 1,000 and 10,000 generated systems
    python benchmarks/run.py --quick            # 1 system, then 100 and 1,000
    python benchmarks/run.py --sizes 500,5000 --unknown-share 0.05 --profile

What is measured:

1. One system end to end through the command line (``python -m aiact_asp solve
   facts/cv-screening.yaml --format json`` as a subprocess): wall time (median of
   ``--repeat-single`` runs), CPU time and peak RSS of the child.
2. For each size N: N generated, valid descriptions (seeded random values for every kind of
   key of ``kb/vocabulary.yaml``; a share of them ``unknown`` with ``--unknown-share``),
   written as a few files with ``systems:`` lists, and classified in ONE command-line run
   (wall time, CPU time, peak RSS of the child); then the same folder in a fresh child
   process, classified through ``api.classify_descriptions`` as the CLI does, with the
   functions ``engine.solve`` calls wrapped by timers, split into phases (import, knowledge
   base, load + validate, build facts, add facts, ground, solve, collect, open questions,
   report), with wall and CPU time and the resident memory after each phase.
3. A table against the targets: one system < 0.5 s end to end; 10,000 systems < 30 s and
   < 1 GiB. A row over its target says OVER; the script still exits 0. It exits non-zero only
   when nothing could be measured (e.g. the knowledge base does not load).

``--profile`` adds a cProfile run (own time by package, the aiact_asp functions by cumulative
time, the hottest functions). Peak RSS of a child comes from ``os.wait4`` (the rusage of that
one child), so sizes do not mask each other. CPU time is printed beside wall time because a
busy machine stretches wall time. Figures are for this machine and this state of ``kb/``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SINGLE = ROOT / "facts" / "cv-screening.yaml"
GIB = 1024 ** 3
MIB = 1024 ** 2

#: Targets from the issue.
TARGET_SINGLE_S = 0.5
TARGET_BIG_N = 10_000
TARGET_BIG_S = 30.0
TARGET_BIG_RSS = 1 * GIB


# --------------------------------------------------------------------------- generating


def _ensure_importable() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


#: For an "inventory" system (share ``--ai-share``): the elements of Art. 3(1) hold, so that the
#: system reaches the risk rules; other keys stay random. Key -> (probability stated, value maker).
_AI_SYSTEM = {
    "definition.machine_based": (1.0, lambda rng, e: "true"),
    "definition.autonomy": (1.0, lambda rng, e: "true"),
    "definition.infers_outputs": (0.9, lambda rng, e: "true"),
    "definition.influences_environment": (1.0, lambda rng, e: "true"),
    "definition.output_types": (1.0, lambda rng, e: "[" + ", ".join(rng.sample(list(e.values), rng.randint(1, 2))) + "]"),
    "definition.technique": (0.8, lambda rng, e: "[" + rng.choice(("machine_learning", "logic_knowledge_based", "statistical")) + "]"),
    "definition.rules_defined_solely_by_humans": (0.3, lambda rng, e: "false"),
    "definition.guideline_exclusion": (0.3, lambda rng, e: "[]"),
    "gpai.is_gpai_model": (0.25, lambda rng, e: "true" if rng.random() < 0.1 else "false"),
    "annex_iii.use_cases": (0.6, None),
}
#: Exceptions that take a system out of the Act are rare in an inventory.
_RARE_TRUE_PREFIXES = ("scope.", "definition.")


def _random_value(rng: random.Random, entry, unknown_share: float, rare: bool = False):
    """A random, valid value for one catalogue entry, as YAML text."""
    if unknown_share and rng.random() < unknown_share:
        return "unknown"
    kind = entry.type
    if kind == "bool":
        if rare:  # a default of true stays mostly true; an exception is mostly false
            return "true" if rng.random() < (0.95 if entry.default is True else 0.05) else "false"
        return "true" if rng.random() < 0.5 else "false"
    if kind == "enum":
        return rng.choice(entry.values)
    if kind == "list":
        k = min(len(entry.values), rng.choice((0, 1, 1, 1, 2, 2, 3)))
        return "[" + ", ".join(rng.sample(list(entry.values), k)) + "]"
    if kind == "date":
        day = _dt.date(2019, 1, 1) + _dt.timedelta(days=rng.randrange(0, 11 * 365))
        return day.isoformat()
    if kind == "number":  # large numbers as written by users: 3.8e25, sometimes plain digits
        if rng.random() < 0.8:
            return f"{rng.randint(10, 99) / 10:.1f}e{rng.randint(18, 27)}"
        return str(rng.randrange(0, 10 ** 12))
    if kind == "integer":
        return str(rng.randrange(0, 100_000))
    raise ValueError(kind)


def _emit(tree: dict, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in tree.items():
        if isinstance(value, dict):
            out.append(f"{pad}{key}:")
            _emit(value, indent + 2, out)
        else:
            out.append(f"{pad}{key}: {value}")


def generate(folder: Path, n: int, *, seed: int, unknown_share: float, key_share: float, per_file: int,
             ai_share: float = 0.8, kb_dir: str | None = None) -> dict:
    """Write ``n`` valid descriptions into ``folder`` as files of at most ``per_file`` systems.

    Every non-alias fact key of the catalogue is stated with probability ``key_share``, with
    a random valid value (``unknown`` with probability ``unknown_share``). A share ``ai_share``
    of the systems is an AI system in the sense of Art. 3(1) (see ``_AI_SYSTEM``), with the
    exclusions of Art. 2 rare, as in a real inventory; the others are entirely random (most
    of them then are no AI system). Returns counts.
    """
    _ensure_importable()
    from aiact_asp.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(Path(kb_dir) / "vocabulary.yaml" if kb_dir else None)
    entries = [e for e in vocabulary.entries if not e.is_alias and e.type not in ("id", "text")]
    rng = random.Random(f"{seed}:{n}:{unknown_share}:{key_share}:{ai_share}")
    folder.mkdir(parents=True, exist_ok=True)
    # stay well inside the loader's limits per file (bytes, values), whatever --per-file says
    from aiact_asp import loader
    max_bytes = getattr(loader, "MAX_FILE_BYTES", 2 * MIB) // 2
    max_nodes = getattr(loader, "MAX_NODES", 10 ** 9) // 2
    keys = unknowns = ai_systems = 0
    files = 0
    chunk: list[str] = ["systems:"]
    chunk_systems = chunk_bytes = chunk_nodes = 0

    def flush() -> None:
        nonlocal files, chunk, chunk_systems, chunk_bytes, chunk_nodes
        if chunk_systems:
            (folder / f"systems-{files:03d}.yaml").write_text("\n".join(chunk) + "\n", encoding="utf-8")
            files += 1
        chunk, chunk_systems, chunk_bytes, chunk_nodes = ["systems:"], 0, 0, 0

    for i in range(n):
        tree: dict = {"id": f"gen-{i:06d}", "name": json.dumps(f"Generated system {i}")}
        nodes = 5  # the system's mapping, id and name (keys and values)
        typical = rng.random() < ai_share
        ai_systems += typical
        for entry in entries:
            forced = _AI_SYSTEM.get(entry.key) if typical else None
            if rng.random() >= (forced[0] if forced else key_share):
                continue
            if forced and forced[1] and not (unknown_share and rng.random() < unknown_share):
                value = forced[1](rng, entry)
            else:
                value = _random_value(rng, entry, unknown_share, typical and entry.key.startswith(_RARE_TRUE_PREFIXES))
            keys += 1
            unknowns += value == "unknown"
            node = tree
            for part in entry.path[:-1]:
                if part not in node:
                    nodes += 2
                node = node.setdefault(part, {})
            node[entry.path[-1]] = value
            nodes += 2 + (value.count(",") + 1 if value.startswith("[") and value != "[]" else 0)
        body: list[str] = []
        _emit(tree, 4, body)
        body[0] = "  - " + body[0].lstrip()
        size = sum(len(line) + 1 for line in body)
        if chunk_systems and (chunk_systems >= per_file or chunk_bytes + size > max_bytes or chunk_nodes + nodes > max_nodes):
            flush()
        chunk += body
        chunk_systems += 1
        chunk_bytes += size
        chunk_nodes += nodes
    flush()
    size = sum(p.stat().st_size for p in folder.glob("*.yaml"))
    return {"systems": n, "files": files, "keys": keys, "unknown": unknowns, "bytes": size, "ai_systems": ai_systems}


# --------------------------------------------------------------------------- measuring a child


def _maxrss_bytes(ru_maxrss: int) -> int:
    return ru_maxrss if sys.platform == "darwin" else ru_maxrss * 1024  # Linux: KiB


#: The children run as an installed tool does: Python keeps the compiled modules (``.pyc``); a
#: ``PYTHONDONTWRITEBYTECODE`` of the shell would make every run compile the tool again (~60 ms).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _tree_rss(pid: int) -> int | None:
    """Memory of ``pid`` and all its descendants together (Linux ``/proc``), in bytes: their
    proportional set size (PSS: a page shared by processes after a fork counts once in all), or
    their resident set size summed where PSS cannot be read."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for name, field in ((f"/proc/{p}/smaps_rollup", "Pss:"), (f"/proc/{p}/status", "VmRSS:")):
                try:
                    with open(name) as f:
                        value = next((int(line.split()[1]) * 1024 for line in f if line.startswith(field)), None)
                except OSError:
                    value = None
                if value is not None:
                    total += value
                    break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


class _TreeSampler:
    """Samples :func:`_tree_rss` of a process every 50 ms in a thread; ``peak`` is the highest sum
    (``None`` where there is no ``/proc``). A run in several processes (``solve --jobs``) has its
    peak memory here, not in the rusage of the first process."""

    def __init__(self, pid: int):
        import threading

        self.pid, self.peak = pid, None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True) if os.path.isdir("/proc/self/task") else None
        if self._thread:
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            rss = _tree_rss(self.pid)
            if rss:
                self.peak = max(self.peak or 0, rss)

    def stop(self) -> int | None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        return self.peak


def run_child(argv: list[str], stdout: Path, stderr: Path) -> dict:
    """Run ``argv`` with cwd = the project; return wall time, CPU time (user + system, the
    child's processes included), exit code, peak RSS of that child (``rss``: of the largest
    process, as ``wait4`` reports it) and the peak of the memory of it and its own child
    processes together (``tree_rss``: PSS summed, :func:`_tree_rss`)."""
    with stdout.open("wb") as out, stderr.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=CHILD_ENV)
        sampler = _TreeSampler(proc.pid)
        rss = cpu = None
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            code = os.waitstatus_to_exitcode(status)
            proc.returncode = code
            rss = _maxrss_bytes(usage.ru_maxrss)
            cpu = usage.ru_utime + usage.ru_stime
        else:  # no per-child rusage on this platform
            code = proc.wait()
            wall = time.perf_counter() - start
        tree = sampler.stop()
    return {"wall": wall, "cpu": cpu, "rc": code, "rss": rss, "tree_rss": max(tree or 0, rss or 0) or None}


def cli_argv(args, paths: list[str]) -> list[str]:
    argv = [args.python, "-m", "aiact_asp", "solve", *paths, "--format", "json", "--as-of", args.as_of]
    if args.jobs:
        argv += ["--jobs", str(args.jobs)]
    if args.kb:
        argv += ["--kb", args.kb]
    return argv


def _excerpt(path: Path, lines: int = 6) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return "\n".join("      " + line for line in text[:lines])


def _summary(stdout: Path) -> dict | None:
    """The ``summary`` of a JSON report, read from the end of the file (the report may be large)."""
    try:
        with stdout.open("rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - 256 * 1024))
            tail = f.read().decode("utf-8", errors="replace")
        at = tail.rfind('"summary":')
        if at >= 0:
            rest = tail[at + len('"summary":'):].rstrip()
            if rest.endswith("}"):
                return json.loads(rest[:-1])
        return json.loads(stdout.read_text(encoding="utf-8")).get("summary") if size < 32 * MIB else None
    except (OSError, ValueError, AttributeError):
        return None


# --------------------------------------------------------------------------- the in-process phases (child mode)


def _rss_now() -> int | None:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


class PhaseClock:
    """Exclusive wall and CPU time per phase label, with the resident memory after each phase.

    ``wrap(owner, name, label)`` replaces ``owner.name`` by a timed version, so that the real
    code path (``engine.solve`` as the CLI calls it) is measured without copying it. Time spent
    inside a nested wrapped call counts for the inner label, unless the outer one is ``sticky``
    (then everything under it counts for it). Missing names are skipped: if the engine is
    refactored, their time shows as "other" instead of failing.
    """

    def __init__(self) -> None:
        self.totals: dict[str, list] = {}  # label -> [wall, cpu, rss after, calls]
        self.stack: list[tuple[str, bool]] = []
        self.last = (time.perf_counter(), time.process_time())

    def _charge(self, label: str) -> None:
        now = (time.perf_counter(), time.process_time())
        entry = self.totals.setdefault(label, [0.0, 0.0, None, 0])
        entry[0] += now[0] - self.last[0]
        entry[1] += now[1] - self.last[1]
        self.last = now

    def current(self, default: str) -> str:
        for label, sticky in self.stack:
            if sticky:
                return label
        return self.stack[-1][0] if self.stack else default

    def mark(self, label: str) -> None:
        """Charge the time since the last mark to ``label`` (sequential phases)."""
        self._charge(label)
        self.totals[label][2] = _rss_now()
        self.totals[label][3] += 1

    def wrap(self, owner, name: str, label: str, sticky: bool = False, other: str = "other") -> bool:
        original = getattr(owner, name, None)
        if original is None or not callable(original):
            return False
        clock = self

        def timed(*args, **kwargs):
            clock._charge(clock.current(other))
            clock.stack.append((label, sticky))
            try:
                return original(*args, **kwargs)
            finally:
                target = clock.current(other)
                clock.stack.pop()
                clock._charge(target)
                if clock.current(other) == other:
                    clock.totals[target][2] = _rss_now()
                clock.totals[target][3] += 1

        setattr(owner, name, timed)
        return True

    def rows(self) -> list[tuple[str, float, float, int | None]]:
        return [(label, v[0], v[1], v[2]) for label, v in self.totals.items()]


def phases_child(paths: list[str], as_of: str, kb_dir: str | None, profile: str | None) -> None:
    """Classify ``paths`` in this process as the CLI does, timed by phase; print one JSON object."""
    clock = PhaseClock()
    _ensure_importable()
    import resource

    import clingo

    from aiact_asp import api, engine, jsonout, report
    from aiact_asp.kb import KnowledgeBase, load_kb
    from aiact_asp.api import load_paths  # what the command uses (the fast reader, exact loader as fallback)
    from aiact_asp.vocabulary import load_vocabulary
    clock.mark("import (clingo, ruamel, jsonschema, aiact_asp)")

    # engine.solve is timed by wrapping what it calls; the rest of it is "other (engine.solve)"
    other = "other (in engine.solve)"
    clock.wrap(engine, "build_facts", "build facts (Symbols)", other=other)
    clock.wrap(engine, "_add_facts", "add input facts (backend / AST)", other=other)
    clock.wrap(KnowledgeBase, "add_to", "add knowledge base (AST)", other=other)
    clock.wrap(clingo.Control, "ground", "ground", other=other)
    if not clock.wrap(engine, "_consequences", "solve (brave/cautious)", other=other):
        clock.wrap(clingo.Control, "solve", "solve", other=other)
    clock.wrap(engine, "_collect", "collect results (firings per system)", other=other)
    questions = "open questions (extra solves and groundings)"
    clock.wrap(engine, "_add_open_questions", questions, sticky=True, other=other)
    if hasattr(engine, "Grounding"):
        clock.wrap(engine.Grounding, "open_questions", questions, sticky=True, other=other)
    clock.last = (time.perf_counter(), time.process_time())

    profiler = None
    if profile:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()

    as_of_date = _dt.date.fromisoformat(as_of)
    kb = load_kb(Path(kb_dir) if kb_dir else None)
    clock.mark("load knowledge base (parse + instrument kb/*.lp)")
    vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    clock.mark("load vocabulary catalogue")
    descriptions, errors = load_paths(paths, vocabulary)
    clock.mark("load + validate descriptions (YAML, catalogue check)")

    stats: dict = {}
    timed_consequences = getattr(engine, "_consequences", None)
    if timed_consequences is not None:
        def consequences_and_count(control, facts, *a, **k):  # the size of the (first) ground program
            result = timed_consequences(control, facts, *a, **k)
            if not stats:
                try:
                    lp = control.statistics["problem"]["lp"]
                    stats.update(atoms=int(lp["atoms"]), rules=int(lp["rules"]), shown=len(result[1]))
                except (KeyError, TypeError, IndexError, RuntimeError):
                    pass
            return result

        engine._consequences = consequences_and_count
    run = api.classify_descriptions(descriptions, kb, vocabulary, as_of_date, errors)
    clock.mark(other)
    text = jsonout.dumps(report.run_json(run, "en"))  # as `solve --format json` writes it (orjson)
    clock.mark("report (run_json + jsonout.dumps)")

    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    peak = _maxrss_bytes(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    risk: dict[str, int] = {}
    for r in run.results:
        risk[r.risk_class] = risk.get(r.risk_class, 0) + 1
    order = ["import", "load knowledge", "load vocabulary", "load +", "build facts", "add input facts", "add knowledge",
             "ground", "solve", "collect", "open questions", "other", "report"]
    rows = sorted(clock.rows(), key=lambda r: next((i for i, o in enumerate(order) if r[0].startswith(o)), 99))
    print(json.dumps({"phases": rows, "peak": peak, "systems": len(run.results), "errors": len(errors),
                      "first_error": str(errors[0]) if errors else None, "report_bytes": len(text),
                      "stats": stats, "risk_classes": risk}))


def run_phases(args, paths: list[str], workdir: Path, profile: Path | None = None) -> dict | None:
    argv = [args.python, str(Path(__file__).resolve()), "--child-phases", "--as-of", args.as_of]
    if args.kb:
        argv += ["--kb", args.kb]
    if profile:
        argv += ["--child-profile", str(profile)]
    argv += ["--", *paths]
    out, err = workdir / "phases.out", workdir / "phases.err"
    measured = run_child(argv, out, err)
    if measured["rc"] != 0:
        print(f"    in-process phases failed (exit {measured['rc']}):\n{_excerpt(err, 12)}")
        return None
    data = json.loads(out.read_text().strip().splitlines()[-1])
    data["wall"], data["cpu"] = measured["wall"], measured["cpu"]
    return data


# --------------------------------------------------------------------------- printing


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_b(size: int | None) -> str:
    if size is None:
        return "—"
    return f"{size / GIB:.2f} GiB" if size >= GIB else f"{size / MIB:.0f} MiB"


def print_phases(label: str, data: dict) -> None:
    total = sum(p[1] for p in data["phases"])
    total_cpu = sum(p[2] for p in data["phases"])
    print(f"\n  In-process phases, {label} (fresh child; {data['systems']:,} systems, {data['errors']} input errors):")
    print(f"    {'phase':<50} {'wall':>10} {'CPU':>10} {'CPU %':>6} {'RSS after':>10}")
    for name, seconds, cpu, rss in data["phases"]:
        print(f"    {name:<50} {fmt_s(seconds):>10} {fmt_s(cpu):>10} {cpu / max(total_cpu, 1e-9) * 100:5.1f}% {fmt_b(rss):>10}")
    print(f"    {'total in process':<50} {fmt_s(total):>10} {fmt_s(total_cpu):>10}        peak {fmt_b(data['peak'])}")
    print(f"    {'child (incl. Python start-up)':<50} {fmt_s(data['wall']):>10} {fmt_s(data['cpu']):>10}")
    stats = data.get("stats") or {}
    if stats:
        print(f"    ground program: {stats.get('atoms', 0):,} atoms, {stats.get('rules', 0):,} rules; "
              f"{stats.get('shown', 0):,} shown atoms in the answer; JSON report {data['report_bytes'] / MIB:.1f} MiB")
    if data.get("risk_classes"):
        print("    risk classes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(data["risk_classes"].items())))
    if data.get("first_error"):
        print(f"    first input error: {data['first_error']}")


_GROUPS = (("ruamel", "ruamel.yaml (YAML parsing)"), ("jsonschema", "jsonschema (validation)"),
           ("referencing", "jsonschema (validation)"), ("clingo", "clingo Python API (cffi)"), ("_cffi", "clingo Python API (cffi)"),
           ("yaml", "PyYAML"), ("json", "json (stdlib)"), ("aiact_asp", None))


def _group(filename: str, function: str) -> str:
    for needle, label in _GROUPS:
        if needle in filename or (filename == "~" and needle in function):
            return label or "aiact_asp/" + Path(filename).name
    return "built-ins" if filename == "~" else "other Python"


def print_profile(path: Path, top: int) -> None:
    import io
    import pstats

    print(f"  (stats file {path}; cProfile slows Python code, not clingo's C++, whose grounding shows as one call)")
    stats = pstats.Stats(str(path))
    total = sum(v[2] for v in stats.stats.values()) or 1.0
    own: dict[str, float] = {}
    for (filename, _, function), (_, _, tottime, _, _) in stats.stats.items():
        label = _group(filename, function)
        own[label] = own.get(label, 0.0) + tottime
    print("\n  own time by package:")
    for label, seconds in sorted(own.items(), key=lambda kv: -kv[1])[:12]:
        print(f"    {label:<36} {seconds:9.2f} s {seconds / total * 100:5.1f}%")
    mine = sorted(((v[3], k) for k, v in stats.stats.items() if "aiact_asp" in k[0]), reverse=True)[:top]
    print(f"\n  aiact_asp functions by cumulative time (top {top}):")
    for cumulative, (filename, line, function) in mine:
        print(f"    {cumulative:9.2f} s {cumulative / total * 100:5.1f}%  {Path(filename).name}:{line}({function})")
    print(f"\n  all functions by own time (top {top}):")
    stream = io.StringIO()
    pstats.Stats(str(path), stream=stream).strip_dirs().sort_stats("tottime").print_stats(top)
    lines = stream.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
    for line in lines[start:]:
        if line.strip():
            print("    " + line.rstrip())


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"
    except (OSError, AttributeError):
        return "unknown"


def verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "not measured"
    return "OK" if value < limit else "OVER"


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Speed and memory figures for aiact-asp (prints figures; not a test).")
    p.add_argument("--sizes", default="1000,10000", help="numbers of generated systems, comma-separated (default 1000,10000)")
    p.add_argument("--quick", action="store_true", help="sizes 100,1000 (overrides --sizes)")
    p.add_argument("--unknown-share", type=float, default=0.0, help="share of stated values written `unknown` (default 0.0)")
    p.add_argument("--key-share", type=float, default=0.25,
                   help="share of the catalogue's keys stated per generated system (default 0.25, about 38 keys)")
    p.add_argument("--ai-share", type=float, default=0.8,
                   help="share of generated systems that meet Art. 3(1), with Art. 2 exclusions rare (default 0.8)")
    p.add_argument("--per-file", type=int, default=500,
                   help="at most this many systems per generated file (default 500; files also stay under half "
                        "the loader's MAX_FILE_BYTES and MAX_NODES)")
    p.add_argument("--seed", type=int, default=20241689, help="random seed (default 20241689)")
    p.add_argument("--repeat-single", type=int, default=5, help="runs of the one-system CLI call; the median is shown (default 5)")
    p.add_argument("--as-of", default="2028-08-02", help="assessment date passed to the tool (default 2028-08-02: every provision applies)")
    p.add_argument("--kb", help="knowledge-base folder instead of the shipped kb/ (e.g. a frozen copy)")
    p.add_argument("--jobs", type=int, help="processes for the command-line runs (solve --jobs; default: the tool's own choice, one per MiB of description files, at most one per processor)")
    p.add_argument("--python", default=sys.executable, help="interpreter that runs the tool (default: this one)")
    p.add_argument("--no-cli", action="store_true", help="skip the command-line runs of the generated sizes")
    p.add_argument("--no-phases", action="store_true", help="skip the in-process phase split")
    p.add_argument("--profile", action="store_true",
                   help="cProfile an in-process run and print the hot spots (its own run; per-system costs are "
                        "about linear, so a smaller size shows the same hot spots)")
    p.add_argument("--profile-size", type=int, help="systems in the profiled run (default: the largest size, at most 2000)")
    p.add_argument("--profile-top", type=int, default=25, help="lines of profile to print (default 25)")
    p.add_argument("--keep", action="store_true", help="keep the generated descriptions and the outputs (path is printed)")
    p.add_argument("--child-phases", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--child-profile", help=argparse.SUPPRESS)
    p.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.size_list = [100, 1000] if args.quick else [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child_phases:
        phases_child(args.paths, args.as_of, args.kb, args.child_profile)
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="aiact-bench-"))
    print(f"aiact-asp benchmark — {_dt.datetime.now():%Y-%m-%d %H:%M}, Python {platform.python_version()}, "
          f"{platform.machine()} × {os.cpu_count()} CPUs, {platform.system()} {platform.release()}")
    try:
        import clingo  # noqa: F401
        print(f"clingo {clingo.__version__}; assessed on {args.as_of}; knowledge base {args.kb or ROOT / 'kb'}; "
              f"seed {args.seed}; unknown share {args.unknown_share}; key share {args.key_share}; AI share {args.ai_share}")
    except ImportError:
        pass
    print(f"load average at start: {_load()} (figures are wall time; CPU time of the child is shown beside it,"
          " as it is less affected by other work on the machine)")
    measured_anything = False
    single_median = single_cpu = None
    big: dict[int, dict] = {}
    try:
        # -- 0. interpreter start-up, for reference
        runs = [run_child([args.python, "-c", "pass"], workdir / "o", workdir / "e")["wall"] for _ in range(3)]
        print(f"\nPython start-up alone (python -c pass): {fmt_s(statistics.median(runs))}")

        # -- 1. one system end to end
        print(f"\n1. One system through the CLI: {' '.join(cli_argv(args, [str(SINGLE.relative_to(ROOT))])[1:])}")
        walls, cpus, rsss = [], [], []
        # a first, unmeasured run writes the compiled modules and the rule cache, as any first use does
        run_child(cli_argv(args, [str(SINGLE)]), workdir / "single.json", workdir / "single.err")
        for i in range(max(1, args.repeat_single)):
            r = run_child(cli_argv(args, [str(SINGLE)]), workdir / "single.json", workdir / "single.err")
            if r["rc"] not in (0, 2):
                print(f"   run {i + 1}: exit {r['rc']}:\n{_excerpt(workdir / 'single.err')}")
                break
            walls.append(r["wall"])
            cpus.append(r["cpu"])
            rsss.append(r["rss"])
        if walls:
            measured_anything = True
            single_median = statistics.median(walls)
            single_cpu = statistics.median(cpus) if None not in cpus else None
            print(f"   wall: median {fmt_s(single_median)} of {len(walls)} (min {fmt_s(min(walls))}, max {fmt_s(max(walls))}); "
                  f"CPU median {fmt_s(single_cpu)}; peak RSS {fmt_b(max((x for x in rsss if x), default=None))}")
            summary = _summary(workdir / "single.json")
            if summary:
                print(f"   result: {summary['risk_classes']}")
        if not args.no_phases:
            data = run_phases(args, [str(SINGLE)], workdir)
            if data:
                print_phases("1 system (cv-screening.yaml)", data)

        # -- 2. generated systems
        for n in args.size_list:
            folder = workdir / f"systems-{n}"
            t0 = time.perf_counter()
            info = generate(folder, n, seed=args.seed, unknown_share=args.unknown_share,
                            key_share=args.key_share, per_file=args.per_file, ai_share=args.ai_share, kb_dir=args.kb)
            print(f"\n2. {n:,} generated systems: {info['files']} files, {info['bytes'] / MIB:.1f} MiB, "
                  f"{info['keys'] / n:.1f} keys per system, {info['ai_systems']:,} built as AI systems, {info['unknown']:,} unknown values "
                  f"(generated in {fmt_s(time.perf_counter() - t0)})")
            entry: dict = {"n": n}
            if not args.no_cli:
                out, err = workdir / f"out-{n}.json", workdir / f"err-{n}.txt"
                r = run_child(cli_argv(args, [str(folder)]), out, err)
                summary = _summary(out)
                if r["rc"] in (0, 2) and summary:
                    measured_anything = True
                    entry.update(wall=r["wall"], cpu=r["cpu"], rss=r["tree_rss"])
                    note = "" if r["rc"] == 0 else f"; exit 2 with {summary['errors']} input errors (generator bug?)"
                    print(f"   CLI, one run: wall {fmt_s(r['wall'])} (CPU {fmt_s(r['cpu'])}, all its processes), peak memory "
                          f"{fmt_b(r['tree_rss'])} (all its processes together, PSS; largest process {fmt_b(r['rss'])} RSS), "
                          f"{summary['systems']:,} systems classified, output {out.stat().st_size / MIB:.1f} MiB{note}")
                    print(f"   risk classes: {summary['risk_classes']}")
                    if r["rc"] == 2:
                        print(_excerpt(err, 3))
                else:
                    print(f"   CLI failed (exit {r['rc']}):\n{_excerpt(err, 12)}")
                out.unlink(missing_ok=True)
            if not args.no_phases:
                data = run_phases(args, [str(folder)], workdir)
                if data:
                    measured_anything = True
                    entry["phases"] = data
                    print_phases(f"{n:,} systems", data)
            big[n] = entry

        # -- profile (its own child, so that the phase times above stay clean)
        if args.profile:
            n = args.profile_size or min(max(args.size_list, default=1000), 2000)
            folder = workdir / f"systems-{n}"
            if not folder.exists():
                generate(folder, n, seed=args.seed, unknown_share=args.unknown_share, key_share=args.key_share,
                         per_file=args.per_file, ai_share=args.ai_share, kb_dir=args.kb)
            profile = workdir / f"profile-{n}.pstats"
            data = run_phases(args, [str(folder)], workdir, profile)
            if data:
                total = sum(p[2] for p in data["phases"])
                print(f"\nProfile of {n:,} generated systems, in process ({fmt_s(total)} CPU under cProfile; the phase "
                      "times above are without it). cProfile's clock is wall time: read the shares, not the seconds.")
                print_profile(profile, args.profile_top)

        # -- 3. targets
        print("\n3. Targets")
        print(f"   load average at end: {_load()}")

        def timing(wall: float | None, cpu: float | None) -> str:
            return fmt_s(wall) + (f" (CPU {fmt_s(cpu)})" if cpu is not None else "")

        rows = [("1 system, end to end (CLI, median)", timing(single_median, single_cpu), f"< {TARGET_SINGLE_S} s",
                 verdict(single_median, TARGET_SINGLE_S))]
        ten = big.get(TARGET_BIG_N, {})
        note = "" if "wall" in ten else " (not run)"
        rows.append((f"{TARGET_BIG_N:,} systems, wall time (CLI){note}", timing(ten.get("wall"), ten.get("cpu")),
                     f"< {TARGET_BIG_S:.0f} s", verdict(ten.get("wall"), TARGET_BIG_S)))
        rows.append((f"{TARGET_BIG_N:,} systems, peak RSS (CLI){note}", fmt_b(ten.get("rss")), "< 1 GiB",
                     verdict(ten.get("rss"), TARGET_BIG_RSS)))
        for n, e in sorted(big.items()):
            if n != TARGET_BIG_N and "wall" in e:
                rows.append((f"{n:,} systems, wall time / peak RSS (CLI)", f"{timing(e['wall'], e['cpu'])} / {fmt_b(e['rss'])}",
                             "(no target)", ""))
        width = max(len(r[0]) for r in rows)
        vwidth = max(len(r[1]) for r in rows)
        print(f"   {'measure':<{width}}  {'measured':>{vwidth}}  {'target':>11}  verdict")
        for label, value, target, v in rows:
            print(f"   {label:<{width}}  {value:>{vwidth}}  {target:>11}  {v}")
    finally:
        if args.keep:
            print(f"\nKept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if measured_anything else 1


if __name__ == "__main__":
    sys.exit(main())
