#!/usr/bin/env bash
# make.sh DEPCHECK TESTDATA OUTDIR - the map gallery: depcheck render's
# default maps of the example catalog and of real catalogs, as SVG, and a
# check of what makes them readable. The pictures change with Graphviz's
# version, so nothing is compared byte for byte: the check reads the DOT
# of the same maps (rows by depth, soft edges free, the highlight's
# neighbourhood alone, the legend) and the SVG's size.
#   docs/gallery/make.sh build/depcheck testdata docs/gallery   # refresh the committed pictures
#   ctest -R render.gallery                                      # the same into the build tree, checked
set -u
bin=$1; root=$2; out=$3
mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
cd "$root" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
rw=realworld
# name | title | inputs and options
maps=(
	"streaming|The example catalog (47 services, tiers, soft and any_of dependencies)|catalogs/streaming/catalog.yaml"
	"streaming-highlight|--highlight playlist --depth 1: the neighbourhood alone|catalogs/streaming/catalog.yaml --highlight playlist --depth 1"
	"train-ticket|train-ticket (Compose, 68 services, one dependency)|$rw/train-ticket/docker-compose.yml"
	"opentelemetry-demo|OpenTelemetry demo (Compose layers; telemetry edges soft)|$rw/opentelemetry-demo/compose.yaml $rw/opentelemetry-demo/compose.full.yaml"
	"social-network|DeathStarBench socialNetwork (Compose)|$rw/deathstarbench/socialNetwork"
	"backstage|Backstage demo catalog|$rw/backstage"
)
# rows NAME.dot: "service<TAB>row" from the layered map's rank=same subgraphs
rows() { awk '/^  subgraph "row_[0-9]*"/ { r = $2; gsub(/[^0-9]/, "", r); next } /^  }/ { r = "" }
	r != "" && /^    "[^"(]*";$/ { n = $1; gsub(/[";]/, "", n); print n "\t" r }' "$1"; }
for m in "${maps[@]}"; do
	IFS='|' read -r name title args <<<"$m"
	# shellcheck disable=SC2086
	if ! "$bin" render -q $args --title "$title" -o "$out/$name.svg" || ! "$bin" render -q $args -f dot >"$out/$name.dot"; then
		fail "$name: depcheck render $args"
		continue
	fi
	[ -s "$out/$name.svg" ] || { fail "$name: no SVG"; continue; }
	if command -v xmllint >/dev/null; then xmllint --noout "$out/$name.svg" || fail "$name: SVG not well-formed"; fi
	# readable by default: no one-column or one-row picture (sizes in pt, 1 pt = 1.33 px at 100 %)
	w=$(sed -n 's/^<svg width="\([0-9]*\)pt" height="\([0-9]*\)pt".*/\1/p' "$out/$name.svg")
	h=$(sed -n 's/^<svg width="\([0-9]*\)pt" height="\([0-9]*\)pt".*/\2/p' "$out/$name.svg")
	if [ -n "$w" ] && [ "$w" -le 2800 ] && [ "$h" -le 1600 ]; then ok "$name: ${w}x${h} pt"; else fail "$name: ${w:-?}x${h:-?} pt"; fi
	n=$(grep -c '^ *"[^"]*" \[id="svc-' "$out/$name.dot")
	rows "$out/$name.dot" >"$out/$name.rows"
	[ "$(wc -l <"$out/$name.rows")" = "$n" ] && ok "$name: every service in one row ($n)" || fail "$name: rows"
	# no row wider than ~12 boxes
	wide=$(cut -f2 "$out/$name.rows" | sort -n | uniq -c | awk '$1 > 12' | wc -l)
	[ "$wide" = 0 ] && ok "$name: no row of more than 12" || fail "$name: $wide rows of more than 12"
	# soft edges free; the legend only lists tiers that appear
	[ "$(grep 'class="dc-edge soft' "$out/$name.dot" | grep -vc 'constraint=false, weight=0')" = 0 ] &&
		ok "$name: soft edges do not rank" || fail "$name: a soft edge ranks"
	grep -o 'class="dc-node tier-[0-9a-z]*' "$out/$name.dot" | sed 's/.*tier-//; s/none/no tier/; s/^\([0-9]\)$/tier \1/' | sort -u >"$out/$name.t1"
	grep -o '&nbsp;[a-z ]*tier[ 0-9]*&nbsp;' "$out/$name.dot" | sed 's/&nbsp;//g' | sort -u >"$out/$name.t2"
	if grep -q 'tier-[1-4]' "$out/$name.dot"; then
		cmp -s "$out/$name.t1" "$out/$name.t2" && ok "$name: legend = the tiers drawn" || fail "$name: legend tiers"
	else
		[ ! -s "$out/$name.t2" ] && ok "$name: no tier legend without tiers" || fail "$name: a tier legend without tiers"
	fi
	rm -f "$out/$name.t1" "$out/$name.t2"
done
# the example: its entrypoints head the picture
[ "$(awk -F'\t' '$1 == "access-point" || $1 == "web-player" { print $2 }' "$out/streaming.rows" | sort -u)" = 0 ] &&
	ok "streaming: entrypoints in the top row" || fail "streaming: entrypoints not on top"
# the highlight: playlist and its direct neighbours, nothing else
cut -f1 "$out/streaming-highlight.rows" | sort >"$out/hl.got"
grep -o 'id="e-[0-9]*-[0-9]*"' "$out/streaming.dot" | sed 's/id="e-\([0-9]*\)-\([0-9]*\)"/\1 \2/' >"$out/e"
sed -n 's/^  "\([^"]*\)" \[id="svc-\([0-9]*\)".*/\2 \1/p' "$out/streaming.dot" | sort >"$out/ids"
pid=$(awk '$2 == "playlist" { print $1 }' "$out/ids")
awk -v p="$pid" '$1 == p { print $2 } $2 == p { print $1 } END { print p }' "$out/e" | sort -u |
	join - "$out/ids" | cut -d' ' -f2 | sort >"$out/hl.want"
cmp -s "$out/hl.got" "$out/hl.want" && ok "highlight: the neighbourhood alone ($(wc -l <"$out/hl.want") services)" ||
	fail "highlight: $(tr '\n' ' ' <"$out/hl.got") != $(tr '\n' ' ' <"$out/hl.want")"
# train-ticket: 68 services, one edge: a block of rows, not a column
[ "$(cut -f2 "$out/train-ticket.rows" | sort -u | wc -l)" -le 16 ] && ok "train-ticket: at most 16 rows" ||
	fail "train-ticket: $(cut -f2 "$out/train-ticket.rows" | sort -u | wc -l) rows"
# the load overlay (docs/load.md's worked example): discovery 150 ms slower
# overloads the gateway and, through its callers' retries, itself
ld=(catalogs/streaming/catalog.yaml catalogs/load/streaming-load.yaml --load --slow discovery=150)
if "$bin" render -q "${ld[@]}" --title "--load --slow discovery=150: the worked example of docs/load.md" \
	-o "$out/streaming-load.svg" && "$bin" render -q "${ld[@]}" -f dot >"$out/streaming-load.dot"; then
	if command -v xmllint >/dev/null; then xmllint --noout "$out/streaming-load.svg" || fail "streaming-load: SVG not well-formed"; fi
	[ "$(grep -c '^ *"[^"]*" \[id="svc-.*load-over' "$out/streaming-load.dot")" = 2 ] &&
		ok "streaming-load: api-gateway and discovery over capacity" || fail "streaming-load: not 2 services over capacity"
	grep -q '"discovery" \[id="svc-[0-9]*", label="discovery\\n(+150 ms slower)' "$out/streaming-load.dot" &&
		ok "streaming-load: the trigger marked" || fail "streaming-load: the trigger is not marked"
	grep -q 'still overloaded (metastable)</b>; breaks it (verified): 1 more replica of discovery' "$out/streaming-load.dot" &&
		ok "streaming-load: the legend says metastable, and the fix" || fail "streaming-load: legend"
else
	fail "streaming-load: depcheck render ${ld[*]}"
fi
rm -f "$out"/*.dot "$out"/*.rows "$out/hl.got" "$out/hl.want" "$out/e" "$out/ids"
[ $fails = 0 ] || { echo "$fails gallery check(s) failed"; exit 1; }
echo "gallery: $(ls "$out"/*.svg | wc -l) maps in $out"
