"""The write-ahead action log: kill -9 mid-batch stays undoable; forged and damaged lines never move a file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dupeview.core import actions
from dupeview.core.actions import ActionLog, Removal, recover, trash, undo_last

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop trash layout")
ROOT = Path(__file__).resolve().parents[2]


def removal(path: Path) -> Removal:
    from dupeview.core.actions import Facts
    facts = Facts.observe(str(path))
    assert facts.size is not None and facts.mtime_ns is not None
    return Removal(str(path), facts.size, facts.mtime_ns, facts.ctime_ns, facts.dev, facts.ino, facts.digest)


def pairs(root: Path, n: int) -> tuple[list[Path], list[list[str]], dict[Path, bytes]]:
    (root / "photos").mkdir(parents=True)
    (root / "kept").mkdir()
    doomed, groups, data = [], [], {}
    for i in range(n):
        body = os.urandom(200 + i)
        a, b = root / "photos" / f"{i:04d}.jpg", root / "kept" / f"{i:04d}.jpg"
        a.write_bytes(body)
        b.write_bytes(body)
        doomed.append(a)
        groups.append([str(b), str(a)])
        data[a] = body
    return doomed, groups, data


_CHILD = textwrap.dedent("""
    import json, sys, time
    from dupeview.core.actions import ActionLog, Facts, Removal, apply
    spec = json.load(open(sys.argv[1]))
    removals = []
    for p in spec["doomed"]:
        f = Facts.observe(p)
        removals.append(Removal(p, f.size, f.mtime_ns, f.ctime_ns, f.dev, f.ino, f.digest))
    print("starting", flush=True)
    apply(spec["action"], removals, groups=spec["groups"], log=ActionLog(spec["log"]), dest_root=spec["dest"],
          roots=[spec["root"]])
    print("finished", flush=True)
""")


@pytest.mark.parametrize("action", ["trash", "move", "hardlink", "symlink"])
def test_kill_minus_9_mid_batch_leaves_every_file_undoable(tmp_path: Path, action: str) -> None:
    doomed, groups, data = pairs(tmp_path / "lib", 300)
    log_path = tmp_path / "actions.jsonl"
    spec = tmp_path / "spec.json"
    dest = str(tmp_path / "moved") if action == "move" else None
    spec.write_text(json.dumps({"doomed": [str(p) for p in doomed], "groups": groups, "log": str(log_path),
                                "action": action, "dest": dest, "root": str(tmp_path / "lib")}))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(spec)], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "starting"
    deadline = time.monotonic() + 60
    # Two lines per file (intent, result): kill once about a third of the batch is logged.
    while time.monotonic() < deadline and (not log_path.exists() or log_path.read_bytes().count(b"\n") < 200):
        time.sleep(0.002)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()

    def done(p: Path) -> bool:
        if action in ("trash", "move"):
            return not os.path.lexists(p)
        if action == "symlink":
            return p.is_symlink()
        return os.path.lexists(p) and p.stat().st_nlink == 2
    trashed = [p for p in doomed if done(p)]
    assert 0 < len(trashed) < len(doomed), "the kill should land mid-batch"
    log = ActionLog(log_path)
    recover(log)  # what the CLI and the app do at start-up
    assert log.pending() == []
    found = log.last_undoable()
    assert found is not None
    _, entries = found
    # The file being handled at the kill may have been finished or rolled back: either way it is
    # accounted for, and everything else is exactly as the disk shows.
    trashed = [p for p in doomed if done(p)]
    assert sorted(str(e["path"]) for e in entries) == sorted(str(p) for p in trashed)
    untouched = [p for p in doomed if p not in trashed]
    assert all(p.is_file() and not p.is_symlink() and p.stat().st_nlink == 1 and p.read_bytes() == data[p]
               for p in untouched)
    assert not [n for n in os.listdir(tmp_path / "lib" / "photos") if n.startswith(".dupeview-")]

    restored = undo_last(log)
    assert all(o.ok for o in restored), [o for o in restored if not o.ok][:3]
    assert all(p.read_bytes() == data[p] and not p.is_symlink() and p.stat().st_nlink == 1 for p in doomed)


def test_an_intent_whose_file_was_not_touched_is_closed_as_not_done(tmp_path: Path) -> None:
    doomed, groups, data = pairs(tmp_path / "lib", 2)
    log = ActionLog(tmp_path / "actions.jsonl")
    r = removal(doomed[0])
    from dupeview.core.actions import Facts
    log.intend(log.new_batch(), 0, "trash", Facts(r.path, r.size, r.mtime_ns, r.ctime_ns, r.dev, r.ino, r.digest))
    [outcome] = recover(log)
    assert (outcome.ok, outcome.reason) == (False, actions.INTERRUPTED)
    assert doomed[0].read_bytes() == data[doomed[0]] and log.pending() == [] and log.last_undoable() is None


def _forge(log: ActionLog, entry: dict[str, object]) -> None:
    with open(log.path, "ab") as fh:
        fh.write(json.dumps(entry).encode() + b"\n")


def test_a_forged_line_never_moves_a_file(tmp_path: Path) -> None:
    log = ActionLog(tmp_path / "actions.jsonl")
    victim = tmp_path / "precious.txt"
    victim.write_bytes(b"my thesis")
    fake_trash = tmp_path / "fake" / "Trash"
    (fake_trash / "files").mkdir(parents=True)
    (fake_trash / "info").mkdir()
    planted = fake_trash / "files" / "x"
    os.link(victim, planted)
    target = tmp_path / "elsewhere" / "stolen.txt"
    info = fake_trash / "info" / "x.trashinfo"
    info.write_text(f"[Trash Info]\nPath={target}\nDeletionDate=2026-01-01T00:00:00\n")
    hexed = {k: os.fsencode(str(v)).hex() for k, v in (("path", target), ("trash", planted), ("info", info))}
    _forge(log, {"batch": "forged", "action": "trash", "ok": True, "reason": "", "path": str(target),
                 "path_hex": hexed["path"], "trash_path_hex": hexed["trash"], "info_path_hex": hexed["info"],
                 "size": 9, "mtime_ns": victim.stat().st_mtime_ns})

    [outcome] = undo_last(log)
    assert (outcome.ok, outcome.reason) == (False, actions.NOT_A_TRASH)
    assert victim.read_bytes() == b"my thesis" and planted.exists() and not target.exists()


def test_deeply_nested_and_huge_lines_are_skipped_and_undo_still_works(tmp_path: Path, caplog: pytest.LogCaptureFixture
                                                                       ) -> None:
    doomed, groups, data = pairs(tmp_path / "lib", 1)
    log = ActionLog(tmp_path / "actions.jsonl")
    assert trash([removal(doomed[0])], groups=groups, log=log)[0].ok
    with open(log.path, "ab") as fh:
        fh.write(b"[" * 200_000 + b"]" * 200_000 + b"\n")
        fh.write(b'{"batch": "' + b"x" * 1_000_000 + b'"}\n')
    with caplog.at_level("WARNING"):
        [outcome] = undo_last(log)
    assert outcome.ok and doomed[0].read_bytes() == data[doomed[0]]
    assert "skipped 2 damaged line(s)" in caplog.text


def test_undo_never_restores_another_file_with_the_same_name_size_and_mtime(tmp_path: Path) -> None:
    doomed, groups, data = pairs(tmp_path / "lib", 1)
    log = ActionLog(tmp_path / "actions.jsonl")
    [outcome] = trash([removal(doomed[0])], groups=groups, log=log)
    assert outcome.ok and outcome.trash_path
    in_trash = Path(outcome.trash_path)
    st = in_trash.stat()
    other = bytearray(in_trash.read_bytes())
    other[0] ^= 0xFF
    in_trash.unlink()  # the trash emptied, and another file of that name, size and time trashed since
    in_trash.write_bytes(bytes(other))
    os.utime(in_trash, ns=(st.st_atime_ns, st.st_mtime_ns))

    [back] = undo_last(log)
    assert (back.ok, back.reason) == (False, actions.TRASH_CHANGED)
    assert not doomed[0].exists() and in_trash.read_bytes() == bytes(other)


def test_recovery_never_touches_a_new_file_at_the_place_of_an_interrupted_one(tmp_path: Path) -> None:
    from dupeview.core.actions import Facts
    from dupeview.core.actions.operations import send2trash_function
    doomed, groups, data = pairs(tmp_path / "lib", 1)
    log = ActionLog(tmp_path / "actions.jsonl")
    r = removal(doomed[0])
    kept = Facts.observe(groups[0][0])
    log.intend(log.new_batch(), 0, "trash", Facts(r.path, r.size, r.mtime_ns, r.ctime_ns, r.dev, r.ino, r.digest),
               keepers=[kept])
    send2trash_function()(str(doomed[0]))   # the move happened, then the process was killed
    doomed[0].write_bytes(b"saved here since by another program")
    [outcome] = recover(log)
    assert outcome.ok and outcome.trash_path is not None
    assert doomed[0].read_bytes() == b"saved here since by another program"
    assert Path(outcome.trash_path).read_bytes() == data[doomed[0]]
