"""A cache of the instrumented knowledge base, so that a run does not parse and instrument the
``.lp`` files again while they are unchanged (like Python's ``.pyc`` files).

Parsing the rules with ``clingo.ast`` and adding the ``_fired`` records (:mod:`aiact_asp.kb`)
takes about half a second, more than solving one system. The result — the rules with their
sources and the instrumented program as text — is written to a JSON file whose name is a
SHA-256 digest of everything it depends on: the content and path of every ``.lp`` file, the
code that instruments them and the clingo version. Any change gives another name, so a stale
entry is never read; the outcome of a run is the same with or without the cache. The YAML
catalogues of ``kb/`` (:mod:`aiact_asp.kbyaml`) are kept the same way, as JSON data, when JSON
holds them exactly (JSON reads ten times faster than YAML).

Where: ``$AIACT_ASP_CACHE_DIR`` if set (``off`` turns the cache off), else
``$XDG_CACHE_HOME/aiact-asp`` or ``~/.cache/aiact-asp``. A cache that cannot be read or written
(read-only home, a damaged file) is passed over silently: the rules are then parsed as usual.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import clingo

#: Raise to invalidate every cache entry when the layout of an entry changes.
FORMAT = 3
OFF = ("off", "0", "no", "false", "none")


def cache_dir() -> Path | None:
    """The folder of the cache, or ``None`` when ``AIACT_ASP_CACHE_DIR`` turns it off."""
    configured = os.environ.get("AIACT_ASP_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in OFF or not configured.strip() else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aiact-asp"


def text_digest(text: str) -> str:
    """SHA-256 (hex) of ``text`` with :data:`FORMAT` (the key of a catalogue read as data)."""
    return hashlib.sha256(f"aiact-asp yaml {FORMAT}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def digest(directory: Path, files: list[Path], code: list[Path]) -> str:
    """SHA-256 (hex) of the ``files`` (path relative to ``directory`` and content), the
    ``code`` files that turn them into a program, the clingo version and :data:`FORMAT`.

    Raises:
        OSError: a file cannot be read (the caller then parses as usual and reports it).
    """
    h = hashlib.sha256(f"aiact-asp kb cache {FORMAT} clingo {clingo.__version__}\0".encode())
    for path in code:
        h.update(Path(path).read_bytes() + b"\0")
    for path in files:
        h.update(str(Path(path).relative_to(directory)).encode() + b"\0")
        h.update(Path(path).read_bytes() + b"\0")
    return h.hexdigest()


def read(key: str, kind: str = "kb") -> dict[str, Any] | None:
    """The entry of ``kind`` (``kb``: rules and program; ``yaml``: a catalogue read as data) stored
    under ``key`` (a dict), or ``None`` (no cache, no entry, unreadable)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"{kind}-{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def write(key: str, entry: dict[str, Any], kind: str = "kb") -> None:
    """Store ``entry`` (JSON-serialisable) of ``kind`` under ``key``, atomically; failures are ignored."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, prefix=f".{kind}-", suffix=".tmp",
                                         delete=False) as out:
            json.dump({"format": FORMAT, **entry}, out, ensure_ascii=False)
        os.replace(out.name, folder / f"{kind}-{key}.json")
    except (OSError, TypeError, ValueError):
        try:
            os.unlink(out.name)  # type: ignore[possibly-undefined]
        except (OSError, NameError, UnboundLocalError):
            pass
