"""Errors and findings reported to the user: always with file, line and key, never a traceback.

Exit codes of the command line (docs/input-rules.md): 0 success; 1 a check found something
(``test``: a case fails; ``lint``: errors; ``diff --exit-code``: a change); 2 some input could
not be read (the rest was still processed and reported), a wrong option, or the report
could not be written; 3 the knowledge base has an error; 4 an internal error of the tool.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Said by the engine when the rules have no answer set (see :class:`Unsatisfiable`).
NO_ANSWER_SET = "no answer set"

#: The word before a message on standard error, per language of the report.
ERROR_WORD = {"en": "error", "nl": "fout"}


@dataclass(frozen=True, order=True)
class InputError:
    """A problem in a system description or in the knowledge base.

    Attributes:
        file: the file the problem is in (as given by the user).
        line: 1-based line number, or ``None`` when the problem concerns the whole file.
        key: dotted key path (``annex_iii.use_cases[1]``), or ``None``.
        message: plain-language explanation, with a "did you mean" where one is close.
        message_nl: the same in Dutch, for the common input errors (unknown key, wrong type or
            value, YAML syntax, duplicate key, missing or empty file); ``None`` where only the
            English is written (rarer problems, and the knowledge base's own errors).
    """

    file: str
    line: int | None
    key: str | None
    message: str
    message_nl: str | None = field(default=None, compare=False)

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"nl"``: the Dutch wording where there is one)."""
        return self.message_nl if lang == "nl" and self.message_nl else self.message

    def display(self, lang: str = "en") -> str:
        """``file:line: key: message`` with the message in ``lang``."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        message = self.text(lang)
        return f"{where}: {self.key}: {message}" if self.key else f"{where}: {message}"

    def __str__(self) -> str:
        return self.display("en")

    def as_dict(self) -> dict:
        """``file``, ``line``, ``key``, ``message`` (English) and ``message_nl`` (Dutch, or ``None``)."""
        return {"file": self.file, "line": self.line, "key": self.key, "message": self.message,
                "message_nl": self.message_nl}


def error_line(error: InputError, lang: str = "en") -> str:
    """The line written on standard error for ``error``: ``error: file:line: key: message``
    (``fout: ...`` with the Dutch message for ``lang="nl"``)."""
    return f"{ERROR_WORD.get(lang, 'error')}: {error.display(lang)}"


class KnowledgeBaseError(Exception):
    """The knowledge base cannot be loaded or grounded (syntax error, missing file, unsafe rule),
    or has no answer set for the input.

    ``errors`` holds one :class:`InputError` per problem, naming the ``.lp`` file and line; the
    same problem reported twice (e.g. for a rule and its instrumented copy) is kept once.
    """

    def __init__(self, errors: list[InputError]):
        errors = list(dict.fromkeys(errors))
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors

    def __reduce__(self):  # pickled whole (a large run's shares are classified in processes of their own)
        return (type(self), (self.errors,))


class ShareFailed(RuntimeError):
    """A process of a large run (:mod:`aiact_asp.parallel`) ended without a result: killed, or
    out of memory. Not a defect of the tool or of the knowledge base."""


class Unsatisfiable(KnowledgeBaseError):
    """The rules have no answer set for the input: a defect of the knowledge base, which must
    report contradictory input as a finding. :mod:`aiact_asp.diagnose` finds the systems and
    the violated constraints."""


def is_unsatisfiable(exc: KnowledgeBaseError) -> bool:
    """Whether ``exc`` says that the rules have no answer set (rather than a syntax or grounding error)."""
    return isinstance(exc, Unsatisfiable) or any(NO_ANSWER_SET in error.message for error in exc.errors)
