"""A one-line progress bar for a terminal's stderr that always fits the terminal's width."""

from __future__ import annotations

import os
from typing import TextIO

from dupeview.core.progress import Progress


def fit(text: str, width: int) -> str:
    """Text cut to width - 1 columns (writing the last column makes some terminals wrap), padded to clear the rest."""
    room = max(width - 1, 1)
    if len(text) > room:
        text = text[: max(room - 1, 0)] + "…" if room > 1 else text[:room]
    return text.ljust(room)


def bar_text(p: Progress, width: int) -> str:
    """`Hashing [#####.....] 12/100 (30/s, 3 s left)`: the bar takes what the numbers leave, 10-30 columns."""
    if p.phase == "discover":
        return f"Looking for images… {p.done:,} found" if p.elapsed > 0 else "Looking for images…"
    eta = f", {p.eta:.0f} s left" if p.eta is not None else ""
    tail = f" {p.done}/{p.total} ({p.rate:.0f}/s{eta})"
    cells = min(30, width - 1 - len("Hashing []") - len(tail))
    if cells < 10:  # a narrow terminal: numbers only
        return f"Hashing{tail}"
    filled = int(cells * p.fraction)
    return f"Hashing [{'#' * filled}{'.' * (cells - filled)}]{tail}"


class ProgressLine:
    """A one-line progress bar on a terminal's stderr; silent when stderr is not a terminal."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.dirty = False
        self.width = 80

    def _columns(self) -> int:
        # Asked each time: the terminal may be resized during a long scan. The size of stderr's terminal, not
        # stdout's (shutil.get_terminal_size's): stdout is often redirected to a file while the bar is shown.
        env = os.environ.get("COLUMNS", "")
        if env.isdigit() and int(env) > 0:
            return int(env)
        try:
            return os.get_terminal_size(self.stream.fileno()).columns or 80
        except (OSError, ValueError):
            return 80

    def __call__(self, p: Progress) -> None:
        if not self.enabled:
            return
        self.show(bar_text(p, self._columns()))

    def show(self, text: str) -> None:
        if not self.enabled:
            return
        self.width = self._columns()
        self.stream.write("\r" + fit(text, self.width))
        self.stream.flush()
        self.dirty = True

    def close(self) -> None:
        if self.dirty:
            self.stream.write("\r" + " " * max(self.width - 1, 1) + "\r")
            self.stream.flush()
            self.dirty = False
