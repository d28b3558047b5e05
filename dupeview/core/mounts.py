"""Which filesystem a file is on, from the kernel's mount table: network shares get reads ahead."""

from __future__ import annotations

import functools
import os
from typing import Final

# Filesystems whose every open and read waits for a round trip over the network.
NETWORK: Final = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre", "gpfs", "davfs",
    "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.glusterfs", "fuse.cephfs", "fuse.davfs2",
})
MOUNTINFO: Final = "/proc/self/mountinfo"


def parse_mountinfo(text: str) -> dict[tuple[int, int], str]:
    """(major, minor) of each mounted device -> its filesystem type (the last mount of a device wins)."""
    types: dict[tuple[int, int], str] = {}
    for line in text.splitlines():
        fields = line.split()
        # ID, parent, major:minor, root, mount point, options, optional fields…, "-", type, source, options
        if len(fields) < 8 or "-" not in fields[6:]:
            continue
        major, _, minor = fields[2].partition(":")
        if not (major.isdigit() and minor.isdigit()):
            continue
        dash = fields.index("-", 6)
        if dash + 1 < len(fields):
            types[(int(major), int(minor))] = fields[dash + 1]
    return types


@functools.cache
def _table() -> dict[tuple[int, int], str]:
    try:
        with open(MOUNTINFO, encoding="utf-8", errors="replace") as fh:
            return parse_mountinfo(fh.read())
    except OSError:
        return {}   # not Linux, or no /proc: nothing is known to be remote


def fstype(device: int) -> str | None:
    """The filesystem type of a device number (os.stat().st_dev), None when the mount table doesn't say."""
    found = _table().get((os.major(device), os.minor(device)))
    if found is None:
        _table.cache_clear()   # mounted since the table was read: read it once more
        found = _table().get((os.major(device), os.minor(device)))
    return found


@functools.lru_cache(maxsize=256)
def on_network(device: int) -> bool:
    """Whether files of this device are read over the network (NFS, SMB, sshfs, …)."""
    kind = fstype(device)
    return kind is not None and kind in NETWORK
