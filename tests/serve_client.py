#!/usr/bin/env python3
# serve_client.py - the python3 clients tests/serve.sh needs, loopback only, every loop
# bounded in count and time so a broken server fails a check rather than hangs the test.
#   atomic PORT TOKEN NUMBERS EXPECTED_V1 EXPECTED_V2 DELTA: price continuously (GET and
#       POST batches, JSON) while the delta is applied to carrier 1; every answer must equal
#       the expected answer of the version it reports, and both versions must be seen.
#   slow PORT NUMBER EXPECTED_LINE: hold half a request open on one socket while another
#       client is answered, several times over.
#   drain PORT NUMBER EXPECTED_LINE READY_FILE: a POST in flight across SIGTERM is answered.
#   mkdelta ROUTES OUT, apply ROUTES DELTA OUT: a delta that changes many answers, and the
#       route file it makes (what `price` must answer after it).
import http.client
import json
import socket
import sys
import threading
import time
from urllib.parse import quote

MAX_S = 120  # a bound, not an assertion: the loops stop by themselves


def load_expected(path):
    out = {}
    for line in open(path):
        number, cost = line.strip().split(',')
        out[number] = cost
    return out


def atomic(port, token, numbers_path, v1_path, v2_path, delta_path):
    numbers = [l.strip() for l in open(numbers_path) if l.strip()]
    want = {1: load_expected(v1_path), 2: load_expected(v2_path)}
    delta = open(delta_path, 'rb').read()
    seen = {'get': {}, 'post': {}}
    errors = []
    stop = threading.Event()
    published = threading.Event()

    def note(kind, version):
        seen[kind][version] = seen[kind].get(version, 0) + 1

    def getter():
        c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
        i, after = 0, 0
        t0 = time.time()
        while not stop.is_set() and time.time() - t0 < MAX_S and after < 300:
            n = numbers[i % len(numbers)]
            i += 1
            c.request('GET', '/price?number=' + quote(n), headers={'Accept': 'application/json'})
            r = c.getresponse()
            body = r.read()
            if r.status != 200:
                errors.append('GET %s: %d %r' % (n, r.status, body))
                return
            a = json.loads(body)
            v = a['versions'][0]
            note('get', v)
            if a['number'] != n or want.get(v, {}).get(n) != a['cost']:
                errors.append('GET %s at version %s: cost %s, wanted %s' %
                              (n, v, a['cost'], want.get(v, {}).get(n)))
                return
            if published.is_set() and v == 2:
                after += 1

    def poster():
        c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
        batch = '\n'.join(numbers[:500]) + '\n'
        t0 = time.time()
        while not stop.is_set() and time.time() - t0 < MAX_S and seen['post'].get(2, 0) < 5:
            c.request('POST', '/price', body=batch, headers={'Accept': 'application/json'})
            r = c.getresponse()
            a = json.loads(r.read())
            v = a['versions'][0]
            note('post', v)
            for ans in a['answers']:
                if want.get(v, {}).get(ans['number']) != ans['cost']:
                    errors.append('POST batch at version %s: %s cost %s, wanted %s' %
                                  (v, ans['number'], ans['cost'],
                                   want.get(v, {}).get(ans['number'])))
                    return

    threads = [threading.Thread(target=getter), threading.Thread(target=poster)]
    for t in threads:
        t.start()
    t0 = time.time()
    while seen['get'].get(1, 0) < 200 and time.time() - t0 < MAX_S and not errors:
        time.sleep(0.01)
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
    c.request('POST', '/carriers/1/routes', body=delta,
              headers={'Authorization': 'Bearer ' + token})
    r = c.getresponse()
    body = r.read()
    published.set()
    if r.status != 200 or json.loads(body)['version'] != 2:
        errors.append('delta: %d %r' % (r.status, body))
        stop.set()
    for t in threads:
        t.join()
    if not errors and (1 not in seen['get'] or 2 not in seen['get'] or 2 not in seen['post']):
        errors.append('did not see both versions: %r' % seen)
    for e in errors[:5]:
        print('FAIL: atomic: ' + e)
    print('atomic: answers per version %r' % seen)
    return 0 if not errors else 1


def slow(port, number, expected):
    fails = 0
    for _ in range(3):
        s = socket.create_connection(('127.0.0.1', port), timeout=10)
        s.sendall(b'GET /price?number=' + quote(number).encode() + b' HTTP/1.1\r\nHost: x')
        c = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
        for _ in range(20):
            c.request('GET', '/price?number=' + quote(number))
            r = c.getresponse()
            body = r.read().decode()
            if r.status != 200 or body != expected + '\n':
                print('FAIL: slow: %d %r while a client held half a request' % (r.status, body))
                fails += 1
                break
        c.close()
        s.sendall(b'\r\nConnection: close\r\n\r\n')
        reply = b''
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            reply += chunk
        reply = reply.decode(errors='replace')
        if not reply.startswith('HTTP/1.1 200') or not reply.endswith(expected + '\n'):
            print('FAIL: slow: the slow client itself got %r' % reply)
            fails += 1
        s.close()
    return 1 if fails else 0


def drain(port, number, expected, ready_path):
    """Begin a POST (headers and half its body), say so, wait until the server stops
    accepting (SIGTERM), then finish it: a request in flight must still be answered."""
    body = (number + '\n').encode()
    s = socket.create_connection(('127.0.0.1', port), timeout=30)
    s.sendall(b'POST /price HTTP/1.1\r\nHost: x\r\nConnection: close\r\n'
              b'Content-Length: %d\r\n\r\n' % len(body) + body[:3])
    time.sleep(0.2)  # let the server see the headers: the request is then in flight
    open(ready_path, 'w').write('ready\n')
    t0 = time.time()
    while time.time() - t0 < 30:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=1).close()
            time.sleep(0.05)
        except OSError:
            break
    s.sendall(body[3:])
    reply = b''
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        reply += chunk
    reply = reply.decode(errors='replace')
    if not reply.startswith('HTTP/1.1 200') or not reply.endswith(expected + '\n'):
        print('FAIL: drain: the request in flight got %r' % reply)
        return 1
    return 0


def read_routes(path):
    routes = {}
    for line in open(path):
        line = line.strip()
        if line:
            prefix, cost = line.split(',')
            routes[prefix] = min(routes.get(prefix, cost), cost, key=float)
    return routes


def mkdelta(routes_path, out_path):
    """A delta that changes many answers: every 3rd route far cheaper, every 7th removed,
    two removals of absent prefixes, and one prefix set twice (the last line wins)."""
    lines = []
    for i, prefix in enumerate(sorted(read_routes(routes_path))):
        if i % 3 == 0:
            lines.append('%s,0.0001' % prefix)
        elif i % 7 == 0:
            lines.append('-' + prefix[1:])
    lines += ['-999999999999', '-999999999999', '+4242,1.5', '+4242,0.25']
    open(out_path, 'w').write('\n'.join(lines) + '\n')


def apply(routes_path, delta_path, out_path):
    """The route file a delta makes: what `price` must answer after it."""
    routes = read_routes(routes_path)
    for line in open(delta_path):
        line = line.strip()
        if line.startswith('-'):
            routes.pop('+' + line[1:], None)
        elif line:
            prefix, cost = line.split(',')
            routes[prefix] = cost
    open(out_path, 'w').write(''.join('%s,%s\n' % kv for kv in sorted(routes.items())))


if __name__ == '__main__':
    if sys.argv[1] == 'drain':
        sys.exit(drain(int(sys.argv[2]), *sys.argv[3:6]))
    if sys.argv[1] == 'mkdelta':
        sys.exit(mkdelta(*sys.argv[2:4]))
    if sys.argv[1] == 'apply':
        sys.exit(apply(*sys.argv[2:5]))
    if sys.argv[1] == 'atomic':
        sys.exit(atomic(int(sys.argv[2]), *sys.argv[3:8]))
    if sys.argv[1] == 'slow':
        sys.exit(slow(int(sys.argv[2]), sys.argv[3], sys.argv[4]))
    sys.exit(2)
