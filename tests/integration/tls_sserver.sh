#!/bin/sh
# tls_sserver.sh: `wachter tls` against real `openssl s_server` instances on
# 127.0.0.1 with certificates made here: a modern server, a weak one
# (TLS 1.0/1.1, NULL/anon/RSA suites, client renegotiation), expired and
# self-signed certificates, a wrong host name, a port that speaks HTTP and
# a closed port. Compares the findings (JSON) with what each must produce.
set -u

: "${WACHTER:?path to the wachter binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/wachter-tls-XXXXXX")
PIDS=""
fails=0

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# a port range per run below the ephemeral range (32768+), so parallel
# runs and client sockets do not collide
BASE=$((20000 + ($$ % 2000) * 6))

# --- certificates: root CA -> leaf for tls.test; expired; self-signed
cd "$T" || exit 1
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
	-subj "/CN=wachter test root" 2>/dev/null || exit 1
printf 'subjectAltName=DNS:tls.test\n' >ext.cnf
# openssl 3.0's x509 cannot set start dates; `openssl ca` can
mkdir -p ca.d && : >ca.d/index.txt
cat >ca.cnf <<EOF
[ca]
default_ca = c
[c]
database = $T/ca.d/index.txt
new_certs_dir = $T/ca.d
serial = $T/ca.d/serial
certificate = $T/ca.pem
private_key = $T/ca.key
default_md = sha256
policy = p
copy_extensions = none
unique_subject = no
x509_extensions = x
[p]
commonName = supplied
[x]
subjectAltName = DNS:tls.test
basicConstraints = CA:FALSE
EOF
mkleaf() { # name days_from days_to serial
	openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=tls.test" 2>/dev/null &&
		echo "$4" >ca.d/serial &&
		openssl ca -batch -config ca.cnf -notext -in "$1.csr" -out "$1.pem" \
			-startdate "$(date -u -d "$2 days" +%Y%m%d%H%M%SZ)" \
			-enddate "$(date -u -d "$3 days" +%Y%m%d%H%M%SZ)" 2>/dev/null
}
mkleaf leaf -1 80 1001 || { echo "cannot make certificates" >&2; exit 1; }
mkleaf expired -100 -5 1002 || exit 1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout self.key \
	-out self.pem -days 60 -subj "/CN=tls.test" -addext "subjectAltName=DNS:tls.test" 2>/dev/null || exit 1

serve() { # port cert key [s_server options...]
	_p=$1 _c=$2 _k=$3
	shift 3
	openssl s_server -accept "127.0.0.1:$_p" -cert "$_c" -key "$_k" -www -quiet "$@" \
		>/dev/null 2>&1 &
	PIDS="$PIDS $!"
}

P_MODERN=$BASE
P_WEAK=$((BASE + 1))
P_EXPIRED=$((BASE + 2))
P_SELF=$((BASE + 3))
P_HTTP=$((BASE + 4))
P_CLOSED=$((BASE + 5))
serve $P_MODERN leaf.pem leaf.key -serverpref -cipher ECDHE+AESGCM:ECDHE+CHACHA20 \
	-groups X25519:P-256:P-384
serve $P_WEAK leaf.pem leaf.key -cipher 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' \
	-min_protocol TLSv1 -max_protocol TLSv1.2 -client_renegotiation
serve $P_EXPIRED expired.pem expired.key
serve $P_SELF self.pem self.key
python3 -m http.server --bind 127.0.0.1 $P_HTTP >/dev/null 2>&1 &
PIDS="$PIDS $!"

# wait until every server listens
for p in $P_MODERN $P_WEAK $P_EXPIRED $P_SELF $P_HTTP; do
	i=0
	until timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 50 ] && { echo "server on $p did not start" >&2; exit 1; }
		sleep 0.1
	done
done 2>/dev/null

scan() { # port out [args...]
	_p=$1 _o=$2
	shift 2
	_t0=$(date +%s%N)
	"$WACHTER" tls 127.0.0.1 "$_p" --format json "$@" >"$_o" 2>"$_o.err"
	_rc=$?
	echo "scan $_o: rc=$_rc $(( ($(date +%s%N) - _t0) / 1000000 )) ms"
	return $_rc
}

ids() { # json: "ID severity detail" lines
	jq -r '.findings[] | "\(.id) \(.severity) \(.detail)"' "$1"
}

has() { # json id regex
	ids "$1" | grep -E "^$2 " | grep -qE "$3" || fail "$1: expected $2 matching '$3'"
}

hasnt() { # json id
	! ids "$1" | grep -qE "^$2 " || fail "$1: unexpected $2: $(ids "$1" | grep -E "^$2 " | head -1)"
}

# --- modern: TLS 1.2 + 1.3, ECDHE AEAD only, server order, trusted via ca.pem
scan $P_MODERN modern.json --sni tls.test --ca-file ca.pem || fail "modern scan failed: $(cat modern.json.err)"
for id in TLS-04 TLS-05 TLS-06 TLS-07 TLS-08 TLS-10 TLS-11 TLS-12 TLS-15 CERT-01 CERT-02 CERT-03 CERT-05 CERT-06; do
	hasnt modern.json $id
done
[ "$(jq -r '.report.versions[4].supported, .report.versions[5].supported' modern.json | tr '\n' ' ')" = "true true " ] ||
	fail "modern: TLS 1.2 and 1.3 not both seen"
[ "$(jq -r '.report.versions[4].server_order' modern.json)" = "true" ] || fail "modern: server order not seen"
[ "$(jq -c '[.report.groups[] | .name]' modern.json)" = '["secp256r1","secp384r1","x25519"]' ] ||
	fail "modern: groups $(jq -c '[.report.groups[] | .name]' modern.json)"
[ "$(jq -r '.report.trusted' modern.json)" = "true" ] || fail "modern: chain not trusted with --ca-file"

# --- same server, another name, no CA: mismatch and untrusted
scan $P_MODERN other.json --sni other.test || fail "other scan failed"
has other.json CERT-02 "other.test"
has other.json CERT-01 "incomplete|not trusted"

# --- weak: old versions, NULL/anon/RSA kx, client order, client renegotiation
scan $P_WEAK weak.json --sni tls.test --ca-file ca.pem || fail "weak scan failed: $(cat weak.json.err)"
has weak.json TLS-04 "TLSv1.0 accepted"
has weak.json TLS-04 "TLSv1.1 accepted"
has weak.json TLS-05 "TLS 1.3"
ids weak.json | grep -q "^TLS-06 critical TLSv1.2: weak" || fail "weak: NULL suites not critical"
has weak.json TLS-07 "TLSv1.2"
has weak.json TLS-08 "forward secrecy"
has weak.json TLS-12 "renegotiation"
jq -r '.findings[] | select(.id == "TLS-04") | .evidence' weak.json | grep -q "^ServerHello TLSv1.0 .*: 160301" ||
	fail "weak: TLS-04 evidence is not the ServerHello"
jq -r '.report.versions[4].suites[].name' weak.json | grep -qx TLS_RSA_WITH_NULL_SHA ||
	fail "weak: NULL suite not enumerated"
[ "$(jq '.report.versions[4].suites | length' weak.json)" -ge 40 ] || fail "weak: too few TLS 1.2 suites"
hasnt weak.json TLS-11

# --- certificates
scan $P_EXPIRED expired.json --sni tls.test --ca-file ca.pem || fail "expired scan failed"
has expired.json CERT-03 "expired on"
hasnt expired.json CERT-01
scan $P_SELF self.json --sni tls.test --ca-file ca.pem || fail "self-signed scan failed"
has self.json CERT-01 "self-signed"
scan $P_EXPIRED future.json --sni tls.test --ca-file ca.pem --now "$(date -u -d '-150 days' +%Y-%m-%dT%H:%M:%SZ)" ||
	fail "future scan failed"
has future.json CERT-03 "not valid before"

# --- not TLS, and nothing listening
if scan $P_HTTP http.json --timeout 1500; then fail "http port reported as TLS"; fi
[ "$(jq -r .result http.json)" = "tls failure" ] || fail "http port: result $(jq -r .result http.json)"
jq -e '.report.tls == false' http.json >/dev/null || fail "http port: report says tls"
if scan $P_CLOSED closed.json; then fail "closed port scanned"; fi
grep -q "refused\|connection" closed.json.err || fail "closed port: no connection error: $(cat closed.json.err)"

[ $fails -eq 0 ] && echo "tls_sserver: ok"
exit $((fails > 0))
