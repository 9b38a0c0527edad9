#!/usr/bin/env python3
"""fake_price_server.py - a stand-in for `routebench serve`, for testing `routebench load`.

Answers GET /price?number=%2B... and POST /price (one number per line) from carrier route
files, the way `routebench price` does (longest prefix per carrier, cheapest carrier, the same
cost format), over HTTP/1.1 with keep-alive, one thread per connection. It can be wrong or slow
on purpose, so a test knows exactly what the load generator must have seen:

  --wrong +N1,+N2     answer these numbers with a cost one cent too high (a well-formed lie)
  --fault K:KIND      the K-th /price request (1-based, counted over the server's life) is
                      answered badly: stall (sleep --stall-ms first), close (drop the
                      connection unanswered), garbage (not HTTP), 500 (an error status)
  --chunked           send every answer with Transfer-Encoding: chunked, in two chunks

GET /stats prints "requests=N wrong=M" (requests counted, wrong answers sent). The port is
chosen by the kernel and written to --port-file once the server listens. Loopback only.
"""
import argparse
import os
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCALE = 1000000


def parse_cost(text):
    whole, _, frac = text.partition(".")
    return int(whole) * SCALE + int((frac + "000000")[:6])


def format_cost(micros):
    if micros is None:
        return "0"
    frac = "%06d" % (micros % SCALE)
    while len(frac) > 2 and frac.endswith("0"):
        frac = frac[:-1]
    return "%d.%s" % (micros // SCALE, frac)


def load_routes(path):
    table = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\r\n \t")
            if not line:
                continue
            prefix, _, cost = line.partition(",")
            micros = parse_cost(cost)
            key = prefix[1:]
            if key not in table or micros < table[key]:
                table[key] = micros
    return table


class State:
    def __init__(self, args):
        self.carriers = [load_routes(p) for p in args.routes]
        self.wrong = set(n for n in (args.wrong or "").split(",") if n)
        self.faults = {}
        for spec in args.fault or []:
            k, _, kind = spec.partition(":")
            if kind not in ("stall", "close", "garbage", "500"):
                sys.exit("fake_price_server: unknown fault kind %r" % kind)
            self.faults[int(k)] = kind
        self.stall_s = args.stall_ms / 1000.0
        self.chunked = args.chunked
        self.lock = threading.Lock()
        self.requests = 0
        self.wrong_sent = 0

    def price(self, number):
        digits = number[1:]
        best = None
        for table in self.carriers:
            for n in range(len(digits), -1, -1):
                cost = table.get(digits[:n])
                if cost is not None:
                    if best is None or cost < best:
                        best = cost
                    break
        if number in self.wrong:
            with self.lock:
                self.wrong_sent += 1
            best = (best or 0) + 10000
        return "%s,%s\n" % (number, format_cost(best))


def valid_number(n):
    return len(n) >= 2 and len(n) <= 16 and n[0] == "+" and n[1:].isdigit()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, reason="OK"):
        data = body.encode()
        st = self.server.state
        if st.chunked and status == 200 and len(data) > 1:
            half = len(data) // 2
            parts = [data[:half], data[half:], b""]
            payload = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts)
            head = "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\n" \
                   "Transfer-Encoding: chunked\r\n\r\n" % (status, reason)
        else:
            payload = data
            head = "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" \
                   % (status, reason, len(data))
        try:
            self.wfile.write(head.encode() + payload)
        except OSError:
            self.close_connection = True

    def fault(self):
        """Count this /price request; True when a fault already answered it."""
        st = self.server.state
        with st.lock:
            st.requests += 1
            kind = st.faults.get(st.requests)
        if kind == "stall":
            time.sleep(st.stall_s)
        elif kind == "close":
            self.close_connection = True
            return True
        elif kind == "garbage":
            try:
                self.wfile.write(b"garbage\r\n\r\n")
            except OSError:
                pass
            self.close_connection = True
            return True
        elif kind == "500":
            self.reply(500, "injected failure\n", "Internal Server Error")
            return True
        return False

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        st = self.server.state
        if url.path == "/stats":
            with st.lock:
                self.reply(200, "requests=%d wrong=%d\n" % (st.requests, st.wrong_sent))
            return
        if url.path != "/price":
            self.reply(404, "no such path: %s\n" % url.path, "Not Found")
            return
        if self.fault():
            return
        number = urllib.parse.parse_qs(url.query).get("number", [""])[0]
        if not valid_number(number):
            self.reply(400, "number must be +DIGITS (1 to 15 digits)\n", "Bad Request")
            return
        self.reply(200, st.price(number))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode(errors="replace") if length else ""
        if urllib.parse.urlsplit(self.path).path != "/price":
            self.reply(404, "no such path\n", "Not Found")
            return
        if self.fault():
            return
        numbers = [n.rstrip("\r") for n in body.split("\n") if n.rstrip("\r")]
        bad = [n for n in numbers if not valid_number(n)]
        if not numbers or bad:
            self.reply(400, "line is not +DIGITS: %r\n" % (bad[0] if bad else ""), "Bad Request")
            return
        self.reply(200, "".join(self.server.state.price(n) for n in numbers))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], OSError):  # a client hanging up is no news
            super().handle_error(request, client_address)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--routes", action="append", required=True, help="a carrier's routes")
    p.add_argument("--port-file", required=True, help="where to write the chosen port")
    p.add_argument("--port", type=int, default=0, help="port (default: any free one)")
    p.add_argument("--wrong", help="comma-separated numbers to answer wrongly")
    p.add_argument("--fault", action="append", help="K:KIND (stall, close, garbage, 500)")
    p.add_argument("--stall-ms", type=int, default=300, help="how long a stall lasts")
    p.add_argument("--chunked", action="store_true", help="chunked transfer coding")
    args = p.parse_args()

    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(args)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(tmp, args.port_file)
    server.serve_forever(poll_interval=0.1)
    server.server_close()


if __name__ == "__main__":
    main()
