#!/usr/bin/env bash
# Accepts pending insta snapshots (*.snap.new) after they have been reviewed by eye, without
# needing cargo-insta: shows each diff, then moves the new snapshot into place.
# Usage: scripts/accept-snapshots.sh [--show]   (--show: print the diffs only)
set -euo pipefail
cd "$(dirname "$0")/.."
found=0
while IFS= read -r -d '' new; do
  found=1
  old="${new%.new}"
  echo "=== ${old}"
  if [ -f "$old" ]; then diff "$old" <(grep -v '^assertion_line: ' "$new") || true; else cat "$new"; fi
  if [ "${1:-}" != "--show" ]; then
    grep -v '^assertion_line: ' "$new" > "$old"
    rm "$new"
  fi
done < <(find tests -name '*.snap.new' -print0 | sort -z)
[ "$found" = 1 ] || echo "no pending snapshots"
