"""The input vocabulary as a Markdown reference (docs/vocabulary.md), generated from the catalogue."""

from __future__ import annotations

from .citation_nl import cite
from .vocabulary import Entry, Vocabulary

TYPE_WORDS = {
    "id": "identifier", "text": "text", "bool": "true / false / unknown", "enum": "one of",
    "list": "list of", "date": "date YYYY-MM-DD", "number": "number", "integer": "whole number",
}
#: The same in Dutch (docs/vocabulaire.md).
TYPE_WORDS_NL = {
    "id": "code", "text": "tekst", "bool": "true / false / unknown", "enum": "een van",
    "list": "lijst van", "date": "datum JJJJ-MM-DD", "number": "getal", "integer": "geheel getal",
}
#: The other words of the reference, per language.
WORDS = {
    "en": {"title": "# Input vocabulary", "generated": "Generated from `kb/vocabulary.yaml` by `aiact-asp vocabulary`; do not edit by hand.",
           "header": "| key | type | default | source | question | help |", "other": "Other", "alias": "alias of",
           "value_of": "value of", "absent_false": "absent = false", "absent_none": "absent = not stated"},
    "nl": {"title": "# Invoervocabulaire",
           "generated": "Gemaakt uit `kb/vocabulary.yaml` door `aiact-asp vocabulary --lang nl`; niet met de hand bewerken.",
           "header": "| sleutel | soort | standaard | bron | vraag | toelichting |", "other": "Overig", "alias": "andere naam voor",
           "value_of": "waarde van", "absent_false": "ontbreekt = false", "absent_none": "ontbreekt = niet opgegeven"},
}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _type(entry: Entry, lang: str = "en") -> str:
    words = (TYPE_WORDS_NL if lang == "nl" else TYPE_WORDS)[entry.type]
    if entry.values:
        words += ": " + ", ".join(f"`{v}`" for v in entry.values)
    if entry.unit:
        words += f" ({entry.unit})"
    return words


def _default(entry: Entry, lang: str = "en") -> str:
    words = WORDS[lang]
    if entry.default is not None:
        value = entry.default
        return "`" + (str(value).lower() if isinstance(value, bool) else str(value)) + "`"
    if entry.default_from:
        return f"{words['value_of']} `{entry.default_from}`"
    if entry.type in ("id", "text"):
        return ""
    return words["absent_false"] if entry.type == "bool" else words["absent_none"]


def vocabulary_markdown(vocabulary: Vocabulary, lang: str = "en") -> str:
    """Markdown tables of every key: type, default, source, question and help (``lang``)."""
    other = "nl" if lang == "en" else "en"
    words = WORDS[lang]
    lines = [words["title"], "", words["generated"], ""]
    sections = vocabulary.sections or [{"id": ""}]
    order = {s["id"]: i for i, s in enumerate(sections)}
    grouped: dict[str, list[Entry]] = {}
    for entry in vocabulary.entries:
        grouped.setdefault(entry.section or "", []).append(entry)
    for section_id in sorted(grouped, key=lambda s: order.get(s, len(order))):
        section = next((s for s in sections if s.get("id") == section_id), {})
        title = section.get("title", {}).get(lang) if isinstance(section.get("title"), dict) else None
        lines += [f"## {title or section_id or words['other']}", ""]
        lines += [words["header"], "|---|---|---|---|---|---|"]
        for entry in grouped[section_id]:
            if entry.is_alias:
                target = f"{words['alias']} `{entry.alias_of}`" + (f" = `{entry.alias_value}`" if entry.alias_value else "")
                lines.append(f"| `{entry.key}` | {target} | | | | {_cell(entry.help.get(lang, ''))} |")
                continue
            question = entry.question.get(lang) or entry.question.get(other, "")
            lines.append(f"| `{entry.key}` | {_cell(_type(entry, lang))} | {_default(entry, lang)} | {_cell(cite(entry.source, lang))} | "
                         f"{_cell(question)} | {_cell(entry.help.get(lang, ''))} |")
        lines.append("")
    return "\n".join(lines)
