#!/usr/bin/env bash
# Renders the timeline SVG in headless Chromium and checks that the picture is not empty: a PNG
# is written and is larger than a blank page would be. Needs Debian's `chromium`
# (`apt-get install -y chromium`); not part of .ci/run.
#
# Usage: scripts/render-timeline.sh [SVG] [PNG]
#   SVG  the picture to render [default: a fresh `clausecheck timeline --format svg` of rules/]
#   PNG  where to write the screenshot [default: target/timeline.png]
set -euo pipefail
cd "$(dirname "$0")/.."

svg="${1:-}"
png="${2:-target/timeline.png}"
min_bytes=20000   # a blank 1200x800 page is about 4 KB as PNG; the bundled timeline is far larger

browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" > /dev/null; then browser="$candidate"; break; fi
done
if [ -z "$browser" ]; then
  echo "render-timeline: no chromium found (install it with: apt-get install -y chromium)" >&2
  exit 2
fi

if [ -z "$svg" ]; then
  svg="target/timeline.svg"
  mkdir -p target
  cargo run --quiet -- timeline --format svg --output "$svg"
fi
[ -f "$svg" ] || { echo "render-timeline: there is no file \`$svg\`" >&2; exit 2; }
mkdir -p "$(dirname "$png")"
rm -f "$png"

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --screenshot="$png" --window-size=1200,800 "file://$(realpath "$svg")" > /dev/null 2>&1 || true

if [ ! -s "$png" ]; then
  echo "render-timeline: chromium wrote no screenshot to \`$png\`" >&2
  exit 1
fi
bytes=$(wc -c < "$png")
if [ "$bytes" -lt "$min_bytes" ]; then
  echo "render-timeline: \`$png\` is only $bytes bytes: the picture looks empty" >&2
  exit 1
fi
echo "render-timeline: $svg rendered to $png ($bytes bytes)"
