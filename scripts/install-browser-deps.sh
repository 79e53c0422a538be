#!/usr/bin/env bash
# What the browser tests (tests/browser/) need beyond the Python packages:
#   - Debian's Chromium at /usr/bin/chromium (Playwright drives it; it never downloads
#     a browser of its own);
#   - axe-core from the npm registry, unpacked to .cache/axe/axe.min.js, which the
#     accessibility tests inject into each page.
# Safe to run again: each step is skipped when its result is already there.
# Usage: scripts/install-browser-deps.sh   (as root, or with sudo available)
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_VERSION="${AXE_VERSION:-4}"
AXE_DIR=".cache/axe"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium package"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine's package lists may be missing or stale: update and retry once.
  if ! as_root apt-get install -y --no-install-recommends chromium; then
    as_root apt-get update
    as_root apt-get install -y --no-install-recommends chromium
  fi
fi
/usr/bin/chromium --version 2>/dev/null || true

if [ ! -s "$AXE_DIR/axe.min.js" ]; then
  echo "Fetching axe-core@$AXE_VERSION from the npm registry"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null)
  tar -xzf "$tmp"/axe-core-*.tgz -C "$tmp"
  mkdir -p "$AXE_DIR"
  cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$AXE_DIR/"
  node -e 'console.log(require(process.argv[1]).version)' "$tmp/package/package.json" \
    > "$AXE_DIR/VERSION"
fi
echo "axe-core $(cat "$AXE_DIR/VERSION" 2>/dev/null || echo '?') in $AXE_DIR"
