#!/usr/bin/env bash
# Runs the project's Node.js (>= 22, see node-path.sh) with the given arguments.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
node_bin=$("$root/scripts/node-path.sh")
if [ -z "$node_bin" ]; then echo "gatechain: Node.js >= 22 not found; run scripts/bootstrap.sh" >&2; exit 2; fi
exec "$node_bin" "$@"
