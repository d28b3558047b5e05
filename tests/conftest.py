"""Test setup shared by all tests: an isolated HOME, trash and dupeview folders; Qt offscreen."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# Before anything imports Qt or send2trash (which reads HOME/XDG_DATA_HOME at import time):
# every test run gets its own home, so the real trash and cache are never touched. Everything a run
# writes goes under one folder, removed when the run ends (DUPEVIEW_KEEP_TEST_TMP=1 keeps it): the home,
# pytest's tmp_path folders and whatever child processes put in $TMPDIR (Milvus Lite's glog files).
_ROOT = tempfile.mkdtemp(prefix="dupeview-test-")


def _remove_root() -> None:
    if not os.environ.get("DUPEVIEW_KEEP_TEST_TMP"):
        shutil.rmtree(_ROOT, ignore_errors=True)


# At exit, registered before anything imports multiprocessing: atexit runs the last-registered first, so
# multiprocessing's own exit handler removes its pymp-* folder (in our TMPDIR) before this removes the rest.
atexit.register(_remove_root)
_HOME = os.path.join(_ROOT, "home")
_TMP = os.path.join(_ROOT, "tmp")
os.makedirs(_HOME)
os.makedirs(_TMP)
os.environ["TMPDIR"] = _TMP
tempfile.tempdir = _TMP  # pytest's capture already asked tempfile once; its cached answer is replaced
os.environ["HOME"] = _HOME
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, ".local", "share")
os.environ["XDG_CACHE_HOME"] = os.path.join(_HOME, ".cache")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, ".config")
os.environ["DUPEVIEW_HOME"] = os.path.join(_HOME, "dupeview")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("DUPEVIEW_CACHE", None)

import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

# Hypothesis would keep its example database in ./.hypothesis of the checkout.
settings.register_profile("dupeview", database=DirectoryBasedExampleDatabase(os.path.join(_ROOT, "hypothesis")))
settings.load_profile("dupeview")



@pytest.fixture
def test_home() -> str:
    """The HOME every test runs under (its trash is $HOME/.local/share/Trash)."""
    return _HOME


@pytest.fixture
def trash_dir() -> str:
    return os.path.join(os.environ["XDG_DATA_HOME"], "Trash")
