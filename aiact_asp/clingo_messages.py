"""clingo's parser and grounder messages in plain words, for rule authors who are lawyers.

``plain("<string>:3:5-9: error: syntax error, unexpected <IDENTIFIER>, expecting . or ;")``
-> ``(3, 5, "syntax error: a name was found where a '.' (end of the rule) or ';' was expected")``.
"""

from __future__ import annotations

import re

_LOCATION = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+)(?:-(?:\d+:)?\d+)?:\s*(?P<rest>.*)$", re.S)
_TOKENS = {
    "<IDENTIFIER>": "a name",
    "<VARIABLE>": "a variable",
    "<NUMBER>": "a number",
    "<STRING>": "a text in quotes",
    "<EOF>": "the end of the file",
    "EOF": "the end of the file",
    "<ANONYMOUS>": "'_'",
    ".": "a '.' (end of the rule)",
    ":-": "':-'",
    ",": "','",
    ";": "';'",
    "(": "'('",
    ")": "')'",
    "not": "'not'",
}


def _token(text: str) -> str:
    text = text.strip()
    return _TOKENS.get(text, f"'{text}'")


def plain(message: str) -> tuple[int | None, int | None, str]:
    """``(line, column, text)`` of a clingo message; line and column ``None`` when not given."""
    first = message.strip().splitlines()[0] if message.strip() else message
    match = _LOCATION.match(first)
    line = col = None
    rest = first
    if match:
        line, col, rest = int(match.group("line")), int(match.group("col")), match.group("rest")
    rest = re.sub(r"^(error|warning|info):\s*", "", rest.strip())
    syntax = re.match(r"syntax error, unexpected (.+?)(?:, expecting (.+))?$", rest)
    if syntax:
        found = _token(syntax.group(1))
        text = f"syntax error: {found} was found"
        if syntax.group(2):
            options = [_token(t) for t in re.split(r"\s+or\s+", syntax.group(2))]
            text += f" where {' or '.join(options)} was expected"
        token = syntax.group(1).strip()
        if token in ("<IDENTIFIER>", "<VARIABLE>", "not"):
            text += " — is a ',' between two conditions, or the '.' at the end of the previous rule, missing?"
        elif token in ("EOF", "<EOF>"):
            text += " — the last rule is not finished: is its '.' missing?"
        elif token == ".":
            text += " — a rule ended too early: a condition or a closing ')' is missing before the '.'"
        return line, col, text
    lexer = re.match(r"lexer error, unexpected (.+)$", rest)
    if lexer:
        return line, col, f"the character(s) {lexer.group(1).strip()} cannot be read here (a quote or bracket not closed?)"
    if rest.startswith("unsafe variables in"):
        variables = re.findall(r"^\s*.*?:\s*note: '(\w+)' is unsafe", message, re.M)
        listed = ", ".join(variables) if variables else "some variables"
        return line, col, (f"unsafe rule: {listed} must also occur in a positive condition of the rule body "
                           f"(a condition without 'not', that is not a comparison)")
    if "atom does not occur in any rule head" in rest:
        atom = rest.split(":")[-1].strip()
        return line, col, f"{atom or 'an atom'} is used but no rule or input concludes it (misspelled predicate?)"
    return line, col, rest
