#!/usr/bin/env bash
# What `make bench` needs beyond the Python packages: Debian's wrk (the load generator).
# Safe to run again. Usage: scripts/install-bench-deps.sh   (as root, or with sudo)
set -euo pipefail
if command -v wrk >/dev/null; then exit 0; fi
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
if ! as_root apt-get install -y --no-install-recommends wrk; then
  as_root apt-get update
  as_root apt-get install -y --no-install-recommends wrk
fi
