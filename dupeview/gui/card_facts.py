"""What a card says about its copy: where it lives, its facts against the kept copy's, the similarity and why a copy is kept."""

# Everything comes from what the scan measured (records and core/originals.py facts); nothing
# is read or decoded here, so building a group's cards stays cheap on the GUI thread.

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from dupeview.core import keeper as keep_rules
from dupeview.core import verify
from dupeview.core.grouping import Group, Member
from dupeview.core.locations import SEPARATOR, locate
from dupeview.core.originals import LOSSLESS, Facts
from dupeview.core.records import ImageRecord, Library
from dupeview.core.report import display_path
from dupeview.gui.i18n import N_, bytes_text, decimal, number, tr

SHARPNESS_BAND = 1.25   # within a quarter of the kept copy's counts as as sharp (the keep rule's step)
QUALITY_BAND = 2        # JPEG quality estimates of one encoder setting differ by a point or two
# The rows of a card's table, in order: (key, label). Labels marked with N_ (gui/i18n.py), shown through tr().
ROWS: tuple[tuple[str, str], ...] = (
    ("resolution", N_("Resolution")),
    ("size", N_("File size")),
    ("format", N_("Format")),
    ("taken", N_("Date taken")),
    ("camera", N_("Camera")),
    ("colour", N_("Colour")),
    ("sharpness", N_("Sharpness")),
    ("folder", N_("Folder")),
)
# core/keeper.py's reason words, so a keeper's reason can be shown in the user's language
# (a test checks this list against keeper.REASONS).
REASON_WORDS: tuple[str, ...] = (
    N_("Original"), N_("Kept"),
    N_("Kept: the same as the others"),
    N_("RAW original"), N_("camera data"),
    N_("colour"), N_("full frame"), N_("not upscaled"),
    N_("highest resolution"), N_("sharpest"),
    N_("higher JPEG quality"), N_("largest file"),
    N_("oldest"), N_("preferred folder"),
    N_("preferred format"), N_("shortest path"),
)


class Fact(NamedTuple):
    """One row of a card's table."""

    key: str
    label: str
    value: str
    differs: bool     # not the same as on the kept copy (never on the kept copy's own card)
    tip: str          # the kept copy's value when it differs, else what the value means


class CardText(NamedTuple):
    """Everything a card shows in words, for one member."""

    name: str                  # the file's name
    location: str              # "Backup 2019 › 2019/07"
    root: str                  # the part of `location` that is never elided ("Backup 2019 › "), or ""
    path: str                  # the whole path, shown as text
    facts: tuple[Fact, ...]
    similarity: int | None     # 0-100 % to the kept copy; None on the kept copy's card
    summary: str               # "93 % similar to the best copy", or the kept copy's reason
    summary_tip: str


def folder_text(path: str, roots: Sequence[str]) -> str:
    """"Backup 2019 › 2019/07": the searched folder's name, then the folder inside it (shown whole at the root)."""
    loc = locate(path, roots)
    root, inside = display_path(loc.root)[0], display_path(os.path.dirname(loc.inside))[0]
    if not root:
        return inside
    return f"{root}{SEPARATOR}{inside}" if inside else root


def group_library(library: Library, rows: Sequence[int]) -> Library:
    """A library of just these files, in this order: what the core measures per file (facts, views, keep-rule
    keys) then costs the group's size, not the library's: 128 ms a group at a million files before, 3 ms after."""
    at = np.asarray(rows, dtype=np.int64)
    views, flatness = (library.views[at], library.flatness[at]) if library.has_views() else \
        (library.views[:0], library.flatness[:0])
    # Only the algorithms loaded: reading `hashes` would load every other one, from the cache, on the GUI thread.
    pending = library.pending
    return Library(records=[library.records[x] for x in rows], hashes=library.hash_rows(at), views=views,
                   flatness=flatness, pending=pending, loader=library.loader if pending else None)


def similarities_to(library: Library, kept: int, others: Sequence[int]) -> list[int]:
    """0-100 % of each file against `kept`, as report.similarities measures a group for the JSON."""
    sub = group_library(library, [kept, *others])
    phash = sub.codes("phash")[:, 0]
    lay = verify.layout(phash, sub.views, sub.flatness) if sub.has_views() else None
    score = verify.similarity(lay, phash, np.zeros(len(others), np.int64), np.arange(1, len(sub), dtype=np.int64))
    digest = library.records[kept].digest
    return [100 if library.records[x].digest == digest else int(v) for x, v in zip(others, score, strict=True)]


def pair_similarity(library: Library, a: int, b: int) -> int:
    """0-100 % between any two files of a library (the compare view's two sides)."""
    return similarities_to(library, a, [b])[0]


def translated_reason(reason: str) -> str:
    """keeper.reason()'s "Original: camera data, sharpest" in the user's language (word by word, as it is built)."""
    if reason in REASON_WORDS:
        return tr(reason)
    prefix, sep, rest = reason.partition(": ")
    words = rest.split(", ") if sep else []
    if prefix not in REASON_WORDS or not all(w in REASON_WORDS for w in words):
        return reason    # a reason this build does not know: shown as the core said it
    return tr("{prefix}: {reasons}").format(prefix=tr(prefix), reasons=", ".join(tr(w) for w in words))


def _taken(r: ImageRecord) -> str:
    if r.taken:
        return r.taken.replace("T", " ")[:16]
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(r.mtime_ns / 1e9)) + "*"


def _format(r: ImageRecord, facts: Facts | None, x: int) -> str:
    fmt = r.format or "?"
    if facts is not None and fmt == "JPEG" and 0 < int(facts.quality[x]) < LOSSLESS:
        return tr("{format}, quality {quality}").format(format=fmt, quality=int(facts.quality[x]))
    return fmt


def _values(library: Library, facts: Facts | None, x: int, kept: int, roots: Sequence[str]) -> dict[str, str]:
    r = library.records[x]
    colour = "?" if facts is None else (tr("Colour") if facts.colour[x] else tr("Greyscale"))
    sharp = tr("unknown")
    if facts is not None and facts.sharpness[kept] > 0:
        sharp = f"{number(round(100 * float(facts.sharpness[x]) / float(facts.sharpness[kept])))} %"
    return {
        "resolution": f"{r.width} × {r.height}",
        "size": bytes_text(r.size),
        "format": _format(r, facts, x),
        "taken": _taken(r),
        "camera": r.camera or "—",
        "colour": colour,
        "sharpness": sharp,
        "folder": folder_text(r.path, roots),
    }


def _differs(key: str, library: Library, facts: Facts | None, x: int, kept: int, mine: str, theirs: str) -> bool:
    a, b = library.records[x], library.records[kept]
    if key == "resolution":
        return (a.width, a.height) != (b.width, b.height)
    if key == "size":
        return a.size != b.size
    if key == "sharpness":
        if facts is None or facts.sharpness[kept] <= 0:
            return False
        ratio = float(facts.sharpness[x]) / float(facts.sharpness[kept])
        return not 1 / SHARPNESS_BAND < ratio < SHARPNESS_BAND
    if key == "format":
        if a.format != b.format:
            return True
        return facts is not None and abs(int(facts.quality[x]) - int(facts.quality[kept])) > QUALITY_BAND
    if key == "folder":
        return os.path.dirname(a.path) != os.path.dirname(b.path)
    return mine != theirs


def _tip(key: str, record: ImageRecord, differs: bool, kept_value: str, is_kept: bool) -> str:
    if differs:
        return tr("The best copy: {value}").format(value=kept_value)
    if key == "taken" and not record.taken:
        return tr("No date in the file: this is when it was last modified")
    if key == "sharpness":
        return tr("Fine detail, as a share of the best copy's; within 25 % counts as as sharp") if not is_kept \
            else tr("Fine detail: the other copies are measured against this one (100 %)")
    if key == "camera" and record.camera is None:
        return tr("No camera make or model in the file")
    if key == "resolution":
        return tr("{mp} megapixels").format(mp=decimal(record.pixels / 1e6, 1))
    if key == "folder":
        return os.path.dirname(display_path(record.path)[0])
    return tr("The same as the best copy") if not is_kept else ""


def group_texts(library: Library, group: Group, policy: keep_rules.KeepPolicy,
                roots: Sequence[str]) -> dict[int, CardText]:
    """What each member's card says, by member index; against the group's kept copy (its keeper)."""
    members = list(group.members)
    # Positions in a library of the group's files alone, the kept copy first (group.keeper is members[0]).
    sub = group_library(library, [m.index for m in members])
    facts = keep_rules.library_facts(sub)
    kept = members.index(group.keeper)
    others = [k for k in range(len(members)) if k != kept]
    scores = dict(zip(others, similarities_to(sub, kept, others), strict=True))
    reason = translated_reason(keep_rules.reason(policy, sub, kept, others)) if others else ""
    kept_values = _values(sub, facts, kept, kept, roots)
    labels = dict(ROWS)
    out: dict[int, CardText] = {}
    for x, m in enumerate(members):
        is_kept = x == kept
        record = sub.records[x]
        values = kept_values if is_kept else _values(sub, facts, x, kept, roots)
        rows = []
        for key, _label in ROWS:
            differs = not is_kept and _differs(key, sub, facts, x, kept, values[key], kept_values[key])
            rows.append(Fact(key, tr(labels[key]), values[key], differs,
                             _tip(key, record, differs, kept_values[key], is_kept)))
        location = values["folder"]
        root = location.split(SEPARATOR)[0] + SEPARATOR if SEPARATOR in location else ""
        shown = display_path(record.path)[0]
        out[m.index] = CardText(os.path.basename(shown), location, root, shown, tuple(rows),
                                None if is_kept else scores[x], *_summary(m, is_kept, scores.get(x, 100), reason))
    return out


def _summary(m: Member, is_kept: bool, score: int, reason: str) -> tuple[str, str]:
    if is_kept:
        return (reason or tr("The best copy"),
                tr("Why the keep rules keep this copy; the rules and their order are in the sidebar"))
    if m.identical:
        return tr("Identical bytes (100 %)"), tr("Byte for byte the same file as the best copy")
    return (tr("{score} % similar to the best copy").format(score=score),
            tr("How alike this copy and the best copy look, from fine fingerprints of their best-aligned views; "
               "fingerprint distance {d} of 64").format(d=m.distance))
