# services.sh: one svc_<name> function per lab daemon, sourced by
# tests/lab/up. Each returns 0 when its daemon is (already or now) running.
# Daemons get their own session (setsid), log to $LAB/log and never inherit
# the lock (fd 9) or the caller's stdout (ctest waits on that pipe).

LAB_SERVICES="nginx apache sshd_weak sshd_good vsftpd_anon vsftpd_good
postfix_mail postfix_relay postfix_plain postfix_auth redis_open redis_auth
memcached mariadb postgres samba xrdp telnet vnc dns dovecot_plain
dovecot_good"

# spawn NAME CMD...: run a foreground daemon in its own session, pid in
# $LAB/run/NAME.pid.
spawn() {
	_name=$1
	shift
	setsid "$@" </dev/null >>"$LAB/log/$_name.log" 2>&1 9>&- &
	echo $! >"$LAB/run/$_name.pid"
}

# daemon NAME CMD...: run a self-daemonizing program (it writes its own pid
# file), detached from our stdio and lock.
daemon() {
	_name=$1
	shift
	"$@" </dev/null >>"$LAB/log/$_name.log" 2>&1 9>&-
}

lab_www() {
	[ -f "$LAB/www/done" ] && return 0
	exp=$(date -u -d '300 days' +%Y-%m-%dT00:00:00Z)
	for h in good weak-tls weak-dh null-anon expired notyet selfsigned wronghost rsa1024 \
		sha1 nochain longlife; do
		d="$LAB/www/$h"
		mkdir -p "$d/.well-known"
		printf '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>%s</title></head>\n<body><p>wachter lab host %s</p></body></html>\n' \
			"$h" "$h.wachter.test" >"$d/index.html"
		printf 'Contact: mailto:security@wachter.test\nExpires: %s\nCanonical: https://%s.wachter.test/.well-known/security.txt\nPreferred-Languages: en, nl\n' \
			"$exp" "$h" >"$d/.well-known/security.txt"
	done
	chmod -R a+rX "$LAB/www"
	touch "$LAB/www/done"
}

svc_nginx() {
	pid_alive "$LAB/run/nginx.pid" && return 0
	mkdir -p "$LAB/nginx"
	tpl "$LAB_SRC/conf/nginx.conf" "$LAB/nginx/nginx.conf"
	daemon nginx nginx -p "$LAB/nginx" -c "$LAB/nginx/nginx.conf"
}

svc_apache() {
	pid_alive "$LAB/run/apache2.pid" && return 0
	mkdir -p "$LAB/apache"
	tpl "$LAB_SRC/conf/apache2.conf" "$LAB/apache/apache2.conf"
	rm -f "$LAB/run/apache2.pid"
	daemon apache2 /usr/sbin/apache2 -f "$LAB/apache/apache2.conf" -k start
}

# sshd_instance NAME KEYTYPE...
sshd_instance() {
	pid_alive "$LAB/run/sshd-$1.pid" && return 0
	mkdir -p "$LAB/ssh/$1" /run/sshd
	chmod 700 "$LAB/ssh/$1"
	_n=$1
	shift
	for _t in "$@"; do
		k="$LAB/ssh/$_n/ssh_host_${_t}_key"
		[ -f "$k" ] && continue
		case "$_t" in
		rsa) ssh-keygen -q -t rsa -b 2048 -N '' -f "$k" ;;
		*) ssh-keygen -q -t "$_t" -N '' -f "$k" ;;
		esac
	done
	set -- "$_n"
	tpl "$LAB_SRC/conf/sshd-$1.conf" "$LAB/ssh/$1/sshd_config"
	touch "$LAB/ssh/$1/authorized_keys"
	daemon "sshd-$1" /usr/sbin/sshd -f "$LAB/ssh/$1/sshd_config" \
		-E "$LAB/log/sshd-$1.log"
}
svc_sshd_weak() { sshd_instance weak rsa dsa; }
svc_sshd_good() { sshd_instance good ed25519; }

# install_atomic SRC DST: services start in parallel and several read the
# same OpenSSL config; a plain cp truncates it for a moment, and a daemon
# starting then runs with OpenSSL's defaults (a SHA-224 handshake on the
# good FTP twin). A rename is atomic.
install_atomic() {
	cp "$1" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
}

# vsftpd_instance NAME
vsftpd_instance() {
	pid_alive "$LAB/run/vsftpd-$1.pid" && return 0
	mkdir -p "$LAB/ftp/empty" "$LAB/ftp/pub" "$LAB/vsftpd"
	chmod 755 "$LAB/ftp" "$LAB/ftp/empty" "$LAB/ftp/pub"
	[ -f "$LAB/ftp/pub/README" ] ||
		echo "wachter lab anonymous FTP" >"$LAB/ftp/pub/README"
	tpl "$LAB_SRC/conf/vsftpd-$1.conf" "$LAB/vsftpd/$1.conf"
	install_atomic "$LAB_SRC/conf/openssl-lab.cnf" "$LAB/openssl-lab.cnf"
	OPENSSL_CONF="$LAB/openssl-lab.cnf" spawn "vsftpd-$1" /usr/sbin/vsftpd \
		"$LAB/vsftpd/$1.conf"
}
svc_vsftpd_anon() { vsftpd_instance anon; }
svc_vsftpd_good() { vsftpd_instance good; }

# postfix_instance NAME ADDR PORT [postconf settings...]
postfix_instance() {
	n=$1
	a=$2
	port=$3
	shift 3
	d="$LAB/postfix/$n"
	if [ -s "$d/spool/pid/master.pid" ] && pid_alive "$d/spool/pid/master.pid"; then
		return 0
	fi
	mkdir -p "$d/etc" "$d/spool" "$d/data"
	install_atomic "$LAB_SRC/conf/openssl-lab.cnf" "$d/etc/openssl-lab.cnf"
	sed -e "s|@LAB@|$LAB|g" -e "s|@NAME@|$n|g" -e "s|@ADDR@|$a|g" \
		"$LAB_SRC/conf/postfix-main.cf" >"$d/etc/main.cf"
	sed -e "s|@ADDR@|$a|g" -e "s|@PORT@|$port|g" "$LAB_SRC/conf/postfix-master.cf" \
		>"$d/etc/master.cf"
	for kv in "$@"; do
		postconf -c "$d/etc" -e "$kv"
	done
	chown postfix "$d/data"
	daemon "postfix-$n" postfix -c "$d/etc" start
	ln -sf "$d/spool/pid/master.pid" "$LAB/run/postfix-$n.pid"
}
svc_postfix_mail() { postfix_instance mail 127.77.0.50 25; }
svc_postfix_relay() {
	# The classic open relay: every client counts as a trusted network.
	postfix_instance relay 127.77.0.51 25 "mynetworks = 0.0.0.0/0"
}
svc_postfix_plain() {
	postfix_instance mail-plain 127.77.0.52 25 "smtpd_tls_security_level = none" \
		"smtpd_tls_cert_file =" "smtpd_tls_key_file ="
}

# Submission that offers AUTH PLAIN/LOGIN before STARTTLS (Cyrus SASL,
# sasldb; no user exists, the offer is the defect).
svc_postfix_auth() {
	d="$LAB/postfix/mail-auth/etc/sasl"
	mkdir -p "$d"
	printf 'pwcheck_method: auxprop\nauxprop_plugin: sasldb\nmech_list: PLAIN LOGIN\nsasldb_path: %s/sasldb2\n' \
		"$d" >"$d/smtpd.conf"
	postfix_instance mail-auth 127.77.0.55 submission \
		"smtpd_sasl_auth_enable = yes" "smtpd_sasl_type = cyrus" \
		"smtpd_sasl_path = smtpd" "cyrus_sasl_config_path = $d" \
		"smtpd_tls_auth_only = no" \
		"smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination"
}

# dovecot_instance NAME ADDR PLAINTEXT: IMAP 143/993 and POP3 110/995 on
# ADDR, own config, base_dir and state under $LAB/dovecot/NAME, lab cert
# NAME; PLAINTEXT is disable_plaintext_auth (no plants MAIL-16). The master
# runs in the foreground (-F) in its own session: down stops its group.
dovecot_instance() {
	pid_alive "$LAB/run/dovecot-$1.pid" && return 0
	d="$LAB/dovecot/$1"
	mkdir -p "$d/state" "$d/home"
	install_atomic "$LAB_SRC/conf/openssl-lab.cnf" "$LAB/openssl-lab.cnf"
	sed -e "s|@LAB@|$LAB|g" -e "s|@NAME@|$1|g" -e "s|@ADDR@|$2|g" \
		-e "s|@PLAINTEXT@|$3|g" "$LAB_SRC/conf/dovecot.conf" >"$d/dovecot.conf"
	if [ ! -s "$d/passwd" ]; then
		_h=$(doveadm -c "$d/dovecot.conf" pw -s SHA512-CRYPT \
			-p "$(openssl rand -hex 24)" 9>&-) || return 1
		printf 'lab:%s\n' "$_h" >"$d/passwd"
		chmod 640 "$d/passwd"
		chgrp dovecot "$d/passwd"
	fi
	spawn "dovecot-$1" /usr/sbin/dovecot -F -c "$d/dovecot.conf"
}
svc_dovecot_plain() { dovecot_instance imap-plain 127.77.0.56 no; }
svc_dovecot_good() { dovecot_instance imap-good 127.77.0.57 yes; }

svc_memcached() {
	pid_alive "$LAB/run/memcached.pid" && return 0
	mkdir -p "$LAB/memcached"
	chown memcache "$LAB/memcached"
	rm -f "$LAB/memcached/memcached.pid"
	ln -sf "$LAB/memcached/memcached.pid" "$LAB/run/memcached.pid"
	daemon memcached /usr/bin/memcached -d -u memcache -l 127.77.0.68 -p 11211 \
		-U 0 -m 16 -P "$LAB/memcached/memcached.pid"
}

# redis_instance NAME
redis_instance() {
	pid_alive "$LAB/run/redis-$1.pid" && return 0
	mkdir -p "$LAB/redis/$1"
	chown redis:redis "$LAB/redis/$1"
	tpl "$LAB_SRC/conf/redis-$1.conf" "$LAB/redis/$1.conf"
	ln -sf "$LAB/redis/$1/redis.pid" "$LAB/run/redis-$1.pid"
	daemon "redis-$1-start" runuser -u redis -- redis-server "$LAB/redis/$1.conf"
}
svc_redis_open() { redis_instance open; }
svc_redis_auth() { redis_instance auth; }

svc_mariadb() {
	pid_alive "$LAB/run/mariadb.pid" && return 0
	d="$LAB/mariadb"
	if [ ! -d "$d/data/mysql" ]; then
		mkdir -p "$d/data"
		chown -R mysql:mysql "$d"
		mariadb-install-db --no-defaults --user=mysql --datadir="$d/data" \
			--auth-root-authentication-method=socket --skip-test-db \
			>"$LAB/log/mariadb-install.log" 2>&1 9>&- || return 1
	fi
	mkdir -p "$d/run"
	chown mysql:mysql "$d/run"
	spawn mariadb-launch /usr/sbin/mariadbd --no-defaults --user=mysql \
		--datadir="$d/data" --bind-address=127.77.0.62 --port=3306 \
		--socket="$d/run/mysqld.sock" --pid-file="$d/run/mysqld.pid" \
		--log-error="$LAB/log/mariadb.log" --skip-name-resolve \
		--innodb-buffer-pool-size=16M --performance-schema=OFF
	mv "$LAB/run/mariadb-launch.pid" "$LAB/run/mariadb.pid"
	# Without an account for the scanner's host, mariadbd answers with
	# "host not allowed" instead of its greeting (version banner).
	[ -f "$d/user-done" ] && return 0
	n=150
	while [ "$n" -gt 0 ] && [ ! -S "$d/run/mysqld.sock" ]; do
		sleep 0.1
		n=$((n - 1))
	done
	mariadb --no-defaults --socket="$d/run/mysqld.sock" -u root -e \
		"CREATE USER IF NOT EXISTS 'lab'@'%' IDENTIFIED BY 'lab-mariadb-secret-91d2'" \
		</dev/null >>"$LAB/log/mariadb-launch.log" 2>&1 9>&- || return 1
	touch "$d/user-done"
}

svc_postgres() {
	pid_alive "$LAB/run/postgres.pid" && return 0
	d="$LAB/postgres"
	bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
	mkdir -p "$d/run"
	chown postgres:postgres "$d" "$d/run"
	touch "$LAB/log/postgres.log"
	chown postgres "$LAB/log/postgres.log"
	if [ ! -f "$d/data/PG_VERSION" ]; then
		echo "lab-postgres-secret-3c1a" >"$d/pw"
		chown postgres "$d/pw"
		runuser -u postgres -- "$bin/initdb" -D "$d/data" -U postgres \
			--pwfile="$d/pw" --auth-local=trust --auth-host=scram-sha-256 \
			--no-sync >"$LAB/log/postgres-initdb.log" 2>&1 9>&- || return 1
		rm -f "$d/pw"
	fi
	runuser -u postgres -- "$bin/pg_ctl" -D "$d/data" -l "$LAB/log/postgres.log" \
		-o "-c listen_addresses=127.77.0.63 -c port=5432 -c unix_socket_directories=$d/run" \
		-w -t 30 start </dev/null >>"$LAB/log/postgres-ctl.log" 2>&1 9>&- || return 1
	head -n 1 "$d/data/postmaster.pid" >"$LAB/run/postgres.pid"
}

svc_samba() {
	s="$LAB/samba"
	if ! pid_alive "$LAB/run/smbd.pid"; then
		mkdir -p "$s/run" "$s/lock" "$s/state" "$s/cache" "$s/private" \
			"$s/ncalrpc" "$s/bind-dns" "$s/share"
		echo "wachter lab share" >"$s/share/README"
		tpl "$LAB_SRC/conf/smb.conf" "$s/smb.conf"
		daemon smbd /usr/sbin/smbd -D -s "$s/smb.conf"
		# smbd writes its pid file asynchronously.
		n=50
		while [ "$n" -gt 0 ] && [ ! -s "$s/run/smbd.pid" ]; do
			sleep 0.1
			n=$((n - 1))
		done
		ln -sf "$s/run/smbd.pid" "$LAB/run/smbd.pid"
	fi
	# smbd binds only addresses configured on an interface, and 127.77.0.x
	# are not (adding them needs CAP_NET_ADMIN, which CI containers lack):
	# it listens on 127.0.0.1:14450 and socat relays 127.77.0.64:445 to it.
	pid_alive "$LAB/run/smb-relay.pid" ||
		spawn smb-relay socat TCP-LISTEN:445,bind=127.77.0.64,reuseaddr,fork \
			TCP:127.0.0.1:14450
}

svc_xrdp() {
	pid_alive "$LAB/run/xrdp.pid" && return 0
	mkdir -p "$LAB/xrdp"
	tpl "$LAB_SRC/conf/xrdp.ini" "$LAB/xrdp/xrdp.ini"
	spawn xrdp /usr/sbin/xrdp --nodaemon --config "$LAB/xrdp/xrdp.ini"
}

svc_telnet() {
	pid_alive "$LAB/run/inetd.pid" && return 0
	mkdir -p "$LAB/inetd"
	tpl "$LAB_SRC/conf/inetd.conf" "$LAB/inetd/inetd.conf"
	spawn inetd /usr/sbin/inetd -d "$LAB/inetd/inetd.conf"
}

svc_vnc() {
	pid_alive "$LAB/run/vnc.pid" && return 0
	mkdir -p "$LAB/vnc"
	# Display :77, TCP and unix X listeners off. Xvnc removes its lock file
	# /tmp/.X77-lock on TERM; after a KILL a stale one would block the start.
	if [ -f /tmp/.X77-lock ]; then
		_x=$(tr -dc '0-9' </tmp/.X77-lock)
		if [ -z "$_x" ] || ! kill -0 "$_x" 2>/dev/null; then
			rm -f /tmp/.X77-lock
		fi
	fi
	spawn vnc /usr/bin/Xtigervnc :77 -interface 127.77.0.67 -rfbport 5900 \
		-SecurityTypes None -nolisten tcp -nolisten unix -geometry 800x600 \
		-depth 16 -desktop "wachter lab" -auth "$LAB/vnc/Xauthority"
}

# for_each_port_check: wait until every host's ports in hosts.tsv answer.
for_each_port_check() {
	_bad=""
	_rows=$(hosts_rows | awk -F '\t' '{ print $1 "\t" $2 "\t" $5 }')
	_old_ifs=$IFS
	IFS='
'
	for r in $_rows; do
		a=$(echo "$r" | cut -f1)
		nm=$(echo "$r" | cut -f2)
		ps=$(echo "$r" | cut -f3)
		[ "$ps" = "-" ] && continue
		IFS=,
		for p in $ps; do
			wait_port "$a" "$p" 150 || _bad="$_bad $nm:$p"
		done
		IFS='
'
	done
	IFS=$_old_ifs
	[ -z "$_bad" ] && return 0
	lab_log "not answering:$_bad"
	return 1
}

# dns_keys: KSK and ZSK per signed zone, made offline with keymgr so that
# the zone files can carry DS and TLSA records from knotd's first load.
dns_keys() {
	[ -f "$1/keys-done" ] && return 0
	for z in test. wachter.test. bogus.test.; do
		keymgr -c "$1/knot.conf" "$z" generate algorithm=ecdsap256sha256 \
			ksk=yes zsk=no >/dev/null &&
			keymgr -c "$1/knot.conf" "$z" generate \
				algorithm=ecdsap256sha256 ksk=no zsk=yes >/dev/null ||
			return 1
	done
	touch "$1/keys-done"
}

# dns_zones DIR: fill in the zone templates.
dns_zones() {
	c="$1/knot.conf"
	dsw=$(keymgr -c "$c" wachter.test. ds | grep ' DS [0-9]* 13 2 ')
	# bogus.test's DS: right key tag and algorithm, wrong digest.
	dsb=$(keymgr -c "$c" bogus.test. ds | grep ' DS [0-9]* 13 2 ' |
		awk -v h="$(printf 'not the key' | sha256sum | cut -c1-64)" '{ $6 = h; print }')
	tlsa=$(openssl x509 -in "$LAB/certs/mail.pem" -noout -pubkey |
		openssl pkey -pubin -outform DER | sha256sum | cut -c1-64)
	dkim=$(openssl genpkey -algorithm ed25519 2>/dev/null |
		openssl pkey -pubout -outform DER | tail -c 32 | base64)
	[ -n "$dsw" ] && [ -n "$dsb" ] && [ -n "$tlsa" ] && [ -n "$dkim" ] || return 1
	for z in test wachter.test insecure.test bogus.test; do
		sed -e "s|@DS_WACHTER@|$dsw|" -e "s|@DS_BOGUS@|$dsb|" \
			-e "s|@TLSA_MAIL@|$tlsa|" -e "s|@DKIM_PUB@|$dkim|" \
			"$LAB_SRC/conf/zones/$z.zone" >"$1/zones/$z.zone"
	done
	hosts_rows | awk -F '\t' '{ sub(/\.wachter\.test$/, "", $2); print $2 "\t\t\tA\t" $1 }' \
		>>"$1/zones/wachter.test.zone"
	keymgr -c "$c" test. ds | grep ' DS ' >"$1/test.ds"
}

# dns: knotd (authoritative, 127.77.0.53) and unbound (validating resolver
# with the lab's trust anchor, 127.77.0.54); one service because the
# resolver needs the anchor that the authoritative side makes.
svc_dns() {
	d="$LAB/dns"
	if ! pid_alive "$LAB/run/knot.pid"; then
		mkdir -p "$d/run" "$d/db" "$d/zones"
		tpl "$LAB_SRC/conf/knot.conf" "$d/knot.conf"
		dns_keys "$d" || return 1
		dns_zones "$d" || return 1
		rm -f "$LAB/run/knot.pid"
		daemon knotd knotd -c "$d/knot.conf" -d || return 1
		wait_port 127.77.0.53 53 100 || return 1
	fi
	pid_alive "$LAB/run/unbound.pid" && return 0
	tpl "$LAB_SRC/conf/unbound.conf" "$d/unbound.conf"
	daemon unbound unbound -c "$d/unbound.conf"
}
