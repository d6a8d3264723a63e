#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ one after another, each for a bounded time, on stable Rust
# (`-s none`: no sanitizer, which would need nightly), and prints one line of figures per target.
# One target by hand: cd fuzz && cargo fuzz run -s none TARGET corpus/TARGET seeds/TARGET -- -max_total_time=N
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (default: 60 seconds, every target)
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Each target's corpus grows in fuzz/corpus/TARGET
# (not committed) from the committed seeds in fuzz/seeds/TARGET; a crash is saved in
# fuzz/artifacts/TARGET and the run goes on with the next target; logs are in fuzz/logs/.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
# One build for the whole run, then each target's binary is run as `cargo fuzz run` runs it
# (the same flags): a source edited meanwhile does not send each target back to the compiler.
if ! cargo fuzz build -s none; then
  echo "fuzz: the targets do not build; nothing was run" >&2
  exit 2
fi
bin="target/$(rustc -vV | sed -n 's/^host: //p')/release"
mkdir -p logs
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "seeds/$t"
  start=$(date +%s)
  mkdir -p "artifacts/$t"
  "$bin/$t" -artifact_prefix="artifacts/$t/" -max_total_time="$seconds" -print_final_stats=1 \
    -timeout=60 -rss_limit_mb=4096 "corpus/$t" "seeds/$t" >"logs/$t.log" 2>&1
  rc=$?
  took=$(( $(date +%s) - start ))
  last=$(grep -E '^#[0-9]+' "logs/$t.log" | tail -1)
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$')
  cov=$(echo "$last" | grep -o 'cov: [0-9]*')
  ft=$(echo "$last" | grep -o 'ft: [0-9]*')
  corp=$(echo "$last" | grep -o 'corp: [0-9]*/[0-9A-Za-z]*')
  verdict=clean
  if [ "$rc" -ne 0 ]; then verdict="FAILED (exit $rc, see fuzz/logs/$t.log and fuzz/artifacts/$t)"; status=1; fi
  echo "$t: ${took}s, runs ${runs:-?}, ${rate:-?} exec/s, ${cov:-cov: ?}, ${ft:-ft: ?}, ${corp:-corp: ?}: $verdict"
done
exit "$status"
