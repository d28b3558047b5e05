"""Keep rules: which copy in a group is the best one to keep, in a user-ordered list of criteria."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from dupeview.core import originals
from dupeview.core.formats import RAW_FORMATS
from dupeview.core.records import ImageRecord, Library
from dupeview.core.verify import PAGE_FLATNESS
from dupeview.core.views import FINE_END

# The camera's RAW first (it beats its own JPEG); the next six tell the original from its copies (core/originals.py, measured in the one
# decode): a shared, edited or converted copy loses camera data, colour, frame, resolution or
# detail. "Not upscaled" only breaks ties by default: on its own, one file's measure cannot tell
# an enlarged copy from a soft original (18 % of ../shared/corpus decoded at full size measure
# below its limit), so only a user who knows their library has enlargements should move it up.
# Resolution and JPEG quality come before sharpness: a thumbnail can look as sharp once
# reduced, and JPEG blocking measures as detail.
RULES: Final = ("raw", "camera", "colour", "full_frame", "resolution", "quality", "sharpest", "not_upscaled", "size", "oldest", "folder",
                "format", "path")
RULE_LABELS: Final = {
    "raw": "Prefer RAW originals",
    "camera": "Camera data (make, model, date taken)",
    "colour": "Colour over greyscale",
    "full_frame": "Full frame (no bars, borders or caption)",
    "not_upscaled": "Not upscaled (detail fits the resolution)",
    "sharpest": "Sharpest",
    "quality": "Highest JPEG quality",
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


# Why a copy was kept, per rule, as a card says it ("Original: camera data, full frame, sharpest").
REASONS: Final = {
    "raw": "RAW original", "camera": "camera data", "colour": "colour", "full_frame": "full frame",
    "not_upscaled": "not upscaled", "resolution": "highest resolution",
    "sharpest": "sharpest", "quality": "higher JPEG quality", "size": "largest file", "oldest": "oldest",
    "folder": "preferred folder", "format": "preferred format", "path": "shortest path",
}
_CONVERSION_FORMATS: Final = frozenset({"PNG", "WEBP", "GIF", "BMP"})
_ORIGINAL_RULES: Final = frozenset({"raw", "camera", "colour", "full_frame", "not_upscaled", "sharpest", "quality"})
# Sharpness within a quarter of each other counts as equal: decoders and re-encodes move it that much.
_SHARPNESS_STEP: Final = math.log(1.25)


def library_facts(library: Library) -> originals.Facts | None:
    """The measured facts of every file in a library, if its scan recorded them."""
    if not library.has_views() or library.views.shape[1] <= FINE_END:
        return None
    return originals.unpack(library.views[:, FINE_END:])


def index_key(policy: KeepPolicy, library: Library) -> Callable[[int], tuple[object, ...]]:
    """sort_key for the file at an index of `library`, with the measured rules; smaller is better."""
    facts = library_facts(library)
    by_record = _parts(policy)

    def measured(name: str, x: int) -> object:
        if facts is None:
            return 0
        if name == "colour":
            return not facts.colour[x]
        if name == "full_frame":
            return not facts.full_frame[x]
        if name == "not_upscaled":  # an enlarged copy has more pixels than the original, not more picture
            return bool(facts.upscaled[x])
        if name == "quality":
            # A photo in PNG, WebP, GIF or BMP is nearly always a conversion (cameras write JPEG,
            # HEIF or raw); a screenshot in PNG is the original. Page-like tells which (core/verify.py).
            if records[x].format in _CONVERSION_FORMATS and library.flatness[x] < PAGE_FLATNESS:
                return 0
            return -int(facts.quality[x])
        sharp = float(facts.sharpness[x])
        return -math.floor(math.log(sharp) / _SHARPNESS_STEP) if sharp > 0 else 0

    records = library.records
    chosen = [(name, by_record.get(name)) for name in policy.rules]

    def key(x: int) -> tuple[object, ...]:
        r = records[x]
        return (*(f(r) if f is not None else measured(name, x) for name, f in chosen), os.fsencode(r.path))
    return key


def reason(policy: KeepPolicy, library: Library, keeper: int, others: list[int]) -> str:
    """Why the keeper was chosen over the others, in the user's rule order (at most three reasons)."""
    key = index_key(policy, library)
    mine: tuple[Any, ...] = key(keeper)
    theirs: list[tuple[Any, ...]] = [key(o) for o in others]
    why = [name for k, name in enumerate(policy.rules) if any(mine[k] < t[k] for t in theirs)][:3]
    if not why:
        return "Kept: the same as the others"
    prefix = "Original" if _ORIGINAL_RULES.intersection(why) else "Kept"
    return f"{prefix}: {', '.join(REASONS[name] for name in why)}"


def _parts(policy: KeepPolicy) -> dict[str, Callable[[ImageRecord], object]]:
    def folder_rank(r: ImageRecord) -> int:
        for rank, folder in enumerate(policy.preferred_folders):
            if under(r.path, folder):
                return rank
        return len(policy.preferred_folders)

    def format_rank(r: ImageRecord) -> int:
        return policy.formats.index(r.format) if r.format in policy.formats else len(policy.formats)

    return {
        "raw": lambda r: r.format not in RAW_FORMATS,  # the camera's RAW beats its JPEG and any copy of it
        "camera": lambda r: not (r.camera or r.taken),
        "resolution": lambda r: -r.pixels,
        "size": lambda r: -r.size,
        "oldest": date_taken,
        "folder": folder_rank,
        "format": format_rank,
        "path": lambda r: len(r.path),
    }


def _neutral(record: ImageRecord) -> object:
    return 0


def sort_key(policy: KeepPolicy) -> Callable[[ImageRecord], tuple[object, ...]]:
    """A key on the record alone (the measured rules count as equal); smaller is better; the path breaks ties."""
    parts = _parts(policy)
    chosen = [parts.get(name, _neutral) for name in policy.rules]
    return lambda r: (*(f(r) for f in chosen), os.fsencode(r.path))
