#!/bin/sh
# scan_hostile.sh: `wachter scan` end to end against hostile servers and bad
# targets (issue 3): garbage, endless data, a hang, 100 MB replies, resets,
# valid banners followed by junk, broken and endless TLS handshakes, endless
# HTTP headers and SMTP replies (tests/integration/hostile_peers.py on
# 127.0.0.77), filtered ports, an address where nothing answers (.78),
# SIGINT mid-scan, and a name that does not resolve (NXDOMAIN from our own
# DNS server, a resolver that never answers and one that answers junk).
# Every case must end with exit status 0 or 1 (never a signal, never 2), a
# JSON report that parses, a clear line for every hostile port, bounded
# memory and bounded time. Loopback only.
set -u
: "${WACHTER:?WACHTER must name the wachter binary}"
SRC=${WACHTER_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
HARD_CAP=60 # seconds; only catches hangs, timing is printed, not asserted
# Peak RSS bound in KiB. Measured: 54 MiB for the ASan+UBSan build, 15 MiB
# for a RelWithDebInfo build; one buffered copy of the 100 MB reply would exceed it.
MAX_RSS_KB=${SCAN_HOSTILE_MAX_RSS_KB:-122880}
T=$(mktemp -d "${TMPDIR:-/tmp}/scan_hostile.XXXXXX")
peers=""
# shellcheck disable=SC2317 # (called by the trap)
cleanup() {
	[ -n "$peers" ] && kill "$peers" 2>/dev/null && wait "$peers" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

# 127.0.0.77/.78, or the next free pair when another build runs this test.
python3 "$SRC/tests/integration/hostile_peers.py" --addr auto --filtered 9004 \
	--silent-ports 21,22,25,80,443,8080 \
	--dns-port 5353 --dns-silent-port 5354 --dns-garbage-port 5355 >"$T/peers.json" 2>"$T/peers.err" &
peers=$!
n=0
until grep -q '"ready": true' "$T/peers.json" 2>/dev/null; do
	n=$((n + 1))
	if [ $n -gt 100 ] || ! kill -0 "$peers" 2>/dev/null; then
		echo "FAIL: hostile peers did not start: $(cat "$T/peers.err")"
		exit 1
	fi
	sleep 0.1
done
peer() {
	python3 -c 'import json, sys; v = json.loads(open(sys.argv[1]).readline())[sys.argv[2]]
print(",".join(v) if isinstance(v, dict) else v)' "$T/peers.json" "$1"
}
HOSTILE=$(peer ports)
ADDR=$(peer addr)
SILENT=$(peer silent_addr)

# run NAME ARGS...: wachter under a hard time cap; records exit status,
# wall time (ms) and peak RSS (KiB) in $T/NAME.{rc,ms,rss}, output in
# $T/NAME.{out,err}. /usr/bin/time reads the peak RSS when installed, else
# python's wait4() (ru_maxrss of the waited-for tree either way).
run() {
	name=$1
	shift
	t0=$(date +%s%N)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$T/$name.rss" timeout -s KILL $HARD_CAP \
			"$WACHTER" "$@" >"$T/$name.out" 2>"$T/$name.err"
		echo $? >"$T/$name.rc"
	else
		python3 -c '
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[3], sys.argv[3:])
_, st, ru = os.wait4(pid, 0)
open(sys.argv[1], "w").write("%d\n" % ru.ru_maxrss)
open(sys.argv[2], "w").write("%d\n" % os.waitstatus_to_exitcode(st) % 256)
' "$T/$name.rss" "$T/$name.rc" timeout -s KILL $HARD_CAP "$WACHTER" "$@" \
			>"$T/$name.out" 2>"$T/$name.err"
	fi
	echo $((($(date +%s%N) - t0) / 1000000)) >"$T/$name.ms"
	rc=$(cat "$T/$name.rc")
	ms=$(cat "$T/$name.ms")
	rss=$(tail -n 1 "$T/$name.rss" | tr -dc 0-9)
	rss=${rss:-0}
	echo "     $name: exit $rc, $ms ms, peak RSS $((rss / 1024)) MiB"
	case $rc in
	0 | 1) ;;
	137) bad "$name: killed after the ${HARD_CAP} s hard cap (a hang)" ;;
	*) bad "$name: exit status $rc (want 0 or 1; >128 is a signal)" ;;
	esac
	[ "$rss" -lt "$MAX_RSS_KB" ] || bad "$name: peak RSS $rss KiB (bound $MAX_RSS_KB KiB)"
	if grep -qE 'Sanitizer|runtime error:' "$T/$name.err"; then
		bad "$name: sanitizer report"
		grep -E -A5 'Sanitizer|runtime error:' "$T/$name.err" | head -20
	fi
}

# check NAME PYTHON: assertions on the parsed JSON report d (and peers p).
check() {
	python3 - "$T/$1.out" "$T/peers.json" "$1" "${2:-}" <<'PY' || fail=1
import json, os, sys
out, peers_file, name, expect = sys.argv[1:5]
try:
    d = json.load(open(out))
except ValueError as e:
    sys.exit("FAIL: %s: the report is not JSON: %s" % (name, e))
p = json.loads(open(peers_file).readline())
# The svc gaps it was written against are fixed: strict by default keeps them so.
strict = os.environ.get("SCAN_HOSTILE_STRICT", "1") == "1"
errs = []
assert d.get("schema") == "wachter.scan/1", d.get("schema")
F = d["findings"]
for f in F:
    if not f.get("detail"):
        errs.append("finding %s on port %s has no detail" % (f["id"], f["port"]))

def svc_ports():
    return {s["port"]: s for h in d["hosts"] for s in h["services"]}

if expect == "hostile":
    if not d["complete"] or len(d["hosts"]) != 1 or not d["hosts"][0]["answered"]:
        errs.append("complete/answered: %s" % {k: d[k] for k in ("complete", "hosts")})
    svcs = svc_ports()
    byport = {}
    for f in F:
        byport.setdefault(f["port"], []).append(f)
    web_line = [f for f in byport.get(None, []) if f["id"] == "SCAN-03"
                and "web site" in f["detail"]]
    # Known gaps, outside src/scan (see docs/scanner.md); an error with
    # SCAN_HOSTILE_STRICT=1, a note otherwise, "fixed" once they are gone.
    known = []
    for port_s, what in sorted(p["ports"].items(), key=lambda kv: int(kv[0])):
        port = int(port_s)
        fs = byport.get(port, [])
        if port not in svcs:
            # A reset that lands before the port scan reads the socket is an
            # RST: the port is closed, truthfully. Anything else must show.
            if what != "reset":
                errs.append("port %d (%s) missing from the services" % (port, what))
            else:
                print("     port %d (%s): seen as closed" % (port, what))
            continue
        s = svcs[port]
        line = "%s %s" % (s["service"], s["product"])
        if fs:
            print("     port %d (%s): %s; %s" % (port, what, line, "; ".join(
                "%s %s" % (f["id"], f["detail"][:90]) for f in fs)))
        elif port in (80, 443) and web_line:
            print("     port %d (%s): %s; site: %s" % (port, what, line, web_line[0]["detail"]))
        elif what.startswith("ssh-"):
            known.append("port %d (%s): identified as '%s' with no finding: the "
                         "SSH checks' protocol failure is only logged (svc_check)"
                         % (port, what, line))
        else:
            errs.append("port %d (%s): service '%s' without any finding" % (port, what, line))
        if s["service"] != "unknown" and what in ("garbage", "endless", "hang",
                                                  "100mb-then-close"):
            errs.append("port %d (%s) identified as %s" % (port, what, s["service"]))
    for f in byport.get(25, []):
        if f["id"] == "MAIL-15":
            known.append("port 25 (smtp-endless-reply): MAIL-15 open relay reported "
                         "for a server whose EHLO reply never ended (svc reply_code "
                         "takes a 250- continuation line as the final reply)")
    for port in p["filtered"] + [9005]:
        if port in svcs:
            errs.append("filtered/closed port %d listed as a service" % port)
    for k in known:
        if strict:
            errs.append(k)
        else:
            print("KNOWN GAP: " + k)
    print("     %d services, %d findings (%d SCAN-03), %d known gaps"
          % (len(svcs), len(F), sum(f["id"] == "SCAN-03" for f in F), len(known)))
elif expect.startswith("SCAN-01"):
    want = expect.split(":", 1)[1] if ":" in expect else ""
    s1 = [f for f in F if f["id"] == "SCAN-01"]
    if d["complete"] or d["hosts"] or len(s1) != 1 or want not in s1[0]["detail"]:
        errs.append("want one SCAN-01 (%r), no hosts, incomplete: %s"
                    % (want, json.dumps(d)[:600]))
    else:
        print("     SCAN-01: %s" % s1[0]["detail"])
elif expect == "SCAN-02":
    s2 = [f for f in F if f["id"] == "SCAN-02"]
    h = d["hosts"]
    if len(h) != 1 or h[0]["answered"] or h[0]["services"] or len(s2) != 1 \
            or "filtered" not in s2[0]["detail"]:
        errs.append("want one silent host and SCAN-02: %s" % json.dumps(d)[:600])
    else:
        print("     SCAN-02: %s" % s2[0]["detail"])
for e in errs:
    print("FAIL: %s: %s" % (name, e))
sys.exit(1 if errs else 0)
PY
}

echo "hostile peers on $ADDR: $HOSTILE (filtered 9004, closed 9005); silent $SILENT"
run hostile scan --format json --no-progress --lang en --timeout 1000 \
	--ports "$HOSTILE,9004,9005" "$ADDR"
check hostile hostile
rc=$(cat "$T/hostile.rc")
[ "$rc" = 0 ] || [ "$rc" = 1 ] || head -n 20 "$T/hostile.err"

# The text report of the same peers renders too.
run hostile-text scan --format text --no-progress --lang en --timeout 1000 \
	--ports "$HOSTILE,9004,9005" "$ADDR"
grep -q 'SCAN-03' "$T/hostile-text.out" || bad "text report: no SCAN-03 line"

# SIGINT while workers sit on the hanging and dripping peers: the jobs in
# flight finish their current exchange (each bounded by --timeout), then the
# partial report comes out: "complete": false, exit 1. Measured 1-5 s with
# --timeout 3000; the 30 s bound only catches a scan that ignores SIGINT.
"$WACHTER" scan --format json --no-progress --lang en --timeout 3000 \
	--ports "$HOSTILE" "$ADDR" >"$T/sigint.out" 2>"$T/sigint.err" &
wpid=$!
sleep 1
t0=$(date +%s%N)
kill -INT $wpid
n=0
while kill -0 $wpid 2>/dev/null && [ $n -lt 300 ]; do
	sleep 0.1
	n=$((n + 1))
done
kill -0 $wpid 2>/dev/null && { bad "sigint: still running 30 s after SIGINT"; kill -KILL $wpid; }
wait $wpid
rc=$?
echo "     sigint: exit $rc, stopped $((($(date +%s%N) - t0) / 1000000)) ms after SIGINT"
[ $rc -eq 1 ] || bad "sigint: exit $rc, want 1"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["complete"] is False, d["complete"]
' "$T/sigint.out" || bad "sigint: want a JSON report with complete=false"
grep -qE 'Sanitizer|runtime error:' "$T/sigint.err" && bad "sigint: sanitizer report"

# A name that does not resolve: NXDOMAIN from our resolver (".invalid" is
# answered by libunbound's own local zone in a domain scan), and a resolver
# that never answers. SCAN-01, incomplete, exit 1.
for mode in domain host; do
	opt=""
	[ $mode = host ] && opt=--host-only
	run "nx-$mode" scan --format json --no-progress --timeout 1000 --ports 22,80 \
		--resolver "$ADDR:5353" $opt nosuchhost.invalid
	check "nx-$mode" SCAN-01
	[ "$(cat "$T/nx-$mode.rc")" = 1 ] || bad "nx-$mode: exit $(cat "$T/nx-$mode.rc"), want 1"
done
grep -q NXDOMAIN "$T/nx-host.out" || bad "nx-host: the SCAN-01 line does not say NXDOMAIN"
run deaf-host scan --format json --no-progress --timeout 1000 --ports 22,80 \
	--resolver "$ADDR:5354" --host-only nosuchhost.wachter-hostile
check deaf-host "SCAN-01:did not answer"
[ "$(cat "$T/deaf-host.rc")" = 1 ] || bad "deaf-host: exit $(cat "$T/deaf-host.rc"), want 1"
run deaf-domain scan --format json --no-progress --timeout 1000 --ports 22,80 \
	--resolver "$ADDR:5354" nosuchhost.wachter-hostile
check deaf-domain "SCAN-01:the resolver did not answer"
[ "$(cat "$T/deaf-domain.rc")" = 1 ] || bad "deaf-domain: exit $(cat "$T/deaf-domain.rc"), want 1"

# A resolver that answers with junk (its id, 65535 records claimed).
run junk-host scan --format json --no-progress --timeout 1000 --ports 22,80 \
	--resolver "$ADDR:5355" --host-only nosuchhost.wachter-hostile
check junk-host "SCAN-01:no usable answer from the resolver"
[ "$(cat "$T/junk-host.rc")" = 1 ] || bad "junk-host: exit $(cat "$T/junk-host.rc"), want 1"
run junk-domain scan --format json --no-progress --timeout 1000 --ports 22,80 \
	--resolver "$ADDR:5355" nosuchhost.wachter-hostile
check junk-domain "SCAN-01:no address for the domain"
[ "$(cat "$T/junk-domain.rc")" = 1 ] || bad "junk-domain: exit $(cat "$T/junk-domain.rc"), want 1"

# An address where nothing answers: every scanned port drops SYNs.
run silent scan --format json --no-progress --timeout 1000 --retries 1 \
	--ports 21,22,25,80,443,8080 "$SILENT"
check silent SCAN-02

kill "$peers" 2>/dev/null && wait "$peers" 2>/dev/null
peers=""
echo "     connections per peer: $(tail -n 1 "$T/peers.err")"
[ $fail -eq 0 ] && echo "scan_hostile: ok" || echo "scan_hostile: FAILED"
exit $fail
