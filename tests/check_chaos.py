#!/usr/bin/env python3
"""check_chaos.py SRCDIR - what `depcheck experiments` writes for chaos tools
validates against each tool's schema, and the verify round trip holds.

- Every golden case of testdata/golden/ whose command is `experiments` with
  -f chaos-mesh, litmus or aws-fis: each YAML document (Chaos Mesh,
  LitmusChaos) or each template of the JSON array (AWS FIS) is validated
  against tests/chaos-schemas/ (written from the published CRDs and the FIS
  API reference: PodChaos, NetworkChaos, ChaosEngine, experiment template).
  Every schema must be used, and must reject a broken document (an unknown
  action, a missing required key), so that the check is not vacuous.
- The overlay `verify -f yaml` writes on the example (golden
  verify-streaming-yaml) is exactly testdata/chaos/streaming-fix.yaml, the
  file golden verify-streaming-fixed adds to the inputs (and then passes).
Exit 77 (skipped) when python3-jsonschema or python3-yaml is not installed.
"""
import copy
import json
import os
import sys

try:
    import jsonschema
    import yaml
except ImportError:
    print("python3-jsonschema or python3-yaml is not installed: skipped")
    sys.exit(77)


def fmt_of(argv):
    for i, a in enumerate(argv):
        if a in ("-f", "--format") and i + 1 < len(argv):
            return argv[i + 1]
    return "text"


def main():
    src = sys.argv[1]
    sdir = os.path.join(src, "tests", "chaos-schemas")
    val = {}
    for n in sorted(os.listdir(sdir)):
        with open(os.path.join(sdir, n)) as f:
            s = json.load(f)
        jsonschema.Draft202012Validator.check_schema(s)
        val[n[: -len(".schema.json")]] = jsonschema.Draft202012Validator(s)
    pick = {"PodChaos": "chaos-mesh-podchaos", "NetworkChaos": "chaos-mesh-networkchaos",
            "ChaosEngine": "litmus-chaosengine"}
    used, fails, docs = set(), 0, 0
    samples = {}
    golden = os.path.join(src, "testdata", "golden")
    for case in sorted(os.listdir(golden)):
        with open(os.path.join(golden, case, "cmd")) as f:
            argv = f.read().split()
        fmt = fmt_of(argv)
        if not argv or argv[0] != "experiments" or fmt not in ("chaos-mesh", "litmus", "aws-fis"):
            continue
        with open(os.path.join(golden, case, "expected.out")) as f:
            text = f.read()
        if fmt == "aws-fis":
            items = [("aws-fis-template", d) for d in json.loads(text)]
        else:
            items = [(pick.get(d.get("kind"), "?"), d) for d in yaml.safe_load_all(text) if d is not None]
        if not items:
            print(f"FAIL {case}: no documents")
            fails += 1
        for name, d in items:
            docs += 1
            if name not in val:
                print(f"FAIL {case}: no schema for kind {d.get('kind')!r}")
                fails += 1
                continue
            used.add(name)
            samples.setdefault(name, d)
            for e in val[name].iter_errors(d):
                print(f"FAIL {case}: {name}: {e.message} at {list(e.absolute_path)}")
                fails += 1
    for name in val:
        if name not in used:
            print(f"FAIL schema {name}: no golden output uses it")
            fails += 1
    # not vacuous: each schema rejects broken documents
    for name, d in samples.items():
        bad = copy.deepcopy(d)
        if name == "aws-fis-template":
            del bad["roleArn"]
            bad2 = copy.deepcopy(d)
            next(iter(bad2["actions"].values()))["actionId"] = "not an action"
        elif name == "litmus-chaosengine":
            bad["spec"]["engineState"] = "running"
            bad2 = copy.deepcopy(d)
            del bad2["spec"]["experiments"]
        else:
            bad["spec"]["action"] = "pod-explode"
            bad2 = copy.deepcopy(d)
            del bad2["spec"]["selector"]
        for b in (bad, bad2):
            if val[name].is_valid(b):
                print(f"FAIL schema {name} accepts a broken document")
                fails += 1
    # the round trip: the overlay written is the one the fixed golden reads
    with open(os.path.join(golden, "verify-streaming-yaml", "expected.out")) as f:
        written = f.read()
    with open(os.path.join(src, "testdata", "chaos", "streaming-fix.yaml")) as f:
        used_fix = f.read()
    if written != used_fix:
        print("FAIL testdata/chaos/streaming-fix.yaml is not what verify -f yaml writes "
              "(golden verify-streaming-yaml)")
        fails += 1
    with open(os.path.join(golden, "verify-streaming-fixed", "expected.code")) as f:
        if f.read().strip() != "0":
            print("FAIL verify with the overlay does not pass (golden verify-streaming-fixed)")
            fails += 1
    if not fails:
        print(f"{docs} chaos documents valid against {len(val)} schemas; the overlay round trip holds")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
