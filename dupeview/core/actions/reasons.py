"""The plain reasons a file action gives for a file it refused or could not do; tests match on them."""

from __future__ import annotations

import errno
import os
from typing import Final

LAST_COPY: Final = "the last copy of its group is never removed"
NO_GROUP: Final = "it is in no duplicate group, so it may be the only copy"
KEPT_GONE: Final = "the copy being kept is no longer on disk"
KEPT_CHANGED: Final = "the copy being kept has changed since the scan"
KEPT_SAME_FILE: Final = "the copy being kept is the same file on disk as this one"
ALIAS_PUT_BACK: Final = ("the copy being kept vanished when this file was removed (both names are one file, "
                         "e.g. a folder mounted twice); it was put back at once")
ALIAS_NOT_PUT_BACK: Final = ("the copy being kept vanished when this file was removed (both names are one file) "
                             "and putting it back failed: it is at {where}")
CHANGED: Final = "changed since the scan"
GONE: Final = "gone since the scan"
NOT_REGULAR: Final = "not a regular file"
CANCELLED: Final = "cancelled"
DUPLICATE: Final = "listed more than once"
PERMISSION: Final = "permission denied"
READ_ONLY: Final = "its disk is read-only"
OCCUPIED: Final = "something else now exists at its original place; the trashed copy stays in the trash"
NOT_IN_TRASH: Final = "it is no longer in the trash (emptied or restored elsewhere)"
TRASH_CHANGED: Final = "the file in the trash is not the one that was trashed"
TRASH_UNKNOWN: Final = "where it went in the trash is unknown; restore it from the trash folder"
NOT_A_TRASH: Final = "the log names a place that is not a trash folder; nothing was moved"
NO_UNDO: Final = "restoring from the trash is not available on this system"
OTHER_DISK: Final = "a hard link needs both files on one filesystem, and the kept copy is on another"
DEST_INSIDE: Final = "the destination folder is inside the folders being cleaned"
MOVED_AWAY: Final = "it is no longer where it was put (moved or changed since)"
INTERRUPTED: Final = "interrupted before it was done; nothing was changed"


def on_read_only_disk(path: str) -> bool:
    # send2trash reports a read-only disk as "permission denied" (os.access); the truth is kinder.
    if not hasattr(os, "statvfs"):
        return False
    try:
        return bool(os.statvfs(os.path.dirname(os.path.abspath(path))).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def explain(exc: OSError, path: str, doing: str = "move it to the trash") -> str:
    """Plain words for an OSError from send2trash, os.remove, a move or a restore."""
    if exc.errno == errno.EROFS or on_read_only_disk(path):
        return READ_ONLY
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return PERMISSION
    if exc.errno == errno.ENOENT and not os.path.lexists(path):
        return GONE
    if exc.errno == errno.ENOSPC:
        return "no space left on the disk of the trash" if "trash" in doing else "no space left on the disk"
    words = (exc.strerror or str(exc) or type(exc).__name__).rstrip(".")
    where = exc.filename
    if isinstance(where, bytes):
        where = os.fsdecode(where)
    if isinstance(where, str) and where and os.path.abspath(where) != os.path.abspath(path):
        # The trouble is somewhere else (usually the trash folder), so say where.
        words += f" ({where})"
    return f"could not {doing}: {words[:1].lower()}{words[1:]}"
