#!/usr/bin/env bash
# Runs every fuzz target (check_bytes, check_structured: the core; validate_payload: the
# Kubewarden policy's logic; fast_reader: the fast YAML path against the full reader) for
# SECONDS seconds each (default 60: the CI smoke; use 900 for the 15-minute runs recorded in
# docs/RELIABILITY.md), seeded from the examples, the per-rule
# test vectors and the policy's AdmissionReview fixtures. Needs the nightly toolchain and
# cargo-fuzz (installed when missing).
#   scripts/fuzz.sh [SECONDS] [TARGET…]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(check_bytes check_structured validate_payload fast_reader)

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz

# Seeds: every example and every vector input (one file each, named after its path), with a
# leading selector byte for check_bytes: bit 0 the profile (0 v0.13, 1 2026-08, the index in
# Profile::ALL), the bits above it the consumer (0 none, 1 MCPServer, 2 VirtualMCPServer).
seed_dir=fuzz/corpus/check_bytes
mkdir -p "$seed_dir" fuzz/corpus/check_structured fuzz/corpus/validate_payload fuzz/corpus/fast_reader
for f in examples/* examples/*/*; do
  [[ -f "$f" ]] || continue
  selector='\x01'
  [[ "$f" == examples/v0.13/* ]] && selector='\x00'
  rel="${f#examples/}"
  { printf "$selector"; cat "$f"; } > "$seed_dir/example-${rel//\//-}"
done
python3 -c "import yaml" 2>/dev/null || pip install --quiet pyyaml
python3 - "$seed_dir" <<'PY'
import pathlib, sys, yaml
out = pathlib.Path(sys.argv[1])
profiles = {"v0.13": 0, "2026-08": 1}
consumers = {"mcpserver": 1, "mcpremoteproxy": 1, "virtualmcpserver": 2}
for f in sorted(pathlib.Path("tests/vectors").glob("*/*.yaml")):
    doc = yaml.safe_load(f.read_text())
    for n, case in enumerate(doc.get("cases", [])):
        consumer = consumers.get((case.get("options") or {}).get("consumer"), 0)
        selector = profiles[f.parent.name] | consumer << 1
        (out / f"vector-{f.parent.name}-{f.stem}-{n}").write_bytes(bytes([selector]) + case["input"].encode())
PY
# fast_reader: the same texts without the selector byte.
for f in "$seed_dir"/*; do tail -c +2 "$f" > "fuzz/corpus/fast_reader/$(basename "$f")"; done
# validate_payload: every AdmissionReview fixture of the policy as a raw validate payload
# (selector byte 0: the cluster knows nothing; 2: it answers with a config), with no settings
# and with the strict settings fixture.
python3 - fuzz/corpus/validate_payload <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
fixtures = pathlib.Path("policy/tests/fixtures")
strict = json.loads((fixtures / "settings/valid/strict.json").read_text())
for f in sorted(list((fixtures / "requests").glob("*.json")) + list((fixtures / "examples").glob("*.json"))):
    review = json.loads(f.read_text())
    for tag, settings in (("default", {}), ("strict", strict)):
        payload = json.dumps({"request": review["request"], "settings": settings}).encode()
        for selector in (b"\x00", b"\x02"):
            (out / f"{f.parent.name}-{f.stem}-{tag}-{selector[0]}").write_bytes(selector + payload)
PY

for t in "${TARGETS[@]}"; do
  echo "== fuzzing $t for ${SECONDS_PER_TARGET}s"
  # Keep libFuzzer's last status line (executions, coverage) and its final statistics.
  (cd fuzz && cargo +nightly fuzz run "$t" -- -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 \
      -timeout=5 -print_final_stats=1 2>&1 | grep -E '^#[0-9]+[[:space:]]+(DONE|pulse)|^stat::|^Done|ERROR|SUMMARY|panicked|deadly' | tail -n 12)
done
