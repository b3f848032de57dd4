#!/usr/bin/env python3
"""Figures for `aiact-asp inventory` at scale. It PRINTS figures; it is not a test.

    python benchmarks/inventory.py                       # register, 10,000 and 50,000 generated systems
    python benchmarks/inventory.py --sizes 1000,10000    # other sizes
    python benchmarks/inventory.py --quick               # register, then 1,000 and 2,000

What is measured, each as a child process (wall time, CPU time, peak memory: the PSS of the child
and its own processes together, sampled, at least the peak RSS from ``os.wait4``):

1. The real Algoritmeregister (``shared/data/algoritmeregister``, 1530 algorithms):
   ``aiact-asp import algoritmeregister`` into a fresh folder, then ``aiact-asp inventory`` of that
   folder (``--format json``), with and without ``--questions``; end to end = import + inventory.
2. For each size N: N generated descriptions (``benchmarks/run.py``'s generator: every kind of
   key of the catalogue, 80 % of them AI systems; fully answered unless ``--unknown-share``), in
   files of 500 systems, inventoried in ONE run (all systems grounded and solved together).
3. For comparison, one clingo run per system: a sample of ``--sample`` systems, each solved
   alone in the same process the way the inventory solves (grounding included, open
   questions worked out), timed, and extrapolated to N.
4. Growth: time and memory per system at each size; linear growth keeps them flat.

Targets (from the issue): the register imported and inventoried in < 10 s end to end on this
2-core machine; 50,000 systems in < 2 GiB. A row over its target says OVER; the script still
exits 0. Figures depend on the machine's load: the CPU time column is the steadier one.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ROOT.parent / "shared" / "data" / "algoritmeregister" / "algoritmes_overheid_nl_listing_2026-08-08.json"
GIB, MIB = 1024 ** 3, 1024 ** 2
TARGET_REGISTER_S = 10.0
TARGET_BIG_N, TARGET_BIG_RSS = 50_000, 2 * GIB

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def child(argv: list[str], log: Path) -> dict:
    """Run ``argv`` (cwd: the project); wall time, CPU time (user + system, its own processes
    included) and peak memory: of that child and the processes it starts together (PSS summed,
    sampled: an inventory reads its files in several processes), at least its own peak RSS."""
    from run import CHILD_ENV, _TreeSampler  # CHILD_ENV: compiled modules kept, as an installed tool runs

    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=CHILD_ENV)
        sampler = _TreeSampler(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        tree = sampler.stop()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": max(usage.ru_maxrss * 1024, tree or 0),
            "rc": os.waitstatus_to_exitcode(status)}


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "aiact_asp", *args]


def fmt(figures: dict) -> str:
    return f"{figures['wall']:8.2f} s wall {figures['cpu']:8.2f} s CPU {figures['rss'] / MIB:8.0f} MiB  rc={figures['rc']}"


def per_system_sample(folder: Path, n: int, as_of: _dt.date) -> dict:
    """Solve ``n`` descriptions of ``folder`` one clingo run each (in this process)."""
    import resource

    from aiact_asp import fastload
    from aiact_asp.inventory import solve_grouped
    from aiact_asp.kb import load_kb
    from aiact_asp.vocabulary import load_vocabulary

    kb = load_kb()
    vocabulary = load_vocabulary()
    descriptions, _ = fastload.load_paths([folder], vocabulary)
    sample = descriptions[:n]
    start = time.perf_counter()
    cpu = time.process_time()
    for desc in sample:  # the same solving as the inventory's (conclusions and open questions), alone
        solve_grouped([desc], kb, vocabulary, as_of)
    return {"n": len(sample), "wall": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,50000", help="generated inventory sizes (comma separated)")
    parser.add_argument("--quick", action="store_true", help="sizes 1000,2000 and a smaller sample")
    parser.add_argument("--sample", type=int, default=100, help="systems solved one run each, for the comparison")
    parser.add_argument("--unknown-share", type=float, default=0.0, help="share of generated keys written `unknown`")
    parser.add_argument("--as-of", default="2026-11-30")
    parser.add_argument("--skip-register", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the generated folders (printed)")
    args = parser.parse_args()
    sizes = [1000, 2000] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    sample = 30 if args.quick else args.sample
    as_of = _dt.date.fromisoformat(args.as_of)
    work = Path(tempfile.mkdtemp(prefix="aiact-inventory-bench-"))
    print(f"aiact-asp inventory benchmark · {platform.python_version()} · {os.cpu_count()} CPUs · "
          f"load {os.getloadavg()[0]:.1f} · {_dt.datetime.now():%Y-%m-%d %H:%M}")
    rows: list[tuple[str, str, bool]] = []
    try:
        if not args.skip_register and REGISTER.is_file():
            print(f"\n1. The Algoritmeregister ({REGISTER.name})")
            folder = work / "register"
            imp = child(cli("import", "algoritmeregister", str(REGISTER), "-o", str(folder), "--no-progress"), work / "import.log")
            print(f"   import                      {fmt(imp)}")
            inv = child(cli("inventory", str(folder), "--format", "json", "-o", str(work / "register.json"),
                            "--as-of", args.as_of, "--no-progress"), work / "inventory.log")
            print(f"   inventory (open questions)  {fmt(inv)}")
            fast = child(cli("inventory", str(folder), "--format", "json", "-o", str(work / "register-nq.json"),
                             "--as-of", args.as_of, "--no-questions", "--no-progress"), work / "inventory-nq.log")
            print(f"   inventory (--no-questions)  {fmt(fast)}")
            again = child(cli("import", "algoritmeregister", str(REGISTER), "-o", str(folder), "--no-progress"), work / "reimport.log")
            print(f"   re-import (nothing changes) {fmt(again)}")
            data = json.loads((work / "register.json").read_text(encoding="utf-8"))
            print(f"   {data['totals']['systems']} systems, {data['totals']['failed']} not read, "
                  f"risk classes {data['totals']['risk_classes']}")
            for label, inventory in (("with open questions", inv), ("--no-questions", fast)):
                total = imp["wall"] + inventory["wall"]
                rows.append((f"register: import + inventory {label}", f"{total:.1f} s wall ({imp['cpu'] + inventory['cpu']:.1f} s CPU)",
                             total <= TARGET_REGISTER_S))
            if sample:
                sample_register = per_system_sample(folder, min(sample, 20), as_of)
                per = sample_register["wall"] / sample_register["n"]
                print(f"   one clingo run per system: {sample_register['n']} systems in {sample_register['wall']:.1f} s "
                      f"= {per:.2f} s each → {per * 1530:.0f} s for 1530 (extrapolated)")

        from run import generate  # benchmarks/run.py

        print(f"\n2. Generated inventories (unknown share {args.unknown_share})")
        growth = []
        for n in sizes:
            folder = work / f"generated-{n}"
            counts = generate(folder, n, seed=1, unknown_share=args.unknown_share, key_share=0.3, per_file=500)
            figures = child(cli("inventory", str(folder), "--format", "json", "-o", str(work / f"generated-{n}.json"),
                                "--as-of", args.as_of, "--no-progress"), work / f"generated-{n}.log")
            growth.append((n, figures))
            print(f"   {n:>7,} systems ({counts['bytes'] / MIB:.0f} MiB YAML)  {fmt(figures)}  "
                  f"{figures['cpu'] / n * 1000:.2f} ms CPU/system")
            if n == TARGET_BIG_N or n == max(sizes):
                rows.append((f"{n:,} systems: peak memory", f"{figures['rss'] / MIB:.0f} MiB", figures["rss"] <= TARGET_BIG_RSS))
            if n <= 10_000 and sample:
                one = per_system_sample(folder, sample, as_of)
                per = one["wall"] / one["n"]
                print(f"           one clingo run per system: {one['n']} in {one['wall']:.1f} s = {per * 1000:.0f} ms each "
                      f"→ {per * n:.0f} s for {n:,} (extrapolated), against {figures['wall']:.0f} s in one run")
        if len(growth) > 1:
            print("\n3. Growth (CPU time and memory per system; flat = linear)")
            base_n, base = growth[0]
            for n, figures in growth:
                print(f"   {n:>7,}: {figures['cpu'] / n * 1000:6.2f} ms CPU/system ({figures['cpu'] / n / (base['cpu'] / base_n):.2f}× "
                      f"the first size), {figures['rss'] / n / 1024:6.1f} KiB/system")
        print("\nTargets")
        for label, value, ok in rows:
            print(f"   {'ok  ' if ok else 'OVER'} {label}: {value}")
    finally:
        if args.keep:
            print(f"\nkept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
