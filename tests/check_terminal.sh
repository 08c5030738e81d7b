#!/usr/bin/env bash
# check_terminal.sh DEPCHECK TESTDATA: what depcheck does when standard
# output is a terminal (a pseudo-terminal made by python3's pty module):
# - text wraps to COLUMNS (every line of analyze, check and diff on the
#   example catalog fits), --width N overrides it, --width 0 turns it off;
#   JSON never wraps;
# - binary formats are refused on a terminal (render -f png / -f pdf, as
#   report refuses HTML) with exit 2 and a message, and allowed into a pipe.
set -u
bin=$1; data=$2
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }
if ! command -v python3 >/dev/null; then
  echo "python3 is not installed: no pseudo-terminal, the terminal checks are skipped"
  exit 0
fi
cd "$data" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# tty COLUMNS ARGS...: run with stdout on a pseudo-terminal; its output in
# $tmp/out (CR LF made LF), stderr in $tmp/err, exit code in $tmp/code
tty() {
  COLUMNS=$1 python3 - "$bin" "${@:2}" > "$tmp/out" 2> "$tmp/err" <<'PY'
import os, pty, subprocess, sys
m, s = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdout=s, stderr=subprocess.PIPE, env=dict(os.environ))
os.close(s)
out = b""
while True:
    try:
        b = os.read(m, 65536)
    except OSError:
        break
    if not b:
        break
    out += b
err = p.stderr.read()
p.wait()
sys.stdout.write(out.decode().replace("\r\n", "\n"))
sys.stderr.write(err.decode())
open(os.environ["CODE_FILE"], "w").write(str(p.returncode))
PY
}
export CODE_FILE=$tmp/code
cat=catalogs/streaming/catalog.yaml
maxw() { awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$tmp/out"; }

for c in "analyze $cat" "check $cat" "diff $cat diff/streaming-head.yaml"; do
  "$bin" $c > "$tmp/pipe" 2>/dev/null
  wide=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$tmp/pipe")
  tty 80 $c --color never
  w=$(maxw)
  check "$c on an 80-column terminal: widest line $w (in a pipe: $wide)" '[ "$w" -le 80 ] && [ "$wide" -gt 80 ]'
  # the words are the same, only the line breaks differ
  check "$c: wrapping keeps every word" '[ "$(tr -s " \n" "\n\n" < "$tmp/out" | sort | md5sum)" = "$(tr -s " \n" "\n\n" < "$tmp/pipe" | sort | md5sum)" ]'
  tty 60 $c --color never
  check "$c with COLUMNS=60: widest line $(maxw)" '[ "$(maxw)" -le 60 ]'
  tty 60 $c --color never --width 100
  check "$c --width 100 beats COLUMNS: widest line $(maxw)" '[ "$(maxw)" -le 100 ] && [ "$(maxw)" -gt 60 ]'
  tty 60 $c --color never --width 0
  check "$c --width 0: not wrapped" '[ "$(maxw)" = "$wide" ]'
done
# a position too long for the room after its column's indent starts
# further left instead of running past the edge (the cycle's edges list
# file:line:col under a 40-column indent)
long=./catalogs/../catalogs/streaming/catalog.yaml
tty 80 analyze "$long" --color never
check "analyze with long positions on an 80-column terminal: widest line $(maxw)" '[ "$(maxw)" -le 80 ]'
check "analyze with long positions: each position whole on a line" 'grep -q "^ *$long:266:20\$" "$tmp/out"'
tty 60 analyze "$cat" -f json
"$bin" analyze "$cat" -f json > "$tmp/pipe"
check "json on a terminal: not wrapped" 'cmp -s "$tmp/out" "$tmp/pipe"'
# colour codes take no columns
tty 80 analyze "$cat" --color always
check "colour on: still 80 columns of text" '[ "$(sed "s/\x1b\[[0-9;]*m//g" "$tmp/out" | awk "{ if (length(\$0) > m) m = length(\$0) } END { print m + 0 }")" -le 80 ]'

for f in png pdf; do
  tty 80 render "$cat" -f "$f"
  check "render -f $f to a terminal: exit 2" '[ "$(cat "$tmp/code")" = 2 ]'
  check "render -f $f to a terminal: says why" 'grep -q "is binary: give the output file with -o" "$tmp/err"'
  check "render -f $f to a terminal: writes nothing" '[ ! -s "$tmp/out" ]'
done
tty 80 report "$cat"
check "report to a terminal: exit 2" '[ "$(cat "$tmp/code")" = 2 ]'
tty 80 render "$cat" -f dot
check "render -f dot to a terminal is text: exit 0" '[ "$(cat "$tmp/code")" = 0 ]'
"$bin" render "$cat" -f png 2>/dev/null | head -c 8 | od -An -c | grep -q 'P   N   G'
check "render -f png into a pipe: a PNG" '[ $? = 0 ]'

[ $fail = 0 ] && echo "terminal checks passed"
exit $fail
