"""Limits for child processes (query workers, the parse gate): an address-space cap and death with the parent."""

from __future__ import annotations


def die_with_parent() -> None:  # pragma: no cover - runs in a child process
    """Ask the kernel to kill this process when its parent dies (Linux ``PR_SET_PDEATHSIG``): a worker busy
    with a runaway query must not outlive a server that was killed."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGKILL))  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def limit_memory(megabytes: int) -> None:  # pragma: no cover - runs in a child process
    if megabytes <= 0:
        return
    try:
        import resource

        cap = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, ValueError, OSError):
        pass
