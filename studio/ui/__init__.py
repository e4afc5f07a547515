"""The Qt desktop application. The only package allowed to import Qt."""

import os

# qtpy (used by qtconsole) must pick PySide6 before anything imports it.
os.environ.setdefault("QT_API", "pyside6")
