#!/bin/sh
# svc_lab.sh: `wachter probe -I` against the lab's real daemons (tests/lab):
# service, product and version of each must be what is installed. The
# versions come from dpkg, so a package upgrade cannot make the test lie.
set -u
: "${WACHTER:?}" "${WACHTER_SRC:?}"
LABSRC="$WACHTER_SRC/tests/lab"
T=$(mktemp -d "${TMPDIR:-/tmp}/svc_lab.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
"$LABSRC/up" >"$T/up.log" 2>&1 || { cat "$T/up.log"; echo "FAIL: lab did not come up"; exit 1; }

# upstream version of an installed package: no epoch, no Debian revision
upstream() {
	dpkg-query -W -f '${Version}' "$1" 2>/dev/null | sed -E 's/^[0-9]+://; s/-[^-]*$//'
}
SSH_V=$(upstream openssh-server)
REDIS_V=$(upstream redis-server)
MARIA_V=$(upstream mariadb-server)
KNOT_V=$(upstream knot)
UNBOUND_V=$(upstream unbound)
MEMCACHED_V=$(upstream memcached)

fail=0
# address port service product version
while read -r addr port service product version; do
	[ -n "$addr" ] || continue
	product=$(printf '%s' "$product" | tr '_' ' ')
	[ "$version" = "-" ] && version=""
	want=$(printf 'svc\t%s\t%s\t%s\t%s' "$port" "$service" "$product" "$version")
	got=$("$WACHTER" probe -I -t 3000 "$addr" "$port" </dev/null 2>"$T/err" | grep '^svc	' | head -1 |
		cut -f1-5)
	if [ "$got" != "$want" ]; then
		# the lab is shared: another test may have restarted it; once more
		"$LABSRC/up" </dev/null >>"$T/up.log" 2>&1
		got=$("$WACHTER" probe -I -t 3000 "$addr" "$port" </dev/null 2>"$T/err" | grep '^svc	' |
			head -1 | cut -f1-5)
	fi
	if [ "$got" != "$want" ]; then
		echo "FAIL: $addr:$port: got '$got', want '$want'"
		fail=1
	else
		echo "ok: $addr:$port $service $product $version"
	fi
done <<LIST
127.77.0.30 22 ssh OpenSSH $SSH_V
127.77.0.31 22 ssh OpenSSH $SSH_V
127.77.0.10 80 http nginx -
127.77.0.10 443 https nginx -
127.77.0.12 443 https Apache_httpd -
127.77.0.40 21 ftp vsftpd -
127.77.0.41 21 ftp vsftpd -
127.77.0.50 25 smtp Postfix_smtpd -
127.77.0.55 587 smtp Postfix_smtpd -
127.77.0.53 53 dns cz.nic_Knot_DNS $KNOT_V
127.77.0.54 53 dns Unbound $UNBOUND_V
127.77.0.60 6379 redis Redis $REDIS_V
127.77.0.61 6379 redis Redis -
127.77.0.62 3306 mysql MariaDB $MARIA_V
127.77.0.63 5432 postgresql PostgreSQL -
127.77.0.64 445 smb Samba_smbd -
127.77.0.65 3389 rdp xrdp -
127.77.0.66 23 telnet GNU_inetutils_telnetd -
127.77.0.67 5900 vnc VNC -
127.77.0.68 11211 memcached Memcached $MEMCACHED_V
LIST
exit $fail
