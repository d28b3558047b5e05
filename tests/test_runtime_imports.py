"""The runtime never imports scipy or PyWavelets, so ./install.sh can leave them out of the venv (and the bundle out
of the app): every dupeview module, the CLI's commands and a scan in the app run in a subprocess where importing
them fails, as it does in that venv, and neither appears in sys.modules afterwards. Nothing is installed or
uninstalled: the two are hidden from the subprocess by an import hook."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.images import photo, save

ROOT = Path(__file__).resolve().parents[1]
LEFT_OUT = ("scipy", "pywt")

BLOCK = textwrap.dedent("""
    import sys
    LEFT_OUT = {left_out!r}

    class LeftOut:
        '''Importing what ./install.sh leaves out fails, as in its venv.'''
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in LEFT_OUT:
                raise ModuleNotFoundError(f"No module named {{name!r}} (not in the runtime venv)", name=name)
            return None

    sys.meta_path.insert(0, LeftOut())

    def check(what):
        touched = sorted(m for m in sys.modules if m.partition(".")[0] in LEFT_OUT)
        assert not touched, f"{{what}} imported {{touched}}"
        with open("checked.txt", "a") as f:   # not stdout: the CLI under test owns that
            f.write(f"clean: {{what}}\\n")
""").format(left_out=LEFT_OUT)


def run_hidden(body: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", BLOCK + textwrap.dedent(body)], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=300)


def test_the_hook_really_hides_them(tmp_path: Path) -> None:
    """The check can fail: in this interpreter scipy is there (the test extra), and the hook makes it unimportable."""
    done = run_hidden("""
        try:
            import scipy  # noqa: F401
        except ModuleNotFoundError as e:
            print("hidden:", e.name)
        import imagehash
        try:
            from PIL import Image
            imagehash.phash(Image.new("L", (64, 64)))
        except ModuleNotFoundError as e:
            print("phash needs:", e.name)
    """, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "hidden: scipy" in done.stdout
    assert "phash needs: scipy" in done.stdout       # imagehash.phash is what needs them; dupeview never calls it


def test_every_module_and_every_cli_command_runs_without_scipy_and_pywavelets(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    base = photo(1, (320, 240))
    save(base, lib / "a.jpg")
    save(base.resize((160, 120)), lib / "b.jpg")
    save(photo(2, (320, 240)), lib / "c.jpg")
    done = run_hidden(f"""
        import importlib, pkgutil, contextlib
        import dupeview
        for m in pkgutil.walk_packages(dupeview.__path__, "dupeview."):
            importlib.import_module(m.name)
        check("importing every dupeview module")
        from dupeview.__main__ import main
        lib = {str(lib)!r}

        def cli(*argv):
            with open("out.txt", "w") as out, contextlib.redirect_stdout(out):
                try:
                    code = main(list(argv))
                except SystemExit as e:          # --version is argparse's: it exits
                    code = e.code
            with open("out.txt") as out:
                return code, out.read()
        code, version = cli("--version")
        assert code == 0 and dupeview.__version__ in version, version
        code, scanned = cli("scan", lib, "--format", "json", "--cache", "cache.sqlite3")
        assert code in (0, 1) and '"groups"' in scanned, scanned
        code, hashes = cli("hash", lib + "/a.jpg", lib + "/c.jpg", "--algorithm", "phash", "--algorithm", "whash")
        assert code == 0 and len(hashes.splitlines()) == 2, hashes
        with open("list.txt", "w") as f:
            f.write("".join(h.split()[0] + "\\n" for h in hashes.splitlines()))
        code, matched = cli("query", lib + "/b.jpg", "--hashes", "list.txt")
        assert code in (0, 1) and matched, matched
        check("dupeview --version, scan, hash and query --hashes")
    """, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "checked.txt").read_text().count("clean:") == 2


def test_the_app_scans_and_shows_groups_without_scipy_and_pywavelets(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    base = photo(3, (320, 240))
    save(base, lib / "a.jpg")
    save(base.resize((200, 150)), lib / "b.jpg")
    done = run_hidden(f"""
        from PySide6.QtCore import QTimer
        from dupeview.gui.app import create_application
        from dupeview.gui.i18n import install_translators
        from dupeview.gui.main_window import MainWindow
        from dupeview.settings import SettingsStore
        app = create_application()
        install_translators(app)
        w = MainWindow(settings_store=SettingsStore("settings.json"), cache_path="cache/fp.sqlite3",
                       action_log_path="data/actions.jsonl", workers=0, folders=[{str(lib)!r}])
        w.show()
        seen = []
        w.session.events.groups_changed.connect(lambda *a: seen.append(1))
        w.start_scan()
        groups = []
        def poll():
            if seen and w.runner.idle:
                groups.append(len(w.session.groups))   # before quit(), which closes the window (and frees it)
                app.quit()
        timer = QTimer()
        timer.timeout.connect(poll)
        timer.start(50)
        QTimer.singleShot(120_000, app.quit)
        app.exec()
        assert seen, "the scan never showed groups"
        assert groups and groups[0] >= 1, "no group of copies"
        w.shutdown()
        check("the app's scan")
    """, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "clean: the app's scan" in (tmp_path / "checked.txt").read_text()


def test_install_script_installs_imagehash_alone_and_everything_else_as_declared() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    script = ROOT / "packaging" / "runtime_requirements.py"

    def listed(*flag: str) -> list[str]:
        done = subprocess.run([sys.executable, str(script), *flag], capture_output=True, text=True, check=True)
        return done.stdout.splitlines()
    alone, rest = listed("--no-deps"), listed()
    assert [r.split(">")[0] for r in alone] == ["ImageHash"]
    assert sorted(alone + rest) == sorted(project["dependencies"])          # nothing dropped, nothing added
    assert {"scipy", "PyWavelets"} <= set(project["optional-dependencies"]["test"])   # the tests still have them
    install = (ROOT / "install.sh").read_text(encoding="utf-8")
    app_part = install[install.index("\nelse\n"):]
    assert "packaging/runtime_requirements.py --no-deps > .venv/dupeview-no-deps.txt" in app_part
    assert "--no-deps -r .venv/dupeview-no-deps.txt ." in app_part
