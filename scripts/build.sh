#!/usr/bin/env bash
# Configures (once) and builds Hark with its tests. Arguments go to cmake's configure step.
#
#   scripts/build.sh                                    # Release in build/
#   HARK_BUILD_DIR=build-asan HARK_BUILD_TYPE=RelWithDebInfo \
#     scripts/build.sh -DHARK_SANITIZE=address,undefined
#
# A folder that is configured already keeps its settings but those given again as arguments.
# HARK_UNITY_BUILD=ON configures a new folder to compile each target's files together, a few per
# translation unit: a clean build in a fraction of the time (CI and the image do it; measured on
# the bus library under ASan, 343 s -> 106 s), but an edit recompiles its whole batch.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HARK_BUILD_DIR:-build}
[[ $build == /* ]] || build=$root/$build
jobs=${HARK_JOBS:-$(nproc)}

if [[ ! -f $build/CMakeCache.txt ]]; then
  echo "== build: configuring ${HARK_BUILD_TYPE:-Release} in $build"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${HARK_BUILD_TYPE:-Release}" \
    -DHARK_TESTS=ON -DCMAKE_UNITY_BUILD="${HARK_UNITY_BUILD:-OFF}" "$@"
elif [[ $# -gt 0 ]]; then
  cmake -S "$root" -B "$build" "$@"
fi
echo "== build: compiling in $build with $jobs jobs"
cmake --build "$build" -j "$jobs"
