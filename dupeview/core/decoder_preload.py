"""Imported once by the decoders' forkserver, so every worker forked from it starts with all it needs loaded."""

from __future__ import annotations

from PIL import Image

from dupeview.core import decode as decode  # preloaded: the decoder itself
from dupeview.core import workers as workers  # preloaded: the pool's worker side

# Pillow imports its format plugins on the first open (the common five) or on the first file those
# cannot identify (all of them): 10-30 ms of CPU in each worker, every scan. Here they are imported once.
Image.init()
