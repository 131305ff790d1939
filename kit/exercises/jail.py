"""One bubblewrap sandbox per notebook: the worker (kernel and cell runner) runs inside, the grader outside.

    from kit.exercises.jail import Jail
    jail = Jail(data={"original": Path("data")})          # checks bubblewrap once (JailError if unusable)
    raw, problem = run_all([lambda: jail.run(plan, timeout=600)], 1)[0]   # plan: see kit.exercises.worker

Inside the sandbox (``bwrap --unshare-all``): its own user, PID, network, IPC and UTS
namespaces (the loopback the kernel talks over is the sandbox's own; nothing else is
reachable), uid 65534, no new user namespaces, a new session, killed with the grader
(``--die-with-parent``); read-only binds of the system's libraries, this Python and its
virtual environment, the kit's ``kit/`` and ``data/`` (and each data folder of the plan at
``/srv/kit-data/<name>``); nothing of ``exercises/``, the submissions, the output folder or
any home folder; a private ``/tmp`` (a size-limited tmpfs) that holds the notebook's copy.
Process, open-file, memory, file-size and CPU-time limits are set inside (``worker`` and
``sandbox``); the wall-clock limit is enforced from here: the whole process group is killed,
and with it the PID namespace and everything the submission started.

``Jail(sandboxed=False)`` (``kit grade --no-sandbox``) runs the same worker as a plain child
process in a temporary folder: same limits, none of the isolation.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import KitError
from ..files import ROOT
from . import cleanup

INSIDE_DATA = "/srv/kit-data"
MAX_STDOUT = 8_000_000           # bytes of result read from a sandbox (more: the sandbox is killed)
SILENCE = 20.0                   # seconds without the worker's heartbeat before a sandbox is killed (frozen)
INSTALL_HINT = ("Install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install "
                "bubblewrap) on a Linux machine with user namespaces, or grade inside the container the README "
                "describes with --no-sandbox (the container is then the boundary).")
UNPROTECTED = ("--no-sandbox: each notebook still runs in its own kernel and temporary folder with time, output, "
               "memory and file-size limits, but it runs as you: it can read your files (other submissions, "
               "exercises/ and its solutions, your home folder), reach the network, write into the kit and the "
               "virtual environment, leave processes running and signal the grader. The integrity check still "
               "refuses to write grades if the submissions, kit/ or exercises/ changed.")
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "ssl", "ca-certificates", "alternatives",
        "fonts", "mime.types", "nsswitch.conf", "os-release", "pki", "matplotlibrc")


class JailError(KitError):
    """bubblewrap is missing or does not work here."""


def _system_binds() -> list[str]:
    args = []
    for top in ("usr", "bin", "sbin", "lib", "lib64", "lib32", "libx32"):
        path = Path("/") / top
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in _ETC:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    seen = set()
    for folder in (sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable))):
        real = os.path.realpath(folder)
        if real not in seen and not any(real.startswith(s + os.sep) for s in seen) and not real.startswith("/usr/"):
            seen.add(real)
            args += ["--ro-bind", real, real]
            if folder != real:
                args += ["--ro-bind", real, folder]
    return args


def bwrap_command(data: dict, tmp_mb: int) -> list[str]:
    """The bubblewrap command line, up to the command it runs."""
    args = ["bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
            "--uid", "65534", "--gid", "65534", "--hostname", "grading",
            # /tmp first, so that binds of folders below /tmp (a kit checked out there) stay visible
            "--size", str(tmp_mb * 1024 * 1024), "--tmpfs", "/tmp", *_system_binds(),
            "--ro-bind", str(ROOT / "kit"), str(ROOT / "kit")]
    if (ROOT / "data").is_dir():
        args += ["--ro-bind", str(ROOT / "data"), str(ROOT / "data")]
    for name, folder in sorted(data.items()):
        args += ["--ro-bind", str(Path(folder).resolve()), f"{INSIDE_DATA}/{name}"]
    args += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/", "--chdir", "/tmp"]
    return args


def _env(home: str, workdir: str) -> dict:
    env = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "KIT_TODAY") if k in os.environ}
    env.update(HOME=home, KIT_WORKDIR=workdir, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1",
               KIT_GRADING="1", USER="student", LOGNAME="student", JUPYTER_PLATFORM_DIRS="1",
               JUPYTER_RUNTIME_DIR=f"{home}/.jupyter-runtime", TMPDIR=os.path.dirname(workdir))
    return env


_PROBED: dict = {}


def probe(data: dict | None = None) -> str | None:
    """None if bubblewrap runs this Python with the kit inside; else why not (checked once per process)."""
    key = "bwrap"
    if key in _PROBED:
        return _PROBED[key]
    if shutil.which("bwrap") is None:
        _PROBED[key] = "bubblewrap (bwrap) is not installed"
        return _PROBED[key]
    cmd = bwrap_command(data or {}, 16) + ["--", sys.executable, "-c", "import kit.exercises.worker"]
    try:
        run = subprocess.run(cmd, env=_env("/tmp", "/tmp/work"), capture_output=True, timeout=60,
                             stdin=subprocess.DEVNULL)
        problem = None if run.returncode == 0 else \
            f"bubblewrap failed here: {run.stderr.decode('utf-8', 'replace').strip()[-300:] or run.returncode}"
    except (OSError, subprocess.TimeoutExpired) as err:
        problem = f"bubblewrap failed here: {type(err).__name__}: {err}"
    _PROBED[key] = problem
    return problem


def _pids_cgroup(limit: int | None) -> Path | None:
    """A fresh ``pids`` cgroup allowing ``limit`` processes and threads (None where cgroups cannot be written:
    not root, or no ``pids`` controller; then only the sandbox's RLIMIT_NPROC holds, which root ignores)."""
    if not limit or os.geteuid() != 0:
        return None
    for base in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")):
        if (base / "cgroup.procs").is_file() and (base == Path("/sys/fs/cgroup/pids")
                                                  or "pids" in (base / "cgroup.subtree_control").read_text()):
            try:
                folder = base / f"kit-grade-{os.getpid()}-{os.urandom(4).hex()}"
                folder.mkdir()
                (folder / "pids.max").write_text(str(limit))
                cleanup.track_cgroup(folder)
                return folder
            except OSError:
                return None
    return None


def _enter(cgroup: Path | None):
    def enter():  # runs in the child before bubblewrap starts: everything it starts is counted
        if cgroup is not None:
            with open(cgroup / "cgroup.procs", "w") as f:
                f.write(str(os.getpid()))
    return enter


def _remove_cgroup(cgroup: Path | None) -> bool:
    if cgroup is None:
        return True
    try:
        cgroup.rmdir()
    except FileNotFoundError:
        pass
    except OSError:
        return False
    cleanup.track_cgroup(cgroup, tracked=False)
    return True


async def _remove_cgroup_later(cgroup: Path | None):
    """Remove the cgroup once the sandbox's processes are gone (killed: a moment)."""
    for _ in range(50):
        if _remove_cgroup(cgroup):
            return
        await asyncio.sleep(0.1)


class Jail:
    """How notebooks run: in a bubblewrap sandbox each (the default) or as plain child processes."""

    def __init__(self, data: dict | None = None, sandboxed: bool = True, tmp_mb: int = 1024, processes: int = 256):
        self.data = {name: Path(folder) for name, folder in (data or {}).items()}
        self.sandboxed, self.tmp_mb, self.processes = sandboxed, tmp_mb, processes
        if sandboxed:
            problem = probe(self.data)
            if problem:
                raise JailError(f"{problem}. Grading runs every notebook in a bubblewrap sandbox. {INSTALL_HINT} "
                                "(python -m kit grade --help: --no-sandbox)")

    def data_dir(self, name: str) -> str:
        """Where the data folder ``name`` is seen from inside the worker."""
        return f"{INSIDE_DATA}/{name}" if self.sandboxed else str(self.data[name].resolve())

    async def run(self, plan: bytes, timeout: float) -> tuple[bytes | None, str | None]:
        """Run the worker on ``plan`` (JSON bytes); return (its stdout, None) or (None, what went wrong)."""
        if self.sandboxed:
            cmd = bwrap_command(self.data, self.tmp_mb) + ["--", sys.executable, "-m", "kit.exercises.worker"]
            return await self._spawn(cmd, _env("/tmp/home", "/tmp/work"), "/", plan, timeout)
        with cleanup.temporary("kit-grade-") as folder:
            return await self._spawn([sys.executable, "-m", "kit.exercises.worker"],
                                     _env(str(folder), str(folder / "work")), str(folder), plan, timeout)

    async def _spawn(self, cmd, env, cwd, plan: bytes, timeout: float):
        cgroup = _pids_cgroup(self.processes) if self.sandboxed else None
        try:
            proc = await asyncio.create_subprocess_exec(*cmd, env=env, cwd=cwd, stdin=subprocess.PIPE,
                                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                        start_new_session=True, preexec_fn=_enter(cgroup))
        except BaseException:
            _remove_cgroup(cgroup)
            raise
        cleanup.track_group(proc.pid)
        try:
            return await asyncio.wait_for(self._talk(proc, plan), timeout)
        except TimeoutError:
            return None, f"the notebook was still running after {timeout:.0f} s and was stopped"
        finally:
            cleanup.kill_group(proc.pid)      # the sandbox and everything in it (or the worker's group)
            cleanup.untrack_group(proc.pid)
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except (TimeoutError, ProcessLookupError):
                pass
            await _remove_cgroup_later(cgroup)

    async def _talk(self, proc, plan: bytes):
        async def feed():
            try:
                proc.stdin.write(plan)
                await proc.stdin.drain()
                proc.stdin.close()
            except (BrokenPipeError, ConnectionResetError):
                pass

        async def read(stream, cap):
            chunks, size = [], 0
            while True:
                chunk = await stream.read(65536)
                if not chunk:
                    return b"".join(chunks), False
                size += len(chunk)
                if size > cap:
                    return None, True
                chunks.append(chunk)

        heard = {"last": asyncio.get_running_loop().time()}

        async def drain_err():
            tail = b""
            while chunk := await proc.stderr.read(65536):
                heard["last"] = asyncio.get_running_loop().time()
                tail = (tail + chunk.replace(b".", b""))[-4000:]
            return tail

        async def watchdog():
            while asyncio.get_running_loop().time() - heard["last"] < SILENCE:
                await asyncio.sleep(1)

        err_task = asyncio.ensure_future(drain_err())
        await feed()
        reading = asyncio.ensure_future(read(proc.stdout, MAX_STDOUT))
        dog = asyncio.ensure_future(watchdog())
        await asyncio.wait({reading, dog}, return_when=asyncio.FIRST_COMPLETED)
        if not reading.done():
            reading.cancel()
            err_task.cancel()
            return None, f"the grading worker stopped answering for {SILENCE:.0f} s (frozen) and was stopped"
        dog.cancel()
        out, too_big = reading.result()
        if too_big:
            err_task.cancel()
            return None, f"the notebook's run printed more than {MAX_STDOUT // 1_000_000} MB for the grader"
        code = await proc.wait()
        try:
            tail = await asyncio.wait_for(err_task, 5)
        except TimeoutError:
            tail = b""
        if code != 0 or not out:
            last = tail.decode("utf-8", "replace").strip().splitlines()
            return None, (f"the grading worker stopped (exit status {code})"
                          + (f": {last[-1][:300]}" if last else ""))
        return out, None
