#!/usr/bin/env bash
# Times the release binary on a generated large plan (default 1,000,000 deployments, NDJSON).
# Usage: scripts/bench-cli.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/clausecheck"
python3 - "$n" > "$dir/plan.ndjson" <<'PY'
import sys
n = int(sys.argv[1])
parties = ["openai", "openai", "openai", "microsoft"]
products = ["chatgpt", "api", "models", "frontier", "stateful_runtime"]
clouds = ["azure", "aws", "gcp", "oracle"]
out = sys.stdout
for i in range(n):
    year, month, day = 2019 + i % 16, 1 + (i // 7) % 12, 1 + (i // 3) % 28
    out.write('{"id":"d%d","party":"%s","product":"%s","cloud":"%s","date":"%d-%02d-%02d"}\n'
              % (i, parties[i % 4], products[(i // 4) % 5], clouds[(i // 20) % 4], year, month, day))
PY
echo "plan: $n deployments, $(du -h "$dir/plan.ndjson" | cut -f1)"
for format in json text; do
  start=$(date +%s.%N)
  status=0
  "$bin" check --format "$format" --output "$dir/report.$format" "$dir/plan.ndjson" 2>/dev/null || status=$?
  if [ "$status" -eq 2 ]; then echo "check failed (exit 2); no figure" >&2; exit 1; fi
  end=$(date +%s.%N)
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); print(f'check --format {sys.argv[4]:4}: {s:6.2f} s, {n/s:,.0f} deployments/s (exit {sys.argv[5]})')" \
    "$start" "$end" "$n" "$format" "$status"
done
