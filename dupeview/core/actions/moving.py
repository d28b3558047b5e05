"""Moving a file without ever replacing what is at the destination, across disks if need be."""

from __future__ import annotations

import errno
import os
import shutil
from typing import Final

_COPY_CHUNK: Final = 1 << 20


def move_no_replace(src: str, dst: str, st: os.stat_result) -> None:
    """Move src to dst, raising FileExistsError rather than replacing anything at dst."""
    try:
        # link() fails with EEXIST instead of replacing, atomically, unlike rename().
        os.link(src, dst, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno == errno.EXDEV:  # another disk (or another mount of the same one)
            copy_no_replace(src, dst, st)
            return
        # No hard links on this disk (FAT, some network disks) or links are restricted: rename,
        # checking first. A file appearing in between is the only, tiny, window for a replace.
        if os.path.lexists(dst):
            raise FileExistsError(errno.EEXIST, "File exists", dst) from None
        try:
            os.rename(src, dst)
        except OSError as again:
            if again.errno != errno.EXDEV:
                raise
            copy_no_replace(src, dst, st)
        return
    try:
        os.unlink(src)
    except OSError:
        os.unlink(dst)  # keep one name only: the file stays in the trash, as reported
        raise


def copy_no_replace(src: str, dst: str, st: os.stat_result) -> None:
    """Across disks: copy into a file O_EXCL guarantees is new, keep times and mode, then drop src."""
    copy_new(src, dst, st)
    os.unlink(src)


def copy_new(src: str, dst: str, st: os.stat_result) -> None:
    """Copy src to dst, which must not exist yet (O_EXCL), fsync'd, with src's times and mode."""
    with open(src, "rb") as fin, open(dst, "xb") as fout:
        try:
            shutil.copyfileobj(fin, fout, _COPY_CHUNK)
            fout.flush()
            os.fsync(fout.fileno())
        except BaseException:
            fout.close()
            os.unlink(dst)
            raise
    try:
        shutil.copystat(src, dst)
        if os.stat(dst).st_size != st.st_size:
            raise OSError(errno.EIO, "the copy came out incomplete", dst)
    except BaseException:
        os.unlink(dst)
        raise


def free_name(path: str) -> str:
    """path if nothing is there, else "stem (1).ext", "stem (2).ext", ...: a move never replaces."""
    if not os.path.lexists(path):
        return path
    stem, ext = os.path.splitext(path)
    n = 1
    while os.path.lexists(f"{stem} ({n}){ext}"):
        n += 1
    return f"{stem} ({n}){ext}"
