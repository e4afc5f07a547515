"""The command's parent follows its worker to the end, however the worker's last
words and its exit interleave with the parent's polls."""

import os
import sys

import pytest

from studio.cli import supervised

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the worker is forked")


def test_a_worker_that_ended_before_its_last_words_were_read_gives_its_exit_status():
    # `studio run` once died with "ChildProcessError: No child processes": the worker
    # was reaped while its pipe still had to say it closed, then waited for again.
    read, write = os.pipe()
    worker = os.fork()
    if worker == 0:
        os.close(read)
        os.write(write, b"done\n")
        os._exit(3)
    os.close(write)
    os.waitid(os.P_PID, worker, os.WEXITED | os.WNOWAIT)  # ended, not yet reaped
    try:
        status, last, late = supervised._watch(worker, read)
    finally:
        os.close(read)
    assert os.waitstatus_to_exitcode(status) == 3
    assert last == "done"
    assert late is None
