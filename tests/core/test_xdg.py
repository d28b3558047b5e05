"""Empty XDG variables count as unset (the XDG base-directory spec), for dupeview's folders and the trash."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = textwrap.dedent("""
    import json, os, sys
    from dupeview import paths
    from dupeview.core.actions import Removal, trash
    doomed, kept = sys.argv[1], sys.argv[2]
    st = os.stat(doomed)
    [outcome] = trash([Removal(doomed, st.st_size, st.st_mtime_ns)], groups=[[kept, doomed]])
    print(json.dumps({"ok": outcome.ok, "reason": outcome.reason, "trash_path": outcome.trash_path,
                      "data_dir": str(paths.data_dir()), "cache_dir": str(paths.cache_dir())}))
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop trash layout")
def test_empty_xdg_variables_are_unset_for_paths_and_the_trash(tmp_path: Path) -> None:
    import json
    home, work = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    work.mkdir()
    doomed, kept = work / "a.jpg", work / "b.jpg"
    doomed.write_bytes(b"same")
    kept.write_bytes(b"same")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "DUPEVIEW_"))}
    env.update(HOME=str(home), XDG_DATA_HOME="", XDG_CACHE_HOME="", XDG_CONFIG_HOME=" ", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(doomed), str(kept)], cwd=work, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ok"], result
    assert result["trash_path"] == str(home / ".local" / "share" / "Trash" / "files" / "a.jpg")
    assert (home / ".local" / "share" / "Trash" / "files" / "a.jpg").read_bytes() == b"same"
    assert sorted(os.listdir(work)) == ["b.jpg"]  # no ./Trash under the current folder
    assert result["data_dir"] == str(home / ".local" / "share" / "dupeview")
    assert result["cache_dir"] == str(home / ".cache" / "dupeview")
