"""Entry point: no arguments opens the desktop app; a subcommand runs the CLI."""

from __future__ import annotations

import multiprocessing
import sys

CLI_COMMANDS = frozenset({"scan", "query", "index", "-h", "--help", "--version"})


def main(argv: list[str] | None = None) -> int:
    # First, before anything else: frozen builds re-enter here in every worker process.
    multiprocessing.freeze_support()
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in CLI_COMMANDS:
        from dupeview.cli import run

        return run(argv)
    from dupeview.gui.app import run_app

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main())
