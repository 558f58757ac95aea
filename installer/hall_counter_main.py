"""Entry point of the frozen program (PyInstaller): ``dist/hall-counter/hall-counter``.

The face worker runs in a separate process started with multiprocessing's "spawn" method. In a
frozen program that child is this same executable started with multiprocessing's own arguments;
``freeze_support()`` recognises them and runs the child instead of the command line. It must
come first, before anything else runs, and only in the main module.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()

    from ui.cli import main

    sys.exit(main())
