"""Undo the last batch from the action log, accepting only what dupeview itself did to exactly that file."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from typing import Any

from dupeview.core import safeio
from dupeview.core.actions import freedesktop, moving, reasons
from dupeview.core.actions.facts import Facts
from dupeview.core.actions.log import ActionLog, Outcome

_logger = logging.getLogger(__name__)

_FROM_TRASH = frozenset({"trash", "hardlink", "symlink"})


def undo_last(log: ActionLog) -> list[Outcome]:
    """Put the newest undoable batch back: from the trash (trash, hardlink, symlink), from where a move put
    it, or remove what a copy made. Never overwrites: if something now exists at the original path, that
    file's Outcome is ok=False with a reason and it stays where it is. Each file is restored only when it is
    exactly the file dupeview moved (same content digest) and, from the trash, only out of a real trash
    folder whose .trashinfo names its original path. Logged as a "restore" batch (intent and result per
    file), so the same batch is not undone twice. Returns [] when there is nothing to undo."""
    found = log.last_undoable()
    if found is None:
        return []
    batch, entries = found
    if not freedesktop.can_undo() and any(e["action"] in _FROM_TRASH for e in entries):
        return [Outcome(str(e["path"]), False, reasons.NO_UNDO) for e in entries]
    restore_batch = log.new_batch()
    outcomes = []
    for seq, entry in enumerate(entries):
        original = str(entry["path"])
        source = entry.get("trash_path") if entry["action"] in _FROM_TRASH else entry.get("dest")
        log.intend(restore_batch, seq, "restore", Facts(original, digest=entry.get("digest")),
                   dest=source if isinstance(source, str) else None, undoes=batch)
        outcome = restore(entry)
        log.result(restore_batch, seq, "restore", outcome, sync=False)
        outcomes.append(outcome)
    log.sync()
    return outcomes


def _same_content(path: str, entry: dict[str, Any]) -> bool:
    """The file at path is the one the entry moved: its digest, or for logs written before digests were
    logged, the size and mtime recorded of it then."""
    try:
        digest, st = safeio.file_digest(path)
    except OSError:
        return False
    want = entry.get("digest")
    if isinstance(want, bytes):
        return digest == want
    size, mtime_ns = entry.get("size"), entry.get("mtime_ns")
    return (not isinstance(size, int) or st.st_size == size) and (not isinstance(mtime_ns, int) or st.st_mtime_ns == mtime_ns)


def restore(entry: dict[str, Any]) -> Outcome:
    """Undo one logged file; the Outcome says why not when it cannot be."""
    action = entry["action"]
    if action in _FROM_TRASH:
        return _from_trash(entry)
    original = str(entry["path"])
    dest = entry.get("dest")
    if not isinstance(dest, str):
        return Outcome(original, False, reasons.MOVED_AWAY)
    if not _regular(dest) or not _same_content(dest, entry):
        return Outcome(original, False, reasons.MOVED_AWAY, dest=dest)
    try:
        if action == "copy":
            os.remove(dest)  # the original never moved: undoing a copy is removing it
        else:
            if os.path.lexists(original):
                return Outcome(original, False, reasons.OCCUPIED.replace("the trashed copy stays in the trash",
                                                                         "the moved file stays where it was put"), dest=dest)
            os.makedirs(os.path.dirname(original), exist_ok=True)
            moving.move_no_replace(dest, original, os.lstat(dest))
    except FileExistsError:
        return Outcome(original, False, reasons.OCCUPIED, dest=dest)
    except OSError as exc:
        return Outcome(original, False, reasons.explain(exc, original, "move it back"), dest=dest)
    return Outcome(original, True, "", dest=dest)


def _regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _from_trash(entry: dict[str, Any]) -> Outcome:
    original = str(entry["path"])
    trash_path, info_path = entry.get("trash_path"), entry.get("info_path")
    if not isinstance(trash_path, str) or not isinstance(info_path, str):
        return Outcome(original, False, reasons.TRASH_UNKNOWN)

    def refuse(reason: str) -> Outcome:
        return Outcome(original, False, reason, trash_path, info_path)

    if not freedesktop.in_a_trash(trash_path, info_path, original):
        return refuse(reasons.NOT_A_TRASH)
    # The trash may have been emptied and another file of the same name trashed since: that one must
    # not be moved to this file's old place.
    if freedesktop.trash_entry(trash_path, info_path, original) is None or not os.path.lexists(trash_path):
        return refuse(reasons.NOT_IN_TRASH)
    if not _regular(trash_path) or not _same_content(trash_path, entry):
        return refuse(reasons.TRASH_CHANGED)
    if entry["action"] in ("hardlink", "symlink"):
        why = _remove_our_link(entry)
        if why is not None:
            return refuse(why)
    if os.path.lexists(original):
        return refuse(reasons.OCCUPIED)
    try:
        # Its folder may have gone since (emptied by hand): put it back where it was.
        os.makedirs(os.path.dirname(original), exist_ok=True)
        moving.move_no_replace(trash_path, original, os.lstat(trash_path))
    except FileExistsError:
        return refuse(reasons.OCCUPIED)
    except OSError as exc:
        return refuse(reasons.explain(exc, original, "move it back"))
    try:
        os.remove(info_path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        # The file is home; a stale .trashinfo only shows as a broken entry in the trash.
        _logger.warning("restored %r but could not remove %r: %s", original, info_path, exc)
    return Outcome(original, True, "", trash_path, info_path)


def _remove_our_link(entry: dict[str, Any]) -> str | None:
    """Remove the link a hardlink/symlink action put at the original path, if it is still exactly that."""
    original = str(entry["path"])
    keepers = entry.get("keepers") or []
    if not keepers:
        return reasons.OCCUPIED
    keeper, keeper_digest = keepers[0]
    try:
        st = os.lstat(original)
    except FileNotFoundError:
        return None  # the link is gone already: the file can simply go back
    except OSError as exc:
        return reasons.explain(exc, original, "remove the link")
    if entry["action"] == "symlink":
        ours = stat.S_ISLNK(st.st_mode) and os.readlink(original) == os.path.abspath(keeper)
    else:
        try:
            kst = os.lstat(keeper)
        except OSError:
            kst = None
        ours = kst is not None and stat.S_ISREG(st.st_mode) and (st.st_dev, st.st_ino) == (kst.st_dev, kst.st_ino)
    if not ours:
        return reasons.OCCUPIED
    with contextlib.suppress(FileNotFoundError):
        os.remove(original)
    return None
