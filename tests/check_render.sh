#!/usr/bin/env bash
# check_render.sh DEPCHECK TESTDATA - the laid-out formats of `depcheck render`
# on the example catalog, checked for structure rather than bytes (Graphviz's
# coordinates change between versions): the SVG is well-formed XML (xmllint),
# has one <g id="svc-N"> per service with the service name as <title>, the
# overlay classes and colours are there; PNG and PDF start with their
# signatures; -o leaves no partial file on failure. Not run under valgrind
# (label "render"): Graphviz's layout keeps process-lifetime allocations.
set -u
bin=$1; root=$2
cd "$root" || exit 1
cat=catalogs/streaming/catalog.yaml
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }
xp() { xmllint --xpath "$2" "$1" 2>/dev/null; }
command -v xmllint >/dev/null || { echo "skipped: xmllint missing (apt-get install libxml2-utils)"; exit 77; }

n=$("$bin" validate -f json "$cat" | sed -n 's/.*"services": *\([0-9]*\).*/\1/p' | head -1)
[ -n "$n" ] && [ "$n" -gt 0 ] || no "cannot count services"
names=$("$bin" export -f json "$cat" | sed -n 's/^    {$//; s/^      "name": *"\([^"]*\)".*/\1/p')

check_svg() { # file: well-formed, every service once with its name as title
	local f=$1 i t
	xmllint --noout "$f" || { no "$f is not well-formed XML"; return; }
	[ "$(xp "$f" 'count(//*[local-name()="g"][starts-with(@id,"svc-")])')" = "$n" ] ||
		no "$f: expected $n service nodes"
	for ((i = 0; i < n; i++)); do
		t=$(xp "$f" "string(//*[local-name()='g'][@id='svc-$i']/*[local-name()='title'])")
		grep -qxF -- "$t" <<<"$names" || no "$f: svc-$i has title '$t', not a service name"
	done
}

"$bin" render "$cat" -o "$tmp/map.svg" -q || no "render svg"
check_svg "$tmp/map.svg"
[ "$(xp "$tmp/map.svg" 'count(//*[local-name()="g"][starts-with(@id,"e-")])')" -gt 100 ] || no "edges missing"
xp "$tmp/map.svg" '//*[local-name()="g"][@id="svc-0"]/@class' | grep -q 'dc-node tier-1 entrypoint' ||
	no "svc-0 classes"

# --fail: discovery is the seed, its dependents DOWN in red, the legend counts them
"$bin" render "$cat" --fail discovery -o "$tmp/fail.svg" -q || no "render --fail"
check_svg "$tmp/fail.svg"
id=$("$bin" render "$cat" --fail discovery -f dot -q | sed -n 's/^  "discovery" \[id="\(svc-[0-9]*\)".*/\1/p')
xp "$tmp/fail.svg" "//*[local-name()='g'][@id='$id']/@class" | grep -q 'state-down seed' || no "seed class"
xp "$tmp/fail.svg" "//*[local-name()='g'][@id='$id']//*[local-name()='path' or local-name()='polygon']/@fill" |
	grep -q '#e74c3c' || no "seed not filled red"
[ "$(xp "$tmp/fail.svg" 'count(//*[local-name()="g"][contains(@class,"state-down")])')" = 30 ] || no "30 down"
grep -q 'DOWN (30)' "$tmp/fail.svg" || no "legend count"

# the other overlays lay out and keep every service
for o in "--cluster-by system" "--plan" "--critical-path" "--reduce" \
	 "--layout sfdp"; do
	"$bin" render "$cat" $o -o "$tmp/o.svg" -q || no "render $o"
	check_svg "$tmp/o.svg"
done
"$bin" render "$cat" --critical-path --from access-point -o "$tmp/c.svg" -q
xp "$tmp/c.svg" '//*[local-name()="g"][contains(@class,"critical")]//*[local-name()="path"]/@stroke' |
	grep -q '#7d3c98' || no "critical path colour"
"$bin" render "$cat" --highlight playlist --depth 1 -o "$tmp/h.svg" -q
# --highlight draws the neighbourhood only: the services of its DOT, no more
xmllint --noout "$tmp/h.svg" || no "highlight svg"
hn=$("$bin" render "$cat" --highlight playlist --depth 1 -f dot -q | grep -c '^ *"[^"]*" \[id="svc-')
[ "$(xp "$tmp/h.svg" 'count(//*[local-name()="g"][starts-with(@id,"svc-")])')" = "$hn" ] && [ "$hn" -lt "$n" ] ||
	no "highlight draws $hn services, the neighbourhood"
[ "$(xp "$tmp/h.svg" 'count(//*[local-name()="g"][contains(@class,"faded")])')" = 0 ] || no "highlight fades nothing"
# the layered map: soft edges are routed after the layout, and are all there
[ "$(xp "$tmp/map.svg" 'count(//*[local-name()="g"][contains(@class,"soft")][starts-with(@id,"e-")])')" = \
  "$("$bin" render "$cat" -f dot -q | grep -c 'class="dc-edge soft')" ] || no "soft edges in the svg"
# the same map twice in one process is the same SVG (the report depends on it): see test_render.c
"$bin" render "$cat" --collapse system -o "$tmp/g.svg" -q || no "render --collapse"
xmllint --noout "$tmp/g.svg" || no "collapsed svg"
[ "$(xp "$tmp/g.svg" 'count(//*[local-name()="g"][starts-with(@id,"grp-")])')" = 14 ] || no "14 systems"

# PNG and PDF through the cairo plugin
"$bin" render "$cat" -o "$tmp/map.png" -q || no "render png"
[ "$(head -c 8 "$tmp/map.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || no "PNG signature"
"$bin" render "$cat" --plan -o "$tmp/map.pdf" -q || no "render pdf"
[ "$(head -c 5 "$tmp/map.pdf")" = "%PDF-" ] || no "PDF signature"
"$bin" render "$cat" -f png -q >"$tmp/stdout.png" || no "png to stdout"
cmp -s "$tmp/stdout.png" "$tmp/map.png" || no "png to stdout differs from -o"

# failures leave nothing behind
echo keep >"$tmp/keep.svg"
"$bin" render "$cat" --highlight nosuch -o "$tmp/keep.svg" 2>/dev/null; [ $? = 2 ] || no "exit 2"
[ "$(cat "$tmp/keep.svg")" = keep ] || no "target changed on failure"
[ -z "$(ls "$tmp" | grep tmp)" ] || no "temporary file left"
exit $fail
