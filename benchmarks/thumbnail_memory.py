"""Memory of the app while stepping through groups: RSS after every 50 of --groups, with the thumbnail cap.

    QT_QPA_PLATFORM=offscreen python benchmarks/thumbnail_memory.py [--groups 300] [--dir /tmp/dupeview-thumbs]

Makes --groups groups of three copies (2000x1500 JPEGs, as a phone camera's), scans them in a
real MainWindow, then selects group after group as a user pressing N would, waiting for each
group's cards and thumbnails.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def make(folder: Path, groups: int) -> None:
    from tests.images import photo, save

    for k in range(groups):
        p = folder / "Pictures" / f"IMG_{k:04d}.jpg"
        if p.exists():
            continue
        img = photo(1000 + k, (2000, 1500))
        save(img, p, quality=90)
        save(img, folder / "Backup" / f"IMG_{k:04d}.jpg", quality=80)
        save(img.resize((1000, 750)), folder / "Resized" / f"IMG_{k:04d}.jpg", quality=85)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "dupeview-thumbs")
    args = parser.parse_args()
    make(args.dir, args.groups)
    home = tempfile.mkdtemp(prefix="dupeview-bench-home-")
    os.environ["DUPEVIEW_HOME"] = home
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from dupeview.gui.main_window import MainWindow
    from dupeview.gui.thumbnails import DEFAULT_CAPACITY
    from dupeview.settings import SettingsStore

    app = QApplication.instance() or QApplication([])
    w = MainWindow(settings_store=SettingsStore(Path(home) / "settings.json"), cache_path=str(Path(home) / "c.sqlite3"),
                   folders=[str(args.dir / d) for d in ("Pictures", "Backup", "Resized")])
    w.resize(1280, 820)
    w.show()

    def pump_until(done, timeout: float = 600) -> None:
        end = time.monotonic() + timeout
        while not done() and time.monotonic() < end:
            app.processEvents()
            # processEvents() leaves deleteLater() to the event loop: run those too, as the app's loop would.
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            time.sleep(0.005)

    print(f"load average {os.getloadavg()[0]:.2f}; thumbnail cap {DEFAULT_CAPACITY / 2**20:.0f} MiB of pixels")
    print(f"RSS before the scan: {rss_mb():.0f} MB")
    w.start_scan()
    pump_until(lambda: w.session.has_results and w.runner.idle and not w.session.scanning)
    n = len(w.session.groups)
    print(f"{n} groups; RSS after the scan: {rss_mb():.0f} MB")
    peak = 0.0
    for row in range(min(n, args.groups)):
        w.results.select_row(row)
        view, wanted = w.results.group_view, len(w.session.groups[row].members)

        def shown(view=view, wanted=wanted) -> bool:
            return len(view.cards) == wanted and all(not c.thumb.pixmap().isNull() for c in view.cards)
        pump_until(shown, timeout=30)
        peak = max(peak, rss_mb())
        if (row + 1) % 50 == 0:
            print(f"  after {row + 1:>3} groups: RSS {rss_mb():.0f} MB (peak {peak:.0f} MB)")
    w.shutdown()
    print(f"peak RSS {peak:.0f} MB, load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
