#!/bin/sh
# lab_up_down: the lab's life cycle. Two concurrent `up`s from scratch (the
# lock must serialise them), every host answers on its ports, the closed
# host answers on none, the planted properties hold (tests/lab/verify), a
# third `up` changes nothing, `down` leaves no listener and no state dir.
# Needs root (daemons on privileged ports) and the lab packages.
set -eu

SRC=${WACHTER_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
LABDIR=$SRC/tests/lab
WACHTER_LAB_DIR=${WACHTER_LAB_DIR:-/tmp/wachter-lab}
export WACHTER_LAB_DIR
LAB=$WACHTER_LAB_DIR
fail() {
	echo "lab_up_down: FAIL: $*" >&2
	"$LABDIR/down" >/dev/null 2>&1 || true
	exit 1
}

# listeners: listening addr:port on the lab's addresses (one line per
# socket, so a duplicate daemon shows), plus smbd's backend 127.0.0.1:14450.
# Only hosts.tsv addresses count: other tests may use the rest of
# 127.77.0.0/24 (docs/lab.md reserves 127.77.0.128-255 for them).
addrs=$(grep -v '^#' "$LABDIR/hosts.tsv" | cut -f1 | grep . | sed 's/\./\\./g' | tr '\n' '|')
listeners() {
	ss -ltnH 2>/dev/null | awk '{ print $4 }' | grep -E "^(${addrs%|}):" || true
	ss -ltnH 2>/dev/null | awk '{ print $4 }' | grep -E '^127\.0\.0\.1:14450$' || true
}

command -v ss >/dev/null 2>&1 || fail "ss (iproute2) is needed"

# 1. Start from nothing; two concurrent ups.
"$LABDIR/down" >/dev/null 2>&1
[ ! -e "$LAB" ] || fail "state dir left after the initial down"
log1=$(mktemp)
log2=$(mktemp)
t0=$(date +%s)
"$LABDIR/up" >"$log1" 2>&1 &
p1=$!
"$LABDIR/up" >"$log2" 2>&1 &
p2=$!
r1=0
r2=0
wait "$p1" || r1=$?
wait "$p2" || r2=$?
t1=$(date +%s)
if [ "$r1" -ne 0 ] || [ "$r2" -ne 0 ]; then
	cat "$log1" "$log2" >&2
	rm -f "$log1" "$log2"
	fail "up failed ($r1, $r2)"
fi
rm -f "$log1" "$log2"
echo "lab_up_down: concurrent up took $((t1 - t0)) s"

# 2. Every host answers on its ports; the closed host on none.
grep -v '^#' "$LABDIR/hosts.tsv" | grep -v '^[[:space:]]*$' |
	while IFS='	' read -r addr name _role _twin ports; do
		[ -f "$LABDIR/truth/${name%.wachter.test}.tsv" ] ||
			{ echo "no truth file for $name" >&2; exit 1; }
		if [ "$ports" = "-" ]; then
			for p in 21 22 23 25 53 80 443 445 3306 3389 5432 5900 6379; do
				if nc -z -w 2 "$addr" "$p" 2>/dev/null; then
					echo "$name answers on $p" >&2
					exit 1
				fi
			done
			continue
		fi
		old=$IFS
		IFS=,
		for p in $ports; do
			nc -z -w 5 "$addr" "$p" || { echo "$name:$p does not answer" >&2; exit 1; }
		done
		IFS=$old
	done || fail "port check"
before=$(listeners | sort)
nports=$(echo "$before" | grep -c 127.77.0.)
want=$(grep -v '^#' "$LABDIR/hosts.tsv" | cut -f5 | grep -v '^-$' | tr ',' '\n' | grep -c .)
[ "$nports" -eq "$want" ] || {
	echo "$before" >&2
	fail "$nports listening sockets on lab addresses, want $want"
}

# 3. Truth files: one per host and per domain, known check ids, the ports
# of their host ("-" for domain-level findings). Lab extensions (web-up,
# dns-up) list their hosts and domains in tests/lab/conf/<ext>/*.tsv.
SHARED=${WACHTER_SHARED:-$SRC/../shared}
for d in $(grep -v '^#' "$LABDIR/domains.tsv" | cut -f1); do
	[ -f "$LABDIR/truth/$d.tsv" ] || fail "no truth file for domain $d"
done
for f in "$LABDIR"/truth/*.tsv; do
	h=$(basename "$f" .tsv)
	ports=$(grep -v '^#' "$LABDIR/hosts.tsv" | awk -F '\t' -v n="$h.wachter.test" '$2 == n { print $5 }')
	if [ -z "$ports" ]; then
		if cat "$LABDIR/domains.tsv" "$LABDIR"/conf/*/domains.tsv 2>/dev/null |
			grep -v '^#' | cut -f1 | grep -qx "$h"; then
			ports="-,25,53,80,443"
		elif cat "$LABDIR"/conf/*/hosts.tsv 2>/dev/null | grep -v '^#' | cut -f2 |
			grep -qx "$h.wachter.test"; then
			# A host of a lab extension (tests/lab/conf/<ext>/hosts.tsv,
			# started by its own script): its table has no ports column.
			ports=any
		else
			fail "truth/$h.tsv: no such host in hosts.tsv or domain in domains.tsv"
		fi
	fi
	grep -v '^#' "$f" | grep -v '^$' | while IFS='	' read -r id port note; do
		id=${id#\?}
		echo "$id" | grep -qE '^[A-Z]+-[0-9][0-9]$' || { echo "$h: bad id '$id'" >&2; exit 1; }
		# Known ids: the catalogue, or the product's check registry
		# (src/check/defs_*.c) for checks added since.
		if [ -f "$SHARED/docs/checks.md" ]; then
			grep -q "^| $id |" "$SHARED/docs/checks.md" ||
				cat "$SRC"/src/check/defs_*.c 2>/dev/null | grep -q "{\"$id\"," ||
				{ echo "$h: $id neither in checks.md nor in src/check/" >&2; exit 1; }
		fi
		case ",$ports,:$port" in
		*",$port,"*) ;;
		",any,:-" | ",any,:"[0-9]*) ;;
		*) echo "$h: port $port not on host" >&2; exit 1 ;;
		esac
		[ -n "$note" ] || { echo "$h: $id without note" >&2; exit 1; }
	done || fail "truth/$h.tsv"
done

# 4. What the truth claims is really there.
"$LABDIR/verify" >"$LAB/log/verify.out" 2>&1 || { cat "$LAB/log/verify.out" >&2; fail "verify"; }

# 5. up again: nothing restarted, nothing duplicated.
pids_before=$(cat "$LAB"/run/*.pid 2>/dev/null | sort | tr '\n' ' ')
"$LABDIR/up" >/dev/null 2>&1 || fail "second up"
pids_after=$(cat "$LAB"/run/*.pid 2>/dev/null | sort | tr '\n' ' ')
[ "$pids_before" = "$pids_after" ] || fail "second up restarted daemons: $pids_before / $pids_after"
after=$(listeners | sort)
[ "$before" = "$after" ] || fail "listeners changed after the second up"
"$LABDIR/status" >/dev/null || fail "status reports a host down"

# 6. down: no listener, no state, no daemon left.
pids=$(cat "$LAB"/run/*.pid 2>/dev/null | tr '\n' ' ')
"$LABDIR/down" >/dev/null 2>&1 || fail "down"
[ ! -e "$LAB" ] || fail "state dir $LAB left after down"
left=$(listeners)
[ -z "$left" ] || fail "still listening after down: $left"
for p in $pids; do
	# A process that exits between the two looks has no stat file: gone.
	state=$(sed -e 's/^.*) //' "/proc/$p/stat" 2>/dev/null | cut -c1)
	if kill -0 "$p" 2>/dev/null && [ -n "$state" ] && [ "$state" != Z ]; then
		fail "process $p still running after down"
	fi
done
# (Unless someone else's test has brought the same lab up again meanwhile.)
if [ ! -e "$LAB" ] && [ -s /tmp/wachter-lab.active ] &&
	[ "$(head -n 1 /tmp/wachter-lab.active)" = "$LAB" ]; then
	fail "down left /tmp/wachter-lab.active naming $LAB"
fi
"$LABDIR/down" >/dev/null 2>&1 || fail "down twice"
echo "lab_up_down: ok"
