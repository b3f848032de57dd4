"""Reading descriptions: every error names file, line and key; nothing is silently read wrong."""

from __future__ import annotations

import errno
import os
from decimal import Decimal
from pathlib import Path

import pytest

from aiact_asp import loader
from aiact_asp.loader import load_paths, parse_text
from aiact_asp.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


def errors_of(text, vocabulary):
    descriptions, errors = parse_text(text, "x.yaml", vocabulary)
    return descriptions, [str(e) for e in errors]


def test_valid_description(vocabulary):
    descriptions, errors = errors_of("id: a\nannex_iii:\n  use_cases: [creditworthiness]\n  profiling_natural_persons: unknown\n", vocabulary)
    assert errors == []
    assert descriptions[0].values["annex_iii.use_cases"] == ["creditworthiness"]
    assert descriptions[0].values["annex_iii.profiling_natural_persons"] == "unknown"


def test_misspelled_key_names_line_and_suggests(vocabulary):
    _, errors = errors_of("id: a\nannex_iii:\n  profilling_natural_persons: true\n", vocabulary)
    assert errors == ["x.yaml:3: annex_iii.profilling_natural_persons: unknown key `profilling_natural_persons` in `annex_iii`; did you mean `profiling_natural_persons`?"]


def test_keys_under_a_misspelled_section_are_checked_as_under_the_section_meant(vocabulary):
    # one run names every problem: the misspelled section, and what is wrong under it
    text = "id: a\ndefintion:\n  machine_based: yes\n  autonomy: true\n  infers: true\n"
    descriptions, errors = parse_text(text, "x.yaml", vocabulary)
    assert descriptions == []
    assert [(e.line, e.key) for e in errors] == [(2, "defintion"), (3, "defintion.machine_based"), (5, "defintion.infers")]
    assert "did you mean `definition`?" in errors[0].message
    assert errors[1].message.startswith("must be true, false or unknown, got 'yes'")
    assert errors[1].message.endswith("(checked as under `definition`, which `defintion` seems to mean)")
    assert errors[1].message_nl.endswith("(gecontroleerd als onder `definition`, dat met `defintion` bedoeld lijkt)")
    assert "unknown key `infers`" in errors[2].message
    # in an entry of `systems:` too, with the entry's key
    _, errors = parse_text("systems:\n  - id: a\n    anex_iii:\n      use_cases: [creditworthines]\n", "x.yaml", vocabulary)
    assert [(e.line, e.key) for e in errors] == [(3, "systems[0].anex_iii"), (4, "systems[0].anex_iii.use_cases[0]")]
    assert "did you mean `creditworthiness`?" in errors[1].message
    # nothing more when the section is also written as meant, or the key holds no keys
    for text in ("id: a\ndefinition:\n  autonomy: true\ndefintion:\n  machine_based: yes\n", "id: a\ndefintion: yes\n"):
        _, errors = parse_text(text, "x.yaml", vocabulary)
        assert [e.key for e in errors] == ["defintion"], errors


def test_wrong_indentation_is_named_in_plain_words(vocabulary):
    def error(text):
        _, errors = parse_text(text, "x.yaml", vocabulary)
        assert len(errors) == 1, errors
        return errors[0]

    # a key one space short of its section's column
    found = error("id: a\ndefinition:\n  machine_based: true\n autonomy: true\n")
    assert found.line == 4 and "the indentation of `autonomy` on this line (1 space) does not match" in found.message
    assert "het inspringen van `autonomy` op deze regel (1 spatie) past niet" in found.message_nl
    # a key indented under a key that has a value
    found = error("id: a\nname: x\n  definition:\n    machine_based: true\n")
    assert found.line == 3 and found.message.startswith("YAML error: `definition` is indented further than the line above")
    # a `: ` inside a value
    found = error("id: a\nname: a: b\n")
    assert found.line == 2 and "text that holds `: ` must be put in quotes" in found.message


def test_a_number_beyond_a_yaml_float_says_to_quote_it(vocabulary):
    # 1e400 unquoted is read by YAML as infinity; quoted it is read exactly (up to 10^1000)
    _, errors = parse_text("id: a\ngpai:\n  training_compute_flops: 1e400\n", "x.yaml", vocabulary)
    assert [(e.line, e.key) for e in errors] == [(3, "gpai.training_compute_flops")]
    assert "a very large one in quotes" in errors[0].message and "'inf'" not in errors[0].message
    assert "tussen aanhalingstekens" in errors[0].message_nl
    found, errors = parse_text('id: a\ngpai:\n  training_compute_flops: "1e400"\n', "x.yaml", vocabulary)
    assert errors == [] and found[0].values["gpai.training_compute_flops"] == Decimal("1e400")


def test_a_date_or_number_is_checked_beside_other_errors(vocabulary):
    # one run names every problem: the conversion of the values the schema let through too
    text = ("id: a\nannex_iii:\n  profilling_natural_persons: true\ngpai:\n  training_compute_flops: 1e400\n"
            "dates:\n  placed_on_market: 2026-02-30\n")
    _, errors = parse_text(text, "x.yaml", vocabulary)
    assert [(e.line, e.key) for e in errors] == [(3, "annex_iii.profilling_natural_persons"),
                                                 (5, "gpai.training_compute_flops"), (7, "dates.placed_on_market")]
    assert "is not a calendar date" in errors[2].message and errors[2].message_nl


def test_key_in_wrong_block_is_pointed_to_its_block(vocabulary):
    _, errors = errors_of("id: a\nprofiling_natural_persons: true\n", vocabulary)
    assert len(errors) == 1 and "belongs under `annex_iii`" in errors[0] and errors[0].startswith("x.yaml:2:")


def test_wrong_type_bool(vocabulary):
    _, errors = errors_of("id: a\ndefinition:\n  machine_based: yes\n", vocabulary)
    assert errors == ["x.yaml:3: definition.machine_based: must be true, false or unknown, got 'yes'; yes/no/on/off/ja/nee are not read as booleans (YAML 1.2); write true or false"]


def test_a_wrong_value_is_shown_as_the_user_wrote_it(vocabulary):
    # YAML's spelling, not Python's ([True], None)
    _, errors = errors_of("id: a\ndefinition:\n  machine_based: [true, null]\n", vocabulary)
    assert errors == ["x.yaml:3: definition.machine_based: must be true, false or unknown, got [true, null]"]


def test_wrong_list_value_suggests(vocabulary):
    _, errors = errors_of("id: a\nannex_iii:\n  use_cases: [creditworthines]\n", vocabulary)
    assert len(errors) == 1
    assert errors[0].startswith("x.yaml:3: annex_iii.use_cases[0]: 'creditworthines' is not an allowed value")
    assert "did you mean `creditworthiness`?" in errors[0]


def test_duplicate_key_is_an_error(vocabulary):
    """In plain words: which key, that it appears twice in the same system, and on which lines."""
    _, errors = parse_text("id: a\ndefinition:\n  machine_based: true\n  machine_based: false\n", "x.yaml", vocabulary)
    assert [str(e) for e in errors] == [
        "x.yaml:4: definition.machine_based: the key `machine_based` appears twice in `definition` of the same system "
        "(lines 3 and 4); keep one of the two (a second value would silently replace the first)"]
    assert errors[0].display("nl") == (
        "x.yaml:4: definition.machine_based: de sleutel `machine_based` staat twee keer in `definition` van hetzelfde "
        "systeem (regels 3 en 4); laat er één staan (een tweede waarde zou de eerste ongemerkt vervangen)")


def test_duplicate_key_at_the_top_and_in_a_list_of_systems(vocabulary):
    _, errors = errors_of("id: a\nname: x\nstatus: in_use\nname: y\n", vocabulary)
    assert errors == ["x.yaml:4: name: the key `name` appears twice in the same system (lines 2 and 4); keep one of the "
                      "two (a second value would silently replace the first)"]
    _, errors = errors_of("systems:\n  - id: a\n  - id: b\n    definition: {autonomy: true, autonomy: false}\n", vocabulary)
    assert len(errors) == 1 and errors[0].startswith("x.yaml:4: systems[1].definition.autonomy: the key `autonomy` "
                                                     "appears twice in `definition` of the same system (both on line 4)")


def dutch_of(text, vocabulary):
    _, errors = parse_text(text, "x.yaml", vocabulary)
    return [e.display("nl") for e in errors]


def test_common_input_errors_have_a_dutch_wording(vocabulary):
    """Unknown key (with "did you mean"), wrong type, a value not allowed, YAML syntax, empty file:
    the same place (file:line: key) and a Dutch message."""
    assert dutch_of("id: a\nannex_iii:\n  profilling_natural_persons: true\n", vocabulary) == [
        "x.yaml:3: annex_iii.profilling_natural_persons: onbekende sleutel `profilling_natural_persons` in `annex_iii`; "
        "bedoelt u `profiling_natural_persons`?"]
    assert dutch_of("id: a\ndefinition:\n  machine_based: ja\n", vocabulary) == [
        "x.yaml:3: definition.machine_based: moet true, false of unknown zijn, opgegeven: 'ja'; yes/no/on/off/ja/nee "
        "worden niet als ja/nee-antwoord gelezen (YAML 1.2); schrijf true of false"]
    assert dutch_of("id: a\nstatus: use\n", vocabulary) == [
        "x.yaml:2: status: moet een van de toegestane waarden zijn; bedoelt u `in_use`? (opgegeven: 'use'; "
        "toegestaan: in_development, in_use, decommissioned of unknown)"]
    wrong = dutch_of("id: a\nannex_iii:\n  use_cases: [creditworthines]\n", vocabulary)
    # the suggestion, and where the 25 allowed values are listed (not all 25, which would bury it)
    assert wrong == ["x.yaml:3: annex_iii.use_cases[0]: 'creditworthines' is geen toegestane waarde; "
                     "bedoelt u `creditworthiness`? (25 waarden zijn toegestaan, opgesomd door `aiact-asp vocabulary --lang nl`)"]
    # one misspelled value where a list is asked: the list it should be
    assert dutch_of("id: a\nannex_iii:\n  use_cases: creditworthines\n", vocabulary) == [
        "x.yaml:3: annex_iii.use_cases: moet een lijst van toegestane waarden zijn; bedoelt u [creditworthiness]? "
        "(opgegeven: 'creditworthines')"]
    assert dutch_of("id: a\ndefinition: 5\n", vocabulary) == [
        "x.yaml:2: definition: moet sleutels met waarden bevatten (bijvoorbeeld `sleutel: true` op ingesprongen regels)"]
    assert dutch_of("id: a\ndefinition: [x\n", vocabulary)[0].startswith(  # where the `[` opens
        "x.yaml:2: definition: YAML-fout (het bestand is geen geldige YAML): de lijst die hier met `[` begint")
    assert dutch_of("", vocabulary) == ["x.yaml:1: het bestand is leeg; het moet een systeem beschrijven (ten minste een `id`)"]
    assert dutch_of("name: zonder id\n", vocabulary) == [
        "x.yaml:1: elke beschrijving heeft een `id` nodig (kleine letters, cijfers, `-` en `_`)"]


def test_english_message_unchanged_when_dutch_is_added(vocabulary):
    """The English message stays the default (``str``, JSON ``message``); Dutch is extra."""
    _, errors = parse_text("id: a\nstatus: use\n", "x.yaml", vocabulary)
    assert errors[0].text("en") == errors[0].message == str(errors[0]).split(": ", 2)[2]
    assert errors[0].as_dict()["message_nl"] == errors[0].text("nl") != errors[0].message


def test_missing_file_in_dutch(tmp_path, vocabulary):
    _, errors = load_paths([tmp_path / "nope.yaml"], vocabulary)
    assert [e.display("nl") for e in errors] == [f"{tmp_path / 'nope.yaml'}: dit bestand of deze map bestaat niet"]


def test_missing_id(vocabulary):
    _, errors = errors_of("name: zonder id\n", vocabulary)
    assert errors == ["x.yaml:1: every description needs an `id` (lowercase letters, digits, `-` and `_`)"]


def test_id_pattern(vocabulary):
    _, errors = errors_of('id: "A b). #show"\n', vocabulary)
    assert len(errors) == 1 and errors[0].startswith("x.yaml:1: id: must consist of lowercase letters")


def test_an_id_read_as_a_number_is_to_be_quoted(vocabulary):
    # `id: 123` is a number in YAML, though its digits would make a valid id
    _, errors = errors_of("id: 123\n", vocabulary)
    assert errors == ['x.yaml:1: id: must be text, got 123: YAML reads it as a number; put it in quotes (id: "123")']
    descriptions, errors = errors_of('id: "123"\n', vocabulary)
    assert errors == [] and descriptions[0].id == "123"


@pytest.mark.parametrize("written", ["3.8e25", "3.8e+25", "38000000000000000000000000", '"3.8e25"'])
def test_number_spellings_are_the_same_number(vocabulary, written):
    descriptions, errors = errors_of(f"id: a\ngpai:\n  training_compute_flops: {written}\n", vocabulary)
    assert errors == []
    assert descriptions[0].values["gpai.training_compute_flops"] == Decimal("3.8e25")


def test_alias_of_list_value(vocabulary):
    descriptions, errors = errors_of("id: a\ndefinition:\n  basic_data_processing_only: true\n", vocabulary)
    assert errors == []
    assert descriptions[0].values["definition.guideline_exclusion"] == ["basic_data_processing"]


def test_alias_of_key(vocabulary):
    descriptions, errors = errors_of("id: a\nprohibited_practices:\n  criminal_risk_assessment:\n    predicts_risk_of_committing_offence: true\n", vocabulary)
    assert errors == []
    assert descriptions[0].values["prohibited_practices.criminal_risk_assessment.predicts_risk_of_committing_criminal_offence"] is True


def test_invalid_calendar_date(vocabulary):
    _, errors = errors_of("id: a\ndates:\n  placed_on_market: 2026-02-30\n", vocabulary)
    assert len(errors) == 1 and errors[0].startswith("x.yaml:3: dates.placed_on_market:")


@pytest.mark.parametrize("text,message", [
    ("", "the file is empty"),
    ("- a\n- b\n", "must hold a mapping"),
    ("id: [a\n", "YAML error"),
])
def test_malformed_files(vocabulary, text, message):
    _, errors = errors_of(text, vocabulary)
    assert len(errors) == 1 and message in errors[0]


def test_one_bad_entry_does_not_lose_the_others(vocabulary):
    text = "systems:\n  - id: good\n  - id: bad\n    definition: {machine_based: maybe}\n  - id: also-good\n"
    descriptions, errors = errors_of(text, vocabulary)
    assert [d.id for d in descriptions] == ["good", "also-good"]
    assert errors == ["x.yaml:4: systems[1].definition.machine_based: must be true, false or unknown, got 'maybe'; an answer that is not known is written `unknown` (in English, lowercase)"]


def test_duplicate_ids_across_files(tmp_path, vocabulary):
    (tmp_path / "a.yaml").write_text("id: same\n")
    (tmp_path / "b.yaml").write_text("id: same\n")
    descriptions, errors = load_paths([tmp_path], vocabulary)
    assert len(descriptions) == 1
    assert len(errors) == 1 and "already used" in errors[0].message


def test_non_utf8_names_the_line(tmp_path, vocabulary):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: a\nname: caf\xe9\n".encode("latin-1"))
    _, errors = load_paths([path], vocabulary)
    assert errors[0].line == 2 and "UTF-8" in errors[0].message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_are_named_as_such(tmp_path, vocabulary, encoding):
    # with a byte-order mark or without: "not valid UTF-8, byte 0xff" or a complaint about zero bytes would not help
    path = tmp_path / "unicode.yaml"
    path.write_bytes("id: a\nname: café\n".encode(encoding))
    descriptions, errors = load_paths([path], vocabulary)
    named = encoding[:6].upper()
    assert not descriptions and len(errors) == 1
    assert f"saved as {named}" in errors[0].message and "save the file as UTF-8" in errors[0].message
    assert f"opgeslagen als {named}" in errors[0].message_nl


@pytest.mark.parametrize("text,line,key,words", [
    ("id: x\nannex_iii:\n  use_cases: [creditworthiness\n", 3, "annex_iii.use_cases", "not closed with `]`"),
    ("id: x\nannex_iii:\n  use_cases: [creditworthiness\ndefinition:\n  autonomy: true\n", 3, "annex_iii.use_cases",
     "not closed with `]`"),
    ("id: x\nname: \"abc\ndefinition:\n  autonomy: true\n", 2, "name", "not closed with the same quote"),
    ("id: x\ndefinition: {machine_based: true\n", 2, "definition", "not closed with `}`"),
])
def test_an_unclosed_bracket_or_quote_is_named_where_it_opens(vocabulary, text, line, key, words):
    # the YAML reader notices it only further on (often past the last line); the user needs the opening
    _, errors = parse_text(text, "x.yaml", vocabulary)
    assert [(e.line, e.key) for e in errors] == [(line, key)]
    assert words in errors[0].message and "column" in errors[0].message
    assert "wordt niet gesloten" in errors[0].message_nl


@pytest.mark.parametrize("data", [
    {"id": "a"},
    {"id": "a", "annex_iii": {"use_cases": ["creditworthiness"], "nonsense": 1}, "name": "x", "reason": "r"},
    {"annex_iii": "not a mapping", "definition": {"basic_data_processing_only": True, "machine_based": True}},
    {"organisation": {"public_authority": {"nested": True}}, 1: "x", "supply": None, "gpai": {}},
])
def test_present_entries_are_those_each_key_lookup_finds(vocabulary, data):
    """The walk over the keys given (``_present``) finds what a look-up per catalogue entry finds,
    in catalogue order, also for a catalogue that is not a tree of keys (then it looks each up)."""
    from aiact_asp import loader
    from aiact_asp.vocabulary import Entry, Vocabulary

    def lookup(vocab):
        return [(i, found[1]) for i, e in enumerate(vocab.entries) if (found := loader._get(data, e.path))[0]]

    assert loader._present(data, vocabulary) == lookup(vocabulary)
    not_a_tree = Vocabulary([Entry("id", "id"), Entry("annex_iii", "text"), Entry("annex_iii.use_cases", "text")])
    assert loader._layout(not_a_tree) is None
    assert loader._present(data, not_a_tree) == lookup(not_a_tree)


def test_each_file_is_listed_once_however_it_is_reached(tmp_path, monkeypatch):
    """iter_files resolves each folder once instead of each file; it must keep the same file
    for every way of naming it: links to files and folders, `..`, relative and absolute paths."""
    import os
    from pathlib import Path

    from aiact_asp.loader import iter_files

    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    for name in ("a.yaml", "sub/b.yaml"):
        (real / name).write_text("id: x\n", encoding="utf-8")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    (real / "sub" / "to-a.yaml").symlink_to(real / "a.yaml")
    (real / "loop.yaml").symlink_to(real / "loop.yaml")
    monkeypatch.chdir(tmp_path)
    given = ["real", "linked/sub/b.yaml", str(real / "sub" / ".." / "a.yaml"), "linked", "real/sub"]
    files, errors = iter_files(given)

    def by_resolve(paths):  # the plain definition: one file per resolved path, the first name kept
        found: dict[Path, Path] = {}
        for raw in paths:
            path = Path(raw)
            listed = ([p for p in path.rglob("*") if p.suffix == ".yaml" and (p.is_file() or p.is_symlink())]
                      if path.is_dir() else [path])
            for p in listed:
                try:
                    found.setdefault(p.resolve(), p)
                except (OSError, RuntimeError):
                    pass
        return sorted(found.values(), key=lambda p: (p.is_absolute(), p.parts))

    assert files == by_resolve(given) and len(files) == 2
    assert [e.file for e in errors] == [os.path.join("real", "loop.yaml"), os.path.join("linked", "loop.yaml")]


def test_a_folder_that_cannot_be_listed_is_an_error_not_a_silent_gap(tmp_path, monkeypatch):
    # as a user without the rights would see it (the tests may run with every right)
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.yaml").write_text("id: a\n", encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.yaml").write_text("id: b\n", encoding="utf-8")
    real = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(loader.os, "scandir", scandir)
    files, errors = loader.iter_files([tmp_path])
    assert files == [tmp_path / "ok" / "a.yaml"]
    assert [(e.file, e.message) for e in errors] == [
        (str(tmp_path / "locked"), "cannot be read: Permission denied; this folder's descriptions are not in this run")]
    assert errors[0].message_nl.startswith("kan niet gelezen worden: geen toegang (Permission denied)")


def test_a_file_in_a_folder_that_may_not_be_entered_is_an_input_error(tmp_path, monkeypatch):
    target = tmp_path / "locked" / "a.yaml"
    real = Path.is_dir

    def is_dir(self):
        if self == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "is_dir", is_dir)
    files, errors = loader.iter_files([target])
    assert files == [] and [(e.file, e.message) for e in errors] == [(str(target), "cannot be read: Permission denied")]


def test_a_suggestion_is_not_buried_under_a_long_list_of_allowed_values(vocabulary):
    """After "did you mean", a short list of allowed values is given in full (status: 3); the 25
    Annex III use cases are counted and the command that lists them is named."""
    def english_of(text):
        _, errors = parse_text(text, "x.yaml", vocabulary)
        return [e.display("en") for e in errors]

    assert english_of("id: a\nannex_iii:\n  use_cases: [creditworthines]\n") == [
        "x.yaml:3: annex_iii.use_cases[0]: 'creditworthines' is not an allowed value; did you mean `creditworthiness`? "
        "(25 values are allowed, listed by `aiact-asp vocabulary`)"]
    assert english_of("id: a\nstatus: use\n") == [
        "x.yaml:2: status: must be one of the allowed values; did you mean `in_use`? "
        "(got 'use'; allowed: in_development, in_use, decommissioned or unknown)"]
    assert english_of("id: a\nannex_iii:\n  use_cases: creditworthines\n") == [
        "x.yaml:3: annex_iii.use_cases: must be a list of allowed values; did you mean [creditworthiness]? "
        "(got 'creditworthines')"]
