#!/usr/bin/env python3
"""check_deploy_formats.py DEPCHECK TESTDATA - `plan -f argocd|flux|helm|pipeline`
parsed back and checked against `plan -f json` of the same input.

For each catalog (the example, a Kubernetes input with Argo CD and Flux
objects, and the hostile names): every YAML stream parses (PyYAML), each
document is one object with apiVersion, kind and metadata.name, the planned
services appear once each (a hostile name comes back as the same string:
no injection), and
  - argocd: each service's sync-wave is the index of its wave in -f json;
  - helm: the same in helm.sh/hook-weight, with a pre-install hook;
  - flux: every dependsOn names an object of an earlier wave;
  - pipeline: the stages are the waves of -f json, each needing the one
    before; the rollback stages are the waves reversed.
Exit 77 (skipped) without python3-yaml.
"""
import json
import os
import subprocess
import sys

try:
    import yaml
except ImportError:
    print("python3-yaml is not installed: skipped")
    sys.exit(77)

CATALOGS = [
    ("catalogs/streaming/catalog.yaml", []),
    ("catalogs/streaming/catalog.yaml", ["--order", "consumers-first"]),
    ("catalogs/deploy-tools", []),
    ("catalogs/hostile/catalog.yaml", []),
]

failures = 0


def fail(msg):
    global failures
    print("FAIL:", msg)
    failures += 1


def run(dc, args):
    r = subprocess.run([dc] + args, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        fail(f"{' '.join(args)}: exit {r.returncode}: {r.stderr}")
    return r.stdout


def graph(export_json):
    """services -> sorted (dependency, kind), any_of groups flattened"""
    out = {}
    for s in json.loads(export_json)["services"]:
        deps = []
        for e in s.get("depends_on", []):
            for m in e.get("any_of", [e]):
                deps.append((m["service"], m["kind"]))
        out[s["name"]] = sorted(deps)
    return out


def backstage_round_trip(dc):
    """export -f backstage loads back (Backstage reader) to the same graph"""
    import tempfile
    cat = "catalogs/streaming/catalog.yaml"
    text = run(dc, ["export", cat, "-f", "backstage"])
    try:
        docs = [d for d in yaml.safe_load_all(text) if d]
    except yaml.YAMLError as e:
        fail(f"export -f backstage: not YAML: {e}")
        return 0
    comps = [d for d in docs if d["kind"] in ("Component", "Resource")]
    systems = {d["metadata"]["name"]: d for d in docs if d["kind"] == "System"}
    if any("depcheck.io/blast-radius" not in d["metadata"]["annotations"] for d in comps):
        fail("export -f backstage: a component without depcheck.io/blast-radius")
    # a system depends on another when one of its components does
    by = {d["metadata"]["name"]: d for d in comps}
    want = {}
    for d in comps:
        for ref in d["spec"]["dependsOn"]:
            t = by[ref.split(":", 1)[1]]
            a, b = d["spec"].get("system"), t["spec"].get("system")
            if a and b and a != b:
                want.setdefault(a, set()).add("system:" + b)
    for name, sd in systems.items():
        if set(sd["spec"]["dependsOn"]) != want.get(name, set()):
            fail(f"export -f backstage: system {name} dependsOn {sd['spec']['dependsOn']}, expected {sorted(want.get(name, []))}")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "catalog-info.yaml")
        with open(path, "w") as f:
            f.write(text)
        back = graph(run(dc, ["export", path, "-f", "json", "-q"]))
    orig = graph(run(dc, ["export", cat, "-f", "json", "-q"]))
    if back != orig:
        fail("export -f backstage does not load back to the same graph: " +
             str({k: (orig[k], back.get(k)) for k in orig if orig[k] != back.get(k)})[:2000])
    return 1


def main():
    dc, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.chdir(root)
    checked = 0
    for cat, extra in CATALOGS:
        plan = json.loads(run(dc, ["plan", cat, "-f", "json", "-q"] + extra))
        wave_of = {s: i for i, w in enumerate(plan["waves"]) for s in w}
        names = set(wave_of)
        for fmt in ("argocd", "helm", "flux"):
            what = f"{cat} {' '.join(extra)} -f {fmt}"
            try:
                docs = [d for d in yaml.safe_load_all(run(dc, ["plan", cat, "-f", fmt, "-q"] + extra)) if d is not None]
            except yaml.YAMLError as e:
                fail(f"{what}: not YAML: {e}")
                continue
            seen = {}
            for d in docs:
                if not isinstance(d, dict) or not {"apiVersion", "kind", "metadata"} <= set(d):
                    fail(f"{what}: not an object: {d!r}")
                    continue
                seen[d["metadata"]["name"]] = d
            # objects named after their service: the streaming and hostile
            # catalogs have no deploy objects, so every name is a service's
            if cat != "catalogs/deploy-tools" and set(seen) != names:
                fail(f"{what}: objects {sorted(seen)} != planned {sorted(names)}")
                continue
            if len(docs) != len(names):
                fail(f"{what}: {len(docs)} documents for {len(names)} services")
            order = [d["metadata"]["name"] for d in docs]
            if fmt in ("argocd", "helm"):
                key = "argocd.argoproj.io/sync-wave" if fmt == "argocd" else "helm.sh/hook-weight"
                waves = [int(d["metadata"]["annotations"][key]) for d in docs]
                if waves != sorted(waves):
                    fail(f"{what}: waves out of order {waves}")
                if cat != "catalogs/deploy-tools":
                    for n, w in zip(order, waves):
                        if w != wave_of[n]:
                            fail(f"{what}: {n!r} in wave {w}, -f json says {wave_of[n]}")
                if fmt == "helm" and any("pre-install" not in d["metadata"]["annotations"]["helm.sh/hook"] for d in docs):
                    fail(f"{what}: a document without the pre-install hook")
            else:
                pos = {n: i for i, n in enumerate(order)}
                for d in docs:
                    for dep in d["spec"]["dependsOn"] or []:
                        if dep["name"] in pos and pos[dep["name"]] >= pos[d["metadata"]["name"]]:
                            fail(f"{what}: {d['metadata']['name']!r} depends on a later {dep['name']!r}")
            checked += 1
        pipe = json.loads(run(dc, ["plan", cat, "-f", "pipeline", "-q"] + extra))
        if [s["services"] for s in pipe["deploy"]] != plan["waves"]:
            fail(f"{cat}: pipeline stages are not the waves")
        if [s["services"] for s in pipe["rollback"]] != plan["rollback"]:
            fail(f"{cat}: pipeline rollback stages are not the rollback order")
        for i, s in enumerate(pipe["deploy"]):
            if s["needs"] != ([pipe["deploy"][i - 1]["id"]] if i else []):
                fail(f"{cat}: stage {s['id']} needs {s['needs']}")
        checked += 1
    checked += backstage_round_trip(dc)
    print(f"{checked} outputs parsed back, {failures} failures")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
