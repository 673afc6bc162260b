#!/usr/bin/env bash
# Builds what changed, then runs the tests. Arguments go to ctest:
#
#   scripts/test.sh              # every test
#   scripts/test.sh -L unit      # only the cheap ones (labels: unit, service, e2e)
#   scripts/test.sh -R Message   # by name
#
# HARK_BUILD_DIR picks another build folder (default build/, relative to the repo).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HARK_BUILD_DIR:-build}
[[ $build == /* ]] || build=$root/$build

# The Python tests need Debian's python3 and its modules (websocket, tornado), not one that an
# earlier PATH entry such as pyenv provides.
export PATH="/usr/bin:$PATH"

"$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure -j2 "$@"
