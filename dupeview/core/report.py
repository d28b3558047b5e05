"""Turn scan results into the CLI's JSON, CSV and text outputs (schema documented in README)."""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import numpy as np

from dupeview.core import coverage, verify
from dupeview.core.discovery import Skipped
from dupeview.core.grouping import Group
from dupeview.core.records import ImageRecord, Library

SCHEMA_VERSION = 1


def display_path(path: str) -> tuple[str, bool]:
    """A printable path; bytes that are not valid UTF-8 become \\xNN escapes (flagged True)."""
    raw = os.fsencode(path)
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace"), True


def printable(text: str) -> str:
    """Text safe for one terminal line: control and bidi-override characters shown as escapes.

    A newline or a right-to-left override in a file name must not break the listing or
    disguise which file is which.
    """
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


def _path_fields(path: str) -> dict[str, Any]:
    shown, escaped = display_path(path)
    # path_hex: the exact bytes of a name that is not UTF-8, so `dupeview apply` finds the very file.
    return {"path": shown, "path_escaped": True, "path_hex": os.fsencode(path).hex()} if escaped else {"path": shown}


def _iso(ns: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(ns / 1e9))


def record_fields(r: ImageRecord) -> dict[str, Any]:
    fields = {**_path_fields(r.path), "size": r.size, "width": r.width, "height": r.height,
              "format": r.format, "taken": r.taken, "camera": r.camera, "modified": _iso(r.mtime_ns),
              # What `dupeview apply` checks a file against before it touches it: the file as scanned.
              "mtime_ns": r.mtime_ns, "ctime_ns": r.ctime_ns, "digest": r.digest.hex()}
    if r.ino >= 0:  # records read from a cache file have no real inode
        fields["device"], fields["inode"] = r.dev, r.ino
    return fields


def similarities(library: Library, group: Group) -> list[int]:
    """Each member's similarity to the group's keeper, 0-100 % (core/verify.py); identical bytes are 100."""
    return group_similarities(library, [group])[0]


def group_similarities(library: Library, groups: Sequence[Group]) -> list[list[int]]:
    """`similarities` of every group, measured in one pass over the groups' rows only (per group over
    the whole library, the JSON of 20,000 groups took 43 s)."""
    if not groups:
        return []
    sizes = [len(g.members) for g in groups]
    b = np.fromiter((m.index for g in groups for m in g.members), np.int64, count=sum(sizes))
    a = np.repeat(np.fromiter((g.keeper.index for g in groups), np.int64, count=len(groups)), sizes)
    rows = np.unique(np.concatenate([a, b]))
    phash = library.codes("phash")[rows, 0]
    lay = verify.layout(phash, library.views[rows], library.flatness[rows]) if library.has_views() else None
    score = verify.similarity(lay, phash, np.searchsorted(rows, a), np.searchsorted(rows, b)).tolist()
    out, at = [], 0
    for g, n in zip(groups, sizes, strict=True):
        out.append([100 if m.identical else int(s) for m, s in zip(g.members, score[at:at + n], strict=True)])
        at += n
    return out


def group_dicts(library: Library, groups: Sequence[Group]) -> list[dict[str, Any]]:
    out = []
    for number, (g, scores) in enumerate(zip(groups, group_similarities(library, groups), strict=True), 1):
        members = []
        for m, similar in zip(g.members, scores, strict=True):
            members.append({**record_fields(library.records[m.index]), "keep": not m.suggested,
                            "keeper": m is g.keeper, "distance": m.distance, "similarity": similar,
                            "identical": m.identical,
                            "reference": m.reference, "hardlink": m.hardlink})
        out.append({"id": number, "reclaimable_bytes": g.reclaimable, "members": members})
    return out


def skipped_dicts(skipped: Sequence[Skipped]) -> list[dict[str, Any]]:
    return [{**_path_fields(s.path), "reason": s.reason} for s in skipped]


def not_compared(library: Library) -> list[coverage.NotCompared]:
    """Every file under the roots that was not compared, by kind: non-pictures and unreadable pictures."""
    return coverage.everything(library.not_compared, library.skipped)


def not_compared_message(library: Library) -> str:
    """'312 videos and 4 other files were not compared' for a scan ('' when every file was compared)."""
    return coverage.not_compared_text(coverage.counts(not_compared(library)))


def coverage_message(library: Library) -> str:
    """What was not compared, or else what the settings left out ('' when neither): one status line."""
    return not_compared_message(library) or coverage.left_out_text(library.left_out)


def not_compared_dicts(library: Library) -> list[dict[str, Any]]:
    return [{**_path_fields(n.path), "kind": n.kind, "reason": n.reason} for n in not_compared(library)]


def summary(library: Library, groups: Sequence[Group], seconds: float) -> dict[str, Any]:
    return {
        "images": len(library),
        "hashed": library.hashed,
        "from_cache": library.reused,
        "skipped": len(library.skipped),
        "not_compared": len(library.not_compared) + len(library.skipped),
        "groups": len(groups),
        "suggested_for_removal": sum(1 for g in groups for m in g.members if m.suggested),
        "reclaimable_bytes": sum(g.reclaimable for g in groups),
        "seconds": round(seconds, 3),
    }


def to_json(settings: dict[str, Any], library: Library, groups: Sequence[Group], seconds: float) -> str:
    doc = {"schema": SCHEMA_VERSION, "settings": settings, "summary": summary(library, groups, seconds),
           "groups": group_dicts(library, groups), "skipped": skipped_dicts(library.skipped),
           "not_compared": not_compared_dicts(library),
           "not_compared_counts": coverage.counts(not_compared(library)),
           "left_out": dict(library.left_out),
           "warnings": list(library.warnings)}
    return json.dumps(doc, indent=2, ensure_ascii=False)


CSV_FIELDS = ("group", "path", "keep", "keeper", "distance", "similarity", "identical", "reference", "hardlink",
              "size", "width", "height", "format", "taken", "camera", "modified", "reason")


class LineFeedRows:
    """A stream for csv writers made with lineterminator="\r\n" that ends each row with "\n" instead.

    Before Python 3.13 csv quotes a field only for the characters of its lineterminator: with "\n", a bare CR
    in a file name went out unquoted and split the row. With "\r\n" both are quoted; rows still end in LF.
    """

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, row: str) -> int:  # csv writers hand over one whole row per call
        return self.out.write(row[:-2] + "\n" if row.endswith("\r\n") else row)


def to_csv(library: Library, groups: Sequence[Group]) -> str:
    """One row per group member, then one row per skipped file (group empty, reason set)."""
    buf = io.StringIO()
    writer = csv.DictWriter(LineFeedRows(buf), fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for g in group_dicts(library, groups):
        for m in g["members"]:
            writer.writerow({"group": g["id"], **m})
    for s in skipped_dicts(library.skipped):
        writer.writerow({"group": "", "path": s["path"], "reason": s["reason"]})
    return buf.getvalue()


def _plain_decimal(x: float, places: int) -> str:
    return f"{x:.{places}f}"


def human_bytes(n: float, decimal: Callable[[float, int], str] = _plain_decimal) -> str:
    """'281.0 KB' (1000-based units); `decimal` writes the number (the app's in the user's locale: '281,0 KB')."""
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{decimal(n, 0 if unit == 'B' else 1)} {unit}"
        n /= 1000
    return f"{decimal(n, 1)} TB"  # pragma: no cover


def to_text(library: Library, groups: Sequence[Group], seconds: float) -> str:
    lines = []
    for g in group_dicts(library, groups):
        lines.append(f"Group {g['id']}: {len(g['members'])} images, {human_bytes(g['reclaimable_bytes'])} to reclaim")
        for m in g["members"]:
            mark = "keep " if m["keep"] else "trash"
            tags = [t for t in ("reference", "hardlink") if m[t]] + (["identical"] if m["identical"] and not m["keeper"] else [])
            extra = f" [{', '.join(tags)}]" if tags else ""
            size = human_bytes(m['size'])
            pixels = f"{m['width']}x{m['height']}"
            lines.append(f"  {mark} d={m['distance']:<2} {m['similarity']:>3}% {pixels:<9} {size:>9}  "
                         f"{printable(m['path'])}{extra}")
        lines.append("")
    if library.not_compared:
        lines.append(f"Not compared, {len(library.not_compared)} file(s) that are not photos:")
        lines.extend(f"  {printable(display_path(n.path)[0])}: {n.reason}" for n in library.not_compared)
        lines.append("")
    if library.skipped:
        lines.append(f"Skipped {len(library.skipped)} file(s):")
        lines.extend(f"  {printable(s['path'])}: {s['reason']}" for s in skipped_dicts(library.skipped))
        lines.append("")
    for w in library.warnings:
        lines.append(f"Warning: {w}")
    s = summary(library, groups, seconds)
    lines.append(f"{s['images']} images ({s['hashed']} hashed, {s['from_cache']} from cache), "
                 f"{s['groups']} groups, {s['suggested_for_removal']} suggested for removal, "
                 f"{human_bytes(s['reclaimable_bytes'])} to reclaim, {s['seconds']:.1f} s")
    for line in (coverage.not_compared_text(coverage.counts(not_compared(library))), coverage.left_out_text(library.left_out)):
        if line:
            lines.append(line[0].upper() + line[1:])
    return "\n".join(lines) + "\n"
