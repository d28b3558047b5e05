"""What a scan did not compare, in the user's language: core/coverage.py's counts in the app's status line and lists.

The engine's own sentences (core/coverage.py) are English for the command line and the JSON; this says the same
from the same counts through tr(), singular and plural written out for each kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dupeview.core import coverage
from dupeview.core.formats import OTHER, PSD, SIDECAR, VIDEO
from dupeview.core.records import Library
from dupeview.core.report import not_compared
from dupeview.gui import engine_words
from dupeview.gui.i18n import N_, number, tr

KIND_WORDS = {
    VIDEO: (N_("1 video"), N_("{n} videos")),
    PSD: (N_("1 Photoshop file"), N_("{n} Photoshop files")),
    coverage.UNREADABLE: (N_("1 unreadable file"), N_("{n} unreadable files")),
    SIDECAR: (N_("1 sidecar file"), N_("{n} sidecar files")),
    OTHER: (N_("1 other file"), N_("{n} other files")),
}
LEFT_OUT_WORDS = {
    coverage.HIDDEN_FILES: (N_("1 hidden file"), N_("{n} hidden files")),
    coverage.HIDDEN_FOLDERS: (N_("1 hidden folder"), N_("{n} hidden folders")),
    coverage.EXCLUDED_FILES: (N_("1 excluded file"), N_("{n} excluded files")),
    coverage.EXCLUDED_FOLDERS: (N_("1 excluded folder"), N_("{n} excluded folders")),
    coverage.BELOW_MIN_SIZE: (N_("1 image below the minimum size"), N_("{n} images below the minimum size")),
    coverage.LINKS: (N_("1 symbolic link not followed"), N_("{n} symbolic links not followed")),
}
REASONS = {
    coverage.REASONS[VIDEO]: N_("video: only photos are compared"),
    coverage.REASONS[PSD]: N_("Photoshop document: not compared"),
    coverage.REASONS[SIDECAR]: N_("metadata sidecar, not a picture"),
    coverage.REASONS[OTHER]: N_("not a picture format dupeview reads"),
}


def _count(n: int, forms: tuple[str, str] | None, key: str) -> str:
    if forms is None:
        return f"{n:,} {key}"
    return tr(forms[0]) if n == 1 else tr(forms[1]).format(n=number(n))


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else tr("{items} and {last}").format(items=", ".join(parts[:-1]), last=parts[-1])


def not_compared_text(by_kind: Mapping[str, int]) -> str:
    """'312 videos and 4 other files were not compared' ('' when every file was compared)."""
    parts = [_count(n, KIND_WORDS.get(kind), kind) for kind, n in by_kind.items() if n]
    if not parts:
        return ""
    one = sum(by_kind.values()) == 1
    return (tr("{what} was not compared") if one else tr("{what} were not compared")).format(what=_join(parts))


def left_out_text(left_out: Mapping[str, int]) -> str:
    """'Left out by the settings: 12 hidden files and 2 excluded folders' ('' when nothing was)."""
    parts = [_count(n, LEFT_OUT_WORDS.get(key), key) for key, n in left_out.items() if n]
    return tr("Left out by the settings: {what}").format(what=_join(parts)) if parts else ""


def not_compared_message(library: Library) -> str:
    return not_compared_text(coverage.counts(not_compared(library)))


def coverage_message(library: Library) -> str:
    """What was not compared, or else what the settings left out ('' when neither): one status line."""
    return not_compared_message(library) or left_out_text(library.left_out)


def reason(text: str) -> str:
    """A not-compared file's reason in the user's language (a decoder's reason through engine_words)."""
    return tr(REASONS[text]) if text in REASONS else engine_words.reason(text)
