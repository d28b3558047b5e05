#!/usr/bin/env python3
"""The runtime requirements from pyproject.toml, split for install.sh: those installed as declared, and ImageHash.

Usage: python3 packaging/runtime_requirements.py            every runtime requirement except those below
       python3 packaging/runtime_requirements.py --no-deps  the ones to install without their dependencies

ImageHash declares scipy and PyWavelets (about 150 MB, with a second OpenBLAS) for its phash/whash functions.
dupeview computes its hashes with its own numpy pipeline and uses ImageHash only as the interchange format
(`ImageHash` objects, `hex_to_hash`, `str(h)`), which imports neither; tests/test_runtime_imports.py proves the
app and the CLI never touch them. So install.sh installs ImageHash with `pip --no-deps` and everything else as
declared; the `test` extra names scipy and PyWavelets for the tests that call imagehash.phash/whash.
`pip check` in such a venv reports the two as missing for imagehash: that is this decision, not a broken venv.
Needs Python 3.11+ (tomllib); install.sh has checked that already.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# distribution names (normalised) whose declared dependencies runtime never imports
WITHOUT_DEPS = frozenset({"imagehash"})


def name_of(requirement: str) -> str:
    """The PEP 503 normalised distribution name at the start of a requirement string."""
    found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if found is None:
        raise ValueError(f"not a requirement: {requirement!r}")
    return re.sub(r"[-_.]+", "-", found.group(1)).lower()


def requirements(no_deps: bool) -> list[str]:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return [r for r in declared if (name_of(r) in WITHOUT_DEPS) == no_deps]


def main(argv: list[str]) -> int:
    if argv not in ([], ["--no-deps"]):
        print(__doc__, file=sys.stderr)
        return 2
    print("\n".join(requirements(no_deps=bool(argv))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
