#!/usr/bin/env python3
"""check_action.py SRC DEPCHECK - the GitHub Action (action.yml) and the
pre-commit hooks (.pre-commit-hooks.yaml), checked for structure and run.

action.yml: a composite action whose run steps have a shell, never paste an
expression into a script (inputs reach it through env), use every input
they declare and declare every input they use. Then its steps run here as
the runner would: each step's env evaluated (${{ inputs.X }} with the
input or its default, github.action_path, runner.temp, the check step's
outputs), its script run with bash, GITHUB_OUTPUT and GITHUB_PATH files,
and `if:` conditions evaluated; the install step finds DEPCHECK on PATH,
the check step runs it on the example. The upload step (another action) is
not run: its condition is checked, and the SARIF it would upload.

.pre-commit-hooks.yaml: every hook runs depcheck with language: system,
its `files` pattern matches descriptors and not other files, and its entry
and args run as pre-commit runs them, in a repository holding the example
(and in one holding a broken descriptor, which must fail).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    print("skipped: python3-yaml not installed")
    sys.exit(77)

src, depcheck = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
errors = []


def bad(msg):
    errors.append(msg)
    print("FAIL:", msg)


with open(os.path.join(src, "action.yml")) as f:
    action = yaml.safe_load(f)

# ---- structure -------------------------------------------------------------
for key in ("name", "description", "inputs", "runs"):
    if key not in action:
        bad(f"action.yml has no {key}")
runs = action.get("runs", {})
if runs.get("using") != "composite":
    bad(f"runs.using is {runs.get('using')!r}, expected composite")
steps = runs.get("steps", [])
inputs = action.get("inputs", {})
for name, spec in inputs.items():
    if "description" not in spec:
        bad(f"input {name} has no description")
ids = {s.get("id") for s in steps if s.get("id")}
text = yaml.safe_dump(steps)
used = set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", text))
for name in sorted(set(inputs) - used):
    bad(f"input {name} is declared and never used")
for name in sorted(used - set(inputs)):
    bad(f"input {name} is used and not declared")
for name, spec in action.get("outputs", {}).items():
    m = re.fullmatch(r"\$\{\{ steps\.([a-z-]+)\.outputs\.[a-z-]+ \}\}", spec.get("value", ""))
    if not m or m.group(1) not in ids:
        bad(f"output {name} does not name a step's output")
for s in steps:
    if "run" in s:
        if s.get("shell") != "bash":
            bad(f"step {s.get('name')!r} has no shell: bash")
        if "${{" in s["run"]:
            bad(f"step {s.get('name')!r} pastes an expression into its script (use env)")
    elif "uses" not in s:
        bad(f"step {s.get('name')!r} neither runs nor uses")


# ---- the steps, run ----------------------------------------------------------
def evaluate(expr, ctx):
    """A GitHub expression over inputs, github.action_path, runner.temp and
    steps.<id>.outputs.<name>: enough for this action's."""
    def ref(m):
        r = m.group(0)
        if r.startswith("inputs."):
            return repr(ctx["inputs"][r[7:]])
        if r == "github.action_path":
            return repr(src)
        if r == "runner.temp":
            return repr(ctx["temp"])
        m2 = re.fullmatch(r"steps\.([a-z-]+)\.outputs\.([a-z-]+)", r)
        if m2:
            return repr(ctx["outputs"].get(m2.group(1), {}).get(m2.group(2), ""))
        raise ValueError(f"unknown reference {r}")
    py = re.sub(r"(inputs|github|runner|steps)\.[A-Za-z0-9_.-]+", ref, expr)
    py = py.replace("&&", " and ").replace("||", " or ").replace("!=", " != ")
    return eval(py, {"__builtins__": {}}, {})  # noqa: S307 (our own file)


def interpolate(value, ctx):
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: str(evaluate(m.group(1), ctx)), str(value))


def run_action(given, cwd):
    """Run the action's steps with the inputs `given`; returns (ran, outputs, gate code)."""
    ctx = {"inputs": {k: str(v.get("default", "")) for k, v in inputs.items()},
           "temp": tempfile.mkdtemp(dir=cwd), "outputs": {}}
    ctx["inputs"].update(given)
    ran, gate = [], None
    for s in steps:
        cond = s.get("if")
        if cond is not None and not evaluate(cond, ctx):
            continue
        ran.append(s.get("name"))
        if "uses" in s:
            continue
        env = {"PATH": os.path.dirname(depcheck) + ":" + os.environ["PATH"],
               "HOME": cwd, "GITHUB_OUTPUT": os.path.join(ctx["temp"], "output"),
               "GITHUB_PATH": os.path.join(ctx["temp"], "path")}
        open(env["GITHUB_OUTPUT"], "w").close()
        for k, v in s.get("env", {}).items():
            env[k] = interpolate(v, ctx)
        p = subprocess.run(["bash", "-e", "-c", s["run"]], cwd=cwd, env=env,
                           capture_output=True, text=True, timeout=300)
        outs = dict(line.split("=", 1) for line in open(env["GITHUB_OUTPUT"]).read().splitlines() if "=" in line)
        if s.get("id"):
            ctx["outputs"][s["id"]] = outs
        if s.get("id") == "install" and "depcheck" not in p.stdout:
            bad(f"install step: {p.stdout!r} {p.stderr!r}")
        if s is steps[-1]:
            gate = p.returncode
        elif p.returncode != 0:
            bad(f"step {s.get('name')!r} failed ({p.returncode}): {p.stderr}")
            break
    return ran, ctx["outputs"].get("check", {}), gate


upload = next(s["name"] for s in steps if "uses" in s and "upload-sarif" in s["uses"])
work = tempfile.mkdtemp()
try:
    for d in ("catalogs", "policy"):
        os.symlink(os.path.join(src, "testdata", d), os.path.join(work, d))

    # 1. the defaults (SARIF, uploaded) on the example: violations fail the gate
    ran, out, gate = run_action({"paths": "catalogs/streaming"}, work)
    if out.get("exit-code") != "1" or gate != 1:
        bad(f"default run: exit-code {out.get('exit-code')!r}, gate {gate}, expected 1 and 1")
    if upload not in ran:
        bad("default run: the SARIF upload step did not run")
    try:
        with open(os.path.join(work, out.get("results", "-"))) as f:
            sarif = json.load(f)
        if sarif.get("version") != "2.1.0" or not sarif["runs"][0]["results"]:
            bad("default run: the SARIF has no results")
    except (OSError, ValueError, KeyError, IndexError) as e:
        bad(f"default run: no SARIF file ({e})")
    # 2. fail-on never: the gate passes, the upload still runs
    ran, out, gate = run_action({"paths": "catalogs/streaming", "fail-on": "never",
                                 "output": "x.sarif", "args": "--threads 1"}, work)
    if out.get("exit-code") != "0" or gate != 0 or upload not in ran:
        bad(f"fail-on never: exit-code {out.get('exit-code')!r}, gate {gate}, ran {ran}")
    if out.get("results") != "x.sarif" or not os.path.exists(os.path.join(work, "x.sarif")):
        bad("output x.sarif was not written")
    # 3. a policy, text to the log: no results file, no upload
    ran, out, gate = run_action({"paths": "catalogs/streaming", "format": "text",
                                 "policy": "policy/streaming.yaml"}, work)
    if out.get("results") != "" or upload in ran or gate not in (0, 1):
        bad(f"text run: results {out.get('results')!r}, ran {ran}, gate {gate}")
    # 4. a path that does not exist: exit 2, no upload, the gate says so
    ran, out, gate = run_action({"paths": "catalogs/none"}, work)
    if out.get("exit-code") != "2" or gate != 2 or upload in ran:
        bad(f"missing path: exit-code {out.get('exit-code')!r}, gate {gate}, ran {ran}")
    # 5. an input is data, never shell code
    ran, out, gate = run_action({"paths": "catalogs/streaming;touch${IFS}pwned $(touch pwned2)",
                                 "args": "`touch pwned3`"}, work)
    for f in ("pwned", "pwned2", "pwned3"):
        if os.path.exists(os.path.join(work, f)):
            bad(f"an input ran as shell code ({f} exists)")
    if out.get("exit-code") != "2":
        bad(f"hostile input: exit-code {out.get('exit-code')!r}, expected 2")
finally:
    shutil.rmtree(work)

# ---- pre-commit hooks ----------------------------------------------------------
with open(os.path.join(src, ".pre-commit-hooks.yaml")) as f:
    hooks = yaml.safe_load(f)
if not isinstance(hooks, list) or not hooks:
    bad(".pre-commit-hooks.yaml is not a list of hooks")
    hooks = []
descriptors = ["catalog.yaml", "svc/catalog-info.yml", "compose.json", "deploy/k8s.yaml", "map.dot", "m.gv"]
others = ["README.md", "lib/load.c", "docs/x.yaml.md", "Dockerfile"]
repo = tempfile.mkdtemp()
broken = tempfile.mkdtemp()
try:
    shutil.copy(os.path.join(src, "testdata/catalogs/streaming/catalog.yaml"), repo)
    with open(os.path.join(broken, "catalog.yaml"), "w") as f:
        f.write("services:\n  - name: a\n    depends_on: [b\n")
    env = dict(os.environ, PATH=os.path.dirname(depcheck) + ":" + os.environ["PATH"])
    for h in hooks:
        hid = h.get("id", "?")
        for key in ("id", "name", "entry", "language", "files"):
            if key not in h:
                bad(f"hook {hid} has no {key}")
        if h.get("language") != "system" or not str(h.get("entry", "")).startswith("depcheck "):
            bad(f"hook {hid}: entry {h.get('entry')!r}, language {h.get('language')!r}")
        pat = re.compile(h.get("files", "^$"))
        for p in descriptors:
            if not pat.search(p):
                bad(f"hook {hid}: files does not match {p}")
        for p in others:
            if pat.search(p):
                bad(f"hook {hid}: files matches {p}")
        # as pre-commit runs it: entry, args, then the matching files unless
        # pass_filenames is false
        argv = h["entry"].split() + [str(a) for a in h.get("args", [])]
        if h.get("pass_filenames", True):
            argv += ["catalog.yaml"]
        good = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True, timeout=120)
        want = {"depcheck-validate": (0,), "depcheck-check": (1,)}.get(hid, (0, 1))
        if good.returncode not in want:
            bad(f"hook {hid} on the example: exit {good.returncode}, expected {want}: {good.stderr}")
        fails = subprocess.run(argv, cwd=broken, env=env, capture_output=True, text=True, timeout=120)
        if fails.returncode == 0 or "catalog.yaml:" not in fails.stdout + fails.stderr:
            bad(f"hook {hid} on a broken descriptor: exit {fails.returncode}, no diagnostic")
finally:
    shutil.rmtree(repo)
    shutil.rmtree(broken)

if not errors:
    print(f"ok: action.yml ({len(steps)} steps, 5 runs), .pre-commit-hooks.yaml ({len(hooks)} hooks)")
sys.exit(1 if errors else 0)
