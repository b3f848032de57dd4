"""Every interpretive choice a rule cites is written down in docs/interpretations.md."""

import re
import sys
from pathlib import Path

from aiact_asp.kb import load_kb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from build_interpretations import build  # noqa: E402


def test_every_cited_interpretation_is_documented():
    documented = set(re.findall(r"^### (\S+)", (ROOT / "docs" / "interpretations.md").read_text(encoding="utf-8"), re.M))
    cited = {rule.interpretation for rule in load_kb().rules if rule.interpretation}
    assert cited, "rules cite interpretations"
    assert cited - documented == set()


def test_document_is_up_to_date():
    assert (ROOT / "docs" / "interpretations.md").read_text(encoding="utf-8") == build(), \
        "run: python tools/build_interpretations.py"
