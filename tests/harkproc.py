"""Starting and stopping real Hark processes for tests: temp config and runtime folders, a free
port, readiness by polling (never a fixed sleep)."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout=10.0, interval=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")


def hark_binary():
    binary = os.environ.get("HARK_BINARY")
    if not binary:
        raise RuntimeError("HARK_BINARY must point at the hark executable")
    return binary


class Bus:
    """`hark bus` on a free port with its own XDG folders."""

    def __init__(self, settings=None, port=None, runtime_dir=None):
        self.port = port or free_port()
        self.home = tempfile.mkdtemp(prefix="hark-test-")
        self.config_dir = os.path.join(self.home, "config")
        self.runtime_dir = runtime_dir or os.path.join(self.home, "run")
        os.makedirs(self.runtime_dir, exist_ok=True)
        self.settings = {"websocket.port": self.port, **(settings or {})}
        self.process = None
        self._stderr_path = os.path.join(self.home, "stderr.log")
        self.scheme = "wss" if self.settings.get("websocket.ssl") else "ws"

    def command(self):
        args = [hark_binary()]
        for key, value in self.settings.items():
            args += ["--set", f"{key}={json.dumps(value)}"]
        return args + ["bus"]

    def environment(self):
        env = dict(os.environ)
        env.update(XDG_CONFIG_HOME=self.config_dir, XDG_RUNTIME_DIR=self.runtime_dir,
                   HOME=self.home, MYCROFT_SYSTEM_CONFIG=os.path.join(self.home, "none.conf"))
        return env

    def start(self, timeout=10.0):
        self._stderr = open(self._stderr_path, "w")
        self.process = subprocess.Popen(self.command(), env=self.environment(),
                                        stdout=subprocess.DEVNULL, stderr=self._stderr)

        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"hark bus exited with {self.process.returncode}:\n"
                                     f"{self.stderr_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return True
            except OSError:
                return False

        wait_until(ready, timeout)
        return self

    def run_to_exit(self, timeout=10.0):
        return subprocess.run(self.command(), env=self.environment(), capture_output=True,
                              text=True, timeout=timeout)

    def url(self, path=None, scheme=None):
        return f"{scheme or self.scheme}://127.0.0.1:{self.port}{path or '/core'}"

    def status(self):
        context = None
        if self.scheme == "wss":
            import ssl
            context = ssl._create_unverified_context()
        token = self.settings.get("websocket.token")
        suffix = f"?token={token}" if token else ""
        with urllib.request.urlopen(f"{'https' if self.scheme == 'wss' else 'http'}://127.0.0.1:"
                                    f"{self.port}/status{suffix}", timeout=5, context=context) as r:
            return json.loads(r.read())

    def stderr_text(self):
        with open(self._stderr_path) as f:
            return f.read()

    def write_user_config(self, text):
        folder = os.path.join(self.config_dir, "mycroft")
        os.makedirs(folder, exist_ok=True)
        # Write then rename, as editors do, so the bus never reads half a file.
        temp = os.path.join(folder, ".mycroft.conf.tmp")
        with open(temp, "w") as f:
            f.write(text)
        os.replace(temp, os.path.join(folder, "mycroft.conf"))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self._stderr.close()
        shutil.rmtree(self.home, ignore_errors=True)
