"""The data a Session takes and reports: its options, what it plans and did, its events, and its snapshot."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dupeview.core.discovery import DiscoveryOptions
from dupeview.core.events import Event
from dupeview.core.grouping import DEFAULT_THRESHOLD, GroupList, GroupOptions, MatchOptions
from dupeview.core.keeper import KeepPolicy
from dupeview.core.progress import Progress
from dupeview.core.records import ImageRecord, Library
from dupeview.core.scanner import ScanSettings
from dupeview.core.scope import SCOPES

Pair = tuple[str, str]


@dataclass(frozen=True)
class ReviewOptions:
    """Everything that decides what a review shows: where to look, how to match, how to group, what an action does."""

    roots: tuple[str, ...] = ()
    reference_folders: tuple[str, ...] = ()
    discovery: DiscoveryOptions = DiscoveryOptions()
    workers: int | None = None
    match: MatchOptions = MatchOptions()
    threshold: int = DEFAULT_THRESHOLD
    policy: KeepPolicy = KeepPolicy()
    only_with_reference: bool = False
    hide_raw_pairs: bool = False     # a camera's JPEG/HEIF beside its RAW leaves the groups
    permanent: bool = False          # delete for good instead of moving to the trash
    scope: str = "all"               # core/scope.py: compare everything, only across or only within the folders

    def scan_settings(self) -> ScanSettings:
        # The codes of the algorithm compared by, and pHash (the cards' similarity): another is read from the
        # cache when the user chooses it (core/lazy_codes.py), not held for every file meanwhile.
        algorithms = tuple(dict.fromkeys((self.match.algorithm, "phash")))
        return ScanSettings(self.roots, self.discovery, self.workers, algorithms=algorithms)

    def group_options(self, dismissed: frozenset[Pair]) -> GroupOptions:
        return GroupOptions(threshold=self.threshold, policy=self.policy, reference_folders=self.reference_folders,
                            only_with_reference=self.only_with_reference, not_duplicates=dismissed,
                            hide_raw_pairs=self.hide_raw_pairs, scope=self.scope,
                            roots=self.roots if self.scope != "all" else ())

    def to_dict(self) -> dict[str, Any]:
        """The options as JSON values (what a saved review keeps; folders are kept apart)."""
        d, m, p = self.discovery, self.match, self.policy
        return {"discovery": {"exclude_dirs": list(d.exclude_dirs), "exclude_patterns": list(d.exclude_patterns),
                              "min_size": d.min_size, "include_hidden": d.include_hidden,
                              "follow_symlinks": d.follow_symlinks, "default_excludes": d.default_excludes},
                "match": {"algorithm": m.algorithm, "rotations": m.rotations, "max_distance": m.max_distance,
                          "min_contrast": m.min_contrast},
                "threshold": self.threshold,
                "policy": {"rules": list(p.rules), "preferred_folders": list(p.preferred_folders),
                           "formats": list(p.formats)},
                "only_with_reference": self.only_with_reference, "hide_raw_pairs": self.hide_raw_pairs,
                "permanent": self.permanent, "scope": self.scope}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], roots: tuple[str, ...], reference_folders: tuple[str, ...],
                  workers: int | None = None) -> ReviewOptions:
        """The options of to_dict(); a missing value takes its default. Raises ValueError on a bad value."""
        try:
            d, m, p = (dict(data.get(k) or {}) for k in ("discovery", "match", "policy"))
            fields_: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}
            discovery = DiscoveryOptions(**fields_)
            match = MatchOptions(**m)
            policy = KeepPolicy(**{k: tuple(v) for k, v in p.items()})
            return cls(roots=roots, reference_folders=reference_folders, discovery=discovery, workers=workers,
                       match=match, threshold=int(data.get("threshold", DEFAULT_THRESHOLD)), policy=policy,
                       only_with_reference=bool(data.get("only_with_reference", False)),
                       hide_raw_pairs=bool(data.get("hide_raw_pairs", False)),
                       permanent=bool(data.get("permanent", False)), scope=_scope(data.get("scope", "all")))
        except (TypeError, AttributeError) as exc:
            raise ValueError(f"the review's options are not readable: {exc}") from exc


def _scope(value: object) -> str:
    if value not in SCOPES:
        raise ValueError(f"the review's scope {value!r} is not one of {', '.join(SCOPES)}")
    return str(value)


@dataclass(frozen=True)
class Scanned:
    """What a finished scan reports."""

    library: Library
    groups: int
    seconds: float


@dataclass(frozen=True)
class GroupsChanged:
    groups: GroupList
    cause: str              # "scan", "regroup", "match", "action", "undo", "restore", "view" (filter or sort only)


@dataclass(frozen=True)
class Plan:
    """What an action would do, for the user to confirm: exactly these files, as they were when reviewed."""

    kind: str                               # one of ACTION_KINDS
    paths: tuple[str, ...]
    refused: Mapping[str, str]              # marked but left out, and why
    total_bytes: int
    records: tuple[ImageRecord, ...]        # the files as reviewed (size, mtime): checked again before acting
    groups: tuple[tuple[str, ...], ...]     # every group, so the action can keep a survivor in each
    dest: str | None = None                 # the folder a move or copy puts the files under
    roots: tuple[str, ...] = ()             # the searched folders: a move or copy keeps paths relative to them

    @property
    def permanent(self) -> bool:
        return self.kind == "delete"

    @property
    def removes(self) -> bool:
        """Whether the files leave the review (every action but a copy)."""
        return self.kind != "copy"


ACTION_KINDS = ("trash", "delete", "move", "copy", "hardlink", "symlink")
ACTION_VERBS = {"trash": "Moving the files to the trash", "delete": "Deleting the files", "move": "Moving the files",
                "copy": "Copying the files", "hardlink": "Replacing the files with hard links",
                "symlink": "Replacing the files with symbolic links"}


@dataclass(frozen=True)
class ActionOutcome:
    kind: str
    done: frozenset[str]
    failed: tuple[tuple[str, str], ...]     # (path, reason)
    freed: int
    undoable: bool
    dests: Mapping[str, str] = field(default_factory=dict)   # where a move, copy or link put each file


@dataclass(frozen=True)
class UndoOutcome:
    restored: frozenset[str]
    failed: tuple[tuple[str, str], ...]
    unknown: frozenset[str]                 # restored files this review never scanned


@dataclass(frozen=True)
class Widening:
    """A search for pairs further than searched so far (a looser slider): started (running) or ended."""

    files: int
    searched: int        # the distance searched before
    distance: int        # the distance searched to now
    running: bool
    seconds: float = 0.0  # when ended: how long it took
    stopped: bool = False  # ended by the user or by a newer request, not done


@dataclass
class SessionEvents:
    """Subscribe with session.events.<name>.connect(fn)."""

    scan_started: Event[None] = field(default_factory=Event)
    scan_progressed: Event[Progress] = field(default_factory=Event)
    scanned: Event[Scanned] = field(default_factory=Event)
    scan_cancelled: Event[int] = field(default_factory=Event)        # files read (and cached) before the stop
    failed: Event[str] = field(default_factory=Event)                # any job, in plain words
    groups_changed: Event[GroupsChanged] = field(default_factory=Event)
    marks_changed: Event[int | None] = field(default_factory=Event)  # a group's row, or None for all
    action_progressed: Event[Progress] = field(default_factory=Event)
    acted: Event[ActionOutcome] = field(default_factory=Event)
    undone: Event[UndoOutcome] = field(default_factory=Event)
    action_log_read: Event[list[dict[str, object]]] = field(default_factory=Event)
    decisions_loaded: Event[int] = field(default_factory=Event)
    busy_changed: Event[None] = field(default_factory=Event)
    undo_changed: Event[bool] = field(default_factory=Event)        # whether an undo is possible now
    widening: Event[Widening] = field(default_factory=Event)        # a search further started or ended
    widening_stopped: Event[int] = field(default_factory=Event)     # the user stopped it: the threshold is now this
