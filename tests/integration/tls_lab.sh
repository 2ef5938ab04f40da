#!/bin/sh
# tls_lab.sh: `wachter tls` on every TLS host of the lab (tests/lab/up), by
# name and with the lab CA, compared with the TLS-/CERT- lines of its ground
# truth (tests/lab/truth/<host>.tsv): every planted finding found, nothing
# else ("?ID" allows an ID without requiring it).
set -u
: "${WACHTER:?}" "${WACHTER_SRC:?}"
LABSRC="$WACHTER_SRC/tests/lab"
out=$(mktemp -d "${TMPDIR:-/tmp}/tls_lab.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

"$LABSRC/up" >"$out/up.log" 2>&1 || { cat "$out/up.log"; echo "FAIL: lab did not come up"; exit 1; }
. "$LABSRC/lib.sh"
CA="$LAB/ca/ca.pem"
fails=0

# address port short-name starttls
while read -r addr port short st; do
	set -- --sni "$short.wachter.test" --ca-file "$CA" --format json
	[ "$st" != - ] && set -- "$@" --starttls "$st"
	"$WACHTER" tls "$addr" "$port" "$@" >"$out/$short.json" 2>"$out/$short.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: $short: wachter tls exited $rc: $(cat "$out/$short.err")"
		fails=$((fails + 1))
		continue
	fi
	jq -r '.findings[].id' "$out/$short.json" | sort -u >"$out/$short.got"
	truth="$LABSRC/truth/$short.tsv"
	grep -v '^#' "$truth" | cut -f1 | grep -E '^(TLS|CERT)-' | sort -u >"$out/$short.want"
	grep -v '^#' "$truth" | cut -f1 | grep -E '^\?(TLS|CERT)-' | tr -d '?' | sort -u >"$out/$short.maybe"
	missing=$(comm -23 "$out/$short.want" "$out/$short.got" | tr '\n' ' ')
	extra=$(comm -13 "$out/$short.want" "$out/$short.got" | comm -23 - "$out/$short.maybe" | tr '\n' ' ')
	if [ -n "$missing$extra" ]; then
		echo "FAIL: $short: missing [$missing] unexpected [$extra]"
		for id in $extra; do
			jq -r --arg id "$id" '.findings[] | select(.id == $id) | "   \(.id) \(.detail)"' "$out/$short.json"
		done
		fails=$((fails + 1))
	else
		echo "ok: $short: $(wc -l <"$out/$short.got") TLS/CERT finding(s) as planted"
	fi
done <<EOF
127.77.0.10 443 good -
127.77.0.11 443 weak-tls -
127.77.0.12 443 weak-dh -
127.77.0.13 443 null-anon -
127.77.0.20 443 expired -
127.77.0.21 443 notyet -
127.77.0.22 443 selfsigned -
127.77.0.23 443 wronghost -
127.77.0.24 443 rsa1024 -
127.77.0.25 443 sha1 -
127.77.0.26 443 nochain -
127.77.0.27 443 longlife -
127.77.0.41 21 ftp-good ftp
127.77.0.50 25 mail smtp
EOF

# the weak host's evidence: the ServerHello bytes
jq -r '.findings[] | select(.id == "TLS-04") | .evidence' "$out/weak-tls.json" 2>/dev/null |
	grep -q '^ServerHello TLSv1.0 .*: 160301' || { echo "FAIL: weak-tls: TLS-04 evidence"; fails=$((fails + 1)); }
[ "$(jq -r .report.dh_bits "$out/weak-dh.json" 2>/dev/null)" = 1024 ] ||
	{ echo "FAIL: weak-dh: DH bits $(jq -r .report.dh_bits "$out/weak-dh.json")"; fails=$((fails + 1)); }

[ $fails -eq 0 ] && echo "tls_lab: ok"
exit $((fails > 0))
