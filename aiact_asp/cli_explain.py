"""``aiact-asp explain``: why a conclusion holds (derivation tree) and why another does not.

    aiact-asp explain facts/cv-screening.yaml
    aiact-asp explain facts/ --system triage-verblijfsaanvragen --why-not high_risk
    aiact-asp explain facts/robot-bibliotheek.yaml 'transparency_obligation("50(1)")' --format markdown --lang nl

Formats: docs/explanations.md. Exit codes as for ``solve``.
"""

from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path

import click

from .errors import KnowledgeBaseError, error_line
from . import jsonout


def _lazy_cli():
    from . import cli

    return cli


@click.command("explain", short_help="Explain why a conclusion holds, or why it does not.")
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("conclusions", nargs=-1)
@click.option("--system", "system_ids", multiple=True, metavar="ID",
              help="Explain only this system (repeatable); default: every system in PATH.")
@click.option("--why-not", "why_not", multiple=True, metavar="CONCLUSION",
              help="Explain why a conclusion does NOT hold, e.g. high_risk or 'transparency_obligation(\"50(1)\")' (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "nl"]), default="en", show_default=True, help="Language (English or Dutch).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="Assessment date: provisions that apply only from a later date are not applied (default: today; a case file's expect.as_of sets its own).")
@click.option("--kb", "kb_dir", type=click.Path(file_okay=False, path_type=Path), help="Knowledge-base folder to use instead of the shipped kb/.")
@click.option("--all", "all_routes", is_flag=True,
              help="With --why-not: show every route, not only the 5 that need the fewest changes.")
@click.option("--depth", default=5, show_default=True, type=click.IntRange(0, 10),
              help="How far the reason of a 'not ...' condition is worked out (legal concepts below each other).")
@click.option("--open-world", "open_world", is_flag=True,
              help="As for `solve`: keys of a catalogue section a description does not answer at all are open.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of the screen.")
def explain_command(path: Path, conclusions: tuple[str, ...], system_ids: tuple[str, ...], why_not: tuple[str, ...],
                    fmt: str, lang: str, as_of: str | None, kb_dir: Path | None, all_routes: bool, depth: int,
                    open_world: bool, output: Path | None) -> None:
    """Explain the conclusions about the systems in PATH: for each CONCLUSION (a name such as
    high_risk, or name(arguments)) the rules, legal sources and facts it rests on; with --why-not,
    which conditions fail for a conclusion that does not hold and which input facts would have to
    change. Without CONCLUSION every conclusion is explained."""
    from .api import classify_paths
    from .explain import explain_run
    from .explain_render import render_json, render_markdown, render_text

    cli = _lazy_cli()
    cli._refuse_output_among_inputs(output, (path,), lang)
    try:
        date = _dt.date.fromisoformat(as_of) if as_of else _dt.date.today()
    except ValueError:
        raise click.BadParameter(f"{as_of!r} is not a date written YYYY-MM-DD", param_hint="--as-of") from None
    try:
        world = "sections" if open_world else None
        run = classify_paths([path], date, kb_dir, world, keep_answer_sets=True)  # the trees use its answer sets
    except KnowledgeBaseError as exc:
        cli._fail_kb(exc)
    known = {r.id for r in run.results}
    missing = [s for s in system_ids if s not in known]
    for system in missing:
        listed = ", ".join(sorted(known)) if len(known) <= 20 else ""
        if lang == "nl":
            click.echo(f"fout: geen systeem met id {system!r} in {path}" + (f" (wel: {listed})" if listed else ""), err=True)
        else:
            click.echo(f"error: no system with id {system!r} in {path}" + (f" (there are: {listed})" if listed else ""), err=True)
    try:
        explained = explain_run(run, lang, systems=list(system_ids) or None, conclusions=conclusions or None,
                                why_not=why_not, as_of=date, absent_depth=depth, open_world=world)
    except ValueError as exc:
        if lang == "nl" and hasattr(exc, "message"):  # click's own wording of a bad value is English
            click.echo(f"fout: ongeldige waarde: {exc.message(lang)}", err=True)
            sys.exit(2)
        raise click.BadParameter(str(exc)) from None
    if fmt == "json":
        text = jsonout.dumps(render_json(explained, lang, all_routes)) + "\n"
    elif fmt == "markdown":
        text = render_markdown(explained, lang, all_routes)
    else:
        text = render_text(explained, lang, all_routes)
    if run.results or output is None:  # nothing could be read: an existing -o file is left as it was
        cli._write(text, output)
    for error in run.errors:
        click.echo(error_line(error, lang), err=True)
    sys.exit(cli.EXIT_INPUT if run.errors or missing else cli.EXIT_OK)
