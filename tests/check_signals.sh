#!/usr/bin/env bash
# check_signals.sh DEPCHECK GEN_CATALOG TESTDATA: signals and odd files.
# - SIGTERM, SIGINT, SIGHUP while `-o` is being written: no OUT.tmpXXXXXX is
#   left, and OUT is either absent or the old complete file (-o stays
#   atomic); the process dies of the signal.
# - a FIFO named on the command line: read when a writer feeds it, an error
#   (bounded wait, exit 2) when no writer ever opens it;
# - a device (/dev/zero) or a socket is refused with exit 2.
# No timed assertions: `timeout` is only a hang guard.
set -u
bin=$1; gen=$2; data=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }

"$gen" 20000 1 > "$dir/big.yaml"

# signals during the write of -o: wait (polling, no sleep-based timing) for
# the temporary file to appear, then send the signal
for sig in TERM INT HUP; do
	seen=0
	for attempt in 1 2 3 4 5; do
		printf 'old\n' > "$dir/out.json"
		timeout 120 "$bin" export "$dir/big.yaml" -f json -o "$dir/out.json" 2>/dev/null &
		pid=$!
		while kill -0 "$pid" 2>/dev/null; do
			if compgen -G "$dir/out.json.tmp*" >/dev/null; then
				kill -"$sig" "$pid" 2>/dev/null
				seen=1
				break
			fi
		done
		wait "$pid"
		rc=$?
		[ "$seen" = 1 ] && break
	done
	if [ "$seen" = 0 ]; then
		echo "note: SIG$sig: the temporary file was never seen (machine too fast); not checked"
		continue
	fi
	check "SIG$sig: no temporary file left" '! compgen -G "$dir/out.json.tmp*" >/dev/null'
	# the signal may land just after the rename: then the new file is whole
	check "SIG$sig: target is the old file or a complete new one" \
		'[ "$(cat "$dir/out.json")" = old ] || { [ $rc = 0 ] && tail -c 2 "$dir/out.json" | grep -q "}"; }'
	[ "$(cat "$dir/out.json")" = old ] && check "SIG$sig: killed by the signal (rc $rc)" '[ $rc -gt 128 ]'
done

# a FIFO with data
mkfifo "$dir/in.fifo"
src=$(ls "$data"/catalogs/small/*.yaml | head -1)
"$gen" 5 1 > "$dir/five.yaml"
( cat "$dir/five.yaml" > "$dir/in.fifo" ) &
timeout 60 "$bin" export "$dir/in.fifo" -f json > "$dir/fifo.json" 2>"$dir/fifo.err"
check "FIFO with a writer is read (rc $?)" '[ -s "$dir/fifo.json" ]'
wait
# the same through /dev/stdin
timeout 60 "$bin" export /dev/stdin -f json < <(cat "$dir/five.yaml") > "$dir/stdin.json" 2>/dev/null
check "/dev/stdin of a pipe is read" 'cmp -s "$dir/fifo.json" "$dir/stdin.json"'
# an empty pipe: an error, not an empty catalog
printf '' | timeout 60 "$bin" validate /dev/stdin >/dev/null 2>&1
check "empty pipe exits 2" '[ $? = 2 ]'

# a FIFO nobody writes: bounded wait, then exit 2 (timeout only guards a hang)
timeout 60 "$bin" validate "$dir/in.fifo" >/dev/null 2>"$dir/nowriter.err"
rc=$?
check "FIFO without a writer returns exit 2, not a hang (rc $rc)" '[ $rc = 2 ]'
check "FIFO without a writer says so" 'grep -q "no writer" "$dir/nowriter.err"'

# devices and sockets are refused
timeout 60 "$bin" validate /dev/zero >/dev/null 2>"$dir/zero.err"
rc=$?
check "/dev/zero refused with exit 2 (rc $rc)" '[ $rc = 2 ] && grep -q "a device" "$dir/zero.err"'
timeout 60 "$bin" check "$src" --policy /dev/zero >/dev/null 2>"$dir/zpol.err"
check "/dev/zero as a policy refused" '[ $? = 2 ] && grep -q "a device" "$dir/zpol.err"'
if command -v python3 >/dev/null; then
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$dir/sock.yaml"
	timeout 60 "$bin" validate "$dir/sock.yaml" >/dev/null 2>"$dir/sock.err"
	rc=$?
	check "socket refused with exit 2 (rc $rc)" '[ $rc = 2 ] && grep -q "a socket" "$dir/sock.err"'
	# a directory walk skips special files with a note
	mkdir "$dir/walk"
	cp "$dir/five.yaml" "$dir/walk/a.yaml"
	mv "$dir/sock.yaml" "$dir/walk/s.yaml"
	mkfifo "$dir/walk/f.yaml"
	timeout 60 "$bin" validate "$dir/walk" >/dev/null 2>"$dir/walk.err"
	check "directory walk loads the regular file (rc $?)" '! grep -q error "$dir/walk.err"'
	check "directory walk notes the FIFO" 'grep -q "f.yaml.*skipped: a FIFO" "$dir/walk.err"'
	check "directory walk notes the socket" 'grep -q "s.yaml.*skipped: a socket" "$dir/walk.err"'
fi

# diff's map takes render's size tiers: two 500-service catalogs get the
# tuned dot parameters (the DOT text says so; no layout is run here)
"$gen" 500 1 > "$dir/a500.yaml"; "$gen" 500 2 > "$dir/b500.yaml"
timeout 120 "$bin" diff "$dir/a500.yaml" "$dir/b500.yaml" -f dot > "$dir/d500.dot" 2>/dev/null
check "big diff map is tuned like render" 'grep -q "mclimit=0.05" "$dir/d500.dot" && ! grep -q "rankdir=LR" "$dir/d500.dot"'
timeout 60 "$bin" diff "$data/catalogs/small" "$data/catalogs/small" -f dot > "$dir/dsmall.dot" 2>/dev/null
check "small diff map keeps the default layout" 'grep -q "rankdir=LR" "$dir/dsmall.dot" && ! grep -q mclimit "$dir/dsmall.dot"'
exit $fail
