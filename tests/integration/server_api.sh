#!/bin/sh
# server_api.sh: "wachter serve" on 127.0.0.1 with a fresh SQLite database:
# operator bootstrap, sign-in with cookie + CSRF, organisations and
# invitations, tenant isolation over HTTP, 413/400 handling, security
# headers, API tokens, a scan of the server itself from the worker pool,
# its scans list, summary and the sector aggregates (an association),
# the caller's own tokens, sessions and password, an organisation's audit log,
# then kill -9 during a long scan and a restart: the database is intact,
# the earlier data is there and the cut-off scan is marked interrupted.
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
db="sqlite:$tmp/db.sqlite"

init_operator op@example.nl
check "init-operator exit" $? 0
"$WACHTER" --store.url="$db" serve --init-operator op@example.nl >/dev/null 2>&1
check "init-operator twice" $? 2

start
login "$tmp/op.jar" op@example.nl "$OPPW"
OPCSRF=$CSRF
grep -q 'HttpOnly' "$tmp/op.jar" || grep -q '#HttpOnly_' "$tmp/op.jar"
check "session cookie HttpOnly" $? 0
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$U/api/session" \
	--data-binary '{"email":"op@example.nl","password":"wrong-password"}')
check "wrong password" "$code" 401

# Two companies, each with its own admin (invited by the operator).
check "create org A" "$(req "$tmp/op.jar" "$OPCSRF" POST /api/orgs \
	'{"name":"Bakkerij <script>alert(1)</script>","kvk":"12345678","sector":"G","size_class":"small"}')" 201
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

# The name is stored as given and comes back as JSON data, never as markup.
req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs/$A" >/dev/null
check "html name kept as data" "$(json "$tmp/body" "d['name']")" "Bakkerij <script>alert(1)</script>"

# Cross-tenant isolation.
check "A reads A" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs/$A")" 200
check "A reads B" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs/$B")" 404
check "B reads A" "$(req "$tmp/B.jar" "$CSRF_B" GET "/api/orgs/$A")" 404
check "A lists only A" "$(req "$tmp/A.jar" "$CSRF_A" GET /api/orgs >/dev/null; json "$tmp/body" "[o['id'] for o in d]")" "[$A]"
check "A adds asset to A" "$(req "$tmp/A.jar" "$CSRF_A" POST "/api/orgs/$A/assets" \
	'{"kind":"domain","value":"bakkerij.example.nl"}')" 201
ASSET_A=$(json "$tmp/body" "d['id']")
check "B adds asset to A" "$(req "$tmp/B.jar" "$CSRF_B" POST "/api/orgs/$A/assets" \
	'{"kind":"domain","value":"evil.example.nl"}')" 404
check "B lists A's assets" "$(req "$tmp/B.jar" "$CSRF_B" GET "/api/orgs/$A/assets")" 404
check "B scans A's asset" "$(req "$tmp/B.jar" "$CSRF_B" POST "/api/assets/$ASSET_A/scans")" 404
check "A scans unverified asset" "$(req "$tmp/A.jar" "$CSRF_A" POST "/api/assets/$ASSET_A/scans")" 409
check "B invites into A" "$(req "$tmp/B.jar" "$CSRF_B" POST "/api/orgs/$A/invitations" \
	'{"email":"x@example.nl","role":"admin"}')" 404
check "B reads A's members" "$(req "$tmp/B.jar" "$CSRF_B" GET "/api/orgs/$A/members")" 404
check "anonymous" "$(req /dev/null x GET "/api/orgs/$A")" 401

# Input handling.
check "no CSRF header" "$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/A.jar" -X POST \
	"$U/api/orgs" --data-binary '{"name":"x"}')" 403
head -c 2097152 /dev/zero | tr '\0' 'a' >"$tmp/big"
check "2 MiB body" "$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/A.jar" \
	-H "X-CSRF-Token: $CSRF_A" -X POST "$U/api/orgs" --data-binary @"$tmp/big")" 413
check "chunked 2 MiB body" "$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/A.jar" \
	-H "X-CSRF-Token: $CSRF_A" -H 'Transfer-Encoding: chunked' -X POST "$U/api/orgs" \
	--data-binary @"$tmp/big")" 413
check "malformed JSON" "$(req "$tmp/A.jar" "$CSRF_A" POST /api/orgs '{"name":')" 400
grep -q '"error":"malformed JSON' "$tmp/body"
check "malformed JSON message" $? 0
check "unknown field" "$(req "$tmp/A.jar" "$CSRF_A" POST /api/orgs '{"name":"x","admin":true}')" 400
grep -q "unknown field 'admin'" "$tmp/body"
check "unknown field message" $? 0
check "unknown path" "$(req "$tmp/A.jar" "$CSRF_A" GET /api/nope)" 404
check "wrong method" "$(req "$tmp/A.jar" "$CSRF_A" PUT "/api/orgs/$A")" 405

# Every operation of docs/api/openapi.yaml exists on the running server
# (anonymous: 401 or a 400/200 for the public ones, never 404/405); the
# unit test test_api_openapi checks the other direction on the table.
python3 - "$WACHTER_SRC/docs/api/openapi.yaml" >"$tmp/ops" <<'PY'
import re, sys
path = None
inpaths = False
for line in open(sys.argv[1]):
    line = line.rstrip("\r\n")
    if line == "paths:":
        inpaths = True
        continue
    if not inpaths:
        continue
    m = re.match(r"^  (/\S*):$", line)
    if m:
        path = re.sub(r"\{[a-z_]+\}", "1", m.group(1))
        continue
    m = re.match(r"^    (get|post|put|delete|patch):$", line)
    if m and path:
        print(m.group(1).upper(), path)
PY
nops=0
while read -r m p; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -X "$m" "$U$p")
	case $code in
	404 | 405 | 000) check "documented $m $p is served" "$code" "not 404/405" ;;
	esac
	nops=$((nops + 1))
done <"$tmp/ops"
check "documented operations found" "$([ "$nops" -ge 15 ] && echo yes)" yes

# Security headers on every response, errors included.
curl -s -D "$tmp/h" -o /dev/null "$U/api/nope"
for h in "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'" \
	"X-Content-Type-Options: nosniff" "Referrer-Policy: same-origin" \
	"Cross-Origin-Opener-Policy: same-origin" "Cross-Origin-Resource-Policy: same-origin"; do
	grep -qi "^$h" "$tmp/h"
	check "header $h" $? 0
done

# API tokens (Bearer, no cookie, no CSRF).
check "create token" "$(req "$tmp/A.jar" "$CSRF_A" POST /api/tokens '{"name":"ci"}')" 201
TOKEN=$(json "$tmp/body" "d['token']")
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$U/api/me")
check "bearer me" "$code" 200
check "bearer me email" "$(json "$tmp/body" "d['email']")" "admin-A@example.nl"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$U/api/orgs/$B")
check "bearer reads B" "$code" 404

# A scan of the server's own port, verified by the operator, from the pool.
check "add host asset" "$(req "$tmp/A.jar" "$CSRF_A" POST "/api/orgs/$A/assets" \
	'{"kind":"host","value":"127.0.0.1"}')" 201
HOST=$(json "$tmp/body" "d['id']")
check "A cannot self-attest" "$(req "$tmp/A.jar" "$CSRF_A" POST "/api/assets/$HOST/verify" \
	'{"method":"operator"}')" 400
check "operator verifies" "$(req "$tmp/op.jar" "$OPCSRF" POST "/api/assets/$HOST/verify" \
	'{"method":"operator"}')" 200
kill "$pid"
wait "$pid"
check "graceful SIGTERM exit" $? 0
pid=
grep -q 'msg="stopping"\|stopping' "$tmp/server.log"
check "stop logged" $? 0

# Every port the server may have picked: loopback answers fast.
start --scan.ports=21000-30000
login "$tmp/A.jar" admin-A@example.nl secret-A-password
CSRF_A=$CSRF
check "start scan" "$(req "$tmp/A.jar" "$CSRF_A" POST "/api/assets/$HOST/scans")" 202
SCAN1=$(json "$tmp/body" "d['scan_id']")
i=0
status=
while [ $i -lt 600 ]; do
	req "$tmp/A.jar" "$CSRF_A" GET "/api/scans/$SCAN1" >/dev/null
	status=$(json "$tmp/body" "d['status']")
	case $status in done | incomplete | failed) break ;; esac
	sleep 0.2
	i=$((i + 1))
done
check "scan finished" "$status" done
check "B reads A's scan" "$(req "$tmp/B.jar" "$CSRF_B" GET "/api/scans/$SCAN1")" 404
check "findings list" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/scans/$SCAN1/findings?severity=info")" 200
check "bad filter" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/scans/$SCAN1/findings?severity=worst")" 400
check "B reads A's findings" "$(req "$tmp/B.jar" "$CSRF_B" GET "/api/scans/$SCAN1/findings")" 404

# The organisation's scans, its summary and the sector aggregates.
check "scans list" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs/$A/scans?status=done&limit=5")" 200
check "scans list newest" "$(json "$tmp/body" "d[0]['id']")" "$SCAN1"
NSCAN1=$(json "$tmp/body" "sum(d[0]['counts'].values())")
check "scans list counts" "$NSCAN1" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/scans/$SCAN1" >/dev/null; json "$tmp/body" "d['findings']")"
check "scans list bad limit" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs/$A/scans?limit=0")" 400
check "B lists A's scans" "$(req "$tmp/B.jar" "$CSRF_B" GET "/api/orgs/$A/scans")" 404
check "summary" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs/$A/summary")" 200
check "summary latest" "$(json "$tmp/body" "[l['scan_id'] for l in d['latest']]")" "[$SCAN1]"
check "summary open_total" "$(json "$tmp/body" "d['open_total']")" "$NSCAN1"
check "B reads A's summary" "$(req "$tmp/B.jar" "$CSRF_B" GET "/api/orgs/$A/summary")" 404
check "company reads aggregates" "$(req "$tmp/A.jar" "$CSRF_A" GET /api/aggregates)" 403
check "operator reads aggregates" "$(req "$tmp/op.jar" "$OPCSRF" GET /api/aggregates)" 200
check "aggregates: every sector" "$(json "$tmp/body" "''.join(s['sector'] for s in d)")" ABCDEFGHIJKLMNOPQRSTU
check "aggregates: one company is suppressed" "$(json "$tmp/body" "[s for s in d if s['sector'] == 'G']")" "[{'sector': 'G', 'suppressed': True}]"
check "create association" "$(req "$tmp/op.jar" "$OPCSRF" POST /api/orgs '{"name":"Branche G","sector":"G"}')" 201
S=$(json "$tmp/body" "d['id']")
invite "invite association" "accept association" "$S" assoc@example.nl association \
	secret-S-password
login "$tmp/S.jar" assoc@example.nl secret-S-password
check "association: own sector" "$(req "$tmp/S.jar" "$CSRF" GET /api/aggregates >/dev/null; json "$tmp/body" "d")" "[{'sector': 'G', 'suppressed': True}]"
check "association: other sector" "$(req "$tmp/S.jar" "$CSRF" GET "/api/aggregates?sector=J")" 404
check "association reads A" "$(req "$tmp/S.jar" "$CSRF" GET "/api/orgs/$A/summary")" 404
check "association reads own org" "$(req "$tmp/S.jar" "$CSRF" GET "/api/orgs/$S")" 200
kill "$pid"
wait "$pid"
pid=

# kill -9 during a long scan (every port, slowly), then restart.
start --scan.ports=1-65535 --scan.rate-per-target=500
login "$tmp/A.jar" admin-A@example.nl secret-A-password
CSRF_A=$CSRF
check "start long scan" "$(req "$tmp/A.jar" "$CSRF_A" POST "/api/assets/$HOST/scans")" 202
SCAN2=$(json "$tmp/body" "d['scan_id']")
i=0
while [ $i -lt 50 ]; do
	req "$tmp/A.jar" "$CSRF_A" GET "/api/scans/$SCAN2" >/dev/null
	[ "$(json "$tmp/body" "d['status']")" = running ] && break
	sleep 0.1
	i=$((i + 1))
done
check "long scan running" "$(json "$tmp/body" "d['status']")" running
kill_server
if command -v sqlite3 >/dev/null; then
	check "integrity after kill -9" "$(sqlite3 "$tmp/db.sqlite" 'PRAGMA integrity_check')" ok
else
	check "integrity after kill -9" "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])" "$tmp/db.sqlite")" ok
fi
start
login "$tmp/A.jar" admin-A@example.nl secret-A-password
CSRF_A=$CSRF
check "orgs after restart" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs" >/dev/null; json "$tmp/body" "[o['id'] for o in d]")" "[$A]"
check "assets after restart" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs/$A/assets" >/dev/null; json "$tmp/body" "len(d)")" 2
req "$tmp/A.jar" "$CSRF_A" GET "/api/scans/$SCAN1" >/dev/null
check "finished scan kept" "$(json "$tmp/body" "d['status']")" done
req "$tmp/A.jar" "$CSRF_A" GET "/api/scans/$SCAN2" >/dev/null
check "killed scan interrupted" "$(json "$tmp/body" "d['status']")" interrupted
check "logout" "$(req "$tmp/A.jar" "$CSRF_A" DELETE /api/session)" 204
check "after logout" "$(req "$tmp/A.jar" "$CSRF_A" GET /api/me)" 401
grep -q 'access remote=127.0.0.1 method=GET path="/api/orgs' "$tmp/server.log"
check "access log" $? 0
if grep -q "$OPPW" "$tmp/server.log"; then check "no password in log" leaked clean; fi

# Account self-service: own tokens, own sessions, password; the audit log.
login "$tmp/A.jar" admin-A@example.nl secret-A-password
CSRF_A=$CSRF
# Sessions of A from before the restarts: ended, the current one stays.
check "end earlier sessions" "$(req "$tmp/A.jar" "$CSRF_A" DELETE /api/me/sessions >/dev/null; json "$tmp/body" "d['ended'] >= 1")" True
login "$tmp/A2.jar" admin-A@example.nl secret-A-password
CSRF_A2=$CSRF
check "tokens list" "$(req "$tmp/A.jar" "$CSRF_A" GET /api/tokens >/dev/null; json "$tmp/body" "[t['name'] for t in d]")" "['ci']"
TOKID=$(json "$tmp/body" "d[0]['id']")
grep -q "$TOKEN" "$tmp/body"
check "tokens list: no secret" $? 1
check "B revokes A's token" "$(req "$tmp/B.jar" "$CSRF_B" DELETE "/api/tokens/$TOKID")" 404
check "sessions list" "$(req "$tmp/A.jar" "$CSRF_A" GET /api/me/sessions >/dev/null; json "$tmp/body" "(len(d), sum(1 for s in d if s['current']))")" "(2, 1)"
OTHER=$(json "$tmp/body" "[s['id'] for s in d if not s['current']][0]")
check "B ends A's session" "$(req "$tmp/B.jar" "$CSRF_B" DELETE "/api/me/sessions/$OTHER")" 404
check "end session without CSRF" "$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/A.jar" \
	-X DELETE "$U/api/me/sessions/$OTHER")" 403
check "other session alive" "$(req "$tmp/A2.jar" "$CSRF_A2" GET /api/me)" 200
check "end other session" "$(req "$tmp/A.jar" "$CSRF_A" DELETE "/api/me/sessions/$OTHER")" 204
check "ended session signed out" "$(req "$tmp/A2.jar" "$CSRF_A2" GET /api/me)" 401
login "$tmp/A2.jar" admin-A@example.nl secret-A-password
CSRF_A2=$CSRF
check "end all other sessions" "$(req "$tmp/A.jar" "$CSRF_A" DELETE /api/me/sessions >/dev/null; json "$tmp/body" "d['ended']")" 1
check "all others signed out" "$(req "$tmp/A2.jar" "$CSRF_A2" GET /api/me)" 401
check "own session kept" "$(req "$tmp/A.jar" "$CSRF_A" GET /api/me)" 200
check "password: wrong current" "$(req "$tmp/A.jar" "$CSRF_A" POST /api/me/password \
	'{"current":"not-the-password","new":"new-A-password-1"}')" 403
check "password: too short" "$(req "$tmp/A.jar" "$CSRF_A" POST /api/me/password \
	'{"current":"secret-A-password","new":"short"}')" 400
check "password: unknown field" "$(req "$tmp/A.jar" "$CSRF_A" POST /api/me/password \
	'{"current":"secret-A-password","new":"new-A-password-1","user_id":1}')" 400
check "password changed" "$(req "$tmp/A.jar" "$CSRF_A" POST /api/me/password \
	'{"current":"secret-A-password","new":"new-A-password-1"}')" 204
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$U/api/session" \
	--data-binary '{"email":"admin-A@example.nl","password":"secret-A-password"}')
check "old password refused" "$code" 401
login "$tmp/A2.jar" admin-A@example.nl new-A-password-1
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$U/api/me")
check "token survives the password change" "$code" 200
check "audit log" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs/$A/audit?limit=50")" 200
check "audit: the operator's changes" "$(json "$tmp/body" "sorted(set(e['actor_email'] for e in d if e['action'] in ('create', 'verify')))")" "['admin-A@example.nl', 'operator']"
grep -q 'op@example.nl' "$tmp/body"
check "audit: no operator address" $? 1
check "audit: newest first" "$(json "$tmp/body" "[e['id'] for e in d] == sorted((e['id'] for e in d), reverse=True)")" True
check "audit: bad limit" "$(req "$tmp/A.jar" "$CSRF_A" GET "/api/orgs/$A/audit?limit=0")" 400
check "B reads A's audit" "$(req "$tmp/B.jar" "$CSRF_B" GET "/api/orgs/$A/audit")" 404
check "operator reads A's audit" "$(req "$tmp/op.jar" "$OPCSRF" GET "/api/orgs/$A/audit" >/dev/null; json "$tmp/body" "'op@example.nl' in [e['actor_email'] for e in d]")" True
check "revoke own token" "$(req "$tmp/A.jar" "$CSRF_A" DELETE "/api/tokens/$TOKID")" 204
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$U/api/me")
check "revoked token refused" "$code" 401

# Per-address login limit (20 a minute): a burst of guesses gets 429.
last=
for n in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22; do
	last=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$U/api/session" \
		--data-binary "{\"email\":\"guess$n@example.nl\",\"password\":\"wrong-password\"}")
done
check "login burst limited" "$last" 429

[ $fail -eq 0 ] || { echo "--- server log (tail)"; tail -40 "$tmp/server.log"; }
exit $fail
