"""How the studio's kernel is started: its command line and environment.

The kernel is this same program started with `--kernel`, so a frozen app
(whose `sys.executable` is the app itself) and a source checkout start it
the same way. A kernel spec manager of our own serves that one spec, so no
`kernel.json` is installed anywhere and the user's Jupyter set-up is not
consulted.
"""

from __future__ import annotations

import os
import sys

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

SPEC_NAME = "studio"


def kernel_argv() -> list[str]:
    if getattr(sys, "frozen", False):
        command = [sys.executable, "--kernel"]
    else:
        command = [sys.executable, "-m", "studio", "--kernel"]
    # An in-memory IPython history: kernels never contend for the user's history file.
    return [*command, "-f", "{connection_file}", "--HistoryManager.hist_file=:memory:"]


def kernel_environment() -> dict[str, str]:
    env = dict(os.environ)
    env["HAMILTON_TELEMETRY_ENABLED"] = "false"
    env.pop("QT_API", None)
    env.pop("QT_QPA_PLATFORM", None)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


class StudioKernelSpecManager(KernelSpecManager):
    """Knows exactly one kernel: the studio's own."""

    def find_kernel_specs(self) -> dict[str, str]:
        return {SPEC_NAME: ""}

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name != SPEC_NAME:
            raise KeyError(kernel_name)
        return KernelSpec(
            argv=kernel_argv(),
            display_name="Dataflow Studio",
            language="python",
            metadata={"debugger": False},
        )
