#!/usr/bin/env python3
"""The fixed cost of one grounding: what every classification pays before its own facts. It
PRINTS figures; it is not a test.

    python benchmarks/grounding_cost.py              # median of 21 runs each
    python benchmarks/grounding_cost.py --runs 51

Each row is a fresh ``clingo.Control``: the program text added (clingo parses it), grounded and
solved, with no input facts, or with the facts of one shipped example; then freed. Rows:

* the knowledge base's rules as ``solve`` grounds them between questions and for the tests
  (``plain``: without the ``_fired`` records) and as a report needs them (``instrumented``: each
  rule with the record of its firing, which names the rule and the facts it used);
* the same number of trivial rules (``aN(X) :- bN(X), not cN(X).``), to tell clingo's own cost per
  rule from what the rules do;
* one example (facts/cv-screening.yaml) through :func:`aiact_asp.engine.ground`, plain and
  instrumented: what a test that classifies one description pays.

What the figures are for: the test suite grounds about a thousand times (one classification per
rule test, the CLI tests, the questionnaire's rounds), and the fixed part multiplied by that count
is a large share of its time; a change to the engine that claims to lower it can be measured here.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import clingo  # noqa: E402

from aiact_asp import engine, fastload  # noqa: E402
from aiact_asp.engine import GroundingContext  # noqa: E402
from aiact_asp.kb import load_kb  # noqa: E402
from aiact_asp.vocabulary import load_vocabulary  # noqa: E402


def _median_ms(action, runs: int) -> tuple[float, float, float]:
    """(parse, ground + solve, free) in ms, medians of ``runs``; ``action`` returns the first two and the control."""
    parse, ground, free = [], [], []
    for _ in range(runs):
        p, g, control = action()
        start = time.perf_counter()
        del control
        free.append(time.perf_counter() - start)
        parse.append(p)
        ground.append(g)
    return tuple(round(statistics.median(x) * 1000, 1) for x in (parse, ground, free))  # type: ignore[return-value]


def _program(text: str):
    def action():
        control = clingo.Control(["--warn=none"])
        start = time.perf_counter()
        control.add("base", [], text)
        parsed = time.perf_counter()
        control.ground([("base", [])], context=GroundingContext())
        control.solve()
        return parsed - start, time.perf_counter() - parsed, control
    return action


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="runs per row (the median is shown)")
    args = parser.parse_args()
    kb = load_kb()
    if kb.program is None or kb.plain is None:
        kb = load_kb()  # the second load comes from the cache, with the program text
    vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    rules = len(kb.rules)
    print(f"knowledge base: {rules} rules; program text {len(kb.plain or ''):,} characters plain, "
          f"{len(kb.program or ''):,} instrumented; clingo {clingo.__version__}")
    print(f"{'':<52} {'parse':>8} {'ground+solve':>13} {'free':>7}   (ms, median of {args.runs})")
    rows = [("plain rules, no facts", kb.plain or ""), ("instrumented rules, no facts", kb.program or ""),
            (f"{rules} trivial rules", "\n".join(f"a{i}(X) :- b{i}(X), not c{i}(X)." for i in range(rules)))]
    for name, text in rows:
        parse, ground, free = _median_ms(_program(text), args.runs)
        print(f"{name:<52} {parse:>8} {ground:>13} {free:>7}")
    descriptions, errors = fastload.read_files([ROOT / "facts" / "cv-screening.yaml"], [], vocabulary)
    if errors or not descriptions:
        print("facts/cv-screening.yaml could not be read:", *errors, sep="\n  ")
        return 1
    as_of = _dt.date(2026, 11, 30)
    for firings in (False, True):
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            engine.ground(descriptions, kb, vocabulary, as_of, firings=firings)
            times.append(time.perf_counter() - start)
        name = f"one example through engine.ground, {'instrumented' if firings else 'plain'}"
        print(f"{name:<52} {'':>8} {statistics.median(times) * 1000:>13.1f}   (all of it, facts and reading the result too)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
