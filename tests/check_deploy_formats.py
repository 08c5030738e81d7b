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
    print(f"{checked} outputs parsed back, {failures} failures")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
