"""Reading the knowledge base's own YAML files (``kb/*.yaml``: catalogues, wording, mappings).

These files are written by the project and its rule authors, not by the users describing
systems (those go through :mod:`aiact_asp.loader`, which is strict and reports every problem
by line). They are read with PyYAML's safe loader, through libyaml's C parser where the
PyYAML build has it: the vocabulary catalogue takes about 0.1 s that way against 1 s in pure
Python, which counts for every run of the command; and from the cache (as JSON) about 0.01 s.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from . import kbcache

#: libyaml's safe loader when available (same result as ``yaml.SafeLoader``, ten times faster).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """``text`` read as YAML with the safe loader.

    Raises:
        yaml.YAMLError: the text is not valid YAML (with ``problem_mark`` for the line).
    """
    return yaml.load(text, Loader=SAFE_LOADER)


def read_yaml(path: str | Path) -> Any:
    """The YAML file at ``path`` (UTF-8) read with the safe loader; ``None`` for an empty file.

    The data is kept in the cache (:mod:`aiact_asp.kbcache`, by a digest of the text) when JSON
    holds it exactly, so that an unchanged catalogue is not parsed again by the next run.

    Raises:
        OSError, UnicodeDecodeError: the file cannot be read.
        yaml.YAMLError: it is not valid YAML.
    """
    text = Path(path).read_text(encoding="utf-8")
    key = kbcache.text_digest(text)
    cached = kbcache.read(key, "yaml")
    if cached is not None and "data" in cached:
        return cached["data"]
    data = parse_yaml(text)
    try:
        exact = json.loads(json.dumps(data)) == data  # no dates, no number keys, no tuples
    except (TypeError, ValueError):
        exact = False
    if exact:
        kbcache.write(key, {"data": data}, "yaml")
    return data
