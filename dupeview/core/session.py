"""One review, Qt-free: folders and options, the scan's library and matcher, groups, marks, actions, undo, dismissals.

The GUI (or a test, or the CLI) drives a Session through its methods and renders what its
events report. Heavy work (scan, pair search, regroup, file actions, database reads) is
handed to the runner as Jobs, so the caller's thread only ever applies finished results.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, replace
from typing import Any

from dupeview.core import action_plan, decisions, pair_memo
from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import Group, GroupList, GroupOptions, Matcher, Member
from dupeview.core.jobs import Job, Report, Runner, run_now
from dupeview.core.lazy_codes import CacheCodes
from dupeview.core.marks import Marks
from dupeview.core.pairs import SearchCancelled
from dupeview.core.progress import Cancelled, CancelToken, Progress
from dupeview.core.records import ImageRecord, Library
from dupeview.core.result_view import GroupView, ViewOptions
from dupeview.core.review import ReviewFolder, ReviewState, scan_snapshot
from dupeview.core.scanner import analyse_safely, scan
from dupeview.core.session_files import forget, recover, undoable
from dupeview.core.session_match import first_matcher, give_back_after, member_records
from dupeview.core.session_regroup import Regroups

# The Session's data types, importable from here with the Session itself.
from dupeview.core.session_types import ACTION_VERBS
from dupeview.core.session_types import ActionOutcome as ActionOutcome
from dupeview.core.session_types import GroupsChanged as GroupsChanged
from dupeview.core.session_types import Pair as Pair
from dupeview.core.session_types import Plan as Plan
from dupeview.core.session_types import ReviewOptions as ReviewOptions
from dupeview.core.session_types import Scanned as Scanned
from dupeview.core.session_types import SessionEvents as SessionEvents
from dupeview.core.session_types import UndoOutcome as UndoOutcome

_GONE = "gone since the scan"   # = actions.reasons.GONE, which is imported only when acting
ALL_PAIRS_LIMIT = 60   # "not duplicates" on a bigger group stores only the pairs that are actual matches


@dataclass(frozen=True)
class _Loaded:
    dismissed: frozenset[Pair]
    undoable: bool


@dataclass(frozen=True)
class _ScanDone:
    library: Library
    matcher: Matcher
    options: GroupOptions
    groups: GroupList
    shown: GroupView
    seconds: float


class Session:
    """The state of one review and every operation on it; all methods are called from one thread."""

    def __init__(self, *, cache_path: str, decisions_path: str, action_log_path: str | None = None,
                 options: ReviewOptions | None = None, runner: Runner = run_now) -> None:
        self.cache_path = cache_path
        self.decisions_path = decisions_path
        self.action_log_path = action_log_path
        self.options = options or ReviewOptions()
        self.events = SessionEvents()
        self.marks = Marks()
        self.dismissed: frozenset[Pair] = frozenset()
        self.can_undo = False
        self._runner = runner
        self._base: Matcher | None = None     # the matcher of the scan: every file, before any action
        self._absent: frozenset[str] = frozenset()
        self.matcher: Matcher | None = None   # the base matcher without the absent files
        self.groups = GroupList.empty()
        self.view = ViewOptions()             # the filter and sort of the groups as shown
        self.shown = GroupView(self.groups)   # the groups filtered and sorted: what a list renders
        self._scan: CancelToken | None = None
        self._jobs: dict[str, int] = {}
        self._regroups = Regroups(self)
        self._pending_marks: frozenset[str] | None = None

    # -- state ------------------------------------------------------------------
    @property
    def library(self) -> Library:
        return self.matcher.library if self.matcher is not None else Library()

    @property
    def has_results(self) -> bool:
        return self.matcher is not None

    @property
    def scanning(self) -> bool:
        return self._scan is not None

    @property
    def acting(self) -> bool:
        return bool(self._jobs.get("action") or self._jobs.get("undo"))

    @property
    def busy(self) -> bool:
        """A scan, a new pair search or a file action is under way (regroups and reads do not count)."""
        return any(self._jobs.get(k) for k in ("scan", "match", "action", "undo"))

    def record(self, member: Member) -> ImageRecord:
        return self.library.records[member.index]

    def path(self, member: Member) -> str:
        return self.library.records[member.index].path

    def group_options(self) -> GroupOptions:
        return self.options.group_options(self.dismissed)

    def row_of(self, path: str) -> int | None:
        """The position of the group holding this file, if any."""
        k = self.marks.index_of(path)
        return self.groups.group_of(k) if k is not None else None

    # -- jobs -------------------------------------------------------------------
    def _submit(self, job: Job[Any]) -> None:
        self._jobs[job.kind] = self._jobs.get(job.kind, 0) + 1
        self.events.busy_changed.emit(None)
        self._runner(job)

    def _done(self, kind: str) -> None:
        self._jobs[kind] = max(0, self._jobs.get(kind, 0) - 1)
        self.events.busy_changed.emit(None)

    def _job(self, kind: str, run: Any, finished: Any, failure: str, progressed: Any = None,
             cancel: CancelToken | None = None) -> Job[Any]:
        def on_finished(result: Any) -> None:
            self._done(kind)
            finished(result)

        def on_failed(exc: BaseException) -> None:
            self._done(kind)
            if kind == "scan":
                self._scan = None
            self.events.failed.emit(f"{failure}: {exc}")
        return Job(kind, run, on_finished, on_failed, progressed, cancel or CancelToken())

    def start(self) -> None:
        """Off this thread: finish or roll back an action a crash interrupted, read the decisions (copied
        once from an old cache) and whether an undo is possible. Jobs run in order: this one comes first."""
        decisions_path, cache_path, log_path = self.decisions_path, self.cache_path, self.action_log_path

        def run(_report: Report, _cancel: CancelToken) -> _Loaded:
            recover(log_path)
            return _Loaded(decisions.load(decisions_path, cache_path), undoable(log_path))

        self._submit(self._job("load", run, self._loaded, "Your earlier \"not duplicates\" choices could not be read"))

    def _loaded(self, loaded: _Loaded) -> None:
        self.dismissed = self.dismissed | loaded.dismissed
        self._set_can_undo(loaded.undoable)
        self.events.decisions_loaded.emit(len(loaded.dismissed))
        if loaded.dismissed:
            self.regroup()

    # -- options --------------------------------------------------------------------
    def set_options(self, options: ReviewOptions) -> bool:
        """Take new options: regroups or compares again at once as needed; True if only a new scan can apply them."""
        before, self.options = self.options, options
        if self.matcher is None or self.scanning:
            return False
        if options.match != before.match:
            self.rematch()
        elif self.group_options() != before.group_options(self.dismissed):
            self.regroup()
        return (options.discovery != before.discovery or
                any(r not in before.roots for r in options.roots))

    def set_threshold(self, threshold: int) -> None:
        self.set_options(replace(self.options, threshold=threshold))

    # -- scanning ---------------------------------------------------------------------
    def scan(self) -> bool:
        """Start a scan of the options' roots; False if one is running."""
        if self._scan is not None:
            return False
        cancel = self._scan = CancelToken()
        self._regroups.cancel_search()   # a search further of the old library would hold the worker first
        settings, match, opts, cache_path = self.options.scan_settings(), self.options.match, self.group_options(), \
            self.cache_path
        view = self.view
        hashed = [0]

        def run(report: Report, token: CancelToken) -> _ScanDone | int:
            start = time.monotonic()

            def progress(p: Progress) -> None:
                if p.phase == "hash":
                    hashed[0] = p.done
                report(p)
            try:
                with FingerprintCache(cache_path) as cache:
                    library = scan(settings, cache, progress, token)
                report(Progress("match", 0, 0, message="Comparing fingerprints…"))
                # Big libraries: pairs up to the threshold only; a looser slider searches further then (widened).
                matcher = first_matcher(library, match, opts.threshold, pair_memo.beside(cache_path, settings.roots),
                                        token)
                groups = matcher.groups(opts)
                give_back_after(len(library))   # the search's freed tables: 100 MB and more at a million files
                return _ScanDone(library, matcher, opts, groups, GroupView.of(library, groups, view),
                                 time.monotonic() - start)
            except (Cancelled, SearchCancelled):
                return hashed[0]

        self.events.scan_started.emit(None)
        self._submit(self._job("scan", run, self._scanned, "The scan stopped because of an unexpected error",
                               self.events.scan_progressed.emit, cancel))
        return True

    def cancel_scan(self) -> None:
        if self._scan is not None:
            self._scan.cancel()

    def shutdown(self) -> None:
        """Let go of the library and all made from it (the window closed): a million files' memory is freed."""
        self.cancel_scan()
        self._base = self.matcher = None
        self.groups, self.shown = GroupList.empty(), GroupView(GroupList.empty())
        self.marks.reset()

    def _scanned(self, result: _ScanDone | int) -> None:
        self._scan = None
        if isinstance(result, int):
            self.events.scan_cancelled.emit(result)
            self.events.busy_changed.emit(None)
            return
        self._base, self._absent = result.matcher, frozenset()
        self.matcher = result.matcher
        self.marks.reset()
        self._set_groups(result.shown, "scan")
        self.events.scanned.emit(Scanned(result.library, len(result.groups), result.seconds))
        if result.options != self.group_options():
            self.regroup()

    # -- matching and grouping -------------------------------------------------------------
    def rematch(self) -> None:
        """Search the pairs again for new match options (no file is read)."""
        library, match, threshold = self.library, self.options.match, self.options.threshold
        memo = pair_memo.beside(self.cache_path, self.options.roots)  # the scan's remembered pairs
        self._regroups.cancel_search()   # of the old match options: its pairs are of no use now

        def run(_report: Report, _cancel: CancelToken) -> Matcher:
            return first_matcher(library, match, threshold, memo)

        def finished(matcher: Matcher) -> None:
            if self.scanning or matcher.library is not self.library:
                return   # a scan or an action replaced the library meanwhile
            self._base, self._absent, self.matcher = matcher, frozenset(), matcher
            self.regroup("match")
        self._submit(self._job("match", run, finished, "Comparing the images failed because of an unexpected error"))

    def regroup(self, cause: str = "regroup") -> None:
        """Group again from the stored pairs; of several quick requests only the newest result is shown."""
        self._regroups.request(cause)

    def stop_search(self) -> bool:
        """Stop a search further (a looser slider): the threshold goes back to what is searched."""
        return self._regroups.stop_search()

    def _set_groups(self, shown: GroupView, cause: str) -> None:
        self.groups, self.shown = shown.groups, shown
        if self._pending_marks is not None:
            self.marks.restore(self.library, self._pending_marks)
            self._pending_marks = None
        self.marks.attach(self.library, shown.groups)
        self.events.groups_changed.emit(GroupsChanged(shown.groups, cause))
        if shown.options != self.view:
            self.set_view(self.view)   # the filter or sort changed while these groups were made

    def set_view(self, view: ViewOptions) -> None:
        """Filter and sort the groups as shown, off this thread; groups_changed (cause "view") follows."""
        self.view = view
        if self.matcher is None or self.scanning:
            return
        library, groups = self.library, self.groups

        def run(_report: Report, _cancel: CancelToken) -> GroupView:
            return GroupView.of(library, groups, view)

        def finished(shown: GroupView) -> None:
            if groups is self.groups and view == self.view:   # else a newer view or regroup is on its way
                self.shown = shown
                self.events.groups_changed.emit(GroupsChanged(groups, "view"))
        self._submit(self._job("view", run, finished, "Filtering the groups failed because of an unexpected error"))

    # -- marks ----------------------------------------------------------------------------
    def mark(self, member: Member, on: bool) -> str | None:
        """Mark or unmark one copy; the reason when refused."""
        reason = self.marks.set(member, on)
        self.events.marks_changed.emit(self.groups.group_of(member.index))
        return reason

    def toggle(self, member: Member) -> str | None:
        return self.mark(member, not self.marks.is_marked(member.index))

    def keep_only(self, member: Member) -> None:
        self.marks.keep_only(member)
        self.events.marks_changed.emit(self.groups.group_of(member.index))

    def auto_mark(self) -> int:
        self.marks.auto_mark()
        self.events.marks_changed.emit(None)
        return len(self.marks)

    def clear_marks(self) -> None:
        self.marks.clear()
        self.events.marks_changed.emit(None)

    # -- not duplicates ---------------------------------------------------------------------
    def dismiss_group(self, group: Group) -> int:
        """These pictures are not copies of each other; returns how many."""
        paths = [self.path(m) for m in group.members]
        if len(paths) <= ALL_PAIRS_LIMIT:
            pairs = set(itertools.combinations(paths, 2))
        elif self.matcher is not None:
            members = {m.index for m in group.members}
            records = self.library.records
            pairs = {(records[i].path, records[j].path) for i, j in
                     zip(self.matcher.i.tolist(), self.matcher.j.tolist(), strict=True) if i in members and j in members}
        else:
            pairs = set()
        self._dismiss(pairs)
        return len(paths)

    def dismiss_member(self, group: Group, member: Member) -> str:
        """This copy is a different picture from the rest of its group; returns its path."""
        path = self.path(member)
        self._dismiss({(path, self.path(m)) for m in group.members if m is not member})
        return path

    def _dismiss(self, pairs: set[Pair]) -> None:
        if not pairs:
            return
        pairs = {decisions.ordered(a, b) for a, b in pairs}
        self.dismissed = self.dismissed | pairs
        path = self.decisions_path

        def run(_report: Report, _cancel: CancelToken) -> None:
            with decisions.DecisionStore(path) as store:
                store.add(pairs)
        self._submit(self._job("decide", run, lambda _: None, "Could not remember this choice"))
        self.regroup()

    # -- actions --------------------------------------------------------------------------
    def plan(self, kind: str = "trash", dest: str | None = None) -> Plan:
        """What acting on the marked files would do now: the files, what is refused and why, the bytes.
        kind: trash (delete if the options say permanent), move or copy to dest, hardlink or symlink."""
        kind = "delete" if kind == "trash" and self.options.permanent else kind
        return action_plan.build(self.library, self.groups, self.marks.paths, kind, dest, self.options.roots)

    def apply(self, plan: Plan) -> bool:
        """Carry out a confirmed plan: the one place that calls dupeview.core.actions. False if busy."""
        if self.busy or not plan.paths:
            return False
        cache_path, log_path = self.cache_path, self.action_log_path
        # Records, not bare paths: each file and its kept copy are re-verified by identity and digest.
        by_path = member_records(self.library, self.groups)   # the groups' files only, not a record per file
        groups = [[by_path.get(p, p) for p in g] for g in plan.groups]

        def run(report: Report, _cancel: CancelToken) -> tuple[list[Any], bool]:
            from dupeview.core import actions

            removals = [actions.Removal.of(r) for r in plan.records]
            outcomes = list(actions.apply(plan.kind, removals, groups=groups, log=actions.ActionLog(log_path),
                                          dest_root=plan.dest, roots=plan.roots, progress=report))
            if plan.removes:
                forget(cache_path, [o.path for o in outcomes if o.ok])
            return outcomes, undoable(log_path)

        def finished(result: tuple[list[Any], bool]) -> None:
            outcomes = result[0]
            self._set_can_undo(result[1])
            done = frozenset(o.path for o in outcomes if o.ok)
            failed = tuple((o.path, o.reason or "unknown reason") for o in outcomes if not o.ok)
            freed = sum(r.size for r in plan.records if r.path in done) if plan.removes else 0
            # A file gone since the scan leaves the groups too; a refused or put-back one stays in them.
            left = (done if plan.removes else frozenset()) | {p for p, why in failed if why == _GONE}
            if left:
                self._set_absent(self._absent | left, "action")
            self.events.acted.emit(ActionOutcome(plan.kind, done, failed, freed, self.can_undo and not plan.permanent,
                                                 {o.path: o.dest for o in outcomes if o.ok and o.dest}))
        verb = ACTION_VERBS[plan.kind]
        self._submit(self._job("action", run, finished, f"{verb} failed", self.events.action_progressed.emit))
        return True

    def undo(self) -> bool:
        """Put back the files of the last undoable action; False if busy or there is nothing to undo."""
        if self.busy or not self.can_undo:
            return False
        log_path = self.action_log_path

        def run(_report: Report, _cancel: CancelToken) -> tuple[list[Any], bool]:
            from dupeview.core import actions

            outcomes = list(actions.undo_last(actions.ActionLog(log_path)))
            return outcomes, undoable(log_path)

        def finished(result: tuple[list[Any], bool]) -> None:
            outcomes = result[0]
            self._set_can_undo(result[1])
            back = frozenset(o.path for o in outcomes if o.ok)
            failed = tuple((o.path, o.reason or "unknown reason") for o in outcomes if not o.ok)
            known = back & self._absent
            if known:
                self._set_absent(self._absent - known, "undo")
            self.events.undone.emit(UndoOutcome(back, failed, back - known))
        self._submit(self._job("undo", run, finished, "Restoring the files failed"))
        return True

    def _set_can_undo(self, can: bool) -> None:
        self.can_undo = can
        self.events.undo_changed.emit(can)

    def _set_absent(self, absent: frozenset[str], cause: str) -> None:
        """Show the scan's files minus those acted on: edges dropped or put back, never a new pair search."""
        base = self._base
        if base is None:
            return
        self._absent = absent
        self.marks.discard(absent)
        self._regroups.request(cause, drop=True)   # the matcher without them is made on the worker

    def read_action_log(self) -> None:
        """Read the action log off this thread; action_log_read reports its entries."""
        log_path = self.action_log_path

        def run(_report: Report, _cancel: CancelToken) -> list[dict[str, object]]:
            from dupeview.core import actions

            return actions.ActionLog(log_path).entries()
        self._submit(self._job("read", run, self.events.action_log_read.emit, "The action log could not be read"))

    # -- persistence seam ----------------------------------------------------------------------
    def snapshot(self, selected: str | None = None) -> ReviewState | None:
        """The review as frozen data for core/review_store (None before the first scan).

        `selected`: a path in the group on screen. The files acted on since the scan are not in
        it: an undo after a restore puts them back on disk, and a rescan shows them again.
        """
        if self.matcher is None:
            return None
        o = self.options
        folders = tuple(ReviewFolder(root, root in o.reference_folders) for root in o.roots)
        return ReviewState(folders=folders, options=o.to_dict(), scan=scan_snapshot(self.library),
                           marks=self.marks.paths | self.marks.parked_paths, dismissals=self.dismissed,
                           selected=selected)

    def restore(self, state: ReviewState) -> None:
        """Take a review back without a rescan: its options, files, marks and dismissals.

        The pairs are searched again off this thread; groups_changed (cause "restore") follows.
        Raises ValueError, with nothing changed, if the state's options are not readable.
        """
        options = ReviewOptions.from_dict(state.options, state.roots, state.reference_folders, self.options.workers)
        if state.scan is None:
            self.options = options
            return
        # Algorithms the review holds no codes of come from this session's fingerprint cache when asked for.
        library, match = state.scan.to_library(CacheCodes(self.cache_path, analyse_safely)), options.match
        self.options = options
        self.dismissed = self.dismissed | state.dismissals
        memo = pair_memo.beside(self.cache_path, options.roots)

        def run(_report: Report, _cancel: CancelToken) -> Matcher:
            return first_matcher(library, match, options.threshold, memo)

        def finished(matcher: Matcher) -> None:
            self._base, self.matcher, self._absent = matcher, matcher, frozenset()
            self.marks.reset()
            self._pending_marks = state.marks
            self.regroup("restore")
        self._submit(self._job("match", run, finished, "The saved review could not be opened"))
