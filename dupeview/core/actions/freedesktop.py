"""Where a file lands in the freedesktop trash, read back through its .trashinfo; which folders are trashes."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, NamedTuple
from urllib.parse import unquote_to_bytes

INFO_SUFFIX: Final = ".trashinfo"
_MAX_INFO_BYTES: Final = 64 * 1024  # a .trashinfo is a few lines; anything bigger is not one


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def can_undo() -> bool:
    """True where restoring from the trash is implemented (Linux/freedesktop)."""
    return os.name == "posix" and sys.platform != "darwin"


def home_trashes() -> list[str]:
    data_home = os.environ.get("XDG_DATA_HOME", "").strip() or os.path.expanduser("~/.local/share")
    found = [os.path.join(data_home, "Trash")]
    # send2trash fixed its home trash when it was imported; if the environment moved since, look there too.
    module = sys.modules.get("send2trash.plat_other")
    imported = getattr(module, "HOMETRASH", None)
    if isinstance(imported, str) and os.path.isabs(imported) and imported not in found:
        found.append(imported)
    return found


def mount_root(path: str) -> str:
    here = os.path.realpath(path)
    while not os.path.ismount(here):
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return here


def volume_trashes(root: str) -> list[str]:
    uid = str(os.getuid())
    return [os.path.join(root, ".Trash", uid), os.path.join(root, f".Trash-{uid}")]


def topdir(trash_dir: str) -> str:
    """The folder relative Path= values are relative to: the mount root for a volume trash, else the
    folder holding the home trash ($XDG_DATA_HOME)."""
    parent = os.path.dirname(trash_dir)
    if os.path.basename(parent) == ".Trash" and os.path.basename(trash_dir) == str(os.getuid()):
        return os.path.dirname(parent)
    return parent


class Ident(NamedTuple):
    """The stat fields locate() matches a trashed file by."""

    st_dev: int
    st_ino: int
    st_size: int
    st_mtime_ns: int


@dataclass(frozen=True, slots=True)
class Info:
    original: str       # absolute original path, exact (surrogateescape for non-UTF-8 bytes)
    deleted: str        # DeletionDate as written: ISO text sorts by time
    mtime_ns: int


def read_info(info_path: str, topdir: str) -> Info | None:
    try:
        with open(info_path, "rb") as fh:
            data = fh.read(_MAX_INFO_BYTES + 1)
            st = os.fstat(fh.fileno())
    except OSError:
        return None
    if len(data) > _MAX_INFO_BYTES:
        return None
    section = b""
    original: str | None = None
    deleted = ""
    for raw in data.splitlines():
        line = raw.strip()
        if line.startswith(b"["):
            section = line
        elif section == b"[Trash Info]" and b"=" in line:
            key, _, value = line.partition(b"=")
            if key.strip() == b"Path":
                # Path= holds the file name's bytes percent-encoded, so non-UTF-8 names survive.
                original = os.fsdecode(unquote_to_bytes(value.strip()))
            elif key.strip() == b"DeletionDate":
                deleted = value.strip().decode("ascii", "replace")
    if not original:
        return None
    if not os.path.isabs(original):
        original = os.path.join(topdir, original)
    return Info(os.path.normpath(original), deleted, st.st_mtime_ns)


def _chain_names(name: str) -> Iterator[str]:
    """send2trash's names for `name` in a trash that already holds it: name, "stem 1.ext", ..."""
    yield name
    stem, ext = os.path.splitext(name)
    for n in itertools.count(1):
        yield f"{stem} {n}{ext}"


def locate(original: str, before: os.stat_result | Ident, root: str | None) -> tuple[str, str] | None:
    """(files/<name>, info/<name>.trashinfo) of the trashed `original`, found through the .trashinfo
    whose Path= is it. Several may match (the same path trashed twice): the one holding our inode wins
    (or, after a copy across disks, our size and mtime), then the newest DeletionDate."""
    trashes = home_trashes() + (volume_trashes(root) if root else [])
    seen: set[str] = set()
    unique = []
    for t in trashes:
        key = os.path.realpath(t)
        if key not in seen and os.path.isdir(os.path.join(t, "info")):
            seen.add(key)
            unique.append(t)
    original = os.path.normpath(original)
    real_original = os.path.join(os.path.realpath(os.path.dirname(original)), os.path.basename(original))

    def score(trash: str, info_name: str) -> tuple[int, str, int] | None:
        info = read_info(os.path.join(trash, "info", info_name), topdir(trash))
        if info is None or info.original not in (original, real_original):
            return None
        st = _lstat(os.path.join(trash, "files", info_name[: -len(INFO_SUFFIX)]))
        if st is None:
            return None
        if (st.st_dev, st.st_ino) == (before.st_dev, before.st_ino):
            rank = 2
        elif (st.st_size, st.st_mtime_ns) == (before.st_size, before.st_mtime_ns):
            rank = 1
        else:
            return None  # an older trashing of the same path, with other contents
        return rank, info.deleted, info.mtime_ns

    def best(candidates: list[tuple[str, str]]) -> tuple[str, str] | None:
        scored = [(s, t, n) for t, n in candidates if (s := score(t, n)) is not None]
        if not scored:
            return None
        _, trash, info_name = max(scored)
        return (os.path.join(trash, "files", info_name[: -len(INFO_SUFFIX)]),
                os.path.join(trash, "info", info_name))

    # Fast path: send2trash names collisions "stem N.ext", always the first free one, so the chain
    # is short and contiguous; checking it avoids reading a big trash once per file.
    chain: list[tuple[str, str]] = []
    for trash in unique:
        for name in _chain_names(os.path.basename(original)):
            info_name = name + INFO_SUFFIX
            in_files = os.path.lexists(os.path.join(trash, "files", name))
            in_info = os.path.lexists(os.path.join(trash, "info", info_name))
            if not (in_files or in_info):
                break
            if in_info:
                chain.append((trash, info_name))
    found = best(chain)
    if found is not None:
        return found
    # Other trash implementations (GIO, KDE) name collisions their own way: read every .trashinfo.
    everything = []
    for trash in unique:
        try:
            names = os.listdir(os.path.join(trash, "info"))
        except OSError:
            continue
        everything += [(trash, n) for n in names if n.endswith(INFO_SUFFIX)]
    return best(everything)




def _existing_ancestor(path: str) -> str:
    here = os.path.dirname(os.path.abspath(path))
    while not os.path.isdir(here):
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return here


def in_a_trash(trash_path: str, info_path: str, original: str) -> bool:
    """True when this pair is files/<name> and info/<name>.trashinfo of one trash folder that is the home
    trash or a trash of the disk `original` lives on, neither folder a link.

    Undo reads these paths from a log anyone could edit: anything else is refused, so a forged line
    cannot move an arbitrary file to an arbitrary place."""
    trash_path, info_path = os.path.abspath(trash_path), os.path.abspath(info_path)
    name = os.path.basename(trash_path)
    trash = os.path.dirname(os.path.dirname(trash_path))
    if (not name or os.path.basename(os.path.dirname(trash_path)) != "files"
            or info_path != os.path.join(trash, "info", name + INFO_SUFFIX)):
        return False
    known = home_trashes() + volume_trashes(mount_root(_existing_ancestor(original)))
    real = os.path.realpath(trash)
    if not any(os.path.realpath(t) == real for t in known):
        return False
    for folder in (os.path.join(trash, "files"), os.path.join(trash, "info")):
        if os.path.islink(folder) or os.path.realpath(folder) != os.path.join(real, os.path.basename(folder)):
            return False
    return True


def trash_entry(trash_path: str, info_path: str, original: str) -> Info | None:
    """The .trashinfo of a real trash entry (see in_a_trash) whose Path= names `original`, else None."""
    if not in_a_trash(trash_path, info_path, original) or os.path.islink(info_path):
        return None
    trash = os.path.dirname(os.path.dirname(os.path.abspath(trash_path)))
    info = read_info(info_path, topdir(trash))
    if info is None or info.original != os.path.normpath(os.path.abspath(original)):
        return None
    return info
