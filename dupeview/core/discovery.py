"""Walk the chosen folders and list the image files in them, with exclusions and loop safety.

Every other file under the roots is listed too, by kind (videos, Photoshop files, …), and
what the settings leave out (hidden, excluded, too small) is counted: nothing is passed
over without a word.
"""

from __future__ import annotations

import bisect
import fnmatch
import operator
import os
import re
import stat
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field
from itertools import compress
from typing import NamedTuple

from dupeview import paths
from dupeview.core import coverage
from dupeview.core.coverage import NotCompared
from dupeview.core.formats import IMAGE, OTHER, RAW, SNIFF_BYTES, has_image_extension, kind_by_content, kind_by_name
from dupeview.core.progress import CancelToken, Progress, ProgressCallback

# Folders no one wants searched: trash cans, version control, thumbnail caches of
# desktops and NAS boxes. Matched against the folder's name.
DEFAULT_EXCLUDED_DIRS: tuple[str, ...] = (
    ".Trash", ".Trash-*", "$RECYCLE.BIN", "RECYCLER", ".git", ".hg", ".svn",
    ".thumbnails", "@eaDir", ".@__thumb", ".AppleDouble", "System Volume Information",
    "lost+found", "node_modules", "__pycache__",
)
# A walk that takes longer than this says how far it got, this often: a NAS share of a million
# files can take minutes to list, and a bare "Looking for images…" then looks stuck.
REPORT_EVERY = 0.5
# ~/.local/share/Trash is named plainly "Trash", so it is matched by its path's tail.
_TRASH_TAIL = os.path.join(".local", "share", "Trash")


class FileEntry(NamedTuple):
    """A regular file found by discovery, with the stat facts the cache is keyed on."""

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    dev: int
    ino: int


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was not fingerprinted, and why, in words a user understands."""

    path: str
    reason: str


@dataclass(frozen=True)
class DiscoveryOptions:
    exclude_dirs: tuple[str, ...] = ()
    exclude_patterns: tuple[str, ...] = ()
    min_size: int = 0
    include_hidden: bool = False
    follow_symlinks: bool = False
    default_excludes: bool = True


@dataclass(frozen=True)
class FullySeen:
    """Where a scan saw every file there was: its walked roots that gave files, minus folders it
    could not read (what cache pruning and `scan --milvus` may forget entries in)."""

    roots: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()

    def covers(self, path: str) -> bool:
        return _inside(path, self.roots) and not _inside(path, self.unread)


def _inside(path: str, folders: tuple[str, ...]) -> bool:
    return any(path.startswith(os.path.join(f, "")) for f in folders)


def _ints() -> array[int]:
    return array("q")


def _unsigned() -> array[int]:
    return array("Q")   # st_dev and st_ino are unsigned 64-bit (overlayfs inodes use the top bits)


@dataclass
class Discovery:
    """What a walk found. The files are columns (a path list and int64 arrays), not one tuple per
    file: a million files cost ~90 MB here instead of ~300 MB, and the cache compares their keys
    as arrays. `files` gives FileEntry tuples for code that wants them."""

    paths: list[str] = field(default_factory=list)
    size: array[int] = field(default_factory=_ints)
    mtime_ns: array[int] = field(default_factory=_ints)
    ctime_ns: array[int] = field(default_factory=_ints)
    dev: array[int] = field(default_factory=_unsigned)
    ino: array[int] = field(default_factory=_unsigned)
    # Every folder listed whole, with the range of `paths` its files take: (folder, start, stop).
    # The files of one folder are contiguous and in name order (the cache's folder packs).
    runs: list[tuple[str, int, int]] = field(default_factory=list)
    stats: list[os.stat_result] = field(default_factory=list)  # of files not yet in the columns (see flush)
    skipped: list[Skipped] = field(default_factory=list)
    not_compared: list[NotCompared] = field(default_factory=list)   # videos, PSDs, other files
    left_out: Counter[str] = field(default_factory=Counter)         # coverage.HIDDEN_FILES, ... -> count
    # Folder roots walked to the end, each with how many files it gave (cache pruning needs to
    # know which roots were really there), and folders that could not be read.
    walked: list[tuple[str, int]] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Each path's last part (made when asked: the folder packs compare whole folders as strings)."""
        return [os.path.basename(p) for p in self.paths]

    @property
    def files(self) -> list[FileEntry]:
        return [FileEntry(*row) for row in zip(self.paths, self.size, self.mtime_ns, self.ctime_ns, self.dev, self.ino,
                                                strict=True)]

    def __len__(self) -> int:
        return len(self.paths)

    def flush(self) -> None:
        """The pending stats into the int64 columns, a field at a time (no Python loop per file)."""
        for column, field_name in ((self.size, "st_size"), (self.mtime_ns, "st_mtime_ns"), (self.ctime_ns, "st_ctime_ns"),
                                   (self.dev, "st_dev"), (self.ino, "st_ino")):
            column.extend(map(operator.attrgetter(field_name), self.stats))
        self.stats.clear()

    def fully_seen(self) -> FullySeen:
        # A root that gave no file at all may be an empty mount point whose drive is not mounted.
        return FullySeen(tuple(root for root, files in self.walked if files), tuple(self.unread))


def _is_hidden(name: str, st: os.stat_result | None) -> bool:
    if name.startswith("."):
        return True
    attrs = getattr(st, "st_file_attributes", 0) if st is not None else 0
    return bool(attrs & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


_name = operator.attrgetter("name")
# os.scandir of a descriptor (POSIX): entries carry bare names, their stat() is an fstatat.
_BY_FD = os.scandir in os.supports_fd and hasattr(os, "O_DIRECTORY")
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_size = operator.attrgetter("st_size")
_PICTURES = frozenset((IMAGE, RAW))
_TAILS = (operator.itemgetter(slice(-4, None)), operator.itemgetter(slice(-5, None)))


def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One expression matching what any of the patterns matches, as fnmatch.fnmatch matches (case as the system's)."""
    if not patterns:
        return None
    return re.compile("|".join(fnmatch.translate(os.path.normcase(p)) for p in patterns))


def _matches(expression: re.Pattern[str], name: str, norm_path: str) -> bool:
    return expression.match(os.path.normcase(name)) is not None or expression.match(norm_path) is not None


class _Kinds(dict[str, str | None]):
    """Extension -> kind_by_name, asked once per extension."""

    def __missing__(self, ext: str) -> str | None:
        kind = self[ext] = kind_by_name(ext) if ext else None
        return kind


class _Walker:
    def __init__(self, options: DiscoveryOptions, cancel: CancelToken | None,
                 progress: ProgressCallback | None = None) -> None:
        self.options = options
        self.cancel = cancel
        self.progress = progress
        self.started = time.monotonic()
        self.next_report = self.started + REPORT_EVERY
        dir_patterns = list(options.exclude_patterns)
        if options.default_excludes:
            dir_patterns += DEFAULT_EXCLUDED_DIRS
        self.dir_patterns = tuple(dir_patterns)
        # Each list of patterns as one expression: at a million files (1,000 folders) thirty fnmatch calls a folder add up.
        self._dir_match = _any_of(self.dir_patterns)
        self._file_match = _any_of(options.exclude_patterns)
        self.excluded_dirs = tuple(os.path.normcase(os.path.abspath(p)) for p in options.exclude_dirs)
        # The desktop's shared thumbnail caches hold pictures of pictures: never searched, whatever the options
        # (with --hidden, ~/.cache/thumbnails would otherwise offer every thumbnail as a copy to trash).
        self.never_dirs = tuple(dict.fromkeys(os.path.normcase(f(p)) for p in paths.thumbnail_dirs()
                                              for f in (os.path.abspath, os.path.realpath)))
        self.visited_dirs: set[tuple[int, int]] = set()
        self.listed: set[str] | None = None   # see _add
        self.result = Discovery()
        # The quick path knows hidden files by their dot: not on Windows, where an attribute says so too.
        self.quick = not self.options.exclude_patterns and not hasattr(os.stat_result, "st_file_attributes")
        self.kinds = _Kinds()

    def _dir_excluded(self, path: str, name: str) -> bool:
        norm = os.path.normcase(path)
        if any(norm == d or norm.startswith(d + os.sep) for d in self.excluded_dirs + self.never_dirs):
            return True
        if self.options.default_excludes and norm.endswith(_TRASH_TAIL):
            return True
        return self._dir_match is not None and _matches(self._dir_match, name, norm)

    def _file_excluded(self, path: str, name: str) -> bool:
        return self._file_match is not None and _matches(self._file_match, name, os.path.normcase(path))

    def walk_root(self, root: str) -> None:
        root = os.path.abspath(root)
        real = os.path.normcase(os.path.realpath(root))
        if any(real == d or real.startswith(d + os.sep) for d in self.never_dirs):
            self.result.skipped.append(Skipped(root, "the desktop's thumbnail cache: never searched"))
            return
        try:
            st = os.stat(root)
        except FileNotFoundError:
            self.result.skipped.append(Skipped(root, "folder does not exist"))
            return
        except OSError as exc:
            self.result.skipped.append(Skipped(root, f"cannot open: {exc.strerror or exc}"))
            return
        if stat.S_ISDIR(st.st_mode):
            before = len(self.result.paths)
            self._walk_dir(root, st)
            self.result.walked.append((root, len(self.result.paths) - before))
        elif stat.S_ISREG(st.st_mode):
            self._consider_file(root, os.path.basename(root), st, explicit=True)
        else:
            self.result.skipped.append(Skipped(root, "not a regular file or folder"))

    def _walk_dir(self, top: str, top_stat: os.stat_result) -> None:
        result = self.result
        quick = self.quick and self.listed is None  # only a root of its own (between walks) sets `listed`
        stack = [(top, top_stat)]
        while stack:
            if self.cancel is not None:
                self.cancel.check()
            path, st = stack.pop()
            if self.progress is not None:
                self._report(path)
            key = (st.st_dev, st.st_ino)
            if key in self.visited_dirs:
                continue  # a loop through links, or a root nested in another root
            self.visited_dirs.add(key)
            fd = None
            try:
                # Listed through a descriptor where the system allows it: each file's lstat is then an
                # fstatat of its bare name, without walking the folder's whole path again (~8 % less).
                fd = os.open(path, _DIR_FLAGS) if _BY_FD else None
                with os.scandir(path if fd is None else fd) as it:
                    entries = sorted(it, key=_name)
            except OSError as exc:
                if fd is not None:
                    os.close(fd)
                result.skipped.append(Skipped(path, f"cannot open folder: {exc.strerror or exc}"))
                result.unread.append(path)
                continue
            prefix = os.path.join(path, "")
            start = len(result.paths)
            subdirs = []
            try:
                if quick:
                    entries = self._quick(entries, prefix)
                quick_stop = len(result.paths)
                for entry in entries:
                    sub = self._consider_entry(entry, prefix + entry.name)
                    if sub is not None:
                        subdirs.append(sub)
            finally:
                if fd is not None:
                    os.close(fd)
            if start < quick_stop < len(result.paths):
                self._sort_run(start)  # files of both paths: back in name order
            if len(result.paths) > start:
                result.runs.append((path, start, len(result.paths)))
            result.flush()
            # Reversed so the stack pops folders in name order: a stable walk order.
            stack.extend(reversed(subdirs))

    def _report(self, folder: str) -> None:
        """Files found so far and the folder about to be listed, at most every REPORT_EVERY seconds."""
        now = time.monotonic()
        if now < self.next_report or self.progress is None:
            return
        self.next_report = now + REPORT_EVERY
        self.progress(Progress("discover", len(self.result.paths), 0, elapsed=now - self.started, message=folder))

    def _sort_run(self, start: int) -> None:
        """The folder's files from `start` on (their stats still pending) in name order; they share
        the folder's prefix, so path order is name order."""
        paths, stats = self.result.paths, self.result.stats
        order = sorted(range(len(stats)), key=lambda j: paths[start + j])
        paths[start:] = [paths[start + j] for j in order]
        stats[:] = [stats[j] for j in order]

    def _quick(self, entries: list[os.DirEntry[str]], prefix: str) -> list[os.DirEntry[str]]:
        """The common case of a million files, a folder at a time: visible regular files whose extension
        says image or RAW, each listed with one lstat and no Python loop of our own. Returns the entries
        left for the general path (folders, other files, and any file whose lstat failed)."""
        kinds, hidden_ok = self.kinds, self.options.include_hidden
        names = list(map(_name, entries))
        if self._all_pictures(names):
            picked = [e for e in entries if e.is_file(follow_symlinks=False)]
        else:
            marks = [(hidden_ok or name[0] != ".") and kinds[name[name.rfind("."):].lower()] in _PICTURES
                     for name in names]
            picked = [e for e in compress(entries, marks) if e.is_file(follow_symlinks=False)]
        if not picked:
            return entries
        try:
            stats = [e.stat(follow_symlinks=False) for e in picked]
        except OSError:
            return entries  # one vanished or unreadable: this folder goes the general way, which says why
        # Every entry a picture (the usual folder of photos): nothing left for the general path.
        taken = set(map(id, picked)) if len(picked) < len(entries) else None
        rest = [e for e in entries if id(e) not in taken] if taken is not None else []
        min_size = self.options.min_size
        if min_size and any(0 < size < min_size for size in map(_size, stats)):
            small = {id(e) for e, st in zip(picked, stats, strict=True) if 0 < st.st_size < min_size}
            self.result.left_out[coverage.BELOW_MIN_SIZE] += len(small)
            kept = [(e, st) for e, st in zip(picked, stats, strict=True) if id(e) not in small]
            picked, stats = [e for e, _ in kept], [st for _, st in kept]
        # picked keeps the name order of entries: the folder's files stay contiguous and sorted.
        self.result.paths += [prefix + e.name for e in picked]
        self.result.stats += stats
        return rest

    def _all_pictures(self, names: list[str]) -> bool:
        """Whether every name (sorted) has one and the same picture extension and none is hidden: the usual
        folder of photos, told by the set of the names' last characters, not by a loop of our own."""
        for tail_of in _TAILS:  # ".jpg", then ".jpeg"
            tails = set(map(tail_of, names))
            if len(tails) != 1:
                return False
            (tail,) = tails
            if tail[0] == ".":  # the last dot: the tail's kind is the name's (formats._ext)
                if self.kinds[tail.lower()] not in _PICTURES:
                    return False
                # Hidden names (".x") sort together, between "." and "/" (which no name holds).
                return self.options.include_hidden or bisect.bisect_left(names, ".") == bisect.bisect_left(names, "/")
        return False

    def _add(self, path: str, name: str, st: os.stat_result) -> None:
        # A path can be listed twice only when a file is also named as a root of its own: the set
        # of listed paths is kept from the first such root on, not for every walk.
        if self.listed is not None:
            if path in self.listed:
                return
            self.listed.add(path)
        self.result.paths.append(path)
        self.result.stats.append(st)

    def _consider_entry(self, entry: os.DirEntry[str], path: str) -> tuple[str, os.stat_result] | None:
        name = entry.name
        try:
            lst = entry.stat(follow_symlinks=False)
        except OSError as exc:
            self.result.skipped.append(Skipped(path, f"cannot read: {exc.strerror or exc}"))
            return None
        if not self.options.include_hidden and _is_hidden(name, lst):
            self.result.left_out[coverage.HIDDEN_FOLDERS if stat.S_ISDIR(lst.st_mode) else coverage.HIDDEN_FILES] += 1
            return None
        st = lst
        if stat.S_ISLNK(lst.st_mode):
            if not self.options.follow_symlinks:
                if has_image_extension(name):
                    self.result.skipped.append(Skipped(path, "symbolic link; links are not followed"))
                else:
                    self.result.left_out[coverage.LINKS] += 1
                return None
            try:
                st = os.stat(path)
            except OSError as exc:
                reason = "broken symbolic link" if isinstance(exc, FileNotFoundError) else \
                    f"symbolic link cannot be followed: {exc.strerror or exc}"
                self.result.skipped.append(Skipped(path, reason))
                return None
        if stat.S_ISDIR(st.st_mode):
            if self._dir_excluded(path, name):
                self.result.left_out[coverage.EXCLUDED_FOLDERS] += 1
                return None
            return (path, st)
        self._consider_file(path, name, st)
        return None

    def _consider_file(self, path: str, name: str, st: os.stat_result, explicit: bool = False) -> None:
        if self._file_excluded(path, name):
            self.result.left_out[coverage.EXCLUDED_FILES] += 1
            return
        if not stat.S_ISREG(st.st_mode):
            reason = "not a regular file (device, pipe or socket)"
            if has_image_extension(name):
                self.result.skipped.append(Skipped(path, reason))
            else:
                self.result.not_compared.append(NotCompared(path, OTHER, reason))
            return
        kind = kind_by_name(name)
        if kind is None:
            # No telling extension: the content decides. A file named on the command line is
            # tried as a picture whatever it looks like (the decoder then says why not).
            try:
                kind = self._kind_by_content(path)
            except OSError as exc:
                self.result.not_compared.append(NotCompared(path, OTHER, f"cannot read: {exc.strerror or exc}"))
                return
            if explicit and kind == OTHER:
                kind = IMAGE
        if kind not in (IMAGE, RAW):
            self.result.not_compared.append(coverage.of_kind(path, kind))
            return
        if st.st_size < self.options.min_size and st.st_size > 0:
            self.result.left_out[coverage.BELOW_MIN_SIZE] += 1
            return
        if explicit and self.listed is None:
            self.listed = set(self.result.paths)
        self._add(path, name, st)

    @staticmethod
    def _kind_by_content(path: str) -> str:
        with open(path, "rb") as fh:
            return kind_by_content(fh.read(SNIFF_BYTES))


def discover(roots: list[str], options: DiscoveryOptions | None = None,
             cancel: CancelToken | None = None, progress: ProgressCallback | None = None) -> Discovery:
    """Every candidate image under the roots, in a stable order, plus what was skipped, not compared or left out.

    progress: told ("discover", images found so far, 0, message=the folder being listed) when the walk
    takes longer than REPORT_EVERY, and that often after."""
    walker = _Walker(options or DiscoveryOptions(), cancel, progress)
    for root in roots:
        walker.walk_root(root)
        walker.result.flush()
    return walker.result
