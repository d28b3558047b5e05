"""The results as shown: path filter, sorts, hiding groups with nothing removable, and the scope of a comparison."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from dupeview.core.grouping import GroupOptions, Matcher
from dupeview.core.result_view import GroupView, ViewOptions, view_order
from dupeview.core.scope import root_of, scope_mask
from tests.core.test_review import make_photos, scan_roots
from tests.images import photo, save


@pytest.fixture
def library(tmp_path: Path):
    root = make_photos(tmp_path / "photos")
    pictures, backup = root / "Pictures", root / "Backup 2019"
    shutil.copy(pictures / "img0.jpg", pictures / "img0 copy.jpg")          # a third copy, inside Pictures
    only_backup = photo(30, (320, 240))
    save(only_backup, backup / "2018" / "IMG_7.jpg", quality=92)           # two copies, both in the backup
    save(only_backup.resize((200, 150)), backup / "2018" / "IMG_7_small.jpg", quality=90)
    # A cropped copy: a few bits away, so groups differ in similarity.
    save(photo(12, (320, 240)).crop((10, 8, 310, 232)).resize((320, 240)), pictures / "img2 cropped.jpg", quality=92)
    roots = (str(pictures), str(backup))
    return scan_roots(pictures, backup), roots


def names(lib, groups) -> list[list[str]]:
    return [sorted(os.path.basename(lib.records[m.index].path) for m in g.members) for g in groups]


def shown(lib, groups, **kw) -> list[list[str]]:
    return names(lib, GroupView(groups, view_order(lib, groups, ViewOptions(**kw))))


def test_filter_by_path_text_in_any_case(library) -> None:
    lib, roots = library
    groups = Matcher(lib).groups(GroupOptions(reference_folders=(roots[1],)))
    assert len(groups) == 4
    assert shown(lib, groups, text="IMG1") == [["img1.jpg", "img1_small.jpg"]]
    assert shown(lib, groups, text="CROPPED") == [["img2 cropped.jpg", "img2.jpg", "img2_small.jpg"]]
    assert len(shown(lib, groups, text="backup 2019")) == 4
    assert shown(lib, groups, text="2018/") == [["IMG_7.jpg", "IMG_7_small.jpg"]]
    assert shown(lib, groups, text="  ") == names(lib, groups)
    assert shown(lib, groups, text="nowhere") == []


def test_sorts(library) -> None:
    lib, roots = library
    groups = Matcher(lib).groups(GroupOptions(reference_folders=(roots[1],)))
    assert shown(lib, groups, sort="reclaimable") == names(lib, groups)
    by_copies = shown(lib, groups, sort="copies")
    assert sorted(by_copies[:2]) == [["img0 copy.jpg", "img0.jpg", "img0_small.jpg"],
                                     ["img2 cropped.jpg", "img2.jpg", "img2_small.jpg"]]
    assert [len(g) for g in by_copies] == [3, 3, 2, 2]
    by_folder = GroupView(groups, view_order(lib, groups, ViewOptions(sort="folder")))
    keepers = [os.fsencode(lib.records[g.keeper.index].path) for g in by_folder]
    assert keepers == sorted(keepers)
    by_similarity = GroupView(groups, view_order(lib, groups, ViewOptions(sort="similarity")))
    worst = [max(m.distance for m in g.members) for g in by_similarity]
    assert worst == sorted(worst) and worst[-1] > 0
    assert sorted(os.path.basename(lib.records[m.index].path) for m in by_similarity[-1].members)[0] == "img2 cropped.jpg"
    with pytest.raises(ValueError, match="unknown sort"):
        ViewOptions(sort="colour")


def test_groups_with_nothing_removable_can_be_hidden(library) -> None:
    lib, roots = library
    groups = Matcher(lib).groups(GroupOptions(reference_folders=(roots[1],)))
    everything = shown(lib, groups)
    assert ["IMG_7.jpg", "IMG_7_small.jpg"] in everything      # all reference: "2 copies · 0 B"
    hidden = shown(lib, groups, hide_unremovable=True)
    assert ["IMG_7.jpg", "IMG_7_small.jpg"] not in hidden and len(hidden) == 3


def test_hard_links_alone_are_nothing_removable(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    save(photo(5), folder / "a.jpg", quality=90)
    os.link(folder / "a.jpg", folder / "a-link.jpg")
    save(photo(5).resize((160, 120)), folder / "b.jpg", quality=90)
    lib = scan_roots(folder)
    groups = Matcher(lib).groups(GroupOptions())
    assert len(groups) == 1
    assert shown(lib, groups, hide_unremovable=True) == names(lib, groups)   # b.jpg can go
    os.remove(folder / "b.jpg")
    lib = scan_roots(folder)
    assert len(Matcher(lib).groups(GroupOptions())) == 0    # one inode: no group at all


def test_group_view_rows_and_positions_agree(library) -> None:
    lib, roots = library
    groups = Matcher(lib).groups(GroupOptions(reference_folders=(roots[1],)))
    view = GroupView(groups, view_order(lib, groups, ViewOptions(sort="copies", text="img")))
    for row in range(len(view)):
        assert view.row_of(view.position(row)) == row
        assert view[row] == groups[view.position(row)]
    hidden = set(range(len(groups))) - {view.position(r) for r in range(len(view))}
    assert all(view.row_of(p) is None for p in hidden)
    assert groups.built() <= len(groups)


def test_scope_across_or_within_the_searched_folders(library) -> None:
    lib, roots = library
    matcher = Matcher(lib)
    across = matcher.groups(GroupOptions(roots=roots, scope="across"))
    assert sorted(names(lib, across)) == [["img0 copy.jpg", "img0.jpg", "img0_small.jpg"],
                                          ["img1.jpg", "img1_small.jpg"],
                                          ["img2 cropped.jpg", "img2.jpg", "img2_small.jpg"]]
    # Across: the two Pictures copies are joined only through the backup's copy, never compared directly.
    within = matcher.groups(GroupOptions(roots=roots, scope="within"))
    assert sorted(names(lib, within)) == [["IMG_7.jpg", "IMG_7_small.jpg"], ["img0 copy.jpg", "img0.jpg"],
                                          ["img2 cropped.jpg", "img2.jpg"]]
    assert matcher.groups(GroupOptions(roots=roots, scope="all")) == matcher.groups(GroupOptions())
    with pytest.raises(ValueError, match="unknown scope"):
        matcher.groups(GroupOptions(roots=roots, scope="sideways"))


def test_root_of_takes_the_deepest_folder() -> None:
    from dupeview.core.records import ImageRecord, Library

    recs = [ImageRecord(p, 1, 0, 0, 0, k, b"", 1, 1, "JPEG", None, None, 50.0)
            for k, p in enumerate(["/p/a.jpg", "/p/phone/b.jpg", "/q/c.jpg", "/pp/d.jpg"])]
    lib = Library(records=recs, hashes=np.zeros((4, 4, 8), np.uint64))
    assert root_of(lib, ["/p", "/p/phone/", "/q"]).tolist() == [0, 1, 2, -1]
    i, j = np.array([0, 0, 1]), np.array([1, 2, 2])
    r = np.array([0, 0, 1])
    assert scope_mask(i, j, r, "across").tolist() == [False, True, True]
    assert scope_mask(i, j, r, "within").tolist() == [True, False, False]


def _run(jobs: list) -> None:
    job = jobs.pop(0)
    job.finished(job.run(job.report, job.cancel))


def test_the_session_filters_and_sorts_off_its_thread_and_drops_stale_views(tmp_path):
    from dupeview.core.session import ReviewOptions, Session
    from tests.images import make_photos as make_photo_set

    photos = make_photo_set(tmp_path / "photos")
    jobs: list = []
    s = Session(cache_path=str(tmp_path / "c.sqlite3"), decisions_path=str(tmp_path / "d.sqlite3"),
                options=ReviewOptions(roots=(str(photos.root),), workers=0), runner=jobs.append)
    s.scan()
    _run(jobs)
    assert len(s.shown) == 3 and not s.shown.filtered
    causes: list[str] = []
    s.events.groups_changed.connect(lambda e: causes.append(e.cause))
    s.set_view(ViewOptions(text="img_1"))
    assert len(s.shown) == 3 and [j.kind for j in jobs] == ["view"]   # nothing filtered until the job ran
    _run(jobs)
    assert causes == ["view"] and len(s.shown) == 1 and s.shown.filtered
    assert {os.path.basename(s.path(m)) for m in s.shown[0].members} == {"img_1.jpg", "img_1_copy.png", "img_1_small.jpg"}
    # A regroup keeps the filter; a filter asked for while a regroup runs is applied to its groups.
    s.set_threshold(2)
    s.set_view(ViewOptions(text="img_2"))
    assert [j.kind for j in jobs] == ["regroup", "view"]
    _run(jobs)                      # the regroup: made with the old filter, so a new view follows it
    assert causes[-1] == "regroup" and [j.kind for j in jobs] == ["view", "view"]
    _run(jobs)                      # the view asked for on the old groups: stale, dropped
    assert causes[-1] == "regroup"
    _run(jobs)
    assert causes[-1] == "view" and s.shown.groups is s.groups and s.shown.options.text == "img_2"
    assert [os.path.basename(s.path(g.keeper)) for g in s.shown] == ["img_2.jpg"]


def test_scope_is_an_option_of_the_review_and_survives_its_json_form():
    from dupeview.core.session import ReviewOptions

    o = ReviewOptions(roots=("/a", "/b"), scope="across")
    assert o.group_options(frozenset()).scope == "across" and o.group_options(frozenset()).roots == ("/a", "/b")
    assert ReviewOptions.from_dict(o.to_dict(), o.roots, ()).scope == "across"
    with pytest.raises(ValueError, match="scope"):
        ReviewOptions.from_dict({**o.to_dict(), "scope": "sideways"}, o.roots, ())


def test_marks_on_files_a_regroup_leaves_out_come_back_with_them(tmp_path):
    import dataclasses

    from dupeview.core.review_store import read_review_file, write_review_file
    from dupeview.core.session import ReviewOptions, Session

    lib, backup = tmp_path / "Pictures", tmp_path / "Backup"
    save(photo(61), lib / "a.jpg", quality=95)
    save(photo(61), lib / "edits" / "a.png")          # a pair inside Pictures
    save(photo(62), lib / "b.jpg", quality=95)
    save(photo(62), backup / "b.png")                  # a pair across both
    s = Session(cache_path=str(tmp_path / "c.sqlite3"), decisions_path=str(tmp_path / "d.sqlite3"),
                options=ReviewOptions(roots=(str(lib), str(backup)), workers=0))
    s.start()
    s.scan()
    inside = str(lib / "edits" / "a.png")
    [member] = [m for g in s.groups for m in g.members if s.path(m) == inside]
    assert s.mark(member, True) is None and len(s.marks) == 1
    s.set_options(dataclasses.replace(s.options, scope="across"))     # a look at the backup only
    assert len(s.groups) == 1 and len(s.marks) == 0                    # hidden: not shown, not counted…
    assert s.plan().paths == ()                                        # …and never acted on
    review = tmp_path / "r.dupeview-review"
    write_review_file(review, s.snapshot())
    assert read_review_file(review).marks == {inside}                  # a saved review keeps it
    s.set_options(dataclasses.replace(s.options, scope="all"))
    assert len(s.groups) == 2 and s.marks.paths == {inside}            # back with its group
    s.set_options(dataclasses.replace(s.options, scope="across"))
    s.clear_marks()                                                    # cleared while hidden: gone for good
    s.set_options(dataclasses.replace(s.options, scope="all"))
    assert len(s.marks) == 0
