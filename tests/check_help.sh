#!/usr/bin/env bash
# check_help.sh DEPCHECK BUILDDIR TESTDATA: the help, the man pages and the
# shell completions, which come from one source (tools/help.c, the option
# specs of tools/cmd_*.c).
# - every `depcheck CMD --help`, `depcheck --help` and `depcheck help TOPIC`
#   fits 80 columns; each command's help has one or two examples that run
#   that command, and states exactly the exit statuses the command uses
#   (the table below, from the code: which commands return DC_EXIT_FINDINGS);
# - the man pages were built for every command and topic, each option of
#   --help is in its page, and the roff renders without a warning: with
#   `man -l` when man is installed, else groff, else only its structure;
# - the completion scripts parse (bash -n; zsh -n and fish -n when those
#   shells are installed, else said and skipped) and `__complete` offers
#   commands, options, formats, choices, service names and selector values.
set -u
bin=$1; build=$2; data=$3
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# command -> the exit statuses it can return (1: findings; see docs/commands.md)
declare -A exits=(
  [validate]="0 1 2" [show]="0 2" [path]="0 1 2" [export]="0 2" [simulate]="0 2"
  [analyze]="0 2" [availability]="0 1 2" [critical-path]="0 2" [plan]="0 1 2"
  [check]="0 1 2" [diff]="0 1 2" [render]="0 2" [reconcile]="0 1 2" [report]="0 2"
  [experiments]="0 2" [verify]="0 1 2"
)
cmds=$("$bin" --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 { print $1 }')
check "the command list is the table's" '[ "$(echo $cmds | tr " " "\n" | sort)" = "$(printf "%s\n" "${!exits[@]}" | sort)" ]'

width() { awk -v what="$1" 'length($0) > 80 { print what ": " length($0) " columns: " $0; bad = 1 } END { exit bad }'; }
"$bin" --help | width "depcheck --help" || fail=1
for t in formats policy semantics json; do
  "$bin" help "$t" > "$tmp/topic" || { echo "FAIL: help $t exits $?"; fail=1; }
  width "help $t" < "$tmp/topic" || fail=1
  check "help $t says something" '[ $(wc -l < "$tmp/topic") -ge 5 ]'
done

for c in $cmds; do
  "$bin" "$c" --help > "$tmp/help"
  check "$c --help exits 0" '[ $? = 0 ]'
  width "$c --help" < "$tmp/help" || fail=1
  "$bin" help "$c" | cmp -s - "$tmp/help"
  check "help $c is $c --help" '[ $? = 0 ]'
  n=$(sed -n '/^examples:/,/^$/p' "$tmp/help" | grep -c "^  depcheck $c ")
  check "$c --help has one or two examples of $c (has $n)" '[ "$n" -ge 1 ] && [ "$n" -le 2 ]'
  stated=$(sed -n '/^exit status:/,/^$/p' "$tmp/help" | awk '/^  [0-9]  / { printf "%s ", $1 }')
  check "$c --help states exit statuses '${exits[$c]}' (states '$stated')" '[ "$stated" = "${exits[$c]} " ]'
  # the man page: built, and it has every option --help lists
  page=$build/man/man1/depcheck-$c.1
  check "man page depcheck-$c.1 built" '[ -s "$page" ]'
  [ -s "$page" ] || continue
  for o in $(grep -o -- '^  \(-., \)\?--[a-z0-9-]*\|^      --[a-z0-9-]*' "$tmp/help" | grep -o -- '--[a-z0-9-]*'); do
    esc=$(printf '%s' "${o#--}" | sed 's/-/\\\\-/g')
    grep -q -- "\\\\-\\\\-$esc\\\\fR" "$page" || { echo "FAIL: $c: $o is in --help, not in the man page"; fail=1; }
  done
  check "man $c: NAME, SYNOPSIS, OPTIONS, EXAMPLES, EXIT STATUS" \
    '[ "$(grep -c "^\.SH \(NAME\|SYNOPSIS\|DESCRIPTION\|OPTIONS\|EXAMPLES\|EXIT STATUS\)$" "$page")" = 6 ]'
done

pages=$(ls "$build"/man/man1/*.1 "$build"/man/man7/*.7 2>/dev/null)
check "depcheck.1 and the topics' pages built" '[ -s "$build/man/man1/depcheck.1" ] && [ -s "$build/man/man7/depcheck-json.7" ]'
if command -v man >/dev/null && man -l /dev/null >/dev/null 2>&1; then
  for p in $pages; do
    MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$p" > "$tmp/man" 2> "$tmp/man.err"
    check "man -l $(basename "$p") renders" '[ $? = 0 ] && [ -s "$tmp/man" ]'
    check "man -l $(basename "$p"): no warnings ($(head -c 300 "$tmp/man.err"))" '[ ! -s "$tmp/man.err" ]'
  done
elif command -v groff >/dev/null; then
  echo "man is not installed: the pages are checked with groff"
  for p in $pages; do
    groff -man -Tutf8 -ww -z "$p" 2> "$tmp/man.err"
    check "groff $(basename "$p"): no warnings" '[ ! -s "$tmp/man.err" ]'
  done
else
  echo "neither man nor groff is installed: the pages' structure only"
  for p in $pages; do
    check "$(basename "$p"): .TH and .SH NAME" 'grep -q "^\.TH " "$p" && grep -q "^\.SH NAME" "$p"'
  done
fi
"$bin" help --man show | cmp -s - "$build/man/man1/depcheck-show.1"
check "help --man show is the installed page" '[ $? = 0 ]'

# completions: the scripts parse
for sh in bash zsh fish; do
  "$bin" completion "$sh" > "$tmp/comp.$sh"
  check "completion $sh" '[ $? = 0 ] && [ -s "$tmp/comp.$sh" ]'
  if ! command -v "$sh" >/dev/null; then
    echo "$sh is not installed: its completion script is not parsed"
    continue
  fi
  "$sh" -n "$tmp/comp.$sh"
  check "$sh -n parses the completion script" '[ $? = 0 ]'
done
"$bin" completion tcsh > /dev/null 2>&1
check "completion tcsh: exit 2" '[ $? = 2 ]'

# what the scripts ask: candidates for the last word
cd "$data" || exit 1
cat=catalogs/streaming/catalog.yaml
comp() { "$bin" __complete "$@" | tr '\n' ' '; }
check "commands" '[ "$(comp an)" = "analyze " ]'
check "commands and topics after help" '[ "$(comp help s)" = "show simulate semantics " ]'
check "options" '[ "$(comp render --clu)" = "--cluster-by " ]'
check "formats" '[ "$(comp check "$cat" -f j)" = "json junit jsonl " ]'
check "choices" '[ "$(comp render --layout "")" = "auto dot sfdp " ]'
check "files for an input" '[ "$(comp analyze "")" = ":files " ]'
check "service names after the catalog" '[ "$(comp show "$cat" playb)" = ":files playback " ]'
check "selectors" '[ "$(comp simulate "$cat" --fail zone:eu-)" = "zone:eu-a zone:eu-b zone:eu-c " ]'
check "no catalog yet: no names" '[ "$(comp simulate --fail pla)" = "" ]'
# a bash completion run end to end
if command -v bash >/dev/null; then
  out=$(bash -c 'source "$1"; COMP_WORDS=("$2" show "$3" playb); COMP_CWORD=3
    _depcheck; printf "%s\n" "${COMPREPLY[@]}" | grep -v / ' _ "$tmp/comp.bash" "$bin" "$cat")
  check "bash: show CATALOG playb<TAB> offers playback ($out)" '[ "$out" = playback ]'
fi

# and a fish completion, where fish is installed
if command -v fish >/dev/null; then
  out=$(PATH=$(dirname "$bin"):$PATH fish -c "source $tmp/comp.fish; complete -C'depcheck show $cat playb'")
  check "fish: show CATALOG playb<TAB> offers playback ($out)" '[ "$out" = playback ]'
fi

[ $fail = 0 ] && echo "help checks passed"
exit $fail
