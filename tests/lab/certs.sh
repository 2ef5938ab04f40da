# certs.sh: the lab's private CA and its good and bad certificates, made
# with the openssl CLI. Sourced by tests/lab/up; lab_certs runs once per lab
# lifetime: the CA when $LAB/ca/done is missing, then every certificate
# that does not exist yet (so a certificate added to this file appears on the
# next `up` of a running lab).
# Layout: $LAB/ca/{root,inter}.{key,pem}, ca.pem (root only: the trust
# anchor for `wachter scan --ca-file`), $LAB/certs/<name>.{key,pem,chain.pem}
# where chain.pem = leaf + intermediate (what a correct server sends).

# when N: a date N days from now in openssl's UTCTime format.
when() {
	date -u -d "$1 days" +%y%m%d%H%M%SZ
}

# newkey KIND FILE: ec (P-256), rsa1024, rsa3072
newkey() {
	case "$1" in
	ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$2" ;;
	ec384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$2" ;;
	rsa1024) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$2" ;;
	rsa3072) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$2" ;;
	*) die "newkey: unknown kind $1" ;;
	esac 2>/dev/null
	chmod 600 "$2"
}

# leaf NAME KEYKIND FROM_DAYS TO_DAYS MD SAN: a leaf signed by the
# intermediate, valid from now+FROM to now+TO days.
leaf() {
	[ -s "$LAB/certs/$1.chain.pem" ] && return 0
	_k="$LAB/certs/$1.key"
	[ -s "$_k" ] || newkey "$2" "$_k"
	_cn=$(echo "$6" | sed -e 's/^DNS://' -e 's/,.*//')
	openssl req -new -key "$_k" -subj "/CN=$_cn" -out "$LAB/ca/tmp.csr" 2>/dev/null ||
		die "req $1"
	LAB_SAN="$6" openssl ca -batch -config "$LAB_SRC/conf/ca.cnf" -notext \
		-cert "$LAB/ca/inter.pem" -keyfile "$LAB/ca/inter.key" \
		-extensions v3_leaf -md "$5" -startdate "$(when "$3")" \
		-enddate "$(when "$4")" -in "$LAB/ca/tmp.csr" \
		-out "$LAB/certs/$1.pem" >"$LAB/ca/last.log" 2>&1 ||
		die "ca $1: $(tail -n 3 "$LAB/ca/last.log")"
	cat "$LAB/certs/$1.pem" "$LAB/ca/inter.pem" >"$LAB/certs/$1.chain.pem"
}

lab_certs() {
	export LAB_CA_DIR="$LAB/ca"
	export LAB_SAN="DNS:unused.wachter.test"
	C="$LAB_SRC/conf/ca.cnf"
	[ -f "$LAB/ca/done" ] || lab_ca
	lab_leaves
	chmod 755 "$LAB/ca" "$LAB/certs"
	chmod 644 "$LAB/certs"/*.pem "$LAB/ca/ca.pem"
}

lab_ca() {
	rm -rf "$LAB/ca" "$LAB/certs"
	mkdir -p "$LAB/ca/newcerts" "$LAB/certs"
	: >"$LAB/ca/index.txt"
	# Serials with 128 random bits (CA/B Forum: >= 64 bits of entropy).
	openssl rand -hex 16 >"$LAB/ca/serial"

	# Root (P-384, self-signed) -> intermediate (P-256) -> leaves.
	newkey ec384 "$LAB/ca/root.key"
	openssl req -new -x509 -config "$C" -key "$LAB/ca/root.key" \
		-subj "/O=wachter lab/CN=wachter lab root CA" -days 3650 \
		-extensions v3_root -out "$LAB/ca/root.pem" 2>/dev/null || die "root CA"
	newkey ec "$LAB/ca/inter.key"
	openssl req -new -key "$LAB/ca/inter.key" \
		-subj "/O=wachter lab/CN=wachter lab intermediate CA" \
		-out "$LAB/ca/tmp.csr" 2>/dev/null || die "intermediate req"
	openssl x509 -req -in "$LAB/ca/tmp.csr" -CA "$LAB/ca/root.pem" \
		-CAkey "$LAB/ca/root.key" -set_serial "0x$(openssl rand -hex 16)" -days 1825 -sha256 \
		-extfile "$C" -extensions v3_inter -out "$LAB/ca/inter.pem" 2>/dev/null ||
		die "intermediate cert"
	cp "$LAB/ca/root.pem" "$LAB/ca/ca.pem"
	rm -f "$LAB/ca/tmp.csr"
	touch "$LAB/ca/done"
}

lab_leaves() {
	# The slow keys (RSA 3072) in parallel, before any signing.
	_p1=""
	_p2=""
	[ -s "$LAB/certs/weak-tls.key" ] || {
		newkey rsa3072 "$LAB/certs/weak-tls.key" &
		_p1=$!
	}
	[ -s "$LAB/certs/weak-dh.key" ] || {
		newkey rsa3072 "$LAB/certs/weak-dh.key" &
		_p2=$!
	}
	[ -z "$_p1" ] || wait "$_p1" || die "RSA key"
	[ -z "$_p2" ] || wait "$_p2" || die "RSA key"

	D=wachter.test
	san() { echo "DNS:$1.$D,IP:$LAB_NET.$2"; }
	# Good: ECDSA P-256, full chain, valid, 90 days.
	# good also serves the apex of the wachter.test zone.
	leaf good ec -1 89 sha256 "$(san good 10),DNS:$D"
	leaf weak-tls rsa3072 -1 89 sha256 "$(san weak-tls 11)"
	leaf weak-dh rsa3072 -1 89 sha256 "$(san weak-dh 12)"
	leaf null-anon ec -1 89 sha256 "$(san null-anon 13)"
	# One defect each.
	leaf expired ec -100 -10 sha256 "$(san expired 20)"
	leaf notyet ec 10 100 sha256 "$(san notyet 21)"
	leaf wronghost ec -1 89 sha256 "DNS:other.$D"
	leaf rsa1024 rsa1024 -1 89 sha256 "$(san rsa1024 24)"
	leaf sha1 ec -1 89 sha1 "$(san sha1 25)"
	leaf nochain ec -1 89 sha256 "$(san nochain 26)"
	leaf longlife ec -1 824 sha256 "$(san longlife 27)"
	leaf ftp-good ec -1 89 sha256 "$(san ftp-good 41)"
	leaf mail ec -1 89 sha256 "$(san mail 50)"
	leaf relay ec -1 89 sha256 "$(san relay 51)"
	leaf mail-auth ec -1 89 sha256 "$(san mail-auth 55)"
	leaf rdp ec -1 89 sha256 "$(san rdp 65)"
	leaf imap-plain ec -1 89 sha256 "$(san imap-plain 56)"
	leaf imap-good ec -1 89 sha256 "$(san imap-good 57)"
	[ -s "$LAB/certs/dh1024.pem" ] && return 0
	# Self-signed: no CA at all.
	newkey ec "$LAB/certs/selfsigned.key"
	LAB_SAN="$(san selfsigned 22)" openssl req -new -x509 -config "$C" \
		-key "$LAB/certs/selfsigned.key" -subj "/CN=selfsigned.$D" \
		-days 89 -extensions v3_self -out "$LAB/certs/selfsigned.pem" \
		2>/dev/null || die "self-signed"
	cp "$LAB/certs/selfsigned.pem" "$LAB/certs/selfsigned.chain.pem"
	# Weak DH group for the DHE host (1024 bits; RFC 7919 groups are >= 2048).
	# DSA-style parameters: generated in milliseconds, unlike a safe prime.
	openssl dhparam -dsaparam -out "$LAB/certs/dh1024.pem" 1024 2>/dev/null ||
		die "dhparam"
	cat "$LAB/certs/weak-dh.chain.pem" "$LAB/certs/dh1024.pem" \
		>"$LAB/certs/weak-dh.chain-dh.pem"
}
