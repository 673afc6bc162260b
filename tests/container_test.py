#!/usr/bin/python3
"""ctest -L container: Hark as containers, checked from outside them.

Validates every compose file offline (docker-compose v1 `config`), makes the base image from the
Debian mirror when it is missing (deploy/base-image.sh), builds the image with podman, then for
deploy/compose.yml (one service per container, with the skill and phal-admin overlays) and
deploy/compose.all-in-one.yml (`hark up`): brings it up with podman-compose next to a PulseAudio
server on the host with null sinks, and checks that the bus answers on the host's 127.0.0.1, that
`hark utter` gets an answer inside the cli container and from the host through the published
port, that `hark speak` is heard on the host's sink, that the listener is ready, and that
phal-admin refuses an action its allow list does not name. Everything it started is torn down at
the end, pass or fail.

Needs root, podman, podman-compose, debootstrap, docker-compose, pulseaudio, pactl, parec
(scripts/setup.sh --containers). HARK_BINARY is the host's hark; HARK_JOBS the image's build jobs;
CCACHE_DIR, when set, the compiler cache the image's build may use.
"""

import array
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import websocket

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harkproc import free_port, hark_binary, wait_until  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPLOY = os.path.join(ROOT, "deploy")
BASE_IMAGE = os.environ.get("HARK_BASE_IMAGE", "localhost/localdebian:bookworm")
IMAGE = os.environ.get("HARK_TEST_IMAGE", "localhost/hark:container-test")
SKILL_IMAGE = "localhost/hark-coin-skill:container-test"
UID = GID = 1000  # the image's user, as the .env example has it


def run(args, timeout=60, check=True, **kwargs):
    started = time.monotonic()
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited with {result.returncode} after "
                             f"{time.monotonic() - started:.1f} s:\n{result.stdout}\n{result.stderr}")
    return result


def log(text):
    print(f"== container_test: {text}", flush=True)


class PulseAudio:
    """A PulseAudio server on the host with a null sink `spk`, its socket in a folder that the
    containers' user may enter, as a desktop user's /run/user/UID/pulse is."""

    def __init__(self, folder):
        self.dir = os.path.join(folder, "pulse")
        self.home = os.path.join(folder, "pulse-home")
        for path in (self.dir, self.home):
            os.makedirs(path)
            os.chmod(path, 0o755)
        self.cookie = os.path.join(folder, "cookie")
        with open(self.cookie, "wb") as f:
            f.write(secrets.token_bytes(256))
        os.chmod(self.cookie, 0o644)
        self.env = dict(os.environ, HOME=self.home, XDG_RUNTIME_DIR=self.home,
                        PULSE_SERVER=f"unix:{self.dir}/native")
        self.process = subprocess.Popen(
            ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "--system=false", "-n",
             "--use-pid-file=no", "--log-target=stderr", "--log-level=error",
             f"--load=module-native-protocol-unix socket={self.dir}/native auth-anonymous=1",
             "--load=module-null-sink sink_name=spk", "--load=module-null-sink sink_name=mic"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: run(["pactl", "info"], check=False, env=self.env).returncode == 0, 10)
        run(["pactl", "set-default-sink", "spk"], env=self.env)

    def record(self, path):
        """parec of spk.monitor into `path` (raw s16le, 16 kHz mono) until stopped. A low latency,
        or the null sink's 2 s default delays (and with SIGTERM, loses) the recording."""
        return subprocess.Popen(
            ["parec", "--device=spk.monitor", "--latency-msec=20", "--rate=16000",
             "--channels=1", "--format=s16le", path], env=self.env)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def peak(path):
    """The largest absolute sample of a raw s16le file, 0..1."""
    samples = array.array("h")
    with open(path, "rb") as f:
        data = f.read()
    samples.frombytes(data[: len(data) // 2 * 2])
    return max((abs(s) for s in samples), default=0) / 32768


class Stack:
    """One compose project (a unique name, so that nothing else on the machine is touched)."""

    def __init__(self, files, pulse, config_dir):
        self.files = files
        self.project = f"harkct{os.getpid()}"
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.env = dict(
            os.environ, HARK_IMAGE=IMAGE, UID=str(UID), GID=str(GID), TZ="UTC",
            HARK_CONFIG_DIR=config_dir, HARK_BUS_TOKEN=self.token, HARK_BUS_PORT=str(self.port),
            PULSE_DIR=pulse.dir, PULSE_COOKIE_FILE=pulse.cookie, HARK_BASE_IMAGE=BASE_IMAGE,
            HARK_SKILL_IMAGE=SKILL_IMAGE)

    def compose(self, *args, timeout=300, check=True):
        command = ["podman-compose", "-p", self.project]
        for f in self.files:
            command += ["-f", os.path.join(DEPLOY, f)]
        return run(command + list(args), timeout=timeout, check=check, env=self.env, cwd=DEPLOY)

    def container(self, service):
        return f"{self.project}_{service}_1"

    def exec(self, service, *args, timeout=30, check=True):
        return run(["podman", "exec", self.container(service), *args], timeout=timeout,
                   check=check)

    def up(self):
        self.compose("up", "-d")

    def containers(self):
        out = run(["podman", "ps", "-a", "--format", "{{.Names}}", "--filter",
                   f"label=io.podman.compose.project={self.project}"], check=False).stdout
        return out.split()

    def dump_logs(self):
        for name in self.containers():
            logs = run(["podman", "logs", "--tail", "40", name], check=False)
            print(f"---- logs of {name}\n{logs.stdout}{logs.stderr}", flush=True)

    def down(self):
        # With their anonymous volumes (the image's VOLUMEs), which `down -v` leaves behind.
        for name in self.containers():
            run(["podman", "rm", "-f", "-v", "-t", "2", name], check=False)
        self.compose("down", "-v", timeout=120, check=False)
        volumes = run(["podman", "volume", "ls", "-q", "--filter",
                       f"label=io.podman.compose.project={self.project}"], check=False).stdout
        for volume in volumes.split():
            run(["podman", "volume", "rm", "-f", volume], check=False)
        run(["podman", "pod", "rm", "-f", f"pod_{self.project}"], check=False)
        run(["podman", "network", "rm", "-f", f"{self.project}_default"], check=False)

    def bus_status(self):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/status",
                                         headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                return json.loads(response.read())
        except OSError:
            return None

    def ask_bus(self, message_type, reply_type, timeout=15):
        """Emits `message_type` from the host through the published port and returns the data of
        the first `reply_type` message, or None by the deadline."""
        ws = websocket.create_connection(f"ws://127.0.0.1:{self.port}/core", timeout=timeout,
                                         header=[f"Authorization: Bearer {self.token}"])
        try:
            ws.send(json.dumps({"type": message_type, "data": {}, "context": {}}))
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                ws.settimeout(max(deadline - time.monotonic(), 0.01))
                try:
                    message = json.loads(ws.recv())
                except websocket.WebSocketTimeoutException:
                    return None
                if message.get("type") == reply_type:
                    return message.get("data")
            return None
        finally:
            ws.close()

    def host_hark(self, *args, timeout=15):
        env = dict(os.environ, HARK__WEBSOCKET__PORT=str(self.port),
                   HARK__WEBSOCKET__TOKEN=self.token, HARK__WEBSOCKET__HOST="127.0.0.1")
        return run([hark_binary(), *args], timeout=timeout, check=False, env=env)


def answered(result):
    return result.returncode == 0 and result.stdout.strip() != ""


def compiler_cache():
    """podman build's arguments that lend the host's compiler cache (CCACHE_DIR, which .ci/run
    sets) to the image's build stage, so what the host compiled already is not compiled again."""
    directory = os.environ.get("CCACHE_DIR")
    if not directory or not os.path.isdir(directory):
        return []
    return ["--volume", f"{directory}:/ccache", "--build-arg", "CCACHE_DIR=/ccache"]


class ContainerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="hark-container-test-", dir="/var/tmp")
        os.chmod(cls.work, 0o755)
        cls.config_dir = os.path.join(cls.work, "config")
        shutil.copytree(os.path.join(DEPLOY, "config"), cls.config_dir)
        started = time.monotonic()
        run([os.path.join(DEPLOY, "base-image.sh"), "podman"], timeout=900,
            env=dict(os.environ, HARK_BASE_IMAGE=BASE_IMAGE))
        log(f"base image ready in {time.monotonic() - started:.0f} s")
        started = time.monotonic()
        run(["podman", "build", "--format", "docker", "-f", os.path.join(DEPLOY, "Dockerfile"),
             "--build-arg", f"BASE_IMAGE={BASE_IMAGE}",
             "--build-arg", f"HARK_JOBS={os.environ.get('HARK_JOBS', '2')}",
             "--build-arg", f"UID={UID}", "--build-arg", f"GID={GID}",
             *compiler_cache(), "-t", IMAGE, ROOT], timeout=3000)
        log(f"image {IMAGE} built in {time.monotonic() - started:.0f} s")
        cls.pulse = PulseAudio(cls.work)

    @classmethod
    def tearDownClass(cls):
        cls.pulse.stop()
        shutil.rmtree(cls.work, ignore_errors=True)

    def stack(self, *files):
        stack = Stack(files, self.pulse, self.config_dir)
        self.addCleanup(stack.down)
        # Logs before the teardown, of a failed test only (cleanups run last in, first out).
        self.addCleanup(lambda: self._outcome.success or stack.dump_logs())
        started = time.monotonic()
        stack.up()
        wait_until(lambda: stack.bus_status() is not None, 60, 0.2)
        log(f"{' + '.join(files)}: bus answers on 127.0.0.1:{stack.port} "
            f"{time.monotonic() - started:.1f} s after up")
        return stack

    def check_answers_and_speaks(self, stack, cli):
        # The core (a container of its own, or a child of `hark up`) may still be loading skills.
        wait_until(lambda: stack.exec(cli, "hark", "ready", "skills", check=False).returncode == 0,
                   60, 0.5)
        inside = stack.exec(cli, "hark", "utter", "what time is it", "--timeout", "10")
        self.assertRegex(inside.stdout, r"\d:\d\d")
        outside = stack.host_hark("utter", "what time is it", "--timeout", "10")
        self.assertTrue(answered(outside), f"{outside.stdout}\n{outside.stderr}")
        self.assertRegex(outside.stdout, r"\d:\d\d")
        self.assertGreater(stack.bus_status()["messages_relayed"], 0)

        wait_until(lambda: stack.exec(cli, "hark", "ready", "audio", check=False).returncode == 0,
                   60, 0.5)
        recording = os.path.join(self.work, f"spk-{stack.project}-{cli}.raw")
        parec = self.pulse.record(recording)
        try:
            stack.exec(cli, "hark", "speak", "hello from the container")
            wait_until(lambda: os.path.exists(recording) and peak(recording) > 0.05, 20, 0.2)
        finally:
            parec.terminate()
            parec.wait(5)

    def test_compose_files_validate_offline(self):
        env = dict(os.environ, HARK_BUS_TOKEN="t", PULSE_DIR="/run/user/1000/pulse",
                   PULSE_COOKIE_FILE="/home/me/.config/pulse/cookie")
        for files in (["compose.yml"], ["compose.all-in-one.yml"],
                      ["compose.yml", "compose.admin.yml"],
                      ["compose.yml", "compose.skill.yml"]):
            args = ["docker-compose"]
            for f in files:
                args += ["-f", f]
            run(args + ["config", "-q"], cwd=DEPLOY, env=env)
        # Without a token, compose refuses instead of starting a bus nobody can reach.
        missing = run(["docker-compose", "-f", "compose.yml", "config", "-q"], cwd=DEPLOY,
                      check=False, env=dict(env, HARK_BUS_TOKEN=""))
        self.assertNotEqual(missing.returncode, 0)
        self.assertIn("HARK_BUS_TOKEN", missing.stderr)

    def test_one_service_per_container(self):
        # podman-compose 1.0.3 would try to pull an image it has no build of.
        Stack(["compose.yml", "compose.skill.yml"], self.pulse, self.config_dir).compose(
            "build", "coin-skill", timeout=600)
        stack = self.stack("compose.yml", "compose.skill.yml", "compose.admin.yml")
        self.check_answers_and_speaks(stack, "cli")
        # The listener, with the image's speech model, records from the host's sound server.
        wait_until(lambda: stack.exec("cli", "hark", "ready", "voice", check=False).returncode
                   == 0, 60, 0.5)
        # phal-admin, root in its own container, refuses what mycroft.conf does not allow (nothing
        # is, by default) and says so on the bus.
        wait_until(lambda: stack.exec("cli", "hark", "ready", "PHAL.admin",
                                      check=False).returncode == 0, 60, 0.5)
        refused = stack.ask_bus("system.reboot", "system.reboot.failed")
        self.assertIsNotNone(refused, "no system.reboot.failed from phal-admin")
        self.assertEqual(refused["action"], "reboot")
        self.assertIn("not allowed", refused["error"])
        # A skill in a container of its own, over the compose network with the token.
        wait_until(lambda: answered(stack.exec("cli", "hark", "utter", "flip a coin",
                                               "--timeout", "3", check=False)), 60, 0.5)
        # Only the bus is published, and only on the host's loopback.
        for name in stack.containers():
            ports = run(["podman", "port", name]).stdout.strip()
            expected = f"8181/tcp -> 127.0.0.1:{stack.port}" if name == stack.container("bus") else ""
            self.assertEqual(ports, expected, name)

    def test_all_in_one(self):
        stack = self.stack("compose.all-in-one.yml")
        status = stack.exec("hark", "hark", "status", "--json")
        names = {s["name"] for s in json.loads(status.stdout)["services"]}
        self.assertLessEqual({"bus", "core", "audio", "listener", "phal"}, names)
        self.check_answers_and_speaks(stack, "hark")
        wait_until(lambda: stack.exec("hark", "hark", "ready", "voice", check=False).returncode
                   == 0, 60, 0.5)


if __name__ == "__main__":
    unittest.main(verbosity=2)
