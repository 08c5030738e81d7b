#!/usr/bin/env bash
# check_hostile.sh DEPCHECK HOSTILE_DIR: the hostile corpus (testdata/hostile,
# docs/security.md). For each case: render -f svg, report, check -f
# sarif|junit|github and export -f dot, each under `ulimit -v 4000000` and
# `timeout 60`, and
# - the exit status the case's `expect` says (accept / refuse / refuse-export);
# - SVG well-formed XML, the report well-formed HTML (xmllint);
# - no live script link (href whose scheme, after dropping what browsers
#   drop, is javascript:/vbscript:/data:) and no on*= attribute in SVG/HTML;
# - no raw control character (other than \n and \t) in SARIF, JUnit, GitHub
#   output or in the diagnostics;
# - every -f github line that starts with `::` is depcheck's own
#   ::error/::warning/::notice command.
# Accepted cases also run render --load and report --load (a surge: the
# load overlay and the load section, checked as the map and the report).
# Accepted cases also run the deploy and chaos formats (experiments, plan,
# export yaml/backstage): YAML that parses, no service name as structure,
# no text line that starts with `::`.
# Cases with observed.* files (expect refuse-observed) also run reconcile
# and check --observed on them. Then generated cases (written by python3
# here, not committed): a Kubernetes Service and a Backstage API fanning
# out to 3000 x 3000 edges and a Location pattern expanding to 40^6 paths,
# each refused (exit 2) by the limit it names; and three Kubernetes and
# three DOT files of 1100 x 1100 edges each, refused because the budget of
# multiplied edges is one for the whole input (under 1 GB of address space).
# `timeout` is a hang guard, not a timing assertion.
set -u
bin=$1; data=$2
command -v xmllint >/dev/null || { echo "skipped: xmllint missing (apt-get install libxml2-utils)"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: python3 missing"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# A sanitizer build reserves terabytes of shadow address space at start,
# which no `ulimit -v` allows: there the address-space bound is left to the
# normal build's run of this script (every other check still runs)
vlimit=4000000
if grep -q -a -m1 __asan_init "$bin" 2>/dev/null; then
	vlimit=unlimited
fi

# run NAME CMD...: under the limits; stdout to $dir/NAME.out, stderr to
# $dir/NAME.err, status in $rc
run() {
	local name=$1; shift
	( ulimit -v "$vlimit"; exec timeout 60 "$@" ) >"$dir/$name.out" 2>"$dir/$name.err"
	rc=$?
	[ "$rc" -eq 124 ] && bad "$name: ran past 60 s"
	[ "$rc" -ge 128 ] && bad "$name: killed by a signal (status $rc)"
	return 0
}

# no raw control character but \n and \t in FILE, and nothing GitHub's
# runner reads as a workflow command: it trims a line's leading white space
# before it looks for "::", and finds the legacy "##[" anywhere in a line;
# the only lines that start with "::" are depcheck's own -f github commands
no_ctl() {
	if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$2"; then
		bad "$1: raw control character in $(basename "$2")"
	fi
	if LC_ALL=C grep -qE '^[[:space:]]+::|##\[' "$2"; then
		bad "$1: a workflow command (indented '::' or '##[') in $(basename "$2")"
		LC_ALL=C grep -nE '^[[:space:]]+::|##\[' "$2" | head -2
	fi
	if grep '^::' "$2" | grep -qvE '^::(error|warning|notice)( [^:]*)?::'; then
		bad "$1: a line starting with :: that is not depcheck's own command in $(basename "$2")"
	fi
}

# no live link and no event handler in an SVG (xml) or HTML (html) file
no_live() {
	python3 - "$1" "$2" <<'EOF' || fail=1
import sys, re
kind, path = sys.argv[1], sys.argv[2]
attrs = []
if kind == "xml":
    import xml.etree.ElementTree as ET
    for el in ET.parse(path).iter():
        attrs += list(el.attrib.items())
else:
    from html.parser import HTMLParser
    class P(HTMLParser):
        def handle_starttag(self, tag, a):
            attrs.extend((k, v or "") for k, v in a)
        handle_startendtag = handle_starttag
    p = P(convert_charrefs=True)
    p.feed(open(path, encoding="utf-8").read())
bad = 0
for k, v in attrs:
    local = k.split("}")[-1].split(":")[-1].lower()
    if local.startswith("on"):
        print("FAIL: %s: event handler attribute %s=%r" % (path, k, v[:80])); bad = 1
    if local in ("href", "src", "action", "formaction"):
        # what a browser does before reading the scheme: strip leading
        # C0/space, drop tab/CR/LF anywhere
        u = re.sub(r"[\t\r\n]", "", v).lstrip("".join(chr(c) for c in range(0x21))).lower()
        if re.match(r"(javascript|vbscript|data):", u):
            print("FAIL: %s: live link %s=%r" % (path, k, v[:80])); bad = 1
sys.exit(bad)
EOF
}

# run_1g NAME CMD...: like run, under 1 GB of address space (the bound
# docs/security.md promises for a 1-2 MB input)
run_1g() {
	local saved=$vlimit
	[ "$vlimit" = unlimited ] || vlimit=1000000
	run "$@"
	vlimit=$saved
}

# only depcheck's own workflow commands start a line with ::
gh_lines() {
	if grep -n '^::' "$2" | grep -vqE '^[0-9]+:::(error|warning|notice)( [^:]*)?::'; then
		bad "$1: a line starting with :: that is not depcheck's own command"
		grep -n '^::' "$2" | grep -vE '^[0-9]+:::(error|warning|notice)( [^:]*)?::' | head -3
	fi
	# the data of depcheck's commands must not hold an unescaped CR or a
	# second command: each command is one line
	if LC_ALL=C grep -q $'\r' "$2"; then
		bad "$1: carriage return in -f github output"
	fi
}

# the deploy and chaos formats (experiments -f chaos-mesh|litmus|aws-fis,
# plan -f argocd|flux|helm|pipeline, export -f yaml|json|backstage): each
# parses as YAML/JSON, and no service name became structure (a mapping
# key, or a document of its own); the text outputs have no line that
# starts with `::` (a name is never printed at the start of a line)
deploy_outputs() {
	local n=$1; shift
	local fmt outs=()
	run "$n.names" "$bin" export "$@" -f json -o "$dir/$n.names.json"
	[ "$rc" -eq 0 ] || { bad "$n: export -f json exit $rc"; return; }
	for fmt in chaos-mesh litmus aws-fis; do
		run "$n.exp-$fmt" "$bin" experiments "$@" -f "$fmt" --top 1000
		[ "$rc" -eq 0 ] || bad "$n: experiments -f $fmt exit $rc"
		outs+=("$fmt:$dir/$n.exp-$fmt.out")
	done
	for fmt in argocd flux helm pipeline; do
		run "$n.plan-$fmt" "$bin" plan "$@" -f "$fmt"
		[ "$rc" -eq 0 ] || bad "$n: plan -f $fmt exit $rc"
		outs+=("$fmt:$dir/$n.plan-$fmt.out")
	done
	run "$n.export-yaml" "$bin" export "$@" -f yaml
	[ "$rc" -eq 0 ] || bad "$n: export -f yaml exit $rc"
	outs+=("yaml:$dir/$n.export-yaml.out")
	# Backstage entity names are narrower than depcheck's: refused, or parsed
	run "$n.export-backstage" "$bin" export "$@" -f backstage
	case $rc in
	0) outs+=("backstage:$dir/$n.export-backstage.out") ;;
	2) [ -s "$dir/$n.export-backstage.out" ] && bad "$n: export -f backstage refused but wrote output" ;;
	*) bad "$n: export -f backstage exit $rc" ;;
	esac
	python3 - "$dir/$n.names.json" "${outs[@]}" <<'EOF' || fail=1
import json, sys, yaml
names = {s["name"] for s in json.load(open(sys.argv[1]))["services"]}
bad = 0
def walk(o, path, where):
    global bad
    if isinstance(o, dict):
        for k, v in o.items():
            if isinstance(k, str) and k in names:
                print("FAIL: %s: service name %r became a mapping key at %s" % (where, k, path)); bad = 1
            walk(v, path + "/" + str(k), where)
    elif isinstance(o, list):
        for i, v in enumerate(o):
            walk(v, "%s[%d]" % (path, i), where)
for arg in sys.argv[2:]:
    kind, path = arg.split(":", 1)
    try:
        docs = [d for d in yaml.safe_load_all(open(path, encoding="utf-8")) if d is not None]
        if kind == "aws-fis" and len(docs) == 1 and isinstance(docs[0], list):
            docs = docs[0]  # one JSON array of experiment templates
    except yaml.YAMLError as e:
        print("FAIL: %s: not YAML/JSON: %s" % (kind, str(e).splitlines()[0])); bad = 1; continue
    for i, d in enumerate(docs):
        if not isinstance(d, dict):
            print("FAIL: %s: document %d is a %s, not a mapping" % (kind, i, type(d).__name__)); bad = 1; continue
        if kind in ("chaos-mesh", "litmus", "argocd", "flux", "helm", "backstage") and \
           not (isinstance(d.get("apiVersion"), str) and isinstance(d.get("kind"), str)):
            print("FAIL: %s: document %d has no apiVersion/kind" % (kind, i)); bad = 1
        walk(d, "", "%s doc %d" % (kind, i))
sys.exit(bad)
EOF
	for fmt in experiments plan critical-path analyze; do
		run "$n.text-$fmt" "$bin" "$fmt" "$@"
		no_ctl "$n $fmt text" "$dir/$n.text-$fmt.out"
		no_ctl "$n $fmt text (stderr)" "$dir/$n.text-$fmt.err"
	done
	# the text outputs of the analyses too: simulate, availability, diff
	run "$n.text-simulate" "$bin" simulate "$@" --fail "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["services"][0]["name"])' "$dir/$n.names.json")"
	no_ctl "$n simulate text" "$dir/$n.text-simulate.out"
	run "$n.text-availability" "$bin" availability "$@"
	no_ctl "$n availability text" "$dir/$n.text-availability.out"
	run "$n.text-diff" "$bin" diff "$dir/$n.names.json" "$@"
	no_ctl "$n diff text" "$dir/$n.text-diff.out"
	run "$n.text-check" "$bin" check "$@"
	no_ctl "$n check text" "$dir/$n.text-check.out"
}

one_case() {
	local c=$1 expect inputs=() pol=() f
	expect=$(cat "$c/expect")
	for f in "$c"/*; do
		case "$(basename "$f")" in
		expect|check-exit|policy.yaml|README.md|observed.*|gen.sh) ;;
		*) inputs+=("$f") ;;
		esac
	done
	[ -f "$c/policy.yaml" ] && pol=(--policy "$c/policy.yaml")
	local n; n=$(basename "$c")

	# render -f svg
	run "$n.render" "$bin" render "${inputs[@]}" -f svg -o "$dir/$n.svg"
	local rrc=$rc
	# report
	run "$n.report" "$bin" report "${inputs[@]}" "${pol[@]}" -o "$dir/$n.html"
	local prc=$rc
	# export -f dot
	run "$n.export" "$bin" export "${inputs[@]}" -f dot -o "$dir/$n.dot"
	local erc=$rc
	# check in the CI formats
	local fmt crc=()
	for fmt in sarif junit github; do
		run "$n.check-$fmt" "$bin" check "${inputs[@]}" "${pol[@]}" -f "$fmt"
		crc+=("$rc")
		no_ctl "$n check -f $fmt" "$dir/$n.check-$fmt.out"
		no_ctl "$n check -f $fmt (stderr)" "$dir/$n.check-$fmt.err"
	done
	no_ctl "$n render (stderr)" "$dir/$n.render.err"
	no_ctl "$n report (stderr)" "$dir/$n.report.err"
	no_ctl "$n export (stderr)" "$dir/$n.export.err"
	gh_lines "$n" "$dir/$n.check-github.out"

	# an observed-edges file (reconcile, check --observed): refused with
	# exit 2 in every format, nothing foreign in the log
	local obs=() o
	for o in "$c"/observed.*; do [ -f "$o" ] && obs+=("$o"); done
	if [ "${#obs[@]}" -gt 0 ]; then
		[ "$expect" = refuse-observed ] || bad "$n: observed files need expect refuse-observed"
		for o in "${obs[@]}"; do
			local ob; ob=$(basename "$o")
			for fmt in text json sarif github; do
				run "$n.reconcile-$ob-$fmt" "$bin" reconcile "${inputs[@]}" --observed "$o" -f "$fmt"
				[ "$rc" -eq 2 ] || bad "$n: reconcile --observed $ob -f $fmt exit $rc, want 2"
				no_ctl "$n reconcile $ob -f $fmt" "$dir/$n.reconcile-$ob-$fmt.out"
				no_ctl "$n reconcile $ob -f $fmt (stderr)" "$dir/$n.reconcile-$ob-$fmt.err"
				grep -q "not allowed in names" "$dir/$n.reconcile-$ob-$fmt.err" ||
					bad "$n: reconcile --observed $ob: the refusal does not say why"
				if cat "$dir/$n.reconcile-$ob-$fmt.out" "$dir/$n.reconcile-$ob-$fmt.err" |
					grep -q '^::error file=y'; then
					bad "$n: an observed name's ::error reached the start of a line"
				fi
			done
			run "$n.check-obs-$ob" "$bin" check "${inputs[@]}" --observed "$o" -f github
			[ "$rc" -eq 2 ] || bad "$n: check --observed $ob exit $rc, want 2"
			no_ctl "$n check --observed $ob (stderr)" "$dir/$n.check-obs-$ob.err"
			gh_lines "$n check --observed $ob" "$dir/$n.check-obs-$ob.out"
		done
	fi

	case $expect in
	refuse-observed) expect=accept ;;
	esac
	case $expect in
	refuse)
		[ "$rrc" -eq 2 ] || bad "$n: render exit $rrc, want 2"
		[ "$prc" -eq 2 ] || bad "$n: report exit $prc, want 2"
		[ "$erc" -eq 2 ] || bad "$n: export exit $erc, want 2"
		for rc in "${crc[@]}"; do [ "$rc" -eq 2 ] || bad "$n: check exit $rc, want 2"; done
		for f in "$dir/$n.svg" "$dir/$n.html" "$dir/$n.dot"; do
			[ -e "$f" ] && bad "$n: $(basename "$f") written although the input was refused"
		done
		# the refusal says why, on stderr
		[ -s "$dir/$n.render.err" ] || bad "$n: refused without a message"
		;;
	refuse-policy)
		# render and export take no policy; check and report refuse it
		[ "$rrc" -eq 0 ] || bad "$n: render exit $rrc, want 0"
		[ "$prc" -eq 2 ] || bad "$n: report exit $prc, want 2"
		for rc in "${crc[@]}"; do [ "$rc" -eq 2 ] || bad "$n: check exit $rc, want 2"; done
		[ -e "$dir/$n.html" ] && bad "$n: report written although the policy was refused"
		grep -q "refused\|not supported\|not allowed" "$dir/$n.check-sarif.err" ||
			bad "$n: the refusal does not say why"
		;;
	accept|refuse-export)
		deploy_outputs "$n" "${inputs[@]}"
		[ "$rrc" -eq 0 ] || { bad "$n: render exit $rrc, want 0"; cat "$dir/$n.render.err"; }
		[ "$prc" -eq 0 ] || [ "$prc" -eq 1 ] || { bad "$n: report exit $prc"; cat "$dir/$n.report.err"; }
		for rc in "${crc[@]}"; do
			if [ -f "$c/check-exit" ]; then
				[ "$rc" -eq "$(cat "$c/check-exit")" ] ||
					bad "$n: check exit $rc, want $(cat "$c/check-exit")"
			else
				[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || bad "$n: check exit $rc, want 0 or 1"
			fi
		done
		if [ -f "$dir/$n.svg" ]; then
			xmllint --noout "$dir/$n.svg" 2>"$dir/$n.xmllint" || { bad "$n: SVG not well-formed"; head -3 "$dir/$n.xmllint"; }
			no_live xml "$dir/$n.svg"
		else
			bad "$n: no SVG written"
		fi
		if [ -f "$dir/$n.html" ]; then
			xmllint --html --noout "$dir/$n.html" 2>"$dir/$n.xmllint" || { bad "$n: report not well-formed HTML"; head -3 "$dir/$n.xmllint"; }
			no_live html "$dir/$n.html"
		else
			bad "$n: no report written"
		fi
		# the load overlay and the report's load section: names in the
		# causes, the legend and the tooltips (a surge: no name needed)
		run "$n.render-load" "$bin" render "${inputs[@]}" --load --surge 2 -f svg -o "$dir/$n.load.svg"
		[ "$rc" -eq 0 ] || { bad "$n: render --load exit $rc, want 0"; cat "$dir/$n.render-load.err"; }
		no_ctl "$n render --load (stderr)" "$dir/$n.render-load.err"
		run "$n.report-load" "$bin" report "${inputs[@]}" "${pol[@]}" --load --surge 2 -o "$dir/$n.load.html"
		[ "$rc" -eq 0 ] || { bad "$n: report --load exit $rc, want 0"; cat "$dir/$n.report-load.err"; }
		no_ctl "$n report --load (stderr)" "$dir/$n.report-load.err"
		if [ -f "$dir/$n.load.svg" ]; then
			xmllint --noout "$dir/$n.load.svg" 2>"$dir/$n.xmllint" || { bad "$n: load SVG not well-formed"; head -3 "$dir/$n.xmllint"; }
			no_live xml "$dir/$n.load.svg"
		fi
		if [ -f "$dir/$n.load.html" ]; then
			xmllint --html --noout "$dir/$n.load.html" 2>"$dir/$n.xmllint" || { bad "$n: load report not well-formed HTML"; head -3 "$dir/$n.xmllint"; }
			no_live html "$dir/$n.load.html"
		fi
		if [ "$expect" = refuse-export ]; then
			# refused, or written so that it loads back as the same services
			if [ "$erc" -eq 0 ]; then
				run "$n.reexport" "$bin" export "$dir/$n.dot" -f dot
				cmp -s "$dir/$n.dot" "$dir/$n.reexport.out" ||
					bad "$n: export -f dot does not round-trip"
			elif [ "$erc" -ne 2 ]; then
				bad "$n: export exit $erc, want 2 (or 0 with a round-trip)"
			fi
		else
			[ "$erc" -eq 0 ] || { bad "$n: export exit $erc, want 0"; cat "$dir/$n.export.err"; }
			if [ "$erc" -eq 0 ]; then
				# the export loads back as the same catalog
				run "$n.reexport" "$bin" export "$dir/$n.dot" -f dot
				cmp -s "$dir/$n.dot" "$dir/$n.reexport.out" ||
					bad "$n: export -f dot does not round-trip"
			fi
		fi
		;;
	*) bad "$n: unknown expect '$expect'" ;;
	esac
}

ncase=0
for c in "$data"/*/; do
	c=${c%/}
	[ -f "$c/expect" ] || continue
	one_case "$c"
	ncase=$((ncase + 1))
done
[ "$ncase" -ge 10 ] || bad "only $ncase cases found in $data"

# a file name with a newline and a workflow command: refused, named escaped
mkdir -p "$dir/fname"
evil="$dir/fname/x"$'\n'"::error file=y::pwned.yaml"
cp "$data/url-quotes/catalog.yaml" "$evil"
for fmt in text github; do
	run "fname-$fmt" "$bin" check "$evil" -f "$fmt"
	[ "$rc" -eq 2 ] || bad "file name with a newline: check -f $fmt exit $rc, want 2"
	no_ctl "file name check -f $fmt" "$dir/fname-$fmt.out"
	no_ctl "file name check -f $fmt (stderr)" "$dir/fname-$fmt.err"
	if cat "$dir/fname-$fmt.out" "$dir/fname-$fmt.err" | grep -q '^::error file=y'; then
		bad "file name with a newline: its ::error reached the start of a line"
	fi
done

# a file name that starts with "::" (named relative, so that a diagnostic's
# line starts with it) or holds "##[": refused, the name escaped
mkdir -p "$dir/fname2"
cp "$data/url-quotes/catalog.yaml" "$dir/fname2/::error file=y::pwned.yaml"
cp "$data/url-quotes/catalog.yaml" "$dir/fname2/x##[error]pwned.yaml"
absbin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
for f in "::error file=y::pwned.yaml" "x##[error]pwned.yaml"; do
	( cd "$dir/fname2" && ulimit -v "$vlimit" && exec timeout 60 "$absbin" check "$f" -f github ) \
		>"$dir/fname2.out" 2>"$dir/fname2.err"
	rc=$?
	[ "$rc" -eq 2 ] || bad "file name '$f': check exit $rc, want 2"
	no_ctl "file name '$f' (stderr)" "$dir/fname2.err"
	no_ctl "file name '$f'" "$dir/fname2.out"
	grep -q 'workflow-command marker' "$dir/fname2.err" || bad "file name '$f': the refusal does not say why"
done

# generated cases: a small file that would expand quadratically, refused
# with exit 2 by the limit it names, within the limits above
gen="$dir/gen"
mkdir -p "$gen/k8s" "$gen/backstage" "$gen/glob"
python3 - "$gen" <<'EOF'
import os, sys
g, n = sys.argv[1], 3000
# one Service selecting 3000 workloads, each naming it: 9,000,000 edges
# from 750 kB
with open(os.path.join(g, "k8s", "manifests.yaml"), "w") as f:
    f.write("apiVersion: v1\nkind: Service\nmetadata: {name: fan}\n"
            "spec: {selector: {app: fan}, ports: [{port: 80}]}\n")
    for i in range(n):
        f.write("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w%d}\n"
                "spec: {template: {metadata: {labels: {app: fan}}, spec: {containers: "
                "[{name: c, image: i, env: [{name: U, value: 'http://fan:80'}]}]}}}\n" % i)
# one API provided and consumed by 3000 components
with open(os.path.join(g, "backstage", "catalog-info.yaml"), "w") as f:
    f.write("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: fan}\n"
            "spec: {type: openapi, lifecycle: production, owner: t, definition: x}\n")
    for i in range(n):
        f.write("---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: c%d}\n"
                "spec: {type: service, lifecycle: production, owner: t, providesApis: [fan], "
                "consumesApis: [fan]}\n" % i)
# a Location pattern climbing back with `..`: 40^6 paths from 40 directories
for i in range(40):
    os.makedirs(os.path.join(g, "glob", "d%02d" % i), exist_ok=True)
with open(os.path.join(g, "glob", "catalog-info.yaml"), "w") as f:
    f.write("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: bomb}\n"
            "spec: {targets: ['./*/../*/../*/../*/../*/../*']}\n")
# a thousand patterns of 40^3 paths each, every one within the step limit
# alone: the steps are one budget for all of them
os.makedirs(os.path.join(g, "glob-many"), exist_ok=True)
for i in range(40):
    os.makedirs(os.path.join(g, "glob-many", "d%02d" % i), exist_ok=True)
with open(os.path.join(g, "glob-many", "catalog-info.yaml"), "w") as f:
    f.write("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: many}\n"
            "spec:\n  targets:\n")
    for k in range(1000):
        f.write("  - './*/../*/../*/none%d.yaml'\n" % k)
EOF
for g in k8s backstage glob glob-many; do
	in=$(ls "$gen/$g"/*.yaml)
	run "gen-$g-validate" "$bin" validate "$in"
	[ "$rc" -eq 2 ] || bad "generated $g: validate exit $rc, want 2"
	grep -q 'see --input-limit' "$dir/gen-$g-validate.err" ||
		{ bad "generated $g: the refusal does not name the limit"; head -3 "$dir/gen-$g-validate.err"; }
	no_ctl "generated $g validate (stderr)" "$dir/gen-$g-validate.err"
	run "gen-$g-check" "$bin" check "$in" -f github
	[ "$rc" -eq 2 ] || bad "generated $g: check exit $rc, want 2"
	gh_lines "generated $g" "$dir/gen-$g-check.out"
	# the gate never passes because the analysis gave up: diff (the same
	# refusal on both sides is no "known" finding) and reconcile stop too
	run "gen-$g-diff" "$bin" diff "$in" "$in" -f json
	[ "$rc" -eq 2 ] || bad "generated $g: diff exit $rc, want 2"
	printf 'caller,callee,calls\nw1,w2,5\n' >"$gen/calls.csv"
	run "gen-$g-reconcile" "$bin" reconcile "$in" --observed "$gen/calls.csv" -f github
	[ "$rc" -eq 2 ] || bad "generated $g: reconcile exit $rc, want 2"
	for cmd in diff reconcile; do
		grep -q 'see --input-limit' "$dir/gen-$g-$cmd.err" || bad "generated $g: $cmd does not name the limit"
	done
	run "gen-$g-report" "$bin" report "$in" -o "$dir/gen-$g.html"
	[ "$rc" -eq 2 ] || bad "generated $g: report exit $rc, want 2"
	[ -e "$dir/gen-$g.html" ] && bad "generated $g: report written although the input was refused"
done

# the budget of multiplied edges is one for the whole input, not one per
# file: three files of 1,100 x 1,100 inferred edges each (1,210,000; the
# budget is 2,000,000 for an input this small) are refused at the second,
# under 1 GB of address space; one of them alone is accepted within it
mkdir -p "$gen/k8s-files" "$gen/dot-files"
python3 - "$gen" <<'EOF'
import os, sys
g, n = sys.argv[1], 1100
for j in range(3):
    with open(os.path.join(g, "k8s-files", "m%d.yaml" % j), "w") as f:
        f.write("apiVersion: v1\nkind: Service\nmetadata: {name: fan%d}\n"
                "spec: {selector: {app: fan%d}, ports: [{port: 80}]}\n" % (j, j))
        for i in range(n):
            f.write("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w%d-%d}\n"
                    "spec: {template: {metadata: {labels: {app: fan%d}}, spec: {containers: "
                    "[{name: c, image: i, env: [{name: U, value: 'http://fan%d:80'}]}]}}}\n"
                    % (j, i, j, j))
    with open(os.path.join(g, "dot-files", "g%d.dot" % j), "w") as f:
        f.write("digraph g {\n{%s} -> {%s}\n}\n" % (
            " ".join("a%d_%d" % (j, i) for i in range(n)),
            " ".join("b%d_%d" % (j, i) for i in range(n))))
EOF
for g in k8s-files dot-files; do
	run_1g "gen-$g-validate" "$bin" validate "$gen/$g"/*
	[ "$rc" -eq 2 ] || bad "generated $g: validate exit $rc, want 2 (one budget for all files)"
	grep -q 'see --input-limit dependencies' "$dir/gen-$g-validate.err" ||
		{ bad "generated $g: the refusal does not name the limit"; head -3 "$dir/gen-$g-validate.err"; }
	grep -q '[^0-9]0\.\(yaml\|dot\):.*error' "$dir/gen-$g-validate.err" &&
		bad "generated $g: the first file alone should not be refused"
	run_1g "gen-$g-check" "$bin" check "$gen/$g"/* -f github
	[ "$rc" -eq 2 ] || bad "generated $g: check exit $rc, want 2"
	gh_lines "generated $g" "$dir/gen-$g-check.out"
done
run_1g "gen-k8s-one" "$bin" check "$gen/k8s-files/m0.yaml" -f sarif
{ [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; } ||
	{ bad "generated k8s-files: one file (1,210,000 edges) exit $rc, want 0 or 1 under 1 GB"; head -3 "$dir/gen-k8s-one.err"; }

[ "$fail" -eq 0 ] && echo "ok: $ncase hostile cases, 6 generated"
exit $fail
