"""Walk the chosen folders and list the image files in them, with exclusions and loop safety.

Every other file under the roots is listed too, by kind (videos, Photoshop files, …), and
what the settings leave out (hidden, excluded, too small) is counted: nothing is passed
over without a word.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from dupeview import paths
from dupeview.core import coverage
from dupeview.core.coverage import NotCompared
from dupeview.core.formats import IMAGE, OTHER, RAW, SNIFF_BYTES, has_image_extension, kind_by_content, kind_by_name
from dupeview.core.progress import CancelToken

# Folders no one wants searched: trash cans, version control, thumbnail caches of
# desktops and NAS boxes. Matched against the folder's name.
DEFAULT_EXCLUDED_DIRS: tuple[str, ...] = (
    ".Trash", ".Trash-*", "$RECYCLE.BIN", "RECYCLER", ".git", ".hg", ".svn",
    ".thumbnails", "@eaDir", ".@__thumb", ".AppleDouble", "System Volume Information",
    "lost+found", "node_modules", "__pycache__",
)
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


@dataclass
class Discovery:
    files: list[FileEntry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    not_compared: list[NotCompared] = field(default_factory=list)   # videos, PSDs, other files
    left_out: Counter[str] = field(default_factory=Counter)         # coverage.HIDDEN_FILES, ... -> count
    # Folder roots walked to the end, each with how many files it gave (cache pruning needs to
    # know which roots were really there), and folders that could not be read.
    walked: list[tuple[str, int]] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)

    def fully_seen(self) -> FullySeen:
        # A root that gave no file at all may be an empty mount point whose drive is not mounted.
        return FullySeen(tuple(root for root, files in self.walked if files), tuple(self.unread))


def _is_hidden(name: str, st: os.stat_result | None) -> bool:
    if name.startswith("."):
        return True
    attrs = getattr(st, "st_file_attributes", 0) if st is not None else 0
    return bool(attrs & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


class _Walker:
    def __init__(self, options: DiscoveryOptions, cancel: CancelToken | None) -> None:
        self.options = options
        self.cancel = cancel
        dir_patterns = list(options.exclude_patterns)
        if options.default_excludes:
            dir_patterns += DEFAULT_EXCLUDED_DIRS
        self.dir_patterns = tuple(dir_patterns)
        self.excluded_dirs = tuple(os.path.normcase(os.path.abspath(p)) for p in options.exclude_dirs)
        # The desktop's shared thumbnail caches hold pictures of pictures: never searched, whatever the options
        # (with --hidden, ~/.cache/thumbnails would otherwise offer every thumbnail as a copy to trash).
        self.never_dirs = tuple(dict.fromkeys(os.path.normcase(f(p)) for p in paths.thumbnail_dirs()
                                              for f in (os.path.abspath, os.path.realpath)))
        self.visited_dirs: set[tuple[int, int]] = set()
        self.seen_paths: set[str] = set()
        self.result = Discovery()

    def _dir_excluded(self, path: str, name: str) -> bool:
        norm = os.path.normcase(path)
        if any(norm == d or norm.startswith(d + os.sep) for d in self.excluded_dirs + self.never_dirs):
            return True
        if self.options.default_excludes and norm.endswith(_TRASH_TAIL):
            return True
        return any(fnmatch.fnmatch(name, pat) or fnmatch.fnmatch(path, pat) for pat in self.dir_patterns)

    def _file_excluded(self, path: str, name: str) -> bool:
        return bool(self.options.exclude_patterns) and any(fnmatch.fnmatch(name, pat) or fnmatch.fnmatch(path, pat)
                   for pat in self.options.exclude_patterns)

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
            before = len(self.result.files)
            self._walk_dir(root, st)
            self.result.walked.append((root, len(self.result.files) - before))
        elif stat.S_ISREG(st.st_mode):
            self._consider_file(root, os.path.basename(root), st, explicit=True)
        else:
            self.result.skipped.append(Skipped(root, "not a regular file or folder"))

    def _walk_dir(self, top: str, top_stat: os.stat_result) -> None:
        stack = [(top, top_stat)]
        while stack:
            if self.cancel is not None:
                self.cancel.check()
            path, st = stack.pop()
            key = (st.st_dev, st.st_ino)
            if key in self.visited_dirs:
                continue  # a loop through links, or a root nested in another root
            self.visited_dirs.add(key)
            try:
                with os.scandir(path) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                self.result.skipped.append(Skipped(path, f"cannot open folder: {exc.strerror or exc}"))
                self.result.unread.append(path)
                continue
            subdirs = []
            for entry in entries:
                sub = self._consider_entry(entry)
                if sub is not None:
                    subdirs.append(sub)
            # Reversed so the stack pops folders in name order: a stable walk order.
            stack.extend(reversed(subdirs))

    def _consider_entry(self, entry: os.DirEntry[str]) -> tuple[str, os.stat_result] | None:
        name, path = entry.name, entry.path
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
        if path in self.seen_paths:
            return
        self.seen_paths.add(path)
        self.result.files.append(FileEntry(path, st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                                           st.st_dev, st.st_ino))

    @staticmethod
    def _kind_by_content(path: str) -> str:
        with open(path, "rb") as fh:
            return kind_by_content(fh.read(SNIFF_BYTES))


def discover(roots: list[str], options: DiscoveryOptions | None = None,
             cancel: CancelToken | None = None) -> Discovery:
    """Every candidate image under the roots, in a stable order, plus what was skipped, not compared or left out."""
    walker = _Walker(options or DiscoveryOptions(), cancel)
    for root in roots:
        walker.walk_root(root)
    return walker.result
