#!/bin/sh
# run_main.sh: `make run`'s script (scripts/run-main) with a temporary VAR,
# no feeds and a free port: it migrates, seeds the operator and the demo
# company "Demo B.V." (passwords printed once) and execs `wachter serve
# --demo`, which scans 127.0.0.1 from the worker pool. Signed in as the
# printed demo admin, the scan ends done/incomplete and its findings
# answer; SIGTERM stops it with exit 0; a second run prints no password,
# adds no second organisation and queues no second scan within the hour;
# --reset-password hands out a new password that signs in.
# Needs no lab; sends nothing beyond 127.0.0.1.
set -u
: "${WACHTER:?WACHTER must name the wachter binary}"
: "${WACHTER_SRC:?WACHTER_SRC must name the source tree}"
. "$WACHTER_SRC/tests/integration/lib/server.sh"
need curl
need python3
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
fail=0
VAR="$tmp/var"
db="sqlite:$VAR/wachter.db"

# run N: scripts/run-main in the background on a free port (the scan looks
# only at that port and 22 of 127.0.0.1); output in $tmp/outN, errN; sets
# pid (the server: run-main execs it), port and U.
run() {
	for try in 1 2 3 4 5 6 7 8; do
		port=$((21000 + ($$ * 11 + try * 137) % 9000))
		if curl -s -m 2 -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
			continue # taken
		fi
		BUILD_UI=no PORT=$port WACHTER_SCAN_PORTS="22,$port" WACHTER_LOG_LEVEL=info \
			sh "$WACHTER_SRC/scripts/run-main" "$WACHTER" "$VAR" "$tmp/no-feeds" \
			>"$tmp/out$1" 2>"$tmp/err$1" &
		pid=$!
		# hang guard: 60 s (migrate, argon2id under ASan)
		if wait_healthz "$port" 600; then
			# The start-up lines come right after the server listens.
			j=0
			while [ $j -lt 100 ] && ! grep -q '^demo: serving' "$tmp/out$1"; do
				sleep 0.1
				j=$((j + 1))
			done
			return 0
		fi
		kill_server
		grep -q 'cannot listen' "$tmp/err$1" || break
	done
	echo "FAIL: run-main did not start the server"
	cat "$tmp/out$1" "$tmp/err$1"
	exit 1
}

# login JAR EMAIL PASSWORD: the status code (only GETs follow: no CSRF);
# replaces the library's login, which checks the code and reads the CSRF token
login() {
	curl -s -o "$tmp/login" -w '%{http_code}' -c "$1" -X POST "$U/api/session" \
		--data-binary "{\"email\":\"$2\",\"password\":\"$3\"}"
}

# get JAR PATH: status code; body in $tmp/body
get() {
	curl -s -o "$tmp/body" -w '%{http_code}' -b "$1" "$U$2"
}

# stop: SIGTERM to the server; its exit status
stop() {
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	pid=
	return $rc
}

# ---- first run: accounts created, passwords printed once, scan queued
run 1
sed -n 's/^demo: operator \([^ ]*\) created, password: \([^ ]*\) (shown once)$/\1 \2/p' \
	"$tmp/out1" >"$tmp/op"
sed -n 's/^demo: company admin of Demo B\.V\. \([^ ]*\) created, password: \([^ ]*\) (shown once)$/\1 \2/p' \
	"$tmp/out1" >"$tmp/admin"
read -r OPMAIL OPPW <"$tmp/op" || true
read -r ADMAIL ADPW <"$tmp/admin" || true
check "operator password printed" "$(printf %s "${OPPW:-}" | wc -c)" 43
check "demo admin password printed" "$(printf %s "${ADPW:-}" | wc -c)" 43
SCAN=$(sed -n 's/^demo: scan \([0-9]*\) of 127\.0\.0\.1 queued.*/\1/p' "$tmp/out1")
check "demo scan queued" "${SCAN:+yes}" yes
grep -q "^demo: serving http://127.0.0.1:$port/" "$tmp/out1"
check "URL printed" $? 0
if grep -q "${ADPW:-none}" "$tmp/err1"; then check "no password in the log" leaked clean; fi

check "demo admin signs in" "$(login "$tmp/admin.jar" "${ADMAIL:-}" "${ADPW:-}")" 200
check "operator signs in" "$(login "$tmp/op.jar" "${OPMAIL:-}" "${OPPW:-}")" 200
get "$tmp/admin.jar" /api/orgs >/dev/null
check "admin sees Demo B.V." "$(json "$tmp/body" "[(o['name'], o['sector'], o['size_class']) for o in d]")" \
	"[('Demo B.V.', 'M', 'micro')]"
ORG=$(json "$tmp/body" "d[0]['id']")
get "$tmp/admin.jar" "/api/orgs/$ORG/assets" >/dev/null
check "verified asset 127.0.0.1" \
	"$(json "$tmp/body" "[(a['kind'], a['value'], a['verify_method'], a['verified_at'] is not None) for a in d]")" \
	"[('host', '127.0.0.1', 'operator', True)]"
sqlite3 "$VAR/wachter.db" "SELECT detail FROM audit_log WHERE action = 'verify'" 2>/dev/null |
	grep -q 'seeded for the demo'
check "audit row: seeded for the demo" $? 0

# The scan runs in the server's worker pool; poll (hang guard 120 s).
status=
i=0
while [ $i -lt 600 ] && [ -n "$SCAN" ]; do
	get "$tmp/admin.jar" "/api/scans/$SCAN" >/dev/null
	status=$(json "$tmp/body" "d['status']")
	case $status in done | incomplete | failed | canceled) break ;; esac
	sleep 0.2
	i=$((i + 1))
done
case $status in done | incomplete) status=finished ;; esac
check "demo scan finished (done/incomplete)" "$status" finished
check "findings answer" "$(get "$tmp/admin.jar" "/api/scans/${SCAN:-0}/findings")" 200
check "findings are a list" "$(json "$tmp/body" "type(d['findings'] if isinstance(d, dict) else d).__name__")" list
stop
check "SIGTERM: exit 0" $? 0

# ---- second run: nothing new
run 2
grep -q 'shown once\|created, password' "$tmp/out2"
check "second run prints no password" $? 1
grep -q "^demo: operator ${OPMAIL:-x} exists" "$tmp/out2"
check "second run: operator exists" $? 0
check "second run: no new scan within the hour" \
	"$(sed -n 's/^demo: scan \([0-9]*\) of 127\.0\.0\.1 finished within the last hour.*/\1/p' "$tmp/out2")" \
	"${SCAN:-}"
check "first password still signs in" "$(login "$tmp/admin.jar" "${ADMAIL:-}" "${ADPW:-}")" 200
login "$tmp/op.jar" "${OPMAIL:-}" "${OPPW:-}" >/dev/null
get "$tmp/op.jar" /api/orgs >/dev/null
check "one organisation (operator's view)" "$(json "$tmp/body" "[o['name'] for o in d]")" "['Demo B.V.']"
check "users, orgs, assets, scans" \
	"$(sqlite3 "$VAR/wachter.db" "SELECT (SELECT count(*) FROM users) || ' ' || (SELECT count(*) FROM organisations) || ' ' || (SELECT count(*) FROM assets) || ' ' || (SELECT count(*) FROM scans)" 2>/dev/null)" \
	"2 1 1 1"

# A new password for the demo admin, while the server runs.
"$WACHTER" --store.url="$db" serve --reset-password "${ADMAIL:-x}" >"$tmp/reset" 2>&1
check "reset-password exit" $? 0
NEWPW=$(sed -n 's/^.*: new password: //p' "$tmp/reset")
check "new password signs in" "$(login "$tmp/new.jar" "${ADMAIL:-}" "$NEWPW")" 200
check "old password refused" "$(login "$tmp/old.jar" "${ADMAIL:-}" "${ADPW:-}")" 401
"$WACHTER" --store.url="$db" serve --reset-password nobody@example.nl >/dev/null 2>&1
check "reset-password of no account" $? 2
stop
check "SIGTERM: exit 0 (second run)" $? 0

if [ $fail -ne 0 ]; then
	echo "--- run 1"; cat "$tmp/out1"; tail -30 "$tmp/err1"
	echo "--- run 2"; cat "$tmp/out2" 2>/dev/null; tail -30 "$tmp/err2" 2>/dev/null
fi
exit $fail
