"""Group steps by a key held down: the list follows every step, the cards show the last group once the steps that
backed up are handled, and whatever asks for the selected group gets the one the list shows."""

from __future__ import annotations

from dupeview.gui import results


def test_steps_of_a_held_key_build_the_cards_of_the_last_group_only(qtbot, scanned, monkeypatch):
    monkeypatch.setattr(results, "HELD_KEY_S", 60.0)   # every step below counts as a repeat, however loaded the machine
    w = scanned
    page, view = w.results, w.results.group_view
    groups = [page.group_model.group(row) for row in range(page.group_model.rowCount())]
    assert len(groups) == 3
    page.select_row(0)
    assert view.group is groups[0]
    w.step_group(1)                 # the first step: its cards at once
    assert view.group is groups[1]
    w.step_group(1)                 # a repeat: the list moves now, the cards wait for the next turn
    assert page.current_row() == 2 and view.group is groups[1]
    w.step_group(-1)
    w.step_group(-1)                # backed up: only the last one counts
    assert page.current_row() == 0 and view.group is groups[1]
    qtbot.waitUntil(lambda: view.group is groups[0])
    assert [c.member for c in view.cards[:1]] == [groups[0].members[0]]
    # Whatever asks what is selected (a mark, a compare, a command) gets the list's group, even before that turn.
    w.step_group(1)
    w.step_group(1)
    assert page.current_row() == 2 and w.current_group() is groups[2] and view.group is groups[2]
    assert w.results.current_member() in groups[2].members
