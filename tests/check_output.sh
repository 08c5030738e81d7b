#!/usr/bin/env bash
# check_output.sh DEPCHECK TESTDATA: `-o FILE` is written atomically — on
# failure the target is left exactly as it was (absent, or its old content),
# no temporary file is left behind, the new file gets the mode a plain write
# would give it, and a symlinked target is written through. -o never
# replaces one of the inputs (by name, symlink, hard link, stdin redirect,
# a file found in an input directory, plan's base catalog). Write errors —
# a full device — exit 2 with a message; a closed pipe ends the program
# quietly by SIGPIPE, as it ends cat or git (the shell's status 141).
set -u
bin=$1; data=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }
cat=$data/catalogs/small

umask 022
"$bin" export "$cat" -o "$dir/new.json"
check "new file written" '[ -s "$dir/new.json" ]'
check "new file mode 0644 under umask 022" '[ "$(stat -c %a "$dir/new.json")" = 644 ]'

printf 'old\n' > "$dir/keep.json"; chmod 640 "$dir/keep.json"
"$bin" export "$cat" -o "$dir/keep.json"
check "existing mode kept" '[ "$(stat -c %a "$dir/keep.json")" = 640 ]'

# failures: unusable input, unknown service; the target must not change
printf 'old\n' > "$dir/old.json"
"$bin" export "$data/bad/yaml-syntax-error/input.yaml" -o "$dir/old.json" 2>/dev/null
check "bad input exits 2" '[ $? = 2 ]'
check "target untouched after failure" '[ "$(cat "$dir/old.json")" = old ]'
printf 'old\n' > "$dir/old.html"
"$bin" report "$data/bad/yaml-syntax-error/input.yaml" -o "$dir/old.html" 2>/dev/null
check "report: target untouched after failure" '[ "$(cat "$dir/old.html")" = old ]'
"$bin" report "$cat" -o "$dir/old.html"
check "report: written" 'grep -q "^<!DOCTYPE html>" "$dir/old.html"'
check "report: no temporary file left" '[ -z "$(ls "$dir" | grep tmp)" ]'
"$bin" show "$cat" no-such-service -o "$dir/none.txt" 2>/dev/null
check "no file created on failure" '[ ! -e "$dir/none.txt" ]'
"$bin" export "$cat" -o "$dir" 2>/dev/null
check "a directory target is an error" '[ $? = 2 ]'
"$bin" export "$cat" -o "$dir/missing/x.json" 2>/dev/null
check "a missing directory is an error" '[ $? = 2 ]'

ln -s keep.json "$dir/link.json"
"$bin" export "$cat" -f yaml -o "$dir/link.json"
check "symlink kept" '[ -L "$dir/link.json" ]'
check "written through the symlink" 'grep -q "^depcheck: 1" "$dir/keep.json"'

# devices and FIFOs are written in place, never replaced by a file
"$bin" export "$cat" -o /dev/null
check "a device is written, not replaced" '[ -c /dev/null ]'
mkfifo "$dir/fifo"
( timeout 10 cat "$dir/fifo" > "$dir/from-fifo" ) &
timeout 10 "$bin" export "$cat" -o "$dir/fifo"
wait
check "a FIFO stays a FIFO" '[ -p "$dir/fifo" ]'
check "the FIFO's reader got the output" '[ -s "$dir/from-fifo" ]'
if [ -c /dev/full ]; then
  "$bin" export "$cat" -o /dev/full 2>/dev/null
  check "a full device is a write error (exit 2)" '[ $? = 2 ]'
  "$bin" export "$cat" > /dev/full 2>/dev/null
  check "a full stdout is a write error (exit 2)" '[ $? = 2 ]'
fi
ln -s "$dir/nowhere/x" "$dir/dangling"
"$bin" export "$cat" -o "$dir/dangling" 2>/dev/null
check "a dangling symlink is refused" '[ $? = 2 ] && [ -L "$dir/dangling" ]'

# inputs are never overwritten: by name, through a symlink or a hard link,
# as stdin, inside an input directory, or as plan's --changed-from base
mkdir "$dir/in"
cp "$cat/shop.yaml" "$cat/backend.json" "$dir/in/"
sum() { md5sum "$dir/in/shop.yaml" "$dir/in/backend.json" | cut -d' ' -f1 | tr '\n' ' '; }
before=$(sum)
refused() { # refused NAME ARGS...: exit 2, the message, nothing changed
  local name=$1; shift
  "$bin" "$@" 2>"$dir/err" >/dev/null
  local code=$?
  check "$name: exit 2" '[ $code = 2 ]'
  check "$name: says why" 'grep -q "refusing to write .*: it is one of the inputs" "$dir/err"'
  check "$name: inputs unchanged" '[ "$(sum)" = "$before" ]'
}
refused "same name" export "$dir/in/shop.yaml" "$dir/in/backend.json" -o "$dir/in/shop.yaml"
refused "inside an input directory" export "$dir/in" -f yaml -o "$dir/in/backend.json"
ln -s in/shop.yaml "$dir/sym.yaml"
refused "through a symlink" export "$dir/in" -o "$dir/sym.yaml"
ln "$dir/in/backend.json" "$dir/hard.json"
refused "through a hard link" export "$dir/in/shop.yaml" "$dir/in/backend.json" -o "$dir/hard.json"
refused "the analysis of an input" analyze "$dir/in" -o "$dir/in/shop.yaml"
mkdir "$dir/base"; cp "$cat/shop.yaml" "$cat/backend.json" "$dir/base/"
basesum=$(cat "$dir/base/"* | md5sum)
refused "plan's base catalog" plan "$dir/in" --changed-from "$dir/base" -o "$dir/base/shop.yaml"
check "plan's base catalog: unchanged" '[ "$(cat "$dir/base/"* | md5sum)" = "$basesum" ]'
refused "check's baseline" check "$dir/in" --baseline "$dir/base" -o "$dir/base/shop.yaml"
check "check's baseline: unchanged" '[ "$(cat "$dir/base/"* | md5sum)" = "$basesum" ]'
# other files a command reads: a policy, observed calls
"$bin" check --print-default-policy > "$dir/policy.yaml"
printf 'caller,callee,calls\nweb,api,3\n' > "$dir/calls.csv"
polsum=$(cat "$dir/policy.yaml" "$dir/calls.csv" | md5sum)
refused "check's policy" check "$dir/in" --policy "$dir/policy.yaml" -o "$dir/policy.yaml"
refused "report's policy" report "$dir/in" --policy "$dir/policy.yaml" -o "$dir/policy.yaml"
refused "diff's policy" diff "$dir/in" "$dir/base" --policy "$dir/policy.yaml" -o "$dir/policy.yaml"
refused "reconcile's observed calls" reconcile "$dir/in" --observed "$dir/calls.csv" -o "$dir/calls.csv"
refused "check's observed calls" check "$dir/in" --observed "$dir/calls.csv" -o "$dir/calls.csv"
check "policy and observed calls unchanged" '[ "$(cat "$dir/policy.yaml" "$dir/calls.csv" | md5sum)" = "$polsum" ]'
"$bin" export - -o "$dir/in/shop.yaml" < "$dir/in/shop.yaml" 2>"$dir/err" >/dev/null
check "stdin redirected from the target: exit 2" '[ $? = 2 ]'
check "stdin redirected from the target: unchanged" '[ "$(sum)" = "$before" ]'
"$bin" export "$dir/in" -o "$dir/in/new.json"
check "a new file next to the inputs is fine" '[ $? = 0 ] && [ -s "$dir/in/new.json" ]'
rm -f "$dir/in/new.json" "$dir/sym.yaml" "$dir/hard.json"

# a closed pipe (`depcheck export -f dot big/ | head`) ends quietly: killed
# by SIGPIPE (status 141 in a shell), not a message per failed write
if command -v python3 >/dev/null; then
  python3 - "$bin" "$data/catalogs/streaming" > "$dir/pipe" 2>&1 <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)  # nobody will ever read
p = subprocess.run([sys.argv[1], "export", sys.argv[2]], stdout=w, stderr=subprocess.PIPE)
print(p.returncode)
print(p.stderr.decode())
PY
  check "closed pipe: killed by SIGPIPE" '[ "$(head -n1 "$dir/pipe")" = -13 ]'
  check "closed pipe: nothing on stderr" '[ -z "$(tail -n +2 "$dir/pipe" | tr -d "\n")" ]'
  for f in dot json yaml; do
    ( set -o pipefail; "$bin" export -f "$f" "$data/catalogs/streaming" 2>"$dir/pipe.err" | head -c1 >/dev/null
      echo $? > "$dir/pipe.code" )
    check "export -f $f | head -c1: quiet" '[ ! -s "$dir/pipe.err" ]'
    check "export -f $f | head -c1: 0 or 141" 'grep -qx "0\|141" "$dir/pipe.code"'
  done
  # a parent that ignores SIGPIPE (Python's subprocess restores it; a
  # shell started with it ignored does not): still quiet, still killed
  python3 - "$bin" "$data/catalogs/streaming" > "$dir/pipe" 2>&1 <<'PY'
import os, signal, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "export", sys.argv[2]], stdout=w, stderr=subprocess.PIPE,
                   restore_signals=False, preexec_fn=lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN))
print(p.returncode)
print(p.stderr.decode())
PY
  check "closed pipe, SIGPIPE ignored by the parent: killed by SIGPIPE" '[ "$(head -n1 "$dir/pipe")" = -13 ]'
fi

check "no temporary files left" '[ -z "$(find "$dir" -mindepth 1 -name "*.tmp*")" ]'
[ $fail = 0 ] && echo "output checks passed"
exit $fail
