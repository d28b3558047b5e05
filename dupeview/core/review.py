"""A review as frozen data (folders, options, scan result, marks, dismissals, selection) and its file check.

How a Session uses this module, the store (`review_store`) and the exports (`export`):

- After every change (marks, dismissals, selection, threshold, folders…) build a state with
  ``ReviewState(folders=…, options=…, scan=scan_snapshot(library), marks=…, dismissals=…,
  selected=<a path in the selected group, e.g. its keeper>)`` and hand it to a
  ``review_store.ReviewSaver`` (``saver.submit(state)``): it coalesces and writes on its own
  thread, only what changed. ``scan_snapshot(library)`` is cached per Library object, so the
  100k records and fingerprints are written once per scan (or per trash/undo that makes a new
  Library), not once per key press. Call ``saver.flush()`` (or ``close()``) when quitting.
- At launch, ``ReviewStore().load()`` (on a worker) returns the last state or None; rebuild with
  ``state.scan.to_library()`` (no rescan), a Matcher, the groups at ``state.options``, then
  restore marks/dismissals/selection. Then run ``check_files(state.scan.records)`` on a worker:
  files in ``FileCheck.stale`` changed or vanished since the review; show them as such, drop
  their marks (``FileCheck.actionable(marks)``) and update their groups.
- File → Open review…: ``review_store.read_review_file(path)`` returns a state or raises
  ``ReviewFileError`` with one plain message (nothing has changed then). Always run
  ``check_files`` on the result: a review from another machine shows its files as vanished.
- File → Save review…: ``review_store.write_review_file(path, state)`` (atomic).
- Export: ``export.to_csv / to_json / to_html(library, groups, marks, …)`` and ``export.write_text``.

The options mapping belongs to the Session (JSON values only): this module stores it as given.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import stat as stat_mod
import uuid
import weakref
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from dupeview.core.discovery import Skipped
from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.progress import CancelToken
from dupeview.core.record_table import RecordTable
from dupeview.core.records import CodeLoader, ImageRecord, Library, empty_hashes
from dupeview.core.views import N_WORDS as N_VIEW_WORDS

REVIEW_VERSION: Final = 1

# What check_files says about a file, in words for the user.
VANISHED: Final = "no longer exists (moved, renamed or deleted since the review)"
CHANGED: Final = "changed since the review (size or modification time differ)"
REPLACED: Final = "was replaced by another file since the review"
NOT_A_FILE: Final = "is no longer a regular file"


@dataclass(frozen=True)
class ReviewFolder:
    path: str
    reference: bool = False


@dataclass(frozen=True, eq=False)
class ScanSnapshot:
    """The scan result groups are shown from, without a rescan. `token` names exactly this content.

    Two snapshots with the same token hold the same records; the store rewrites the (large)
    records and fingerprints only when the token changes.
    """

    records: Sequence[ImageRecord]       # a RecordTable from a scan (never changed in place), or a tuple
    hashes: NDArray[np.uint64]          # (N, algorithms, transforms), read-only
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()
    # The layout views' hashes and flatness (core/views.py), or empty when the scan had none:
    # without them pairs are matched on the whole image only, so they are kept with the review.
    views: NDArray[np.uint64] = field(default_factory=lambda: np.zeros((0, N_VIEW_WORDS), np.uint64))
    flatness: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0, np.float64))
    # Algorithms whose planes of `hashes` were not loaded when the review was taken (zeros, not codes): a
    # library made from it reads them from the fingerprint cache when first asked for (core/lazy_codes.py).
    pending: frozenset[str] = frozenset()
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        if self.hashes.ndim != 3 or self.hashes.shape[0] != len(self.records):
            raise ValueError(f"{len(self.records)} records but fingerprints of shape {self.hashes.shape}")
        if len(self.views) not in (0, len(self.records)) or len(self.flatness) != len(self.views):
            raise ValueError(f"{len(self.records)} records but {len(self.views)} views, {len(self.flatness)} flatness")

    @property
    def has_views(self) -> bool:
        return len(self.views) == len(self.records) == len(self.flatness) and len(self.records) > 0

    def __len__(self) -> int:
        return len(self.records)

    def to_library(self, loader: CodeLoader | None = None) -> Library:
        """A Library to group from (fingerprints shared, never written to). With algorithms `pending`, `loader`
        reads them when first asked for (ValueError without one: their codes are not in the review)."""
        hashes, pending = self.hashes, self.pending
        if pending:
            if loader is None:
                raise ValueError(f"the review holds no {', '.join(sorted(pending))} fingerprints and nothing "
                                 "can read them")
            hashes = empty_hashes(len(self.records))   # written when a pending algorithm loads
            for a, name in enumerate(ALGORITHMS):
                if name not in pending:
                    hashes[:, a, :] = self.hashes[:, a, :]
        # A RecordTable as it is (a list of it would make a record object per file).
        records = self.records if isinstance(self.records, RecordTable) else list(self.records)
        return Library(records=records, hashes=hashes, skipped=list(self.skipped),
                       warnings=list(self.warnings), hashed=0, reused=len(self.records),
                       views=self.views, flatness=self.flatness, pending=pending,
                       loader=loader if pending else None)


_snapshots: dict[int, tuple[weakref.ref[Library], ScanSnapshot]] = {}


def scan_snapshot(library: Library) -> ScanSnapshot:
    """The snapshot of one Library object, made once and reused while that object lives.

    A Library's records and fingerprints are never changed in place (a trash or undo makes a
    new Library), so one snapshot per object is exact; its token then lets the store skip
    rewriting 100k records after a mere change of marks.
    """
    key = id(library)
    known = _snapshots.get(key)
    # The algorithms loaded so far, without loading the others: the app compares by one (and pHash). One
    # loaded since (the user chose it) makes a new snapshot, so the review then keeps its codes too.
    codes, pending = library.loaded_hashes()
    if known is not None and known[0]() is library and known[1].pending == pending:
        return known[1]
    hashes, views, flatness = (_read_only(a) for a in (codes, library.views, library.flatness))
    if not library.has_views():
        views, flatness = views[:0], flatness[:0]
    # The table itself, not tuple(records): that would make every ImageRecord, on the GUI thread.
    snap = ScanSnapshot(library.table, hashes, tuple(library.skipped), tuple(library.warnings),
                        views, flatness, pending)

    def forget(_ref: weakref.ref[Library]) -> None:
        _snapshots.pop(key, None)

    _snapshots[key] = (weakref.ref(library, forget), snap)
    return snap


def _read_only(a: NDArray[Any]) -> NDArray[Any]:
    view = a.view()
    view.setflags(write=False)
    return view


def machine_name() -> str:
    return socket.gethostname()


@dataclass(frozen=True)
class ReviewState:
    """One review, frozen so it can cross to the saver's thread while the GUI goes on changing its own."""

    folders: tuple[ReviewFolder, ...] = ()
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    scan: ScanSnapshot | None = None
    marks: frozenset[str] = frozenset()
    dismissals: frozenset[tuple[str, str]] = frozenset()   # "not duplicates" pairs, each sorted
    absent: frozenset[str] = frozenset()   # scanned files acted on since (trashed, moved): not shown
    selected: str | None = None       # a path in the selected group (groups move with the threshold)
    version: int = REVIEW_VERSION
    machine: str = field(default_factory=machine_name)

    def __post_init__(self) -> None:
        # A read-only view of a private copy: the caller's dict can't change a frozen state.
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))
        object.__setattr__(self, "dismissals", frozenset(dismissal(a, b) for a, b in self.dismissals))

    @property
    def roots(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.folders)

    @property
    def reference_folders(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.folders if f.reference)

    def marked_records(self) -> list[ImageRecord]:
        """The marked files as they were when reviewed (what an action may act on, if unchanged)."""
        if self.scan is None:
            return []
        return [r for r in self.scan.records if r.path in self.marks and r.path not in self.absent]


def without_files(state: ReviewState, paths: Collection[str]) -> ReviewState:
    """The review minus some files (changed or vanished since it was made): out of the scan, marks and selection.

    Their groups are then made from what is left; a rescan brings them back as they are now.
    """
    gone = set(paths)
    scan = state.scan
    if not gone or scan is None:
        return state
    rows = [k for k, r in enumerate(scan.records) if r.path not in gone]
    views, flatness = (scan.views[rows], scan.flatness[rows]) if scan.has_views else (scan.views[:0], scan.flatness[:0])
    kept = scan.records.take(rows) if isinstance(scan.records, RecordTable) else tuple(scan.records[k] for k in rows)
    smaller = ScanSnapshot(kept, _read_only(scan.hashes[rows]), scan.skipped,
                           scan.warnings, _read_only(views), _read_only(flatness), scan.pending)
    return dataclasses.replace(state, scan=smaller, marks=state.marks - gone,
                               selected=None if state.selected in gone else state.selected)


def dismissal(a: str, b: str) -> tuple[str, str]:
    """A "not duplicates" pair in its one stored order."""
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class FileCheck:
    """Files of a review that are no longer as they were reviewed, each with the reason."""

    problems: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    checked: int = 0

    @property
    def stale(self) -> frozenset[str]:
        return frozenset(self.problems)

    @property
    def vanished(self) -> tuple[str, ...]:
        return tuple(p for p, why in self.problems.items() if why == VANISHED)

    @property
    def changed(self) -> tuple[str, ...]:
        return tuple(p for p, why in self.problems.items() if why != VANISHED)

    @property
    def none_exist(self) -> bool:
        """Not one file is where the review says: most likely a review from another computer."""
        return self.checked > 0 and len(self.vanished) == self.checked

    def actionable(self, marks: Iterable[str]) -> frozenset[str]:
        """The marks an action may act on: never a file that moved or changed since the review."""
        return frozenset(p for p in marks if p not in self.problems)


def file_problem(record: ImageRecord) -> str | None:
    """Why this file is no longer the one reviewed, or None when it still is (one lstat)."""
    try:
        st = os.lstat(record.path)
    except FileNotFoundError:
        return VANISHED
    except OSError as exc:
        return f"can't be checked ({exc.strerror or exc})"
    if not stat_mod.S_ISREG(st.st_mode):
        return NOT_A_FILE
    # Records from a cache-only load carry a made-up negative inode: nothing to compare then.
    if record.ino >= 0 and (st.st_ino != record.ino or st.st_dev != record.dev):
        return REPLACED
    if (st.st_size, st.st_mtime_ns, st.st_ctime_ns) != (record.size, record.mtime_ns, record.ctime_ns):
        return CHANGED
    return None


def _in_parts(records: Sequence[ImageRecord], part: int = 65536) -> Iterable[ImageRecord]:
    """The records in order, a table's made a part at a time (all at once, a million were 270 MB more)."""
    if not isinstance(records, RecordTable):
        yield from records
        return
    for start in range(0, len(records), part):
        yield from records.take(np.arange(start, min(start + part, len(records)), dtype=np.int64))


def check_files(records: Sequence[ImageRecord], cancel: CancelToken | None = None,
                progress: Callable[[int, int], None] | None = None) -> FileCheck:
    """Compare every file with its record (size, mtime_ns, ctime_ns, inode). For a worker thread."""
    problems: dict[str, str] = {}
    total = len(records)
    for k, r in enumerate(_in_parts(records)):
        if cancel is not None and k % 256 == 0:
            cancel.check()
        why = file_problem(r)
        if why is not None:
            problems[r.path] = why
        if progress is not None and (k + 1) % 1024 == 0:
            progress(k + 1, total)
    return FileCheck(MappingProxyType(problems), total)
