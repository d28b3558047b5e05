"""What the GUI thread was doing when the event loop stalled: its Python stack, sampled from a watchdog thread.

    from benchmarks.gui_stalls import StallSampler
    sampler = StallSampler(threshold_ms=20)   # on the GUI thread
    sampler.beat()                            # from a frequent QTimer tick on the GUI thread
    ...
    print(sampler.report())

A watchdog thread wakes every 2 ms; once the last beat is older than the threshold it samples the GUI
thread's stack (and every other thread's innermost frames: a GUI thread waiting for the GIL shows
who holds it) until the next beat. The report sums the samples by innermost dupeview/PySide frame, so
a 40 ms stall inside QPixmap.fromImage shows as ~20 samples there. Sampling costs the GUI thread
nothing while it is not stalled, and a few microseconds of GIL per sample while it is.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections import Counter
from types import FrameType

_OURS = ("dupeview", "benchmarks")
# innermost frames of a thread that waits (for work, a lock, a pipe): not the one holding the GIL
_WAITING = (" wait", " select", " _worker", " get", " recv", " accept", " sleep", " _recv", " poll")


def _where(frame: FrameType | None, depth: int = 6) -> str:
    """The innermost frames of a stack, the project's own ones named, as "file:line fn < caller < ..."."""
    parts: list[str] = []
    for fs in reversed(traceback.extract_stack(frame)):
        if len(parts) >= depth:
            break
        name = fs.filename
        short = name[name.rfind("dupeview/"):] if "dupeview/" in name else name.rsplit("/", 1)[-1]
        parts.append(f"{short}:{fs.lineno} {fs.name}")
    return " < ".join(parts) if parts else "(no Python frame: in Qt's C++ or waiting for the GIL)"


class StallSampler:
    """Samples the GUI thread's stack while its heartbeat is late."""

    def __init__(self, threshold_ms: float = 20.0, interval_ms: float = 2.0) -> None:
        self._gui = threading.get_ident()
        self._schedstat = f"/proc/self/task/{threading.get_native_id()}/schedstat"
        self._stat = f"/proc/self/task/{threading.get_native_id()}/stat"
        self._threshold = threshold_ms / 1000.0
        self._interval = interval_ms / 1000.0
        self._last = time.perf_counter()
        self.samples: Counter[str] = Counter()
        self.others: Counter[str] = Counter()
        self.stalls = 0
        self.events: list[tuple[float, float, Counter[str]]] = []   # (start, length s, samples) of each stall
        # per stall: the GUI thread's (ms on a CPU, ms waiting for one) from the kernel's schedstat, so a
        # stall can be told apart as work, a wait for a CPU (the machine's load) or a wait for a lock (the GIL)
        self.sched: list[tuple[float, float]] = []
        self.busy: list[Counter[str]] = []
        self.states: Counter[str] = Counter()
        self.event_states: list[Counter[str]] = []   # per stall: the other threads' frames that were not waiting
        self._at_start = (0, 0)
        self._seen = self._last
        self._in_stall = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="stall-sampler", daemon=True)
        self._thread.start()

    def beat(self) -> None:
        self._last = time.perf_counter()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(self._interval):
            late = time.perf_counter() - self._last
            if self._last != self._seen:
                # a beat since the last look: the GUI thread's account from (within a look of) that beat
                self._seen = self._last
                self._at_start = self._cpu()
            if late < self._threshold:
                self._in_stall = False
                continue
            if not self._in_stall:
                self.stalls += 1
                self._in_stall = True
                self.events.append((self._last, 0.0, Counter()))
                self.sched.append((0.0, 0.0))
                self.busy.append(Counter())
                self.event_states.append(Counter())
            start, _, here = self.events[-1]
            self.events[-1] = (start, late, here)
            now = self._cpu()
            self.sched[-1] = ((now[0] - self._at_start[0]) / 1e6, (now[1] - self._at_start[1]) / 1e6)
            frames = sys._current_frames()
            where = _where(frames.get(self._gui))
            state = self._state()   # R: on a CPU or waiting for one; S: asleep (the GIL, a lock, a wait)
            self.states[state] += 1
            self.event_states[-1][state] += 1
            self.samples[where] += 1
            here[where] += 1
            for ident, frame in frames.items():
                if ident not in (self._gui, threading.get_ident()):
                    where = _where(frame, 3)
                    self.others[where] += 1
                    if not any(w in where.split(" < ")[0] for w in _WAITING):
                        self.busy[-1][where] += 1

    def _state(self) -> str:
        try:
            with open(self._stat) as fh:
                return fh.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return "?"

    def _cpu(self) -> tuple[int, int]:
        try:
            with open(self._schedstat) as fh:
                run, wait, _ = fh.read().split()
            return int(run), int(wait)
        except (OSError, ValueError):
            return 0, 0

    def timeline(self, zero: float, longer_ms: float = 30.0, until: float = float("inf")) -> str:
        """Each stall over `longer_ms` that began from `zero` on (to `until`; perf_counter() times): when (s after
        `zero`), how long, and where the GUI thread mostly was."""
        lines = []
        for (start, length, here), (run, wait), busy, states in zip(self.events, self.sched, self.busy,
                                                                    self.event_states, strict=True):
            if length * 1000 >= longer_ms and (zero <= start < until or until == float("inf")):
                where, n = here.most_common(1)[0]
                seen = " ".join(f"{k}{v}" for k, v in sorted(states.items()))
                lines.append(f"  t={start - zero:+7.2f} s  {length * 1000:5.0f} ms  on CPU {run:4.0f}, waiting for CPU "
                             f"{wait:4.0f}, states {seen}  ({n}/{sum(here.values())}) {where}")
                if busy:
                    other, k = busy.most_common(1)[0]
                    lines.append(f"      meanwhile ({k}) {other}")
        return "\n".join(lines)

    def split(self) -> tuple[float, float, float, float]:
        """Over all stalls, ms: their length, the GUI thread on a CPU, waiting for one, and neither (blocked:
        on the GIL or a lock; in a stall the thread is never idle)."""
        length = sum(e[1] for e in self.events) * 1000
        run = sum(r for r, _ in self.sched)
        wait = sum(w for _, w in self.sched)
        return length, run, wait, max(0.0, length - run - wait)

    def report(self, top: int = 12) -> str:
        total = sum(self.samples.values())
        length, run, wait, blocked = self.split()
        lines = [f"GUI thread late > {self._threshold * 1000:.0f} ms: {self.stalls} stalls, {length:.0f} ms in all: "
                 f"on a CPU {run:.0f}, waiting for a CPU {wait:.0f}, blocked (GIL) {blocked:.0f}; {total} samples "
                 f"({self._interval * 1000:.0f} ms apart)"]
        lines.append("  the GUI thread's state in the samples (R: on or waiting for a CPU, S: asleep on the GIL or a "
                     "lock): " + ", ".join(f"{k} {v}" for k, v in sorted(self.states.items())))
        lines += [f"  {n:5d}  {where}" for where, n in self.samples.most_common(top)]
        lines.append("  other threads meanwhile:")
        lines += [f"  {n:5d}  {where}" for where, n in self.others.most_common(top // 2)]
        return "\n".join(lines)
