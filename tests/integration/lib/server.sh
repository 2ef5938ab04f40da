# tests/integration/lib/server.sh: shell shared by the server integration
# tests (POSIX sh; sourced, never run: it sits outside tests/integration/*.sh
# so CMake does not register it as a test). The caller sets tmp (a temp
# directory), db (the --store.url), pid= and fail=0 before using these.
# shellcheck shell=sh disable=SC2034,SC2154
# (SC2034/SC2154: the variables are the caller's: set here, read there.)

# need CMD: fail unless CMD is on PATH.
need() {
	command -v "$1" >/dev/null || { echo "FAIL: $1 is needed"; exit 1; }
}

check() { # check NAME GOT WANT
	if [ "$2" = "$3" ]; then
		echo "ok   $1"
	else
		echo "FAIL $1: got '$2', want '$3'"
		fail=1
	fi
}

json() { # json FILE EXPR: a field of a JSON file (python expression on d)
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1" 2>/dev/null
}

# wait_healthz PORT TENTHS: poll /healthz on 127.0.0.1:PORT every 0.1 s, at
# most TENTHS times, while $pid lives; sets U and succeeds once it answers.
wait_healthz() {
	i=0
	while [ $i -lt "$2" ]; do
		if curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1; then
			U="http://127.0.0.1:$1"
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# kill_server: kill -9 the server in $pid, reap it, clear pid.
kill_server() {
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
}

# start [extra options]: "wachter serve" with $db on a free port below the
# ephemeral range (port_mul and port_step, default 7 and 131, spread the
# tries of scripts running at once); sets pid, port and U; log in
# $tmp/server.log.
start() {
	for try in 1 2 3 4 5 6 7 8; do
		port=$((21000 + ($$ * ${port_mul:-7} + try * ${port_step:-131}) % 9000))
		"$WACHTER" --store.url="$db" --log.level=info "$@" serve \
			--listen "127.0.0.1:$port" 2>>"$tmp/server.log" &
		pid=$!
		wait_healthz "$port" 100 && return 0
		kill_server
	done
	echo "FAIL: the server did not start"
	cat "$tmp/server.log"
	exit 1
}

# init_operator EMAIL: "serve --init-operator" on $db, output in $tmp/op;
# sets OPPW to the printed password; its exit status.
init_operator() {
	"$WACHTER" --store.url="$db" serve --init-operator "$1" >"$tmp/op" 2>&1
	rc=$?
	OPPW=$(sed -n 's/^password: //p' "$tmp/op")
	return $rc
}

# req JAR CSRF METHOD PATH [BODY]: status code; body in $tmp/body
req() {
	jar=$1 csrf=$2 m=$3 p=$4
	shift 4
	if [ $# -gt 0 ]; then
		curl -s -o "$tmp/body" -w '%{http_code}' -b "$jar" -c "$jar" \
			-H "X-CSRF-Token: $csrf" -X "$m" "$U$p" --data-binary "$1"
	else
		curl -s -o "$tmp/body" -w '%{http_code}' -b "$jar" -c "$jar" \
			-H "X-CSRF-Token: $csrf" -X "$m" "$U$p"
	fi
}

# login JAR EMAIL PASSWORD: checks the sign-in answers 200; sets CSRF
login() {
	code=$(curl -s -o "$tmp/login" -w '%{http_code}' -c "$1" -X POST "$U/api/session" \
		--data-binary "{\"email\":\"$2\",\"password\":\"$3\"}")
	check "login $2" "$code" 200
	CSRF=$(json "$tmp/login" "d['csrf_token']")
}

# invite INVITED ACCEPTED ORG EMAIL ROLE PASSWORD: the operator ($tmp/op.jar,
# $OPCSRF) invites EMAIL to organisation ORG as ROLE (check INVITED: 201),
# and EMAIL accepts the invitation with PASSWORD (check ACCEPTED: 201).
invite() {
	check "$1" "$(req "$tmp/op.jar" "$OPCSRF" POST "/api/orgs/$3/invitations" \
		"{\"email\":\"$4\",\"role\":\"$5\"}")" 201
	tok=$(json "$tmp/body" "d['token']")
	code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$U/api/invitations/accept" \
		--data-binary "{\"token\":\"$tok\",\"password\":\"$6\"}")
	check "$2" "$code" 201
}
