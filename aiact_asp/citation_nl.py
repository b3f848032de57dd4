"""Legal citations in Dutch: ``Art. 6(3), last subparagraph`` -> ``art. 6, lid 3, laatste alinea``.

The knowledge base writes its sources in English (``%@ source:`` lines of ``kb/*.lp``, ``source:``
in ``kb/vocabulary.yaml``, ``articles:`` in ``kb/obligations.yaml``; forms in docs/kb-conventions.md).
A Dutch report shows them in the citation style of the Dutch text of the AI Act
(``artikel 6, lid 3``, ``bijlage III, punt 1, a)``, ``artikel 5, lid 1, eerste alinea, punt h), iii)``,
``overweging 53``, ``artikel 9, lid 1, van Verordening (EU) 2016/679``), with ``art.`` for
``artikel`` to keep lines short:

==========================================================  ==============================================================
English (as in ``kb/``)                                     Dutch
==========================================================  ==============================================================
``Art. 6(3), last subparagraph``                            ``art. 6, lid 3, laatste alinea``
``Art. 5(1)(h)(iii)``                                       ``art. 5, lid 1, punt h), iii)``
``Art. 16(a)``                                              ``art. 16, punt a)``  (article without numbered paragraphs)
``Art. 3(45)(a)``                                           ``art. 3, punt 45, a)``  (Art. 3: numbered definitions)
``Art. 50(1)-(4)``, ``Art. 52(2)-(3)``                      ``art. 50, leden 1 tot en met 4``, ``art. 52, leden 2 en 3``
``Art. 113, third paragraph, point (c)(i)``                 ``art. 113, derde alinea, punt c), i)``  (unnumbered paragraph)
``Art. 6(4), first and third sentences``                    ``art. 6, lid 4, eerste en derde zin``
``Art. 5(1a)``, ``Art. 5(1)(ba)``, ``Art. 4a``              ``art. 5, lid 1 bis``, ``art. 5, lid 1, punt b bis)``, ``art. 4 bis``
``Annex III 4(a)``, ``Annex III 3-8``                       ``bijlage III, punt 4, a)``, ``bijlage III, punten 3 tot en met 8``
``Annex I Section B point 21``, ``Annex XIII point (f)``    ``bijlage I, afdeling B, punt 21``, ``bijlage XIII, punt f)``
``recital 53``                                              ``overweging 53``
``Reg. 2026/1744 Art. 1(40)(b)``                            ``art. 1, punt 40, b), van Verordening (EU) 2026/1744``
``Reg. 2026/1744 recital 39``                               ``overweging 39 van Verordening (EU) 2026/1744``
``Art. 5(1a) as inserted by Reg. 2026/1744 Art. 1(7)(b)``   ``art. 5, lid 1 bis, zoals ingevoegd bij art. 1, punt 7, b), van Verordening (EU) 2026/1744``
``... (2024 text)``                                         ``... (tekst van 2024)``
``Guidelines AI system definition, section 5.2``            ``Richtsnoeren definitie AI-systeem, paragraaf 5.2``
``Handreiking §4.2.3``                                      unchanged
``27(1)`` (a bare provision, as in ``obligations.yaml``)    ``art. 27, lid 1``
==========================================================  ==============================================================

Two choices follow the Dutch wording already in ``kb/`` (``concepts.yaml``, ``conclusions.yaml``)
rather than one cross-reference of the Dutch text: inserted numbers take ``bis``, ``ter``,
``quater`` (as Dutch versions of EU acts number them), and an unnumbered paragraph is an
``alinea`` (``artikel 113, derde alinea``; Art. 111(1) of the Dutch text writes ``artikel 113,
lid 3``). A citation of another act (``Reg. 2016/679 ...``, ``GDPR ...``) is left as written: the
structure of its articles is not known here.

:func:`citation_nl` translates one citation (an unknown form comes back unchanged; ``strict=True``
raises :class:`ValueError` instead), :func:`sources_nl` a ``;``-separated list, and
:func:`cite` does either in the language of a report (English is returned as written).
"""

from __future__ import annotations

import functools
import re

__all__ = ["citation_nl", "sources_nl", "provisions_nl", "cite"]

_ORDINALS = {"first": "eerste", "second": "tweede", "third": "derde", "fourth": "vierde", "fifth": "vijfde",
             "sixth": "zesde", "seventh": "zevende", "eighth": "achtste", "ninth": "negende", "tenth": "tiende",
             "last": "laatste"}
#: An unnumbered paragraph of an article without numbered paragraphs (Art. 113) is an "alinea"
#: as a subparagraph is: "artikel 113, derde alinea" (so the wording in kb/ cites it).
_UNITS = {"paragraph": "alinea", "subparagraph": "alinea", "sentence": "zin"}
#: Numbers and points inserted by an amending act: Art. 4a, 5(1a), 5(1)(ba) in English; artikel
#: 4 bis, lid 1 bis, punt b bis) in the Dutch texts (as the wording in kb/ writes them too).
_LATIN = {"a": "bis", "b": "ter", "c": "quater", "d": "quinquies", "e": "sexies", "f": "septies", "g": "octies",
          "h": "novies", "i": "decies"}
_HOW = {"amended": "gewijzigd", "inserted": "ingevoegd", "replaced": "vervangen", "added": "toegevoegd"}
_GUIDELINES = {"ai system definition": "Richtsnoeren definitie AI-systeem",
               "prohibited ai practices": "Richtsnoeren verboden AI-praktijken"}

_NUMBER = r"\d+[a-z]*"
_PARENS = r"(?:\([0-9a-z]+\))*"
_AMENDMENT = re.compile(r"^(?P<base>.*?),?\s+as\s+(?P<how>amended|inserted|replaced|added)\s+by\s+(?P<by>Reg\..*)$", re.I)
_VERSION = re.compile(r"^(?P<base>.*?)\s*\((?P<year>\d{4}) text\)$", re.I)
_ARTICLE = re.compile(rf"^(?:Art\.|Article)?\s*(?P<number>{_NUMBER})(?P<parens>{_PARENS})(?:-\((?P<to>[0-9a-z]+)\))?"
                      r"(?P<rest>(?:,\s*.+)?)$", re.I)
_ANNEX = re.compile(r"^Annex\s+(?P<roman>[IVXL]+)(?:\s+Section\s+(?P<section>[A-Z]))?"
                    rf"(?:\s*(?:point\s+)?(?P<point>\d+[a-z]*|\([a-z0-9]+\))(?P<parens>{_PARENS})(?:-(?P<to>\d+))?)?$")
_RECITAL = re.compile(r"^recitals?\s+(?P<number>\d+)$", re.I)
_REGULATION = re.compile(r"^Reg\.\s*(?P<act>\d{4}/\d+)\s+(?:(?:Art\.|Article)\s*(?P<article>.+)|recitals?\s+(?P<recital>\d+))$", re.I)
_GUIDELINE = re.compile(r"^(?:Commission\s+)?Guidelines\s+(?P<topic>AI system definition|prohibited AI practices)"
                        r"(?:,\s*(?:section\s+(?P<section>[\d.]+)|(?P<article>(?:Art\.|Article).+)))?$", re.I)
_QUALIFIER = re.compile(r"^(?P<ordinals>[a-z]+(?:\s+and\s+[a-z]+)?)\s+(?P<unit>paragraph|subparagraph|sentence)s?$", re.I)
_POINT = re.compile(r"^point\s+(?P<parens>(?:\([0-9a-z]+\))+)$", re.I)
_TOKEN = re.compile(r"\(([0-9a-z]+)\)")
#: Per act, the articles whose parenthesised numbers are points, not paragraphs: the definitions
#: of Art. 3 of the AI Act, and Article 1 of the amending Regulation, a list of numbered points
#: ("Article 1 point (40)(b)"). Citations of other acts are left as written (their structure is
#: not known here).
_POINT_ARTICLES = {"2024/1689": frozenset({"3"}), "2026/1744": frozenset({"1"})}


def cite(text: str, lang: str) -> str:
    """``text`` (one citation or several separated by ``;``) as a reader of ``lang`` expects it:
    in Dutch for ``"nl"`` (:func:`sources_nl`), unchanged otherwise."""
    return sources_nl(text) if lang == "nl" else text


_ARTICLE_IN_TEXT = re.compile(r"\b(artikel|art\.) (\d+[a-z]*)((?:\([0-9a-z]+\))+)")
_ANNEX_POINT_IN_TEXT = re.compile(r"\bbijlage ([IVX]+) \((\d+)(?:\(([a-z])\))?\)")
_POINT_IN_TEXT = re.compile(r"\bpunt (\d+)\(([a-z])\)")


def statement_nl(text: str) -> str:
    """A Dutch sentence whose provisions were filled in as the law's English-style notation
    (``artikel 5(1)(g)``, ``bijlage III (4(a))``, ``punt 7(c)``: the templates of kb/ take the
    arguments of the conclusions as written) with those provisions in the Dutch style
    (``artikel 5, lid 1, punt g)``, ``bijlage III, punt 4, a)``, ``punt 7, c)``)."""
    def article(match: re.Match) -> str:
        dutch = citation_nl(f"Art. {match.group(2)}{match.group(3)}")
        return f"{match.group(1)} {dutch[len('art. '):]}" if dutch.startswith("art. ") else match.group(0)

    def annex(match: re.Match) -> str:
        letter = f", {match.group(3)})" if match.group(3) else ""
        return f"bijlage {match.group(1)}, punt {match.group(2)}{letter}"

    text = _ARTICLE_IN_TEXT.sub(article, text)
    text = _ANNEX_POINT_IN_TEXT.sub(annex, text)
    return _POINT_IN_TEXT.sub(lambda m: f"punt {m.group(1)}, {m.group(2)})", text)


def sources_nl(text: str) -> str:
    """Several citations separated by ``;`` (``"Art. 3(1); recital 12"``), each in Dutch."""
    return "; ".join(citation_nl(part) for part in text.split(";") if part.strip())


_PLAIN_PARAGRAPH = re.compile(r"^(?:Art\.\s*)?(\d+[a-z]*)\((\d+[a-z]*)\)$")


def _grouped(provisions) -> list[tuple[str, list[str]] | str]:
    """The provisions in order, consecutive paragraphs of one article together: ``(article,
    [paragraph, ...])``, or the provision's text as given where it is not a plain paragraph
    (``16(a)``, a whole article, a point of Art. 3, whose numbers are points, not paragraphs)."""
    out: list[tuple[str, list[str]] | str] = []
    for text in provisions:
        text = text.strip()
        match = _PLAIN_PARAGRAPH.match(text)
        if match is None or match.group(1) in _POINT_ARTICLES["2024/1689"]:
            out.append(text)
        elif out and isinstance(out[-1], tuple) and out[-1][0] == match.group(1):
            out[-1][1].append(match.group(2))
        else:
            out.append((match.group(1), [match.group(2)]))
    return out


def provisions_nl(provisions) -> str:
    """Several provisions, paragraphs of one article taken together as the Dutch text does:
    ``["26(1)", "26(2)", "26(5)", "49(3)"]`` -> ``art. 26, leden 1, 2 en 5; art. 49, lid 3``."""
    return "; ".join(citation_nl(group) if isinstance(group, str) else _paragraphs(*group) for group in _grouped(provisions))


def provisions_en(provisions) -> str:
    """The same in English, as the law writes several paragraphs of one article:
    ``["26(1)", "26(2)", "26(5)", "49(3)", "16(a)"]`` -> ``Art. 26(1), (2) and (5); Art. 49(3); Art. 16(a)``."""
    parts = []
    for group in _grouped(provisions):
        if isinstance(group, str):
            parts.append(group if group.startswith(("Art.", "Annex", "recital")) else f"Art. {group}")
            continue
        article, paragraphs = group
        listed = [f"({p})" for p in paragraphs]
        parts.append(f"Art. {article}" + (listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]))
    return "; ".join(parts)


def _paragraphs(article: str, paragraphs: list[str]) -> str:
    if len(paragraphs) == 1:
        return citation_nl(f"Art. {article}({paragraphs[0]})")
    numbers = [_inserted(p) for p in paragraphs]
    return f"art. {_inserted(article)}, leden {', '.join(numbers[:-1])} en {numbers[-1]}"


@functools.lru_cache(maxsize=4096)
def citation_nl(text: str, strict: bool = False) -> str:
    """One citation in the Dutch style (table in the module documentation).

    A form this module does not know (a citation of another act, a new form) is returned
    unchanged, so a report never loses a source; with ``strict`` it raises :class:`ValueError`.
    """
    stripped = " ".join(text.split())
    try:
        return _translate(stripped)
    except ValueError:
        if strict:
            raise
        return stripped


def _translate(text: str) -> str:
    if text.startswith("Handreiking"):
        return text
    match = _VERSION.match(text)
    if match:
        return f"{_translate(match['base'])} (tekst van {match['year']})"
    match = _AMENDMENT.match(text)
    if match:
        return f"{_translate(match['base'])}, zoals {_HOW[match['how'].lower()]} bij {_translate(match['by'])}"
    match = _REGULATION.match(text)
    if match:
        if match["act"] not in _POINT_ARTICLES:
            raise ValueError(f"an act whose citation style is not known here: {text!r}")
        act = f"Verordening (EU) {match['act']}"
        if match["recital"]:
            return f"overweging {match['recital']} van {act}"
        article = _article(match["article"], act=match["act"])
        return f"{article}{',' if ',' in article else ''} van {act}"
    match = _RECITAL.match(text)
    if match:
        return f"overweging {match['number']}"
    match = _GUIDELINE.match(text)
    if match:
        name = _GUIDELINES[match["topic"].lower()]
        if match["section"]:
            return f"{name}, paragraaf {match['section']}"
        if match["article"]:
            return f"{name}, {_translate(match['article'])}"
        return name
    match = _ANNEX.match(text)
    if match:
        return _annex(match)
    if re.match(r"^(?:Art\.|Article)?\s*\d", text, re.I):
        return _article(text)
    raise ValueError(f"not a citation form known to citation_nl: {text!r}")


def _article(text: str, act: str = "2024/1689") -> str:
    match = _ARTICLE.match(text.strip())
    if not match:
        raise ValueError(f"not an article citation: {text!r}")
    number = match["number"]
    tokens = _TOKEN.findall(match["parens"])
    points_first = number in _POINT_ARTICLES[act]
    parts = [f"art. {_inserted(number)}"]
    if match["to"]:  # a range: Art. 50(1)-(4)
        if len(tokens) != 1:
            raise ValueError(f"a range must follow one number: {text!r}")
        parts.append(_range("punten" if points_first or tokens[0].isalpha() else "leden", tokens[0], match["to"]))
        tokens = []
    parts += _subdivisions(tokens, points_first)
    rest = match["rest"].strip()
    if rest:
        parts += [_qualifier(q.strip(), text) for q in rest.lstrip(",").split(",")]
    return ", ".join(parts)


def _subdivisions(tokens: list[str], points_first: bool) -> list[str]:
    """``["1", "h", "iii"]`` -> ``["lid 1", "punt h)", "iii)"]``; for a definition of Art. 3
    (``points_first``) ``["45", "a"]`` -> ``["punt 45", "a)"]``."""
    out: list[str] = []
    in_point = False
    for index, token in enumerate(tokens):
        if in_point:  # a point below a point: (a), (i), never an inserted one
            out.append(f"{token})")
        elif index == 0 and points_first:
            out.append(f"punt {_inserted(token)}")
            in_point = True
        elif index == 0 and token[0].isdigit():
            out.append(f"lid {_inserted(token)}")
        else:
            out.append(f"punt {_inserted(token)})")
            in_point = True
    return out


def _inserted(label: str) -> str:
    """An inserted number or point as the Dutch text numbers it: ``4a`` -> ``4 bis``, ``1b`` ->
    ``1 ter``, ``ba`` -> ``b bis``; ``5``, ``b`` and ``14`` unchanged."""
    match = re.fullmatch(r"(\d+|[a-z])([a-z])", label)
    if not match or match.group(2) not in _LATIN:
        return label
    return f"{match.group(1)} {_LATIN[match.group(2)]}"


def _range(plural: str, start: str, end: str) -> str:
    close = ")" if start.isalpha() else ""
    if start.isdigit() and end.isdigit() and int(end) == int(start) + 1:
        return f"{plural} {start}{close} en {end}{close}"
    return f"{plural} {start}{close} tot en met {end}{close}"


def _qualifier(text: str, whole: str) -> str:
    """``last subparagraph`` -> ``laatste alinea``; ``third paragraph`` (unnumbered) -> ``derde
    alinea``; ``first and third sentences`` -> ``eerste en derde zin``; ``point (c)(i)`` ->
    ``punt c), i)``."""
    match = _POINT.match(text)
    if match:
        tokens = _TOKEN.findall(match["parens"])
        return ", ".join([f"punt {tokens[0]})"] + [f"{t})" for t in tokens[1:]])
    match = _QUALIFIER.match(text)
    if not match:
        raise ValueError(f"unknown qualifier {text!r} in {whole!r}")
    words = [w.lower() for w in re.split(r"\s+and\s+", match["ordinals"])]
    unit = match["unit"].lower()
    if any(w not in _ORDINALS for w in words):
        raise ValueError(f"unknown ordinal in {text!r} of {whole!r}")
    return " en ".join(_ORDINALS[w] for w in words) + " " + _UNITS[unit]


def _annex(match: re.Match) -> str:
    parts = [f"bijlage {match['roman']}"]
    if match["section"]:
        parts.append(f"afdeling {match['section']}")
    point = match["point"]
    if point:
        tokens = _TOKEN.findall(match["parens"] or "")
        if point.startswith("("):  # Annex XIII point (f)
            parts.append(f"punt {point.strip('()')})")
        elif match["to"]:
            if tokens:
                raise ValueError(f"a range of annex points cannot have sub-points: {match.group(0)!r}")
            parts.append(_range("punten", point, match["to"]))
        else:
            parts.append(f"punt {point}")
        parts += [f"{t})" for t in tokens]
    return ", ".join(parts)
