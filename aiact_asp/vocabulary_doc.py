"""The input vocabulary as a Markdown reference (docs/vocabulary.md), generated from the catalogue."""

from __future__ import annotations

from .vocabulary import Entry, Vocabulary

TYPE_WORDS = {
    "id": "identifier", "text": "text", "bool": "true / false / unknown", "enum": "one of",
    "list": "list of", "date": "date YYYY-MM-DD", "number": "number", "integer": "whole number",
}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _type(entry: Entry) -> str:
    words = TYPE_WORDS[entry.type]
    if entry.values:
        words += ": " + ", ".join(f"`{v}`" for v in entry.values)
    if entry.unit:
        words += f" ({entry.unit})"
    return words


def _default(entry: Entry) -> str:
    if entry.default is not None:
        value = entry.default
        return "`" + (str(value).lower() if isinstance(value, bool) else str(value)) + "`"
    if entry.default_from:
        return f"value of `{entry.default_from}`"
    if entry.type in ("id", "text"):
        return ""
    return "absent = false" if entry.type == "bool" else "absent = not stated"


def vocabulary_markdown(vocabulary: Vocabulary, lang: str = "en") -> str:
    """Markdown tables of every key: type, default, source, question and help (``lang``)."""
    other = "nl" if lang == "en" else "en"
    lines = [
        "# Input vocabulary" if lang == "en" else "# Invoervocabulaire",
        "",
        "Generated from `kb/vocabulary.yaml` by `aiact-asp vocabulary`; do not edit by hand.",
        "",
    ]
    sections = vocabulary.sections or [{"id": ""}]
    order = {s["id"]: i for i, s in enumerate(sections)}
    grouped: dict[str, list[Entry]] = {}
    for entry in vocabulary.entries:
        grouped.setdefault(entry.section or "", []).append(entry)
    for section_id in sorted(grouped, key=lambda s: order.get(s, len(order))):
        section = next((s for s in sections if s.get("id") == section_id), {})
        title = section.get("title", {}).get(lang) if isinstance(section.get("title"), dict) else None
        lines += [f"## {title or section_id or 'Other'}", ""]
        lines += ["| key | type | default | source | question | help |", "|---|---|---|---|---|---|"]
        for entry in grouped[section_id]:
            if entry.is_alias:
                target = f"alias of `{entry.alias_of}`" + (f" = `{entry.alias_value}`" if entry.alias_value else "")
                lines.append(f"| `{entry.key}` | {target} | | | | {_cell(entry.help.get(lang, ''))} |")
                continue
            question = entry.question.get(lang) or entry.question.get(other, "")
            lines.append(f"| `{entry.key}` | {_cell(_type(entry))} | {_default(entry)} | {_cell(entry.source)} | "
                         f"{_cell(question)} | {_cell(entry.help.get(lang, ''))} |")
        lines.append("")
    return "\n".join(lines)
