//! `cargo bench`: check time next to parse-only time, for 1, 2, 10, 100 and 1000 upstreams,
//! in YAML and JSON. Parse-only (text → tree) is the floor every check pays; the target is a
//! check at most 3× its parse, at every size. Figures go to docs/PERFORMANCE.md.

mod common;

use common::{json, yaml, SIZES};
use divan::{black_box, Bencher};
use mcpauth_guard::parse::parse_text;
use mcpauth_guard::{check_text, Options, Profile};

/// The CLI's allocator (`src/bin/mcpauth-guard/main.rs`): the figures are the CLI's. Run with
/// `--no-default-features` to measure the system allocator.
#[cfg(feature = "cli")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

#[divan::bench(args = SIZES)]
fn parse_yaml(b: Bencher, n: usize) {
    let text = yaml(n);
    b.bench(|| parse_text(black_box(&text)).expect("parses"));
}

#[divan::bench(args = SIZES)]
fn check_yaml(b: Bencher, n: usize) {
    let text = yaml(n);
    let options = Options::default();
    b.bench(|| check_text("bench.yaml", black_box(&text), &options).expect("checks"));
}

#[divan::bench(args = SIZES)]
fn parse_json(b: Bencher, n: usize) {
    let text = json(n);
    b.bench(|| parse_text(black_box(&text)).expect("parses"));
}

#[divan::bench(args = SIZES)]
fn check_json(b: Bencher, n: usize) {
    let text = json(n);
    let options = Options::default();
    b.bench(|| check_text("bench.json", black_box(&text), &options).expect("checks"));
}

/// The two-upstream example (target: under 25 µs) under every profile, each in its own shapes:
/// `examples/` is written for the default profile, `examples/v0.13/` for v0.13.
#[divan::bench(args = Profile::ALL)]
fn check_example_multi_upstream(b: Bencher, profile: Profile) {
    let text = match profile {
        Profile::V0_13 => include_str!("../examples/v0.13/multi-upstream.yaml"),
        Profile::P2026_08 => include_str!("../examples/multi-upstream.yaml"),
    };
    let options = Options {
        profile,
        ..Options::default()
    };
    b.bench(|| check_text("multi-upstream.yaml", black_box(text), &options).expect("checks"));
}

/// Parse-only time of the same example: the floor of its check.
#[divan::bench]
fn parse_example_multi_upstream(b: Bencher) {
    let text = include_str!("../examples/multi-upstream.yaml");
    b.bench(|| parse_text(black_box(text)).expect("parses"));
}
