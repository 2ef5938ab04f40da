#!/bin/sh
# portscan_basic.sh: "wachter portscan" against listeners this test starts
# on 127.77.0.252 and ::1: exactly the listening ports are reported open,
# as "ADDR PORT" lines and as JSON; a full 1-65535 scan finds them too; a
# host name (localhost) expands to its addresses. Loopback only.
# "A && B || bad" below means: bad unless both hold.
# shellcheck disable=SC2015
set -u
: "${WACHTER:?WACHTER must name the wachter binary}"
tmp=$(mktemp -d)
lpid=""
trap '[ -n "$lpid" ] && kill "$lpid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0

bad() {
	echo "FAIL $*"
	fail=1
}

# csv LINES: newline-separated words joined with commas.
csv() {
	printf '%s\n' "$1" | paste -sd, -
}

# Accept-and-close servers on kernel-chosen ports; prints "FAMILY PORT".
: >"$tmp/ports"
python3 - >"$tmp/ports" 2>"$tmp/listen.err" <<'EOF' &
import selectors, socket
sel = selectors.DefaultSelector()
out = []
for fam, addr in ((socket.AF_INET, "127.77.0.252"),) * 3 + ((socket.AF_INET6, "::1"),) * 2:
    s = socket.socket(fam)
    s.bind((addr, 0))
    s.listen(128)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
    out.append("%d %d" % (4 if fam == socket.AF_INET else 6, s.getsockname()[1]))
print("\n".join(out), flush=True)
while True:
    for key, _ in sel.select():
        try:
            c, _ = key.fileobj.accept()
            c.close()
        except OSError:
            pass
EOF
lpid=$!
n=0
while [ "$(wc -l <"$tmp/ports")" -lt 5 ]; do
	n=$((n + 1))
	[ $n -gt 50 ] && { echo "FAIL cannot start listeners: $(cat "$tmp/listen.err")"; exit 1; }
	sleep 0.1
done
v4=$(awk '$1 == 4 {print $2}' "$tmp/ports" | sort -n)
v6=$(awk '$1 == 6 {print $2}' "$tmp/ports" | sort -n)
# Closed ports: bound once by the kernel, then released.
closed=$(python3 -c '
import socket
ss = [socket.socket() for _ in range(5)]
for s in ss: s.bind(("127.77.0.252", 0))
print(",".join(str(s.getsockname()[1]) for s in ss))')
list4="$closed,$(csv "$v4")"
list6="$closed,$(csv "$v6")"

# Text: exactly "127.77.0.252 PORT" per open port, ascending.
"$WACHTER" portscan --ports "$list4" 127.77.0.252 >"$tmp/out" 2>"$tmp/err"
rc=$?
want=$(for p in $v4; do echo "127.77.0.252 $p"; done)
[ $rc -eq 0 ] || bad "text scan: exit $rc: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = "$want" ] || bad "text scan: got '$(cat "$tmp/out")' want '$want'"
[ -s "$tmp/err" ] && bad "text scan: unexpected stderr: $(cat "$tmp/err")"
[ $fail -eq 0 ] && echo "ok   text output lists exactly the 3 listeners"

# Options after the target work the same.
"$WACHTER" portscan 127.77.0.252 --ports "$list4" >"$tmp/out2" 2>"$tmp/err"
cmp -s "$tmp/out" "$tmp/out2" || bad "options after the target: $(cat "$tmp/out2" "$tmp/err")"

# IPv6, JSON.
"$WACHTER" portscan --ports "$list6" --format json ::1 >"$tmp/json" 2>"$tmp/err" ||
	bad "json scan: exit $?: $(cat "$tmp/err")"
python3 - "$tmp/json" "$(csv "$v6")" <<'EOF' || bad "json scan: $(cat "$tmp/json")"
import json, sys
d = json.load(open(sys.argv[1]))
want = [int(p) for p in sys.argv[2].split(",")]
t = d["targets"]
assert len(t) == 1, t
assert t[0]["addr"] == "::1" and t[0]["target"] == "::1", t
assert t[0]["open"] == want, (t[0]["open"], want)
assert t[0]["closed"] == 5 and t[0]["filtered"] == 0 and t[0]["errors"] == 0, t
assert d["complete"] is True and d["ports_per_target"] == 7 and d["unresolved"] == []
EOF
echo "ok   json output for ::1"

# Full range on the v4 address: the listeners are among the open ports
# (other services of the machine may listen on 0.0.0.0 too).
"$WACHTER" portscan --ports all 127.77.0.252 >"$tmp/all" 2>"$tmp/err" ||
	bad "full scan: exit $?: $(cat "$tmp/err")"
for p in $v4; do
	grep -qx "127.77.0.252 $p" "$tmp/all" || bad "full scan misses port $p"
done
for p in $(echo "$closed" | tr ',' ' '); do
	grep -qx "127.77.0.252 $p" "$tmp/all" && bad "full scan reports closed port $p open"
done
echo "ok   full range scan ($(wc -l <"$tmp/all") open)"

# A host name: localhost resolves through /etc/hosts.
"$WACHTER" portscan --ports "$(csv "$v4")" --format json localhost \
	>"$tmp/lh" 2>"$tmp/err" || bad "localhost: exit $?: $(cat "$tmp/err")"
grep -q '"target":"localhost"' "$tmp/lh" || bad "localhost: $(cat "$tmp/lh")"
echo "ok   host name target"

# Usage errors exit 2 and name the problem.
"$WACHTER" portscan --ports 22,http 127.0.0.1 >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q '"http"' "$tmp/err" || bad "bad port list: exit $rc: $(cat "$tmp/err")"
"$WACHTER" portscan >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || bad "no target: want exit 2"
"$WACHTER" portscan --timeout 0 127.0.0.1 >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || bad "--timeout 0: want exit 2"
[ $fail -eq 0 ] && echo "ok   usage errors"
exit $fail
