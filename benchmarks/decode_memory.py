"""Peak memory of one decoder at the pixel cap: each image is fingerprinted by decode.analyse in a fresh
process (what a scan worker does), and that process's peak RSS is reported.

    python benchmarks/decode_memory.py              # 300 MP: 16-bit grey PNG, RGB PNG, RGBA PNG; and 144 MP 16-bit
    python benchmarks/decode_memory.py --mp 144 --kinds gray16

The images are generated in a temporary folder (smooth gradients, so they compress) and removed after.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_CHILD = """
import resource, sys, time
sys.path.insert(0, sys.argv[1])
from dupeview.core import decode
t = time.perf_counter()
r = decode.analyse(sys.argv[2])
print(type(r).__name__, getattr(r, "reason", ""), f"{time.perf_counter() - t:.1f}",
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _make(path: Path, kind: str, mp: float) -> None:
    import numpy as np
    from PIL import Image
    Image.MAX_IMAGE_PIXELS = None
    h = int(math.sqrt(mp * 1e6 * 3 / 4))
    w = int(mp * 1e6 / h)
    # Built row band by row band: the generator should not need more memory than what it measures.
    if kind == "gray16":
        img = Image.new("I;16", (w, h))
        for y in range(0, h, 1000):
            rows = min(1000, h - y)
            band = (np.linspace(y, y + rows, rows)[:, None] / h * 65535 * (0.5 + 0.5 * np.sin(np.linspace(0, 20, w)))[None, :])
            img.paste(Image.fromarray(band.astype(np.uint16)), (0, y))
    else:
        mode = "RGBA" if kind == "rgba" else "RGB"
        img = Image.new(mode, (w, h))
        for y in range(0, h, 1000):
            rows = min(1000, h - y)
            g = (np.linspace(y, y + rows, rows)[:, None] / h * 255 * np.ones(w)[None, :]).astype(np.uint8)
            band = np.stack([g, g[:, ::-1], np.full_like(g, 128)] + ([np.full_like(g, 200)] if mode == "RGBA" else []), axis=2)
            img.paste(Image.fromarray(band, mode), (0, y))
    img.save(path, compress_level=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mp", type=float, default=None, help="megapixels (default: the cap, and 144 for gray16)")
    parser.add_argument("--kinds", default="gray16,rgb,rgba", help="comma-separated: gray16, rgb, rgba")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from dupeview.core import decode, workers
    cap_mp = decode.MAX_PIXELS / 1e6
    plan = [(k, args.mp or cap_mp) for k in args.kinds.split(",")]
    if args.mp is None and "gray16" in args.kinds:
        plan.insert(0, ("gray16", 144.0))
    base = Path(tempfile.mkdtemp(prefix="dupeview-memory-bench-"))
    print(f"decode budget {decode.DECODE_BUDGET / 1024**2:.0f} MiB of pixels; per-worker allowance "
          f"{workers.MEMORY_PER_WORKER / 1024**2:.0f} MiB; worker cap here {workers.worker_cap()}; "
          f"load average {os.getloadavg()[0]:.2f}")
    try:
        for kind, mp in plan:
            path = base / f"{kind}-{mp:g}.png"
            t = time.perf_counter()
            _make(path, kind, mp - 0.01)
            made = time.perf_counter() - t
            done = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), str(path)], capture_output=True,
                                  text=True, check=False)
            line = done.stdout.strip().rsplit(" ", 2)
            if done.returncode != 0 or len(line) != 3:
                print(f"  {kind} {mp:g} MP: decoder failed: {done.stderr.strip()[-300:]}")
                continue
            what, seconds, rss_kb = line
            print(f"  {kind:6} {mp:5g} MP ({path.stat().st_size / 1e6:.0f} MB file, made in {made:.0f} s): "
                  f"{what.strip()}, {seconds} s, peak RSS {int(rss_kb) / 1024:.0f} MiB")
            path.unlink()
        print(f"children's max RSS (any): {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB; "
              f"load average after {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
