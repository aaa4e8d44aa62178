#!/usr/bin/env bash
# Makes sure Fashion-MNIST is available for `./ember train` on a machine without internet access.
# Ember looks for it in --data DIR, the cache ($EMBER_DATA or ~/.ember/datasets/fashion-mnist), and
# /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist package), then downloads it.
# Run as root with apt-get available, this installs the package (and says so); otherwise it prints
# how to get the data. Exit status 0 when the data is available afterwards, 1 otherwise.
# Source it to get the function, or run it directly.

ensure_fashion_mnist() {
  local sysdir=/usr/share/datasets/fashion-mnist
  local cache="${EMBER_DATA:-$HOME/.ember/datasets}/fashion-mnist"
  for dir in "$sysdir" "$cache"; do
    if [ -f "$dir/train-images-idx3-ubyte.gz" ] || [ -f "$dir/train-images-idx3-ubyte" ]; then
      return 0
    fi
  done
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ember: Fashion-MNIST not found; installing Debian's dataset-fashion-mnist package (apt-get install -y dataset-fashion-mnist) ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q --no-install-recommends dataset-fashion-mnist >/dev/null 2>&1; then
      apt-get update -q >/dev/null 2>&1 || true
      apt-get install -y -q --no-install-recommends dataset-fashion-mnist >/dev/null 2>&1 || true
    fi
    if [ -f "$sysdir/train-images-idx3-ubyte.gz" ]; then
      echo "ember: installed Fashion-MNIST into $sysdir." >&2
      return 0
    fi
    echo "ember: could not install dataset-fashion-mnist with apt-get." >&2
  fi
  cat >&2 <<MSG
ember: Fashion-MNIST is not installed. Ember will try to download it on first use; if this machine is
offline, provide it one of these ways:
  - Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist   (installs $sysdir)
  - download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and
    t10k-labels-idx1-ubyte.gz from http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/
    into $cache
  - or pass --data DIR naming a folder that holds those four files
MSG
  return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  ensure_fashion_mnist
fi
