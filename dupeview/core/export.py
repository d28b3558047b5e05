"""A review exported as CSV, JSON (the scan schema of the README) or one self-contained HTML page with thumbnails.

In an export "keep" is the user's decision (not marked), where a scan's output says what the
keep rules suggest; "suggested" carries the rules' view alongside.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import os
import time
from collections.abc import Callable, Collection, Sequence
from typing import Any, Final

from PIL import Image, ImageOps

from dupeview.core import decode, safeio  # noqa: F401  # registers the HEIF opener and the pixel limit for thumbnails
from dupeview.core.grouping import Group
from dupeview.core.locations import SEPARATOR, locate, root_names
from dupeview.core.progress import CancelToken
from dupeview.core.records import Library
from dupeview.core.report import (
    CSV_FIELDS,
    SCHEMA_VERSION,
    display_path,
    human_bytes,
    record_fields,
    similarities,
    skipped_dicts,
)

THUMB_SIZE: Final = 160
THUMB_QUALITY: Final = 72
EXPORT_CSV_FIELDS: Final = (*CSV_FIELDS[:2], "location", "marked", "suggested", *CSV_FIELDS[2:])


def member_dicts(library: Library, groups: Sequence[Group], marks: Collection[str],
                 roots: Sequence[str] = ()) -> list[dict[str, Any]]:
    names = root_names(roots)
    out = []
    for number, g in enumerate(groups, 1):
        members = []
        for m, similar in zip(g.members, similarities(library, g), strict=True):
            r = library.records[m.index]
            marked = r.path in marks
            members.append({**record_fields(r), "keep": not marked, "marked": marked, "suggested": m.suggested,
                            "keeper": m is g.keeper, "distance": m.distance, "similarity": similar,
                            "identical": m.identical,
                            "reference": m.reference, "hardlink": m.hardlink,
                            "location": display_path(str(locate(r.path, roots, names)))[0]})
        out.append({"id": number, "reclaimable_bytes": g.reclaimable, "members": members})
    return out


def to_json(library: Library, groups: Sequence[Group], marks: Collection[str],
            settings: dict[str, Any], roots: Sequence[str] = ()) -> str:
    docs = member_dicts(library, groups, marks, roots)
    marked = [m for g in docs for m in g["members"] if m["marked"]]
    doc = {"schema": SCHEMA_VERSION, "settings": settings,
           "summary": {"images": len(library), "skipped": len(library.skipped), "groups": len(docs),
                       "suggested_for_removal": sum(1 for g in docs for m in g["members"] if m["suggested"]),
                       "marked": len(marked), "marked_bytes": sum(m["size"] for m in marked),
                       "reclaimable_bytes": sum(g.reclaimable for g in groups),
                       "exported": time.strftime("%Y-%m-%dT%H:%M:%S")},
           "groups": docs, "skipped": skipped_dicts(library.skipped), "warnings": list(library.warnings)}
    return json.dumps(doc, indent=2, ensure_ascii=False)


def to_csv(library: Library, groups: Sequence[Group], marks: Collection[str], roots: Sequence[str] = ()) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=EXPORT_CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for g in member_dicts(library, groups, marks, roots):
        for m in g["members"]:
            writer.writerow({"group": g["id"], **m})
    for s in skipped_dicts(library.skipped):
        writer.writerow({"group": "", "path": s["path"], "reason": s["reason"]})
    return buf.getvalue()


def thumbnail_jpeg(path: str, size: int = THUMB_SIZE) -> bytes | None:
    """A small JPEG of one image, EXIF orientation applied; None when it can't be read (the page says so)."""
    try:
        with Image.open(path) as im:
            im.draft("RGB", (size, size))
            im.seek(0)
            out = ImageOps.exif_transpose(im)
            out.thumbnail((size, size), Image.Resampling.BILINEAR, reducing_gap=2.0)
            buf = io.BytesIO()
            out.convert("RGB").save(buf, "JPEG", quality=THUMB_QUALITY)
            return buf.getvalue()
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError, Image.DecompressionBombError):
        return None


_CSS = """
:root { color-scheme: light dark; --fg:#1d1d1f; --bg:#fff; --muted:#666; --line:#ddd; --keep:#1a7f37; --remove:#c62828; }
@media (prefers-color-scheme: dark) { :root { --fg:#eee; --bg:#1e1e1e; --muted:#aaa; --line:#444; --keep:#5fd37a; --remove:#ff6b6b; } }
body { font: 14px/1.4 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 2em; }
h1 { font-size: 1.5em; margin-bottom: .2em; } p.summary { color: var(--muted); margin-top: 0; }
section { margin: 1.5em 0; } h2 { font-size: 1.1em; border-bottom: 1px solid var(--line); padding-bottom: .2em; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: 4px 8px; vertical-align: middle;
  border-bottom: 1px solid var(--line); } th { color: var(--muted); font-weight: normal; }
td.thumb { width: 168px; } td.thumb img { display: block; max-width: 160px; max-height: 160px; }
.where b { font-weight: 600; } .path { overflow-wrap: anywhere; } td.num { white-space: nowrap; }
.status { font-weight: 600; white-space: nowrap; } .keep { color: var(--keep); } .remove { color: var(--remove); }
.noimg { color: var(--muted); font-style: italic; }
"""


def _cell(text: object, css: str = "num") -> str:
    return f"<td class=\"{css}\">{html.escape(str(text))}</td>"


def to_html(library: Library, groups: Sequence[Group], marks: Collection[str], roots: Sequence[str] = (),
            title: str = "dupeview review", thumbnails: bool = True, cancel: CancelToken | None = None,
            progress: Callable[[int, int], None] | None = None) -> str:
    """One page, no external files: thumbnails inline as base64 JPEG, one table per group."""
    docs = member_dicts(library, groups, marks, roots)
    names = root_names(roots)
    total = sum(len(g["members"]) for g in docs)
    marked = [m for g in docs for m in g["members"] if m["marked"]]
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
             f"<style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>",
             f"<p class=\"summary\">{len(docs)} groups, {total} files; {len(marked)} marked for removal "
             f"({html.escape(human_bytes(sum(m['size'] for m in marked)))}). "
             f"Exported {html.escape(time.strftime('%Y-%m-%d %H:%M'))}.</p>"]
    done = 0
    for g, group in zip(docs, groups, strict=True):
        parts.append(f"<section><h2>Group {g['id']}: {len(g['members'])} copies, "
                     f"{html.escape(human_bytes(g['reclaimable_bytes']))} to reclaim</h2>"
                     "<table><tr><th></th><th>Decision</th><th>Where</th><th>Size</th><th>Pixels</th>"
                     "<th>Format</th><th>Taken</th><th>Camera</th><th>Similarity</th><th>Distance</th></tr>")
        for m, member in zip(g["members"], group.members, strict=True):
            if cancel is not None:
                cancel.check()
            thumb = thumbnail_jpeg(library.records[member.index].path) if thumbnails else None
            img = (f"<img alt=\"\" src=\"data:image/jpeg;base64,{base64.b64encode(thumb).decode('ascii')}\">"
                   if thumb else "<span class=\"noimg\">no preview</span>")
            status, css = ("Remove", "remove") if m["marked"] else ("Keep", "keep")
            tags = [t for t in ("keeper", "reference", "hardlink") if m[t]]
            tag_text = f" ({', '.join(tags)})" if tags else ""
            loc = locate(library.records[member.index].path, roots, names)
            root, inside = display_path(loc.root)[0], display_path(loc.inside)[0]
            where = (f"<b>{html.escape(root)}</b>{SEPARATOR}" if root else "") + html.escape(inside)
            parts.append(f"<tr><td class=\"thumb\">{img}</td>"
                         f"<td class=\"status {css}\">{status}{html.escape(tag_text)}</td>"
                         f"<td class=\"where path\" title=\"{html.escape(m['path'])}\">{where}</td>"
                         + _cell(human_bytes(m["size"])) + _cell(f"{m['width']}×{m['height']}") + _cell(m["format"])
                         + _cell(m["taken"] or "") + _cell(m["camera"] or "", "text") + _cell(f"{m['similarity']} %")
                         + _cell(m["distance"]) + "</tr>")
            done += 1
            if progress is not None:
                progress(done, total)
        parts.append("</table></section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write an export atomically: a failed export never leaves half a file where a good one was."""
    # An ordinary file of the user's (0666 less the umask), meant to be shared, unlike the private stores.
    safeio.write_atomically(path, text.encode("utf-8"), private=False)
