"""A batch of file actions: refuse what must never be removed, then one transaction per file."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from dupeview.core.actions import reasons
from dupeview.core.actions.facts import Facts, Observed
from dupeview.core.actions.log import ActionLog, Outcome
from dupeview.core.actions.operations import Copy, Delete, Link, Move, Operation, Trash
from dupeview.core.actions.transaction import Step, run
from dupeview.core.progress import CancelToken, ProgressCallback, Reporter

Member = str | Observed
_logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Removal:
    """One file the user asked to act on, with the facts seen at scan time (the more, the safer:
    with ctime_ns, dev, ino and digest the file is checked to be exactly the one reviewed)."""

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int | None = None
    dev: int | None = None
    ino: int | None = None
    digest: bytes | None = None

    @classmethod
    def of(cls, record: Observed) -> Removal:
        """From a scan's record (an ImageRecord or anything with the same fields)."""
        facts = Facts.of(record)
        return cls(facts.path, facts.size or 0, facts.mtime_ns or 0, facts.ctime_ns, facts.dev, facts.ino,
                   facts.digest)


def _norm(path: str) -> str:
    # The scanner and the GUI may spell one file differently ("./a", "a"); compare absolute forms.
    return os.path.abspath(path)


def _path(member: Member) -> str:
    return member if isinstance(member, str) else member.path


def refusals(groups: Sequence[Sequence[Member]], marked: Collection[str]) -> dict[str, str]:
    """path -> reason for every marked path that must not be removed because every member of its group is
    marked (the last copy is never removed). groups are the members (paths or records) of each group.

    A marked path that is in no group at all is refused too: nothing says another copy exists."""
    marked_norm = {_norm(p) for p in marked}
    grouped: set[str] = set()
    fully_marked: set[str] = set()
    for group in groups:
        members = [_norm(_path(m)) for m in group]
        grouped.update(members)
        if members and all(m in marked_norm for m in members):
            fully_marked.update(members)
    result: dict[str, str] = {}
    for path in marked:
        norm = _norm(path)
        if norm in fully_marked:
            result[path] = reasons.LAST_COPY
        elif norm not in grouped:
            result[path] = reasons.NO_GROUP
    return result


def _richer(a: Facts, b: Facts) -> Facts:
    """The facts that say more about the file (a record from the group over a bare Removal)."""
    def score(f: Facts) -> int:
        return sum(v is not None for v in (f.ctime_ns, f.dev, f.ino, f.digest))
    return b if score(b) > score(a) else a


def operation(action: str, *, permanent: bool = False) -> Operation:
    if action == "trash":
        return Delete() if permanent else Trash()
    if action == "delete":
        return Delete()
    if action == "move":
        return Move()
    if action == "copy":
        return Copy()
    if action in ("hardlink", "symlink"):
        return Link(symbolic=action == "symlink")
    raise ValueError(f"unknown action {action!r}")


def destination(path: str, dest_root: str, roots: Sequence[str]) -> str:
    """Where a move or copy puts path: under dest_root, keeping its path relative to the root it was
    found under (the longest matching root), or its bare name when under none."""
    path = _norm(path)
    best = ""
    for root in roots:
        r = _norm(root)
        if (path.startswith(r.rstrip(os.sep) + os.sep)) and len(r) > len(best):
            best = r
    rel = os.path.relpath(path, best) if best else os.path.basename(path)
    if best and len(roots) > 1:
        # Several roots: keep which one it came from, so two "IMG_0001.jpg" never collide by design.
        rel = os.path.join(os.path.basename(best.rstrip(os.sep)) or "root", rel)
    return os.path.join(_norm(dest_root), rel)


def apply(action: str, removals: Sequence[Removal], *, groups: Sequence[Sequence[Member]],
          log: ActionLog | None = None, dest_root: str | None = None, roots: Sequence[str] = (),
          permanent: bool = False, progress: ProgressCallback | None = None,
          cancel: CancelToken | None = None, alias_store: str | os.PathLike[str] | None = None) -> list[Outcome]:
    """One Outcome per removal, in order. action: trash, delete, move, copy, hardlink or symlink.

    Refused (ok=False, file untouched): for every action but copy, any file of a group whose every member
    would be removed, or that is in no group; a file listed twice; anything once cancelled. Each other
    file goes through its own transaction (see transaction.run): the file and the group's kept copy are
    re-verified just before (identity and content digest as scanned), the intent is logged, the action
    is done, the kept copy is checked to have survived (else the file is put back at once), the result
    is logged."""
    op = operation(action, permanent=permanent)
    if action in ("move", "copy") and dest_root is None:
        raise ValueError(f"{action} needs a destination folder")
    marked = [r.path for r in removals]
    marked_norm = {_norm(p) for p in marked}
    refused = {_norm(p): why for p, why in refusals(groups, marked).items()} if op.removes else {}
    group_of: dict[str, Sequence[Member]] = {}
    for group in groups:
        for m in group:
            group_of.setdefault(_norm(_path(m)), group)
    inside = _norm(dest_root) if dest_root is not None else None

    reporter = Reporter(progress, "trash" if action == "delete" else action, len(removals), sum(max(r.size, 0) for r in removals))
    batch = log.new_batch() if log is not None else ""
    seen: set[str] = set()
    outcomes: list[Outcome] = []
    for seq, removal in enumerate(removals):
        path = removal.path
        norm = _norm(path)
        if cancel is not None and cancel.cancelled:
            outcomes.append(Outcome(path, False, reasons.CANCELLED))
            continue
        reporter.advance(1, max(removal.size, 0), os.path.basename(path))
        if norm in seen:
            outcomes.append(Outcome(path, False, reasons.DUPLICATE))
            continue
        seen.add(norm)
        if norm in refused:
            outcomes.append(Outcome(path, False, refused[norm]))
            continue
        group = group_of.get(norm, ())
        target = Facts.of(removal)
        keepers: list[Facts] = []
        for m in group:
            facts = Facts.of(m)
            if _norm(facts.path) == norm:
                target = _richer(target, dataclasses.replace(facts, path=path))
            elif _norm(facts.path) not in marked_norm:
                # Each hard link made to a kept copy moves its ctime: the next file of the group would
                # find it "changed". Identity, size, mtime and the content digest are still checked.
                keepers.append(dataclasses.replace(facts, ctime_ns=None) if action == "hardlink" else facts)
        dest = None
        if dest_root is not None:
            dest = destination(path, dest_root, roots)
            if inside is not None and (norm == inside or norm.startswith(inside.rstrip(os.sep) + os.sep)):
                outcomes.append(Outcome(path, False, reasons.DEST_INSIDE))
                continue
        outcomes.append(run(op, target, keepers, Step(log, batch, seq), dest=dest, alias_store=alias_store))
    reporter.finish()
    if log is not None and outcomes:
        try:
            log.sync()
        except OSError as exc:
            _logger.warning("could not sync the action log %s: %s", log.path, exc)
    return outcomes


def trash(removals: Sequence[Removal], *, groups: Sequence[Sequence[Member]], permanent: bool = False,
          log: ActionLog | None = None, progress: ProgressCallback | None = None,
          cancel: CancelToken | None = None) -> list[Outcome]:
    """Trash (or, only when permanent=True, delete) each file through its own transaction; see apply().
    On Linux each Outcome says where the file landed in the trash (files/ and info/ entries)."""
    return apply("delete" if permanent else "trash", removals, groups=groups, log=log,
                 progress=progress, cancel=cancel)
