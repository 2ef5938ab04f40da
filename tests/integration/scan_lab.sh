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
	python3 "$WACHTER_SRC/tests/integration/truth_compare.py" "$out/$short.json" "$truth" "$name" ||
		echo x >>"$out/failed"
done
if [ -s "$out/failed" ]; then
	echo "scan_lab: $(wc -l <"$out/failed") host(s) failed"
	exit 1
fi
echo "scan_lab: every lab host matches its ground truth"
