#!/usr/bin/env bash
# check_dot_semantics.sh DEPCHECK TESTDATA: the DOT maps of the example
# catalog, checked for what they mean rather than byte for byte. One full
# DOT snapshot stays a golden (testdata/golden/render-streaming-dot, the
# plain map); every overlay on it (--fail, --highlight, --plan,
# --critical-path, --cluster-by, --collapse, --reduce), plan -f dot and
# diff -f dot are checked here against that map and against the JSON of
# the analysis they draw: which services are nodes, which carry the
# overlay's class and colour, which edges are drawn, how many.
set -u
bin=$1; root=$2
cd "$root" || exit 1
cat=catalogs/streaming/catalog.yaml
tmp=$(mktemp -d)
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# same NAME A B: the two sorted lists (files) are equal
same() {
	if ! diff -u "$2" "$3" >"$tmp/diff"; then fail "$1"; cat "$tmp/diff"; else echo "ok: $1"; fi
}
eq() { if [ "$2" = "$3" ]; then echo "ok: $1 ($2)"; else fail "$1: $2, expected $3"; fi; }
# the commands these maps come from run under valgrind too (DC_VALGRIND=1,
# as in run_golden.sh: they replaced golden cases)
vg=()
if [ "${DC_VALGRIND:-0}" = 1 ]; then
	vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect)
fi
run() { # run OUT ARGS...: stdout to $tmp/OUT, stderr to $tmp/OUT.err, exit 0
	local out=$1; shift
	"${vg[@]}" "$bin" "$@" >"$tmp/$out" 2>"$tmp/$out.err" || { fail "depcheck $* exited $?"; cat "$tmp/$out.err"; }
}

# service nodes of a render map: "name<TAB>class<TAB>svc-id<TAB>rest of the line"
svc_nodes() {
	sed -n 's/^ *"\([^"]*\)" \[id="\(svc-[0-9]*\)".* class="\([^"]*\)".*/\1\t\3\t\2\t&/p' "$1"
}
# service edges of a render map as "from-id to-id" (ids of e-FROM-TO)
svc_edges() { grep -o 'id="e-[0-9]*-[0-9]*"' "$1" | sed 's/id="e-\([0-9]*\)-\([0-9]*\)"/\1 \2/' | sort; }
# drawn edges (not the layered map's invisible row anchors and grid links)
edge_count() { grep -- ' -> ' "$1" | grep -vc 'style=invis'; }
# the services of a JSON array of {"service": ...} objects: json_services FILE KEY
json_services() {
	awk -v key="\"$2\": [" 'index($0, key) { on = 1; next } on && /^  \]/ { exit }
		on { while (match($0, /"service": "[^"]*"/)) { s = substr($0, RSTART + 12, RLENGTH - 13);
			print s; $0 = substr($0, RSTART + RLENGTH) } }' "$1" | sort -u
}

# ---- the plain map (its bytes are golden.render-streaming-dot) -------------
run plain render $cat -f dot
svc_nodes "$tmp/plain" | cut -f1 | sort >"$tmp/all"
"$bin" export $cat -f json | sed -n 's/^      "name": "\([^"]*\)".*/\1/p' | sort >"$tmp/all.export"
same "plain: every service of the catalog is a node" "$tmp/all.export" "$tmp/all"
eq "plain: no service drawn twice" "$(sort "$tmp/all" | uniq -d | wc -l)" 0
plain_edges=$(edge_count "$tmp/plain")
svc_nodes "$tmp/plain" | awk -F'\t' '{ sub(/^svc-/, "", $3); print $3 "\t" $1 }' | sort >"$tmp/ids"
# name -> system, from the tooltips
svc_nodes "$tmp/plain" | sed -n 's/^\([^\t]*\)\t.*\\nsystem: \([^\\]*\)\\n.*/\1\t\2/p' | sort >"$tmp/systems"
eq "plain: a system for every service" "$(wc -l <"$tmp/systems")" "$(wc -l <"$tmp/all")"

# closure EDGES: "from to" for every path (transitive closure over e-FROM-TO)
closure() { # closure EDGES: "from to" for every path
	awk '{ adj[$1] = adj[$1] " " $2; n[$1]; n[$2] }
	END { for (s in n) { delete seen; top = 0; st[++top] = s
		while (top) { v = st[top--]; k = split(adj[v], a, " ")
			for (i = 1; i <= k; i++) if (!(a[i] in seen)) { seen[a[i]]; st[++top] = a[i]; print s, a[i] } } } }' "$1" | sort -u
}
svc_edges "$tmp/plain" >"$tmp/plain.e"
closure "$tmp/plain.e" >"$tmp/plain.c"

# every overlay keeps every service once and every edge
nodes_once() { # nodes_once NAME FILE
	svc_nodes "$2" | cut -f1 | sort >"$tmp/n"
	same "$1: every service once as a node" "$tmp/all" "$tmp/n"
}

# ---- the plain map is layered: rows by depth, soft edges free ------------
# rows: "name<TAB>row" from the rank=same subgraphs "row_N"
rows_of() { awk '/^  subgraph "row_[0-9]*"/ { r = $2; gsub(/[^0-9]/, "", r); next } /^  }/ { r = "" }
	r != "" && /^    "[^"(]*";$/ { n = $1; gsub(/[";]/, "", n); print n "\t" r }' "$1" | sort; }
rows_of "$tmp/plain" >"$tmp/rows"
same "rows: every service in exactly one row" "$tmp/all" <(cut -f1 "$tmp/rows")
# hard edges (not soft, not an any_of leg) as "from-name to-name constraint"
awk -F'\t' 'NR == FNR { id[$1] = $2; next }
	/^  "[^"]*" -> "[^"]*" \[id="e-[0-9]*-[0-9]*", class="dc-edge[" ]/ && !/ soft/ {
		match($0, /id="e-[0-9]*-[0-9]*"/); e = substr($0, RSTART + 6, RLENGTH - 7); split(e, ab, "-")
		print id[ab[1]] "\t" id[ab[2]] "\t" (/constraint=false/ ? "free" : "ranked") }' "$tmp/ids" "$tmp/plain" >"$tmp/hard"
eq "rows: every ranked hard edge points down the rows (callers above)" \
	"$(awk -F'\t' 'NR == FNR { row[$1] = $2; next } $3 == "ranked" && row[$1] >= row[$2]' "$tmp/rows" "$tmp/hard" | wc -l)" 0
eq "rows: hard edges against the rows (cycles) do not rank" \
	"$(awk -F'\t' 'NR == FNR { row[$1] = $2; next } $3 == "free" && row[$1] < row[$2]' "$tmp/rows" "$tmp/hard" | wc -l)" 0
eq "rows: most hard edges rank" "$(awk -F'\t' '$3 == "ranked"' "$tmp/hard" | wc -l | awk '{ print ($1 > 80) }')" 1
eq "rows: the entrypoints are in the top rows" \
	"$(awk -F'\t' '$1 == "access-point" || $1 == "web-player" { print $2 }' "$tmp/rows" | sort -u | tr '\n' ' ')" "0 "
eq "rows: chained top to bottom by invisible anchors" \
	"$(grep -c '^  "(row [0-9]*)" -> "(row [0-9]*)" \[style=invis\];$' "$tmp/plain")" "$(($(cut -f2 "$tmp/rows" | sort -u | wc -l) - 1))"
eq "soft edges: every one without constraint and weight" \
	"$(grep 'class="dc-edge soft' "$tmp/plain" | grep -vc 'constraint=false, weight=0')" 0
eq "soft edges: there are some" "$(grep -c 'class="dc-edge soft' "$tmp/plain" | awk '{ print ($1 > 20) }')" 1
# the legend lists the tiers that appear, and no "no tier" when every service has one
svc_nodes "$tmp/plain" | cut -f2 | grep -o 'tier-[0-9a-z]*' | sort -u | sed 's/tier-none/no tier/; s/-/ /' >"$tmp/tiers.nodes"
grep -o '&nbsp;[a-z ]*tier[ 0-9]*&nbsp;' "$tmp/plain" | sed 's/&nbsp;//g' | sort -u >"$tmp/tiers.legend"
same "legend: the tiers of the nodes, no other" "$tmp/tiers.nodes" "$tmp/tiers.legend"
run tt render realworld/train-ticket/docker-compose.yml -f dot -q
eq "legend: a catalog without tiers has no tier swatch" "$(grep -c '&nbsp;' "$tmp/tt")" 0
eq "legend: nor lines for what does not appear" "$(grep -c 'soft dependency\|external\|any_of group' "$tmp/tt")" 0
eq "rows: 68 services linked to nothing are packed in rows of at most 8, not one column or one row" \
	"$(rows_of "$tmp/tt" | cut -f2 | sort -n | uniq -c | awk '$1 > 8' | wc -l)" 0
eq "rows: ... in at most 16 rows" "$(rows_of "$tmp/tt" | cut -f2 | sort -u | wc -l | awk '{ print ($1 <= 16) }')" 1

# ---- --fail discovery: the DOWN set is simulate's ------------------------
run fail render $cat -f dot --fail discovery
run sim simulate $cat --fail discovery -f json
nodes_once "fail" "$tmp/fail"
eq "fail: every edge drawn" "$(edge_count "$tmp/fail")" "$plain_edges"
json_services "$tmp/sim" down >"$tmp/down.json"
svc_nodes "$tmp/fail" | awk -F'\t' '$2 ~ /(^| )state-down( |$)/ { print $1 }' | sort >"$tmp/down.dot"
same "fail: state-down nodes = simulate's down list" "$tmp/down.json" "$tmp/down.dot"
json_services "$tmp/sim" degraded >"$tmp/deg.json"
svc_nodes "$tmp/fail" | awk -F'\t' '$2 ~ /(^| )state-degraded( |$)/ { print $1 }' | sort >"$tmp/deg.dot"
same "fail: state-degraded nodes = simulate's degraded list" "$tmp/deg.json" "$tmp/deg.dot"
eq "fail: down nodes filled red" \
	"$(svc_nodes "$tmp/fail" | awk -F'\t' '$2 ~ /state-down/ && $4 !~ /fillcolor="#e74c3c"/' | wc -l)" 0
eq "fail: the failed service is the one seed" \
	"$(svc_nodes "$tmp/fail" | awk -F'\t' '$2 ~ /(^| )seed( |$)/ { print $1 }' | tr '\n' ' ')" "discovery "
eq "fail: every other service up, down or degraded" \
	"$(svc_nodes "$tmp/fail" | awk -F'\t' '$2 !~ /state-(up|down|degraded)/' | wc -l)" 0

# ---- --highlight playlist --depth 1: playlist and its neighbours only -----
run hl render $cat -f dot --highlight playlist --depth 1 --labels full
pid=$(awk -F'\t' '$2 == "playlist" { print $1 }' "$tmp/ids")
svc_edges "$tmp/plain" | awk -v p="$pid" '$1 == p { print $2 } $2 == p { print $1 } END { print p }' | sort -u |
	join -t "$(printf '\t')" - "$tmp/ids" | cut -f2 | sort >"$tmp/near.want"
svc_nodes "$tmp/hl" | cut -f1 | sort >"$tmp/near.dot"
same "highlight: the nodes drawn = playlist and its direct neighbours, nothing else" "$tmp/near.want" "$tmp/near.dot"
eq "highlight: nothing faded" "$(grep -c 'faded' "$tmp/hl")" 0
svc_nodes "$tmp/hl" | cut -f3 | sed 's/^svc-//' >"$tmp/hl.ids"
eq "highlight: every edge drawn joins two drawn services" \
	"$(svc_edges "$tmp/hl" | awk 'NR == FNR { ok[$1] = 1; next } !($1 in ok) || !($2 in ok)' "$tmp/hl.ids" - | wc -l)" 0
eq "highlight: laid out for itself (rows of the neighbourhood only)" \
	"$(sed -n 's/^    "\([^"(]*\)";$/\1/p' "$tmp/hl" | sort | diff - "$tmp/near.want" | wc -l)" 0
eq "highlight: the legend counts what is drawn" \
	"$(grep -o '(up to 1 hop): [0-9]* of [0-9]* services drawn' "$tmp/hl")" \
	"(up to 1 hop): $(wc -l <"$tmp/near.want") of $(wc -l <"$tmp/all") services drawn"
eq "highlight: focus" "$(svc_nodes "$tmp/hl" | awk -F'\t' '$2 ~ /(^| )focus( |$)/ { print $1 }')" playlist
eq "highlight: --labels full puts the owner under every name" \
	"$(svc_nodes "$tmp/hl" | grep -v -c 'label="[^"]*\\n[^"]*", tooltip="[^"]*\\nowner: ')" 0

# ---- --plan and plan -f dot: one rank per wave, as plan's JSON ------------
run planj plan $cat -f json
awk '/"waves": \[/ { on = 1; next } on && /^  \]/ { exit }
	on { w++; gsub(/[][",]/, " "); n = split($0, a, " "); for (i = 1; i <= n; i++) print w "\t" a[i] }' \
	"$tmp/planj" | sort >"$tmp/waves.json"
for mode in "render --plan" "plan"; do
	set -- $mode
	run pd "$1" $cat -f dot ${2:-}
	nodes_once "$mode" "$tmp/pd"
	awk '/^  subgraph "wave_[0-9]*"/ { w = $2; gsub(/[^0-9]/, "", w); next } /^  }/ { w = "" }
		w != "" && /\[id="svc-/ { match($0, /"[^"]*"/); print w "\t" substr($0, RSTART + 1, RLENGTH - 2) }' \
		"$tmp/pd" | sort >"$tmp/waves.dot"
	same "$mode: wave subgraphs hold plan's waves" "$tmp/waves.json" "$tmp/waves.dot"
	eq "$mode: every wave one rank" "$(grep -c '^  subgraph "wave_' "$tmp/pd")" \
		"$(grep -A1 '^  subgraph "wave_' "$tmp/pd" | grep -c 'rank=same;')"
	awk -F'\t' '{ print $2 "\twave-" $1 }' "$tmp/waves.dot" | sort >"$tmp/wc.want"
	svc_nodes "$tmp/pd" | awk -F'\t' '{ match($2, /wave-[0-9]+/); print $1 "\t" substr($2, RSTART, RLENGTH) }' |
		sort >"$tmp/wc.dot"
	same "$mode: each node's wave class is its wave" "$tmp/wc.want" "$tmp/wc.dot"
	# the plan map draws the reduced graph: the same reachability
	svc_edges "$tmp/pd" >"$tmp/pd.e"
	eq "$mode: every service edge is one of the full map's" "$(comm -13 "$tmp/plain.e" "$tmp/pd.e" | wc -l)" 0
	closure "$tmp/pd.e" >"$tmp/pd.c"
	same "$mode: same reachability as the full map" "$tmp/plain.c" "$tmp/pd.c"
	# providers first: a hard dependency's provider is in an earlier wave
	# (or in the same one, shipping in lockstep)
	grep 'id="e-[0-9]*-[0-9]*"' "$tmp/pd" | grep -v 'class="[^"]*soft' |
		sed 's/.*id="e-\([0-9]*\)-\([0-9]*\)".*/\1 \2/' >"$tmp/pd.hard"
	svc_nodes "$tmp/pd" | awk -F'\t' '{ match($2, /wave-[0-9]+/); w = substr($2, RSTART + 5, RLENGTH - 5)
		sub(/^svc-/, "", $3); print $3, w, ($2 ~ /lockstep/) }' >"$tmp/pd.w"
	eq "$mode: providers in earlier waves" "$(awk 'NR == FNR { w[$1] = $2; ls[$1] = $3; next }
		w[$1] < w[$2] || (w[$1] == w[$2] && !(ls[$1] && ls[$2]))' "$tmp/pd.w" "$tmp/pd.hard" | wc -l)" 0
	sed -n '/"lockstep": \[/,/^  \]/p' "$tmp/planj" | sed 1d | grep -o '"[a-z0-9-]*"' | tr -d '"' | sort >"$tmp/ls.json"
	svc_nodes "$tmp/pd" | awk -F'\t' '$2 ~ /(^| )lockstep( |$)/ { print $1 }' | sort >"$tmp/ls.dot"
	same "$mode: lockstep nodes = plan's lockstep groups" "$tmp/ls.json" "$tmp/ls.dot"
done

# ---- --critical-path --from access-point: the chain's services ------------
run crit render $cat -f dot --critical-path --from access-point
run critj critical-path $cat --from access-point -f json
nodes_once "critical-path" "$tmp/crit"
json_services "$tmp/critj" chain >"$tmp/chain.json"
svc_nodes "$tmp/crit" | awk -F'\t' '$2 ~ /(^| )critical( |$)/ { print $1 }' | sort >"$tmp/chain.dot"
same "critical-path: critical nodes = the chain's services" "$tmp/chain.json" "$tmp/chain.dot"
eq "critical-path: every edge drawn" "$(edge_count "$tmp/crit")" "$plain_edges"
# a critical edge joins two critical nodes
join_ids() { join -t "$(printf '\t')" - "$tmp/ids"; }
grep 'id="e-[0-9]*-[0-9]*".*class="[^"]*critical' "$tmp/crit" |
	sed 's/.*id="e-\([0-9]*\)-\([0-9]*\)".*/\1\n\2/' | sort -u | join_ids | cut -f2 | sort >"$tmp/critedges"
eq "critical-path: critical edges only between critical nodes" \
	"$(comm -23 "$tmp/critedges" "$tmp/chain.dot" | wc -l)" 0

# ---- --cluster-by system: one cluster per system, holding its services ----
run cl render $cat -f dot --cluster-by system
nodes_once "cluster" "$tmp/cl"
awk '/^  subgraph "cluster_/ { getline; match($0, /label="[^"]*"/); c = substr($0, RSTART + 7, RLENGTH - 8); next }
	/^  }/ { c = "" } c != "" && /\[id="svc-/ { match($0, /"[^"]*"/); print substr($0, RSTART + 1, RLENGTH - 2) "\t" c }' \
	"$tmp/cl" | sort >"$tmp/cl.dot"
same "cluster: each service in its system's cluster" "$tmp/systems" "$tmp/cl.dot"
eq "cluster: one cluster per system" "$(grep -c '^  subgraph "cluster_' "$tmp/cl")" \
	"$(cut -f2 "$tmp/systems" | sort -u | wc -l)"
eq "cluster: every edge drawn" "$(edge_count "$tmp/cl")" "$plain_edges"

# ---- --collapse system: one node per system, with its service count -------
run co render $cat -f dot --collapse system
eq "collapse: no service node left" "$(svc_nodes "$tmp/co" | wc -l)" 0
cut -f2 "$tmp/systems" | sort | uniq -c | awk '{ print $2 "\t" $1 }' >"$tmp/grp.want"
sed -n 's/^  "\([^"]*\)" \[id="grp-[0-9]*".* label="[^"\\]*\\n\([0-9]*\) services*".*/\1\t\2/p' "$tmp/co" |
	sort >"$tmp/grp.dot"
same "collapse: a group per system, labelled with its service count" "$tmp/grp.want" "$tmp/grp.dot"
# an edge between two groups for each pair of systems with a dependency between them
svc_edges "$tmp/plain" | while read -r a b; do
	printf '%s\t%s\n' "$(awk -F'\t' -v i="$a" '$1 == i { print $2 }' "$tmp/ids")" \
		"$(awk -F'\t' -v i="$b" '$1 == i { print $2 }' "$tmp/ids")"
done >"$tmp/pairs.names"
awk -F'\t' 'NR == FNR { sys[$1] = $2; next } sys[$1] != sys[$2] { print sys[$1] " -> " sys[$2] }' \
	"$tmp/systems" "$tmp/pairs.names" | sort -u >"$tmp/grpedges.want"
sed -n 's/^  "\([^"]*\)" -> "\([^"]*\)".*/\1 -> \2/p' "$tmp/co" | sort -u >"$tmp/grpedges.dot"
same "collapse: edges = the pairs of systems with a dependency between them" \
	"$tmp/grpedges.want" "$tmp/grpedges.dot"

# ---- --reduce: a subset of the edges, the count stderr reports ------------
run red render $cat -f dot --reduce
nodes_once "reduce" "$tmp/red"
red_edges=$(edge_count "$tmp/red")
implied=$(sed -n 's/.* edges (\([0-9]*\) more implied by paths.*/\1/p' "$tmp/red.err")
eq "reduce: stderr's edge count is the drawn one" \
	"$(sed -n 's/.* nodes, \([0-9]*\) edges (.*/\1/p' "$tmp/red.err")" "$red_edges"
eq "reduce: drawn + implied = the full map's edges" "$((red_edges + implied))" "$plain_edges"
eq "reduce: fewer edges" "$([ "$red_edges" -lt "$plain_edges" ] && echo yes)" yes
svc_edges "$tmp/red" >"$tmp/red.e"
eq "reduce: every drawn service edge is one of the full map's" \
	"$(svc_edges "$tmp/plain" | comm -13 - "$tmp/red.e" | wc -l)" 0
# the reduction keeps reachability: whatever the full map reaches from a
# service, the reduced one reaches too
closure "$tmp/red.e" >"$tmp/red.c"
same "reduce: same reachability as the full map" "$tmp/plain.c" "$tmp/red.c"

# ---- diff -f dot: added, removed and changed as diff's JSON says ----------
head=diff/streaming-head.yaml
run dj diff $cat $head -f json
run dd diff $cat $head -f dot
run dc diff --base $cat --head $head -f dot --changed-only
json_pairs() { # json_pairs KEY: "from -> to" of the objects in the array KEY
	awk -v key="\"$1\": [" 'index($0, key) { on = 1; next } on && /^  \]/ { exit }
		on && match($0, /"from": "[^"]*", "to": "[^"]*"/) { s = substr($0, RSTART, RLENGTH)
			gsub(/"from": "|", "to": "/, "\t", s); gsub(/"/, "", s); split(s, a, "\t"); print a[2] " -> " a[3] }' \
		"$tmp/dj" | sort
}
json_services "$tmp/dj" services_added >"$tmp/sa"
json_services "$tmp/dj" services_removed >"$tmp/sr"
json_services "$tmp/dj" attributes_changed >"$tmp/sc"
json_pairs dependencies_added >"$tmp/ea"
json_pairs dependencies_removed >"$tmp/er"
json_pairs dependencies_changed >"$tmp/ec"
for f in dd dc; do
	for k in added removed changed; do
		grep -v -- ' -> ' "$tmp/$f" | sed -n "s/^  [hb][0-9]* \[label=\"\([^\"]*\)\", class=$k,.*/\1/p" | sort >"$tmp/n.$k"
		grep -- ' -> ' "$tmp/$f" | sed -n "s/.*class=$k, tooltip=\"\([^\"]*\) (.*/\1/p" | sort >"$tmp/e.$k"
	done
	same "diff $f: added services" "$tmp/sa" "$tmp/n.added"
	same "diff $f: removed services" "$tmp/sr" "$tmp/n.removed"
	same "diff $f: changed services" "$tmp/sc" "$tmp/n.changed"
	same "diff $f: added dependencies" "$tmp/ea" "$tmp/e.added"
	same "diff $f: removed dependencies" "$tmp/er" "$tmp/e.removed"
	same "diff $f: changed dependencies" "$tmp/ec" "$tmp/e.changed"
done
# the full diff map: every head service once (h<id>), the removed ones as
# base nodes (b<id>), every head dependency drawn plus the removed ones
grep -v -- ' -> ' "$tmp/dd" | sed -n 's/^  h[0-9]* \[label="\([^"]*\)".*/\1/p' | sort >"$tmp/dd.h"
"$bin" export $head -f json | sed -n 's/^      "name": "\([^"]*\)".*/\1/p' | sort >"$tmp/head.all"
same "diff: every head service once as a node" "$tmp/head.all" "$tmp/dd.h"
eq "diff: base-only nodes are the removed services" \
	"$(grep -v -- ' -> ' "$tmp/dd" | sed -n 's/^  b[0-9]* \[label="\([^"]*\)".*/\1/p' | sort | tr '\n' ' ')" \
	"$(tr '\n' ' ' <"$tmp/sr")"
# --changed-only: nothing unchanged but the endpoints of what changed
eq "diff --changed-only: unchanged edges" "$(grep -- ' -> ' "$tmp/dc" | grep -c 'class=same')" 0
eq "diff --changed-only: the caption of the full map" "$(grep '^  label=' "$tmp/dc")" "$(grep '^  label=' "$tmp/dd")"
grep -- ' -> ' "$tmp/dc" | sed 's/^  \([hb][0-9]*\) -> \([hb][0-9]*\).*/\1\n\2/' | sort -u >"$tmp/ends"
grep -v -- ' -> ' "$tmp/dc" | sed -n 's/^  \([hb][0-9]*\) \[label=.*class=same.*/\1/p' | sort >"$tmp/ctx"
eq "diff --changed-only: every unchanged node is an endpoint of a change" "$(comm -23 "$tmp/ctx" "$tmp/ends" | wc -l)" 0

if [ $fails -ne 0 ]; then echo "$fails check(s) failed"; exit 1; fi
echo "all DOT checks passed"
