#!/usr/bin/env python3
"""check_dockerfile.py SRC - lint the Dockerfile's structure (no docker
needed; docs/install.md has the manual `docker build` check):

- two stages, both FROM debian:12-slim, the first named `build`;
- the build stage installs every build dependency .ci/run installs (its
  `pkgs=` list, less what only the tests use), plus dpkg-dev and file,
  which cpack's DEB generator runs, and libc6-dev (gcc only recommends it);
- it configures without tests, names the commit from a build argument and
  packages with `cpack -G DEB`;
- the runtime stage copies the .deb from the build stage and installs it
  with apt and nothing else, so its packages are the .deb's Depends
  (dpkg-shlibdeps); its dpkg path-excludes never drop the binary or its
  man pages, and it keeps the license; it runs as a non-root user with depcheck as the entrypoint.
"""
import fnmatch
import re
import shlex
import sys

TEST_ONLY = {"valgrind", "libxml2-utils", "python3", "python3-yaml", "python3-jsonschema", "chromium",
             "libcunit1-dev", "dpkg-dev", "file"}
PACKAGING = {"dpkg-dev", "file", "libc6-dev"}

src = sys.argv[1]
errors = []


def bad(msg):
    errors.append(msg)


def logical_lines(text):
    """Dockerfile instructions: continuation lines joined, comments dropped."""
    out, cur = [], ""
    for line in text.splitlines():
        s = line.strip()
        if not cur and (not s or s.startswith("#")):
            continue
        if s.startswith("#"):
            continue
        if s.endswith("\\"):
            cur += s[:-1] + " "
            continue
        out.append(cur + s)
        cur = ""
    if cur:
        out.append(cur)
    return out


def apt_installs(run):
    """The arguments of every `apt-get install` in a RUN command."""
    pkgs = []
    for cmd in re.split(r"&&|;|\|\|", run):
        words = shlex.split(cmd)
        words = [w for w in words if "=" not in w or w.startswith("-")]
        if "apt-get" in words and "install" in words:
            i = words.index("install")
            pkgs += [w for w in words[i + 1:] if not w.startswith("-")]
    return pkgs


with open(f"{src}/Dockerfile") as f:
    lines = logical_lines(f.read())
stages = []
for line in lines:
    op, _, arg = line.partition(" ")
    op = op.upper()
    if op == "FROM":
        stages.append({"from": arg.split(), "ins": []})
    elif not stages:
        if op != "ARG":
            bad(f"{op} before the first FROM")
    else:
        stages[-1]["ins"].append((op, arg.strip()))

if len(stages) != 2:
    bad(f"{len(stages)} stages, expected 2 (build, runtime)")
    stages += [{"from": [], "ins": []}] * (2 - len(stages))
build, runtime = stages[0], stages[-1]
if build["from"] != ["debian:12-slim", "AS", "build"] and build["from"] != ["debian:12-slim", "as", "build"]:
    bad(f"first stage: FROM {' '.join(build['from'])}, expected debian:12-slim AS build")
if runtime["from"] != ["debian:12-slim"]:
    bad(f"runtime stage: FROM {' '.join(runtime['from'])}, expected debian:12-slim")

# the build stage's packages against .ci/run's
with open(f"{src}/.ci/run") as f:
    m = re.search(r'^pkgs="([^"]*)"', f.read(), re.M)
if not m:
    bad(".ci/run has no pkgs= line")
    ci = set()
else:
    ci = set(m.group(1).split())
want = (ci - TEST_ONLY) | PACKAGING
build_runs = " && ".join(a for op, a in build["ins"] if op == "RUN")
have = set(apt_installs(build_runs))
for p in sorted(want - have):
    bad(f"build stage does not install {p} (.ci/run builds with it)")
for needle, what in [("-DBUILD_TESTING=OFF", "configures without tests"),
                     ("-DCMAKE_INSTALL_PREFIX=/usr", "installs under /usr"),
                     ('-DDC_COMMIT="$DC_COMMIT"', "passes the commit"),
                     ("cpack -G DEB", "builds the .deb")]:
    if needle not in build_runs:
        bad(f"build stage never {what} ({needle})")
if ("ARG", "DC_COMMIT=unknown") not in build["ins"]:
    bad("build stage has no ARG DC_COMMIT=unknown")

# the runtime stage: the .deb through apt, nothing else
copies = [a for op, a in runtime["ins"] if op == "COPY"]
if not any(a.startswith("--from=build ") and ".deb" in a for a in copies):
    bad("runtime stage does not COPY the .deb --from=build")
if any(not a.startswith("--from=build ") for a in copies):
    bad("runtime stage copies something from outside the build stage")
rt_runs = " && ".join(a for op, a in runtime["ins"] if op == "RUN")
rt_pkgs = apt_installs(rt_runs)
if not rt_pkgs or any(not p.endswith(".deb") for p in rt_pkgs):
    bad(f"runtime stage installs {rt_pkgs}: only the .deb (its Depends bring the libraries)")
excludes = re.findall(r"path-exclude=(\S+?)'", rt_runs)
for path in ["/usr/bin/depcheck", "/usr/share/man/man1/depcheck.1.gz",
             "/usr/share/doc/depcheck/LICENSE"]:
    for pat in excludes:
        if fnmatch.fnmatchcase(path, pat):
            bad(f"path-exclude={pat} drops {path}")
for path in ["/usr/include/depcheck/depcheck.h", "/usr/lib/x86_64-linux-gnu/libdepcheck.a",
             "/usr/lib/x86_64-linux-gnu/libdepcheck.so.0.1",
             "/usr/lib/x86_64-linux-gnu/cmake/depcheck/depcheckConfig.cmake",
             "/usr/lib/x86_64-linux-gnu/pkgconfig/depcheck.pc"]:
    if not any(fnmatch.fnmatchcase(path, pat) for pat in excludes):
        bad(f"the runtime image keeps {path} (a development file)")
cfg = re.search(r"/etc/dpkg/dpkg\.cfg\.d/(\S+)", rt_runs)
if not cfg or cfg.group(1) <= "docker":
    bad("the dpkg filter file must sort after the slim image's dpkg.cfg.d/docker (last match wins)")
if "path-include=/usr/share/doc/depcheck/LICENSE" not in rt_runs:
    bad("the runtime image does not keep the license (path-include)")
if "depcheck --version" not in rt_runs:
    bad("runtime stage never runs depcheck --version (the smoke test)")
users = [a for op, a in runtime["ins"] if op == "USER"]
if not users or users[-1] in ("root", "0"):
    bad("runtime stage runs as root")
if ("ENTRYPOINT", '["depcheck"]') not in runtime["ins"]:
    bad('runtime stage has no ENTRYPOINT ["depcheck"]')

for e in errors:
    print(f"Dockerfile: {e}")
if not errors:
    print(f"ok: Dockerfile (build stage installs {' '.join(sorted(have))})")
sys.exit(1 if errors else 0)
