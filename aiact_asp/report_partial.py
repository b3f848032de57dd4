"""Report of partial knowledge: what is certain, what is possible, and the open questions.

For a system with open facts (keys written ``unknown``, or left open by ``--open-world``):
the certain and the possible conclusions, the possible risk classes, and the open questions
(:mod:`aiact_asp.questions`), each with its question, help text and legal source from the
vocabulary catalogue (``kb/vocabulary.yaml``), in English or Dutch. JSON fields: docs/output.md.

``wording`` is the :class:`aiact_asp.report.Wording` of the report (labels of constants and
conclusions, the catalogues and the language).
"""

from __future__ import annotations

import re
from typing import Any

import clingo

from .citation_nl import citation_nl
from .engine import SystemResult, risk_order
from .questions import OpenQuestion

#: Conclusions shown in the checklist of roles and obligations, not in the lists here.
CHECKLIST = {"risk_class", "role", "obligation", "obligation_applies_from"}
#: Open questions shown in the text report (JSON lists all).
TEXT_LIMIT = 10
#: Conclusions named per answer in the text report (the rest counted; JSON lists all).
OTHERS_LIMIT = 3

WORDS = {
    "en": {
        "partial": "Partial knowledge", "open_facts": "open facts", "classes": "Possible risk classes",
        "certain": "Certain", "possible": "Possible, not certain", "none": "none",
        "questions": "Open questions, most decisive first", "source": "source", "help": "help",
        "rules_out": "rules out:", "makes_certain": "makes certain:", "and_more": "and {n} more",
        "more_questions": "… and {n} more open questions (all in --format json)",
        "no_questions": "No open fact can change the outcome.",
        "irrelevant": "{n} other open facts cannot change the outcome.",
        "yes": "yes", "no": "no", "in": "{value}: yes", "not in": "{value}: no",
        "low": "below every threshold of the rules", "high": "above every threshold of the rules",
        "low_date": "before every date of the rules", "high_date": "after every date of the rules",
        "changes_nothing": "changes nothing", "class": "risk class {x}", "role": "role {x}",
        "obligations": ("{n} obligation", "{n} obligations"),
        "dates": ("the start date of {n} obligation", "the start dates of {n} obligations"),
        "together": "matters only together with other open facts, for",
        "more": ("{n} more conclusion", "{n} more conclusions"),
    },
    "nl": {
        "partial": "Gedeeltelijke kennis", "open_facts": "open feiten", "classes": "Mogelijke risicoklassen",
        "certain": "Zeker", "possible": "Mogelijk, niet zeker", "none": "geen",
        "questions": "Open vragen, meest bepalend eerst", "source": "bron", "help": "uitleg",
        "rules_out": "sluit uit:", "makes_certain": "maakt zeker:", "and_more": "en nog {n}",
        "more_questions": "… en nog {n} open vragen (alle in --format json)",
        "no_questions": "Geen open feit kan de uitkomst veranderen.",
        "irrelevant": "{n} andere open feiten kunnen de uitkomst niet veranderen.",
        "yes": "ja", "no": "nee", "in": "{value}: ja", "not in": "{value}: nee",
        "low": "onder elke drempel van de regels", "high": "boven elke drempel van de regels",
        "low_date": "vóór elke datum van de regels", "high_date": "na elke datum van de regels",
        "changes_nothing": "verandert niets", "class": "risicoklasse {x}", "role": "rol {x}",
        "obligations": ("{n} verplichting", "{n} verplichtingen"),
        "dates": ("de begindatum van {n} verplichting", "de begindata van {n} verplichtingen"),
        "together": "van belang alleen samen met andere open feiten, voor",
        "more": ("nog {n} conclusie", "nog {n} conclusies"),
    },
}


def has_open_facts(result: SystemResult) -> bool:
    return bool(result.unknown_keys or result.left_open)


def _plain(symbol: clingo.Symbol) -> str:
    return symbol.string if symbol.type == clingo.SymbolType.String else str(symbol)


def _date(value: int) -> str:
    return f"{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}"


def outcome_label(atom: clingo.Symbol) -> str:
    """An outcome atom without the system argument: ``high_risk(annex_iii,"4(a)")``."""
    args = atom.arguments[1:]
    return str(clingo.Function(atom.name, args)) if args else atom.name


def outcome_text(atom: clingo.Symbol, wording: Any) -> str:
    """An outcome in words: ``high-risk AI system (Article 6(2) and Annex III, 4(a))``."""
    args = atom.arguments[1:]
    if atom.name in ("risk_class", "role") and args:
        return wording.label(_plain(args[0]))
    if atom.name == "obligation" and args:
        return wording.label(_plain(args[0]))
    if atom.name == "obligation_applies_from" and len(args) == 2 and args[1].type == clingo.SymbolType.Number:
        return f"{wording.label(_plain(args[0]))} ({_date(args[1].number) if args[1].number < 99990000 else '…'})"
    spec = wording.kb.conclusions.get(atom.name)
    base = spec.label.get(wording.lang, atom.name) if spec else atom.name
    if not args:
        return base
    names = list(spec.args) if spec else []
    parts: list[str] = []
    for index, arg in enumerate(args):
        text = _plain(arg)
        if arg.type == clingo.SymbolType.Function:
            parts.append(wording.label(text))
        elif index < len(names) and names[index] == "point":  # the Annex III point of a derogation
            parts.append(citation_nl(f"Annex III {text}") if wording.lang == "nl" else f"Annex III {text}")
        elif wording.lang == "nl" and _PROVISION.match(text):  # as the Dutch text of the Act cites
            if parts and parts[-1].endswith("bijlage III"):  # a point of Annex III after its basis
                parts[-1] = parts[-1][:-len("bijlage III")] + citation_nl(f"Annex III {text}")
            else:
                parts.append(citation_nl(f"Art. {text}"))
        else:
            parts.append(text)
    return f"{base} ({', '.join(parts)})"


#: A provision as the conclusions carry it: ``2(3)``, ``5(1)(ba)``, ``4(a)`` (an Annex III point).
_PROVISION = re.compile(r"^\d+[a-z]*(?:\([0-9a-z]+\))+$")


def answer_text(question_key: str, value: str, wording: Any) -> str:
    """An answer in words: ``yes``, ``no``, an enum value's label, ``creditworthiness: yes``."""
    words = WORDS[wording.lang]
    entry = wording.vocabulary.by_key.get(question_key)
    labels = (entry.value_labels if entry else {}) or {}

    def value_label(v: str) -> str:
        return (labels.get(v) or {}).get(wording.lang, v)

    if value == "true":
        return words["yes"]
    if value == "false":
        return words["no"]
    if value in ("low", "high") and entry is not None and entry.type in ("number", "integer", "date"):
        return words[value + ("_date" if entry.type == "date" else "")]
    if value.startswith("not "):
        return words["not in"].format(value=value_label(value[4:]))
    if entry is not None and entry.type == "list":
        return words["in"].format(value=value_label(value))
    return value_label(value)


def question_json(question: OpenQuestion, position: int, wording: Any) -> dict:
    entry = wording.vocabulary.by_key.get(question.key)
    lang = wording.lang
    return {
        "key": question.key,
        "question": (entry.question or {}).get(lang, "") if entry else "",
        "help": (entry.help or {}).get(lang, "") if entry else "",
        "source": entry.source if entry else "",
        "section": entry.section if entry else "",
        "origin": question.origin,
        "together": question.together,
        "values": list(question.values),
        "rank": {
            "position": position,
            "risk_classes_at_least": question.risk_classes_at_least,
            "settles_at_least": question.settles_at_least,
            "settles_in_total": question.settles_in_total,
        },
        "answers": [
            {"answer": effect.value,
             "rules_out": [outcome_label(a) for a in effect.rules_out],
             "makes_certain": [outcome_label(a) for a in effect.makes_certain]}
            for effect in question.answers
        ],
        "outcomes": [outcome_label(a) for a in question.outcomes],
    }


def partial_json(result: SystemResult) -> dict:
    """The fields ``certain`` and ``possible`` (conclusion labels) of every system."""
    return {
        "certain": sorted(c.label for c in result.conclusions if c.certain),
        "possible": sorted(c.label for c in result.conclusions),
    }


def questions_json(result: SystemResult, wording: Any) -> dict:
    """The fields ``open_questions`` and ``left_open`` of every system."""
    return {
        "open_questions": [question_json(q, i, wording) for i, q in enumerate(result.open_questions, start=1)],
        "left_open": list(result.left_open),
    }


def partial_text(result: SystemResult, wording: Any) -> list[str]:
    """Lines under a system with open facts: certain, possible, risk classes, open questions."""
    if not has_open_facts(result):
        return []
    words = WORDS[wording.lang]
    count = len(result.unknown_keys) + len(result.left_open)
    out = [f"  {words['partial']} ({words['open_facts']}: {count}):"]
    out.append(f"    {words['classes']}: " + ", ".join(wording.label(c) for c in result.possible_risk_classes))
    shown = [c for c in result.conclusions if c.name not in CHECKLIST]
    certain = [outcome_text(c.atom, wording) for c in shown if c.certain]
    possible = [outcome_text(c.atom, wording) for c in shown if not c.certain]
    out.append(f"    {words['certain']}: " + ("; ".join(certain) or words["none"]))
    out.append(f"    {words['possible']}: " + ("; ".join(possible) or words["none"]))
    questions = result.open_questions
    if not questions:
        out.append(f"    {words['no_questions']}")
        return out
    out.append(f"  {words['questions']}:")
    for i, question in enumerate(questions[:TEXT_LIMIT], start=1):
        out += question_text(question, i, wording)
    if len(questions) > TEXT_LIMIT:
        out.append("    " + words["more_questions"].format(n=len(questions) - TEXT_LIMIT))
    rest = count - len(questions)
    if rest > 0:
        out.append("    " + words["irrelevant"].format(n=rest))
    return out


def question_text(question: OpenQuestion, position: int, wording: Any) -> list[str]:
    words = WORDS[wording.lang]
    entry = wording.vocabulary.by_key.get(question.key)
    text = (entry.question or {}).get(wording.lang, "") if entry else ""
    out = [f"    {position}. {text or question.key} [{question.key}]"]
    if entry is not None and entry.source:
        out.append(f"       {words['source']}: {wording.cite(entry.source)}")
    for effect in question.answers:
        out.append(f"       {answer_text(question.key, effect.value, wording)} → {effect_text(effect, wording)}")
    if question.together:
        out.append(f"       {words['together']}: " + ", ".join(outcomes_summary(question.outcomes, wording)))
    return out


def effect_text(effect: Any, wording: Any) -> str:
    """``rules out: risk class minimal risk; makes certain: risk class high-risk AI system, 3 obligations``."""
    words = WORDS[wording.lang]
    parts = []
    for name, atoms in ((words["rules_out"], effect.rules_out), (words["makes_certain"], effect.makes_certain)):
        if atoms:
            parts.append(f"{name} " + ", ".join(outcomes_summary(atoms, wording)))
    return "; ".join(parts) or words["changes_nothing"]


def _counted(forms: tuple[str, str], n: int) -> str:
    """``forms`` (singular, plural) for ``n``: "1 obligation", "3 obligations"."""
    return forms[0 if n == 1 else 1].format(n=n)


def outcomes_summary(atoms: Any, wording: Any) -> list[str]:
    """Risk classes and conclusions in words, roles and obligations counted."""
    words = WORDS[wording.lang]
    classes = [words["class"].format(x=outcome_text(a, wording))
               for a in sorted((a for a in atoms if a.name == "risk_class"), key=lambda a: risk_order(_plain(a.arguments[1])))]
    roles = [words["role"].format(x=outcome_text(a, wording)) for a in atoms if a.name == "role"]
    others = [outcome_text(a, wording) for a in sorted(atoms) if a.name not in CHECKLIST]
    obligations = sum(1 for a in atoms if a.name == "obligation")
    dates = sum(1 for a in atoms if a.name == "obligation_applies_from")
    if len(others) > OTHERS_LIMIT:
        others = others[:OTHERS_LIMIT] + [_counted(words["more"], len(others) - OTHERS_LIMIT)]
    out = classes + others + roles
    if obligations:
        out.append(_counted(words["obligations"], obligations))
    elif dates:
        out.append(_counted(words["dates"], dates))
    return out
