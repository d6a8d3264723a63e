#!/usr/bin/env bash
# The HTML report in a real browser: builds the HTML and JSON reports of every example plan (and
# of the amendment example, the CI waivers fixture, a plan of hostile ids and a generated plan
# past the deployments table's limit) into tests/browser/out/, installs playwright-core with
# `npm ci`, and runs tests/browser/report.test.js in Debian's headless Chromium
# (/usr/bin/chromium, or $CHROMIUM; CI installs it with `apt-get install -y chromium`).
# Prints each check; exits 1 if any fails. The screenshot is tests/browser/out/worked-examples.png.
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/browser/out
rm -rf "$out"
mkdir -p "$out"
cargo build --quiet
bin=target/debug/clausecheck

# Writes NAME.html and NAME.json from one run; exit 1 (violations) and 2 (errors) are expected.
report() {
  local name=$1
  shift
  local status=0
  "$bin" check --color never --format html --output "$out/$name.html" \
    --output-format json="$out/$name.json" "$@" 2>/dev/null || status=$?
  if [ "$status" -gt 2 ]; then
    echo "clausecheck check $* exited $status" >&2
    exit 1
  fi
  echo "report $name: exit $status"
}

for plan in examples/*.yaml examples/*.json examples/*.csv examples/*.ndjson; do
  report "$(basename "$plan")" "$plan"
done
report amendment-plan.yaml --rules examples/amendment examples/amendment/plan.yaml
report ci-waivers.yaml --rules tests/fixtures/ci/rules --waivers tests/fixtures/ci/waivers.yaml \
  --today 2026-09-01 tests/fixtures/ci/plan.yaml
# Not examples: named so the test does not take them for one.
status=0
"$bin" check --format html --output "$out/hostile.html" tests/fixtures/html/hostile.yaml 2>/dev/null || status=$?
echo "report hostile: exit $status"
"$bin" generate plan --records 12000 --seed 3 > "$out/large.ndjson"
status=0
"$bin" check --format html --output "$out/large.html" --output-format json="$out/large.json.data" \
  "$out/large.ndjson" 2>/dev/null || status=$?
mv "$out/large.json.data" "$out/large.json"
echo "report large (12,000 generated deployments): exit $status"

(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
node tests/browser/report.test.js "$out"
