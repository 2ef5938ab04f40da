# lib.sh: shared helpers for tests/lab/{up,down,status,with-lab}.
# Sourced, not run. Defines LAB (state dir), LAB_SRC (tests/lab in the repo),
# the lock, pid-file helpers and the readiness probe.

LAB_SRC=$(cd "$(dirname "$0")" && pwd)
LAB=${WACHTER_LAB_DIR:-/tmp/wachter-lab}
case "$LAB" in
/*) ;;
*) echo "lab: WACHTER_LAB_DIR must be an absolute path" >&2; exit 2 ;;
esac
# The addresses and ports are fixed, so there is one lab per machine whatever
# the state dir: one lock for all, and a marker naming the state dir of the
# lab that is up.
LAB_LOCK=${WACHTER_LAB_LOCK:-/tmp/wachter-lab.lock}
LAB_ACTIVE=/tmp/wachter-lab.active
LAB_NET=127.77.0

lab_log() {
	echo "lab: $*" >&2
}

die() {
	echo "lab: error: $*" >&2
	exit 1
}

# lab_lock: serialise up/down across concurrent callers (flock on a file
# outside the state dir, which survives `down`).
lab_lock() {
	# A script run by a lock holder (down runs web-down and dns-down) is
	# covered by its parent's lock: a second open of the file would wait
	# for the parent, forever.
	[ "${LAB_LOCK_HELD:-}" = "$LAB_LOCK" ] && return 0
	exec 9>"$LAB_LOCK" || die "cannot open $LAB_LOCK"
	if command -v flock >/dev/null 2>&1; then
		flock -w 300 9 || die "timeout waiting for $LAB_LOCK"
	fi
	LAB_LOCK_HELD=$LAB_LOCK
	export LAB_LOCK_HELD
}

# pid_alive FILE: the pid in FILE names a running process.
pid_alive() {
	[ -s "$1" ] || return 1
	_p=$(tr -dc '0-9' <"$1" | head -c 10)
	[ -n "$_p" ] && kill -0 "$_p" 2>/dev/null
}

# pid_of FILE
pid_of() {
	tr -dc '0-9' <"$1" | head -c 10
}

# port_open ADDR PORT: something accepts TCP connections there.
port_open() {
	if command -v nc >/dev/null 2>&1; then
		nc -z -w 2 "$1" "$2" >/dev/null 2>&1
	else
		timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" >/dev/null 2>&1
	fi
}

# wait_port ADDR PORT [TENTHS]: wait until the port answers.
wait_port() {
	_n=${3:-100}
	while [ "$_n" -gt 0 ]; do
		port_open "$1" "$2" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# tpl SRC DST: copy a config template, substituting @LAB@ and @LAB_SRC@.
tpl() {
	sed -e "s|@LAB@|$LAB|g" -e "s|@LAB_SRC@|$LAB_SRC|g" "$1" >"$2"
}

# hosts_rows: hosts.tsv without comments: addr name role twin ports
hosts_rows() {
	grep -v '^#' "$LAB_SRC/hosts.tsv" | grep -v '^[[:space:]]*$'
}

# lab_other: print the state dir of another lab that is up, if any.
lab_other() {
	[ -s "$LAB_ACTIVE" ] || return 0
	_o=$(head -n 1 "$LAB_ACTIVE")
	[ "$_o" != "$LAB" ] && [ -f "$_o/run/up" ] && echo "$_o"
	return 0
}
