"""The inventory (`aiact-asp inventory`), the Algoritmeregister import, the fast reader and the
progress bar. See docs/inventory.md."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import clingo
import pytest
from click.testing import CliRunner

from aiact_asp import fastload, loader
from aiact_asp.cli import main
from aiact_asp.importer import import_register, load_mapping, map_record, merge_text, open_entries, read_records
from aiact_asp.inventory import build_inventory, inventory_json, inventory_paths, solve_grouped
from aiact_asp.inventory_formats import TABLE_COLUMNS, _cut_middle, render
from aiact_asp.kb import load_kb
from aiact_asp.progress import Progress
from aiact_asp.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts"
FIXTURES = ROOT / "tests" / "fixtures" / "algoritmeregister"
LISTING_CSV = FIXTURES / "listing-sample.csv"
LISTING_JSON = FIXTURES / "listing-sample.json"
TEMPLATES = FIXTURES / "vendor-templates-sample.json"
AS_OF = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def facts_inventory():
    return inventory_paths([FACTS], AS_OF)


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


def _expectations() -> dict[str, dict]:
    """id -> the `expect:` block of every example in facts/."""
    out = {}
    for path in sorted(FACTS.glob("*.yaml")):
        # the fast reader: the loader's descriptions (test_fast_reader_gives_the_loaders_descriptions), in a twentieth of the time
        descriptions, errors = fastload.load_file(path, load_vocabulary())
        assert not errors, errors
        for desc in descriptions:
            out[desc.id] = desc.meta.get("expect", {})
    return out


def _expected_grounds(conclusions: list[str]) -> dict[str, set]:
    """The grounds an inventory row must show, read from the exact conclusions of `expect:`."""
    grounds: dict[str, set] = {k: set() for k in ("prohibited", "annex_i", "annex_iii", "derogation", "transparency",
                                                  "systemic_risk", "scope")}
    for label in conclusions:
        term = clingo.parse_term(label)
        args = [a.string if a.type == clingo.SymbolType.String else str(a) for a in term.arguments]
        if term.name in ("prohibited", "prohibited_from"):
            grounds["prohibited"].add(args[0])
        elif term.name == "high_risk" and args[0] == "annex_iii":
            grounds["annex_iii"].add(args[1])
        elif term.name == "high_risk":
            grounds["annex_i"].add((args[1], args[0][-1].upper()))
        elif term.name == "annex_iii_derogation":
            grounds["derogation"].add((args[1], args[0]))
        elif term.name in ("transparency_obligation", "transparency_obligation_from"):
            grounds["transparency"].add(args[0])
        elif term.name == "gpai_systemic_risk":
            grounds["systemic_risk"].add(args[0])
        elif term.name == "out_of_scope":
            grounds["scope"].add(args[0])
    return grounds


# --------------------------------------------------------------------------- the examples of facts/


def test_every_example_gives_its_expected_row(facts_inventory):
    expectations = _expectations()
    rows = {row.id: row for row in facts_inventory.rows}
    assert set(rows) == set(expectations)
    assert not facts_inventory.failed
    for ident, expect in expectations.items():
        legal = rows[ident].legal
        assert legal.risk_class == expect["risk_class"], ident
        if "conclusions" not in expect:
            continue
        wanted = _expected_grounds(expect["conclusions"])
        assert {g.ground for g in legal.prohibited if g.certain} == wanted["prohibited"], ident
        assert {g.ground for g in legal.annex_iii if g.certain} == wanted["annex_iii"], ident
        assert {(g.ground, g.detail) for g in legal.annex_i if g.certain} == wanted["annex_i"], ident
        assert {(g.ground, g.detail) for g in legal.derogation if g.certain} == wanted["derogation"], ident
        assert {g.ground for g in legal.transparency if g.certain} == wanted["transparency"], ident
        assert {g.ground for g in legal.systemic_risk if g.certain} == wanted["systemic_risk"], ident
        assert {g.ground for g in legal.scope_grounds if g.certain} == wanted["scope"], ident


def test_totals_per_risk_class_and_role(facts_inventory):
    expected = Counter(e["risk_class"] for e in _expectations().values())
    assert facts_inventory.totals_risk == dict(expected)
    roles = Counter(g.ground for row in facts_inventory.rows for g in row.legal.roles if g.certain)
    assert {k: v["certain"] for k, v in facts_inventory.totals_role.items()} == dict(roles)
    data = inventory_json(facts_inventory)
    assert data["totals"]["systems"] == sum(expected.values()) == sum(data["totals"]["risk_classes"].values())


def test_handreiking_fields_and_dutch_labels(facts_inventory):
    data = inventory_json(facts_inventory, "nl")
    row = next(r for r in data["rows"] if r["id"] == "cv-screening")
    assert data["columns"]["name"] == "Naam AI-systeem"
    assert data["columns"]["register_id"] == "Registratie algoritmeregister"
    assert data["columns"]["vendor"] == "Evt. leverancier"
    assert row["name"] == "CV-screening voor werving"
    assert row["process"] == "Werving en selectie"
    assert row["vendor"] == "Voorbeeld HR B.V."
    assert row["status"] == "in gebruik"
    # provisions in the Dutch citation style (aiact_asp/citation_nl.py); the structured "systems" keep the codes
    assert row["annex_iii"] == "punt 4, a)"
    assert next(s for s in data["systems"] if s["id"] == "cv-screening")["grounds"]["annex_iii"][0]["ground"] == "4(a)"
    by_row = {r["id"]: r for r in data["rows"]}
    assert by_row["sociale-score-burgers"]["prohibited"] == "art. 5, lid 1, punt c)"
    assert by_row["chatbot-gemeente"]["transparency"] == "art. 50, lid 1"
    assert by_row["triage-verblijfsaanvragen"]["derogation"] == "art. 6, lid 3, punt d) (punt 7, c))"
    assert by_row["doelherkenning-defensie"]["scope"] == "buiten het toepassingsgebied (art. 2, lid 3)"
    assert inventory_json(facts_inventory, "en")["rows"][[r["id"] for r in data["rows"]].index("cv-screening")]["annex_iii"] == "4(a)"
    labels = row["labels"].split("; ")
    assert {"AI-systeem", "hoog-risico AI", "gebruiksverantwoordelijke"} <= set(labels)
    by_id = {r["id"]: r["labels"].split("; ") for r in data["rows"]}
    assert "verboden AI" in by_id["sociale-score-burgers"]
    assert "uitzondering van toepassing" in by_id["doelherkenning-defensie"]
    assert "transparantieverplichting" in by_id["chatbot-gemeente"]
    assert "systeemrisico" in by_id["gpai-model-groot"]
    assert "algoritme" in by_id["beslisboom-bijzondere-bijstand"]


def test_same_facts_are_solved_once_with_the_same_outcome(tmp_path):
    source = (FACTS / "cv-screening.yaml").read_text(encoding="utf-8")
    for i in range(3):
        (tmp_path / f"copy-{i}.yaml").write_text(source.replace("id: cv-screening", f"id: copy-{i}"), encoding="utf-8")
    shutil.copy(FACTS / "chatbot-gemeente.yaml", tmp_path / "chatbot.yaml")
    inventory = inventory_paths([tmp_path], AS_OF)
    assert inventory.groups == 2
    rows = {r.id: r for r in inventory.rows}
    assert [rows[f"copy-{i}"].legal.risk_class for i in range(3)] == ["high_risk"] * 3
    assert rows["chatbot-gemeente"].legal.risk_class == "limited_risk"
    single = inventory_paths([FACTS / "cv-screening.yaml"], AS_OF).rows[0].legal
    assert rows["copy-2"].legal == single


def test_a_bad_file_is_listed_apart_and_the_rest_is_solved(tmp_path):
    shutil.copy(FACTS / "cv-screening.yaml", tmp_path / "good.yaml")
    (tmp_path / "bad.yaml").write_text("id: bad\nannex_iii:\n  profilling_natural_persons: true\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["inventory", str(tmp_path), "--format", "json", "--as-of", "2026-11-30"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [r["id"] for r in data["rows"]] == ["cv-screening"]
    assert {Path(f["file"]).name for f in data["failed"]} == {"bad.yaml", "broken.yaml"}
    assert any("profiling_natural_persons" in f["message"] for f in data["failed"])
    table = CliRunner().invoke(main, ["inventory", str(tmp_path), "--as-of", "2026-11-30"])
    assert "bad.yaml" in table.stdout and "Problems in the input, descriptions not read (2)" in table.stdout
    assert "cv-screening          CV-screening voor werving" in table.stdout  # the name beside the id


# --------------------------------------------------------------------------- formats


def _json_rows(inventory, lang="en"):
    data = inventory_json(inventory, lang)
    headings = [data["columns"][c] for c in data["columns"]]
    return headings, [[str(r[c]) for c in data["columns"]] for r in data["rows"]]


def test_csv_holds_the_same_rows_as_json(facts_inventory):
    headings, rows = _json_rows(facts_inventory, "nl")
    text = render(facts_inventory, "csv", "nl")
    assert text.startswith("\ufeff")
    # semicolons for Dutch spreadsheet settings (decimal comma), commas in English
    table = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))
    assert table[0] == headings
    assert table[1:] == rows
    english = render(facts_inventory, "csv", "en")
    assert list(csv.reader(io.StringIO(english[1:], newline="")))[0] == _json_rows(facts_inventory, "en")[0]


def test_xlsx_holds_the_same_rows_as_json(facts_inventory, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    headings, rows = _json_rows(facts_inventory)
    path = tmp_path / "inventory.xlsx"
    path.write_bytes(render(facts_inventory, "xlsx"))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Inventory", "Totals", "Not read", "About"]
    sheet = book["Inventory"]
    values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == headings
    assert values[1:] == rows
    assert sheet.freeze_panes == "C2"
    totals = {row[0]: row[1] for row in book["Totals"].iter_rows(values_only=True) if row and row[0]}
    assert totals["high-risk AI system"] == facts_inventory.totals_risk["high_risk"]


def test_table_cites_annex_iii_points_in_the_language_of_the_table(facts_inventory):
    """The grounds cell of the terminal table: Annex III 4(a) (recruitment, cv-screening) and the
    Art. 6(3)(d) derogation of an Annex III 7(c) system (triage-verblijfsaanvragen) in shorthand.
    A Dutch cell cites in Dutch (art. 2, lid 3) while every cell of the column fits; when one does
    not (bijlage III, punt 4, a) and a second ground), the column takes the shorthand, which the
    legend explains, rather than cut off the point cited."""
    def cell(text: str, system: str) -> str:
        line = next(line for line in text.splitlines() if line.startswith(_cut_middle(system, 20) + " "))
        start = sum(width + 2 for column, width in TABLE_COLUMNS[:[c for c, _ in TABLE_COLUMNS].index("grounds")])
        return line[start:start + 26].strip()

    english, dutch = render(facts_inventory, "table", "en"), render(facts_inventory, "table", "nl")
    assert cell(english, "cv-screening") == cell(dutch, "cv-screening") == "III 4(a)"
    assert cell(english, "triage-verblijfsaanvragen") == cell(dutch, "triage-verblijfsaanvragen") == "6(3)(d) (III 7(c))"
    assert "5(1)(g) staat voor art. 5, lid 1, punt g, en III 4(a) voor bijlage III, punt 4, onder a." in " ".join(dutch.split("\n"))
    # outside the scope: the exclusion of Art. 2(3) (exclusively military purposes)
    assert cell(english, "doelherkenning-defensie") == "2(3)"
    alone = inventory_paths([FACTS / "doelherkenning-defensie.yaml", FACTS / "cv-screening.yaml"], AS_OF)
    assert cell(render(alone, "table", "nl"), "doelherkenning-defensie") == "art. 2, lid 3"
    assert cell(render(alone, "table", "nl"), "cv-screening") == "bijlage III, punt 4, a)"
    # Annex I: the section and the act's number (Art. 6(1)): the Medical Devices Regulation (EU)
    # 2017/745 in Section A; the Machinery Directive 2006/42/EC (Section A point 1) before
    # 27 July 2026 and the Machinery Regulation (EU) 2023/1230 (Section B) from that date
    assert cell(english, "longnodule-detectie-ct") == "I A: 2017/745"
    assert cell(english, "personendetectie-sorteerlijn-2026-07") == "I A: 2006/42/EC"
    assert cell(english, "personendetectie-sorteerlijn-2027") == "I B: 2023/1230"
    # the short headings and cells are explained under the table
    assert "\nnow/later: the obligations that apply on the assessment date / those that apply only from a later date" in english
    assert "I A and I B are Annex I Section A and B, with the number of the act." in english
    assert "\nnu/later: de verplichtingen die op de peildatum gelden / die pas vanaf een latere datum gelden" in dutch


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_table_fits_the_terminal(facts_inventory, lang):
    """On a terminal the table is fitted to its width: columns narrow, then the status, the
    AI-system column (the risk classification says it too), the name and the open questions are
    left out, and a line says which; every line fits. Without a width (a file) nothing is left out."""
    from aiact_asp.inventory_formats import table

    full = table(facts_inventory, lang)
    assert max(map(len, full.split("\n\n")[1].splitlines()[:2])) > 150  # every column at full width
    for width, left_out in ((120, 1), (100, 2), (80, 4)):
        text = table(facts_inventory, lang, width=width)
        assert max(map(len, text.splitlines())) <= width, width
        header = text.split("\n\n")[1].splitlines()[0]
        assert header.startswith("ID") and ("now/later" in header or "nu/later" in header)
        note = " ".join(text.split("\n\n")[-1].split("\n"))
        named = re.search(r"(?:characters wide\)|tekens breed\) te passen): (.*?) \(--format", note)
        assert named and len(named.group(1).split(", ")) == left_out, (width, note)
        # every system keeps its row, with its risk classification
        rows = text.split("\n\n")[1].splitlines()[2:]
        assert len(rows) == len(facts_inventory.rows)
        # in short when the column is too narrow for every wording: "GPAI, systemic risk" is not cut to "general-purpose AI…"
        short = {"en": ("prohibited", "GPAI, systemic risk"), "nl": ("verboden", "GPAI, systeemrisico")}[lang]
        start = min(header.find(h) for h in ("Risk class", "Risico-classificat", "Risicoklasse") if h in header)  # or in short
        cells = [row[start:].split("  ")[0] for row in rows]
        assert cells.count(short[0]) == facts_inventory.totals_risk["prohibited"]
        assert cells.count(short[1]) == facts_inventory.totals_risk["gpai_model_systemic_risk"] == 1


def test_systems_with_a_date_of_their_own_are_named(facts_inventory):
    """The examples of a date of application carry their own assessment date (expect.as_of:
    Art. 5(1)(ba) before and from 2 December 2026, the machinery move of 27 July 2026): the
    table, the Markdown and the JSON say which systems are not assessed on the inventory's date."""
    own = {row.id: row.as_of.isoformat() for row in facts_inventory.rows if row.as_of != facts_inventory.as_of}
    # the inventory is assessed on 2026-11-30, the date naaktbeeld-generator-2026-11 sets too
    assert own == {"naaktbeeld-generator-2026-12": "2026-12-15", "personendetectie-sorteerlijn-2026-07": "2026-07-01",
                   "personendetectie-sorteerlijn-2027": "2027-03-01"}
    text = render(facts_inventory, "table", "en")
    assert text.splitlines()[1] == ("3 systems are assessed on the date their file sets (expect.as_of), not on this one: "
                                    "naaktbeeld-generator-2026-12 (2026-12-15), personendetectie-sorteerlijn-2026-07 (2026-07-01), "
                                    "personendetectie-sorteerlijn-2027 (2027-03-01).")
    assert "3 systemen zijn beoordeeld op de datum die hun bestand opgeeft" in render(facts_inventory, "markdown", "nl")


def test_cli_table_takes_the_width_asked():
    """`aiact-asp inventory` fits its table to the terminal's width (on a terminal by itself;
    here, not on one, as `--width` asks)."""
    result = CliRunner().invoke(main, ["inventory", str(FACTS / "cv-screening.yaml"), "--as-of", "2026-11-30", "--width", "90"])
    assert result.exit_code == 0, result.output
    assert max(map(len, result.output.splitlines())) <= 90 and "Left out to fit the terminal (90 characters wide)" in result.output


def test_table_ids_of_one_series_stay_apart(facts_inventory):
    """The id column is cut in the middle: the two assessments of the 'Undress' app (before and
    from 2 December 2026, when Art. 5(1)(ba) applies) differ only at the end of their ids."""
    ids = [line.split("  ")[0] for line in render(facts_inventory, "table", "en").splitlines() if line.startswith("naaktbeeld")]
    assert ids == ["naaktbeeld…r-2026-11", "naaktbeeld…r-2026-12"]


def test_markdown_table_and_html_page(facts_inventory):
    text = render(facts_inventory, "markdown", "nl")
    assert "| Naam AI-systeem |" in text and "## Systemen per risicoklasse" in text
    page = render(facts_inventory, "html", "nl")
    assert page.startswith("<!DOCTYPE html>") and page.count("<tr data-index=") == len(facts_inventory.rows)
    for needle in ("<style>", "<script>", "@media print", "aria-sort"):
        assert needle in page
    for external in ('src="http', "src='http", 'href="http', "@import", "url("):
        assert external not in page, external


CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium on this machine (apt-get install chromium); .ci/run installs it when it can")
def test_html_renders_in_a_real_browser(facts_inventory, tmp_path):
    page = tmp_path / "inventory.html"
    page.write_text(render(facts_inventory, "html", "nl"), encoding="utf-8")
    shot, pdf = tmp_path / "shot.png", tmp_path / "print.pdf"
    jobs = {"shot": ["--window-size=1400,900", f"--screenshot={shot}"],
            "dom": ["--virtual-time-budget=2000", "--dump-dom"],
            "pdf": [f"--print-to-pdf={pdf}", "--no-pdf-header-footer"]}
    # the three browsers at once (each mostly waits; one after the other they took 5-15 s), each
    # with a profile of its own (a browser locks its profile)
    profiles = {name: tempfile.mkdtemp(prefix="chromium-") for name in jobs}
    running = {name: subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                       "--no-first-run", "--disable-background-networking", "--disable-component-update",
                                       "--disable-sync", f"--user-data-dir={profiles[name]}", *args, page.as_uri()],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name, args in jobs.items()}
    try:
        out = {}
        for name, process in running.items():
            out[name], err = process.communicate(timeout=120)
            assert process.returncode == 0, (name, err)
    finally:
        for process in running.values():
            if process.poll() is None:
                process.kill()
                process.communicate()
        for profile in profiles.values():
            shutil.rmtree(profile, ignore_errors=True)
    assert shot.stat().st_size > 10_000  # a page with content, not a blank image
    assert f"{len(facts_inventory.rows)} van {len(facts_inventory.rows)} getoond" in out["dom"]  # the script ran
    assert pdf.read_bytes()[:4] == b"%PDF"


# --------------------------------------------------------------------------- import from the Algoritmeregister


@pytest.mark.parametrize("export", [LISTING_CSV, LISTING_JSON])
def test_import_gives_descriptions_that_solve_accepts(export, tmp_path, vocabulary):
    report = import_register(export, tmp_path)
    assert report.records == 20 and report.count("created") == 20
    files = sorted(tmp_path.glob("*.yaml"))
    assert len(files) == 20 and all(f.stem.startswith("alg-") for f in files)
    # read as `solve` reads them: the fast reader, which gives the loader's outcome (compared on the
    # same skeletons in test_fast_reader_gives_the_loaders_descriptions)
    descriptions, errors = fastload.load_paths([tmp_path], vocabulary)
    assert not errors and len(descriptions) == 20
    if export != LISTING_CSV:
        return
    # `solve` itself on one of them (every skeleton has the same legal facts; solving one with
    # all its facts open and working out its open questions takes seconds, see docs/inventory.md)
    result = CliRunner().invoke(main, ["solve", str(files[0]), "--format", "json", "--as-of", "2026-11-30"])
    assert result.exit_code == 0, result.output
    systems = json.loads(result.stdout)["systems"]
    assert [s["risk_class"] for s in systems] == ["undetermined"]
    assert {"high_risk", "not_ai_system", "prohibited"} <= set(systems[0]["possible_risk_classes"])


def test_csv_and_json_exports_give_the_same_files(tmp_path):
    import_register(LISTING_CSV, tmp_path / "csv")
    import_register(LISTING_JSON, tmp_path / "json")
    for path in (tmp_path / "csv").glob("*.yaml"):
        other = (tmp_path / "json" / path.name).read_text(encoding="utf-8")
        assert path.read_text(encoding="utf-8").split("\n", 3)[3] == other.split("\n", 3)[3]  # header names the source


def test_skeleton_fields(tmp_path, vocabulary):
    import_register(LISTING_CSV, tmp_path)
    descriptions, errors = fastload.load_paths([tmp_path], vocabulary)  # as `solve` reads them
    assert not errors
    rows = list(csv.DictReader(LISTING_CSV.open(encoding="utf-8", newline="")))
    by_id = {d.id: d for d in descriptions}
    status = {"in_gebruik": "in_use", "ontwikkeling": "in_development", "buiten_gebruik": "decommissioned"}
    for row in rows:
        desc = by_id[f"alg-{row['id']}"]
        assert desc.text["name"] == row["title"]
        assert desc.text["register_id"] == row["id"]
        assert desc.values["status"] == status[row["status"]]
        assert desc.values["organisation.public_authority"] is True
        if row["doel"]:
            assert " ".join(desc.text["description"].split()) == " ".join(row["doel"].split())
    mapping = load_mapping()
    keys = {e.key for e in open_entries(vocabulary, mapping)}
    for key in ("definition.machine_based", "definition.infers_outputs", "scope.military_defence_national_security_only",
                "prohibited_practices.social_scoring.evaluates_persons_over_time_on_social_behaviour_or_characteristics",
                "annex_i.legislation", "annex_iii.use_cases", "annex_iii.profiling_natural_persons",
                "transparency.interacts_directly_with_natural_persons", "gpai.is_gpai_model", "activities"):
        assert key in keys
        assert all(d.values[key] == "unknown" for d in descriptions), key
    text = next(tmp_path.glob("*.yaml")).read_text(encoding="utf-8")
    assert "# Draait het systeem op een machine" in text  # the question above its key


def test_vendor_templates_use_provider_and_html_is_stripped(tmp_path, vocabulary):
    import_register(TEMPLATES, tmp_path)
    descriptions, errors = loader.load_paths([tmp_path], vocabulary)
    assert not errors and len(descriptions) == 3
    assert {d.text.get("vendor") for d in descriptions} == {"BMconsultants BV", "Brickyard B.V.", "Xxllnc"}
    assert not any("register_id" in d.text for d in descriptions)  # a template id is no register id
    text = (tmp_path / "anonimiseren.yaml").read_text(encoding="utf-8")
    assert "<p>" not in text and "Algoritmeregister — Methoden en modellen:" in text and "Zelflerend" in text


def test_organisation_filter(tmp_path):
    report = import_register(LISTING_CSV, tmp_path, organisation="uitvoeringsinstituut  werknemersverzekeringen")
    assert report.records >= 1
    from aiact_asp.importer import RegisterError

    with pytest.raises(RegisterError, match="did you mean"):
        import_register(LISTING_CSV, tmp_path, organisation="Uitvoeringsinstituut Werknemersverzekering")


def test_reimport_keeps_the_experts_answers(tmp_path, vocabulary):
    import_register(LISTING_CSV, tmp_path)
    path = next(p for p in sorted(tmp_path.glob("*.yaml")))
    text = path.read_text(encoding="utf-8")
    answered = (text.replace("  machine_based: unknown", "  machine_based: true  # checked with the team, 2026-11")
                .replace("  autonomy: unknown", "  autonomy: false")
                .replace("\n  real_world_testing: unknown", ""))  # as if the key were new in the catalogue
    answered = answered.replace("status: ", "# reviewed by legal\nstatus: ", 1)
    assert answered.count("machine_based: true") == 1 and "real_world_testing:" not in answered
    path.write_text(answered, encoding="utf-8")
    report = import_register(LISTING_CSV, tmp_path)
    outcome = next(o for o in report.outcomes if o.file == str(path))
    assert outcome.action == "updated" and outcome.added == ["scope.real_world_testing"]
    assert report.count("unchanged") == 19
    after = path.read_text(encoding="utf-8")
    assert "machine_based: true  # checked with the team, 2026-11" in after
    assert "autonomy: false" in after and "# reviewed by legal" in after
    assert "real_world_testing: unknown" in after
    descriptions, errors = loader.load_file(path, vocabulary)
    assert not errors
    assert descriptions[0].values["definition.machine_based"] is True
    assert descriptions[0].values["definition.autonomy"] is False
    assert descriptions[0].values["scope.real_world_testing"] == "unknown"
    again = import_register(LISTING_CSV, tmp_path)  # a third import changes nothing
    assert again.count("unchanged") == 20


def test_merge_fills_unknown_and_reports_differences(vocabulary):
    mapping = load_mapping()
    record = map_record(read_records(LISTING_CSV)[0], mapping)
    record.id = "alg-x"
    from aiact_asp.importer import render_skeleton

    skeleton = render_skeleton(record, vocabulary, mapping)
    existing = skeleton.replace("status: in_use", "status: unknown").replace(f'name: "{record.name}"', 'name: "Mijn naam"')
    merged, outcome = merge_text(existing, skeleton, vocabulary)
    assert outcome.action == "updated" and outcome.filled == ["status"]
    assert ("name", "Mijn naam", record.name) in outcome.differences
    assert "status: in_use" in merged and 'name: "Mijn naam"' in merged


# --------------------------------------------------------------------------- the fast reader


@pytest.mark.slow
def test_fast_reader_gives_the_loaders_descriptions(tmp_path, vocabulary):
    import_register(LISTING_JSON, tmp_path / "imported")
    for folder in (FACTS, tmp_path / "imported"):
        fast = fastload.load_paths([folder], vocabulary)
        exact = loader.load_paths([folder], vocabulary)
        assert [d.__dict__ for d in fast[0]] == [d.__dict__ for d in exact[0]]
        assert fast[1] == exact[1] == []


@pytest.mark.parametrize("text", [
    "id: a\norganisation: {public_authority: True}\n",         # YAML 1.1 spelling of a bool
    "id: a\nname: &n x\nprocess: *n\n",                          # anchors and aliases
    "id: a\nid: b\n",                                            # a duplicate key
    "id: a\nname: !!str x\n",                                    # a tag
    "%YAML 1.1\n---\nid: a\n",                                   # a directive
    "id: a\nannex_iii:\n  profilling_natural_persons: true\n",  # an error to report
    "id: a\ngpai:\n  training_compute_flops: 1_000\n",           # a number YAML versions read differently
    "id: a\nname: \"x\\u0007\"\n",                               # a control character in text
    "systems:\n  - id: a\n  - id: a\n",                          # the same id twice
    "id: a\nsupply: &s {vendor_established_in_union: true}\n",   # an anchor on a mapping
    "id: a\nname: ! 12\n",                                      # the non-specific tag
    "id: a\nsupply:\n  vendor_established_in_union: ! true\n",
    "id: a\nname: null\n",                                      # a null, written or left empty
    "id: a\nname:\n",
    "id: a\ngpai:\n  training_compute_flops: 0x1F\n",          # hexadecimal
    "id: a\nsupply:\n  vendor_established_in_union: yes\n",    # YAML 1.1's yes
    "id: a\n---\nid: b\n",                                      # two documents
    "id: a\nsupply:\n  vendor_established_in_union: true\n  vendor_established_in_union: false\n",
    "id: a\n? [x]\n: 1\n",                                      # a list as a key
])
def test_fast_reader_leaves_anything_unusual_to_the_loader(text, tmp_path, vocabulary):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    assert fastload.parse_text(text, str(path), vocabulary) is None or "systems" in text
    fast = fastload.load_paths([path], vocabulary)
    exact = loader.load_paths([path], vocabulary)
    assert [d.__dict__ for d in fast[0]] == [d.__dict__ for d in exact[0]]
    assert fast[1] == exact[1]


# --------------------------------------------------------------------------- solving and progress


def test_grouped_solve_matches_one_solve_per_system(vocabulary):
    kb = load_kb()
    descriptions, _ = loader.load_paths([FACTS / "cv-screening.yaml", FACTS / "chatbot-gemeente.yaml"], vocabulary)
    grouped, groups = solve_grouped(descriptions, kb, vocabulary, AS_OF)
    assert groups == 2
    for desc in descriptions:
        inventory = build_inventory([desc], [], kb, vocabulary, AS_OF)
        assert grouped[desc.id].risk_class == inventory.rows[0].legal.risk_class


def test_progress_is_drawn_only_on_a_terminal():
    silent = io.StringIO()
    progress = Progress(stream=silent, delay=0)  # not a terminal: off
    progress.phase("reading files", total=3)
    progress.advance(3)
    progress.done()
    assert silent.getvalue() == ""
    shown = io.StringIO()
    progress = Progress(enabled=True, stream=shown, delay=0)
    progress.phase("reading files", total=4)
    progress.phase("grounding and solving")
    progress.done()
    assert "reading files 0/4" in shown.getvalue() and "grounding and solving" in shown.getvalue()


def test_cli_import_then_inventory(tmp_path):
    runner = CliRunner()
    out = tmp_path / "register"
    result = runner.invoke(main, ["import", "algoritmeregister", str(LISTING_CSV), "-o", str(out)])
    assert result.exit_code == 0, result.output
    # in Dutch, the import's default language (that of the questions written as comments)
    assert result.stdout.startswith(f"20 algoritmes → {out}: 20 aangemaakt, 0 bijgewerkt, 0 ongewijzigd\n")
    again = runner.invoke(main, ["import", "algoritmeregister", str(LISTING_CSV), "-o", str(out), "--lang", "en"])
    assert again.exit_code == 0 and again.stdout.startswith(f"20 algorithms → {out}: 0 created, 0 updated, 20 unchanged\n")
    missing = runner.invoke(main, ["import", "algoritmeregister", str(tmp_path / "geen.csv"), "-o", str(out)])
    assert missing.exit_code == 2 and missing.stderr.startswith(f"fout: {tmp_path / 'geen.csv'}: kan niet gelezen worden: ")
    xlsx = tmp_path / "inventory.xlsx"
    result = runner.invoke(main, ["inventory", str(out), "--format", "xlsx", "-o", str(xlsx), "--as-of", "2026-11-30",
                                  "--lang", "nl", "--no-questions"])
    assert result.exit_code == 0, result.output
    assert xlsx.read_bytes()[:2] == b"PK"
    result = runner.invoke(main, ["inventory", str(out), "--format", "xlsx"])
    assert result.exit_code == 2 and "-o" in result.output


def test_register_labels_are_complete():
    import yaml

    text = (ROOT / "kb" / "register_labels.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=yaml.SafeLoader)  # the pure-Python parser too: no flow-style surprises
    from aiact_asp.inventory import COLUMNS

    for column in COLUMNS:
        assert set(data["columns"][column]) >= {"en", "nl"}, column
        assert "," not in column
    for section in ("words", "ai_system", "scope"):
        for key, value in data[section].items():
            assert set(value) == {"en", "nl"}, (section, key)
    assert data["columns"]["ai_system"]["nl"] == "AI-systeem (art. 3, punt 1)"
