"""Keep rules: which copy in a group is the best one to keep, in a user-ordered list of criteria."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from dupeview.core.formats import RAW_FORMATS
from dupeview.core.records import ImageRecord

RULES: Final = ("raw", "resolution", "size", "oldest", "folder", "format", "path")
RULE_LABELS: Final = {
    "raw": "Prefer RAW originals",
    "resolution": "Highest resolution",
    "size": "Largest file",
    "oldest": "Oldest date taken",
    "folder": "In a preferred folder",
    "format": "Preferred format",
    "path": "Shortest path",
}
# Camera originals first, lossless conversions next, then the usual re-encodes.
DEFAULT_FORMATS: Final = ("HEIF", "JPEG", "PNG", "TIFF", "AVIF", "WEBP", "BMP", "GIF")


@dataclass(frozen=True)
class KeepPolicy:
    rules: tuple[str, ...] = RULES
    preferred_folders: tuple[str, ...] = ()
    formats: tuple[str, ...] = DEFAULT_FORMATS

    def __post_init__(self) -> None:
        unknown = [r for r in self.rules if r not in RULES]
        if unknown:
            raise ValueError(f"unknown keep rule(s): {', '.join(unknown)}; choose from {', '.join(RULES)}")


def date_taken(record: ImageRecord) -> str:
    """EXIF date taken, else the file's modification time, as sortable ISO text."""
    if record.taken:
        return record.taken
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(record.mtime_ns / 1e9))


def under(path: str, folder: str) -> bool:
    folder = os.path.normcase(os.path.abspath(folder)).rstrip(os.sep)
    norm = os.path.normcase(path)
    return norm == folder or norm.startswith(folder + os.sep)


def sort_key(policy: KeepPolicy) -> Callable[[ImageRecord], tuple[object, ...]]:
    """A key where smaller is better; the path breaks every tie, so the choice is deterministic."""
    def folder_rank(r: ImageRecord) -> int:
        for rank, folder in enumerate(policy.preferred_folders):
            if under(r.path, folder):
                return rank
        return len(policy.preferred_folders)

    def format_rank(r: ImageRecord) -> int:
        return policy.formats.index(r.format) if r.format in policy.formats else len(policy.formats)

    parts: dict[str, Callable[[ImageRecord], object]] = {
        "raw": lambda r: r.format not in RAW_FORMATS,  # the camera's RAW beats its JPEG and any copy of it
        "resolution": lambda r: -r.pixels,
        "size": lambda r: -r.size,
        "oldest": date_taken,
        "folder": folder_rank,
        "format": format_rank,
        "path": lambda r: len(r.path),
    }
    chosen = [parts[name] for name in policy.rules]
    return lambda r: (*(f(r) for f in chosen), os.fsencode(r.path))
