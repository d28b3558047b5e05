"""The results bar's choices: taken from the settings at start, remembered when changed, handed to the Session."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Protocol

from dupeview.core.result_view import ViewOptions
from dupeview.core.session import Session
from dupeview.gui.results_bar import ResultsBar
from dupeview.settings import Settings


class Host(Protocol):
    session: Session
    settings: Settings

    def save_settings(self) -> None: ...


def connect(host: Host, bar: ResultsBar, change: Callable[..., None]) -> None:
    """Show the remembered sort, scope and hiding; each change is saved (the filter text is not: a filter
    left over from last week would hide groups without saying why) and applied."""
    s = host.settings
    bar.restore(s.group_sort, s.scope, s.hide_unremovable)
    host.session.set_view(bar.view())

    def view_changed(view: ViewOptions) -> None:
        if (view.sort, view.hide_unremovable) != (host.settings.group_sort, host.settings.hide_unremovable):
            host.settings = dataclasses.replace(host.settings, group_sort=view.sort,
                                                hide_unremovable=view.hide_unremovable)
            host.save_settings()
        host.session.set_view(view)

    bar.view_changed.connect(view_changed)
    bar.scope_changed.connect(lambda scope: change(scope=scope))
