#!/usr/bin/env bash
# Builds the image on a machine without an image registry: a Debian trixie root file
# system with Python 3.13 made by debootstrap from Debian's own packages is imported as
# the base, then the Dockerfile is built on it with podman (chroot isolation: no
# container runtime needed). Elsewhere `docker build .` uses python:3.13-slim instead.
#
#   scripts/image.sh [TAG]        default TAG: localhost/jointly:latest
#
# The base is kept as a tarball under IMAGE_CACHE_DIR (default /var/tmp/jointly-image),
# named by the ISO week and the package list, so it is made at most once a week and
# every other run only builds the image (whose dependency layer podman caches too).
# DEBIAN_MIRROR names another mirror than deb.debian.org for debootstrap.
# The TLS proxy's certificate authority, when SSL_CERT_FILE names one, is given to
# the build as a secret, which no layer keeps.
set -euo pipefail
cd "$(dirname "$0")/.."

TAG=${1:-localhost/jointly:latest}
CACHE_DIR=${IMAGE_CACHE_DIR:-/var/tmp/jointly-image}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# trixie's python3 is 3.13; python3-venv brings pip (for installing uv) and
# passwd the useradd of the runtime stage.
PACKAGES=python3,python3-venv,ca-certificates,passwd

key="trixie-$(date -u +%G-w%V)-$(printf %s "$PACKAGES" | sha256sum | cut -c1-12)"
tarball="$CACHE_DIR/$key.tar"
base="localhost/jointly-base:$key"

if ! podman image exists "$base"; then
  if [ ! -f "$tarball" ]; then
    mkdir -p "$CACHE_DIR"
    rootfs=$(mktemp -d /var/tmp/jointly-rootfs.XXXXXX)
    trap 'rm -rf "$rootfs"' EXIT
    echo "Making the base: Debian trixie with $PACKAGES"
    debootstrap --variant=minbase --include="$PACKAGES" trixie "$rootfs" "$MIRROR" >/dev/null
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" --numeric-owner -cf "$tarball.part" .
    mv "$tarball.part" "$tarball"
    rm -rf "$rootfs"
    find "$CACHE_DIR" -name 'trixie-*.tar' ! -name "$key.tar" -delete
  fi
  podman import --quiet --change 'CMD ["/bin/bash"]' "$tarball" "$base" >/dev/null
  # Last week's base loses its name; the prune below removes it with what it built.
  podman images --format '{{.Repository}}:{{.Tag}}' localhost/jointly-base \
    | { grep -vxF "$base" || true; } | xargs -r -n1 podman untag
fi

secret=()
if [ -n "${SSL_CERT_FILE:-}" ] && [ -f "$SSL_CERT_FILE" ]; then
  secret=(--secret "id=ca,src=$SSL_CERT_FILE")
fi
podman build --isolation=chroot --build-arg "BASE_IMAGE=$base" "${secret[@]}" --tag "$TAG" .
# Each build leaves its build stage untagged: those of the past week are the cache.
podman image prune --force --filter until=168h >/dev/null
