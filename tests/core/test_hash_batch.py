"""The batched fingerprint math gives, bit for bit, what the one-image definitions give: on images of every size,
mode and orientation, alone or in any batch, with broken files mixed in (each reported, none spoiling the rest)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dupeview.core import decode, facts_batch, fingerprint, hash_batch, views
from dupeview.core.decode import DecodeFailure, ImageFacts
from tests.images import corrupt_jpeg, jpeg_bytes, photo, save, with_orientation


def reference(gray: Image.Image) -> tuple[bytes, float, bytes, float]:
    """hashes, contrast, views and flatness as core/fingerprint.py and core/views.py define them for one image."""
    th = fingerprint.thumbs(gray)
    hashes, contrast = fingerprint.compute(gray, th)
    words, flat = views.compute(gray, th.t64)
    return hashes.astype("<u8").tobytes(), contrast, words.astype("<u8").tobytes(), flat


def batched(grays: list[Image.Image]) -> list[tuple[bytes, float, bytes, float]]:
    done = hash_batch.compute_many(grays)  # what the decoders run
    return [(done.hashes[k].astype("<u8").tobytes(), done.contrast[k], done.views[k].astype("<u8").tobytes(),
             done.flatness[k]) for k in range(len(grays))]


def grays() -> list[Image.Image]:
    """Grey images as the decoder hands them on: noise, flat, bars, stripes, photos; tiny, thin and large."""
    rng = np.random.default_rng(15)
    out = [Image.fromarray(rng.integers(0, 256, (int(h), int(w)), dtype=np.uint8))
           for h, w in rng.integers(1, 300, (24, 2))]
    out += [Image.new("L", (w, h), c) for w, h in ((1, 1), (2, 3), (64, 48), (64, 64), (127, 95), (640, 3)) for c in (0, 128, 255)]
    out += [Image.fromarray(rng.integers(0, 256, (48, 64), dtype=np.uint8)) for _ in range(6)]  # one size: stacked
    out += [photo(k, size).convert("L") for k, size in enumerate([(64, 48), (48, 64), (128, 96), (97, 1203), (4000, 3),
                                                                  (640, 480), (65, 65), (300, 7)])]
    letterbox = np.full((96, 128), 20, np.uint8)
    letterbox[12:84] = np.asarray(photo(9, (128, 72)).convert("L"))
    out.append(Image.fromarray(letterbox))
    edge = letterbox.copy()
    edge[:12, ::2], edge[:12, 1::2] = 100, 100 + 2 * views._UNIFORM_TOL   # bars exactly as wide in grey as uniform allows
    edge[84:, ::2], edge[84:, 1::2] = 30, 30 + 2 * views._UNIFORM_TOL
    out += [Image.fromarray(edge), Image.fromarray(edge.T.copy()), Image.fromarray(edge[::-1].copy())]
    out.append(Image.fromarray((np.indices((64, 64)).sum(axis=0) % 2 * 255).astype(np.uint8)))  # a checkerboard
    out.append(Image.fromarray(np.tile(np.arange(256, dtype=np.uint8), (40, 1))))                 # a ramp
    return out


def test_the_batch_math_equals_the_one_image_definitions() -> None:
    images = grays()
    expected = [reference(g) for g in images]
    assert batched(images) == expected
    for g, want in zip(images, expected, strict=True):  # a batch of one
        assert batched([g]) == [want]
    order = list(range(len(images)))
    random.Random(3).shuffle(order)
    for start in range(0, len(order), 5):  # other batches, other company
        part = order[start:start + 5]
        assert batched([images[k] for k in part]) == [expected[k] for k in part]


def test_an_empty_batch_gives_nothing() -> None:
    done = hash_batch.compute_many([])
    assert done.hashes.shape == (0, len(fingerprint.ALGORITHMS), fingerprint.N_TRANSFORMS)
    assert done.views.shape == (0, views.N_WORDS) and done.contrast == [] and done.flatness == []


def library(root: Path) -> tuple[list[str], set[str]]:
    """Files of many sizes, modes, formats and orientations, with broken ones between them (and why each fails)."""
    root.mkdir()
    paths: list[Path] = []
    img = photo(4, (320, 240))
    paths += [save(photo(k, size), root / f"p{k}.jpg", quality=85)
              for k, size in enumerate([(64, 48), (48, 64), (1, 1), (3, 2), (200, 13), (1600, 1200)])]
    paths += [with_orientation(img, o, root / f"o{o}.jpg") for o in range(1, 9)]
    paths.append(save(img, root / "rgb.png"))
    paths.append(save(img.convert("L"), root / "grey.webp", "WEBP"))
    paths.append(save(img.convert("P"), root / "palette.gif"))
    rgba = img.convert("RGBA")
    rgba.putalpha(Image.fromarray(np.tile((np.arange(320) % 256).astype(np.uint8), (240, 1))))
    paths.append(save(rgba, root / "alpha.png"))
    paths.append(save(img.convert("LA"), root / "la.png"))
    paths.append(save(Image.fromarray(np.asarray(img.convert("L"), dtype=np.uint16) * 257), root / "deep.png"))
    paths.append(save(img.convert("CMYK"), root / "cmyk.jpg", quality=90))
    paths.append(save(img, root / "img.tiff", "TIFF"))
    paths.append(save(Image.new("RGB", (640, 480), (200, 200, 200)), root / "flat.jpg"))
    # Small ones of one size, some turned: their detail is measured with the batch, on the pixels before turning.
    paths += [with_orientation(photo(30 + k, (101, 77)), 1 + k % 8, root / f"small{k}.jpg") for k in range(10)]
    paths += [save(photo(50 + k, (90, 61)), root / f"small{k}.png") for k in range(4)]
    # Too thin to be reduced and over HOLD_PIXELS: finished at once, the same values as in a batch.
    paths.append(save(photo(60, (decode.HOLD_PIXELS // 90 + 1, 90)), root / "strip.png"))
    broken = {
        "truncated.jpg": jpeg_bytes(img)[:900],
        "notes.jpg": b"not an image at all, just text\n" * 10,
        "empty.png": b"",
        # Garbled inside its scan: the decode fails only when the pixels are read (JPEGs decode lazily),
        # which must happen on this file's account, not in the batch's later steps.
        "scrambled.jpg": corrupt_jpeg(jpeg_bytes(img)),
    }
    for name, data in broken.items():
        (root / name).write_bytes(data)

    (root / "folder.jpg").mkdir()
    everything = [str(p) for p in paths] + [str(root / n) for n in broken] + [str(root / "folder.jpg"), str(root / "gone.jpg")]
    random.Random(5).shuffle(everything)
    failing = {str(root / n) for n in [*broken, "folder.jpg", "gone.jpg"]}
    return everything, failing


def test_a_batch_of_files_gives_each_file_what_it_gives_alone(tmp_path: Path) -> None:
    paths, failing = library(tmp_path / "lib")
    alone = [decode.analyse(p) for p in paths]
    assert decode.analyse_many(paths) == alone
    for start in range(0, len(paths), 4):  # smaller batches, other company
        assert decode.analyse_many(paths[start:start + 4]) == alone[start:start + 4]
    for path, result in zip(paths, alone, strict=True):
        if path in failing:
            assert isinstance(result, DecodeFailure) and result.reason, (path, result)
        else:
            assert isinstance(result, ImageFacts), (path, result)
    reasons = {os.path.basename(p): r.reason for p, r in zip(paths, alone, strict=True) if isinstance(r, DecodeFailure)}
    assert reasons["empty.png"] == "empty file (0 bytes)"
    assert reasons["gone.jpg"] == "file disappeared during the scan"
    assert reasons["truncated.jpg"] == "image is truncated (incomplete file)"
    assert reasons["folder.jpg"] == "not a regular file (a folder); only files are read"
    assert reasons["scrambled.jpg"] == "damaged image (broken data stream when reading image file)"


def test_a_decoded_file_gets_the_one_image_definitions_values(tmp_path: Path) -> None:
    """What analyse_many stores is what fingerprint.compute and views.compute give for the decoded image."""
    paths, failing = library(tmp_path / "lib")
    results = decode.analyse_many(paths)
    checked = 0
    for path, result in zip(paths, results, strict=True):
        if path in failing:
            continue
        assert isinstance(result, ImageFacts)
        gray = decode._decode(Path(path).read_bytes())[0]
        assert (result.hashes, result.contrast, result.views, result.flatness) == reference(gray), path
        checked += 1
    assert checked == len(paths) - len(failing)


def test_a_failure_in_the_batch_math_costs_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the stacked math fails (memory), every file is computed on its own and only the culprit is lost."""
    paths = [str(save(photo(k, (96, 64)), tmp_path / f"{k}.jpg")) for k in range(4)]
    alone = [decode.analyse(p) for p in paths]
    compute_many = hash_batch.compute_many
    culprit = decode._prepare(paths[2])
    assert isinstance(culprit, decode._Decoded)
    marked = hash_batch.sheet([decode._decode(Path(paths[2]).read_bytes())[0]]).pixels[0, 0]

    def fragile(grays: list[Image.Image]) -> hash_batch.Hashes:
        if any(np.array_equal(t64, marked) for t64 in hash_batch.sheet(grays).pixels[:, 0]):
            raise MemoryError
        return compute_many(grays)

    monkeypatch.setattr(hash_batch, "compute_many", fragile)
    results = decode.analyse_many(paths)
    assert results[:2] == alone[:2] and results[3] == alone[3]
    lost = alone[2]
    assert isinstance(lost, ImageFacts)
    assert results[2] == DecodeFailure("not enough memory to decode this image", lost.size, lost.mtime_ns, lost.ctime_ns)


def test_a_batch_never_holds_a_big_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A strip too thin to be reduced is finished as soon as it is decoded: no batch waits with it in memory."""
    paths = [str(save(photo(k, (96, 64)), tmp_path / f"{k}.jpg")) for k in range(3)]
    paths.insert(1, str(save(photo(7, (decode.HOLD_PIXELS // 60 + 1, 60)), tmp_path / "strip.png")))
    alone = [decode.analyse(p) for p in paths]
    calls: list[list[int]] = []
    compute_many = hash_batch.compute_many

    def recording(grays: list[Image.Image]) -> hash_batch.Hashes:
        calls.append([g.width * g.height for g in grays])
        return compute_many(grays)

    monkeypatch.setattr(hash_batch, "compute_many", recording)
    assert decode.analyse_many(paths) == alone
    assert calls[0] == [(decode.HOLD_PIXELS // 60 + 1) * 60]  # the strip, at once
    assert len(calls) == 2 and len(calls[1]) == 3 and max(calls[1]) <= decode.HOLD_PIXELS  # then the rest together


@pytest.mark.parametrize("h, w", [(64, 64), (32, 128), (1, 4096), (16, 16), (2, 2), (64, 48), (97, 13), (128, 64)])
def test_the_stacked_spread_is_numpys_std_to_the_last_bit(h: int, w: int) -> None:
    """The grey-level spread in the sharpness fact, for a whole stack at once where that is exact, else per image."""
    rng = np.random.default_rng(h * w)
    stack = np.concatenate([rng.integers(0, 256, (4, h, w), dtype=np.uint8),
                            np.where(rng.random((3, h, w)) < 0.3, 0, 255).astype(np.uint8),
                            np.full((1, h, w), 255, np.uint8), np.asarray(photo(3, (w, h)).convert("L"))[None]])
    assert facts_batch.spreads(stack) == [float(a.astype(np.float64).std()) for a in stack]


def test_views_of_the_whole_image_and_batched_turns_equal_the_one_image_values() -> None:
    """Square images (square and trim views are the image itself) and sizes met twice (straightened views batched)."""
    rng = np.random.default_rng(4)
    images = [Image.fromarray(rng.integers(0, 256, (64, 64), dtype=np.uint8)) for _ in range(5)]
    images += [photo(k, (64, 64)).convert("L") for k in range(3)] + [photo(5, (96, 96)).convert("L")] * 2
    bars = np.asarray(photo(6, (64, 64)).convert("L")).copy()
    bars[:10] = 0  # a trimmed square image: its trim view is not the whole image, its square view is
    images.append(Image.fromarray(bars))
    expected = [reference(g) for g in images]
    assert batched(images) == expected
    assert [batched([g])[0] for g in images] == expected
