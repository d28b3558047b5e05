"""The app holds the fingerprints of the algorithm it compares by (and pHash) only: saving the review, showing
cards and stepping groups load no other; choosing another loads that one, from the real cache file, on the
worker thread; the saved review says which ones it lacks, and a restart reads them from the cache again."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from dupeview.core import decode
from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.review_store import ReviewStore
from tests.gui.conftest import settled, waiting
from tests.gui.test_review_flow import group_paths, restarted


def _codes_as_decoded(paths: list[str], algorithm: str) -> np.ndarray:
    a = ALGORITHMS.index(algorithm)
    return np.stack([np.frombuffer(decode.analyse(p).hashes, "<u8").reshape(len(ALGORITHMS), -1)[a]
                     for p in paths])


def test_only_the_compared_algorithm_is_loaded_and_another_loads_off_the_gui_thread(qtbot, window_factory, photos):
    w = window_factory([photos.root])
    w.show()
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    lib = w.session.library
    assert w.settings.algorithm == "phash"
    others = frozenset(ALGORITHMS) - {"phash"}
    assert lib.pending == others and lib.loader is not None
    # What the GUI thread does with a review: save it, show each group's cards, step through them.
    w.review.save_now()
    assert w.review.saver.flush(timeout=30)
    for _ in range(len(w.session.groups)):
        w.step_group(1)
        qtbot.wait(20)
    assert lib.pending == others            # nothing read the other algorithms' codes

    real, loaded_on = lib.loader, []

    def watched(table, algorithm):          # the real cache reader, told which thread asks
        loaded_on.append((algorithm, threading.current_thread()))
        return real(table, algorithm)
    lib.loader = watched
    with waiting(qtbot, w.session.events.groups_changed):
        w.similarity.algorithm.setCurrentIndex(w.similarity.algorithm.findData("dhash"))
    settled(qtbot, w)
    assert [a for a, _ in loaded_on] == ["dhash"]
    assert all(t is not threading.main_thread() for _, t in loaded_on)
    assert lib.pending == others - {"dhash"}
    paths = list(lib.table.paths)
    assert (lib.codes("dhash") == _codes_as_decoded(paths, "dhash")).all()
    assert w.session.groups, "the photos have copies by dHash too"

    # The saved review holds pHash and dHash, and says the other two are to be read from the cache.
    w.review.save_now()
    assert w.review.saver.flush(timeout=30)
    saved = ReviewStore(w.review.store.path).load()
    assert saved is not None and saved.scan is not None
    assert saved.scan.pending == others - {"dhash"}
    groups = group_paths(w)
    w.close()

    again = restarted(qtbot, window_factory)
    back = again.session.library
    assert back.pending == others - {"dhash"} and back.loader is not None
    assert group_paths(again) == groups
    assert (back.codes("whash") == _codes_as_decoded(list(back.table.paths), "whash")).all()


def test_a_review_without_some_algorithms_needs_something_to_read_them(qtbot, window_factory, photos):
    w = window_factory([photos.root])
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    state = w.session.snapshot()
    assert state is not None and state.scan is not None and state.scan.pending
    with pytest.raises(ValueError, match="fingerprints"):
        state.scan.to_library()
