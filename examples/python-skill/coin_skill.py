#!/usr/bin/python3
"""A standalone skill in Python, joining Hark (or any OVOS bus) as ovos-workshop skills do, with
nothing but Debian's python3-websocket:

    /usr/bin/python3 examples/python-skill/coin_skill.py [ws://127.0.0.1:8181/core]

It registers the .intent files of its locale folder (padatious:register_intent) and one keyword
intent (register_vocab + register_intent, names munged as OVOS does), answers its intent
messages with `speak`, brackets each with mycroft.skill.handler.start/complete, answers the
core's converse and stop pings, and registers again whenever a core starts. SIGTERM detaches it.
A bus with a token (websocket.token) gets it from $HARK__WEBSOCKET__TOKEN, as hark's own
services do; deploy/compose.skill.yml runs it in a container of its own.
"""

import json
import os
import random
import re
import signal
import sys
import time

import websocket

SKILL_ID = "coin-flip.example"
LANG = "en-us"
HERE = os.path.dirname(os.path.abspath(__file__))


def to_alnum(skill_id):
    return re.sub(r"[^0-9A-Za-z]", "_", skill_id)


def munged(vocab):
    """The keyword type ovos-workshop registers for a .voc file of this skill."""
    return to_alnum(SKILL_ID) + vocab.title()


def frame(msg_type, data=None, context=None):
    return json.dumps({"type": msg_type, "data": data or {}, "context": context or {}})


def resource_lines(name):
    with open(os.path.join(HERE, "locale", LANG, name), encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


class Skill:
    def __init__(self, url):
        self.url = url
        self.ws = None
        self.sending = False  # a frame is going out: a detach now would cut it in two
        self.stopping = False

    def emit(self, msg_type, data=None, context=None):
        self.sending = True
        try:
            self.ws.send(frame(msg_type, data, context))
        finally:
            self.sending = False
        if self.stopping:
            self.detach_and_exit()  # the signal came while that frame was going out

    def forward(self, origin, msg_type, data=None):
        """Keeps the origin's context: the answer goes back to whoever asked."""
        self.emit(msg_type, data, origin.get("context", {}))

    def register(self):
        for name in sorted(os.listdir(os.path.join(HERE, "locale", LANG))):
            base, ext = os.path.splitext(name)
            if ext == ".intent":
                self.emit("padatious:register_intent",
                          {"name": f"{SKILL_ID}:{name}", "samples": resource_lines(name),
                           "file_name": name, "lang": LANG})
            elif ext == ".voc":
                for phrase in resource_lines(name):
                    self.emit("register_vocab", {"entity_value": phrase,
                                                 "entity_type": munged(base), "lang": LANG})
        self.emit("register_intent", {
            "name": f"{SKILL_ID}:DecideWithCoin",
            "requires": [[munged("Decide"), munged("Decide")], [munged("Coin"), munged("Coin")]],
            "at_least_one": [], "optional": [], "excludes": []})
        self.emit("homescreen.register.examples",
                  {"skill_id": SKILL_ID, "utterances": ["flip a coin", "roll a die"],
                   "lang": LANG})
        self.emit("mycroft.skills.train", {"lang": LANG})

    def speak(self, origin, text):
        self.forward(origin, "speak", {"utterance": text, "expect_response": False,
                                       "lang": LANG, "meta": {"skill": SKILL_ID}})

    def handle(self, message, handler):
        name = {"name": f"CoinSkill.{handler.__name__}"}
        self.forward(message, "mycroft.skill.handler.start", name)
        try:
            handler(message)
            self.forward(message, "mycroft.skill.handler.complete", name)
        except Exception as error:  # a failing handler must not kill the skill
            self.forward(message, "mycroft.skill.handler.error", {**name, "exception": str(error)})
        self.forward(message, "ovos.utterance.handled")

    def flip(self, message):
        self.speak(message, f"It's {random.choice(['heads', 'tails'])}.")

    def roll(self, message):
        sides = message["data"].get("sides", "6")
        try:
            sides = max(2, int(sides))
        except ValueError:
            sides = 6
        self.speak(message, f"You rolled a {random.randint(1, sides)}.")

    def on_message(self, message):
        msg_type = message.get("type", "")
        handlers = {f"{SKILL_ID}:flip.intent": self.flip, f"{SKILL_ID}:roll.intent": self.roll,
                    f"{SKILL_ID}:DecideWithCoin": self.flip}
        if msg_type in handlers:
            self.handle(message, handlers[msg_type])
        elif msg_type == f"{SKILL_ID}.converse.ping":
            self.forward(message, "skill.converse.pong",
                         {"skill_id": SKILL_ID, "can_handle": False})
        elif msg_type == f"{SKILL_ID}.stop.ping":
            self.forward(message, "skill.stop.pong", {"skill_id": SKILL_ID, "can_handle": False})
        elif msg_type == "mycroft.skills.initialized":
            self.register()  # a core (re)started and knows nothing of this skill

    def run(self):
        while True:
            try:
                token = os.environ.get("HARK__WEBSOCKET__TOKEN", "")
                header = [f"Authorization: Bearer {token}"] if token else []
                self.ws = websocket.create_connection(self.url, timeout=None, header=header)
            except OSError:
                time.sleep(0.5)  # the bus is not up yet
                continue
            self.register()
            print(f"{SKILL_ID}: registered on {self.url}", flush=True)
            try:
                while True:
                    self.on_message(json.loads(self.ws.recv()))
            except (websocket.WebSocketException, OSError, ValueError):
                pass

    def stop(self, *_):
        """SIGTERM/SIGINT. Python runs the handler on the main thread between two bytecodes:
        when that thread is sending a frame, the detach waits until emit() has sent it (a lock
        here would deadlock: its holder is the very thread the handler interrupted)."""
        self.stopping = True
        if not self.sending:
            self.detach_and_exit()

    def detach_and_exit(self):
        """Leaves at once after the detach: the handler may run inside a blocked recv(), where a
        full close handshake would wait on frames that recv() is itself reading."""
        try:
            self.ws.send(frame("detach_skill", {"skill_id": SKILL_ID}))
            self.ws.send_close()
        except (websocket.WebSocketException, OSError, AttributeError):
            pass  # never connected, or the bus is gone: nothing to detach from
        os._exit(0)


if __name__ == "__main__":
    skill = Skill(sys.argv[1] if len(sys.argv) > 1 else "ws://127.0.0.1:8181/core")
    signal.signal(signal.SIGTERM, skill.stop)
    signal.signal(signal.SIGINT, skill.stop)
    skill.run()
