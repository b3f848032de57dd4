"""Reports of a case run (:class:`aiact_asp.cases.CaseRun`): readable text and JUnit XML.

The text lists every failing or erroneous case with its reason, what was expected and what
came out, and why; passing cases take one line each. The JUnit XML (one ``testcase`` per case,
``failure`` / ``error`` / ``skipped``) is read by CI systems and IDEs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .cases import ERROR, FAILED, PASSED, CaseRun, Difference
from .report import Wording

WORDS = {
    "en": {
        PASSED: "PASS", FAILED: "FAIL", ERROR: "ERROR", "reason": "reason", "kb": "knowledge base",
        "assessed": "assessed on {date} unless a case sets expect.as_of",
        "risk_class": "risk class: expected {expected}, got {got}",
        "missing": "missing:    {label}", "unexpected": "unexpected: {label}",
        "include": "expected to hold: {label} ({got})", "exclude": "expected not to hold: {label}, but found {got}",
        "absent": "not derived", "undetermined": "undetermined",
        "unreadable": "Files that could not be read",
        "unchecked": ("1 description without an expect: block was classified but not checked",
                      "{n} descriptions without an expect: block were classified but not checked"),
        "summary": ("1 case: {passed} passed, {failed} failed, {errors} with errors",
                    "{n} cases: {passed} passed, {failed} failed, {errors} with errors"),
        "read_errors": ("1 file could not be read", "{n} files could not be read"),
        "no_cases": "no cases found (a case is a description with an expect: block)",
        "no_reason": ("1 case without reason: (say which article gives the outcome): {ids}",
                      "{n} cases without reason: (say which article gives the outcome): {ids}"),
    },
    "nl": {
        PASSED: "GOED", FAILED: "FOUT", ERROR: "FOUTIEF", "reason": "reden", "kb": "kennisbank",
        "assessed": "beoordeeld per {date}, tenzij een casus expect.as_of opgeeft",
        "risk_class": "risicoklasse: verwacht {expected}, uitkomst {got}",
        "missing": "ontbreekt:   {label}", "unexpected": "onverwacht:  {label}",
        "include": "moet gelden: {label} ({got})", "exclude": "mag niet gelden: {label}, maar gevonden: {got}",
        "absent": "niet afgeleid", "undetermined": "onbepaald",
        "unreadable": "Bestanden die niet gelezen konden worden",
        "unchecked": ("1 beschrijving zonder expect:-blok is geclassificeerd maar niet gecontroleerd",
                      "{n} beschrijvingen zonder expect:-blok zijn geclassificeerd maar niet gecontroleerd"),
        "summary": ("1 casus: {passed} goed, {failed} fout, {errors} met fouten in de verwachting",
                    "{n} casussen: {passed} goed, {failed} fout, {errors} met fouten in de verwachting"),
        "read_errors": ("1 bestand kon niet gelezen worden", "{n} bestanden konden niet gelezen worden"),
        "no_cases": "geen casussen gevonden (een casus is een beschrijving met een expect:-blok)",
        "no_reason": ("1 casus zonder reason: (noem het artikel dat de uitkomst geeft): {ids}",
                      "{n} casussen zonder reason: (noem het artikel dat de uitkomst geeft): {ids}"),
    },
}


def run_text(run: CaseRun, lang: str = "en", verbose: bool = False) -> str:
    """The case run as text in ``lang``; ``verbose`` also shows the reason of passing cases."""
    words = WORDS[lang]
    wording = Wording(run.kb, run.vocabulary, lang)
    out = [f"{words['kb']}: {_shown(run.kb.directory)} · {words['assessed'].format(date=run.as_of.isoformat())}", ""]
    width = max([len(c.id) for c in run.cases] + [10])
    for case in run.cases:
        out.append(f"{words[case.status]:<6} {case.id:<{width}}  {case.file}:{case.line}")
        if case.status == PASSED and not verbose:
            continue
        if case.reason:
            out.append(f"       {words['reason']}: {' '.join(str(case.reason).split())}")
        for error in case.errors:
            out.append(f"       ✗ {error.display(lang)}")
        for difference in case.differences:
            out += _difference_text(difference, words, wording, case)
    if run.errors:
        out += ["", f"{words['unreadable']}:"] + [f"  ✗ {error.display(lang)}" for error in run.errors]
    out.append("")
    if run.cases:
        out.append(_plural(words["summary"], len(run.cases), passed=run.count(PASSED), failed=run.count(FAILED), errors=run.count(ERROR))
                   + f" ({run.seconds:.1f} s)")
    else:
        out.append(words["no_cases"])
    if run.unchecked:
        out.append(_plural(words["unchecked"], len(run.unchecked)))
    without_reason = [c.id for c in run.cases if not c.reason]
    if without_reason:
        out.append(_plural(words["no_reason"], len(without_reason), ids=", ".join(without_reason[:5]) + (" ..." if len(without_reason) > 5 else "")))
    if run.errors:
        out.append(_plural(words["read_errors"], len(run.errors)))
    return "\n".join(out) + "\n"


def _plural(forms: tuple[str, str], n: int, **fields) -> str:
    """The singular (``n == 1``) or plural form of a message, formatted."""
    return (forms[0] if n == 1 else forms[1]).format(n=n, **fields)


def _difference_text(difference: Difference, words: dict, wording: Wording, case) -> list[str]:
    got = {"absent": words["absent"], "undetermined": words["undetermined"]}.get(difference.got or "", difference.got)
    if difference.kind == "risk_class":
        head = words["risk_class"].format(expected=difference.label, got=got)
    elif difference.kind in ("include", "exclude"):
        head = words[difference.kind].format(label=difference.label, got=got)
    else:
        head = words[difference.kind].format(label=difference.label)
        statement = _statement(difference.label, case, wording)
        if statement:
            head += f"  — {statement}"
    return [f"       {head}"] + [f"           {line}" for line in difference.explanation]


def _statement(label: str, case, wording: Wording) -> str | None:
    """The conclusion in words (from kb/conclusions.yaml), if the case's result has it."""
    if case.result is None:
        return None
    for conclusion in case.result.conclusions:
        if conclusion.label == label:
            return wording.statement(conclusion, case.id)
    return None


def write_junit(run: CaseRun, path: Path, lang: str = "en") -> None:
    """Write ``run`` as JUnit XML to ``path`` (one testsuite; unreadable files are errors)."""
    words = WORDS[lang]
    wording = Wording(run.kb, run.vocabulary, lang)
    suite = ET.Element("testsuite", name="aiact-asp cases", tests=str(len(run.cases) + len(run.errors)),
                       failures=str(run.count(FAILED)), errors=str(run.count(ERROR) + len(run.errors)),
                       skipped="0", time=f"{run.seconds:.3f}")
    for case in run.cases:
        element = ET.SubElement(suite, "testcase", classname=_classname(case.file), name=case.id, file=case.file, line=str(case.line))
        if case.status == FAILED:
            text = [f"{words['reason']}: {case.reason}"] if case.reason else []
            for difference in case.differences:
                text += [line.strip() for line in _difference_text(difference, words, wording, case)]
            first = _difference_text(case.differences[0], words, wording, case)[0].strip()
            failure = ET.SubElement(element, "failure", message=first, type="expectation")
            failure.text = "\n".join(text)
        elif case.status == ERROR:
            error = ET.SubElement(element, "error", message=case.errors[0].display(lang), type="invalid expectation")
            error.text = "\n".join(e.display(lang) for e in case.errors)
    for problem in run.errors:
        element = ET.SubElement(suite, "testcase", classname=_classname(problem.file), name=f"{problem.file}:{problem.line or ''}")
        error = ET.SubElement(element, "error", message=problem.display(lang), type="unreadable input")
        error.text = problem.display(lang)
    tree = ET.ElementTree(ET.Element("testsuites"))
    tree.getroot().append(suite)
    ET.indent(tree)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def _shown(path: Path) -> str:
    """``path`` relative to the current folder where it lies below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _classname(file: str) -> str:
    stem = str(Path(file).with_suffix(""))
    return stem.replace("/", ".").replace("\\", ".").lstrip(".")
