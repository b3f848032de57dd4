#!/usr/bin/env python3
"""Generate ``kb/data/article_titles.yaml``: the titles (English, Dutch) and EUR-Lex anchors of the
articles and annexes of the AI Act, for the explanations (``aiact_asp/explain.py``).

Run it once when the reference text changes; the tool itself does not need ``../shared`` at run time::

    python tools/gen_article_titles.py [--reference ../shared/reference/ai-act] [-o kb/data/article_titles.yaml]

Read: the YAML front matter ``title:`` and ``source:`` (EUR-Lex URL with the element anchor, e.g.
``https://eur-lex.europa.eu/eli/reg/2024/1689/oj/eng#art_5``) of ``en/`` and ``nl/article-NNN.md`` and
``annex-NN.md``; the articles of Regulation (EU) 2026/1744 (``amendments/2026-1744/en/``, English only);
and the titles of the articles that Regulation (EU) 2026/1744 inserts (``**‘Article 4a**`` followed by the
bold title in ``amendments/2026-1744/en/article-001.md``; English only, since no Dutch text of that act
is available offline). Recitals have no title; their anchor is ``rct_N``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference" / "ai-act"
DEFAULT_OUTPUT = ROOT / "kb" / "data" / "article_titles.yaml"

_INSERTED = re.compile(r"^\s*\*\*‘?Article\s+(\d+[a-z]+)\*\*\s*$")
_BOLD = re.compile(r"^\s*\*\*(.+?)\*\*\s*$")
_ANCHOR = re.compile(r"#([A-Za-z0-9_]+)$")


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def _anchor(source: str | None) -> str | None:
    match = _ANCHOR.search(source or "")
    return match.group(1) if match else None


def _units(folder: Path, kind: str) -> dict[str, dict]:
    """``{number or roman: {"title": ..., "anchor": ...}}`` of one language folder."""
    out: dict[str, dict] = {}
    for path in sorted(folder.glob(f"{kind}-*.md")):
        meta = front_matter(path)
        key = str(meta.get("roman") or meta.get("number") or int(path.stem.split("-")[1]))
        out[key] = {"title": str(meta.get("title") or "").strip(), "anchor": _anchor(meta.get("source"))}
    return out


def _inserted_articles(path: Path) -> dict[str, str]:
    """Titles of the articles an amending act inserts (``**‘Article 4a**`` then ``**Title**``)."""
    if not path.is_file():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    out: dict[str, str] = {}
    for i, line in enumerate(lines):
        match = _INSERTED.match(line)
        if not match:
            continue
        for following in lines[i + 1:i + 4]:
            title = _BOLD.match(following)
            if title:
                out[match.group(1)] = title.group(1).strip()
                break
    return out


def build(reference: Path) -> dict:
    en_articles, nl_articles = _units(reference / "en", "article"), _units(reference / "nl", "article")
    en_annexes, nl_annexes = _units(reference / "en", "annex"), _units(reference / "nl", "annex")
    if not en_articles:
        raise SystemExit(f"no articles found under {reference / 'en'}")
    articles = {}
    for key in sorted(en_articles, key=int):
        articles[key] = {"en": en_articles[key]["title"], "nl": nl_articles.get(key, {}).get("title") or None,
                         "anchor": en_articles[key]["anchor"] or f"art_{key}"}
    annexes = {}
    for key, value in en_annexes.items():
        annexes[key] = {"en": value["title"], "nl": nl_annexes.get(key, {}).get("title") or None,
                        "anchor": value["anchor"] or f"anx_{key}"}
    amending_folder = reference / "amendments" / "2026-1744" / "en"
    amending = {}
    for path in sorted(amending_folder.glob("article-*.md")):
        meta = front_matter(path)
        key = str(meta.get("number") or int(path.stem.split("-")[1]))
        amending[key] = {"en": str(meta.get("title") or "").strip(), "nl": None, "anchor": _anchor(meta.get("source")) or f"art_{key}"}
    inserted = {}
    for key, title in _inserted_articles(amending_folder / "article-001.md").items():
        if key not in articles:
            inserted[key] = {"en": title, "nl": None, "inserted_by": "Reg. 2026/1744 Art. 1"}
    return {
        "act": {
            "eli": "http://data.europa.eu/eli/reg/2024/1689/oj",
            "url": {"en": "https://eur-lex.europa.eu/eli/reg/2024/1689/oj/eng",
                    "nl": "https://eur-lex.europa.eu/eli/reg/2024/1689/oj/nld"},
            "recital_anchor": "rct_{n}",
        },
        "articles": articles,
        "inserted_articles": inserted,
        "annexes": dict(sorted(annexes.items(), key=lambda kv: _roman_value(kv[0]))),
        "amending_acts": {
            "2026/1744": {
                "eli": "http://data.europa.eu/eli/reg/2026/1744/oj",
                "url": {"en": "https://eur-lex.europa.eu/eli/reg/2026/1744/oj/eng",
                        "nl": "https://eur-lex.europa.eu/eli/reg/2026/1744/oj/nld"},
                "title": {"en": "Regulation (EU) 2026/1744 (Digital Omnibus on AI)",
                          "nl": "Verordening (EU) 2026/1744 (digitale omnibus inzake AI)"},
                "articles": amending,
            }
        },
    }


def _roman_value(roman: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for i, char in enumerate(roman):
        value = values.get(char, 0)
        total += -value if i + 1 < len(roman) and values.get(roman[i + 1], 0) > value else value
    return total


HEADER = """\
# Titles and EUR-Lex anchors of the AI Act (Regulation (EU) 2024/1689) and of Regulation (EU) 2026/1744,
# for the explanations (aiact_asp/explain.py): a link is <url>#<anchor>, e.g.
# https://eur-lex.europa.eu/eli/reg/2024/1689/oj/eng#art_5, #anx_III, #rct_12.
# GENERATED by tools/gen_article_titles.py from the front matter (title:, source:) of
# ../shared/reference/ai-act/{en,nl}/; do not edit by hand. `nl: null`: no Dutch text available
# offline (Regulation (EU) 2026/1744); the English title is shown instead.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    data = build(args.reference)
    text = HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(data['articles'])} articles, {len(data['annexes'])} annexes, "
          f"{len(data['inserted_articles'])} inserted articles)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
