"""Command line: ``aiact-asp solve PATH...`` (the options only; the work is done elsewhere).

Exit codes: 0 every description was read and classified; 2 some input could not be read
(the others were still classified and reported) or the command line was wrong; 3 the
knowledge base has an error; 4 an internal error of the tool.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from pathlib import Path

import click

from .errors import KnowledgeBaseError

EXIT_OK, EXIT_INPUT, EXIT_KB, EXIT_INTERNAL = 0, 2, 3, 4


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> _dt.date:
    if value is None:
        return _dt.date.today()
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date written YYYY-MM-DD") from None


as_of_option = click.option("--as-of", "as_of", callback=_as_of, metavar="YYYY-MM-DD",
                            help="Assessment date: provisions that apply only from a later date are not applied (default: today).")
kb_option = click.option("--kb", "kb_dir", type=click.Path(file_okay=False, path_type=Path),
                         help="Knowledge-base folder to use instead of the shipped kb/.")
lang_option = click.option("--lang", type=click.Choice(["en", "nl"]), default="en", show_default=True,
                           help="Language of the report (English or Dutch).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aiact-asp")
def main() -> None:
    """Classify AI systems under the EU AI Act (Regulation (EU) 2024/1689 as amended by 2026/1744)."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@as_of_option
@kb_option
@click.option("--rules/--no-rules", default=True, show_default=True, help="Show the rules that fired under each conclusion (text).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file instead of the screen.")
def solve(paths: tuple[Path, ...], fmt: str, lang: str, as_of: _dt.date, kb_dir: Path | None, rules: bool, output: Path | None) -> None:
    """Classify the systems described in PATHS (YAML files or folders of them)."""
    from .api import classify_paths
    from .report import run_json, run_text

    try:
        run = classify_paths(paths, as_of, kb_dir)
    except KnowledgeBaseError as exc:
        _fail_kb(exc)
    report = json.dumps(run_json(run, lang), ensure_ascii=False, indent=2) + "\n" if fmt == "json" else run_text(run, lang, rules)
    _write(report, output)
    for error in run.errors:
        click.echo(f"error: {error}", err=True)
    sys.exit(EXIT_INPUT if run.errors else EXIT_OK)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["markdown", "json-schema"]), default="markdown", show_default=True)
@lang_option
@kb_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
def vocabulary(fmt: str, lang: str, kb_dir: Path | None, output: Path | None) -> None:
    """Print the input vocabulary (every key of a description) or its JSON Schema."""
    from .kb import default_kb_dir
    from .vocabulary import load_vocabulary
    from .vocabulary_doc import vocabulary_markdown

    catalogue = load_vocabulary((kb_dir or default_kb_dir()) / "vocabulary.yaml")
    text = vocabulary_markdown(catalogue, lang) if fmt == "markdown" else json.dumps(catalogue.json_schema(), indent=2) + "\n"
    _write(text, output)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(output)


def _fail_kb(exc: KnowledgeBaseError) -> None:
    click.echo("error: the knowledge base has a problem:", err=True)
    for error in exc.errors:
        click.echo(f"  {error}", err=True)
    sys.exit(EXIT_KB)


from .cli_workbench import diff_command, lint_command, test_command  # noqa: E402 — the rule author's workbench

for _command in (test_command, diff_command, lint_command):
    main.add_command(_command)


def run() -> None:
    """Entry point: never show a traceback to the user."""
    try:
        main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 — the last line of defence
        click.echo(f"internal error of aiact-asp: {type(exc).__name__}: {exc}\n"
                   "Please report this together with the command and the input file.", err=True)
        sys.exit(EXIT_INTERNAL)
