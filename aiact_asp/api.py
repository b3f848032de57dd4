"""One call for the whole job: read descriptions, load the knowledge base, solve."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .engine import SystemResult, ground
from .errors import InputError, KnowledgeBaseError, is_unsatisfiable
from .kb import KnowledgeBase, load_kb
from .fastload import load_paths
from .loader import Description
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
    #: the engine's grounding, released (:meth:`aiact_asp.engine.Grounding.release`): its input
    #: facts and rule instances, e.g. to tell which defaults mattered (``report.relevant_defaults``)
    grounding: Any = None


def classify_paths(paths: Iterable[str | Path], as_of: _dt.date | None = None, kb_dir: Path | None = None,
                   open_world: str | None = None, keep_answer_sets: bool = False) -> Run:
    """Classify every description in ``paths`` (files or folders) on ``as_of`` (default today).

    ``open_world``: ``None``, ``"sections"`` or ``"keys"``: keys left out are open (see
    :mod:`aiact_asp.facts`). ``keep_answer_sets``: keep the whole grounding on the run (for the
    explanations, :mod:`aiact_asp.explain`), not only what the report needs.

    Raises:
        KnowledgeBaseError: the knowledge base cannot be loaded or grounded.
    """
    kb, vocabulary, descriptions, errors = read_inputs(paths, kb_dir)
    return classify_descriptions(descriptions, kb, vocabulary, as_of, errors, open_world=open_world,
                                 keep_answer_sets=keep_answer_sets)


def read_inputs(paths: Iterable[str | Path], kb_dir: Path | None = None
                ) -> tuple[KnowledgeBase, Vocabulary, list[Description], list[InputError]]:
    """The knowledge base, its catalogue, and the descriptions in ``paths`` with the input that
    could not be read (one :class:`~aiact_asp.errors.InputError` each).

    Raises:
        KnowledgeBaseError: the knowledge base cannot be loaded.
    """
    kb = load_kb(Path(kb_dir) if kb_dir else None)
    vocabulary = load_kb_vocabulary(kb.directory)
    descriptions, errors = load_paths(paths, vocabulary)  # the loader's outcome, read faster (see fastload)
    return kb, vocabulary, descriptions, errors


def classify_descriptions(descriptions: list[Description], kb: KnowledgeBase, vocabulary: Vocabulary,
                          as_of: _dt.date | None = None, errors: list[InputError] | None = None,
                          open_world: str | None = None, keep_answer_sets: bool = False) -> Run:
    """Classify already loaded ``descriptions`` (see :func:`classify_paths`)."""
    as_of = as_of or _dt.date.today()
    try:
        grounding = None
        if descriptions:
            grounding = ground(descriptions, kb, vocabulary, as_of, open_world)
            grounding.open_questions()
            if not keep_answer_sets:
                grounding.release()
        results = grounding.results if grounding is not None else []
    except KnowledgeBaseError as exc:
        if not is_unsatisfiable(exc):
            raise
        from .diagnose import explain_unsatisfiable  # which systems, which constraint, which facts

        raise KnowledgeBaseError(explain_unsatisfiable(descriptions, kb, vocabulary, as_of, open_world) or exc.errors) from None
    except Exception as exc:  # noqa: BLE001 — only an @function of the knowledge base is turned into a KB error
        from .diagnose import external_call_errors, is_external_call_error

        if not is_external_call_error(exc):
            raise
        raise KnowledgeBaseError(external_call_errors(exc, kb)) from None
    return Run(results, list(errors or []), kb, vocabulary, grounding)


def load_kb_vocabulary(directory: Path) -> Vocabulary:
    """The input catalogue ``vocabulary.yaml`` of the knowledge base in ``directory``.

    Raises:
        KnowledgeBaseError: it is missing, is not valid YAML or is malformed (naming the file).
    """
    path = Path(directory) / "vocabulary.yaml"
    try:
        return load_vocabulary(path)
    except FileNotFoundError:
        raise KnowledgeBaseError([InputError(str(path), None, None, "not found: the knowledge base needs its input catalogue vocabulary.yaml")]) from None
    except Exception as exc:  # noqa: BLE001 — YAML, key and value errors of a malformed catalogue
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        problem = getattr(exc, "problem", None) or " ".join(str(exc).split())
        raise KnowledgeBaseError([InputError(str(path), None if line is None else line + 1, None,
                                             f"the input catalogue cannot be read: {problem}")]) from None
