#!/bin/sh
# server_proxy.sh: "wachter serve" behind a real nginx (Debian's, started
# here in its own temp prefix; not the lab's) with
# serve.trusted_proxies=127.0.0.1. Clients are curl bound to distinct
# loopback addresses (127.77.9.x). Checks: the access log names each
# client, not the proxy (and the proxy as peer=); the sign-in limit counts
# per client (21+ attempts from one get 429, another still gets 401); a
# client talking to wachter directly with a forged X-Forwarded-For is
# logged with its own address; a forged X-Forwarded-For sent through nginx
# is not taken (nginx appends the real address, the rightmost wins);
# X-Forwarded-Proto: https from nginx's TLS server makes cookies Secure, a
# forged one sent directly does not. 203.0.113.9 is only a header value:
# no traffic goes to it. Run it directly, not through ctest (lab fixture).
set -u
: "${WACHTER:?WACHTER must name the wachter binary}"
: "${WACHTER_SRC:?WACHTER_SRC must name the source tree}"
. "$WACHTER_SRC/tests/integration/lib/server.sh"
command -v nginx >/dev/null || { echo "FAIL: nginx is needed"; exit 1; }
command -v openssl >/dev/null || { echo "FAIL: openssl is needed"; exit 1; }
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	[ -f "$tmp/nginx/nginx.pid" ] && kill "$(cat "$tmp/nginx/nginx.pid")" 2>/dev/null
	sleep 0.2
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
fail=0
db="sqlite:$tmp/db.sqlite"
A=127.77.9.11 # signs in too often
B=127.77.9.12 # another client
C=127.77.9.13 # talks to wachter directly, forging X-Forwarded-For
D=127.77.9.14 # forges X-Forwarded-For through nginx
E=127.77.9.15 # signs in over nginx's TLS
F=127.77.9.16 # signs in directly, forging X-Forwarded-Proto

# free_port: a TCP port nothing listens on at 127.0.0.1 (ss shows them).
free_port() {
	p=$((20000 + ($$ * 13 + $1 * 271) % 20000))
	while ss -Htln "sport = :$p" | grep -q .; do
		p=$((p + 1))
	done
	echo "$p"
}

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem \
	-out cert.pem -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	>/dev/null 2>&1 || { echo "FAIL: openssl could not make a certificate"; exit 1; }
init_operator op@example.nl
PW=$OPPW
[ -n "$PW" ] || { echo "FAIL: no operator"; cat op; exit 1; }

# config check refuses a malformed list
printf '[serve]\ntrusted_proxies = "10.0.0.1/8"\n' >bad.ini
"$WACHTER" config check bad.ini >cc.out 2>&1
check "config check: host bits set refused" $? 2
grep -q 'serve.trusted_proxies' cc.out
check "config check: names the key" $? 0
printf '[serve]\ntrusted_proxies = "127.0.0.1, ::1, 10.0.0.0/8"\n' >good.ini
"$WACHTER" config check good.ini >cc.out 2>&1
check "config check: list accepted" $? 0

U=
for try in 1 2 3 4 5 6; do
	port=$(free_port "$try")
	"$WACHTER" --store.url="$db" --log.level=debug --serve.trusted_proxies=127.0.0.1 serve \
		--listen "127.0.0.1:$port" 2>>server.log &
	pid=$!
	wait_healthz "$port" 100 && break
	kill_server
done
[ -n "$U" ] || { echo "FAIL: wachter serve did not start"; cat server.log; exit 1; }
echo "ok   wachter at $U"

mkdir -p nginx
userline=
[ "$(id -u)" = 0 ] && userline="user $(id -un);"
N=
for try in 7 8 9 10 11 12; do
	np=$(free_port "$try")
	ns=$(free_port $((try + 40)))
	[ "$np" = "$ns" ] && continue
	cat >nginx/nginx.conf <<EOF
daemon on;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log info;
$userline
events { worker_connections 64; }
http {
	access_log $tmp/nginx/access.log;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	server {
		listen 127.0.0.1:$np;
		listen 127.0.0.1:$ns ssl;
		ssl_certificate $tmp/cert.pem;
		ssl_certificate_key $tmp/key.pem;
		location / {
			proxy_pass $U;
			proxy_bind 127.0.0.1;
			proxy_set_header Host \$host;
			proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
			proxy_set_header X-Forwarded-Proto \$scheme;
			client_max_body_size 1m;
		}
	}
}
EOF
	if nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" \
		</dev/null >nginx.out 2>&1; then
		i=0
		while [ $i -lt 50 ]; do
			if curl -fs --interface 127.77.9.10 "http://127.0.0.1:$np/healthz" \
				>/dev/null 2>&1; then
				N="http://127.0.0.1:$np"
				NS="https://127.0.0.1:$ns"
				break 2
			fi
			sleep 0.1
			i=$((i + 1))
		done
		[ -f nginx/nginx.pid ] && kill "$(cat nginx/nginx.pid)" 2>/dev/null
		sleep 0.3
	fi
done
[ -n "$N" ] || { echo "FAIL: nginx did not start"; cat nginx.out nginx/error.log; exit 1; }
echo "ok   nginx at $N and $NS"

# access_line PATH: the access log line of the request for PATH
access_line() {
	grep "access .*path=\"$1\"" server.log | tail -n 1
}
# field LINE NAME: the value of NAME= in LINE ("" when absent)
field() {
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}
wait_log() {
	i=0
	while [ $i -lt 50 ] && [ -z "$(access_line "$1")" ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# 1. each client's own address in the access log, nginx as peer
for c in $A $B; do
	curl -s -o /dev/null --interface "$c" "$N/t/hello-$c"
	wait_log "/t/hello-$c"
	l=$(access_line "/t/hello-$c")
	check "through nginx: remote of $c" "$(field "$l" remote)" "$c"
	check "through nginx: peer of $c" "$(field "$l" peer)" 127.0.0.1
done

# 2. direct client with a forged X-Forwarded-For: its own address, no peer=
curl -s -o /dev/null --interface "$C" -H "X-Forwarded-For: 203.0.113.9" "$U/t/direct"
wait_log /t/direct
l=$(access_line /t/direct)
check "direct forged XFF: remote" "$(field "$l" remote)" "$C"
check "direct forged XFF: no peer=" "$(field "$l" peer)" ""
check "direct forged XFF: 203.0.113.9 not in its line" \
	"$(echo "$l" | grep -c 203.0.113.9)" 0

# 3. forged X-Forwarded-For through nginx: nginx appends D, D wins
curl -s -o /dev/null --interface "$D" -H "X-Forwarded-For: 203.0.113.9" "$N/t/forged"
wait_log /t/forged
l=$(access_line /t/forged)
check "forged XFF through nginx: remote" "$(field "$l" remote)" "$D"
check "forged XFF through nginx: peer" "$(field "$l" peer)" 127.0.0.1
grep -q 'X-Forwarded-For from trusted proxy' server.log
check "no XFF refused so far" $? 1

# 4. X-Forwarded-Proto: https from nginx's TLS server: Secure cookies
good="{\"email\":\"op@example.nl\",\"password\":\"$PW\"}"
code=$(curl -s -D h1 -o /dev/null -w '%{http_code}' --cacert cert.pem --interface "$E" \
	-X POST "$NS/api/session" --data-binary "$good")
check "sign-in over nginx TLS" "$code" 200
grep -i '^Set-Cookie: wachter_session=' h1 | grep -qi '; Secure'
check "nginx TLS (X-Forwarded-Proto https): session cookie Secure" $? 0
code=$(curl -s -D h2 -o /dev/null -w '%{http_code}' --interface "$E" \
	-X POST "$N/api/session" --data-binary "$good")
check "sign-in over nginx plain HTTP" "$code" 200
grep -i '^Set-Cookie: wachter_session=' h2 | grep -qi '; Secure'
check "nginx plain HTTP (X-Forwarded-Proto http): no Secure" $? 1
code=$(curl -s -D h3 -o /dev/null -w '%{http_code}' --interface "$F" \
	-H "X-Forwarded-Proto: https" -X POST "$U/api/session" --data-binary "$good")
check "direct sign-in with forged X-Forwarded-Proto" "$code" 200
grep -i '^Set-Cookie: wachter_session=' h3 | grep -qi '; Secure'
check "direct forged X-Forwarded-Proto: no Secure" $? 1

# 5. the sign-in limit per client: 22 bad attempts from A, then B (accounts
# that do not exist, so no account lockout gets in the way)
n401=0
n429=0
for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22; do
	code=$(curl -s -o /dev/null -w '%{http_code}' --interface "$A" -X POST "$N/api/session" \
		--data-binary "{\"email\":\"nobody$k@example.nl\",\"password\":\"wrong-password\"}")
	case $code in
	401) n401=$((n401 + 1)) ;;
	429) n429=$((n429 + 1)) ;;
	*) echo "     attempt $k from $A: $code" ;;
	esac
done
check "A: 20 attempts answered 401" "$n401" 20
check "A: the rest 429" "$n429" 2
code=$(curl -s -o /dev/null -w '%{http_code}' --interface "$B" -X POST "$N/api/session" \
	--data-binary '{"email":"someone@example.nl","password":"wrong-password"}')
check "B through the same nginx: 401, not 429" "$code" 401
grep -q "login rate limited remote=$A" server.log
check "rate limit logged with A's address" $? 0
grep -q "login rate limited remote=127.0.0.1" server.log
check "rate limit never logged with the proxy's address" $? 1

# 6. from the trusted address itself (as a proxy would): a garbage
# X-Forwarded-For is not used (the peer, one debug line); a good one is
curl -s -o /dev/null --interface 127.0.0.1 -H "X-Forwarded-For: unknown, 198.51.100.7:80" \
	"$U/t/garbage"
wait_log /t/garbage
l=$(access_line /t/garbage)
check "garbage XFF from the proxy: remote is the peer" "$(field "$l" remote)" 127.0.0.1
check "garbage XFF: debug line" \
	"$(grep -c 'X-Forwarded-For from trusted proxy 127.0.0.1 not used (not an address list)' \
		server.log)" 1
curl -s -o /dev/null --interface 127.0.0.1 -H "X-Forwarded-For: 203.0.113.9, 198.51.100.7" \
	"$U/t/trusted"
wait_log /t/trusted
l=$(access_line /t/trusted)
check "XFF from the proxy: rightmost untrusted entry" "$(field "$l" remote)" 198.51.100.7

kill "$pid"
wait "$pid"
check "graceful stop" $? 0
pid=
if [ $fail -ne 0 ]; then
	echo "--- server.log (tail)"
	tail -n 40 server.log
	echo "--- nginx error.log (tail)"
	tail -n 20 nginx/error.log
fi
exit $fail
