"""The file actions against an adversary: files changed, swapped, linked or turned into pipes between the
scan and the removal, kept copies going away, forged and damaged action logs, a tampered trash.

Run with -s to see the summary line (cases tried, crashes, files lost). Each case builds its own folder,
does what an adversary (or bad luck) would, runs trash and undo, and checks that every picture that was
on disk before is still on disk after (outside the trash) and that nothing outside the case was touched.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from dupeview.core import actions
from dupeview.core.actions import ActionLog, Facts, Outcome, Removal, trash, undo_last
from tests.robustness.helpers import lost, snapshot

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop trash layout")


@dataclass
class Case:
    root: Path
    kept: Path
    copy: Path
    log: ActionLog

    def scanned(self) -> tuple[Removal, list[list[Facts]]]:
        k, c = Facts.observe(str(self.kept)), Facts.observe(str(self.copy))
        return Removal.of(c), [[k, c]]  # type: ignore[arg-type]


def _case(root: Path) -> Case:
    root.mkdir(parents=True)
    (root / "kept").mkdir()
    (root / "photos").mkdir()
    body = os.urandom(4096)
    kept, copy = root / "kept" / "IMG.jpg", root / "photos" / "IMG.jpg"
    kept.write_bytes(body)
    copy.write_bytes(body)
    return Case(root, kept, copy, ActionLog(root.parent / f"{root.name}.jsonl"))


def _same_size_rewrite(path: Path) -> None:
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[7] ^= 1
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def _swap(path: Path, make: Callable[[Path], None]) -> None:
    path.unlink()
    make(path)


def _swap_names(c: Case) -> None:
    c.kept.rename(c.root / "t")
    c.copy.rename(c.kept)
    (c.root / "t").rename(c.copy)


def _folder_link(c: Case) -> None:
    c.kept.unlink()
    (c.root / "kept").rmdir()
    (c.root / "kept").symlink_to(c.root / "photos")


# Each: (name, what happens between the scan and the removal, the reason the removal must give)
_BEFORE_REMOVAL: list[tuple[str, Callable[[Case], None], str]] = [
    ("copy rewritten, same size and mtime", lambda c: _same_size_rewrite(c.copy), actions.CHANGED),
    ("keeper rewritten, same size and mtime", lambda c: _same_size_rewrite(c.kept), actions.KEPT_CHANGED),
    ("keeper deleted", lambda c: c.kept.unlink(), actions.KEPT_GONE),
    ("keeper replaced by a link to the copy", lambda c: _swap(c.kept, lambda p: p.symlink_to(c.copy)),
     actions.KEPT_CHANGED),
    # The new link moves the copy's ctime too: the copy itself is no longer as scanned.
    ("keeper replaced by a hard link of the copy", lambda c: _swap(c.kept, lambda p: os.link(c.copy, p)),
     actions.CHANGED),
    ("keeper replaced by a FIFO", lambda c: _swap(c.kept, lambda p: os.mkfifo(p)), actions.KEPT_CHANGED),
    ("copy replaced by a FIFO", lambda c: _swap(c.copy, lambda p: os.mkfifo(p)), actions.NOT_REGULAR),
    ("copy replaced by a link to the keeper", lambda c: _swap(c.copy, lambda p: p.symlink_to(c.kept)),
     actions.NOT_REGULAR),
    ("copy replaced by a folder", lambda c: _swap(c.copy, lambda p: p.mkdir()), actions.NOT_REGULAR),
    ("copy replaced by an identical new file", lambda c: _swap(c.copy, lambda p: p.write_bytes(c.kept.read_bytes())),
     actions.CHANGED),
    ("copy deleted", lambda c: c.copy.unlink(), actions.GONE),
    ("keeper and copy swapped", lambda c: _swap_names(c), actions.CHANGED),
    ("keeper's folder replaced by a link to the copy's", lambda c: _folder_link(c), actions.KEPT_CHANGED),
]


def _forge_line(c: Case, entry: dict[str, object]) -> None:
    with open(c.log.path, "ab") as fh:
        fh.write(json.dumps(entry).encode() + b"\n")


def _forged_outside_trash(c: Case) -> None:
    victim = c.root / "victim.txt"
    victim.write_bytes(b"precious")
    hexed = {k: os.fsencode(str(v)).hex() for k, v in
             (("p", c.root / "stolen.txt"), ("t", victim), ("i", c.root / "victim.trashinfo"))}
    (c.root / "victim.trashinfo").write_text(f"[Trash Info]\nPath={c.root / 'stolen.txt'}\n")
    _forge_line(c, {"batch": "forged", "action": "trash", "ok": True, "reason": "", "path_hex": hexed["p"],
                    "trash_path_hex": hexed["t"], "info_path_hex": hexed["i"]})


def _nested(c: Case) -> None:
    with open(c.log.path, "ab") as fh:
        fh.write(b"[" * 300_000 + b"\n" + b"\xff\xfe\x00 not json\n" + b'{"batch": ' + b'"x' * 200_000 + b'"}\n')


def _other_file_same_name_in_trash(c: Case) -> None:
    [entry] = [e for e in c.log.entries() if e["action"] == "trash" and e["ok"]]
    in_trash = Path(str(entry["trash_path"]))
    st = in_trash.stat()
    in_trash.unlink()
    in_trash.write_bytes(os.urandom(st.st_size))
    os.utime(in_trash, ns=(st.st_atime_ns, st.st_mtime_ns))


def _trashinfo_pointing_elsewhere(c: Case) -> None:
    [entry] = [e for e in c.log.entries() if e["action"] == "trash" and e["ok"]]
    Path(str(entry["info_path"])).write_text(f"[Trash Info]\nPath={c.root / 'elsewhere.jpg'}\nDeletionDate=x\n")


def _occupied(c: Case) -> None:
    c.copy.write_bytes(b"a new file saved here since")


# Each: (name, what happens after a successful trash and before undo, the reason undo must give, or "" for ok)
_BEFORE_UNDO: list[tuple[str, Callable[[Case], None], str]] = [
    ("forged line naming a file outside any trash", _forged_outside_trash, actions.NOT_A_TRASH),
    ("deeply nested, binary and huge lines", _nested, ""),
    ("another file of that name, size and mtime in the trash", _other_file_same_name_in_trash, actions.TRASH_CHANGED),
    (".trashinfo rewritten to point elsewhere", _trashinfo_pointing_elsewhere, actions.NOT_IN_TRASH),
    ("original place taken since", _occupied, actions.OCCUPIED),
]

CASES = len(_BEFORE_REMOVAL) + len(_BEFORE_UNDO)


def _run_removal_case(base: Path, k: int, change: Callable[[Case], None]) -> tuple[Outcome, dict[str, str], dict[str, str]]:
    c = _case(base / f"r{k}")
    removal, groups = c.scanned()
    change(c)
    before = snapshot(c.root)
    [outcome] = trash([removal], groups=groups, log=c.log)  # type: ignore[arg-type]
    return outcome, before, snapshot(c.root)


def test_action_adversaries(tmp_path: Path) -> None:
    crashes: list[str] = []
    gone: list[str] = []
    wrong: list[str] = []
    for k, (name, change, reason) in enumerate(_BEFORE_REMOVAL):
        try:
            outcome, before, after = _run_removal_case(tmp_path, k, change)
        except Exception as exc:  # noqa: BLE001 - counted and reported below
            crashes.append(f"{name}: {exc!r}")
            continue
        gone += [f"{name}: {p}" for p in lost(before, after)]
        if (outcome.ok, outcome.reason) != (False, reason):
            wrong.append(f"{name}: {outcome}")
    for k, (name, change, reason) in enumerate(_BEFORE_UNDO):
        c = _case(tmp_path / f"u{k}")
        body = c.copy.read_bytes()
        removal, groups = c.scanned()
        try:
            assert trash([removal], groups=groups, log=c.log)[0].ok  # type: ignore[arg-type]
            change(c)
            before = snapshot(c.root)
            outcomes = undo_last(c.log)
            after = snapshot(c.root)
        except Exception as exc:  # noqa: BLE001 - counted and reported below
            crashes.append(f"{name}: {exc!r}")
            continue
        restored = {k2 for k2, v in after.items() if before.get(k2) != v}
        if reason:
            gone += [f"{name}: {p}" for p in lost(before, after)]
            if not outcomes or (outcomes[0].ok, outcomes[0].reason) != (False, reason):
                wrong.append(f"{name}: {outcomes}")
        elif not (outcomes and outcomes[0].ok and c.copy.read_bytes() == body and restored == {"photos/IMG.jpg"}):
            wrong.append(f"{name}: {outcomes}")
    print(f"\nadversarial actions: {CASES} cases, {len(crashes)} crashes, {len(gone)} files lost")
    assert crashes == [] and gone == [] and wrong == []
