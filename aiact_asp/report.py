"""Reports of a run: plain text for reading (English or Dutch) and JSON for other tools.

The wording of conclusions comes from ``kb/conclusions.yaml`` and of input facts from
``kb/vocabulary.yaml``; this module only arranges them. JSON layout: docs/output.md.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections import Counter
from typing import Any, Callable, Iterable, Iterator

import clingo

from . import jsonout
from .api import Run
from .citation_nl import cite, provisions_en, provisions_nl, statement_nl
from .engine import Conclusion, Firing, SystemResult, risk_order
from .kb import KnowledgeBase
from .obligations import load_catalogue, obligations_of, roles_of
from .report_partial import partial_json, partial_text, questions_json
from .symbols import PerSymbol, symbol_key
from .vocabulary import Vocabulary

LANGUAGES = ("en", "nl")

#: Interface words (not legal content); the legal wording lives in kb/.
WORDS = {
    "en": {
        "risk_class": "Risk class", "undetermined": "undetermined", "possible": "possible",
        "conclusions": "Conclusions", "undetermined_note": "undetermined: holds only for some answers to the unknown facts",
        "articles": "rests on", "rule": "rule", "used": "used", "absent": "and not",
        "findings": "Findings", "defaults": "Defaults applied (absent keys)", "unknown": "Unknown facts",
        "summary": "Summary", "systems": "systems", "system": "system", "not_read": "not classified: {what} with problems in the input ({n} problems; see the error messages)",
        "not_read_1": "not classified: {what} with a problem in the input (see the error message)",
        "file": "file", "files": "files", "folder": "folder", "folders": "folders", "path": "path", "paths": "paths", "description": "description", "descriptions": "descriptions", "and": "and",
        "assessed": "assessed on",
        "errors": "Input that could not be read", "firing_possible": "only for some answers to the unknown facts",
        "prohibited_note": "(The prohibition of Article 5 governs: the other conclusions and duties below are listed for completeness, as they would apply to the system as described.)",
        "none": "no conclusions", "roles": "Role of the organisation", "obligations": "Obligations",
        "now": "applies now", "from": "from",
    },
    "nl": {
        "risk_class": "Risicoklasse", "undetermined": "onbepaald", "possible": "mogelijk",
        "conclusions": "Conclusies", "undetermined_note": "onbepaald: geldt alleen bij sommige antwoorden op de onbekende feiten",
        "articles": "grondslag", "rule": "regel", "used": "op basis van", "absent": "en niet",
        "findings": "Bevindingen", "defaults": "Standaardwaarden toegepast (ontbrekende sleutels)", "unknown": "Onbekende feiten",
        "summary": "Samenvatting", "systems": "systemen", "system": "systeem", "not_read": "niet ingedeeld: {what} met problemen in de invoer ({n} problemen; zie de foutmeldingen)",
        "not_read_1": "niet ingedeeld: {what} met een probleem in de invoer (zie de foutmelding)",
        "file": "bestand", "files": "bestanden", "folder": "map", "folders": "mappen", "path": "pad", "paths": "paden", "description": "beschrijving", "descriptions": "beschrijvingen", "and": "en",
        "assessed": "beoordeeld per",
        "errors": "Invoer die niet gelezen kon worden", "firing_possible": "alleen bij sommige antwoorden op de onbekende feiten",
        "prohibited_note": "(Het verbod van artikel 5 gaat voor: de andere conclusies en verplichtingen hieronder staan er volledigheidshalve bij, zoals ze voor het beschreven systeem zouden gelden.)",
        "none": "geen conclusies", "roles": "Rol van de organisatie", "obligations": "Verplichtingen",
        "now": "geldt nu", "from": "vanaf",
    },
}

#: ``present(S, key)``: the description states the key.
PRESENT = {"en": "is stated in the description", "nl": "staat in de beschrijving"}

#: Conclusions shown as the roles-and-obligations checklist rather than in the list of conclusions.
CHECKLIST = {"risk_class", "role", "obligation", "obligation_applies_from"}

_ARTICLE_PREFIX = re.compile(r"^(Art\.|Article|Artikel)\s+", re.I)


def article_of(source: str) -> str:
    """``"Art. 5(1)(c)"`` -> ``"5(1)(c)"``; other citations (``"Annex III 4(a)"``, ``"recital 12"``) unchanged."""
    return _ARTICLE_PREFIX.sub("", source.strip())


def _plain(symbol: clingo.Symbol) -> str:
    if symbol.type == clingo.SymbolType.String:
        return symbol.string
    return str(symbol)


def _format_date(value: int) -> str:
    return f"{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}"


class Wording:
    """Turns atoms into sentences, using the catalogue of conclusions and the vocabulary."""

    def __init__(self, kb: KnowledgeBase, vocabulary: Vocabulary, lang: str):
        self.kb, self.vocabulary, self.lang = kb, vocabulary, lang
        self._facts: dict[Any, str] = {}  # the same input facts are used by many rule instances
        self._words: dict[tuple, str] = {}
        self._articles: dict[tuple, list[str]] = {}
        self._statement_fields: dict[tuple, dict[str, str]] = {}
        self._plains = PerSymbol(_plain)

    def label(self, constant: str) -> str:
        return self.kb.labels.get(constant, {}).get(self.lang, constant)

    def cite(self, sources: str | Any) -> str:
        """Legal sources (one ``;``-separated string or a list of citations) as the reader of this
        language expects them: ``Art. 6(3), last subparagraph`` in English, ``art. 6, lid 3,
        laatste alinea`` in Dutch (:mod:`aiact_asp.citation_nl`)."""
        text = sources if isinstance(sources, str) else "; ".join(sources)
        return cite(text, self.lang)

    def provisions(self, articles: Any) -> str:
        """Provisions written as in the law without "Art." (``kb/obligations.yaml``: ``"26(7)"``):
        ``Art. 26(7)`` in English (``Art. 26(1), (2) and (3)`` for several), ``art. 26, lid 7`` in
        Dutch (``art. 26, leden 1, 2 en 3``)."""
        return provisions_nl(articles) if self.lang == "nl" else provisions_en(articles)

    def statement(self, conclusion: Conclusion, system: str) -> str:
        spec = self.kb.conclusions.get(conclusion.name)
        if spec is None:
            return conclusion.label
        fields = {"system": system, **self._fields(spec, conclusion.arguments)}
        template = spec.template.get(self.lang) or spec.template.get("en") or conclusion.label
        try:
            text = template.format(**fields)
        except (KeyError, IndexError):
            return conclusion.label
        return statement_nl(text) if self.lang == "nl" else text

    def _fields(self, spec: Any, arguments: tuple[clingo.Symbol, ...]) -> dict[str, str]:
        """The template fields of a conclusion's arguments (alike in every system: kept)."""
        key = (spec.name, tuple([symbol_key(a) for a in arguments]))
        fields = self._statement_fields.get(key)
        if fields is None:
            fields = self._statement_fields[key] = {}
            for name, value in zip(spec.args, arguments):
                if value.type == clingo.SymbolType.Number and spec.arg_types.get(name, name) == "date":
                    text = _format_date(value.number)
                else:
                    text = _plain(value)
                fields[name] = text
                fields[f"{name}_label"] = self.label(text) if value.type == clingo.SymbolType.Function else text
        return fields

    def plain(self, symbol: clingo.Symbol) -> str:
        """A conclusion's argument as text: a string without its quotes (kept per symbol)."""
        return self._plains(symbol)

    def fact(self, atom: clingo.Symbol) -> str:
        """An atom used by a rule, in words: ``annex_iii.use_cases = creditworthiness``."""
        key = symbol_key(atom)
        found = self._facts.get(key)
        if found is None:
            name, args = atom.name, atom.arguments
            # the words leave out the first argument (the system), so systems share them
            words_key = (name, len(args), tuple([symbol_key(a) for a in args[1:]]))
            found = self._words.get(words_key)
            if found is None:
                found = self._words[words_key] = self._fact(name, args)
            self._facts[key] = found
        return found

    def _fact(self, name: str, arguments: list[clingo.Symbol]) -> str:
        if name == "present" and len(arguments) == 2 and arguments[1].type == clingo.SymbolType.String:
            return f"{arguments[1].string} {PRESENT[self.lang]}"  # the key is stated (in the description)
        entry = self.vocabulary.by_predicate.get(name)
        args = arguments[1:]
        if entry is not None:
            if not args:
                return f"{entry.key} = true"
            value = args[0]
            if entry.type == "date" and value.type == clingo.SymbolType.Number:
                return f"{entry.key} = {_format_date(value.number)}"
            if entry.type in ("number", "integer") and value.type == clingo.SymbolType.Function and value.name == "":
                exp, mant, rest = (a.number for a in value.arguments)
                return f"{entry.key} = {mant / 1e8:g}e{exp + 8}{'…' if rest else ''}"
            return f"{entry.key} = {_plain(value)}"
        if name == "as_of" and args:
            return f"as_of = {_format_date(args[0].number)}"
        if not args:
            return name
        return str(clingo.Function(name, args))

    def articles(self, sources: list[str]) -> list[str]:
        """:func:`article_of` of each source (the same few lists recur in every system)."""
        key = tuple(sources)
        found = self._articles.get(key)
        if found is None:
            found = self._articles[key] = [article_of(s) for s in sources]
        return list(found)


def conclusion_json(conclusion: Conclusion, system: str, wording: Wording) -> dict:
    return {
        "name": conclusion.name,
        "arguments": [wording.plain(a) for a in conclusion.arguments],
        "label": conclusion.label,
        "statement": wording.statement(conclusion, system),
        "status": "certain" if conclusion.certain else "undetermined",
        "articles": wording.articles(conclusion.sources),
        "rules": [firing_json(f, wording) for f in conclusion.firings],
    }


def firing_json(firing: Firing, wording: Wording) -> dict:
    rule = firing.rule
    return {
        "rule": rule.id,
        "file": f"kb/{rule.file}",
        "line": rule.line,
        "source": list(rule.sources),
        "interpretation": rule.interpretation,
        "used": [wording.fact(a) for a in firing.used],
        "absent": [wording.fact(a) for a in firing.absent],
        "status": "certain" if firing.certain else "undetermined",
    }


def system_json(result: SystemResult, wording: Wording) -> dict:
    desc = result.description
    return {
        "id": result.id,
        "name": desc.name,
        "file": desc.file,
        "line": desc.line,
        "as_of": result.as_of.isoformat(),
        "risk_class": result.risk_class,
        "possible_risk_classes": result.possible_risk_classes,
        "conclusions": [conclusion_json(c, result.id, wording) for c in result.conclusions],
        "roles": [role for role, _ in roles_of(result)],
        "obligations": [
            {"id": o.id, "articles": list(o.articles), "role": o.role, "title": o.title.get(wording.lang, o.id),
             "applies_from": o.applies_from.isoformat() if o.applies_from else None,
             "applies_now": o.applies_now, "algoritmekader": list(o.algoritmekader),
             "status": "certain" if o.certain else "undetermined"}
            for o in obligations_of(result, wording.kb.directory)
        ],
        "findings": [conclusion_json(f, result.id, wording) for f in result.findings],
        "defaults": [{"key": k, "value": _json_value(v)} for k, v in result.defaults],
        "unknown": result.unknown_keys,
        **partial_json(result),  # certain, possible (aiact_asp/report_partial.py)
        **questions_json(result, wording),  # open_questions, left_open
    }


_DEFAULT_TESTS: dict[int, tuple] = {}


def _default_tests(kb: KnowledgeBase, vocabulary: Vocabulary) -> dict[str, list[tuple[Any, Any]]]:
    """Catalogue key with a default -> the rules that test its fact, each with the literal that
    does (compiled as for the explanations). Only these few rules are parsed, from their text."""
    cached = _DEFAULT_TESTS.get(id(kb))
    if cached and cached[0] is kb and cached[1] is vocabulary:
        return cached[2]
    from clingo import ast

    from .explain import _compile

    by_predicate = {e.predicate: e.key for e in vocabulary.entries
                    if e.predicate and (e.default is not None or e.default_from)}
    mention = re.compile(r"\b(" + "|".join(map(re.escape, sorted(by_predicate))) + r")\s*\(") if by_predicate else None
    tests: dict[str, list[tuple[Any, Any]]] = {}
    for rule in kb.rules:
        if mention is None or not mention.search(rule.text):
            continue
        statements: list = []
        ast.parse_string(rule.text, statements.append)
        for statement in statements:
            compiled = _compile(statement, rule) if statement.ast_type == ast.ASTType.Rule else None
            for literal in (compiled.positive + compiled.negative) if compiled else ():
                if literal.name in by_predicate and literal.system_bound:
                    tests.setdefault(by_predicate[literal.name], []).append((compiled, literal))
    _DEFAULT_TESTS[id(kb)] = (kb, vocabulary, tests)
    return tests


def relevant_defaults(run: Run) -> dict[str, list[tuple[str, Any]]]:
    """Per system id the defaults applied that matter for it: those of its ``defaults`` whose
    input fact decides whether some rule instance applies to the system.

    Every default is applied to every description that leaves its key out (``facts.py``), also
    where nothing in the description concerns it: ``prohibited_practices.emotion_recognition.
    based_on_biometric_data`` is true for a CV-screening tool too. A default matters for a system
    when a rule of the knowledge base that tests the key's fact, positively or with ``not``, has
    all its other conditions met for the system (in some answer set): that rule then applies or
    not because of the default (e.g. ``deployment.affected_persons = [natural_persons]`` keeps the
    Annex III 3-8 exclusion from applying to an Annex III 4(a) system). A rule that tests the key
    only together with ``present(S, key)`` never makes the default matter.

    Needs the engine's grounding (``run.grounding``, as :mod:`aiact_asp.explain` reuses it);
    without it every default applied is returned.
    """
    out = {r.id: list(r.defaults) for r in run.results}
    grounding = getattr(run, "grounding", None)
    if grounding is None or getattr(grounding, "derivations", None) is None or not any(out.values()):
        return out
    try:  # the relaxed-join helpers of the explanations (aiact_asp/explain.py)
        from .explain import _compare, _ground, _match_args, _symbol_key
        tests = _default_tests(run.kb, run.vocabulary)
    except ImportError:  # pragma: no cover - they moved: list every default rather than fail the report
        return out
    needed = {lit.key for pairs in tests.values() for rule, _ in pairs for lit in rule.positive + rule.negative}
    names = {name for name, _ in needed}
    systems = {clingo.String(r.id): r.id for r in run.results}
    mine: dict[str, dict[tuple, list]] = {r.id: {} for r in run.results}
    data: dict[tuple, list] = {}
    facts = grounding.facts
    inputs = list(facts.facts) + list(facts.choices) + [a for group in facts.exactly_one for a in group]
    # the derived atoms are the heads of the rule instances; a rule's head name is known without
    # asking clingo, which keeps this pass cheap on a large run
    derived = [atom for atom, firings in grounding.derivations.items() if firings and firings[0].rule.head in names]
    for symbol in inputs + derived:
        if symbol.name not in names:
            continue
        args = symbol.arguments
        key = (symbol.name, len(args))
        if key not in needed:
            continue
        entry = (args, tuple(_symbol_key(a) for a in args))
        owner = systems.get(args[0]) if args else None
        (mine[owner] if owner is not None else data).setdefault(key, []).append(entry)

    def holds(literal, index, binding) -> bool:
        atom = _ground(("fun", literal.name, literal.args), binding)
        if atom is None:
            return False  # not ground: cannot be decided here, so it does not block
        keys = tuple(_symbol_key(a) for a in atom.arguments)
        return any(k == keys for _, k in index.get(literal.key, ()))

    def applies(rule, skip, index, binding, todo, negatives: bool) -> bool:
        if todo:
            first, rest = todo[0], todo[1:]
            for args, keys in (index if first.system_bound else data).get(first.key, ()):
                extended = _match_args(first.args, args, keys, binding)
                if extended is not None and applies(rule, skip, index, extended, rest, negatives):
                    return True
            return False
        for literal in rule.negative if negatives else ():
            if literal is not skip and holds(literal, index if literal.system_bound else data, binding):
                return False
        for comparison in rule.comparisons:
            left, right = _ground(comparison.left, binding), _ground(comparison.right, binding)
            if left is not None and right is not None and not _compare(comparison.op, left, right):
                return False
        return True

    for result in run.results:
        if not out[result.id]:
            continue
        index, system = mine[result.id], clingo.String(result.id)
        # with open facts the atoms are those of some answer set: a `not` condition is then not
        # taken as failing (it may hold in another), so that no default that may matter is hidden
        negatives = not (result.unknown_keys or result.left_open)
        kept = []
        for key, value in out[result.id]:
            for rule, literal in tests.get(key, ()):
                todo = tuple(p for p in rule.positive if p is not literal)
                if applies(rule, literal, index, {rule.system_var: system}, todo, negatives):
                    kept.append((key, value))
                    break
        out[result.id] = kept
    return out


def _json_value(value: Any) -> Any:
    if isinstance(value, (_dt.date,)):
        return value.isoformat()
    return value


def _yaml_value(value: Any) -> str:
    """A value as it would be written in a description: ``true``, ``[natural_persons]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(_json_value(value))


def run_json(run: Run, lang: str = "en") -> dict:
    """The whole run as a JSON-ready dict (layout in docs/output.md)."""
    wording = Wording(run.kb, run.vocabulary, lang)
    return {
        "language": lang,
        "systems": [system_json(r, wording) for r in run.results],
        "errors": [e.as_dict() for e in run.errors],
        "summary": _summary_json(run),
    }


def _summary_json(run: Run) -> dict:
    return summary_json(Counter(r.risk_class for r in run.results), len(run.errors))


def summary_json(risk_classes: Counter, errors: int) -> dict:
    """The ``summary`` object of the JSON report: systems per risk class, input not read."""
    return {"systems": sum(risk_classes.values()), "errors": errors, "risk_classes": dict(sorted(risk_classes.items()))}


def _dumps(value: Any, indent: str) -> str:
    return jsonout.dumps(value).replace("\n", "\n" + indent)  # no raw newline inside a JSON string


def run_json_text(run: Run, lang: str = "en") -> Iterator[str]:
    """``json.dumps(run_json(run, lang), ensure_ascii=False, indent=2) + "\\n"`` in pieces, one system
    at a time, so that a run of thousands of systems is never held in memory as one document."""
    return json_document(lang, json_system_blocks(run, lang), run.errors,
                         lambda: Counter(r.risk_class for r in run.results))


def json_system_blocks(run: Run, lang: str = "en") -> Iterator[str]:
    """The JSON object of each system of ``run`` as it stands in the report's ``systems`` list."""
    wording = Wording(run.kb, run.vocabulary, lang)
    for result in run.results:
        yield _dumps(system_json(result, wording), "    ")


def json_document(lang: str, blocks: Iterable[str], errors: list, risk_classes: Callable[[], Counter]) -> Iterator[str]:
    """The JSON report around the system ``blocks`` (:func:`json_system_blocks`, in order);
    ``risk_classes()`` is asked after the last block (the summary comes last)."""
    yield "{\n  \"language\": " + _dumps(lang, "") + ",\n  \"systems\": ["
    any_block = False
    for block in blocks:
        yield ("," if any_block else "") + "\n    " + block
        any_block = True
    yield ("\n  ]" if any_block else "]") + ",\n  \"errors\": " + _dumps([e.as_dict() for e in errors], "  ")
    yield ",\n  \"summary\": " + _dumps(summary_json(risk_classes(), len(errors)), "  ") + "\n}\n"


def run_text(run: Run, lang: str = "en", rules: bool = True, explanations: dict[str, list[str]] | None = None,
             errors: bool = False) -> str:
    """The whole run as readable text: per system the risk class and each conclusion with its articles.

    Input that could not be read is counted in the summary line; ``errors``: also list it (for a
    report written to a file, which must say which input it left out; on the screen the command
    line writes it to standard error instead). ``explanations``: system id -> lines added under
    the system (``solve --explain``)."""
    return "".join(run_text_pieces(run, lang, rules, explanations, errors))


def run_text_pieces(run: Run, lang: str = "en", rules: bool = True, explanations: dict[str, list[str]] | None = None,
                    errors: bool = False) -> Iterator[str]:
    """:func:`run_text` in pieces, one system at a time (a large run is never held as one text)."""
    yield from text_system_blocks(run, lang, rules, explanations)
    yield text_summary(lang, Counter(r.risk_class for r in run.results), run.errors, errors, Wording(run.kb, run.vocabulary, lang))


def text_system_blocks(run: Run, lang: str = "en", rules: bool = True,
                       explanations: dict[str, list[str]] | None = None) -> Iterator[str]:
    """The text of each system of ``run`` (see :func:`run_text`), in order."""
    words = WORDS[lang]
    wording = Wording(run.kb, run.vocabulary, lang)
    defaults = relevant_defaults(run)
    for result in run.results:
        out = _system_text(result, wording, words, rules, defaults.get(result.id, result.defaults))
        if explanations and result.id in explanations:  # solve --explain: aiact_asp/explain_render.py
            out += explanations[result.id]
        out.append("")
        yield "\n".join(out) + "\n"


def text_summary(lang: str, risk_classes: Counter, errors: list, list_errors: bool, wording: "Wording") -> str:
    """The last lines of the text report: systems per risk class, and the input not read
    (listed when ``list_errors``)."""
    words = WORDS[lang]
    out = []
    systems = sum(risk_classes.values())
    summary = ", ".join(f"{wording.label(k) if k != 'undetermined' else words['undetermined']}: {n}" for k, n in sorted(risk_classes.items(), key=lambda item: risk_order(item[0])))
    line = f"{words['summary']}: {systems} {words['systems'] if systems != 1 else words['system']}"
    line += f" — {summary}" if summary else ""
    if errors:
        line += "; " + words["not_read" if len(errors) != 1 else "not_read_1"].format(what=_left_out(errors, words), n=len(errors))
        if list_errors:
            out += [f"{words['errors']}:"] + [f"  {error.display(lang)}" for error in errors] + [""]
    out.append(line)
    return "\n".join(out) + "\n"


def _left_out(errors: list, words: dict) -> str:
    """What the errors leave out, e.g. ``1 file and 2 descriptions``: an error in an entry of a
    ``systems:`` list (key ``systems[i]...``) leaves out that description, any other the file."""
    entries = {(e.file, e.key.split("]", 1)[0]) for e in errors if (e.key or "").startswith("systems[")}
    paths = {e.file for e in errors if not (e.key or "").startswith("systems[")}
    folders = {path for path in paths if os.path.isdir(path)}  # one that cannot be listed, or holds no descriptions
    missing = {path for path in paths if not os.path.lexists(path)}  # neither file nor folder: a path
    parts = [f"{n} {words[one if n == 1 else many]}" for n, one, many in
             ((len(paths - folders - missing), "file", "files"), (len(folders), "folder", "folders"),
              (len(missing), "path", "paths"),
              (len(entries), "description", "descriptions")) if n]
    return ", ".join(parts[:-1]) + f" {words['and']} " + parts[-1] if len(parts) > 1 else parts[0]


def _system_text(result: SystemResult, wording: Wording, words: dict, rules: bool,
                 defaults: list[tuple[str, Any]] | None = None) -> list[str]:
    desc = result.description
    title = f"{result.id} — {desc.name}" if desc.name else result.id
    out = [title, f"  {desc.file}:{desc.line} · {words['assessed']} {result.as_of.isoformat()}"]
    if result.risk_class == "undetermined":
        possible = ", ".join(wording.label(c) for c in result.possible_risk_classes)
        out.append(f"  {words['risk_class']}: {words['undetermined']} ({words['possible']}: {possible})")
    else:
        out.append(f"  {words['risk_class']}: {wording.label(result.risk_class)}")
        if result.risk_class == "prohibited":  # multi-label: say which conclusion governs the rest
            out.append(f"  {words['prohibited_note']}")
    out.append(f"  {words['conclusions']}:")
    shown = [c for c in result.conclusions if c.name not in CHECKLIST]
    if not shown:
        out.append(f"    ({words['none']})")
    for conclusion in shown:
        mark = "•" if conclusion.certain else "?"
        out.append(f"    {mark} {wording.statement(conclusion, result.id)}")
        if not conclusion.certain:
            out.append(f"        ({words['undetermined_note']})")
        if conclusion.sources:
            out.append(f"        {words['articles']}: {wording.cite(conclusion.sources)}")
        if rules:
            out += _firings_text(conclusion, wording, words)
    out += _checklist_text(result, wording, words)
    if result.findings:
        out.append(f"  {words['findings']}:")
        for finding in sorted(result.findings, key=lambda f: not f.certain):  # certain ones first
            mark = "!" if finding.certain else f"? ({words['firing_possible']})"
            out.append(f"    {mark} {wording.statement(finding, result.id)}" + (f" [{wording.cite(finding.sources)}]" if finding.sources else ""))
    if result.unknown_keys:
        out.append(f"  {words['unknown']}: {', '.join(result.unknown_keys)}")
    out += partial_text(result, wording)  # certain, possible, open questions (aiact_asp/report_partial.py)
    defaults = result.defaults if defaults is None else defaults
    if defaults:
        out.append(f"  {words['defaults']}: " + ", ".join(f"{k} = {_yaml_value(v)}" for k, v in defaults))
    return out


def _checklist_text(result: SystemResult, wording: Wording, words: dict) -> list[str]:
    """Roles, then per role the obligations: those that apply now, then those that start later."""
    roles = roles_of(result)
    if not roles:
        return []
    sources = (load_catalogue(wording.kb.directory).get("roles") or {})

    def role_text(role: str, certain: bool) -> str:  # with the definition of the role (Art. 3)
        source = (sources.get(role) or {}).get("source")
        return wording.label(role) + ("" if certain else " (?)") + (f" [{wording.cite(source)}]" if source else "")

    out = [f"  {words['roles']}: " + ", ".join(role_text(r, certain) for r, certain in roles)]
    items = obligations_of(result, wording.kb.directory)
    for role in dict.fromkeys(i.role for i in items):
        out.append(f"  {words['obligations']} — {wording.label(role)}:")
        for item in (i for i in items if i.role == role):
            when = words["now"] if item.applies_now else (f"{words['from']} {item.applies_from.isoformat()}" if item.applies_from else "?")
            articles = wording.provisions(item.articles)
            extra = f" · Algoritmekader {', '.join(item.algoritmekader)}" if item.algoritmekader else ""
            mark = "[ ]" if item.certain else "[?]"
            out.append(f"    {mark} {item.title.get(wording.lang, item.id)} — {articles} ({when}){extra}")
    return out


def _firings_text(conclusion: Conclusion, wording: Wording, words: dict) -> list[str]:
    out = []
    for firing in conclusion.firings:
        rule = firing.rule
        used = ", ".join(wording.fact(a) for a in firing.used)
        absent = ", ".join(wording.fact(a) for a in firing.absent)
        line = f"        {words['rule']} kb/{rule.file}:{rule.line} [{wording.cite(rule.sources)}]"
        if used:
            line += f" {words['used']}: {used}"
        if absent:
            line += f"; {words['absent']}: {absent}"
        if conclusion.certain and not firing.certain:  # the conclusion holds, but not always by this rule
            line += f" ({words['firing_possible']})"
        out.append(line)
    return out
