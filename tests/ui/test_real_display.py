"""The app on a real X server (Xvfb), where Qt uses its X11 platform, not offscreen.

Importing Graphviz's libraries before Qt connects to the X server crashed
Qt (Graphviz's private libxcb took over Qt's xcb calls); this catches that.
"""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.timeout(240)


def test_the_app_opens_and_runs_on_a_real_display(x_display, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=x_display, HAMILTON_TELEMETRY_ENABLED="false")
    done = subprocess.run(
        [sys.executable, "-m", "studio", "--smoke-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=200,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "smoke test passed" in done.stdout
