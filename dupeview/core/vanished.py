"""Cache pruning: forget the entries of files that vanished from folders a scan walked whole.

A cache that only ever grows lies: it keeps fingerprints of files deleted or renamed outside
dupeview, and `index push` would keep them in a shared index. So at the end of a scan that was
not cancelled, cached paths inside a walked root that discovery did not find are checked on disk,
and those that are really gone are forgotten.

Nothing is forgotten where the files may just be out of reach:
- a root that is missing or could not be opened (an unplugged drive): never walked, never pruned;
- a root that gave no files at all (an empty mount point whose drive is not mounted);
- a file whose nearest existing folder is empty (an unmounted drive inside a root);
- a file below a folder that could not be read, or whose own check fails other than "no such file"
  (permissions, I/O errors, a network share that dropped);
- files that exist but were not listed (excluded, hidden, too small): they keep their entries.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
from collections.abc import Iterable

from dupeview.core.cache import MEMORY, FingerprintCache, NotACacheError
from dupeview.core.discovery import Discovery
from dupeview.core.progress import CancelToken


def is_gone(path: str, root: str, nonempty: dict[str, bool] | None = None) -> bool:
    """True only when the file is certainly not there any more (and not merely out of reach).

    nonempty: a memo of folder -> "holds anything", shared between calls of one pruning."""
    try:
        os.lstat(path)
        return False
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
            return False
    folder = os.path.dirname(path)
    while len(folder) > len(root) and not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    if nonempty is not None and folder in nonempty:
        return nonempty[folder]
    try:
        with os.scandir(folder) as it:
            answer = next(it, None) is not None  # an empty folder may be a mount point without its drive
    except OSError:
        answer = False
    if nonempty is not None:
        nonempty[folder] = answer
    return answer


class EarlyCounts:
    """The cached paths under each root, counted before discovery ends, in a thread on a read-only connection
    of its own: at 1M files a count reads the whole key (0.2 s), and beside discovery it costs no wall time.
    Only for a scan that writes no entry (a fully warm one): the counts are of the file as it was."""

    def __init__(self, cache: FingerprintCache, roots: Iterable[str]) -> None:
        self._counts: dict[str, int] = {}
        self._thread: threading.Thread | None = None
        if cache.location != MEMORY:
            folders = [os.path.abspath(r) for r in roots]  # as discovery names its walked roots
            self._thread = threading.Thread(target=self._run, args=(cache.location, folders), name="cache-count",
                                            daemon=True)
            self._thread.start()

    def _run(self, path: str, folders: list[str]) -> None:
        try:
            with FingerprintCache.reader(path) as cache:
                for folder in folders:
                    self._counts[folder] = cache.count_under(folder)
        except (sqlite3.Error, OSError, NotACacheError):
            pass  # counted on the scan's own connection then

    def get(self, root: str) -> int | None:
        """The root's count, or None if it could not be counted."""
        if self._thread is not None:
            self._thread.join()
        return self._counts.get(root)


def vanished(cache: FingerprintCache, found: Discovery, cancel: CancelToken | None = None,
             early: EarlyCounts | None = None) -> list[str]:
    """Cached paths under the covered roots that discovery did not list and that are gone from disk.

    early: the counts of a scan that wrote no entry, made beside its discovery."""
    where = found.fully_seen()
    if not where.roots:
        return []
    listed: set[str] | None = None
    gone: list[str] = []
    nonempty: dict[str, bool] = {}
    for root, files in found.walked:
        if root not in where.roots:
            continue
        count = early.get(root) if early is not None else None
        if (count if count is not None else cache.count_under(root)) <= files:
            # After a scan every listed file is cached (crashes aside): no more entries than
            # listed files means nothing vanished, and the warm path reads no paths at all.
            # (A vanished file hidden by an uncached crash is caught by a later scan.)
            continue
        if listed is None:
            listed = set(found.paths)
        for path in cache.paths_under(root):
            if path in listed or not where.covers(path):
                continue
            if cancel is not None:
                cancel.check()
            if is_gone(path, root, nonempty):
                gone.append(path)
    return gone


def prune(cache: FingerprintCache, found: Discovery, cancel: CancelToken | None = None,
          early: EarlyCounts | None = None) -> list[str]:
    """Forget the vanished files' entries (see `vanished`); returns their paths."""
    gone = vanished(cache, found, cancel, early)
    if gone:
        cache.forget(gone)
    return gone
