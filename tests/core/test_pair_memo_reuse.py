"""The app's rematch and restore and a review's `apply` take the scan's remembered pairs: the same groups, no search."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dupeview.core import pair_memo
from dupeview.core.grouping import MatchOptions
from dupeview.core.review_apply import review_targets
from dupeview.core.session import ReviewOptions, Session
from tests.images import make_photos


def make_session(tmp_path: Path, roots: list[Path]) -> Session:
    s = Session(cache_path=str(tmp_path / "cache.sqlite3"), decisions_path=str(tmp_path / "data" / "decisions.sqlite3"),
                action_log_path=str(tmp_path / "data" / "actions.jsonl"),
                options=ReviewOptions(roots=tuple(str(r) for r in roots), workers=0))
    s.start()
    return s


def group_paths(s: Session) -> list[set[str]]:
    return [{s.path(m) for m in g.members} for g in s.groups]


def test_a_rematch_back_to_the_scan_s_options_searches_nothing(tmp_path: Path) -> None:
    photos = make_photos(tmp_path / "photos")
    s = make_session(tmp_path, [photos.root])
    assert s.scan()
    assert s.matcher is not None and s.matcher.pairs_from == "search"
    scanned, groups = s.matcher, group_paths(s)
    s.set_options(dataclasses.replace(s.options, match=MatchOptions("phash", True)))  # rotations: other settings
    assert s.matcher is not scanned and s.matcher.pairs_from == "search"
    s.set_options(dataclasses.replace(s.options, match=MatchOptions("phash", False)))
    assert s.matcher.pairs_from == "memo"
    assert s.matcher.i.tolist() == scanned.i.tolist() and s.matcher.j.tolist() == scanned.j.tolist()
    assert s.matcher.distance.tolist() == scanned.distance.tolist() and group_paths(s) == groups


def test_a_restored_review_and_its_apply_take_the_remembered_pairs(tmp_path: Path) -> None:
    photos = make_photos(tmp_path / "photos")
    s = make_session(tmp_path, [photos.root])
    assert s.scan()
    s.auto_mark()
    state = s.snapshot()
    assert state is not None
    other = make_session(tmp_path, [])
    other.restore(state)
    assert other.matcher is not None and other.matcher.pairs_from == "memo"
    assert group_paths(other) == group_paths(s)

    memo = pair_memo.beside(tmp_path / "cache.sqlite3", state.roots)
    assert memo is not None
    with_memo = review_targets(state, memo)
    assert memo.answered_by is not None and memo.answered_by.parent == tmp_path / "cache.sqlite3.pairs"
    searched = review_targets(state)
    assert with_memo == searched and len(with_memo.groups) == 3
    # Without a memo of these settings (another cache), the review is searched as before: the same groups.
    elsewhere = pair_memo.beside(tmp_path / "elsewhere.sqlite3", state.roots)
    assert review_targets(state, elsewhere) == searched and elsewhere is not None and elsewhere.answered_by is None


def test_the_app_scanning_two_libraries_in_turn_keeps_both_memos(tmp_path: Path) -> None:
    one, two = make_photos(tmp_path / "one"), make_photos(tmp_path / "two", seed=50)
    s = make_session(tmp_path, [one.root])
    seen = []
    for root in (one.root, two.root, one.root, two.root):
        s.set_options(dataclasses.replace(s.options, roots=(str(root),)))
        assert s.scan()
        assert s.matcher is not None
        seen.append(s.matcher.pairs_from)
    assert seen == ["search", "search", "memo", "memo"]
    assert len(list((tmp_path / "cache.sqlite3.pairs").glob("pairs-*.npz"))) == 2
