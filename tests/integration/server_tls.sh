#!/bin/sh
# server_tls.sh: "wachter serve" with its own certificate (serve.tls_cert
# and serve.tls_key, libmicrohttpd over GnuTLS): HTTPS answers with HSTS,
# session cookies get Secure, plain HTTP on the TLS port gets nothing, and
# only one of cert/key is refused.
set -u
: "${WACHTER:?WACHTER must name the wachter binary}"
command -v openssl >/dev/null || { echo "FAIL: openssl is needed"; exit 1; }
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
fail=0
db="sqlite:$tmp/db.sqlite"

check() {
	if [ "$2" = "$3" ]; then
		echo "ok   $1"
	else
		echo "FAIL $1: got '$2', want '$3'"
		fail=1
	fi
}

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem \
	-out cert.pem -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	>/dev/null 2>&1 || { echo "FAIL: openssl could not make a certificate"; exit 1; }
"$WACHTER" --store.url="$db" serve --init-operator op@example.nl >op 2>&1
PW=$(sed -n 's/^password: //p' op)

"$WACHTER" --store.url="$db" --serve.tls-cert=cert.pem serve --listen 127.0.0.1:1 \
	>/dev/null 2>&1
check "cert without key refused" $? 2

U=
for try in 1 2 3 4 5 6 7 8; do
	port=$((21000 + ($$ * 11 + try * 137) % 9000))
	"$WACHTER" --store.url="$db" --serve.tls-cert=cert.pem --serve.tls-key=key.pem serve \
		--listen "127.0.0.1:$port" 2>>server.log &
	pid=$!
	i=0
	while [ $i -lt 100 ]; do
		if curl -fs --cacert cert.pem "https://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
			U="https://127.0.0.1:$port"
			break 2
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
done
[ -n "$U" ] || { echo "FAIL: the TLS server did not start"; cat server.log; exit 1; }
echo "ok   serving $U"

curl -s -D h -o /dev/null --cacert cert.pem "$U/healthz"
grep -qi '^Strict-Transport-Security: max-age=31536000' h
check "HSTS over TLS" $? 0
curl -s -D h2 -o /dev/null --cacert cert.pem -X POST "$U/api/session" \
	--data-binary "{\"email\":\"op@example.nl\",\"password\":\"$PW\"}"
grep -i '^Set-Cookie: wachter_session=' h2 | grep -qi 'Secure'
check "session cookie Secure" $? 0
grep -i '^Set-Cookie: wachter_session=' h2 | grep -qi 'HttpOnly'
check "session cookie HttpOnly" $? 0
grep -i '^Set-Cookie: wachter_session=' h2 | grep -qi 'SameSite=Strict'
check "session cookie SameSite" $? 0
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://${U#https://}/healthz")
check "plain HTTP on the TLS port" "$code" 000
kill "$pid"
wait "$pid"
check "graceful stop" $? 0
pid=
exit $fail
