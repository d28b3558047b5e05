"""No read can hang or run away: pipes and devices are refused after opening, a stalled decoder is given
up after its time limit (its worker replaced, the scan goes on), huge 16-bit images decode in bounded memory."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from dupeview.core import decode, workers
from dupeview.core.cache import FingerprintCache
from dupeview.core.decode import DecodeFailure, ImageFacts
from dupeview.core.progress import CancelToken
from dupeview.core.scanner import ScanSettings, _hash_in_pool, analyse_safely, scan
from tests import stall_plugin
from tests.images import photo, save

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


def finishes(fn: Callable[[], Any], within: float = 120.0) -> Any:
    """fn() run on a daemon thread: its result, or a failure (not a hung test run) if it never returns."""
    box: list[Any] = []
    thread = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    thread.start()
    thread.join(within)
    assert box, f"still running after {within:g} s: it hangs"
    return box[0]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.jpg"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind", ["fifo", "link-to-fifo", "dev-zero", "tty-like"])
def test_decode_refuses_what_is_not_a_regular_file(tmp_path: Path, fifo: Path, kind: str) -> None:
    target = {"fifo": fifo, "dev-zero": Path("/dev/zero"), "tty-like": Path("/dev/null")}.get(kind)
    if kind == "link-to-fifo":
        target = tmp_path / "link.jpg"
        target.symlink_to(fifo)
    assert target is not None
    result = finishes(lambda: decode.analyse(str(target)))
    assert isinstance(result, DecodeFailure)
    assert result.reason.startswith("not a regular file (")
    assert result.reason in ("not a regular file (a named pipe); only files are read",
                             "not a regular file (a device); only files are read")


def test_a_fifo_swapped_in_after_discovery_does_not_hang_the_pool(tmp_path: Path, fifo: Path) -> None:
    good = save(photo(1, (64, 48)), tmp_path / "good.jpg")
    results = finishes(lambda: dict(_hash_in_pool([str(fifo), str(good)], 2, 1, CancelToken(), None, 30.0)))
    assert isinstance(results[str(good)], ImageFacts)
    assert results[str(fifo)].reason == "not a regular file (a named pipe); only files are read"


def test_a_stalled_read_times_out_its_worker_is_replaced_and_the_scan_goes_on(tmp_path: Path, fifo: Path) -> None:
    lib = tmp_path / "lib"
    for k in range(6):
        save(photo(k, (64, 48)), lib / f"{k}.jpg")
    stall_plugin.stalled_file(str(lib / "stalled.jpg"), str(fifo))
    settings = ScanSettings((str(lib),), workers=2, batch_size=2, worker_setup=stall_plugin.install, file_timeout=3.0)
    with FingerprintCache(tmp_path / "c.sqlite3") as cache:
        library = finishes(lambda: scan(settings, cache))
    assert sorted(os.path.basename(r.path) for r in library.records) == [f"{k}.jpg" for k in range(6)]
    [skipped] = library.skipped
    assert skipped.path == str(lib / "stalled.jpg")
    assert skipped.reason == "timed out while reading (no answer within 3 s); skipped"
    with FingerprintCache(tmp_path / "c.sqlite3") as cache:  # not cached: a share may answer next time
        assert str(lib / "stalled.jpg") not in cache.load([str(lib / "stalled.jpg")])


def test_one_file_within_a_time_limit_for_query(tmp_path: Path, fifo: Path) -> None:
    good = save(photo(2, (64, 48)), tmp_path / "good.jpg")
    assert isinstance(finishes(lambda: analyse_safely(str(good), 30.0)), ImageFacts)
    assert finishes(lambda: analyse_safely(str(fifo), 30.0)).reason.startswith("not a regular file")


def test_workers_are_capped_by_cores_and_memory() -> None:
    cores = os.cpu_count() or 1
    assert workers.worker_cap() <= 2 * cores
    free = workers.available_memory()
    assert free is not None and workers.worker_cap() <= max(1, free // workers.MEMORY_PER_WORKER)
    n, warning = workers.capped(1000)
    assert n == workers.worker_cap() and warning is not None and "1000" in warning
    assert workers.capped(0) == (0, None) and workers.capped(1) == (1, None)


def _gray16(size: tuple[int, int]) -> Image.Image:
    h, w = size[1], size[0]
    y = np.linspace(0, 65535, h)[:, None] * (0.5 + 0.5 * np.sin(np.linspace(0, 20, w)))[None, :]
    return Image.fromarray(y.astype(np.uint16))


@pytest.mark.parametrize("mode", ["I;16", "RGBA", "RGB", "LA"])
def test_big_images_are_turned_grey_in_strips_with_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   mode: str) -> None:
    img = _gray16((1500, 1100)) if mode == "I;16" else photo(3, (1500, 1100)).convert(mode)
    path = save(img, tmp_path / "big.png")
    whole = decode.analyse(str(path))
    monkeypatch.setattr(decode, "LARGE_PIXELS", 100_000)  # this image now takes the strip path
    monkeypatch.setattr(decode, "_STRIP_ROWS", 128)
    strips = decode.analyse(str(path))
    assert isinstance(whole, ImageFacts) and isinstance(strips, ImageFacts)
    assert strips.hashes == whole.hashes and strips.views == whole.views


def test_an_image_over_the_memory_budget_is_refused_plainly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(_gray16((800, 600)), tmp_path / "deep.png")
    monkeypatch.setattr(decode, "DECODE_BUDGET", 800 * 600)  # two bytes a pixel: twice the budget
    result = decode.analyse(str(path))
    assert isinstance(result, DecodeFailure)
    assert result.reason.startswith("image too large to decode within the memory budget (needs about")


@pytest.mark.parametrize("target", ["fifo", "/dev/zero"])
def test_query_of_a_pipe_or_device_answers_at_once(tmp_path: Path, fifo: Path, target: str) -> None:
    import json
    import subprocess
    import sys
    lib = tmp_path / "lib"
    save(photo(4, (64, 48)), lib / "a.jpg")
    image = str(fifo) if target == "fifo" else target
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "dupeview", "query", image, "--in", str(lib), "--no-cache",
                           "--format", "json", "--quiet"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(root)}, check=False)
    assert done.returncode == 1, done.stderr  # no match: like grep
    [entry] = json.loads(done.stdout)["results"]
    assert entry["error"].startswith("not a regular file (")
