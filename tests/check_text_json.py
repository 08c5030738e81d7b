#!/usr/bin/env python3
"""check_text_json.py DEPCHECK INPUT...: the same counts in text and -f json.

For each input (a file or a directory), the numbers the text output prints
must be the numbers the JSON output holds, for the same run:
- analyze (--all): the header (services, dependencies, entrypoints), the
  summary line (cycles, hard cycles, max depth, SPOFs), each section's
  "(N)" (SPOFs, blast radii with something down or degraded, hard cycles,
  retry amplification, timeout budget), the hubs (name and count, in order);
  every amplification factor finite in JSON, null only when unbounded;
  no "inf"/"nan" in the text;
- check: exit status, "N errors, M warnings", one text finding line per
  JSON violation, each rule's violation count equal to its violations;
- simulate --fail (the first two SPOFs and the biggest blast radius): the
  summary line and the timeline's DOWN/DEGRADED rows (with "... and N more").
Inputs that do not load (exit 2 from both) are skipped, and said.
"""
import json, math, re, subprocess, sys

B = sys.argv[1]
inputs = sys.argv[2:]
bad = 0
checked = 0


def run(args):
    p = subprocess.run([B] + args, capture_output=True, text=True, errors="replace", timeout=300)
    return p.returncode, p.stdout


def agree(inp, what, t, j):
    global bad
    if t != j:
        print("FAIL %s: %s: text %r, json %r" % (inp, what, t, j))
        bad = 1


for inp in inputs:
    rc, t = run(["analyze", inp, "--all"])
    rcj, j = run(["analyze", inp, "-f", "json", "--all"])
    if rc == 2 and rcj == 2:
        print("skipped %s (does not load)" % inp)
        continue
    agree(inp, "analyze exit status", rc, rcj)
    if rcj not in (0, 1):
        continue
    checked += 1
    d = json.loads(j)
    m = re.search(r"^(\d+) services?, (\d+) dependenc(?:y|ies), (\d+) entrypoints?", t, re.M)
    agree(inp, "header", tuple(map(int, m.groups())) if m else None,
          (d["services"], d["dependencies"], d["entrypoints"]))
    m = re.search(r"^(\d+) cycles?, (\d+) hard cycles?, max depth (\d+), (\d+) SPOFs?", t, re.M)
    agree(inp, "summary line", tuple(map(int, m.groups())) if m else None,
          (len(d["cycles"]), len(d["hard_cycles"]), d["max_depth"], len(d["spofs"])))
    for head, key in (("single points of failure", "spofs"), ("hard cycles", "hard_cycles"),
                      ("retry amplification", "retry_amplification_total"),
                      ("timeout budget violations", "timeout_budget"),
                      ("biggest blast radii", "blast_radius")):
        m = re.search(r"^" + head + r".*\((\d+)\)$", t, re.M)
        v = d[key]
        jv = v if isinstance(v, int) else len(v)
        if key == "blast_radius":
            jv = sum(1 for x in v if x["down"] + x["degraded"] > 0)
        agree(inp, head, int(m.group(1)) if m else None, jv)
    agree(inp, "amplification rows (--all)", len(d["retry_amplification"]), d["retry_amplification_total"])
    for a in d["retry_amplification"]:
        f = a["factor"]
        if f is None and not a["unbounded"]:
            agree(inp, "amplification of %s: null factor" % a["service"], "unbounded", "bounded")
        if isinstance(f, float) and not math.isfinite(f):
            agree(inp, "amplification of %s" % a["service"], "finite", f)
    if re.search(r"\b(inf|nan)\b", t, re.I):
        agree(inp, "analyze text", "no inf/nan", "inf or nan printed")
    for side, key in (("fan-in", "fan_in"), ("fan-out", "fan_out")):
        m = re.search(r"^  " + side + r" \([a-z]+\): (.*)$", t, re.M)
        tv = [(n, int(c)) for n, c in re.findall(r"(.+?) \((\d+)\)(?:, |$)", m.group(1))] if m else []
        agree(inp, side, tv, [(x["service"], x["count"]) for x in d["hubs"][key]])

    rc, t = run(["check", inp])
    rcj, j = run(["check", inp, "-f", "json"])
    agree(inp, "check exit status", rc, rcj)
    if rcj in (0, 1):
        c = json.loads(j)
        m = re.search(r"^check (?:failed|passed)[^:]*: (\d+) errors?, (\d+) warnings?", t, re.M)
        agree(inp, "check counts", tuple(map(int, m.groups())) if m else None, (c["errors"], c["warnings"]))
        agree(inp, "check finding lines", len(re.findall(r"(?:error|warning): .*\[[a-z0-9-]+\]$", t, re.M)),
              len(c["violations"]))
        for r in c["rules"]:
            # the list is cut per rule (--limit, default 100): what is not
            # listed is counted in violations_not_listed
            agree(inp, "rule %s: its count and its violations" % r["id"], r["violations"],
                  sum(1 for v in c["violations"] if v["rule"] == r["id"]) + r.get("violations_not_listed", 0))
        agree(inp, "check violations_total", c["violations_total"], sum(r["violations"] for r in c["rules"]))

    cand = [s["service"] for s in d["spofs"]][:2] + [b["service"] for b in d["blast_radius"]][:1]
    for s in dict.fromkeys(cand):
        rc, t = run(["simulate", inp, "--fail", s])
        rcj, j = run(["simulate", inp, "--fail", s, "-f", "json"])
        agree(inp, "simulate --fail %s exit status" % s, rc, rcj)
        if rc != 0 or rcj != 0:
            continue
        sm = json.loads(j)["summary"]
        m = re.search(r"^(\d+) down, (\d+) degraded, (\d+) of (\d+) entrypoints? down", t, re.M)
        agree(inp, "simulate --fail %s summary" % s, tuple(map(int, m.groups())) if m else None,
              (sm["down"], sm["degraded"], sm["entrypoints_down"], sm["entrypoints"]))
        tl = t.split("Timeline:", 1)[-1]
        rows = len(re.findall(r"^\s+\+\d+ ms\s+(?:DOWN|DEGRADED)\s", tl, re.M))
        more = re.search(r"^\s+\.\.\. and (\d+) more", tl, re.M)
        agree(inp, "simulate --fail %s timeline rows" % s, rows + (int(more.group(1)) if more else 0),
              sm["down"] + sm["degraded"])

if checked == 0:
    print("FAIL: no input loaded")
    bad = 1
if not bad:
    print("ok: text and json agree on %d inputs" % checked)
sys.exit(bad)
