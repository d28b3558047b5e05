"""Cards say where a copy lives: the searched folder's name, then the path inside it, never elided at the root."""

from __future__ import annotations

import shutil

from dupeview.core.locations import SEPARATOR
from dupeview.gui.group_view import folder_text
from tests.gui.conftest import settled, waiting


def test_cards_name_the_searched_folder_even_when_the_path_is_elided(qtbot, window_factory, photos):
    deep = photos.root / "backup" / ("a folder name far too long for a card " * 3).strip() / "and deeper"
    deep.mkdir(parents=True)
    shutil.copy(photos.groups[0][1], deep / "img_0_copy_again.png")
    w = window_factory([photos.root])
    w.show()
    w.resize(1024, 700)
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    # Show the group that holds the deep copy, and wait for all its cards.
    row = w.session.row_of(str(deep / "img_0_copy_again.png"))
    assert row is not None
    w.results.select_row(row)
    group = w.session.groups[row]
    qtbot.waitUntil(lambda: len(w.results.group_view.cards) == len(group.members), timeout=60_000)
    lines = [label.text() for card in w.results.group_view.cards
             for label in [card.values["folder"]] if card.text.location.startswith("photos")]
    assert len(lines) == len(group.members) >= 4
    assert all(line.startswith("photos" + SEPARATOR) for line in lines)
    elided = [line for line in lines if "…" in line]
    assert elided and elided[0].endswith("and deeper")     # the end of the path shows, and the root
    # The group list's line: root, folder inside it, then the kept copy's name.
    from dupeview.gui.group_model import SUBTITLE_ROLE
    model = w.results.group_model
    subtitles = [model.data(model.index(r), SUBTITLE_ROLE) for r in range(model.rowCount())]
    assert subtitles and all(t.startswith("photos" + SEPARATOR) and t.endswith((".jpg", ".png")) for t in subtitles)


def test_folder_text(tmp_path):
    roots = [str(tmp_path / "Pictures"), str(tmp_path / "Backup 2019")]
    assert folder_text(str(tmp_path / "Backup 2019" / "2019" / "07" / "IMG_0001.jpg"), roots) == "Backup 2019 › 2019/07"
    assert folder_text(str(tmp_path / "Pictures" / "a.jpg"), roots) == "Pictures"
    assert folder_text("/elsewhere/b.jpg", roots) == "/elsewhere"
