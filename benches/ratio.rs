//! `cargo bench --bench ratio`: check time over parse-only time, measured in pairs.
//!
//! This machine's wall clock drifts between fast and slow phases lasting seconds, so a check
//! median and a parse median taken a minute apart (as `--bench check` does) can disagree by
//! 50 % about their ratio. Here every round times a batch of parses and then a batch of checks
//! of the same document back to back, a few milliseconds apart; the round's ratio compares
//! two batches that saw the same machine. Reported: the median over rounds of the per-round
//! ratio, with the median per-document times, and the ratio of the fastest batches. Both
//! sides free what they built (the parse its tree, the check its tree and report), so the
//! parse is the whole cost of reading a document the check builds on.
//!
//! Usage: `cargo bench -p mcpauth-guard --bench ratio [-- ROUNDS]` (default 400 rounds).

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use common::{json, yaml, SIZES};
use mcpauth_guard::parse::parse_text;
use mcpauth_guard::{check_text, Options};

/// The CLI's allocator, as in the `check` bench.
#[cfg(feature = "cli")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long one batch runs, at least: long enough for the timer, short enough that both
/// batches of a round see the same machine.
const BATCH: Duration = Duration::from_micros(500);

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(400);
    let options = Options::default();
    println!("{rounds} paired rounds per row; times are medians per document\n");
    println!("| upstreams | format | parse | check | check / parse (median of rounds) | fastest check / fastest parse |");
    println!("|---:|---|---:|---:|---:|---:|");
    for &n in SIZES {
        for (format, text) in [("YAML", yaml(n)), ("JSON", json(n))] {
            let per_batch = batch_size(|| drop(black_box(parse_text(black_box(&text)))));
            let mut parse = Vec::with_capacity(rounds);
            let mut check = Vec::with_capacity(rounds);
            for _ in 0..rounds {
                parse.push(time(per_batch, || {
                    drop(black_box(parse_text(black_box(&text))))
                }));
                check.push(time(per_batch, || {
                    drop(black_box(check_text("bench", black_box(&text), &options)))
                }));
            }
            let mut ratios: Vec<f64> = check.iter().zip(&parse).map(|(c, p)| c / p).collect();
            let fastest = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
            println!(
                "| {n} | {format} | {} | {} | {:.2} | {:.2} |",
                show(median(&mut parse)),
                show(median(&mut check)),
                median(&mut ratios),
                fastest(&check) / fastest(&parse),
            );
        }
    }
}

/// Iterations of `f` that take at least [`BATCH`].
fn batch_size(mut f: impl FnMut()) -> u32 {
    let start = Instant::now();
    let mut n = 0;
    while start.elapsed() < BATCH {
        f();
        n += 1;
    }
    n.max(1)
}

/// Seconds per iteration of `f` over a batch of `n`.
fn time(n: u32, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_secs_f64() / f64::from(n)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn show(seconds: f64) -> String {
    if seconds < 1e-3 {
        format!("{:.2} µs", seconds * 1e6)
    } else {
        format!("{:.2} ms", seconds * 1e3)
    }
}
