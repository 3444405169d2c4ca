#!/usr/bin/env bash
# Work counted, not timed: the instructions, simulated cache misses and
# mispredicted branches of the floor (a plain calamine read of every cell,
# as in `cargo bench --bench scale`), `juesuan ingest` and `juesuan run` on
# one folder of workbooks, under callgrind with one rayon thread. The counts
# repeat to the last digit from run to run, where wall times on the 2-core
# machines vary by 20-50 % within an hour, so a change's effect shows here
# even when the scale benchmark cannot tell it from noise. They are not
# times: a cache miss or a page fault costs far more than an instruction,
# and the kernel's work (page faults, reading files) is not counted at all.
#
#   bash benches/instructions.sh [FOLDER]   (default: sample_data/corpus)
#
# Needs valgrind; builds in release (CARGO_TARGET_DIR is honoured).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-sample_data/corpus}"
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }

cargo build -q --release --bin juesuan
target_dir="${CARGO_TARGET_DIR:-target}"
juesuan="$target_dir/release/juesuan"
floor=$(cargo bench -q --bench scale --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
[ -x "$floor" ] || { echo "could not find the scale benchmark's executable" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints "instructions D1-misses LL-data-misses mispredicts" of one command.
count() {
  local name=$1
  shift
  # One thread: the floor's (rayon's global pool) and juesuan's (Polars' pool, src/pool.rs).
  RAYON_NUM_THREADS=1 POLARS_MAX_THREADS=1 valgrind --tool=callgrind --cache-sim=yes --branch-sim=yes \
    --callgrind-out-file="$work/$name.callgrind" "$@" >"$work/$name.log" 2>&1 || true
  # A command that reports problems exits 1 and has still done its work;
  # one that did not finish has no totals.
  grep -q 'Collected :' "$work/$name.log" || { tail -n 20 "$work/$name.log" >&2; exit 1; }
  # Events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim
  sed -n 's/.*Collected : //p' "$work/$name.log" |
    awk '{ print $1, $5 + $6, $8 + $9, $11 + $13 }'
}

echo "corpus: $corpus ($(find "$corpus" -type f -name '*.xls*' | wc -l) workbooks)"
floor_counts=$(count floor "$floor" --floor "$corpus")
ingest_counts=$(count ingest "$juesuan" ingest "$corpus" --out "$work/ingest" -q)
run_counts=$(count run "$juesuan" run "$corpus" --out "$work/run" -q)
printf '%s\n%s\n%s\n' "floor $floor_counts" "ingest $ingest_counts" "run $run_counts" | awk '
  NR == 1 { for (i = 2; i <= 5; i++) base[i] = $i }
  {
    printf "%-7s instructions %14s (%5.2fx)  D1 misses %11s (%5.2fx)  LL data misses %9s (%6.2fx)  mispredicts %11s (%5.2fx)\n",
      $1, $2, $2 / base[2], $3, $3 / base[3], $4, $4 / base[4], $5, $5 / base[5]
  }'
