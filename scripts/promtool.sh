#!/usr/bin/env bash
# Prints the path of a promtool binary, fetching Debian's prometheus package (without installing or
# starting its service) into .cache/promtool the first time. The metrics test runs it
# (`promtool check metrics`); .ci/run exports its path as FULCRUM_PROMTOOL.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v promtool >/dev/null 2>&1; then command -v promtool; exit 0; fi
dir=.cache/promtool
if [ ! -x "$dir/usr/bin/promtool" ]; then
  mkdir -p "$dir"
  (cd "$dir" && { apt-get download prometheus >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get download prometheus >/dev/null; }; } && dpkg-deb -x prometheus_*.deb . && rm -f prometheus_*.deb)
fi
echo "$(pwd)/$dir/usr/bin/promtool"
