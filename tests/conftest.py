"""Test setup shared by all tests: an isolated HOME, trash and dupeview folders; Qt offscreen."""

from __future__ import annotations

import os
import tempfile

# Before anything imports Qt or send2trash (which reads HOME/XDG_DATA_HOME at import time):
# every test run gets its own home, so the real trash and cache are never touched.
_HOME = tempfile.mkdtemp(prefix="dupeview-test-home-")
os.environ["HOME"] = _HOME
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, ".local", "share")
os.environ["XDG_CACHE_HOME"] = os.path.join(_HOME, ".cache")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, ".config")
os.environ["DUPEVIEW_HOME"] = os.path.join(_HOME, "dupeview")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("DUPEVIEW_CACHE", None)

import pytest  # noqa: E402


@pytest.fixture
def test_home() -> str:
    """The HOME every test runs under (its trash is $HOME/.local/share/Trash)."""
    return _HOME


@pytest.fixture
def trash_dir() -> str:
    return os.path.join(os.environ["XDG_DATA_HOME"], "Trash")
