#!/usr/bin/env bash
# Configures (once) and builds Hark with its tests. Arguments go to cmake's configure step.
#
#   scripts/build.sh                                    # Release in build/
#   HARK_BUILD_DIR=build-asan HARK_BUILD_TYPE=RelWithDebInfo \
#     scripts/build.sh -DHARK_SANITIZE=address,undefined
#
# A folder that is configured already keeps its settings but those given again as arguments.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HARK_BUILD_DIR:-build}
[[ $build == /* ]] || build=$root/$build
jobs=${HARK_JOBS:-$(nproc)}

if [[ ! -f $build/CMakeCache.txt ]]; then
  echo "== build: configuring ${HARK_BUILD_TYPE:-Release} in $build"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${HARK_BUILD_TYPE:-Release}" \
    -DHARK_TESTS=ON "$@"
elif [[ $# -gt 0 ]]; then
  cmake -S "$root" -B "$build" "$@"
fi
echo "== build: compiling in $build with $jobs jobs"
cmake --build "$build" -j "$jobs"
