#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ and runs each one on its seeds.
#
#   scripts/fuzz.sh                  # every target, 60 s each
#   scripts/fuzz.sh 30               # what CI runs
#   scripts/fuzz.sh 600 fuzz_config  # one target, longer
#   HARK_FUZZ_BUILD=build-asan scripts/fuzz.sh 30  # in a build configured with -DHARK_FUZZ=ON
#
# Every folder fuzz/corpus/NAME/ holds the seeds of target fuzz_NAME, so a new target runs here
# (and in CI) once its seeds exist.
# What a run learns stays in build-fuzz/corpus/fuzz_NAME/ for the next run; the seeds in the repo
# are only read. A crash leaves its input in build-fuzz/artifacts/ and fails the script.
set -euo pipefail

seconds=${1:-60}
shift || true
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HARK_FUZZ_BUILD:-$root/build-fuzz}

if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  targets=()
  for seeds in "$root"/fuzz/corpus/*/; do targets+=("fuzz_$(basename "$seeds")"); done
fi

echo "== fuzz: building ${targets[*]} with clang in $build"
# A build configured for fuzzing already (CI's sanitizer build, which builds the targets with its
# tests) keeps its settings.
if ! grep -qx 'HARK_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHARK_FUZZ=ON -DHARK_TESTS=OFF -DHARK_BENCH=OFF >/dev/null
fi
ninja -C "$build" -j2 "${targets[@]}"

mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
  mkdir -p "$build/corpus/$target"
  options=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-")
  if [[ -f $build/fuzz/$target.dict ]]; then options+=(-dict="$build/fuzz/$target.dict"); fi
  echo "== fuzz: $target for ${seconds}s"
  # libFuzzer prints a line per new input; keep the log and show its verdict.
  if ! "$build/fuzz/$target" "${options[@]}" "$build/corpus/$target" "$root/fuzz/corpus/${target#fuzz_}" \
      >"$build/$target.log" 2>&1; then
    grep -v '^\(#\|\s*NEW_FUNC\)' "$build/$target.log" | tail -40
    echo "!! fuzz: $target failed; full log $build/$target.log, input in $build/artifacts/" >&2
    exit 1
  fi
  grep -E '^(Done|stat::(number_of_executed_units|new_units_added|peak_rss_mb))' "$build/$target.log"
done
echo "== fuzz: no crash in ${targets[*]}"
