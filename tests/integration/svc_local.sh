#!/bin/sh
# svc_local.sh: `wachter probe` against servers this test starts itself on
# 127.88.0.x: a real sshd (password auth, SHA-1 kex offered), a real
# redis-server without a password, and python servers playing an open SMTP
# relay, an anonymous FTP server and hostile peers (garbage, endless data,
# a hang, a reset). Checks identification, the findings and that hostile
# peers cost bounded time.
set -u
: "${WACHTER:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/svc_local.XXXXXX")
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# ---- sshd
mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$T/hk_ed25519" || exit 1
ssh-keygen -q -t rsa -b 2048 -N '' -f "$T/hk_rsa" || exit 1
cat >"$T/sshd_config" <<CONF
ListenAddress 127.88.0.1:2222
HostKey $T/hk_ed25519
HostKey $T/hk_rsa
PidFile $T/sshd.pid
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
KexAlgorithms curve25519-sha256,diffie-hellman-group14-sha1
HostKeyAlgorithms ssh-ed25519,rsa-sha2-256,ssh-rsa
Ciphers aes256-gcm@openssh.com,aes128-ctr
MACs hmac-sha2-256-etm@openssh.com,hmac-sha2-256
CONF
/usr/sbin/sshd -D -e -f "$T/sshd_config" 2>"$T/sshd.log" &
pids="$pids $!"

# ---- redis without a password
redis-server --port 16379 --bind 127.88.0.2 --save '' --appendonly no \
	--protected-mode no >"$T/redis.log" 2>&1 &
pids="$pids $!"

# ---- python peers
cat >"$T/peers.py" <<'PY'
import socket, sys, threading, time
log = open(sys.argv[1], "a")

def smtp(c):
    c.sendall(b"220 relay.example ESMTP Postfix\r\n")
    f = c.makefile("rb")
    for line in f:
        log.write("smtp " + line.decode(errors="replace").strip() + "\n"); log.flush()
        u = line.upper()
        if u.startswith(b"EHLO"):
            c.sendall(b"250-relay.example\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n")
        elif u.startswith(b"QUIT"):
            c.sendall(b"221 bye\r\n"); return
        elif u.startswith(b"DATA"):
            c.sendall(b"354 go\r\n")
        else:
            c.sendall(b"250 ok\r\n")

def ftp(c):
    c.sendall(b"220 (vsFTPd 3.0.3)\r\n")
    for line in c.makefile("rb"):
        u = line.upper()
        if u.startswith(b"USER ANONYMOUS"): c.sendall(b"331 Please specify the password.\r\n")
        elif u.startswith(b"PASS"): c.sendall(b"230 Login successful.\r\n")
        elif u.startswith(b"QUIT"): c.sendall(b"221 Goodbye.\r\n"); return
        else: c.sendall(b"500 what\r\n")

def imap(c):
    c.sendall(b"* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] Dovecot (Debian) ready.\r\n")
    for line in c.makefile("rb"):
        tag = line.split(b" ")[0]
        if b"CAPABILITY" in line.upper():
            c.sendall(b"* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\n" + tag + b" OK done\r\n")
        elif b"LOGOUT" in line.upper():
            c.sendall(b"* BYE\r\n" + tag + b" OK bye\r\n"); return

def pgtrust(c):
    c.recv(4096)
    c.sendall(b"R\x00\x00\x00\x08\x00\x00\x00\x00")

def ldap(c):
    c.recv(4096)
    c.sendall(b"\x30\x0c\x02\x01\x01\x61\x07\x0a\x01\x00\x04\x00\x04\x00")

def kerberos(c):
    c.recv(4096)
    c.sendall(bytes.fromhex("000000607e5e305ca003020105a10302011ea411180f32303236313132383130303030305a"
        "a503020100a603020144a90d1b0b4558414d504c452e4f5247aa243022a003020102a11b30191b066b7262"
        "7467741b0f574143485445522e494e56414c4944"))

def msrpc(c):
    req = c.recv(4096)
    if req[:3] == bytes([5, 0, 11]):
        c.sendall(bytes([5, 0, 12, 3, 0x10, 0, 0, 0, 60, 0, 0, 0, 1, 0, 0, 0, 0xd0, 0x16, 0xd0, 0x16,
            0x78, 0x56, 0x34, 0x12, 4, 0]) + b"135\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00"
            + bytes.fromhex("045d888aeb1cc9119fe808002b104860") + b"\x02\x00\x00\x00")

def mssql(c):
    if c.recv(4096)[:1] == b"\x12":
        c.sendall(bytes.fromhex("0401001a0000010000000b00060100110001ff0f0007d0000002"))

def memcached(c):
    if c.recv(4096).startswith(b"version"):
        c.sendall(b"VERSION 1.6.18\r\n")

def elastic(c):
    if c.recv(4096).startswith(b"GET / "):
        body = (b'{"name":"es1","version":{"number":"8.11.1"},'
                b'"tagline":"You Know, for Search"}\n')
        c.sendall(b"HTTP/1.1 200 OK\r\nX-elastic-product: Elasticsearch\r\n"
                  b"content-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body)
                  + body)

def mongodb(c):
    while True:
        q = c.recv(4096)
        if not q:
            return
        if b"buildInfo" in q:
            c.sendall(bytes.fromhex("a10000000700000001000000dd07000000000000008c0000000476657273696f6e4172726179002100000010300007000000103100000000001032000200000010330000000000000267697456657273696f6e002900000030326233633635356531333032323039656630343664613662613365663637343964643062363261000276657273696f6e0006000000372e302e3200016f6b00000000000000f03f00"))
        elif b"listDatabases" in q:
            c.sendall(bytes.fromhex("450000000700000001000000dd0700000000000000300000000464617461626173657300050000000010746f74616c53697a650000000000016f6b00000000000000f03f00"))

def garbage(c): c.sendall(bytes(range(1, 250)) * 4)
def endless(c):
    try:
        for _ in range(12800): c.sendall(b"A" * 8192)
    except OSError: pass
def hang(c):
    try:
        while c.recv(4096): pass
    except OSError: pass
def reset(c):
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")

def serve(port, fn):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.88.0.3", port)); s.listen(16)
    while True:
        c, _ = s.accept()
        def run(c=c):
            try: fn(c)
            except OSError: pass
            finally: c.close()
        threading.Thread(target=run, daemon=True).start()

for port, fn in ((2525, smtp), (2121, ftp), (1143, imap), (5432, pgtrust), (389, ldap), (88, kerberos), (135, msrpc), (1433, mssql), (11211, memcached), (9200, elastic), (27017, mongodb), (4001, garbage), (4002, endless), (4003, hang), (4004, reset)):
    threading.Thread(target=serve, args=(port, fn), daemon=True).start()
time.sleep(600)
PY
python3 "$T/peers.py" "$T/peers.log" &
pids="$pids $!"

# wait for the listeners
for i in $(seq 50); do
	if python3 -c "
import socket,sys
for h,p in (('127.88.0.1',2222),('127.88.0.2',16379),('127.88.0.3',4004)):
    socket.create_connection((h,p),1).close()" 2>/dev/null; then break; fi
	sleep 0.2
done

"$WACHTER" probe -t 2000 127.88.0.1 2222 >"$T/ssh.out" 2>&1
grep -q "^svc	2222	ssh	OpenSSH	" "$T/ssh.out" || bad "sshd not identified: $(head -3 "$T/ssh.out")"
grep -q "cpe:2.3:a:openbsd:openssh:" "$T/ssh.out" || bad "no OpenSSH CPE"
grep -q "finding:  SVC-11 medium .*diffie-hellman-group14-sha1.*ssh-rsa" "$T/ssh.out" ||
	bad "SVC-11 for group14-sha1/ssh-rsa missing: $(grep finding "$T/ssh.out")"
grep -q "finding:  SVC-12 medium .*password" "$T/ssh.out" ||
	bad "SVC-12 (password auth) missing: $(grep finding "$T/ssh.out")"

"$WACHTER" probe -t 2000 127.88.0.2 16379 >"$T/redis.out" 2>&1
grep -q "^svc	16379	redis	Redis	[0-9]" "$T/redis.out" || bad "redis: $(head -2 "$T/redis.out")"
grep -q "finding:  SVC-06 critical Redis answers PING without a password" "$T/redis.out" ||
	bad "SVC-06 critical missing"

"$WACHTER" probe -t 2000 127.88.0.3 2525 2121 >"$T/mail.out" 2>&1
grep -q "^svc	2525	smtp	Postfix smtpd" "$T/mail.out" || bad "smtp: $(grep '^svc' "$T/mail.out")"
grep -q "finding:  MAIL-15 critical open relay" "$T/mail.out" || bad "MAIL-15 missing"
grep -q "finding:  MAIL-16 high SMTP offers AUTH" "$T/mail.out" || bad "MAIL-16 missing"
grep -q "^smtp DATA" "$T/peers.log" && bad "the relay test sent DATA"
grep -q "^smtp RSET" "$T/peers.log" || bad "the relay test did not RSET"
grep -q "^svc	2121	ftp	vsftpd	3.0.3" "$T/mail.out" || bad "ftp: $(grep '^svc' "$T/mail.out")"
grep -q "finding:  SVC-04 high FTP accepts anonymous login" "$T/mail.out" || bad "SVC-04 missing"

"$WACHTER" probe -t 2000 127.88.0.3 1143 5432 389 >"$T/more.out" 2>&1
grep -q "^svc	1143	imap	Dovecot imapd" "$T/more.out" || bad "imap: $(grep '^svc' "$T/more.out")"
grep -q "finding:  MAIL-16 high IMAP allows LOGIN/PLAIN before STARTTLS" "$T/more.out" ||
	bad "MAIL-16 (IMAP) missing"
grep -q "^svc	5432	postgresql	PostgreSQL" "$T/more.out" || bad "pgsql: $(grep '^svc' "$T/more.out")"
grep -q "finding:  SVC-05 critical .*auth=trust" "$T/more.out" || bad "SVC-05 trust missing"
grep -q "^svc	389	ldap" "$T/more.out" || bad "ldap: $(grep '^svc' "$T/more.out")"
grep -q "finding:  SVC-08 high" "$T/more.out" || bad "SVC-08 missing"
"$WACHTER" probe -t 2000 127.88.0.3 1433 >"$T/mssql.out" 2>&1
grep -q "^svc	1433	mssql	Microsoft SQL Server 2019	15.00.2000.00" "$T/mssql.out" ||
	bad "mssql: $(grep '^svc' "$T/mssql.out")"
grep -q "finding:  SVC-05 high" "$T/mssql.out" || bad "SVC-05 (mssql) missing"
"$WACHTER" probe -t 2000 127.88.0.3 11211 9200 27017 >"$T/store.out" 2>&1
grep -q "^svc	27017	mongodb	MongoDB	7.0.2" "$T/store.out" || bad "mongodb: $(grep '^svc' "$T/store.out")"
grep -q "^svc	11211	memcached	Memcached	1.6.18" "$T/store.out" ||
	bad "memcached: $(grep '^svc' "$T/store.out")"
grep -q "^svc	9200	http	Elasticsearch REST API	8.11.1" "$T/store.out" ||
	bad "elasticsearch: $(grep '^svc' "$T/store.out")"
[ "$(grep -c "finding:  SVC-06 critical" "$T/store.out")" = 3 ] ||
	bad "SVC-06 for memcached/elasticsearch/mongodb missing: $(grep finding "$T/store.out")"
"$WACHTER" probe -t 2000 127.88.0.3 88 135 >"$T/dir.out" 2>&1
grep -q "^svc	88	kerberos" "$T/dir.out" || bad "kerberos: $(grep '^svc' "$T/dir.out")"
grep -q "^svc	135	msrpc" "$T/dir.out" || bad "msrpc: $(grep '^svc' "$T/dir.out")"
[ "$(grep -c "finding:  SVC-08 high" "$T/dir.out")" = 2 ] || bad "SVC-08 for kerberos/msrpc missing"

# hostile peers: unknown, within 2 x timeout each (all four in parallel)
t0=$(date +%s%N)
"$WACHTER" probe -I -t 500 127.88.0.3 4001 4002 4003 4004 >"$T/hostile.out" 2>&1
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
# (a reset that lands before connect() reports looks like a closed port)
[ "$(grep -c '^svc	400[1-3]	unknown' "$T/hostile.out")" = 3 ] &&
	grep -qE '^svc	4004	(unknown|error	connection failed)' "$T/hostile.out" ||
	bad "hostile peers identified as something: $(grep '^svc' "$T/hostile.out")"
[ "$ms" -le 1500 ] || bad "hostile peers took $ms ms (limit 2 x 500 ms + slack)"

# a closed port is an error, not a guess
"$WACHTER" probe -I -t 500 127.88.0.3 4999 >"$T/closed.out" 2>&1
grep -q "^svc	4999	error	connection failed" "$T/closed.out" || bad "closed port: $(cat "$T/closed.out")"

[ $fail = 0 ] && echo "svc_local: ok (hostile peers: $ms ms)"
exit $fail
