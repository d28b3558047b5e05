"""Regroups on the worker, with jobs run when the test says: a search further reports that it runs, a newer
request supersedes it, Stop sets the threshold back, and an action's matcher is made in the job, not before."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from dupeview.core import session_match
from dupeview.core.jobs import Job
from dupeview.core.session import ReviewOptions, Session
from dupeview.core.session_types import Widening
from tests.images import make_photos


class Queue:
    """A runner that keeps the jobs until run() (the GUI's worker, step by step)."""

    def __init__(self) -> None:
        self.jobs: list[Job[Any]] = []

    def __call__(self, job: Job[Any]) -> None:
        self.jobs.append(job)

    def kinds(self) -> list[str]:
        return [j.kind for j in self.jobs]

    def run(self) -> None:
        while self.jobs:
            job = self.jobs.pop(0)
            try:
                result = job.run(job.report, job.cancel)
            except Exception as exc:  # noqa: BLE001 - as the GUI's worker does: the job reports it
                job.failed(exc)
            else:
                job.finished(result)


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Session, Queue, Any]:
    # As for a big library: the first search goes to the threshold only.
    monkeypatch.setattr(session_match, "UPFRONT_FILES", 0)
    photos = make_photos(tmp_path / "photos")
    queue = Queue()
    s = Session(cache_path=str(tmp_path / "cache.sqlite3"), decisions_path=str(tmp_path / "d.sqlite3"),
                action_log_path=str(tmp_path / "actions.jsonl"),
                options=ReviewOptions(roots=(str(photos.root),), workers=0, threshold=0), runner=queue)
    s.start()
    assert s.scan()
    queue.run()
    assert s.matcher is not None and s.matcher.searched == 0
    return s, queue, photos


def events(s: Session) -> tuple[list[Widening], list[int]]:
    widening: list[Widening] = []
    stopped: list[int] = []
    s.events.widening.connect(widening.append)
    s.events.widening_stopped.connect(stopped.append)
    return widening, stopped


def group_paths(s: Session) -> list[set[str]]:
    return sorted(({s.path(m) for m in g.members} for g in s.groups), key=sorted)


def grouped_at(tmp_path: Path, photos: Any, threshold: int) -> list[set[str]]:
    """The groups of a fresh session searched to `threshold` at once."""
    fresh = Session(cache_path=str(tmp_path / "cache.sqlite3"), decisions_path=str(tmp_path / "d2.sqlite3"),
                    options=ReviewOptions(roots=(str(photos.root),), workers=0, threshold=threshold))
    fresh.start()
    assert fresh.scan()
    return group_paths(fresh)


def test_a_looser_threshold_searches_further_in_the_job_and_says_so(session, tmp_path) -> None:
    s, queue, photos = session
    widening, stopped = events(s)
    s.set_threshold(12)
    assert queue.kinds() == ["regroup"] and s.matcher.searched == 0   # nothing searched on this thread
    assert [w.running for w in widening] == [True] and widening[0].distance == 12 and widening[0].searched == 0
    queue.run()
    assert [w.running for w in widening] == [True, False] and not widening[1].stopped and not stopped
    assert s.matcher.searched == 12 and group_paths(s) == grouped_at(tmp_path, photos, 12)
    s.set_threshold(4)   # all searched: no search, no notice
    queue.run()
    assert len(widening) == 2 and group_paths(s) == grouped_at(tmp_path, photos, 4)


def test_a_newer_request_that_needs_no_search_supersedes_the_search(session, tmp_path) -> None:
    s, queue, photos = session
    widening, stopped = events(s)
    s.set_threshold(12)
    s.set_threshold(0)   # back before the search ran: it is stopped, not waited for
    assert queue.jobs[0].cancel.cancelled
    queue.run()
    assert [(w.running, w.stopped) for w in widening] == [(True, False), (False, True)] and not stopped
    assert s.matcher.searched == 0 and s.options.threshold == 0
    assert group_paths(s) == grouped_at(tmp_path, photos, 0)


def test_a_newer_request_for_the_same_search_lets_it_run(session) -> None:
    s, queue, _ = session
    s.set_threshold(12)
    s.set_options(dataclasses.replace(s.options, scope="across"))   # a regroup that needs the same pairs
    assert not queue.jobs[0].cancel.cancelled
    queue.run()
    assert s.matcher.searched == 12 and s.options.scope == "across"


def test_a_scan_or_new_match_options_stop_the_search_further(session) -> None:
    s, queue, _ = session
    widening, stopped = events(s)
    s.set_threshold(12)
    assert s.scan()
    assert queue.kinds() == ["regroup", "scan"] and queue.jobs[0].cancel.cancelled
    queue.run()
    assert not stopped and widening[-1].stopped and s.options.threshold == 12
    assert s.matcher.searched == 12   # the new scan searched to its own threshold


def test_new_match_options_stop_the_search_further(session) -> None:
    s, queue, _ = session
    widening, stopped = events(s)
    s.set_threshold(12)
    s.set_options(dataclasses.replace(s.options, match=dataclasses.replace(s.options.match, rotations=True)))
    assert queue.kinds()[:2] == ["regroup", "match"] and queue.jobs[0].cancel.cancelled
    queue.run()
    assert s.matcher.options.rotations and not stopped and widening[1].stopped


def test_stop_sets_the_threshold_back_to_what_is_searched(session, tmp_path) -> None:
    s, queue, photos = session
    widening, stopped = events(s)
    assert not s.stop_search()   # nothing runs
    s.set_threshold(12)
    assert s.stop_search()
    queue.run()
    assert stopped == [0] and s.options.threshold == 0 and widening[-1].stopped
    assert s.matcher.searched == 0 and group_paths(s) == grouped_at(tmp_path, photos, 0)


def act(s: Session, queue: Queue) -> tuple[str, ...]:
    """Trash the auto-marked files of the first group; run the action job only."""
    s.marks.set(s.groups[0].members[-1], True)
    plan = s.plan("trash")
    assert plan.paths and s.apply(plan)
    action = queue.jobs.pop(0)
    assert action.kind == "action"
    action.finished(action.run(action.report, action.cancel))
    return plan.paths


def test_an_action_s_matcher_is_made_in_the_job_and_a_search_further_widens_the_base(session, tmp_path) -> None:
    s, queue, photos = session
    widening, _ = events(s)
    gone = act(s, queue)
    # The action is done: the matcher without its files is the job's to make, not this thread's.
    assert queue.kinds() == ["regroup"] and all(p in s.library.table.paths for p in gone)
    queue.run()
    assert not any(p in s.library.table.paths for p in gone) and not widening
    assert all(not (g & set(gone)) for g in group_paths(s))
    # Looser after the action: the base (every file) is searched further, then the files acted on dropped.
    s.set_threshold(12)
    queue.run()
    assert s.matcher.searched == 12 and s._base is not None and s._base.searched == 12
    assert not any(p in s.library.table.paths for p in gone) and len(widening) == 2
    # So the next action's matcher needs no search.
    more = act(s, queue)
    queue.run()
    assert len(widening) == 2 and s.matcher.searched == 12
    assert not any(p in s.library.table.paths for p in gone + more)
    paths = set(s.library.table.paths)
    assert group_paths(s) == [g & paths for g in grouped_at(tmp_path, photos, 12) if len(g & paths) > 1]


def test_marks_elsewhere_follow_an_action_by_the_rows_the_job_found(session, monkeypatch) -> None:
    s, queue, _ = session
    s.set_threshold(12)
    queue.run()
    s.marks.set(s.groups[0].members[-1], True)
    plan = s.plan("trash")   # that file only; the marks below stay
    others = [g.members[-1] for g in list(s.groups)[1:]]
    for m in others:
        s.marks.set(m, True)
    still = {s.path(m) for m in others}
    assert still and plan.paths and not (still & set(plan.paths))
    assert s.apply(plan)
    action = queue.jobs.pop(0)
    action.finished(action.run(action.report, action.cancel))
    from dupeview.core import marks as marks_module
    walks = []
    real = marks_module.rows_of
    monkeypatch.setattr(marks_module, "rows_of", lambda lib, paths: walks.append(len(lib)) or real(lib, paths))
    queue.run()
    assert not walks   # no pass over every path on this thread: the job's rows were taken
    assert not any(p in s.library.table.paths for p in plan.paths)
    assert s.marks.paths == still
    assert all(s.marks.is_marked(s.library.table.paths.index(p)) for p in still)
