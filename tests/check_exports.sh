#!/usr/bin/env bash
# check_exports.sh LIB.so: every symbol the shared library defines and
# exports must carry the dc_ prefix (jansson checks its exports this way).
set -u
lib=$1
syms=$(nm -D --defined-only "$lib" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -v -E '^(_init|_fini|_edata|_end|__bss_start)$')
[ -n "$syms" ] || { echo "no exported symbols found in $lib"; exit 1; }
bad=$(printf '%s\n' "$syms" | grep -v '^dc_' || true)
if [ -n "$bad" ]; then echo "exported symbols without dc_ prefix:"; echo "$bad"; exit 1; fi
echo "$(printf '%s\n' "$syms" | wc -l) exported symbols, all dc_"
