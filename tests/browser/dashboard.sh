#!/bin/sh
# dashboard.sh: the dashboard's browser test. Starts the lab's DNS
# (tests/lab/up, tests/lab/dns-up: idempotent; needs root) for the
# ownership check of a domain under client.test, then `wachter serve --ui`
# on a free 127.0.0.1 port with a fresh database, the lab's validating
# resolver (--scan.resolver=127.77.2.1), creates the operator,
# checks the static file server over HTTP (types, cache headers, security
# headers, fallback, traversal), then drives headless chromium through
# dashboard.spec.mjs, then selfservice.spec.mjs (sign-up, password reset,
# TOTP, API tokens, sessions, audit log, HTML escaping). The server sends
# mail (invitations, resets) to fake_smtp.mjs, a sink on another free port
# whose messages the specs read. Env: WACHTER (binary), WACHTER_SRC (repo root);
# optional CHROMIUM (default /usr/bin/chromium), KEEP=1 keeps the temp dir,
# SHOTS_ALL=1 (with KEEP=1) keeps a screenshot of every page after each step.
# Needs root, node, ui/node_modules (scripts/build-ui) and chromium.
set -u
: "${WACHTER:?set WACHTER to the wachter binary}"
: "${WACHTER_SRC:?set WACHTER_SRC to the repository root}"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
UI="$WACHTER_SRC/ui"

fail() {
	echo "dashboard: FAIL: $*" >&2
	exit 1
}

command -v node >/dev/null 2>&1 || fail "node is not installed"
command -v curl >/dev/null 2>&1 || fail "curl is not installed"
[ "$(id -u)" -eq 0 ] || fail "needs root (the lab DNS: tests/lab/dns-up, tests/lab/dns-txt)"
"$WACHTER_SRC/tests/lab/up" >/dev/null || fail "tests/lab/up failed"
ta=$("$WACHTER_SRC/tests/lab/dns-up") || fail "tests/lab/dns-up failed"
[ -f "$ta" ] || fail "tests/lab/dns-up printed no trust anchor"
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing (apt-get install chromium)"
if [ ! -f "$UI/dist/index.html" ] || [ ! -d "$UI/node_modules/playwright-core" ]; then
	"$WACHTER_SRC/scripts/build-ui" >/dev/null || fail "scripts/build-ui failed"
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/wachter-dash.XXXXXX") || exit 1
pid=
ftppid=
smtppid=
cleanup() {
	for p in $pid $ftppid $smtppid; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ "${KEEP:-0}" = 1 ]; then echo "dashboard: kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

freeport() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
port=$(freeport)
ftpport=$(freeport)
[ "$ftpport" != "$port" ] || ftpport=$(freeport)
smtpport=$(freeport)
while [ "$smtpport" = "$port" ] || [ "$smtpport" = "$ftpport" ]; do smtpport=$(freeport); done
base="http://127.0.0.1:$port"
db="sqlite:$T/wachter.db"
# The scan of 127.0.0.1 runs in the server's worker pool; scan.ports is
# only the port of a fake FTP server that allows anonymous login, so the
# scan finds exactly that (SVC-04) and touches nothing else on the
# machine. Relative default paths (knowledge base) resolve inside $T.
node "$WACHTER_SRC/tests/browser/fake_ftp.mjs" "$ftpport" &
ftppid=$!
sleep 0.3
kill -0 "$ftppid" 2>/dev/null || fail "the fake FTP server did not start"
# Mail (invitations, password resets) goes to a sink on this machine.
mkdir -p "$T/mail"
node "$WACHTER_SRC/tests/browser/fake_smtp.mjs" "$smtpport" "$T/mail" &
smtppid=$!
i=0
until node -e 'const c=require("net").connect(+process.argv[1],"127.0.0.1",()=>process.exit(0));c.on("error",()=>process.exit(1))' "$smtpport"; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "the fake SMTP server did not start"
	sleep 0.1
done
cd "$T" || exit 1

"$WACHTER" --store.url="$db" serve --init-operator operator@wachter.example >"$T/op.txt" 2>"$T/op.err" ||
	fail "init-operator: $(cat "$T/op.err")"
pw=$(sed -n 's/^password: //p' "$T/op.txt")
[ -n "$pw" ] || fail "no operator password printed"

# The ownership check of a domain asks the lab's validating unbound; domain
# scans validate DNSSEC from the lab's anchor for `test.`, not the root's.
# Every browser comes from 127.0.0.1: the two specs sign in, sign up and
# reset about 20 times within a minute, so the per-address limit is raised
# (integration/server_api proves the default of 20).
"$WACHTER" --store.url="$db" --scan.ports="$ftpport" --scan.resolver=127.77.2.1 --scan.trust_anchor="$ta" --mail.starttls=no --serve.login_rate=200 serve --listen "127.0.0.1:$port" --ui "$UI/dist" \
	--smtp-url "smtp://127.0.0.1:$smtpport" --mail-from wachter@wachter.example >"$T/server.log" 2>&1 &
pid=$!
i=0
until curl -fsS "$base/healthz" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$T/server.log" >&2; fail "server did not come up on $base"; }
	kill -0 "$pid" 2>/dev/null || { cat "$T/server.log" >&2; fail "server exited"; }
	sleep 0.1
done

# --- the static file server over HTTP --------------------------------
hdr() { # hdr PATH -> "code|content-type|cache-control|csp"
	curl -s --path-as-is -o "$T/body" -D "$T/h" "$base$1" >/dev/null
	code=$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$T/h")
	ct=$(sed -n 's/^[Cc]ontent-[Tt]ype: \(.*\)\r$/\1/p' "$T/h")
	cc=$(sed -n 's/^[Cc]ache-[Cc]ontrol: \(.*\)\r$/\1/p' "$T/h")
	csp=$(sed -n "s/^[Cc]ontent-[Ss]ecurity-[Pp]olicy: \(.*\)\r\$/\1/p" "$T/h")
	echo "$code|$ct|$cc|$csp"
}
expect() { # expect PATH CODE TYPE-PREFIX [CACHE]
	got=$(hdr "$1")
	code=${got%%|*}
	rest=${got#*|}
	ct=${rest%%|*}
	rest=${rest#*|}
	cc=${rest%%|*}
	csp=${rest#*|}
	[ "$code" = "$2" ] || fail "$1: status $code, want $2"
	case "$ct" in "$3"*) ;; *) fail "$1: Content-Type '$ct', want $3" ;; esac
	[ -z "${4:-}" ] || [ "$cc" = "$4" ] || fail "$1: Cache-Control '$cc', want '$4'"
	case "$csp" in "default-src 'self'"*) ;; *) fail "$1: no CSP ('$csp')" ;; esac
	grep -qi '^X-Content-Type-Options: nosniff' "$T/h" || fail "$1: no nosniff"
}
index_body() { cmp -s "$T/body" "$UI/dist/index.html"; }

expect / 200 text/html no-cache
index_body || fail "/ is not index.html"
expect /orgs/7/assets 200 text/html no-cache
index_body || fail "client route is not index.html"
js=$(cd "$UI/dist" && ls assets/*.js | head -n 1)
expect "/$js" 200 text/javascript "public, max-age=31536000, immutable"
cmp -s "$T/body" "$UI/dist/$js" || fail "/$js differs from the file"
expect /favicon.svg 200 image/svg+xml no-cache
expect /assets/nothere.js 404 text/plain
expect /healthz 200 application/json
expect /api/nothere 404 application/json
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/")" = 404 ] || fail "POST / is not 404"
# Traversal: never a file outside ui/dist (the fallback page at most).
echo "secret-outside-ui" >"$T/outside.txt"
for p in "/../../../../../../etc/passwd" "/..%2f..%2f..%2fetc%2fpasswd" "/%2e%2e/%2e%2e/%2e%2e/etc/passwd" \
	"/assets/..%2F..%2Fpackage.json" "/assets/%2e%2e/%2e%2e/package.json" "/..%5c..%5cpackage.json" \
	"/.gitignore" "/assets/" "/%00index.html" "/index.html%00.js"; do
	curl -s --path-as-is -o "$T/body" "$base$p"
	if grep -q "root:" "$T/body" || grep -q '"name": "wachter-ui"' "$T/body" ||
		grep -q "node_modules" "$T/body"; then
		fail "traversal: $p served a file outside ui/dist"
	fi
done
# A symlink inside ui/dist pointing out of it is not followed.
ln -s "$T/outside.txt" "$UI/dist/wachter-test-link.txt" 2>/dev/null &&
	{
		curl -s -o "$T/body" "$base/wachter-test-link.txt"
		rm -f "$UI/dist/wachter-test-link.txt"
		! grep -q secret-outside-ui "$T/body" || fail "a symlink out of ui/dist was followed"
	}
echo "dashboard: static file server ok"

# --- the browser ---------------------------------------------------------
mkdir -p "$T/profile" "$T/shots"
start=$(date +%s)
BASE="$base" OP_EMAIL=operator@wachter.example OP_PASSWORD="$pw" SHOTS="$T/shots" \
	PROFILE="$T/profile" TMPDIR="$T/profile" CHROMIUM="$CHROMIUM" UI_DIR="$UI" \
	DNS_TXT="$WACHTER_SRC/tests/lab/dns-txt" MAIL_DIR="$T/mail" \
	node "$WACHTER_SRC/tests/browser/dashboard.spec.mjs"
rc=$?
if [ $rc -eq 0 ]; then
	BASE="$base" OP_EMAIL=operator@wachter.example OP_PASSWORD="$pw" SHOTS="$T/shots" \
		PROFILE="$T/profile" TMPDIR="$T/profile" CHROMIUM="$CHROMIUM" UI_DIR="$UI" \
		MAIL_DIR="$T/mail" node "$WACHTER_SRC/tests/browser/selfservice.spec.mjs"
	rc=$?
fi
echo "dashboard: browser run took $(($(date +%s) - start)) s"
if [ $rc -ne 0 ]; then
	SHOTKEEP=$(mktemp -d "${TMPDIR:-/tmp}/wachter-dash-shots.XXXXXX")
	cp "$T"/shots/*.png "$SHOTKEEP"/ 2>/dev/null
	cp "$T/server.log" "$SHOTKEEP"/
	echo "dashboard: screenshots and server log in $SHOTKEEP" >&2
	exit 1
fi
kill -0 "$pid" 2>/dev/null || fail "the server died during the run"
# Stop it gracefully and look for sanitizer reports (ASan/UBSan builds).
kill -TERM "$pid"
wait "$pid"
src=$?
pid=
[ $src -eq 0 ] || { tail -20 "$T/server.log" >&2; fail "the server exited $src on SIGTERM"; }
if grep -E -q 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T/server.log"; then
	grep -E -A20 'Sanitizer|runtime error:' "$T/server.log" | head -60 >&2
	fail "sanitizer report in the server log"
fi
echo "dashboard: PASS"
