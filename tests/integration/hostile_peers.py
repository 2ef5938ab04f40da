#!/usr/bin/env python3
"""hostile_peers.py: hostile servers for tests/integration/scan_hostile.sh.

One listener per misbehaviour on ADDR (garbage, endless data, a hang,
100 MB then close, an immediate reset, a valid banner followed by junk, a
broken TLS ServerHello, an endless TLS handshake, endless HTTP headers, a
byte-a-second drip), "filtered" ports made without a firewall (a listener
with backlog 0 whose single accept slot we fill ourselves drops every
further SYN), optionally an address whose every given port is filtered,
a UDP DNS server that answers NXDOMAIN to every question, a UDP port that
takes DNS queries and never answers, and one that answers them with junk.

Loopback only. Prints one JSON line when every listener is up:
{"ready": true, "addr": ..., "ports": {"21": "behaviour", ...},
 "filtered": [...], "silent_addr": ..., "silent_ports": [...], "dns": port,
 "dns_silent": port, "dns_garbage": port}
and then serves until killed (or --lifetime seconds).
"""
import argparse
import json
import os
import signal
import socket
import struct
import sys
import threading
import time

MiB = 1 << 20


def drain(c, limit=16 * MiB):
    """Read and discard what the client sends until it closes (or limit)."""
    n = 0
    while n < limit:
        b = c.recv(65536)
        if not b:
            return
        n += len(b)


def junk(n):
    # Every byte value, high bytes and NULs included: invalid UTF-8 on purpose.
    return (bytes(range(256)) * (n // 256 + 1))[:n]


def garbage(c):
    """Binary garbage straight away, then close."""
    c.sendall(junk(4096))


def endless(c):
    """An endless stream of bytes that are no protocol at all."""
    chunk = junk(65536)
    while True:
        c.sendall(chunk)


def hang(c):
    """Accept and say nothing, ever; read whatever comes."""
    drain(c, 1 << 62)


def big_then_close(c):
    """100 MB without a single newline, then close."""
    chunk = b"A" * MiB
    for _ in range(100):
        c.sendall(chunk)


def reset(c):
    """Reset at once: SO_LINGER 0 turns close() into an RST."""
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def ssh_junk(c):
    """A valid SSH identification prefix, then junk and no line end."""
    c.sendall(b"SSH-2.0-")
    chunk = junk(65536)
    for _ in range(64):
        c.sendall(chunk)


def ssh_bad_packets(c):
    """A plausible SSH banner with high bytes, then binary packets whose
    lengths lie (2^32-1, then a KEXINIT with name-lists longer than the
    packet)."""
    c.sendall(b"SSH-2.0-OpenSSH_9.2p1\xff\xfe Debian-2+deb12u3\r\n")
    c.settimeout(2)
    try:
        c.recv(4096)
    except OSError:
        pass
    kex = b"\x14" + b"\x00" * 16 + struct.pack(">I", 0x7FFFFFF0) + b"curve25519-sha256"
    pkt = struct.pack(">IB", len(kex) + 1 + 4, 4) + kex + b"\x00" * 4
    c.sendall(pkt)
    c.sendall(b"\xff\xff\xff\xff" + junk(8192))
    drain(c)


def ftp_long_line(c):
    """An FTP greeting that never ends: "220 " and a 1 MiB line."""
    c.sendall(b"220 " + b"x" * MiB)
    drain(c)


def smtp_endless(c):
    """A normal SMTP greeting; every command gets an endless 250- reply."""
    c.sendall(b"220 mail.hostile.test ESMTP Postfix (Debian/GNU)\r\n")
    c.recv(4096)
    i = 0
    while True:
        c.sendall(b"250-EXTENSION-%d \xc3\x28 %s\r\n" % (i, b"z" * 200))
        i += 1


def pop3_drip(c):
    """A POP3 greeting one byte every half second, never finished."""
    for b in b"+OK Dovecot ready. " * 1000:
        c.sendall(bytes([b]))
        time.sleep(0.5)


def redis_huge_bulk(c):
    """Redis-ish: whatever is asked, a bulk string announced as 2 GB of
    which 8 MB come, then silence."""
    c.recv(4096)
    c.sendall(b"$2147483647\r\n")
    chunk = b"r" * MiB
    for _ in range(8):
        c.sendall(chunk)
    drain(c)


def mysql_bad_packet(c):
    """MySQL speaks first: a packet header claiming 16 MiB - 1 of payload,
    a protocol-10 greeting cut short with high bytes, then silence."""
    c.sendall(b"\xff\xff\xff\x00\x0a5.7.\xff\xfe\x00" + junk(1000))
    drain(c)


def http_endless_headers(c):
    """An HTTP answer whose header block never ends."""
    c.recv(65536)
    c.sendall(b"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n")
    i = 0
    while True:
        c.sendall(b"X-Junk-%d: %s\r\n" % (i, b"y" * 100))
        i += 1


def read_tls_record(c):
    """One TLS record from the client (header and body), or None."""
    hdr = b""
    while len(hdr) < 5:
        b = c.recv(5 - len(hdr))
        if not b:
            return None
        hdr += b
    n = struct.unpack(">H", hdr[3:5])[0]
    body = b""
    while len(body) < n:
        b = c.recv(n - len(body))
        if not b:
            return None
        body += b
    return hdr + body


def client_hello_fields(rec):
    """(session id, first non-TLS-1.3 cipher suite) of a ClientHello record;
    falls back to TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256."""
    sid, suite = b"", b"\xc0\x2f"
    try:
        if rec[0] != 0x16 or rec[5] != 0x01:
            return sid, suite
        p = 5 + 4 + 2 + 32
        sl = rec[p]
        sid = rec[p + 1:p + 1 + sl]
        p += 1 + sl
        cl = struct.unpack(">H", rec[p:p + 2])[0]
        p += 2
        for k in range(p, p + cl, 2):
            cs = rec[k:k + 2]
            if len(cs) == 2 and cs[0] != 0x13 and cs != b"\x00\xff":
                return sid, cs
    except IndexError:
        pass
    return sid, suite


def tls_broken_server_hello(c):
    """Answer every ClientHello with a ServerHello whose session-id length
    runs past the end of the message, then close."""
    while True:
        rec = read_tls_record(c)
        if rec is None:
            return
        if rec[0] != 0x16:
            continue
        body = b"\x03\x03" + os.urandom(32) + b"\xff" + b"\x01" * 8
        hs = b"\x02" + struct.pack(">I", len(body))[1:] + body
        c.sendall(b"\x16\x03\x03" + struct.pack(">H", len(hs)) + hs)
        return


def tls_endless_handshake(c):
    """A correct TLS 1.2 ServerHello for the client's first usable suite,
    then a Certificate message announced as 16 MiB - 1 whose records keep
    coming (max-size records of junk) until the client gives up."""
    rec = read_tls_record(c)
    if rec is None:
        return
    sid, suite = client_hello_fields(rec)
    body = (b"\x03\x03" + os.urandom(32) + bytes([len(sid)]) + sid + suite + b"\x00"
            + b"\x00\x05\xff\x01\x00\x01\x00")  # renegotiation_info, empty
    hs = b"\x02" + struct.pack(">I", len(body))[1:] + body
    c.sendall(b"\x16\x03\x03" + struct.pack(">H", len(hs)) + hs)
    first = b"\x0b\xff\xff\xff" + b"\xff\xff\xfc" + junk(16384 - 7)
    c.sendall(b"\x16\x03\x03" + struct.pack(">H", len(first)) + first)
    chunk = b"\x16\x03\x03\x40\x00" + junk(16384)
    for _ in range(1024):  # 16 MiB at most
        c.sendall(chunk)
    drain(c)


BEHAVIOURS = {
    21: ("ftp-long-line", ftp_long_line),
    22: ("ssh-junk", ssh_junk),
    25: ("smtp-endless-reply", smtp_endless),
    80: ("http-endless-headers", http_endless_headers),
    110: ("pop3-drip", pop3_drip),
    443: ("tls-broken-serverhello", tls_broken_server_hello),
    2222: ("ssh-bad-packets", ssh_bad_packets),
    3306: ("mysql-bad-packet", mysql_bad_packet),
    6379: ("redis-huge-bulk", redis_huge_bulk),
    8080: ("100mb-then-close", big_then_close),
    8443: ("tls-endless-handshake", tls_endless_handshake),
    9000: ("garbage", garbage),
    9001: ("hang", hang),
    9002: ("reset", reset),
    9003: ("endless", endless),
}


def serve(sock, fn, stats, name):
    while True:
        try:
            c, _ = sock.accept()
        except OSError:
            return
        stats[name] = stats.get(name, 0) + 1

        def run(c=c):
            try:
                fn(c)
            except OSError:
                pass
            finally:
                try:
                    c.close()
                except OSError:
                    pass

        threading.Thread(target=run, daemon=True).start()


def listener(addr, port, backlog=64):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(backlog)
    return s


def filtered_port(addr, port, keep):
    """A port that drops SYNs: backlog 0 and its one accept slot taken by
    a connection of our own that is never accepted."""
    s = listener(addr, port, 0)
    c = socket.create_connection((addr, s.getsockname()[1]), 2)
    keep.extend((s, c))
    return s.getsockname()[1]


def dns_nxdomain(sock):
    """Answer every query with NXDOMAIN (question echoed, RA set)."""
    while True:
        try:
            q, peer = sock.recvfrom(4096)
        except OSError:
            return
        if len(q) < 12 or q[2] & 0x80:
            continue
        p = 12
        try:
            while q[p]:
                p += 1 + q[p]
            end = p + 5  # the root label, type, class
        except IndexError:
            continue
        if end > len(q) or struct.unpack(">H", q[4:6])[0] != 1:
            continue
        flags = 0x8000 | (q[2] & 0x79) << 8 | 0x0080 | 3  # QR, opcode, RD; RA; NXDOMAIN
        hdr = q[:2] + struct.pack(">HHHHH", flags, 1, 0, 0, 0)
        try:
            sock.sendto(hdr + q[12:end], peer)
        except OSError:
            pass


def dns_garbage(sock):
    """Answer every query with its id, the QR bit, counts that claim
    65535 records of each kind, and junk."""
    while True:
        try:
            q, peer = sock.recvfrom(4096)
        except OSError:
            return
        if len(q) < 12:
            continue
        try:
            sock.sendto(q[:2] + b"\x81\x80\xff\xff\xff\xff\xff\xff\xff\xff"
                        + junk(400), peer)
        except OSError:
            pass


def ports_arg(s):
    return [int(x) for x in s.split(",") if x]


def udp(addr, port, keep):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    keep.append(u)
    u.bind((addr, port))
    return u


def bind_all(a, addr, silent_addr):
    """Every socket on addr (and silent_addr), or OSError with none left."""
    keep = []
    try:
        tcp = {port: listener(addr, port) for port in BEHAVIOURS}
        keep.extend(tcp.values())
        filtered = [filtered_port(addr, p, keep) for p in a.filtered]
        silent = [filtered_port(silent_addr, p, keep) for p in a.silent_ports] \
            if silent_addr else []
        dns = {}
        for port, fn in ((a.dns_port, dns_nxdomain), (a.dns_silent_port, None),
                         (a.dns_garbage_port, dns_garbage)):
            if port:
                dns[port] = (udp(addr, port, keep), fn)
        return keep, tcp, filtered, silent, dns
    except OSError:
        for k in keep:
            k.close()
        raise


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--addr", default="127.0.0.77",
                    help="'auto': the first free of 127.0.0.77, .79, ... .117 (the "
                         "silent address is then the next one), so parallel runs coexist")
    ap.add_argument("--filtered", type=ports_arg, default=[9004],
                    help="ports on --addr that drop SYNs")
    ap.add_argument("--silent-addr", default="",
                    help="an address whose --silent-ports all drop SYNs")
    ap.add_argument("--silent-ports", type=ports_arg, default=[])
    ap.add_argument("--dns-port", type=int, default=5353, help="0: no DNS server")
    ap.add_argument("--dns-silent-port", type=int, default=5354,
                    help="a UDP port that takes DNS queries and never answers; 0: none")
    ap.add_argument("--dns-garbage-port", type=int, default=5355,
                    help="a UDP port that answers DNS queries with junk; 0: none")
    ap.add_argument("--lifetime", type=float, default=600)
    a = ap.parse_args()
    if a.addr == "auto":
        cands = [("127.0.0.%d" % h, "127.0.0.%d" % (h + 1) if a.silent_ports else "")
                 for h in range(77, 118, 2)]
    else:
        cands = [(a.addr, a.silent_addr)]
    for h in (x for c in cands for x in c):
        if h and not h.startswith("127."):
            sys.exit("hostile_peers: loopback addresses only, not " + h)
    for n, (addr, silent_addr) in enumerate(cands):
        try:
            keep, tcp, filtered, silent, dns = bind_all(a, addr, silent_addr)
            break
        except OSError as e:
            if n + 1 == len(cands):
                sys.exit("hostile_peers: %s: %s" % (addr, e))

    stats, ports = {}, {}
    for port, (name, fn) in BEHAVIOURS.items():
        ports[str(port)] = name
        threading.Thread(target=serve, args=(tcp[port], fn, stats, name), daemon=True).start()
    for u, fn in dns.values():
        if fn:
            threading.Thread(target=fn, args=(u,), daemon=True).start()
    print(json.dumps({"ready": True, "addr": addr, "ports": ports, "filtered": filtered,
                      "silent_addr": silent_addr, "silent_ports": silent,
                      "dns": a.dns_port, "dns_silent": a.dns_silent_port,
                      "dns_garbage": a.dns_garbage_port}), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        time.sleep(a.lifetime)
    except KeyboardInterrupt:
        pass
    finally:
        print(json.dumps({"connections": stats}), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
