"""Fingerprints as imagehash reads and writes them: `ImageHash` objects and their hex strings (the interchange format).

dupeview computes its fingerprints with its own numpy pipeline (bit-identical to imagehash on the same thumbnail,
tests/core/test_fingerprint.py); this is where they meet imagehash's own objects, so that lists made by other tools
(`str(imagehash.phash(img))`) and dupeview's (`dupeview hash`) are one format. imagehash imports scipy and PyWavelets
only inside phash/whash, which are never called here.
"""

from __future__ import annotations

from typing import Any

import imagehash
import numpy as np

BITS = 64


def to_imagehash(code: int) -> Any:
    """The imagehash.ImageHash of a 64-bit fingerprint (first bit = most significant, as imagehash orders them)."""
    bits = np.unpackbits(np.array([int(code)], dtype=">u8").view(np.uint8)).astype(bool).reshape(8, 8)
    return imagehash.ImageHash(bits)


def to_code(value: Any) -> int:
    """The 64-bit fingerprint of an imagehash.ImageHash of hash_size 8."""
    bits = np.asarray(value.hash, dtype=bool).reshape(-1)
    if bits.size != BITS:
        raise ValueError(f"a {bits.size}-bit hash; dupeview compares 64-bit ones (hash_size=8)")
    return int(np.packbits(bits).view(">u8")[0])


def to_hex(code: int) -> str:
    """What str(imagehash.ImageHash) prints for this fingerprint."""
    return str(to_imagehash(code))


def parse_hex(text: str) -> int:
    """A fingerprint from an imagehash hex string (16 hex digits), via imagehash.hex_to_hash; ValueError if not one."""
    text = text.strip()
    if len(text) != BITS // 4:
        raise ValueError(f"{text[:40]!r} is not a 64-bit imagehash hex string (16 hex digits)")
    try:
        return to_code(imagehash.hex_to_hash(text))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a 64-bit imagehash hex string ({exc})") from exc


class HashList:
    """A list of fingerprints in imagehash hex, one per line, each optionally followed by a label (a path, a name).

    `dupeview hash` writes this format; so does `print(imagehash.phash(img), name)` anywhere else. Blank lines and
    lines starting with # are skipped.
    """

    def __init__(self, codes: list[int], labels: list[str], lines: list[int]) -> None:
        self.codes = np.array(codes, dtype=np.uint64)
        self.labels = labels
        self.lines = lines

    @classmethod
    def parse(cls, text: str, source: str) -> HashList:
        codes, labels, lines = [], [], []
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            hex_part, _, label = stripped.partition(" ")
            try:
                codes.append(parse_hex(hex_part))
            except ValueError as exc:
                raise ValueError(f"{source}, line {number}: {exc}") from exc
            labels.append(label.strip())
            lines.append(number)
        return cls(codes, labels, lines)

    def __len__(self) -> int:
        return len(self.labels)
