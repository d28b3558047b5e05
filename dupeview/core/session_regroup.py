"""The Session's regroups on the worker: only the newest request is shown; a search further (a looser slider at a
million files: a minute of CPU) reports that it runs, and is stopped by the user or by the next request that needs
another; the matcher without the files acted on is made there too (copying a million-file library froze the window)."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from dupeview.core.grouping import GroupOptions, Matcher
from dupeview.core.marks import Marks
from dupeview.core.pairs import SearchCancelled
from dupeview.core.progress import Cancelled, CancelToken
from dupeview.core.result_view import GroupView, ViewOptions
from dupeview.core.session_match import rows_of, widened
from dupeview.core.session_types import Widening

if TYPE_CHECKING:
    from dupeview.core.jobs import Job, Report
    from dupeview.core.session_types import ReviewOptions, SessionEvents


class Session(Protocol):
    """What a regroup reads and sets of its core/session.py Session (a protocol: that module imports this one)."""

    matcher: Matcher | None
    _base: Matcher | None
    _absent: frozenset[str]
    _jobs: dict[str, int]
    marks: Marks
    options: ReviewOptions
    view: ViewOptions
    events: SessionEvents

    @property
    def scanning(self) -> bool: ...
    def group_options(self) -> GroupOptions: ...
    def _submit(self, job: Job[Any]) -> None: ...
    def _job(self, kind: str, run: Any, finished: Any, failure: str, progressed: Any = None,
             cancel: CancelToken | None = None) -> Job[Any]: ...
    def _set_groups(self, shown: GroupView, cause: str) -> None: ...


class _Done(NamedTuple):
    """A regroup job's result (it crosses from the worker)."""

    base: Matcher | None    # the base searched further (or the same), when the matcher was made from it
    matcher: Matcher
    shown: GroupView
    marked_rows: list[int]  # the rows of the marked files in the matcher's library, when it is a new one


def search_needed(matcher: Matcher, threshold: int) -> int | None:
    """How far a regroup at `threshold` must search pairs first (None: they are all there)."""
    distance = min(threshold, matcher.options.max_distance)
    return distance if distance > matcher.searched else None


class Regroups:
    """The one regroup job at a time of a Session, and the newest request waiting for it."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self.wanted: GroupOptions | None = None
        self._drop = False   # the session's absent files changed: the next job drops them from the base
        self._search: tuple[CancelToken, int] | None = None   # the running job's search further: its stop, its distance
        self._stopped = False   # the user stopped that search (not a newer request)

    @property
    def searching(self) -> bool:
        return self._search is not None

    def request(self, cause: str, drop: bool = False) -> None:
        """Group again with the session's options; drop: first make the matcher of the base without the
        session's absent files (the files acted on)."""
        s = self._session
        if s.matcher is None or s.scanning:
            return
        self.wanted = s.group_options()
        self._drop = self._drop or drop
        if self._search is not None:
            token, distance = self._search
            if search_needed(s.matcher, self.wanted.threshold) != distance:
                token.cancel()   # superseded: that search is not what the newest request needs
        if not s._jobs.get("regroup"):
            self._start(cause)

    def stop_search(self) -> bool:
        """Stop the running search further: the threshold goes back to what is searched (widening_stopped
        says which, for the slider) and the groups follow. False if none runs."""
        if self._search is None:
            return False
        self._stopped = True
        self._search[0].cancel()
        return True

    def cancel_search(self) -> None:
        """Stop the running search further without a word (a scan or new match options replace its pairs)."""
        if self._search is not None:
            self._search[0].cancel()

    def _start(self, cause: str) -> None:
        s = self._session
        options, self.wanted = self.wanted, None
        drop, self._drop = self._drop, False
        matcher, base, view, absent = s.matcher, s._base, s.view, s._absent
        if options is None and drop:
            options = s.group_options()
        if options is None or matcher is None or base is None:
            return
        # A search further always widens the base, so that the next action's matcher (the base without its
        # files) need not search again; the matcher shown is then the base without the absent files.
        distance = search_needed(matcher, options.threshold)
        from_base = drop or (distance is not None and matcher is not base)
        distance = search_needed(base, options.threshold) if from_base else distance
        # The marks' rows in the new library, found on the worker too (a pass over every path).
        marked = s.marks.paths | s.marks.parked_paths if drop else frozenset()
        token, started = CancelToken(), time.monotonic()
        if distance is not None:
            self._search, self._stopped = (token, distance), False
            s.events.widening.emit(Widening(len(matcher.library), matcher.searched, distance, running=True))

        def run(_report: Report, cancel: CancelToken) -> _Done | None:
            try:
                if from_base:
                    wide_base = widened(base, options.threshold, cancel)
                    wider = wide_base.without(rows_of(wide_base.library, absent)) if absent else wide_base
                else:
                    wide_base, wider = None, widened(matcher, options.threshold, cancel)
            except (SearchCancelled, Cancelled):
                return None
            rows = rows_of(wider.library, marked) if marked else []
            return _Done(wide_base, wider, GroupView.of(wider.library, wider.groups(options), view), rows)

        def finished(result: _Done | None) -> None:
            stopped = self._stopped
            if distance is not None:
                self._search, self._stopped = None, False
                s.events.widening.emit(Widening(len(matcher.library), matcher.searched, distance, running=False,
                                                seconds=time.monotonic() - started, stopped=result is None))
            if result is None:   # stopped, or superseded by a newer request
                self._drop = self._drop or drop   # the files acted on still go, with the next job
                if stopped and s.matcher is not None:
                    s.options = replace(s.options, threshold=s.matcher.searched)
                    s.events.widening_stopped.emit(s.matcher.searched)
                    self.wanted = s.group_options()
                if self.wanted is not None or self._drop:
                    self._start(cause)
                return
            wide_base, wider, shown = result.base, result.matcher, result.shown
            if wide_base is not None:
                if base is s._base:   # else a scan, rematch or restore replaced the library meanwhile
                    s._base = wide_base
                    if absent == s._absent:   # else a newer action's job is waiting
                        s.matcher = wider
                        s.marks.found_in(wider.library, marked, result.marked_rows)
            elif wider is not matcher and matcher is s.matcher:   # keep the longer search, whatever comes next
                if s._base is matcher:
                    s._base = wider
                s.matcher = wider
            if self.wanted is not None or self._drop:
                self._start(cause)   # a newer request came in: this result is already stale
            elif wider is s.matcher:
                s._set_groups(shown, cause)
        s._submit(s._job("regroup", run, finished, "Grouping the images failed because of an unexpected error",
                         cancel=token))
