"""Windows' Job Object with kill-on-close, driven through a fake kernel32 (the real one
cannot run here): the calls, their flags and the structure the system reads, for the
kernel and for `studio run --interpreter`'s child."""

import ctypes
import sys
from types import SimpleNamespace

import pytest

from studio.cli import supervised
from studio.core.platform import job_object
from studio.core.platform.job_object import (
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
    PROCESS_SET_QUOTA,
    PROCESS_TERMINATE,
    BasicLimitInformation,
    ExtendedLimitInformation,
    contain,
)
from studio.ui.kernel import kernel_ending

JOB = 0x100
JobObjectExtendedLimitInformation = 9


class FakeKernel32:
    """Records every call as kernel32 would receive it; handles are small integers."""

    def __init__(self, assign_ok: bool = True) -> None:
        self.calls: list[tuple] = []
        self.limit_flags: int | None = None
        self.assign_ok = assign_ok
        self.open_handles: set[int] = set()
        self._next_process = 0x200

    def CreateJobObjectW(self, attributes, name):
        self.calls.append(("CreateJobObjectW", attributes, name))
        self.open_handles.add(JOB)
        return JOB

    def SetInformationJobObject(self, job, info_class, info, length):
        limits = info._obj  # what ctypes.byref points to: the bytes the system reads
        assert isinstance(limits, ExtendedLimitInformation)
        self.limit_flags = limits.BasicLimitInformation.LimitFlags
        self.calls.append(("SetInformationJobObject", job, info_class, length))
        return 1

    def OpenProcess(self, access, inherit, pid):
        self._next_process += 1
        self.open_handles.add(self._next_process)
        self.calls.append(("OpenProcess", access, inherit, pid))
        return self._next_process

    def AssignProcessToJobObject(self, job, process):
        self.calls.append(("AssignProcessToJobObject", job, process))
        return 1 if self.assign_ok else 0

    def CloseHandle(self, handle):
        self.calls.append(("CloseHandle", handle))
        self.open_handles.discard(handle)
        return 1

    def names(self) -> list[str]:
        return [call[0] for call in self.calls]


def test_the_structure_has_the_layout_windows_reads():
    assert ctypes.sizeof(ExtendedLimitInformation) == (144 if sys.maxsize > 2**32 else 112)
    assert BasicLimitInformation.LimitFlags.offset == 16


def test_a_process_is_assigned_to_a_kill_on_close_job(as_windows):
    kernel32 = FakeKernel32()
    job = contain(4242, kernel32)

    assert job is not None
    assert kernel32.names() == [
        "CreateJobObjectW",
        "SetInformationJobObject",
        "OpenProcess",
        "AssignProcessToJobObject",
        "CloseHandle",
    ]
    assert kernel32.calls[0] == ("CreateJobObjectW", None, None)  # not inheritable
    _, handle, info_class, length = kernel32.calls[1]
    assert (handle, info_class, length) == (JOB, JobObjectExtendedLimitInformation, 144)
    assert kernel32.limit_flags & JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    assert kernel32.calls[2] == ("OpenProcess", PROCESS_SET_QUOTA | PROCESS_TERMINATE, False, 4242)
    process_handle = kernel32.calls[3][2]
    assert kernel32.calls[3] == ("AssignProcessToJobObject", JOB, process_handle)
    assert kernel32.open_handles == {JOB}, "the process handle is closed, the job's kept"

    job.close()
    job.close()
    assert kernel32.open_handles == set()
    assert kernel32.names().count("CloseHandle") == 2, "the job's handle is closed once"


def test_a_refused_assignment_leaves_no_job(as_windows):
    kernel32 = FakeKernel32(assign_ok=False)
    assert contain(4242, kernel32) is None
    assert kernel32.open_handles == set()


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows it is done")
def test_nothing_is_done_outside_windows():
    kernel32 = FakeKernel32()
    assert contain(4242, kernel32) is None
    assert kernel32.calls == []


def test_the_kernel_is_held_and_its_job_closed_when_it_ends(as_windows, tmp_path, monkeypatch):
    kernel32 = FakeKernel32()
    monkeypatch.setattr(job_object, "_kernel32", lambda: kernel32)
    ended = []
    process = SimpleNamespace(pid=777, poll=lambda: 0)
    manager = SimpleNamespace(
        provisioner=SimpleNamespace(process=process),
        has_kernel=True,
        shutdown_kernel=lambda now: ended.append(now),
        cleanup_resources=lambda: None,
    )
    folder = tmp_path / "connection"
    folder.mkdir()

    job = kernel_ending.contain_kernel(manager)
    assert job is not None
    assert ("OpenProcess", PROCESS_SET_QUOTA | PROCESS_TERMINATE, False, 777) in kernel32.calls
    assert JOB in kernel32.open_handles

    kernel_ending.end_kernel(None, manager, folder, wait=True, job=job)
    assert ended == [True]
    assert JOB not in kernel32.open_handles, "what the kernel's nodes started is ended"
    assert not folder.exists()


def test_studio_run_in_another_python_holds_its_child_in_a_job(as_windows, monkeypatch):
    kernel32 = FakeKernel32()
    monkeypatch.setattr(job_object, "_kernel32", lambda: kernel32)
    command = [sys.executable, "-c", "import os; print(os.getpid())"]

    done = supervised.run_elsewhere(command, capture_stdout=True, env=None)

    assert done.returncode == 0
    child = int(done.stdout.decode().strip())
    assert ("OpenProcess", PROCESS_SET_QUOTA | PROCESS_TERMINATE, False, child) in kernel32.calls
    assert kernel32.names()[-1] == "CloseHandle" and kernel32.calls[-1][1] == JOB
    assert kernel32.open_handles == set()
