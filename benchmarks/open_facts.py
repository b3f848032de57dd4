#!/usr/bin/env python3
"""Cost of partial knowledge: one system with 5, 10, 20 and 40 open facts. PRINTS figures; not a test.

    python benchmarks/open_facts.py                 # 5, 10, 20, 40 open facts, median of 3 runs
    python benchmarks/open_facts.py --sizes 5,10,20,40,80 --repeat 5

The system is facts/cv-screening.yaml (a high-risk recruitment tool). N of its yes/no keys are
written `unknown`: taken in turn from the sections definition, scope, prohibited practices,
Annex III and Article 50 (so that every size mixes keys that matter with keys that do not),
then from the other sections. For each N it measures, with the knowledge base loaded once:

* solve: build the facts, ground, and compute the certain (cautious) and possible (brave)
  conclusions on one grounding;
* questions: work out which open facts can change the outcome, and rank them;
* total, and the total per open fact (about constant when the cost grows linearly).

Target: 40 open facts in under 2 s (total). Figures are for this machine; a loaded machine
gives larger ones. The script exits non-zero only when nothing could be measured.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "facts" / "cv-screening.yaml"
TARGET_40_S = 2.0
FIRST_SECTIONS = ("definition", "scope", "prohibited_practices", "annex_iii", "transparency")


def _ensure_importable() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def open_keys(vocabulary, n: int) -> list[str]:
    """``n`` yes/no keys: round-robin over FIRST_SECTIONS, then the rest in catalogue order."""
    by_section: dict[str, list[str]] = {}
    for entry in vocabulary.facts:
        if entry.type == "bool":
            by_section.setdefault(entry.section, []).append(entry.key)
    keys: list[str] = []
    queues = [list(by_section.get(s, [])) for s in FIRST_SECTIONS]
    while len(keys) < n and any(queues):
        for queue in queues:
            if queue and len(keys) < n:
                keys.append(queue.pop(0))
    rest = [k for s, ks in by_section.items() if s not in FIRST_SECTIONS for k in ks]
    keys += rest[: n - len(keys)]
    return keys


def measure(n: int, repeat: int, kb, vocabulary, base) -> dict:
    from aiact_asp import engine
    from aiact_asp.loader import Description
    from aiact_asp.vocabulary import UNKNOWN

    keys = open_keys(vocabulary, n)
    values = dict(base.values)
    for key in keys:
        values[key] = UNKNOWN
    desc = Description(base.id, base.file, base.line, values, {}, dict(base.text), {})
    as_of = _dt.date(2026, 11, 30)
    solve_times, question_times = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        grounding = engine.ground([desc], kb, vocabulary, as_of)
        middle = time.perf_counter()
        found = grounding.open_questions()
        end = time.perf_counter()
        solve_times.append(middle - start)
        question_times.append(end - middle)
    result = grounding.results[0]
    questions = found.get(result.id, [])
    solve_s, questions_s = statistics.median(solve_times), statistics.median(question_times)
    return {
        "n": len(keys), "undetermined": len(result.undetermined), "classes": result.possible_risk_classes,
        "questions": sum(1 for q in questions if not q.together), "together": sum(1 for q in questions if q.together),
        "solve": solve_s, "questions_s": questions_s, "total": solve_s + questions_s,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,10,20,40", help="numbers of open facts (default 5,10,20,40)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median is shown (default 3)")
    args = parser.parse_args(argv)
    _ensure_importable()
    from aiact_asp.kb import load_kb
    from aiact_asp.loader import load_paths
    from aiact_asp.vocabulary import load_vocabulary

    try:
        kb = load_kb()
        vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
        base = load_paths([BASE], vocabulary)[0][0]
    except Exception as exc:  # noqa: BLE001 — report, do not trace back
        print(f"cannot measure: {exc}", file=sys.stderr)
        return 1
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"aiact-asp: one system ({BASE.name}) with open facts; median of {args.repeat} runs; knowledge base loaded once")
    print(f"{'open':>5} {'undet.':>7} {'questions':>10} {'together':>9} {'solve s':>8} {'questions s':>12} {'total s':>8} {'ms/open fact':>13}  possible risk classes")
    rows = []
    for n in sizes:
        row = measure(n, args.repeat, kb, vocabulary, base)
        rows.append(row)
        print(f"{row['n']:>5} {row['undetermined']:>7} {row['questions']:>10} {row['together']:>9} {row['solve']:>8.3f} "
              f"{row['questions_s']:>12.3f} {row['total']:>8.3f} {1000 * row['total'] / max(1, row['n']):>13.1f}  "
              f"{', '.join(row['classes'])}")
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        growth = (last["total"] / first["total"]) / (last["n"] / first["n"]) if first["total"] else float("nan")
        print(f"\ncost ratio {last['n']}/{first['n']} open facts: {last['total'] / first['total']:.2f}x for "
              f"{last['n'] / first['n']:.0f}x the open facts (1.0 per unit = linear; below 1 = better than linear): {growth:.2f}")
    forty = next((r for r in rows if r["n"] == 40), None)
    if forty is not None:
        verdict = "ok" if forty["total"] < TARGET_40_S else "OVER"
        print(f"target: 40 open facts under {TARGET_40_S:.0f} s: {forty['total']:.2f} s — {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
