"""Expectations of a case file (``expect:``), checked against the knowledge base before use.

A case file is a system description with ``reason:`` (why the law gives this outcome) and
``expect:`` with any of

* ``risk_class`` — the risk class (``high_risk``; ``undetermined`` when unknown facts decide it);
* ``conclusions`` — the exact set of conclusions that hold for certain, as labels without the
  system id: ``ai_system``, ``high_risk(annex_iii,"4(a)")`` (spaces are ignored). Roles and
  obligations (``role``, ``obligation``, ``obligation_applies_from``) are not part of this set;
* ``include`` — conclusions (or findings, ``finding(code)``) that must hold for certain;
* ``exclude`` — conclusions or findings that must not hold, not even for some answers to the
  unknown facts;
* ``as_of`` — the assessment date of this case (``YYYY-MM-DD``).

In ``include`` and ``exclude`` a label may be a bare predicate name (``prohibited``: any
prohibited practice) or use ``_`` for any argument (``high_risk(annex_iii,_)``).

``roles`` and ``obligations`` are reserved keys: they are refused until the knowledge base
defines roles and obligations and the case format reads them (see :func:`reserved_key_error`).

Every label is checked: its predicate must be a conclusion of ``kb/conclusions.yaml`` with the
right number of arguments, and every constant or string must occur in the knowledge base (or
in the vocabulary). A misspelled label is an error, never a silent pass.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from dataclasses import dataclass, field
from typing import Any, Iterable

import clingo
from clingo import ast

from .clingo_messages import plain
from .kb import KnowledgeBase
from .vocabulary import Vocabulary

#: Conclusions reported as a checklist; not part of the exact ``conclusions`` set.
CHECKLIST = frozenset({"role", "obligation", "obligation_applies_from"})
#: Keys of ``expect`` kept for roles and obligations (refused for now).
RESERVED = ("roles", "obligations")
FINDING = "finding"
UNDETERMINED = "undetermined"
WILDCARD = "_aiact_any_"


@dataclass(frozen=True)
class Pattern:
    """One expected label.

    Attributes:
        text: the label as written in the case file.
        name: the predicate (``high_risk``).
        args: the arguments after the system id, ``None`` for a bare name (any arguments);
            an argument ``None`` is the wildcard ``_``.
    """

    text: str
    name: str
    args: tuple[clingo.Symbol | None, ...] | None

    @property
    def exact(self) -> bool:
        return self.args is not None and all(a is not None for a in self.args)

    @property
    def label(self) -> str:
        """The canonical label (as the engine writes it) of an exact pattern, else the text."""
        if not self.exact:
            return self.text
        return str(clingo.Function(self.name, list(self.args))) if self.args else self.name

    def matches(self, atom: clingo.Symbol) -> bool:
        """Does ``atom`` (with the system id as first argument) match?"""
        if atom.name != self.name:
            return False
        if self.args is None:
            return True
        rest = atom.arguments[1:]
        return len(rest) == len(self.args) and all(a is None or a == b for a, b in zip(self.args, rest))


@dataclass
class Expectation:
    """A checked ``expect:`` block (labels parsed; see the module docstring)."""

    risk_class: str | None = None
    conclusions: list[Pattern] | None = None
    include: list[Pattern] = field(default_factory=list)
    exclude: list[Pattern] = field(default_factory=list)
    as_of: str | None = None


@dataclass(frozen=True)
class ExpectationError:
    """A problem in an ``expect:`` block: ``key`` is the dotted path (``expect.include[2]``);
    ``message_nl`` the same in Dutch (shown with ``--lang nl``)."""

    key: str
    message: str
    message_nl: str | None = None


class LabelError(ValueError):
    """A label that cannot be read: the reason in English (``str``) and in Dutch (``nl``)."""

    def __init__(self, message: str, nl: str):
        super().__init__(message)
        self.nl = nl


def _arguments(n: int, lang: str) -> str:
    """``1 argument`` / ``2 arguments`` (``argumenten`` in Dutch)."""
    if lang == "nl":
        return f"{n} argument" if n == 1 else f"{n} argumenten"
    return f"{n} argument" if n == 1 else f"{n} arguments"


class Catalogue:
    """What a label may name: the conclusions of the knowledge base and the terms it uses.

    Built once per knowledge base with :meth:`from_kb`.
    """

    def __init__(self, kb: KnowledgeBase, vocabulary: Vocabulary | None = None):
        self.kb = kb
        self.arity = {name: len(spec.args) for name, spec in kb.conclusions.items()}
        self.arity.setdefault(FINDING, 1)
        terms: set[str] = set()
        risk_classes: set[str] = set()
        for statement in kb.statements:
            _collect_terms(statement, terms)
            if statement.ast_type == ast.ASTType.Rule:
                symbol = _head_symbol(statement)
                if symbol is not None and symbol.name == "risk_class" and len(symbol.arguments) == 2:
                    name = _constant_name(symbol.arguments[1])
                    if name:
                        risk_classes.add(name)
        terms |= set(kb.labels)
        if vocabulary is not None:
            for entry in vocabulary.entries:
                terms.update(entry.values)
        self.terms = terms
        self.risk_classes = risk_classes or {k for k in kb.labels}

    def parse(self, text: Any, key: str, allow_patterns: bool) -> tuple[Pattern | None, ExpectationError | None]:
        """Parse and check one label; ``(pattern, None)`` or ``(None, error)``."""
        if not isinstance(text, str) or not text.strip():
            return None, ExpectationError(
                key, f"must be a conclusion label such as ai_system or high_risk(annex_iii,\"4(a)\"), got {text!r}",
                f"moet een conclusielabel zijn, zoals ai_system of high_risk(annex_iii,\"4(a)\"), maar is {text!r}")
        try:
            symbol = _parse_label(text.strip())
        except LabelError as exc:
            return None, ExpectationError(key, f"`{text}` is not a conclusion label: {exc}",
                                          f"`{text}` is geen conclusielabel: {exc.nl}")
        name = symbol.name
        if name not in self.arity:
            close = difflib.get_close_matches(name, sorted(self.arity), n=1, cutoff=0.6)
            listed = ", ".join(sorted(self.arity))
            hint = f"; did you mean `{close[0]}`?" if close else f" (conclusions: {listed})"
            hint_nl = f"; bedoelt u `{close[0]}`?" if close else f" (conclusies: {listed})"
            return None, ExpectationError(key, f"`{text}`: `{name}` is not a conclusion of kb/conclusions.yaml{hint}",
                                          f"`{text}`: `{name}` is geen conclusie van kb/conclusions.yaml{hint_nl}")
        arity = self.arity[name]
        bare = not symbol.arguments and arity > 0 and "(" not in text
        if bare:
            if not allow_patterns:
                return None, ExpectationError(
                    key, f"`{text}`: `{name}` takes {_arguments(arity, 'en')}; `conclusions` lists complete labels "
                         f"(a bare name is allowed in include/exclude only)",
                    f"`{text}`: `{name}` heeft {_arguments(arity, 'nl')}; `conclusions` noemt volledige labels "
                    f"(een naam zonder argumenten mag alleen in include/exclude)")
            return Pattern(text, name, None), None
        if len(symbol.arguments) != arity:
            spec = self.kb.conclusions.get(name)
            shape = f"{name}({', '.join(spec.args)})" if spec and spec.args else name
            return None, ExpectationError(
                key, f"`{text}`: `{name}` takes {_arguments(arity, 'en')} after the system ({shape}), got {len(symbol.arguments)}",
                f"`{text}`: `{name}` heeft {_arguments(arity, 'nl')} na het systeem ({shape}), maar hier {len(symbol.arguments)}")
        args: list[clingo.Symbol | None] = []
        for position, value in enumerate(symbol.arguments):
            if value.type == clingo.SymbolType.Function and value.name == WILDCARD and not value.arguments:
                if not allow_patterns:
                    return None, ExpectationError(key, f"`{text}`: `_` (any value) is allowed in include/exclude only",
                                                  f"`{text}`: `_` (elke waarde) mag alleen in include/exclude")
                args.append(None)
                continue
            problem = self._check_argument(name, position, value)
            if problem:
                return None, ExpectationError(key, f"`{text}`: {problem[0]}", f"`{text}`: {problem[1]}")
            args.append(value)
        return Pattern(text, name, tuple(args)), None

    def _check_argument(self, name: str, position: int, value: clingo.Symbol) -> tuple[str, str] | None:
        """``(English, Dutch)``: why an argument of a label cannot be right, or ``None``."""
        spec = self.kb.conclusions.get(name)
        arg_name = spec.args[position] if spec and position < len(spec.args) else str(position + 1)
        if spec and spec.arg_types.get(arg_name) == "date":
            if value.type != clingo.SymbolType.Number or not _is_date(value.number):
                return (f"argument `{arg_name}` must be a date written YYYYMMDD (e.g. 20261202), got {value}",
                        f"argument `{arg_name}` moet een datum zijn, geschreven als JJJJMMDD (bijv. 20261202), maar is {value}")
            return None
        if value.type == clingo.SymbolType.Number:
            return None
        shown = value.string if value.type == clingo.SymbolType.String else str(value)
        if shown in self.terms or str(value) in self.terms:
            return None
        pool = sorted(t for t in self.terms if (value.type == clingo.SymbolType.String) == (not _is_identifier(t)))
        close = difflib.get_close_matches(shown, pool, n=1, cutoff=0.6)
        hint = f"; did you mean {_quote(close[0], value)}?" if close else ""
        hint_nl = f"; bedoelt u {_quote(close[0], value)}?" if close else ""
        return (f"argument `{arg_name}` is {value}, which occurs nowhere in the knowledge base{hint}",
                f"argument `{arg_name}` is {value}, dat nergens in de kennisbank voorkomt{hint_nl}")

    def check(self, meta: dict) -> tuple[Expectation | None, list[ExpectationError]]:
        """Check the ``expect:`` block of a description's ``meta``; ``(None, [])`` if there is none."""
        raw = meta.get("expect")
        if raw is None:
            return None, []
        if not isinstance(raw, dict):
            return None, [ExpectationError("expect", "must be a mapping with risk_class, conclusions, include, exclude or as_of",
                                           "moet een mapping zijn met risk_class, conclusions, include, exclude of as_of")]
        errors: list[ExpectationError] = []
        out = Expectation(as_of=raw.get("as_of"))
        for reserved in RESERVED:
            if reserved in raw:
                errors.append(ExpectationError(f"expect.{reserved}", reserved_message(reserved, self.kb),
                                               reserved_message(reserved, self.kb, "nl")))
        if "risk_class" in raw:
            value = raw["risk_class"]
            allowed = sorted(self.risk_classes | {UNDETERMINED})
            if value not in allowed:
                close = difflib.get_close_matches(str(value), allowed, n=1)
                hint = f"; did you mean `{close[0]}`?" if close else ""
                hint_nl = f"; bedoelt u `{close[0]}`?" if close else ""
                errors.append(ExpectationError("expect.risk_class", f"`{value}` is not a risk class (one of {', '.join(allowed)}){hint}",
                                               f"`{value}` is geen risicoklasse (een van {', '.join(allowed)}){hint_nl}"))
            else:
                out.risk_class = value
        for key in ("conclusions", "include", "exclude"):
            if key not in raw:
                continue
            items = raw[key]
            if not isinstance(items, list):
                errors.append(ExpectationError(f"expect.{key}", "must be a list of conclusion labels",
                                               "moet een lijst van conclusielabels zijn"))
                continue
            patterns: list[Pattern] = []
            seen: set[str] = set()
            for i, item in enumerate(items):
                pattern, error = self.parse(item, f"expect.{key}[{i}]", allow_patterns=key != "conclusions")
                if error:
                    errors.append(error)
                    continue
                if key == "conclusions" and pattern.name in CHECKLIST | {FINDING}:
                    kind = "findings" if pattern.name == FINDING else "roles and obligations"
                    kind_nl = "bevindingen" if pattern.name == FINDING else "rollen en verplichtingen"
                    errors.append(ExpectationError(f"expect.{key}[{i}]", f"`{item}`: {kind} are not part of `conclusions`; put them under include/exclude",
                                                   f"`{item}`: {kind_nl} horen niet bij `conclusions`; zet ze onder include/exclude"))
                    continue
                if pattern.label in seen:
                    errors.append(ExpectationError(f"expect.{key}[{i}]", f"`{item}` is listed twice", f"`{item}` staat er twee keer"))
                    continue
                seen.add(pattern.label)
                patterns.append(pattern)
            if key == "conclusions":
                out.conclusions = patterns
            else:
                setattr(out, key, patterns)
        if not any(key in raw for key in ("risk_class", "conclusions", "include", "exclude")) and not errors:
            errors.append(ExpectationError("expect", "checks nothing: give risk_class, conclusions, include or exclude",
                                           "controleert niets: geef risk_class, conclusions, include of exclude"))
        both = {p.label for p in out.include} & {p.label for p in out.exclude}
        both |= {p.label for p in out.conclusions or []} & {p.label for p in out.exclude}
        for label in sorted(both):
            errors.append(ExpectationError("expect.exclude", f"`{label}` is both expected and excluded",
                                           f"`{label}` wordt zowel verwacht als uitgesloten"))
        return (None if errors else out), errors


def reserved_message(key: str, kb: KnowledgeBase, lang: str = "en") -> str:
    """Why ``expect.roles`` / ``expect.obligations`` is refused (the same text for the loader's error)."""
    predicate = "role" if key == "roles" else "obligation"
    example = f"include: [{predicate}({'deployer' if key == 'roles' else '_,deployer'})]"
    if predicate in kb.conclusions:
        if lang == "nl":
            return (f"`{key}` is gereserveerd en wordt nog niet gelezen; schrijf de {'rollen' if key == 'roles' else 'verplichtingen'} "
                    f"als labels onder include/exclude, bijv. {example}")
        return f"`{key}` is reserved and not read yet; write the {key} as labels under include/exclude, e.g. {example}"
    if lang == "nl":
        return (f"`{key}` is gereserveerd voor een latere versie: de kennisbank kent nog geen "
                f"{'rollen' if key == 'roles' else 'verplichtingen'} (geen conclusie `{predicate}` in kb/conclusions.yaml), "
                f"dus het kan niet worden gecontroleerd")
    return (f"`{key}` is reserved for a later version: the knowledge base does not define "
            f"{key} yet (no `{predicate}` conclusion in kb/conclusions.yaml), so it cannot be checked")


def is_reserved_key(key: str | None) -> bool:
    """Is ``key`` (a loader error's dotted key, possibly under ``systems[i].``) a reserved expect key?"""
    return bool(key) and any(key.endswith(f"expect.{r}") for r in RESERVED)


def _parse_label(text: str) -> clingo.Symbol:
    """``high_risk(annex_iii, "4(a)")`` -> Symbol; ``_`` becomes :data:`WILDCARD`. Raises :class:`LabelError`."""
    if "%" in text or ":-" in text or text.rstrip().endswith("."):
        raise LabelError("write only the label, e.g. prohibited(\"5(1)(c)\")", "schrijf alleen het label, bijv. prohibited(\"5(1)(c)\")")
    messages: list[str] = []
    try:
        symbol = clingo.parse_term(_replace_wildcards(text), logger=lambda code, message: messages.append(message))
    except RuntimeError as exc:
        _, col, problem = plain((messages or [str(exc)])[0]) if (messages or str(exc).strip()) else (None, None, "cannot be read")
        problem = problem.replace("the end of the file", "the end of the label")
        # clingo's reason is in English only; the Dutch message says where the label goes wrong
        raise LabelError(problem + (f" (at character {col})" if col else ""),
                         "het label kan niet gelezen worden" + (f" (bij teken {col})" if col else "")) from None
    if symbol.type != clingo.SymbolType.Function or not symbol.name:
        raise LabelError("a label starts with the name of a conclusion, e.g. ai_system",
                         "een label begint met de naam van een conclusie, bijv. ai_system")
    if symbol.negative:
        raise LabelError("negated labels are not supported; use exclude", "ontkende labels worden niet ondersteund; gebruik exclude")
    return symbol


def _replace_wildcards(text: str) -> str:
    """Replace every ``_`` that stands alone as an argument (outside strings) by :data:`WILDCARD`."""
    out, in_string, escaped = [], False, False
    for i, char in enumerate(text):
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        before = text[:i].rstrip()[-1:] if text[:i].strip() else ""
        after = text[i + 1:].lstrip()[:1]
        if char == "_" and before in ("(", ",") and after in (")", ","):
            out.append(WILDCARD)
        else:
            out.append(char)
    return "".join(out)


def _head_symbol(rule: ast.AST) -> ast.AST | None:
    head = rule.head
    if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.SymbolicAtom:
        symbol = head.atom.symbol
        if symbol.ast_type == ast.ASTType.Function:
            return symbol
    return None


def _collect_terms(node: ast.AST, out: set[str]) -> None:
    """Add every constant name and string of ``node`` (recursively) to ``out``."""
    stack = [node]
    while stack:
        item = stack.pop()
        kind = item.ast_type
        if kind == ast.ASTType.SymbolicTerm:
            symbol = item.symbol
            if symbol.type == clingo.SymbolType.String:
                out.add(symbol.string)
            elif symbol.type == clingo.SymbolType.Function:
                out.add(str(symbol))
            continue
        if kind == ast.ASTType.Function and not item.arguments and not item.external:
            out.add(item.name)
        for key in item.child_keys:
            child = getattr(item, key)
            if child is None:
                continue
            if isinstance(child, ast.AST):
                stack.append(child)
            elif isinstance(child, Iterable) and not isinstance(child, str):
                stack.extend(c for c in child if isinstance(c, ast.AST))


def _constant_name(term: ast.AST) -> str | None:
    """The name of a constant term (``high_risk``), else ``None``."""
    if term.ast_type == ast.ASTType.SymbolicTerm and term.symbol.type == clingo.SymbolType.Function and not term.symbol.arguments:
        return term.symbol.name
    if term.ast_type == ast.ASTType.Function and not term.arguments and not term.external:
        return term.name
    return None


def _is_date(value: int) -> bool:
    try:
        _dt.date(value // 10000, value // 100 % 100, value % 100)
    except ValueError:
        return False
    return True


def _is_identifier(text: str) -> bool:
    return bool(text) and (text[0].islower() or text[0] == "_") and all(c.isalnum() or c == "_" for c in text)


def _quote(text: str, like: clingo.Symbol) -> str:
    return f'"{text}"' if like.type == clingo.SymbolType.String else f"`{text}`"
