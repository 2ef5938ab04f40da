#!/bin/sh
# dns_lab.sh: `wachter domain` against the DNS lab (tests/lab/dns-up): every
# dom-*.test domain must give exactly its ground truth
# (tests/lab/truth/dom-*.test.tsv: every planted problem found, no other
# warn/fail finding; "?ID" tolerated), dom-good.test none at all and within
# 3 s. Then broken DNS from a python3 server on 127.77.2.99 (silence,
# SERVFAIL, truncation, CNAME and SPF include loops, garbage): a clear error
# or finding, bounded time, never a crash (ASan/UBSan builds abort on one).
set -u
: "${WACHTER:?}" "${WACHTER_SRC:?}"
LABSRC="$WACHTER_SRC/tests/lab"
LAB=${WACHTER_LAB_DIR:-/tmp/wachter-lab}
out=$(mktemp -d "${TMPDIR:-/tmp}/dns_lab.XXXXXX")
srv_pid=""
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null
	rm -rf "$out"
}
trap cleanup EXIT INT TERM
fail() {
	echo "FAIL: $*"
	echo x >>"$out/failed"
}

"$LABSRC/up" >"$out/up.log" 2>&1 || { tail -n 20 "$out/up.log"; echo "FAIL: lab did not come up"; exit 1; }
"$LABSRC/dns-up" >"$out/dns-up.log" 2>&1 || { cat "$out/dns-up.log"; echo "FAIL: dns lab did not come up"; exit 1; }
TA="$LAB/dnsmail/test.ta"
CA="$LAB/ca/ca.pem"

# 1. The lab domains against their truth.
for truth in "$LABSRC"/truth/dom-*.test.tsv; do
	d=$(basename "$truth" .tsv)
	"$WACHTER" domain "$d" --resolver 127.77.2.1 --trust-anchor "$TA" --ca-file "$CA" \
		--timeout 3000 --format json >"$out/$d.json" 2>"$out/$d.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$d: wachter domain exited $rc"
		cat "$out/$d.err"
		continue
	fi
	python3 - "$out/$d.json" "$truth" "$d" <<'PY' || fail "$d: findings differ from the truth"
import json, sys
doc = json.load(open(sys.argv[1]))
req, tol = set(), set()
for line in open(sys.argv[2]):
    if line.startswith('#') or not line.strip():
        continue
    cid, port = line.split('\t')[:2]
    (tol if cid.startswith('?') else req).add((cid.lstrip('?'), port))
got = set()
for f in doc['findings']:
    if f['severity'] == 'info':
        continue  # info results are not in the truth (docs/lab.md)
    got.add((f['check_id'], '-' if f['port'] is None else str(f['port'])))
missing = req - got
extra = got - req - tol
for m in sorted(missing):
    print(f"{sys.argv[3]}: missing {m[0]} port {m[1]}")
for e in sorted(extra):
    det = [f['detail'] for f in doc['findings'] if f['check_id'] == e[0]]
    print(f"{sys.argv[3]}: unexpected {e[0]} port {e[1]}: {det[:1]}")
sys.exit(1 if missing or extra else 0)
PY
done

# 2. The good domain, full scan (DNS, every MX address, STARTTLS + TLS
# detail, DANE, MTA-STS): under 3 s wall on loopback; best of three.
best=999999
for i in 1 2 3; do
	t0=$(date +%s%N)
	"$WACHTER" domain dom-good.test --resolver 127.77.2.1 --trust-anchor "$TA" \
		--ca-file "$CA" --format json >/dev/null 2>&1
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ "$ms" -lt "$best" ] && best=$ms
done
echo "dom-good.test full domain scan: best of 3 = $best ms"
[ "$best" -lt 3000 ] || fail "dom-good.test scan took $best ms (limit 3000)"

# 3. The addresses a domain scan covers, and DNS-05 on the authoritative
# server (refuses recursion: not open).
"$WACHTER" domain dom-good.test --addresses --resolver 127.77.2.1 --trust-anchor "$TA" \
	>"$out/addr.txt" 2>&1 || fail "--addresses exited $?"
for want in "127.77.2.80	dom-good.test	domain" "127.77.2.80	www.dom-good.test	www" \
	"127.77.0.50	mail.wachter.test	mx" "::1	mail.wachter.test	mx"; do
	grep -qx "$want" "$out/addr.txt" || { fail "--addresses lacks '$want'"; cat "$out/addr.txt"; }
done
"$WACHTER" domain --open-resolver 127.77.2.53 >"$out/open.txt" 2>&1
grep -q "not an open resolver" "$out/open.txt" || { fail "knot reported as open resolver"; cat "$out/open.txt"; }

# 4. Broken DNS. The server answers by the first label of the name asked.
cat >"$out/broken.py" <<'PY'
import socket, struct, sys, threading
ADDR = '127.77.2.99'

def qparse(m):
    i, labels = 12, []
    while i < len(m) and m[i]:
        labels.append(m[i + 1:i + 1 + m[i]].decode('ascii', 'replace').lower())
        i += 1 + m[i]
    qend = i + 5
    return labels, m[12:qend], struct.unpack('>H', m[i + 1:i + 3])[0] if qend <= len(m) else 0

def name(s):
    return b''.join(bytes([len(l)]) + l.encode() for l in s.split('.') if l) + b'\0'

def rr(owner, t, rdata):
    return owner + struct.pack('>HHIH', t, 1, 60, len(rdata)) + rdata

def txt(s):
    b = s.encode()
    return bytes([len(b)]) + b

def answer(m, tcp):
    labels, q, qtype = qparse(m)
    qid = m[:2]
    first = labels[0] if labels else ''
    zone = '.'.join(labels)
    flags, rcode, ans = 0x8180, 0, []
    if first == 'timeout':
        return None
    if first == 'servfail':
        rcode = 2
    elif first == 'trunc':
        if tcp:
            return b'\x00\x05' + m[:3]          # a cut, lying length
        flags |= 0x0200                          # TC, no records
    elif first == 'garbage':
        return qid + b'\x81\x80\x00\x01\x00\x05\x00\x00\x00\x00' + b'\xc0' * 30
    elif 'cnameloop' in labels:
        own = name(zone)
        base = zone.split('.', 1)[1] if first in ('www', 'x') else zone
        www, x = name('www.' + base), name('x.' + base)
        if first == 'www':
            ans = [rr(www, 5, x), rr(x, 5, www)]
        elif first == 'x':
            ans = [rr(x, 5, www), rr(www, 5, x)]
        elif qtype == 6:
            ans = [rr(own, 6, name('ns.broken.test') + name('h.broken.test') + struct.pack('>IIIII', 1, 2, 3, 4, 5))]
    elif 'spfloop' in labels:
        own = name(zone)
        if qtype == 6 and first == 'spfloop':
            ans = [rr(own, 6, name('ns.broken.test') + name('h.broken.test') + struct.pack('>IIIII', 1, 2, 3, 4, 5))]
        elif qtype == 16 and first == 'spfloop':
            ans = [rr(own, 16, txt('v=spf1 include:a.spfloop.broken.test -all'))]
        elif qtype == 16 and first == 'a':
            ans = [rr(own, 16, txt('v=spf1 include:spfloop.broken.test -all'))]
        elif first != 'spfloop':
            rcode = 3
    else:
        rcode = 3
    hdr = qid + struct.pack('>HHHHH', flags | rcode, 1, len(ans), 0, 0)
    return hdr + q + b''.join(ans)

def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ADDR, 53))
    while True:
        m, peer = s.recvfrom(4096)
        try:
            r = answer(m, False)
        except Exception:
            continue
        if r is not None:
            s.sendto(r, peer)

def tcp_conn(c):
    try:
        c.settimeout(5)
        hdr = c.recv(2)
        if len(hdr) < 2:
            return
        n = struct.unpack('>H', hdr)[0]
        m = b''
        while len(m) < n:
            d = c.recv(n - len(m))
            if not d:
                return
            m += d
        r = answer(m, True)
        if r is None:
            threading.Event().wait(10)
            return
        if r.startswith(b'\x00\x05'):
            c.sendall(r)
        else:
            c.sendall(struct.pack('>H', len(r)) + r)
    except Exception:
        pass
    finally:
        c.close()

def tcp():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ADDR, 53))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=tcp_conn, args=(c,), daemon=True).start()

threading.Thread(target=tcp, daemon=True).start()
print('ready', flush=True)
udp()
PY
python3 "$out/broken.py" >"$out/broken.log" 2>&1 &
srv_pid=$!
n=50
while [ $n -gt 0 ] && ! grep -q ready "$out/broken.log"; do sleep 0.1; n=$((n - 1)); done
grep -q ready "$out/broken.log" || { cat "$out/broken.log"; fail "broken DNS server did not start"; exit 1; }

# broken NAME WANT_RC PATTERN: wachter domain NAME against the broken server
# exits WANT_RC within 15 s, and its output (stdout + stderr) matches PATTERN.
broken() {
	t0=$(date +%s%N)
	timeout 30 "$WACHTER" domain "$1" --resolver 127.77.2.99 --trust-anchor none \
		--timeout 1000 --no-tls-detail \
		>"$out/b.out" 2>&1
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	echo "broken $1: rc=$rc in $ms ms: $(grep -E "$3" "$out/b.out" | head -n 1)"
	[ $rc -eq "$2" ] || { fail "$1: exit $rc, want $2"; cat "$out/b.out"; }
	[ $ms -lt 15000 ] || fail "$1: took $ms ms"
	grep -qE "$3" "$out/b.out" || { fail "$1: output does not match /$3/"; cat "$out/b.out"; }
}
broken timeout.broken.test 1 "timed out|did not answer|deadline"
broken servfail.broken.test 1 "rcode=2|SERVFAIL|did not resolve"
broken trunc.broken.test 1 "did not resolve|timed out|rcode"
broken garbage.broken.test 1 "did not resolve|timed out|rcode"
broken cnameloop.broken.test 0 "DNS-09.*CNAME loop"
broken spfloop.broken.test 0 "MAIL-05.*loop"

# The broken server recurses for anyone (RA, NXDOMAIN for a foreign name).
"$WACHTER" domain --open-resolver 127.77.2.99 --timeout 1000 >"$out/open.txt" 2>&1
grep -q "^DNS-05 high 127.77.2.99 port 53" "$out/open.txt" ||
	{ fail "open resolver not found"; cat "$out/open.txt"; }

[ -f "$out/failed" ] && exit 1
echo "dns_lab: every DNS lab domain matches its truth; broken DNS handled"
exit 0
