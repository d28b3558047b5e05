"""At start-up: finish or roll back the files of a batch that was interrupted (kill -9, power loss)."""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Any

from dupeview.core import safeio
from dupeview.core.actions import freedesktop, moving, reasons
from dupeview.core.actions.facts import listed
from dupeview.core.actions.log import ActionLog, Outcome

_logger = logging.getLogger(__name__)


def recover(log: ActionLog | None = None) -> list[Outcome]:
    """Give every intent without a result one, by looking at the disk: a file still in place with its
    digest was not touched; one found in the trash (or at its destination) with its digest was done and
    stays undoable, unless its kept copy is gone too (one file under two names): then it is put back.
    A half-made link replacement is rolled back. Returns the results written; the CLI and the app call
    this once at start-up. Never raises for a file."""
    log = log or ActionLog()
    try:
        pending = log.pending()
    except OSError as exc:
        _logger.warning("cannot read the action log %s: %s", log.path, exc)
        return []
    written: list[Outcome] = []
    for entry in pending:
        try:
            outcome = _settle(entry)
        except OSError as exc:
            outcome = Outcome(str(entry["path"]), False, f"interrupted; could not check it afterwards: {exc}")
        try:
            log.result(entry["batch"], entry["seq"], entry["action"], outcome)
        except OSError as exc:
            _logger.warning("cannot write the action log %s: %s", log.path, exc)
            return written
        written.append(outcome)
        _logger.info("recovered an interrupted %s of %r: %s", entry["action"], outcome.path, outcome.reason or "done")
    return written


def _digest(path: str) -> bytes | None:
    try:
        return safeio.file_digest(path)[0]
    except OSError:
        return None


def _is(path: str, entry: dict[str, Any]) -> bool:
    want = entry.get("digest")
    return want is not None and _digest(path) == want


def _keeper_survived(entry: dict[str, Any]) -> bool:
    keepers = entry.get("keepers") or []
    return not keepers or any(listed(p) and _digest(p) == d for p, d in keepers)


def _settle(entry: dict[str, Any]) -> Outcome:
    action = entry["action"]
    path = str(entry["path"])
    if action == "restore":
        return _settle_restore(entry)
    if action == "copy":
        dest = entry.get("dest")
        if isinstance(dest, str) and _is(dest, entry):
            return Outcome(path, True, "", dest=dest)
        return Outcome(path, False, reasons.INTERRUPTED)
    if action == "trash":
        return _settle_trash(entry)
    if action in ("hardlink", "symlink"):
        # A kill can land between making the temporary link and renaming it into place, or between that
        # rename and removing the temporary name: whatever the outcome, no .dupeview-link-* stays behind.
        try:
            return _settle_trash(entry)
        finally:
            _drop_temporary_links(entry)
    if action == "move":
        return _settle_move(entry)
    return _settle_delete(entry)


def _our_link(entry: dict[str, Any]) -> bool:
    """The path holds the link a hardlink/symlink action made to the kept copy (and nothing else)."""
    path = str(entry["path"])
    keepers = entry.get("keepers") or []
    if entry["action"] not in ("hardlink", "symlink") or not keepers:
        return False
    keeper = os.path.abspath(keepers[0][0])
    if entry["action"] == "symlink":
        try:
            return os.path.islink(path) and os.readlink(path) == keeper
        except OSError:
            return False
    return not os.path.islink(path) and _same_inode(path, keeper)


def _settle_trash(entry: dict[str, Any]) -> Outcome:
    path = str(entry["path"])
    if _our_link(entry):
        return _found_in_trash(entry, linked=True)
    if os.path.lexists(path) and _is(path, entry) and not os.path.islink(path):
        return Outcome(path, False, reasons.INTERRUPTED)
    # Gone from its place: in the trash if the move got that far. Whatever else may stand at the path
    # now (not ours) is never touched.
    return _found_in_trash(entry, linked=False)


def _same_inode(a: str, b: str) -> bool:
    try:
        x, y = os.lstat(a), os.lstat(b)
    except OSError:
        return False
    return (x.st_dev, x.st_ino) == (y.st_dev, y.st_ino)


def _found_in_trash(entry: dict[str, Any], linked: bool) -> Outcome:
    path = str(entry["path"])
    ident = freedesktop.Ident(entry.get("dev") or 0, entry.get("ino") or 0, entry.get("size") or 0,
                              entry.get("mtime_ns") or 0)
    where = freedesktop.locate(path, ident, freedesktop.mount_root(os.path.dirname(path)))
    if where is None or not _is(where[0], entry):
        return Outcome(path, False, f"interrupted; {reasons.TRASH_UNKNOWN}")
    trash_path, info_path = where
    action = entry["action"]
    complete = action == "trash" or linked
    if os.path.lexists(path) and not linked:
        # Something new stands at its place: the trashed file stays in the trash, undoable by hand.
        return Outcome(path, action == "trash", "" if action == "trash" else reasons.OCCUPIED, trash_path, info_path)
    if complete and _keeper_survived(entry):
        dest = path if action != "trash" else None
        return Outcome(path, True, "", trash_path, info_path, dest)
    # Roll back: the kept copy went with it, or the link never got into place.
    if linked:
        os.remove(path)
    if action != "trash":
        _drop_temporary_links(entry)
    moving.move_no_replace(trash_path, path, os.lstat(trash_path))
    with contextlib.suppress(FileNotFoundError):
        os.remove(info_path)
    return Outcome(path, False, reasons.ALIAS_PUT_BACK if complete else reasons.INTERRUPTED)


def _drop_temporary_links(entry: dict[str, Any]) -> None:
    """Remove the .dupeview-link-* names a link action made next to the file and never renamed into place
    (only those that are a link to, or a name of, the kept copy)."""
    path = str(entry["path"])
    keepers = entry.get("keepers") or []
    if not keepers:
        return
    keeper = os.path.abspath(keepers[0][0])
    with contextlib.suppress(OSError), os.scandir(os.path.dirname(path)) as it:
        for e in it:
            if not e.name.startswith(".dupeview-link-"):
                continue
            ours = (os.readlink(e.path) == keeper) if e.is_symlink() else _same_inode(e.path, keeper)
            if ours:
                os.remove(e.path)


def _settle_move(entry: dict[str, Any]) -> Outcome:
    path = str(entry["path"])
    dest = entry.get("dest")
    candidates = []
    if isinstance(dest, str):
        stem, ext = os.path.splitext(dest)
        candidates = [dest] + [f"{stem} ({n}){ext}" for n in range(1, 50)]
    if os.path.lexists(path) and _is(path, entry):
        for c in candidates:  # a move stopped between link() and unlink(): two names, one file
            if _same_inode(c, path):
                os.remove(c)
        return Outcome(path, False, reasons.INTERRUPTED)
    for c in candidates:
        if os.path.lexists(c) and _is(c, entry):
            if _keeper_survived(entry):
                return Outcome(path, True, "", dest=c)
            moving.move_no_replace(c, path, os.lstat(c))
            return Outcome(path, False, reasons.ALIAS_PUT_BACK)
    return Outcome(path, False, f"interrupted; it is neither in place nor at {dest}")


def _settle_delete(entry: dict[str, Any]) -> Outcome:
    path = str(entry["path"])
    if os.path.lexists(path) and _is(path, entry):
        return Outcome(path, False, reasons.INTERRUPTED)
    folder = os.path.dirname(path)
    with contextlib.suppress(OSError), os.scandir(folder) as it:
        for e in it:
            if e.name.startswith(".dupeview-deleting-") and _is(e.path, entry):
                if _keeper_survived(entry):
                    os.remove(e.path)
                    return Outcome(path, True)
                moving.move_no_replace(e.path, path, os.lstat(e.path))
                return Outcome(path, False, reasons.ALIAS_PUT_BACK)
    return Outcome(path, True)


def _settle_restore(entry: dict[str, Any]) -> Outcome:
    path = str(entry["path"])
    source = entry.get("dest")
    if os.path.lexists(path) and _is(path, entry):
        if isinstance(source, str) and _same_inode(source, path):
            os.remove(source)  # stopped between link() and unlink()
        return Outcome(path, True, "", dest=source if isinstance(source, str) else None)
    return Outcome(path, False, reasons.INTERRUPTED)
