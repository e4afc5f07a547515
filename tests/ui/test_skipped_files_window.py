"""A file the load leaves out (not text in its encoding, binary, unreadable) is named in
the window, once; the rest of the project loads (issue 31, case 15)."""

import pytest

from studio.ui.panels.banner import BannerKind

pytestmark = pytest.mark.timeout(180)

GOOD = "def a() -> int:\n    return 1\n\n\ndef b(a: int) -> int:\n    return a + 1\n"
LATIN = b'def c() -> str:\n    return "\xe9t\xe9"\n'  # Latin-1, with no coding line


def test_a_skipped_file_is_named_once_and_the_rest_loads(open_window, qtbot, tmp_path):
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "latin.py").write_bytes(LATIN)
    window = open_window(tmp_path)
    assert set(window.scene.nodes) == {"a", "b"}
    qtbot.waitUntil(window.banner.isVisible, timeout=10_000)
    assert window.banner.kind is BannerKind.INFO
    assert window.banner.text() == (
        "Skipped latin.py:2: is not UTF-8 text (byte 0xe9 cannot be read as UTF-8)."
        " The rest of the project loaded."
    )
    window.banner.hide()  # the user closes it
    (tmp_path / "good.py").write_text(GOOD + "\n\ndef d(b: int) -> int:\n    return b\n")
    qtbot.waitUntil(lambda: "d" in window.scene.nodes, timeout=30_000)
    qtbot.wait(300)
    assert not window.banner.isVisible()  # not said again on every save
    (tmp_path / "latin.py").write_text('def c() -> str:\n    return "été"\n', encoding="utf-8")
    qtbot.waitUntil(lambda: "c" in window.scene.nodes, timeout=30_000)
    assert not window.banner.isVisible()
    (tmp_path / "blob.py").write_bytes(bytes(range(256)))
    qtbot.waitUntil(window.banner.isVisible, timeout=30_000)  # another file: said again
    assert window.banner.text().startswith("Skipped blob.py: is not text (it holds null bytes).")
    (tmp_path / "blob.py").unlink()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=30_000)
    assert set(window.scene.nodes) == {"a", "b", "c", "d"}


def test_several_skipped_files_are_listed_and_other_notes_are_not_among_them():
    from studio.core.notices import files_skipped, skipped_files

    problems = [
        "latin.py:2: is not UTF-8 text (byte 0xe9 cannot be read as UTF-8): skipped",
        "run.py: builds a driver but names no module I can read",
        "blob.py: is not text (it holds null bytes): skipped",
        "locked/: cannot be read: skipped",
    ]
    skipped = skipped_files(problems)
    assert skipped == (
        "latin.py:2: is not UTF-8 text (byte 0xe9 cannot be read as UTF-8)",
        "blob.py: is not text (it holds null bytes)",
        "locked/: cannot be read",
    )
    notice = files_skipped(skipped)
    assert notice.text == (
        "Skipped latin.py:2: is not UTF-8 text (byte 0xe9 cannot be read as UTF-8), and 2 more"
        " files: see Details. The rest of the project loaded."
    )
    assert notice.details == skipped
