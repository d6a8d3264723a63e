#!/usr/bin/env bash
# End-to-end benchmark of `clausecheck check` against a baseline, on one machine in one run.
#
#   benches/run.sh            # plans of 100k, 1M and 10M records (about 10 minutes, 1.3 GB of disk)
#   benches/run.sh --quick    # 100k and 1M only
#   benches/run.sh --lint     # only lint's exact analysis (scripts/bench-lint.sh, about a minute)
#
# The full run ends with scripts/bench-lint.sh: lint on 40- and 1,000-clause generated rule sets.
#
# The baseline is `examples/bare_parse.rs`: a bare typed serde_json parse of the same NDJSON,
# read the same way (streamed, line by line). Runs are interleaved (baseline, then each format,
# repeated) and the median is kept, so a noisy neighbour hurts every figure alike; ratios to the
# baseline are the figures to trust. Instruction counts come from callgrind at 50k records:
# they do not depend on the machine's load. Needs: cargo, python3, /usr/bin/time, valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--lint" ]; then
  exec scripts/bench-lint.sh
fi
sizes=(100000 1000000 10000000)
[ "${1:-}" = "--quick" ] && sizes=(100000 1000000)
repeats=3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

echo "building (release)..." >&2
cargo build --release --quiet
cargo build --release --quiet --example bare_parse
bin="${CARGO_TARGET_DIR:-target}/release/clausecheck"
base="${CARGO_TARGET_DIR:-target}/release/examples/bare_parse"

# run NAME COMMAND...: wall seconds and peak RSS (KB) of one run, appended to $dir/runs.
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$dir/time" "$@" >/dev/null 2>/dev/null || true
  echo "$name $(tail -n 1 "$dir/time")" >> "$dir/runs"
}

# instructions NAME RECORDS COMMAND...: callgrind's count, appended to $dir/instructions.
instructions() {
  local name=$1 records=$2; shift 2
  local count
  # `check` exits 1 when some deployment is violated: that is a result, not a failure here.
  count=$( { valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "$@" 2>&1 >/dev/null || true; } | awk '/Collected/ {print $4}')
  echo "$name $records $count" >> "$dir/instructions"
}

: > "$dir/runs"; : > "$dir/instructions"
for n in "${sizes[@]}"; do
  echo "generating a plan of $n records..." >&2
  "$bin" generate plan --records "$n" --seed 7 > "$dir/plan-$n.ndjson"
  for r in $(seq "$repeats"); do
    echo "  round $r of $repeats at $n records" >&2
    run "baseline/$n" "$base" "$dir/plan-$n.ndjson"
    run "ndjson-only-violated/$n" "$bin" check --jobs 1 --format ndjson --only violated --output "$dir/out" "$dir/plan-$n.ndjson"
    run "json/$n" "$bin" check --jobs 1 --format json --output "$dir/out" "$dir/plan-$n.ndjson"
    run "json-null/$n" "$bin" check --jobs 1 --format json --output /dev/null "$dir/plan-$n.ndjson"
    run "text/$n" "$bin" check --jobs 1 --format text --output "$dir/out" "$dir/plan-$n.ndjson"
    run "ndjson-only-violated-2jobs/$n" "$bin" check --jobs 2 --format ndjson --only violated --output "$dir/out" "$dir/plan-$n.ndjson"
  done
  # Only the smallest plan is kept (for the callgrind runs): the largest is a gigabyte.
  [ "$n" = "${sizes[0]}" ] || rm -f "$dir/plan-$n.ndjson"
done

echo "counting instructions at 50k records (callgrind)..." >&2
head -n 50000 "$dir/plan-${sizes[0]}.ndjson" > "$dir/plan-50k.ndjson"
instructions baseline 50000 "$base" "$dir/plan-50k.ndjson"
instructions ndjson-only-violated 50000 "$bin" check --jobs 1 --format ndjson --only violated --output /dev/null "$dir/plan-50k.ndjson"
instructions json 50000 "$bin" check --jobs 1 --format json --output /dev/null "$dir/plan-50k.ndjson"
instructions text 50000 "$bin" check --jobs 1 --format text --output /dev/null "$dir/plan-50k.ndjson"
instructions bundled-quiet 50000 "$bin" check --jobs 1 --quiet "$dir/plan-50k.ndjson"
"$bin" generate rules --clauses 1000 --agreements 10 > "$dir/rules-1k.terms"
"$bin" generate plan --rules "$dir/rules-1k.terms" --records 50000 --seed 7 > "$dir/plan-1k-50k.ndjson"
instructions clauses-1000-quiet 50000 "$bin" check --jobs 1 --quiet --rules "$dir/rules-1k.terms" "$dir/plan-1k-50k.ndjson"

echo "loading rule sets and one-record checks..." >&2
"$bin" generate rules --clauses 10000 --agreements 100 > "$dir/rules-10k.terms"
"$bin" generate plan --rules "$dir/rules-10k.terms" --records 1 > "$dir/one-10k.ndjson"
"$bin" generate plan --records 1 > "$dir/one.ndjson"
for r in 1 2 3 4 5; do
  run "load-10000-clauses" "$bin" check --quiet --rules "$dir/rules-10k.terms" "$dir/one-10k.ndjson"
  run "one-record" "$bin" check --quiet "$dir/one.ndjson"
done

python3 - "$dir/runs" "$dir/instructions" "${sizes[*]}" <<'PY'
import statistics, sys, platform, os
runs, instr, sizes = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3].split()]
wall, rss = {}, {}
for line in open(runs):
    parts = line.split()
    if len(parts) != 3:
        continue
    name, seconds, kb = parts
    wall.setdefault(name, []).append(float(seconds))
    rss.setdefault(name, []).append(int(kb))
med = lambda name: statistics.median(wall[name])
peak = lambda name: max(rss[name]) / 1024
ins = {}
for line in open(instr):
    name, records, count = line.split()
    ins[name] = int(count.replace(",", "")) / int(records)

print(f"machine: {os.cpu_count()} cores, {platform.machine()}, {platform.platform()}")
print(f"runs: median of the interleaved rounds; records/s on one core unless said\n")
print(f"{'format':28} {'records':>10} {'records/s':>12} {'× baseline':>11} {'peak RSS':>10} {'µs/record':>10}")
for n in sizes:
    b = med(f"baseline/{n}")
    for name in ["baseline", "ndjson-only-violated", "json", "json-null", "text", "ndjson-only-violated-2jobs"]:
        key = f"{name}/{n}"
        t = med(key)
        print(f"{name:28} {n:>10,} {n / t:>12,.0f} {t / b:>10.2f}x {peak(key):>8.1f} MB {t / n * 1e6:>10.3f}")
    print()

def verdict(ok):
    return "met" if ok else "MISSED"

small, large = sizes[0], sizes[-1]
b_ins = ins["baseline"]
rows = []
r = ins["ndjson-only-violated"] / b_ins
rows.append(("ndjson --only violated, one core, instructions", "≤ 1.5× baseline", f"{r:.2f}×", verdict(r <= 1.5)))
r = med(f"ndjson-only-violated/{large}") / med(f"baseline/{large}")
rows.append((f"ndjson --only violated, one core, wall time at {large:,}", "≤ 1.5× baseline", f"{r:.2f}×", verdict(r <= 1.5)))
r = med(f"ndjson-only-violated/{large}") / med(f"ndjson-only-violated-2jobs/{large}")
rows.append((f"--jobs 2 speed-up at {large:,}", "≥ 1.7×", f"{r:.2f}×", verdict(r >= 1.7)))
v = large / med(f"json/{large}")
rows.append((f"--format json to a file, records/s at {large:,}", "≥ 400,000", f"{v:,.0f}", verdict(v >= 400_000)))
v = large / med(f"json-null/{large}")
rows.append((f"--format json to /dev/null, records/s at {large:,}", "≥ 400,000", f"{v:,.0f}", verdict(v >= 400_000)))
v = large / med(f"text/{large}")
rows.append((f"--format text, records/s at {large:,}", "≥ 600,000", f"{v:,.0f}", verdict(v >= 600_000)))
for name in ["ndjson-only-violated", "json"]:
    m = peak(f"{name}/{large}")
    rows.append((f"peak RSS, {name} at {large:,}", "≤ 64 MB at 10M", f"{m:.1f} MB", verdict(m <= 64)))
per_small = med(f"ndjson-only-violated/{small}") / small
per_large = med(f"ndjson-only-violated/{large}") / large
r = per_large / per_small
rows.append((f"µs/record at {large:,} vs {small:,}", "within 10 %", f"{(r - 1) * 100:+.1f} %", verdict(abs(r - 1) <= 0.10)))
r = ins["clauses-1000-quiet"] / ins["bundled-quiet"]
rows.append(("per-record cost, 1,000 clauses vs bundled (instructions)", "≤ 3×", f"{r:.2f}×", verdict(r <= 3)))
t = statistics.median(wall["load-10000-clauses"]) * 1000
rows.append(("10,000 clauses loaded and a record checked", "< 100 ms", f"{t:.0f} ms", verdict(t < 100)))
t = statistics.median(wall["one-record"]) * 1000
rows.append(("one-record check, bundled rules", "< 3 ms", f"{t:.0f} ms", verdict(t < 3)))

print("instructions per record at 50,000 records (callgrind):")
for name, v in ins.items():
    print(f"  {name:24} {v:>10,.0f}")
print()
print(f"{'target':60} {'wanted':>16} {'measured':>12}  result")
for what, want, got, ok in rows:
    print(f"{what:60} {want:>16} {got:>12}  {ok}")
PY

echo
echo "lint's exact analysis (scripts/bench-lint.sh):"
scripts/bench-lint.sh
