"""The Session's helpers that keep a million-file library cheap: pairs searched only as far as asked, lookups by group member."""

from __future__ import annotations

import copy
from collections.abc import Collection

from dupeview.core import free_memory
from dupeview.core.grouping import GroupList, Matcher, MatchOptions
from dupeview.core.pair_memo import PairMemo
from dupeview.core.pairs import SearchCancelled
from dupeview.core.progress import CancelToken
from dupeview.core.records import ImageRecord, Library

BIG_LIBRARY = 100_000   # files: below this the heap left over is a few MB, not worth a trim
# Up to this many files the pairs are searched to the options' maximum at once, so a looser slider
# only regroups. Widening on the worker while the window regroups held the GIL: 20,000-group slider
# moves had a p99 gap of 74 ms (23 ms searched at once). At a million files the search past the
# threshold is a minute of CPU and hundreds of MB, so big libraries widen when the slider asks.
UPFRONT_FILES = 200_000


def first_distance(files: int, threshold: int, max_distance: int) -> int:
    """How far a library's first search goes: everything the slider can reach when that is cheap."""
    return max_distance if files <= UPFRONT_FILES else threshold


def first_matcher(library: Library, match: MatchOptions, threshold: int, memo: PairMemo | None,
                  cancel: CancelToken | None = None) -> Matcher:
    """A library's matcher as first searched (first_distance), with the remembered pairs of `memo`."""
    return Matcher(library, match, cancel, search_distance=first_distance(len(library), threshold, match.max_distance),
                   memo=memo)


def widened(matcher: Matcher, threshold: int, cancel: CancelToken | None = None) -> Matcher:
    """The matcher with its pairs searched up to `threshold` (at most its options' maximum).

    A new object when a search is needed: the caller's thread may read the old one (its edges, a
    group's pairs) while the worker searches. The copy shares the arrays; `extend` replaces its own.
    `cancel` stops the search (pairs.SearchCancelled): at a million files it takes a minute, and a
    closing window must not wait for it."""
    threshold = min(threshold, matcher.options.max_distance)
    if threshold <= matcher.searched:
        return matcher
    if cancel is not None and cancel.cancelled:   # stopped while it waited for the worker
        raise SearchCancelled("the search further was stopped before it began")
    wider = copy.copy(matcher)
    wider._cancel = cancel   # the Matcher's own stop check, as the scan's search has
    wider.extend(threshold)
    give_back_after(len(matcher.library))
    return wider


def give_back_after(files: int) -> None:
    """After a big library's search, its freed heap back to the system (core/free_memory.py)."""
    if files >= BIG_LIBRARY:
        free_memory.give_back()


def rows_of(library: Library, paths: Collection[str]) -> list[int]:
    """The library rows of these paths, by one pass over the path column (no index of a million paths kept)."""
    if not paths:
        return []
    wanted = paths if isinstance(paths, (set, frozenset)) else set(paths)
    return [k for k, p in enumerate(library.table.paths) if p in wanted]


def member_records(library: Library, groups: GroupList) -> dict[str, ImageRecord]:
    """The records of the files in these groups, by path: O(members), not O(library)."""
    records = library.records
    return {r.path: r for r in (records[k] for k in groups.indices.tolist())}
