"""A project module named like a standard-library module (issue 31, case 5) in the
window: one kernel, which keeps running; the banner names the file and the clash."""

import pytest

pytestmark = pytest.mark.timeout(120)

FLOW = """
def base() -> int:
    return 2


def doubled(base: int) -> int:
    return base * 2
"""


@pytest.mark.parametrize("name", ["random", "types"])
def test_the_kernel_lives_and_the_banner_names_the_clash(open_window, qtbot, tmp_path, name):
    folder = tmp_path / "shadow"
    folder.mkdir()
    (folder / f"{name}.py").write_text(FLOW)
    (folder / "features.py").write_text("def tripled(x: int) -> int:\n    return 3 * x\n")
    window = open_window(folder, wait=False)
    expected = f"{name}.py has the name of the standard library's module `{name}`"
    qtbot.waitUntil(lambda: expected in window.banner.text(), timeout=60_000)
    pid = window.session.pid
    qtbot.wait(3000)  # a kernel that dies is replaced within a second or two
    assert window.session.pid == pid and pid is not None
    assert expected in window.banner.text()
