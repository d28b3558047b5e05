"""The review's logic without Qt: a Session on real files, a real cache, a real trash and a real decisions store."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import pytest

from dupeview.core.marks import LAST_COPY_REFUSAL, REFERENCE_REFUSAL, file_ids
from dupeview.core.session import ReviewOptions, Session
from tests.images import make_photos


class Recorder:
    """Every event a session emits, in order, as (name, value)."""

    def __init__(self, session: Session) -> None:
        self.seen: list[tuple[str, object]] = []
        for f in dataclasses.fields(session.events):
            getattr(session.events, f.name).connect(lambda v, n=f.name: self.seen.append((n, v)))

    def names(self) -> list[str]:
        return [n for n, _ in self.seen if n not in ("busy_changed", "scan_progressed", "action_progressed")]

    def last(self, name: str) -> object:
        return [v for n, v in self.seen if n == name][-1]


def make_session(tmp_path: Path, roots: list[Path], **options: object) -> Session:
    s = Session(cache_path=str(tmp_path / "cache.sqlite3"), decisions_path=str(tmp_path / "data" / "decisions.sqlite3"),
                action_log_path=str(tmp_path / "data" / "actions.jsonl"),
                options=ReviewOptions(roots=tuple(str(r) for r in roots), workers=0, **options))  # type: ignore[arg-type]
    s.start()
    return s


def group_paths(s: Session) -> list[set[str]]:
    return [{s.path(m) for m in g.members} for g in s.groups]


@pytest.fixture
def photos(tmp_path: Path):
    return make_photos(tmp_path / "photos")


@pytest.fixture
def scanned(tmp_path: Path, photos) -> Session:
    s = make_session(tmp_path, [photos.root])
    assert s.scan()
    return s


def test_a_scan_reports_its_groups_in_order(tmp_path, photos):
    s = make_session(tmp_path, [photos.root])
    events = Recorder(s)
    s.scan()
    assert events.names()[:3] == ["scan_started", "groups_changed", "scanned"]
    assert not s.scanning and not s.busy and s.has_results
    expected = [sorted(str(p) for p in g) for g in photos.groups]
    expected[0] = sorted(expected[0] + [str(photos.edited)])
    assert sorted(sorted(g) for g in group_paths(s)) == sorted(expected)
    assert events.last("scanned").groups == 3


def test_threshold_regroups_from_the_stored_pairs(scanned, photos):
    s = scanned
    base = s.matcher
    s.set_threshold(0)
    assert s.matcher is base   # no new pair search
    assert str(photos.edited) not in {p for g in group_paths(s) for p in g}
    s.set_threshold(8)
    assert str(photos.edited) in {p for g in group_paths(s) for p in g}


def test_only_the_newest_of_quick_regroups_is_shown(tmp_path, photos):
    jobs = []
    s = Session(cache_path=str(tmp_path / "c.sqlite3"), decisions_path=str(tmp_path / "d.sqlite3"),
                options=ReviewOptions(roots=(str(photos.root),), workers=0), runner=jobs.append)
    s.scan()
    job = jobs.pop()
    job.finished(job.run(job.report, job.cancel))
    shown = []
    s.events.groups_changed.connect(lambda e: shown.append(len(e.groups)))
    for t in (0, 2, 4, 8):
        s.set_threshold(t)
    assert len(jobs) == 1   # one regroup in flight, the others coalesced into one wanted
    first = jobs.pop()
    first.finished(first.run(first.report, first.cancel))
    assert shown == [] and len(jobs) == 1  # stale: a newer one was started instead
    newest = jobs.pop()
    newest.finished(newest.run(newest.report, newest.cancel))
    assert len(shown) == 1 and s.groups == s.matcher.groups(s.group_options())


def test_marks_obey_the_rules(scanned):
    s = scanned
    g = s.groups[0]
    refusals = [s.mark(m, True) for m in g.members]
    assert refusals[:-1] == [None] * (len(g.members) - 1)
    assert refusals[-1] == LAST_COPY_REFUSAL
    assert s.marks.marked_in(0) == len(g.members) - 1
    s.keep_only(g.members[-1])
    assert s.path(g.members[-1]) not in s.marks and s.marks.marked_in(0) == len(g.members) - 1
    s.clear_marks()
    assert len(s.marks) == 0 and s.marks.total_bytes() == 0


def test_auto_mark_keeps_the_best_copy_and_counts_the_bytes(scanned):
    s = scanned
    n = s.auto_mark()
    assert n == sum(len(g.members) - 1 for g in s.groups)
    assert all(s.path(g.keeper) not in s.marks for g in s.groups)
    assert s.marks.total_bytes() == sum(g.reclaimable for g in s.groups)
    plan = s.plan()
    assert set(plan.paths) == set(s.marks.paths) and plan.total_bytes == s.marks.total_bytes()
    assert plan.kind == "trash" and not plan.refused


def test_reference_files_are_never_marked(tmp_path, photos):
    roots = [photos.root / d for d in ("camera", "backup", "web", "edits")]
    s = make_session(tmp_path, roots, reference_folders=(str(photos.root / "backup"),))
    s.scan()
    s.auto_mark()
    for g in s.groups:
        assert "/backup/" in s.path(g.keeper)
        ref = next(m for m in g.members if m.reference)
        assert s.mark(ref, True) == REFERENCE_REFUSAL
    assert not any("/backup/" in p for p in s.marks.paths)


def test_hard_links_of_a_kept_file_free_nothing(tmp_path, photos):
    keeper = photos.groups[0][0]
    link = keeper.parent / "linked.jpg"
    os.link(keeper, link)
    s = make_session(tmp_path, [photos.root])
    s.scan()
    row = s.row_of(str(link))
    g = s.groups[row]
    linked = next(m for m in g.members if s.path(m) == str(link))
    assert s.mark(linked, True) is None
    assert s.marks.total_bytes() == 0    # the same data stays on disk under the kept name
    # One id per real file, made once per library (a regroup only indexes it).
    ids = file_ids(s.library).tolist()
    recs = s.library.records
    for a in range(len(recs)):
        for b in range(len(recs)):
            assert (ids[a] == ids[b]) == ((recs[a].dev, recs[a].ino) == (recs[b].dev, recs[b].ino))


def test_marks_survive_a_regroup_but_one_copy_stays(scanned, photos):
    s = scanned
    s.auto_mark()
    before = set(s.marks.paths)
    s.set_threshold(0)           # the edit leaves its group, becoming a group of one: no group
    assert set(s.marks.paths) == before - {str(photos.edited)}
    for row, g in enumerate(s.groups):
        assert s.marks.marked_in(row) < len(g.members)


@pytest.mark.skipif(sys.platform != "linux", reason="the freedesktop trash is Linux's")
def test_trash_and_undo_drop_and_restore_edges_without_a_new_search(scanned, photos, trash_dir, monkeypatch):
    from dupeview.core import grouping

    s = scanned
    events = Recorder(s)
    s.auto_mark()
    plan = s.plan()
    searches = []
    real = grouping.pair_search.similar_pairs
    monkeypatch.setattr(grouping.pair_search, "similar_pairs", lambda *a, **k: searches.append(1) or real(*a, **k))
    assert s.apply(plan)
    outcome = events.last("acted")
    assert outcome.done == frozenset(plan.paths) and not outcome.failed and outcome.undoable
    assert outcome.freed == plan.total_bytes
    assert all(not os.path.exists(p) for p in plan.paths)
    assert len(s.groups) == 0 and len(s.marks) == 0 and s.can_undo
    assert s.undo()
    undone = events.last("undone")
    assert undone.restored == frozenset(plan.paths) and not undone.unknown
    assert all(os.path.exists(p) for p in plan.paths)
    assert len(s.groups) == 3 and len(s.marks) == 0
    assert searches == []   # edges were dropped and put back, never searched again


def test_a_plan_refuses_to_remove_every_copy(scanned):
    s = scanned
    g = s.groups[0]
    s.marks._on[g.members[0].index] = True   # marks that break the rule, as a buggy caller might leave them
    for m in g.members[1:]:
        s.marks._on[m.index] = True
    plan = s.plan()
    assert set(plan.refused) == {s.path(m) for m in g.members}
    assert not set(plan.paths) & set(plan.refused)


def test_not_duplicates_are_kept_apart_from_the_cache(tmp_path, scanned, photos):
    s = scanned
    n = len(s.groups)
    gone = {s.path(m) for m in s.groups[0].members}
    s.dismiss_group(s.groups[0])
    assert len(s.groups) == n - 1
    assert not ({p for g in group_paths(s) for p in g} & gone)
    # The cache is disposable: deleting it keeps the decision.
    os.unlink(s.cache_path)
    again = make_session(tmp_path, [photos.root])
    again.scan()
    assert len(again.groups) == n - 1
    again.set_threshold(12)
    assert not ({p for g in group_paths(again) for p in g} & gone)


def test_not_a_duplicate_takes_one_member_out(scanned):
    s = scanned
    g = s.groups[0]
    path = s.dismiss_member(g, g.members[-1])
    assert path not in {p for gp in group_paths(s) for p in gp}
    assert len(s.groups) == 3


def test_a_snapshot_restores_the_review(tmp_path, scanned):
    from dupeview.core.review_store import ReviewStore

    s = scanned
    s.auto_mark()
    s.dismiss_member(s.groups[0], s.groups[0].members[-1])
    state = s.snapshot(selected=s.path(s.groups[1].keeper))
    # Through the real store, as a restart would: then into a Session that never scanned.
    with ReviewStore(tmp_path / "review.sqlite3") as store:
        store.save(state)
    with ReviewStore(tmp_path / "review.sqlite3") as store:
        back = store.load()
    other = make_session(tmp_path, [])
    events = Recorder(other)
    other.restore(back)
    assert events.last("groups_changed").cause == "restore"
    assert group_paths(other) == group_paths(s)
    assert other.marks.paths == s.marks.paths
    assert other.options == s.options
    assert other.dismissed >= s.dismissed and back.selected == state.selected


def test_options_survive_their_json_form():
    from dupeview.core.grouping import MatchOptions
    from dupeview.core.keeper import KeepPolicy

    o = ReviewOptions(roots=("/a", "/b"), reference_folders=("/b",), match=MatchOptions("dhash", True),
                      threshold=3, policy=KeepPolicy(rules=("size", "path")), only_with_reference=True, permanent=True)
    assert ReviewOptions.from_dict(o.to_dict(), o.roots, o.reference_folders) == o
    with pytest.raises(ValueError):
        ReviewOptions.from_dict({"match": {"algorithm": "nope"}}, (), ())


def test_a_failing_job_reports_in_words(tmp_path, photos):
    s = make_session(tmp_path, [photos.root])
    events = Recorder(s)
    s.cache_path = str(tmp_path / "no-such-dir" / "\0bad")   # sqlite cannot open a path with a NUL
    s.scan()
    assert "The scan stopped because of an unexpected error" in events.last("failed")
    assert not s.scanning and not s.busy
