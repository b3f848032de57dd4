"""Do the provisions a rule cites exist?  Citations of ``%@ source:`` checked against the legal text.

:class:`Reference` reads the text of the AI Act kept as markdown files
(``<reference>/en/article-NNN.md``, ``annex-NN.md``, ``recitals.md``) and the provisions that
Regulation (EU) 2026/1744 inserts or replaces (``<reference>/amendments/2026-1744/en/article-001.md``:
e.g. Art. 4a, 5(1)(ba), 5(1a), 6(1a)-(1c), 3(14a), 111(4), 113, third paragraph, point (d), Annex I
Section B point 21), and builds a tree: article -> paragraph -> point -> sub-point (articles without
numbered paragraphs: their unnumbered paragraphs, counted "first", "second", ... hold the points).

:func:`check_citation` parses one citation in the forms of docs/kb-conventions.md and returns the
problems: ``("error", message)`` when a cited provision does not exist, ``("warning", message)``
when the citation is in a form that cannot be checked. Qualifiers that the tree does not record
(subparagraphs, sentences) are accepted as written. Citations of other acts (``Reg. 2016/679 ...``),
of the Commission guidelines and of the Handreiking are not checked.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "last": -1}
ROMAN = re.compile(r"^[IVXL]+$")
AMENDING_ACT = "2026/1744"
AMENDED_ACT = "2024/1689"
UNCHECKED_PREFIXES = ("guidelines", "commission guidelines", "handreiking", "commission", "gdpr", "directive",
                      "regulation (ec)", "cio rijk", "algoritmekader", "faq", "ai office", "aiact", "avg")

_PARAGRAPH = re.compile(r"^(\d+[a-z]*)\.\s")
_POINT = re.compile(r"^(\s*)-\s+(?:\(([0-9a-z]+)\)|([0-9]+)\.|([ivx]+)\))\s")
_HEADING = re.compile(r"^#+\s")
_SECTION = re.compile(r"^#+\s*Section\s+([A-Z])\b", re.I)


@dataclass
class Node:
    """A provision: ``children`` by label (``"1"``, ``"a"``, ``"1a"``, ``"Section B"``), and for an
    article or annex without numbered paragraphs its unnumbered paragraphs in ``ordinals``."""

    name: str
    children: dict[str, "Node"] = field(default_factory=dict)
    ordinals: list["Node"] = field(default_factory=list)

    def child(self, label: str) -> "Node":
        return self.children.setdefault(label, Node(f"{self.name}({label})" if not label.startswith("Section") else f"{self.name} {label}"))

    def find(self, label: str) -> "Node | None":
        """The child ``label``, looking inside unnumbered paragraphs and sections as well."""
        if label in self.children:
            return self.children[label]
        for holder in list(self.ordinals) + [c for k, c in self.children.items() if k.startswith("Section")]:
            if label in holder.children:
                return holder.children[label]
        return None


class Reference:
    """The provisions of the AI Act as amended, read from the reference folder ``root``."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.articles: dict[str, Node] = {}
        self.annexes: dict[str, Node] = {}
        self.recitals = _count_recitals(self.root / "en" / "recitals.md")
        amendments = self.root / "amendments" / "2026-1744" / "en"
        self.amending_articles: dict[str, Node] = {}
        self.amending_recitals = _count_recitals(amendments / "recitals.md")
        for path in sorted((self.root / "en").glob("article-*.md")):
            number = str(int(path.stem.split("-")[1]))
            _parse_body(_body(path), self.articles.setdefault(number, Node(f"Art. {number}")))
        for path in sorted((self.root / "en").glob("annex-*.md")):
            roman = _front(path).get("roman") or _roman(int(path.stem.split("-")[1]))
            _parse_body(_body(path), self.annexes.setdefault(roman, Node(f"Annex {roman}")), annex=True)
        for path in sorted(amendments.glob("article-*.md")):
            number = str(int(path.stem.split("-")[1]))
            _parse_body(_body(path), self.amending_articles.setdefault(number, Node(f"Reg. {AMENDING_ACT} Art. {number}")))
        if (amendments / "article-001.md").is_file():
            _apply_amendments(_body(amendments / "article-001.md"), self)

    def article(self, number: str, amending: bool = False) -> Node | None:
        return (self.amending_articles if amending else self.articles).get(number)


@functools.lru_cache(maxsize=4)
def load_reference(root: Path) -> Reference:
    """The :class:`Reference` of ``root`` (cached)."""
    return Reference(root)


def default_reference_dir(project_root: Path) -> Path:
    """``../shared/reference/ai-act`` beside the project (may not exist)."""
    return (Path(project_root).resolve().parent / "shared" / "reference" / "ai-act")


# ---------------------------------------------------------------------------------------------
# Reading the markdown files


def _front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    out = {}
    if text.startswith("---"):
        for line in text.split("---", 2)[1].splitlines():
            if ":" in line:
                key, value = line.split(":", 1)
                out[key.strip()] = value.strip().strip('"')
    return out


def _body(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("---", 2)[2]
    lines = text.splitlines()
    return [line for line in lines if not line.startswith("# ")]


def _count_recitals(path: Path) -> int:
    if not path.is_file():
        return 0
    numbers = [int(n) for n in re.findall(r"^## Recital (\d+)", path.read_text(encoding="utf-8"), re.M)]
    return max(numbers, default=0)


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + letters, number - value
    return out


def _parse_body(lines: list[str], container: Node, annex: bool = False) -> None:
    """Add the paragraphs and points of ``lines`` (markdown as in the reference files) to ``container``."""
    current = container          # the numbered paragraph or section that holds top-level points
    numbered = bool(container.children) and not container.ordinals
    stack: list[Node] = []       # open points by depth
    for raw in lines:
        if not raw.strip():
            continue
        section = _SECTION.match(raw)
        if section:
            current = container.child(f"Section {section.group(1)}")
            stack = []
            continue
        if _HEADING.match(raw):
            continue
        paragraph = _PARAGRAPH.match(raw)
        if paragraph and not annex:
            current = container.child(paragraph.group(1))
            numbered = True
            stack = []
            continue
        point = _POINT.match(raw)
        if point:
            depth = len(point.group(1)) // 2
            label = point.group(2) or point.group(3) or point.group(4)
            parent = stack[depth - 1] if 0 < depth <= len(stack) else current
            node = parent.child(label)
            stack = stack[:depth] + [node]
            continue
        if raw[0] not in " \t" and not numbered and not raw.startswith(("**", "[^", "|")):
            ordinal = Node(f"{container.name}, paragraph {len(container.ordinals) + 1}")
            container.ordinals.append(ordinal)
            current = ordinal
            stack = []


_TOP = re.compile(r"^- \((\d+)\) (.*)$")
_SUB = re.compile(r"^  - \(([a-z]+)\) (.*)$")
_TARGET_ARTICLE = re.compile(r"\bArticle (\d+[a-z]*)(?:\((\d+[a-z]*)\))?")
_TARGET_ANNEX = re.compile(r"\bAnnex ([IVXL]+)\b")
_IN_PARAGRAPH = re.compile(r"\bin paragraph (\d+[a-z]*)")
_IN_SECTION = re.compile(r"\bin Section ([A-Z])\b", re.I)
_ORDINAL_PARAGRAPH = re.compile(r"\bthe (first|second|third|fourth|fifth|sixth) paragraph\b")
_CHANGES = ("inserted", "added", "replaced")


def _apply_amendments(lines: list[str], ref: Reference) -> None:
    """Add the provisions that the amendment points insert or replace to ``ref``."""
    blocks: list[tuple[str, list[str]]] = []
    for line in lines:
        if _TOP.match(line):
            blocks.append((_TOP.match(line).group(2), []))
        elif blocks:
            blocks[-1][1].append(line)
    for instruction, body in blocks:
        target = _target(instruction, None, ref)
        if instruction.rstrip().endswith("amended as follows:"):
            subs: list[tuple[str, list[str]]] = []
            for line in body:
                match = _SUB.match(line)
                if match:
                    subs.append((match.group(2), []))
                elif subs:
                    subs[-1][1].append(line)
            for sub_instruction, sub_body in subs:
                if any(word in sub_instruction for word in _CHANGES):
                    _insert(sub_body, _target(sub_instruction, target, ref), ref)
        elif any(word in instruction for word in _CHANGES):
            _insert(body, target, ref)


def _target(instruction: str, base: Node | None, ref: Reference) -> Node | None:
    node = base
    if base is None:
        annex = _TARGET_ANNEX.search(instruction)
        article = _TARGET_ARTICLE.search(instruction)
        if annex and (not article or annex.start() < article.start()):
            node = ref.annexes.setdefault(annex.group(1), Node(f"Annex {annex.group(1)}"))
        elif article and "following Article" not in instruction and "following articles" not in instruction.lower():
            node = ref.articles.setdefault(article.group(1), Node(f"Art. {article.group(1)}"))
            if article.group(2):
                node = node.child(article.group(2))
    if node is None:
        return None
    paragraph = _IN_PARAGRAPH.search(instruction)
    if paragraph:
        node = node.child(paragraph.group(1))
    section = _IN_SECTION.search(instruction)
    if section:
        node = node.child(f"Section {section.group(1).upper()}")
    ordinal = _ORDINAL_PARAGRAPH.search(instruction)
    if ordinal:
        n = ORDINALS[ordinal.group(1)]
        while len(node.ordinals) < n:
            node.ordinals.append(Node(f"{node.name}, paragraph {len(node.ordinals) + 1}"))
        node = node.ordinals[n - 1]
    return node


def _insert(body: list[str], target: Node | None, ref: Reference) -> None:
    """Parse the quoted text of an amendment into ``target`` (or into new articles/annexes)."""
    content = [line for line in body if line.strip()]
    if not content:
        return
    indent = min(len(line) - len(line.lstrip()) for line in content)
    cleaned: list[str] = []
    for line in content:
        line = line[indent:]
        line = re.sub(r"^(\s*(?:-\s+)?)[‘’“”'\"]+", r"\1", line)
        line = re.sub(r"^(\s*(?:-\s+)?)\*\*[‘’“”]*", r"\1**", line)
        heading = re.match(r"^\s*\*\*\s*(Article|Annex)\s+([0-9]+[a-z]*|[IVXL]+)\s*\*\*\s*$", line)
        if heading:
            if cleaned and target is not None:
                _parse_body(cleaned, target, annex=target.name.startswith("Annex"))
            cleaned = []
            kind, number = heading.groups()
            if kind == "Article":
                target = ref.articles.setdefault(number, Node(f"Art. {number}"))
            else:
                target = ref.annexes.setdefault(number, Node(f"Annex {number}"))
            continue
        if re.match(r"^\s*\*\*.*\*\*\s*$", line):
            continue  # a heading inside the inserted text
        cleaned.append(line)
    if target is not None and cleaned:
        # an inserted paragraph keeps its number: "1a. For the purposes ..." goes into the article
        is_annex = target.name.startswith("Annex")
        _parse_body(cleaned, target, annex=is_annex)


# ---------------------------------------------------------------------------------------------
# Checking citations

_AS = re.compile(r"\s+as\s+(?:amended|inserted|added|replaced|corrected)\s+by\s+", re.I)
_ACT_PREFIX = re.compile(r"^(?:Reg\.|Regulation)\s*(?:\((?:EU|EC)\)\s*)?(?:No\s*)?(\d{4}/\d+|\d+/\d{4})\s*,?\s*(.*)$", re.I)
_ARTICLE = re.compile(r"^(?:Art\.?|Articles?)\s+(.*)$", re.I)
_ANNEX = re.compile(r"^Annex(?:es)?\s+([IVXL]+)\b\s*,?\s*(.*)$", re.I)
_RECITAL = re.compile(r"^recitals?\s+(.*)$", re.I)
_PARTS = re.compile(r"\(([0-9a-z]+)\)")
_REF = re.compile(r"^(\d+[a-z]*)((?:\([0-9a-z]+\))*)$")
_CONT = re.compile(r"^((?:\([0-9a-z]+\))+)$")
_QUALIFIER = re.compile(r"^(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|introductory)"
                        r"(?:\s+(?:and|or|to)\s+\w+)?\s+(paragraphs?|subparagraphs?|sentences?|part|wording|indent)$", re.I)
_POINT_WORD = re.compile(r"^points?\s+((?:\([0-9a-z]+\))+)$", re.I)


def check_citation(citation: str, ref: Reference) -> list[tuple[str, str]]:
    """Problems with one citation (``"Art. 5(1)(ba) as inserted by Reg. 2026/1744 Art. 1(7)(a)"``):
    ``[("error", ...)]`` if a cited provision does not exist, ``[("warning", ...)]`` if the form is not
    understood; ``[]`` when it checks out (or cites a text that is not checked)."""
    problems: list[tuple[str, str]] = []
    main, remark = _remark(citation.strip())
    for part in _AS.split(main):
        problems += _check_one(part.strip().rstrip(".,"), ref)
    for inner in _EMBEDDED.finditer(remark):  # "(2024 text, replaced by Reg. 2026/1744 Art. 1(39)(a))"
        problems += _check_one(inner.group(0), ref)
    return problems


_EMBEDDED = re.compile(r"Reg\.\s*2026/1744\s+Art\.\s*\d+[a-z]*(?:\([0-9a-z]+\))*")


def _remark(text: str) -> tuple[str, str]:
    """Split off a trailing remark in brackets that is prose, not a point label: ``X (2024 text, ...)``."""
    match = re.search(r"\s\((?=[^)]*\s)", text)
    if match:
        return text[:match.start()].strip(), text[match.start():]
    return text, ""


def _check_one(text: str, ref: Reference, amending: bool = False) -> list[tuple[str, str]]:
    if not text:
        return [("warning", "empty citation")]
    act = _ACT_PREFIX.match(text)
    if act:
        number, rest = act.groups()
        if number in (AMENDING_ACT, AMENDED_ACT) and rest:
            problems = _check_one(rest, ref, amending=number == AMENDING_ACT)
            return [(kind, message.replace(f"`{rest}`", f"`{text}`", 1)) for kind, message in problems]
        return []  # another act (or the act as a whole): not checked
    if text.lower().startswith(UNCHECKED_PREFIXES) or text.startswith("§"):
        return []
    match = _ARTICLE.match(text)
    if match:
        return _check_article(match.group(1), ref, amending, text)
    match = _ANNEX.match(text)
    if match:
        if amending:
            return [("warning", f"`{text}`: Regulation 2026/1744 has no annexes of its own; cite the AI Act annex")]
        return _check_annex(match.group(1).upper(), match.group(2), ref, text)
    match = _RECITAL.match(text)
    if match:
        return _check_recitals(match.group(1), ref.amending_recitals if amending else ref.recitals, text,
                               "Regulation 2026/1744" if amending else "the AI Act")
    return [("warning", f"`{text}`: citation form not recognised, so it cannot be checked "
                        f"(forms: Art. 5(1)(f); Annex III 4(a); Annex I Section B point 21; recital 12; "
                        f"Reg. 2026/1744 Art. 1(8); see docs/kb-conventions.md)")]


def _split(rest: str) -> list[str]:
    rest = re.sub(r"\b(first|second|third|fourth|fifth|last)\s+and\s+(\w+)\s+(subparagraphs|paragraphs|sentences)\b", r"\1 \3", rest)
    return [p.strip() for p in re.split(r",\s*|\s+and\s+(?=\d|\()|\s+and\s+(?=points?\b)", rest) if p.strip()]


def _check_article(rest: str, ref: Reference, amending: bool, text: str) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    article: str | None = None
    levels: list[str] = []
    ordinal: int | None = None
    pending = False  # the reference built so far still has to be checked

    def flush() -> None:
        nonlocal pending
        if pending:
            problems.extend(_resolve_article(article, ordinal, levels, ref, amending, text))
        pending = False

    for item in _split(rest):
        item = re.sub(r"^(?:Art\.?|Article)\s+", "", item)
        first, dash, last = item.partition("-")
        if dash and (_REF.match(first) or _CONT.match(first)) and (_REF.match(last) or _CONT.match(last)):
            if article is None and _CONT.match(first):
                return problems + [("warning", f"`{text}`: no article number before {item}")]
            flush()
            article, levels, ordinal = _apply(first, article, levels, ordinal)
            pending = True
            flush()
            article, levels, ordinal = _apply(last, article, levels, ordinal)
            pending = True
            continue
        if _REF.match(item) or _CONT.match(item):
            if article is None and _CONT.match(item):
                return problems + [("warning", f"`{text}`: no article number before {item}")]
            flush()
            article, levels, ordinal = _apply(item, article, levels, ordinal)
            pending = True
            continue
        qualifier = _QUALIFIER.match(item)
        if qualifier and article is not None:
            node = ref.article(article, amending)
            if qualifier.group(2).lower().startswith("paragraph") and node is not None and not _has_numbered(node):
                ordinal, levels = ORDINALS.get(qualifier.group(1).lower()), []
            continue
        point = _POINT_WORD.match(item)
        if point and article is not None:
            levels = levels + _PARTS.findall(point.group(1))
            pending = True
            continue
        return problems + [("warning", f"`{text}`: cannot read `{item}` in this citation, so it cannot be checked")]
    flush()
    return _unique(problems)


def _apply(item: str, article: str | None, levels: list[str], ordinal: int | None) -> tuple[str | None, list[str], int | None]:
    ref = _REF.match(item)
    if ref:
        return ref.group(1), _PARTS.findall(ref.group(2)), None
    parts = _PARTS.findall(item)
    keep = levels[: max(0, len(levels) - len(parts))]
    return article, keep + parts, ordinal


def _has_numbered(node: Node) -> bool:
    return any(k[0].isdigit() for k in node.children) and not node.ordinals


def _resolve_article(article: str | None, ordinal: int | None, levels: list[str], ref: Reference, amending: bool,
                     text: str) -> list[tuple[str, str]]:
    if article is None:
        return []
    act = "Regulation 2026/1744" if amending else "the AI Act"
    node = ref.article(article, amending)
    if node is None:
        return [("error", f"`{text}`: Article {article} does not exist in {act}")]
    where = f"Art. {article}"
    if ordinal is not None:
        if ordinal == -1:
            if not node.ordinals:
                return [("error", f"`{text}`: {where} has no unnumbered paragraphs")]
            node = node.ordinals[-1]
        elif ordinal > len(node.ordinals):
            return [("error", f"`{text}`: {where} has {len(node.ordinals)} paragraph(s), not a {_nth(ordinal)} one")]
        else:
            node = node.ordinals[ordinal - 1]
        where += f", {_nth(ordinal)} paragraph"
    for label in levels:
        found = node.find(label)
        if found is None:
            kind = "paragraph" if label[0].isdigit() and node is ref.article(article, amending) and _has_numbered(node) else "point"
            return [("error", f"`{text}`: {where} has no {kind} ({label}) in {act}"
                              + (" as amended by Regulation 2026/1744" if not amending else ""))]
        node = found
        where += f"({label})"
    return []


def _nth(n: int) -> str:
    return {v: k for k, v in ORDINALS.items()}.get(n, f"{n}th")


def _check_annex(roman: str, rest: str, ref: Reference, text: str) -> list[tuple[str, str]]:
    node = ref.annexes.get(roman)
    if node is None:
        return [("error", f"`{text}`: Annex {roman} does not exist")]
    rest = rest.strip()
    section = re.match(r"^Section\s+([A-Z])\b\s*,?\s*(.*)$", rest, re.I)
    where = f"Annex {roman}"
    if section:
        label = f"Section {section.group(1).upper()}"
        if label not in node.children:
            return [("error", f"`{text}`: {where} has no {label}")]
        node, rest, where = node.children[label], section.group(2).strip(), f"{where} {label}"
    rest = re.sub(r"^points?\s+", "", rest, flags=re.I)
    if not rest:
        return []
    problems = []
    for item in re.split(r",\s*|\s+and\s+", rest):
        ends = item.split("-") if re.match(r"^\d+(?:\([0-9a-z]+\))*-\d+(?:\([0-9a-z]+\))*$", item) else [item]
        for end in ends:
            match = re.match(r"^(\d+)?((?:\([0-9a-z]+\))*)$", end.strip())
            if not match or not (match.group(1) or match.group(2)):
                return problems + [("warning", f"`{text}`: cannot read `{item}` in this citation, so it cannot be checked")]
            labels = ([match.group(1)] if match.group(1) else []) + _PARTS.findall(match.group(2))
            current, place = node, where
            for label in labels:
                found = current.find(label)
                if found is None:
                    problems.append(("error", f"`{text}`: {place} has no point {label}"))
                    break
                current, place = found, f"{place} {label}" if place == where else f"{place}({label})"
    return _unique(problems)


def _check_recitals(rest: str, count: int, text: str, act: str) -> list[tuple[str, str]]:
    problems = []
    for item in re.split(r",\s*|\s+and\s+", rest.strip()):
        match = re.match(r"^(\d+)(?:\s*-\s*(\d+))?$", item.strip())
        if not match:
            return [("warning", f"`{text}`: cannot read `{item}` as a recital number")]
        for number in filter(None, match.groups()):
            if not 1 <= int(number) <= count:
                problems.append(("error", f"`{text}`: {act} has recitals 1 to {count}; recital {number} does not exist"))
    return problems


def _unique(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(problems))
