"""Command line: ``aiact-asp inventory PATH...`` and ``aiact-asp import algoritmeregister FILE``
(options only; the work is done in :mod:`aiact_asp.inventory` and :mod:`aiact_asp.importer`)."""

from __future__ import annotations

import datetime as _dt
import shutil
import sys
from pathlib import Path

import click

from .cli import EXIT_INPUT, EXIT_OK, _as_of
from .errors import KnowledgeBaseError, error_line


@click.command("inventory", short_help="Inventory: one row per system, with totals.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))  # unreadable: reported as input, per file or folder
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx", "markdown", "html", "json"]),
              default="table", show_default=True, help="Output format (xlsx needs -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the inventory to this file.")
@click.option("--as-of", "as_of", callback=_as_of, metavar="YYYY-MM-DD", help="Assessment date (default: today; a case file's expect.as_of sets its own, and a line names those systems).")
@click.option("--lang", type=click.Choice(["en", "nl"]), default="en", show_default=True, help="Language of headings and labels.")
@click.option("--kb", "kb_dir", type=click.Path(file_okay=False, path_type=Path), help="Knowledge-base folder instead of the shipped kb/.")
@click.option("--questions/--no-questions", default=True, show_default=True,
              help="Count the open questions that can still change each outcome (slower with many open facts).")
@click.option("--width", type=click.IntRange(min=0), metavar="CHARACTERS",
              help="Fit the table to this width (default: the terminal's, when the table goes to a terminal; "
                   "0: every column, none left out; long cells are still cut: --format csv, xlsx or html shows them whole).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on standard error (default: when it is a terminal).")
def inventory_command(paths: tuple[Path, ...], fmt: str, output: Path | None, as_of: _dt.date, lang: str,
                      kb_dir: Path | None, questions: bool, width: int | None, progress: bool | None) -> None:
    """One row per system of PATHS (YAML files or folders): the Handreiking §2.1 fields, risk
    class and grounds, roles, obligations and open questions, with totals per risk class and
    per role. Descriptions that cannot be read are listed apart; the others are still solved."""
    from .cli import _fail_kb, _refuse_output_among_inputs, _write
    from .inventory import inventory_paths
    from .inventory_formats import render
    from .progress import Progress

    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a workbook: give a file with -o")
    _refuse_output_among_inputs(output, paths, lang)
    bar = Progress(enabled=progress, lang=lang)
    try:
        inventory = inventory_paths(paths, as_of, kb_dir, questions=questions, progress=bar)
    except KnowledgeBaseError as exc:
        bar.done()
        _fail_kb(exc)
    bar.phase("writing")
    if width is None and fmt == "table" and output is None and sys.stdout.isatty():
        width = shutil.get_terminal_size().columns  # on a terminal the table is fitted to it; a file gets it whole
    result = render(inventory, fmt, lang, width or None)
    bar.done()
    _write(result, output)
    for error in inventory.failed:
        click.echo(error_line(error, lang), err=True)
    sys.exit(EXIT_INPUT if inventory.failed else EXIT_OK)


@click.group("import", short_help="Make descriptions from an existing register.")
def import_group() -> None:
    """Make descriptions from an existing register (skeletons for the expert to complete)."""


@import_group.command("algoritmeregister", short_help="Skeleton descriptions from an Algoritmeregister export.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the descriptions (one file per algorithm; created if needed).")
@click.option("--organisation", help="Import only the algorithms of this organisation (as written in the register).")
@click.option("--lang", type=click.Choice(["en", "nl"]), default="nl", show_default=True, help="Language of the questions written as comments, and of this command's messages.")
@click.option("--kb", "kb_dir", type=click.Path(file_okay=False, path_type=Path), help="Knowledge-base folder instead of the shipped kb/.")
@click.option("-v", "--verbose", is_flag=True, help="List every key added to an existing file.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on standard error (default: when it is a terminal).")
def import_algoritmeregister(file: Path, out_dir: Path, organisation: str | None, lang: str, kb_dir: Path | None,
                             verbose: bool, progress: bool | None) -> None:
    """Turn an Algoritmeregister export FILE (CSV or JSON) into one skeleton description per
    algorithm in a folder: the inventory fields filled in, every legal fact `unknown`, the
    register's texts as comments. Importing again keeps every answer already given."""
    from .importer import RegisterError, import_register, read_records, report_text
    from .progress import Progress

    bar = Progress(enabled=progress, lang=lang)
    try:
        bar.phase("reading the export")
        total = len(read_records(file))
        bar.phase("writing descriptions", total=total)
        report = import_register(file, out_dir, organisation, kb_dir, lang, on_record=bar.advance)
    except RegisterError as exc:
        bar.done()
        click.echo(f"{'fout' if lang == 'nl' else 'error'}: {exc.text(lang)}", err=True)
        sys.exit(EXIT_INPUT)
    bar.done()
    click.echo(report_text(report, out_dir, verbose, lang), nl=False)
    sys.exit(EXIT_INPUT if report.count("error") else EXIT_OK)
