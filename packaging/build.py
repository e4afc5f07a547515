"""Builds the desktop bundle for the system it runs on, and smoke-tests it.

    python packaging/build.py            build (make bundle runs it in .venv)
    python packaging/build.py smoke      run every command of the built bundle

What each system gets (docs/PACKAGING.md says what was tried where):

- Linux: `dist/dataflow-studio/` (PyInstaller onedir), `dist/AppDir/` laid
  out for appimagetool, and `dist/dataflow-studio-VERSION-linux-ARCH.tar.gz`.
- macOS: `dist/Dataflow Studio.app` (Info.plist from the spec), signed
  with `MACOS_SIGN_IDENTITY` when set, notarized and stapled when
  `MACOS_NOTARY_PROFILE` (a `notarytool` keychain profile) is set too, and
  `dist/dataflow-studio-VERSION-macos-ARCH.dmg`.
- Windows: `dist/dataflow-studio/` with `Dataflow Studio.exe` (windowed: no
  console) and `studio.exe` (the console command, also the kernel) side by
  side, a `.zip` of it, and a per-user installer when Inno Setup's `iscc` is
  on PATH (`packaging/windows/dataflow-studio.iss`).

Only the project's Python is needed (PyInstaller is in its dev environment);
run it with that Python.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DIST = REPO / "dist"
BUNDLE = DIST / "dataflow-studio"
APP_NAME = "Dataflow Studio"


def version() -> str:
    sys.path.insert(0, str(REPO))
    import studio

    return studio.__version__


def system() -> str:
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)


def say(text: str) -> None:
    print(f"build: {text}", flush=True)


def run(command: Sequence[str | Path], **kwargs: object) -> None:
    subprocess.run([str(c) for c in command], check=True, cwd=REPO, **kwargs)  # type: ignore[call-overload]


def pyinstaller() -> None:
    for cache in (REPO / "resources").rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    run([
        sys.executable, "-m", "PyInstaller", REPO / "packaging" / "dataflow-studio.spec",
        # --clean: PyInstaller's cache kept a module from an earlier build although its
        # source had changed (seen: a bundle with a check.py two edits old).
        "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", DIST, "--workpath", REPO / "build" / "pyinstaller",
    ])  # fmt: skip


# -- Linux ---------------------------------------------------------------------


def build_linux() -> list[Path]:
    appdir = DIST / "AppDir"
    shutil.rmtree(appdir, ignore_errors=True)
    lib = appdir / "usr" / "lib" / "dataflow-studio"
    shutil.copytree(BUNDLE, lib, symlinks=True)
    (appdir / "usr" / "bin").mkdir(parents=True)
    (appdir / "usr" / "bin" / "dataflow-studio").symlink_to(
        "../lib/dataflow-studio/dataflow-studio"
    )
    linux = REPO / "packaging" / "linux"
    shutil.copy2(linux / "AppRun", appdir / "AppRun")
    applications = appdir / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    for target in (appdir, applications):
        shutil.copy2(linux / "dataflow-studio.desktop", target / "dataflow-studio.desktop")
    icons = REPO / "resources" / "icons"
    shutil.copy2(icons / "dataflow-studio.svg", appdir / "dataflow-studio.svg")
    shutil.copy2(
        icons / "hicolor" / "256x256" / "apps" / "dataflow-studio.png", appdir / ".DirIcon"
    )
    for size_dir in sorted((icons / "hicolor").iterdir()):
        apps = appdir / "usr" / "share" / "icons" / "hicolor" / size_dir.name / "apps"
        apps.mkdir(parents=True)
        shutil.copy2(size_dir / "apps" / "dataflow-studio.png", apps)
    scalable = appdir / "usr" / "share" / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(icons / "dataflow-studio.svg", scalable)
    archive = DIST / f"dataflow-studio-{version()}-linux-{arch()}.tar.gz"
    run(["tar", "-C", DIST, "-czf", archive, "dataflow-studio"])
    say(f"AppDir:  {appdir} (appimagetool {appdir} makes an AppImage)")
    return [archive]


# -- macOS ---------------------------------------------------------------------


def build_macos() -> list[Path]:
    app = DIST / f"{APP_NAME}.app"
    identity = os.environ.get("MACOS_SIGN_IDENTITY")
    if identity:
        entitlements = REPO / "packaging" / "macos" / "entitlements.plist"
        run([
            "codesign", "--force", "--deep", "--timestamp", "--options", "runtime",
            "--entitlements", entitlements, "--sign", identity, app,
        ])  # fmt: skip
        run(["codesign", "--verify", "--deep", "--strict", app])
        say(f"signed with {identity}")
    else:
        say("not signed (MACOS_SIGN_IDENTITY is not set): Gatekeeper will block it")
    dmg = DIST / f"dataflow-studio-{version()}-macos-{arch()}.dmg"
    dmg.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as staging:
        shutil.copytree(app, Path(staging) / app.name, symlinks=True)
        (Path(staging) / "Applications").symlink_to("/Applications")
        run([
            "hdiutil", "create", "-volname", APP_NAME, "-srcfolder", staging,
            "-ov", "-format", "UDZO", dmg,
        ])  # fmt: skip
    profile = os.environ.get("MACOS_NOTARY_PROFILE")
    if identity:
        run(["codesign", "--force", "--timestamp", "--sign", identity, dmg])
    if identity and profile:
        run(["xcrun", "notarytool", "submit", dmg, "--keychain-profile", profile, "--wait"])
        run(["xcrun", "stapler", "staple", dmg])
        say("notarized and stapled")
    else:
        say("not notarized (needs MACOS_SIGN_IDENTITY and MACOS_NOTARY_PROFILE)")
    return [dmg]


# -- Windows -------------------------------------------------------------------


def build_windows() -> list[Path]:
    archive = Path(shutil.make_archive(
        str(DIST / f"dataflow-studio-{version()}-windows-{arch()}"), "zip", DIST, "dataflow-studio"
    ))  # fmt: skip
    made = [archive]
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc:
        script = REPO / "packaging" / "windows" / "dataflow-studio.iss"
        run([iscc, f"/DVersion={version()}", f"/DSource={BUNDLE}", f"/O{DIST}", script])
        made.append(DIST / f"dataflow-studio-{version()}-windows-setup.exe")
    else:
        say("no installer: Inno Setup's iscc is not on PATH")
    return made


# -- smoke test ----------------------------------------------------------------


def executable() -> Path:
    """The built bundle's console command."""
    if sys.platform == "win32":
        return BUNDLE / "studio.exe"
    if sys.platform == "darwin":
        return DIST / f"{APP_NAME}.app" / "Contents" / "MacOS" / "dataflow-studio"
    return BUNDLE / "dataflow-studio"


def smoke(program: Path) -> None:
    """Run every command of the built bundle as a user would, on copies of its examples:
    the window's smoke test, `graph`, `run`, `edit --dry-run` and `diff`."""
    examples = REPO / "resources" / "examples"
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        env = {**os.environ, "STUDIO_CONFIG_DIR": str(scratch / "config"),
               "STUDIO_CACHE_DIR": str(scratch / "cache"), "STUDIO_DATA_DIR": str(scratch / "data"),
               "HAMILTON_TELEMETRY_ENABLED": "false"}  # fmt: skip
        for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"):
            env.pop(name, None)
        if not env.get("QT_QPA_PLATFORM"):  # empty: Qt's default, which --smoke-test picks
            env.pop("QT_QPA_PLATFORM", None)

        def studio(*args: str | Path, cwd: Path = scratch) -> str:
            done = subprocess.run(
                [str(program), *map(str, args)], capture_output=True, encoding="utf-8",
                errors="replace", env=env, cwd=cwd, timeout=600, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise SystemExit(f"smoke: studio {' '.join(map(str, args))} failed "
                                 f"({done.returncode}):\n{done.stdout}\n{done.stderr}")  # fmt: skip
            say(f"smoke: studio {' '.join(map(str, args[:2]))} … ok")
            return done.stdout

        assert studio("--version").startswith("studio ")
        assert "smoke test passed" in studio("--smoke-test")
        project = scratch / "repo" / "spaceflights"
        shutil.copytree(examples / "spaceflights", project)
        graph = json.loads(studio("graph", project))
        assert "model_input_table" in {n["name"] for n in graph["nodes"]}
        metrics = scratch / "metrics.json"
        studio("run", project, "evaluation_metrics", "-o", metrics)
        assert json.loads(metrics.read_text(encoding="utf-8"))["r2_score"] > 0.6
        before = {p: p.read_bytes() for p in project.glob("*.py")}
        diff = studio("edit", project, "--dry-run", "rename", "companies", "firms")
        assert "firms" in diff and {p: p.read_bytes() for p in project.glob("*.py")} == before
        git = ["git", "-C", str(project.parent)]
        who = ["-c", "user.name=smoke", "-c", "user.email=smoke@example.com"]
        for step in (["init", "-q"], ["add", "-A"], [*who, "commit", "-qm", "example"]):
            subprocess.run([*git, *step], check=True, capture_output=True)
        changed = studio("diff", project, "model_input_table", "--format", "json")
        assert json.loads(changed)["node"] == "model_input_table"
    say("smoke: every command of the bundle works")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n")[0])
    parser.add_argument("step", nargs="?", choices=("build", "smoke"), default="build")
    options = parser.parse_args(argv)
    if options.step == "smoke":
        smoke(executable())
        return 0
    pyinstaller()
    made = {"linux": build_linux, "macos": build_macos, "windows": build_windows}[system()]()
    say(f"bundle:  {executable()}")
    for artifact in made:
        say(f"artifact: {artifact}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
