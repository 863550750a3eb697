"""Confine this process, then become the given program: the operating system's limits on
the coding round's sandbox (interviews/coding/sandbox.py starts the runner through it).

    python -I -S confine.py --cpu-seconds 40 --memory-bytes 536870912 --parent 1234 \
        -- /usr/bin/node ... sandbox_runner.mjs ...

A program of its own rather than subprocess's preexec_fn: the web process has threads,
and Python code run between fork and exec in a threaded process can deadlock. Standard
library only, and run with -I -S, so nothing of the project's environment is imported.

What holds even if the candidate's code escapes from Python to JavaScript and from there
to anything Node.js offers:
- CPU time: RLIMIT_CPU (SIGXCPU, then SIGKILL a second later), a backstop to the
  wall-clock kill, should the web process die before it kills the run.
- Memory: RLIMIT_DATA, which counts what V8's heap and WebAssembly's memory commit.
  (RLIMIT_AS cannot be used: V8 reserves about 10 GB of address space for each
  WebAssembly memory, so Pyodide does not start under any practical address-space cap.)
- No file written (RLIMIT_FSIZE 0, and no file opened for writing, created, removed,
  renamed, linked or changed), no core dump, at most 64 file descriptors.
- A seccomp filter (no new privileges first): no socket of any kind, so no network and no
  local service; no new process (fork, vfork, clone without CLONE_THREAD; clone3 reports
  ENOSYS so threads fall back to clone); no signal, priority or resource limit aimed at
  another process; no ptrace, io_uring (whose operations would bypass the filter), new
  namespaces, mounts, BPF, perf events or kernel keyrings.
- Killed with its parent (PR_SET_PDEATHSIG).
Files are kept out by Node's permission model (the runner may read only Pyodide, the
harness and the snapshot); the environment is emptied.
"""

import argparse
import ctypes
import os
import platform
import resource
import signal
import struct
import sys

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2

# Classic BPF, as seccomp reads it.
BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_JGE_K = 0x35
BPF_JSET_K = 0x45
BPF_RET_K = 0x06
RET_ALLOW = 0x7FFF0000
RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000
EPERM, EACCES, ENOSYS = 1, 13, 38

# struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6].
OFFSET_NR, OFFSET_ARCH = 0, 4
OFFSET_ARG0_LOW, OFFSET_ARG0_HIGH = 16, 20
CLONE_THREAD = 0x00010000
X32_SYSCALL_BIT = 0x40000000

# The kernel's numbers (asm/unistd_64.h on x86_64; asm-generic/unistd.h on aarch64).
ARCHITECTURES = {
    "x86_64": {
        "audit": 0xC000003E,
        "socket": 41,
        "socketpair": 53,
        "clone": 56,
        "fork": 57,
        "vfork": 58,
        "kill": 62,
        "ptrace": 101,
        "rt_sigqueueinfo": 129,
        "setpriority": 141,
        "mount": 165,
        "tkill": 200,
        "tgkill": 234,
        "add_key": 248,
        "request_key": 249,
        "keyctl": 250,
        "unshare": 272,
        "rt_tgsigqueueinfo": 297,
        "perf_event_open": 298,
        "prlimit64": 302,
        "setns": 308,
        "process_vm_readv": 310,
        "process_vm_writev": 311,
        "kcmp": 312,
        "bpf": 321,
        "userfaultfd": 323,
        "pidfd_send_signal": 424,
        "io_uring_setup": 425,
        "io_uring_enter": 426,
        "io_uring_register": 427,
        "pidfd_open": 434,
        "clone3": 435,
        "pidfd_getfd": 438,
        "open": 2,
        "truncate": 76,
        "rename": 82,
        "mkdir": 83,
        "rmdir": 84,
        "creat": 85,
        "link": 86,
        "unlink": 87,
        "symlink": 88,
        "chmod": 90,
        "chown": 92,
        "lchown": 94,
        "mknod": 133,
        "openat": 257,
        "mkdirat": 258,
        "mknodat": 259,
        "fchownat": 260,
        "unlinkat": 263,
        "renameat": 264,
        "linkat": 265,
        "symlinkat": 266,
        "fchmodat": 268,
        "renameat2": 316,
        "openat2": 437,
        "fchmodat2": 452,
    },
    "aarch64": {
        "audit": 0xC00000B7,
        "mount": 40,
        "unshare": 97,
        "ptrace": 117,
        "kill": 129,
        "tkill": 130,
        "tgkill": 131,
        "rt_sigqueueinfo": 138,
        "setpriority": 140,
        "socket": 198,
        "socketpair": 199,
        "add_key": 217,
        "request_key": 218,
        "keyctl": 219,
        "clone": 220,
        "rt_tgsigqueueinfo": 240,
        "perf_event_open": 241,
        "prlimit64": 261,
        "setns": 268,
        "process_vm_readv": 270,
        "process_vm_writev": 271,
        "kcmp": 272,
        "bpf": 280,
        "userfaultfd": 282,
        "pidfd_send_signal": 424,
        "io_uring_setup": 425,
        "io_uring_enter": 426,
        "io_uring_register": 427,
        "pidfd_open": 434,
        "clone3": 435,
        "pidfd_getfd": 438,
        "mknodat": 33,
        "mkdirat": 34,
        "unlinkat": 35,
        "symlinkat": 36,
        "linkat": 37,
        "renameat": 38,
        "truncate": 45,
        "fchmodat": 53,
        "fchownat": 54,
        "openat": 56,
        "renameat2": 276,
        "openat2": 437,
        "fchmodat2": 452,
    },
}
ARCHITECTURES["arm64"] = ARCHITECTURES["aarch64"]

REFUSED = {
    "socket": EACCES,
    "socketpair": EACCES,
    "fork": EPERM,
    "vfork": EPERM,
    "clone3": ENOSYS,
    "io_uring_setup": ENOSYS,
    "io_uring_enter": ENOSYS,
    "io_uring_register": ENOSYS,
    "tkill": EPERM,
    "rt_sigqueueinfo": EPERM,
    "rt_tgsigqueueinfo": EPERM,
    "pidfd_open": EPERM,
    "pidfd_send_signal": EPERM,
    "pidfd_getfd": EPERM,
    "setpriority": EPERM,
    "ptrace": EPERM,
    "process_vm_readv": EPERM,
    "process_vm_writev": EPERM,
    "kcmp": EPERM,
    "unshare": EPERM,
    "setns": EPERM,
    "mount": EPERM,
    "bpf": EPERM,
    "perf_event_open": EPERM,
    "userfaultfd": EPERM,
    "add_key": EPERM,
    "request_key": EPERM,
    "keyctl": EPERM,
    # Files: nothing created, removed, renamed, linked or changed (opened for writing
    # below). openat2 takes its flags in memory the filter cannot read.
    "creat": EACCES,
    "openat2": ENOSYS,
    "truncate": EACCES,
    "rename": EACCES,
    "renameat": EACCES,
    "renameat2": EACCES,
    "mkdir": EACCES,
    "mkdirat": EACCES,
    "rmdir": EACCES,
    "link": EACCES,
    "linkat": EACCES,
    "symlink": EACCES,
    "symlinkat": EACCES,
    "unlink": EACCES,
    "unlinkat": EACCES,
    "chmod": EACCES,
    "fchmodat": EACCES,
    "fchmodat2": EACCES,
    "chown": EACCES,
    "lchown": EACCES,
    "fchownat": EACCES,
    "mknod": EACCES,
    "mknodat": EACCES,
}
# open and openat: reading only; where each holds its flags (open's second argument,
# openat's third).
OPEN_FLAGS_AT = {"open": 24, "openat": 32}
WRITE_FLAGS = 0o1 | 0o2 | 0o100 | 0o1000 | 0o2000  # O_WRONLY O_RDWR O_CREAT O_TRUNC O_APPEND
# Allowed only when their first argument is 0 (this process, or its own process group,
# which is the sandbox alone) or this process's id: Node signals itself, and raises its
# own file-descriptor limit at start.
OWN_PROCESS_ONLY = ("kill", "tgkill", "prlimit64")


class Unsupported(Exception):
    pass


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def _refuse(errno: int) -> int:
    return RET_ERRNO | errno


def seccomp_program(machine: str, pid: int) -> bytes:
    """The filter for this architecture, for the process `pid` (its id after exec)."""
    numbers = ARCHITECTURES.get(machine)
    if numbers is None:
        raise Unsupported(f"no seccomp filter for {machine}")
    program = [
        _op(BPF_LD_W_ABS, OFFSET_ARCH),
        _op(BPF_JEQ_K, numbers["audit"], jt=1),
        _op(BPF_RET_K, RET_KILL_PROCESS),
        _op(BPF_LD_W_ABS, OFFSET_NR),
    ]
    if machine == "x86_64":  # the x32 ABI's numbers would name other calls
        program += [_op(BPF_JGE_K, X32_SYSCALL_BIT, jf=1), _op(BPF_RET_K, _refuse(EPERM))]
    for name, errno in REFUSED.items():
        if name in numbers:
            program += [_op(BPF_JEQ_K, numbers[name], jf=1), _op(BPF_RET_K, _refuse(errno))]
    for name, flags_at in OPEN_FLAGS_AT.items():
        if name in numbers:
            program += [
                _op(BPF_JEQ_K, numbers[name], jf=4),
                _op(BPF_LD_W_ABS, flags_at),
                _op(BPF_JSET_K, WRITE_FLAGS, jf=1),
                _op(BPF_RET_K, _refuse(EACCES)),
                _op(BPF_RET_K, RET_ALLOW),
            ]
    # clone: threads only.
    program += [
        _op(BPF_JEQ_K, numbers["clone"], jf=4),
        _op(BPF_LD_W_ABS, OFFSET_ARG0_LOW),
        _op(BPF_JSET_K, CLONE_THREAD, jf=1),
        _op(BPF_RET_K, RET_ALLOW),
        _op(BPF_RET_K, _refuse(EPERM)),
    ]
    for name in OWN_PROCESS_ONLY:
        program += [
            _op(BPF_JEQ_K, numbers[name], jf=7),
            _op(BPF_LD_W_ABS, OFFSET_ARG0_HIGH),
            _op(BPF_JEQ_K, 0, jf=4),
            _op(BPF_LD_W_ABS, OFFSET_ARG0_LOW),
            _op(BPF_JEQ_K, 0, jt=1),
            _op(BPF_JEQ_K, pid, jf=1),
            _op(BPF_RET_K, RET_ALLOW),
            _op(BPF_RET_K, _refuse(EPERM)),
        ]
    program.append(_op(BPF_RET_K, RET_ALLOW))
    return b"".join(program)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
    return libc


def _prctl(libc: ctypes.CDLL, *args: int) -> None:
    if libc.prctl(*args) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl{args[:1]}: {os.strerror(errno)}")


def install_seccomp(program: bytes) -> None:
    libc = _libc()
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    _prctl(libc, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    _prctl(libc, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0)


def set_limits(*, cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))


def die_with_parent(parent: int) -> None:
    _prctl(_libc(), PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(75)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--memory-bytes", type=int, required=True)
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    if not command:
        parser.error("no command to run")
    try:
        die_with_parent(options.parent)
        set_limits(cpu_seconds=options.cpu_seconds, memory_bytes=options.memory_bytes)
        install_seccomp(seccomp_program(platform.machine(), os.getpid()))
    except (OSError, ValueError, Unsupported) as error:
        print(f"confine: {error}", file=sys.stderr)
        os._exit(75)  # EX_TEMPFAIL: the sandbox cannot start here
    # An empty environment: Python's own start may have added LC_CTYPE to it.
    os.execve(command[0], command, {})  # noqa: S606 - the caller's fixed command line


if __name__ == "__main__":
    main(sys.argv[1:])
