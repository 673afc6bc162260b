#!/usr/bin/env bash
# Configures (once) and builds Hark with its tests. Arguments go to cmake's configure step.
#
#   scripts/build.sh                                    # Release in build/
#   HARK_BUILD_DIR=build-asan HARK_BUILD_TYPE=RelWithDebInfo \
#     scripts/build.sh -DHARK_SANITIZE=address,undefined
#
# A folder that is configured already keeps its settings but those given again as arguments.
# With ccache installed, compilations go through it (CCACHE_DISABLE=1 turns it off), keyed so
# that another checkout, or the image's build stage with the same compiler, finds them:
# paths relative to the checkout, the compiler known by its content rather than its date.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HARK_BUILD_DIR:-build}
[[ $build == /* ]] || build=$root/$build
jobs=${HARK_JOBS:-$(nproc)}
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root} CCACHE_COMPILERCHECK=${CCACHE_COMPILERCHECK:-content}
  # ccache's keys include the locale (it changes the compiler's messages): an image's build,
  # with no LANG, found none of the host's entries (C.UTF-8) until both used the same.
  export LANG=C.UTF-8
  unset LC_ALL LC_CTYPE LC_MESSAGES
fi

if [[ ! -f $build/CMakeCache.txt ]]; then
  echo "== build: configuring ${HARK_BUILD_TYPE:-Release} in $build"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${HARK_BUILD_TYPE:-Release}" \
    -DHARK_TESTS=ON "${launcher[@]}" "$@"
elif [[ $# -gt 0 ]]; then
  cmake -S "$root" -B "$build" "$@"
fi
echo "== build: compiling in $build with $jobs jobs"
cmake --build "$build" -j "$jobs"
