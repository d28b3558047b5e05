"""The mount table read right, and read-ahead switched on by itself for files on a network filesystem."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dupeview.core import mounts, prefetch
from tests.images import photo, save

# Two lines as the kernel writes them: optional fields ("shared:1") before the "-", an NFS share.
SAMPLE = """\
29 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
97 29 0:52 / /mnt/nas rw,relatime shared:60 master:3 - nfs4 nas:/photos rw,vers=4.2,addr=10.0.0.2
98 29 0:53 / /mnt/box rw,nosuid,nodev - fuse.sshfs me@box:/pics rw,user_id=1000
broken line
"""


def test_the_mount_table_is_parsed_with_its_optional_fields() -> None:
    assert mounts.parse_mountinfo(SAMPLE) == {(254, 0): "ext4", (0, 52): "nfs4", (0, 53): "fuse.sshfs"}
    assert {"nfs4", "fuse.sshfs"} <= mounts.NETWORK and "ext4" not in mounts.NETWORK


def test_a_files_filesystem_is_the_one_findmnt_names(tmp_path: Path) -> None:
    if not os.path.exists(mounts.MOUNTINFO):
        pytest.skip("no /proc/self/mountinfo (not Linux)")
    if shutil.which("findmnt") is None:
        pytest.skip("findmnt (util-linux) is not installed")
    expected = subprocess.run(["findmnt", "-n", "-o", "FSTYPE", "--target", str(tmp_path)],
                              capture_output=True, text=True, check=True).stdout.split()[0]
    assert mounts.fstype(os.stat(tmp_path).st_dev) == expected
    assert mounts.on_network(os.stat(tmp_path).st_dev) == (expected in mounts.NETWORK)


def test_read_ahead_is_on_by_itself_only_on_a_network_filesystem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not os.path.exists(mounts.MOUNTINFO):
        pytest.skip("no /proc/self/mountinfo (not Linux)")
    paths = []
    for k in range(3):
        save(photo(k, (48, 32)), tmp_path / f"{k}.jpg")
        paths.append(str(tmp_path / f"{k}.jpg"))
    local = mounts.fstype(os.stat(tmp_path).st_dev)
    assert local is not None
    if local in mounts.NETWORK:
        pytest.skip(f"the test folder is itself on a network filesystem ({local})")
    monkeypatch.delenv(prefetch.ENV, raising=False)
    assert prefetch.default_readers(paths[0]) == 0 and prefetch.ahead(paths) is None
    # The same files, as if their filesystem were a network one.
    monkeypatch.setattr(mounts, "NETWORK", mounts.NETWORK | {local})
    mounts.on_network.cache_clear()
    try:
        assert prefetch.default_readers(paths[0]) == prefetch.NETWORK_READERS
        reads = prefetch.ahead(paths)
        assert reads is not None and len(reads) == 3
        # The setting wins over the filesystem: 0 turns it off.
        monkeypatch.setenv(prefetch.ENV, "0")
        assert prefetch.ahead(paths) is None
    finally:
        mounts.on_network.cache_clear()
    # A batch whose first file vanished: no read-ahead, the decoder reports the file.
    monkeypatch.delenv(prefetch.ENV)
    assert prefetch.default_readers(str(tmp_path / "gone.jpg")) == 0
