"""Bit-identity of the decoders' results across a code change: every fact of every file, saved once and compared.

    python benchmarks/identity.py odd /tmp/odd                      (writes generated odd files there)
    PYTHONPATH=<old checkout> python benchmarks/identity.py save before.pickle ../shared/corpus /tmp/odd …
    python benchmarks/identity.py compare before.pickle ../shared/corpus /tmp/odd …

Files go through decode.analyse_many in batches of --batch (what a decoder's task runs, same-sized images
stacked together), and the first --single of them one at a time too (a batch of one), so both paths are held to
the saved results: hashes, views, flatness, contrast and every other field of ImageFacts but the change time (which a
benchmark's hard link moves), or the reason of a failure.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path and not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT))

import numpy as np
from PIL import Image


def files(roots: list[str]) -> list[str]:
    out = []
    for root in roots:
        for folder, _, names in os.walk(root):
            out += [os.path.join(folder, n) for n in names]
    return sorted(out)


def results(paths: list[str], batch: int, single: int) -> dict[str, tuple[object, ...]]:
    from dupeview.core import decode

    def kept(r: decode.ImageFacts | decode.DecodeFailure) -> tuple[object, ...]:
        # Every field but the change time, which a benchmark's hard link to a file moves (speed.py's warm-up).
        return tuple(v for k, v in r._asdict().items() if k != "ctime_ns")

    out: dict[str, tuple[object, ...]] = {}
    for start in range(0, len(paths), batch):
        chunk = paths[start:start + batch]
        for p, r in zip(chunk, decode.analyse_many(chunk), strict=True):
            out[p] = (type(r).__name__, *kept(r))
    for p in paths[:single]:
        r = decode.analyse(p)
        out["single:" + p] = (type(r).__name__, *kept(r))
    return out


def odd(folder: Path, seed: int = 0) -> None:
    """Images of odd sizes, modes and formats (strips, tiny, big, transparent, 16-bit, palette, CMYK,
    progressive, EXIF-turned, bordered), the cases where an exact rewrite of a step could slip."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)

    def smooth(w: int, h: int, channels: int = 3) -> np.ndarray:
        small = rng.integers(0, 256, (max(1, h // 8), max(1, w // 8), channels), dtype=np.uint8)
        img = Image.fromarray(small[:, :, 0] if channels == 1 else small).resize((w, h), Image.Resampling.BICUBIC)
        return np.asarray(img)

    sizes = [(1, 1), (2, 2), (3, 5), (7, 3), (16, 16), (63, 64), (64, 63), (65, 65), (64, 48), (48, 64), (100, 3),
             (3, 100), (500, 7), (129, 97), (127, 128), (200, 200), (255, 130), (256, 256), (300, 200), (640, 480),
             (1000, 40), (999, 1001), (1920, 1080), (2048, 1536), (4000, 50)]
    for k, (w, h) in enumerate(sizes):
        rgb = Image.fromarray(smooth(w, h))
        rgb.save(folder / f"s{k:02d}_{w}x{h}.jpg", quality=int(rng.integers(40, 98)))
        rgb.save(folder / f"s{k:02d}_{w}x{h}.png")
        if k % 3 == 0:
            noise = Image.fromarray(rng.integers(0, 256, (h, w), dtype=np.uint8), "L")
            noise.save(folder / f"n{k:02d}_{w}x{h}.png")
            rgb.save(folder / f"p{k:02d}_{w}x{h}.jpg", quality=85, progressive=True)
        if k % 4 == 1:
            rgb.convert("CMYK").save(folder / f"c{k:02d}_{w}x{h}.jpg")
            rgb.convert("P", palette=Image.Palette.ADAPTIVE).save(folder / f"pal{k:02d}_{w}x{h}.gif")
        if k % 4 == 2:
            rgba = rgb.convert("RGBA")
            rgba.putalpha(Image.fromarray(smooth(w, h, 1).reshape(h, w)))
            rgba.save(folder / f"a{k:02d}_{w}x{h}.png")
            deep = (smooth(w, h, 1).reshape(h, w).astype(np.uint16) * 257)
            Image.fromarray(deep).save(folder / f"d{k:02d}_{w}x{h}.png")
            rgb.save(folder / f"w{k:02d}_{w}x{h}.webp", quality=80)
    base = Image.fromarray(smooth(320, 240))
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        base.save(folder / f"o{orientation}.jpg", quality=90, exif=exif.tobytes())
    framed = Image.new("RGB", (400, 300), (250, 250, 250))
    framed.paste(base.resize((300, 200)), (50, 30))
    framed.save(folder / "framed.jpg", quality=92)
    bars = Image.new("RGB", (320, 320), (0, 0, 0))
    bars.paste(base, (0, 40))
    bars.save(folder / "letterbox.png")
    flat = Image.new("L", (200, 150), 128)
    flat.save(folder / "flat.png")
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "text.jpg").write_bytes(b"not an image at all\n" * 20)
    jpeg = (folder / "s19_640x480.jpg").read_bytes()
    (folder / "truncated.jpg").write_bytes(jpeg[: len(jpeg) // 2])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("odd", "save", "compare"))
    parser.add_argument("target")
    parser.add_argument("roots", nargs="*")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--single", type=int, default=300)
    args = parser.parse_args()
    if args.what == "odd":
        odd(Path(args.target))
        return 0
    found = results(files(args.roots), args.batch, args.single)
    if args.what == "save":
        with open(args.target, "wb") as fh:
            pickle.dump(found, fh)
        print(f"saved {len(found)} results")
        return 0
    with open(args.target, "rb") as fh:
        saved = pickle.load(fh)
    differ = [p for p in sorted(set(saved) | set(found)) if saved.get(p) != found.get(p)]
    fields = {}
    for p in differ:
        a, b = saved.get(p), found.get(p)
        if a is not None and b is not None and len(a) == len(b):
            for k, (x, y) in enumerate(zip(a, b, strict=True)):
                if x != y:
                    fields[k] = fields.get(k, 0) + 1
    print(f"{len(found)} results compared with {len(saved)} saved: {len(differ)} differ"
          + (f" (fields by index: {fields}); first: {differ[:5]}" if differ else ""))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
