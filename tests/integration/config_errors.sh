#!/bin/sh
# config_errors.sh: "wachter config check FILE" reports a malformed config
# file as "FILE:LINE: message" on stderr with exit status 2, accepts a good
# file (and the uncommented sample config) with status 0, and "config show"
# reports where each setting came from.
set -u
: "${WACHTER:?WACHTER must name the wachter binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0

# check_bad NAME CONTENT EXPECTED: EXPECTED is stderr after "FILE:".
check_bad() {
	printf '%b' "$2" >"$tmp/$1"
	"$WACHTER" config check "$tmp/$1" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	got=$(cat "$tmp/err")
	want="$tmp/$1:$3"
	if [ "$rc" -ne 2 ]; then
		echo "FAIL $1: exit status $rc, want 2 (stderr: $got)"
		fail=1
	elif [ "$got" != "$want" ]; then
		echo "FAIL $1: stderr '$got', want '$want'"
		fail=1
	elif [ -s "$tmp/out" ]; then
		echo "FAIL $1: unexpected stdout: $(cat "$tmp/out")"
		fail=1
	else
		echo "ok   $1: $got"
	fi
}

check_good() {
	"$WACHTER" config check "$tmp/$1" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 0 ] || [ -s "$tmp/err" ]; then
		echo "FAIL $1: exit status $rc, stderr: $(cat "$tmp/err")"
		fail=1
	elif [ "$(cat "$tmp/out")" != "$tmp/$1: ok" ]; then
		echo "FAIL $1: stdout '$(cat "$tmp/out")'"
		fail=1
	else
		echo "ok   $1"
	fi
}

check_bad unknown-key.conf '[scan]\n# comment\n\nconcurrency = 100\n\n\ntimeout = 5\n' \
	"7: unknown key 'timeout' in section [scan]"
check_bad bad-duration.conf '[log]\nlevel = debug\n[scan]\ntimeout_ms = abc\n' \
	"4: value 'abc' for scan.timeout_ms is not a duration"
check_bad no-equals.conf '[serve]\nlisten 127.0.0.1:8080\n' \
	"2: expected 'key = value'"
check_bad duplicate.conf '[scan]\nretries = 1\nretries = 2\n' \
	"3: duplicate key 'retries' in section [scan] (first on line 2)"
check_bad range.conf '; ports\n[scan]\nretries = 9\n' \
	"3: value '9' for scan.retries is out of range 0..5"

printf '[log]\nlevel = debug # chatty\n[scan]\ntimeout_ms = 2s\nports = "22,80,443"\n' \
	>"$tmp/good.conf"
check_good good.conf

# The generated sample, uncommented, is a valid file.
if "$WACHTER" config sample >"$tmp/sample.conf"; then
	sed 's/^#\([a-z]\)/\1/' "$tmp/sample.conf" >"$tmp/sample-on.conf"
	if ! grep -q '^timeout_ms = 1500ms$' "$tmp/sample-on.conf"; then
		echo "FAIL sample: no 'timeout_ms = 1500ms' line"
		fail=1
	fi
	check_good sample-on.conf
else
	echo "FAIL sample: config sample failed"
	fail=1
fi

# A missing file is an error too (status 2, the path named).
"$WACHTER" config check "$tmp/missing.conf" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q "^$tmp/missing.conf: cannot open" "$tmp/err"; then
	echo "FAIL missing: status $rc, stderr: $(cat "$tmp/err")"
	fail=1
fi

# show: file < env < flag, with the source of each value.
if WACHTER_SCAN_RETRIES=3 "$WACHTER" config show --config "$tmp/good.conf" \
	--scan.timeout-ms 7s >"$tmp/show" 2>"$tmp/err"; then
	for line in 'level = debug  # file' 'retries = 3  # env' 'timeout_ms = 7s  # flag' \
		'concurrency = 2048  # default'; do
		if ! grep -qxF "$line" "$tmp/show"; then
			echo "FAIL show: no line '$line'"
			fail=1
		fi
	done
else
	echo "FAIL show: status $?, stderr: $(cat "$tmp/err")"
	fail=1
fi
WACHTER_SCAN_RETRIES=x "$WACHTER" config show >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 2 ] || [ "$(cat "$tmp/err")" != "environment variable WACHTER_SCAN_RETRIES: value 'x' for scan.retries is not an integer" ]; then
	echo "FAIL show env: status $rc, stderr: $(cat "$tmp/err")"
	fail=1
fi

# Command-line numbers: digits only and within range; a value that would
# wrap around an int (2^32 + 1) is refused, not taken as 1. Nothing is
# scanned: the bad option stops the command before any target is read.
for cmd in scan domain tls web; do
	for v in 4294967297 +5 " 5" 5x 0 600001; do
		"$WACHTER" "$cmd" --timeout "$v" 127.0.0.1 >/dev/null 2>&1
		rc=$?
		if [ "$rc" -ne 2 ]; then
			echo "FAIL $cmd --timeout '$v': status $rc (want 2)"
			fail=1
		fi
	done
done

# A knowledge base named in the configuration must open: scans (and the
# server's scan workers) would otherwise quietly lack the VULN checks.
"$WACHTER" --scan.kb="$tmp/none.kb" scan --ports 1 127.0.0.1 >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q "cannot open the knowledge base $tmp/none.kb" "$tmp/err"; then
	echo "FAIL scan.kb: status $rc, stderr: $(cat "$tmp/err")"
	fail=1
fi
"$WACHTER" --store.url="sqlite:$tmp/kb.db" --scan.kb="$tmp/none.kb" serve --listen 127.0.0.1:1 \
	>"$tmp/out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] || ! grep -q "cannot open the knowledge base path=$tmp/none.kb" "$tmp/out"; then
	echo "FAIL serve scan.kb: status $rc, output: $(tail -3 "$tmp/out")"
	fail=1
fi

exit $fail
