"""One call for the whole job: read descriptions, load the knowledge base, solve."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .engine import SystemResult, solve
from .errors import InputError
from .kb import KnowledgeBase, load_kb
from .loader import Description, load_paths
from .vocabulary import Vocabulary, load_vocabulary


@dataclass
class Run:
    """The outcome of classifying a set of descriptions.

    Attributes:
        results: one :class:`~aiact_asp.engine.SystemResult` per valid description, in file order.
        errors: one :class:`~aiact_asp.errors.InputError` per file or entry that could not be read;
            the other systems are classified all the same.
    """

    results: list[SystemResult]
    errors: list[InputError]
    kb: KnowledgeBase
    vocabulary: Vocabulary


def classify_paths(paths: Iterable[str | Path], as_of: _dt.date | None = None, kb_dir: Path | None = None) -> Run:
    """Classify every description in ``paths`` (files or folders) on ``as_of`` (default today).

    Raises:
        KnowledgeBaseError: the knowledge base cannot be loaded or grounded.
    """
    kb = load_kb(Path(kb_dir) if kb_dir else None)
    vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    descriptions, errors = load_paths(paths, vocabulary)
    return classify_descriptions(descriptions, kb, vocabulary, as_of, errors)


def classify_descriptions(descriptions: list[Description], kb: KnowledgeBase, vocabulary: Vocabulary,
                          as_of: _dt.date | None = None, errors: list[InputError] | None = None) -> Run:
    """Classify already loaded ``descriptions`` (see :func:`classify_paths`)."""
    as_of = as_of or _dt.date.today()
    results = solve(descriptions, kb, vocabulary, as_of) if descriptions else []
    return Run(results, list(errors or []), kb, vocabulary)
