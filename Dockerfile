# depcheck in a small image: the CLI and the shared libraries it runs with.
#
#   docker build -t depcheck --build-arg DC_COMMIT="$(git describe --always --dirty)" .
#   docker run --rm -v "$PWD:/work" depcheck check catalog/
#
# Two stages on Debian 12: `build` compiles depcheck and packages it with
# CPack (tests/check_deb.sh checks that package); the runtime stage installs
# that .deb with apt, so its packages are exactly the .deb's Depends (found
# by dpkg-shlibdeps), and dpkg leaves out the library, headers and build
# files, which the CLI does not need. tests/check_dockerfile.py lints this
# file; docs/install.md has the manual check.
FROM debian:12-slim AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      cmake gcc libc6-dev make pkg-config libgraphviz-dev libyaml-dev libjansson-dev \
      dpkg-dev file \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# the commit --version names (the build context has no .git)
ARG DC_COMMIT=unknown
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
      -DCMAKE_INSTALL_PREFIX=/usr -DDC_COMMIT="$DC_COMMIT" \
 && cmake --build /build -j"$(nproc)" \
 && /build/depcheck simulate testdata/catalogs/streaming/catalog.yaml --fail discovery >/dev/null \
 && cd /build && cpack -G DEB -B /pkg

FROM debian:12-slim
# the CLI alone: the package's library, headers, pkg-config and CMake files
# are not unpacked (dpkg's path-exclude); its license is, although the slim
# image's own filter (dpkg.cfg.d/docker) drops /usr/share/doc: the last
# matching filter wins, and this file is read after that one
RUN printf '%s\n' 'path-exclude=/usr/include/depcheck/*' 'path-exclude=/usr/lib/*libdepcheck*' \
      'path-exclude=/usr/lib/*cmake/depcheck/*' 'path-exclude=/usr/lib/*pkgconfig/depcheck.pc' \
      'path-include=/usr/share/doc/depcheck/LICENSE' \
      > /etc/dpkg/dpkg.cfg.d/zz-depcheck-cli-only
COPY --from=build /pkg/depcheck_*.deb /tmp/
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/depcheck_*.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/depcheck_*.deb \
 && depcheck --version
RUN useradd --system --uid 10001 --no-create-home depcheck
WORKDIR /work
USER depcheck
ENTRYPOINT ["depcheck"]
CMD ["--help"]
