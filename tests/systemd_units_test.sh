#!/usr/bin/env bash
# ctest systemd_units: `systemd-analyze verify` on the units the build made (deploy/*.service),
# with ExecStart pointed at the built hark (the installed path need not exist here). Any warning
# fails the test, as systemd would print it at every daemon-reload. Exit 77 (skipped) without
# systemd-analyze.
#
#   tests/systemd_units_test.sh BUILD/deploy BUILD/src/hark
set -euo pipefail
units_dir=$1
hark=$2
command -v systemd-analyze >/dev/null || { echo "no systemd-analyze: skipped"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -m 700 "$work/runtime" "$work/user" "$work/system"
installed_bindir=$(sed -n 's|^ExecStart=\(.*\)/hark .*|\1|p' "$units_dir/hark.service")
for unit in "$units_dir"/*.service; do
  # The system unit runs as root; every other is a user unit.
  kind=user
  grep -q '^WantedBy=multi-user.target' "$unit" && kind=system
  sed "s|$installed_bindir/hark|$hark|g" "$unit" >"$work/$kind/$(basename "$unit")"
done

failed=0
check() {
  local output
  output=$(cd "$2" && XDG_RUNTIME_DIR="$work/runtime" systemd-analyze "$1" verify ./*.service 2>&1) ||
    failed=1
  if [[ -n $output ]]; then
    echo "$output"
    failed=1
  fi
  echo "$1: $(cd "$2" && ls | tr '\n' ' ')"
}
check --user "$work/user"
check --system "$work/system"
exit $failed
