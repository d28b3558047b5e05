"""File actions behind Keep/Trash: refuse anything unsafe, trash (or delete) the rest, log it, undo it."""

from __future__ import annotations

import errno
import itertools
import json
import logging
import os
import shutil
import stat
import sys
import threading
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final
from urllib.parse import unquote_to_bytes

from dupeview import paths
from dupeview.core.progress import CancelToken, ProgressCallback, Reporter

_logger = logging.getLogger(__name__)

# Plain reasons the GUI shows next to a file; tests match on them, so they are constants.
LAST_COPY: Final = "the last copy of its group is never removed"
NO_GROUP: Final = "it is in no duplicate group, so it may be the only copy"
KEPT_GONE: Final = "the copy being kept is no longer on disk"
KEPT_SAME_FILE: Final = "the copy being kept is the same file on disk as this one"
CHANGED: Final = "changed since the scan"
GONE: Final = "gone since the scan"
NOT_REGULAR: Final = "not a regular file"
CANCELLED: Final = "cancelled"
DUPLICATE: Final = "listed more than once"
PERMISSION: Final = "permission denied"
READ_ONLY: Final = "its disk is read-only"
OCCUPIED: Final = "something else now exists at its original place; the trashed copy stays in the trash"
NOT_IN_TRASH: Final = "it is no longer in the trash (emptied or restored elsewhere)"
TRASH_CHANGED: Final = "the file in the trash is not the one that was trashed"
TRASH_UNKNOWN: Final = "where it went in the trash is unknown; restore it from the trash folder"
NO_UNDO: Final = "restoring from the trash is not available on this system"

ACTIONS: Final = ("trash", "delete", "restore")
LOG_NAME: Final = "actions.jsonl"
_INFO_SUFFIX: Final = ".trashinfo"
_MAX_INFO_BYTES: Final = 64 * 1024  # a .trashinfo is a few lines; anything bigger is not one
_COPY_CHUNK: Final = 1 << 20


@dataclass(frozen=True, slots=True)
class Removal:
    """One file the user asked to remove, with the facts seen at scan time."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one file; for a restore, trash_path/info_path say where it was (or still is)."""

    path: str
    ok: bool
    reason: str = ""
    trash_path: str | None = None
    info_path: str | None = None


# --- refusing the unsafe -------------------------------------------------------------------------

def _norm(path: str) -> str:
    # The scanner and the GUI may spell one file differently ("./a", "a"); compare absolute forms.
    return os.path.abspath(path)


def refusals(groups: Sequence[Sequence[str]], marked: Collection[str]) -> dict[str, str]:
    """path -> reason for every marked path that must not be removed because every member of its group is
    marked (the last copy is never removed). groups are the member paths of each group.

    A marked path that is in no group at all is refused too: nothing says another copy exists."""
    marked_norm = {_norm(p) for p in marked}
    grouped: set[str] = set()
    fully_marked: set[str] = set()
    for group in groups:
        members = [_norm(p) for p in group]
        grouped.update(members)
        if members and all(m in marked_norm for m in members):
            fully_marked.update(members)
    result: dict[str, str] = {}
    for path in marked:
        norm = _norm(path)
        if norm in fully_marked:
            result[path] = LAST_COPY
        elif norm not in grouped:
            result[path] = NO_GROUP
    return result


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def _survivor_refusals(groups: Sequence[Sequence[str]], marked: set[str]) -> dict[str, str]:
    """norm path -> reason for marked files whose group has kept members, but none truly left on disk.

    refusals() works on names only; here we look at the disk, because "keep b, trash a" loses the
    picture when b was deleted or moved since the scan, or when b is a and only the name differs
    (a hard link, a bind mount, a case-insensitive disk)."""
    result: dict[str, str] = {}
    for group in groups:
        members = [_norm(p) for p in group]
        doomed = [m for m in members if m in marked]
        kept = [m for m in members if m not in marked]
        if not doomed or not kept:
            continue
        doomed_ids = {(st.st_dev, st.st_ino) for st in map(_lstat, doomed) if st is not None}
        kept_stats = [st for st in map(_lstat, kept) if st is not None and stat.S_ISREG(st.st_mode)]
        if any((st.st_dev, st.st_ino) not in doomed_ids for st in kept_stats):
            continue
        reason = KEPT_SAME_FILE if kept_stats else KEPT_GONE
        for m in doomed:
            result.setdefault(m, reason)
    return result


def _reason(exc: OSError, path: str) -> str:
    """Plain words for an OSError from send2trash, os.remove or a restore."""
    if exc.errno == errno.EROFS or _on_read_only_disk(path):
        return READ_ONLY
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return PERMISSION
    if exc.errno == errno.ENOENT and not os.path.lexists(path):
        return GONE
    if exc.errno == errno.ENOSPC:
        return "no space left on the disk of the trash"
    words = (exc.strerror or str(exc) or type(exc).__name__).rstrip(".")
    where = exc.filename
    if isinstance(where, bytes):
        where = os.fsdecode(where)
    if isinstance(where, str) and where and _norm(where) != _norm(path):
        # The trouble is somewhere else (usually the trash folder), so say where.
        words += f" ({where})"
    return f"could not move it to the trash: {words[:1].lower()}{words[1:]}"


def _on_read_only_disk(path: str) -> bool:
    # send2trash reports a read-only disk as "permission denied" (os.access); the truth is kinder.
    if not hasattr(os, "statvfs"):
        return False
    try:
        return bool(os.statvfs(os.path.dirname(_norm(path))).f_flag & os.ST_RDONLY)
    except OSError:
        return False


# --- where a file lands in the freedesktop trash ---------------------------------------------------

def can_undo() -> bool:
    """True where restoring from the trash is implemented (Linux/freedesktop)."""
    return os.name == "posix" and sys.platform != "darwin"


def _home_trashes() -> list[str]:
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    found = [os.path.join(data_home, "Trash")]
    # send2trash fixed its home trash when it was imported; if the environment moved since, look there too.
    module = sys.modules.get("send2trash.plat_other")
    imported = getattr(module, "HOMETRASH", None)
    if isinstance(imported, str) and imported not in found:
        found.append(imported)
    return found


def _mount_root(path: str) -> str:
    here = os.path.realpath(path)
    while not os.path.ismount(here):
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return here


def _volume_trashes(mount_root: str) -> list[str]:
    uid = str(os.getuid())
    return [os.path.join(mount_root, ".Trash", uid), os.path.join(mount_root, f".Trash-{uid}")]


def _topdir(trash_dir: str) -> str:
    """The folder relative Path= values are relative to: the mount root for a volume trash, else the
    folder holding the home trash ($XDG_DATA_HOME)."""
    parent = os.path.dirname(trash_dir)
    if os.path.basename(parent) == ".Trash" and os.path.basename(trash_dir) == str(os.getuid()):
        return os.path.dirname(parent)
    return parent


@dataclass(frozen=True, slots=True)
class _Info:
    original: str       # absolute original path, exact (surrogateescape for non-UTF-8 bytes)
    deleted: str        # DeletionDate as written: ISO text sorts by time
    mtime_ns: int


def _read_info(info_path: str, topdir: str) -> _Info | None:
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
    return _Info(os.path.normpath(original), deleted, st.st_mtime_ns)


def _chain_names(name: str) -> Iterator[str]:
    """send2trash's names for `name` in a trash that already holds it: name, "stem 1.ext", ..."""
    yield name
    stem, ext = os.path.splitext(name)
    for n in itertools.count(1):
        yield f"{stem} {n}{ext}"


def _locate(original: str, before: os.stat_result, mount_root: str | None) -> tuple[str, str] | None:
    """(files/<name>, info/<name>.trashinfo) of the trashed `original`, found through the .trashinfo
    whose Path= is it. Several may match (the same path trashed twice): the one holding our inode wins
    (or, after a copy across disks, our size and mtime), then the newest DeletionDate."""
    trashes = _home_trashes() + (_volume_trashes(mount_root) if mount_root else [])
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
        info = _read_info(os.path.join(trash, "info", info_name), _topdir(trash))
        if info is None or info.original not in (original, real_original):
            return None
        st = _lstat(os.path.join(trash, "files", info_name[: -len(_INFO_SUFFIX)]))
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
        return (os.path.join(trash, "files", info_name[: -len(_INFO_SUFFIX)]),
                os.path.join(trash, "info", info_name))

    # Fast path: send2trash names collisions "stem N.ext", always the first free one, so the chain
    # is short and contiguous; checking it avoids reading a big trash once per file.
    chain: list[tuple[str, str]] = []
    for trash in unique:
        for name in _chain_names(os.path.basename(original)):
            info_name = name + _INFO_SUFFIX
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
        everything += [(trash, n) for n in names if n.endswith(_INFO_SUFFIX)]
    return best(everything)


# --- trash -----------------------------------------------------------------------------------------

def trash(removals: Sequence[Removal], *, groups: Sequence[Sequence[str]], permanent: bool = False,
          log: ActionLog | None = None, progress: ProgressCallback | None = None,
          cancel: CancelToken | None = None) -> list[Outcome]:
    """One Outcome per removal, in order. Refuses (ok=False, file untouched): any file of a group whose
    every member would be removed; a file whose size or mtime_ns changed since the scan, or that is gone,
    or is not a regular file; anything when cancelled before it was reached. Otherwise send2trash
    (catch OSError: its errors are OSError subclasses) or, only when permanent=True, os.remove.
    On Linux records where the file landed in the trash (find the .trashinfo whose Path= is the
    original path, URL-decoded, newest DeletionDate; check $XDG_DATA_HOME/Trash and the file's
    mount-point `.Trash-$uid`/`.Trash/$uid`). Appends the batch to the log when given.

    Also refused: a file in no group, and a file whose group's kept copies are no longer on disk
    (or are the same file under another name)."""
    marked = [r.path for r in removals]
    refused = {_norm(p): why for p, why in refusals(groups, marked).items()}
    for norm, why in _survivor_refusals(groups, {_norm(p) for p in marked}).items():
        refused.setdefault(norm, why)

    send2trash: Callable[[str], None] | None = None
    if not permanent:
        # Imported here, not at the top: it reads HOME/XDG_DATA_HOME once, at import time.
        from send2trash import send2trash as move_to_trash
        send2trash = move_to_trash

    reporter = Reporter(progress, "trash", len(removals), sum(max(r.size, 0) for r in removals))
    locate = can_undo() and not permanent
    mount_roots: dict[str, str] = {}
    seen: set[str] = set()
    outcomes: list[Outcome] = []
    for removal in removals:
        path = removal.path
        norm = _norm(path)
        if cancel is not None and cancel.cancelled:
            outcomes.append(Outcome(path, False, CANCELLED))
            continue
        reporter.advance(1, max(removal.size, 0), os.path.basename(path))
        if norm in seen:
            outcomes.append(Outcome(path, False, DUPLICATE))
            continue
        seen.add(norm)
        if norm in refused:
            outcomes.append(Outcome(path, False, refused[norm]))
            continue
        try:
            st = os.lstat(norm)
        except FileNotFoundError:
            outcomes.append(Outcome(path, False, GONE))
            continue
        except OSError as exc:
            outcomes.append(Outcome(path, False, _reason(exc, norm)))
            continue
        if not stat.S_ISREG(st.st_mode):
            outcomes.append(Outcome(path, False, NOT_REGULAR))
            continue
        if st.st_size != removal.size or st.st_mtime_ns != removal.mtime_ns:
            outcomes.append(Outcome(path, False, CHANGED))
            continue

        if send2trash is None:
            try:
                os.remove(norm)
            except OSError as exc:
                outcomes.append(Outcome(path, False, _reason(exc, norm)))
            else:
                outcomes.append(Outcome(path, True))
            continue

        folder = os.path.dirname(norm)
        mount_root = None
        if locate:
            if folder not in mount_roots:
                mount_roots[folder] = _mount_root(folder)
            mount_root = mount_roots[folder]
        try:
            send2trash(norm)
        except OSError as exc:
            if os.path.lexists(norm) or exc.errno == errno.ENOENT:
                outcomes.append(Outcome(path, False, _reason(exc, norm)))
                continue
            # It left its folder although send2trash failed (a copy across disks that half worked):
            # say so only if it really is in the trash.
            where = _locate(norm, st, mount_root) if locate else None
            if where is None:
                outcomes.append(Outcome(path, False, f"{_reason(exc, norm)}; it is no longer in its folder"))
                continue
            outcomes.append(Outcome(path, True, "", *where))
            continue
        where = _locate(norm, st, mount_root) if locate else None
        outcomes.append(Outcome(path, True, "", *where) if where else Outcome(path, True))
    reporter.finish()

    if log is not None and outcomes:
        try:
            log.record("delete" if permanent else "trash", outcomes)
        except OSError as exc:
            # The files have moved already; losing the outcomes would be worse than losing the log line.
            _logger.warning("could not write the action log %s: %s", log.path, exc)
    return outcomes


# --- the log ---------------------------------------------------------------------------------------

def _display(path: str) -> str:
    return os.fsencode(path).decode("utf-8", "replace")


def _hex(path: str | None) -> str | None:
    return None if path is None else os.fsencode(path).hex()


def _unhex(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a hex path")
    return os.fsdecode(bytes.fromhex(value))


class ActionLog:
    """Append-only JSON-lines log of what was trashed, from where, when (under paths.data_dir() by default).

    One line per file; a batch is the lines sharing a "batch" id. Paths are stored twice: as readable
    text ("path") and as the exact bytes in hex ("path_hex"), which entries() turns back into "path"."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else paths.data_dir() / LOG_NAME
        self._lock = threading.Lock()

    def record(self, action: str, outcomes: Sequence[Outcome], *, undoes: str | None = None) -> str:
        """Append one batch and return its id; `undoes` names the trash batch a restore batch undid."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
        batch = uuid.uuid4().hex
        when = datetime.now().astimezone().isoformat(timespec="seconds")
        lines = []
        for outcome in outcomes:
            size = mtime_ns = None
            if action == "trash" and outcome.ok and outcome.trash_path:
                # Undo checks the file in the trash is still this one before moving it back.
                st = _lstat(outcome.trash_path)
                if st is not None:
                    size, mtime_ns = st.st_size, st.st_mtime_ns
            entry: dict[str, object] = {
                "batch": batch, "action": action, "time": when,
                "path": _display(_norm(outcome.path)), "path_hex": _hex(_norm(outcome.path)),
                "ok": outcome.ok, "reason": outcome.reason,
                "trash_path": None if outcome.trash_path is None else _display(outcome.trash_path),
                "trash_path_hex": _hex(outcome.trash_path),
                "info_path": None if outcome.info_path is None else _display(outcome.info_path),
                "info_path_hex": _hex(outcome.info_path),
                "size": size, "mtime_ns": mtime_ns,
            }
            if undoes is not None:
                entry["undoes"] = undoes
            lines.append(json.dumps(entry, ensure_ascii=True, separators=(",", ":")))
        if not lines:
            return batch
        data = ("\n".join(lines) + "\n").encode("ascii")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "ab") as fh:
                # A crash mid-line must not glue the next batch onto the damaged line.
                if fh.tell() > 0 and not _ends_with_newline(self.path):
                    data = b"\n" + data
                fh.write(data)  # one write per batch: O_APPEND keeps concurrent writers' lines whole
                fh.flush()
                os.fsync(fh.fileno())
        return batch

    def entries(self) -> list[dict[str, object]]:
        """All entries, oldest first; a damaged line is skipped."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        result = []
        for line in data.splitlines():
            try:
                entry = json.loads(line)
                if not isinstance(entry, dict) or not isinstance(entry.get("batch"), str):
                    continue
                if entry.get("action") not in ACTIONS or not isinstance(entry.get("ok"), bool):
                    continue
                entry["path"] = _unhex(entry["path_hex"])
                for key in ("trash_path", "info_path"):
                    raw = entry.get(key + "_hex")
                    entry[key] = None if raw is None else _unhex(raw)
            except (ValueError, KeyError, TypeError, UnicodeError):
                continue
            result.append(entry)
        return result

    def last_undoable(self) -> tuple[str, list[dict[str, object]]] | None:
        """The newest "trash" batch not yet restored, with its ok entries."""
        entries = self.entries()
        undone = {e["undoes"] for e in entries if e["action"] == "restore" and "undoes" in e}
        batches: dict[str, list[dict[str, object]]] = {}
        for e in entries:
            if e["action"] == "trash" and e["ok"] and e["batch"] not in undone:
                batches.setdefault(str(e["batch"]), []).append(e)
        if not batches:
            return None
        # dicts keep insertion order: the last key is the batch whose first line is newest.
        batch = next(reversed(batches))
        return batch, batches[batch]


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


# --- undo ------------------------------------------------------------------------------------------

def undo_last(log: ActionLog) -> list[Outcome]:
    """Move the newest undoable batch back: files/<name> -> original path, delete the .trashinfo.
    Never overwrites: if something now exists at the original path, that file's Outcome is ok=False
    with a reason and the trashed copy stays in the trash. Records a "restore" batch so the same
    batch is not undone twice. Returns [] when there is nothing to undo."""
    found = log.last_undoable()
    if found is None:
        return []
    batch, entries = found
    if not can_undo():
        return [Outcome(str(e["path"]), False, NO_UNDO) for e in entries]
    outcomes = [_restore(e) for e in entries]
    log.record("restore", outcomes, undoes=batch)
    return outcomes


def _restore(entry: dict[str, object]) -> Outcome:
    original = str(entry["path"])
    trash_path = entry.get("trash_path")
    info_path = entry.get("info_path")
    if not isinstance(trash_path, str) or not isinstance(info_path, str):
        return Outcome(original, False, TRASH_UNKNOWN)

    def refuse(reason: str) -> Outcome:
        return Outcome(original, False, reason, trash_path, info_path)

    # Check the trash still holds this very file: the trash may have been emptied and another file of
    # the same name trashed since, which must not be moved to this file's old place.
    info = _read_info(info_path, _topdir(os.path.dirname(os.path.dirname(info_path))))
    st = _lstat(trash_path)
    if info is None or st is None or info.original != os.path.normpath(original):
        return refuse(NOT_IN_TRASH)
    size, mtime_ns = entry.get("size"), entry.get("mtime_ns")
    if not stat.S_ISREG(st.st_mode) or (isinstance(size, int) and st.st_size != size) \
            or (isinstance(mtime_ns, int) and st.st_mtime_ns != mtime_ns):
        return refuse(TRASH_CHANGED)
    if os.path.lexists(original):
        return refuse(OCCUPIED)
    try:
        # Its folder may have gone since (emptied by hand): put it back where it was.
        os.makedirs(os.path.dirname(original), exist_ok=True)
        _move_no_replace(trash_path, original, st)
    except FileExistsError:
        return refuse(OCCUPIED)
    except OSError as exc:
        reason = _reason(exc, original).replace("could not move it to the trash", "could not move it back")
        return refuse(reason)
    try:
        os.remove(info_path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        # The file is home; a stale .trashinfo only shows as a broken entry in the trash.
        _logger.warning("restored %s but could not remove %s: %s", _display(original), _display(info_path), exc)
    return Outcome(original, True, "", trash_path, info_path)


def _move_no_replace(src: str, dst: str, st: os.stat_result) -> None:
    """Move src to dst, raising FileExistsError rather than replacing anything at dst."""
    try:
        # link() fails with EEXIST instead of replacing, atomically, unlike rename().
        os.link(src, dst, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno == errno.EXDEV:  # another disk (or another mount of the same one)
            _copy_no_replace(src, dst, st)
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
            _copy_no_replace(src, dst, st)
        return
    try:
        os.unlink(src)
    except OSError:
        os.unlink(dst)  # keep one name only: the file stays in the trash, as reported
        raise


def _copy_no_replace(src: str, dst: str, st: os.stat_result) -> None:
    """Across disks: copy into a file O_EXCL guarantees is new, keep times and mode, then drop src."""
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
    os.unlink(src)
