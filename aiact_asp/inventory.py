"""An organisation's inventory in one run: one row per system, with totals.

The rows hold the fields CIO Rijk's *Handreiking AI-verordening* §2.1 asks an inventory to
keep (name, Algorithm Register entry, purpose and description, overarching process, risk
classification, role of the organisation, supplier, status), and what the knowledge base
concluded: whether it is an AI system, the scope, the risk class with its grounds (Art. 5
letters, Annex I legislation, Annex III points, Art. 6(3) derogation, Art. 50 paragraphs,
Art. 51 grounds), the roles, the number of obligations that apply now and later, and the
number of open questions; and labels in the vocabulary of the Beslishulp AI-verordening and
the Algoritmekader (``kb/register_labels.yaml``). Systems that could not be read are listed
apart with the reason; one bad file never stops the run.

All systems are solved in one clingo run. Systems whose legal facts are the same (often: a
freshly imported register, where every legal fact is still ``unknown``) are solved once: the
knowledge base never relates one system to another (every atom has the system id first), so
the outcome of a system depends only on its own facts and assessment date.

Formats: :mod:`aiact_asp.inventory_formats` (table, CSV, XLSX, Markdown, JSON) and
:mod:`aiact_asp.inventory_html` (one self-contained HTML page).
"""

from __future__ import annotations

import datetime as _dt
import functools
import inspect
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import clingo

from .engine import SystemResult, risk_order as _risk_order, solve
from .errors import InputError
from .kb import KnowledgeBase, load_kb
from .loader import Description
from .obligations import obligations_of
from .progress import Progress, Ticker
from .vocabulary import Vocabulary, load_vocabulary
from .kbyaml import read_yaml
from .citation_nl import citation_nl

#: Columns of a flat row (CSV, XLSX, Markdown, HTML), in order; headings in kb/register_labels.yaml.
COLUMNS = ("id", "name", "register_id", "description", "process", "risk_classification", "role", "vendor", "status",
           "ai_system", "scope", "risk_class", "possible_risk_classes", "prohibited", "annex_i", "annex_iii",
           "derogation", "transparency", "systemic_risk", "roles", "obligations_now", "obligations_later",
           "open_questions", "labels", "file")
#: The columns of Handreiking §2.1.
HANDREIKING_COLUMNS = ("name", "register_id", "description", "process", "risk_classification", "role", "vendor", "status")
#: Columns holding whole numbers.
NUMBER_COLUMNS = ("obligations_now", "obligations_later", "open_questions")

ROLE_ORDER = ("provider", "deployer", "importer", "distributor", "authorised_representative", "product_manufacturer")


# --------------------------------------------------------------------------- labels


@functools.lru_cache(maxsize=4)
def load_labels(directory: Path) -> dict:
    """``kb/register_labels.yaml`` of the knowledge base in ``directory``."""
    path = Path(directory) / "register_labels.yaml"
    return read_yaml(path) or {}


def _lang(entry: Any, lang: str) -> str:
    if isinstance(entry, dict):
        return str(entry.get(lang) or entry.get("en") or "")
    return "" if entry is None else str(entry)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Ground:
    """One legal ground of a conclusion: ``"5(1)(c)"``, ``"4(a)"``, ``"medical_devices"``.

    Attributes:
        ground: the provision or constant as the knowledge base concludes it.
        certain: ``False`` when it holds only for some answers to the open facts.
        detail: more, e.g. the Annex I section (``"A"``), the Annex III point of a
            derogation, or the date from which a provision applies.
    """

    ground: str
    certain: bool = True
    detail: str = ""

    def as_dict(self) -> dict:
        return {"ground": self.ground, "certain": self.certain, "detail": self.detail}


@dataclass
class Legal:
    """What the knowledge base concluded about a system (the same for systems with the same facts)."""

    risk_class: str
    possible_risk_classes: list[str]
    ai_system: str                  # ai_system, gpai_system, gpai_model, not_ai_system, undetermined
    scope: str                      # in_scope, out_of_scope, undetermined, not_applicable
    scope_grounds: list[Ground]
    prohibited: list[Ground]
    annex_i: list[Ground]
    annex_iii: list[Ground]
    derogation: list[Ground]
    transparency: list[Ground]
    systemic_risk: list[Ground]
    roles: list[Ground]
    obligations_now: int            # certain obligations that apply on the assessment date
    obligations_later: int          # certain obligations that start later
    obligations_now_possible: int   # obligations that apply now for some answers to the open facts
    obligations_later_possible: int
    open_questions: int
    open_question_keys: list[str]
    unknown_keys: int
    labels: list[Ground]           # Dutch Beslishulp labels
    algoritmekader_tags: list[str]


@dataclass
class Row:
    """One system of the inventory: its description's inventory fields and its :class:`Legal` outcome."""

    id: str
    name: str
    register_id: str
    description: str
    process: str
    vendor: str
    status: str
    stated_roles: list[str]
    file: str
    line: int
    as_of: _dt.date
    legal: Legal


@dataclass
class Inventory:
    """The rows, the systems that could not be read, and the totals."""

    rows: list[Row]
    failed: list[InputError]
    as_of: _dt.date
    kb: KnowledgeBase
    vocabulary: Vocabulary
    open_basis: str = "open_questions"   # or "unknown_keys" (engine without open questions)
    groups: int = 0                      # distinct sets of legal facts solved

    @property
    def totals_risk(self) -> dict[str, int]:
        counts = Counter(row.legal.risk_class for row in self.rows)
        return {k: counts[k] for k in sorted(counts, key=_risk_order)}

    @property
    def totals_role(self) -> dict[str, dict[str, int]]:
        """role -> ``{"certain": n, "undetermined": m}`` (systems with that role)."""
        out: dict[str, dict[str, int]] = {}
        for row in self.rows:
            for role in row.legal.roles:
                entry = out.setdefault(role.ground, {"certain": 0, "undetermined": 0})
                entry["certain" if role.certain else "undetermined"] += 1
        return {k: out[k] for k in sorted(out, key=_role_order)}


def _role_order(name: str) -> tuple:
    return (ROLE_ORDER.index(name) if name in ROLE_ORDER else len(ROLE_ORDER), name)


# --------------------------------------------------------------------------- solving


def signature(desc: Description) -> tuple:
    """What the outcome of ``desc`` depends on: its facts (not its id or texts) and its date.

    Values are bools, strings, lists of strings, dates and decimals, whose ``repr`` tells
    them apart (``True`` from ``"true"``, ``Decimal('1E+25')`` from ``Decimal('1.0E+25')``
    only where they differ as numbers too: the facts are built from the same values).
    """
    values = tuple(sorted((k, repr(v)) for k, v in desc.values.items() if k != "id"))
    opened = tuple(sorted((k, repr(sorted(v))) for k, v in desc.open_values.items())) if desc.open_values else ()
    return values, opened, str(desc.meta.get("expect", {}).get("as_of", ""))


def solve_grouped(descriptions: list[Description], kb: KnowledgeBase, vocabulary: Vocabulary, as_of: _dt.date,
                  questions: bool = True) -> tuple[dict[str, SystemResult], int]:
    """Solve ``descriptions`` in one clingo run, each distinct set of facts once.

    Returns:
        ``({system id: result}, number of distinct sets)``. Systems with the same facts share
        one :class:`~aiact_asp.engine.SystemResult` (of the first of them): read only its
        legal outcome, not its id.
    """
    groups: dict[tuple, Description] = {}
    member: dict[str, tuple] = {}
    for desc in descriptions:
        key = signature(desc)
        groups.setdefault(key, desc)
        member[desc.id] = key
    representatives = list(groups.values())
    results = _solve(representatives, kb, vocabulary, as_of, questions) if representatives else []
    by_key = {key: result for key, result in zip(groups, results)}
    return {ident: by_key[key] for ident, key in member.items()}, len(groups)


def _solve(descriptions: list[Description], kb: KnowledgeBase, vocabulary: Vocabulary, as_of: _dt.date,
           questions: bool) -> list[SystemResult]:
    """One clingo run; without the rule-firing instrumentation when the engine offers that (an
    inventory shows conclusions, not the rules that derived them)."""
    from . import engine

    ground = getattr(engine, "ground", None)
    if ground is not None and "firings" in inspect.signature(ground).parameters:
        grounding = ground(descriptions, kb, vocabulary, as_of, firings=False)
        if questions and hasattr(grounding, "open_questions"):
            quick = "quick" in inspect.signature(grounding.open_questions).parameters
            grounding.open_questions(**({"quick": True} if quick else {}))  # counts and keys only
        return grounding.results
    kwargs: dict[str, Any] = {}
    if "questions" in inspect.signature(solve).parameters:
        kwargs["questions"] = questions
    return solve(descriptions, kb, vocabulary, as_of, **kwargs)


# --------------------------------------------------------------------------- the legal outcome of one system


def _text(symbol: clingo.Symbol) -> str:
    return symbol.string if symbol.type == clingo.SymbolType.String else str(symbol)


def _date(value: int) -> str:
    return f"{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}"


def _add(grounds: list[Ground], ground: Ground) -> None:
    for i, old in enumerate(grounds):
        if old.ground == ground.ground and old.detail == ground.detail:
            if ground.certain and not old.certain:
                grounds[i] = ground
            return
    grounds.append(ground)


def legal_outcome(result: SystemResult, kb: KnowledgeBase, labels: dict, questions: bool = True) -> tuple[Legal, str]:
    """The :class:`Legal` outcome of ``result``, and how open questions were counted:
    ``"open_questions"`` (the engine's open questions) or ``"unknown_keys"`` (the open facts,
    when ``questions`` is off or the engine does not work them out)."""
    by_name: dict[str, list] = {}
    for conclusion in result.conclusions:
        by_name.setdefault(conclusion.name, []).append(conclusion)

    def certain(name: str) -> bool:
        return any(c.certain for c in by_name.get(name, []))

    def possible(name: str) -> bool:
        return bool(by_name.get(name))

    if certain("gpai_model"):
        ai_system = "gpai_model"
    elif certain("not_ai_system") and not possible("ai_system"):
        ai_system = "not_ai_system"
    elif certain("ai_system"):
        ai_system = "gpai_system" if certain("gpai_system") else "ai_system"
    elif possible("ai_system") or possible("not_ai_system") or possible("gpai_model"):
        ai_system = "undetermined"
    else:
        ai_system = "not_ai_system"

    scope_grounds: list[Ground] = []
    for c in by_name.get("out_of_scope", []):
        _add(scope_grounds, Ground(_text(c.arguments[0]), c.certain))
    if certain("out_of_scope"):
        scope = "out_of_scope"
    elif certain("in_scope"):
        scope = "in_scope"
    elif possible("in_scope") or possible("out_of_scope"):
        scope = "undetermined"
    else:
        scope = "not_applicable"

    prohibited: list[Ground] = []
    for c in by_name.get("prohibited", []):
        _add(prohibited, Ground(_text(c.arguments[0]), c.certain))
    for c in by_name.get("prohibited_from", []):
        _add(prohibited, Ground(_text(c.arguments[0]), c.certain, f"from {_date(c.arguments[1].number)}"))
    annex_i: list[Ground] = []
    annex_iii: list[Ground] = []
    for c in by_name.get("high_risk", []):
        basis, detail = (_text(a) for a in c.arguments[:2])
        if basis == "annex_iii":
            _add(annex_iii, Ground(detail, c.certain))
        elif basis.startswith("annex_i_section_"):
            _add(annex_i, Ground(detail, c.certain, basis[len("annex_i_section_"):].upper()))
    derogation: list[Ground] = []
    for c in by_name.get("annex_iii_derogation", []):
        point, ground = (_text(a) for a in c.arguments[:2])
        _add(derogation, Ground(ground, c.certain, point))
    transparency: list[Ground] = []
    for c in by_name.get("transparency_obligation", []):
        _add(transparency, Ground(_text(c.arguments[0]), c.certain))
    for c in by_name.get("transparency_obligation_from", []):
        _add(transparency, Ground(_text(c.arguments[0]), c.certain, f"from {_date(c.arguments[1].number)}"))
    systemic_risk: list[Ground] = []
    for c in by_name.get("gpai_systemic_risk", []):
        _add(systemic_risk, Ground(_text(c.arguments[0]), c.certain))
    roles: list[Ground] = []
    for c in sorted(by_name.get("role", []), key=lambda c: _role_order(_text(c.arguments[0]))):
        _add(roles, Ground(_text(c.arguments[0]), c.certain))

    counts = Counter()
    for item in obligations_of(result, kb.directory):
        counts[("now" if item.applies_now else "later", item.certain)] += 1

    found = getattr(result, "open_questions", None)
    if questions and found is not None and hasattr(result, "left_open"):
        basis = "open_questions"
        question_keys = [q.key if hasattr(q, "key") else str(q) for q in found]  # str() only if needed: a long repr
    else:
        basis = "unknown_keys"
        question_keys = list(result.unknown_keys) + list(getattr(result, "left_open", []) or [])

    legal = Legal(
        risk_class=result.risk_class,
        possible_risk_classes=result.possible_risk_classes,  # from prohibited down
        ai_system=ai_system, scope=scope, scope_grounds=scope_grounds,
        prohibited=prohibited, annex_i=annex_i, annex_iii=annex_iii, derogation=derogation,
        transparency=transparency, systemic_risk=systemic_risk, roles=roles,
        obligations_now=counts[("now", True)], obligations_later=counts[("later", True)],
        obligations_now_possible=counts[("now", False)], obligations_later_possible=counts[("later", False)],
        open_questions=len(question_keys), open_question_keys=question_keys,
        unknown_keys=len(result.unknown_keys) + len(getattr(result, "left_open", []) or []),
        labels=[], algoritmekader_tags=[],
    )
    legal.labels, legal.algoritmekader_tags = dutch_labels(legal, labels)
    return legal, basis


def dutch_labels(legal: Legal, labels: dict) -> tuple[list[Ground], list[str]]:
    """The labels of the Beslishulp AI-verordening for ``legal`` (``?``: only possible), and
    the Algoritmekader tags of the certain ones."""
    table = labels.get("dutch_labels", {})
    out: list[Ground] = []
    tags: list[str] = []

    def add(dimension: str, key: str, certain: bool) -> None:
        entry = (table.get(dimension) or {}).get(key)
        if not entry:
            return
        _add(out, Ground(entry["beslishulp"], certain))
        if certain and entry.get("algoritmekader") and entry["algoritmekader"] not in tags:
            tags.append(entry["algoritmekader"])

    determined = legal.risk_class != "undetermined"
    possible = legal.possible_risk_classes
    if legal.ai_system != "undetermined":
        add("type", legal.ai_system, True)
    else:
        for kind in ("ai_system", "gpai_model", "not_ai_system"):
            if kind == "ai_system" and any(c not in ("not_ai_system", "gpai_model", "gpai_model_systemic_risk") for c in possible):
                add("type", kind, False)
            elif kind != "ai_system" and any(c.startswith(kind) for c in possible):
                add("type", kind, False)
    for risk in possible:
        add("risk_group", risk, determined)
    # the same Beslishulp label from two risk classes (limited and minimal risk) is certain when both are all that is possible
    groups = {(table.get("risk_group") or {}).get(r, {}).get("beslishulp") for r in possible}
    if not determined and len(groups) == 1 and None not in groups:
        out = [Ground(g.ground, True) if g.ground in groups else g for g in out]
        entry = (table.get("risk_group") or {}).get(possible[0], {})
        if entry.get("algoritmekader") and entry["algoritmekader"] not in tags:
            tags.append(entry["algoritmekader"])
    for role in legal.roles:
        add("role", role.ground, role.certain)
    if legal.ai_system in ("ai_system", "gpai_system", "undetermined") and any(
            c not in ("not_ai_system", "out_of_scope", "gpai_model", "gpai_model_systemic_risk") for c in possible):
        current = [g for g in legal.transparency if not g.detail]
        if current:
            add("transparency", "yes", any(g.certain for g in current))
        if not any(g.certain for g in current):
            add("transparency", "no", determined and not current)
    if any(c.startswith("gpai_model") for c in possible):
        if "gpai_model_systemic_risk" in possible:
            add("systemic_risk", "yes", determined)
        if "gpai_model" in possible:
            add("systemic_risk", "no", determined)
    return out, tags


# --------------------------------------------------------------------------- building an inventory


def build_inventory(descriptions: list[Description], failed: list[InputError], kb: KnowledgeBase,
                    vocabulary: Vocabulary, as_of: _dt.date, questions: bool = True,
                    progress: Progress | None = None) -> Inventory:
    """Solve ``descriptions`` (in one clingo run) and make one :class:`Row` each, in order."""
    progress = progress or Progress(enabled=False)
    labels = load_labels(kb.directory)
    progress.phase("grounding and solving")
    with Ticker(progress):
        results, groups = solve_grouped(descriptions, kb, vocabulary, as_of, questions)
    progress.phase("collecting", total=len(descriptions))
    outcomes: dict[int, tuple[Legal, str]] = {}
    rows = []
    basis = "open_questions"
    for desc in descriptions:
        result = results[desc.id]
        if id(result) not in outcomes:
            outcomes[id(result)] = legal_outcome(result, kb, labels, questions)
        legal, basis = outcomes[id(result)]
        text = desc.text
        stated = desc.values.get("roles")
        rows.append(Row(
            id=desc.id, name=text.get("name", ""), register_id=text.get("register_id", ""),
            description=text.get("description", ""), process=text.get("process", ""), vendor=text.get("vendor", ""),
            status=str(desc.values.get("status", "")), stated_roles=list(stated) if isinstance(stated, list) else [],
            file=desc.file, line=desc.line, as_of=result.as_of, legal=legal,
        ))
        progress.advance()
    return Inventory(rows, list(failed), as_of, kb, vocabulary, basis, groups)


def inventory_paths(paths: Iterable[str | Path], as_of: _dt.date | None = None, kb_dir: Path | None = None,
                    questions: bool = True, progress: Progress | None = None) -> Inventory:
    """Read every description in ``paths`` and build the inventory.

    Raises:
        KnowledgeBaseError: the knowledge base cannot be loaded, grounded or solved.
    """
    from . import fastload, parallel
    from .loader import iter_files

    progress = progress or Progress(enabled=False)
    kb = load_kb(Path(kb_dir) if kb_dir else None)
    try:
        from .api import load_kb_vocabulary  # names a malformed catalogue as a knowledge-base error
    except ImportError:  # pragma: no cover - older api
        vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    else:
        vocabulary = load_kb_vocabulary(kb.directory)
    as_of = as_of or _dt.date.today()
    files, errors = iter_files(paths)
    jobs = parallel.jobs_for(files)
    if jobs > 1:  # many files: read in shares, in processes of their own (aiact_asp/parallel.py)
        # Only the reading: systems with the same facts are solved once (solve_grouped), and an
        # imported register is mostly a few such sets (every legal fact unknown), whose open
        # questions are most of the work; split over processes they would be solved twice.
        progress.phase("reading files in {n} processes", n=jobs)
        failed, read = parallel.read_in_shares(files, errors, vocabulary, jobs, lambda _, descriptions: descriptions,
                                               waiting=Ticker(progress))
        descriptions = [desc for mine in read for desc in mine]
    else:
        progress.phase("reading files", total=len(files))
        descriptions, failed = fastload.read_files(files, errors, vocabulary, on_file=lambda _: progress.advance())
    return build_inventory(descriptions, failed, kb, vocabulary, as_of, questions, progress)


# --------------------------------------------------------------------------- flat rows (for every format)


class Words:
    """Labels and headings of an inventory in one language."""

    def __init__(self, inventory: Inventory, lang: str, short_citations: bool = False):
        """``short_citations``: provisions as the law numbers them (``5(1)(g)``) in any language,
        for a table column too narrow for the Dutch citation (``art. 5, lid 1, punt g)``)."""
        self.inventory, self.lang, self.short_citations = inventory, lang, short_citations
        self.labels = load_labels(inventory.kb.directory)
        self.kb_labels = inventory.kb.labels
        status = inventory.vocabulary.by_key.get("status")
        self.status_labels = getattr(status, "value_labels", {}) or {}
        self.flat_cache: dict[int, tuple] = {}

    def word(self, key: str) -> str:
        return _lang(self.labels.get("words", {}).get(key), self.lang) or key

    def heading(self, column: str) -> str:
        return _lang(self.labels.get("columns", {}).get(column), self.lang) or column

    def short_heading(self, column: str) -> str | None:
        """The short heading of a table column too narrow for its own (``short_columns``), if any."""
        return _lang(self.labels.get("short_columns", {}).get(column), self.lang) or None

    def kb_label(self, constant: str) -> str:
        return _lang(self.kb_labels.get(constant), self.lang) or constant

    def risk_class(self, name: str) -> str:
        return self.word("undetermined") if name == "undetermined" else self.kb_label(name)

    def risk_classification(self, legal: Legal, short: bool = False) -> str:
        """``high-risk AI system``, ``undetermined (possible: prohibited AI practice, …)``; with
        ``short`` the short forms for a narrow cell (``short`` of kb/register_labels.yaml):
        ``GPAI, systemic risk``, ``undetermined (prohibited, high-risk)``."""
        def label(name: str) -> str:
            found = _lang(self.labels.get("short", {}).get(name), self.lang) if short else ""
            return found or self.risk_class(name)

        if legal.risk_class != "undetermined":
            return label(legal.risk_class)
        possible = ", ".join(label(c) for c in legal.possible_risk_classes)
        return f"{label('undetermined')} ({possible})" if short else f"{label('undetermined')} ({self.word('possible')}: {possible})"

    def status(self, value: str) -> str:
        return _lang(self.status_labels.get(value), self.lang) or value

    def ai_system(self, value: str) -> str:
        return _lang(self.labels.get("ai_system", {}).get(value), self.lang) or value

    def scope(self, legal: Legal) -> str:
        text = _lang(self.labels.get("scope", {}).get(legal.scope), self.lang) or legal.scope
        grounds = [g.ground for g in legal.scope_grounds if g.certain]
        if self.lang == "nl":  # "art. 2, lid 3" (aiact_asp/citation_nl.py) in place of "art. 2(3)"
            return text.replace("art. {grounds}", "{grounds}").replace("{grounds}", "; ".join(self.provision(g) for g in grounds))
        return text.replace("{grounds}", ", ".join(grounds))

    def provision(self, ground: str, annex: str | None = None) -> str:
        """A provision concluded by the rules as the language cites it: ``5(1)(g)`` in English,
        ``art. 5, lid 1, punt g)`` in Dutch; with ``annex="III"`` a point of that annex (``4(a)``;
        ``punt 4, a)``)."""
        if self.lang != "nl" or self.short_citations:
            return ground
        if annex:
            return citation_nl(f"Annex {annex} {ground}").removeprefix(f"bijlage {annex}, ")
        return citation_nl(ground)

    def role(self, role: str) -> str:
        return self.kb_label(role)

    def detail(self, ground: "Ground") -> str:
        """``"5(1)(ba) (from 2026-12-02)"`` in the language of the inventory."""
        detail = ground.detail
        if detail.startswith("from "):
            detail = f"{self.word('from')} {detail[5:]}"
        shown = self.provision(ground.ground)
        return f"{shown} ({detail})" if detail else shown


#: At most this many grounds that are only possible are written out in a cell; the others are counted.
MAX_POSSIBLE = 6


def _grounds(grounds: list[Ground], show: Any = None, words: "Words | None" = None) -> str:
    """Grounds as ``"4(a); 5(b)?"``: the certain ones, then at most :data:`MAX_POSSIBLE` possible
    ones (``?``); more possible ones are counted (``"… +19 possible"``). JSON lists them all."""
    parts = [show(g) if show else g.ground for g in grounds if g.certain]
    maybe = [g for g in grounds if not g.certain]
    parts += [(show(g) if show else g.ground) + "?" for g in maybe[:MAX_POSSIBLE]]
    if len(maybe) > MAX_POSSIBLE:
        more = words.word("possible") if words else "possible"
        parts.append(f"… +{len(maybe) - MAX_POSSIBLE} {more}")
    return "; ".join(parts)


def flat_row(row: Row, words: Words) -> dict[str, Any]:
    """``row`` as one value per :data:`COLUMNS` entry (text, or a whole number)."""
    legal = row.legal
    cached = words.flat_cache.get(id(legal))
    if cached is None or cached[0] is not legal:
        cached = (legal, _flat_legal(legal, words))
        words.flat_cache[id(legal)] = cached
    role_text = cached[1]["role"]
    if not legal.roles and row.stated_roles:
        role_text = "; ".join(words.role(r) for r in row.stated_roles)
    return {
        "id": row.id,
        "name": row.name,
        "register_id": row.register_id,
        "description": row.description,
        "process": row.process,
        **cached[1],
        "role": role_text,
        "vendor": row.vendor,
        "status": words.status(row.status),
        "file": f"{row.file}:{row.line}",
    }


def _flat_legal(legal: Legal, words: Words) -> dict[str, Any]:
    """The cells of a row that depend only on its legal outcome (shared by equal systems)."""
    return {
        "risk_classification": words.risk_classification(legal),
        "role": _grounds(legal.roles, lambda g: words.role(g.ground)),
        "ai_system": words.ai_system(legal.ai_system),
        "scope": words.scope(legal),
        "risk_class": legal.risk_class,
        "possible_risk_classes": "; ".join(legal.possible_risk_classes),
        "prohibited": _grounds(legal.prohibited, words.detail, words=words),
        "annex_i": _grounds(legal.annex_i, lambda g: f"{words.kb_label(g.ground)} ({g.detail})", words=words),
        "annex_iii": _grounds(legal.annex_iii, lambda g: words.provision(g.ground, annex="III"), words=words),
        "derogation": _grounds(legal.derogation, lambda g: f"{words.provision(g.ground)} ({words.provision(g.detail, annex='III')})",
                               words=words),
        "transparency": _grounds(legal.transparency, words.detail, words=words),
        "systemic_risk": _grounds(legal.systemic_risk, lambda g: words.provision(g.ground), words=words),
        "roles": _grounds(legal.roles),
        "obligations_now": legal.obligations_now,
        "obligations_later": legal.obligations_later,
        "open_questions": legal.open_questions,
        "labels": _grounds(legal.labels),
    }


def legal_json(legal: Legal) -> dict:
    """The legal part of a row as JSON (the same for all systems with the same facts)."""
    return {
        "ai_system": legal.ai_system,
        "scope": {"status": legal.scope, "grounds": [g.as_dict() for g in legal.scope_grounds]},
        "risk_class": legal.risk_class,
        "possible_risk_classes": legal.possible_risk_classes,
        "grounds": {
            "prohibited": [g.as_dict() for g in legal.prohibited],
            "annex_i": [g.as_dict() for g in legal.annex_i],
            "annex_iii": [g.as_dict() for g in legal.annex_iii],
            "derogation": [g.as_dict() for g in legal.derogation],
            "transparency": [g.as_dict() for g in legal.transparency],
            "systemic_risk": [g.as_dict() for g in legal.systemic_risk],
        },
        "roles": [g.as_dict() for g in legal.roles],
        "obligations": {"now": legal.obligations_now, "later": legal.obligations_later,
                        "now_possible": legal.obligations_now_possible, "later_possible": legal.obligations_later_possible},
        "open_questions": legal.open_questions,
        "open_question_keys": legal.open_question_keys,
        "labels": [g.as_dict() for g in legal.labels],
        "algoritmekader_tags": legal.algoritmekader_tags,
    }


class SharedTail(dict):
    """A dict whose last entries are those of :attr:`shared`, a dict that many such dicts end with
    (the legal part of systems with the same facts), so that :func:`aiact_asp.inventory_formats.json_text`
    encodes that part once. Otherwise an ordinary dict."""

    __slots__ = ("shared",)


def row_json(row: Row, cache: dict | None = None) -> dict:
    """``row`` with its structure (grounds with their certainty), language-neutral."""
    cache = {} if cache is None else cache
    key = id(row.legal)
    if key not in cache:
        cache[key] = (row.legal, legal_json(row.legal))
    out = SharedTail({
        "id": row.id, "name": row.name, "register_id": row.register_id, "description": row.description,
        "process": row.process, "vendor": row.vendor, "status": row.status, "stated_roles": row.stated_roles,
        "file": row.file, "line": row.line, "as_of": row.as_of.isoformat(),
    })
    out.update(cache[key][1])
    out.shared = cache[key][1]
    return out


def inventory_json(inventory: Inventory, lang: str = "en") -> dict:
    """The whole inventory as a JSON-ready dict (layout in docs/inventory.md)."""
    words = Words(inventory, lang)
    cache: dict = {}
    return {
        "language": lang,
        "as_of": inventory.as_of.isoformat(),
        "columns": {c: words.heading(c) for c in COLUMNS},
        "open_questions_basis": inventory.open_basis,
        "systems": [row_json(r, cache) for r in inventory.rows],
        "rows": [flat_row(r, words) for r in inventory.rows],
        "failed": [e.as_dict() for e in inventory.failed],
        "totals": {
            "systems": len(inventory.rows),
            "failed": len(inventory.failed),
            "risk_classes": inventory.totals_risk,
            "roles": inventory.totals_role,
        },
    }


def failed_rows(inventory: Inventory, lang: str = "en") -> list[dict[str, Any]]:
    """The descriptions that could not be read: file, line, key and reason (in ``lang`` where worded)."""
    return [{"file": e.file, "line": e.line or "", "key": e.key or "", "reason": e.text(lang)} for e in inventory.failed]
