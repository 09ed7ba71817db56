"""Run Agora's real commands (manage.py, the ASGI server, the worker) in subprocesses, as `make run` does.

They use the real settings (agora.settings, not tests.settings) in a var/ directory of their own, and
start from none of the variables the settings read, whatever the test run itself was given.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = ROOT / ".env.example"


def documented_variables() -> set[str]:
    """The names .env.example documents (as `# NAME=` or `NAME=` lines)."""
    pattern = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)
    return set(pattern.findall(ENV_EXAMPLE.read_text()))


def real_env(var_dir: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in documented_variables()}
    env.update(DJANGO_SETTINGS_MODULE="agora.settings", AGORA_VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1")
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def python(code: str, *, env: dict[str, str], setup: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `code` under `env`, with Django set up first unless `setup` is false (settings alone load lazily)."""
    prelude = "import django; django.setup()\n" if setup else ""
    return subprocess.run(
        [sys.executable, "-c", prelude + code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str, timeout: float = 10) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def wait_for(predicate, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    """Poll `predicate` until it returns something truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class Process:
    """A background process whose output goes to a log file, shown when something goes wrong."""

    def __init__(self, args: list[str], *, env: dict[str, str], log: Path):
        self.log = log
        self._log_file = log.open("wb")
        self.popen = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        """Send `sig` and wait; kill the process if it outlives `timeout`. Returns the exit code."""
        if self.alive():
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)
                raise AssertionError(f"{self.popen.args} ignored signal {sig}:\n{self.output()}") from None
        self._log_file.close()
        return self.popen.returncode


@contextmanager
def server(env: dict[str, str], log_dir: Path) -> Iterator[str]:
    """Serve Agora with uvicorn, as bin/serve does, on a free port; yield its base URL."""
    port = free_port()
    args = [sys.executable, "-m", "uvicorn", "agora.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
    proc = Process([*args, "--lifespan", "off"], env=env, log=log_dir / f"uvicorn-{port}.log")
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if not proc.alive():
            raise AssertionError(f"the server exited:\n{proc.output()}")
        try:
            return get_json(base + "/healthz", timeout=2)[0] in {200, 503}
        except OSError:
            return False

    try:
        wait_for(answers, timeout=30, what="the server to answer")
        yield base
    finally:
        proc.stop()


@contextmanager
def worker(env: dict[str, str], log_dir: Path) -> Iterator[Process]:
    """Run `manage.py run_worker` in the background; stop it with SIGTERM on the way out."""
    args = [sys.executable, "manage.py", "run_worker", "--no-startup-delay", "--interval", "0.2"]
    proc = Process(args, env=env, log=log_dir / f"worker-{time.monotonic_ns()}.log")
    try:
        yield proc
    finally:
        proc.stop()
