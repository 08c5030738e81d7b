#!/usr/bin/env python3
"""check_docs.py SRC BUILD DEPCHECK [FILE...] - every example in README.md
and docs/*.md runs, so the docs cannot drift from the tool
(docs/contributing.md, "Examples in the docs"). Fenced blocks:

- ```sh: every line (continuations joined) that starts with `depcheck ` or
  `build/depcheck ` is run; other lines (installing, git) are the reader's
  set-up, which the fixture below stands in for.
- ``` (or ```console, ```text) whose first line is `$ depcheck ...` or
  `$ build/depcheck ...`: a session. Each `$ ` line is run, and the lines
  after it are its expected output (stdout then stderr): they must appear
  in order and contiguous, and a `...` line stands for any number of
  lines. Without a leading (or trailing) `...` the output must start (or
  end) with the text given.
- ```yaml: a CI job's `run: depcheck ...` or `- depcheck ...` line is run
  with the job's variables set; a workflow step that uses depcheck's action
  may pass only the inputs action.yml declares; the local hooks of a
  .pre-commit-config.yaml that run depcheck are run; a block that starts
  with `depcheck-policy:` is a policy, checked with `depcheck check
  --policy`; one that starts with `services:` (or `depcheck:` and has
  `services:`) is a catalog, validated.
- ```c: compiled against the build's library (statements outside a
  function are wrapped in main) and run.

Each command runs with bash in a fresh copy of the fixture, a checkout
that holds the repository's testdata/ (also each of its directories at the
top: `catalogs/...`), a `catalog/` (the streaming example) with a
`depcheck-policy.yaml`, and build/depcheck; next to it the merge base's
`../base/catalog/` (also `$RUNNER_TEMP/base/catalog`); `depcheck` on PATH.
A run fails on exit status 2 or more, a signal, a timeout, or an expected
output that does not match. A block right after a `<!-- not run: REASON -->`
line is skipped. FILEs (relative to SRC) limit the run to those pages.

Without FILEs it also checks that every page of docs/ (its `.md` file) named in the
sources (docs, comments, scripts, CMake files) exists.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

src, build, depcheck = (os.path.abspath(a) for a in sys.argv[1:4])
only = sys.argv[4:]  # optional: run only these files (relative to SRC)
failures = 0
count = 0


def fixture():
    """A temporary directory: repo/ (the working directory) and base/."""
    top = tempfile.mkdtemp(prefix="dc-docs-")
    d = os.path.join(top, "repo")
    os.makedirs(d)
    td = os.path.join(src, "testdata")
    os.symlink(td, os.path.join(d, "testdata"))
    for e in sorted(os.listdir(td)):
        if os.path.isdir(os.path.join(td, e)):
            os.symlink(os.path.join(td, e), os.path.join(d, e))
    streaming = os.path.join(td, "catalogs/streaming")
    shutil.copytree(streaming, os.path.join(d, "catalog"))
    shutil.copytree(streaming, os.path.join(top, "base/catalog"))
    shutil.copytree(streaming, os.path.join(top, "runner/base/catalog"))
    shutil.copy(os.path.join(td, "policy/streaming.yaml"), os.path.join(d, "depcheck-policy.yaml"))
    os.makedirs(os.path.join(top, "bin"))
    os.makedirs(os.path.join(d, "build"))
    os.symlink(depcheck, os.path.join(top, "bin/depcheck"))
    os.symlink(depcheck, os.path.join(d, "build/depcheck"))
    return top


def blocks(path):
    """(line, lang, lines) of each fenced block, but those right after a
    `<!-- not run: REASON -->` line."""
    out = []
    with open(path) as f:
        lines = f.read().split("\n")
    i, prev = 0, ""
    while i < len(lines):
        m = re.match(r"^(\s*)```(\w*)\s*$", lines[i])
        if not m:
            if lines[i].strip():
                prev = lines[i].strip()
            i += 1
            continue
        indent, lang, start, body = m.group(1), m.group(2), i + 1, []
        i += 1
        while i < len(lines) and not re.match(r"^\s*```\s*$", lines[i]):
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        if not prev.startswith("<!-- not run:"):
            out.append((start, lang, body))
        prev = "```"
        i += 1
    return out


def joined(body):
    """Lines with backslash continuations joined."""
    out, cur = [], ""
    for line in body:
        if line.rstrip().endswith("\\"):
            cur += line.rstrip()[:-1] + " "
        else:
            out.append(cur + line)
            cur = ""
    if cur:
        out.append(cur)
    return out


def run(where, cmd, expect=None):
    """Run cmd in a fresh fixture; check the status and the expected lines."""
    global failures, count
    count += 1
    d = fixture()
    try:
        env = dict(os.environ, PATH=os.path.join(d, "bin") + ":" + os.environ["PATH"],
                   RUNNER_TEMP=os.path.join(d, "runner"), NO_COLOR="1", HOME=d,
                   CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main")
        try:
            p = subprocess.run(["bash", "-c", cmd], cwd=os.path.join(d, "repo"), env=env, capture_output=True,
                               text=True, timeout=300)
        except subprocess.TimeoutExpired:
            print(f"FAIL {where}: timed out: {cmd}")
            failures += 1
            return
        problem = None
        if p.returncode < 0 or p.returncode >= 2:
            problem = f"exit status {p.returncode}"
        elif expect is not None:
            problem = mismatch(expect, (p.stdout + p.stderr).split("\n"))
        if problem:
            failures += 1
            print(f"FAIL {where}: {cmd}\n  {problem}")
            print("  --- output:\n  " + "\n  ".join((p.stdout + p.stderr).split("\n")[:40]))
    finally:
        shutil.rmtree(d)


def mismatch(expect, actual):
    """None when the expected lines match actual (see the file comment)."""
    while actual and actual[-1] == "":
        actual.pop()
    segs, cur = [], []
    for line in expect:
        if line.strip() == "...":
            segs.append(cur)
            cur = []
        else:
            cur.append(line)
    segs.append(cur)
    anchored_start, anchored_end = bool(segs[0]), bool(segs[-1])
    pos = 0
    for k, seg in enumerate(segs):
        if not seg:
            continue
        if k == 0 and anchored_start:
            if actual[:len(seg)] != seg:
                return f"output does not start with: {seg[0]!r} (it starts with {actual[:1]})"
            pos = len(seg)
            continue
        if k == len(segs) - 1 and anchored_end:
            if len(actual) - len(seg) < pos or actual[len(actual) - len(seg):] != seg:
                return f"output does not end with: {seg[-1]!r} (it ends with {actual[-1:]})"
            continue
        for j in range(pos, len(actual) - len(seg) + 1):
            if actual[j:j + len(seg)] == seg:
                pos = j + len(seg)
                break
        else:
            return f"expected lines not found in order: {seg[0]!r}"
    return None


def check_c(where, body):
    global failures, count
    count += 1
    code = "\n".join(body)
    if "main(" not in code:
        inc = [l for l in body if l.startswith("#include")]
        rest = [l for l in body if not l.startswith("#include")]
        code = "\n".join(inc) + "\nint main(void)\n{\n" + "\n".join(rest) + "\nreturn 0;\n}\n"
    d = fixture()
    try:
        d = os.path.join(d, "repo")
        with open(os.path.join(d, "example.c"), "w") as f:
            f.write(code)
        libs = subprocess.run(["pkg-config", "--libs", "yaml-0.1", "jansson", "libgvc", "libcgraph"],
                              capture_output=True, text=True).stdout.split()
        cc = subprocess.run([os.environ.get("CC", "cc"), "-std=c11", "-Wall", "-Werror", "-Wno-unused-variable",
                             "-I", os.path.join(src, "include"), "-I", os.path.join(build, "include"),
                             "example.c", "-o", "example", os.path.join(build, "libdepcheck.a")]
                            + libs + ["-lm", "-lpthread"], cwd=d, capture_output=True, text=True)
        if cc.returncode != 0:
            failures += 1
            print(f"FAIL {where}: the C example does not compile:\n{cc.stderr}")
            return
        p = subprocess.run(["./example"], cwd=d, capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            failures += 1
            print(f"FAIL {where}: the C example exits {p.returncode}: {p.stderr}")
    finally:
        shutil.rmtree(os.path.dirname(d))


def load_yaml(where, body):
    global failures
    try:
        import yaml
    except ImportError:
        return None
    try:
        return yaml.safe_load("\n".join(body))
    except yaml.YAMLError as e:
        failures += 1
        print(f"FAIL {where}: the YAML does not parse: {e}")
        return None


def uses_action(where, body):
    """A workflow's steps that use depcheck's action pass only its inputs."""
    global failures, count
    doc = load_yaml(where, body)
    if not isinstance(doc, dict) or "jobs" not in doc:
        return
    import yaml
    with open(os.path.join(src, "action.yml")) as f:
        inputs = set(yaml.safe_load(f)["inputs"])
    for job in doc["jobs"].values():
        for step in job.get("steps", []):
            if str(step.get("uses", "")).rstrip("/").endswith("depcheck"):
                count += 1
                unknown = set(step.get("with", {})) - inputs
                if unknown:
                    failures += 1
                    print(f"FAIL {where}: the action has no input {sorted(unknown)}")


def precommit(where, body):
    """A .pre-commit-config.yaml: each local hook running depcheck is run as
    pre-commit runs it (entry, args, the files unless pass_filenames: false)."""
    doc = load_yaml(where, body)
    if not isinstance(doc, dict):
        return
    for repo in doc.get("repos", []):
        for h in repo.get("hooks", []):
            if str(h.get("entry", "")).startswith("depcheck "):
                argv = [h["entry"]] + [str(a) for a in h.get("args", [])]
                if h.get("pass_filenames", True):
                    argv.append("catalog/catalog.yaml")
                run(where, " ".join(argv))


files = [os.path.join(src, "README.md")] + sorted(glob.glob(os.path.join(src, "docs/*.md")))
if only:
    files = [os.path.join(src, f) for f in only]
for path in files:
    rel = os.path.relpath(path, src)
    for start, lang, body in blocks(path):
        where = f"{rel}:{start}"
        first = next((l for l in body if l.strip() and not l.lstrip().startswith("#")), "")
        if lang == "sh":
            for line in joined(body):
                if re.match(r"(build/)?depcheck ", line):
                    run(where, line)
        elif lang in ("", "console", "text") and re.match(r"\$ (build/)?depcheck ", first):
            cmd, expect = None, []
            for line in body + ["$ "]:
                if line.startswith("$ "):
                    if cmd:
                        run(where, cmd, expect)
                    cmd, expect = line[2:].strip(), []
                else:
                    expect.append(line)
        elif lang == "yaml":
            if first.startswith("depcheck-policy:"):
                pol = "\n".join(body).replace("'", "'\\''")
                run(where, f"printf '%s\\n' '{pol}' > p.yaml && depcheck check catalog/ --policy p.yaml")
            elif first.startswith("services:") or (first.startswith("depcheck:")
                                                   and "services:" in body):
                cat = "\n".join(body).replace("'", "'\\''")
                run(where, f"printf '%s\\n' '{cat}' > c.yaml && depcheck validate c.yaml")
            elif re.search(r"^repos:", "\n".join(body), re.M):
                precommit(where, body)
            else:
                uses_action(where, body)
                for line in joined(body):
                    m = re.match(r"\s*(?:-\s+)?(?:run:\s+)?(depcheck .*)$", line)
                    if m:
                        run(where, m.group(1))
        elif lang == "c":
            check_c(where, body)

# every docs page named anywhere in the sources (in a comment too)
# exists: a reader sent to a page that is not there is a broken promise
if not only:
    named = set()
    for pat in ("README.md", "CHANGELOG.md", "Dockerfile", "action.yml", ".pre-commit-hooks.yaml",
                "CMakeLists.txt", "docs/*.md", "lib/*.[ch]", "lib/README.md", "tools/*.[ch]",
                "include/depcheck/*.h", "tests/*.[ch]", "tests/*.py", "tests/*.sh", "tests/CMakeLists.txt",
                "schemas/*.json"):
        for f in glob.glob(os.path.join(src, pat)):
            with open(f, encoding="utf-8", errors="replace") as fh:
                for m in re.finditer(r"(?<![\w/.-])docs/([A-Za-z0-9_-]+\.md)\b", fh.read()):
                    named.add((m.group(1), os.path.relpath(f, src)))
    for page, where in sorted(named):
        if not os.path.exists(os.path.join(src, "docs", page)):
            print(f"FAIL {where}: names docs/{page}, which does not exist")
            failures += 1

print(f"{count} examples run, {failures} failed")
sys.exit(1 if failures or count == 0 else 0)
