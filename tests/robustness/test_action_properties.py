"""A property: whatever happens to the files between the scan and the removal (rewritten keeping size and
mtime, replaced, deleted, made one file with another, swapped for a link or a FIFO), trashing the suggested
copies never loses a picture (every content on disk before is still on disk after, outside the trash), and
undo restores every removed file byte-identical."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dupeview.core.actions import ActionLog, Facts, Removal, trash, undo_last

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop trash layout")

CHANGES = ("rewrite", "replace", "delete", "alias", "symlink", "fifo", "touch", "none")


def _contents(paths: list[Path]) -> set[bytes]:
    """The bytes of every regular file among paths (links and pipes are not copies of a picture)."""
    out = set()
    for p in paths:
        if p.is_file() and not p.is_symlink():
            out.add(p.read_bytes())
    return out


def _change(kind: str, path: Path, other: Path, k: int) -> None:
    if not os.path.lexists(path):
        return
    if kind == "rewrite" and path.is_file() and not path.is_symlink():
        st_ = path.stat()
        data = bytearray(path.read_bytes())
        data[k % len(data)] ^= 0x5A
        path.write_bytes(bytes(data))
        os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns))
    elif kind == "replace":
        tmp = path.with_name(path.name + ".new")
        tmp.write_bytes(b"a different picture " + bytes([k % 256]) * (50 + k))
        os.replace(tmp, path)
    elif kind == "delete":
        path.unlink()
    elif kind == "alias" and os.path.lexists(other) and other.is_file() and other != path:
        tmp = path.with_name(path.name + ".lnk")
        os.link(other, tmp)  # the path becomes the very file `other` is
        os.replace(tmp, path)
        if os.path.lexists(tmp):  # they were one file already: rename() then does nothing
            tmp.unlink()
    elif kind == "symlink" and other != path:
        path.unlink()
        path.symlink_to(other)
    elif kind == "fifo":
        path.unlink()
        os.mkfifo(path)
    elif kind == "touch":
        # A link is touched itself: followed, a dangling link or a loop (both made above) would raise.
        os.utime(path, follow_symlinks=not path.is_symlink())


group_sizes = st.lists(st.integers(min_value=2, max_value=3), min_size=1, max_size=4)
changes = st.lists(st.tuples(st.sampled_from(CHANGES), st.integers(0, 11), st.integers(0, 11), st.integers(0, 999)),
                   max_size=6)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=group_sizes, mark_all=st.lists(st.booleans(), min_size=4, max_size=4), edits=changes)
# Found by Hypothesis: a touch of a link that dangles, or that points at itself through a hard link of it.
@example(sizes=[2], mark_all=[False] * 4, edits=[("delete", 1, 0, 0), ("symlink", 0, 1, 0), ("touch", 0, 0, 0)])
@example(sizes=[2], mark_all=[False] * 4, edits=[("symlink", 0, 1, 0), ("alias", 1, 0, 0), ("touch", 0, 0, 0)])
def test_no_group_loses_its_last_copy_and_undo_restores_everything(sizes: list[int], mark_all: list[bool],
                                                                     edits: list[tuple[str, int, int, int]]) -> None:
    with tempfile.TemporaryDirectory(prefix="dupeview-prop-") as tmp:
        root = Path(tmp)
        groups: list[list[Path]] = []
        for g, n in enumerate(sizes):
            body = os.urandom(64 + g)
            members = []
            for m in range(n):
                p = root / f"g{g}" / f"m{m}.jpg"
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_bytes(body)
                members.append(p)
            groups.append(members)
        scanned = [[Facts.observe(str(p)) for p in members] for members in groups]
        everyone = [p for members in groups for p in members]
        # The keep rules keep the first member; sometimes the user marks the whole group anyway.
        removals = [Removal.of(f) for g, facts in enumerate(scanned)  # type: ignore[arg-type]
                    for f in (facts if mark_all[g % 4] else facts[1:])]

        for kind, a, b, k in edits:
            _change(kind, everyone[a % len(everyone)], everyone[b % len(everyone)], k)
        before = [_contents(members) for members in groups]
        bytes_before = {str(p): p.read_bytes() for p in everyone if p.is_file() and not p.is_symlink()}

        log = ActionLog(root / "log.jsonl")
        outcomes = trash(removals, groups=scanned, log=log)  # type: ignore[arg-type]

        for members, had in zip(groups, before, strict=True):
            assert _contents(members) >= had, "a picture that was on disk before the removal is gone"
        removed = [o for o in outcomes if o.ok]
        for o in removed:
            assert not os.path.lexists(o.path)

        restored = undo_last(log) if removed else []
        assert sorted(o.path for o in restored) == sorted(o.path for o in removed)
        assert all(o.ok for o in restored), [o for o in restored if not o.ok]
        for o in removed:
            assert Path(o.path).read_bytes() == bytes_before[o.path]
