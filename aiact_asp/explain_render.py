"""Explanations in words: text (an indented tree), Markdown (for a memo) and JSON (nodes and edges).

The legal content comes from ``kb/``: conclusions (``conclusions.yaml``), legal concepts and law as
data (``concepts.yaml``), input facts (``vocabulary.yaml``), article titles and links
(``data/article_titles.yaml``). This module arranges them. Formats: docs/explanations.md.
"""

from __future__ import annotations

import hashlib

import clingo

from . import jsonout
from .citation_nl import cite as _cite_in
from .citation_nl import statement_nl
from .engine import Conclusion
from .explain import _symbol_key, without_gc
from .explain import (BASIC_CONCEPTS, GENERATED, KIND_CONCEPT, KIND_CONCLUSION, KIND_DATA, KIND_GIVEN, KIND_INPUT, Condition,
                      Explainer, Explanation, LegalSources, Need, Route, RunExplanation, Step, WhyNot,
                      load_concept_labels, load_concepts, load_general_conclusions, requirements)

#: Interface words; the legal wording lives in kb/.
WORDS = {
    "en": {
        "why": "Why", "why_not": "Why not", "by": "by", "also_by": "also by", "fact": "fact", "law": "law",
        "not": "not", "see_above": "explained above", "sources": "Sources", "assessed": "assessed on",
        "undetermined": "only for some answers to the unknown facts", "unknown": "unknown",
        "default": "default", "holds_already": "{pattern} holds for {system}; see the explanation of why it holds.",
        "holds_some": "{pattern} holds for {system} only for some answers to the unknown facts ({keys}).",
        "absent": "{pattern} does not hold for {system}.",
        "routes": "Rules that could derive it, fewest changes first:",
        "no_route": "No rule can derive it for this system: every rule needs law-as-data entries that do not match.",
        "input_only": "{pattern} is an input fact: {need}.",
        "fails": "does not hold", "holds_but": "holds, and excludes it",
        "would_need": "would have to change", "one_of": "one of",
        "further_routes": ("1 further route needs as many or more changes; --all shows it",
                           "{n} further routes need as many or more changes; --all shows them"),
        "more_rules": ("and 1 more rule; --all shows it", "and {n} more rules; --all shows them"),
        "more_rules_why_not": ("1 more rule: aiact-asp explain --why-not {name}", "{n} more rules: aiact-asp explain --why-not {name}"),
        "any_value": "(any)", "and_more": "and {n} more", "for_each": "for each of: {values}",
        "includes_any": "{key} includes a value", "includes_none": "{key} includes no value",
        "includes_one_of": "{key} includes one of: {values}", "equals_one_of": "{key} = one of: {values}",
        "has_value": "{key} has a value", "has_no_value": "{key} has no value",
        "likewise": "likewise for", "no_rule_applies": "no rule derives it", "not_explored": "not explained further",
        "no_entry": "the law lists no such entry", "rests_on": "rests on",
        "stated": "{key} is stated in the description", "not_stated": "{key} is not stated in the description",
        "described": "{system} is described", "as_of": "assessment date {date}",
        "is_unknown": "{key} is given as unknown",
        "cmp_fail": "{left} {op} {right} does not hold", "conclusion": "Conclusion",
        "needs_true": "{fact}", "currently_unknown": "now unknown",
        "no_conclusions": "(no conclusions)", "rule": "rule", "but": "but", "excludes": "this excludes it", "via": "via", "would_conclude": "would conclude",
        "absent_false": "not stated in the description, taken as false (absent means false)",
        "absent_none": "not stated in the description, taken as none (absent means none)",
        "absent_value": "not stated in the description",
        "absent_default": "not stated in the description; its default {value} applies",
        "stated_as": "the description says {value}", "stated_list": "the description lists {value}",
        "stated_true": "the description says true", "stated_false": "the description says false",
        "given_unknown": "given as unknown in the description",
        "flag_absent_false": "not stated, so false", "flag_absent": "not stated",
        "flag_left_open": "not stated, left open: this route takes it as not holding",
        "left_open": "not stated in the description, left open (--open-world): any answer is considered",
        "as_of_need": "assessment date {op} {value}", "not_established": "it is not established that {statement}", "assessment_date": "assessment date",
    },
    "nl": {
        "why": "Waarom", "why_not": "Waarom niet", "by": "op grond van", "also_by": "ook op grond van", "fact": "feit",
        "law": "wet", "not": "niet", "see_above": "hierboven uitgelegd", "sources": "Bronnen", "assessed": "beoordeeld per",
        "undetermined": "alleen bij sommige antwoorden op de onbekende feiten", "unknown": "onbekend",
        "default": "standaardwaarde", "holds_already": "{pattern} geldt voor {system}; zie de uitleg waarom het geldt.",
        "holds_some": "{pattern} geldt voor {system} alleen bij sommige antwoorden op de onbekende feiten ({keys}).",
        "absent": "{pattern} geldt niet voor {system}.",
        "routes": "Regels die het zouden kunnen afleiden, met de minste wijzigingen eerst:",
        "no_route": "Geen regel kan het voor dit systeem afleiden: elke regel vraagt om gegevens uit de wet die niet overeenkomen.",
        "input_only": "{pattern} is een invoerfeit: {need}.",
        "fails": "geldt niet", "holds_but": "is vervuld en sluit het uit",
        "would_need": "zou moeten veranderen", "one_of": "een van",
        "further_routes": ("nog 1 route vraagt evenveel of meer wijzigingen; --all toont die",
                           "nog {n} routes vragen evenveel of meer wijzigingen; --all toont ze"),
        "more_rules": ("en nog 1 regel; --all toont die", "en nog {n} regels; --all toont ze"),
        "more_rules_why_not": ("nog 1 regel: aiact-asp explain --why-not {name}", "nog {n} regels: aiact-asp explain --why-not {name}"),
        "any_value": "(welk dan ook)", "and_more": "en nog {n}", "for_each": "voor elk van: {values}",
        "includes_any": "{key} bevat een waarde", "includes_none": "{key} bevat geen waarde",
        "includes_one_of": "{key} bevat een van: {values}", "equals_one_of": "{key} = een van: {values}",
        "has_value": "{key} heeft een waarde", "has_no_value": "{key} heeft geen waarde",
        "likewise": "evenzo voor", "no_rule_applies": "geen regel leidt het af", "not_explored": "niet verder uitgewerkt",
        "no_entry": "de wet kent zo'n vermelding niet", "rests_on": "berust op",
        "stated": "{key} staat in de beschrijving", "not_stated": "{key} staat niet in de beschrijving",
        "described": "{system} is beschreven", "as_of": "peildatum {date}",
        "is_unknown": "{key} is opgegeven als onbekend",
        "cmp_fail": "{left} {op} {right} geldt niet", "conclusion": "Conclusie",
        "needs_true": "{fact}", "currently_unknown": "nu onbekend",
        "no_conclusions": "(geen conclusies)", "rule": "regel", "but": "maar", "excludes": "dit sluit het uit", "via": "via", "would_conclude": "zou concluderen",
        "absent_false": "niet vermeld in de beschrijving, dus onwaar (wat ontbreekt, geldt als onwaar)",
        "absent_none": "niet vermeld in de beschrijving, dus leeg (wat ontbreekt, geldt als leeg)",
        "absent_value": "niet vermeld in de beschrijving",
        "absent_default": "niet vermeld in de beschrijving; de standaardwaarde {value} geldt",
        "stated_as": "de beschrijving zegt {value}", "stated_list": "de beschrijving noemt {value}",
        "stated_true": "de beschrijving zegt: waar (true)", "stated_false": "de beschrijving zegt: onwaar (false)",
        "given_unknown": "in de beschrijving opgegeven als onbekend",
        "flag_absent_false": "niet vermeld, dus onwaar", "flag_absent": "niet vermeld",
        "flag_left_open": "niet vermeld, open gelaten: deze route gaat ervan uit dat het niet geldt",
        "left_open": "niet vermeld in de beschrijving, open gelaten (--open-world): elk antwoord wordt meegewogen",
        "as_of_need": "peildatum {op} {value}", "not_established": "niet vastgesteld: {statement}", "assessment_date": "peildatum",
    },
}

_OP_WORDS = {
    "en": {">": "greater than", "<": "less than", ">=": "on or after / at least", "<=": "on or before / at most", "=": "equal to", "!=": "other than"},
    "nl": {">": "groter dan", "<": "kleiner dan", ">=": "op of na / ten minste", "<=": "op of voor / ten hoogste", "=": "gelijk aan", "!=": "anders dan"},
}
#: Conclusions not expanded in a compact tree (they have their own explanation).
_BASIC = BASIC_CONCEPTS
#: Input atoms not shown in trees (true of every described system).
_HIDDEN = frozenset({"system"})
_DATE_PREDICATES = {"as_of", "applies_from", "transitional_cutoff", "transitional_cutoff_2024_text", "applies_from_2024_text"}


#: An open argument (any value) in an atom to be put into words: a route that stands for every
#: Annex I act, an input fact whose value may be any of several.
_ANY = clingo.Function("_any_")
#: The keys of :data:`_ANY` and of ``-_any_`` (which :func:`_is_any` also takes for open, as when
#: it asked clingo for the name): a test without a call into clingo.
_ANY_KEYS = frozenset({_symbol_key(_ANY), _symbol_key(clingo.Function("_any_", [], False))})

#: How many values of an open input fact are named ("one of: a, b, c and 9 more").
MAX_CHOICES = 12
#: A failed legal concept that stands for alike ones names their values when there are at most this
#: many ("for each of: 5(1)(a); ...; 5(1)(h)"); more (every Annex I act) is left to the general wording.
MAX_FOR_EACH = 8
#: Routes of a why-not shown (``--all``: every one), and rules under a failed concept in it.
MAX_ROUTES, MAX_BELOW = 5, 3


def _is_any(symbol: clingo.Symbol | None) -> bool:
    """Is ``symbol`` an open argument (``None`` or :data:`_ANY`)?"""
    return symbol is None or _symbol_key(symbol) in _ANY_KEYS


def _keys(symbols) -> tuple:
    """The keys of symbols (``None`` kept), for a cache."""
    return tuple(None if s is None else _symbol_key(s) for s in symbols)


def _plural(forms: tuple[str, str], n: int, **fields) -> str:
    """The singular (``n == 1``) or plural form of a message, formatted."""
    return (forms[0] if n == 1 else forms[1]).format(n=n, **fields)


def _plain(symbol: clingo.Symbol | None) -> str:
    if _is_any(symbol):
        return "_"
    if symbol.type == clingo.SymbolType.String:
        return symbol.string
    return str(symbol)


def _date(value: int) -> str:
    return f"{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}"


def _yaml(value) -> str:
    """A value as written in a description: ``true``, ``[natural_persons]``, ``2026-08-02``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value.isoformat() if hasattr(value, "isoformat") else value)


def _number(symbol: clingo.Symbol) -> str:
    exp, mant, rest = (a.number for a in symbol.arguments)
    if exp <= -1_000_000 or exp >= 1_000_000:
        return "?"
    return f"{mant / 1e8:g}e{exp + 8}{'…' if rest else ''}"


def _citation_json(citation, lang: str) -> dict:
    """A citation as JSON: ``citation`` as written in ``kb/`` (English), ``citation_nl`` in the
    Dutch citation style (:mod:`aiact_asp.citation_nl`), title and link in ``lang``."""
    out = citation.as_dict(lang)
    out["citation_nl"] = _cite_in(citation.text, "nl")
    return out


class Phrases:
    """Atoms in words (one language), from the catalogues in ``kb/``."""

    def __init__(self, explainer: Explainer, lang: str):
        from .report import Wording

        self.explainer, self.lang = explainer, lang
        self.kb, self.vocabulary = explainer.kb, explainer.vocabulary
        self.words = WORDS[lang]
        self.concepts = load_concepts(self.kb.directory)
        self.concept_labels = load_concept_labels(self.kb.directory)
        self.sources = LegalSources.load(self.kb.directory)
        self.wording = Wording(self.kb, self.vocabulary, lang)
        self.general_conclusions = load_general_conclusions(self.kb.directory)
        self.cited: dict[str, None] = {}
        self._statements: dict = {}
        self._sources_json: dict = {}
        self._why_not_json: dict = {}  # (id of a why-not below a condition, depth, routes) -> its JSON
        # Words that the routes of the why-nots ask for again and again, kept by symbol key (each
        # attribute of a clingo Symbol is a call into clingo); filled by the methods of the same name
        self._plains: dict = explainer.shared.setdefault("plains", {})  # the same in every language
        self._values: dict = {}
        self._labels: dict = {}
        self._patterns: dict = {}
        self._input_facts: dict = {}
        self._atoms: dict = explainer.shared.setdefault("atoms", {})
        self._needs: dict = {}  # id of a Need -> (the Need, its words): requirements() keeps them
        self._shown: dict = {}
        self._value_labels: dict[str, str] = {}
        for entry in self.vocabulary.entries:
            for value, label in (entry.value_labels or {}).items():
                text = label.get(lang) or label.get("en")
                if text:
                    self._value_labels.setdefault(value, text)

    # ----------------------------------------------------------------- values

    def plain(self, symbol: clingo.Symbol | None) -> str:
        """:func:`_plain`, once per symbol."""
        if symbol is None:
            return "_"
        key = _symbol_key(symbol)
        found = self._plains.get(key)
        if found is None:
            found = self._plains[key] = _plain(symbol)
        return found

    def value(self, symbol: clingo.Symbol | None, date: bool = False) -> str:
        if symbol is None:
            return self.words["any_value"]
        key = (_symbol_key(symbol), date)
        found = self._values.get(key)
        if found is None:
            found = self._values[key] = self._value(symbol, date)
        return found

    def _value(self, symbol: clingo.Symbol, date: bool) -> str:
        if _is_any(symbol):
            return self.words["any_value"]
        kind = symbol.type
        if kind == clingo.SymbolType.Number and date:
            return _date(symbol.number)
        if kind == clingo.SymbolType.Function and len(args := symbol.arguments) == 3 and symbol.name == "" \
                and all(a.type == clingo.SymbolType.Number for a in args):
            return _number(symbol)
        return self.plain(symbol)

    def label(self, symbol: clingo.Symbol | None) -> str:
        if symbol is None:
            return self.value(symbol)
        key = _symbol_key(symbol)
        found = self._labels.get(key)
        if found is None:
            found = self._labels[key] = self._label(symbol)
        return found

    def _label(self, symbol: clingo.Symbol) -> str:
        text = self.value(symbol)
        if symbol.type == clingo.SymbolType.Function and not symbol.arguments:
            found = self.kb.labels.get(text, {}).get(self.lang) or self.concept_labels.get(text, {}).get(self.lang)
            if found:
                return found
            return self._value_labels.get(text, text)
        return text

    # ----------------------------------------------------------------- statements

    def system_of(self, atom: clingo.Symbol) -> str | None:
        return self.explainer.model.owner(atom)

    def statement(self, atom: clingo.Symbol, negated: bool = False) -> str:
        """The atom (or its negation) as a sentence without final full stop."""
        key = (_symbol_key(atom), negated)
        found = self._statements.get(key)
        if found is None:
            found = self._statements[key] = self._statement(atom, negated)
        return found

    def _statement(self, atom: clingo.Symbol, negated: bool) -> str:
        model = self.explainer.model
        name = model.name(atom)
        system = self.system_of(atom)
        args = model.args(atom)[1:] if system is not None else model.args(atom)
        if name in GENERATED:
            return self._given(name, system, args, negated)
        entry = self.vocabulary.by_predicate.get(name)
        if entry is not None:
            return self.input_fact(atom, holds=not negated)
        if any(_is_any(a) for a in args):
            return self._general(name, system, args, negated)
        spec = self.concepts.get(name)
        if name in self.kb.conclusions and not (negated and spec and spec.negated):
            text = self.wording.statement(Conclusion(atom, True), system or "").rstrip(".")
            return self.words["not_established"].format(statement=text) if negated else text
        if spec is not None:
            template = (spec.negated if negated else spec.template)
            text = template.get(self.lang) or template.get("en")
            if text:
                fields = {"system": system or ""}
                for index, arg_name in enumerate(spec.args):
                    value = args[index] if index < len(args) else None
                    is_date = spec.arg_types.get(arg_name) == "date"
                    fields[arg_name] = self.value(value, date=is_date)
                    fields[f"{arg_name}_label"] = self.label(value) if not is_date else fields[arg_name]
                try:
                    text = text.format(**fields)
                    return statement_nl(text) if self.lang == "nl" else text
                except (KeyError, IndexError, ValueError):
                    pass
            if negated:
                return self.words["not_established"].format(statement=self.statement(atom))
        shown = str(clingo.Function(name, list(args))) if args else name
        return f"{self.words['not']}: {shown}" if negated else shown

    def _fields(self, arg_names, arg_types: dict, args, system: str | None, open_marker: str | None = None) -> dict:
        """The fields of a template: ``{system}``, each argument and its ``_label``; an open
        argument is left out (or given as ``open_marker``)."""
        fields = {"system": system or ""}
        for index, arg_name in enumerate(arg_names):
            value = args[index] if index < len(args) else None
            if _is_any(value):
                if open_marker is not None:
                    fields[arg_name] = fields[f"{arg_name}_label"] = open_marker
                continue
            is_date = arg_types.get(arg_name) == "date"
            fields[arg_name] = self.value(value, date=is_date)
            fields[f"{arg_name}_label"] = self.label(value) if not is_date else fields[arg_name]
        return fields

    def _general(self, name: str, system: str | None, args, negated: bool) -> str:
        """A concept or conclusion with open arguments in general terms (a route that stands for
        alike routes, one per Annex I act or Annex III point, says what they have in common): its
        ``general:`` wording in kb/concepts.yaml or kb/conclusions.yaml, the first whose fields are
        all known; else its template without the parts that name an open argument."""
        spec = self.concepts.get(name)
        conclusion = self.kb.conclusions.get(name)
        arg_names = spec.args if spec else (conclusion.args if conclusion else ())
        arg_types = spec.arg_types if spec else (getattr(conclusion, "arg_types", None) or {})
        fields = self._fields(arg_names, arg_types, args, system)
        if negated and spec is not None and spec.negated:
            text = self._format(spec.negated, fields)
            if text:
                return text
        candidates = list(spec.general if spec else ()) + list(self.general_conclusions.get(name, ()))
        text = next((t for t in (self._format(c, fields) for c in candidates) if t), None)
        if text is None:
            template = (spec.template if spec else conclusion.template if conclusion else {})
            text = self._without_open(template, arg_names, arg_types, args, system) or name
        text = text.rstrip(".")
        return self.words["not_established"].format(statement=text) if negated else text

    def _format(self, template: dict, fields: dict) -> str | None:
        """``template`` (en/nl) in this language with ``fields``; ``None`` if it names a field not given."""
        text = template.get(self.lang) or template.get("en")
        if not text:
            return None
        try:
            text = text.format(**fields)
        except (KeyError, IndexError, ValueError):
            return None
        return statement_nl(text) if self.lang == "nl" else text

    def _without_open(self, template: dict, arg_names, arg_types: dict, args, system: str | None) -> str | None:
        """A template with open arguments: a parenthesis that names one is dropped, another open
        argument reads "(any)"."""
        import re

        marker = "\x00"
        text = self._format(template, self._fields(arg_names, arg_types, args, system, open_marker=marker))
        if text is None:
            return None
        text = re.sub(r"\s*\([^()]*\x00[^()]*\)", "", text)
        return " ".join(text.replace(marker, self.words["any_value"]).split())

    def pattern_statement(self, name: str, args: tuple, system: str | None, negated: bool = False) -> str:
        """A pattern with unknown arguments (``None``) in words: ``_`` stands for any value."""
        key = (name, _keys(args), system, negated)
        found = self._patterns.get(key)
        if found is None:
            full = ((self.explainer.model.system_symbol(system),) if system is not None else ()) + tuple(args)
            try:
                found = self.statement(self.atom(name, full), negated)
            except RuntimeError:
                found = name
            self._patterns[key] = found
        return found

    def atom(self, name: str, args: tuple) -> clingo.Symbol:
        """``name(args)`` with an unknown argument (``None``) as :data:`_ANY`, made once."""
        key = (name, _keys(args))
        found = self._atoms.get(key)
        if found is None:
            found = self._atoms[key] = clingo.Function(name, [a if a is not None else _ANY for a in args])
        return found

    def _given(self, name: str, system: str | None, args, negated: bool) -> str:
        w = self.words
        if name == "present":
            key = self.value(args[0]) if args else "?"
            return w["not_stated" if negated else "stated"].format(key=key)
        if name == "as_of":
            return w["as_of"].format(date=self.value(args[0], date=True) if args else "?")
        if name == "unknown":
            return w["is_unknown"].format(key=self.value(args[0]) if args else "?")
        text = w["described"].format(system=system or "")
        return f"{w['not']}: {text}" if negated else text

    def input_fact(self, atom: clingo.Symbol, holds: bool = True, choices: tuple = ()) -> str:
        """``annex_iii.use_cases = employment_recruitment_selection`` (with the value's label); with
        an open value, ``annex_i.legislation includes one of: atex, toys`` (``choices``: the values
        that would do) or ``includes a value``."""
        key = (_symbol_key(atom), holds, _keys(choices))
        found = self._input_facts.get(key)
        if found is None:
            found = self._input_facts[key] = self._input_fact(atom, holds, choices)
        return found

    def _input_fact(self, atom: clingo.Symbol, holds: bool, choices: tuple) -> str:
        model = self.explainer.model
        entry = self.vocabulary.by_predicate.get(model.name(atom))
        if entry is None:
            return self.statement(atom, not holds)
        args = model.args(atom)[1:]
        if not args:
            return f"{entry.key} = {'true' if holds else 'false'}"
        value = args[0]
        if _is_any(value):
            return self._open_input(entry, holds, choices)
        if entry.type == "date":
            shown = self.value(value, date=True)
        elif entry.type in ("number", "integer"):
            shown = self.value(value)
        else:
            shown = self.plain(value)
        label = (entry.value_labels or {}).get(shown, {}).get(self.lang) if entry.value_labels else None
        suffix = f" ({label})" if label and label != shown else ""
        if entry.type == "list":
            return f"{entry.key} {'includes' if holds else 'does not include'} {shown}{suffix}" if self.lang == "en" else \
                f"{entry.key} {'bevat' if holds else 'bevat niet'} {shown}{suffix}"
        return f"{entry.key} {'=' if holds else '≠'} {shown}{suffix}"

    def _open_input(self, entry, holds: bool, choices: tuple) -> str:
        w = self.words
        values = [self.plain(v) for v in choices if not _is_any(v)]
        if holds and len(values) > 1:
            shown = ", ".join(values[:MAX_CHOICES])
            if len(values) > MAX_CHOICES:
                shown += " " + w["and_more"].format(n=len(values) - MAX_CHOICES)
            return w["includes_one_of" if entry.type == "list" else "equals_one_of"].format(key=entry.key, values=shown)
        if entry.type == "list":
            return w["includes_any" if holds else "includes_none"].format(key=entry.key)
        return w["has_value" if holds else "has_no_value"].format(key=entry.key)

    def question(self, atom: clingo.Symbol) -> str | None:
        entry = self.vocabulary.by_predicate.get(self.explainer.model.name(atom))
        return (entry.question or {}).get(self.lang) if entry else None

    def fact_source(self, atom_name: str, args: tuple) -> str:
        entry = self.vocabulary.by_predicate.get(atom_name)
        if entry is None:
            return ""
        if len(args) > 1 and args[1] is not None:
            specific = (entry.value_sources or {}).get(self.plain(args[1]))
            if specific:
                return specific
        return entry.source

    def key_of(self, atom_name: str) -> str | None:
        entry = self.vocabulary.by_predicate.get(atom_name)
        return entry.key if entry else None

    # ----------------------------------------------------------------- sources

    def sources_json(self, sources: tuple) -> list[dict]:
        """The citations of a rule as JSON (title and link in this language, titles in both)."""
        found = self._sources_json.get(sources)
        if found is None:
            found = self._sources_json[sources] = [_citation_json(c, self.lang) for c in self.cite(sources)]
        else:
            self.cite(sources)
        return found

    def cite(self, sources) -> list:
        out = []
        for text in sources:
            citation = self.sources.cite(text)
            self.cited.setdefault(text, None)
            out.append(citation)
        return out

    def shown(self, sources, sep: str = "; ") -> str:
        """Citations (as written after ``%@ source:``, or one ``;``-separated string) in the
        citation style of the language: ``art. 6, lid 3, laatste alinea`` in Dutch."""
        texts = (sources,) if isinstance(sources, str) else tuple(sources)
        found = self._shown.get((texts, sep))
        if found is None:
            parts = [part.strip() for text in texts for part in text.split(";") if part.strip()]
            found = self._shown[(texts, sep)] = (parts, sep.join(_cite_in(t, self.lang) for t in texts))
        for part in found[0]:  # what is shown is what the list of sources at the end names
            self.cited.setdefault(part, None)
        return found[1]

    def input_status(self, atom: clingo.Symbol, system: str) -> str:
        """Why an input fact a rule needs does not hold, in words: the key is not in the
        description (absent means false, or none), it has another value there, or it is unknown."""
        w = self.words
        entry = self.vocabulary.by_predicate.get(self.explainer.model.name(atom))
        result = self.explainer.results.get(system)
        if entry is None or result is None:
            return w["absent_value"]
        if entry.key in result.unknown_keys:
            return w["given_unknown"]
        if entry.key in result.left_open:  # open world: a key left out is open, not false
            return w["left_open"]
        values = result.description.values
        if entry.key not in values:
            default = next((v for k, v in result.defaults if k == entry.key), None)
            if default is not None:
                return w["absent_default"].format(value=_yaml(default))
            if entry.type == "bool":
                return w["absent_false"]
            return w["absent_none"] if entry.type in ("list", "enum") else w["absent_value"]
        value = values[entry.key]
        if isinstance(value, bool):
            return w["stated_true" if value else "stated_false"]
        return w["stated_list" if isinstance(value, list) else "stated_as"].format(value=_yaml(value))

    def absent_flag(self, atom: clingo.Symbol, system: str) -> str | None:
        """For an input fact whose absence a rule relied on: ``not stated, so false`` when the
        description leaves the key out (and no default applies); with ``--open-world``, for a key
        left open, that the route takes it as not holding (another answer is another route);
        else ``None``."""
        entry = self.vocabulary.by_predicate.get(self.explainer.model.name(atom))
        result = self.explainer.results.get(system)
        if entry is None or result is None or entry.key in result.description.values \
                or any(k == entry.key for k, _ in result.defaults):
            return None
        if entry.key in result.left_open:
            return self.words["flag_left_open"]
        return self.words["flag_absent_false" if entry.type == "bool" else "flag_absent"]

    def need(self, need: Need) -> str:
        """A fact a route would need, in words."""
        found = self._needs.get(id(need))
        if found is None or found[0] is not need:
            found = self._needs[id(need)] = (need, self._need(need))
        return found[1]

    def _need(self, need: Need) -> str:
        atom = self.atom(need.name, need.args)
        if need.op is not None:
            date = need.name in _DATE_PREDICATES or (self.vocabulary.by_predicate.get(need.name) is not None
                                                      and self.vocabulary.by_predicate[need.name].type == "date")
            if need.name == "as_of":
                return self.words["as_of_need"].format(op=need.op, value=self.value(need.value, date=True))
            key = self.key_of(need.name) or need.name
            return f"{key} {need.op} {self.value(need.value, date=date)}"
        if not need.input:
            return self.statement(atom, negated=not need.holds)
        if need.name in GENERATED:
            return self.statement(atom, negated=not need.holds)
        open_choices = next((c for a, c in zip(need.args[1:], need.choices[1:]) if a is None and c), ())
        return self.input_fact(atom, holds=need.holds, choices=open_choices)


# =========================================================================== text


class _Tree:
    """Shared traversal for text and Markdown: atoms once, later as a reference."""

    def __init__(self, phrases: Phrases, system: str):
        self.p, self.system = phrases, system
        self.done: set = set()  # keys of the atoms explained so far
        #: compact: the derivation of an excluding condition (no absences; basic concepts not expanded)
        self.compact = False

    def expand(self, atom: clingo.Symbol) -> bool:
        if not self.compact:
            return True
        name = self.p.explainer.model.name(atom)
        return name not in self.p.kb.preconditions and name not in _BASIC


def _sources_text(phrases: Phrases, step: Step) -> str:
    """``Art. 6(3), last subparagraph; recital 53 — Classification rules for high-risk AI systems``:
    the sources of the rule and the titles of the articles and annexes they cite (links: the list of
    sources at the end)."""
    citations = phrases.cite(step.rule.sources)
    titles = list(dict.fromkeys(t for t in (c.title_in(phrases.lang) for c in citations) if t))
    text = phrases.shown(step.rule.sources) or "—"
    return f"{text} — {' · '.join(titles)}" if titles else text


def _place(step: Step) -> str:
    return f"kb/{step.rule.file}:{step.rule.line}"


def text_explanation(explanation: Explanation, phrases: Phrases, header: bool = True,
                     max_routes: int | None = MAX_ROUTES) -> list[str]:
    """One system's explanation as text lines (``max_routes`` routes per why-not, ``None``: all)."""
    w = phrases.words
    out: list[str] = []
    result = explanation.result
    if header and result is not None:
        name = result.description.name
        out.append(f"{result.id}{' — ' + name if name else ''}  ({w['assessed']} {result.as_of.isoformat()})")
    tree = _Tree(phrases, explanation.system)
    if not explanation.roots and not explanation.why_not:
        out.append(f"  {w['no_conclusions']}")
    for atom in explanation.roots:
        out.append("")
        status = phrases.explainer.model.holds(atom)
        mark = "" if status == "certain" else f"  [{w['undetermined']}]"
        if _symbol_key(atom) in tree.done:
            out.append(f"{w['why']}: {phrases.statement(atom)}.  ({w['see_above']})")
            continue
        out.append(f"{w['why']}: {phrases.statement(atom)}.{mark}")
        out += _text_atom_body(atom, tree, "  ")
    for why_not in explanation.why_not:
        out.append("")
        out += text_why_not(why_not, phrases, result.unknown_keys if result else [], max_routes)
    return out


def _text_atom_body(atom: clingo.Symbol, tree: _Tree, pad: str) -> list[str]:
    """The steps under an atom already printed: ``by <sources> [place]`` and the children."""
    p, w = tree.p, tree.p.words
    tree.done.add(_symbol_key(atom))
    out: list[str] = []
    steps = p.explainer.steps(atom)
    for number, step in enumerate(steps):
        label = w["by"] if number == 0 else w["also_by"]
        mark = "" if step.certain else f" [{w['undetermined']}]"
        out.append(f"{pad}{label} {_sources_text(p, step)}  [{_place(step)}]{mark}")
        children: list[tuple[str, object]] = [("used", a) for a in step.used if p.explainer.model.name(a) not in _HIDDEN] + \
            ([("absent", a) for a in step.absent] if not tree.compact else [])
        for index, (kind, child) in enumerate(children):
            last = index == len(children) - 1
            branch, cont = ("└─ ", "   ") if last else ("├─ ", "│  ")
            if kind == "used":
                out += _text_child(child, tree, pad + branch, pad + cont)
            else:
                out += _text_absent(child, tree, pad + branch, pad + cont)
    return out


def _text_child(atom: clingo.Symbol, tree: _Tree, first: str, rest: str) -> list[str]:
    p, w = tree.p, tree.p.words
    kind = p.explainer.atom_kind(atom)
    status = p.explainer.model.holds(atom)
    mark = "" if status == "certain" else f"  [{w['undetermined']}]"
    if kind == KIND_INPUT:
        key_source = p.fact_source(p.explainer.model.name(atom), p.explainer.model.args(atom))
        flags = _fact_flags(p, atom, tree.system)
        return [f"{first}{w['fact']}: {p.input_fact(atom)}" + (f"  [{p.shown(key_source)}]" if key_source else "") + flags + mark]
    if kind == KIND_GIVEN:
        return [f"{first}{w['fact']}: {p.statement(atom)}{mark}"]
    steps = p.explainer.steps(atom)
    if kind == KIND_DATA or (steps and all(not s.used and not s.absent for s in steps)):
        sources = p.shown(dict.fromkeys(src for s in steps for src in s.rule.sources))
        place = f"  [{_place(steps[0])}]" if steps else ""
        return [f"{first}{w['law']}: {p.statement(atom)}" + (f" — {sources}" if sources else "") + place]
    if _symbol_key(atom) in tree.done:
        return [f"{first}{p.statement(atom)}  ({w['see_above']})"]
    if not tree.expand(atom):
        return [f"{first}{p.statement(atom)}{mark}"]
    return [f"{first}{p.statement(atom)}{mark}"] + _text_atom_body(atom, tree, rest)


def _fact_flags(p: Phrases, atom: clingo.Symbol, system: str, absent: bool = False) -> str:
    """``(unknown)`` / ``(default)`` after an input fact; for a fact whose absence a rule relied on
    (``absent``) also ``(not stated, so false)`` when the description leaves the key out."""
    key = p.key_of(p.explainer.model.name(atom))
    result = p.explainer.results.get(system)
    flags = []
    if result is not None and key is not None:
        if key in result.unknown_keys:
            flags.append(p.words["unknown"])
        if any(k == key for k, _ in result.defaults):
            flags.append(p.words["default"])
        if absent and not flags:
            flag = p.absent_flag(atom, system)
            if flag:
                flags.append(flag)
    return f"  ({', '.join(flags)})" if flags else ""


def _text_absent(atom: clingo.Symbol, tree: _Tree, first: str, rest: str) -> list[str]:
    p = tree.p
    kind = p.explainer.atom_kind(atom)
    line = f"{first}{p.statement(atom, negated=True) if kind != KIND_INPUT else p.input_fact(atom, holds=False)}"
    if kind == KIND_INPUT:
        source = p.fact_source(p.explainer.model.name(atom), p.explainer.model.args(atom))
        return [line + (f"  [{p.shown(source)}]" if source else "") + _fact_flags(p, atom, tree.system, absent=True)]
    if kind == KIND_GIVEN:
        return [line]
    reason = p.explainer.absent_reason(tree.system, atom)
    return [line] + [rest + "   " + text for text in _absent_reason_lines(reason, p, tree.system)]


def _absent_reason_lines(reason: WhyNot, p: Phrases, system: str, limit: int = 4) -> list[str]:
    """A ``not x`` condition: for each rule that could derive ``x``, the conditions that fail (one
    line each); alike rules (every Annex III point) as one line in general terms."""
    w = p.words
    if reason.status == "undetermined":
        return [f"({w['undetermined']})"]
    if not reason.system_atom:
        return [f"({w['no_entry']})"]
    if reason.kind == "none" or (not reason.routes and not reason.depth_limited):
        return [f"({w['no_rule_applies']})"]
    if reason.depth_limited and not reason.routes:
        return [f"({w['not_explored']})"]
    routes = p.explainer.general_routes_of(reason, collapse=True)
    out = []
    for route in routes[:limit]:
        conditions = "; ".join(condition_words(c, p, system) for c in route.failed) or "?"
        out.append(f"· {p.shown(route.rule.sources[:2])} [kb/{route.rule.file}:{route.rule.line}]: {conditions}")
    if len(routes) > limit:
        out.append(_plural(w["more_rules_why_not"], len(routes) - limit, name=reason.name))
    return out


def _comparison_text(condition: Condition, p: Phrases) -> str:
    """``gpai.training_compute_flops (9.5e24) > 1e25 does not hold``."""
    date = any(b and b[0] in _DATE_PREDICATES for b in condition.value_atoms)
    sides = []
    for value, binder in zip(condition.values, condition.value_atoms):
        shown = p.value(value, date=date)
        name = binder[0] if binder else None
        if name == "as_of":
            shown = f"{p.words['assessment_date']} ({shown})"
        elif name and p.key_of(name):
            shown = f"{p.key_of(name)} ({shown})"
        sides.append(shown)
    return p.words["cmp_fail"].format(left=sides[0], op=condition.name, right=sides[1])


def _because(atom: clingo.Symbol, p: Phrases, limit: int = 6) -> tuple[clingo.Symbol, list]:
    """The most specific legal concept an atom rests on through single steps (e.g. "an exception of
    Art. 50(1) applies" -> "... obvious to a reasonably well-informed person"), and the input facts
    of its derivation."""
    explainer = p.explainer
    current = atom
    for _ in range(limit):
        steps = explainer.steps(current)
        if len(steps) != 1:
            break
        below = [u for u in steps[0].used if explainer.atom_kind(u) in (KIND_CONCEPT, KIND_CONCLUSION)
                 and explainer.model.name(u) not in p.kb.preconditions and explainer.model.name(u) not in BASIC_CONCEPTS]
        if len(below) != 1:
            break
        current = below[0]
    steps = explainer.steps(current)
    return current, (explainer.input_leaves(steps[0], limit=4) if steps else [])


def condition_words(condition: Condition, p: Phrases, system: str) -> str:
    """A failed condition in one phrase: what is missing, or what holds and excludes it."""
    w = p.words
    unknown = f" [{w['unknown']}]" if condition.unknown else ""
    if condition.kind == "comparison":
        return _comparison_text(condition, p) + _alike_text(condition, p)
    own = condition.system_bound
    if condition.kind == "present" and condition.atom is not None:
        atom = condition.atom
        kind = p.explainer.atom_kind(atom)
        if kind in (KIND_INPUT, KIND_GIVEN):
            return f"{w['but']} {p.statement(atom)}{unknown}" + _alike_text(condition, p)
        deepest, leaves = _because(atom, p)
        sources = list(dict.fromkeys(src for step in p.explainer.steps(deepest) for src in step.rule.sources))
        facts = f" ({'; '.join(p.input_fact(leaf) for leaf in leaves)})" if leaves else ""
        return f"{w['but']} {p.statement(deepest)}{facts}" + (f" [{p.shown(sources[:3])}]" if sources else "") + unknown \
            + _alike_text(condition, p)
    kind = p.explainer.kind(condition.name, own)
    atom = p.atom(condition.name, condition.args)
    if kind == KIND_INPUT:
        return f"{p.input_fact(atom, choices=_open_choices(condition))} — {p.input_status(atom, system)}{unknown}"
    if kind == KIND_GIVEN:
        return f"{p.statement(atom, negated=True)}{unknown}"
    values = [p.label(v) for v in _open_choices(condition)]
    each = f" ({w['for_each'].format(values='; '.join(values))})" if 1 < len(values) <= MAX_FOR_EACH else ""
    return p.pattern_statement(condition.name, condition.args[1:] if own else condition.args, system if own else None,
                               negated=True) + each + unknown


def _requirement_text(alternatives: tuple[Need, ...], p: Phrases) -> str:
    texts = list(dict.fromkeys(p.need(n) + (f" ({p.words['currently_unknown']})" if n.unknown else "") for n in alternatives))
    if len(texts) == 1:
        return texts[0]
    return f"{p.words['one_of']}: " + " | ".join(texts)


# ----------------------------------------------------------------- why not (text)


def text_why_not(why_not: WhyNot, phrases: Phrases, unknown_keys: list[str], max_routes: int | None = MAX_ROUTES) -> list[str]:
    """A why-not as text lines: the routes by which it could hold, fewest changes first, alike
    routes (one per Annex I act or Annex III point) as one in general terms; ``max_routes`` of them
    (``None``: all) and a line saying how many more there are."""
    p, w = phrases, phrases.words
    pattern = why_not.pattern
    label = p.label(p.atom(why_not.name, ()))  # e.g. prohibited: "prohibited AI practice" / "verboden AI"
    out = [f"{w['why_not']}: {pattern}" + (f" ({label})" if label != why_not.name else "")]
    if label != why_not.name and pattern == why_not.name:  # the sentences below name it in words
        pattern = f"“{label}”"
    if why_not.status == "holds":
        out.append("  " + w["holds_already"].format(pattern=pattern, system=why_not.system))
        return out
    if why_not.status == "undetermined":
        out.append("  " + w["holds_some"].format(pattern=pattern, system=why_not.system, keys=", ".join(unknown_keys) or "?"))
    else:
        out.append("  " + w["absent"].format(pattern=pattern, system=why_not.system))
    if why_not.kind in (KIND_INPUT, KIND_GIVEN):
        need = Need(why_not.name, (clingo.String(why_not.system),) + tuple(why_not.args), True)
        out.append("  " + w["input_only"].format(pattern=pattern, need=p.need(need)))
        return out
    if not why_not.routes:
        out.append("  " + w["no_route"])
        return out
    out.append("  " + w["routes"])
    routes = p.explainer.general_routes_of(why_not, collapse=True)
    shown = routes if max_routes is None else routes[:max_routes]
    for number, route in enumerate(shown, start=1):
        out += _text_route(route, p, why_not.system, number, "  ", everything=max_routes is None)
    if len(routes) > len(shown):
        out.append("  " + _plural(w["further_routes"], len(routes) - len(shown)))
    return out


def _text_route(route: Route, p: Phrases, system: str, number: int, pad: str, everything: bool = False) -> list[str]:
    w = p.words
    head = _route_head(route, p, system)
    out = [f"{pad}{number}. {p.shown(route.rule.sources)}  [kb/{route.rule.file}:{route.rule.line}]"]
    for above in route.via[::-1]:
        out.append(f"{pad}   {w['via']} {p.shown(above.sources[:2])}  [kb/{above.file}:{above.line}]")
    out.append(f"{pad}   → {w['would_conclude']}: {head}")  # what the route gives, not what holds
    seen: set[str] = set()  # legal concepts explained in this route (a later one refers back)
    for condition in route.failed:
        out += _text_condition(condition, p, system, pad + "   ", 0, seen=seen, everything=everything)
    needs = requirements(route, p.explainer)
    if needs:
        out.append(f"{pad}   {w['would_need']}: " + "; ".join(_requirement_text(n, p) + _need_source(n, p) for n in needs))
    return out


def _open_choices(condition: Condition) -> tuple:
    """The values an open argument of a condition may take (after the system), or ``()``."""
    choices = condition.choices[1:] if condition.system_bound else condition.choices
    args = condition.args[1:] if condition.system_bound else condition.args
    return next((c for a, c in zip(args, choices) if a is None and c), ())


def _alike_text(condition: Condition, p: Phrases) -> str:
    """`` (likewise for: 4(b); 5(a))``: the values in which the alike conditions of the routes a
    general route stands for differ from the one shown (for a condition shown as found)."""
    if not condition.alike:
        return ""
    first = condition.atom.arguments if condition.atom is not None else condition.values
    others = []
    for other in condition.alike:
        theirs = other.atom.arguments if other.atom is not None else other.values
        values = [p.label(v) if not condition.values else p.value(v) for v, f in zip(theirs, first) if v != f]
        if values:
            others.append(", ".join(values))
    unique = list(dict.fromkeys(others))
    if not unique:
        return ""
    shown = "; ".join(unique[:MAX_CHOICES])
    if len(unique) > MAX_CHOICES:
        shown += "; " + p.words["and_more"].format(n=len(unique) - MAX_CHOICES)
    return f" ({p.words['likewise']}: {shown})"


def _need_source(alternatives: tuple[Need, ...], p: Phrases) -> str:
    sources = list(dict.fromkeys(p.fact_source(n.name, n.args) for n in alternatives if n.input))
    sources = [s for s in sources if s]
    if not sources:
        return ""
    return f" [{p.shown(sources, ' | ')}]"


def _route_head(route: Route, p: Phrases, system: str) -> str:
    values = route.head
    if values and all(v is not None for v in values):
        return p.statement(p.atom(route.rule.head, values))
    owner = values[0] if values else None
    return p.pattern_statement(route.rule.head, tuple(values[1:]) if owner is not None else tuple(values), system)


def _text_condition(condition: Condition, p: Phrases, system: str, pad: str, depth: int, max_routes: int = MAX_BELOW,
                    seen: set | None = None, everything: bool = False) -> list[str]:
    """A failed condition (``✗ ...``) and, for a legal concept, the rules below it; a concept
    already explained in this route refers back (``seen``)."""
    w = p.words
    unknown = f"  [{w['unknown']}]" if condition.unknown else ""
    if condition.kind == "comparison":
        return [f"{pad}✗ {_comparison_text(condition, p)}  ({condition.literal}){_alike_text(condition, p)}"]
    if condition.kind == "present":
        atom = condition.atom
        kind = p.explainer.atom_kind(atom)
        out = [f"{pad}✗ {p.statement(atom)} — {w['excludes']}{unknown}{_alike_text(condition, p)}"]
        if kind in (KIND_INPUT, KIND_GIVEN):
            return out
        tree = _Tree(p, system)
        tree.compact = True
        out += _text_atom_body(atom, tree, pad + "    ")
        return out
    # missing
    own = condition.system_bound
    atom_text = p.pattern_statement(condition.name, condition.args[1:] if own else condition.args, system if own else None)
    kind = p.explainer.kind(condition.name, own)
    if kind == KIND_INPUT:
        atom = p.atom(condition.name, condition.args)
        return [f"{pad}✗ {w['fact']}: {p.input_fact(atom, choices=_open_choices(condition))} — {p.input_status(atom, system)}{unknown}"]
    below = condition.below
    out = [f"{pad}✗ {atom_text} — {w['fails']}{unknown}"]
    if below is None or depth >= 4:
        return out
    if seen is not None and below.routes:
        if atom_text in seen:
            return [f"{pad}✗ {atom_text} — {w['fails']} ({w['see_above']}){unknown}"]
        seen.add(atom_text)
    if below.depth_limited and not below.routes:
        out.append(f"{pad}    ({w['not_explored']})")
        return out
    routes = p.explainer.general_routes_of(below)
    shown = routes if everything else routes[:max_routes]
    for route in shown:
        out.append(f"{pad}    · {p.shown(route.rule.sources[:3])}  [kb/{route.rule.file}:{route.rule.line}]")
        for sub in route.failed:
            out += _text_condition(sub, p, system, pad + "      ", depth + 1, max_routes=2, seen=seen, everything=everything)
    if len(routes) > len(shown):
        out.append(f"{pad}    ({_plural(w['more_rules'], len(routes) - len(shown))})")
    return out


def sources_lines(phrases: Phrases, markdown: bool = False) -> list[str]:
    """The legal sources cited, grouped by article or annex, with title and EUR-Lex link."""
    w = phrases.words
    groups: dict[tuple, list[str]] = {}
    for text in phrases.cited:
        citation = phrases.sources.cite(text)
        url = citation.url_in(phrases.lang)
        title = citation.title_in(phrases.lang)
        key = (url.split("#")[-1] if url and citation.title else url or text, title, url if citation.title else url)
        groups.setdefault(key, []).append(text)
    if not groups:
        return []
    out = [f"{'## ' if markdown else ''}{w['sources']}" + ("" if markdown else ":")]
    if markdown:
        out.append("")
    for (anchor, title, url), texts in sorted(groups.items(), key=lambda kv: _source_order(kv[1][0])):
        cited = phrases.shown(texts)
        if markdown:
            shown = f"[{cited}]({url})" if url else cited
            out.append(f"- {shown}" + (f" — *{title}*" if title else ""))
        else:
            out.append(f"  {cited}" + (f" — {title}" if title else "") + (f" <{url}>" if url else ""))
    return out


def _source_order(text: str) -> tuple:
    import re

    match = re.match(r"^Art\.\s*(\d+)", text)
    if match:
        return (0, int(match.group(1)), text)
    if text.startswith("Annex"):
        return (1, 0, text)
    if text.lower().startswith("recital"):
        number = re.findall(r"\d+", text)
        return (2, int(number[0]) if number else 0, text)
    if text.startswith("Reg."):
        return (3, 0, text)
    return (4, 0, text)


@without_gc
def render_text(run_explanation: RunExplanation, lang: str = "en", all_routes: bool = False) -> str:
    """The explanations as text; a why-not shows its best routes (``all_routes``: every one)."""
    phrases = Phrases(run_explanation.explainer, lang)
    out: list[str] = []
    for explanation in run_explanation.systems:
        out += text_explanation(explanation, phrases, max_routes=None if all_routes else MAX_ROUTES)
        out.append("")
    out += sources_lines(phrases)
    return "\n".join(out).rstrip() + "\n"


# =========================================================================== Markdown


@without_gc
def render_markdown(run_explanation: RunExplanation, lang: str = "en", all_routes: bool = False) -> str:
    """The explanations as Markdown for a memo (why-nots as text blocks, see :func:`render_text`)."""
    phrases = Phrases(run_explanation.explainer, lang)
    w = phrases.words
    out: list[str] = []
    for explanation in run_explanation.systems:
        result = explanation.result
        title = explanation.system
        if result is not None and result.description.name:
            title += f" — {result.description.name}"
        out.append(f"## {title}")
        out.append("")
        if result is not None:
            out.append(f"*{w['assessed']} {result.as_of.isoformat()}*")
            out.append("")
        tree = _Tree(phrases, explanation.system)
        for atom in explanation.roots:
            status = phrases.explainer.model.holds(atom)
            mark = "" if status == "certain" else f" *({w['undetermined']})*"
            if _symbol_key(atom) in tree.done:
                out.append(f"**{w['why']}:** {phrases.statement(atom)}. *({w['see_above']})*")
                out.append("")
                continue
            out.append(f"**{w['why']}:** {phrases.statement(atom)}.{mark}")
            out.append("")
            out += _md_body(atom, tree, 0)
            out.append("")
        for why_not in explanation.why_not:
            out += [f"**{w['why_not']}:** `{why_not.pattern}`", ""]
            lines = text_why_not(why_not, phrases, result.unknown_keys if result else [],
                                 None if all_routes else MAX_ROUTES)[1:]
            out += ["```text"] + lines + ["```", ""]
    out += sources_lines(phrases, markdown=True)
    return "\n".join(out).rstrip() + "\n"


def _md_link(phrases: Phrases, sources) -> str:
    parts = []
    for citation in phrases.cite(sources):
        url = citation.url_in(phrases.lang)
        title = citation.title_in(phrases.lang)
        if url:
            parts.append(f"[{phrases.shown(citation.text)}]({url}" + (f' "{_md_escape(title)}"' if title else "") + ")")
        else:
            parts.append(phrases.shown(citation.text))
    return "; ".join(parts) or "—"


def _md_escape(text: str) -> str:
    return text.replace('"', "'")


def _md_body(atom: clingo.Symbol, tree: _Tree, level: int) -> list[str]:
    p, w = tree.p, tree.p.words
    tree.done.add(_symbol_key(atom))
    pad = "  " * level
    out: list[str] = []
    for number, step in enumerate(p.explainer.steps(atom)):
        label = w["by"] if number == 0 else w["also_by"]
        mark = "" if step.certain else f" *({w['undetermined']})*"
        out.append(f"{pad}- *{label}* {_md_link(p, step.rule.sources)} — `{_place(step)}`{mark}")
        for child in step.used:
            if p.explainer.model.name(child) not in _HIDDEN:
                out += _md_child(child, tree, level + 1)
        for child in step.absent:
            out += _md_absent(child, tree, level + 1)
    return out


def _md_child(atom: clingo.Symbol, tree: _Tree, level: int) -> list[str]:
    p, w = tree.p, tree.p.words
    pad = "  " * level
    kind = p.explainer.atom_kind(atom)
    if kind == KIND_INPUT:
        source = p.fact_source(atom.name, tuple(atom.arguments))
        question = p.question(atom)
        line = f"{pad}- {w['fact']}: `{p.input_fact(atom)}`"
        if question:
            line += f" — {question}"
        if source:
            line += f" ({_md_link(p, [s.strip() for s in source.split(';')])})"
        return [line + _fact_flags(p, atom, tree.system)]
    if kind == KIND_GIVEN:
        return [f"{pad}- {w['fact']}: {p.statement(atom)}"]
    steps = p.explainer.steps(atom)
    if kind == KIND_DATA or (steps and all(not s.used and not s.absent for s in steps)):
        sources = list(dict.fromkeys(src for s in steps for src in s.rule.sources))
        return [f"{pad}- {w['law']}: {p.statement(atom)} ({_md_link(p, sources)})"]
    if _symbol_key(atom) in tree.done:
        return [f"{pad}- {p.statement(atom)} *({w['see_above']})*"]
    return [f"{pad}- {p.statement(atom)}"] + _md_body(atom, tree, level + 1)


def _md_absent(atom: clingo.Symbol, tree: _Tree, level: int) -> list[str]:
    p = tree.p
    pad = "  " * level
    kind = p.explainer.atom_kind(atom)
    if kind == KIND_INPUT:
        return [f"{pad}- `{p.input_fact(atom, holds=False)}`" + _fact_flags(p, atom, tree.system, absent=True)]
    if kind == KIND_GIVEN:
        return [f"{pad}- {p.statement(atom, negated=True)}"]
    out = [f"{pad}- {p.statement(atom, negated=True)}"]
    reason = p.explainer.absent_reason(tree.system, atom)
    out += [f"{pad}  - {line.removeprefix('· ')}" for line in _absent_reason_lines(reason, p, tree.system)]
    return out


# =========================================================================== JSON


@without_gc
def render_json(run_explanation: RunExplanation, lang: str = "en", all_routes: bool = False) -> dict:
    """The explanations as JSON (docs/explanations.md); ``all_routes``: every route of a why-not."""
    phrases = Phrases(run_explanation.explainer, lang)
    systems = [explanation_json(e, phrases, None if all_routes else MAX_ROUTES) for e in run_explanation.systems]
    return {"language": lang, "systems": systems,
            "sources": [_citation_json(phrases.sources.cite(t), lang) for t in phrases.cited]}


def explanation_json(explanation: Explanation, phrases: Phrases, max_routes: int | None = MAX_ROUTES) -> dict:
    """One system: ``roots`` (conclusion node ids), ``nodes`` and ``edges`` of the derivation
    graph (atoms, rule steps, absences), and ``why_not``."""
    nodes: dict[str, dict] = {}
    edges: list[dict] = []
    system = explanation.system
    for atom in explanation.roots:
        _json_atom(atom, phrases, system, nodes, edges)
    out = {
        "system": system,
        "roots": [phrases.explainer.model.text(a) for a in explanation.roots],
        "nodes": list(nodes.values()),
        "edges": edges,
        "why_not": [why_not_json(w, phrases, max_routes=max_routes) for w in explanation.why_not],
    }
    return out


def _json_atom(atom: clingo.Symbol, p: Phrases, system: str, nodes: dict, edges: list) -> str:
    model = p.explainer.model
    ident = model.text(atom)
    if ident in nodes:
        return ident
    kind = p.explainer.atom_kind(atom)
    owner = model.owner(atom)
    args = model.args(atom)
    node = {"id": ident, "type": "atom", "kind": kind, "predicate": model.name(atom),
            "arguments": [p.plain(a) for a in (args[1:] if owner else args)],
            "status": p.explainer.model.holds(atom) or "absent", "statement": p.statement(atom)}
    nodes[ident] = node
    if kind == KIND_INPUT:
        entry = p.vocabulary.by_predicate[model.name(atom)]
        result = p.explainer.results.get(system)
        node.update({"key": entry.key, "value": _json_value(args, entry, p),
                     "question": (entry.question or {}).get(p.lang),
                     "source": p.fact_source(model.name(atom), args),
                     "unknown": bool(result and entry.key in result.unknown_keys),
                     "default": bool(result and any(k == entry.key for k, _ in result.defaults))})
        return ident
    if kind == KIND_GIVEN:
        return ident
    for position, step in enumerate(p.explainer.steps(atom)):
        # stable: the rule, the atom derived and the place of the step among the atom's steps (whose
        # order is fixed: certain first, by rule, by the atoms used)
        digest = hashlib.sha1(f"{ident}#{position}".encode()).hexdigest()[:10]
        step_id = f"step:{step.rule.id}:{digest}"
        edges.append({"from": ident, "to": step_id, "relation": "derived_by"})
        if step_id in nodes:
            continue
        nodes[step_id] = {"id": step_id, "type": "step", "rule": step.rule.id, "file": f"kb/{step.rule.file}",
                          "line": step.rule.line, "head": step.rule.head,
                          "sources": p.sources_json(step.rule.sources),
                          "interpretation": step.rule.interpretation,
                          "status": "certain" if step.certain else "undetermined"}
        for used in step.used:
            edges.append({"from": step_id, "to": _json_atom(used, p, system, nodes, edges), "relation": "uses"})
        for absent in step.absent:
            edges.append({"from": step_id, "to": _json_absent(absent, p, system, nodes), "relation": "requires_absence"})
    return ident


def _json_value(arguments, entry, p: Phrases) -> object:
    args = arguments[1:]
    if not args:
        return True
    value = args[0]
    if entry.type == "date" and value.type == clingo.SymbolType.Number:
        return _date(value.number)
    if entry.type in ("number", "integer") and value.type == clingo.SymbolType.Function:
        return _number(value)
    return p.plain(value)


def _json_absent(atom: clingo.Symbol, p: Phrases, system: str, nodes: dict) -> str:
    model = p.explainer.model
    text = model.text(atom)
    ident = f"not {text}"
    if ident in nodes:
        return ident
    kind = p.explainer.atom_kind(atom)
    name = model.name(atom)
    node = {"id": ident, "type": "absence", "kind": kind, "predicate": name, "atom": text,
            "statement": p.statement(atom, negated=True) if kind != KIND_INPUT else p.input_fact(atom, holds=False)}
    if kind == KIND_INPUT:
        entry = p.vocabulary.by_predicate[name]
        node.update({"key": entry.key, "source": p.fact_source(name, model.args(atom))})
    elif kind != KIND_GIVEN:
        node["reason"] = absent_reason_json(p.explainer.absent_reason(system, atom), p, system)
    nodes[ident] = node
    return ident


def absent_reason_json(reason: WhyNot, p: Phrases, system: str, limit: int = 4) -> dict:
    """Why the atom of a ``not`` condition does not hold, as in the text: per rule that could derive
    it (legal concepts that fail on their own replaced by their rules, alike rules as one), the
    conditions that fail."""
    out = {"status": reason.status, "kind": reason.kind, "routes": [], "more_routes": 0}
    if not reason.system_atom:
        out["kind"] = "data"
        return out
    routes = p.explainer.general_routes_of(reason, collapse=True)
    for route in routes[:limit]:
        out["routes"].append({
            "rule": route.rule.id, "file": f"kb/{route.rule.file}", "line": route.rule.line,
            "sources": p.sources_json(route.rule.sources),
            "via": [r.id for r in route.via],
            "failed": [{"kind": c.kind, "condition": c.literal, "unknown": c.unknown,
                        "statement": condition_words(c, p, system)} for c in route.failed],
            "alike": route.members,
        })
    out["more_routes"] = max(0, len(routes) - limit)
    out["depth_limited"] = reason.depth_limited
    return out


def why_not_json(why_not: WhyNot, p: Phrases, max_depth: int = 6, max_routes: int | None = MAX_ROUTES,
                 top: bool = True) -> dict:
    """A why-not as JSON, with the routes of the text (``max_routes`` of them, ``None``: all)."""
    out = {"pattern": why_not.pattern, "predicate": why_not.name, "arguments": [None if a is None else p.plain(a) for a in why_not.args],
           "status": why_not.status, "kind": why_not.kind, "holding": [p.explainer.model.text(a) for a in why_not.holding],
           "depth_limited": why_not.depth_limited, "routes": []}
    if max_depth <= 0:
        out["depth_limited"] = True
        return out
    routes = p.explainer.general_routes_of(why_not, collapse=top)
    shown = routes if max_routes is None else routes[:max_routes]
    below = None if max_routes is None else MAX_BELOW
    for route in shown:
        out["routes"].append(_route_json(route, p, why_not.system, max_depth, below))
    if len(routes) > len(shown):
        out["more_routes"] = len(routes) - len(shown)
    return out


def _route_json(route: Route, p: Phrases, system: str, max_depth: int, max_routes: int | None) -> dict:
    return {
        "rule": route.rule.id, "file": f"kb/{route.rule.file}", "line": route.rule.line,
        "sources": p.sources_json(route.rule.sources),
        "via": [r.id for r in route.via],
        "head": [None if v is None else p.plain(v) for v in route.head[1:]] if route.head else [],
        "statement": _route_head(route, p, system),
        "alike": route.members,
        "failed_conditions": len(route.failed), "cost": route.cost, "unknown": route.unknown,
        "failed": [_condition_json(c, p, system, max_depth, max_routes) for c in route.failed],
        "would_need": [[{"fact": p.need(n), "key": p.key_of(n.name), "holds": n.holds, "input": n.input,
                         "unknown": n.unknown, "source": p.fact_source(n.name, n.args) or None,
                         "one_of": [p.plain(v) for v in next((c for a, c in zip(n.args[1:], n.choices[1:]) if a is None and c), ())]}
                        for n in alternatives] for alternatives in requirements(route, p.explainer)],
    }


def _condition_json(condition: Condition, p: Phrases, system: str, max_depth: int, max_routes: int | None = MAX_BELOW) -> dict:
    out = {"kind": condition.kind, "condition": condition.literal, "unknown": condition.unknown,
           "atom": p.explainer.model.text(condition.atom) if condition.atom is not None else None}
    if condition.kind == "comparison":
        date = any(b and b[0] in _DATE_PREDICATES for b in condition.value_atoms)
        out["values"] = [p.value(v, date=date) for v in condition.values]
        out["operator"] = condition.name
        return out
    own = condition.system_bound
    choices = _open_choices(condition)
    if condition.kind == "missing" and p.explainer.kind(condition.name, own) == KIND_INPUT:
        atom = p.atom(condition.name, condition.args)
        out["statement"] = p.input_fact(atom, choices=choices)
    else:
        out["statement"] = p.pattern_statement(condition.name, condition.args[1:] if own else condition.args,
                                               system if own else None, negated=condition.kind == "present")
    if choices:
        out["one_of"] = [p.plain(v) for v in choices]
    if condition.kind == "present" and condition.atom is not None:
        out["holds"] = p.statement(condition.atom)
        steps = p.explainer.steps(condition.atom)
        out["rests_on"] = [p.input_fact(a) for s in steps[:3] for a in p.explainer.input_leaves(s)]
        out["rules"] = [s.rule.id for s in steps]
        if condition.alike:
            out["likewise_for"] = [p.statement(c.atom) for c in condition.alike if c.atom is not None]
    if condition.below is not None:  # one why-not is below the conditions of several routes: rendered once
        key = (id(condition.below), max_depth, max_routes)
        found = p._why_not_json.get(key)
        if found is None or found[0] is not condition.below:
            found = p._why_not_json[key] = (condition.below, why_not_json(condition.below, p, max_depth - 1,
                                                                          max_routes=max_routes, top=False))
        out["why_not"] = found[1]
    return out


# =========================================================================== for `solve --explain`


@without_gc
def solve_report_lines(run_explanation: RunExplanation, lang: str) -> tuple[dict[str, list[str]], list[str]]:
    """Per system the text lines of its trees (for the solve report), and the sources legend."""
    phrases = Phrases(run_explanation.explainer, lang)
    per_system = {}
    for explanation in run_explanation.systems:
        lines = text_explanation(explanation, phrases, header=False)
        per_system[explanation.system] = ["    " + line if line else "" for line in lines]
    return per_system, sources_lines(phrases)


@without_gc
def solve_report_json(run_explanation: RunExplanation, lang: str) -> dict[str, dict]:
    phrases = Phrases(run_explanation.explainer, lang)
    return {e.system: explanation_json(e, phrases) for e in run_explanation.systems}


__all__ = ["render_text", "render_markdown", "render_json", "solve_report_lines", "solve_report_json", "Phrases",
           "KIND_CONCEPT", "KIND_CONCLUSION"]


def solve_report(run, fmt: str, lang: str, rules: bool, as_of=None, open_world: str | None = None) -> str:
    """The ``solve`` report with the derivation tree of every conclusion under each system
    (``as_of`` and ``open_world`` as given to the solve)."""
    from .explain import explain_run
    from .report import run_json, run_text

    explained = explain_run(run, lang, as_of=as_of, open_world=open_world)
    if fmt == "json":
        data = run_json(run, lang)
        trees = solve_report_json(explained, lang)
        for system in data["systems"]:
            if system["id"] in trees:
                system["explanation"] = trees[system["id"]]
        return jsonout.dumps(data) + "\n"
    per_system, legend = solve_report_lines(explained, lang)
    text = run_text(run, lang, rules, explanations=per_system)
    return text + ("\n" + "\n".join(legend) + "\n" if legend else "")
