#!/usr/bin/env python3
# truth_compare.py REPORT.json TRUTH.tsv NAME: compare the findings of a
# `wachter scan --format json` report with a lab ground-truth file
# (docs/lab.md: "check_id<TAB>port<TAB>note", port "-" when not port
# specific, "?ID" allowed but not required). Every planted finding must be
# found and nothing else; VULN-* findings are judged by vuln_lab, not here.
# Exit 0 when they agree, 1 otherwise, with one line per difference.
import json
import sys


def main():
    doc = json.load(open(sys.argv[1]))
    name = sys.argv[3]
    want, maybe = set(), set()
    for line in open(sys.argv[2]):
        if not line.strip() or line.startswith('#'):
            continue
        f = line.rstrip('\n').split('\t')
        cid, port = f[0], f[1] if len(f) > 1 else '-'
        key = (cid.lstrip('?'), None if port in ('-', '') else int(port))
        (maybe if cid.startswith('?') else want).add(key)
    got = {(f['id'], f['port']) for f in doc['findings'] if not f['id'].startswith('VULN-')}
    missing = want - got
    extra = got - want - maybe
    for m in sorted(missing, key=str):
        print(f"FAIL: {name}: planted finding not found: {m[0]} port {m[1]}")
    for e in sorted(extra, key=str):
        det = [f"{f['target']}: {f.get('detail')}" for f in doc['findings']
               if (f['id'], f['port']) == e]
        print(f"FAIL: {name}: unexpected finding: {e[0]} port {e[1]}: {det[0] if det else ''}")
    if missing or extra:
        return 1
    opt = len(got & maybe)
    print(f"ok: {name}: {len(want)} planted finding(s) found, nothing else"
          + (f" ({opt} optional)" if opt else ""))
    return 0


if __name__ == '__main__':
    sys.exit(main())
