#!/bin/sh
# web_hostile.sh: `wachter web` against hostile HTTP servers on 127.77.1.50
# (a python3 server, one behaviour per port): an endless body, an endless
# header block, a redirect loop, a byte-a-second drip, binary garbage and a
# javascript: redirect. Each scan must end within its time bound with a
# clear finding or error, and its peak memory stay bounded.
set -u
: "${WACHTER:?}"
ADDR=127.77.1.50
out=$(mktemp -d "${TMPDIR:-/tmp}/web_hostile.XXXXXX")
srv=""
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	rm -rf "$out"
}
trap cleanup EXIT INT TERM

cat >"$out/hostile.py" <<'PY'
import socket, sys, threading, time

ADDR = sys.argv[1]

def endless_body(c):
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>")
    chunk = b"<p>" + b"x" * 65536
    while True:
        c.sendall(chunk)

def endless_headers(c):
    c.sendall(b"HTTP/1.1 200 OK\r\n")
    i = 0
    while True:
        c.sendall(b"X-Junk-%d: %s\r\n" % (i, b"y" * 100))
        i += 1

def loop(c):
    c.sendall(b"HTTP/1.1 301 Moved\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n")

def drip(c):
    for b in b"HTTP/1.1 200 OK\r\nServer: slow\r\n\r\n":
        c.sendall(bytes([b]))
        time.sleep(1)

def garbage(c):
    c.sendall(b"\x00\xff\xfe garbage \x01\x02\r\n\r\n" * 10)

def jsredirect(c):
    c.sendall(b"HTTP/1.1 302 Found\r\nLocation: javascript:alert(1)\r\nContent-Length: 0\r\n\r\n")

BEHAVIOURS = {8001: endless_body, 8002: endless_headers, 8003: loop, 8004: drip,
              8005: garbage, 8006: jsredirect}

def serve(port, fn):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ADDR, port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        def handle(c=c):
            try:
                c.settimeout(30)
                c.recv(65536)
                fn(c)
            except OSError:
                pass
            finally:
                try:
                    c.close()
                except OSError:
                    pass
        threading.Thread(target=handle, daemon=True).start()

for port, fn in BEHAVIOURS.items():
    threading.Thread(target=serve, args=(port, fn), daemon=True).start()
print("ready", flush=True)
while True:
    time.sleep(3600)
PY
python3 "$out/hostile.py" "$ADDR" >"$out/srv.log" 2>&1 &
srv=$!
n=50
while [ "$n" -gt 0 ] && ! grep -q ready "$out/srv.log" 2>/dev/null; do
	sleep 0.1
	n=$((n - 1))
done
grep -q ready "$out/srv.log" || { cat "$out/srv.log"; echo "FAIL: hostile server did not start"; exit 1; }

fails=0
# case PORT MAX_SECONDS MAX_RSS_MB EXPECT: EXPECT is "finding:ID" or "error:TEXT".
case_() {
	port=$1 maxs=$2 maxmb=$3 expect=$4
	t0=$(date +%s%N)
	/usr/bin/time -f "%M" -o "$out/rss.$port" "$WACHTER" web "http://$ADDR:$port/" \
		--timeout 2000 --format json >"$out/$port.json" 2>"$out/$port.err"
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	rss=$(tail -n 1 "$out/rss.$port" | tr -dc 0-9)
	rss_mb=$((${rss:-0} / 1024))
	ok=1
	[ "$ms" -le $((maxs * 1000)) ] || { echo "FAIL: port $port: took $ms ms (max ${maxs}s)"; ok=0; }
	[ "$rss_mb" -le "$maxmb" ] || { echo "FAIL: port $port: peak RSS $rss_mb MB (max $maxmb)"; ok=0; }
	case $expect in
	finding:*)
		id=${expect#finding:}
		[ $rc -eq 0 ] && grep -q "\"id\":\"$id\"" "$out/$port.json" ||
			{ echo "FAIL: port $port: want finding $id (rc $rc)"; cat "$out/$port.err"; ok=0; }
		;;
	error:*)
		txt=${expect#error:}
		[ $rc -eq 1 ] && grep -q "$txt" "$out/$port.err" ||
			{ echo "FAIL: port $port: want error '$txt' (rc $rc)"; cat "$out/$port.err"; ok=0; }
		;;
	esac
	[ $ok -eq 1 ] && echo "ok: port $port ($expect) in $ms ms, peak RSS $rss_mb MB" ||
		fails=$((fails + 1))
}

# The endless body is cut at the 2 MiB cap and the page still judged.
case_ 8001 10 300 finding:TLS-02
case_ 8002 10 300 "error:too big"
case_ 8003 15 300 finding:TLS-02
case_ 8004 10 300 error:timed
case_ 8005 10 300 "error:127.77.1.50: "
case_ 8006 10 300 finding:TLS-02
grep -q '"test":"redirection-not-to-https"' "$out/8003.json" &&
	grep -q 'more than 10 redirects' "$out/8003.json" ||
	{ echo "FAIL: redirect loop not reported as a loop"; fails=$((fails + 1)); }
grep -q '"status":200' "$out/8001.json" ||
	{ echo "FAIL: endless body: page not judged"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ] || { echo "web_hostile: $fails case(s) failed"; exit 1; }
echo "web_hostile: every hostile server handled within its bounds"
