#!/bin/sh
# server_mail.sh: password reset by e-mail. A small SMTP sink (python3, on
# 127.0.0.1) stands in for the relay; "wachter serve --smtp-url" mails the
# reset code there; the code sets a new password once, the old password
# and the used code stop working, and an unknown address gets the same
# answer without a message.
set -u
: "${WACHTER:?WACHTER must name the wachter binary}"
command -v python3 >/dev/null || { echo "FAIL: python3 is needed"; exit 1; }
tmp=$(mktemp -d)
pid=
spid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	[ -n "$spid" ] && kill -9 "$spid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
fail=0
db="sqlite:$tmp/db.sqlite"

check() {
	if [ "$2" = "$3" ]; then
		echo "ok   $1"
	else
		echo "FAIL $1: got '$2', want '$3'"
		fail=1
	fi
}

# The sink: one message per file in $tmp/mail/, port written to $tmp/smtp.port.
mkdir "$tmp/mail"
cat >"$tmp/sink.py" <<'PY'
import os, socket, sys, threading
out = sys.argv[1]
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(8)
open(os.path.join(out, "..", "smtp.port"), "w").write(str(srv.getsockname()[1]))
n = [0]
def serve(c):
    f = c.makefile("rwb")
    def send(s):
        f.write(s.encode() + b"\r\n"); f.flush()
    send("220 sink ESMTP")
    rcpt, data = [], None
    while True:
        line = f.readline()
        if not line:
            return
        cmd = line.decode("latin-1").strip()
        up = cmd.upper()
        if data is not None:
            if cmd == ".":
                n[0] += 1
                with open(os.path.join(out, "%d.eml" % n[0]), "wb") as m:
                    m.write(("X-Rcpt: %s\r\n" % ",".join(rcpt)).encode() + b"".join(data))
                data = None
                send("250 queued")
            else:
                data.append(line)
            continue
        if up.startswith("EHLO") or up.startswith("HELO"):
            send("250 sink")
        elif up.startswith("MAIL FROM"):
            send("250 ok")
        elif up.startswith("RCPT TO"):
            rcpt.append(cmd[8:].strip()); send("250 ok")
        elif up == "DATA":
            data = []; send("354 go on")
        elif up == "QUIT":
            send("221 bye"); return
        else:
            send("250 ok")
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
python3 "$tmp/sink.py" "$tmp/mail" &
spid=$!
i=0
while [ ! -s "$tmp/smtp.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
SMTP="smtp://127.0.0.1:$(cat "$tmp/smtp.port")"

"$WACHTER" --store.url="$db" serve --init-operator op@example.nl >op 2>&1
PW=$(sed -n 's/^password: //p' op)
"$WACHTER" --store.url="$db" serve --smtp-url "$SMTP" >/dev/null 2>&1
check "smtp without sender refused" $? 2

U=
for try in 1 2 3 4 5 6 7 8; do
	port=$((21000 + ($$ * 13 + try * 139) % 9000))
	"$WACHTER" --store.url="$db" --log.level=info --mail.starttls=no serve --listen "127.0.0.1:$port" \
		--smtp-url "$SMTP" --mail-from wachter@example.nl 2>>server.log &
	pid=$!
	i=0
	while [ $i -lt 100 ]; do
		if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
			U="http://127.0.0.1:$port"
			break 2
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
done
[ -n "$U" ] || { echo "FAIL: the server did not start"; cat server.log; exit 1; }

post() { # post PATH BODY: status
	curl -s -o "$tmp/body" -w '%{http_code}' -X POST "$U$1" --data-binary "$2"
}

check "reset for unknown address" "$(post /api/password-reset '{"email":"nobody@example.nl"}')" 202
cp "$tmp/body" "$tmp/body.unknown"
check "reset for the operator" "$(curl -s -o "$tmp/body" -w '%{http_code}' -X POST "$U/api/password-reset" -H 'Accept-Language: en-GB,nl;q=0.5' --data-binary '{"email":"op@example.nl"}')" 202
check "same answer either way" "$(cmp -s "$tmp/body" "$tmp/body.unknown" && echo same)" same
i=0
while [ "$(ls "$tmp/mail" | wc -l)" -lt 1 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "one message sent" "$(ls "$tmp/mail" | wc -l | tr -d ' ')" 1
grep -q '^X-Rcpt: <op@example.nl>' "$tmp/mail/1.eml"
check "sent to the account" $? 0
grep -q '^Subject: wachter: reset your password' "$tmp/mail/1.eml"
check "subject" $? 0
CODE=$(sed -n 's/^  \([A-Za-z0-9_-]\{43\}\).*$/\1/p' "$tmp/mail/1.eml" | head -1)
check "code in the message" "$(printf '%s' "$CODE" | wc -c | tr -d ' ')" 43
grep -q "$CODE" server.log
check "code not in the log" $? 1
check "confirm" "$(post /api/password-reset/confirm "{\"token\":\"$CODE\",\"password\":\"brand-new-password\"}")" 204
check "confirm twice" "$(post /api/password-reset/confirm "{\"token\":\"$CODE\",\"password\":\"other-password-x\"}")" 404
check "old password" "$(post /api/session "{\"email\":\"op@example.nl\",\"password\":\"$PW\"}")" 401
check "new password" "$(post /api/session '{"email":"op@example.nl","password":"brand-new-password"}')" 200
check "unknown field" "$(post /api/password-reset '{"email":"op@example.nl","x":1}')" 400
kill "$pid"
wait "$pid"
pid=
exit $fail
