#!/usr/bin/env bash
# Makes a Debian base image without a registry: debootstrap from the mirror apt already uses,
# imported into podman (or docker) as localhost/localdebian:bookworm. Does nothing when the
# image exists already, so it doubles as a cache.
#
#   deploy/base-image.sh [podman|docker]      # default: podman
#
# Machines that can pull from a registry do not need this: the Dockerfile's default base is
# debian:bookworm-slim.
set -euo pipefail

engine=${1:-podman}
image=${HARK_BASE_IMAGE:-localhost/localdebian:bookworm}
suite=${HARK_BASE_SUITE:-bookworm}

if "$engine" image inspect "$image" >/dev/null 2>&1; then
  echo "== base-image: $image exists"
  exit 0
fi
# The mirror apt uses (deb822 sources first, then the one-line format).
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\/\{0,1\}\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
  grep -v security | head -n1 || true)
[[ -n $mirror ]] || mirror=$(awk '$1 == "deb" && $2 ~ /debian\/?$/ {print $2; exit}' \
  /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}

rootfs=$(mktemp -d /var/tmp/hark-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "== base-image: debootstrap $suite from $mirror"
debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >/dev/null
# Slim, as Debian's *-slim images are: no documentation, manuals or translations, now or in
# the packages installed later, and no downloaded package files.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
SLIM
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
rm -rf "$rootfs"/usr/share/{man,info,locale,lintian}/* "$rootfs"/var/cache/apt/*.bin \
  "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
# Without PATH, podman play kube and compose commands given as strings find no shell.
tar -C "$rootfs" -c . | "$engine" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/bash"]' - "$image" >/dev/null
echo "== base-image: $image made"
