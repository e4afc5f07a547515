"""The settings file is written whole or not at all, through a link (issue 31, case 4):
QSettings writes it beside itself and renames it over the old one, as the studio's
own helper does for the other files it writes (`studio.core.atomic_write`)."""

import contextlib
import subprocess

import pytest

from studio.ui.app_settings import AppSettings


def test_settings_through_a_link_write_its_target_and_keep_the_link_and_mode(tmp_path):
    (tmp_path / "dotfiles").mkdir()
    target = tmp_path / "dotfiles" / "studio.ini"
    target.write_text("[preferences]\ntheme=dark\n")
    target.chmod(0o600)
    link = tmp_path / "studio.ini"
    link.symlink_to(target)
    settings = AppSettings(link)
    settings.set("layout", "vertical")
    settings.sync()
    assert link.is_symlink()
    assert AppSettings(target).get("layout", "") == "vertical"
    assert AppSettings(target).get("theme", "") == "dark"
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in (tmp_path / "dotfiles").iterdir()) == ["studio.ini"]


def test_settings_on_a_full_disk_leave_the_old_file_whole(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("needs to mount a small tmpfs (root)")
    try:
        path = disk / "studio.ini"
        path.write_text("[preferences]\ntheme=dark\n")
        with contextlib.suppress(OSError):  # the disk is full then
            (disk / "filler").write_bytes(b"x" * 1024 * 1024)
        settings = AppSettings(path)
        settings.set("notes", "x" * 200_000)  # more than the disk holds
        settings.sync()
        assert path.read_text() == "[preferences]\ntheme=dark\n"
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "studio.ini"]
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
