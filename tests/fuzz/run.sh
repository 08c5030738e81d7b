#!/usr/bin/env bash
# run.sh [-t SECONDS] [-j JOBS] [-b BUILDDIR] [-o LOGDIR] [TARGET...]
# Fuzz each TARGET (default: every fuzz_*.c) for SECONDS (default 1800) with
# libFuzzer, at most JOBS (default 2) at a time, under `nice -n 19`.
#   BUILDDIR (default build-fuzz) is configured with
#     CC=clang cmake -S . -B build-fuzz -DBUILD_TESTING=ON -DDEPCHECK_FUZZ=ON
#   LOGDIR (default /work/fuzz-logs): <target>.log, corpus/<target>/ (the
#   growing corpus, seeded from seeds.txt and corpus/<target>/),
#   artifacts/<target>/ (crash-*, timeout-*, oom-* inputs), cwd-<target>/
#   (an empty working directory: Backstage Locations resolve inside it).
# Crashes, timeouts and OOMs are recorded and fuzzing goes on (-fork=1 with
# -ignore_*): the budget is spent in full. A summary line per target is
# appended to LOGDIR/summary.txt when it ends.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
secs=1800; jobs=2; build=$src/build-fuzz; logs=/work/fuzz-logs
while getopts t:j:b:o: opt; do
  case $opt in
    t) secs=$OPTARG ;; j) jobs=$OPTARG ;; b) build=$(cd "$OPTARG" && pwd) ;; o) logs=$OPTARG ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
if [ ${#targets[@]} = 0 ]; then
  for f in "$here"/fuzz_*.c; do t=$(basename "$f" .c); targets+=("${t#fuzz_}"); done
fi
mkdir -p "$logs"
logs=$(cd "$logs" && pwd)

fuzz_one() {
  local t=$1 bin=$build/tests/fuzz/fuzz_$1 corpus=$logs/corpus/$1 art=$logs/artifacts/$1 cwd=$logs/cwd-$1
  mkdir -p "$corpus" "$art" "$cwd"
  # seeds: testdata paths from seeds.txt, then the checked-in corpus
  local line
  line=$(grep "^$t " "$here/seeds.txt" | cut -d' ' -f2-)
  for r in $line; do
    find "$src/testdata/$r" -type f -size -64k -exec sh -c 'for f; do cp "$f" "$0/seed-$(echo "$f" | md5sum | cut -c1-12)"; done' "$corpus" {} +
  done
  [ -d "$here/corpus/$t" ] && cp "$here/corpus/$t"/* "$corpus"/ 2>/dev/null
  local dict=()
  [ -f "$here/dict/$t.dict" ] && dict=(-dict="$here/dict/$t.dict")
  local start end
  start=$(date +%s)
  echo "== $t: start $(date -u +%FT%TZ), ${secs}s" >>"$logs/$t.log"
  (cd "$cwd" && LSAN_OPTIONS=suppressions=$src/tests/lsan.supp \
    nice -n 19 "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
      -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
      -artifact_prefix="$art/" "${dict[@]}" "$corpus") >>"$logs/$t.log" 2>&1
  end=$(date +%s)
  local stats
  stats=$(grep -E '^#[0-9]+: cov: ' "$logs/$t.log" | tail -n1)
  echo "$t $(date -u +%FT%TZ) ran $((end - start))s; last: $stats; artifacts: $(ls "$art" | wc -l)" >>"$logs/summary.txt"
}

running=0
for t in "${targets[@]}"; do
  if [ ! -x "$build/tests/fuzz/fuzz_$t" ]; then echo "no $build/tests/fuzz/fuzz_$t: build with -DDEPCHECK_FUZZ=ON" >&2; exit 1; fi
done
for t in "${targets[@]}"; do
  if [ $running -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
  fuzz_one "$t" &
  running=$((running + 1))
done
wait
