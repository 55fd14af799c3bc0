#!/usr/bin/env python3
"""A scripted BGP speaker that forces a connection collision with sessiond.

It accepts sessiond's connection first, reads its OPEN, then dials
sessiond itself and reads the OPEN on that connection too, and only then
sends its own OPEN on both: sessiond holds two connections in OpenSent and
must close one with Cease/Connection Collision Resolution (RFC 4271 6.8).
It answers KEEPALIVE on the survivor, and prints which connection sessiond
closed:

    LOSER accepted|dialled CODE/SUBCODE

usage: se_collide_peer.py LOCAL_ADDR REMOTE_ADDR LOCAL_AS BGP_ID
"""
import select
import socket
import struct
import sys
import time


def msg(mtype, body=b""):
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), mtype) + body


def open_msg(asn, bgp_id, family):
    caps = bytes([1, 4, 0, family, 0, 1])          # multiprotocol
    caps += bytes([65, 4]) + struct.pack("!I", asn)  # 4-octet AS
    opt = bytes([2, len(caps)]) + caps
    as2 = asn if asn < 65536 else 23456
    body = struct.pack("!BHH4sB", 4, as2, 6, socket.inet_aton(bgp_id),
                       len(opt)) + opt
    return msg(1, body)


def read_msg(sock, deadline):
    buf = b""
    need = 19
    while len(buf) < need:
        left = deadline - time.time()
        if left <= 0:
            return None
        r, _, _ = select.select([sock], [], [], left)
        if not r:
            return None
        chunk = sock.recv(need - len(buf))
        if not chunk:
            return None
        buf += chunk
        if len(buf) == 19:
            need = struct.unpack("!H", buf[16:18])[0]
            if need < 19 or need > 4096:
                return None
    return buf


def main():
    local, remote, asn, bgp_id = sys.argv[1], sys.argv[2], int(
        sys.argv[3]), sys.argv[4]
    fam = socket.AF_INET6 if ":" in local else socket.AF_INET
    afi = 2 if fam == socket.AF_INET6 else 1
    lsock = socket.socket(fam, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((local, 179))
    lsock.listen(4)
    lsock.settimeout(20)
    print("LISTENING", flush=True)
    accepted, _ = lsock.accept()
    deadline = time.time() + 10
    m = read_msg(accepted, deadline)
    if m is None or m[18] != 1:
        print("FAIL no OPEN on the accepted connection", flush=True)
        return 1
    dialled = socket.create_connection((remote, 179), timeout=5,
                                       source_address=(local, 0))
    m = read_msg(dialled, deadline)
    if m is None or m[18] != 1:
        print("FAIL no OPEN on the dialled connection", flush=True)
        return 1
    conns = {"accepted": accepted, "dialled": dialled}
    for s in conns.values():
        s.sendall(open_msg(asn, bgp_id, afi))
    loser = None
    live = dict(conns)
    deadline = time.time() + 5
    while time.time() < deadline and live:
        r, _, _ = select.select(list(live.values()), [], [], 0.2)
        for s in r:
            name = [k for k, v in live.items() if v is s][0]
            m = read_msg(s, time.time() + 2)
            if m is None:
                del live[name]
                continue
            if m[18] == 3:
                loser = name
                print("LOSER %s %d/%d" % (name, m[19], m[20]), flush=True)
                del live[name]
            elif m[18] == 4:
                s.sendall(msg(4))
    if loser is None:
        print("FAIL no connection closed", flush=True)
        return 1
    # Keep the survivor up a moment so sessiond reports Established.
    end = time.time() + 2
    while time.time() < end and live:
        s = list(live.values())[0]
        m = read_msg(s, end)
        if m is not None and m[18] == 4:
            s.sendall(msg(4))
    return 0


if __name__ == "__main__":
    sys.exit(main())
