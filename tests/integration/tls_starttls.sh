#!/bin/sh
# tls_starttls.sh: `wachter tls --starttls smtp|imap|pop3|ftp` against a small
# Python server on 127.0.0.1 that speaks each protocol's greeting and
# STARTTLS command and then hands the socket to TLS (Python's ssl module,
# TLS 1.2+). Also a server that refuses STARTTLS: the scan must fail.
set -u

: "${WACHTER:?path to the wachter binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/wachter-starttls-XXXXXX")
SPID=""
fails=0

cleanup() {
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

cd "$T" || exit 1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem \
	-out cert.pem -days 60 -subj "/CN=mail.test" -addext "subjectAltName=DNS:mail.test" \
	2>/dev/null || exit 1

cat >server.py <<'EOF'
import socket, socketserver, ssl, sys, threading

ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain("cert.pem", "key.pem")

# protocol: (greeting, {command prefix: reply}, command that starts TLS)
PROTOS = {
    "smtp": (b"220 mail.test ESMTP\r\n",
             {b"EHLO": b"250-mail.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n"},
             b"STARTTLS", b"220 2.0.0 Ready to start TLS\r\n"),
    "imap": (b"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n", {},
             b"a1 STARTTLS", b"a1 OK Begin TLS negotiation now\r\n"),
    "pop3": (b"+OK POP3 ready\r\n", {}, b"STLS", b"+OK Begin TLS\r\n"),
    "ftp": (b"220-welcome\r\n220 FTP ready\r\n", {}, b"AUTH TLS", b"234 AUTH TLS ok\r\n"),
    "refuse": (b"220 mail.test ESMTP\r\n", {b"EHLO": b"250 mail.test\r\n"},
               b"STARTTLS", b"454 4.7.0 TLS not available\r\n"),
}

def handler(proto):
    greet, replies, cmd, go = PROTOS[proto]

    class H(socketserver.BaseRequestHandler):
        def handle(self):
            s = self.request
            s.settimeout(5)
            try:
                s.sendall(greet)
                f = s.makefile("rb")
                while True:
                    line = f.readline(512)
                    if not line:
                        return
                    if line.upper().startswith(cmd.upper()):
                        s.sendall(go)
                        if proto == "refuse":
                            continue
                        t = ctx.wrap_socket(s, server_side=True)
                        t.recv(1)
                        return
                    for k, v in replies.items():
                        if line.upper().startswith(k):
                            s.sendall(v)
                            break
                    else:
                        s.sendall(b"500 what\r\n")
            except Exception:
                return
    return H

class S(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

ports = []
for p in ["smtp", "imap", "pop3", "ftp", "refuse"]:
    srv = S(("127.0.0.1", 0), handler(p))  # the kernel picks a free port
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    ports.append(str(srv.server_address[1]))
print("SERVER-READY " + " ".join(ports), flush=True)
threading.Event().wait()
EOF
python3 server.py >server.log 2>&1 &
SPID=$!
i=0
until grep -q '^SERVER-READY ' server.log 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 50 ] && { echo "server did not start: $(cat server.log)" >&2; exit 1; }
	kill -0 $SPID 2>/dev/null || { echo "server died: $(cat server.log)" >&2; exit 1; }
	sleep 0.1
done
set -- $(sed -n 's/^SERVER-READY //p' server.log)
P_SMTP=$1 P_IMAP=$2 P_POP3=$3 P_FTP=$4 P_REFUSE=$5

for proto in smtp imap pop3 ftp; do
	out=$proto.json
	case $proto in smtp) port=$P_SMTP ;; imap) port=$P_IMAP ;; pop3) port=$P_POP3 ;; ftp) port=$P_FTP ;; esac
	"$WACHTER" tls 127.0.0.1 "$port" --starttls $proto --sni mail.test --ca-file cert.pem \
		--format json >"$out" 2>"$out.err" || fail "$proto: scan failed: $(cat "$out.err")"
	[ "$(jq -r '.report.versions[4].supported' "$out")" = "true" ] || fail "$proto: TLS 1.2 not seen"
	[ "$(jq -r '.report.versions[2].supported' "$out")" = "false" ] || fail "$proto: TLS 1.0 seen"
	[ "$(jq -r '.report.trusted' "$out")" = "true" ] || fail "$proto: certificate not trusted"
	[ "$(jq -r '.report.chain[0].subject' "$out")" = "CN=mail.test" ] || fail "$proto: wrong subject"
	jq -e '.report.versions[4].suites | map(.name) | index("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")' \
		"$out" >/dev/null || fail "$proto: ECDHE-ECDSA-AES128-GCM not enumerated"
done

if "$WACHTER" tls 127.0.0.1 "$P_REFUSE" --starttls smtp --format json >refuse.json 2>refuse.err; then
	fail "refused STARTTLS reported as TLS"
fi
grep -q "protocol" refuse.err || fail "refused STARTTLS: unexpected error: $(cat refuse.err)"

[ $fails -eq 0 ] && echo "tls_starttls: ok"
[ $fails -eq 0 ] || { echo "server log:"; tail -20 server.log; kill -0 "$SPID" 2>/dev/null && echo "server alive" || echo "server gone"; }
exit $((fails > 0))
