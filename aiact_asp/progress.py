"""A progress bar on standard error for long runs, in phases.

Solving is one clingo call, so it cannot be counted; a run is shown as its phases instead
(reading files, grounding and solving, writing), each with a bar when its size is known and
the time it has taken. Nothing is drawn when standard error is not a terminal, nor during
the first ``delay`` seconds (runs that take a second or two are not worth a bar).
"""

from __future__ import annotations

import os
import sys
import time
from typing import IO, Any


#: The phases' names in Dutch (``lang="nl"``); ``{n}`` is filled in from :meth:`Progress.phase`.
PHASES_NL = {
    "reading files": "bestanden lezen",
    "reading files in {n} processes": "bestanden lezen in {n} processen",
    "reading and classifying in {n} processes": "lezen en indelen in {n} processen",
    "grounding and solving": "regels toepassen (grounding en solving)",
    "grounding and solving, open questions": "regels toepassen (grounding en solving), open vragen",
    "collecting": "verzamelen",
    "writing": "schrijven",
    "reading the export": "export lezen",
    "writing descriptions": "beschrijvingen schrijven",
}


class Progress:
    """Phases of a run, drawn on one line of ``stream``, in English or (``lang="nl"``) Dutch.

    Use as::

        progress = Progress()
        progress.phase("reading files", total=len(files))
        progress.advance()            # once per file
        progress.phase("grounding and solving")
        progress.done()
    """

    WIDTH = 28

    def __init__(self, enabled: bool | None = None, stream: IO[str] | None = None, delay: float = 1.0,
                 lang: str = "en"):
        self.stream = stream or sys.stderr
        self.lang = lang
        if enabled is None:
            enabled = _is_terminal(self.stream) and os.environ.get("TERM") != "dumb"
        self.enabled = enabled
        self.delay = delay
        self.start = time.monotonic()
        self.name = ""
        self.total: int | None = None
        self.count = 0
        self.phase_start = self.start
        self._last_draw = 0.0
        self._drawn = False

    def phase(self, name: str, total: int | None = None, n: int | None = None) -> None:
        """Begin phase ``name`` (a key of :data:`PHASES_NL`; ``{n}`` in it is replaced by ``n``),
        with ``total`` steps, if known."""
        shown = PHASES_NL.get(name, name) if self.lang == "nl" else name
        self.name, self.total, self.count = shown.replace("{n}", str(n)), total, 0
        self.phase_start = time.monotonic()
        self._draw(force=True)

    def advance(self, steps: int = 1) -> None:
        self.count += steps
        self._draw()

    def done(self) -> None:
        """Clear the line (the report follows on standard output or in a file)."""
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
        self._drawn = False

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < self.delay or (not force and now - self._last_draw < 0.1):
            return
        self._last_draw = now
        elapsed = now - self.phase_start
        if self.total:
            share = min(1.0, self.count / self.total)
            filled = int(share * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            text = f"[{bar}] {self.name} {self.count:,}/{self.total:,} · {elapsed:.1f} s"
        else:
            text = f"{self.name} … {elapsed:.1f} s"
        self.stream.write("\r\x1b[2K" + text)
        self.stream.flush()
        self._drawn = True

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.done()


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Ticker:
    """Redraws the current phase of a :class:`Progress` every ``interval`` seconds from a
    background thread, so that the time keeps moving during one long clingo call."""

    def __init__(self, progress: Progress, interval: float = 0.5):
        import threading

        self.progress, self.interval = progress, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True) if progress.enabled else None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.progress._draw(force=True)

    def __enter__(self) -> "Ticker":
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
