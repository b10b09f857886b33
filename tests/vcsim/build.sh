#!/usr/bin/env bash
# Builds the vCenter simulator of the import tests (tests/vcsim/main.go) into target/vcsim/vcsim
# from Debian's govmomi source (golang-github-vmware-govmomi-dev 0.24.2), without the network:
# GOPATH mode over /usr/share/gocode, no Go module proxy. Installs golang-go and the govmomi
# source with apt-get when either is missing (CI runs as root on Debian bookworm). Rebuilds only
# when main.go (or this script) is newer than the binary. Prints the binary's path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/target/vcsim"
bin="$out/vcsim"
gopath=/usr/share/gocode
govmomi="$gopath/src/github.com/vmware/govmomi"

if [[ -x "$bin" && "$bin" -nt "$here/main.go" && "$bin" -nt "$here/build.sh" ]]; then
  echo "$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1 || [[ ! -d "$govmomi/simulator" ]]; then
  echo "tests/vcsim/build.sh: installing golang-go and golang-github-vmware-govmomi-dev" >&2
  if [[ "$(id -u)" -ne 0 ]]; then
    sudo=sudo
  else
    sudo=
  fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq golang-go golang-github-vmware-govmomi-dev >&2
fi

mkdir -p "$out"
# A build cache of our own under target/, so that no home directory is needed.
cd "$here"
GO111MODULE=off GOPATH="$gopath" GOCACHE="$out/go-cache" GOFLAGS= \
  go build -o "$bin.tmp" . >&2
mv -f "$bin.tmp" "$bin"
echo "$bin"
