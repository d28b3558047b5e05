"""File actions behind Keep/Trash/Move/Copy/Link: one verified transaction per file, a write-ahead log, undo."""

from dupeview.core.actions.batch import Removal, apply, destination, refusals, trash
from dupeview.core.actions.facts import Facts
from dupeview.core.actions.freedesktop import can_undo
from dupeview.core.actions.log import ACTIONS, LOG_NAME, UNDOABLE, ActionLog, Outcome
from dupeview.core.actions.reasons import (
    ALIAS_PUT_BACK,
    CANCELLED,
    CHANGED,
    DEST_INSIDE,
    DUPLICATE,
    GONE,
    INTERRUPTED,
    KEPT_CHANGED,
    KEPT_GONE,
    KEPT_SAME_FILE,
    LAST_COPY,
    MOVED_AWAY,
    NO_GROUP,
    NO_UNDO,
    NOT_A_TRASH,
    NOT_IN_TRASH,
    NOT_REGULAR,
    OCCUPIED,
    OTHER_DISK,
    PERMISSION,
    READ_ONLY,
    TRASH_CHANGED,
    TRASH_UNKNOWN,
)
from dupeview.core.actions.recovery import recover
from dupeview.core.actions.undo import undo_last

__all__ = [
    "ACTIONS", "ALIAS_PUT_BACK", "CANCELLED", "CHANGED", "DEST_INSIDE", "DUPLICATE", "GONE", "INTERRUPTED",
    "KEPT_CHANGED", "KEPT_GONE", "KEPT_SAME_FILE", "LAST_COPY", "LOG_NAME", "MOVED_AWAY", "NOT_A_TRASH",
    "NOT_IN_TRASH", "NOT_REGULAR", "NO_GROUP", "NO_UNDO", "OCCUPIED", "OTHER_DISK", "PERMISSION", "READ_ONLY",
    "TRASH_CHANGED", "TRASH_UNKNOWN", "UNDOABLE", "ActionLog", "Facts", "Outcome", "Removal", "apply",
    "can_undo", "destination", "recover", "refusals", "trash", "undo_last",
]
