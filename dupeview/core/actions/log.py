"""The write-ahead action log: a line before each file is touched and a line after, both fsync'd."""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from dupeview import paths
from dupeview.core.actions.facts import Facts

_logger = logging.getLogger(__name__)

# "restore" undoes any of the others; "delete" cannot be undone.
ACTIONS: Final = ("trash", "delete", "restore", "move", "copy", "hardlink", "symlink")
UNDOABLE: Final = frozenset({"trash", "move", "copy", "hardlink", "symlink"})
LOG_NAME: Final = "actions.jsonl"
_MAX_LINE: Final = 256 * 1024  # a line is a few hundred bytes; anything huge is not ours
_PATH_KEYS: Final = ("path", "trash_path", "info_path", "dest")
# What a result line never overrides in the intent it completes.
_FROM_INTENT: Final = frozenset({"phase", "time", "size", "mtime_ns", "ctime_ns", "dev", "ino", "digest", "keepers",
                                 "undoes"})


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one file; for a restore, trash_path/info_path say where it was (or still is).
    dest is where a move, copy or link put it (or the link made in its place)."""

    path: str
    ok: bool
    reason: str = ""
    trash_path: str | None = None
    info_path: str | None = None
    dest: str | None = None


def _display(path: str) -> str:
    return os.fsencode(path).decode("utf-8", "replace")


def _hex(path: str | None) -> str | None:
    return None if path is None else os.fsencode(path).hex()


def _unhex(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a hex path")
    return os.fsdecode(bytes.fromhex(value))


def _paths(entry: dict[str, object], **values: str | None) -> None:
    for key, value in values.items():
        entry[key] = None if value is None else _display(value)
        entry[key + "_hex"] = _hex(value)


class ActionLog:
    """Append-only JSON lines under paths.data_dir() by default. Per file: an "intent" line (what is about
    to happen, with the file's identity and digest) before anything moves, a "result" line after. A batch is
    the lines sharing a "batch" id. Paths are stored as readable text and as their exact bytes in hex."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else paths.data_dir() / LOG_NAME
        self._lock = threading.Lock()

    # -- writing ----------------------------------------------------------------------------------
    def new_batch(self) -> str:
        return uuid.uuid4().hex

    def intend(self, batch: str, seq: int, action: str, facts: Facts, *, keepers: Sequence[Facts] = (),
               dest: str | None = None, undoes: str | None = None) -> None:
        """Written and fsync'd before the file is touched: start-up recovery finishes or rolls back from it."""
        _check_action(action)
        entry: dict[str, object] = {"v": 2, "phase": "intent", "batch": batch, "seq": seq, "action": action,
                                    "time": _now(), "size": facts.size, "mtime_ns": facts.mtime_ns,
                                    "ctime_ns": facts.ctime_ns, "dev": facts.dev, "ino": facts.ino,
                                    "digest": facts.digest.hex() if facts.digest else None,
                                    "keepers": [[_hex(k.path), k.digest.hex() if k.digest else None] for k in keepers]}
        _paths(entry, path=os.path.abspath(facts.path), dest=dest)
        if undoes is not None:
            entry["undoes"] = undoes
        self._append([entry])

    def result(self, batch: str, seq: int, action: str, outcome: Outcome, *, sync: bool = True) -> None:
        """The line after the file was handled. sync=False leaves the fsync to sync() at the batch's end:
        a result lost in a crash is found again from the disk by recover(); an intent never is."""
        _check_action(action)
        entry: dict[str, object] = {"v": 2, "phase": "result", "batch": batch, "seq": seq, "action": action,
                                    "time": _now(), "ok": outcome.ok, "reason": outcome.reason}
        _paths(entry, path=os.path.abspath(outcome.path), trash_path=outcome.trash_path,
               info_path=outcome.info_path, dest=outcome.dest)
        self._append([entry], sync=sync)

    def sync(self) -> None:
        """fsync the log (after results written with sync=False)."""
        with self._lock, open(self.path, "ab") as fh:
            os.fsync(fh.fileno())

    def record(self, action: str, outcomes: Sequence[Outcome], *, undoes: str | None = None) -> str:
        """Append a whole batch of finished outcomes at once (no intent lines) and return its id."""
        _check_action(action)
        batch = self.new_batch()
        when = _now()
        lines = []
        for seq, outcome in enumerate(outcomes):
            entry: dict[str, object] = {"v": 2, "phase": "result", "batch": batch, "seq": seq, "action": action,
                                        "time": when, "ok": outcome.ok, "reason": outcome.reason}
            _paths(entry, path=os.path.abspath(outcome.path), trash_path=outcome.trash_path,
                   info_path=outcome.info_path, dest=outcome.dest)
            if undoes is not None:
                entry["undoes"] = undoes
            lines.append(entry)
        self._append(lines)
        return batch

    def _append(self, entries: list[dict[str, object]], *, sync: bool = True) -> None:
        if not entries:
            return
        data = ("\n".join(json.dumps(e, ensure_ascii=True, separators=(",", ":")) for e in entries) + "\n").encode("ascii")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "ab") as fh:
                # A crash mid-line must not glue the next line onto the damaged one.
                if fh.tell() > 0 and not _ends_with_newline(self.path):
                    data = b"\n" + data
                fh.write(data)  # one write: O_APPEND keeps concurrent writers' lines whole
                fh.flush()
                if sync:
                    os.fsync(fh.fileno())

    # -- reading ----------------------------------------------------------------------------------
    def entries(self) -> list[dict[str, Any]]:
        """One entry per file, oldest first: its intent merged with its result. An intent with no result
        (the batch was interrupted) has "pending": True and ok False. Damaged or hostile lines are skipped
        with a warning."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        merged: dict[tuple[str, int], dict[str, Any]] = {}
        skipped = 0
        for number, line in enumerate(data.splitlines()):
            entry = _parse(line)
            if entry is None:
                skipped += bool(line.strip())
                continue
            key = (entry["batch"], entry.get("seq", -1 - number))
            if entry.get("phase") == "intent":
                entry.update(ok=False, reason="", pending=True)
                merged.setdefault(key, entry)
                continue
            before = merged.get(key)
            if before is None:
                entry["pending"] = False
                merged[key] = entry
                continue
            for k, v in entry.items():
                if k not in _FROM_INTENT:
                    before[k] = v
            before["pending"] = False
        if skipped:
            _logger.warning("skipped %d damaged line(s) in the action log %s", skipped, self.path)
        return list(merged.values())

    def last_undoable(self) -> tuple[str, list[dict[str, Any]]] | None:
        """The newest batch that can be undone and was not yet, with its done entries."""
        entries = self.entries()
        undone = {e["undoes"] for e in entries if e["action"] == "restore" and "undoes" in e}
        batches: dict[str, list[dict[str, Any]]] = {}
        for e in entries:
            if e["action"] in UNDOABLE and e["ok"] and not e["pending"] and e["batch"] not in undone:
                batches.setdefault(str(e["batch"]), []).append(e)
        if not batches:
            return None
        # dicts keep insertion order: the last key is the batch whose first line is newest.
        batch = next(reversed(batches))
        return batch, batches[batch]

    def pending(self) -> list[dict[str, Any]]:
        """Intents with no result: files an interrupted batch may have half-done."""
        return [e for e in self.entries() if e["pending"]]


def _parse(line: bytes) -> dict[str, Any] | None:
    if len(line) > _MAX_LINE or not line.strip():
        return None
    try:
        entry = json.loads(line)
        if not isinstance(entry, dict) or not isinstance(entry.get("batch"), str):
            return None
        if entry.get("action") not in ACTIONS:
            return None
        phase = entry.get("phase")
        if phase not in (None, "intent", "result"):
            return None
        if phase != "intent" and not isinstance(entry.get("ok"), bool):
            return None
        if not isinstance(entry.get("seq", 0), int) or not isinstance(entry.get("reason", ""), str):
            return None
        entry["path"] = _unhex(entry["path_hex"])
        for key in _PATH_KEYS[1:]:
            raw = entry.get(key + "_hex")
            entry[key] = None if raw is None else _unhex(raw)
        digest = entry.get("digest")
        entry["digest"] = bytes.fromhex(digest) if isinstance(digest, str) else None
        keepers = entry.get("keepers", [])
        if not isinstance(keepers, list):
            return None
        entry["keepers"] = [(_unhex(p), bytes.fromhex(d) if isinstance(d, str) else None) for p, d in keepers]
        for key in ("size", "mtime_ns", "ctime_ns", "dev", "ino"):
            if not isinstance(entry.get(key), int | None):
                return None
    except (ValueError, KeyError, TypeError, UnicodeError, RecursionError):
        # RecursionError: a line of deeply nested brackets must not make every batch un-undoable.
        return None
    return entry


def _check_action(action: str) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"
