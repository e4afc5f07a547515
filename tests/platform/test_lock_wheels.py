"""Every package the lock pins installs on macOS (arm64) and Windows (x64) from a wheel.

A package with no wheel for a target would be built from source there, which
needs a compiler and the library's headers (Graphviz, Qt): the bundle for that
system could not be built. The lock records each release's files, so this is
checked here, without those systems. Only wheels for the Python the bundles
use (3.12) count.
"""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker

LOCK = Path(__file__).resolve().parents[2] / "uv.lock"
PYTHON = (3, 12)
ENVIRONMENTS = {
    "macos-arm64": {"sys_platform": "darwin", "platform_system": "Darwin",
                    "platform_machine": "arm64", "os_name": "posix"},
    "windows-x64": {"sys_platform": "win32", "platform_system": "Windows",
                    "platform_machine": "AMD64", "os_name": "nt"},
}  # fmt: skip
TARGETS = {
    "macos-arm64": lambda tag: (
        tag == "any"
        or (tag.startswith("macosx_") and (tag.endswith("_arm64") or tag.endswith("_universal2")))
    ),
    "windows-x64": lambda tag: tag in ("any", "win_amd64"),
}
PURE_SOURCE = {"pyspark"}
"""Pure-Python packages published only as a source archive: they install without a
compiler (pyspark: the frames test group's, never in a bundle)."""
_WHEEL = re.compile(
    r"^(?P<name>.+?)-(?P<version>[^-]+)(-\d[^-]*)?-(?P<py>[^-]+)-(?P<abi>[^-]+)-(?P<plat>[^-]+)\.whl$"
)


def _for_python(py: str, abi: str) -> bool:
    """Whether a wheel's Python tags take CPython 3.12."""
    for tag in py.split("."):
        if tag in ("py3", "py2.py3") or tag.startswith("py3"):
            return True
        if tag == f"cp{PYTHON[0]}{PYTHON[1]}":
            return True
        if abi == "abi3" and tag.startswith("cp3") and int(tag[3:]) <= PYTHON[1]:
            return True
    return False


def _locked_packages(target: str) -> list[dict]:
    """The registry packages some dependency asks for on `target` with Python 3.12 (not,
    say, one only Python 3.13 needs)."""
    with LOCK.open("rb") as file:
        lock = tomllib.load(file)
    environment = {
        **ENVIRONMENTS[target],
        "python_version": f"{PYTHON[0]}.{PYTHON[1]}",
        "python_full_version": f"{PYTHON[0]}.{PYTHON[1]}.8",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }
    wanted: set[str] = set()
    for package in lock["package"]:
        edges = list(package.get("dependencies", []))
        for group in ("optional-dependencies", "dev-dependencies"):
            for listed in package.get(group, {}).values():
                edges += listed
        for edge in edges:
            marker = edge.get("marker")
            if marker is None or Marker(marker).evaluate(environment):
                wanted.add(edge["name"])
    return [p for p in lock["package"] if "registry" in p.get("source", {}) and p["name"] in wanted]


def _platforms(package: dict) -> list[str]:
    found = []
    for wheel in package.get("wheels", []):
        match = _WHEEL.match(wheel["url"].rsplit("/", 1)[-1])
        if match and _for_python(match["py"], match["abi"]):
            found += match["plat"].split(".")
    return found


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_locked_package_has_a_wheel_for_the_target(target):
    fits = TARGETS[target]
    packages = _locked_packages(target)
    assert len(packages) > 50  # the lock was read
    missing = [
        f"{p['name']} {p['version']}"
        for p in packages
        if not any(fits(tag) for tag in _platforms(p)) and p["name"] not in PURE_SOURCE
    ]
    assert missing == []


def test_the_check_sees_a_linux_only_package():
    linux_only = {
        "name": "x",
        "version": "1",
        "wheels": [{"url": "https://h/x-1-cp312-cp312-manylinux_2_17_x86_64.whl"}],
    }
    assert not any(TARGETS["windows-x64"](tag) for tag in _platforms(linux_only))
    older = {
        "name": "y",
        "version": "1",
        "wheels": [{"url": "https://h/y-1-cp311-cp311-win_amd64.whl"}],
    }
    assert not any(TARGETS["windows-x64"](tag) for tag in _platforms(older))
