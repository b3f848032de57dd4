"""Errors and findings reported to the user: always with file, line and key, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class InputError:
    """A problem in a system description or in the knowledge base.

    Attributes:
        file: the file the problem is in (as given by the user).
        line: 1-based line number, or ``None`` when the problem concerns the whole file.
        key: dotted key path (``annex_iii.use_cases[1]``), or ``None``.
        message: plain-language explanation, with a "did you mean" where one is close.
    """

    file: str
    line: int | None
    key: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "key": self.key, "message": self.message}


class KnowledgeBaseError(Exception):
    """The knowledge base cannot be loaded or grounded (syntax error, missing file, unsafe rule).

    ``errors`` holds one :class:`InputError` per problem, naming the ``.lp`` file and line.
    """

    def __init__(self, errors: list[InputError]):
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors
