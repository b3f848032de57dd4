"""Running case files: classify every case in one grounding and compare with ``expect:``.

:func:`run_cases` reads descriptions (files or folders), checks each ``expect:`` block
(:mod:`aiact_asp.expectations`), classifies all descriptions together (each on its own
``expect.as_of`` where given) and compares. A case *passes* when every expectation holds,
*fails* when one does not (each :class:`Difference` says expected vs. got, and for a conclusion
that should not be there the rules that derived it), and is an *error* when its expectation
cannot be read (a misspelled conclusion is an error, never a pass). Descriptions without an
``expect:`` block are classified but not checked.
"""

from __future__ import annotations

import datetime as _dt
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

import clingo
from clingo import ast
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .api import classify_descriptions
from .citation_nl import cite
from .engine import Conclusion, Firing, SystemResult
from .errors import InputError, KnowledgeBaseError
from .expectations import CHECKLIST, Catalogue, Expectation, Pattern, is_reserved_key, reserved_message
from .fastload import load_paths
from .kb import ConclusionSpec, KnowledgeBase, Rule, load_kb
from .loader import Description
from .vocabulary import Vocabulary, load_vocabulary

PASSED, FAILED, ERROR = "passed", "failed", "error"
MAX_DEPTH = 8

#: Words of the explanations (the legal wording itself comes from kb/).
WORDS = {
    "en": {"rule": "rule", "used": "used", "absent": "and not", "no_source": "no source",
           "no_firing": "(no rule firing recorded)", "undetermined": "undetermined",
           "only_some": "undetermined: holds only for some answers to the unknown facts",
           "possible_classes": "possible risk classes", "unknown": "unknown facts",
           "no_rule": "not derived; no rule of the knowledge base concludes {name}",
           "rules_that": "not derived; rules that can conclude it: {rules}", "more": "and {n} more",
           "stated": "{key} is stated", "given_unknown": "{key} is given as unknown"},
    "nl": {"rule": "regel", "used": "op basis van", "absent": "en niet", "no_source": "geen bron",
           "no_firing": "(geen regeltoepassing vastgelegd)", "undetermined": "onbepaald",
           "only_some": "onbepaald: geldt alleen bij sommige antwoorden op de onbekende feiten",
           "possible_classes": "mogelijke risicoklassen", "unknown": "onbekende feiten",
           "no_rule": "niet afgeleid; geen regel van de kennisbank concludeert {name}",
           "rules_that": "niet afgeleid; regels die het kunnen concluderen: {rules}", "more": "en nog {n}",
           "stated": "{key} staat in de beschrijving", "given_unknown": "{key} is opgegeven als onbekend"},
}


@dataclass(frozen=True)
class Difference:
    """One expectation that does not hold.

    Attributes:
        kind: ``risk_class`` (expected class vs. got), ``missing`` (in ``conclusions`` but not
            derived for certain), ``unexpected`` (derived for certain but not in ``conclusions``),
            ``include`` (not derived for certain) or ``exclude`` (derived, certain or undetermined).
        label: the expected label or risk class, as written.
        got: what came out instead (a risk class, ``undetermined``, ``absent``, or the labels found).
        explanation: readable lines: the rule chain that derived an unwanted conclusion, or why
            a wanted one is missing (undetermined, or which rules could conclude it).
    """

    kind: str
    label: str
    got: str | None = None
    explanation: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str | None]:
        """What the difference is, without its explanation (for comparing runs)."""
        return self.kind, self.label, self.got


@dataclass
class CaseResult:
    """The outcome of one case: ``status`` is ``passed``, ``failed`` or ``error``."""

    id: str
    file: str
    line: int
    reason: str | None
    status: str
    differences: list[Difference] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    result: SystemResult | None = None


@dataclass
class CaseRun:
    """All cases of a run.

    Attributes:
        cases: descriptions with an ``expect:`` block, in file order.
        unchecked: descriptions without one (classified, not checked).
        errors: files or entries that could not be read (each a failure of the run).
        seconds: time taken to check and solve.
    """

    cases: list[CaseResult]
    unchecked: list[SystemResult]
    errors: list[InputError]
    kb: KnowledgeBase
    vocabulary: Vocabulary
    as_of: _dt.date
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and all(c.status == PASSED for c in self.cases)

    def count(self, status: str) -> int:
        return sum(1 for c in self.cases if c.status == status)


@dataclass
class PreparedCases:
    """Descriptions read and expectations checked, ready to be solved (also by mutants)."""

    descriptions: list[Description]
    expectations: dict[str, Expectation | None]
    expectation_errors: dict[str, list[InputError]]
    errors: list[InputError]
    kb: KnowledgeBase
    vocabulary: Vocabulary


def prepare(paths: Iterable[str | Path], kb: KnowledgeBase | None = None) -> PreparedCases:
    """Read the descriptions in ``paths`` and check their ``expect:`` blocks against ``kb``.

    Raises:
        KnowledgeBaseError: the knowledge base cannot be loaded.
    """
    kb = kb or load_kb()
    vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    descriptions, errors = load_paths(paths, vocabulary)  # the loader's outcome, read faster (see fastload)
    errors = [_reserved(e, kb) for e in errors]
    catalogue = Catalogue(kb, vocabulary)
    expectations: dict[str, Expectation | None] = {}
    expectation_errors: dict[str, list[InputError]] = {}
    lines_of: dict[str, dict] = {}
    for desc in descriptions:
        if "expect" not in desc.meta:
            continue
        expectation, problems = catalogue.check(desc.meta)
        expectations[desc.id] = expectation
        if problems:
            lines = lines_of.setdefault(desc.file, _expect_lines(desc.file)).get(desc.id, {})
            expectation_errors[desc.id] = [InputError(desc.file, lines.get(p.key, lines.get("expect", desc.line)), p.key, p.message,
                                                      p.message_nl) for p in problems]
    return PreparedCases(descriptions, expectations, expectation_errors, errors, kb, vocabulary)


def run_cases(paths: Iterable[str | Path], kb_dir: Path | None = None, as_of: _dt.date | None = None,
              lang: str = "en") -> CaseRun:
    """Check every case in ``paths`` against the knowledge base in ``kb_dir`` (default: shipped).

    All descriptions are solved in one grounding; ``as_of`` (default today) is the assessment
    date of cases without ``expect.as_of``.

    Raises:
        KnowledgeBaseError: the knowledge base cannot be loaded or grounded.
    """
    start = time.perf_counter()
    as_of = as_of or _dt.date.today()
    prepared = prepare(paths, load_kb(Path(kb_dir) if kb_dir else None))
    run = classify_descriptions(prepared.descriptions, prepared.kb, prepared.vocabulary, as_of)
    failing = [r.description for r in run.results if prepared.expectations.get(r.id) is not None
               and compare(prepared.expectations[r.id], r)]
    derivations = derivations_of(failing, prepared.kb, prepared.vocabulary, as_of) if failing else {}
    cases, unchecked = [], []
    for result in run.results:
        desc = result.description
        if desc.id not in prepared.expectations:
            unchecked.append(result)
            continue
        reason = desc.meta.get("reason")
        problems = prepared.expectation_errors.get(desc.id)
        if problems:
            cases.append(CaseResult(desc.id, desc.file, desc.line, reason, ERROR, errors=problems, result=result))
            continue
        differences = compare(prepared.expectations[desc.id], result, prepared.kb, lang, derivations.get(desc.id))
        cases.append(CaseResult(desc.id, desc.file, desc.line, reason, FAILED if differences else PASSED, differences, [], result))
    return CaseRun(cases, unchecked, prepared.errors, prepared.kb, prepared.vocabulary, as_of, time.perf_counter() - start)


def derivations_of(descriptions: list[Description], kb: KnowledgeBase, vocabulary: Vocabulary,
                   as_of: _dt.date) -> dict[str, dict[clingo.Symbol, list[Firing]]]:
    """Per system id: every derived atom (legal concepts too, not only conclusions) with the rule
    instances that derived it. Solves ``descriptions`` once more with every rule head shown."""
    specs = dict(kb.conclusions)
    for statement in kb.statements:
        if statement.ast_type != ast.ASTType.Rule:
            continue
        head = statement.head
        if head.ast_type != ast.ASTType.Literal or head.atom.ast_type != ast.ASTType.SymbolicAtom:
            continue
        symbol = head.atom.symbol
        if symbol.ast_type == ast.ASTType.Function and symbol.arguments and not symbol.name.startswith("_") \
                and symbol.name not in specs:
            arity = len(symbol.arguments)
            specs[f"{symbol.name}/{arity}"] = ConclusionSpec(symbol.name, tuple(f"a{i}" for i in range(1, arity)), {}, {})
    try:
        run = classify_descriptions(descriptions, replace(kb, conclusions=specs), vocabulary, as_of)
    except KnowledgeBaseError:
        return {}
    return {r.id: {c.atom: c.firings for c in r.conclusions + r.findings} for r in run.results}


def compare(expectation: Expectation, result: SystemResult, kb: KnowledgeBase | None = None,
            lang: str = "en", derivations: dict[clingo.Symbol, list[Firing]] | None = None) -> list[Difference]:
    """Every way in which ``result`` differs from ``expectation``; ``[]`` when it holds.

    With ``kb`` the differences carry explanations (rule chains, in ``lang``); without, only
    what differs (fast, for mutation runs). ``derivations`` (:func:`derivations_of`) lets the
    explanations descend through the intermediate legal concepts down to the input facts.
    """
    words = WORDS[lang]
    expected = {p.label for p in expectation.conclusions or []} | {p.label for p in expectation.include if p.exact}
    explain = _Explainer(result, kb, words, derivations, expected, lang) if kb else None
    items = result.conclusions + result.findings
    certain = [c for c in items if c.certain]
    out: list[Difference] = []
    if expectation.risk_class is not None and expectation.risk_class != result.risk_class:
        out.append(Difference("risk_class", expectation.risk_class, result.risk_class,
                              tuple(explain.risk()) if explain else () if kb else ()))
    if expectation.conclusions is not None:
        expected = {p.label for p in expectation.conclusions}
        got = {c.label: c for c in result.conclusions if c.certain and c.name not in CHECKLIST}
        for pattern in expectation.conclusions:
            if pattern.label not in got:
                out.append(Difference("missing", pattern.label, _status(pattern, items), tuple(explain.missing(pattern)) if explain else ()))
        for label, conclusion in sorted(got.items()):
            if label not in expected:
                out.append(Difference("unexpected", label, "certain", tuple(explain.chain(conclusion)) if explain else ()))
    for pattern in expectation.include:
        if not any(pattern.matches(c.atom) for c in certain):
            out.append(Difference("include", pattern.text, _status(pattern, items), tuple(explain.missing(pattern)) if explain else ()))
    for pattern in expectation.exclude:
        found = [c for c in items if pattern.matches(c.atom)]
        if found:
            lines: list[str] = []
            if explain:
                for conclusion in found:
                    lines.append(f"{conclusion.label}{'' if conclusion.certain else ' (' + words['undetermined'] + ')'}:")
                    lines += ["  " + line for line in explain.chain(conclusion)]
            got = ", ".join(c.label + ("" if c.certain else f" ({words['undetermined']})") for c in found)
            out.append(Difference("exclude", pattern.text, got, tuple(lines)))
    return out


def _status(pattern: Pattern, items: list[Conclusion]) -> str:
    return "undetermined" if any(pattern.matches(c.atom) for c in items) else "absent"


class _Explainer:
    """Explanations of the differences of one case (see :func:`compare`)."""

    def __init__(self, result: SystemResult, kb: KnowledgeBase, words: dict,
                 derivations: dict[clingo.Symbol, list[Firing]] | None, expected: set[str], lang: str = "en"):
        from .report import Wording

        self.result, self.kb, self.words, self.expected, self.lang = result, kb, words, expected, lang
        self.wording = Wording(kb, load_vocabulary(kb.directory / "vocabulary.yaml"), lang)
        self.by_atom = {c.atom: c.firings for c in result.conclusions + result.findings}
        self.by_atom.update(derivations or getattr(result, "derivations", None) or {})
        self.conclusion_names = set(kb.conclusions)

    def risk(self) -> list[str]:
        result, words = self.result, self.words
        if result.risk_class == "undetermined":
            lines = [f"{words['possible_classes']}: {', '.join(result.possible_risk_classes) or '-'}"]
            if result.unknown_keys:
                lines.append(f"{words['unknown']}: {', '.join(result.unknown_keys)}")
            return lines
        return [line for c in result.risk_classes if c.certain for line in self._chain(c.firings, 0, set(), 1)]

    def chain(self, conclusion: Conclusion) -> list[str]:
        # a risk class only summarises the other conclusions, which are explained on their own
        return self._chain(conclusion.firings, 0, set(), 1 if conclusion.name == "risk_class" else MAX_DEPTH)

    def _chain(self, firings: list[Firing], depth: int, seen: set, limit: int) -> list[str]:
        """The rules that derived an atom (id, place, sources, facts used and relied on as absent),
        and below each the rules of the atoms it used — not of conclusions the case expects."""
        words, lines, indent = self.words, [], "  " * depth
        for firing in firings:
            rule = firing.rule
            used = ", ".join(self._fact(a) for a in firing.used)
            absent = ", ".join(self._fact(a) for a in firing.absent)
            named = "" if rule.id == f"{Path(rule.file).stem}:{rule.line}" else f"{rule.id} "
            sources = "; ".join(cite(source, self.lang) for source in rule.sources)
            line = f"{indent}← {words['rule']} {named}kb/{rule.file}:{rule.line} [{sources or words['no_source']}]"
            if used:
                line += f"; {words['used']}: {used}"
            if absent:
                line += f"; {words['absent']}: {absent}"
            lines.append(line)
            if depth + 1 >= limit:
                continue
            for atom in firing.used:
                below = self.by_atom.get(atom)
                if not below or atom in seen or self._label(atom) in self.expected:
                    continue
                seen.add(atom)
                lines += self._chain(list(below), depth + 1, seen, limit)
        if not firings:
            lines.append(f"{indent}← {words['no_firing']}")
        return lines

    def _fact(self, atom: clingo.Symbol) -> str:
        """An atom a rule used (or, after "and not", relied on not holding) in words; whether a key
        is stated (``present``) or unknown reads with the key, not as the internal atom."""
        if atom.name in ("present", "unknown") and len(atom.arguments) == 2 \
                and atom.arguments[1].type == clingo.SymbolType.String:
            word = "stated" if atom.name == "present" else "given_unknown"
            return self.words[word].format(key=atom.arguments[1].string)
        return self.wording.fact(atom)

    @staticmethod
    def _label(atom: clingo.Symbol) -> str:
        rest = atom.arguments[1:]
        return str(clingo.Function(atom.name, rest)) if rest else atom.name

    def missing(self, pattern: Pattern) -> list[str]:
        words, result = self.words, self.result
        if any(pattern.matches(c.atom) for c in result.conclusions + result.findings):
            return [words["only_some"] + (f" ({', '.join(result.unknown_keys)})" if result.unknown_keys else "")]
        rules = rules_concluding(self.kb, pattern)
        if not rules:
            return [words["no_rule"].format(name=pattern.name)]
        listed = ", ".join(f"kb/{r.file}:{r.line}" for r in rules[:8])
        if len(rules) > 8:
            listed += " " + words["more"].format(n=len(rules) - 8)
        return [words["rules_that"].format(rules=listed)]


def rules_concluding(kb: KnowledgeBase, pattern: Pattern) -> list[Rule]:
    """The rules whose head can match ``pattern`` (same predicate, constant arguments agree)."""
    by_place = {(str(kb.directory / r.file), r.line): r for r in kb.rules}
    out: list[Rule] = []
    for statement in kb.statements:
        if statement.ast_type != ast.ASTType.Rule:
            continue
        head = statement.head
        if head.ast_type != ast.ASTType.Literal or head.atom.ast_type != ast.ASTType.SymbolicAtom:
            continue
        symbol = head.atom.symbol
        if symbol.ast_type != ast.ASTType.Function or symbol.name != pattern.name:
            continue
        rule = by_place.get((statement.location.begin.filename, statement.location.begin.line))
        if rule is None or rule in out:
            continue
        if pattern.args is not None and len(symbol.arguments) == len(pattern.args) + 1:
            if not all(_may_equal(term, value) for term, value in zip(symbol.arguments[1:], pattern.args)):
                continue
        out.append(rule)
    return out


def _may_equal(term: ast.AST, value: clingo.Symbol | None) -> bool:
    if value is None or term.ast_type != ast.ASTType.SymbolicTerm:
        return True
    return term.symbol == value


def _reserved(error: InputError, kb: KnowledgeBase) -> InputError:
    if is_reserved_key(error.key):
        key = error.key.rsplit(".", 1)[-1]
        return InputError(error.file, error.line, error.key, reserved_message(key, kb), reserved_message(key, kb, "nl"))
    return error


def _expect_lines(file: str) -> dict[str, dict[str, int]]:
    """system id -> {``expect``, ``expect.include``, ``expect.include[2]``, ...: line} of a case file."""
    try:
        doc = YAML(typ="rt").load(Path(file).read_text(encoding="utf-8-sig"))
    except Exception:  # noqa: BLE001 — only for line numbers; the loader reports real problems
        return {}
    entries = doc.get("systems") if isinstance(doc, CommentedMap) and "systems" in doc else [doc]
    out: dict[str, dict[str, int]] = {}
    for entry in entries or []:
        if not isinstance(entry, CommentedMap) or not isinstance(entry.get("expect"), CommentedMap):
            continue
        expect = entry["expect"]
        lines = {"expect": entry.lc.key("expect")[0] + 1}
        for key, value in expect.items():
            lines[f"expect.{key}"] = expect.lc.key(key)[0] + 1
            if isinstance(value, CommentedSeq):
                for i in range(len(value)):
                    lines[f"expect.{key}[{i}]"] = value.lc.item(i)[0] + 1
        out[str(entry.get("id"))] = lines
    return out
