"""Imported once by the decoders' forkserver, so every worker forked from it starts with all it needs loaded."""

from __future__ import annotations

import os

# One BLAS thread per decoder: a scan already runs one decoder per core, and BLAS threads on top of that only
# fight over the same cores. OpenBLAS reads this once, when numpy loads it: here, before the imports below.
# It does not change the results: a thread count splits a product's rows or columns, never a dot product.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from PIL import Image  # after the BLAS setting

from dupeview.core import decode as decode  # preloaded: the decoder itself
from dupeview.core import workers as workers  # preloaded: the pool's worker side

# Pillow imports its format plugins on the first open (the common five) or on the first file those
# cannot identify (all of them): 10-30 ms of CPU in each worker, every scan. Here they are imported once.
Image.init()
