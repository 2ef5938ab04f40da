#!/bin/sh
# web_lab.sh: bring up the lab and the web lab (tests/lab/up, web-up), run
# `wachter web` against every web lab host and compare its findings with
# the ground truth (tests/lab/truth/web-*.tsv): every planted finding found,
# nothing else ("?ID" lines allowed, not required); the hardened site must
# give no finding and Observatory grade A+. Also checks the real WordPress
# when web-up could start it (the packages are installed).
set -u
: "${WACHTER:?}" "${WACHTER_SRC:?}"
LABSRC="$WACHTER_SRC/tests/lab"
out=$(mktemp -d "${TMPDIR:-/tmp}/web_lab.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

. "$LABSRC/lib.sh"
# The web lab needs only the lab's CA from tests/lab/up; another lab
# service failing to start is that service's test's business. A second
# try covers a concurrent tests/lab/down between up and web-up.
lab_ok=0
for try in 1 2 3; do
	if ! "$LABSRC/up" >"$out/up.log" 2>&1; then
		[ -f "$LAB/ca/done" ] || { tail -n 20 "$out/up.log"; echo "note: lab CA not made (try $try)"; continue; }
		echo "note: tests/lab/up failed ($(tail -n 1 "$out/up.log")); the CA is there, going on"
	fi
	if ! "$LABSRC/web-up" >"$out/web-up.log" 2>&1; then
		cat "$out/web-up.log"
		echo "note: web-up failed (try $try)"
		continue
	fi
	# A shared lock on the lab while we scan: a concurrent tests/lab/down
	# (exclusive) waits for us instead of pulling the servers away.
	exec 9>"$LAB.lock"
	flock -s -w 300 9 || { echo "FAIL: cannot share the lab lock"; exit 1; }
	if pid_alive "$LAB/run/web-nginx.pid"; then
		lab_ok=1
		break
	fi
	exec 9>&-
	echo "note: the web lab went away before the scan (try $try)"
done
[ "$lab_ok" -eq 1 ] || { echo "FAIL: web lab did not come up"; exit 1; }
CA="$LAB/ca/ca.pem"
CMS="$WACHTER_SRC/data/cms-versions.tsv"

wp_installed=1
for p in wordpress php-fpm php-mysql; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || wp_installed=0
done

grep -v '^#' "$LABSRC/conf/web/hosts.tsv" | while IFS='	' read -r addr name planted; do
	[ -n "$addr" ] || continue
	short=${name%%.*}
	if [ "$short" = web-wp ]; then
		if [ "$wp_installed" -eq 0 ]; then
			echo "note: $name not checked: wordpress/php-fpm/php-mysql not installed"
			continue
		fi
		[ -f "$LAB/web/wp-up" ] || { echo "FAIL: WordPress installed but web-up did not start it"; echo x >>"$out/failed"; continue; }
	fi
	truth="$LABSRC/truth/$short.tsv"
	[ -f "$truth" ] || { echo "FAIL: no truth file for $name"; echo x >>"$out/failed"; continue; }
	"$WACHTER" web "$name" --addr "$addr" --ca-file "$CA" --cms-versions "$CMS" \
		--format json >"$out/$short.json" 2>"$out/$short.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: $name: wachter web exited $rc"; cat "$out/$short.err"
		echo x >>"$out/failed"; continue
	fi
	python3 - "$out/$short.json" "$truth" "$name" <<'PY' || echo x >>"$out/failed"
import json, sys
doc = json.load(open(sys.argv[1]))
want, maybe = set(), set()
for line in open(sys.argv[2]):
    if not line.strip() or line.startswith('#'):
        continue
    f = line.rstrip('\n').split('\t')
    key = (f[0].lstrip('?'), int(f[1]))
    (maybe if f[0].startswith('?') else want).add(key)
got = {(f['id'], f['port']) for f in doc['findings']}
missing, extra = want - got, got - want - maybe
name, rep = sys.argv[3], doc['report']
bad = False
for m in sorted(missing):
    print(f"FAIL: {name}: planted finding not found: {m[0]} port {m[1]}")
    bad = True
for e in sorted(extra):
    det = [f['detail'] for f in doc['findings'] if (f['id'], f['port']) == e]
    print(f"FAIL: {name}: unexpected finding: {e[0]} port {e[1]}: {det[0]}")
    bad = True
if not rep['http'] or not rep['https'] or not rep['https_cert_ok']:
    print(f"FAIL: {name}: http/https not both reachable with a trusted certificate")
    bad = True
if name.startswith('web-good.') and (rep['grade'] != 'A+' or rep['score'] < 100):
    print(f"FAIL: {name}: hardened site scored {rep['score']} {rep['grade']}, want A+")
    bad = True
if name.startswith('web-weak.') and rep['grade'] != 'F':
    print(f"FAIL: {name}: weak site scored {rep['score']} {rep['grade']}, want F")
    bad = True
if bad:
    sys.exit(1)
print(f"ok: {name}: {len(want)} planted finding(s) found, nothing else; "
      f"Observatory {rep['score']} {rep['grade']}; {rep['requests']} requests")
PY
done
if [ -s "$out/failed" ]; then
	echo "web_lab: $(wc -l <"$out/failed") host(s) failed"
	exit 1
fi
echo "web_lab: every web lab host matches its ground truth"
