"""What a saved review asks to act on: its marked files and their groups as reviewed, checked against the disk now.

`dupeview apply REVIEW` reads this; the same checks as the app's (core/review.py's check_files, then
the per-file safety transaction) decide. A file changed, replaced or gone since the review is refused
with the reason, never acted on; a review from another machine has every path missing, so each of its
files is refused as vanished, and `foreign` says where the review was made.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from dupeview import paths
from dupeview.core.grouping import Matcher
from dupeview.core.lazy_codes import CacheCodes
from dupeview.core.pair_memo import PairMemo
from dupeview.core.records import ImageRecord
from dupeview.core.review import ReviewState, check_files, machine_name, without_files
from dupeview.core.scanner import analyse_safely
from dupeview.core.session_types import ReviewOptions

SQLITE_MAGIC = b"SQLite format 3\x00"   # a review file is an SQLite database; a scan result is JSON


def looks_like_review(path: str) -> bool:
    """Whether a file is an SQLite database (a review, or something foreign the reader will refuse)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


@dataclass(frozen=True)
class ReviewTargets:
    """The marked files of a review (as reviewed), every group (keeper first), the folders, and refusals."""

    targets: tuple[ImageRecord, ...] = ()
    groups: tuple[tuple[ImageRecord, ...], ...] = ()
    roots: tuple[str, ...] = ()
    refused: Mapping[str, str] = field(default_factory=dict)   # marked path -> why it is not acted on
    foreign: str | None = None          # the machine the review was saved on, when none of its files exist here


def review_targets(state: ReviewState, memo: PairMemo | None = None) -> ReviewTargets:
    """Rebuild the review's groups from its own scan and options (no file is read but for a stat each), then
    check every file against its record: those no longer as reviewed are refused and leave the groups.

    memo: the remembered pairs of the review's scan (pair_memo.beside the cache the app scanned with):
    the groups come from them, without a search, when its files are all in it."""
    if state.scan is None:
        return ReviewTargets(roots=state.roots)
    options = ReviewOptions.from_dict(state.options, state.roots, state.reference_folders)
    check = check_files(state.scan.records)
    # Files acted on since the review (it keeps them as "absent") and files no longer as reviewed are out.
    live = without_files(state, set(check.problems) | set(state.absent))
    assert live.scan is not None
    # Algorithms the review holds no codes of (the app loads only those it compares by) come from the app's cache.
    library = live.scan.to_library(CacheCodes(str(paths.cache_db()), analyse_safely))
    groups = Matcher(library, options.match, search_distance=options.threshold, memo=memo).groups(
        options.group_options(state.dismissals))
    records = library.records
    refused = {p: f"{why}; not acted on" for p, why in check.problems.items() if p in state.marks}
    refused.update({p: "acted on since the review (it is no longer where the review saw it)"
                    for p in state.absent & state.marks})
    targets = tuple(r for r in records if r.path in live.marks)
    scanned = {r.path for r in state.scan.records}
    refused.update({p: "not among the review's scanned files" for p in state.marks - scanned})
    foreign = state.machine if check.none_exist and state.machine != machine_name() else None
    return ReviewTargets(targets, tuple(tuple(records[m.index] for m in g.members) for g in groups),
                         tuple(os.path.abspath(r) for r in state.roots), refused, foreign)

