"""macOS' `/usr/bin/git` without the Command Line Tools: a stub that exits 1 and says
nothing. A fake `git` script on the PATH plays it; the studio names the problem and the
command that fixes it instead of calling the folder "not a git repository"."""

import subprocess
import sys

import pytest

from studio.cli import diff_command
from studio.core.editing.text_merge import merge_problem, merge_texts
from studio.core.platform import git_tool
from studio.core.platform.git_tool import XCODE_HINT, git_problem

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fake git is a shell script")


@pytest.fixture
def stub_git(tmp_path, monkeypatch):
    """A PATH whose `git` exits 1 silently, as the xcrun stub does."""
    folder = tmp_path / "bin"
    folder.mkdir()
    git = folder / "git"
    git.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    git.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    git_tool.forget()
    yield folder
    git_tool.forget()


def test_the_silent_stub_is_named_with_the_command_that_installs_git(as_macos, stub_git):
    problem = git_problem()
    assert problem is not None
    assert problem.endswith("install the command line tools: xcode-select --install")
    assert "exit status 1, and no message" in problem


def test_a_diff_says_to_install_the_tools_not_that_there_is_no_repository(
    as_macos, stub_git, tmp_path, capsys
):
    project = tmp_path / "project"
    project.mkdir()
    subprocess.run(["/usr/bin/git", "init", "-q", str(project)], check=True)

    code = diff_command.main([str(project), "some_node"])

    err = capsys.readouterr().err
    assert code == diff_command.EXIT_NOT_STARTED
    assert XCODE_HINT in err
    assert "not in a git repository" not in err


def test_merging_is_refused_with_the_reason(as_macos, stub_git):
    assert merge_texts("a\n", "b\n", "c\n") is None
    assert XCODE_HINT in (merge_problem() or "")


@pytest.mark.linux_only
def test_a_stub_elsewhere_is_named_without_the_macos_advice(stub_git):
    problem = git_problem()
    assert problem is not None and "exit status 1" in problem
    assert "xcode-select" not in problem


def test_no_git_at_all_is_said_so(as_macos, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    git_tool.forget()
    assert git_problem() == git_tool.NOT_INSTALLED


def test_a_working_git_has_no_problem():
    git_tool.forget()
    assert git_problem() is None
    merged = merge_texts("a\nx\ny\nb\n", "a\nx\ny\nB\n", "A\nx\ny\nb\n")
    assert merged is not None and merged.text == "A\nx\ny\nB\n"
