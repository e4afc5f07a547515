"""Entry point of the frozen app (PyInstaller runs this file as __main__).

The same executable is the desktop app, the headless CLI and, started with
`--kernel`, the Jupyter kernel (see studio.cli).
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from studio.cli import main

    sys.exit(main())
