#!/usr/bin/env bash
# Installs what Hark needs on Debian 12 or Ubuntu 22.04+, then builds it (Release, with tests)
# in build/. Safe to run again: installed packages are not fetched twice, and the build only
# compiles what changed.
#
#   scripts/setup.sh                # everything to build and test Hark, then the build
#   scripts/setup.sh --build-deps   # only what compiling the `hark` binary needs (no build)
#   scripts/setup.sh --containers   # podman, compose and debootstrap for `ctest -L container`
#
# As root it runs apt-get directly, otherwise through sudo.
set -euo pipefail

# What compiling the `hark` binary needs; deploy/Dockerfile's build stage installs only these.
build_packages=(
  build-essential cmake ninja-build pkg-config ccache
  libboost-dev nlohmann-json3-dev libsimdjson-dev libspdlog-dev libfmt-dev libcli11-dev libssl-dev nettle-dev libpcre2-dev
  libhowardhinnant-date-dev tzdata
  libespeak-ng-dev flite1-dev libpulse-dev libsndfile1-dev
  libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us libspeexdsp-dev
)
# Everything Hark builds and tests with. Services that need more (audio, speech) add theirs here.
packages=(
  "${build_packages[@]}"
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-websocket python3-tornado
  pulseaudio pulseaudio-utils
  # The sanitizer build (.ci/run) and the fuzzers; lld links clang's instrumented objects.
  clang lld
  # Recorded read speech for bench/voice_bench's false-wake set; sox says its wake words
  # faster, slower, higher and lower.
  pocketsphinx-testdata sox
)
# The container tests (deploy/, tests/container_test.sh): an engine, compose, a base image
# made from the Debian mirror (no registry needed), and the Docker Compose v1 validator.
container_packages=(
  podman runc fuse-overlayfs slirp4netns uidmap podman-compose debootstrap docker-compose
  pulseaudio pulseaudio-utils sox curl
)
mode=${1:-all}
case $mode in
  all) ;;
  --build-deps) packages=("${build_packages[@]}") ;;
  --containers) packages=("${container_packages[@]}") ;;
  *)
    echo "usage: scripts/setup.sh [--build-deps | --containers]" >&2
    exit 2
    ;;
esac
# clang's runtime for the fuzzers and sanitizers: the first of these the release has, named
# after its clang version (Debian 12: libclang-rt-14-dev) or versionless from llvm-defaults.
# Older releases (Ubuntu 22.04) ship it inside libclang-common-N-dev, which clang pulls in.
clang_runtime_candidates() {
  local version
  version=$(apt-cache policy clang | sed -n 's/^ *Candidate: \([0-9]*:\)\{0,1\}\([0-9]*\).*/\2/p')
  [[ -n $version ]] && echo "libclang-rt-$version-dev"
  echo libclang-rt-dev
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { echo "== setup: $*"; }
die() {
  echo "!! setup: $*" >&2
  exit 1
}

sudo=()
if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null || die "not root and no sudo: install ${packages[*]} by hand"
  sudo=(sudo)
fi
apt_get() { "${sudo[@]}" env DEBIAN_FRONTEND="${DEBIAN_FRONTEND:-noninteractive}" apt-get "$@"; }

apt_updated=false
apt_update() {
  $apt_updated || apt_get update
  apt_updated=true
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
available() { apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'; }

command -v apt-get >/dev/null || die "needs apt-get (Debian or Ubuntu); install ${packages[*]} by hand"

missing=()
for package in "${packages[@]}"; do installed "$package" || missing+=("$package"); done
if [[ ${#missing[@]} -gt 0 ]]; then
  say "installing ${missing[*]}"
  apt_update
  apt_get install -y "${missing[@]}"
else
  say "all ${#packages[@]} packages are installed"
fi

# What podman needs on hosts without systemd or with cgroup v1 (docs/deploy.md): runc, the
# cgroupfs manager, and ulimits no higher than the host's hard limits.
if [[ $mode == --containers ]]; then
  if [[ ! -f /etc/containers/containers.conf ]]; then
    say "writing /etc/containers/containers.conf"
    "${sudo[@]}" mkdir -p /etc/containers
    printf '%s\n' '[containers]' \
      'default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]' \
      '[engine]' 'runtime = "runc"' 'cgroup_manager = "cgroupfs"' 'events_logger = "file"' |
      "${sudo[@]}" tee /etc/containers/containers.conf >/dev/null
  fi
  exit 0
fi
[[ $mode == all ]] || exit 0

# The first candidate that passes the check ("installed" or "available"), if any.
clang_runtime() {
  local candidate
  for candidate in $(clang_runtime_candidates); do
    if "$1" "$candidate"; then
      echo "$candidate"
      break
    fi
  done
}
runtime=$(clang_runtime installed)
if [[ -z $runtime ]]; then
  apt_update
  runtime=$(clang_runtime available)
  if [[ -n $runtime ]]; then
    say "installing $runtime"
    apt_get install -y "$runtime"
  fi
fi
[[ -n $runtime ]] || say "no libclang-rt package here; the fuzzers use clang's own runtime if it has one"

/usr/bin/python3 -c 'import tornado, websocket' 2>/dev/null ||
  die "/usr/bin/python3 cannot import tornado and websocket, which the service tests need"

"$root/scripts/build.sh"
say "done: scripts/test.sh runs the tests"
