#!/bin/sh
# portscan_hostile.sh: bad and hostile targets never crash "wachter
# portscan": an unresolvable name, a CIDR block that is too large, an
# address without a route, and a silent (filtered) port each give one
# clear line on stderr while the other targets are still scanned; a
# filtered scan is bounded by its timeouts; SIGINT stops a scan at once;
# memory stays bounded on a /24 sweep. Loopback only.
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

now_ms() {
	date +%s%3N
}

# A silent port: a listener whose accept queue (backlog 0) is already
# full with our own connection drops every further SYN, like a firewall.
python3 - >"$tmp/silent" 2>"$tmp/silent.err" <<'EOF' &
import socket, time
l = socket.socket()
l.bind(("127.77.0.253", 0))
l.listen(0)
c = socket.create_connection(l.getsockname())
print(l.getsockname()[1], flush=True)
time.sleep(600)
EOF
lpid=$!
n=0
while [ ! -s "$tmp/silent" ]; do
	n=$((n + 1))
	[ $n -gt 50 ] && { echo "FAIL cannot start listener: $(cat "$tmp/silent.err")"; exit 1; }
	sleep 0.1
done
sleep 0.2
silent=$(cat "$tmp/silent")

# 1. Unresolvable name next to a good target: the good one is scanned.
"$WACHTER" portscan --ports 1-100 --format json no-such-host.invalid 127.0.0.1 \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || bad "unresolvable: exit $rc, want 1"
grep -q 'cannot resolve: "no-such-host.invalid"' "$tmp/err" ||
	bad "unresolvable: no clear line: $(cat "$tmp/err")"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [t["addr"] for t in d["targets"]] == ["127.0.0.1"], d
assert d["targets"][0]["closed"] + len(d["targets"][0]["open"]) == 100, d
assert d["unresolved"][0]["target"] == "no-such-host.invalid", d
' "$tmp/out" || bad "unresolvable: json $(cat "$tmp/out")"
[ $fail -eq 0 ] && echo "ok   unresolvable name: $(cat "$tmp/err")"

# 2. A CIDR block over the limit is refused before anything is sent.
"$WACHTER" portscan --ports 80 10.0.0.0/8 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q 'CIDR block too large.*/16' "$tmp/err" ||
	bad "large CIDR: exit $rc: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && bad "large CIDR: output $(cat "$tmp/out")"
echo "ok   large CIDR: $(cat "$tmp/err")"

# 3. No route (the loopback broadcast address): counted, named, no crash.
"$WACHTER" portscan --ports 80,443 127.255.255.255 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q '2 ports not scanned: Network is unreachable' "$tmp/err" ||
	bad "no route: exit $rc: $(cat "$tmp/err")"
echo "ok   no route: $(cat "$tmp/err")"

# 4. Filtered: 1 + 2 attempts of 300 ms; reported, bounded in time.
t0=$(now_ms)
"$WACHTER" portscan --ports "$silent,1" --timeout 300 --retries 2 --format json 127.77.0.253 \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
t1=$(now_ms)
el=$((t1 - t0))
[ $rc -eq 0 ] || bad "filtered: exit $rc: $(cat "$tmp/err")"
grep -q '"open":\[\],"closed":1,"filtered":1,"errors":0' "$tmp/out" ||
	bad "filtered: $(cat "$tmp/out")"
grep -q '1 ports filtered (no answer within 300 ms after 2 retries' "$tmp/err" ||
	bad "filtered: no clear line: $(cat "$tmp/err")"
[ $el -ge 880 ] && [ $el -lt 5000 ] || bad "filtered: took $el ms, want ~900"
echo "ok   filtered port in $el ms: $(cat "$tmp/err")"

# 5. SIGINT stops a scan stuck on a silent port (60 s timeout) at once.
"$WACHTER" portscan --ports "$silent" --timeout 60000 127.77.0.253 >"$tmp/out" 2>"$tmp/err" &
wpid=$!
sleep 0.5
t0=$(now_ms)
kill -INT $wpid
wait $wpid
rc=$?
t1=$(now_ms)
[ $rc -eq 1 ] || bad "SIGINT: exit $rc, want 1"
[ $((t1 - t0)) -lt 1000 ] || bad "SIGINT: took $((t1 - t0)) ms to stop"
grep -q 'stopped early' "$tmp/err" || bad "SIGINT: $(cat "$tmp/err")"
echo "ok   SIGINT stops in $((t1 - t0)) ms"

# 6. Memory: a /24 of loopback addresses times the top 100 ports.
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f '%M' -o "$tmp/rss" "$WACHTER" portscan --ports top100 127.78.0.0/24 \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	rss=$(tail -n 1 "$tmp/rss")
	[ $rc -eq 0 ] || bad "/24 sweep: exit $rc: $(head -c 300 "$tmp/err")"
	[ "$rss" -lt 65536 ] || bad "/24 sweep: max RSS $rss KiB"
	echo "ok   /24 x top100 sweep, max RSS ${rss} KiB"
fi
exit $fail
