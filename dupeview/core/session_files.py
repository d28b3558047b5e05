"""The Session's file work that runs off the GUI thread: crash recovery, whether undo is possible, the cache after an action."""

from __future__ import annotations

import logging
from collections.abc import Collection

from dupeview.core.cache import FingerprintCache

log = logging.getLogger(__name__)


def forget(cache_path: str, paths: Collection[str]) -> None:
    if not paths:
        return
    try:
        with FingerprintCache(cache_path) as cache:
            cache.forget(paths)
    except Exception:
        log.exception("could not drop acted-on files from the cache")


def recover(log_path: str | None) -> None:
    """An interrupted batch (the app was killed mid-action) is finished or rolled back before anything else."""
    try:
        from dupeview.core import actions

        actions.recover(actions.ActionLog(log_path))
    except Exception:   # best effort: the log keeps the intents, and the next start tries again
        log.exception("could not recover the action log")


def undoable(log_path: str | None) -> bool:
    """Whether the last logged action can be undone (reads the log: call off the GUI thread)."""
    try:
        from dupeview.core import actions
    except ModuleNotFoundError:
        return False
    if not actions.can_undo():
        return False
    try:
        return actions.ActionLog(log_path).last_undoable() is not None
    except Exception:
        log.exception("cannot read the action log")
        return False


def default_paths() -> dict[str, str]:
    """Where a Session keeps its databases by default (paths.py decides); the action log picks its own."""
    from dupeview import paths

    return {"cache_path": str(paths.cache_db()), "decisions_path": str(paths.decisions_db())}
