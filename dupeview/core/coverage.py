"""What a scan did not compare, by kind, and what it left out on purpose: the records and the words for them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from dupeview.core.formats import OTHER, PSD, SIDECAR, VIDEO

# A file that looked like a picture but could not be read (the scan's `skipped` list).
UNREADABLE: Final = "unreadable"
# Kinds in the order a message names them; "other" always last.
KINDS: Final = (VIDEO, PSD, UNREADABLE, SIDECAR, OTHER)
_WORDS: Final = {
    VIDEO: ("video", "videos"),
    PSD: ("Photoshop file", "Photoshop files"),
    UNREADABLE: ("unreadable file", "unreadable files"),
    SIDECAR: ("sidecar file", "sidecar files"),
    OTHER: ("other file", "other files"),
}
REASONS: Final = {
    VIDEO: "video: only photos are compared",
    PSD: "Photoshop document: not compared",
    SIDECAR: "metadata sidecar, not a picture",
    OTHER: "not a picture format dupeview reads",
}

# Left out on purpose, by the scan's settings: counted, never listed.
HIDDEN_FILES: Final = "hidden_files"
HIDDEN_FOLDERS: Final = "hidden_folders"
EXCLUDED_FILES: Final = "excluded_files"
EXCLUDED_FOLDERS: Final = "excluded_folders"
BELOW_MIN_SIZE: Final = "below_min_size"
LINKS: Final = "links_not_followed"
_LEFT_OUT_WORDS: Final = {
    HIDDEN_FILES: ("hidden file", "hidden files"),
    HIDDEN_FOLDERS: ("hidden folder", "hidden folders"),
    EXCLUDED_FILES: ("excluded file", "excluded files"),
    EXCLUDED_FOLDERS: ("excluded folder", "excluded folders"),
    BELOW_MIN_SIZE: ("image below the minimum size", "images below the minimum size"),
    LINKS: ("symbolic link not followed", "symbolic links not followed"),
}


@dataclass(frozen=True, slots=True)
class NotCompared:
    """A file under the roots that is not compared: what it is, and why, in plain words."""

    path: str
    kind: str
    reason: str


def of_kind(path: str, kind: str) -> NotCompared:
    return NotCompared(path, kind, REASONS.get(kind, REASONS[OTHER]))


class _PathReason(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def reason(self) -> str: ...


def everything(not_compared: Sequence[NotCompared], skipped: Iterable[_PathReason]) -> list[NotCompared]:
    """Every file not compared: the non-pictures, then the pictures that could not be read (a scan's skipped list)."""
    return [*not_compared, *(NotCompared(s.path, UNREADABLE, s.reason) for s in skipped)]


def by_kind(entries: Iterable[NotCompared]) -> list[NotCompared]:
    """The entries in KINDS order (videos first, other files last), by path within a kind."""
    rank = {k: n for n, k in enumerate(KINDS)}
    return sorted(entries, key=lambda e: (rank.get(e.kind, len(KINDS)), e.kind, e.path))


def counts(entries: Iterable[NotCompared]) -> dict[str, int]:
    """How many of each kind, in KINDS order, kinds with none left out."""
    found = Counter(e.kind for e in entries)
    return {k: found[k] for k in (*KINDS, *sorted(set(found) - set(KINDS))) if found[k]}


def _count(n: int, words: tuple[str, str]) -> str:
    return f"{n:,} {words[0] if n == 1 else words[1]}"


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def not_compared_text(by_kind: Mapping[str, int]) -> str:
    """'312 videos and 4 other files were not compared' ('' when every file was compared)."""
    parts = [_count(n, _WORDS.get(kind, (kind, kind))) for kind, n in by_kind.items() if n]
    if not parts:
        return ""
    total = sum(by_kind.values())
    return f"{_join(parts)} {'was' if total == 1 else 'were'} not compared"


def left_out_text(left_out: Mapping[str, int]) -> str:
    """'Left out by the settings: 12 hidden files and 2 excluded folders' ('' when nothing was)."""
    parts = [_count(n, _LEFT_OUT_WORDS.get(key, (key, key))) for key, n in left_out.items() if n]
    return f"Left out by the settings: {_join(parts)}" if parts else ""
