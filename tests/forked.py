"""Run `minemap` commands in forked child processes: real processes that real signals stop and kill, and
real kernel limits constrain, without the seconds a fresh interpreter spends importing the map stack.

`start(args, setup=...)` forks; the child runs `setup()` (limits, a stop at some phase), then the command
with stdout/stderr to files, and exits with its status. The parent gets a `Child` to wait for, kill or
read the output of. POSIX only, like the features under test.
"""
from __future__ import annotations

import atexit
import ctypes
import os
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass
class Child:
    pid: int
    out: Path
    status: int | None = None

    def wait_stopped_or_exited(self) -> bool:
        """Block until the child stops itself (True) or exits (False)."""
        _, st = os.waitpid(self.pid, os.WUNTRACED)
        if os.WIFSTOPPED(st):
            return True
        self.status = os.waitstatus_to_exitcode(st)
        return False

    def wait(self) -> int:
        if self.status is None:
            _, st = os.waitpid(self.pid, 0)
            self.status = os.waitstatus_to_exitcode(st)
        return self.status

    def kill(self) -> int:
        """SIGKILL to the run and to the workers it started (its process group)."""
        os.killpg(self.pid, signal.SIGKILL)
        return self.wait()

    @property
    def output(self) -> str:
        return (self.out / "stdout").read_text(errors="replace") + (self.out / "stderr").read_text(errors="replace")


def start(args: list[str], setup: Callable[[], None] | None = None) -> Child:
    out = Path(tempfile.mkdtemp(prefix="minemap-child-"))
    files = [os.open(out / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644) for name in ("stdout", "stderr")]
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        for f in files:
            os.close(f)
        atexit.register(shutil.rmtree, out, True)   # the child's captured output, gone with the session
        try:
            os.setpgid(pid, pid)     # also here, so that the group exists whichever process runs first
        except OSError:
            pass
        return Child(pid, out)
    code = 70
    try:
        # A process group of its own: kill() then ends the run and the extraction workers it started,
        # which would otherwise live on as orphans of the test session.
        os.setpgid(0, 0)
        for fd, f in zip((1, 2), files):
            os.dup2(f, fd)
            os.close(f)
        sys.stdout = open(1, "w", closefd=False)
        sys.stderr = open(2, "w", closefd=False)
        if setup is not None:
            setup()
        from minemap.cli import main

        try:
            main(args, standalone_mode=False)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception as exc:  # noqa: BLE001 - report it like the command would, then exit non-zero
            import click
            import traceback

            if isinstance(exc, click.ClickException):
                exc.show()
                code = exc.exit_code
            else:
                traceback.print_exc()
                code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def stop_self() -> None:
    os.kill(os.getpid(), signal.SIGSTOP)


def stop_after(module, name: str) -> None:
    """In the child: stop (SIGSTOP) right after `module.name` returns."""
    real = getattr(module, name)

    def wrapped(*a, **k):
        result = real(*a, **k)
        stop_self()
        return result

    setattr(module, name, wrapped)


CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def drop_file_permission_override() -> None:
    """In the child: give up root's right to ignore file permissions (CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH), so that a read-only folder is read-only to it as to any user. A non-root
    process has nothing to give up."""
    if os.geteuid() != 0:
        return

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    libc = ctypes.CDLL(None, use_errno=True)
    header = Header(0x20080522, 0)   # _LINUX_CAPABILITY_VERSION_3
    data = (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    mask = ~((1 << CAP_DAC_OVERRIDE) | (1 << CAP_DAC_READ_SEARCH)) & 0xFFFFFFFF
    data[0].effective &= mask
    data[0].permitted &= mask
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")
