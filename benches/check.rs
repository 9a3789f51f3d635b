//! `cargo bench`: check time next to parse-only time, for 1, 2, 10, 100 and 1000 upstreams,
//! in YAML and JSON. Parse-only (text → tree) is the floor every check pays; the target is a
//! check at most 3× its parse, at every size. Figures go to docs/PERFORMANCE.md.

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

const SIZES: &[usize] = &[1, 2, 10, 100, 1000];

/// A valid MCPExternalAuthConfig with `n` upstreams (alternating OIDC and OAuth2), as YAML.
fn yaml(n: usize) -> String {
    let mut s = String::from(
        "apiVersion: toolhive.stacklok.dev/v1beta1\nkind: MCPExternalAuthConfig\nmetadata:\n  name: bench\n  namespace: default\nspec:\n  type: embeddedAuthServer\n  embeddedAuthServer:\n    issuer: https://auth.example.com\n    signingKeySecretRefs:\n      - name: keys\n        key: current.pem\n    hmacSecretRefs:\n      - name: hmac\n        key: current\n    upstreamProviders:\n",
    );
    for i in 0..n {
        if i % 2 == 0 {
            s.push_str(&format!(
                "      - name: okta-{i}\n        type: oidc\n        oidcConfig:\n          issuerUrl: https://tenant-{i}.okta.com/oauth2/default\n          clientId: client-{i}\n          clientSecretRef:\n            name: okta-{i}\n            key: client-secret\n          redirectUri: https://mcp.example.com/oauth/callback\n          scopes: [openid, profile, email]\n"
            ));
        } else {
            s.push_str(&format!(
                "      - name: github-{i}\n        type: oauth2\n        oauth2Config:\n          authorizationEndpoint: https://github.com/login/oauth/authorize\n          tokenEndpoint: https://github.com/login/oauth/access_token\n          clientId: client-{i}\n          clientSecretRef:\n            name: github-{i}\n            key: client-secret\n          redirectUri: https://mcp.example.com/oauth/callback\n          userInfo:\n            endpointUrl: https://api.github.com/user\n"
            ));
        }
    }
    s
}

/// The same document as JSON.
fn json(n: usize) -> String {
    let doc = parse_text(&yaml(n))
        .expect("bench YAML parses")
        .remove(0)
        .root
        .to_json();
    serde_json::to_string_pretty(&doc).expect("serializes")
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
