"""Explanations a lawyer can follow: why a conclusion holds, and why another does not.

**Why.** Every rule of ``kb/*.lp`` is instrumented (kb.py): ``_fired(I, head, used..., absent...)``.
A derivation tree starts at a conclusion; its children are the *steps* (rule instances) that
derived it, and each step's children are the atoms it used: legal concepts (explained in turn),
law as data (e.g. ``annex_iii_point``) and the input facts of the description. A ``not x``
condition of a step is stated in words with its own reason: when some rule could have derived
``x``, the reason names, per such rule, the condition that failed (a *why-not* of ``x``).

**Why not.** For a conclusion that does not hold, every rule whose head can match it is
evaluated against the system's answer set: its body is joined with the atoms of the model,
where each system condition may *fail* instead of matching (a relaxed join); data conditions
(law as data, no system argument) must match. Per rule the instances with a minimal set of
failed conditions are kept. A failed condition is an input fact that would have to change (with
its key and the article the catalogue gives), a ``not x`` whose ``x`` holds (with the derivation
of ``x``), a comparison (dates, thresholds), or a legal concept that does not hold, explained one
level further down, until input facts are reached. Routes are ordered by the number of input
facts that would have to change. A condition that fails only for some answers to the unknown
facts is marked ``unknown``. Instances of one rule that differ only in a value (one per Annex I act,
per Annex III point) are put into words as one *general route* (:func:`general_route`) whose open
value may be any of theirs; what it needs lists those values as alternatives.

The answer set: :func:`solve_model` grounds the same program as the engine (the same facts and
the same instrumented rules, through the functions of :mod:`aiact_asp.facts`, :mod:`aiact_asp.engine`
and :mod:`aiact_asp.kb`) with a ``#show`` of every predicate the rules refer to, so that every atom
a rule can test is visible; with unknown facts the brave (some answer) and cautious (every answer)
consequences over them are computed. Choice of method and formats: docs/explanations.md; the
wording: :mod:`aiact_asp.explain_render`.
"""

from __future__ import annotations

import datetime as _dt
import functools
import inspect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import clingo
import yaml
from clingo import ast

from .context import GroundingContext
from .api import Run
from .engine import SystemResult
from .facts import build_facts
from .kb import FIRED, KnowledgeBase, Rule
from .loader import Description
from .vocabulary import Vocabulary
from .kbyaml import read_yaml
from .symbols import PerSymbol, symbol_key, without_gc

#: Atoms the converter makes besides the catalogue's predicates (docs/kb-conventions.md).
GENERATED = frozenset({"system", "as_of", "present", "unknown"})
#: Conclusions shown as a checklist elsewhere; not explained by default.
CHECKLIST = frozenset({"role", "obligation", "obligation_applies_from"})
#: Concepts that other conclusions rest on and that have their own explanation: not followed when
#: looking for the input facts an excluding condition rests on, nor expanded in a compact tree.
BASIC_CONCEPTS = frozenset({"ai_system", "in_scope", "risk_class", "annex_iii_system", "annex_iii_intended"})
#: Cost of a route that no rule can complete (a concept whose every rule needs missing law-as-data).
IMPOSSIBLE = 10_000
#: Cost of a legal concept that was not explained further (at least one fact, probably more).
DEPTH_LIMITED_COST = 2
#: Arities tried for a predicate asked for without arguments and without rules (an input fact).
_ANY_ARITY = frozenset(range(1, 7))
#: In a shallow why-not (the reason of a ``not`` condition), concepts below more routes than this are
#: not followed (a full ``--why-not`` follows them).
SHALLOW_WIDTH = 6
#: At most this many instances of one rule are enumerated by the relaxed join.
MAX_INSTANCES = 400

KIND_CONCLUSION, KIND_CONCEPT, KIND_INPUT, KIND_DATA, KIND_GIVEN = "conclusion", "concept", "input", "data", "given"


# =========================================================================== legal sources


@dataclass(frozen=True)
class Citation:
    """One citation of a ``%@ source:`` line with the title of its article or annex and a link."""

    text: str
    title: dict | None = None
    url: dict | None = None

    def title_in(self, lang: str) -> str | None:
        if not self.title:
            return None
        return self.title.get(lang) or self.title.get("en")

    def url_in(self, lang: str) -> str | None:
        if not self.url:
            return None
        return self.url.get(lang) or self.url.get("en")

    def as_dict(self, lang: str) -> dict:
        """``citation``, ``title`` and ``url`` in ``lang``; ``titles``: the title in English and Dutch."""
        return {"citation": self.text, "title": self.title_in(lang), "url": self.url_in(lang),
                "titles": {code: self.title_in(code) for code in ("en", "nl")} if self.title else None}


_ART = re.compile(r"^(?:Art\.|Article|Artikel)\s*(\d+[a-z]*)", re.I)
_ANNEX = re.compile(r"^(?:Annex|Bijlage)\s+([IVXL]+)\b", re.I)
_RECITAL = re.compile(r"^(?:recitals?|overweging(?:en)?)\s+(\d+)", re.I)
_AMENDING = re.compile(r"^Reg\.\s*(\d{4}/\d+)\s+(?:Art\.\s*(\d+[a-z]*)|recitals?\s+(\d+))", re.I)
_INSERTED_BY = re.compile(r"as (?:inserted|added) by Reg\.\s*(\d{4}/\d+)", re.I)


class LegalSources:
    """Titles and EUR-Lex links of citations, from ``kb/data/article_titles.yaml``
    (generated by ``tools/gen_article_titles.py``)."""

    def __init__(self, data: dict | None):
        data = data or {}
        self._cited: dict[str, Citation] = {}
        self.act = data.get("act") or {}
        self.articles = {str(k): v for k, v in (data.get("articles") or {}).items()}
        self.inserted = {str(k): v for k, v in (data.get("inserted_articles") or {}).items()}
        self.annexes = {str(k): v for k, v in (data.get("annexes") or {}).items()}
        self.amending = {str(k): v for k, v in (data.get("amending_acts") or {}).items()}

    @classmethod
    def load(cls, kb_dir: Path) -> "LegalSources":
        return cls(_read_yaml(Path(kb_dir) / "data" / "article_titles.yaml"))

    def _link(self, base: dict | None, anchor: str | None) -> dict | None:
        if not base:
            return None
        return {lang: f"{url}#{anchor}" if anchor else url for lang, url in base.items()}

    def cite(self, text: str) -> Citation:
        """The citation ``text`` (as written after ``%@ source:``) with its title and link."""
        found = self._cited.get(text)
        if found is None:
            found = self._cited[text] = self._cite(text.strip())
        return found

    def _cite(self, text: str) -> Citation:
        match = _AMENDING.match(text)
        if match:
            act = self.amending.get(match.group(1))
            if not act:
                return Citation(text)
            if match.group(2):
                article = (act.get("articles") or {}).get(match.group(2), {})
                title = {k: v for k, v in article.items() if k in ("en", "nl") and v} or None
                return Citation(text, title, self._link(act.get("url"), article.get("anchor") or f"art_{match.group(2)}"))
            return Citation(text, act.get("title"), self._link(act.get("url"), f"rct_{match.group(3)}"))
        match = _ART.match(text)
        if match:
            number = match.group(1)
            if number in self.articles:
                article = self.articles[number]
                title = {k: v for k, v in article.items() if k in ("en", "nl") and v}
                return Citation(text, title or None, self._link(self.act.get("url"), article.get("anchor") or f"art_{number}"))
            if number in self.inserted:
                inserted = self.inserted[number]
                by = _INSERTED_BY.search(text)
                act = self.amending.get(by.group(1) if by else "2026/1744") or {}
                title = {k: v for k, v in inserted.items() if k in ("en", "nl") and v}
                return Citation(text, title or None, self._link(act.get("url"), "art_1"))
            return Citation(text)
        match = _ANNEX.match(text)
        if match:
            annex = self.annexes.get(match.group(1).upper())
            if annex:
                title = {k: v for k, v in annex.items() if k in ("en", "nl") and v}
                return Citation(text, title or None, self._link(self.act.get("url"), annex.get("anchor")))
            return Citation(text)
        match = _RECITAL.match(text)
        if match:
            anchor = (self.act.get("recital_anchor") or "rct_{n}").format(n=match.group(1))
            return Citation(text, None, self._link(self.act.get("url"), anchor))
        return Citation(text)


# =========================================================================== wording of concepts


@dataclass(frozen=True)
class ConceptSpec:
    """Wording of an intermediate legal concept or of law as data (``kb/concepts.yaml``)."""

    name: str
    args: tuple[str, ...]
    system: bool
    template: dict
    negated: dict
    arg_types: dict = field(default_factory=dict)
    #: wordings for when arguments are open (a route standing for every Annex I act): a list of
    #: {en, nl}, each tried in turn with the arguments that are known (see docs/explanations.md)
    general: tuple = ()


@functools.lru_cache(maxsize=16)
def _yaml_file(path: Path, mtime: float) -> dict:
    return read_yaml(path) or {}


def _read_yaml(path: Path) -> dict:
    """A YAML file of ``kb/`` (read once per change of the file)."""
    try:
        return _yaml_file(path, path.stat().st_mtime)
    except (OSError, yaml.YAMLError):
        return {}


def _concepts_data(kb_dir: Path) -> dict:
    return _read_yaml(Path(kb_dir) / "concepts.yaml")


def load_concept_labels(kb_dir: Path) -> dict[str, dict]:
    """The ``labels`` of ``kb/concepts.yaml``: constant -> {en, nl}."""
    return dict(_concepts_data(kb_dir).get("labels") or {})


def load_concepts(kb_dir: Path) -> dict[str, ConceptSpec]:
    """Read ``kb/concepts.yaml``: predicate -> wording (missing file: no wording)."""
    data = _concepts_data(kb_dir)
    out = {}
    for name, raw in (data.get("concepts") or {}).items():
        raw = raw or {}
        out[name] = ConceptSpec(name, tuple(raw.get("args") or ()), bool(raw.get("system", True)),
                                {k: raw[k] for k in ("en", "nl") if raw.get(k)}, dict(raw.get("not") or {}),
                                dict(raw.get("arg_types") or {}), _general_wording(raw.get("general")))
    return out


def _general_wording(raw) -> tuple:
    """``general:`` of a concept or conclusion: one {en, nl} mapping or a list of them."""
    items = [raw] if isinstance(raw, dict) else list(raw or []) if isinstance(raw, list) else []
    return tuple(dict(item) for item in items if isinstance(item, dict))


def load_general_conclusions(kb_dir: Path) -> dict[str, tuple]:
    """The ``general:`` wordings of the conclusions of ``kb/conclusions.yaml`` (see :class:`ConceptSpec`)."""
    data = _read_yaml(Path(kb_dir) / "conclusions.yaml")
    out = {}
    for raw in data.get("conclusions") or []:
        if isinstance(raw, dict) and raw.get("name") and raw.get("general"):
            out[str(raw["name"])] = _general_wording(raw.get("general"))
    return out


# =========================================================================== the answer set


@dataclass(frozen=True)
class Step:
    """One rule instance (a ``_fired`` record) that derived ``head``."""

    rule: Rule
    head: clingo.Symbol
    used: tuple[clingo.Symbol, ...]
    absent: tuple[clingo.Symbol, ...]
    certain: bool


#: A cheap hashable key of a symbol (:func:`aiact_asp.symbols.symbol_key`); the name is kept for
#: the modules that import it from here.
_symbol_key = symbol_key


class _AtomView:
    """Atoms by ``(name, arity)`` for one system (first argument = the system's id) or for all."""

    __slots__ = ("_model", "_first")

    def __init__(self, model: "Model", first):
        self._model, self._first = model, first

    def get(self, key: tuple[str, int], default=()):
        if self._first is None:
            return self._model._all.get(key, default)
        by_first = self._model._by_first.get(key)
        return by_first.get(self._first, default) if by_first is not None else default

    def items(self):
        for key, by_first in self._model._by_first.items():
            group = by_first.get(self._first) if self._first is not None else None
            if self._first is None:
                yield key, self._model._all[key]
            elif group:
                yield key, group


class Model:
    """Every atom of the answer set(s) of a run, and the rule instances that derived them.

    Atoms are indexed by ``(name, arity)`` and by the key of their first argument, so that the atoms
    of one system are found without asking clingo for each atom's system. An indexed atom is
    ``(symbol, arguments, keys)`` with ``keys`` the :func:`_symbol_key` of each argument. Rule
    instances (``_fired``) are kept by the key of their head and made into :class:`Step` on first use.
    """

    def __init__(self, kb: KnowledgeBase, brave: Iterable[clingo.Symbol], cautious: Iterable[clingo.Symbol] | None,
                 systems: Iterable[str], facts=None):
        """``brave``/``cautious``: the atoms of some / every answer set (``cautious`` ``None``: one
        answer set). With ``facts`` (a :class:`aiact_asp.facts.FactSet`), ``brave`` and ``cautious``
        are the engine's consequences over its shown atoms (conclusions and ``_fired``): the input
        atoms come from ``facts`` and every other derived atom from the heads of the ``_fired``
        records (every rule is instrumented)."""
        self.kb = kb
        self.system_ids = set(systems)
        key_of = _symbol_key
        brave = list(brave)
        if facts is not None:
            brave += list(facts.facts) + list(facts.choices) + [a for group in facts.exactly_one for a in group]
        # in the order of their text: the engine's consequences come as a set, whose order changes
        # from run to run (with the symbols' addresses), and the order of the atoms decides which
        # of two routes of the same cost a why-not shows first
        brave.sort(key=str)
        self.brave_keys = {key_of(s) for s in brave}
        if cautious is None:
            self.cautious_keys = self.brave_keys
        else:
            self.cautious_keys = {key_of(s) for s in cautious}
            if facts is not None:
                self.cautious_keys |= {key_of(s) for s in facts.facts}
        self._all: dict[tuple[str, int], list] = defaultdict(list)
        self._by_first: dict[tuple[str, int], dict] = {}
        self._fired: dict = defaultdict(list)
        #: key of an atom -> (name, arguments, key of the first argument): no call into clingo later
        self._info: dict = {}
        info = self._info
        for symbol in brave:
            name = symbol.name
            args = symbol.arguments
            if name == FIRED and len(args) >= 2:
                self._fired[key_of(args[1])].append((symbol, args))
                continue
            self._index(symbol, name, args)
        if facts is not None:  # the derived atoms that are not shown: the heads of the rule instances
            for head_key, records in self._fired.items():
                if head_key in info:
                    continue
                head = records[0][1][1]
                self._index(head, head.name, head.arguments)
                self.brave_keys.add(head_key)
                if any(key_of(record) in self.cautious_keys for record, _ in records):
                    self.cautious_keys.add(head_key)
        self._system_symbols = {name: clingo.String(name) for name in self.system_ids}
        self._system_keys = {name: key_of(symbol) for name, symbol in self._system_symbols.items()}
        self._system_of_key = {key: name for name, key in self._system_keys.items()}
        self._owners: dict = {}
        self._texts = PerSymbol(str)

    def _index(self, symbol: clingo.Symbol, name: str, args) -> None:
        key_of = _symbol_key
        entry = (symbol, args, tuple(key_of(a) for a in args))
        self._info[key_of(symbol)] = (name, args, entry[2][0] if args else None)
        signature = (name, len(args))
        self._all[signature].append(entry)
        if args:
            by_first = self._by_first.get(signature)
            if by_first is None:
                by_first = self._by_first[signature] = defaultdict(list)
            by_first[entry[2][0]].append(entry)

    # ----------------------------------------------------------------- atoms

    def text(self, symbol: clingo.Symbol) -> str:
        """``str(symbol)``, computed once per atom."""
        return self._texts(symbol)

    def _about(self, symbol: clingo.Symbol) -> tuple:
        """(name, arguments, key of the first argument) of any atom, also one not in the model."""
        key = _symbol_key(symbol)
        found = self._info.get(key)
        if found is None:
            args = tuple(symbol.arguments)
            found = self._info[key] = (symbol.name, args, _symbol_key(args[0]) if args else None)
        return found

    def name(self, symbol: clingo.Symbol) -> str:
        return self._about(symbol)[0]

    def args(self, symbol: clingo.Symbol) -> tuple:
        return tuple(self._about(symbol)[1])

    def system_symbol(self, system: str) -> clingo.Symbol:
        found = self._system_symbols.get(system)
        return found if found is not None else clingo.String(system)

    def owner(self, symbol: clingo.Symbol) -> str | None:
        """The system an atom is about (its first argument), or ``None`` for law as data."""
        return self._system_of_key.get(self._about(symbol)[2])

    def atoms_of(self, system: str | None) -> _AtomView:
        """The atoms of ``system`` by ``(name, arity)``; ``None``: every atom (for law as data)."""
        if system is None:
            return _AtomView(self, None)
        key = self._system_keys.get(system)
        return _AtomView(self, key if key is not None else _symbol_key(clingo.String(system)))

    @property
    def data(self) -> _AtomView:
        return _AtomView(self, None)

    def steps(self, symbol: clingo.Symbol) -> list[Step]:
        """The rule instances that derived ``symbol`` (certain ones first, in the order of the rules)."""
        group = self._fired.get(_symbol_key(symbol))
        if not group:
            return []
        if not isinstance(group[0], Step):
            rules = self.kb.rules
            group[:] = [Step(rule, args[1], tuple(args[2:2 + rule.used_count]), tuple(args[2 + rule.used_count:]),
                             _symbol_key(record) in self.cautious_keys)
                        for record, args in group for rule in (rules[args[0].number],)]
            if len(group) > 1:  # a stable order: certain first, by rule, then by the atoms used
                group.sort(key=lambda step: (not step.certain, step.rule.index, " ".join(map(str, step.used))))
        return group

    def holds(self, symbol: clingo.Symbol) -> str | None:
        """``"certain"``, ``"undetermined"`` (some answers only) or ``None``."""
        key = _symbol_key(symbol)
        if key in self.cautious_keys:
            return "certain"
        if key in self.brave_keys:
            return "undetermined"
        return None

    def is_certain(self, symbol: clingo.Symbol) -> bool:
        return _symbol_key(symbol) in self.cautious_keys

    def is_possible(self, symbol: clingo.Symbol) -> bool:
        return _symbol_key(symbol) in self.brave_keys


def _build_facts(descriptions: list[Description], vocabulary: Vocabulary, as_of: _dt.date, open_world: str | None):
    if open_world is not None and "open_world" in inspect.signature(build_facts).parameters:
        return build_facts(descriptions, vocabulary, as_of, open_world=open_world)
    return build_facts(descriptions, vocabulary, as_of)




@without_gc
def solve_model(descriptions: list[Description], kb: KnowledgeBase, vocabulary: Vocabulary, as_of: _dt.date,
                open_world: str | None = None) -> Model:
    """Ground and solve ``descriptions`` like :func:`aiact_asp.engine.solve`, keeping every atom.

    The program is the engine's (same facts, same instrumented rules) with a ``#show`` of every
    predicate the rules refer to (:func:`show_statements`), so that brave and cautious consequences
    are taken over all of them.
    """
    from . import engine  # the engine's own way of adding facts (choices for unknown facts)

    facts = _build_facts(descriptions, vocabulary, as_of, open_world)
    control = clingo.Control(message_limit=0)
    engine._add_facts(control, facts)
    with ast.ProgramBuilder(control) as builder:
        for statement in kb.statements:
            builder.add(statement)
        ast.parse_string(show_statements(kb, vocabulary), builder.add)
    control.ground([("base", [])], context=GroundingContext())
    if not facts.has_open:
        brave, cautious = _last_model(control), None  # one answer set: everything is certain
    else:
        control.configuration.solve.enum_mode = "brave"
        brave = _last_model(control)
        control.configuration.solve.enum_mode = "cautious"
        cautious = _last_model(control)
    return Model(kb, brave, cautious, [d.id for d in descriptions])


def show_statements(kb: KnowledgeBase, vocabulary: Vocabulary) -> str:
    """``#show`` for every predicate the rules and the explanations can refer to: the heads and body
    atoms of the rules, the input facts and ``_fired``. Of ``present/2`` (one atom per stated key)
    only the keys that a rule tests are shown, unless a rule tests a variable key."""
    signatures: set[tuple[str, int]] = {("system", 1), ("as_of", 2), ("unknown", 2), ("present", 2)}
    signatures |= {(FIRED, arity) for arity in kb.fired_arities}
    present_keys: set[str] | None = set()
    for (name, arity), rules in compiled_rules(kb).items():
        signatures.add((name, arity))
        for rule in rules:
            for lit in rule.positive + rule.negative:
                signatures.add(lit.key)
                if lit.name == "present" and present_keys is not None:
                    key = lit.args[1] if len(lit.args) == 2 else None
                    if key is not None and key[0] == "const" and key[1].type == clingo.SymbolType.String:
                        present_keys.add(key[1].string)
                    else:
                        present_keys = None  # a variable key: show every present/2
    for entry in vocabulary.facts:
        signatures.add((entry.predicate, 1 if entry.type == "bool" else 2))
    lines = [f"#show {name}/{arity}." for name, arity in sorted(signatures) if (name, arity) != ("present", 2)]
    if present_keys is None:
        lines.append("#show present/2.")
    else:
        lines += [f"#show present(S,{clingo.String(key)}) : present(S,{clingo.String(key)})." for key in sorted(present_keys)]
    return "\n".join(lines)


def _last_model(control: clingo.Control) -> list[clingo.Symbol]:
    last: list[clingo.Symbol] = []
    with control.solve(yield_=True) as handle:
        for model in handle:
            last = model.symbols(shown=True)
    return last


# =========================================================================== rules for the relaxed join


@dataclass(frozen=True)
class Literal:
    """A body literal of a rule: ``kind`` is ``pos``, ``neg`` or ``cmp``."""

    kind: str
    name: str = ""
    args: tuple = ()
    op: str = ""
    left: Any = None
    right: Any = None
    system_bound: bool = False
    text: str = ""
    #: the variables of the literal ("_" included): it is ground once all of them are bound
    variables: frozenset = frozenset()
    #: ``(name, arity)``, the index of the atoms it can match
    key: tuple = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", (self.name, len(self.args)))


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    name: str
    head_args: tuple
    positive: tuple[Literal, ...]
    negative: tuple[Literal, ...]
    comparisons: tuple[Literal, ...]

    @property
    def system_var(self) -> str | None:
        first = self.head_args[0] if self.head_args else None
        return first[1] if first and first[0] == "var" else None


_OPS = {}
for _name, _symbol in (("GreaterThan", ">"), ("LessThan", "<"), ("LessEqual", "<="), ("GreaterEqual", ">="),
                       ("NotEqual", "!="), ("Equal", "=")):
    _OPS[int(getattr(ast.ComparisonOperator, _name))] = _symbol


def _term(node: ast.AST) -> tuple:
    kind = node.ast_type
    if kind == ast.ASTType.Variable:
        return ("var", node.name)
    if kind == ast.ASTType.SymbolicTerm:
        return ("const", node.symbol, _symbol_key(node.symbol))
    if kind == ast.ASTType.Function:
        args = tuple(_term(a) for a in node.arguments)
        if node.external:
            return ("ext", node.name, args)
        return ("fun", node.name, args)
    if kind == ast.ASTType.UnaryOperation and node.argument.ast_type == ast.ASTType.SymbolicTerm \
            and node.argument.symbol.type == clingo.SymbolType.Number and int(node.operator_type) == int(ast.UnaryOperator.Minus):
        number = clingo.Number(-node.argument.symbol.number)
        return ("const", number, _symbol_key(number))
    return ("any",)


def _variables(terms) -> Iterable[str]:
    for term in terms:
        if term[0] == "var":
            yield term[1]
        elif term[0] in ("fun", "ext"):
            yield from _variables(term[2])
        elif term[0] == "any":
            yield "_"


def _compile(statement: ast.AST, rule: Rule) -> CompiledRule | None:
    head = statement.head
    if head.ast_type != ast.ASTType.Literal or head.atom.ast_type != ast.ASTType.SymbolicAtom:
        return None
    symbol = head.atom.symbol
    if symbol.ast_type != ast.ASTType.Function:
        return None
    head_args = tuple(_term(a) for a in symbol.arguments)
    system_var = head_args[0][1] if head_args and head_args[0][0] == "var" else None
    positive, negative, comparisons = [], [], []
    for literal in statement.body:
        if literal.ast_type != ast.ASTType.Literal:
            continue
        atom = literal.atom
        if atom.ast_type == ast.ASTType.SymbolicAtom and atom.symbol.ast_type == ast.ASTType.Function:
            args = tuple(_term(a) for a in atom.symbol.arguments)
            bound = bool(system_var and args and args[0] == ("var", system_var))
            sign = int(literal.sign)
            kind = "pos" if sign in (int(ast.Sign.NoSign), int(ast.Sign.DoubleNegation)) else "neg"
            item = Literal(kind, atom.symbol.name, args, system_bound=bound,
                           text=str(atom.symbol) if kind == "pos" else f"not {atom.symbol}",
                           variables=frozenset(_variables(args)))
            (positive if kind == "pos" else negative).append(item)
        elif atom.ast_type == ast.ASTType.Comparison:
            guards = list(atom.guards)
            if len(guards) == 1:
                comparisons.append(Literal("cmp", op=_OPS.get(int(guards[0].comparison), "?"), left=_term(atom.term),
                                           right=_term(guards[0].term), text=str(atom)))
    return CompiledRule(rule, symbol.name, head_args, tuple(positive), tuple(negative), tuple(comparisons))


_COMPILED: dict[int, tuple[KnowledgeBase, dict[tuple[str, int], list[CompiledRule]]]] = {}


def compiled_rules(kb: KnowledgeBase) -> dict[tuple[str, int], list[CompiledRule]]:
    """The rules of ``kb`` by head predicate ``(name, arity)``, compiled for the relaxed join."""
    cached = _COMPILED.get(id(kb))
    if cached and cached[0] is kb:
        return cached[1]
    by_place = {(r.file, r.line): r for r in kb.rules}
    directory = str(kb.directory)
    originals = [s for s in kb.statements if s.ast_type == ast.ASTType.Rule and _head_name(s) != FIRED]
    out: dict[tuple[str, int], list[CompiledRule]] = defaultdict(list)
    for position, statement in enumerate(originals):
        rule = kb.rules[position] if position < len(kb.rules) else None
        if rule is None or rule.line != statement.location.begin.line:
            filename = statement.location.begin.filename
            relative = filename[len(directory) + 1:] if filename.startswith(directory) else filename
            rule = by_place.get((relative, statement.location.begin.line))
        if rule is None:
            continue
        compiled = _compile(statement, rule)
        if compiled is not None:
            out[(compiled.name, len(compiled.head_args))].append(compiled)
    _COMPILED[id(kb)] = (kb, out)
    return out


def _head_name(statement: ast.AST) -> str:
    head = statement.head
    if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.SymbolicAtom:
        return getattr(head.atom.symbol, "name", "")
    return ""


_CONTEXT = GroundingContext()


def _head_may_match(rule: CompiledRule, args: tuple | None, system_atom: bool) -> bool:
    """Whether the head of ``rule`` can take the arguments ``args`` (``None``: any)."""
    if args is None:
        return True
    rest = rule.head_args[1:] if system_atom else rule.head_args
    if len(rest) != len(args):
        return False
    binding: dict | None = {}
    for term, value in zip(rest, args):
        if value is not None:
            binding = _match(term, value, _symbol_key(value), binding)
            if binding is None:
                return False
    return True


def _match(term: tuple, value: clingo.Symbol, key, binding: dict) -> dict | None:
    """``binding`` extended so that ``term`` equals ``value`` (whose key is ``key``), or ``None``."""
    kind = term[0]
    if kind == "var":
        name = term[1]
        if name == "_":
            return binding
        bound = binding.get(name)
        if bound is None:
            out = dict(binding)
            out[name] = value
            return out
        return binding if _symbol_key(bound) == key else None
    if kind == "const":
        return binding if term[2] == key else None
    if kind == "fun":
        if value.type != clingo.SymbolType.Function or value.name != term[1] or len(value.arguments) != len(term[2]):
            return None
        for sub, arg in zip(term[2], value.arguments):
            binding = _match(sub, arg, _symbol_key(arg), binding)
            if binding is None:
                return None
        return binding
    if kind == "ext":
        ground = _ground(term, binding)
        return binding if ground is None or _symbol_key(ground) == key else None
    return binding


def _match_args(terms: tuple, values, keys: tuple, binding: dict) -> dict | None:
    for term, value, key in zip(terms, values, keys):
        binding = _match(term, value, key, binding)
        if binding is None:
            return None
    return binding


def _ground(term: tuple, binding: dict) -> clingo.Symbol | None:
    kind = term[0]
    if kind == "var":
        return binding.get(term[1])
    if kind == "const":
        return term[1]
    if kind in ("fun", "ext"):
        args = [_ground(a, binding) for a in term[2]]
        if any(a is None for a in args):
            return None
        if kind == "ext":
            function = getattr(_CONTEXT, term[1], None)
            try:
                return function(*args) if function else None
            except (ValueError, TypeError):
                return None
        return clingo.Function(term[1], args)
    return None


def _key_of(term: tuple, binding: dict):
    """The key of a term under ``binding`` (``None`` while a variable is unbound)."""
    value = _ground(term, binding)
    return None if value is None else _symbol_key(value)


def _compare(op: str, left: clingo.Symbol, right: clingo.Symbol) -> bool:
    return {">": left > right, "<": left < right, ">=": left >= right, "<=": left <= right,
            "!=": left != right, "=": left == right}.get(op, True)


def _find(index: dict, lit: "Literal", binding: dict):
    """The first indexed atom that ``lit`` matches under ``binding``, or ``None``."""
    for entry in index.get(lit.key, ()):
        if _match_args(lit.args, entry[1], entry[2], binding) is not None:
            return entry
    return None


# =========================================================================== results: why not


@dataclass
class Condition:
    """A condition of a rule instance that fails for the system.

    Attributes:
        kind: ``missing`` (a positive condition that does not hold), ``present`` (a ``not x``
            whose ``x`` holds) or ``comparison``.
        literal: the condition as written in the rule (``annex_iii_use_case(S,U)``).
        atom: the condition with the variables known so far (unknown ones as ``None`` in ``args``).
        unknown: it fails only for some answers to the unknown facts (or holds only for some).
        below: for a missing legal concept, why it does not hold (one level further down).
        values: for a comparison, the two compared values.
    """

    kind: str
    literal: str
    name: str
    args: tuple
    known_atom: clingo.Symbol | None = None
    unknown: bool = False
    below: "WhyNot | None" = None
    values: tuple = ()
    value_atoms: tuple = ()
    cost: int = 1
    system_bound: bool = True
    #: for a condition that stands for several alike ones (:func:`general_route`): per argument, the
    #: values it takes in them where they differ (that argument is then ``None``), else ``()``
    choices: tuple = ()
    #: the alike conditions of the other routes of a group, for a ``present`` or ``comparison``
    #: condition (whose atom or values are shown as found)
    alike: tuple = ()

    @property
    def atom(self) -> clingo.Symbol | None:
        """The condition as an atom, when all its arguments are known (made on first use)."""
        if self.known_atom is None and self.kind != "comparison" and all(a is not None for a in self.args):
            self.known_atom = clingo.Function(self.name, list(self.args))
        return self.known_atom

    @property
    def ground(self) -> bool:
        return self.atom is not None

    @property
    def key(self) -> tuple:
        """Identifies the condition within a rule instance (no call into clingo)."""
        return (self.kind, self.literal, tuple(None if a is None else _symbol_key(a) for a in self.args),
                tuple(_symbol_key(v) for v in self.values))


@dataclass
class Route:
    """One rule that could derive the conclusion, instantiated as far as the facts allow, and the
    conditions that fail."""

    rule: Rule
    head: tuple
    bindings: dict
    failed: list[Condition]
    cost: int
    #: rules above this one that failed only because this rule's head did not hold (see :func:`collapsed`)
    via: tuple[Rule, ...] = ()
    #: a stable order between instances of the same rule (the text of the head values)
    order: str = ""
    #: how many alike routes this one stands for (:func:`general_route`); 1 for a single route
    members: int = 1
    #: per head value, the values of the alike routes where they differ (see ``Condition.choices``)
    choices: tuple = ()
    #: the alike routes a general route stands for (empty for a single route)
    group: tuple = ()

    @property
    def unknown(self) -> bool:
        return any(c.unknown for c in self.failed)


@dataclass
class WhyNot:
    """Why ``name(args)`` does not hold for a system (``None`` in ``args``: any value).

    ``status``: ``absent`` (no matching atom holds), ``undetermined`` (holds only for some answers
    to the unknown facts), ``holds``. ``routes``: per rule the failing instances, cheapest first.
    ``kind``: ``derived`` (rules exist), ``input`` (an input fact), ``given`` (made by the converter),
    ``none`` (no rule and no input: nothing can make it hold).
    """

    system: str
    name: str
    args: tuple
    status: str
    kind: str
    holding: list[clingo.Symbol] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    depth_limited: bool = False
    system_atom: bool = True
    #: no part of it was cut off by the depth limit (so it holds for any depth)
    complete: bool = True

    @property
    def cost(self) -> int:
        if self.kind in (KIND_INPUT, KIND_GIVEN):
            return 1
        if not self.routes:
            return DEPTH_LIMITED_COST if self.depth_limited else IMPOSSIBLE
        return self.routes[0].cost

    @property
    def pattern(self) -> str:
        shown = ["_" if a is None else str(a) for a in self.args]
        return f"{self.name}({','.join(shown)})" if shown else self.name


# =========================================================================== results: why


@dataclass
class Explanation:
    """The explanation of one system: derivation trees (why) and why-nots, sharing their atoms."""

    system: str
    result: SystemResult | None
    roots: list[clingo.Symbol] = field(default_factory=list)
    why_not: list[WhyNot] = field(default_factory=list)


class Explainer:
    """Builds derivation trees and why-nots for the systems of one :class:`Model`."""

    def __init__(self, kb: KnowledgeBase, vocabulary: Vocabulary, model: Model, lang: str = "en",
                 absent_depth: int = 5, why_not_depth: int = 6):
        self.kb, self.vocabulary, self.model, self.lang = kb, vocabulary, model, lang
        self.rules = compiled_rules(kb)
        self.arities: dict[str, set[int]] = defaultdict(set)
        for name, arity in self.rules:
            self.arities[name].add(arity)
        self.absent_depth, self.why_not_depth = absent_depth, why_not_depth
        self._memo: dict[tuple, tuple[int, WhyNot]] = {}
        #: (id of a why-not, limit) -> (the why-not, what its cheapest route needs): a why-not below
        #: a condition is met again and again when its routes are shown (the why-not keeps its id)
        self._cheapest: dict[tuple[int, int], tuple[WhyNot, list]] = {}
        #: system id -> its :class:`SystemResult` (unknown keys, defaults), when known.
        self.results: dict[str, SystemResult] = {}
        # What rendering asks again and again (in text and JSON, in each language, for a why-not met
        # below several conditions), worked out once. Keyed by the id of a why-not, route or step,
        # which is kept beside the result so that the id stays its own; none of them changes once
        # made (a why-not is complete when :meth:`why_not` returns it).
        self._general: dict[tuple[int, bool], tuple[WhyNot, list]] = {}
        self._requirements: dict[tuple[int, int], tuple[Route, list]] = {}
        self._leaves: dict[tuple[int, int], tuple[Step, list]] = {}
        #: for :mod:`aiact_asp.explain_render`: what its wording of this model keeps that does not
        #: depend on the language (the text of a symbol, the atoms it makes), shared by the languages
        self.shared: dict[str, dict] = {}

    # ----------------------------------------------------------------- kinds

    def kind(self, name: str, system_atom: bool = True) -> str:
        if name in self.kb.conclusions:
            return KIND_CONCLUSION
        if name in GENERATED:
            return KIND_GIVEN
        if name in self.vocabulary.by_predicate:
            return KIND_INPUT
        if not system_atom:
            return KIND_DATA
        return KIND_CONCEPT

    def atom_kind(self, atom: clingo.Symbol) -> str:
        name, _, first = self.model._about(atom)
        return self.kind(name, first in self.model._system_of_key)

    # ----------------------------------------------------------------- why

    def steps(self, atom: clingo.Symbol) -> list[Step]:
        return self.model.steps(atom)

    def absent_reason(self, system: str, atom: clingo.Symbol) -> WhyNot:
        """Why the atom of a ``not`` condition does not hold: a *shallow* why-not, in which only a rule
        that fails on a single legal concept is followed further down (to name the condition that
        really fails, see :func:`collapsed`); other rules show their failed conditions at that level."""
        own = self.model.owner(atom) is not None
        args = self.model.args(atom)
        return self.why_not(system, self.model.name(atom), args[1:] if own else args, depth=self.absent_depth,
                            system_atom=own, shallow=True)

    def input_leaves(self, step: Step, limit: int = 12) -> list[clingo.Symbol]:
        """The input facts a rule instance rests on, through the legal concepts it used (not through
        the basic concepts that have their own explanation). Worked out once per step (do not change
        what it returns)."""
        hit = self._leaves.get((id(step), limit))
        if hit is not None and hit[0] is step:
            return hit[1]
        leaves = self._input_leaves(step, limit)
        self._leaves[(id(step), limit)] = (step, leaves)
        return leaves

    def _input_leaves(self, step: Step, limit: int) -> list[clingo.Symbol]:
        out: dict = {}
        stack, seen = list(step.used), set()
        while stack and len(out) < limit:
            atom = stack.pop(0)
            key = _symbol_key(atom)
            if key in seen:
                continue
            seen.add(key)
            kind = self.atom_kind(atom)
            if kind == KIND_INPUT:
                out.setdefault(key, atom)
            elif kind in (KIND_CONCEPT, KIND_CONCLUSION) and self.model.name(atom) not in self.kb.preconditions \
                    and self.model.name(atom) not in BASIC_CONCEPTS:
                for below in self.steps(atom)[:1]:
                    stack.extend(below.used)
        return list(out.values())

    def general_routes_of(self, why_not: WhyNot, collapse: bool = False) -> list[Route]:
        """:func:`general_routes` of the routes of ``why_not`` (``collapse``: of its :func:`collapsed`
        routes), worked out once per why-not, so that the same routes (and what is cached for them)
        serve the text, the JSON and every language. Do not change what it returns."""
        key = (id(why_not), collapse)
        hit = self._general.get(key)
        if hit is not None and hit[0] is why_not:
            return hit[1]
        routes = general_routes(collapsed(why_not) if collapse else why_not.routes)
        self._general[key] = (why_not, routes)
        return routes

    def conclusions_of(self, system: str) -> list[clingo.Symbol]:
        """The conclusions that hold for ``system`` (in some answer set), risk class first, findings last."""
        atoms = [entry[0] for (name, _), group in self.model.atoms_of(system).items() if name in self.kb.conclusions
                 for entry in group]
        return sorted(atoms, key=lambda a: (a.name != "risk_class", a.name == "finding", str(a)))

    # ----------------------------------------------------------------- why not

    def why_not(self, system: str, name: str, args: tuple | None = None, depth: int | None = None,
                system_atom: bool = True, _stack: frozenset = frozenset(), shallow: bool = False) -> WhyNot:
        """Why no atom ``name(system, *args)`` holds (``args`` ``None``: any arguments; an element
        ``None``: any value). Depth counts the legal concepts explained below each other; ``shallow``:
        follow a failed legal concept only where it is the single failed condition of its rule."""
        depth = self.why_not_depth if depth is None else depth
        arg_keys = None if args is None else tuple(None if a is None else _symbol_key(a) for a in args)
        memo_key = (system, name, arg_keys, system_atom, shallow)
        found = self._memo.get(memo_key)
        if found is not None and (found[0] >= depth or found[1].complete):
            return found[1]  # worked out at least as deep before, or completely
        prefix = 1 if system_atom else 0
        rule_arities = self.arities.get(name, set())
        wanted = {len(args) + prefix} if args is not None else None
        index = self.model.atoms_of(system) if system_atom else self.model.data
        holding = []
        for arity in (wanted if wanted is not None else rule_arities | _ANY_ARITY):
            for symbol, _, keys in index.get((name, arity), ()):
                if arg_keys is None or all(a is None or a == k for a, k in zip(arg_keys, keys[prefix:])):
                    holding.append(symbol)
        status = "absent"
        if holding:
            status = "holds" if any(self.model.is_certain(a) for a in holding) else "undetermined"
        kind = self.kind(name, system_atom)
        arities = rule_arities if wanted is None else rule_arities & wanted
        if kind in (KIND_INPUT, KIND_GIVEN) or not arities:
            result = WhyNot(system, name, args if args is not None else (), status,
                            kind if kind in (KIND_INPUT, KIND_GIVEN) else "none", holding, system_atom=system_atom)
            self._memo[memo_key] = (1_000, result)
            return result
        result = WhyNot(system, name, args if args is not None else (), status, "derived", holding, system_atom=system_atom)
        self._memo[memo_key] = (depth, result)  # (also guards recursion on the same pattern)
        if status == "holds" and arg_keys is not None and all(a is not None for a in arg_keys):
            return result
        candidates = [rule for arity in sorted(arities) for rule in self.rules.get((name, arity), ())
                      if _head_may_match(rule, args, system_atom)]
        if not candidates:
            return result  # no rule can conclude these arguments: no route (impossible)
        if depth <= 0 or (name, arg_keys) in _stack:
            result.depth_limited = True
            result.complete = False
            return result
        stack = _stack | {(name, arg_keys)}
        routes: list[Route] = []
        for rule in candidates:
            routes += self._routes(system, rule, args, depth, stack, system_atom, shallow)
        # shallow: follow a legal concept only where it is the single failed condition of its rule, and
        # not below a wide fan of rules (e.g. every point of Art. 5(1)): those are for a full why-not
        wide = shallow and len(routes) > SHALLOW_WIDTH
        for route in routes:
            follow = not shallow or (len(route.failed) == 1 and not wide)
            for condition in route.failed:
                self._explain_condition(system, condition, depth, stack, follow, shallow)
            route.cost = sum(c.cost for c in route.failed)
        routes = [r for r in routes if r.cost < IMPOSSIBLE]
        routes.sort(key=route_order)
        result.routes = routes
        result.complete = all(c.below is None or c.below.complete for r in routes for c in r.failed)
        return result

    def _routes(self, system: str, rule: CompiledRule, args: tuple | None, depth: int, stack: frozenset,
                system_atom: bool, shallow: bool = False) -> list[Route]:
        binding: dict = {}
        head = rule.head_args
        if system_atom:
            me = self.model.system_symbol(system)
            if not head:
                return []
            binding = _match(head[0], me, _symbol_key(me), {})
            if binding is None:
                return []
            rest = head[1:]
        else:
            rest = head
        if args is not None:
            if len(args) != len(rest):
                return []
            for term, value in zip(rest, args):
                if value is None:
                    continue
                binding = _match(term, value, _symbol_key(value), binding)
                if binding is None:
                    return []
        own = self.model.atoms_of(system)
        data = self.model.data
        cautious = self.model.cautious_keys
        all_certain = cautious is self.model.brave_keys  # one answer set: nothing is undetermined
        instances: list[tuple[dict, list]] = []
        positive = rule.positive

        def step(i: int, b: dict, failed: list) -> None:
            if len(instances) >= MAX_INSTANCES:
                return
            if i == len(positive):
                instances.append((b, failed))
                return
            lit = positive[i]
            matched = False
            for entry in (own if lit.system_bound else data).get(lit.key, ()):
                nb = _match_args(lit.args, entry[1], entry[2], b)
                if nb is not None:
                    matched = True
                    step(i + 1, nb, failed if all_certain or _symbol_key(entry[0]) in cautious
                         else failed + [("unknown", i, entry[0])])
            if lit.system_bound:
                ground = lit.variables <= b.keys()
                if not (matched and ground):  # a ground condition that holds never fails
                    step(i + 1, b, failed + [("missing", i, ground)])

        step(0, binding, [])
        # each instance's failed conditions, first as light records: (key, make) where make() builds
        # the Condition; Conditions are built only for the instances that are kept
        out: list[tuple[frozenset, dict, list]] = []
        for b, failed in instances:
            records: list[tuple] = []
            redundant = False
            for kind, i, extra in failed:
                lit = positive[i]
                if kind == "unknown":
                    records.append((("missing", i, _symbol_key(extra)), ("missing", lit, extra, True)))
                    continue
                if not extra and _find(own, lit, b) is not None:  # (extra: the condition was ground when it failed)
                    # the condition holds after all (the matching branch covers it), or it holds for the
                    # values the system has ("for some other value" is no route)
                    redundant = True
                    break
                records.append((("missing", i, tuple(_key_of(t, b) for t in lit.args)), ("missing", lit, None, False)))
            if redundant:
                continue
            for n, lit in enumerate(rule.negative):
                if not lit.variables <= b.keys():
                    continue  # not evaluable: a variable of a failed condition
                entry = _find(own if lit.system_bound else data, lit, b)
                if entry is None:
                    continue
                records.append((("present", n, _symbol_key(entry[0])),
                                ("present", lit, entry[0], _symbol_key(entry[0]) not in cautious)))
            for n, lit in enumerate(rule.comparisons):
                left, right = _ground(lit.left, b), _ground(lit.right, b)
                if left is None or right is None:
                    continue
                try:
                    if _compare(lit.op, left, right):
                        continue
                except TypeError:
                    continue
                records.append((("comparison", n, _symbol_key(left), _symbol_key(right)), ("comparison", lit, (left, right), False)))
            if records:
                out.append((frozenset(key for key, _ in records), b, records))
        # keep the instances whose failed conditions are minimal (no other instance fails a subset)
        minimal: list[tuple[frozenset, dict, list]] = []
        seen: set[frozenset] = set()
        for key, b, records in sorted(out, key=lambda item: len(item[0])):
            if key in seen or any(other < key for other, _, _ in minimal):
                continue
            seen.add(key)
            minimal.append((key, b, records))
        routes = []
        for _, b, records in minimal:
            conditions = []
            for _, (kind, lit, extra, unknown) in records:
                if kind == "comparison":
                    conditions.append(Condition("comparison", lit.text, lit.op, (), None, False, values=extra,
                                                value_atoms=self._binders(rule, lit, b)))
                else:
                    conditions.append(self._condition(kind, lit, b, extra, unknown=unknown))
            routes.append(Route(rule.rule, tuple(_ground(t, b) for t in rule.head_args), b, conditions, 0))
        if len(routes) > 1:  # instances of one rule: ordered by their head values, as text (stable)
            for route in routes:
                route.order = ",".join("_" if v is None else str(v) for v in route.head[1:])
        return routes

    def _binders(self, rule: CompiledRule, comparison: Literal, binding: dict) -> tuple:
        """For each side of a comparison, the atom (and argument position) that bound its variable."""
        out = []
        for side in (comparison.left, comparison.right):
            found = None
            if side[0] == "var":
                for lit in rule.positive:
                    for position, term in enumerate(lit.args):
                        if term == side:
                            found = (lit.name, position, _ground(("fun", lit.name, lit.args), binding))
                            break
                    if found:
                        break
            out.append(found)
        return tuple(out)

    def _condition(self, kind: str, lit: Literal, binding: dict, atom: clingo.Symbol | None, unknown: bool = False) -> Condition:
        args = tuple(_ground(t, binding) for t in lit.args)
        return Condition(kind, lit.text, lit.name, args, atom, unknown, system_bound=lit.system_bound)

    def _explain_condition(self, system: str, condition: Condition, depth: int, stack: frozenset,
                           follow: bool = True, shallow: bool = False) -> None:
        if condition.kind in ("comparison", "present") or condition.unknown:
            condition.cost = 1
            return
        system_atom = condition.system_bound
        kind = self.kind(condition.name, system_atom)
        if kind in (KIND_INPUT, KIND_GIVEN):
            condition.cost = 1
            return
        if kind == KIND_DATA:
            condition.cost = IMPOSSIBLE
            return
        if not follow:
            condition.cost = DEPTH_LIMITED_COST
            return
        rest = condition.args[1:] if system_atom else condition.args
        condition.below = self.why_not(system, condition.name, tuple(rest), depth - 1, system_atom, stack, shallow)
        condition.cost = max(1, condition.below.cost)


def route_order(route: Route) -> tuple:
    """Fewest facts to change first; then fewest failed conditions; then a route that an exception
    (a ``not x`` whose ``x`` holds) blocks before one that lacks a fact; then the order of the rules."""
    return (route.cost, len(route.failed), not any(c.kind == "present" for c in route.failed), route.rule.index,
            route.order)


def collapsed(why_not: WhyNot, limit: int = 200) -> list[Route]:
    """The routes of a why-not, where a route that fails only because of one legal concept is
    replaced by the routes of that concept (so that the reason names the condition that really
    fails, e.g. "no Art. 6(3) derogation" -> "the system profiles natural persons"). A replacing
    route names the rules it stands for in ``via``."""
    found: list[tuple[Route, tuple]] = []
    _collapse(why_not, found, limit, set(), ())
    found.sort(key=lambda pair: route_order(pair[0]))
    return [Route(r.rule, r.head, r.bindings, r.failed, r.cost, via, r.order) if via else r for r, via in found]


def _collapse(why_not: WhyNot, out: list, limit: int, seen: set, via: tuple) -> None:
    for route in why_not.routes:
        if len(out) >= limit:
            return
        only = route.failed[0] if len(route.failed) == 1 else None
        if only is not None and only.kind == "missing" and not only.unknown and only.below is not None \
                and only.below.routes and id(only.below) not in seen:
            seen.add(id(only.below))
            _collapse(only.below, out, limit, seen, via + (route.rule,))
        else:
            out.append((route, via))


def group_routes(routes: list[Route]) -> list[list[Route]]:
    """Routes of the same rule (reached through the same rules) that fail on the same conditions
    in the same way, differing only in a value (one per Annex I act, one per Annex III point), as
    one group; groups in the order of their first route."""
    groups: dict[tuple, list[Route]] = {}
    for route in routes:
        key = (route.rule.index, route.cost, tuple(r.index for r in route.via),
               tuple((c.kind, c.literal, c.below is None) for c in route.failed))
        groups.setdefault(key, []).append(route)
    return list(groups.values())


def _general_args(rows: list[tuple]) -> tuple[tuple, tuple]:
    """Arguments alike in every row as they are, the others ``None``; and per argument the
    distinct values where they differ (``()`` where they agree)."""
    if not rows:
        return (), ()
    args, choices = [], []
    for column in zip(*rows):
        keys = {None if v is None else _symbol_key(v) for v in column}
        if len(keys) == 1:
            args.append(column[0])
            choices.append(())
        else:
            args.append(None)
            choices.append(tuple(dict.fromkeys(v for v in column if v is not None)))
    return tuple(args), tuple(choices)


def _general_condition(conditions: list[Condition]) -> Condition:
    first = conditions[0]
    if len(conditions) == 1:
        return first
    if first.kind in ("present", "comparison"):  # shown as found, with the alike ones named
        return Condition(first.kind, first.literal, first.name, first.args, first.known_atom, first.unknown, first.below,
                         first.values, first.value_atoms, first.cost, first.system_bound, alike=tuple(conditions[1:]))
    args, choices = _general_args([c.args for c in conditions])
    below = None
    if all(c.below is not None for c in conditions):
        below = _general_why_not([c.below for c in conditions], args)
    return Condition(first.kind, first.literal, first.name, args, None, any(c.unknown for c in conditions), below,
                     (), (), first.cost, first.system_bound, choices=choices)


def _general_why_not(why_nots: list[WhyNot], args: tuple) -> WhyNot:
    """The why-nots of alike conditions as one: the routes of all of them (grouped again when shown)."""
    first = why_nots[0]
    if len(why_nots) == 1:
        return first
    rest = args[1:] if first.system_atom else args
    routes = sorted((r for w in why_nots for r in w.routes), key=route_order)
    return WhyNot(first.system, first.name, rest, first.status, first.kind, [a for w in why_nots for a in w.holding],
                  routes, any(w.depth_limited for w in why_nots), first.system_atom, all(w.complete for w in why_nots))


def general_route(group: list[Route]) -> Route:
    """One route standing for a group of alike routes (:func:`group_routes`): a value in which they
    differ is left open (``None``), so that the route is worded in general terms ("covered by the
    Union harmonisation legislation listed in Annex I") and the facts it needs are alternatives."""
    first = group[0]
    if len(group) == 1:
        return first
    head, head_choices = _general_args([r.head for r in group])
    failed = [_general_condition([r.failed[i] for r in group]) for i in range(len(first.failed))]
    return Route(first.rule, head, first.bindings, failed, first.cost, first.via, first.order, len(group), head_choices,
                 tuple(group))


def general_routes(routes: list[Route]) -> list[Route]:
    """:func:`group_routes`, each group as its :func:`general_route`."""
    return [general_route(group) for group in group_routes(routes)]


# =========================================================================== facts to change


@dataclass(frozen=True)
class Need:
    """A fact that a failing route needs: ``name(args)`` would have to hold (``holds``) or stop
    holding; for a comparison, the input value would have to satisfy ``op value``.

    ``input`` is false for a legal concept that was not explained further (depth limit).
    """

    name: str
    args: tuple
    holds: bool
    input: bool = True
    unknown: bool = False
    op: str | None = None
    value: clingo.Symbol | None = None
    source: tuple[str, ...] = ()
    #: per argument, the values any one of which would do where the argument is open (``None``)
    choices: tuple = ()


def requirements(route: Route, explainer: "Explainer", limit: int = 30) -> list[tuple[Need, ...]]:
    """What a route needs changed, as a list of requirements that must all be met, each a tuple of
    alternatives (any one suffices): a failed input condition; for a failed legal concept, the
    requirements of the cheapest route below it; for ``not x`` with ``x`` holding, one of the input
    facts ``x`` rests on (per rule instance that derives it); for a comparison, the input value.
    Worked out once per route (do not change what it returns)."""
    hit = explainer._requirements.get((id(route), limit))
    if hit is not None and hit[0] is route:
        return hit[1]
    out: list[tuple[Need, ...]] = []
    _requirements(_real(route), explainer, out, limit, set())
    needs = _without_implied(out)
    explainer._requirements[(id(route), limit)] = (route, needs)
    return needs


def _real(route: Route) -> Route:
    """A general route whose alike routes differ in what holds (not only in an open value) stands
    for its first route, which is a real one."""
    return route.group[0] if route.group and any(c.alike for c in route.failed) else route


def _cheapest_requirements(below: WhyNot, explainer: "Explainer", limit: int) -> list[tuple[Need, ...]]:
    """What the cheapest route below a failed concept needs. Alike routes (one per Annex I act) are
    one route with an open value; routes of the same cost that each need one value of the same input
    fact (an act of Annex I Section B, or the Machinery Regulation added to it) are one requirement
    with all their values as choices. Worked out once per why-not (do not change what it returns)."""
    hit = explainer._cheapest.get((id(below), limit))
    if hit is not None and hit[0] is below:
        return hit[1]
    routes = [_real(r) for r in explainer.general_routes_of(below)]
    found: list[list] = []
    for route in routes:
        if route.cost != routes[0].cost:
            break
        needs: list[tuple[Need, ...]] = []
        _requirements(route, explainer, needs, limit, set())
        found.append(needs)
    merged = _merge_choices(found) if len(found) > 1 else None
    cheapest = merged if merged is not None else found[0]
    explainer._cheapest[(id(below), limit)] = (below, cheapest)
    return cheapest


def _choice_values(need: Need) -> tuple | None:
    """The values of the value argument (after the system) a need accepts; ``None`` if it has none."""
    if len(need.args) < 2:
        return None
    if need.args[1] is not None:
        return (need.args[1],)
    return tuple(need.choices[1]) if len(need.choices) > 1 and need.choices[1] else None


def _merge_choices(found: list[list]) -> list[tuple[Need, ...]] | None:
    """Requirements of alternative routes, each a single fact with a value, as one with the values
    as choices; ``None`` when they are not all of that form about the same input fact."""
    needs = []
    for requirements_ in found:
        if len(requirements_) != 1 or len(requirements_[0]) != 1:
            return None
        needs.append(requirements_[0][0])
    first = needs[0]
    if any((n.name, n.holds, n.input, n.op, len(n.args), n.args[:1], n.args[2:]) !=
           (first.name, first.holds, first.input, first.op, len(first.args), first.args[:1], first.args[2:]) for n in needs) \
            or not first.holds or any(_choice_values(n) is None for n in needs):
        return None
    values = tuple(dict.fromkeys(v for n in needs for v in _choice_values(n)))
    if len(values) == 1:
        return [(first,)]
    args = first.args[:1] + (None,) + first.args[2:]
    choices = ((),) + (values,) + tuple(() for _ in first.args[2:])
    return [(Need(first.name, args, True, first.input, any(n.unknown for n in needs), choices=choices),)]


def _without_implied(out: list[tuple[Need, ...]]) -> list[tuple[Need, ...]]:
    """Leave out a requirement "one of these values" that a stricter one about the same input
    fact implies (an act of Annex I Section A implies an act of Annex I)."""
    single = [item[0] for item in out if len(item) == 1 and item[0].holds and _choice_values(item[0]) is not None]
    keep, moved = [], set()
    for item in out:
        need = item[0]
        if len(item) == 1 and need in single:
            if id(need) in moved:
                continue
            mine = set(map(_symbol_key, _choice_values(need)))
            stricter = [other for other in single if other is not need and other.name == need.name
                        and other.args[:1] == need.args[:1] and set(map(_symbol_key, _choice_values(other))) < mine]
            if stricter:  # the stricter one takes this one's place
                narrowest = min(stricter, key=lambda other: len(_choice_values(other)))
                if id(narrowest) not in moved:
                    moved.add(id(narrowest))
                    keep.append((narrowest,))
                continue
        keep.append(item)
    return keep


def _requirements(route: Route, explainer: "Explainer", out: list, limit: int, seen: set) -> None:
    for condition in route.failed:
        if len(out) >= limit:
            return
        items: list[tuple[Need, ...]] = []
        if condition.kind == "missing":
            below = condition.below
            if below is not None and below.routes:
                for item in _cheapest_requirements(below, explainer, limit):
                    if item not in seen and len(out) < limit:
                        seen.add(item)
                        out.append(item)
                continue
            is_input = below is None or below.kind in (KIND_INPUT, KIND_GIVEN)
            items.append((Need(condition.name, condition.args, True, is_input, condition.unknown,
                               choices=condition.choices),))
        elif condition.kind == "present" and condition.atom is not None:
            atom = condition.atom
            if explainer.atom_kind(atom) in (KIND_INPUT, KIND_GIVEN):
                items.append((Need(explainer.model.name(atom), explainer.model.args(atom), False, True, condition.unknown),))
            else:
                for step in explainer.steps(atom)[:3]:
                    leaves = explainer.input_leaves(step)
                    if leaves:
                        items.append(tuple(Need(explainer.model.name(a), explainer.model.args(a), False, True,
                                                not explainer.model.is_certain(a))
                                           for a in leaves))
                if not items:
                    items.append((Need(atom.name, tuple(atom.arguments), False, False, condition.unknown),))
        elif condition.kind == "comparison":
            for binder, value, other in zip(condition.value_atoms, condition.values, reversed(condition.values)):
                if binder and binder[2] is not None and explainer.atom_kind(binder[2]) in (KIND_INPUT, KIND_GIVEN):
                    op = condition.name if binder is condition.value_atoms[0] else _FLIP.get(condition.name, condition.name)
                    items.append((Need(binder[2].name, tuple(binder[2].arguments), True, True, False, op, other),))
                    break
        for item in items:
            if item not in seen:
                seen.add(item)
                out.append(item)


_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "=": "=", "!=": "!="}


# =========================================================================== one call


@dataclass
class RunExplanation:
    """Explanations of a run: the explainer (with the model) and per system what was asked."""

    explainer: Explainer
    systems: list[Explanation]


def global_as_of(results: list[SystemResult]) -> _dt.date:
    """The assessment date the run was made with (a case file's own ``expect.as_of`` aside)."""
    for result in results:
        if not result.description.meta.get("expect", {}).get("as_of"):
            return result.as_of
    return results[0].as_of if results else _dt.date.today()


def parse_pattern(text: str) -> tuple[str, tuple | None]:
    """``high_risk`` -> (``high_risk``, None); ``high_risk(annex_iii,"4(a)")`` -> args; ``_`` is any value."""
    text = text.strip()
    if "(" not in text:
        return text, None
    name, rest = text.split("(", 1)
    body = rest.rsplit(")", 1)[0]
    parts = _split_args(body)
    args = []
    for part in parts:
        part = part.strip()
        if part in ("_", ""):
            args.append(None)
            continue
        try:
            args.append(clingo.parse_term(part))
        except RuntimeError:
            args.append(clingo.String(part.strip('"')))
    return name.strip(), tuple(args)


def _split_args(body: str) -> list[str]:
    out, depth, current, quoted = [], 0, [], False
    for char in body:
        if char == '"':
            quoted = not quoted
        if not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        if char == "," and depth == 0 and not quoted:
            out.append("".join(current))
            current = []
        else:
            current.append(char)
    out.append("".join(current))
    return out


#: A :class:`aiact_asp.api.Run` whose ``grounding`` (:func:`aiact_asp.engine.ground`) is kept whole,
#: answer sets included, so that the explanations need no second grounding.
GroundedRun = Run


def classify_for_explanation(paths: Iterable[str | Path], as_of: _dt.date | None = None, kb_dir: Path | None = None,
                             open_world: str | None = None) -> GroundedRun:
    """:func:`aiact_asp.api.classify_paths`, keeping the whole grounding for the explanations
    (so that they need no second grounding). Raises what that function raises."""
    from . import api

    return api.classify_paths(paths, as_of, kb_dir, open_world, keep_answer_sets=True)


def _vocabulary(kb: KnowledgeBase) -> Vocabulary:
    from .vocabulary import load_vocabulary

    return load_vocabulary(kb.directory / "vocabulary.yaml")


@without_gc
def model_of_grounding(grounding, kb: KnowledgeBase) -> Model:
    """The :class:`Model` of a kept grounding: the engine's shown consequences and its input facts."""
    cautious = None if grounding.cautious is grounding.brave else grounding.cautious
    return Model(kb, grounding.brave, cautious, [d.id for d in grounding.descriptions], facts=grounding.facts)


def explain_run(run, lang: str = "en", systems: Iterable[str] | None = None, conclusions: Iterable[str] | None = None,
                why_not: Iterable[str] | None = None, as_of: _dt.date | None = None, absent_depth: int = 5,
                open_world: str | None = None) -> RunExplanation:
    """Explain the systems of ``run`` (an :class:`aiact_asp.api.Run`).

    Args:
        systems: ids to explain (default: all).
        conclusions: patterns (``high_risk``, ``high_risk(annex_iii,"4(a)")``) whose trees to give;
            default: every conclusion except the checklist of roles and obligations.
        why_not: patterns to explain the absence of.
    """
    for text in list(conclusions or ()) + list(why_not or ()):
        check_pattern(text, run.kb, run.vocabulary)
    wanted = set(systems) if systems is not None else None
    results = [r for r in run.results if wanted is None or r.id in wanted]
    descriptions = [r.description for r in run.results]
    grounding = getattr(run, "grounding", None)
    if grounding is not None and not getattr(grounding, "released", False):
        model = model_of_grounding(grounding, run.kb)
    else:
        model = solve_model(descriptions, run.kb, run.vocabulary, as_of or global_as_of(run.results),
                            open_world if open_world is not None else getattr(run, "open_world", None))
    explainer = Explainer(run.kb, run.vocabulary, model, lang, absent_depth=absent_depth)
    explainer.results = {r.id: r for r in run.results}
    patterns = [parse_pattern(p) for p in conclusions or ()]
    out = []
    for result in results:
        explanation = Explanation(result.id, result)
        if patterns:
            for name, args in patterns:
                for atom in explainer.conclusions_of(result.id):
                    if atom.name == name and (args is None or _matches(atom.arguments[1:], args)):
                        explanation.roots.append(atom)
                if not any(a.name == name and (args is None or _matches(a.arguments[1:], args)) for a in explanation.roots):
                    explanation.why_not.append(explainer.why_not(result.id, name, args))
        elif not why_not:
            explanation.roots = [a for a in explainer.conclusions_of(result.id) if a.name not in CHECKLIST]
        for text in why_not or ():
            name, args = parse_pattern(text)
            explanation.why_not.append(explainer.why_not(result.id, name, args))
        out.append(explanation)
    return RunExplanation(explainer, out)


class PatternError(ValueError):
    """A ``--why-not`` or conclusion pattern that names nothing of the knowledge base; ``str()``
    is the English message, :meth:`message` gives it in the language asked."""

    def __init__(self, message_en: str, message_nl: str) -> None:
        super().__init__(message_en)
        self.message_nl = message_nl

    def message(self, lang: str) -> str:
        return self.message_nl if lang == "nl" else str(self)


def check_pattern(text: str, kb: KnowledgeBase, vocabulary: Vocabulary) -> None:
    """Raise ValueError (with a suggestion) when ``text`` names no conclusion, legal concept or input fact."""
    import difflib

    try:
        name, args = parse_pattern(text)
    except (RuntimeError, ValueError) as exc:
        raise ValueError(f"cannot read the conclusion {text!r}: {exc}") from None
    known = set(kb.conclusions) | {n for n, _ in compiled_rules(kb)} | set(vocabulary.by_predicate)
    if name not in known:
        # a conclusion named by (part of) its label, in English or Dutch: "verboden", "high-risk"
        by_label = [] if len(text.strip()) < 4 else [c for c, spec in sorted(kb.conclusions.items())
                    if any(text.lower().strip() in (spec.label or {}).get(lang, "").lower() for lang in ("en", "nl"))]
        close = by_label[:3] or difflib.get_close_matches(name, sorted(known), n=3)
        listed = ", ".join(sorted(kb.conclusions))
        raise PatternError(
            f"{name!r} is no conclusion, legal concept or input fact of the knowledge base"
            + (f"; did you mean {', '.join(close)}?" if close else f"; conclusions are: {listed}"),
            f"{name!r} is geen conclusie, juridisch begrip of invoerfeit van de kennisbank"
            + (f"; bedoelt u {', '.join(close)}?" if close else f"; de conclusies zijn: {listed}"))
    if name == "obligation" and args:  # obligation(Id, Role): the ids and roles of kb/obligations.yaml
        from .obligations import load_catalogue

        catalogue = load_catalogue(kb.directory)
        for value, kind in zip(args, ("obligations", "roles")):
            if value is None or value.type != clingo.SymbolType.Function or value.arguments:
                continue
            ids = sorted(catalogue.get(kind) or {})
            if value.name not in ids:
                stem = re.match(r"[a-z]+\d+[a-z]*(?:_\d+[a-z]*)?", value.name)  # art26_9: same article and paragraph
                close = [i for i in ids if stem and i.startswith(stem.group(0) + "_")][:3] \
                    or difflib.get_close_matches(value.name, ids, n=3, cutoff=0.5)
                what = "obligation" if kind == "obligations" else "role"
                hint = f"; did you mean {', '.join(close)}?" if close else f"; the {kind} are listed in kb/obligations.yaml"
                raise ValueError(f"{value.name!r} is no {what} of the knowledge base{hint}")


def _matches(values: tuple, pattern: tuple) -> bool:
    return len(values) == len(pattern) and all(p is None or p == v for p, v in zip(pattern, values))
