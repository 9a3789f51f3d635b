//! Per-request cost of the policy in the policy-server model (fresh instance from the
//! pre-instance + `wapc_init` + `validate`, 2 s epoch deadline), next to the accept-all
//! baseline policy in the same host.
//!
//! `cargo run --release -p mcpauth-guard-policy-host --example bench [-- --write docs/PERFORMANCE.md]`
//! (after scripts/build-policy.sh). With `--write`, the "## Kubewarden policy" section of the
//! file is replaced (other sections are kept).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mcpauth_guard_policy_host::{review, ClusterState, PolicyHost};
use serde_json::{json, Value};

fn policy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn read_json(rel: &str) -> Value {
    let p = policy_dir().join("tests/fixtures").join(rel);
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

/// Timing summary of one case, in microseconds.
struct Stats {
    median: f64,
    p95: f64,
    mean: f64,
}

fn summarise(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let n = samples.len();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    Stats {
        median: us(samples[n / 2]),
        p95: us(samples[n * 95 / 100]),
        mean: samples.iter().map(|d| us(*d)).sum::<f64>() / n as f64,
    }
}

fn measure(n: usize, mut f: impl FnMut()) -> Stats {
    for _ in 0..20 {
        f();
    }
    summarise(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn hundred_upstreams(two: &Value) -> Value {
    let mut config = two.clone();
    let ups = config["spec"]["embeddedAuthServer"]["upstreamProviders"]
        .as_array()
        .unwrap()
        .clone();
    let many: Vec<Value> = (0..100)
        .map(|i| {
            let mut u = ups[i % ups.len()].clone();
            u["name"] = json!(format!("upstream-{i}"));
            u
        })
        .collect();
    config["spec"]["embeddedAuthServer"]["upstreamProviders"] = Value::Array(many);
    config
}

fn main() {
    let write = std::env::args().skip_while(|a| a != "--write").nth(1);
    let dir = policy_dir();
    let policy_bytes = std::fs::read(dir.join("annotated-policy.wasm"))
        .expect("run scripts/build-policy.sh first");
    let accept_bytes =
        std::fs::read(dir.join("accept-all.wasm")).expect("run scripts/build-policy.sh first");
    let raw_size = std::fs::metadata(dir.join("policy.wasm"))
        .map(|m| m.len())
        .unwrap_or(0);
    let Value::Array(objects) = read_json("cluster.json") else {
        panic!()
    };
    let cluster = ClusterState::with(objects);

    let t = Instant::now();
    let policy = PolicyHost::load(&policy_bytes, cluster.clone()).unwrap();
    let compile = t.elapsed();
    let accept = PolicyHost::load_unchecked(&accept_bytes, json!({}), ClusterState::new()).unwrap();

    let two = read_json("requests/config-two-upstreams-create.json")["request"].clone();
    let two_update = read_json("requests/config-two-upstreams-update.json")["request"].clone();
    let hundred =
        review::admission_review("CREATE", &hundred_upstreams(&two["object"]))["request"].clone();
    let consumer = read_json("requests/mcpserver-single-ref.json")["request"].clone();
    let broken = read_json("requests/config-broken-create.json")["request"].clone();
    let settings = json!({});
    for (name, req) in [
        ("two", &two),
        ("two, UPDATE", &two_update),
        ("hundred", &hundred),
        ("consumer", &consumer),
    ] {
        let r = policy.validate(req, &settings).unwrap().response;
        assert!(r.accepted, "{name}: {:?}", r.message);
    }
    assert!(
        !policy
            .validate(&broken, &settings)
            .unwrap()
            .response
            .accepted
    );

    // Interleaved rounds: every case runs once per round, so load from other processes on
    // the machine affects all cases alike and the ratios stay meaningful. Each round starts at
    // the next case: a request's time depends by several µs on which instance was torn down
    // just before it (docs/PERFORMANCE.md), so no case always follows the same one.
    let n = 1000;
    type Case<'a> = (&'static str, usize, Box<dyn Fn() + 'a>);
    let jobs: Vec<Case> = vec![
        (
            "accept-all, same 2-upstream request",
            1,
            Box::new(|| {
                accept.validate(&two, &settings).unwrap();
            }),
        ),
        (
            "MCPExternalAuthConfig, 2 upstreams (requests/config-two-upstreams-create.json)",
            1,
            Box::new(|| {
                policy.validate(&two, &settings).unwrap();
            }),
        ),
        (
            "MCPExternalAuthConfig, 2 upstreams, UPDATE: old object as large as the new (requests/config-two-upstreams-update.json)",
            1,
            Box::new(|| {
                policy.validate(&two_update, &settings).unwrap();
            }),
        ),
        (
            "MCPExternalAuthConfig, 100 upstreams",
            10,
            Box::new(|| {
                policy.validate(&hundred, &settings).unwrap();
            }),
        ),
        (
            "MCPServer + get_resource of its 1-upstream config",
            1,
            Box::new(|| {
                policy.validate(&consumer, &settings).unwrap();
            }),
        ),
        (
            "MCPExternalAuthConfig, broken twin (rejected, report annotated)",
            1,
            Box::new(|| {
                policy.validate(&broken, &settings).unwrap();
            }),
        ),
        (
            "fresh instance + `wapc_init` only: accept-all",
            1,
            Box::new(|| {
                let _ = accept.instance().unwrap();
            }),
        ),
        (
            "fresh instance + `wapc_init` only: policy",
            1,
            Box::new(|| {
                let _ = policy.instance().unwrap();
            }),
        ),
    ];
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); jobs.len()];
    for round in 0..n + 20 {
        for k in (0..jobs.len()).map(|i| (round + i) % jobs.len()) {
            let (_, every, job) = &jobs[k];
            if round % every != 0 {
                continue;
            }
            let t = Instant::now();
            job();
            if round >= 20 {
                samples[k].push(t.elapsed());
            }
        }
    }
    let stats: Vec<Stats> = samples.into_iter().map(summarise).collect();
    let base = &stats[0];
    let cases: Vec<(&str, &Stats)> = jobs
        .iter()
        .map(|j| j.0)
        .zip(stats.iter())
        .skip(1)
        .take(5)
        .collect();
    let (base_init, pol_init) = (&stats[6], &stats[7]);
    let native_two = {
        let obj = two["object"].clone();
        measure(n, || {
            mcpauth_guard::check_values(
                std::slice::from_ref(&obj),
                &mcpauth_guard::Options::default(),
            )
            .unwrap();
        })
    };

    // Where a request's time goes: the policy's fixed cost (a ConfigMap is read and accepted
    // untouched) and the 2-upstream validate on an instance that already ran it once (warm).
    let configmap = read_json("requests/configmap-create.json")["request"].clone();
    let fresh_configmap = measure(n, || {
        policy.validate(&configmap, &settings).unwrap();
    });
    // Each sample is the second call on its own fresh instance: the guest's allocator never
    // frees, so one instance called over and over would measure an ever-growing memory.
    let warm_two = {
        let payload = serde_json::to_vec(&json!({ "request": two, "settings": settings })).unwrap();
        summarise(
            (0..n)
                .map(|_| {
                    let instance = policy.instance().unwrap();
                    instance.call("validate", &payload).unwrap();
                    let t = Instant::now();
                    instance.call("validate", &payload).unwrap();
                    t.elapsed()
                })
                .collect(),
        )
    };

    let mut out = String::new();
    out.push_str("## Kubewarden policy\n\n");
    out.push_str(&format!(
        "Measured by `policy/host/examples/bench.rs` (`scripts/test-policy.sh --bench`): the policy-server 1.35 model — \
         `wapc` 2.1.0 + `wasmtime-provider` 2.19.0 (wasmtime 44), epoch interruption, a pre-instance, and per request a \
         fresh instance (`rehydrate` + `wapc_init`) and `validate` with a 2 s deadline — next to the accept-all waPC \
         policy (`policy/accept-all`) in the same host. {} interleaved rounds (every case once per round, each round starting at the next case; 100 upstreams every 10th round), \
         after 20 warm-up rounds; 2-core machine shared with other builds, times in µs.\n\n",
        n
    ));
    out.push_str(&format!(
        "* `policy.wasm`: {raw_size} bytes ({:.0} KB; target ≤ 400 KB); annotated: {} bytes; accept-all: {} bytes.\n",
        raw_size as f64 / 1024.0,
        policy_bytes.len(),
        accept_bytes.len()
    ));
    out.push_str(&format!(
        "* Module compilation (once per policy-server start): {:.0} ms.\n",
        compile.as_secs_f64() * 1e3
    ));
    out.push_str(&format!(
        "* Fresh instance + `wapc_init` alone: policy {:.1} µs, accept-all {:.1} µs (median).\n\n",
        pol_init.median, base_init.median
    ));
    out.push_str(
        "| request (fresh instance + validate) | median | p95 | mean | × accept-all (median) |\n",
    );
    out.push_str("| --- | ---: | ---: | ---: | ---: |\n");
    out.push_str(&format!(
        "| accept-all, same 2-upstream request | {:.1} | {:.1} | {:.1} | 1.00 |\n",
        base.median, base.p95, base.mean
    ));
    for (name, s) in cases {
        out.push_str(&format!(
            "| {name} | {:.1} | {:.1} | {:.1} | {:.2} |\n",
            s.median,
            s.p95,
            s.mean,
            s.median / base.median
        ));
    }
    out.push_str(&format!(
        "\nFor reference, the native core (`check_values`, no WebAssembly) on the 2-upstream object: {:.1} µs median.\n",
        native_two.median
    ));
    out.push_str(&format!(
        "\nWhere the policy's 2-upstream request goes (medians): fresh instance + `wapc_init` {:.1} µs; a ConfigMap \
         (read, not checked) on a fresh instance {:.1} µs; the 2-upstream `validate` alone on an instance that already \
         ran it once {:.1} µs.\n",
        pol_init.median, fresh_configmap.median, warm_two.median
    ));
    print!("{out}");

    if let Some(path) = write {
        let old = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Performance\n".to_owned());
        let new = replace_section(&old, &out);
        std::fs::write(&path, new).unwrap();
        eprintln!("wrote the \"## Kubewarden policy\" section of {path}");
    }
}

/// Replaces the generated part of the `## Kubewarden policy` section: the text between the
/// markers `<!-- policy-bench:start -->` and `<!-- policy-bench:end -->` when present (so
/// hand-written analysis around it stays), else the whole section (up to the next `## `
/// heading); appends the section when the file has none.
fn replace_section(doc: &str, section: &str) -> String {
    const HEAD: &str = "## Kubewarden policy";
    const START: &str = "<!-- policy-bench:start -->";
    const END: &str = "<!-- policy-bench:end -->";
    if let (Some(a), Some(b)) = (doc.find(START), doc.find(END)) {
        let body = section.strip_prefix(HEAD).unwrap_or(section).trim_start();
        return format!("{}{START}\n{body}{}", &doc[..a], &doc[b..]);
    }
    let Some(start) = doc.find(HEAD) else {
        let mut d = doc.trim_end().to_owned();
        d.push_str("\n\n");
        d.push_str(section);
        return d;
    };
    let rest = &doc[start + HEAD.len()..];
    let end = rest
        .find("\n## ")
        .map(|i| start + HEAD.len() + i + 1)
        .unwrap_or(doc.len());
    format!(
        "{}{}{}{}",
        &doc[..start],
        section,
        if end < doc.len() { "\n" } else { "" },
        &doc[end..]
    )
}
