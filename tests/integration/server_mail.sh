#!/bin/sh
# server_mail.sh: the server's e-mail. A small SMTP sink (python3, on
# 127.0.0.1) stands in for the relay.
#  1. Flags (--smtp-url/--mail-from): a password reset is answered 202
#     while the sink still holds its greeting (so the answer cannot have
#     waited for the mail); the mail arrives once the sink lets it in; the
#     code sets a new password once; an unknown address gets the same
#     answer and no message; the code is never logged.
#  2. The config table (WACHTER_MAIL_* and WACHTER_SERVE_* variables):
#     invitation mails in English (Accept-Language) and Dutch (default)
#     with the <public_url>/invite#<token> link and an RFC 2047 subject;
#     the token works and the API does not hand it to the inviter; the
#     server's own security.txt passes wachter's web check.
#  3. wachter config check refuses bad mail settings.
#  4. A relay that is down, and mail.starttls=require against a relay
#     without STARTTLS: the failure is logged, the server stays up, resets
#     still answer 202, SIGTERM still stops it cleanly.
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

# The sink: one message per file in $tmp/mail/, port written to
# $tmp/smtp.port. It sends its greeting only while $tmp/gate exists.
mkdir "$tmp/mail"
cat >"$tmp/sink.py" <<'PY'
import os, socket, sys, threading, time
out, gate = sys.argv[1], sys.argv[2]
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(8)
open(os.path.join(out, "..", "smtp.port"), "w").write(str(srv.getsockname()[1]))
n = [0]
lock = threading.Lock()
def serve(c):
    while not os.path.exists(gate):
        time.sleep(0.05)
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
                with lock:
                    n[0] += 1
                    k = n[0]
                name = os.path.join(out, "%d.eml" % k)
                with open(name + ".tmp", "wb") as m:
                    m.write(("X-Rcpt: %s\r\n" % ",".join(rcpt)).encode() + b"".join(data))
                os.rename(name + ".tmp", name)
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
touch "$tmp/gate"
python3 "$tmp/sink.py" "$tmp/mail" "$tmp/gate" &
spid=$!
i=0
while [ ! -s "$tmp/smtp.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
SMTP="smtp://127.0.0.1:$(cat "$tmp/smtp.port")"

nmail() { ls "$tmp/mail" | grep -c '\.eml$'; }
# wait_mail N: until N messages are in (at most 15 s; not a timing check).
wait_mail() {
	i=0
	while [ "$(nmail)" -lt "$1" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
}
# wait_log PATTERN: until the server log $LOG matches (at most 20 s).
wait_log() {
	i=0
	while ! grep -q "$1" "$LOG" && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
}

# start ARGS...: start "wachter ARGS serve --listen ..." on a free port;
# sets U and pid. Extra environment comes from the caller.
start() {
	U=
	for try in 1 2 3 4 5 6 7 8; do
		port=$((21000 + ($$ * 13 + try * 139 + OFF) % 9000))
		OFF=$((OFF + 1009))
		WACHTER_SERVE_PUBLIC_URL=${PUBLIC:+http://127.0.0.1:$port} \
			"$WACHTER" --store.url="$db" --log.level=info "$@" serve \
			--listen "127.0.0.1:$port" $SERVE_FLAGS 2>>"$LOG" &
		pid=$!
		i=0
		while [ $i -lt 100 ]; do
			if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
				U="http://127.0.0.1:$port"
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		pid=
	done
	echo "FAIL: the server did not start"
	cat "$LOG"
	exit 1
}

stop() {
	kill "$pid"
	wait "$pid"
	check "$1: SIGTERM exit status" $? 0
	pid=
}

post() { # post PATH BODY [HEADER]: status
	curl -s -o "$tmp/body" -w '%{http_code}' -X POST "$U$1" ${3:+-H "$3"} --data-binary "$2"
}

# mail_header FILE NAME: the header's value (unfolded).
mail_header() {
	python3 - "$1" "$2" <<'PY'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m[sys.argv[2]] or "")
PY
}

"$WACHTER" --store.url="$db" serve --init-operator op@example.nl >op 2>&1
PW=$(sed -n 's/^password: //p' op)
"$WACHTER" --store.url="$db" serve --smtp-url "$SMTP" >/dev/null 2>&1
check "smtp without sender refused" $? 2

# ---------------------------------------------------------------- 1. flags
OFF=0
LOG=server1.log
SERVE_FLAGS="--smtp-url $SMTP --mail-from wachter@example.nl"
PUBLIC=
start --mail.starttls=no
SERVE_FLAGS=

check "reset for unknown address" "$(post /api/password-reset '{"email":"nobody@example.nl"}')" 202
cp "$tmp/body" "$tmp/body.unknown"
# The sink holds its greeting: a server that sent the mail before its
# answer could not answer now (it would wait for the relay until its
# 15 s mail timeout, and then the mail would be lost).
rm "$tmp/gate"
check "reset for the operator (relay holding)" \
	"$(post /api/password-reset '{"email":"op@example.nl"}' 'Accept-Language: en-GB,nl;q=0.5')" 202
check "same answer either way" "$(cmp -s "$tmp/body" "$tmp/body.unknown" && echo same)" same
check "no message before the relay lets it in" "$(nmail)" 0
touch "$tmp/gate"
wait_mail 1
check "the message arrives after the answer" "$(nmail)" 1
grep -q '^X-Rcpt: <op@example.nl>' "$tmp/mail/1.eml"
check "sent to the account" $? 0
check "English subject (Accept-Language)" "$(mail_header "$tmp/mail/1.eml" Subject)" \
	"wachter: reset your password"
check "charset" "$(grep -c '^Content-Type: text/plain; charset=utf-8' "$tmp/mail/1.eml")" 1
check "Date header" "$(mail_header "$tmp/mail/1.eml" Date | grep -c '+0000$')" 1
check "Message-ID header" "$(mail_header "$tmp/mail/1.eml" Message-ID | grep -c '^<[A-Za-z0-9_-]*@example.nl>$')" 1
CODE=$(sed -n 's/^  \([A-Za-z0-9_-]\{43\}\).*$/\1/p' "$tmp/mail/1.eml" | head -1)
check "code in the message" "$(printf '%s' "$CODE" | wc -c | tr -d ' ')" 43
wait_log "mail sent kind=reset"
grep -q "mail sent kind=reset" server1.log
check "delivery logged" $? 0
grep -q "$CODE" server1.log
check "code not in the log" $? 1
check "confirm" "$(post /api/password-reset/confirm "{\"token\":\"$CODE\",\"password\":\"brand-new-password\"}")" 204
check "confirm twice" "$(post /api/password-reset/confirm "{\"token\":\"$CODE\",\"password\":\"other-password-x\"}")" 404
check "old password" "$(post /api/session "{\"email\":\"op@example.nl\",\"password\":\"$PW\"}")" 401
check "new password" "$(post /api/session '{"email":"op@example.nl","password":"brand-new-password"}')" 200
check "unknown field" "$(post /api/password-reset '{"email":"op@example.nl","x":1}')" 400
check "still one message (none for the unknown address)" "$(nmail)" 1
stop "flags"

# ------------------------------------------------------- 2. config table
export WACHTER_MAIL_SMTP_URL="$SMTP" WACHTER_MAIL_FROM=noreply@wachter.example.nl
export WACHTER_MAIL_STARTTLS=no WACHTER_SERVE_SECURITY_CONTACT=mailto:security@example.nl
PUBLIC=1
LOG=server2.log
start
check "reset via the config table" "$(post /api/password-reset '{"email":"op@example.nl"}')" 202
wait_mail 2
check "message from the config table's relay" "$(nmail)" 2
grep -q '^From: wachter <noreply@wachter.example.nl>' "$tmp/mail/2.eml"
check "mail.from used" $? 0
check "Dutch subject by default" "$(mail_header "$tmp/mail/2.eml" Subject)" \
	"wachter: wachtwoord opnieuw instellen"
CODE2=$(sed -n 's/^  \([A-Za-z0-9_-]\{43\}\).*$/\1/p' "$tmp/mail/2.eml" | head -1)
check "code in the second message" "$(printf '%s' "$CODE2" | wc -c | tr -d ' ')" 43
grep -q "^of open $U/reset#$CODE2" "$tmp/mail/2.eml"
check "reset link with the public URL and the code after #" $? 0

# The operator signs in, makes an API token, an organisation, invitations.
curl -s -o "$tmp/login" -c "$tmp/jar" -X POST "$U/api/session" \
	--data-binary '{"email":"op@example.nl","password":"brand-new-password"}'
CSRF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$tmp/login")
curl -s -o "$tmp/tok" -b "$tmp/jar" -H "X-CSRF-Token: $CSRF" -X POST "$U/api/tokens" \
	--data-binary '{"name":"mailtest"}'
TOK=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$tmp/tok")
api() { # api PATH BODY [HEADER]: status, body in $tmp/body
	curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $TOK" \
		${3:+-H "$3"} -X POST "$U$1" --data-binary "$2"
}
check "create organisation" "$(api /api/orgs '{"name":"Bakkerij \u00c9\u00e9n <b>"}')" 201
ORG=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp/body")

check "invite in English" "$(api "/api/orgs/$ORG/invitations" \
	'{"email":"new-en@example.nl","role":"admin"}' 'Accept-Language: en')" 201
check "no token for the inviter when mail is configured" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("token" in d, d.get("mailed"))' "$tmp/body")" "False True"
wait_mail 3
M=$tmp/mail/3.eml
check "invitation mailed" "$(nmail)" 3
grep -q '^X-Rcpt: <new-en@example.nl>' "$M"
check "invitation to the invitee" $? 0
grep -q '^Subject: =?UTF-8?B?' "$M"
check "subject RFC 2047 encoded" $? 0
check "English subject" "$(mail_header "$M" Subject)" "wachter – you are invited"
grep -q 'op@example.nl invites you' "$M"
check "names the inviter" $? 0
grep -q 'as administrator of "Bakkerij Één <b>"' "$M"
check "names the organisation and role" $? 0
ITOK=$(tr -d '\r' <"$M" | sed -n "s|^  $U/invite#\([A-Za-z0-9_-]\{43\}\)\$|\1|p" | head -1)
check "accept link <public_url>/invite#<token>" "$(printf '%s' "$ITOK" | wc -c | tr -d ' ')" 43
grep -q "$ITOK" server2.log
check "invitation token not in the log" $? 1
check "accept with the mailed token" "$(post /api/invitations/accept \
	"{\"token\":\"$ITOK\",\"password\":\"invited-password-1\"}")" 201
check "invitee signs in" "$(post /api/session '{"email":"new-en@example.nl","password":"invited-password-1"}')" 200

check "invite without Accept-Language" "$(api "/api/orgs/$ORG/invitations" \
	'{"email":"nieuw@example.nl","role":"member"}')" 201
wait_mail 4
M=$tmp/mail/4.eml
check "Dutch subject" "$(mail_header "$M" Subject)" "wachter – uitnodiging"
grep -q 'op@example.nl nodigt je uit' "$M"
check "Dutch text" $? 0
grep -q "^  $U/invite#[A-Za-z0-9_-]\{43\}" "$M"
check "Dutch accept link" $? 0

# security.txt of the server itself.
code=$(curl -s -D "$tmp/sthdr" -o "$tmp/sectxt" -w '%{http_code}' "$U/.well-known/security.txt")
check "security.txt" "$code" 200
check "security.txt type" "$(grep -ci '^content-type: text/plain; charset=utf-8' "$tmp/sthdr")" 1
check "security.txt contact" "$(grep -c '^Contact: mailto:security@example.nl$' "$tmp/sectxt")" 1
check "security.txt canonical" \
	"$(grep -c "^Canonical: $U/.well-known/security.txt\$" "$tmp/sectxt")" 1
check "security.txt languages" "$(grep -c '^Preferred-Languages: nl, en$' "$tmp/sectxt")" 1
EXP=$(sed -n 's/^Expires: //p' "$tmp/sectxt")
check "Expires about a year ahead" "$(python3 -c '
import datetime, sys
e = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
d = (e - datetime.datetime.now(datetime.timezone.utc)).days
print(364 <= d <= 365)' "$EXP")" True
"$WACHTER" web "$U/" >web.out 2>&1
grep -q 'valid security.txt, Contact mailto:security@example.nl' web.out
check "wachter web: security.txt valid" $? 0
grep -q '^HDR-09' web.out
check "wachter web: no HDR-09" $? 1
stop "config table"
unset WACHTER_MAIL_SMTP_URL WACHTER_MAIL_FROM WACHTER_MAIL_STARTTLS WACHTER_SERVE_SECURITY_CONTACT
PUBLIC=

# --------------------------------------------------- 3. config check
conf() { # conf LINES...: exit status of "wachter config check"
	printf '%s\n' "$@" >t.conf
	"$WACHTER" config check t.conf >/dev/null 2>&1
	echo $?
}
check "config: good mail settings" "$(conf '[mail]' 'smtp_url = smtps://user:pw@mail.example.nl:465' \
	'from = wachter@example.nl' 'starttls = try' '[serve]' \
	'security_contact = https://example.nl/security')" 0
check "config: http relay" "$(conf '[mail]' 'smtp_url = http://mail.example.nl' 'from = a@example.nl')" 2
check "config: relay without host" "$(conf '[mail]' 'smtp_url = smtp://' 'from = a@example.nl')" 2
check "config: from with CR LF" "$(conf '[mail]' 'smtp_url = smtp://127.0.0.1' \
	'from = "a@example.nl\r\nBcc: eve@example.nl"')" 2
check "config: from with angle bracket" "$(conf '[mail]' 'smtp_url = smtp://127.0.0.1' \
	'from = a@example.nl>')" 2
check "config: from without relay" "$(conf '[mail]' 'from = a@example.nl')" 2
check "config: starttls bogus" "$(conf '[mail]' 'starttls = maybe')" 2
check "config: contact ftp" "$(conf '[serve]' 'security_contact = ftp://example.nl')" 2

# ---------------------------------------------- 4. relay down / no TLS
# A port nothing listens on: the sink's port once it is gone.
kill -9 "$spid"
wait "$spid" 2>/dev/null
spid=
LOG=server3.log
SERVE_FLAGS="--smtp-url $SMTP --mail-from wachter@example.nl"
start --mail.starttls=no
check "relay down: reset still 202" "$(post /api/password-reset '{"email":"op@example.nl"}')" 202
wait_log "mail delivery failed"
grep -q 'mail delivery failed kind=reset' server3.log
check "relay down: failure logged" $? 0
check "relay down: server still answers" "$(curl -s -o /dev/null -w '%{http_code}' "$U/healthz")" 200
stop "relay down"

# mail.starttls=require (the default) and a relay without STARTTLS.
touch "$tmp/gate"
python3 "$tmp/sink.py" "$tmp/mail" "$tmp/gate" &
spid=$!
rm -f "$tmp/smtp.port"
i=0
while [ ! -s "$tmp/smtp.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
SMTP="smtp://127.0.0.1:$(cat "$tmp/smtp.port")"
n0=$(nmail)
LOG=server4.log
SERVE_FLAGS="--smtp-url $SMTP --mail-from wachter@example.nl"
start
SERVE_FLAGS=
check "no STARTTLS: reset still 202" "$(post /api/password-reset '{"email":"op@example.nl"}')" 202
wait_log "mail delivery failed"
grep -q 'mail delivery failed kind=reset.*SSL' server4.log
check "no STARTTLS: refused to send in plain text" $? 0
check "no STARTTLS: nothing delivered" "$(nmail)" "$n0"
stop "no STARTTLS"
[ $fail = 0 ] || tail -n 5 server*.log
cat server*.log | grep -qi 'AddressSanitizer\|runtime error\|LeakSanitizer'
check "no sanitizer reports" $? 1
exit $fail
