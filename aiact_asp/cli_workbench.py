"""The rule author's workbench on the command line: ``aiact-asp test``, ``diff`` and ``lint``.

Only options are parsed here; the work is done in :mod:`aiact_asp.cases`, :mod:`aiact_asp.kbdiff`,
:mod:`aiact_asp.lint` and :mod:`aiact_asp.mutate`.

Exit codes: ``test`` 0 all cases pass, 1 a case fails (or, with ``--mutate``, a condition
survives), 2 a case file or an expectation cannot be read (misspelled conclusion), 3 the knowledge
base has an error; ``lint`` 0 no errors (warnings allowed), 1 errors; ``diff`` 0 (with
``--exit-code``: 1 when something changed), 2 input or ``--base`` unusable, 3 knowledge-base error.
"""

from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path

import click

from .cli import EXIT_INPUT, EXIT_OK, _fail_kb, _write, as_of_option, kb_option, lang_option
from .errors import KnowledgeBaseError
from . import jsonout

EXIT_FAILED = 1


#: The case folder of the project (rule-set cases that pin each condition), beside ``facts/``.
CASES_DIR = Path("tests") / "cases"


def _default_paths(paths: tuple[Path, ...], kb_dir: Path | None, with_cases: bool = False) -> list[Path]:
    """The given paths, or ``facts/`` (in the current folder, else beside the knowledge base);
    with ``with_cases`` also ``tests/cases/`` of the same project when it exists."""
    if paths:
        return list(paths)
    if Path("facts").is_dir():
        root = Path(".")
    else:
        from .kb import default_kb_dir

        root = (kb_dir or default_kb_dir()).resolve().parent
    out = [root / "facts"]
    if with_cases and (root / CASES_DIR).is_dir():
        out.append(root / CASES_DIR)
    return out


@click.command("test", short_help="Check the cases against the outcome they expect.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--junit", "junit", type=click.Path(dir_okay=False, path_type=Path), help="Also write the results as JUnit XML to this file.")
@lang_option
@as_of_option
@kb_option
@click.option("-v", "--verbose", is_flag=True, help="Also show the reason of passing cases.")
@click.option("--mutate", is_flag=True, help="Then drop and reverse each condition of the rules in turn and report those no case notices.")
@click.option("--mutate-file", "mutate_files", multiple=True, metavar="FILE",
              help="Knowledge-base file to mutate (repeatable; default: art5.lp, annex_iii.lp, art50.lp).")
@click.option("--operator", "operators", multiple=True, type=click.Choice(["drop", "negate"]),
              help="Mutation to apply (repeatable; default: both).")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Worker processes for --mutate (default: one per CPU).")
def test_command(paths: tuple[Path, ...], junit: Path | None, lang: str, as_of: _dt.date, kb_dir: Path | None, verbose: bool,
                 mutate: bool, mutate_files: tuple[str, ...], operators: tuple[str, ...], jobs: int | None) -> None:
    """Check the cases in PATHS (default: facts/ and tests/cases/) against what they expect.

    A case is a system description with `reason:` and an `expect:` block (risk_class, the exact
    certain conclusions, include, exclude, as_of). All cases are solved in one grounding.
    """
    from .case_report import run_text, write_junit
    from .cases import ERROR, FAILED, run_cases

    targets = _default_paths(paths, kb_dir, with_cases=True)
    try:
        run = run_cases(targets, kb_dir, as_of, lang)
    except KnowledgeBaseError as exc:
        _fail_kb(exc)
    click.echo(run_text(run, lang, verbose), nl=False)
    if junit:
        write_junit(run, junit, lang)
    code = EXIT_INPUT if run.errors or run.count(ERROR) else EXIT_FAILED if run.count(FAILED) else EXIT_OK
    if mutate:
        from .mutate import DEFAULT_FILES, mutation_run, report_text

        click.echo("")
        try:
            report = mutation_run(targets, kb_dir, mutate_files or DEFAULT_FILES, as_of, operators or ("drop", "negate"), jobs)
        except KnowledgeBaseError as exc:
            _fail_kb(exc)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--mutate-file") from None
        click.echo(report_text(report), nl=False)
        if (report.survivors or report.wrongly_declared) and code == EXIT_OK:
            code = EXIT_FAILED
    sys.exit(code)


@click.command("diff", short_help="Compare the outcomes with another knowledge base.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", required=True, metavar="REV|DIR", help="The knowledge base to compare with: a git revision (its kb/) or a folder.")
@as_of_option
@kb_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rules/--no-rules", default=True, show_default=True, help="Show the rules behind each added or removed conclusion.")
@click.option("--exit-code", is_flag=True, help="Exit with 1 when an outcome changed (as `git diff --exit-code`).")
def diff_command(paths: tuple[Path, ...], base: str, as_of: _dt.date, kb_dir: Path | None, fmt: str, rules: bool, exit_code: bool) -> None:
    """Show how the outcome of each system in PATHS (default: facts/) changes between the
    knowledge base at --base and the working one: risk class, conclusions added and removed."""
    from .kbdiff import diff, report_text

    try:
        report = diff(_default_paths(paths, kb_dir), base, kb_dir, as_of)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base") from None
    except KnowledgeBaseError as exc:
        _fail_kb(exc)
    if fmt == "json":
        data = {"base": report.base, "compared": report.compared, "errors": [e.as_dict() for e in report.errors],
                "changed": [{"id": c.id, "file": c.file, "line": c.line, "risk_class": {"base": c.base_risk, "working": c.new_risk},
                             "added": c.added, "removed": c.removed, "changed": c.changed} for c in report.changed]}
        _write(jsonout.dumps(data) + "\n", None)
    else:
        click.echo(report_text(report, rules), nl=False)
    if report.errors:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FAILED if exit_code and report.changed else EXIT_OK)


@click.command("lint", short_help="Check the rules, their sources and their wording.")
@kb_option
@click.option("--reference", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the legal texts (with en/article-005.md); default ../shared/reference/ai-act beside the project.")
def lint_command(kb_dir: Path | None, reference: Path | None) -> None:
    """Check the knowledge base: syntax, rule forms, predicates, sources and their citations,
    conclusions and their wording, and whether every conclusion can be derived.
    Errors make it fail (exit 1); warnings do not."""
    from .lint import lint, report_text

    report = lint(kb_dir, reference)
    click.echo(report_text(report), nl=False)
    sys.exit(EXIT_FAILED if report.errors else EXIT_OK)
