"""An inventory as a table on screen, CSV, XLSX, Markdown or JSON (HTML: :mod:`aiact_asp.inventory_html`).

Every format holds the same rows (:func:`aiact_asp.inventory.flat_row`), the totals per risk
class and per role, and the descriptions that could not be read with their reason.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import textwrap
from typing import Any

from .citation_nl import citation_nl
from .inventory import (COLUMNS, HANDREIKING_COLUMNS, NUMBER_COLUMNS, Inventory, SharedTail, Words, _grounds, failed_rows,
                        flat_row, inventory_json)

FORMATS = ("table", "csv", "xlsx", "markdown", "html", "json")
BINARY_FORMATS = ("xlsx",)


def render(inventory: Inventory, fmt: str, lang: str = "en", width: int | None = None) -> str | bytes:
    """``inventory`` in format ``fmt`` (one of :data:`FORMATS`); XLSX as bytes, the others as text.
    ``width``: the terminal's width, to which the table is fitted (the other formats ignore it)."""
    if fmt == "table":
        return table(inventory, lang, width)
    if fmt == "csv":
        return to_csv(inventory, lang)
    if fmt == "xlsx":
        return to_xlsx(inventory, lang)
    if fmt == "markdown":
        return markdown(inventory, lang)
    if fmt == "html":
        from .inventory_html import to_html

        return to_html(inventory, lang)
    if fmt == "json":
        return json_text(inventory_json(inventory, lang))
    raise ValueError(f"unknown format {fmt!r}")


def json_text(data: dict) -> str:
    """``data`` as JSON with one top-level key, and one list element, per line.

    Fast for large inventories (the C encoder, which ``indent`` would switch off) and still
    easy to read and to compare line by line."""
    out = ["{"]
    items = list(data.items())
    shared: dict[int, tuple[dict, str]] = {}
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if isinstance(value, list) and value:
            out.append(f"  {json.dumps(key)}: [")
            last = len(value) - 1
            out += [f"    {_item_json(item, shared)}{',' if j < last else ''}" for j, item in enumerate(value)]
            out.append(f"  ]{comma}")
        else:
            out.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    out.append("}")
    return "\n".join(out) + "\n"


def _item_json(item: Any, shared: dict[int, tuple[dict, str]]) -> str:
    """``json.dumps(item, ensure_ascii=False)``; the shared tail of a
    :class:`~aiact_asp.inventory.SharedTail` is encoded once (``shared`` keeps them)."""
    tail = getattr(item, "shared", None) if isinstance(item, SharedTail) else None
    if not tail or len(tail) >= len(item):
        return json.dumps(item, ensure_ascii=False)
    found = shared.get(id(tail))
    if found is None or found[0] is not tail:
        found = shared[id(tail)] = (tail, json.dumps(tail, ensure_ascii=False))
    head = dict(itertools.islice(item.items(), len(item) - len(tail)))
    if head.keys() & tail.keys() or any(item[k] is not v for k, v in tail.items()):  # not a plain tail: as it is
        return json.dumps(item, ensure_ascii=False)
    return json.dumps(head, ensure_ascii=False)[:-1] + ", " + found[1][1:]


def _totals(inventory: Inventory, words: Words) -> tuple[list[tuple[str, int]], list[tuple[str, str]]]:
    risk = [(words.risk_class(k), n) for k, n in inventory.totals_risk.items()]
    roles = []
    for role, counts in inventory.totals_role.items():
        extra = f" (+{counts['undetermined']} ?)" if counts["undetermined"] else ""
        roles.append((words.role(role), f"{counts['certain']}{extra}"))
    return risk, roles


# --------------------------------------------------------------------------- table (screen)

#: The columns of the on-screen table, with their widths (``0``: the rest of the line).
#: The terminal table's columns and widths: the name beside the id (an imported register's ids are
#: codes such as alg-15759870, which say nothing by themselves).
TABLE_COLUMNS = (("id", 20), ("name", 28), ("status", 14), ("ai_system", 16), ("risk_classification", 30),
                 ("grounds", 26), ("role", 24), ("obligations", 12), ("open_questions", 5))


#: The narrowest each column may become to fit a terminal (``table(..., width=...)``).
TABLE_MIN_WIDTHS = {"id": 14, "name": 14, "status": 10, "ai_system": 12, "risk_classification": 18, "grounds": 14,
                    "role": 12, "obligations": 9, "open_questions": 4}
#: Columns left out, in this order, when even the narrowest widths do not fit (the risk
#: classification says whether it is an AI system; csv/xlsx/html always show every column).
TABLE_DROP_ORDER = ("status", "ai_system", "name", "open_questions")


def table_columns(width: int | None) -> tuple[list[tuple[str, int]], list[str]]:
    """The columns of the terminal table and their widths for a terminal ``width`` characters
    wide (``None``: every column at full width), and the columns left out to fit.

    Columns first narrow (each to at most its share of what is missing, down to
    :data:`TABLE_MIN_WIDTHS`), then the columns of :data:`TABLE_DROP_ORDER` are left out; a
    table that cannot fit even so keeps the narrowest widths (the terminal wraps it)."""
    columns = dict(TABLE_COLUMNS)
    dropped: list[str] = []

    def total() -> int:
        return sum(columns.values()) + 2 * (len(columns) - 1)

    if width is None or total() <= width:
        return list(columns.items()), dropped
    while total() > width:
        excess = total() - width
        slack = {c: w - TABLE_MIN_WIDTHS[c] for c, w in columns.items() if w > TABLE_MIN_WIDTHS[c]}
        if not slack:
            droppable = [c for c in TABLE_DROP_ORDER if c in columns]
            if not droppable:
                break
            # leave a column out, then let the others take back their width
            dropped.append(droppable[0])
            columns = {c: w for c, w in TABLE_COLUMNS if c in columns and c != droppable[0]}
            continue
        room = sum(slack.values())
        for column, spare in slack.items():
            columns[column] -= max(1, min(spare, round(excess * spare / room)))
            if total() <= width:
                break
    return list(columns.items()), dropped


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _cut_middle(text: str, width: int) -> str:
    """``text`` cut in the middle: ids of one series differ at the end (naaktbeeld-ge…-2026-11 and
    naaktbeeld-ge…-2026-12), which a cut at the end would hide."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    tail = (width - 1) // 2
    return text[: width - 1 - tail] + "…" + text[len(text) - tail:]


def _annex_iii_point(point: str, words: Words) -> str:
    """A point of Annex III in a short cell: ``III 4(a)``; in Dutch as the other provisions of
    the cell are cited, ``bijlage III, punt 4, a)``, unless ``words`` cite in short (a narrow column)."""
    return citation_nl(f"Annex III {point}") if words.lang == "nl" and not words.short_citations else f"III {point}"


#: The number of an act of the Union in its label (``2017/745``, ``2006/42/EC``, ``300/2008``).
_ACT_NUMBER = re.compile(r"\b\d{2,4}/\d{1,4}(?:/E[CGU]{1,2}\b)?")


def _act_number(act: str, words: Words) -> str:
    """An Annex I act in a short cell: its number as its label gives it (``2017/745`` for
    ``medical_devices``); the label itself when it holds no number."""
    label = words.kb_label(act)
    found = _ACT_NUMBER.search(label)
    return found.group(0) if found else label


def _short_grounds(row, words: Words) -> str:
    """All grounds of a row in one short cell: ``5(1)(a); III 8(b); 6(3)(d) (III 7(c)); 50(1)``;
    for a system outside the scope the exclusion of Art. 2 (``2(3)``)."""
    legal = row.legal
    parts = []
    for key, show in (("scope_grounds", words.detail), ("prohibited", words.detail), ("annex_i", lambda g: f"I {g.detail}: {_act_number(g.ground, words)}"),
                      ("annex_iii", lambda g: _annex_iii_point(g.ground, words)),
                      ("derogation", lambda g: f"{words.provision(g.ground)} ({_annex_iii_point(g.detail, words)})"),
                      ("transparency", words.detail), ("systemic_risk", lambda g: words.provision(g.ground))):
        text = _grounds(getattr(legal, key), show, words=words)
        if text:
            parts.append(text)
    return "; ".join(parts)


def own_dates_note(inventory: Inventory, words: Words) -> str | None:
    """The line that names the systems assessed on another date than the inventory's: a case
    file's ``expect.as_of`` sets its own (e.g. an example before and after a date of
    application); ``None`` when every system is assessed on the inventory's date."""
    own = [(row.id, row.as_of.isoformat()) for row in inventory.rows if row.as_of != inventory.as_of]
    if not own:
        return None
    return words.word("own_dates").format(n=len(own), systems=", ".join(f"{i} ({d})" for i, d in own))


def table(inventory: Inventory, lang: str = "en", width: int | None = None) -> str:
    """A plain-text table for the terminal: one line per system, then totals and failures.

    ``width``: the terminal's width in characters; the table is fitted to it (:func:`table_columns`)
    and a line names the columns left out. ``None``: every column at full width (a file)."""
    words = Words(inventory, lang)
    columns, dropped = table_columns(width)
    headings = {"status": words.word("table_status"), "ai_system": words.word("table_ai_system"),
                "grounds": words.word("table_grounds"), "obligations": words.word("table_obligations"),
                "open_questions": words.word("table_open")}
    out = [f"{words.word('inventory')} — {words.word('assessed')} {inventory.as_of.isoformat()}", ""]
    note = own_dates_note(inventory, words)
    if note:
        out[1:1] = textwrap.wrap(note, max(width - 1, 40), break_on_hyphens=False) if width else [note]
    header = []
    for column, size in columns:
        heading = headings.get(column) or words.heading(column)
        if len(heading) > size:  # its short form, where there is one
            heading = words.short_heading(column) or heading
        header.append(_cut(heading, size).ljust(size))
    out.append("  ".join(header).rstrip())
    out.append("  ".join("-" * w for _, w in columns))
    widths = dict(columns)
    compact = Words(inventory, lang, short_citations=True) if lang == "nl" else None  # grounds as 5(1)(g), III 4(a)
    rows = []
    for row in inventory.rows:
        flat = flat_row(row, words)
        legal = row.legal
        possible = f" (+{legal.obligations_now_possible}/{legal.obligations_later_possible}?)" if (
            legal.obligations_now_possible or legal.obligations_later_possible) else ""
        rows.append((row, {**flat, "grounds": _short_grounds(row, words),
                           "obligations": f"{flat['obligations_now']}/{flat['obligations_later']}{possible}"}))
    # a column too narrow for a cell's wording takes the short forms (in every cell, alike), rather
    # than cut off the point cited or "with systemic risk"
    short_risk = any(len(cells["risk_classification"]) > widths["risk_classification"] for _, cells in rows)
    short_grounds = compact is not None and any(len(cells["grounds"]) > widths["grounds"] for _, cells in rows)
    for row, cells in rows:
        if short_risk:
            cells["risk_classification"] = words.risk_classification(row.legal, short=True)
        if short_grounds:
            cells["grounds"] = _short_grounds(row, compact)
        out.append("  ".join((_cut_middle if c == "id" else _cut)(cells[c], w).ljust(w) for c, w in columns).rstrip())
    shortened = short_risk or short_grounds
    out.append("")
    risk, roles = _totals(inventory, words)
    out.append(f"{words.word('totals_risk')} ({len(inventory.rows)} {words.word('systems' if len(inventory.rows) != 1 else 'system')}):")
    pad = max([50] + [len(label) for label, _ in risk + roles])  # the counts in one column, however long a label
    out += [f"  {label:<{pad}} {n:>6}" for label, n in risk]
    out.append(f"{words.word('totals_role')}:")
    out += [f"  {label:<{pad}} {n:>6}" for label, n in roles] or [f"  {words.word('role_none')}"]
    out.append("")
    if inventory.failed:
        out.append(f"{words.word('failed')} ({len(inventory.failed)}):")
        for error in inventory.failed:
            line = f"  ✗ {error.display(lang)}"
            out += textwrap.wrap(line, max(width - 1, 40), subsequent_indent="    ", break_on_hyphens=False) if width else [line]
    else:
        out.append(words.word("none_failed"))
    out.append("")
    notes = [words.word("legend"), words.word("legend_table")]  # the short headings and cells of the table
    if shortened:
        notes.append(words.word("legend_short"))
    if dropped:
        names = ", ".join(headings.get(c) or words.heading(c) for c in dropped)
        notes.append(words.word("table_dropped").format(columns=names, width=width))
    if "open_questions" in widths:  # the column it explains
        notes.append(words.word("open_basis_questions" if inventory.open_basis == "open_questions" else "open_basis_unknown"))
    if width:  # in lines of the terminal's width, broken between words
        notes = [part for note in notes for part in textwrap.wrap(note, max(width - 1, 40), break_on_hyphens=False)]
    return "\n".join(out + notes) + "\n"


# --------------------------------------------------------------------------- CSV


#: Field separator of the CSV per language: a spreadsheet program with Dutch regional settings
#: (decimal comma) expects a semicolon, one with English settings a comma.
CSV_SEPARATOR = {"en": ",", "nl": ";"}


def to_csv(inventory: Inventory, lang: str = "en") -> str:
    """One row per system under a row of headings (in ``lang``), UTF-8 with a byte-order mark,
    fields separated as spreadsheet programs of that language expect (:data:`CSV_SEPARATOR`).

    A CSV file holds one table, so the totals and the descriptions that could not be read are
    not in it (the command line prints the latter on standard error; XLSX, HTML, Markdown and
    JSON hold both).
    """
    words = Words(inventory, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_SEPARATOR.get(lang, ","), lineterminator="\r\n")
    writer.writerow([words.heading(c) for c in COLUMNS])
    for row in inventory.rows:
        flat = flat_row(row, words)
        writer.writerow([flat[c] for c in COLUMNS])
    return "\ufeff" + buffer.getvalue()  # a BOM, so that spreadsheet programs read UTF-8


# --------------------------------------------------------------------------- Markdown


def _md(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def markdown(inventory: Inventory, lang: str = "en") -> str:
    """The Handreiking §2.1 columns and the legal outcome as a Markdown table, then totals and failures."""
    words = Words(inventory, lang)
    columns = ("id", *HANDREIKING_COLUMNS, "ai_system", "scope", "prohibited", "annex_i", "annex_iii", "derogation",
               "transparency", "systemic_risk", "obligations_now", "obligations_later", "open_questions", "labels")
    out = [f"# {words.word('inventory')}", "", f"{words.word('assessed')} {inventory.as_of.isoformat()} · "
           f"{len(inventory.rows)} {words.word('systems' if len(inventory.rows) != 1 else 'system')}", ""]
    note = own_dates_note(inventory, words)
    if note:
        out += [_md(note), ""]
    out.append("| " + " | ".join(_md(words.heading(c)) for c in columns) + " |")
    out.append("|" + "|".join("---:" if c in NUMBER_COLUMNS else "---" for c in columns) + "|")
    for row in inventory.rows:
        flat = flat_row(row, words)
        out.append("| " + " | ".join(_md(textwrap.shorten(str(flat[c]), 300, placeholder=" …")) if c == "description"
                                     else _md(flat[c]) for c in columns) + " |")
    risk, roles = _totals(inventory, words)
    out += ["", f"## {words.word('totals_risk')}", "", f"| | {words.word('count')} |", "|---|---:|"]
    out += [f"| {_md(label)} | {n} |" for label, n in risk]
    out += ["", f"## {words.word('totals_role')}", "", f"| | {words.word('count')} |", "|---|---:|"]
    out += [f"| {_md(label)} | {n} |" for label, n in roles]
    out += ["", f"## {words.word('failed')}", ""]
    if inventory.failed:
        out += [f"- `{_md(e.file)}{':' + str(e.line) if e.line else ''}`{' `' + e.key + '`' if e.key else ''}: {_md(e.text(lang))}"
                for e in inventory.failed]
    else:
        out.append(words.word("none_failed"))
    out += ["", f"_{words.word('legend')}_", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- XLSX


def to_xlsx(inventory: Inventory, lang: str = "en") -> bytes:
    """A workbook: the inventory (frozen heading, filters, widths), the totals, the
    descriptions that could not be read, and an explanation sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    words = Words(inventory, lang)
    book = Workbook()
    book.properties.title = words.word("inventory")
    book.properties.creator = "aiact-asp"
    bold = Font(bold=True)
    heading_fill = PatternFill("solid", fgColor="DCE6F1")
    handreiking_fill = PatternFill("solid", fgColor="FCE4D6")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    widths = {"id": 26, "name": 32, "register_id": 16, "description": 60, "process": 26, "risk_classification": 28,
              "role": 26, "vendor": 22, "status": 14, "ai_system": 16, "scope": 22, "risk_class": 16,
              "possible_risk_classes": 24, "prohibited": 14, "annex_i": 30, "annex_iii": 12, "derogation": 18,
              "transparency": 14, "systemic_risk": 12, "roles": 20, "obligations_now": 10, "obligations_later": 10,
              "open_questions": 10, "labels": 40, "file": 36}

    sheet = book.active
    sheet.title = "Inventarisatie" if lang == "nl" else "Inventory"
    sheet.append([words.heading(c) for c in COLUMNS])
    for i, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=i)
        cell.font = bold
        cell.fill = handreiking_fill if column in HANDREIKING_COLUMNS else heading_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(i)].width = widths.get(column, 16)
    for row in inventory.rows:
        flat = flat_row(row, words)
        sheet.append([flat[c] for c in COLUMNS])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap if COLUMNS[cell.column - 1] in ("description", "name", "labels", "risk_classification") else top
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 32
    last = f"{get_column_letter(len(COLUMNS))}{max(2, len(inventory.rows) + 1)}"
    if inventory.rows:
        table_ = Table(displayName="Inventory", ref=f"A1:{last}")
        table_.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        sheet.add_table(table_)
    else:
        sheet.auto_filter.ref = f"A1:{last}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    totals = book.create_sheet("Totalen" if lang == "nl" else "Totals")
    risk, roles = _totals(inventory, words)
    totals.append([words.word("totals_risk"), words.word("count")])
    for label, n in risk:
        totals.append([label, n])
    totals.append([])
    totals.append([words.word("totals_role"), words.word("count")])
    role_header = totals.max_row
    for role, counts in inventory.totals_role.items():
        totals.append([words.role(role), counts["certain"], f"+{counts['undetermined']} ?" if counts["undetermined"] else None])
    totals.append([])
    totals.append([words.word("systems"), len(inventory.rows)])
    totals.append([words.word("failed"), len(inventory.failed)])
    for r in (1, role_header):
        for cell in totals[r]:
            cell.font = bold
    totals.column_dimensions["A"].width = 56
    totals.column_dimensions["B"].width = 12

    failed = book.create_sheet("Niet gelezen" if lang == "nl" else "Not read")
    failed.append([words.heading("file"), words.word("line"), words.word("key"), words.word("reason")])
    for cell in failed[1]:
        cell.font = bold
    for item in failed_rows(inventory, lang):
        failed.append([item["file"], item["line"], item["key"], item["reason"]])
    for column, width in zip("ABCD", (44, 8, 36, 100)):
        failed.column_dimensions[column].width = width

    about = book.create_sheet(words.word("about"))
    about.append([words.word("inventory")])
    about["A1"].font = Font(bold=True, size=13)
    about.append([f"{words.word('assessed')} {inventory.as_of.isoformat()}"])
    note = own_dates_note(inventory, words)
    if note:
        about.append([note])
    about.append([words.word("legend")])
    about.append([words.word("open_basis_questions" if inventory.open_basis == "open_questions" else "open_basis_unknown")])
    about.append(["Handreiking AI-verordening §2.1: " + ", ".join(words.heading(c) for c in HANDREIKING_COLUMNS)])
    about.append([words.word("generated_by")])
    about.column_dimensions["A"].width = 120

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
