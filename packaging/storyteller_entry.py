"""PyInstaller's entry point: the `storyteller` console script (storyteller.cli:main).

Bare `storyteller` starts the GUI; `storyteller generate|models|train ...` runs the command line."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen app re-runs itself for multiprocessing's children

    from storyteller.cli import main

    sys.exit(main())
