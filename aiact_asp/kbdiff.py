"""``aiact-asp diff``: what a change to the knowledge base changes for a set of systems.

The same descriptions (cases or a whole inventory, with or without ``expect:``) are solved with
a *base* knowledge base — the ``kb/`` folder of a git revision, extracted with ``git archive``
into a temporary folder, or another folder — and with the working one. Per system the risk
class and every conclusion and finding are compared: added, removed, or changed between
certain and undetermined.
"""

from __future__ import annotations

import datetime as _dt
import io
import subprocess
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .api import classify_descriptions
from .engine import SystemResult
from .errors import InputError, KnowledgeBaseError
from .kb import KnowledgeBase, default_kb_dir, load_kb
from .fastload import load_paths
from .vocabulary import load_vocabulary

CERTAIN, UNDETERMINED = "certain", "undetermined"


@dataclass
class SystemChange:
    """How the outcome for one system changed between the base and the working knowledge base.

    ``added``/``removed`` are conclusion labels (findings as ``finding(code)``), each with
    ``(undetermined)`` when it holds only for some answers to the unknown facts; ``changed``
    lists labels that went from certain to undetermined or back (``label: certain -> undetermined``).
    """

    id: str
    file: str
    line: int
    base_risk: str | None
    new_risk: str | None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    explanation: dict[str, list[str]] = field(default_factory=dict)  # "+ label" / "- label" -> rules

    @property
    def risk_changed(self) -> bool:
        return self.base_risk != self.new_risk

    @property
    def any(self) -> bool:
        return self.risk_changed or bool(self.added or self.removed or self.changed)


@dataclass
class DiffReport:
    base: str
    changes: list[SystemChange]
    compared: int
    errors: list[InputError]

    @property
    def changed(self) -> list[SystemChange]:
        return [c for c in self.changes if c.any]


class BaseKB:
    """The base knowledge base of ``--base``: a folder, or ``kb/`` of a git revision (a context manager).

    Raises:
        ValueError: ``base`` is neither a folder with a knowledge base nor a git revision.
    """

    def __init__(self, base: str, working_kb: Path | None = None):
        self.base = base
        self.working = (working_kb or default_kb_dir()).resolve()
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.directory: Path | None = None

    def __enter__(self) -> "BaseKB":
        path = Path(self.base)
        if path.is_dir():
            self.directory = path / "kb" if (path / "kb" / "conclusions.yaml").is_file() else path
            if not (self.directory / "conclusions.yaml").is_file():
                raise ValueError(f"{self.base} is a folder without a knowledge base (no conclusions.yaml in it or in its kb/)")
            self.label = str(path)
            return self
        self._tmp = tempfile.TemporaryDirectory(prefix="aiact-asp-base-")
        self.directory = extract_revision(self.base, self.working, Path(self._tmp.name))
        self.label = f"{self.base} ({_short(self.base, self.working)})"
        return self

    def __exit__(self, *exc) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


def extract_revision(revision: str, working_kb: Path, target: Path) -> Path:
    """Extract ``kb/`` (the working knowledge base's folder, relative to its git repository) as
    it is at ``revision`` into ``target``; return the extracted folder.

    Raises:
        ValueError: not a git repository, unknown revision, or no ``kb/`` at that revision.
    """
    root = _git(["rev-parse", "--show-toplevel"], working_kb)
    if root is None:
        raise ValueError(f"{working_kb} is not in a git repository, so --base {revision} cannot be a revision; give a folder instead")
    root_path = Path(root.strip()).resolve()
    if _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root_path) is None:
        raise ValueError(f"--base {revision}: neither a folder nor a git revision of {root_path}")
    relative = working_kb.resolve().relative_to(root_path).as_posix()
    try:
        archive = subprocess.run(["git", "archive", "--format=tar", revision, relative], cwd=root_path,
                                 capture_output=True, check=True).stdout
    except subprocess.CalledProcessError as exc:
        raise ValueError(f"--base {revision}: git archive failed: {exc.stderr.decode(errors='replace').strip()}") from None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    folder = target / relative
    if not (folder / "conclusions.yaml").is_file():
        raise ValueError(f"--base {revision}: {relative}/ at that revision has no conclusions.yaml")
    return folder


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    except (OSError, ValueError):
        return None
    return done.stdout if done.returncode == 0 else None


def _short(revision: str, working: Path) -> str:
    out = _git(["rev-parse", "--short", revision], working)
    return out.strip() if out else revision


def outcome(result: SystemResult) -> tuple[str, dict[str, str]]:
    """``(risk class, {label: certain|undetermined})`` of a result, findings as ``finding(code)``."""
    items = {c.label: CERTAIN if c.certain else UNDETERMINED for c in result.conclusions + result.findings}
    return result.risk_class, items


def solve_with(paths: Iterable[str | Path], kb: KnowledgeBase, as_of: _dt.date) -> tuple[dict[str, SystemResult], list[InputError]]:
    """Classify the descriptions in ``paths`` with ``kb`` (read with that knowledge base's vocabulary)."""
    vocabulary = load_vocabulary(kb.directory / "vocabulary.yaml")
    descriptions, errors = load_paths(paths, vocabulary)  # the loader's outcome, read faster (see fastload)
    run = classify_descriptions(descriptions, kb, vocabulary, as_of)
    return {r.id: r for r in run.results}, errors


def diff(paths: list[str | Path], base: str, kb_dir: Path | None = None, as_of: _dt.date | None = None) -> DiffReport:
    """Compare the outcomes of ``paths`` under the base knowledge base and the working one.

    Raises:
        ValueError: ``base`` cannot be used (see :class:`BaseKB`).
        KnowledgeBaseError: either knowledge base cannot be loaded or grounded (the errors name
            which one: files of the base carry the temporary folder's path).
    """
    as_of = as_of or _dt.date.today()
    new_kb = load_kb(Path(kb_dir).resolve() if kb_dir else None)
    with BaseKB(base, new_kb.directory) as base_kb:
        try:
            old = load_kb(base_kb.directory.resolve())
        except KnowledgeBaseError as exc:
            raise KnowledgeBaseError([InputError(f"(base {base}) {e.file}", e.line, e.key, e.message) for e in exc.errors]) from None
        before, before_errors = solve_with(paths, old, as_of)
        label = base_kb.label
        load_kb.cache_clear()  # the temporary folder is about to disappear
    after, after_errors = solve_with(paths, new_kb, as_of)
    errors = list(dict.fromkeys(after_errors + [InputError(e.file, e.line, e.key, f"(with the base knowledge base) {e.message}")
                                                for e in before_errors if e not in after_errors]))
    changes = []
    for system_id, result in after.items():
        old_result = before.get(system_id)
        changes.append(_change(old_result, result))
    for system_id, old_result in before.items():
        if system_id not in after:
            change = SystemChange(system_id, old_result.description.file, old_result.description.line,
                                  old_result.risk_class, None, removed=sorted(outcome(old_result)[1]))
            changes.append(change)
    return DiffReport(label, changes, len(set(before) | set(after)), errors)


def _change(old: SystemResult | None, new: SystemResult) -> SystemChange:
    desc = new.description
    new_risk, new_items = outcome(new)
    old_risk, old_items = outcome(old) if old is not None else (None, {})
    change = SystemChange(desc.id, desc.file, desc.line, old_risk, new_risk)
    for label in sorted(set(new_items) - set(old_items)):
        change.added.append(label + ("" if new_items[label] == CERTAIN else f" ({UNDETERMINED})"))
        change.explanation[f"+ {change.added[-1]}"] = _rules_for(new, label)
    for label in sorted(set(old_items) - set(new_items)):
        change.removed.append(label + ("" if old_items[label] == CERTAIN else f" ({UNDETERMINED})"))
        change.explanation[f"- {change.removed[-1]}"] = _rules_for(old, label) if old is not None else []
    for label in sorted(set(old_items) & set(new_items)):
        if old_items[label] != new_items[label]:
            change.changed.append(f"{label}: {old_items[label]} -> {new_items[label]}")
    return change


def _rules_for(result: SystemResult, label: str) -> list[str]:
    for item in result.conclusions + result.findings:
        if item.label == label:
            return [f"← kb/{f.rule.file}:{f.rule.line} [{'; '.join(f.rule.sources)}]" for f in item.firings]
    return []


def report_text(report: DiffReport, rules: bool = True) -> str:
    """The changes per system, then a summary with counts."""
    out = [f"base: {report.base}  ·  working: knowledge base in the working folder", ""]
    for change in report.changed:
        out.append(f"{change.id}  ({change.file}:{change.line})")
        if change.risk_changed:
            out.append(f"  risk class: {change.base_risk or '(not in base)'} -> {change.new_risk or '(gone)'}")
        for line in [f"+ {label}" for label in change.added] + [f"- {label}" for label in change.removed]:
            out.append(f"  {line}")
            if rules:
                out += [f"      {rule}" for rule in change.explanation.get(line, [])]
        out += [f"  ~ {label}" for label in change.changed]
        out.append("")
    if report.errors:
        out.append("Input that could not be read:")
        out += [f"  ✗ {e}" for e in report.errors]
        out.append("")
    moves = Counter(f"{c.base_risk} -> {c.new_risk}" for c in report.changed if c.risk_changed)
    added = sum(len(c.added) for c in report.changes)
    removed = sum(len(c.removed) for c in report.changes)
    changed = sum(len(c.changed) for c in report.changes)
    out.append(f"{report.compared} systems compared: {len(report.changed)} changed "
               f"({sum(1 for c in report.changed if c.risk_changed)} in risk class), {report.compared - len(report.changed)} unchanged; "
               f"conclusions +{added} -{removed} ~{changed}")
    for move, n in sorted(moves.items()):
        out.append(f"  risk class {move}: {n}")
    return "\n".join(out) + "\n"
