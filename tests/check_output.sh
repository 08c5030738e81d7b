#!/usr/bin/env bash
# check_output.sh DEPCHECK TESTDATA: `-o FILE` is written atomically — on
# failure the target is left exactly as it was (absent, or its old content),
# no temporary file is left behind, the new file gets the mode a plain write
# would give it, and a symlinked target is written through.
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

check "no temporary files left" '[ -z "$(ls "$dir" | grep tmp)" ]'
[ $fail = 0 ] && echo "output checks passed"
exit $fail
