# Sourced by scripts/build-web.sh and scripts/build-policy.sh: how the two shipped WebAssembly
# modules are compiled (docs/ARCHITECTURE.md, "Size of the WebAssembly builds").
#
#   wasm_cargo_setup <target>   chooses the toolchain and sets WASM_CARGO (the cargo command,
#                               an array), WASM_RUSTFLAGS and WASM_TARGET_DIR
#
# By default (WASM_STD=build-std) the standard library is rebuilt from source on the nightly
# toolchain with `-Cpanic=immediate-abort` and the std feature `optimize_for_size`: a panic
# traps at once instead of formatting a message, which removes core::fmt's panic machinery and
# every panic location string (−13 % raw on the npm module, −14 % on the policy). Installs
# what it needs (nightly, rust-src, the target); when that is impossible, or with
# WASM_STD=stable, it builds with the stable toolchain and the prebuilt std (same behaviour,
# larger module). WASM_NIGHTLY names the nightly toolchain (default `nightly`; measured with
# 1.97.0-nightly 2026-05-19).

wasm_cargo_setup() {
  local target=$1
  local base="${CARGO_TARGET_DIR:-target}"
  WASM_CARGO=(cargo build)
  WASM_RUSTFLAGS="${RUSTFLAGS:-}"
  WASM_TARGET_DIR="$base"
  WASM_STD_USED=stable
  [[ "${WASM_STD:-build-std}" == stable ]] && return 0

  local tc="${WASM_NIGHTLY:-nightly}"
  if ! rustup run "$tc" rustc -V >/dev/null 2>&1; then
    echo "wasm-cargo: installing the $tc toolchain (minimal profile)"
    rustup toolchain install "$tc" --profile minimal >/dev/null 2>&1 || true
  fi
  if ! rustup run "$tc" rustc -V >/dev/null 2>&1 ||
    ! rustup component add rust-src --toolchain "$tc" >/dev/null 2>&1; then
    echo "wasm-cargo: WARNING: no $tc toolchain with rust-src; building with stable std (larger module)" >&2
    return 0
  fi
  # -Cpanic=immediate-abort replaced the std feature `panic_immediate_abort` in 2025; it needs
  # -Zunstable-options and a std built with it (-Zbuild-std).
  # --cfg mcpauth_std_from_source: the policy then answers libc's malloc with its own allocator
  # (policy/src/lib.rs, `libc_alloc`), which the prebuilt std of the stable fallback does not allow.
  WASM_RUSTFLAGS="${WASM_RUSTFLAGS:+$WASM_RUSTFLAGS }-Zunstable-options -Cpanic=immediate-abort --cfg mcpauth_std_from_source"
  if [[ "$target" == wasm32-wasip1 ]]; then
    # std on WASI links wasi-libc (libc.a), which comes with the target's rust-std component,
    # not with rust-src. Use the nightly one when it can be installed, else the stable
    # toolchain's copy (the same wasi-libc release; the link fails if a symbol is missing).
    local sysroot
    sysroot=$(rustup run "$tc" rustc --print sysroot)
    if [[ ! -f "$sysroot/lib/rustlib/$target/lib/self-contained/libc.a" ]]; then
      rustup target add --toolchain "$tc" "$target" >/dev/null 2>&1 || true
    fi
    if [[ ! -f "$sysroot/lib/rustlib/$target/lib/self-contained/libc.a" ]]; then
      rustup target list --installed | grep -qx "$target" || rustup target add "$target"
      local stable_sc
      stable_sc="$(rustc --print sysroot)/lib/rustlib/$target/lib/self-contained"
      if [[ ! -f "$stable_sc/libc.a" ]]; then
        echo "wasm-cargo: WARNING: no wasi-libc for $target; building with stable std (larger module)" >&2
        WASM_RUSTFLAGS="${RUSTFLAGS:-}"
        return 0
      fi
      echo "wasm-cargo: $tc has no $target component here; linking the stable toolchain's wasi-libc"
      WASM_RUSTFLAGS="$WASM_RUSTFLAGS -L native=$stable_sc"
    fi
  fi
  WASM_CARGO=(cargo "+$tc" build -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size)
  # Its own target directory: the tests build the same crates for the same targets with the
  # stable toolchain, and sharing one directory would make each rebuild the other.
  WASM_TARGET_DIR="$base/build-std"
  WASM_STD_USED="build-std ($(rustup run "$tc" rustc -V | awk '{print $2, $4}' | tr -d ')'))"
}
