#!/usr/bin/env bash
# check_config.sh DEPCHECK TESTDATA - the project config (.depcheck.yaml)
# and the waivers' date through the CLI, in a temporary repository:
#   - `depcheck check` with no argument reads the config's inputs, policy
#     and baseline, from the repository root and from a subdirectory;
#   - outside a repository, only the current directory's config counts;
#   - --config FILE, DEPCHECK_CONFIG, --no-config; the command line
#     overrides each setting (PATH..., --policy, --baseline, --exclude);
#   - include/exclude from the config apply to walks; every command reads it;
#   - a config with a path leaving the project, or an error, exits 2 with
#     the error at its line; -o refuses to overwrite the config;
#   - DEPCHECK_TODAY decides whether a waiver has expired; a bad one exits 2;
#     --now before it, SOURCE_DATE_EPOCH after it.
set -u
bin=$1; data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }

# expect CODE PATTERN CMD...: exit code CODE and PATTERN (grep -E) in stdout+stderr
expect() {
  local want=$1 pat=$2 out code
  shift 2
  out=$("$@" 2>&1); code=$?
  [ "$code" = "$want" ] || no "exit $code, wanted $want: $* (in $PWD)"$'\n'"$out"
  if [ -n "$pat" ] && ! grep -qE -- "$pat" <<<"$out"; then
    no "no /$pat/ in the output of: $* (in $PWD)"$'\n'"$out"
  fi
}

repo=$tmp/repo
mkdir -p "$repo/.git" "$repo/services" "$repo/ci" "$repo/base" "$repo/deep/er" "$repo/services/vendor"
cp "$data/catalogs/streaming/catalog.yaml" "$repo/services/"
cp "$data/diff/streaming-head.yaml" "$repo/base/catalog.yaml"
# a broken descriptor the config's exclude keeps out of the walk
printf 'services:\n  - name: [broken\n' > "$repo/services/vendor/broken.yaml"
cat > "$repo/ci/policy.yaml" <<'EOF'
depcheck-policy: 1
rules:
  tier: error
  no-hard-cycles: error
waivers:
  - rule: tier
    subject: access-point -> experiments
    reason: accepted until mid-2026
    expires: 2026-06-30
EOF
cat > "$repo/.depcheck.yaml" <<'EOF'
depcheck-config: 1
inputs: [services/]
exclude: vendor
policy: ci/policy.yaml
EOF

cd "$repo" || exit 1
# no argument: the config's inputs and policy (1: findings remain)
expect 1 'check failed: 4 errors, 0 warnings; 1 waived \(policy: ci/policy.yaml\)' \
  env DEPCHECK_TODAY=2026-06-30 "$bin" check
# the day after the expiry: the waiver is a finding and waives nothing
expect 1 'check failed: 6 errors, 0 warnings \(policy: ci/policy.yaml\)' \
  env DEPCHECK_TODAY=2026-07-01 "$bin" check
expect 1 'expired-waiver' env DEPCHECK_TODAY=2026-07-01 "$bin" check -f json
expect 2 'DEPCHECK_TODAY must be a date YYYY-MM-DD, not .2026-02-30.' \
  env DEPCHECK_TODAY=2026-02-30 "$bin" check
# one day for the run: --now, else DEPCHECK_TODAY, else SOURCE_DATE_EPOCH
# (1782864000 is 2026-07-01 00:00 UTC), else the clock
expect 1 'check failed: 6 errors' env SOURCE_DATE_EPOCH=1782864000 "$bin" check
expect 1 'check failed: 4 errors, 0 warnings; 1 waived' \
  env SOURCE_DATE_EPOCH=1782777599 "$bin" check
expect 1 'check failed: 4 errors, 0 warnings; 1 waived' \
  env DEPCHECK_TODAY=2026-06-30 SOURCE_DATE_EPOCH=1782864000 "$bin" check
expect 1 'check failed: 4 errors, 0 warnings; 1 waived' \
  env DEPCHECK_TODAY=2026-07-01 "$bin" check --now 2026-06-30
expect 2 'SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 \(UTC\), not .soon.' \
  env SOURCE_DATE_EPOCH=soon "$bin" check
expect 2 '--now must be a date YYYY-MM-DD, not .2026-6-30.' "$bin" check --now 2026-6-30
# from a subdirectory: the root's config, paths relative to it
cd deep/er || exit 1
expect 1 'policy: \.\./\.\./ci/policy.yaml' env DEPCHECK_TODAY=2026-01-01 "$bin" check
expect 0 '^47 services' "$bin" validate
expect 0 'defined at   \.\./\.\./services/catalog.yaml' "$bin" show discovery
expect 0 '"command": "path"' "$bin" path -f json access-point discovery
expect 0 'note: project config \.\./\.\./\.depcheck\.yaml' "$bin" validate -v
cd "$repo" || exit 1
# the command line overrides: PATH..., --policy, --baseline, --exclude
printf 'depcheck-policy: 1\nrules:\n  max-depth: warning\n' > ci/lax.yaml
expect 0 'check passed: 0 errors, 0 warnings \(policy: ci/lax.yaml\)' "$bin" check --policy ci/lax.yaml
expect 2 'broken' "$bin" validate --exclude nothing
expect 0 '^1 services|^[0-9]+ services' "$bin" validate "$data/catalogs/small"
expect 1 'known violations? ignored' env DEPCHECK_TODAY=2026-01-01 "$bin" check --baseline base
# baseline from the config
printf 'baseline: base\n' >> .depcheck.yaml
expect 1 'known violations? ignored \(in the baseline\)' env DEPCHECK_TODAY=2026-01-01 "$bin" check
# --no-config: no inputs
expect 2 'no input' "$bin" check --no-config
expect 2 'no input' "$bin" validate --no-config
# --config FILE and DEPCHECK_CONFIG (paths relative to that file)
mkdir -p other
printf 'depcheck-config: 1\ninputs: ../services\n' > other/cfg.yaml
expect 2 "other/cfg.yaml:2:9: error: inputs '../services': a '..' component leaves the project" \
  "$bin" validate --config other/cfg.yaml
printf 'depcheck-config: 1\ninputs: small\n' > other/cfg.yaml
cp -r "$data/catalogs/small" other/small
expect 0 '^[0-9]+ services' "$bin" validate --config other/cfg.yaml
expect 0 '^[0-9]+ services' env DEPCHECK_CONFIG=other/cfg.yaml "$bin" validate
expect 2 'cannot read the project config' "$bin" validate --config other/none.yaml
# hostile values: each error at its line, exit 2, nothing read
cp .depcheck.yaml good.yaml
printf 'depcheck-config: 1\ninputs: [/etc, ../x]\npolicy: /etc/passwd\n' > .depcheck.yaml
expect 2 "\.depcheck\.yaml:2:10: error: inputs '/etc': an absolute path leaves the project" "$bin" check
expect 2 "\.depcheck\.yaml:3:9: error: policy '/etc/passwd'" "$bin" validate
printf 'depcheck-config: 1\ninputs: services\nformat: json\n' > .depcheck.yaml
expect 2 "unknown key 'format' in the project config" "$bin" validate
cp good.yaml .depcheck.yaml
# -o never replaces the config
expect 2 'refusing to write .\.depcheck\.yaml.: it is one of the inputs' "$bin" validate -o .depcheck.yaml
cmp -s good.yaml .depcheck.yaml || no "-o replaced the config"

# outside a repository, a parent's config is not read
mkdir -p "$tmp/norepo/sub"
cp "$repo/.depcheck.yaml" "$tmp/norepo/"
cd "$tmp/norepo/sub" || exit 1
expect 2 'no input' "$bin" validate
cd "$tmp/norepo" || exit 1
expect 2 'services' "$bin" validate   # read here: its inputs do not exist

[ $fail = 0 ] && echo "project config: all checks passed"
exit $fail
