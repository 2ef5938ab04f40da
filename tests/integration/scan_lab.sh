#!/bin/sh
# scan_lab.sh: scan every lab host with `wachter scan` and compare with its
# ground truth (tests/lab/truth/<host>.tsv): every planted finding must be
# found, and nothing else (a "?ID" line allows an ID without requiring it).
# Good twins have empty truth files: they must produce no finding at all.
set -u
: "${WACHTER:?}" "${WACHTER_SRC:?}"
LABSRC="$WACHTER_SRC/tests/lab"
out=$(mktemp -d "${TMPDIR:-/tmp}/scan_lab.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

"$LABSRC/up" >"$out/up.log" 2>&1 || { cat "$out/up.log"; echo "FAIL: lab did not come up"; exit 1; }
. "$LABSRC/lib.sh"
CA="$LAB/ca/ca.pem"

grep -v '^#' "$LABSRC/hosts.tsv" | while IFS='	' read -r addr name role twin ports; do
	[ -n "$addr" ] || continue
	short=${name%%.*}
	truth="$LABSRC/truth/$short.tsv"
	[ -f "$truth" ] || { echo "FAIL: no truth file for $name"; echo x >>"$out/failed"; continue; }
	# Every port of the host's role plus the top 100: closed ports must stay quiet.
	plist=top100
	[ "$ports" != "-" ] && plist="$ports,top100"
	"$WACHTER" scan --format json --no-progress --ca-file "$CA" --ports "$plist" \
		--resolve "$name:$addr" --lang en "$name" >"$out/$short.json" 2>"$out/$short.err"
	rc=$?
	if [ $rc -gt 1 ]; then
		echo "FAIL: $name: wachter scan exited $rc"; cat "$out/$short.err"
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
    cid, port = f[0], f[1]
    key = (cid.lstrip('?'), None if port in ('-', '') else int(port))
    (maybe if cid.startswith('?') else want).add(key)
got = {(f['id'], f['port']) for f in doc['findings'] if not f['id'].startswith('VULN-')}
missing = want - got
extra = got - want - maybe
name = sys.argv[3]
if missing or extra:
    for m in sorted(missing, key=str):
        print(f"FAIL: {name}: planted finding not found: {m[0]} port {m[1]}")
    for e in sorted(extra, key=str):
        det = [f.get('detail') for f in doc['findings'] if (f['id'], f['port']) == e]
        print(f"FAIL: {name}: unexpected finding: {e[0]} port {e[1]}: {det[0] if det else ''}")
    sys.exit(1)
print(f"ok: {name}: {len(want)} planted finding(s) found, nothing else"
      + (f" ({len(got & maybe)} optional)" if got & maybe else ""))
PY
done
if [ -s "$out/failed" ]; then
	echo "scan_lab: $(wc -l <"$out/failed") host(s) failed"
	exit 1
fi
echo "scan_lab: every lab host matches its ground truth"
