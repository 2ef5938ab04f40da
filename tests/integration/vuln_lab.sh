#!/bin/sh
# vuln_lab.sh: known-vulnerability findings against the lab (issue 5).
# Imports the nvd-2.0 records + KEV + EPSS into a temporary KB and runs
# `wachter scan --kb` on the lab's OpenSSH (ssh-weak, ssh-good), nginx
# (web-weak: server_tokens on; good, weak-tls: versions hidden) and Apache
# (weak-dh: ServerTokens Prod, hidden) hosts, on an Apache of the installed
# apache2 package the test starts on 127.0.0.1 with ServerTokens OS (the
# lab's weak-dh keeps Prod: svc_lab.sh expects no version there), and on
# stand-ins on 127.0.0.1 whose banners name older releases the records
# cover (so the scan path is shown to report CVEs, not only to report none). Every VULN- finding (CVE, port,
# severity, confidence) is compared with a list computed independently here
# by python3 over the nvd-2.0 JSON and the KEV list. The versions the lab's
# banners show must be the ones dpkg-query reports for openssh-server, nginx
# and apache2; web-weak:443 and the test's Apache must show one.
set -u
: "${WACHTER:?}" "${WACHTER_SRC:?}" "${WACHTER_SHARED:?}"
V="$WACHTER_SHARED/data/vuln"
LABSRC="$WACHTER_SRC/tests/lab"
T=$(mktemp -d "${TMPDIR:-/tmp}/vuln_lab.XXXXXX")
FAKE_PID=
cleanup() {
	[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null
	[ -s "$T/apache/apache2.pid" ] && kill "$(cat "$T/apache/apache2.pid")" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
KB="$T/kb/wachter.kb"

fail() { echo "FAIL: $*" >&2; exit 1; }

"$WACHTER" feed import --fresh --kb "$KB" "$V"/nvd-2.0/CVE-*.json "$V"/kev/*.json \
	"$V"/epss/*.csv.gz >"$T/import.log" 2>&1 || { cat "$T/import.log"; fail "feed import"; }
. "$LABSRC/lib.sh"
"$LABSRC/up" >"$T/up.log" 2>&1 || { cat "$T/up.log"; fail "lab did not come up"; }
"$LABSRC/web-up" >"$T/web-up.log" 2>&1 || { cat "$T/web-up.log"; fail "web lab did not come up"; }
# A shared lock on the lab while we scan: a concurrent tests/lab/down
# (exclusive) waits for us instead of pulling the servers away.
exec 9>"$LAB.lock"
flock -s -w 300 9 || fail "cannot share the lab lock"
pid_alive "$LAB/run/web-nginx.pid" || fail "the web lab's nginx is not running"
CA="$LAB/ca/ca.pem"

dpkg-query -W -f '${Package}\t${Version}\n' openssh-server nginx apache2 >"$T/dpkg" ||
	fail "dpkg-query: openssh-server, nginx and apache2 must be installed"

# Stand-ins on 127.0.0.1 (ports the kernel picks): HTTP servers whose Server
# header and an SSH server whose banner name releases the records cover.
cat >"$T/fake.py" <<'PYF'
import http.server, json, socket, socketserver, sys, threading
addr, banners = sys.argv[1], sys.argv[2:]
class TS(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
def handler(server_hdr):
    class H(http.server.BaseHTTPRequestHandler):
        def version_string(self):
            return server_hdr
        def answer(self, body):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return body
        def do_GET(self):
            self.wfile.write(self.answer(b"<html><head><title>lab</title></head></html>"))
        def do_HEAD(self):
            self.answer(b"")
        def log_message(self, *a):
            pass
    return H
def ssh(s, banner):
    while True:
        c, _ = s.accept()
        try:
            c.sendall(banner.encode() + b"\r\n")
            c.settimeout(2)
            c.recv(4096)
        except OSError:
            pass
        c.close()
ports = []
for b in banners:
    if b.startswith("SSH-"):
        s = socket.socket()
        s.bind((addr, 0))
        s.listen(16)
        threading.Thread(target=ssh, args=(s, b), daemon=True).start()
        ports.append(s.getsockname()[1])
    else:
        srv = TS((addr, 0), handler(b))
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        ports.append(srv.server_address[1])
print("\t".join(map(str, ports)), flush=True)
threading.Event().wait()
PYF
python3 "$T/fake.py" 127.0.0.1 "nginx/1.22.0" "nginx/1.20.2" "Apache/2.4.55 (Debian)" \
	"Apache/2.4.57" "SSH-2.0-OpenSSH_9.3p1" "SSH-2.0-OpenSSH_9.8p1 Debian-3" \
	>"$T/fake.ports" 2>"$T/fake.err" &
FAKE_PID=$!
i=0
while [ ! -s "$T/fake.ports" ] && [ $i -lt 100 ]; do
	kill -0 "$FAKE_PID" 2>/dev/null || { cat "$T/fake.err"; fail "stand-in servers died"; }
	sleep 0.1
	i=$((i + 1))
done
[ -s "$T/fake.ports" ] || fail "stand-in servers did not start"
IFS='	' read -r p_n1 p_n2 p_a1 p_a2 p_s1 p_s2 <"$T/fake.ports"

# The installed apache2 with ServerTokens OS on 127.0.0.1 (a port the kernel
# had free; another try with a new one if it was taken in between).
mkdir -p "$T/apache"
p_ap=
for _ in 1 2 3; do
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$T/apache/apache2.conf" <<EOF
ServerRoot /etc/apache2
PidFile $T/apache/apache2.pid
Mutex file:$T/apache default
DefaultRuntimeDir $T/apache
ErrorLog $T/apache/error.log
LogLevel warn
User www-data
Group www-data
ServerName apache-os.wachter.test
ServerTokens OS
ServerSignature Off
TraceEnable Off
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
StartServers 1
ServerLimit 1
ThreadsPerChild 8
MaxRequestWorkers 8
Listen 127.0.0.1:$port
<Location />
	Require all granted
</Location>
EOF
	if /usr/sbin/apache2 -f "$T/apache/apache2.conf" -k start >>"$T/apache/start.log" 2>&1; then
		i=0
		while [ ! -s "$T/apache/apache2.pid" ] && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		[ -s "$T/apache/apache2.pid" ] && { p_ap=$port; break; }
	fi
done
[ -n "$p_ap" ] || { cat "$T/apache/start.log" "$T/apache/error.log" 2>/dev/null; fail "apache2 did not start"; }

# host, address, ports
cat >"$T/hosts" <<EOF
ssh-weak.wachter.test	127.77.0.30	22
ssh-good.wachter.test	127.77.0.31	22
good.wachter.test	127.77.0.10	80,443
weak-tls.wachter.test	127.77.0.11	443
weak-dh.wachter.test	127.77.0.12	443
web-weak.wachter.test	127.77.1.11	80,443
apache-os.wachter.test	127.0.0.1	$p_ap
stand-in.wachter.test	127.0.0.1	$p_n1,$p_n2,$p_a1,$p_a2,$p_s1,$p_s2
EOF
# host, port, product, version the banner must show ("dpkg": the installed
# one; "-": none); lab services not listed may show the installed one or none.
cat >"$T/want" <<EOF
ssh-weak.wachter.test	22	OpenSSH	dpkg
ssh-good.wachter.test	22	OpenSSH	dpkg
good.wachter.test	443	nginx	-
weak-tls.wachter.test	443	nginx	-
weak-dh.wachter.test	443	Apache httpd	-
web-weak.wachter.test	80	nginx	-
web-weak.wachter.test	443	nginx	dpkg
apache-os.wachter.test	$p_ap	Apache httpd	dpkg
stand-in.wachter.test	$p_n1	nginx	1.22.0
stand-in.wachter.test	$p_n2	nginx	1.20.2
stand-in.wachter.test	$p_a1	Apache httpd	2.4.55
stand-in.wachter.test	$p_a2	Apache httpd	2.4.57
stand-in.wachter.test	$p_s1	OpenSSH	9.3p1
stand-in.wachter.test	$p_s2	OpenSSH	9.8p1
EOF

while IFS='	' read -r name addr ports; do
	short=${name%%.*}
	"$WACHTER" scan --kb "$KB" --format json --no-progress --ca-file "$CA" --ports "$ports" \
		--resolve "$name:$addr" --lang en "$name" >"$T/$short.json" 2>"$T/$short.err"
	rc=$?
	[ $rc -le 1 ] || { cat "$T/$short.err"; fail "$name: wachter scan exited $rc"; }
done <"$T/hosts"

# The same matcher through `wachter vuln lookup` for the installed versions
# (as if the banners showed them) and for older releases the records cover.
ssh_v=$(sed -n 's/^openssh-server\t[0-9]*:\{0,1\}\([^-]*\)-.*/\1/p' "$T/dpkg")
nginx_v=$(sed -n 's/^nginx\t\([^-]*\)-.*/\1/p' "$T/dpkg")
apache_v=$(sed -n 's/^apache2\t\([^-]*\)-.*/\1/p' "$T/dpkg")
printf '%s\n' "OpenSSH	$ssh_v	-" "OpenSSH	$ssh_v	Debian-2+deb12u3" "OpenSSH	9.3p1	-" \
	"OpenSSH	9.8p1	-" "OpenSSH	9.6p1	-" "nginx	$nginx_v	-" "nginx	1.22.0	-" \
	"nginx	1.20.2	-" "Apache httpd	$apache_v	(Debian)" "Apache httpd	$apache_v	-" \
	"Apache httpd	2.4.55	-" "Apache httpd	2.4.57	-" >"$T/lookups"
i=0
while IFS='	' read -r prod ver hint; do
	i=$((i + 1))
	if [ "$hint" = "-" ]; then
		"$WACHTER" vuln lookup --kb "$KB" --format json "$prod" "$ver" >"$T/lookup.$i.json"
	else
		"$WACHTER" vuln lookup --kb "$KB" --format json --distro "$hint" "$prod" "$ver" \
			>"$T/lookup.$i.json"
	fi || fail "vuln lookup $prod $ver failed"
done <"$T/lookups"

python3 - "$V" "$T/dpkg" "$T/hosts" "$T/want" "$T" <<'PY'
import glob, json, os, re, sys

vuln_dir, dpkg_file, hosts_file, want_file, outdir = sys.argv[1:6]
nvd_dir = os.path.join(vuln_dir, "nvd-2.0")
RECORDS = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(nvd_dir, "CVE-*.json")))]

# --- the products: NVD names for each banner product (aliases included)
NAMES = {
    "OpenSSH": {"openbsd:openssh", "openssh:openssh"},
    "nginx": {"f5:nginx", "nginx:nginx", "igor_sysoev:nginx"},
    "Apache httpd": {"apache:http_server"},
}
DPKG = {"OpenSSH": "openssh-server", "nginx": "nginx", "Apache httpd": "apache2"}

def upstream(v):
    v = v.split(":", 1)[1] if ":" in v else v
    return v.rsplit("-", 1)[0] if "-" in v else v

dpkg = {}
for line in open(dpkg_file):
    p, v = line.rstrip("\n").split("\t")
    dpkg[p] = upstream(v)

# --- upstream version order (numbers numerically, pre-release words first)
PRE = {"dev": 1, "alpha": 2, "beta": 3, "pre": 4, "preview": 4, "rc": 5}
def toks(v):
    out = []
    for t in re.findall(r"\d+|[A-Za-z]+", v):
        if t.isdigit():
            out.append((3, int(t), ""))
        elif t.lower() in PRE:
            out.append((0, PRE[t.lower()], ""))
        else:
            out.append((2, 0, t.lower()))
    while out and out[-1] == (3, 0, ""):
        out.pop()
    return out
def vcmp(a, b):
    ta, tb = toks(a), toks(b)
    for i in range(max(len(ta), len(tb))):
        x = ta[i] if i < len(ta) else (1, 0, "")
        y = tb[i] if i < len(tb) else (1, 0, "")
        if x != y:
            return -1 if x < y else 1
    return 0

def base(v):
    m = re.match(r"^(.*\d)[._-]?[A-Za-z]+\d*$", v)
    return m.group(1) if m else None

HIGH, MEDIUM, LOW = 2, 1, 0
def row_conf(m, ver):
    """confidence that row m covers version ver, None when it does not"""
    f = m["criteria"].split(":")
    rv, ru = f[5], f[6]
    s_in, s_ex = m.get("versionStartIncluding"), m.get("versionStartExcluding")
    e_in, e_ex = m.get("versionEndIncluding"), m.get("versionEndExcluding")
    if any((s_in, s_ex, e_in, e_ex)):
        def inb(v):
            if s_in and vcmp(v, s_in) < 0: return False
            if s_ex and vcmp(v, s_ex) <= 0: return False
            if e_in and vcmp(v, e_in) > 0: return False
            if e_ex and vcmp(v, e_ex) >= 0: return False
            return True
        if inb(ver):
            return HIGH
        b = base(ver)
        if e_in and b and vcmp(b, e_in) == 0 and inb(b):
            return MEDIUM
        return None
    if rv in ("*", "-"):
        return None  # versionless: not reported by the scanner
    full = rv + ("" if ru in ("*", "-") else ("." if ru[0].isdigit() else "") + ru)
    if vcmp(ver, full) == 0 and not (ru == "-" and base(ver)):
        return HIGH
    b = base(ver)
    if ru == "*" and b and vcmp(b, rv) == 0:
        return MEDIUM
    return None

def expected(product, ver, debian):
    exp = {}
    for cve in RECORDS:
        if cve.get("vulnStatus") == "Rejected":
            continue
        best = None
        for cfg in cve.get("configurations", []):
            rows = [m for n in cfg["nodes"] for m in n["cpeMatch"]]
            prod = [m for m in rows if m["vulnerable"] and
                    ":".join(m["criteria"].split(":")[3:5]) in NAMES[product]]
            confs = [c for c in (row_conf(m, ver) for m in prod) if c is not None]
            if not confs:
                continue
            c = max(confs)
            and_cfg = cfg.get("operator") == "AND" or any(
                n["operator"] == "AND" for n in cfg["nodes"])
            if and_cfg:
                others = [m for m in rows if m not in prod]
                if debian and all(m["criteria"].split(":")[2] == "o" and
                                  "debian" not in m["criteria"] for m in others):
                    continue  # needs another OS than the known Debian
                c = LOW
            best = c if best is None else max(best, c)
        if best is None:
            continue
        if debian:
            best = LOW  # a distribution build may carry the fix
        exp[cve["id"]] = best
    return exp

NAMEC = {HIGH: "high", MEDIUM: "medium", LOW: "low"}

# --- severity: the CVSS base score of the best-ranked metric (3.1 before
# 3.0 before 4.0 before 2.0, NVD's "Primary" first within a version; the
# first of equals), >= 9 critical, >= 7 high, >= 4 medium, else low (the
# severity word when there is no score), one level up for a CVE in KEV
KEV = set()
for path in glob.glob(os.path.join(vuln_dir, "kev", "*.json")):
    KEV.update(v["cveID"] for v in json.load(open(path))["vulnerabilities"])
SEVS = ["low", "medium", "high", "critical"]
RANK = {"3.1": 8, "3.0": 6, "4.0": 4, "2.0": 2}
SEVERITY = {}
for cve in RECORDS:
    best = (0, None, None)
    for key, arr in cve.get("metrics", {}).items():
        if not key.startswith("cvssMetricV"):
            continue
        for m in arr:
            d = m.get("cvssData", {})
            r = RANK.get(d.get("version"), 0)
            if not r:
                continue
            r += 1 if m.get("type") == "Primary" else 0
            if r > best[0]:
                best = (r, d.get("baseScore"), d.get("baseSeverity") or m.get("baseSeverity"))
    _, score, word = best
    if score:
        s = 3 if score >= 9 else 2 if score >= 7 else 1 if score >= 4 else 0
    else:
        s = {"CRITICAL": 3, "HIGH": 2, "LOW": 0}.get((word or "").upper(), 1)
    if cve["id"] in KEV:
        s = min(s + 1, 3)
    SEVERITY[cve["id"]] = SEVS[s]

bad = 0
def failed(msg):
    global bad
    print("FAIL: " + msg)
    bad += 1

banner_want = {}
for line in open(want_file):
    name, port, prod, ver = line.rstrip("\n").split("\t")
    if ver == "dpkg":
        ver = dpkg[DPKG[prod]]
    banner_want[(name, int(port))] = (prod, "" if ver == "-" else ver)

checked = {}
total = 0
for line in open(hosts_file):
    name, addr, ports = line.rstrip("\n").split("\t")
    doc = json.load(open(os.path.join(outdir, name.split(".")[0] + ".json")))
    got = {}
    for f in doc["findings"]:
        if f["id"].startswith("VULN-"):
            got[(f["id"][5:], f["port"])] = (f["severity"], f["confidence"])
    want = {}
    seen = set()
    for h in doc["hosts"]:
        for s in h.get("services", []):
            prod, ver, port = s.get("product", ""), s.get("version", ""), s["port"]
            if (name, port) in banner_want:
                seen.add((name, port))
                wprod, wver = banner_want[(name, port)]
                if (prod, ver) != (wprod, wver):
                    failed(f"{name}:{port}: identified as {prod!r} {ver!r}, "
                           f"expected {wprod!r} {wver or '(no version)'!r}")
            elif prod in NAMES and ver and ver != dpkg[DPKG[prod]]:
                failed(f"{name}:{port}: {prod} banner says {ver}, dpkg says {dpkg[DPKG[prod]]}")
            if prod not in NAMES:
                continue
            if not ver:
                print(f"note: {name}:{port}: {prod} shows no version: no VULN findings")
                continue
            debian = any(w in s.get("extra", "").lower() for w in ("debian", "ubuntu"))
            conf = expected(prod, ver, debian)
            checked.setdefault(prod, set()).add(ver)
            for cve, c in conf.items():
                want[(cve, port)] = (SEVERITY[cve], NAMEC[c])
    for k in banner_want:
        if k[0] == name and k not in seen:
            failed(f"{name}:{k[1]}: no service identified (expected {banner_want[k][0]})")
    for k in sorted(set(want) | set(got)):
        if want.get(k) != got.get(k):
            failed(f"{name}: {k[0]} port {k[1]}: expected {want.get(k, 'none')}, "
                   f"scan says {got.get(k, 'none')}")
    total += len(got)
    print(f"{'ok' if want == got else '..'}: {name}: {len(want)} VULN finding(s) expected, "
          f"{len(got)} reported: " + ", ".join(f"{c}:{p}={s}/{v}" for (c, p), (s, v) in
                                               sorted(got.items())))
# the lookups: every hit except versionless rows (never findings) expected
for i, line in enumerate(open(os.path.join(outdir, "lookups")), 1):
    prod, ver, hint = line.rstrip("\n").split("\t")
    doc = json.load(open(os.path.join(outdir, f"lookup.{i}.json")))
    got = {h["cve"]: (h["severity"], h["confidence"]) for h in doc["hits"]
           if "versionless" not in h["why"]}
    want = {c: (SEVERITY[c], NAMEC[v]) for c, v in expected(prod, ver, hint != "-").items()}
    if got != want:
        failed(f"vuln lookup {prod} {ver} {hint}: expected {sorted(want.items())}, "
               f"got {sorted(got.items())}")
    else:
        print(f"ok: vuln lookup {prod} {ver} {hint}: {sorted(got.items())}")
for prod in NAMES:
    if prod not in checked:
        failed(f"no {prod} service with a version identified")
if total == 0:
    failed("no VULN finding at all: the scan path reported nothing")
print(f"{'ok' if not bad else 'FAIL'}: {total} VULN findings over "
      + ", ".join(f"{p} {sorted(v)}" for p, v in sorted(checked.items())))
sys.exit(1 if bad else 0)
PY
