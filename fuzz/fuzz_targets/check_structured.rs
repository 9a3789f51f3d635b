//! Structure-aware: documents shaped like ToolHive resources (keys drawn from the CRDs' field
//! names, values of every type), written as YAML and as JSON, and handed over already parsed.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mcpauth_guard::{check_text, check_values, ConsumerKind, Options, Profile};
use serde_json::{json, Map, Value};

const KEYS: &[&str] = &[
    "type", "embeddedAuthServer", "issuer", "upstreamProviders", "name", "oidcConfig", "oauth2Config",
    "issuerUrl", "clientId", "clientSecretRef", "key", "redirectUri", "scopes", "userInfo", "endpointUrl",
    "httpMethod", "authorizationEndpoint", "tokenEndpoint", "tokenResponseMapping", "accessTokenPath",
    "signingKeySecretRefs", "hmacSecretRefs", "tokenLifespans", "accessTokenLifespan", "storage", "redis",
    "sentinelConfig", "masterName", "sentinelAddrs", "sentinelService", "aclUserConfig", "usernameSecretRef",
    "passwordSecretRef", "tls", "caCertSecretRef", "awsSts", "region", "roleMappings", "sessionDuration",
    "tokenExchange", "bearerToken", "headerInjection", "externalAuthConfigRef", "resourceUrl", "delegateClients",
    "trustedIssuers", "dcrConfig", "authServerConfig", "upstreams", "oidc_config", "redirect_uri", "issuer_url",
];

const STRINGS: &[&str] = &[
    "embeddedAuthServer", "oidc", "oauth2", "default", "github", "Okta_Prod", "https://auth.example.com",
    "http://127.0.0.1:8080", "https://a/", "", "redis", "memory", "1h", "-1s", "GET", "PUT", "okta-prod",
    "\u{43e}kta", "a\nb", "https://x/cb#f", "awsSts", "us-east-1",
];

#[derive(Arbitrary, Debug)]
enum Tree {
    Null,
    Bool(bool),
    Int(i64),
    Str(u8),
    Raw(String),
    List(Vec<Tree>),
    Map(Vec<(u8, Tree)>),
}

fn to_json(t: &Tree, depth: usize) -> Value {
    if depth > 12 {
        return Value::Null;
    }
    match t {
        Tree::Null => Value::Null,
        Tree::Bool(b) => json!(b),
        Tree::Int(i) => json!(i),
        Tree::Str(i) => json!(STRINGS[usize::from(*i) % STRINGS.len()]),
        Tree::Raw(s) => json!(s),
        Tree::List(items) => Value::Array(items.iter().map(|i| to_json(i, depth + 1)).collect()),
        Tree::Map(entries) => {
            let mut m = Map::new();
            for (k, v) in entries {
                m.insert(KEYS[usize::from(*k) % KEYS.len()].to_owned(), to_json(v, depth + 1));
            }
            Value::Object(m)
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    kind: u8,
    spec: Tree,
    options: u8,
    /// Extra levels of nesting around the spec's first member (`wrap % 72`), so that both
    /// readers meet the 64-level limit.
    wrap: u8,
}

/// `value` under `levels` more mappings (`{"nested": {"nested": …}}`).
fn wrapped(value: Value, levels: usize) -> Value {
    (0..levels).fold(value, |v, _| json!({ "nested": v }))
}

fuzz_target!(|input: Input| {
    let kinds = [
        ("toolhive.stacklok.dev/v1alpha1", "MCPExternalAuthConfig"),
        ("toolhive.stacklok.dev/v1beta1", "MCPExternalAuthConfig"),
        ("toolhive.stacklok.dev/v1alpha1", "MCPServer"),
        ("toolhive.stacklok.dev/v1alpha1", "VirtualMCPServer"),
    ];
    let spec = match to_json(&input.spec, 0) {
        Value::Object(mut m) if !input.wrap.is_multiple_of(72) => {
            if let Some((k, v)) = m.iter_mut().next() {
                let deep = wrapped(v.take(), usize::from(input.wrap % 72));
                let k = k.clone();
                m.insert(k, deep);
            }
            Value::Object(m)
        }
        other => other,
    };
    let doc = if input.kind % 5 == 4 {
        // A run config: the tree itself at the top.
        match spec {
            Value::Object(mut m) => {
                m.entry("schema_version").or_insert(json!("v0.1.0"));
                Value::Object(m)
            }
            other => json!({ "schema_version": "v0.1.0", "upstreams": other }),
        }
    } else {
        let (api, kind) = kinds[usize::from(input.kind % 4)];
        json!({ "apiVersion": api, "kind": kind, "metadata": { "name": "fuzz", "namespace": "ns" }, "spec": spec })
    };
    let options = Options {
        profile: Profile::ALL[usize::from(input.options & 1)],
        consumer: [None, Some(ConsumerKind::McpServer), Some(ConsumerKind::McpRemoteProxy)]
            [usize::from(input.options >> 1) % 3],
        ..Options::default()
    };
    let from_value = check_values(std::slice::from_ref(&doc), &options);
    let text = serde_json::to_string_pretty(&doc).expect("json");
    let from_text = check_text("fuzz.json", &text, &options);
    // Reading JSON text and handing over the parsed value give the same verdict and rule ids,
    // or the same refusal (nesting past the limit).
    assert_eq!(from_value.is_ok(), from_text.is_ok(), "{text}");
    if let (Ok(a), Ok(b)) = (from_value, from_text) {
        let ids = |r: &mcpauth_guard::Report| -> Vec<(String, String)> {
            let mut v: Vec<_> = r.documents[0].diagnostics.iter().map(|d| (d.rule.clone(), d.path.clone())).collect();
            v.sort();
            v
        };
        assert_eq!(a.documents[0].valid, b.documents[0].valid, "{text}");
        assert_eq!(ids(&a), ids(&b), "{text}");
    }
});
