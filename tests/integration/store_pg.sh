#!/bin/sh
# store_pg.sh: wachter on PostgreSQL. Starts a private PostgreSQL cluster
# (initdb + pg_ctl as the postgres user, trust auth, listening only on
# 127.0.0.1 at a free port and on a unix socket in a temporary directory),
# then: db status / db migrate over TCP and over the socket, the backend
# unit tests (test_store_pg) and the API and sign-in unit tests on
# PostgreSQL (test_api_pg, test_auth_pg) against it, a scan --save of the cluster's own
# port with the stored rows compared to the JSON report, and the essentials of
# server_api.sh (sign-in, organisations, assets, a scan from the pool, the
# findings list, tenant refusal) with the postgres URL. The cluster is
# stopped and removed on exit. Prints which parts ran; fails if any did.
set -u
: "${WACHTER:?WACHTER must name the wachter binary}"
: "${WACHTER_SRC:?WACHTER_SRC must name the source tree}"
. "$WACHTER_SRC/tests/integration/lib/server.sh"
tmp=$(mktemp -d)
pid=
pgbin=
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && pgbin=$d
done
if [ -z "$pgbin" ]; then
	echo "FAIL: no PostgreSQL server binaries (scripts/install-deps test installs postgresql)"
	exit 1
fi
need curl
need python3

# as_pg CMD...: run a PostgreSQL tool as the postgres user when we are root
# (the server refuses to run as root), as ourselves otherwise.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pgdata="$tmp/pg/data"
started_pg=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	if [ -n "$started_pg" ]; then
		as_pg "$pgbin/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$tmp" || exit 1
fail=0
parts=

# ----------------------------------------------------------- the cluster
mkdir -p "$tmp/pg" && chmod 755 "$tmp" && chown -R postgres "$tmp/pg" 2>/dev/null
if ! as_pg "$pgbin/initdb" -D "$pgdata" -U wachter -A trust -E UTF8 --no-locale \
	>"$tmp/pg/initdb.log" 2>&1; then
	echo "FAIL: initdb"; cat "$tmp/pg/initdb.log"; exit 1
fi
pgport=
for try in 1 2 3 4 5 6 7 8; do
	p=$((31000 + ($$ * 13 + try * 167) % 9000))
	if as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$tmp/pg/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -c port=$p -c unix_socket_directories=$tmp/pg -c fsync=off -c max_connections=60" \
		start >/dev/null 2>&1; then
		pgport=$p
		started_pg=1
		break
	fi
done
if [ -z "$pgport" ]; then
	echo "FAIL: the PostgreSQL server did not start"; tail -20 "$tmp/pg/server.log"; exit 1
fi
if ! as_pg "$pgbin/createdb" -h "$tmp/pg" -p "$pgport" -U wachter wachter; then
	echo "FAIL: createdb"; exit 1
fi
pgver=$("$pgbin/postgres" --version)
echo "ok   private cluster: $pgver on 127.0.0.1:$pgport and $tmp/pg"
db="postgres://wachter@127.0.0.1:$pgport/wachter"
sockdb="postgresql://wachter@/wachter?host=$tmp/pg&port=$pgport"
psql_() { as_pg "$pgbin/psql" -X -q -A -t -h "$tmp/pg" -p "$pgport" -U wachter wachter -c "$1"; }

# ------------------------------------------------------ migrate / status
"$WACHTER" --store.url="$db" db status >"$tmp/st0" 2>&1
check "status before migrate" $? 0
grep -q "state: migrations pending" "$tmp/st0"
check "status says pending" $? 0
"$WACHTER" --store.url="$db" db migrate >"$tmp/mig" 2>&1
check "db migrate" $? 0
latest=$(sed -n 's/.*migrated from schema version 0 to \([0-9]*\)$/\1/p' "$tmp/mig")
check "migrated from 0" "$([ -n "$latest" ] && [ "$latest" -ge 2 ] && echo yes)" yes
"$WACHTER" --store.url="$db" db migrate >"$tmp/mig2" 2>&1
check "db migrate again" $? 0
grep -q "is up to date at schema version $latest" "$tmp/mig2"
check "second migrate is a no-op" $? 0
"$WACHTER" --store.url="$sockdb" db status >"$tmp/st1" 2>&1
check "status over the unix socket" $? 0
grep -q "^backend: postgres$" "$tmp/st1" && grep -q "state: up to date" "$tmp/st1" &&
	grep -q "schema version: $latest (latest known: $latest)" "$tmp/st1"
check "status up to date" $? 0
check "schema_version rows" "$(psql_ 'SELECT COUNT(*) FROM schema_version')" "$latest"
check "identity ids" "$(psql_ "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'findings' AND column_name = 'id' AND is_identity = 'YES'")" 1
"$WACHTER" --store.url="postgres://wachter@127.0.0.1:$pgport/no_such_db" db status >"$tmp/st2" 2>&1
check "missing database fails" "$([ $? -ne 0 ] && echo yes)" yes
grep -q "error: cannot open postgres database: .*no_such_db" "$tmp/st2"
check "missing database message" $? 0
# Three processes migrating one empty database at once: the writer lock
# lets one apply each step; the others find it done.
as_pg "$pgbin/createdb" -h "$tmp/pg" -p "$pgport" -U wachter wachter_par
par="postgres://wachter@127.0.0.1:$pgport/wachter_par"
for n in 1 2 3; do
	"$WACHTER" --store.url="$par" db migrate >"$tmp/par$n" 2>&1 &
	eval ppid$n=\$!
done
for n in 1 2 3; do
	eval wait \$ppid$n
	check "parallel migrate $n" $? 0
done
check "parallel migrate: one row per version" "$(as_pg "$pgbin/psql" -X -A -t -h "$tmp/pg" \
	-p "$pgport" -U wachter wachter_par -c 'SELECT COUNT(*), MAX(version) FROM schema_version')" \
	"$latest|$latest"
parts="$parts migrate"

# ----------------------------------- unit tests against the cluster
# test_store_pg: the backend itself; the *_pg wrappers: the API, sign-in,
# account and audit log, statement cache and demo seeding unit tests again on PostgreSQL.
for t in test_store_pg test_api_pg test_api_account_pg test_auth_pg test_store_cache_pg test_server_demo_pg; do
	if [ -z "${WACHTER_BUILD:-}" ] || [ ! -x "$WACHTER_BUILD/$t" ]; then
		echo "FAIL $t: not built (WACHTER_BUILD=${WACHTER_BUILD:-unset})"
		fail=1
		continue
	fi
	WACHTER_TEST_PG_URL="$db" "$WACHTER_BUILD/$t" >"$tmp/$t.log" 2>&1
	rc=$?
	check "$t against the cluster" $rc 0
	grep -q "SKIPPED\|skipped" "$tmp/$t.log"
	check "$t: nothing skipped" $? 1
	[ $rc -eq 0 ] || grep -v '^\[ RUN\|^\[       OK' "$tmp/$t.log" | tail -30
	parts="$parts $t"
done

# ------------------------------------------------------------ scan --save
# The loopback target is the cluster itself: an exposed database (SVC-05)
# is a finding that does not depend on the lab.
target=127.0.0.1
# The URL carries a password (trust auth ignores it): it must not show.
pwdb="postgres://wachter:pw-must-not-show@127.0.0.1:$pgport/wachter"
"$WACHTER" --store.url="$pwdb" scan --save --no-progress --format json --ports "$pgport" \
	"$target" >"$tmp/scan.json" 2>"$tmp/scan.err"
rc=$?
"$WACHTER" --store.url="$pwdb" db status >>"$tmp/scan.err" 2>&1
check "db status with a password in the URL" $? 0
grep -q "pw-must-not-show" "$tmp/scan.err" "$tmp/scan.json"
check "password not printed" $? 1
check "scan --save of $target exit (0 or 1)" "$([ $rc -le 1 ] && echo yes)" yes
grep -q "saved as scan 1 in postgres://" "$tmp/scan.err"
check "scan saved" $? 0
nf=$(json "$tmp/scan.json" "len(d['findings'])")
check "findings in the report" "$([ -n "$nf" ] && [ "$nf" -ge 1 ] && echo yes)" yes
check "SVC-05 stored" "$(psql_ "SELECT COUNT(*) FROM findings WHERE scan_id = 1 AND check_id = 'SVC-05' AND port = $pgport")" 1
check "scan row" "$(psql_ "SELECT target || ' ' || status FROM scans WHERE id = 1")" "$target done"
check "finding rows = report" "$(psql_ 'SELECT COUNT(*) FROM findings WHERE scan_id = 1')" "$nf"
check "report check ids stored" "$(psql_ "SELECT string_agg(check_id, ',' ORDER BY check_id) FROM findings WHERE scan_id = 1")" \
	"$(json "$tmp/scan.json" "','.join(sorted(f['id'] for f in d['findings']))")"
parts="$parts scan-save"

# ------------------------------------------------------- the API on PG
init_operator op@example.nl
check "init-operator" $? 0
"$WACHTER" --store.url="$db" serve --init-operator op@example.nl >/dev/null 2>&1
check "init-operator twice" $? 2

start --scan.ports=21000-30000
login "$tmp/op.jar" op@example.nl "$OPPW"
OPCSRF=$CSRF
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$U/api/session" \
	--data-binary '{"email":"op@example.nl","password":"wrong-password"}')
check "wrong password" "$code" 401
check "create org A" "$(req "$tmp/op.jar" "$OPCSRF" POST /api/orgs \
	'{"name":"Bakkerij \"Jansen\" '"'"'s <b>","kvk":"12345678","sector":"G","size_class":"small"}')" 201
A=$(json "$tmp/body" "d['id']")
check "create org B" "$(req "$tmp/op.jar" "$OPCSRF" POST /api/orgs '{"name":"Garage B"}')" 201
B=$(json "$tmp/body" "d['id']")
for o in A B; do
	eval id=\$$o
	invite "invite admin $o" "accept invitation $o" "$id" "admin-$o@example.nl" admin \
		"secret-$o-password"
	login "$tmp/$o.jar" "admin-$o@example.nl" "secret-$o-password"
	eval CSRF_$o=\$CSRF
done
req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs/$A" >/dev/null
check "name with quotes kept" "$(json "$tmp/body" "d['name']")" "Bakkerij \"Jansen\" 's <b>"
check "A reads A" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs/$A")" 200
check "A reads B" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs/$B")" 404
check "B reads A" "$(req "$tmp/B.jar" "$CSRF_B" GET "/api/orgs/$A")" 404
check "A lists only A" "$(req "$tmp/A.jar" "$CSRF_A" GET /api/orgs >/dev/null; json "$tmp/body" "[o['id'] for o in d]")" "[$A]"
check "operator lists both" "$(req "$tmp/op.jar" "$OPCSRF" GET /api/orgs >/dev/null; json "$tmp/body" "sorted(o['id'] for o in d)")" "[$A, $B]"
check "A adds asset" "$(req "$tmp/A.jar" "$CSRF_A" POST "/api/orgs/$A/assets" \
	'{"kind":"domain","value":"bakkerij.example.nl"}')" 201
check "A adds it twice" "$(req "$tmp/A.jar" "$CSRF_A" POST "/api/orgs/$A/assets" \
	'{"kind":"domain","value":"bakkerij.example.nl"}')" 409
check "B adds asset to A" "$(req "$tmp/B.jar" "$CSRF_B" POST "/api/orgs/$A/assets" \
	'{"kind":"domain","value":"evil.example.nl"}')" 404
check "B lists A's assets" "$(req "$tmp/B.jar" "$CSRF_B" GET "/api/orgs/$A/assets")" 404
check "B reads A's members" "$(req "$tmp/B.jar" "$CSRF_B" GET "/api/orgs/$A/members")" 404
check "A reads A's members" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs/$A/members")" 200
check "anonymous" "$(req /dev/null x GET "/api/orgs/$A")" 401
check "create token" "$(req "$tmp/A.jar" "$CSRF_A" POST /api/tokens '{"name":"ci"}')" 201
TOKEN=$(json "$tmp/body" "d['token']")
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$U/api/me")
check "bearer me" "$code" 200
check "bearer me email" "$(json "$tmp/body" "d['email']")" "admin-A@example.nl"

check "add host asset" "$(req "$tmp/A.jar" "$CSRF_A" POST "/api/orgs/$A/assets" \
	'{"kind":"host","value":"127.0.0.1"}')" 201
HOST=$(json "$tmp/body" "d['id']")
check "scan unverified asset" "$(req "$tmp/A.jar" "$CSRF_A" POST "/api/assets/$HOST/scans")" 409
check "operator verifies" "$(req "$tmp/op.jar" "$OPCSRF" POST "/api/assets/$HOST/verify" \
	'{"method":"operator"}')" 200
check "start scan" "$(req "$tmp/A.jar" "$CSRF_A" POST "/api/assets/$HOST/scans")" 202
SCAN=$(json "$tmp/body" "d['scan_id']")
i=0
status=
while [ $i -lt 600 ]; do
	req "$tmp/A.jar" "$CSRF_A" GET "/api/scans/$SCAN" >/dev/null
	status=$(json "$tmp/body" "d['status']")
	case $status in done | incomplete | failed) break ;; esac
	sleep 0.2
	i=$((i + 1))
done
check "scan finished" "$status" done
check "findings list" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/scans/$SCAN/findings?severity=info")" 200
check "findings stored = listed" "$(json "$tmp/body" "len(d['findings'] if isinstance(d, dict) else d)")" \
	"$(psql_ "SELECT COUNT(*) FROM findings WHERE scan_id = $SCAN")"
check "B reads A's scan" "$(req "$tmp/B.jar" "$CSRF_B" GET "/api/scans/$SCAN")" 404
check "B reads A's findings" "$(req "$tmp/B.jar" "$CSRF_B" GET "/api/scans/$SCAN/findings")" 404
check "logout" "$(req "$tmp/A.jar" "$CSRF_A" DELETE /api/session)" 204
check "after logout" "$(req "$tmp/A.jar" "$CSRF_A" GET /api/me)" 401
kill "$pid"
wait "$pid"
check "graceful exit" $? 0
pid=
if grep -q 'level=error' "$tmp/server.log"; then
	echo "FAIL server logged errors:"; grep 'level=error' "$tmp/server.log" | head -10
	fail=1
fi
parts="$parts api"

echo "parts run:$parts"
[ $fail -eq 0 ] || { echo "--- server log (tail)"; tail -30 "$tmp/server.log" 2>/dev/null; }
exit $fail
