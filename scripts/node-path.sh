#!/usr/bin/env bash
# Prints the path of a Node.js >= 22 to use: the project's own .tools/node first, then the
# machine's node when it is new enough. Prints nothing when neither qualifies.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
for candidate in "$root/.tools/node/bin/node" "$(command -v node 2>/dev/null)"; do
  [ -n "$candidate" ] && [ -x "$candidate" ] || continue
  major=$("$candidate" -p 'process.versions.node.split(".")[0]' 2>/dev/null) || continue
  if [ "${major:-0}" -ge 22 ]; then echo "$candidate"; exit 0; fi
done
