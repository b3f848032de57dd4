"""Assemble docs/interpretations.md from the per-unit files in docs/interpretations.d/.

Each unit file has a `# Interpretations — <unit>` title and one `## <id>` section per
interpretive choice; the ids are the ones rules cite with `%@ interpretation: <id>`.
Run: python tools/build_interpretations.py
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["definition-scope", "art5", "annex-i-iii", "art50-gpai", "roles-obligations"]


def build() -> str:
    parts = sorted((ROOT / "docs" / "interpretations.d").glob("*.md"),
                   key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else len(ORDER), p.stem))
    out = [
        "# Interpretations",
        "",
        "Where the AI Act (Regulation (EU) 2024/1689 as amended by Regulation (EU) 2026/1744) is open to",
        "interpretation, the knowledge base follows the Commission's guidelines or the Handreiking and",
        "records the choice here. Each section's id is cited beside the rule with",
        "`%@ interpretation: <id>` and shown in the tool's output (`interpretation` of each rule).",
        "",
        "Generated from `docs/interpretations.d/` by `tools/build_interpretations.py`; edit the unit files.",
        "",
    ]
    for part in parts:
        text = part.read_text(encoding="utf-8").strip()
        out += [text.replace("\n## ", "\n### ").replace("# Interpretations — ", "## ", 1), ""]
    return "\n".join(out)


if __name__ == "__main__":
    (ROOT / "docs" / "interpretations.md").write_text(build(), encoding="utf-8")
