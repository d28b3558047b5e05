"""A real Milvus server process on 127.0.0.1 for tests: Milvus Lite's server binary on a free TCP port.

It speaks the same gRPC protocol as a Milvus standalone server, so `MilvusIndex("http://127.0.0.1:PORT")`
takes the server code path (no embedded Milvus Lite in the test process). Its data file and its logs
stay in the folder it is given; nothing is written to /tmp.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import warnings
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MilvusServer:
    """start() / stop() / restart() a Milvus Lite server on one port and one data file."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.logs = folder / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.db = folder / "server.db"
        self.port = port or free_port()
        self.uri = f"http://127.0.0.1:{self.port}"
        self._server: Any = None

    def start(self, timeout: float = 60.0) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # milvus_lite imports the deprecated pkg_resources
            from milvus_lite.server import Server
        server = Server(str(self.db), f"127.0.0.1:{self.port}")
        if not server.init():
            raise RuntimeError("Milvus Lite's server binary is missing")
        # The server copies this process's environment: glog writes to GLOG_log_dir (else /tmp).
        names = ("GLOG_log_dir", "TMPDIR")  # glog's own spelling: it reads no upper-case name
        saved = {k: os.environ.get(k) for k in names}
        for k in names:
            os.environ[k] = str(self.logs)
        try:
            started = server.start()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        if not started:
            server.stop()
            raise RuntimeError(f"Milvus Lite server did not start (logs in {self.logs})")
        self._server = server
        deadline = time.monotonic() + timeout
        while not self._answers():
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Milvus Lite server on port {self.port} did not answer in {timeout} s")
            time.sleep(0.1)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        process: subprocess.Popen[bytes] | None = getattr(server, "_p", None)
        if process is not None and process.poll() is None:
            # SIGTERM lets it close its data file cleanly; Server.stop() alone waits 2 s, then kills.
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        server.stop()

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def running(self) -> bool:
        return self._server is not None

    def __enter__(self) -> MilvusServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
