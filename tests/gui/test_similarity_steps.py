"""The similarity slider moves by the core's named steps: every stop a different even pHash distance, shown by name
and %; the threshold the settings and the CLI store stays a distance, odd ones included; regrouping is the Session's."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QAccessible

from dupeview.core import verify
from dupeview.core.grouping import DEFAULT_MAX_DISTANCE
from dupeview.gui.similarity import STEPS, SimilarityControl, step_text
from tests.gui.conftest import settled, waiting


def test_the_stops_are_the_core_steps_each_a_different_even_distance() -> None:
    distances = [d for d, _name in STEPS]
    assert [name for _d, name in STEPS] == [name for name, _d in verify.STEPS]
    assert distances == sorted(set(distances)) and distances[0] == 0 and distances[-1] == DEFAULT_MAX_DISTANCE
    assert all(d % 2 == 0 for d in distances)   # pHash distances are even: an odd stop would group as the one below
    assert step_text(8) == "Similar" and step_text(0) == "Identical"


def test_pairs_are_even_apart_so_no_stop_is_wasted(scanned) -> None:
    codes = scanned.session.library.codes("phash")[:, 0]
    d = np.bitwise_count(codes[:, None] ^ codes[None, :])
    assert (d % 2 == 0).all()


def test_each_stop_regroups_through_the_session(qtbot, scanned) -> None:
    w = scanned
    seen = []
    for stop, (distance, _name) in enumerate(STEPS):
        if stop == w.similarity.slider.value():
            continue
        with waiting(qtbot, w.session.events.groups_changed, timeout=10_000):
            w.similarity.slider.setValue(stop)
        settled(qtbot, w)
        assert w.session.options.threshold == distance
        assert w.session.groups == w.session.matcher.groups(w.session.group_options())
        seen.append(sorted(len(g.members) for g in w.session.groups))
    # On these photos the turned edit joins its group at "Similar" (8) and not below: the stops group differently.
    assert len({tuple(s) for s in seen}) >= 2
    qtbot.waitUntil(lambda: w.store.load().threshold == STEPS[-1][0], timeout=10_000)


def test_an_odd_saved_threshold_is_kept_until_the_slider_moves(qtbot) -> None:
    control = SimilarityControl(5, "phash", False)
    qtbot.addWidget(control)
    got: list[int] = []
    control.threshold_changed.connect(got.append)
    assert control.threshold == 5 and control.slider.value() == 2 and got == []
    assert control.value_label.text() == "Very close"
    control.slider.setValue(3)
    assert got == [6] and control.threshold == 6
    control.set_threshold(7)             # an opened review's threshold: one signal, the distance as it is
    assert got == [6, 7] and control.slider.value() == 3
    control.set_threshold(99)
    assert got[-1] == DEFAULT_MAX_DISTANCE and control.slider.value() == len(STEPS) - 1


def test_the_slider_says_its_step_to_a_screen_reader(qtbot) -> None:
    control = SimilarityControl(8, "phash", False)
    qtbot.addWidget(control)
    face = QAccessible.queryAccessibleInterface(control.slider)
    assert face.text(QAccessible.Text.Name) == "Similarity threshold"
    assert face.text(QAccessible.Text.Description).startswith("Similar: fingerprints at most 8 of 64 bits apart")
    control.slider.setValue(0)
    assert face.text(QAccessible.Text.Description).startswith("Identical: fingerprints at most 0 of 64 bits apart")
