"""Windows: processes held in a Job Object that ends them when the studio ends.

Windows has no process groups and no subreaper: a process whose parent ended
is nobody's, and psutil's tree (`process_ends.end_tree`) misses it. A Job
Object with `JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE` holds a process and everything
it starts afterwards; when the job's last handle closes, the system ends them
all. The studio keeps that handle, so the kernel and a `studio run
--interpreter` child end with the studio however it ends (closed, crashed,
killed from the Task Manager), and closing the handle on purpose ends a
kernel's whole tree at a restart.

Limits: a process is assigned just after it starts, so what it starts in its
first instants (before `AssignProcessToJobObject`) is not held; a process that
asks to leave (`CREATE_BREAKAWAY_FROM_JOB`) may (`JOB_OBJECT_LIMIT_BREAKAWAY_OK`:
without it, its start would fail). Elsewhere nothing is done: POSIX has process
groups and, on Linux, the subreaper (`studio.core.process_tree`).

Driven here only with a fake kernel32 (`tests/platform/test_job_object.py`).
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
from typing import Any

JOB_OBJECT_LIMIT_BREAKAWAY_OK = 0x00000800
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9
"""`JobObjectExtendedLimitInformation`, the information class of the limits below."""
PROCESS_TERMINATE = 0x0001
PROCESS_SET_QUOTA = 0x0100


class BasicLimitInformation(ctypes.Structure):
    """`JOBOBJECT_BASIC_LIMIT_INFORMATION`."""

    _fields_ = (
        ("PerProcessUserTimeLimit", ctypes.c_int64),
        ("PerJobUserTimeLimit", ctypes.c_int64),
        ("LimitFlags", ctypes.c_uint32),
        ("MinimumWorkingSetSize", ctypes.c_size_t),
        ("MaximumWorkingSetSize", ctypes.c_size_t),
        ("ActiveProcessLimit", ctypes.c_uint32),
        ("Affinity", ctypes.c_size_t),
        ("PriorityClass", ctypes.c_uint32),
        ("SchedulingClass", ctypes.c_uint32),
    )


class IoCounters(ctypes.Structure):
    """`IO_COUNTERS`."""

    _fields_ = tuple(
        (name, ctypes.c_uint64)
        for name in (
            "ReadOperationCount",
            "WriteOperationCount",
            "OtherOperationCount",
            "ReadTransferCount",
            "WriteTransferCount",
            "OtherTransferCount",
        )
    )


class ExtendedLimitInformation(ctypes.Structure):
    """`JOBOBJECT_EXTENDED_LIMIT_INFORMATION` (144 bytes on 64-bit Windows)."""

    _fields_ = (
        ("BasicLimitInformation", BasicLimitInformation),
        ("IoInfo", IoCounters),
        ("ProcessMemoryLimit", ctypes.c_size_t),
        ("JobMemoryLimit", ctypes.c_size_t),
        ("PeakProcessMemoryUsed", ctypes.c_size_t),
        ("PeakJobMemoryUsed", ctypes.c_size_t),
    )


def _kernel32() -> Any:
    """kernel32 with the prototypes used here (handles are pointer-sized: the default
    `int` result would cut them on 64-bit Windows)."""
    if sys.platform != "win32":
        raise OSError("Job Objects exist only on Windows")
    from ctypes import wintypes

    library = ctypes.WinDLL("kernel32", use_last_error=True)
    prototypes: dict[str, tuple[Any, tuple[Any, ...]]] = {
        "CreateJobObjectW": (wintypes.HANDLE, (wintypes.LPVOID, wintypes.LPCWSTR)),
        "SetInformationJobObject": (
            wintypes.BOOL,
            (wintypes.HANDLE, ctypes.c_int, wintypes.LPVOID, wintypes.DWORD),
        ),
        "OpenProcess": (wintypes.HANDLE, (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)),
        "AssignProcessToJobObject": (wintypes.BOOL, (wintypes.HANDLE, wintypes.HANDLE)),
        "CloseHandle": (wintypes.BOOL, (wintypes.HANDLE,)),
    }
    for name, (result, arguments) in prototypes.items():
        function = getattr(library, name)
        function.restype = result
        function.argtypes = arguments
    return library


def _last_error() -> int:
    if sys.platform == "win32":
        return ctypes.get_last_error()
    return 0


class KillOnCloseJob:
    """One Job Object with kill-on-close; its handle is this process's alone (not
    inherited), so only this process's end or `close()` ends what it holds."""

    def __init__(self, kernel32: Any | None = None) -> None:
        self._kernel32 = kernel32 if kernel32 is not None else _kernel32()
        handle = self._kernel32.CreateJobObjectW(None, None)
        if not handle:
            raise OSError(_last_error(), "CreateJobObjectW failed")
        self._handle: Any = handle
        limits = ExtendedLimitInformation()
        limits.BasicLimitInformation.LimitFlags = (
            JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_BREAKAWAY_OK
        )
        done = self._kernel32.SetInformationJobObject(
            handle,
            JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS,
            ctypes.byref(limits),
            ctypes.sizeof(limits),
        )
        if not done:
            error = _last_error()
            self.close()
            raise OSError(error, "SetInformationJobObject failed")

    def assign(self, pid: int) -> bool:
        """Put process `pid` (and what it starts from now on) in the job; whether it is."""
        if self._handle is None:
            return False
        process = self._kernel32.OpenProcess(PROCESS_SET_QUOTA | PROCESS_TERMINATE, False, pid)
        if not process:
            return False
        try:
            return bool(self._kernel32.AssignProcessToJobObject(self._handle, process))
        finally:
            self._kernel32.CloseHandle(process)

    def close(self) -> None:
        """Close the job's handle: the system ends every process still in it."""
        handle, self._handle = self._handle, None
        if handle is not None:
            self._kernel32.CloseHandle(handle)


def contain(pid: int, kernel32: Any | None = None) -> KillOnCloseJob | None:
    """On Windows, a new kill-on-close job holding process `pid`; None elsewhere, or
    when the system refuses (the caller then ends the tree as before: psutil)."""
    if sys.platform != "win32":
        return None
    try:
        job = KillOnCloseJob(kernel32 if kernel32 is not None else _kernel32())
    except (OSError, AttributeError):
        return None
    if job.assign(pid):
        return job
    job.close()
    return None


def close_quietly(job: KillOnCloseJob | None) -> None:
    """`job.close()` when there is one, never raising (it runs while ending)."""
    if job is not None:
        with contextlib.suppress(OSError):
            job.close()
