"""Citations in the Dutch style (aiact_asp/citation_nl.py).

Every source the knowledge base cites (``%@ source:`` of kb/*.lp, ``source:`` and
``value_sources:`` of kb/vocabulary.yaml, ``articles:`` of kb/obligations.yaml) must come out in
Dutch without an English word left; the forms are checked against the way the Dutch text of the
AI Act cites (``artikel 6, lid 3``, ``bijlage III, punt 1, a)``, ``artikel 5, lid 1, eerste alinea,
punt h), iii)``, ``overweging 53``, ``artikel 9, lid 1, van Verordening (EU) 2016/679``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from aiact_asp.citation_nl import cite, citation_nl, provisions_en, provisions_nl, sources_nl

ROOT = Path(__file__).resolve().parent.parent
KB = ROOT / "kb"
SOURCE_LINE = re.compile(r"%@\s*source:\s*(.*?)\s*$")
#: English words that must not survive in a Dutch citation.
ENGLISH = re.compile(r"\b(Art\.|Article|Annex|recitals?|paragraphs?|subparagraphs?|sentences?|points?|first|second|"
                     r"third|last|Section|as amended|as inserted|as replaced|as added|Reg\.|Guidelines|section|text)\b")


def _load_yaml(path: Path):
    """``yaml.safe_load`` of ``path``, with libyaml's parser when PyYAML has it (the same reading,
    ten times faster: both catalogues are read while the tests are collected, in every worker)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _split(text: str) -> list[str]:
    return [part.strip() for part in str(text).split(";") if part.strip()]


def kb_sources() -> list[str]:
    """Every single citation of a ``%@ source:`` line in kb/*.lp."""
    found: set[str] = set()
    for path in sorted(KB.glob("*.lp")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = SOURCE_LINE.search(line)
            if match:
                found.update(_split(match.group(1)))
    return sorted(found)


def catalogue_sources() -> list[str]:
    """Every citation of kb/vocabulary.yaml (keys, values, sections) and kb/obligations.yaml."""
    found: set[str] = set()
    vocabulary = _load_yaml(KB / "vocabulary.yaml")
    for entry in vocabulary["entries"]:
        for text in [entry.get("source")] + list((entry.get("value_sources") or {}).values()):
            if text:
                found.update(_split(text))
    for section in vocabulary["sections"]:
        if section.get("source"):
            found.update(_split(section["source"]))
    obligations = _load_yaml(KB / "obligations.yaml")
    for role in obligations["roles"].values():
        found.update(_split(role["source"]))
    for item in obligations["obligations"].values():
        found.update(item.get("articles", []))
    return sorted(found)


def test_the_kb_has_sources_to_translate():
    sources = kb_sources()
    assert len(sources) > 300  # 345 distinct citations at the time of writing
    assert "Art. 6(3), last subparagraph" in sources and "Annex III 4(a)" in sources and "recital 53" in sources


@pytest.mark.parametrize("source", kb_sources())
def test_every_kb_source_translates_without_english_words(source):
    dutch = citation_nl(source, strict=True)
    assert not ENGLISH.search(dutch), f"{source!r} -> {dutch!r}"
    assert dutch.startswith(("art. ", "bijlage ", "overweging ", "Richtsnoeren ", "Handreiking ")), dutch


@pytest.mark.parametrize("source", catalogue_sources())
def test_every_catalogue_source_translates_without_english_words(source):
    dutch = citation_nl(source, strict=True)
    assert not ENGLISH.search(dutch), f"{source!r} -> {dutch!r}"


@pytest.mark.parametrize("english, dutch", [
    # articles: paragraph = lid, point = punt x), sub-point = i)  (Dutch text: "artikel 5, lid 1, ..., punt h), iii)")
    ("Art. 2", "art. 2"),
    ("Art. 6(2)", "art. 6, lid 2"),
    ("Art. 5(1)(f)", "art. 5, lid 1, punt f)"),
    ("Art. 5(1)(h)(iii)", "art. 5, lid 1, punt h), iii)"),
    ("Art. 5(1)(c)(ii)", "art. 5, lid 1, punt c), ii)"),
    ("Art. 16(a)", "art. 16, punt a)"),  # Art. 16 has points, no numbered paragraphs
    ("Art. 3(1)", "art. 3, punt 1"),  # definitions are points: "artikel 3, punt 1"
    ("Art. 3(45)(a)", "art. 3, punt 45, a)"),
    ("Art. 3(3)-(8)", "art. 3, punten 3 tot en met 8"),
    ("Art. 50(1)-(4)", "art. 50, leden 1 tot en met 4"),
    ("Art. 52(2)-(3)", "art. 52, leden 2 en 3"),
    ("Art. 27(1)-(3)", "art. 27, leden 1 tot en met 3"),
    # subparagraph = alinea, sentence = zin
    ("Art. 6(3), last subparagraph", "art. 6, lid 3, laatste alinea"),
    ("Art. 5(1), first subparagraph", "art. 5, lid 1, eerste alinea"),
    ("Art. 6(3), first and second subparagraphs", "art. 6, lid 3, eerste en tweede alinea"),
    ("Art. 2(3), second and third subparagraphs", "art. 2, lid 3, tweede en derde alinea"),
    ("Art. 6(3), second subparagraph, point (d)", "art. 6, lid 3, tweede alinea, punt d)"),
    ("Art. 50(4), second subparagraph, first sentence", "art. 50, lid 4, tweede alinea, eerste zin"),
    ("Art. 6(4), first and third sentences", "art. 6, lid 4, eerste en derde zin"),
    ("Art. 52(1), last sentence", "art. 52, lid 1, laatste zin"),
    # Art. 113 has unnumbered paragraphs
    ("Art. 113, second paragraph", "art. 113, tweede alinea"),
    ("Art. 113, third paragraph, point (c)(ii)", "art. 113, derde alinea, punt c), ii)"),
    ("Art. 113, third paragraph, point (c) (2024 text)", "art. 113, derde alinea, punt c) (tekst van 2024)"),
    # inserted provisions: bis, ter, quater
    ("Art. 5(1a)", "art. 5, lid 1 bis"),
    ("Art. 5(1)(ba)", "art. 5, lid 1, punt b bis)"),
    ("Art. 5(1)(bb)", "art. 5, lid 1, punt b ter)"),
    ("Art. 6(1c)", "art. 6, lid 1 quater"),
    ("Art. 3(14b)", "art. 3, punt 14 ter"),
    ("Art. 4a", "art. 4 bis"),
    # amendments
    ("Art. 5(1a)(a)(i) as inserted by Reg. 2026/1744 Art. 1(7)(b)",
     "art. 5, lid 1 bis, punt a), i), zoals ingevoegd bij art. 1, punt 7, b), van Verordening (EU) 2026/1744"),
    ("Art. 25(2), last subparagraph, as amended by Reg. 2026/1744 Art. 1(12)(a)",
     "art. 25, lid 2, laatste alinea, zoals gewijzigd bij art. 1, punt 12, a), van Verordening (EU) 2026/1744"),
    ("Art. 111(2) as replaced by Reg. 2026/1744 Art. 1(39)(a)",
     "art. 111, lid 2, zoals vervangen bij art. 1, punt 39, a), van Verordening (EU) 2026/1744"),
    ("Annex I Section B point 21 as added by Reg. 2026/1744 Art. 1(41)(b)",
     "bijlage I, afdeling B, punt 21, zoals toegevoegd bij art. 1, punt 41, b), van Verordening (EU) 2026/1744"),
    ("Reg. 2026/1744 Art. 1(41)", "art. 1, punt 41, van Verordening (EU) 2026/1744"),
    ("Reg. 2026/1744 Art. 4", "art. 4 van Verordening (EU) 2026/1744"),
    ("Reg. 2026/1744 recital 39", "overweging 39 van Verordening (EU) 2026/1744"),
    # annexes: "bijlage III, punt 1, a)"
    ("Annex III", "bijlage III"),
    ("Annex III 4", "bijlage III, punt 4"),
    ("Annex III 4(a)", "bijlage III, punt 4, a)"),
    ("Annex III 3-8", "bijlage III, punten 3 tot en met 8"),
    ("Annex I Section A", "bijlage I, afdeling A"),
    ("Annex I Section A point 1", "bijlage I, afdeling A, punt 1"),
    ("Annex XIII point (f)", "bijlage XIII, punt f)"),
    ("Annex XIII(f)", "bijlage XIII, punt f)"),
    ("Annex X point 3", "bijlage X, punt 3"),
    # recitals, guidelines, Handreiking
    ("recital 12", "overweging 12"),
    ("Guidelines AI system definition, section 5.2", "Richtsnoeren definitie AI-systeem, paragraaf 5.2"),
    ("Guidelines prohibited AI practices, Art. 5(1)(f)", "Richtsnoeren verboden AI-praktijken, art. 5, lid 1, punt f)"),
    ("Handreiking §4.2.3", "Handreiking §4.2.3"),
    # bare provisions of kb/obligations.yaml
    ("27(1)", "art. 27, lid 1"),
    ("53(1)(a)", "art. 53, lid 1, punt a)"),
    ("72", "art. 72"),
])
def test_citation_forms(english, dutch):
    assert citation_nl(english, strict=True) == dutch


def test_a_list_of_sources():
    assert sources_nl("Art. 6(3), last subparagraph; Art. 3(52); recital 53; Handreiking §4.2.3") == \
        "art. 6, lid 3, laatste alinea; art. 3, punt 52; overweging 53; Handreiking §4.2.3"


def test_english_is_left_as_written():
    assert cite("Art. 6(3), last subparagraph; recital 53", "en") == "Art. 6(3), last subparagraph; recital 53"
    assert cite("Art. 6(3), last subparagraph; recital 53", "nl") == "art. 6, lid 3, laatste alinea; overweging 53"


@pytest.mark.parametrize("text", ["Reg. 2016/679 Art. 4(4)", "GDPR Art. 9", "Commission FAQ on Art. 50", "Art. 6(3), fourth clause"])
def test_unknown_forms_come_back_unchanged_or_raise_in_strict_mode(text):
    """Another act's articles may be numbered points (GDPR Art. 4): better unchanged than wrong."""
    assert citation_nl(text) == text
    with pytest.raises(ValueError):
        citation_nl(text, strict=True)


def test_paragraphs_of_one_article_are_taken_together():
    """As the Dutch text writes "artikel 26, leden 1, 2 en 3" (obligations list bare provisions)."""
    assert provisions_nl(["26(1)", "26(2)", "26(3)", "26(5)", "26(12)"]) == "art. 26, leden 1, 2, 3, 5 en 12"
    assert provisions_nl(["26(8)", "49(3)"]) == "art. 26, lid 8; art. 49, lid 3"
    assert provisions_nl(["16(a)", "9"]) == "art. 16, punt a); art. 9"
    assert provisions_nl(["22(3)", "22(4)", "53(1)(a)"]) == "art. 22, leden 3 en 4; art. 53, lid 1, punt a)"
    assert provisions_nl(["3(3)", "3(4)"]) == "art. 3, punt 3; art. 3, punt 4"  # definitions are points
    # in English as the English text writes them ("Article 26(1), (2) and (3)"), with "Art." as elsewhere in the report
    assert provisions_en(["26(1)", "26(2)", "26(3)", "26(5)", "26(12)"]) == "Art. 26(1), (2), (3), (5) and (12)"
    assert provisions_en(["26(8)", "49(3)"]) == "Art. 26(8); Art. 49(3)"
    assert provisions_en(["16(a)", "9"]) == "Art. 16(a); Art. 9"
    assert provisions_en(["22(3)", "22(4)", "53(1)(a)"]) == "Art. 22(3) and (4); Art. 53(1)(a)"
    assert provisions_en(["16", "16(1)"]) == "Art. 16; Art. 16(1)"  # a whole article is not a paragraph's group


def test_dutch_statements_write_provisions_in_the_dutch_style():
    """Templates of kb/ fill in the conclusions' arguments as the law's English-style notation; the
    Dutch sentence must cite as the Dutch text of the AI Act does (Art. 3 has points, not paragraphs)."""
    from aiact_asp.citation_nl import statement_nl

    assert statement_nl("x is een verboden AI-praktijk op grond van artikel 5(1)(g).") == \
        "x is een verboden AI-praktijk op grond van artikel 5, lid 1, punt g)."
    assert statement_nl("op grond van artikel 6, lid 2, en bijlage III (4(a)).") == "op grond van artikel 6, lid 2, en bijlage III, punt 4, a)."
    assert statement_nl("bijlage III (2)") == "bijlage III, punt 2"
    assert statement_nl("valt onder bijlage III, punt 7(c), maar") == "valt onder bijlage III, punt 7, c), maar"
    assert statement_nl("de transparantieverplichting van artikel 50(3)") == "de transparantieverplichting van artikel 50, lid 3"
    assert statement_nl("artikel 5(1)(ba)") == "artikel 5, lid 1, punt b bis)"
    assert statement_nl("profilering (artikel 3(52))") == "profilering (artikel 3, punt 52)"
    assert statement_nl("artikel 6, lid 3, eerste alinea") == "artikel 6, lid 3, eerste alinea"  # already Dutch


def test_every_dutch_statement_of_the_examples_is_in_the_dutch_style(examples_run):
    from aiact_asp.report import run_text

    text = run_text(examples_run, "nl", rules=False)
    import re
    assert not re.findall(r"artikel \d+[a-z]*\(|bijlage [IVX]+ \(\d|punt \d+\(", text)
