#!/bin/sh
# svc_devices.sh: SVC-10 end to end. Bring up the lab (for its CA) and the
# device lab (tests/lab/devices-up: static copies of device login pages on
# 127.77.3.0/24), scan every device lab host with `wachter scan` on its
# ports and compare with its ground truth (tests/lab/truth/dev-*.tsv):
# every planted finding found, nothing else; the good twin (a company
# site that merely names the products) must give no finding at all.
set -u
: "${WACHTER:?}" "${WACHTER_SRC:?}"
LABSRC="$WACHTER_SRC/tests/lab"
out=$(mktemp -d "${TMPDIR:-/tmp}/svc_devices.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

. "$LABSRC/lib.sh"
# The device lab needs only the lab's CA from tests/lab/up; another lab
# service failing to start is that service's test's business. A second
# try covers a concurrent tests/lab/down between up and devices-up.
lab_ok=0
for try in 1 2 3; do
	if ! "$LABSRC/up" >"$out/up.log" 2>&1; then
		[ -f "$LAB/ca/done" ] || { tail -n 20 "$out/up.log"; echo "note: lab CA not made (try $try)"; continue; }
		echo "note: tests/lab/up failed ($(tail -n 1 "$out/up.log")); the CA is there, going on"
	fi
	if ! "$LABSRC/devices-up" >"$out/devices-up.log" 2>&1; then
		cat "$out/devices-up.log"
		echo "note: devices-up failed (try $try)"
		continue
	fi
	# A shared lock while we scan: a concurrent tests/lab/down
	# (exclusive) waits for us instead of pulling the servers away.
	exec 9>"$LAB_LOCK"
	flock -s -w 300 9 || { echo "FAIL: cannot share the lab lock"; exit 1; }
	if pid_alive "$LAB/run/dev-nginx.pid"; then
		lab_ok=1
		break
	fi
	exec 9>&-
	echo "note: the device lab went away before the scan (try $try)"
done
[ "$lab_ok" -eq 1 ] || { echo "FAIL: device lab did not come up"; exit 1; }
CA="$LAB/ca/ca.pem"

n=0
grep -v '^#' "$LABSRC/conf/devices/hosts.tsv" | while IFS='	' read -r addr name role twin ports; do
	[ -n "$addr" ] || continue
	short=${name%%.*}
	truth="$LABSRC/truth/$short.tsv"
	[ -f "$truth" ] || { echo "FAIL: no truth file for $name"; echo x >>"$out/failed"; continue; }
	"$WACHTER" scan --format json --no-progress --ca-file "$CA" --ports "$ports" \
		--resolve "$name:$addr" --lang en "$name" >"$out/$short.json" 2>"$out/$short.err"
	rc=$?
	if [ $rc -gt 1 ]; then
		echo "FAIL: $name: wachter scan exited $rc"; tail -n 20 "$out/$short.err"
		echo x >>"$out/failed"; continue
	fi
	python3 "$WACHTER_SRC/tests/integration/truth_compare.py" "$out/$short.json" "$truth" "$name" ||
		echo x >>"$out/failed"
	# The evidence must show what matched.
	if grep -q '^SVC-10' "$truth"; then
		python3 - "$out/$short.json" "$name" <<'PY' || echo x >>"$out/failed"
import json, sys
doc, name = json.load(open(sys.argv[1])), sys.argv[2]
bad = [f for f in doc['findings'] if f['id'] == 'SVC-10'
       and ('matched' not in (f.get('evidence') or '')
            or 'management interface reachable' not in f['detail'])]
for f in bad:
    print(f"FAIL: {name}: SVC-10 port {f['port']} without matched evidence: {f.get('evidence')}")
sys.exit(1 if bad else 0)
PY
	fi
	echo x >>"$out/scanned"
done
if [ -s "$out/failed" ]; then
	echo "svc_devices: $(wc -l <"$out/failed") host(s) failed"
	exit 1
fi
[ "$(wc -l <"$out/scanned" 2>/dev/null || echo 0)" -ge 6 ] || { echo "FAIL: fewer than 6 device lab hosts scanned"; exit 1; }
echo "svc_devices: every device lab host matches its ground truth"
