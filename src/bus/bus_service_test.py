"""`hark bus` seen from outside: real sockets, and a WebSocket client Hark did not write
(Debian's python3-websocket). Run by ctest with HARK_BINARY set; needs /usr/bin/python3."""

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

import websocket

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests"))
from harkproc import Bus, free_port, wait_until  # noqa: E402


def connect(bus, path=None, **kwargs):
    ws = websocket.create_connection(bus.url(path), timeout=10, **kwargs)
    greeting = json.loads(ws.recv())
    assert greeting["type"] == "connected", greeting
    return ws


def recv_json(ws):
    return json.loads(ws.recv())


class Relay(unittest.TestCase):
    def setUp(self):
        self.bus = Bus().start()
        self.addCleanup(self.bus.stop)

    def test_every_client_gets_every_message_byte_for_byte(self):
        clients = [connect(self.bus) for _ in range(3)]
        # Odd spacing, key order and escapes: a relay that re-serialises would change them.
        text = '{ "type" : "speak",  "data":{"utterance":"h\\u00e9llo 🎉 中文","n":1.50},"context":{"b":1,"a":2}}'
        clients[0].send(text)
        for ws in clients:  # the sender included: OVOS clients rely on the echo
            self.assertEqual(ws.recv(), text)

    def test_each_senders_order_is_kept(self):
        a, b, reader = connect(self.bus), connect(self.bus), connect(self.bus)
        count = 2000

        def send_all(ws, name):
            for i in range(count):
                ws.send(json.dumps({"type": "seq", "data": {"from": name, "i": i}}))

        threads = [threading.Thread(target=send_all, args=(ws, n)) for ws, n in ((a, "a"), (b, "b"))]
        for t in threads:
            t.start()
        seen = {"a": [], "b": []}
        for _ in range(2 * count):
            m = recv_json(reader)
            seen[m["data"]["from"]].append(m["data"]["i"])
        for t in threads:
            t.join()
        self.assertEqual(seen["a"], list(range(count)))
        self.assertEqual(seen["b"], list(range(count)))

    def test_bad_frames_are_counted_and_the_sender_stays(self):
        sender, other = connect(self.bus), connect(self.bus)
        bad = ["not json", "[1,2]", '{"data":{}}', '{"type":5}', '{"type":"x"', ""]
        for text in bad:
            sender.send(text)
        sender.send_binary(b"\x00\x01binary")
        sender.send_frame(websocket.ABNF(1, 0, 0, 0, websocket.ABNF.OPCODE_TEXT, 1, b'{"type":"\xff"}'))
        valid = '{"type":"still.here","data":{},"context":{}}'
        sender.send(valid)
        self.assertEqual(other.recv(), valid)
        self.assertEqual(sender.recv(), valid)
        stats = self.bus.status()
        self.assertEqual(stats["invalid_frames"], len(bad) + 2)
        self.assertEqual(stats["messages_relayed"], 1)
        self.assertEqual(stats["clients"], 2)

    def test_a_busy_publisher_does_not_starve_another(self):
        flooder, quiet, reader = connect(self.bus), connect(self.bus), connect(self.bus)
        flood = 20000
        payload = json.dumps({"type": "flood", "data": {"pad": "x" * 150}})
        started = threading.Event()

        def drain(ws, n):
            for _ in range(n):
                ws.recv()

        # The flooder and quiet client must read their echoes, or the bus drops them as slow.
        drainers = [threading.Thread(target=drain, args=(flooder, flood)),
                    threading.Thread(target=drain, args=(quiet, 1))]
        for t in drainers:
            t.start()

        def flood_all():
            started.set()
            frame = websocket.ABNF.create_frame(payload, websocket.ABNF.OPCODE_TEXT).format()
            batch = frame * 500
            for _ in range(flood // 500):
                flooder.sock.sendall(batch)

        t = threading.Thread(target=flood_all)
        t.start()
        started.wait()
        quiet.send('{"type":"quiet"}')
        position = None
        for i in range(flood + 1):
            if recv_json(reader)["type"] == "quiet":
                position = i
        t.join()
        for d in drainers:
            d.join()
        self.assertIsNotNone(position)
        # Fair reads put the quiet message among the first part of the flood, not behind it.
        self.assertLess(position, flood)

    def test_hundred_clients_connecting_at_once(self):
        barrier = threading.Barrier(100)
        results = []
        lock = threading.Lock()

        def one():
            barrier.wait()
            try:
                ws = connect(self.bus)
                with lock:
                    results.append(ws)
            except Exception as e:  # noqa: BLE001 - record every failure kind
                with lock:
                    results.append(e)

        threads = [threading.Thread(target=one) for _ in range(100)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        failures = [r for r in results if isinstance(r, Exception)]
        self.assertEqual(failures, [])
        self.assertEqual(self.bus.status()["clients"], 100)

    def test_status_and_wrong_route(self):
        with self.assertRaises(websocket.WebSocketBadStatusException) as caught:
            websocket.create_connection(self.bus.url("/gui"), timeout=5)
        self.assertEqual(caught.exception.status_code, 404)
        stats = self.bus.status()
        self.assertEqual(stats["connections_refused"], 1)

    def test_ping_is_answered(self):
        ws = connect(self.bus)
        ws.ping("are you there")
        frame = ws.recv_frame()
        self.assertEqual(frame.opcode, websocket.ABNF.OPCODE_PONG)
        self.assertEqual(frame.data, b"are you there")


class Limits(unittest.TestCase):
    def test_oversized_frame_closes_only_its_sender_with_1009(self):
        bus = Bus(settings={"websocket.max_msg_size": 1}).start()
        self.addCleanup(bus.stop)
        big, other = connect(bus), connect(bus)
        big.send(json.dumps({"type": "huge", "data": {"blob": "x" * 10_000_000}}))
        frame = big.recv_frame()
        self.assertEqual(frame.opcode, websocket.ABNF.OPCODE_CLOSE)
        self.assertEqual(int.from_bytes(frame.data[:2], "big"), 1009)
        other.send('{"type":"fine"}')
        self.assertEqual(recv_json(other)["type"], "fine")
        wait_until(lambda: bus.status()["clients"] == 1)
        stats = bus.status()
        self.assertEqual(stats["oversized_frames"], 1)
        self.assertEqual(stats["messages_relayed"], 1)

    def test_a_client_that_never_reads_is_dropped_and_the_rest_go_on(self):
        bus = Bus(settings={"websocket.max_client_queue": 1, "websocket.max_msg_size": 1}).start()
        self.addCleanup(bus.stop)
        # Handshake by hand and then never read again; small buffers so the queue fills soon.
        stuck = socket.socket()
        stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stuck.connect(("127.0.0.1", bus.port))
        stuck.sendall(b"GET /core HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        publisher, subscriber = connect(bus), connect(bus)
        payload = json.dumps({"type": "bulk", "data": {"pad": "y" * 30000}})
        # In lock step, so only the stuck client falls behind: 12 MB is more than its queue
        # and every kernel buffer on the way can hold.
        for i in range(400):
            publisher.send(payload)
            self.assertEqual(subscriber.recv(), payload, f"message {i}")
            self.assertEqual(publisher.recv(), payload, f"echo {i}")
        wait_until(lambda: bus.status()["slow_clients_dropped"] == 1)
        self.assertEqual(bus.status()["clients"], 2)
        stuck.close()


class Security(unittest.TestCase):
    def test_token_by_query_or_header(self):
        bus = Bus(settings={"websocket.token": "letmein"}).start()
        self.addCleanup(bus.stop)
        with self.assertRaises(websocket.WebSocketBadStatusException) as caught:
            websocket.create_connection(bus.url(), timeout=5)
        self.assertEqual(caught.exception.status_code, 401)
        with self.assertRaises(websocket.WebSocketBadStatusException):
            websocket.create_connection(bus.url("/core?token=wrong"), timeout=5)
        by_query = connect(bus, "/core?token=letmein")
        by_header = connect(bus, header=["Authorization: Bearer letmein"])
        by_query.send('{"type":"authed"}')
        self.assertEqual(recv_json(by_header)["type"], "authed")
        with self.assertRaises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{bus.port}/status", timeout=5)
        self.assertEqual(bus.status()["auth_failures"], 3)

    def test_refuses_to_listen_beyond_loopback_without_a_token(self):
        result = Bus(settings={"websocket.host": "0.0.0.0"}).run_to_exit()
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("websocket.token", result.stderr)

    def test_listens_beyond_loopback_with_a_token(self):
        bus = Bus(settings={"websocket.host": "0.0.0.0", "websocket.token": "t0k"}).start()
        self.addCleanup(bus.stop)
        connect(bus, "/core?token=t0k")

    def test_tls(self):
        folder = tempfile.mkdtemp()
        cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=localhost", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        bus = Bus(settings={"websocket.ssl": True, "websocket.ssl_cert": cert,
                            "websocket.ssl_key": key}).start()
        self.addCleanup(bus.stop)
        ws = connect(bus, scheme="wss", sslopt={"cert_reqs": ssl.CERT_NONE})
        ws.send('{"type":"secure"}')
        self.assertEqual(recv_json(ws)["type"], "secure")


class Lifecycle(unittest.TestCase):
    def test_stale_lock_file_does_not_block_the_start(self):
        bus = Bus()
        lock = os.path.join(bus.runtime_dir, "hark", f"bus-{bus.port}.lock")
        os.makedirs(os.path.dirname(lock), exist_ok=True)
        with open(lock, "w") as f:
            f.write("1\n")  # the pid of a live process that is no bus
        bus.start()
        self.addCleanup(bus.stop)
        connect(bus)
        second = Bus(port=bus.port, runtime_dir=bus.runtime_dir).run_to_exit()
        self.assertNotEqual(second.returncode, 0)

    def test_sigterm_closes_clients_with_1001_and_exits(self):
        bus = Bus().start()
        ws = connect(bus)
        bus.process.send_signal(signal.SIGTERM)
        frame = ws.recv_frame()
        self.assertEqual(frame.opcode, websocket.ABNF.OPCODE_CLOSE)
        self.assertEqual(int.from_bytes(frame.data[:2], "big"), 1001)
        self.assertEqual(bus.process.wait(5), 0)

    def test_restart_on_the_same_port_at_once(self):
        bus = Bus().start()
        connect(bus)
        bus.stop()
        again = Bus(port=bus.port).start()
        self.addCleanup(again.stop)
        connect(again)


class LiveConfiguration(unittest.TestCase):
    def test_edits_apply_live_and_broken_edits_are_ignored(self):
        bus = Bus().start()
        self.addCleanup(bus.stop)
        ws = connect(bus)
        bus.write_user_config('{"websocket": {"max_msg_size": 0.01}}')
        self.assertEqual(recv_json(ws)["type"], "configuration.updated")
        ws.send(json.dumps({"type": "big", "data": {"x": "z" * 20000}}))
        frame = ws.recv_frame()
        self.assertEqual(frame.opcode, websocket.ABNF.OPCODE_CLOSE)
        self.assertEqual(int.from_bytes(frame.data[:2], "big"), 1009)

        ws = connect(bus)
        bus.write_user_config('{\n  "websocket": {\n    "max_msg_size": 1,,\n  }\n}')
        wait_until(lambda: "mycroft.conf:3:23" in bus.stderr_text())
        bus.write_user_config('{"websocket": {"max_msg_size": 1}}')
        self.assertEqual(recv_json(ws)["type"], "configuration.updated")
        ws.send(json.dumps({"type": "big", "data": {"x": "z" * 20000}}))
        self.assertEqual(recv_json(ws)["type"], "big")

    def test_an_invalid_setting_keeps_its_value_while_the_rest_of_the_edit_applies(self):
        bus = Bus().start()
        self.addCleanup(bus.stop)
        ws = connect(bus)
        bus.write_user_config('{"websocket": {"max_msg_size": 0.01, "max_clients": -3}}')
        self.assertEqual(recv_json(ws)["type"], "configuration.updated")
        wait_until(lambda: "websocket.max_clients: must be" in bus.stderr_text())
        ws.send(json.dumps({"type": "big", "data": {"x": "z" * 20000}}))
        frame = ws.recv_frame()
        self.assertEqual(frame.opcode, websocket.ABNF.OPCODE_CLOSE)
        self.assertEqual(int.from_bytes(frame.data[:2], "big"), 1009)
        connect(bus)  # max_clients kept its value: a new client is still accepted


if __name__ == "__main__":
    unittest.main(verbosity=2)
