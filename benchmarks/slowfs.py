"""A slow filesystem for benchmarks: a read-only FUSE passthrough that waits on every open and read,
as a network share does (needs `pip install fusepy`, libfuse2 and /dev/fuse; Linux).

    python benchmarks/slowfs.py SOURCE MOUNTPOINT --latency-ms 5     # foreground; Ctrl-C or fusermount -u
    python benchmarks/slowfs.py bench SOURCE --latency-ms 5 --files 2000

`bench` mounts SOURCE with the latency, then times `dupeview scan` (cold, empty cache, all cores)
over the mount with and without read-ahead of the decoders' files (DUPEVIEW_PREFETCH=0/4),
and unmounts. Every run gets a fresh mount, so its page cache starts empty and every file is
read over the "network" once; file pages then stay cached between opens, as on an NFS client.
"""

from __future__ import annotations

import argparse
import errno
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def serve(source: str, mountpoint: str, latency: float) -> None:
    from fuse import FUSE, FuseOSError, Operations  # type: ignore[import-untyped]

    class Slow(Operations):  # type: ignore[misc]
        def __init__(self) -> None:
            self.root = os.path.realpath(source)

        def _full(self, path: str) -> str:
            return os.path.join(self.root, path.lstrip("/"))

        def getattr(self, path: str, fh: int | None = None) -> dict[str, int]:
            try:
                st = os.lstat(self._full(path))
            except OSError as exc:
                raise FuseOSError(exc.errno or errno.EIO) from exc
            return {k: getattr(st, k) for k in ("st_atime", "st_ctime", "st_gid", "st_mode", "st_mtime", "st_nlink",
                                                 "st_size", "st_uid")}

        def readdir(self, path: str, fh: int) -> list[str]:
            time.sleep(latency)
            return [".", "..", *os.listdir(self._full(path))]

        def open(self, path: str, flags: int) -> int:
            time.sleep(latency)  # a round trip to the server
            return os.open(self._full(path), os.O_RDONLY)

        def read(self, path: str, size: int, offset: int, fh: int) -> bytes:
            time.sleep(latency)  # and one per read
            return os.pread(fh, size, offset)

        def release(self, path: str, fh: int) -> None:
            os.close(fh)

    # kernel_cache: file pages stay cached between opens, as an NFS client's do; a new mount starts empty.
    FUSE(Slow(), mountpoint, foreground=True, ro=True, nothreads=False, kernel_cache=True)


def mount(source: str, mountpoint: str, latency: float) -> subprocess.Popen[bytes]:
    child = subprocess.Popen([sys.executable, __file__, source, mountpoint, "--latency-ms", str(latency * 1000)])
    deadline = time.monotonic() + 20
    while not os.path.ismount(mountpoint):
        if time.monotonic() > deadline or child.poll() is not None:
            child.kill()
            raise SystemExit("the FUSE mount did not come up (is /dev/fuse usable here?)")
        time.sleep(0.1)
    return child


def unmount(mountpoint: str, child: subprocess.Popen[bytes]) -> None:
    subprocess.run(["umount", mountpoint], check=False)
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()


def bench(args: argparse.Namespace) -> None:
    source = os.path.abspath(args.source)
    with tempfile.TemporaryDirectory(prefix="dupeview-slowfs-") as tmp:
        subset = Path(tmp) / "subset"
        subset.mkdir()
        # A subset of the library, by hard links (same files, no copy).
        picked = 0
        for folder in sorted(os.listdir(source)):
            for name in sorted(os.listdir(os.path.join(source, folder))):
                (subset / folder).mkdir(exist_ok=True)
                os.link(os.path.join(source, folder, name), subset / folder / name)
                picked += 1
                if picked >= args.files:
                    break
            if picked >= args.files:
                break
        mnt = Path(tmp) / "mnt"
        mnt.mkdir()
        for position, prefetch in enumerate(args.prefetch * args.runs):
            child = mount(str(subset), str(mnt), args.latency_ms / 1000)
            try:
                cache = Path(tmp) / f"cache-{position}.sqlite3"  # a new, empty cache: a cold scan
                env = {**os.environ, "PYTHONPATH": str(ROOT), "DUPEVIEW_PREFETCH": str(prefetch)}
                load = os.getloadavg()[0]
                start = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "dupeview", "scan", str(mnt), "--cache", str(cache),
                                       "--format", "json", "--quiet"], env=env, capture_output=True)
                seconds = time.perf_counter() - start
            finally:
                unmount(str(mnt), child)
            status = "ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr[-300:]!r}"
            print(f"prefetch {prefetch}: {picked} files in {seconds:.1f} s = {picked / seconds:.0f} files/s "
                  f"(latency {args.latency_ms} ms per open/read; load {load:.1f}) {status}", flush=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "bench":
        parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
        parser.add_argument("bench")
        parser.add_argument("source")
        parser.add_argument("--latency-ms", type=float, default=5.0)
        parser.add_argument("--files", type=int, default=2000)
        parser.add_argument("--runs", type=int, default=1)
        parser.add_argument("--prefetch", type=lambda s: [int(x) for x in s.split(",")], default=[0, 4])
        bench(parser.parse_args())
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source")
    parser.add_argument("mountpoint")
    parser.add_argument("--latency-ms", type=float, default=5.0)
    args = parser.parse_args()
    threading.current_thread().name = "slowfs"
    serve(args.source, args.mountpoint, args.latency_ms / 1000)


if __name__ == "__main__":
    main()
