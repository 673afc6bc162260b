#!/usr/bin/python3
"""The OVOS Python message bus (ovos-messagebus), reduced to what a client can observe.

Baseline for the bus benchmark and a stand-in bus for client tests:
    /usr/bin/python3 bench/baseline/ovos_python_bus.py --port 8181

Behaviour kept from ovos-messagebus (tornado 6): one route (/core; other paths 404), the
"connected" message written on open, and every frame written unchanged to every connected
client, the sender included, in connection order. No filtering, no authentication, Origin not
checked, frames larger than max_msg_size MiB close the connection (tornado answers 1009).
"""
import argparse
import json

from tornado import ioloop, web, websocket

CONNECTED = json.dumps({"type": "connected", "data": {},
                        "context": {"session": {"session_id": "default"}}})


class BusHandler(websocket.WebSocketHandler):
    clients = []
    max_msg_size_mib = 25

    @property
    def max_message_size(self):
        return self.max_msg_size_mib * 1024 * 1024

    def check_origin(self, origin):
        return True

    def open(self):
        self.write_message(CONNECTED)
        BusHandler.clients.append(self)

    def on_message(self, message):
        # Binary frames arrive as bytes and leave as bytes, as upstream does.
        for client in BusHandler.clients:
            client.write_message(message, binary=isinstance(message, bytes))

    def on_close(self):
        BusHandler.clients.remove(self)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8181)
    parser.add_argument("--route", default="/core")
    parser.add_argument("--max-msg-size", type=int, default=25, help="MiB (shipped mycroft.conf)")
    args = parser.parse_args()
    BusHandler.max_msg_size_mib = args.max_msg_size
    web.Application([(args.route, BusHandler)]).listen(args.port, args.host)
    ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
