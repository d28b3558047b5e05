"""Move, copy and link actions from the window: the confirmation says what will happen, refusals are listed, undo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dupeview.gui import action_flow
from dupeview.gui.action_dialogs import ConfirmActionDialog
from dupeview.gui.dialogs import FailuresDialog
from tests.gui.conftest import digest, settled, waiting
from tests.gui.dialogs import when_dialog_opens

actions = pytest.importorskip("dupeview.core.actions")


def in_view(w) -> set[str]:
    return {w.session.path(m) for g in w.session.groups for m in g.members}


def run(qtbot, w, kind: str, dest: str | None = None, answer=lambda d: d.ok_button.click()):
    seen = when_dialog_opens(answer)
    with waiting(qtbot, w.session.events.acted, timeout=20_000) as acted:
        action_flow.confirm_and_apply(w, w, kind, dest)
    settled(qtbot, w)
    return seen, acted[0]


def test_move_is_confirmed_per_folder_done_shown_and_undone_byte_identical(qtbot, scanned, photos, tmp_path):
    w = scanned
    hashes = {str(p): digest(p) for p in photos.all_files}
    w.auto_mark()
    marked = set(w.session.marks.paths)
    dest = tmp_path / "sorted"
    seen, outcome = run(qtbot, w, "move", str(dest))
    dialog = seen[0]
    assert isinstance(dialog, ConfirmActionDialog)
    assert f"Move {len(marked)} files" in dialog.headline.text() and str(dest) in dialog.headline.text()
    folders = {os.path.dirname(str(dest / os.path.relpath(p, photos.root))) for p in marked}
    rows = [dialog.folders.topLevelItem(k) for k in range(dialog.folders.topLevelItemCount())]
    assert {r.text(0) for r in rows} == folders
    assert sum(int(r.text(1)) for r in rows) == len(marked)
    assert outcome.done == marked
    assert not (in_view(w) & marked)
    assert "Moved" in w.message.label.text() and str(dest) in w.message.label.text()
    assert w.act["undo"].isEnabled()
    with waiting(qtbot, w.session.events.undone, timeout=20_000):
        w.undo_trash()
    settled(qtbot, w)
    assert marked <= in_view(w)
    for p, h in hashes.items():
        assert digest(Path(p)) == h


def test_copy_keeps_the_groups_and_cancel_changes_nothing(qtbot, scanned, photos, tmp_path):
    w = scanned
    w.auto_mark()
    before, marks = in_view(w), set(w.session.marks.paths)
    seen = when_dialog_opens(lambda d: d.cancel_button.click())
    action_flow.confirm_and_apply(w, w, "copy", str(tmp_path / "copies"))
    assert isinstance(seen[0], ConfirmActionDialog) and not (tmp_path / "copies").exists()
    seen, outcome = run(qtbot, w, "copy", str(tmp_path / "copies"))
    assert outcome.done == marks and in_view(w) == before and set(w.session.marks.paths) == marks
    assert all((tmp_path / "copies" / os.path.relpath(p, photos.root)).is_file() for p in marks)


def test_a_hard_link_refused_is_listed_with_its_reason_and_stays_in_its_group(qtbot, scanned, photos):
    w = scanned
    w.auto_mark()
    g = w.session.groups[0]
    keeper = w.session.path(g.keeper)
    refused = {w.session.path(m) for m in g.members if w.session.marks.is_marked(m.index)}
    with open(keeper, "ab") as f:   # the kept copy changed after the scan: nothing may be linked to it
        f.write(b"\0")
    failures = []

    def answer(d):
        d.ok_button.click()
        failures.append(when_dialog_opens(lambda f: f.accept()))
    seen, outcome = run(qtbot, w, "hardlink", answer=answer)
    assert "another filesystem" in seen[0].explanation.text()
    qtbot.waitUntil(lambda: bool(failures and failures[0]), timeout=10_000)
    dialog = failures[0][0]
    assert isinstance(dialog, FailuresDialog)
    rows = {dialog.tree.topLevelItem(k).text(0): dialog.tree.topLevelItem(k).text(1)
            for k in range(dialog.tree.topLevelItemCount())}
    assert set(rows) == refused and set(rows.values()) == {actions.KEPT_CHANGED}
    assert refused <= in_view(w)
    assert outcome.done and not (in_view(w) & outcome.done)
    for p in outcome.done:
        assert not os.path.islink(p) and os.stat(p).st_nlink >= 2   # the kept copy and its links


def test_the_actions_are_in_the_edit_menu_and_the_other_actions_button(scanned):
    w = scanned
    edit = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Edit")
    texts = [a.text() for a in edit.actions()]
    assert w.act["move"].text() in texts and w.act["copy_to"].text() in texts
    links = next(a.menu() for a in edit.actions() if a.menu() is not None)
    assert [a.text() for a in links.actions()] == [w.act["hardlink"].text(), w.act["symlink"].text()]
    more = [a.text() for a in w.results.more_button.menu().actions() if a.text()]
    assert more == [w.act[n].text() for n in ("move", "copy_to", "hardlink", "symlink")]
    assert not w.act["move"].isEnabled() and not w.results.more_button.isEnabled()   # nothing is marked yet
    w.auto_mark()
    assert w.act["move"].isEnabled() and w.results.more_button.isEnabled()
