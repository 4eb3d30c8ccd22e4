#!/usr/bin/env python3
"""BW1 input lines (shared/bench/gen.py) -> mcre applications, one JSON line each.

usage: bw1_convert.py < bw1.jsonl > applications.jsonl

BW1's application is not mcre's application format (docs/input-format.md): it names the
date `application_date`, has no learner or programme id, and writes a credential's kind as
`type` ("micro", "vocational") and its level as `level`. This maps one onto the other and
nothing more; bench/bw1.policy holds BW1's rules:

  id, application_date         -> id, date; the learner's id is the application's id
  programme.kind/level/field   -> programme.kind/level/field; programme.id is "bw1"
  programme.regulated, .ects   -> programme.regulated, programme.total_ects
  credential type micro        -> kind micro_credential; vocational -> vocational_l5
  credential level             -> nqf_level (no issuer country: read as the policy's own NQF)
  credential id, ects, qa, issued, field -> the same names

Lines stay in order, one output line per input line (a blank line stays blank, so mcre
batch reports it as an error record at the same line number).
"""
import json
import sys

KIND = {"micro": "micro_credential", "vocational": "vocational_l5"}


def convert(app):
    prog = app["programme"]
    return {
        "id": app["id"],
        "date": app["application_date"],
        "learner": {"id": app["id"]},
        "programme": {"id": "bw1", "kind": prog["kind"], "level": prog["level"],
                      "total_ects": prog["ects"], "field": prog["field"],
                      "regulated": prog["regulated"]},
        "credentials": [{"id": c["id"], "kind": KIND.get(c["type"], c["type"]), "ects": c["ects"],
                         "nqf_level": c["level"], "qa": c["qa"], "issued": c["issued"],
                         "field": c["field"]} for c in app["credentials"]],
    }


def main():
    out = []
    write = sys.stdout.write
    for line in sys.stdin:
        if not line.strip():
            out.append("")
        else:
            out.append(json.dumps(convert(json.loads(line)), separators=(",", ":"),
                                  ensure_ascii=False))
        if len(out) >= 2000:
            write("\n".join(out) + "\n")
            out = []
    if out:
        write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
