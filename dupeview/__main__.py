"""Entry point: a subcommand runs the CLI; nothing, or folders, open the desktop app; anything else is a usage error."""

from __future__ import annotations

import multiprocessing
import os
import sys

CLI_COMMANDS = frozenset({"scan", "query", "index", "hash", "apply", "undo", "-h", "--help", "--version"})
EXIT_USAGE = 2


def _usage_error(arg: str) -> int:
    kind = "option" if arg.startswith("-") else "command or folder"
    print(f"dupeview: unknown {kind}: {arg!r}\n"
          "usage: dupeview [FOLDER...]  (the app)  |  dupeview {scan,query,hash,index,apply,undo} ...  (see dupeview --help)",
          file=sys.stderr)
    return EXIT_USAGE


def gui_main(argv: list[str] | None = None) -> int:
    """The desktop app with these folders, or a plain message (exit 1) when Qt cannot start here."""
    multiprocessing.freeze_support()
    argv = sys.argv[1:] if argv is None else argv
    for arg in argv:
        if arg.startswith("-") or not os.path.exists(os.path.expanduser(arg)):
            return _usage_error(arg)
    from dupeview import sysdeps

    problem = sysdeps.gui_start_problem()
    if problem is None:
        try:
            from dupeview.gui.app import run_app
        except ImportError as exc:  # a library the checks do not know about
            problem = sysdeps.import_failure_hint(exc)
    if problem is not None:
        print(f"dupeview: the app cannot start: {problem}", file=sys.stderr)
        return sysdeps.EXIT_CANNOT_START
    return run_app(argv)


def main(argv: list[str] | None = None) -> int:
    # First, before anything else: frozen builds re-enter here in every worker process.
    multiprocessing.freeze_support()
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in CLI_COMMANDS:
        from dupeview.cli import run

        return run(argv)
    return gui_main(argv)


if __name__ == "__main__":
    sys.exit(main())
