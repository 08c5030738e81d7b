#!/usr/bin/env bash
# check_deb.sh BUILD SRC [--install]
# The Debian package (CPack, CMakeLists.txt "package"): build it from the
# configured BUILD directory with `cpack -G DEB` into a temporary directory,
# then check it without root:
#   - one depcheck_<version>_<arch>.deb, Package depcheck, Version = the
#     project's version;
#   - Depends names the package of every shared library the binary needs
#     (each NEEDED soname resolved with ldd, its owner found with dpkg -S);
#   - it holds usr/bin/depcheck, the headers, the license, the man pages
#     when the install rules have them, and no path of the build machine;
#   - the binary unpacked from it (dpkg-deb -x) runs: --version names the
#     version, and the example's discovery outage ends with every
#     entrypoint down.
# With --install (CI, .ci/run: a throwaway Debian 12 machine, as root or
# with sudo) it also installs the package with dpkg -i, runs
# /usr/bin/depcheck on the example, and removes it with dpkg -r and --purge. It refuses
# to touch a machine where a depcheck package is installed already.
# Exit 77 (skipped) without cpack, dpkg-deb or dpkg-shlibdeps.
set -u
build=$(cd "$1" && pwd); src=$(cd "$2" && pwd); install=${3:-}
for t in cpack dpkg-deb dpkg-shlibdeps dpkg ldd readelf; do
  command -v "$t" >/dev/null || { echo "skipped: $t not installed (dpkg-dev, cmake)"; exit 77; }
done
[ -f "$build/CPackConfig.cmake" ] || { echo "FAIL: no $build/CPackConfig.cmake (configure first)"; exit 1; }
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1; then
  cat "$tmp/cpack.log"; echo "FAIL: cpack -G DEB"; exit 1
fi
debs=("$tmp"/out/*.deb)
[ ${#debs[@]} = 1 ] && [ -f "${debs[0]}" ] || { ls "$tmp/out"; echo "FAIL: not one .deb"; exit 1; }
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "depcheck_${version}_${arch}.deb" ] ||
  bad "file name $(basename "$deb"), expected depcheck_${version}_${arch}.deb"
[ "$(dpkg-deb -f "$deb" Package)" = depcheck ] || bad "Package: $(dpkg-deb -f "$deb" Package)"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || bad "Version: $(dpkg-deb -f "$deb" Version), expected $version"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"

dpkg-deb -c "$deb" | awk '{print $NF}' > "$tmp/files"
for f in ./usr/bin/depcheck ./usr/include/depcheck/depcheck.h ./usr/include/depcheck/version.h \
         ./usr/share/doc/depcheck/LICENSE; do
  grep -qx -- "$f" "$tmp/files" || bad "$f is not in the package"
done
# man pages, when the install rules have them
if grep -q "/man/man" "$build/cmake_install.cmake" && ! grep -q "^\./usr/share/man/man1/depcheck" "$tmp/files"; then
  bad "the install rules install man pages, the package has none"
fi
if grep -E "^\./(tmp|work|home|root)/" "$tmp/files" ||
   grep -F -e "$build" -e "$src" "$tmp/files"; then bad "a build path in the package"; fi

dpkg-deb -x "$deb" "$tmp/root"
bin=$tmp/root/usr/bin/depcheck
# every library the binary needs (its NEEDED entries, resolved by ldd)
# comes from a package that Depends names
ldd "$bin" > "$tmp/ldd"
for so in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  path=$(awk -v so="$so" '$1 == so && $2 == "=>" { print $3 } $1 ~ "/" so "$" { print $1 }' "$tmp/ldd" | head -n1)
  [ -n "$path" ] || { bad "$so is not resolved: $(cat "$tmp/ldd")"; continue; }
  owner=""
  for p in "$path" "$(readlink -f "$path")" "/usr$path" "${path#/usr}"; do
    owner=$(dpkg -S "$p" 2>/dev/null | head -n1 | cut -d: -f1) && [ -n "$owner" ] && break
  done
  [ -n "$owner" ] || { bad "no package owns $path ($so)"; continue; }
  case ", $depends," in
    *", $owner "*|*", $owner,"*) ;;
    *) bad "$so comes from $owner, which Depends does not name" ;;
  esac
done
# the interpreter and libc come from libc6
case "$depends" in libc6*|*", libc6"*) ;; *) bad "Depends does not name libc6" ;; esac

# the unpacked binary runs
"$bin" --version > "$tmp/version" || bad "depcheck --version failed"
head -n1 "$tmp/version" | grep -qx "depcheck $version" || bad "--version: $(head -n1 "$tmp/version")"
for l in commit graphviz libyaml jansson; do
  grep -q "^$l: " "$tmp/version" || bad "--version has no $l line"
done
run_example() {
  local out
  out=$(cd "$src/testdata" && "$1" simulate catalogs/streaming/catalog.yaml --fail discovery)
  local rc=$?
  [ $rc = 0 ] || { bad "$1 simulate: exit $rc"; return; }
  grep -q "30 down, 0 degraded, 4 of 4 entrypoints down" <<<"$out" || bad "$1 simulate: unexpected output"
}
run_example "$bin"

if [ "$install" = --install ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  # "installed" only: a package removed earlier (dpkg -r) stays known to
  # dpkg as "deinstall ok config-files", and `dpkg -s` still succeeds on it
  case $(dpkg-query -W -f='${Status}' depcheck 2>/dev/null) in
    *" installed"|*" half-installed"|*" unpacked"|*" half-configured"|*" triggers-"*)
      echo "FAIL: a depcheck package is installed already; not touching it"; exit 1 ;;
  esac
  if $SUDO dpkg -i "$deb"; then
    [ "$(command -v depcheck)" = /usr/bin/depcheck ] || bad "depcheck on PATH is $(command -v depcheck)"
    run_example /usr/bin/depcheck
    /usr/bin/depcheck --version | head -n1 | grep -qx "depcheck $version" || bad "installed --version"
    $SUDO dpkg -r depcheck || bad "dpkg -r depcheck"
    [ ! -e /usr/bin/depcheck ] || bad "/usr/bin/depcheck left after dpkg -r"
    # leave no trace in dpkg's database either, so that a second run works
    $SUDO dpkg --purge depcheck >/dev/null || bad "dpkg --purge depcheck"
  else
    bad "dpkg -i $deb (missing dependencies? apt-get install -f)"
  fi
fi
[ $fail = 0 ] && echo "ok: $(basename "$deb")"
exit $fail
