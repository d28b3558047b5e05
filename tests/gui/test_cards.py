"""The cards: where a copy lives, its similarity to the kept copy, why the kept copy is kept, the facts table with
what differs from the kept copy, a check box named for what it does, and the keyboard (through the Session)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest

from dupeview.core import keeper
from dupeview.core.report import group_dicts, similarities
from dupeview.gui.card_facts import REASON_WORDS, translated_reason
from tests.gui.conftest import settled, waiting


def shown(qtbot, w):
    view = w.results.group_view
    qtbot.waitUntil(lambda: view.complete and len(view.cards) == len(w.current_group().members), timeout=20_000)
    return view


def card_of(view, w, name: str):
    return next(c for c in view.cards if w.session.path(c.member).endswith(name))


def test_the_kept_card_says_why_and_the_others_how_similar(qtbot, scanned):
    w = scanned
    view, g, lib = shown(qtbot, w), w.current_group(), w.session.library
    kept = view.cards[0]
    assert kept.member is g.keeper
    why = keeper.reason(w.session.options.policy, lib, g.keeper.index, [m.index for m in g.members[1:]])
    assert why.startswith("Original: ")          # the camera JPEG beats its PNG conversion and the reduced copy
    assert kept.summary.text() == why
    scores = similarities(lib, g)
    json_scores = {m["path"]: m["similarity"] for m in group_dicts(lib, [g])[0]["members"]}
    for card, score in zip(view.cards[1:], scores[1:], strict=True):
        assert card.text.similarity == score == json_scores[w.session.path(card.member)]
        expected = "Identical bytes (100 %)" if card.member.identical else f"{score} % similar to the best copy"
        assert card.summary.text() == expected
    edit = card_of(view, w, "img_0_rot3.jpg")
    assert edit.text.similarity < max(s for s in scores[1:])   # the turned edit is the least alike


def test_the_facts_table_highlights_what_differs_from_the_kept_copy(qtbot, scanned):
    w = scanned
    view = shown(qtbot, w)
    kept, png, small = view.cards[0], card_of(view, w, "img_0_copy.png"), card_of(view, w, "img_0_small.jpg")
    assert not [k for k, label in kept.values.items() if label.property("differs")]
    r = w.session.record(kept.member)
    # The reduced copy: smaller picture and file, other folder; the kept value is in the tooltip.
    assert small.values["resolution"].text() == f"{r.width // 2} × {r.height // 2}"
    assert small.values["resolution"].property("differs")
    assert f"The best copy: {r.width} × {r.height}" in small.values["resolution"].toolTip()
    assert small.values["size"].property("differs") and small.values["folder"].property("differs")
    assert not small.values["colour"].property("differs") and small.values["colour"].text() == "Colour"
    # The PNG conversion: same picture size, another format.
    assert not png.values["resolution"].property("differs")
    assert png.values["format"].text() == "PNG" and png.values["format"].property("differs")
    assert kept.values["format"].text().startswith("JPEG, quality ")
    assert kept.values["sharpness"].text() == "100 %"
    assert set(kept.values) == {"resolution", "size", "format", "taken", "camera", "colour", "sharpness", "folder"}
    # Where it lives: the searched folder's name, then the folder inside it.
    assert png.values["folder"].text() == "photos › backup"


def test_a_greyscale_copy_is_named_as_such(qtbot, window_factory, photos):
    from PIL import Image

    Image.open(photos.groups[1][0]).convert("L").save(photos.root / "edits" / "img_1_grey.jpg", quality=95)
    w = window_factory([photos.root])
    w.show()
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    w.results.select_row(w.session.row_of(str(photos.groups[1][0])))
    view = shown(qtbot, w)
    grey = card_of(view, w, "img_1_grey.jpg")
    assert grey.values["colour"].text() == "Greyscale" and grey.values["colour"].property("differs")
    assert view.cards[0].values["colour"].text() == "Colour"
    assert "colour" in view.cards[0].summary.text()   # the kept copy is kept for its colour, among others


def test_every_keeper_reason_can_be_translated() -> None:
    assert set(keeper.REASONS.values()) <= set(REASON_WORDS)
    assert translated_reason("Original: camera data, full frame, sharpest") == "Original: camera data, full frame, sharpest"
    assert translated_reason("Kept: the same as the others") == "Kept: the same as the others"
    assert translated_reason("Something new: unheard of") == "Something new: unheard of"   # unknown: as the core said


def test_the_check_box_says_mark_not_trash_and_is_named(qtbot, scanned):
    w = scanned
    view = shown(qtbot, w)
    for card in view.cards:
        assert card.check.text() == "Mark"
        face = QAccessible.queryAccessibleInterface(card.check)
        assert face.text(QAccessible.Text.Name) == f"Mark {card.text.name}"
        assert "Trash marked" in face.text(QAccessible.Text.Description)


def test_cards_take_the_focus_and_space_marks_the_focused_one(qtbot, scanned):
    w = scanned
    s, view = w.session, shown(qtbot, w)
    w.activateWindow()
    second = view.cards[1]
    second.setFocus(Qt.FocusReason.TabFocusReason)
    assert second.hasFocus() and view.current_member is second.member   # the focused card is the selected copy
    QTest.keyClick(second, Qt.Key.Key_Space)
    assert s.path(second.member) in s.marks and second.check.isChecked()
    # Tab goes to its check box; Space there toggles once (not once by the box and once by the window).
    QTest.keyClick(second, Qt.Key.Key_Tab)
    assert second.check.hasFocus()
    QTest.keyClick(second.check, Qt.Key.Key_Space)
    assert s.path(second.member) not in s.marks and not second.check.isChecked()
    # Tab again: the next card; Right moves the focus along with the selection.
    QTest.keyClick(second.check, Qt.Key.Key_Tab)
    assert view.cards[2].hasFocus()
    QTest.keyClick(view.cards[2], Qt.Key.Key_Left)
    assert second.hasFocus() and view.current_member is second.member
    QTest.keyClick(second, Qt.Key.Key_Home)
    assert view.cards[0].hasFocus()
    QTest.keyClick(view.cards[0], Qt.Key.Key_Down)
    below = min(view.columns, len(view.cards) - 1)
    assert view.cards[below].hasFocus() == (view.columns < len(view.cards))


def test_cards_have_accessible_names_and_descriptions(qtbot, scanned):
    w = scanned
    view = shown(qtbot, w)
    kept, other = view.cards[0], view.cards[1]
    face = QAccessible.queryAccessibleInterface(kept)
    assert face.text(QAccessible.Text.Name) == f"{kept.text.name}, Best copy, not marked"
    assert face.text(QAccessible.Text.Description).startswith(kept.summary.text())
    other.setFocus()
    QTest.keyClick(other, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: other.check.isChecked())
    face = QAccessible.queryAccessibleInterface(other)
    assert face.text(QAccessible.Text.Name).endswith(", marked")
    assert "Differs from the best copy in:" in face.text(QAccessible.Text.Description)
    for widget in (other.menu_button, *other.badges, view):
        face = QAccessible.queryAccessibleInterface(widget)
        assert face.text(QAccessible.Text.Name).strip() and face.text(QAccessible.Text.Description).strip()


def scanned_at_1024(qtbot, w, photos):
    """The window at 1024x700, scanned, on the first photo group; its group view."""
    w.show()
    w.resize(1024, 700)
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    w.results.select_row(w.session.row_of(str(photos.groups[0][0])))
    return shown(qtbot, w)


def test_three_badges_squeeze_neither_the_check_box_nor_each_other(qtbot, window_factory, photos):
    import os

    os.link(photos.groups[0][0], photos.root / "camera" / "img_0_link.jpg")
    w = window_factory()
    w.folders.add_folders([str(photos.root / "camera"), str(photos.root / "backup"), str(photos.root / "web")])
    w.folders.list.topLevelItem(0).setCheckState(1, Qt.CheckState.Checked)   # camera: a reference folder
    view = scanned_at_1024(qtbot, w, photos)
    crowded = [c for c in view.cards if len(c.badges) == 3]
    assert crowded, [[b.text() for b in c.badges] for c in view.cards]
    for card in crowded:
        assert {b.text() for b in card.badges} >= {"Reference", "Hard link"}
        for badge in card.badges:
            assert badge.width() >= badge.sizeHint().width()
            assert badge.geometry().right() <= card.thumb.width()
        assert card.check.width() >= card.check.sizeHint().width()
        assert not card.check.isEnabled()   # a reference copy is never marked


def test_tab_goes_from_the_group_list_through_the_cards_in_order(qtbot, scanned):
    w = scanned
    view = shown(qtbot, w)
    w.activateWindow()
    w.results.group_list.setFocus()
    stops = []
    for _ in range(2 * len(view.cards)):
        QTest.keyClick(w.focusWidget(), Qt.Key.Key_Tab)
        stops.append(w.focusWidget())
    assert stops == [x for card in view.cards for x in (card, card.check)]
    QTest.keyClick(w.focusWidget(), Qt.Key.Key_Backtab)
    assert w.focusWidget() is view.cards[-1]


def test_a_1024_by_700_window_shows_two_card_columns_beside_the_list(qtbot, window_factory, photos):
    # The list and the cards share the width: the list never takes it all (a resize before the splitter
    # had its own new size once gave the cards 0 pixels), and at 1024 px the cards keep two columns.
    w = window_factory()
    w.folders.add_folders([str(photos.root)])
    view = scanned_at_1024(qtbot, w, photos)
    assert w.results.group_list.width() >= 200
    columns = {card.geometry().left() for card in view.cards}
    assert len(view.cards) >= 2 and len(columns) == 2, (view.width(), columns)
    assert all(card.visibleRegion().boundingRect().width() > 0 for card in view.cards[:2])


def test_cards_made_ahead_show_the_first_group_as_new_cards_would_and_stay_hidden_till_then(qtbot, window_factory,
                                                                                            photos):
    # While the decoders work the window makes spare cards (a new card costs 12-25 ms on the GUI thread): the first
    # group after the scan binds them, and those it does not need stay hidden when the results page is shown.
    from dupeview.core.progress import Progress

    w = window_factory()
    view = w.results.group_view
    w.results._on_scan_progressed(Progress("hash", 3, 10))
    assert view.warming
    w.results._on_scan_progressed(Progress("match", 0, 0))   # the worker thread's Python from here on: no more
    assert not view.warming
    w.folders.add_folders([str(photos.root / "camera"), str(photos.root / "backup"), str(photos.root / "web"),
                           str(photos.root / "edits")])
    view.warm_pool(6)
    qtbot.waitUntil(lambda: len(view._pool) == 6 and not view.warming)
    spares = list(view._pool)
    # When the scan ends the results page is shown, and its first group is bound in the next turn: meanwhile the
    # spare cards stay hidden (a child never hidden would be shown with its page).
    at_scan_end: list[list[bool]] = []
    w.session.events.scanned.connect(lambda _r: at_scan_end.append([c.isVisible() for c in spares]))
    view = scanned_at_1024(qtbot, w, photos)
    assert at_scan_end == [[False] * 6] and w.results.isVisible()
    assert len(view.cards) == 4 and view.cards == spares[:4]   # bound, none made for this group
    assert all(c.isHidden() and not c.isVisible() for c in view._pool[4:])
    g = w.current_group()
    assert [c.member for c in view.cards] == list(g.members)
    for card in view.cards:
        assert_like_a_new_card(qtbot, view, g, card)


def assert_like_a_new_card(qtbot, view, group, card) -> None:
    """A reused or spare card shows and tells exactly what a card made for its copy would."""
    from dupeview.gui.card_widget import MemberCard

    fresh = MemberCard(card.record, group, card.member, card.text, view.widget())
    fresh.set_width(card.width(), view._thumb)
    fresh.set_state(card.marked, False)
    fresh.show()
    qtbot.waitUntil(lambda: fresh.isVisible())
    assert card_face(card) == card_face(fresh), card.record.path
    fresh.hide()
    fresh.deleteLater()


def card_face(card) -> tuple:
    """Everything a card shows or tells a screen reader, from its widgets."""
    from PySide6.QtWidgets import QLabel

    labels = tuple((lab.objectName(), lab.text(), lab.toolTip(), lab.accessibleName(), lab.accessibleDescription(),
                    lab.property("differs"), lab.property("kept"), lab.font().bold(),
                    lab.palette().color(lab.foregroundRole()).name(), lab.isVisibleTo(card))
                   for lab in card.findChildren(QLabel) if lab.objectName() != "thumb" and lab.isVisibleTo(card))
    face = QAccessible.queryAccessibleInterface(card)
    return (labels, face.text(QAccessible.Text.Name), face.text(QAccessible.Text.Description),
            card.check.accessibleName(), card.check.accessibleDescription(), card.check.toolTip(),
            card.check.isEnabled(), card.menu_button.accessibleName(), card.thumb.toolTip(),
            [b.text() for b in card.badges], card.size().toTuple(), card.thumb.size().toTuple())


def test_a_reused_card_shows_and_names_its_new_copy_as_a_new_card_would(qtbot, window_factory, photos):
    w = window_factory()
    w.folders.add_folders([str(photos.root / "camera"), str(photos.root / "backup"), str(photos.root / "web"),
                           str(photos.root / "edits")])
    w.folders.list.topLevelItem(0).setCheckState(1, Qt.CheckState.Checked)   # camera: reference copies
    view = scanned_at_1024(qtbot, w, photos)
    first = list(view.cards)
    assert len(first) == 4   # the original, its PNG and half-size copies, the turned edit
    w.results.select_row(w.session.row_of(str(photos.groups[1][0])))
    view = shown(qtbot, w)
    assert len(view.cards) == 3 and view.cards == first[:3]   # the same widgets, showing the other group
    assert first[3].isHidden()
    g, lib = w.current_group(), w.session.library
    assert [c.member for c in view.cards] == list(g.members)

    for card in view.cards:
        assert_like_a_new_card(qtbot, view, g, card)
        name = card.text.name
        assert name == lib.path(card.member.index).rsplit("/", 1)[1] and card.check.accessibleName() == f"Mark {name}"
        assert QAccessible.queryAccessibleInterface(card).text(QAccessible.Text.Name).startswith(name + ", ")
    # The kept copy's card showing a copy that differs (bold amber facts, no "kept" summary), and back.
    kept = view.cards[0]
    texts = {m.index: c.text for c, m in zip(view.cards, g.members, strict=True)}
    for m in (g.members[2], g.members[0]):
        kept.bind(lib.records[m.index], g, m, texts[m.index])
        assert_like_a_new_card(qtbot, view, g, kept)
    # Marking a reused card marks its new copy; Tab skips the hidden spare card.
    QTest.mouseClick(view.cards[1].check, Qt.MouseButton.LeftButton)
    assert w.session.marks.is_marked(g.members[1].index) and view.cards[1].check.isChecked()
    w.activateWindow()
    w.results.group_list.setFocus()
    expected = [x for card in view.cards for x in (card, card.check) if x.isEnabled()]   # (a reference: no box)
    stops = []
    for _ in range(len(expected) + 1):
        QTest.keyClick(w.focusWidget(), Qt.Key.Key_Tab)
        stops.append(w.focusWidget())
    assert stops[:-1] == expected and stops[-1] not in (first[3], first[3].check)
    # Back to the first group: its fourth card comes back, named for its copy.
    w.results.select_row(w.session.row_of(str(photos.groups[0][0])))
    view = shown(qtbot, w)
    assert view.cards == first and not first[3].isHidden()
    assert all(QAccessible.queryAccessibleInterface(c).text(QAccessible.Text.Name).startswith(c.text.name)
               for c in view.cards)
