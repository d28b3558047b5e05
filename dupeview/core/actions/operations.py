"""What each file action does to one verified file, and how it is put back at once when it must be."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from dupeview import paths
from dupeview.core.actions import freedesktop, moving, reasons
from dupeview.core.actions.facts import Seen


@dataclass(frozen=True, slots=True)
class Done:
    """Where the file went: the trash entry, or the destination of a move/copy, or the link made."""

    trash_path: str | None = None
    info_path: str | None = None
    dest: str | None = None
    aside: str | None = None  # a permanent delete's file, renamed next to itself until the keeper is checked


class Refused(Exception):
    """The action cannot be done for this file; the reason is plain words and the file is untouched."""


def send2trash_function() -> Callable[[str], None]:
    """send2trash, imported only once empty XDG variables are gone (it reads XDG_DATA_HOME at import)."""
    paths.unset_empty_xdg()
    from send2trash import send2trash as move_to_trash
    module = sys.modules.get("send2trash.plat_other")
    home = getattr(module, "HOMETRASH", None)
    if module is not None and isinstance(home, str) and not os.path.isabs(home):
        # Imported earlier under an empty XDG_DATA_HOME: it would trash into ./Trash. Point it home.
        data_home = os.path.expanduser(b"~/.local/share")
        module.XDG_DATA_HOME = data_home  # type: ignore[attr-defined]
        module.HOMETRASH_B = os.path.join(data_home, b"Trash")  # type: ignore[attr-defined]
        module.HOMETRASH = os.fsdecode(module.HOMETRASH_B)  # type: ignore[attr-defined]
    send: Callable[[str], None] = move_to_trash
    return send


class Trash:
    name = "trash"
    removes = True

    def __init__(self) -> None:
        self._send = send2trash_function()
        self._roots: dict[str, str] = {}

    def apply(self, target: Seen, keeper: Seen | None, dest: str | None) -> Done:
        path = os.path.abspath(target.facts.path)
        folder = os.path.dirname(path)
        locate = freedesktop.can_undo()
        root = self._roots.setdefault(folder, freedesktop.mount_root(folder)) if locate else None
        try:
            self._send(path)
        except OSError as exc:
            if os.path.lexists(path) or exc.errno == errno.ENOENT:
                raise Refused(reasons.explain(exc, path)) from exc
            # It left its folder although send2trash failed (a copy across disks that half worked):
            # say so only if it really is in the trash.
            where = freedesktop.locate(path, target.st, root) if locate else None
            if where is None:
                raise Refused(f"{reasons.explain(exc, path)}; it is no longer in its folder") from exc
            return Done(*where)
        where = freedesktop.locate(path, target.st, root) if locate else None
        return Done(*where) if where else Done()

    def put_back(self, target: Seen, done: Done) -> None:
        if done.trash_path is None or done.info_path is None:
            raise OSError(errno.ENOENT, "where it went in the trash is unknown")
        path = os.path.abspath(target.facts.path)
        moving.move_no_replace(done.trash_path, path, os.lstat(done.trash_path))
        with contextlib.suppress(FileNotFoundError):
            os.remove(done.info_path)

    def finish(self, done: Done) -> None:
        pass


class Delete:
    """Permanent delete, in two steps: renamed aside in its own folder, and unlinked only once the copy
    being kept is seen to be still there (until then it can be renamed back)."""

    name = "delete"
    removes = True

    def apply(self, target: Seen, keeper: Seen | None, dest: str | None) -> Done:
        path = os.path.abspath(target.facts.path)
        aside = os.path.join(os.path.dirname(path), f".dupeview-deleting-{uuid.uuid4().hex[:12]}")
        try:
            os.rename(path, aside)
        except OSError as exc:
            raise Refused(reasons.explain(exc, path, "delete it")) from exc
        return Done(aside=aside)

    def put_back(self, target: Seen, done: Done) -> None:
        assert done.aside is not None
        moving.move_no_replace(done.aside, os.path.abspath(target.facts.path), os.lstat(done.aside))

    def finish(self, done: Done) -> None:
        assert done.aside is not None
        os.remove(done.aside)


def _to_folder(target: Seen, dest: str | None, put: Callable[[str, str, os.stat_result], None], doing: str) -> Done:
    """Move or copy the file to dest (its folder made), under a new name if dest is taken; never over a file."""
    assert dest is not None
    path = os.path.abspath(target.facts.path)
    try:
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        final = _no_replace(dest, lambda d: put(path, d, target.st))
    except OSError as exc:
        raise Refused(reasons.explain(exc, path, doing)) from exc
    return Done(dest=final)


class Move:
    name = "move"
    removes = True

    def apply(self, target: Seen, keeper: Seen | None, dest: str | None) -> Done:
        return _to_folder(target, dest, moving.move_no_replace, "move it")

    def put_back(self, target: Seen, done: Done) -> None:
        assert done.dest is not None
        moving.move_no_replace(done.dest, os.path.abspath(target.facts.path), os.lstat(done.dest))

    def finish(self, done: Done) -> None:
        pass


class Copy:
    name = "copy"
    removes = False

    def apply(self, target: Seen, keeper: Seen | None, dest: str | None) -> Done:
        return _to_folder(target, dest, moving.copy_new, "copy it")

    def put_back(self, target: Seen, done: Done) -> None:
        if done.dest is not None:
            os.remove(done.dest)

    def finish(self, done: Done) -> None:
        pass


class Link:
    """Replace the file with a link to the kept copy. The file itself goes to the trash first, so the
    replacement can be undone; the link is made under a temporary name and renamed into place."""

    removes = True

    def __init__(self, symbolic: bool) -> None:
        self.symbolic = symbolic
        self.name = "symlink" if symbolic else "hardlink"
        self._trash = Trash()

    def apply(self, target: Seen, keeper: Seen | None, dest: str | None) -> Done:
        assert keeper is not None
        path = os.path.abspath(target.facts.path)
        source = os.path.abspath(keeper.facts.path)
        if not self.symbolic and keeper.st.st_dev != target.st.st_dev:
            raise Refused(reasons.OTHER_DISK)
        temp = os.path.join(os.path.dirname(path), f".dupeview-link-{uuid.uuid4().hex[:12]}")
        try:
            if self.symbolic:
                os.symlink(source, temp)
            else:
                os.link(source, temp, follow_symlinks=False)
        except OSError as exc:
            if exc.errno == errno.EXDEV:
                raise Refused(reasons.OTHER_DISK) from exc
            raise Refused(reasons.explain(exc, path, "make the link")) from exc
        try:
            done = self._trash.apply(target, keeper, None)
        except BaseException:
            os.remove(temp)
            raise
        try:
            # link() fails rather than replace something that appeared at the path meanwhile.
            os.link(temp, path, follow_symlinks=False)
        except OSError as exc:
            os.remove(temp)
            with contextlib.suppress(OSError):
                self._trash.put_back(target, done)
            raise Refused(reasons.explain(exc, path, "put the link in its place")) from exc
        os.remove(temp)
        return Done(done.trash_path, done.info_path, dest=path)

    def put_back(self, target: Seen, done: Done) -> None:
        path = os.path.abspath(target.facts.path)
        if os.path.lexists(path) and (os.path.islink(path) or not self.symbolic):
            os.remove(path)
        self._trash.put_back(target, done)

    def finish(self, done: Done) -> None:
        pass


Operation = Trash | Delete | Move | Copy | Link


def _no_replace(dest: str, make: Callable[[str], None]) -> str:
    """Run make(name) on dest or, when something is there already, the next free "stem (n).ext"."""
    for _ in range(1000):
        name = moving.free_name(dest)
        try:
            make(name)
        except FileExistsError:
            continue  # taken between the look and the move: try the next name
        return name
    raise FileExistsError(errno.EEXIST, "no free name", dest)
