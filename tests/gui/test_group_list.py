"""The group list at scale: a changed row is repainted, not a reason to lay out every row again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex

from dupeview.core.grouping import GroupList
from dupeview.core.marks import Marks
from dupeview.core.records import ImageRecord, Library
from dupeview.gui.group_model import GroupDelegate, GroupListView, GroupModel
from dupeview.gui.thumbnails import ThumbnailLoader

GROUPS = 3000


class CountingModel(GroupModel):
    """The real model, counting how often a view asks for its size (Qt does so about twice per row it lays out)."""

    calls = 0

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        CountingModel.calls += 1
        return super().rowCount(parent)


def _library(tmp_path: Path) -> tuple[Library, GroupList]:
    records = [ImageRecord(str(tmp_path / f"{k // 2:05d}" / f"{'ab'[k % 2]}.jpg"), 1000 + k, 0, 0, 1, k + 1,
                           bytes(16), 64, 48, "JPEG", None, None, 30.0) for k in range(2 * GROUPS)]
    n = len(records)
    groups = GroupList(offsets=np.arange(0, n + 1, 2, dtype=np.int64), reclaimable=np.full(GROUPS, 1000, np.int64),
                       index=np.arange(n, dtype=np.int64), distance=np.zeros(n, np.uint8), identical=np.zeros(n, bool),
                       reference=np.zeros(n, bool), hardlink=np.zeros(n, bool), suggested=np.tile([False, True], GROUPS))
    return Library(records=records), groups


def _shown(qtbot, tmp_path: Path, model_type: type[GroupModel], groups_first: bool):
    """A shown list of GROUPS groups: the groups set before the view is shown, or just after."""
    library, groups = _library(tmp_path)
    loader = ThumbnailLoader()
    marks = Marks()
    marks.restore(library, ())
    marks.attach(library, groups)
    model = model_type(loader, marks)
    view = GroupListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegate(GroupDelegate(view))
    view.resize(300, 600)
    if groups_first:
        model.set_groups(library, groups)
    view.show()
    qtbot.waitExposed(view)
    if not groups_first:
        model.set_groups(library, groups)
    return model, view, loader


def test_a_changed_row_costs_the_same_with_thousands_of_groups(qtbot, tmp_path: Path) -> None:
    model, view, loader = _shown(qtbot, tmp_path, CountingModel, groups_first=True)
    # New rows are laid out in batches between events: let them finish before counting.
    settled = [-1]

    def laid_out() -> bool:
        done, settled[0] = CountingModel.calls == settled[0], CountingModel.calls
        return done

    qtbot.waitUntil(laid_out, timeout=5000)

    CountingModel.calls = 0
    model.marks_changed([5])          # one group's marks changed (a key press on a card)
    model.marks_changed(None)         # every group's (auto-mark)
    qtbot.wait(50)
    # Laying the list out again would ask about twice per row: 12,000 calls here.
    assert CountingModel.calls < GROUPS // 4, CountingModel.calls
    # The rows are still where they were, and the changed one is drawn from the model again.
    assert view.indexAt(view.visualRect(model.index(3)).center()).row() == 3
    loader.shutdown()


def test_a_far_row_is_brought_into_view_after_new_groups(qtbot, tmp_path: Path) -> None:
    # New groups are laid out in batches; asking for row 2,900 at once must still end with it in view.
    model, view, loader = _shown(qtbot, tmp_path, GroupModel, groups_first=False)
    far = model.index(GROUPS - 100)
    view.setCurrentIndex(far)
    view.scrollTo(far)
    qtbot.waitUntil(lambda: view.viewport().rect().intersects(view.visualRect(far)), timeout=5000)
    assert view.currentIndex().row() == GROUPS - 100
    loader.shutdown()
