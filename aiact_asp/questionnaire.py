"""The questionnaire (``aiact-asp ask``): only the questions whose answer can still change the
outcome, in the order of the Handreiking, written to the description after every answer.

Which questions: every key the description does not state yet is open (``open_world="keys"``;
keys with a default keep it), and so is every key written ``unknown``. With
``open_world="sections"`` only the keys of sections the description does not answer at all
are open (as ``solve --open-world``); with ``None`` only the keys written ``unknown``. After each answer the
system is solved again and the open questions are worked out (:mod:`aiact_asp.questions`): a
key is asked only when one of its answers can change the risk class, a conclusion or an
obligation. So once a system is certainly not an AI system, or outside the scope, no question
about Annex III (or anything else that cannot matter) is asked.

Order: first the questions that can change the classification (risk class, conclusions),
then those that can only change roles and obligations; each by section, in the order of the
catalogue's ``sections:`` list (the Handreiking's:
inventory, organisation, definition, scope, Article 5, Annex I, Annex III with Article 6(3),
Article 50, general-purpose AI), with the sections that are not part of the Handreiking's
questionnaire (``handreiking: null``: deployment, changes, dates) last; within a section the
question that settles most first (the ranking of :mod:`aiact_asp.questions`; facts that
matter only together with other open facts after those whose answer alone settles
something). A further condition of a fact already stated (it appears beside it in a rule that
fired, e.g. "not used for law enforcement" beside "exclusively military", Art. 2(3)) is asked
in that fact's section.

Answers: yes/no/unknown, also ja/nee/weet niet, j/n, y/n, u; for a choice or a list the value
names or the numbers of the menu shown; ``?``/``help``/``uitleg`` shows the help text and the
legal source; ``back``/``terug`` goes back to the previous answer to change it;
``stop``/``quit`` ends. A key answered ``unknown`` is written so and not asked again in the
same session.

The file is read and written with ruamel.yaml in round-trip mode, so comments and key order
stay; new keys are added at the end of their block. Every answer is written at once,
atomically (a temporary file beside it, then ``os.replace``): an interrupted session (Ctrl-C,
end of input) loses nothing.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from . import fastload
from .citation_nl import cite
from .context import parse_number
from .engine import SystemResult, ground
from .errors import InputError
from .kb import KnowledgeBase
from .loader import Description, parse_text
from .questions import OpenQuestion
from .vocabulary import ID_PATTERN, UNKNOWN, Entry, Vocabulary

#: Exit codes of ``ask``: finished; stopped before the end (answers saved); the file cannot be used.
DONE, STOPPED, UNUSABLE = 0, 1, 2

YES = {"y", "yes", "j", "ja", "true", "waar"}
NO = {"n", "no", "nee", "false", "onwaar"}
UNKNOWN_WORDS = {"u", "unknown", "weet niet", "weetniet", "wn", "onbekend", "don't know", "dont know"}
HELP = {"?", "h", "help", "uitleg", "hulp"}
BACK = {"b", "back", "terug", "t", "vorige"}
QUIT = {"q", "quit", "stop", "stoppen", "exit"}
NONE = {"none", "geen", "-", "[]"}

WORDS = {
    "en": {
        "bool_hint": "yes / no / unknown · ? help · back · stop",
        "enum_hint": "a number or a value name, or unknown · ? help · back · stop",
        "list_hint": "numbers or value names separated by commas, none (or no), or unknown · ? help · back · stop",
        "number_hint": "a number such as 3.8e25, or unknown · ? help · back · stop",
        "date_hint": "a date YYYY-MM-DD, or unknown · ? help · back · stop",
        "id_prompt": "What short identifier does this system have? (lowercase letters, digits, - and _)",
        "name_prompt": "What is the name of the system? (empty to skip)",
        "bad_id": "An identifier consists of lowercase letters, digits, - and _, e.g. cv-screening.",
        "bad": "That is not an answer I can read: {hint}",
        "source": "Source", "help": "Explanation", "current": "current answer",
        "back_none": "There is no earlier answer in this session to go back to.",
        "saved": "saved: {key} = {value}",
        "done": "No question can change the outcome any more. The result:",
        "stopped": "Stopped before the end. Your answers are saved in {file}; run `aiact-asp ask {file}` to continue.",
        "stopped_nothing": "Stopped before the end; no answer was given, so {file} was not made.",
        "question": "Question {n}", "matters": "matters for",
        "errors": "The file {file} cannot be used by the questionnaire; fix it first:",
        "which_system": "The file holds several systems; name one with --system ({ids}).",
        "no_system": "The file holds no system with id {id}.",
        "unknown_again": "{key} stays unknown.",
    },
    "nl": {
        "bool_hint": "ja / nee / weet niet · ? uitleg · terug · stop",
        "enum_hint": "een nummer of de naam van een waarde, of weet niet · ? uitleg · terug · stop",
        "list_hint": "nummers of namen van waarden, gescheiden door komma's, geen (of nee), of weet niet · ? uitleg · terug · stop",
        "number_hint": "een getal zoals 3.8e25, of weet niet · ? uitleg · terug · stop",
        "date_hint": "een datum JJJJ-MM-DD, of weet niet · ? uitleg · terug · stop",
        "id_prompt": "Welke korte code heeft dit systeem? (kleine letters, cijfers, - en _)",
        "name_prompt": "Wat is de naam van het systeem? (leeg om over te slaan)",
        "bad_id": "Een code bestaat uit kleine letters, cijfers, - en _, bijvoorbeeld cv-screening.",
        "bad": "Dit antwoord kan ik niet lezen: {hint}",
        "source": "Bron", "help": "Uitleg", "current": "huidig antwoord",
        "back_none": "Er is in deze sessie geen eerder antwoord om naar terug te gaan.",
        "saved": "opgeslagen: {key} = {value}",
        "done": "Geen enkele vraag kan de uitkomst nog veranderen. Het resultaat:",
        "stopped": "Gestopt voor het einde. Uw antwoorden staan in {file}; gebruik `aiact-asp ask {file}` om verder te gaan.",
        "stopped_nothing": "Gestopt voor het einde; er is geen antwoord gegeven, dus {file} is niet aangemaakt.",
        "question": "Vraag {n}", "matters": "van belang voor",
        "errors": "Het bestand {file} kan niet door de vragenlijst worden gebruikt; herstel het eerst:",
        "which_system": "Het bestand bevat meerdere systemen; kies er een met --system ({ids}).",
        "no_system": "Het bestand bevat geen systeem met id {id}.",
        "unknown_again": "{key} blijft onbekend.",
    },
}


#: Outcomes that are roles and obligations rather than the classification.
OBLIGATIONS = frozenset({"role", "obligation", "obligation_applies_from"})


def is_classification(atom: Any) -> bool:
    """Whether an outcome is part of the classification (risk class, conclusions), not a role
    or obligation: the questionnaire asks what can change the classification first."""
    return atom.name not in OBLIGATIONS


class Stop(Exception):
    """The user ended the session (end of input, ``stop``, Ctrl-C)."""


def section_order(vocabulary: Vocabulary) -> dict[str, int]:
    """Section id -> position: the catalogue's order, sections outside the Handreiking last."""
    sections = list(vocabulary.sections)
    ordered = [s for s in sections if s.get("handreiking")] + [s for s in sections if not s.get("handreiking")]
    return {s["id"]: i for i, s in enumerate(ordered)}


def _position(key: str, follow_up: Any, vocabulary: Vocabulary, order: dict[str, int]) -> int:
    """The section position a question is asked at: its own section, or the earliest section
    of a stated fact it is a further condition of, unless that section describes the system's
    setting (``asks_further_conditions: false`` in the catalogue: inventory, organisation,
    supply, Handreiking §2). A scope exclusion beside "established in the Union" in a rule of
    Art. 2(1) is no reason to ask it before whether the system is an AI system (Handreiking §3)."""
    entry = vocabulary.by_key.get(key)
    own = order.get(entry.section if entry else "", len(order))
    hosts = {s.get("id") for s in vocabulary.sections if s.get("asks_further_conditions", True)}
    return min([own, *(order[s] for s in follow_up if s in order and s in hosts)])


def next_question(questions: list[OpenQuestion], vocabulary: Vocabulary, skip: set[str]) -> OpenQuestion | None:
    """The question to ask: the first section (:func:`section_order`), then the most settling."""
    order = section_order(vocabulary)
    candidates = [q for q in questions if q.key not in skip]
    if not candidates:
        return None

    def key(q: OpenQuestion) -> tuple:
        return (_position(q.key, q.follow_up, vocabulary, order), q.rank_key)

    return min(candidates, key=key)


# --------------------------------------------------------------------------- the file


@dataclass
class DescriptionFile:
    """A description file read in round-trip mode; ``node`` is the mapping of the one system."""

    path: Path
    document: Any
    node: CommentedMap
    #: ruamel.yaml's (mapping, sequence, offset) indentation, as the file writes it (:func:`_indentation`)
    indent: tuple[int, int, int] = (2, 4, 2)

    @classmethod
    def open(cls, path: Path, system: str | None = None) -> "DescriptionFile":
        """Read ``path`` (a missing or empty file starts a new description).

        Raises:
            ValueError: the YAML cannot be read, or the system to work on is not clear.
        """
        text = path.read_text(encoding="utf-8-sig") if path.exists() else ""
        indent = _indentation(text)
        yaml = _yaml(indent)
        try:
            document = yaml.load(text) if text.strip() else None
        except (YAMLError, ValueError) as exc:
            raise ValueError(f"YAML error: {exc}") from None
        if document is None:
            document = CommentedMap()
        if not isinstance(document, CommentedMap):
            raise ValueError("the file must hold a mapping of keys (one system) or `systems:` with a list of systems")
        if "systems" in document and isinstance(document["systems"], CommentedSeq):
            entries = [e for e in document["systems"] if isinstance(e, CommentedMap)]
            ids = [str(e.get("id")) for e in entries]
            if system is None and len(entries) == 1:
                return cls(path, document, entries[0], indent)
            if system is None:
                raise ValueError(f"which_system:{', '.join(ids)}")
            for entry in entries:
                if str(entry.get("id")) == system:
                    return cls(path, document, entry, indent)
            raise ValueError(f"no_system:{system}")
        return cls(path, document, document, indent)

    def text(self) -> str:
        stream = io.StringIO()
        _yaml(self.indent).dump(self.document, stream)
        return stream.getvalue()

    def get(self, key: str) -> tuple[bool, Any]:
        node: Any = self.node
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return False, None
            node = node[part]
        return True, node

    def set(self, key: str, value: Any) -> None:
        """Set ``key`` (dotted) to ``value``, adding blocks at the end where missing; write."""
        parts = key.split(".")
        node = self.node
        for part in parts[:-1]:
            if not isinstance(node.get(part), CommentedMap):
                node[part] = CommentedMap()
            node = node[part]
        if isinstance(value, list):
            seq = CommentedSeq(value)
            seq.fa.set_flow_style()
            value = seq
        node[parts[-1]] = value
        self.write()

    def set_first(self, key: str, value: Any) -> None:
        """Set a top-level key as the first key (``id``) and write."""
        if key in self.node:
            self.node[key] = value
        else:
            self.node.insert(0, key, value)
        self.write()

    def write(self) -> None:
        """Write atomically: a temporary file beside the target, then ``os.replace``."""
        text = self.text()
        target = Path(os.path.realpath(self.path))
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            if target.exists():
                os.chmod(tmp, target.stat().st_mode & 0o7777)
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


def _yaml(indent: tuple[int, int, int] = (2, 4, 2)) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return yaml


_KEY_ALONE = re.compile(r"^( *)[^\s#-][^:#]*:\s*(#.*)?$")  # `key:` with its value on the lines below
_ITEM = re.compile(r"^( *)- ")
_KEY = re.compile(r"^( *)[^\s#-][^:#]*:")


def _indentation(text: str) -> tuple[int, int, int]:
    """ruamel.yaml's (mapping, sequence, offset) as ``text`` indents: a key's mapping under it,
    and a list under a key (``offset`` the dash's column past the key's); the examples' style
    (2, 4, 2) where the text shows none. ruamel.yaml writes a whole document in one style, so
    the answers keep the file's look (its lists not moved, their comments in place)."""
    mapping, offset = 2, 2
    found_mapping = found_sequence = False
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for above, line in zip(lines, lines[1:]):
        parent = _KEY_ALONE.match(above)
        if parent is None:
            continue
        item, key = _ITEM.match(line), _KEY.match(line)
        if item and not found_sequence:
            offset, found_sequence = max(len(item.group(1)) - len(parent.group(1)), 0), True
        elif key and not item and not found_mapping and len(key.group(1)) > len(parent.group(1)):
            mapping, found_mapping = len(key.group(1)) - len(parent.group(1)), True
        if found_mapping and found_sequence:
            break
    return mapping, offset + 2, offset  # the dash `offset` in, its item two further


# --------------------------------------------------------------------------- answers


@dataclass
class Reply:
    """A parsed reply: an answer ``value``, or one of the commands help/back/stop."""

    command: str | None = None  # "help", "back", "stop", "bad"
    value: Any = None


def parse_reply(text: str, entry: Entry) -> Reply:
    """Read a reply to the question for ``entry`` (see the module documentation)."""
    raw = text.strip()
    low = " ".join(raw.lower().split())
    if low in HELP:
        return Reply("help")
    if low in BACK:
        return Reply("back")
    if low in QUIT:
        return Reply("stop")
    if low in UNKNOWN_WORDS:
        return Reply(value=UNKNOWN)
    kind = entry.type
    if kind == "bool":
        if low in YES:
            return Reply(value=True)
        if low in NO:
            return Reply(value=False)
        return Reply("bad")
    if kind == "enum":
        value = _menu_value(low, entry)
        return Reply(value=value) if value else Reply("bad")
    if kind == "list":
        if low in NONE or low in NO:  # "no" to "does it fall within one of these?": none of them
            return Reply(value=[])
        values = []
        for token in re.split(r"[,;\s]+", low):
            if not token:
                continue
            value = _menu_value(token, entry)
            if value is None:
                return Reply("bad")
            if value not in values:
                values.append(value)
        return Reply(value=[v for v in entry.values if v in values]) if values else Reply("bad")
    if kind in ("number", "integer"):
        try:
            number = parse_number(raw)
        except ValueError:
            return Reply("bad")
        if kind == "integer" and number != number.to_integral_value():
            return Reply("bad")
        return Reply(value=str(int(number)) if number == number.to_integral_value() and "e" not in low else raw)
    if kind == "date":
        try:
            _dt.date.fromisoformat(raw)
        except ValueError:
            return Reply("bad")
        return Reply(value=raw)
    return Reply("bad")


def _menu_value(token: str, entry: Entry) -> str | None:
    if token.isdigit() and 1 <= int(token) <= len(entry.values):
        return entry.values[int(token) - 1]
    for value in entry.values:
        if token == value.lower():
            return value
    return None


def shown_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, CommentedSeq)):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


# --------------------------------------------------------------------------- the session


@dataclass
class Session:
    """One run of the questionnaire on one file.

    Attributes:
        read_line: returns the next reply (raises :class:`Stop` at the end of input).
        write: prints a line of the transcript.
        echo: also print the replies (when they do not come from a terminal).
    """

    file: DescriptionFile
    kb: KnowledgeBase
    vocabulary: Vocabulary
    as_of: _dt.date
    lang: str
    read_line: Callable[[str], str]
    write: Callable[[str], None]
    echo: bool = False
    open_world: str | None = "keys"
    new: bool = False
    asked: int = 0
    current_key: str | None = None
    history: list[str] = field(default_factory=list)
    left_unknown: set[str] = field(default_factory=set)

    @property
    def words(self) -> dict:
        return WORDS[self.lang]

    def ask(self, prompt: str) -> str:
        line = self.read_line(prompt)
        if self.echo:
            self.write(f"{prompt}{line}")
        return line

    def run(self) -> SystemResult:
        """Ask until no question can change the outcome; return the last (open-world) result.

        Raises:
            Stop: the user or the input ended the session (every answer is saved).
            ValueError: the description in the file has errors (``InputError`` list in args).
        """
        self._identify()
        while True:
            result, questions = self._solve()
            question = next_question(questions, self.vocabulary, self.left_unknown)
            if question is None:
                return result
            self._ask_key(question.key, question)

    def _identify(self) -> None:
        """A new description: first its id (unless given) and its name."""
        present, current = self.file.get("id")
        if present and isinstance(current, str) and re.match(ID_PATTERN, current):
            if not self.new or self.file.get("name")[0]:
                return
        else:
            self._ask_id()
        if not self.file.get("name")[0]:
            name = self.ask(self.words["name_prompt"] + "\n> ").strip()
            if name.lower() in QUIT:
                raise Stop
            if name:
                self.file.node.insert(1, "name", name)
                self.file.write()

    def _ask_id(self) -> None:
        while True:
            line = self.ask(self.words["id_prompt"] + "\n> ").strip()
            if line.lower() in QUIT:
                raise Stop
            if re.match(ID_PATTERN, line):
                self.file.set_first("id", line)
                return
            self.write(self.words["bad_id"])

    def description(self) -> Description:
        text, name = self.file.text(), str(self.file.path)
        # the loader's outcome, read faster (see fastload); the loader itself for anything unusual
        descriptions, errors = fastload.parse_text(text, name, self.vocabulary), []
        if descriptions is None:
            descriptions, errors = parse_text(text, name, self.vocabulary)
        wanted = self.file.node.get("id")
        found = [d for d in descriptions if d.id == wanted]
        if errors or not found:
            raise ValueError(errors or [InputError(str(self.file.path), None, None, "no valid description")])
        return found[0]

    def _solve(self) -> tuple[SystemResult, list[OpenQuestion]]:
        """The questions of the next section: first those that can change the classification,
        then (when none is left) those that can change roles and obligations.

        Which open facts can change an outcome (alone or together with other open facts) is
        worked out section by section in the order they are asked (one solver call each), up to
        the first section that has such a fact; how much each settles, only for those (and only
        when there are several to rank)."""
        grounding = ground([self.description()], self.kb, self.vocabulary, self.as_of, open_world=self.open_world)
        result = grounding.results[0]
        order = section_order(self.vocabulary)
        open_keys = sorted({f.key for f in grounding.facts.open if f.system == result.id} - set(self.left_unknown))
        hints = grounding.follow_ups(result.id) if open_keys else {}
        position = {key: _position(key, hints.get(key, ()), self.vocabulary, order) for key in open_keys}
        # section by section: the relevant keys of the first section that has any are the next
        # questions, and the sections after it need no solver call
        sections = [[key for key in open_keys if position[key] == p] for p in sorted(set(position.values()))]
        for outcomes in (is_classification, None):
            relevant = grounding.first_relevant(result.id, sections, outcomes)
            if not relevant:
                continue
            keys = set(relevant)
            rank = {entry.key: i for i, entry in enumerate(self.vocabulary.entries)}
            origin = {f.key: f.origin for f in grounding.facts.open if f.system == result.id}

            def unranked(key: str, together: bool) -> OpenQuestion:
                return OpenQuestion(key, origin.get(key, "unknown"), order=rank.get(key, 0), together=together,
                                    outcomes=relevant[key], follow_up=sorted(hints.get(key, ())))

            if len(keys) == 1:  # the one question of its section: nothing to rank (a grounding less)
                return result, [unranked(next(iter(keys)), together=False)]
            found = grounding.open_questions(keys=keys, outcomes=outcomes, together=False).get(result.id, [])
            singles = {q.key for q in found}
            found += [unranked(key, together=True) for key in sorted(keys - singles)]
            return result, sorted(found, key=lambda q: q.rank_key)
        return result, []

    def _ask_key(self, key: str, question: OpenQuestion | None) -> None:
        entry = self.vocabulary.by_key[key]
        self.asked += 1
        self.current_key = key
        lines = self._question_lines(entry, question)
        hint = self.words[{"bool": "bool_hint", "enum": "enum_hint", "list": "list_hint", "date": "date_hint"}.get(
            entry.type, "number_hint")]
        self.write("")
        for line in lines:
            self.write(line)
        while True:
            reply = parse_reply(self.ask(f"  [{hint}]\n> "), entry)
            if reply.command == "help":
                self._help(entry)
                continue
            if reply.command == "stop":
                raise Stop
            if reply.command == "back":
                if not self.history:
                    self.write(self.words["back_none"])
                    continue
                previous = self.history.pop()
                self.left_unknown.discard(previous)
                self._ask_key(previous, None)
                return
            if reply.command == "bad":
                self.write(self.words["bad"].format(hint=hint))
                continue
            self.file.set(key, reply.value)
            self.history.append(key)
            if reply.value == UNKNOWN:
                self.left_unknown.add(key)
            else:
                self.left_unknown.discard(key)
            self.write("  " + self.words["saved"].format(key=key, value=shown_value(reply.value)))
            return

    def _question_lines(self, entry: Entry, question: OpenQuestion | None) -> list[str]:
        lang = self.lang
        section = next((s for s in self.vocabulary.sections if s.get("id") == entry.section), {})
        title = (section.get("title") or {}).get(lang, entry.section)
        text = (entry.question or {}).get(lang) or entry.key
        out = [f"[{title}] {self.words['question'].format(n=self.asked)}: {text}"]
        out.append(f"  {entry.key}" + (f" · {cite(entry.source, lang)}" if entry.source else ""))
        present, current = self.file.get(entry.key)
        if present:
            out.append(f"  ({self.words['current']}: {shown_value(current)})")
        if entry.type in ("enum", "list"):
            labels = entry.value_labels or {}
            for i, value in enumerate(entry.values, start=1):
                label = (labels.get(value) or {}).get(lang)
                out.append(f"    {i}. {value}" + (f" — {label}" if label else ""))
        return out

    def _help(self, entry: Entry) -> None:
        text = (entry.help or {}).get(self.lang) or (entry.help or {}).get("en") or ""
        if text:
            self.write(f"  {self.words['help']}: {text}")
        if entry.source:
            self.write(f"  {self.words['source']}: {cite(entry.source, self.lang)}")


def line_reader(lines: Iterator[str]) -> Callable[[str], str]:
    """A ``read_line`` over scripted replies (one per line; lines starting with ``#`` are skipped)."""

    def read(prompt: str) -> str:
        for line in lines:
            line = line.rstrip("\r\n")
            if line.lstrip().startswith("#"):
                continue
            return line
        raise Stop

    return read


def terminal_reader() -> Callable[[str], str]:
    """A ``read_line`` for a person at a terminal."""
    try:
        import readline  # noqa: F401 — line editing for input()
    except ImportError:
        pass

    def read(prompt: str) -> str:
        try:
            return input(prompt)
        except EOFError:
            raise Stop from None

    return read
