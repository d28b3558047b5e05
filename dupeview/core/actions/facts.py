"""What the scan saw of a file, and the check that the file on disk is still exactly that one."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from typing import Protocol

from dupeview.core import safeio
from dupeview.core.actions import reasons


class Observed(Protocol):
    """Anything carrying a scan's facts about one file (an ImageRecord, a Removal, Facts)."""

    @property
    def path(self) -> str: ...
    @property
    def size(self) -> int | None: ...
    @property
    def mtime_ns(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Facts:
    """A file's identity and content as seen at the scan; None where the caller did not know it."""

    path: str
    size: int | None = None
    mtime_ns: int | None = None
    ctime_ns: int | None = None
    dev: int | None = None
    ino: int | None = None
    digest: bytes | None = None

    @classmethod
    def of(cls, thing: Observed | str) -> Facts:
        if isinstance(thing, str):
            return cls(thing)
        if isinstance(thing, Facts):
            return thing
        ino = getattr(thing, "ino", None)
        # Records read from a cache file carry made-up negative inodes: not a fact.
        known = isinstance(ino, int) and ino >= 0
        return cls(thing.path, thing.size, thing.mtime_ns, getattr(thing, "ctime_ns", None),
                   getattr(thing, "dev", None) if known else None, ino if known else None,
                   getattr(thing, "digest", None))

    @classmethod
    def observe(cls, path: str) -> Facts:
        """The facts of the file at path now (reads it whole for the digest); OSError if unreadable."""
        digest, st = safeio.file_digest(path)
        return cls(path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_dev, st.st_ino, digest)


@dataclass(frozen=True, slots=True)
class Seen:
    """A file found as expected just now: its lstat and digest."""

    facts: Facts
    st: os.stat_result
    digest: bytes


def _differs(expected: Facts, st: os.stat_result) -> bool:
    pairs = ((expected.size, st.st_size), (expected.mtime_ns, st.st_mtime_ns), (expected.ctime_ns, st.st_ctime_ns),
             (expected.dev, st.st_dev), (expected.ino, st.st_ino))
    return any(want is not None and want != have for want, have in pairs)


def verify(expected: Facts, *, missing: str = reasons.GONE, changed: str = reasons.CHANGED) -> Seen | str:
    """The file as the scan saw it (same identity, same digest), or the plain reason it is not.

    A symbolic link, pipe or device now standing at the path is refused without being opened; the
    file opened is checked to be the one stat'ed, so a swap in between is caught."""
    path = os.path.abspath(expected.path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return missing
    except OSError as exc:
        return reasons.explain(exc, path)
    if not stat.S_ISREG(st.st_mode):
        return reasons.NOT_REGULAR
    if _differs(expected, st):
        return changed
    try:
        digest, fst = safeio.file_digest(path, follow_links=False)
    except FileNotFoundError:
        return missing
    except safeio.NotRegularFile:
        return reasons.NOT_REGULAR
    except OSError as exc:
        return reasons.explain(exc, path, "read it")
    if (fst.st_dev, fst.st_ino) != (st.st_dev, st.st_ino) or _differs(expected, fst):
        return changed
    if expected.digest is not None and digest != expected.digest:
        return changed
    return Seen(expected, fst, digest)


def listed(path: str) -> bool:
    """True when the path's name is in its folder's listing. A stat may be answered from a stale cache
    (an overlay whose lower file was moved keeps answering for it); a fresh listing is not."""
    folder, name = os.path.split(os.path.abspath(path))
    try:
        with os.scandir(folder) as it:
            return any(e.name == name for e in it)
    except OSError:
        return False


def same_file_sign(a: Seen, b: Seen) -> bool:
    """One file seen through two mounts: same inode number, size, times to the nanosecond and content,
    only the device differs (an overlay over a folder also visible, one NFS share mounted twice)."""
    if (a.st.st_dev, a.st.st_ino) == (b.st.st_dev, b.st.st_ino):
        return True
    return (a.st.st_ino == b.st.st_ino and a.st.st_size == b.st.st_size and a.st.st_mtime_ns == b.st.st_mtime_ns
            and a.st.st_ctime_ns == b.st.st_ctime_ns and a.digest == b.digest)
