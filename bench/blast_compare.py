#!/usr/bin/python3
"""blast_compare.py - blast radii of every service with igraph or networkx,
for comparison with `depcheck analyze` (bench/run.sh cases igraph_blast,
networkx_blast and the blast_check verdict).

    blast_compare.py --engine igraph|networkx CATALOG.json [--counts FILE]
    blast_compare.py --check DEPCHECK CATALOG.json [--engine igraph|networkx]

The blast radius of X in depcheck's terms (docs/model.md) is the number of
other services that go DOWN or DEGRADED when X fails alone. Every service
that depends on X through any chain of edges (hard, soft or any_of member)
is one or the other, so DOWN + DEGRADED + 1 = |ancestors(X)| + 1, which is
what the libraries compute here: igraph's neighborhood_size(order=N,
mode="in") per node (X itself included) and networkx's len(nx.ancestors(G,
X)) + 1.

CATALOG.json is a native depcheck catalog in JSON (bench_gen_catalog
--json, or `depcheck export -f json`), so no YAML module is needed. Edges
point from a service to what it depends on; references to services that
are not defined become nodes too (depcheck's external services).

--engine: load + compute with one library, print the timing lines; with
--counts FILE also write "name count" lines (count = ancestors + 1).
--check: compute with the library (default igraph) and compare with
`DEPCHECK analyze -f jsonl` (its service records' down + degraded + 1); exit 1
on any difference. While `analyze` is missing from the depcheck build, a
sample of 25 services is checked through `depcheck show -f json` instead.

Run with the Debian python (/usr/bin/python3): python3-igraph and
python3-networkx are Debian packages.
"""
import argparse
import json
import subprocess
import sys
import time


def load_edges(path):
    """Names (in catalog order, then undefined targets) and (u, v) edges."""
    with open(path, "rb") as f:
        doc = json.load(f)
    services = doc["services"] if isinstance(doc, dict) else doc
    ids = {}
    names = []

    def nid(name):
        i = ids.get(name)
        if i is None:
            i = ids[name] = len(names)
            names.append(name)
        return i

    for s in services:
        nid(s["name"])
    edges = set()
    for s in services:
        u = ids[s["name"]]
        for d in s.get("depends_on") or []:
            if isinstance(d, str):
                targets = [d]
            elif "any_of" in d:
                targets = [m if isinstance(m, str) else m["service"] for m in d["any_of"]]
            else:
                targets = [d["service"]]
            for t in targets:
                v = nid(t)
                if v != u:  # depcheck drops self-dependencies
                    edges.add((u, v))
    return names, sorted(edges)


def counts_igraph(n, edges):
    import igraph as ig
    g = ig.Graph(n=n, edges=edges, directed=True)
    t = time.perf_counter()
    c = g.neighborhood_size(vertices=None, order=n, mode="in")
    return c, time.perf_counter() - t


def counts_networkx(n, edges):
    import networkx as nx
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges)
    t = time.perf_counter()
    c = [len(nx.ancestors(g, v)) + 1 for v in range(n)]
    return c, time.perf_counter() - t


ENGINES = {"igraph": counts_igraph, "networkx": counts_networkx}


def run_engine(engine, path):
    t0 = time.perf_counter()
    names, edges = load_edges(path)
    t1 = time.perf_counter()
    counts, tc = ENGINES[engine](len(names), edges)
    t2 = time.perf_counter()
    print(f"{engine}: {len(names)} nodes, {len(edges)} edges; read JSON {t1 - t0:.3f} s, "
          f"build graph {t2 - t1 - tc:.3f} s, blast radii {tc:.3f} s, total {t2 - t0:.3f} s",
          file=sys.stderr)
    return names, counts


def depcheck_counts(depcheck, path, names):
    """{name: down + degraded + 1} from depcheck, and how it was obtained."""
    # -f jsonl: one record per service, every service (-f json lists the
    # 100 biggest by default)
    r = subprocess.run([depcheck, "analyze", "-f", "jsonl", path], capture_output=True)
    if r.returncode in (0, 1) and r.stdout.strip():
        out = {}
        for line in r.stdout.splitlines():
            b = json.loads(line)
            if b.get("type") == "service":
                out[b["service"]] = b["down"] + b["degraded"] + 1
        return out, "analyze -f jsonl"
    # analyze not in this build yet: a sample through `show`
    step = max(1, len(names) // 25)
    out = {}
    for name in names[::step][:25] + names[-1:]:
        r = subprocess.run([depcheck, "show", "-f", "json", path, name], capture_output=True)
        if r.returncode != 0:
            raise SystemExit(f"blast_compare: depcheck show {name} failed: {r.stderr.decode()[:300]}")
        b = json.loads(r.stdout)["blast_radius"]
        out[name] = b["down"] + b["degraded"] + 1
    return out, f"show (sample of {len(out)}; `depcheck analyze` not available)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("catalog")
    ap.add_argument("--engine", choices=sorted(ENGINES), default="igraph")
    ap.add_argument("--counts", metavar="FILE")
    ap.add_argument("--check", metavar="DEPCHECK")
    a = ap.parse_args()
    names, counts = run_engine(a.engine, a.catalog)
    if a.counts:
        with open(a.counts, "w") as f:
            for nm, c in zip(names, counts):
                f.write(f"{nm} {c}\n")
    if not a.check:
        return 0
    mine = dict(zip(names, counts))
    theirs, how = depcheck_counts(a.check, a.catalog, names)
    bad = [(nm, c, mine.get(nm)) for nm, c in theirs.items() if mine.get(nm) != c]
    missing = len(names) - len(theirs) if how.startswith("analyze") else 0
    if bad or missing:
        for nm, c, m in bad[:10]:
            print(f"  {nm}: depcheck {c - 1} + 1, {a.engine} {m}", file=sys.stderr)
        print(f"MISMATCH: {len(bad)} of {len(theirs)} services differ, {missing} missing "
              f"(depcheck via {how})")
        return 1
    print(f"agree: {len(theirs)} services, depcheck ({how}) down + degraded + 1 == "
          f"{a.engine} ancestors + 1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
