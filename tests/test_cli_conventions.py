"""CLI habits of fdupes/jdupes/rmlint: paths-only and NUL output, lists from stdin or a file, a bar that fits the
terminal, --help with examples and exit codes, the man page, closed stdout and bad values, CSV that quotes CR."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from dupeview.commands.progress_line import bar_text, fit
from dupeview.core.progress import Progress
from tests.images import photo, save
from tests.test_cli import ROOT, run, small_library


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return small_library(tmp_path / "lib")


def _suggested(doc: dict) -> set[str]:
    return {m["path"] for g in doc["groups"] for m in g["members"] if not m["keep"]}


def test_paths_only_and_null_list_exactly_the_suggested_copies(library: Path) -> None:
    weird = library / "backup" / os.fsdecode(b"line\nbreak \xe9.jpg")  # a newline and a non-UTF-8 byte
    shutil.copy(library / "2019" / "IMG_0002.jpg", weird)
    doc = json.loads(run("scan", str(library), "--format", "json", "--no-cache").stdout)
    lines = run("scan", str(library), "--paths-only", "--no-cache")
    assert lines.returncode == 0 and lines.stderr == ""
    null = subprocess.run([sys.executable, "-m", "dupeview", "scan", str(library), "-0", "--no-cache"],
                          capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    names = null.stdout.split(b"\0")
    assert names[-1] == b"" and len(names) - 1 == len(_suggested(doc)) == 3
    assert os.fsencode(weird) in names or os.fsencode(library / "2019" / "IMG_0002.jpg") in names  # exact bytes
    assert {os.fsdecode(n) for n in names[:-1]} <= {str(p) for p in library.rglob("*")}
    assert all(Path(os.fsdecode(n)).name != "IMG_0001.jpg" or "backup" in os.fsdecode(n) for n in names[:-1])


def test_folders_from_stdin_and_from_a_file(library: Path, tmp_path: Path) -> None:
    expected = json.loads(run("scan", str(library / "2019"), str(library / "backup"), "--format", "json",
                              "--no-cache").stdout)["groups"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    listing = os.fsencode(library / "2019") + b"\0" + os.fsencode(library / "backup") + b"\0"
    piped = subprocess.run([sys.executable, "-m", "dupeview", "scan", "-", "--format", "json", "--no-cache"],
                           input=listing, capture_output=True, env=env, check=False)
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["groups"] == expected
    listed = tmp_path / "folders.txt"
    listed.write_text(f"{library / '2019'}\n{library / 'backup'}\n")
    from_file = run("scan", "--from-file", str(listed), "--format", "json", "--no-cache")
    assert json.loads(from_file.stdout)["groups"] == expected
    nothing = run("scan", "--from-file", os.devnull)
    assert nothing.returncode == 2 and "no folders given" in nothing.stderr


@pytest.mark.parametrize("args", [["--workers", "-1"], ["--min-size", "-5"], ["--workers", "lots"], ["--threshold", "99"]])
def test_bad_values_exit_2_with_one_line(library: Path, args: list[str]) -> None:
    done = run("scan", str(library), *args)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and args[0] in done.stderr and "Traceback" not in done.stderr


def test_closed_stdout_exits_2_with_one_line(library: Path) -> None:
    done = subprocess.run(["bash", "-c", f'exec "{sys.executable}" -m dupeview scan "{library}" --no-cache >&-'],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == "dupeview: standard output is closed; nowhere to write the result"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_full_disk_for_the_output_is_one_line(library: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "dupeview", "scan", str(library), "--no-cache"], stdout=full,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert done.returncode == 2 and "No space left" in done.stderr and len(done.stderr.splitlines()) == 1


def test_csv_quotes_a_bare_carriage_return(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    save(photo(5, (200, 150)), lib / "cr\rname.jpg")
    shutil.copy(lib / "cr\rname.jpg", lib / "copy.jpg")
    raw = subprocess.run([sys.executable, "-m", "dupeview", "scan", str(lib), "--format", "csv", "--no-cache"],
                         capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True).stdout
    out = raw.decode()  # not text=True: universal newlines would turn the CR into LF before csv sees it
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert sorted(Path(r["path"]).name for r in rows) == ["copy.jpg", "cr\rname.jpg"]
    assert out.count("\n") == 3  # header + 2 rows, each ending in LF


def test_help_has_examples_and_exit_codes() -> None:
    for args in (["--help"], ["scan", "--help"], ["query", "--help"], ["hash", "--help"]):
        done = run(*args)
        assert done.returncode == 0
        assert "examples:" in done.stdout and "exit status:" in done.stdout and "130" in done.stdout
        assert "-0 | xargs -0" in done.stdout


def test_man_page_is_generated_from_the_parser_and_current() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "packaging" / "make_manpage.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    page = (ROOT / "packaging" / "dupeview.1").read_text(encoding="utf-8")
    for option in ("paths\\-only", "\\-\\-null", "\\-\\-from\\-file", "\\-\\-hashes", ".SH EXIT STATUS"):
        assert option in page
    if shutil.which("groff"):
        lint = subprocess.run(["groff", "-man", "-ww", "-z", str(ROOT / "packaging" / "dupeview.1")],
                              capture_output=True, text=True, check=False)
        assert lint.returncode == 0 and lint.stderr == "", lint.stderr


@pytest.mark.parametrize("width", [12, 20, 40, 60, 80, 200])
def test_progress_text_fits_the_width(width: int) -> None:
    p = Progress("hash", done=12345, total=99999, elapsed=10.0)
    shown = fit(bar_text(p, width), width)
    assert len(shown) == width - 1
    if width >= 60:
        assert "[" in shown and "12345/99999" in shown


def test_a_long_walk_shows_the_images_found_so_far() -> None:
    assert bar_text(Progress("discover", 0, 0, message="Looking for images…"), 80) == "Looking for images…"
    assert bar_text(Progress("discover", 123456, 0, elapsed=2.5, message="/nas/photos/2019"), 80) == \
        "Looking for images… 123,456 found"


def test_progress_bar_on_a_narrow_real_terminal(library: Path) -> None:
    """On a 40-column pty the bar never writes more than 39 columns per update, so it never wraps."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 40, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    proc = subprocess.Popen([sys.executable, "-m", "dupeview", "scan", str(library), "--no-cache", "--workers", "0"],
                            stdout=subprocess.DEVNULL, stderr=slave, env={**env, "PYTHONPATH": str(ROOT)})
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=60)
    os.close(master)
    assert proc.returncode == 0
    updates = [u for u in seen.decode("utf-8", "replace").split("\r") if u.strip()]
    assert updates, seen
    assert max(len(u.rstrip("\n")) for u in updates) <= 39, updates
