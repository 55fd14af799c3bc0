#!/usr/bin/env python3
"""A raw, misbehaving client of tortied's control socket.

The control protocol is tortie's imsg framing (common/imsg.h): a 16-byte
header of four host-order u32 {type, len, peerid, pid}, len counting the
header, then the payload; a client says hello (struct imsg_ctl_hello,
{version, flags}) and sends requests, answered by CTL_DATA ... CTL_END or
CTL_ERROR.  The message types come from the environment as printed by
regress/tools/ctl_types (CTL_HELLO=30 ...), so that they follow tortie.h.

usage: ctl_raw.py SOCKET SCENARIO [ARG]

Each scenario prints one line that starts with "ok" when tortied behaved
as it must (and exits 0), or with "bad" and what happened (exit 1).
TORTIED_PID, when set, lets scenarios that hold a connection report the
parent's largest VmRSS meanwhile.
"""
import json
import os
import random
import select
import socket
import struct
import sys
import threading
import time

T = {k[4:]: int(v) for k, v in os.environ.items() if k.startswith("CTL_")}
HDR = struct.Struct("=IIII")
TIMEOUT = 20.0


class Closed(Exception):
    pass


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # Blocking, so that a full listen queue makes connect wait (with a
    # timeout a unix socket's connect fails at once with EAGAIN).
    s.connect(path)
    s.settimeout(TIMEOUT)
    return s


def msg(mtype, data=b"", length=None):
    if length is None:
        length = HDR.size + len(data)
    return HDR.pack(mtype, length, 0, 0) + data


def hello(version=None):
    v = T["VERSION"] if version is None else version
    return msg(T["HELLO"], struct.pack("=II", v, 0))


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise Closed()
        buf += chunk
    return buf


def read_msg(s):
    mtype, length, _, _ = HDR.unpack(recv_exact(s, HDR.size))
    length &= 0x7FFFFFFF
    if length < HDR.size or length > T["MAX"]:
        raise ValueError("bad length %d from tortied" % length)
    return mtype, recv_exact(s, length - HDR.size)


def expect_hello(s):
    mtype, data = read_msg(s)
    if mtype != T["HELLO"] or len(data) != 8:
        raise ValueError("no hello from tortied (type %d)" % mtype)


def answer(s):
    """One answer: ("json", text) or ("error", text)."""
    out = b""
    while True:
        mtype, data = read_msg(s)
        if mtype == T["DATA"]:
            out += data
        elif mtype == T["END"]:
            return "json", out.decode()
        elif mtype == T["ERROR"]:
            return "error", data.rstrip(b"\0").decode(errors="replace")
        else:
            raise ValueError("unexpected answer type %d" % mtype)


def wait_closed(s, seconds=10.0):
    """True when tortied closes the connection within seconds; messages
    it sends first are returned too."""
    s.settimeout(seconds)
    got = []
    try:
        while True:
            got.append(read_msg(s))
    except (Closed, ConnectionResetError, BrokenPipeError):
        return True, got
    except socket.timeout:
        return False, got


def errors_of(got):
    return [d.rstrip(b"\0").decode(errors="replace")
            for t, d in got if t == T["ERROR"]]


def rss_kb():
    pid = os.environ.get("TORTIED_PID")
    if not pid:
        return 0
    try:
        with open("/proc/%s/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def hold(seconds):
    """Sleep, sampling the parent's RSS; returns the largest seen."""
    top = rss_kb()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.1)
        top = max(top, rss_kb())
    return top


def status_json(s):
    s.sendall(msg(T["NODE_STATUS"]))
    kind, text = answer(s)
    if kind != "json":
        raise ValueError("node status: %s" % text)
    return json.loads(text)


def result(good, text):
    print(("ok " if good else "bad ") + text)
    sys.stdout.flush()
    return 0 if good else 1


# --- Malformed input: tortied drops the client ------------------------------

def sc_garbage(path, arg):
    rnd = random.Random(int(arg or 1))
    s = connect(path)
    s.sendall(bytes(rnd.getrandbits(8) for _ in range(4096)))
    closed, got = wait_closed(s)
    return result(closed, "random bytes: connection closed=%s" % closed)


def sc_text(path, arg):
    closed_all = True
    for text in (b'{"request": "status"}\n', b"GET / HTTP/1.0\r\n\r\n",
                 b"show rib\n" * 8):
        s = connect(path)
        s.sendall(text)
        closed, _ = wait_closed(s)
        closed_all = closed_all and closed
        s.close()
    return result(closed_all, "JSON, HTTP and command lines: closed=%s"
                  % closed_all)


def sc_shortlen(path, arg):
    s = connect(path)
    s.sendall(hello())
    expect_hello(s)
    s.sendall(msg(T["NODE_STATUS"], length=8))
    closed, _ = wait_closed(s)
    return result(closed, "header length 8: closed=%s" % closed)


def sc_fdflag(path, arg):
    """The descriptor bit of len set, with no descriptor passed."""
    s = connect(path)
    s.sendall(hello())
    expect_hello(s)
    s.sendall(msg(T["NODE_STATUS"], length=0x80000000 | 16))
    closed, _ = wait_closed(s)
    return result(closed, "descriptor flag without a descriptor: closed=%s"
                  % closed)


def sc_passfd(path, arg):
    s = connect(path)
    s.sendall(hello())
    expect_hello(s)
    fd = os.open("/dev/null", os.O_RDONLY)
    data = msg(T["NODE_STATUS"], length=0x80000000 | 16)
    socket.send_fds(s, [data], [fd])
    os.close(fd)
    closed, _ = wait_closed(s)
    return result(closed, "a passed descriptor: closed=%s" % closed)


def sc_nohello(path, arg):
    s = connect(path)
    s.sendall(msg(T["NODE_STATUS"]))
    closed, got = wait_closed(s)
    errs = errors_of(got)
    good = closed and errs == ["control: expected hello"]
    return result(good, "request before hello: %s, closed=%s" % (errs, closed))


def sc_badversion(path, arg):
    s = connect(path)
    s.sendall(hello(99))
    closed, got = wait_closed(s)
    errs = errors_of(got)
    good = closed and len(errs) == 1 and "version 99 not supported" in errs[0]
    return result(good, "hello version 99: %s, closed=%s" % (errs, closed))


def sc_shorthello(path, arg):
    s = connect(path)
    s.sendall(msg(T["HELLO"], b"\1\0\0\0"))
    closed, got = wait_closed(s)
    errs = errors_of(got)
    good = closed and errs == ["control: expected hello"]
    return result(good, "4-byte hello: %s, closed=%s" % (errs, closed))


def sc_unknown(path, arg):
    """Types a client has no business sending get an error each; the
    connection stays usable."""
    s = connect(path)
    s.sendall(hello())
    expect_hello(s)
    types = [0, T["SHUTDOWN"], T["RECONF_START"], T["DATA"], T["END"],
             T["ERROR"], T["HELLO"], T["TYPE_MAX"], 0xFFFFFFFF]
    bad = []
    for t in types:
        s.sendall(msg(t, b"x" * 32))
        kind, text = answer(s)
        if kind != "error" or "unknown request" not in text:
            bad.append("%d: %s %s" % (t, kind, text))
    st = status_json(s)
    good = not bad and isinstance(st, dict)
    return result(good, "%d internal or unknown types refused, node status "
                  "after them%s" % (len(types), (": " + "; ".join(bad))
                                    if bad else ""))


def sc_ribprefix(path, arg):
    """show rib with hostile prefixes: an answer or an error each."""
    s = connect(path)
    s.sendall(hello())
    expect_hello(s)
    payloads = [b"198.19", b"198.19.1.0/26", b"\xff" * 10,
                b"1.2.3.4/99\0", b"::/129\0", b"x" * 64, b"x" * 65,
                b"\0", b"\0" * 64, b"1.2.3.4/24\0trailing", b""]
    seen = []
    for p in payloads:
        s.sendall(msg(T["SHOW_RIB"], p))
        kind, text = answer(s)
        if kind == "json":
            json.loads(text)
        seen.append(kind)
    st = status_json(s)
    return result(isinstance(st, dict), "%d hostile show rib prefixes: %s"
                  % (len(payloads), " ".join(seen)))


# --- Requests without end, huge requests ------------------------------------

def sc_partial_header(path, arg):
    s = connect(path)
    s.sendall(hello() + msg(T["NODE_STATUS"])[:8])
    expect_hello(s)
    top = hold(float(arg or 2))
    s.close()
    return result(True, "half a header held open (parent rss %d kB)" % top)


def sc_partial_body(path, arg):
    s = connect(path)
    s.sendall(hello() + msg(T["SHOW_RIB"], length=60000) + b"1" * 100)
    expect_hello(s)
    top = hold(float(arg or 2))
    s.close()
    return result(True, "100 of 60000 bytes held open (parent rss %d kB)"
                  % top)


def sc_huge(path, arg):
    """One message that claims arg MB, and the bytes to go with it."""
    size = int(arg or 64) << 20
    s = connect(path)
    s.sendall(hello())
    expect_hello(s)
    chunk = b"\xa5" * 65536
    sent = 0
    try:
        s.sendall(msg(T["SHOW_RIB"], length=size + HDR.size))
        while sent < size:
            sent += s.send(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    except socket.timeout:
        return result(False, "huge: tortied stopped reading after %d bytes "
                      "but kept the connection" % sent)
    closed, _ = wait_closed(s)
    good = closed and sent < size
    return result(good, "a %d MB message: closed after %d bytes were taken"
                  % (size >> 20, sent))


def sc_huge_valid(path, arg):
    """arg MB of well-formed maximum-size messages of an unknown type,
    read back as they come: an error each, then node status."""
    size = int(arg or 64) << 20
    body = b"\0" * (T["MAX"] - HDR.size)
    n = size // T["MAX"]
    s = connect(path)
    s.sendall(hello())
    expect_hello(s)
    errs = [0]

    def reader():
        try:
            for _ in range(n):
                kind, _ = answer(s)
                if kind == "error":
                    errs[0] += 1
        except Exception:
            pass

    th = threading.Thread(target=reader)
    th.start()
    for _ in range(n):
        s.sendall(msg(T["TYPE_MAX"], body))
    th.join(TIMEOUT)
    st = status_json(s)
    good = errs[0] == n and isinstance(st, dict)
    return result(good, "%d MB in %d maximum-size messages: %d errors, node "
                  "status after them" % (size >> 20, n, errs[0]))


def sc_pipeline(path, arg):
    """arg requests at once, none of the answers read: tortied must not
    queue answers without bound for a client that does not read."""
    n = int(arg or 100000)
    s = connect(path)
    s.sendall(hello())
    expect_hello(s)
    s.settimeout(5)
    sent = 0
    try:
        req = msg(T["SHOW_NEIGHBORS"]) * 1000
        while sent < n:
            s.sendall(req)
            sent += 1000
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        pass
    top = hold(2)
    closed, _ = wait_closed(s, 5)
    s.close()
    return result(closed, "%d of %d requests sent without reading: parent "
                  "rss %d kB at most, closed by tortied=%s"
                  % (sent, n, top, closed))


def sc_noread(path, arg):
    """show rib, and not a byte of the answer read: closed in time.  The
    close shows as POLLHUP while the answer's first bytes still wait."""
    s = connect(path)
    s.sendall(hello() + msg(T["SHOW_RIB"]))
    t0 = time.monotonic()
    top = rss_kb()
    p = select.poll()
    p.register(s, select.POLLHUP | select.POLLRDHUP)
    closed = False
    while time.monotonic() - t0 < float(arg or 40):
        top = max(top, rss_kb())
        if p.poll(200):
            closed = True
            break
    took = time.monotonic() - t0
    return result(closed, "show rib never read: closed=%s after %.1f s "
                  "(parent rss %d kB at most)" % (closed, took, top))


def sc_twice(path, arg):
    """Two show rib at once: one answer, one error."""
    s = connect(path)
    s.sendall(hello() + msg(T["SHOW_RIB"]) + msg(T["SHOW_RIB"]))
    expect_hello(s)
    kinds = sorted([answer(s)[0], answer(s)[0]])
    st = status_json(s)
    return result(kinds == ["error", "json"] and isinstance(st, dict),
                  "two show rib at once: %s" % " and ".join(kinds))


# --- Vanishing clients -------------------------------------------------------

def sc_vanish_early(path, arg):
    for _ in range(int(arg or 20)):
        s = connect(path)
        s.sendall(hello() + msg(T["SHOW_RIB"]))
        s.close()
    return result(True, "%s show rib requests sent, connections closed at "
                  "once" % (arg or 20))


def sc_vanish_mid(path, arg):
    """Read part of a large answer, then go: arg kB."""
    want = int(arg or 64) * 1024
    s = connect(path)
    s.sendall(hello() + msg(T["SHOW_RIB"]))
    expect_hello(s)
    got = 0
    while got < want:
        mtype, data = read_msg(s)
        if mtype != T["DATA"]:
            return result(False, "answer ended after %d bytes" % got)
        got += len(data)
    s.close()
    return result(True, "read %d bytes of show rib, then closed" % got)


def sc_full_rib(path, arg):
    s = connect(path)
    s.sendall(hello() + msg(T["SHOW_RIB"]))
    expect_hello(s)
    kind, text = answer(s)
    if kind != "json":
        return result(False, "show rib: %s" % text)
    json.loads(text)
    return result(True, "show rib: %d bytes of JSON" % len(text))


# --- Many clients, idle clients ----------------------------------------------

def sc_concurrent(path, arg):
    n = int(arg or 100)
    barrier = threading.Barrier(n)
    res = [None] * n

    def client(i):
        try:
            s = connect(path)
            barrier.wait(TIMEOUT)
            s.sendall(hello())
            expect_hello(s)
            st = status_json(s)
            s.sendall(msg(T["SHOW_NEIGHBORS"]))
            kind, text = answer(s)
            nb = json.loads(text) if kind == "json" else None
            res[i] = isinstance(st, dict) and isinstance(nb, list)
            s.close()
        except Exception as e:
            res[i] = "%s" % e

    ths = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in ths:
        t.start()
    for t in ths:
        t.join(2 * TIMEOUT)
    good = sum(1 for r in res if r is True)
    errs = sorted(set(str(r) for r in res if r is not True))
    return result(good == n, "%d of %d concurrent clients got node status "
                  "and neighbors%s" % (good, n,
                                       (": " + "; ".join(errs)) if errs
                                       else ""))


def sc_idle(path, arg):
    """Connect, send nothing: how long until tortied closes."""
    limit = float(arg or 5)
    s = connect(path)
    t0 = time.monotonic()
    closed, _ = wait_closed(s, limit)
    took = time.monotonic() - t0
    return result(True, "idle client: closed=%s after %.1f s"
                  % (closed, took))


def sc_idle_many(path, arg):
    """arg idle connections, held until stdin closes or 60 s."""
    n = int(arg or 130)
    conns = []
    for _ in range(n):
        try:
            conns.append(connect(path))
        except OSError:
            break
    print("holding %d" % len(conns))
    sys.stdout.flush()
    t0 = time.monotonic()
    open_left = len(conns)
    while time.monotonic() - t0 < 60 and open_left > 0:
        time.sleep(0.2)
        open_left = 0
        for s in conns:
            s.setblocking(False)
            try:
                if s.recv(1) != b"":
                    open_left += 1
            except BlockingIOError:
                open_left += 1
            except OSError:
                pass
    return result(True, "%d idle connections, %d still open after %.1f s"
                  % (len(conns), open_left, time.monotonic() - t0))


SCENARIOS = {k[3:]: v for k, v in globals().items() if k.startswith("sc_")}


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in SCENARIOS:
        sys.stderr.write("usage: ctl_raw.py SOCKET SCENARIO [ARG]\n"
                         "scenarios: %s\n" % " ".join(sorted(SCENARIOS)))
        return 2
    try:
        return SCENARIOS[sys.argv[2]](sys.argv[1],
                                      sys.argv[3] if len(sys.argv) > 3
                                      else None)
    except Exception as e:
        return result(False, "%s: %s: %s" % (sys.argv[2],
                                             type(e).__name__, e))


if __name__ == "__main__":
    sys.exit(main())
