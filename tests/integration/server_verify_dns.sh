#!/bin/sh
# server_verify_dns.sh: ownership verification of a domain asset through
# real DNS. "wachter serve" asks the lab's validating unbound (127.77.2.1,
# tests/lab/dns-up) for the TXT record of a fresh name under client.test,
# which tests/lab/dns-txt publishes in knot: before the token is published
# the check fails with a clear message and a scan is refused; a wrong token
# fails; the right token verifies the asset, and then a scan starts and
# finishes. Needs root (dns-txt rewrites the lab's zone).
set -u
: "${WACHTER:?WACHTER must name the wachter binary}"
SRC=${WACHTER_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/integration/lib/server.sh"
need curl
need python3
[ "$(id -u)" -eq 0 ] || { echo "FAIL: needs root (tests/lab/dns-txt)"; exit 1; }
"$SRC/tests/lab/up" >/dev/null || { echo "FAIL: tests/lab/up"; exit 1; }
"$SRC/tests/lab/dns-up" >/dev/null || { echo "FAIL: tests/lab/dns-up"; exit 1; }

tmp=$(mktemp -d)
pid=
# A name of our own: tests running at the same time do not meet.
NAME="v$$-$(date +%s).client.test"
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	"$SRC/tests/lab/dns-txt" clear "$NAME" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
fail=0
db="sqlite:$tmp/db.sqlite"
port_mul=13 port_step=139

txt() { # txt set NAME TEXT | clear NAME
	"$SRC/tests/lab/dns-txt" "$@" || { echo "FAIL: tests/lab/dns-txt $*"; exit 1; }
}

init_operator op@example.nl
start --scan.resolver=127.77.2.1 --scan.ports=80,443
echo "ok   serving $U, resolver 127.77.2.1, asset $NAME"
login "$tmp/op.jar" op@example.nl "$OPPW"
OPCSRF=$CSRF
check "create org" "$(req "$tmp/op.jar" "$OPCSRF" POST /api/orgs '{"name":"Klant BV"}')" 201
ORG=$(json "$tmp/body" "d['id']")
invite "invite admin" "accept invitation" "$ORG" admin@klant.example admin \
	klant-admin-password
login "$tmp/a.jar" admin@klant.example klant-admin-password
A=$CSRF

check "add domain asset" "$(req "$tmp/a.jar" "$A" POST "/api/orgs/$ORG/assets" \
	"{\"kind\":\"domain\",\"value\":\"$NAME\"}")" 201
ASSET=$(json "$tmp/body" "d['id']")
RECORD=$(json "$tmp/body" "d['verify']['dns_txt']")
case $RECORD in
wachter-verify=?*) echo "ok   record to publish: $RECORD" ;;
*) check "record to publish" "$RECORD" "wachter-verify=<token>" ;;
esac

# Nothing published yet.
txt clear "$NAME"
check "verify before publishing" "$(req "$tmp/a.jar" "$A" POST "/api/assets/$ASSET/verify" \
	'{"method":"dns"}')" 422
check "message before publishing" "$(json "$tmp/body" "d['error']")" \
	"the verification token was not found"
check "scan of an unverified asset" "$(req "$tmp/a.jar" "$A" POST "/api/assets/$ASSET/scans")" 409
check "message of the refused scan" "$(json "$tmp/body" "d['error']")" \
	"verify the ownership of the asset first"

# A TXT record with another token.
txt set "$NAME" "wachter-verify=not-the-token-${RECORD#wachter-verify=}"
check "verify with a wrong token" "$(req "$tmp/a.jar" "$A" POST "/api/assets/$ASSET/verify" \
	'{"method":"dns"}')" 422
check "message with a wrong token" "$(json "$tmp/body" "d['error']")" \
	"the verification token was not found"
# The right token on another name does not count.
txt set "www.$NAME" "$RECORD"
check "token on another name" "$(req "$tmp/a.jar" "$A" POST "/api/assets/$ASSET/verify" \
	'{"method":"dns"}')" 422
txt clear "www.$NAME"
check "still refused to scan" "$(req "$tmp/a.jar" "$A" POST "/api/assets/$ASSET/scans")" 409

# Published: the check passes through the validating resolver.
txt set "$NAME" "$RECORD"
check "verify after publishing" "$(req "$tmp/a.jar" "$A" POST "/api/assets/$ASSET/verify" \
	'{"method":"dns"}')" 200
check "verified" "$(json "$tmp/body" "d['verified']")" True
check "method" "$(json "$tmp/body" "d['method']")" dns
req "$tmp/a.jar" "$A" GET "/api/orgs/$ORG/assets" >/dev/null
check "asset listed as verified by dns" \
	"$(json "$tmp/body" "[a['verify_method'] for a in d if a['id'] == $ASSET]")" "['dns']"

check "start scan" "$(req "$tmp/a.jar" "$A" POST "/api/assets/$ASSET/scans")" 202
SCAN=$(json "$tmp/body" "d['scan_id']")
i=0
status=
while [ $i -lt 600 ]; do
	req "$tmp/a.jar" "$A" GET "/api/scans/$SCAN" >/dev/null
	status=$(json "$tmp/body" "d['status']")
	case $status in done | incomplete | failed | canceled) break ;; esac
	sleep 0.2
	i=$((i + 1))
done
case $status in
done | incomplete) echo "ok   scan $SCAN ended $status" ;;
*) check "scan ended" "$status" "done or incomplete" ;;
esac

# The server asked the resolver, not anything else: its log names no error.
if grep -q 'verification resolver failed' "$tmp/server.log"; then
	echo "FAIL: resolver errors in the server log"
	grep 'verification resolver failed' "$tmp/server.log"
	fail=1
fi
kill "$pid"
wait "$pid"
check "graceful stop" $? 0
pid=
exit $fail
