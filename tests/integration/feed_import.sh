#!/bin/sh
# feed_import.sh: import every feed under shared/data/vuln into a fresh KB,
# compare "wachter feed status" with counts computed independently by
# python3 over the same files, check that a truncated gzip, a wrong-format
# file and an over-long version string fail with a message naming the file
# and leave the previous KB byte-identical, and that re-import changes nothing.
set -eu

: "${WACHTER:?}" "${WACHTER_SHARED:?}"
V="$WACHTER_SHARED/data/vuln"
T=$(mktemp -d "${TMPDIR:-/tmp}/feed_import.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
KB="$T/kb/wachter.kb"

fail() { echo "FAIL: $*" >&2; exit 1; }

FILES=$(ls "$V"/nvd-1.1/*.json.gz "$V"/nvd-2.0/*.json "$V"/kev/*.json "$V"/epss/*.csv.gz \
	"$V"/debian/DSA/list "$V"/debian/DLA/list "$V"/debian/CPE/list "$V"/debian/CPE/aliases)

# shellcheck disable=SC2086
"$WACHTER" feed import --kb "$KB" $FILES || fail "import of the shared feeds failed"
"$WACHTER" feed status --kb "$KB" >"$T/status1" || fail "feed status failed"
cat "$T/status1"

get() { sed -n "s/^$1: //p" "$2"; }

# The independent count: python's gzip and json over the same files, with the
# same rule for a CVE present in several files (the later lastModified wins).
python3 - "$V" >"$T/expect" <<'PY'
import glob, gzip, json, sys
V = sys.argv[1]
def load(p):
    op = gzip.open if p.endswith('.gz') else open
    with op(p, 'rt', encoding='utf-8') as f:
        return json.load(f)
def rows11(nodes):
    return sum(len(n.get('cpe_match', [])) + rows11(n.get('children', [])) for n in nodes)
recs = {}
def offer(cid, mod, nrows):
    if cid not in recs or mod >= recs[cid][0]:
        recs[cid] = (mod, nrows)
for p in sorted(glob.glob(V + '/nvd-1.1/*.json.gz')):
    for it in load(p)['CVE_Items']:
        offer(it['cve']['CVE_data_meta']['ID'], it['lastModifiedDate'].rstrip('Z'),
              rows11(it['configurations']['nodes']))
for p in sorted(glob.glob(V + '/nvd-2.0/*.json')):
    d = load(p)
    offer(d['id'], d['lastModified'][:16],
          sum(len(n.get('cpeMatch', [])) for c in d.get('configurations', []) for n in c['nodes']))
kev = load(V + '/kev/known_exploited_vulnerabilities.json')
with gzip.open(glob.glob(V + '/epss/*.csv.gz')[0], 'rt') as f:
    epss = {l.split(',')[0] for l in f if l.startswith('CVE-')}
adv = set()
for p in (V + '/debian/DSA/list', V + '/debian/DLA/list'):
    with open(p, encoding='utf-8', errors='replace') as f:
        adv.update(l.split()[3] for l in f if l.startswith('['))
print('nvd cves:', len(recs))
print('nvd cves with match data:', sum(1 for r in recs.values() if r[1]))
print('nvd cpe match rows:', sum(r[1] for r in recs.values()))
print('kev entries:', len({v['cveID'] for v in kev['vulnerabilities']}))
print('epss scores:', len(epss))
print('debian advisories:', len(adv))
PY
cat "$T/expect"
while IFS= read -r line; do
	key=${line%%: *}
	want=${line#*: }
	got=$(get "$key" "$T/status1")
	[ "$got" = "$want" ] || fail "$key: wachter says '$got', python says '$want'"
done <"$T/expect"

# Acceptance floor of issue 5.
[ "$(get 'nvd cves with match data' "$T/status1")" -ge 130000 ] || fail "too few CVEs with match data"
[ "$(get 'kev entries' "$T/status1")" -eq 1404 ] || fail "kev entries"
[ "$(get 'epss scores' "$T/status1")" -ge 350000 ] || fail "epss scores"

SUM=$(sha256sum "$KB" | cut -d' ' -f1)
check_intact() {
	[ "$(sha256sum "$KB" | cut -d' ' -f1)" = "$SUM" ] || fail "$1: the previous KB changed"
	[ -z "$(ls "$T/kb" | grep -v '^wachter.kb$' || true)" ] || fail "$1: temporary file left behind"
}
expect_fail() { # name file pattern
	if "$WACHTER" feed import --kb "$KB" "$2" 2>"$T/err"; then
		fail "$1: import succeeded"
	fi
	cat "$T/err"
	grep -F "$2" "$T/err" >/dev/null || fail "$1: the message does not name the file"
	grep -E "$3" "$T/err" >/dev/null || fail "$1: the message does not say '$3'"
	check_intact "$1"
}

# A gzip file cut in the middle.
SIZE=$(wc -c <"$V/nvd-1.1/nvdcve-1.1-2016.json.gz")
head -c $((SIZE / 2)) "$V/nvd-1.1/nvdcve-1.1-2016.json.gz" >"$T/cut.json.gz"
expect_fail "truncated gzip" "$T/cut.json.gz" "truncated or corrupt gzip"

# Not a feed at all (name says JSON, content is not).
printf 'Subject: hello\n\nthis is a mail, not a feed\n' >"$T/notafeed.json"
expect_fail "wrong format" "$T/notafeed.json" "unrecognised format"

# Malformed JSON: the message names the line.
printf '{\n "CVE_Items": [\n  {"cve": }\n ]\n}\n' >"$T/bad.json"
expect_fail "malformed JSON" "$T/bad.json" "bad.json:3: "

# A record with an absurd version string: the message names the record.
LONG=$(python3 -c 'print("9" * 300)')
cat >"$T/long.json" <<J
{"id": "CVE-2099-0001", "lastModified": "2099-01-01T00:00:00.000",
 "configurations": [{"nodes": [{"operator": "OR", "cpeMatch": [
  {"vulnerable": true, "criteria": "cpe:2.3:a:x:y:*:*:*:*:*:*:*:*",
   "versionEndExcluding": "$LONG"}]}]}]}
J
expect_fail "long version" "$T/long.json" "CVE-2099-0001: versionEndExcluding longer than 256"

# Duplicate ids within one file.
printf '{"vulnerabilities": [{"cve": {"id": "CVE-2099-0002"}}, {"cve": {"id": "CVE-2099-0002"}}]}\n' \
	>"$T/dup.json"
expect_fail "duplicate id" "$T/dup.json" "CVE-2099-0002: duplicate"

# Re-import of the same files on top of the KB: same counts.
# shellcheck disable=SC2086
"$WACHTER" feed import --kb "$KB" $FILES || fail "re-import failed"
"$WACHTER" feed status --kb "$KB" >"$T/status2" || fail "feed status failed"
grep -v '^file size' "$T/status1" >"$T/s1"
grep -v '^file size' "$T/status2" >"$T/s2"
diff "$T/s1" "$T/s2" || fail "re-import changed the counts"

# A corrupted KB is refused, not trusted.
head -c 100000 "$KB" >"$T/kb/broken.kb"
if "$WACHTER" feed status --kb "$T/kb/broken.kb" 2>"$T/err"; then
	fail "a truncated KB was accepted"
fi
grep "not a valid knowledge base" "$T/err" >/dev/null || fail "corrupt KB message"
echo "feed_import: ok"
