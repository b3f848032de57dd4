"""The vocabulary catalogue is complete, matches the input contract, and drives the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aiact_asp.kb import load_kb
from aiact_asp.vocabulary import load_vocabulary
from aiact_asp.vocabulary_doc import vocabulary_markdown

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "spec" / "system-description.md"


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


def test_every_entry_has_source_question_and_help_in_both_languages(vocabulary):
    for entry in vocabulary.entries:
        if entry.is_alias:
            assert entry.help.get("en") and entry.help.get("nl"), entry.key
            continue
        assert entry.source, entry.key
        for lang in ("en", "nl"):
            assert entry.question.get(lang), (entry.key, lang)
            assert entry.help.get(lang), (entry.key, lang)


@pytest.mark.skipif(not SPEC.is_file(), reason="the shared input contract is not next to the project")
def test_every_key_of_the_input_contract_is_in_the_catalogue(vocabulary):
    text = SPEC.read_text(encoding="utf-8")
    keys = set()
    block = None
    for line in text.splitlines():
        heading = re.match(r"^## `(\w+)`", line)
        if line.startswith("## "):
            block = heading.group(1) if heading else None
        row = re.match(r"^\| `([\w.]+)` \|([^|]*)\|", line)
        if not row:
            continue
        if block == "prohibited_practices":  # | `practice` | `element`, `element` (...) | article |
            cell = row.group(2)
            while re.search(r"\([^()]*\)", cell):  # drop value lists and remarks in parentheses
                cell = re.sub(r"\([^()]*\)", "", cell)
            for element in re.findall(r"`(\w+)`", cell):
                keys.add(f"prohibited_practices.{row.group(1)}.{element}")
        else:
            keys.add(f"{block}.{row.group(1)}" if block else row.group(1))
    missing = {k for k in keys if k not in vocabulary.by_key}
    assert missing == set()
    assert len(vocabulary.entries) >= 158


def test_every_input_predicate_the_rules_use_is_in_the_catalogue(vocabulary):
    from clingo import ast

    kb = load_kb()
    used: set[str] = set()

    class Collect(ast.Transformer):
        def visit_SymbolicAtom(self, node):  # noqa: N802
            term = node.symbol
            if term.ast_type == ast.ASTType.Function:
                used.add(term.name)
            return node

    for statement in kb.statements:
        Collect()(statement)
    heads = {rule.head for rule in kb.rules}
    engine_made = {"system", "as_of", "present", "unknown", "_fired"}
    undefined = used - heads - set(vocabulary.by_predicate) - engine_made
    assert undefined == set()


@pytest.mark.parametrize("lang,name", [("en", "vocabulary.md"), ("nl", "vocabulaire.md")])
def test_generated_docs_are_up_to_date(vocabulary, lang, name):
    assert (ROOT / "docs" / name).read_text(encoding="utf-8") == vocabulary_markdown(vocabulary, lang), \
        f"run: aiact-asp vocabulary --lang {lang} -o docs/{name}"
