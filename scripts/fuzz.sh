#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each (default 60: the CI smoke; use 900 for the
# 15-minute runs recorded in docs/RELIABILITY.md), seeded from the examples and the per-rule
# test vectors. Needs the nightly toolchain and cargo-fuzz (installed when missing).
#   scripts/fuzz.sh [SECONDS] [TARGET…]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(check_bytes check_structured)

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz

# Seeds: every example and every vector input (one file each), with a leading selector byte
# for check_bytes (profile and consumer).
seed_dir=fuzz/corpus/check_bytes
mkdir -p "$seed_dir" fuzz/corpus/check_structured
i=0
for f in examples/* examples/*/*; do
  [[ -f "$f" ]] || continue
  { printf '\x00'; cat "$f"; } > "$seed_dir/example-$(basename "$f")"
done
python3 -c "import yaml" 2>/dev/null || pip install --quiet pyyaml
python3 - "$seed_dir" <<'PY'
import pathlib, sys, yaml
out = pathlib.Path(sys.argv[1])
for f in sorted(pathlib.Path("tests/vectors").glob("*/*.yaml")):
    doc = yaml.safe_load(f.read_text())
    for n, case in enumerate(doc.get("cases", [])):
        (out / f"vector-{f.parent.name}-{f.stem}-{n}").write_bytes(b"\x02" + case["input"].encode())
PY

for t in "${TARGETS[@]}"; do
  echo "== fuzzing $t for ${SECONDS_PER_TARGET}s"
  # Keep libFuzzer's last status line (executions, coverage) and its final statistics.
  (cd fuzz && cargo +nightly fuzz run "$t" -- -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 \
      -timeout=5 -print_final_stats=1 2>&1 | grep -E '^#[0-9]+[[:space:]]+(DONE|pulse)|^stat::|^Done|ERROR|SUMMARY|panicked|deadly' | tail -n 12)
done
