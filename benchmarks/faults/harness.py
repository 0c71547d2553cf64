"""Start and stop the real services on loopback for the fault scenarios: a private redis-server, a
throwaway PostgreSQL cluster, Celery workers and gunicorn, each a subprocess in its own session.

Every wait is bounded; everything started is stopped by ``stop()`` (also from ``Lab.close()``), and
processes are only ever signalled by the pid this module started (or the workers of a gunicorn it
started), never by name.
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
SETTINGS = "benchmarks.faults.settings"


class FaultError(AssertionError):
    """A service did not come up, or a bounded wait ran out."""


def wait_until(predicate, timeout, *, interval=0.05, what="condition"):
    """Poll ``predicate`` until it returns something truthy; returns it. Raises FaultError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise FaultError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def port_open(port, host="127.0.0.1"):
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
        return True
    return False


def free_port(preferred=None):
    """``preferred`` if nothing listens there, else a free port chosen by the kernel (loopback only)."""
    if preferred and not port_open(preferred):
        return preferred
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid, living_only=True):
    """Pids whose parent is ``pid`` (from /proc, no name matching); with ``living_only`` a killed child the parent
    has not reaped yet (a zombie, state Z) is not counted."""
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and not (living_only and fields[0] in ("Z", "X")):
                found.append(int(stat.split("/")[2]))
    return found


class Process:
    """One subprocess in its own session, output to a log file."""

    def __init__(self, name, args, *, env=None, log_dir, cwd=ROOT):
        self.name, self.args, self.env, self.cwd = name, [str(a) for a in args], env, cwd
        self.log_path = Path(log_dir) / f"{name}.log"
        self.popen = None

    def start(self, ready_timeout=30):
        """Launch the process and wait until it serves (bounded by ``ready_timeout`` seconds)."""
        return self.launch().wait_ready(ready_timeout)

    def launch(self):
        """Start the process without waiting for it: ``start_together`` launches several, then waits for each."""
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child, closed in stop()
        self._log = log
        self.popen = subprocess.Popen(self.args, env=self.env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)
        return self

    def wait_ready(self, timeout):
        """Wait until the launched process serves; a plain process is ready once launched."""
        return self

    @property
    def pid(self):
        return self.popen.pid if self.popen else None

    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    def kill(self, sig=signal.SIGKILL):
        """Signal the whole session this process leads (its own children too) and reap it."""
        if not self.alive():
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        if sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(10)

    def stop(self, timeout=10):
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None

    def log_tail(self, lines=30):
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


class RedisServer(Process):
    """A private redis-server on 127.0.0.1:<port>, no persistence: stopping it loses what it held."""

    def __init__(self, port, *, log_dir):
        exe = shutil.which("redis-server")
        if exe is None:
            raise FaultError("redis-server is not installed (apt-get install redis-server)")
        super().__init__(f"redis-{port}", [exe, "--port", port, "--bind", "127.0.0.1", "--save", "",
                                           "--appendonly", "no"], log_dir=log_dir)
        self.port = port

    def url(self, db=7):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self, ready_timeout=10):
        return super().start(ready_timeout)

    def wait_ready(self, timeout):
        wait_until(lambda: port_open(self.port) or not self.alive(), timeout, what=f"redis-server on {self.port}")
        if not self.alive():
            raise FaultError(f"redis-server on {self.port} did not start:\n{self.log_tail()}")
        return self

    def stop(self, timeout=10):
        super().stop(timeout)
        wait_until(lambda: not port_open(self.port), 10, what=f"redis-server on {self.port} to stop")


def pg_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise FaultError("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
    return Path(found[-1]).parent


class PgCluster:
    """A throwaway PostgreSQL cluster (initdb into a temporary directory), never the shared one."""

    def __init__(self, port):
        # its own directory under /tmp: the postgres user must reach it (pytest's tmp_path is root-only)
        self.dir, self.port = Path(tempfile.mkdtemp(prefix="zz_fault_pg-")), port
        self.data = self.dir / "data"
        self.bin = pg_bin()
        self.started = False

    def _run(self, *args, check=True, timeout=60):
        command = [str(a) for a in args]
        if os.geteuid() == 0:  # initdb and pg_ctl refuse to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, timeout=timeout, capture_output=True, text=True)
        if check and done.returncode:
            raise FaultError(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done

    def init(self):
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._run(self.bin / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-N", "-E", "UTF8",
                  "--locale=C.UTF-8")
        return self

    def start(self):
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.dir / "server.log", "-w", "-t", "30", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                  f"-c max_connections=60", "start")
        self.started = True
        return self

    def stop(self, mode="fast"):
        if self.started:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "30", "stop", check=False)
            self.started = False

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def psql(self, database, sql):
        return subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                               "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True, capture_output=True, text=True,
                              timeout=60)

    def createdb_with_schema_of(self, name, source_url):
        """Create ``name`` with the schema (tables, indexes, triggers) of the database at ``source_url``."""
        self.psql("postgres", f'CREATE DATABASE "{name}"')
        dump = subprocess.run(["pg_dump", "--schema-only", "--no-owner", "--no-privileges", "-d", source_url],
                              check=True, capture_output=True, timeout=120)
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", name, "-q",
                        "-v", "ON_ERROR_STOP=1"], input=dump.stdout, check=True, capture_output=True, timeout=120)

    def remove(self):
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def django_env(settings=SETTINGS, **extra):
    """Environment for a child process running the project with the fault (or the given) settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FAULT_", "CELERY_"))}
    env.update(DJANGO_SETTINGS_MODULE=settings, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", LOG_LEVEL="WARNING")
    env.update({key: str(value) for key, value in extra.items() if value is not None})
    return env


class Worker(Process):
    """``celery -A zhengzhou_grants worker --pool=solo`` (optionally with an embedded beat)."""

    def __init__(self, name, *, env, log_dir, beat=False):
        args = [BIN / "celery", "-A", "zhengzhou_grants", "worker", "--pool=solo", "-l", "info",
                "--without-heartbeat", "--without-mingle", "--without-gossip", "-n", f"{name}@127.0.0.1"]
        if beat:
            args += ["-B", "-s", Path(log_dir) / f"{name}-beat-schedule"]
        super().__init__(name, args, env=env, log_dir=log_dir)

    def launch(self):
        self._offset = self.log_path.stat().st_size if self.log_path.exists() else 0  # this run's lines only
        return super().launch()

    def wait_ready(self, timeout):
        def ready():
            if not self.alive():
                raise FaultError(f"worker {self.name} exited:\n{self.log_tail()}")
            with open(self.log_path, "rb") as log:
                log.seek(self._offset)
                return b" ready." in log.read()

        wait_until(ready, timeout, interval=0.1, what=f"worker {self.name} to be ready")
        return self

    def stop(self, timeout=10):
        """Cold shutdown (SIGQUIT): used once the scenario's tasks are done, so nothing is in flight."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGQUIT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout)
        super().stop(timeout)


class Gunicorn(Process):
    """gunicorn with ``workers`` sync workers on 127.0.0.1:<port>; with ``preload`` the application, its views
    and translations are loaded once in the master (benchmarks/faults/wsgi.py), not in each worker."""

    def __init__(self, port, *, env, log_dir, workers=2, timeout=30, preload=False, threads=0, log_level="warning"):
        app = "benchmarks.faults.wsgi:application" if preload else "zhengzhou_grants.wsgi:application"
        super().__init__(f"gunicorn-{port}", [
            BIN / "gunicorn", app, "-b", f"127.0.0.1:{port}", "-w", workers,
            "--timeout", timeout, "--graceful-timeout", "3", "--access-logfile", "-", "--log-level", log_level,
            *(["--preload"] if preload else []),
            *(["--worker-class", "gthread", "--threads", threads] if threads else []),
        ], env=env, log_dir=log_dir)
        self.port, self.workers = port, workers

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self):
        return children_of(self.pid) if self.alive() else []

    def wait_ready(self, timeout):
        wait_until(lambda: (port_open(self.port) and len(self.worker_pids()) >= self.workers)
                   or not self.alive(), timeout, interval=0.1, what=f"gunicorn on {self.port}")
        if not self.alive():
            raise FaultError(f"gunicorn did not start:\n{self.log_tail()}")
        return self

    def stop(self, timeout=10):
        super().stop(timeout)
        wait_until(lambda: not port_open(self.port), 10, what=f"gunicorn on {self.port} to stop")


class Lab:
    """What one run started, so that everything is stopped even when a scenario fails half-way."""

    def __init__(self, work_dir):
        self.dir = Path(work_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.things = []

    def add(self, thing):
        self.things.append(thing)
        return thing

    def start(self, *processes, ready_timeout=30):
        """Add ``processes`` and start them together: all launched at once, then each waited for, so that their
        start-up times overlap instead of adding up. Returns them."""
        for process in processes:
            self.add(process).launch()
        for process in processes:
            process.wait_ready(ready_timeout)
        return processes

    def close(self):
        """Stop the processes together (each stop in a thread of its own: their waits overlap), then remove the
        PostgreSQL clusters."""
        def quietly(action):
            with contextlib.suppress(Exception):
                action()

        things = list(reversed(self.things))
        processes = [thing for thing in things if not isinstance(thing, PgCluster)]
        if processes:
            with ThreadPoolExecutor(max_workers=len(processes)) as pool:
                list(pool.map(quietly, [process.stop for process in processes]))
        for cluster in things:
            if isinstance(cluster, PgCluster):
                quietly(cluster.remove)
        self.things.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
