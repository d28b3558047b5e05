"""PyInstaller entry script: the frozen app's __main__ (the same main() as the `dupeview` console script).

dupeview.__main__.main() calls multiprocessing.freeze_support() first, so the scan's worker
processes (spawn context when frozen) start correctly from the bundled executable.
"""

import sys

from dupeview.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
