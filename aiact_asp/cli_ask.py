"""``aiact-asp ask [FILE]``: the questionnaire on the command line (the work is done in
:mod:`aiact_asp.questionnaire`).

Exit codes: 0 finished (the result is shown); 1 stopped before the end (end of input, ``stop``;
every answer given is saved); 2 the file cannot be used (YAML or description errors) or a
wrong option; 3 the knowledge base has an error; 130 interrupted with Ctrl-C (answers saved).
"""

from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path

import click

from .cli import EXIT_INPUT, EXIT_OK, _fail_kb, as_of_option, kb_option, lang_option
from .errors import KnowledgeBaseError, error_line

EXIT_STOPPED, EXIT_INTERRUPTED = 1, 130


@click.command("ask", short_help="Answer only the questions that can change the outcome.")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--answers", "answers", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Read the replies from this file, one per line (lines starting with # are skipped), instead "
                   "of the keyboard. Without a terminal the replies are read from standard input the same way.")
@click.option("--system", "system", metavar="ID", help="In a file with `systems:`, the system to work on.")
@click.option("--open-world", "open_world", type=click.Choice(["keys", "sections", "none"]), default="keys", show_default=True,
              help="Which keys the file leaves out are open questions: every key not stated yet (keys); the keys of "
                   "sections it does not answer at all, as `solve --open-world` (sections); none, only the keys "
                   "written `unknown` (none). Keys with a default keep it.")
@lang_option
@as_of_option
@kb_option
@click.option("--rules/--no-rules", default=False, show_default=True, help="Show the rules under each conclusion in the result.")
def ask_command(file: Path | None, answers: Path | None, system: str | None, open_world: str, lang: str,
                as_of: _dt.date, kb_dir: Path | None, rules: bool) -> None:
    """Fill in or complete the description in FILE by answering questions.

    Only questions whose answer can still change the risk class, a conclusion or an obligation
    are asked, section by section in the order of the Handreiking (inventory, organisation, AI
    system definition, scope, Article 5, Annex I, Annex III and Article 6(3), Article 50,
    general-purpose AI; then use, changes and dates), the most decisive first. Every key the
    file does not state yet is open; keys written `unknown` are asked too.

    Replies: yes/no/unknown (ja/nee/weet niet, j/n, u); for a choice or a list the names or
    numbers of the menu; `?` or `help` shows the explanation and the legal source; `back` or
    `terug` changes the previous answer; `stop` ends. Every answer is saved in FILE at once,
    keeping its comments and key order, so an interrupted session loses nothing. Without FILE,
    the file is named after the system id (`<id>.yaml`). At the end the result is shown.
    """
    from .api import classify_paths
    from .kb import load_kb
    from .questionnaire import WORDS, DescriptionFile, Session, Stop, line_reader, terminal_reader
    from .report import run_text
    from .vocabulary import load_vocabulary

    words = WORDS[lang]
    try:
        kb = load_kb(kb_dir)
        vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    except KnowledgeBaseError as exc:
        _fail_kb(exc)
    if answers is not None:
        handle = answers.open(encoding="utf-8")
        read, echo = line_reader(iter(handle)), True
    elif not sys.stdin.isatty():
        read, echo = line_reader(iter(sys.stdin)), True
    else:
        read, echo = terminal_reader(), False
    path = file
    try:
        if path is None:
            from .questionnaire import ID_PATTERN
            import re

            while True:
                line = read(words["id_prompt"] + "\n> ").strip()
                if echo:
                    click.echo(f"{words['id_prompt']}\n> {line}")
                if re.match(ID_PATTERN, line):
                    break
                click.echo(words["bad_id"])
            path = Path(f"{line}.yaml")
        try:
            document = DescriptionFile.open(path, system)
        except ValueError as exc:
            _fail_file(path, str(exc), words)
        new = file is None and not document.get("id")[0]
        if new:
            document.set_first("id", line)
        session = Session(document, kb, vocabulary, as_of, lang, read, click.echo, echo,
                          open_world=None if open_world == "none" else open_world, new=new)
        try:
            session.run()
        except ValueError as exc:  # the description has errors
            errors = exc.args[0] if exc.args and isinstance(exc.args[0], list) else [exc]
            click.echo(words["errors"].format(file=path), err=True)
            for error in errors:
                click.echo(f"  {error.display(lang) if hasattr(error, 'display') else error}", err=True)
            sys.exit(EXIT_INPUT)
        except KnowledgeBaseError as exc:
            _fail_kb(exc)
    except Stop:
        _stopped(path, words)
        sys.exit(EXIT_STOPPED)
    except KeyboardInterrupt:
        _stopped(path, words)
        sys.exit(EXIT_INTERRUPTED)
    click.echo("")
    click.echo(words["done"])
    click.echo("")
    run = classify_paths([path], as_of, kb_dir)
    click.echo(run_text(run, lang, rules), nl=False)
    for error in run.errors:
        click.echo(error_line(error, lang), err=True)
    sys.exit(EXIT_INPUT if run.errors else EXIT_OK)


def _stopped(path: Path | None, words: dict) -> None:
    """Say where the answers given are, or that the file was not made (no answer given)."""
    click.echo("")
    if path is not None and not path.exists():
        click.echo(words["stopped_nothing"].format(file=path))
    else:
        click.echo(words["stopped"].format(file=path or "<id>.yaml"))


def _fail_file(path: Path, message: str, words: dict) -> None:
    if message.startswith("which_system:"):
        message = words["which_system"].format(ids=message.split(":", 1)[1])
    elif message.startswith("no_system:"):
        message = words["no_system"].format(id=message.split(":", 1)[1])
    click.echo(words["errors"].format(file=path), err=True)
    click.echo(f"  {message}", err=True)
    sys.exit(EXIT_INPUT)
