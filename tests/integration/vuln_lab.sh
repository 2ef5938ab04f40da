#!/bin/sh
# vuln_lab.sh: known-vulnerability findings against the lab. Imports the
# nvd-2.0 records + KEV + EPSS into a temporary KB, scans the lab's OpenSSH,
# nginx and Apache hosts with `wachter scan --kb`, and compares every VULN-
# finding (CVE, port, confidence) with a list computed independently here by
# python3 over the nvd-2.0 JSON for the product and version each service
# showed. The versions the banners show must be the ones dpkg-query reports
# for openssh-server, nginx and apache2 (when a banner shows one at all).
set -u
: "${WACHTER:?}" "${WACHTER_SRC:?}" "${WACHTER_SHARED:?}"
V="$WACHTER_SHARED/data/vuln"
LABSRC="$WACHTER_SRC/tests/lab"
T=$(mktemp -d "${TMPDIR:-/tmp}/vuln_lab.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
KB="$T/kb/wachter.kb"

fail() { echo "FAIL: $*" >&2; exit 1; }

"$WACHTER" feed import --fresh --kb "$KB" "$V"/nvd-2.0/CVE-*.json "$V"/kev/*.json \
	"$V"/epss/*.csv.gz >"$T/import.log" 2>&1 || { cat "$T/import.log"; fail "feed import"; }
"$LABSRC/up" >"$T/up.log" 2>&1 || { cat "$T/up.log"; fail "lab did not come up"; }
. "$LABSRC/lib.sh"
CA="$LAB/ca/ca.pem"

dpkg-query -W -f '${Package}\t${Version}\n' openssh-server nginx apache2 >"$T/dpkg" ||
	fail "dpkg-query: openssh-server, nginx and apache2 must be installed"

# host, address, ports: the lab's OpenSSH (both), nginx and Apache hosts
cat >"$T/hosts" <<'EOF'
ssh-weak.wachter.test	127.77.0.30	22
ssh-good.wachter.test	127.77.0.31	22
good.wachter.test	127.77.0.10	80,443
weak-tls.wachter.test	127.77.0.11	443
weak-dh.wachter.test	127.77.0.12	443
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

python3 - "$V/nvd-2.0" "$T/dpkg" "$T/hosts" "$T" <<'PY'
import glob, json, os, re, sys

nvd_dir, dpkg_file, hosts_file, outdir = sys.argv[1:5]

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
    for path in sorted(glob.glob(os.path.join(nvd_dir, "CVE-*.json"))):
        cve = json.load(open(path))
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
bad = 0
checked = set()
for line in open(hosts_file):
    name, addr, ports = line.rstrip("\n").split("\t")
    doc = json.load(open(os.path.join(outdir, name.split(".")[0] + ".json")))
    got = {}
    for f in doc["findings"]:
        if f["id"].startswith("VULN-"):
            got[(f["id"][5:], f["port"])] = f["confidence"]
    want = {}
    for h in doc["hosts"]:
        for s in h.get("services", []):
            prod, ver = s.get("product", ""), s.get("version", "")
            if prod not in NAMES:
                continue
            checked.add(prod)
            if ver and ver != dpkg[DPKG[prod]]:
                print(f"FAIL: {name}:{s['port']}: {prod} banner says {ver}, "
                      f"dpkg says {dpkg[DPKG[prod]]}")
                bad += 1
            if not ver:
                print(f"note: {name}:{s['port']}: {prod} shows no version: no VULN findings")
                continue
            debian = any(w in s.get("extra", "").lower() for w in ("debian", "ubuntu"))
            for cve, c in expected(prod, ver, debian).items():
                want[(cve, s["port"])] = NAMEC[c]
    for k in sorted(set(want) | set(got)):
        if want.get(k) != got.get(k):
            print(f"FAIL: {name}: {k[0]} port {k[1]}: expected {want.get(k, 'none')}, "
                  f"scan says {got.get(k, 'none')}")
            bad += 1
    print(f"{'ok' if not bad else '..'}: {name}: {len(want)} VULN finding(s) expected, "
          f"{len(got)} reported: " + ", ".join(f"{c}:{p}={v}" for (c, p), v in sorted(got.items())))
# the lookups: every hit except versionless rows (never findings) expected
for i, line in enumerate(open(os.path.join(outdir, "lookups")), 1):
    prod, ver, hint = line.rstrip("\n").split("\t")
    doc = json.load(open(os.path.join(outdir, f"lookup.{i}.json")))
    got = {h["cve"]: h["confidence"] for h in doc["hits"]
           if "versionless" not in h["why"]}
    want = {c: NAMEC[v] for c, v in expected(prod, ver, hint != "-").items()}
    if got != want:
        print(f"FAIL: vuln lookup {prod} {ver} {hint}: expected {sorted(want.items())}, "
              f"got {sorted(got.items())}")
        bad += 1
    else:
        print(f"ok: vuln lookup {prod} {ver} {hint}: {sorted(got.items())}")
if "OpenSSH" not in checked:
    print("FAIL: no OpenSSH service identified in the lab")
    bad += 1
sys.exit(1 if bad else 0)
PY
