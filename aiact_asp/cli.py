"""Command line: ``aiact-asp solve PATH...`` (the options only; the work is done elsewhere).

Exit codes (docs/input-rules.md): 0 every description was read and classified (findings do
not change it); 2 some input could not be read (the others were still classified and
reported), the command line was wrong, or the report could not be written; 3 the knowledge
base has an error; 4 an internal error of the tool.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from typing import Iterable
from pathlib import Path

import click

from .errors import KnowledgeBaseError, ShareFailed, error_line
from .symbols import collect_cycles_less_often

EXIT_OK, EXIT_INPUT, EXIT_KB, EXIT_INTERNAL = 0, 2, 3, 4


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> _dt.date:
    if value is None:
        return _dt.date.today()
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date written YYYY-MM-DD") from None


def _jobs(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise click.BadParameter(f"must be a whole number of 1 or more (processes), got {value!r}")
    return number


as_of_option = click.option("--as-of", "as_of", callback=_as_of, metavar="YYYY-MM-DD",
                            help="Assessment date: provisions that apply only from a later date are not applied (default: today; a case file's expect.as_of sets its own).")
kb_option = click.option("--kb", "kb_dir", type=click.Path(file_okay=False, path_type=Path),
                         help="Knowledge-base folder to use instead of the shipped kb/.")
lang_option = click.option("--lang", type=click.Choice(["en", "nl"]), default="en", show_default=True,
                           help="Language of the report (English or Dutch).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aiact-asp")
def main() -> None:
    """Classify AI systems under the EU AI Act (Regulation (EU) 2024/1689 as amended by Regulation (EU) 2026/1744)."""
    collect_cycles_less_often()  # the shares of a large run (aiact_asp/parallel.py) are forked and keep it


@main.command(short_help="Classify the AI systems described in YAML files.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))  # unreadable: reported as input, per file or folder
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@as_of_option
@kb_option
@click.option("--rules/--no-rules", default=True, show_default=True, help="Show the rules that fired under each conclusion (text).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file instead of the screen.")
@click.option("--explain", is_flag=True, help="Add under each system the derivation tree of every conclusion (docs/explanations.md).")
@click.option("--open-world", "open_world", is_flag=True,
              help="Leave open (as if written `unknown`) every key of a catalogue section that a description does not "
                   "answer at all, i.e. states no key of (sections: `aiact-asp vocabulary`); keys with a default keep it. "
                   "Without it a key left out counts as false. Shows what is certain, what is possible and the open "
                   "questions (docs/output.md).")
@click.option("--jobs", "jobs", callback=_jobs, metavar="N",
              help="Processes to classify the systems in (Linux), each reading a share of the files and grounding "
                   "their systems in one run; at most one per processor and one per file. Default: one per MiB of "
                   "description files (per 16 KiB with --open-world, whose systems cost more), up to the number of "
                   "processors. Always one with --explain. The report is the same whatever the number.")
@click.option("--progress/--no-progress", default=None,
              help="Progress on standard error for runs that take more than a second (default: when it is a terminal).")
def solve(paths: tuple[Path, ...], fmt: str, lang: str, as_of: _dt.date, kb_dir: Path | None, rules: bool, output: Path | None,
          explain: bool = False, open_world: bool = False, jobs: int | None = None, progress: bool | None = None) -> None:
    """Classify the systems described in PATHS (YAML files or folders of them)."""
    from . import fastload, parallel
    from .api import classify_descriptions, load_kb, load_kb_vocabulary
    from .loader import iter_files
    from .progress import Progress, Ticker
    from .report import run_json_text, run_text_pieces

    files, errors = iter_files(paths)
    _refuse_output_among_inputs(output, paths, lang, files)
    open_mode = "sections" if open_world else None
    bar = Progress(enabled=progress, lang=lang)
    try:
        kb = load_kb(kb_dir)
        vocabulary = load_kb_vocabulary(kb.directory)
        processes = 1 if explain else parallel.jobs_for(files, jobs, open_world)
        if processes > 1:  # a large run: shares of the files in processes of their own (aiact_asp/parallel.py)
            bar.phase("reading and classifying in {n} processes", n=processes)
            errors, report = parallel.solve_report(files, errors, kb, vocabulary, as_of, open_mode, fmt, lang, rules,
                                                   output is not None, processes, waiting=Ticker(bar))
        else:
            bar.phase("reading files", total=len(files))
            descriptions, errors = fastload.read_files(files, errors, vocabulary, on_file=lambda _: bar.advance())
            bar.phase("grounding and solving" + (", open questions" if open_world else ""))
            with Ticker(bar):
                run = classify_descriptions(descriptions, kb, vocabulary, as_of, errors, open_world=open_mode,
                                            keep_answer_sets=explain)
    except KnowledgeBaseError as exc:
        bar.done()
        _fail_kb(exc)
    bar.done()  # cleared before the error lines and the report
    if processes == 1:
        if explain:  # derivation trees under each system (aiact_asp/explain.py)
            from .explain_render import solve_report
            report = solve_report(run, fmt, lang, rules, as_of, open_world=open_mode)
        else:
            report = run_json_text(run, lang) if fmt == "json" else run_text_pieces(run, lang, rules, errors=output is not None)
    for error in errors:  # before the report: on a terminal its summary line comes last
        click.echo(error_line(error, lang), err=True)
    _write(report, output)
    sys.exit(EXIT_INPUT if errors else EXIT_OK)


@main.command(short_help="List the keys a description may use (or a JSON Schema).")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json-schema"]), default="markdown", show_default=True)
@click.option("--lang", type=click.Choice(["en", "nl"]), default="en", show_default=True,
              help="Language of the questions and explanations (English or Dutch).")
@kb_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
def vocabulary(fmt: str, lang: str, kb_dir: Path | None, output: Path | None) -> None:
    """Print the input vocabulary (every key of a description) or its JSON Schema."""
    from .kb import default_kb_dir
    from .vocabulary_doc import vocabulary_markdown

    from .api import load_kb_vocabulary

    try:
        catalogue = load_kb_vocabulary(kb_dir or default_kb_dir())
    except KnowledgeBaseError as exc:
        _fail_kb(exc)
    text = vocabulary_markdown(catalogue, lang) if fmt == "markdown" else json.dumps(catalogue.json_schema(), indent=2) + "\n"
    _write(text, output)


def _write(text: str | bytes | Iterable[str], output: Path | None) -> None:
    """Print ``text`` (a string, its pieces in order, or bytes such as an XLSX file), or write it
    to ``output`` atomically (text as UTF-8): into a temporary file beside it that then replaces
    it, so that an existing file is either replaced whole or left as it was. A file that cannot
    be written is an error (exit code 2), never a traceback."""
    pieces = [text] if isinstance(text, (str, bytes)) else text
    if output is None:
        for piece in pieces:
            click.echo(piece, nl=False)
        return
    import os
    import tempfile

    target = Path(os.path.realpath(output))  # write through a symbolic link, do not replace it
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as stream:
            for piece in pieces:
                stream.write(piece if isinstance(piece, bytes) else piece.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~umask)
        os.replace(tmp, target)
    except (OSError, UnicodeError) as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        click.echo(f"error: cannot write {output}: {getattr(exc, 'strerror', None) or exc}", err=True)
        sys.exit(EXIT_INPUT)


def _refuse_output_among_inputs(output: Path | None, paths: tuple[Path, ...], lang: str = "en",
                                files: list[Path] | None = None) -> None:
    """Exit with code 2 when ``-o`` names one of the description files being read (``files``:
    those of ``paths``, when the caller has them already)."""
    if output is None:
        return
    if files is None:
        from .loader import iter_files

        files, _ = iter_files(paths)
    if Path(output).resolve() in {f.resolve() for f in files}:
        if lang == "nl":
            click.echo(f"fout: het uitvoerbestand {output} is een van de invoerbestanden; het zou overschreven worden", err=True)
        else:
            click.echo(f"error: the output file {output} is one of the input files; it would be overwritten", err=True)
        sys.exit(EXIT_INPUT)


def _fail_kb(exc: KnowledgeBaseError) -> None:
    click.echo("error: the knowledge base has a problem:", err=True)
    for error in exc.errors:
        click.echo(f"  {error}", err=True)
    sys.exit(EXIT_KB)


from .cli_workbench import diff_command, lint_command, test_command  # noqa: E402 — the rule author's workbench

for _command in (test_command, diff_command, lint_command):
    main.add_command(_command)

from .cli_explain import explain_command  # noqa: E402 — why a conclusion holds, and why another does not

main.add_command(explain_command)

from .cli_inventory import import_group, inventory_command  # noqa: E402 — inventory and Algoritmeregister import

main.add_command(inventory_command)
main.add_command(import_group)

from .cli_ask import ask_command  # noqa: E402 — the questionnaire: only the questions that can matter

main.add_command(ask_command)


def run() -> None:
    """Entry point: never show a traceback to the user."""
    try:
        main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except ShareFailed as exc:  # a process of a large run was stopped (e.g. out of memory): not a defect
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INTERNAL)
    except Exception as exc:  # noqa: BLE001 — the last line of defence
        click.echo(f"internal error of aiact-asp: {type(exc).__name__}: {exc}\n"
                   "Please report this together with the command and the input file.", err=True)
        sys.exit(EXIT_INTERNAL)
