#!/usr/bin/env bash
# Benchmark of `clausecheck lint`'s exact analysis at the sizes of issue 9, with a planted
# cross-agreement deadlock ("debut on c0 first" against "exclusively on c1") in each rule set.
#
#   scripts/bench-lint.sh            # about a minute; benches/run.sh runs it too
#
# Rule sets (all from `clausecheck generate rules`, seed 1):
#   small:   6 agreements, 10 fields with 5–10 values, 3 events, 40 clauses (target < 1 s)
#   1k:      the generator's default shape at 1,000 clauses (10 agreements, 4 fields of 8 values)
#   1k-wide: 1,000 clauses, 10 agreements, 10 fields with 5–10 values, 3 events (target < 30 s)
# Where there are events, two of the three are dated (`--events`), one is left unknown. Each lint
# runs three times; the median wall time is kept. Each rule set is also linted once within a
# quarter of the default node limit, to show the headroom. Needs: cargo, python3.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/clausecheck"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

printf 'e0: 2026-03-01\ne1: 2027-09-15\ne2: unknown\n' > "$dir/events.yaml"
"$bin" generate rules --seed 1 --agreements 6 --clauses 40 --fields 10 --values 5 --max-values 10 \
  --events 3 --plant-deadlock > "$dir/small.terms"
"$bin" generate rules --seed 1 --agreements 10 --clauses 1000 --plant-deadlock > "$dir/1k.terms"
"$bin" generate rules --seed 1 --agreements 10 --clauses 1000 --fields 10 --values 5 --max-values 10 \
  --events 3 --plant-deadlock > "$dir/1k-wide.terms"

for name in small 1k 1k-wide; do
  for r in 1 2 3; do
    start=$(date +%s.%N)
    events=()
    grep -q '^event ' "$dir/$name.terms" && events=(--events "$dir/events.yaml")
    "$bin" lint --rules "$dir/$name.terms" "${events[@]}" --today 2026-11-27 --format json > "$dir/$name.json"
    end=$(date +%s.%N)
    echo "$name $start $end" >> "$dir/times"
  done
  # Headroom: the same analysis within a quarter of the default node limit.
  "$bin" lint --rules "$dir/$name.terms" "${events[@]}" --today 2026-11-27 --format json \
    --max-nodes 1048576 > "$dir/$name-quarter.json"
done

python3 - "$dir" <<'PY'
import json, os, statistics, sys
d = sys.argv[1]
times = {}
for line in open(os.path.join(d, "times")):
    name, start, end = line.split()
    times.setdefault(name, []).append(float(end) - float(start))
targets = {"small": 1.0, "1k": 30.0, "1k-wide": 30.0}
print(f"machine: {os.cpu_count()} cores; median of 3 runs; lint --today 2026-11-27 --events (2 of 3 dated)\n")
print(f"{'rule set':10} {'clauses':>8} {'seconds':>8} {'target':>8}  {'too-large':>9}  {'at 1/4 limit':>12}  {'planted deadlock':>16}  findings")
ok = True
for name in ["small", "1k", "1k-wide"]:
    rules = open(os.path.join(d, f"{name}.terms")).read().splitlines()
    clauses = sum(1 for l in rules if l.strip().startswith("clause "))
    # The planted requirement's line, and the clause that makes it impossible.
    planted = next(i + 1 for i, l in enumerate(rules) if "require launched(product, cloud = c0) on or before date when cloud != c0" in l)
    agreements = sum(1 for l in rules if l.startswith("agreement "))
    exclusive = f"`a{agreements - 1}.k0`"
    report = json.load(open(os.path.join(d, f"{name}.json")))
    findings = report["findings"]
    too_large = sum(1 for f in findings if f["code"] == "too-large")
    quarter = json.load(open(os.path.join(d, f"{name}-quarter.json")))["findings"]
    quarter_too_large = sum(1 for f in quarter if f["code"] == "too-large")
    found = any(f["code"] == "deadlock" and f["line"] == planted and exclusive in f["message"] for f in findings)
    counts = {}
    for f in findings:
        counts[f["code"]] = counts.get(f["code"], 0) + 1
    t = statistics.median(times[name])
    met = t < targets[name] and too_large == 0 and found
    ok = ok and met
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"{name:10} {clauses:>8} {t:>8.2f} {'< ' + str(int(targets[name])) + ' s':>8}  {too_large:>9}  {quarter_too_large:>12}  {('found' if found else 'MISSED'):>16}  {summary}")
print()
print("all targets met" if ok else "TARGETS MISSED")
sys.exit(0 if ok else 1)
PY
