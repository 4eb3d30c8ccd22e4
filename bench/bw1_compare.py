#!/usr/bin/env python3
"""Compares `mcre batch --format summary` output (BW1's reason codes, bench/bw1.policy) with the
output of shared/bench/reference.py for the same applications, credential by credential.

usage: bw1_compare.py REFERENCE_OUTPUT < mcre_summary.jsonl
Prints "bw1: N applications, M credentials agree" and exits 0, or lists the first
differences and exits 1.
"""
import json
import sys

STATUS = {"recognized": "RECOGNIZED", "partially_recognized": "PARTIAL",
          "not_recognized": "REJECTED"}


def main():
    diffs = []
    apps = creds = 0
    with open(sys.argv[1]) as ref_file:
        for n, (ours, ref) in enumerate(zip(sys.stdin, ref_file), start=1):
            mine, want = json.loads(ours), json.loads(ref)
            apps += 1
            if not mine.get("ok"):
                diffs.append("line %d: not decided: %s" % (n, mine.get("errors")))
                continue
            if mine["id"] != want["id"] or mine["recognized_ects"] != want["recognized_ects"]:
                diffs.append("line %d: %s %s ECTS, reference %s %s ECTS" % (
                    n, mine["id"], mine["recognized_ects"], want["id"], want["recognized_ects"]))
            got = {c["id"]: (STATUS.get(c["status"], c["status"]), c["reason_code"] or "OK",
                             c["recognized_ects"]) for c in mine["credentials"]}
            expected = {d["id"]: (d["decision"], d["reason"], d["ects"]) for d in want["decisions"]}
            creds += len(expected)
            for cid in sorted(set(got) | set(expected)):
                if got.get(cid) != expected.get(cid):
                    diffs.append("line %d (%s) credential %s: %s, reference %s" % (
                        n, want["id"], cid, got.get(cid), expected.get(cid)))
        extra = sys.stdin.readline() or ref_file.readline()
        if extra:
            diffs.append("the outputs differ in length (after line %d)" % apps)
    if diffs:
        print("bw1: %d differences; the first:" % len(diffs))
        print("\n".join(diffs[:10]))
        return 1
    print("bw1: %d applications, %d credentials agree with the reference" % (apps, creds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
