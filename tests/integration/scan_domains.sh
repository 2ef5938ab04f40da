#!/bin/sh
# scan_domains.sh: the full domain scan (`wachter scan <domain>`: DNS, mail,
# and the hosts of the domain, www and every MX with their ports, services,
# TLS and web checks) of every DNS lab domain (tests/lab/dns-up), compared
# with its ground truth: every planted problem found, nothing else, and no
# finding at all for dom-good.test. Prints the good domain's scan time (the
# issue's target is < 3 s on loopback; a benchmark figure, not asserted).
set -u
: "${WACHTER:?}" "${WACHTER_SRC:?}"
LABSRC="$WACHTER_SRC/tests/lab"
out=$(mktemp -d "${TMPDIR:-/tmp}/scan_domains.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

"$LABSRC/up" >"$out/up.log" 2>&1 || { tail -n 20 "$out/up.log"; echo "FAIL: lab did not come up"; exit 1; }
"$LABSRC/dns-up" >"$out/dns-up.log" 2>&1 || { tail -n 20 "$out/dns-up.log"; echo "FAIL: dns lab did not come up"; exit 1; }
. "$LABSRC/lib.sh"
CA="$LAB/ca/ca.pem"
TA="$LAB/dnsmail/test.ta"

grep -v '^#' "$LABSRC/conf/dns/domains.tsv" | cut -f1 | while read -r d; do
	[ -n "$d" ] || continue
	truth="$LABSRC/truth/$d.tsv"
	[ -f "$truth" ] || { echo "FAIL: no truth file for $d"; echo x >>"$out/failed"; continue; }
	t0=$(date +%s%N)
	"$WACHTER" scan --format json --no-progress --resolver 127.77.2.1 --trust-anchor "$TA" \
		--ca-file "$CA" --lang en "$d" >"$out/$d.json" 2>"$out/$d.err"
	rc=$?
	t1=$(date +%s%N)
	if [ $rc -gt 1 ]; then
		echo "FAIL: $d: wachter scan exited $rc"; cat "$out/$d.err"
		echo x >>"$out/failed"; continue
	fi
	python3 "$WACHTER_SRC/tests/integration/truth_compare.py" "$out/$d.json" "$truth" "$d" ||
		echo x >>"$out/failed"
	[ "$d" = dom-good.test ] &&
		echo "time: full domain scan of $d: $(((t1 - t0) / 1000000)) ms (target < 3000 ms)"
done
if [ -s "$out/failed" ]; then
	echo "scan_domains: $(wc -l <"$out/failed") domain(s) failed"
	exit 1
fi
echo "scan_domains: every lab domain matches its ground truth"
