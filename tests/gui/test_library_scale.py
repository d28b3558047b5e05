"""What keeps the window cheap on a million-file library, on a real window: a closed window frees its library,
pairs are searched only as far as the slider asks (further on the worker, the old matcher untouched), and the
lookups by path cover the groups' members, not every file."""

from __future__ import annotations

import gc
import weakref

from dupeview.core import result_view, session_match
from dupeview.core.result_view import ViewOptions
from tests.gui.conftest import scanned_at, settled, waiting
from tests.images import save


def _member_paths(w) -> set[str]:
    paths = w.session.library.table.paths
    return {paths[k] for k in w.session.groups.indices.tolist()}


def _with_singles(photos, n: int = 12) -> None:
    """Files in no group beside the photos' groups: an index of every path would hold them too."""
    from PIL import Image

    for k in range(n):
        img = Image.new("RGB", (96, 64), ((k * 53) % 256, (k * 97) % 256, (k * 31) % 256))
        for x in range(0, 96, 8):   # a pattern of its own, so no two are alike
            img.paste(((k * x) % 256, x * 2, 255 - x), (x, (k * 5) % 48, x + 4, 64))
        save(img, photos.root / "singles" / f"single_{k}.png")


def test_a_closed_window_frees_its_library(qtbot, window_factory, photos):
    w = window_factory([photos.root])
    w.show()
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    w.results.bar.filter.setText("img")   # the filter's folded paths are kept per library too
    qtbot.waitUntil(lambda: w.session.shown.filtered or len(w.session.shown) == len(w.session.groups), timeout=10_000)
    settled(qtbot, w)
    assert len(w.session.groups) > 0
    library = weakref.ref(w.session.library)
    matcher = weakref.ref(w.session.matcher)
    w.close()
    qtbot.wait(10)
    gc.collect()
    # The window object itself lives on (its Qt connections hold it); what it showed must not.
    assert library() is None, "the closed window still holds its library"
    assert matcher() is None
    assert not w.session.has_results and len(w.session.groups) == 0


def test_a_small_library_is_searched_as_far_as_the_slider_reaches_at_once(qtbot, window_factory, photos):
    w = window_factory([photos.root])
    scanned_at(qtbot, w, 0)
    s = w.session
    first = s.matcher
    assert first.searched == first.options.max_distance > s.options.threshold
    assert s.row_of(str(photos.edited)) is None
    s.set_threshold(first.options.max_distance)   # a looser slider only regroups: no search, no new matcher
    settled(qtbot, w)
    assert s.matcher is first and s.row_of(str(photos.edited)) is not None


def test_pairs_are_searched_to_the_threshold_then_further_on_the_worker(qtbot, window_factory, photos, monkeypatch):
    monkeypatch.setattr(session_match, "UPFRONT_FILES", 0)   # as for a library of more files than that
    w = window_factory([photos.root])
    scanned_at(qtbot, w, 0)   # stricter than the 3-degree edit (2 away, through its straightened views)
    s = w.session
    first = s.matcher
    assert first.searched == s.options.threshold < first.options.max_distance
    edited = str(photos.edited)
    assert s.row_of(edited) is None
    s.set_threshold(first.options.max_distance)
    assert s.matcher is first   # the search runs on the worker: its matcher comes in a later turn
    settled(qtbot, w)
    assert s.matcher is not first and s.matcher.searched == first.options.max_distance
    assert first.searched < first.options.max_distance, "the matcher the window read was changed under it"
    assert s.row_of(edited) is not None
    # Back to strict: the wider search is kept, nothing is searched again.
    wider = s.matcher
    s.set_threshold(0)
    settled(qtbot, w)
    assert s.matcher is wider and s.row_of(edited) is None


def test_lookups_by_path_cover_the_group_members_only(qtbot, window_factory, photos):
    _with_singles(photos)
    w = window_factory([photos.root])
    w.show()
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    s = w.session
    members = _member_paths(w)
    assert 0 < len(members) < len(s.library) - 10
    # The list's row of a file, a card's check box, the selection kept across a regroup: all by path.
    keeper = s.path(s.groups[0].keeper)
    assert w.results.group_model.row_of(keeper) is not None and keeper not in s.marks
    w.results.step(1)
    settled(qtbot, w)
    assert set(w.results.group_model._index_of_path()) == members
    assert set(s.marks._index_of()) == members
    single = str(photos.root / "singles" / "single_0.png")
    assert s.row_of(single) is None and single not in s.marks and w.results.group_model.row_of(single) is None
    # The filter folds the members' paths, not the library's.
    s.set_view(ViewOptions(text="IMG_0"))
    settled(qtbot, w)
    assert 0 < len(s.shown) < len(s.groups)
    folded = result_view._folded[0]
    assert folded.library() is s.library
    assert {s.library.table.paths[k] for k in folded.folded} <= members
