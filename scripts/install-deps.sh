#!/usr/bin/env bash
# Installs every Debian package that building, testing and benchmarking Sluice needs.
# Does nothing (and needs no network) when they are all present.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev
  libfmt-dev libre2-dev libutf8proc-dev libjemalloc-dev
  zlib1g-dev libzstd-dev liblz4-dev libsnappy-dev
  nlohmann-json3-dev libyaml-cpp-dev
  libedit-dev tmux
  nodejs python3
  clang libclang-rt-14-dev
  python3-avro python3-snappy
  libsqlite3-dev sqlite3
  python3-dev pybind11-dev python3-numpy python3-pandas python3-pytest
  libopenmpi-dev openmpi-bin
  libxgboost-dev python3-xgboost libhiredis-dev redis-server libcpp-httplib-dev librdkafka-dev
  libcurl4-openssl-dev libssl-dev
)

# The object-storage tests' local S3 server (npm s3rver, pinned in tests/s3/package.json).
install_s3rver() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/s3"
  if [ ! -d "$dir/node_modules/s3rver" ]; then
    echo "install-deps: npm install in tests/s3 (s3rver)" >&2
    (cd "$dir" && npm install --no-audit --no-fund --silent)
  fi
}

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  install_s3rver
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_s3rver
