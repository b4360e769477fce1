"""Run ``chipscreen ARGS`` in child processes, several at once, through the real entry point.

The children fork from a server that imported chipscreen once (``forkserver`` with a preload), so a test can
start tens of commands, and kill them, without paying the interpreter's start-up each time, and no child
inherits the test process's open databases. Each child's stdout and stderr go to files the test reads."""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import resource
import sys
from dataclasses import dataclass
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from pathlib import Path

LISTS = Path(__file__).resolve().parents[2] / "data" / "lists" / "us_lists_2026-07"

_CTX: ForkServerContext | None = None


def context() -> ForkServerContext:
    global _CTX
    if _CTX is None:
        _CTX = mp.get_context("forkserver")
        _CTX.set_forkserver_preload(["chipscreen.cli", "procs"])
    return _CTX


_FILE_MODE_CAPS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER: what lets root ignore modes


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _meet_file_modes() -> None:
    """Drop the capabilities that let root write a read-only file (capset(2)); root stays root otherwise, so
    the interpreter under /root still loads its modules."""
    libc = ctypes.CDLL(None, use_errno=True)
    header, data = _CapHeader(0x20080522, 0), (_CapData * 2)()  # _LINUX_CAPABILITY_VERSION_3
    mask = ~sum(1 << c for c in _FILE_MODE_CAPS) & 0xFFFFFFFF
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    for d in data:
        d.effective, d.permitted, d.inheritable = d.effective & mask, d.permitted & mask, d.inheritable & mask
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def _child(argv: list[str], home: str, out: str, err: str, unprivileged: bool, max_file: int | None) -> None:
    os.environ["CHIPSCREEN_HOME"] = home
    for fd, path in ((1, out), (2, err)):
        f = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(f, fd)
        os.close(f)
    if unprivileged and os.geteuid() == 0:
        _meet_file_modes()
    if max_file is not None:  # ``ulimit -f``: a write past it fails with EFBIG (Python ignores SIGXFSZ)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file, max_file))
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 - the child's whole life
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    sys.argv = ["chipscreen", *argv]
    from chipscreen.cli import main

    main()


@dataclass
class Command:
    """One started command: its process and where its output goes."""

    argv: list[str]
    process: BaseProcess
    out: Path
    err: Path

    def wait(self, timeout: float) -> int:
        self.process.join(timeout)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
            raise AssertionError(f"chipscreen {' '.join(self.argv)} still running after {timeout} s")
        return self.process.exitcode

    @property
    def stdout(self) -> str:
        return self.out.read_text(encoding="utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return self.err.read_text(encoding="utf-8", errors="replace")


def start(argv: list[str], home: Path, logs: Path, name: str, *, unprivileged: bool = False,
          max_file: int | None = None) -> Command:
    """Start ``chipscreen ARGV`` on ``home``; ``unprivileged``: as a user file modes apply to, even under root;
    ``max_file``: the largest file it may write, in bytes."""
    logs.mkdir(parents=True, exist_ok=True)
    out, err = logs / f"{name}.out", logs / f"{name}.err"
    args = (argv, str(home), str(out), str(err), unprivileged, max_file)
    process = context().Process(target=_child, args=args, name=name)
    process.start()
    return Command(argv, process, out, err)
