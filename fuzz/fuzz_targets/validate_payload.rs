//! The Kubewarden policy's `validate` payload, natively through the policy's logic
//! (`mcpauth_guard_policy_logic::evaluate`, what the waPC guest calls). The first byte selects:
//! even — the rest is the raw payload (seeded with the AdmissionReview fixtures); odd — the rest
//! builds, with `arbitrary`, an AdmissionReview-like payload carrying an object of one of the four
//! kinds (or not an object), settings, and what the fake cluster answers for a reference.
//! Whatever the input: no panic; a guest error or a well-formed verdict (a rejection is a 400
//! with a bounded message); and a secret value is never repeated in the verdict or the logs.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use mcpauth_guard_policy_logic::{evaluate, verdict};
use serde_json::{json, Map, Value};

/// A value that only ever appears under a secret-named key in the structured mode.
const MARKER: &str = "mArK3r-5ecret-d0-n0t-ech0";

const KEYS: &[&str] = &[
    "type",
    "embeddedAuthServer",
    "issuer",
    "upstreamProviders",
    "name",
    "oidcConfig",
    "oauth2Config",
    "issuerUrl",
    "clientId",
    "clientSecret",
    "clientSecretRef",
    "key",
    "redirectUri",
    "scopes",
    "userInfo",
    "endpointUrl",
    "authorizationEndpoint",
    "tokenEndpoint",
    "signingKeySecretRefs",
    "hmacSecretRefs",
    "storage",
    "redis",
    "tls",
    "insecureSkipVerify",
    "insecureAllowHTTP",
    "awsSts",
    "region",
    "sessionDuration",
    "tokenExchange",
    "headerInjection",
    "externalAuthConfigRef",
    "resourceUrl",
    "trustedIssuers",
    "dcrConfig",
    "discoveryUrl",
    "authServerConfig",
    "incomingAuth",
    "inline",
    "replicas",
    "password",
    "token",
    "additionalHeaders",
    "metadata",
    "namespace",
    "spec",
    "kind",
    "apiVersion",
    "image",
    "audience",
];

const STRINGS: &[&str] = &[
    "embeddedAuthServer",
    "oidc",
    "oauth2",
    "inline",
    "default",
    "github",
    "Okta_Prod",
    "okta-auth",
    "https://auth.example.com",
    "http://127.0.0.1:8080",
    "https://acme.okta.com",
    "https://a/",
    "",
    "redis",
    "memory",
    "1h",
    "okta-prod",
    "\u{43e}kta",
    "a\nb",
    "awsSts",
    "us-east-1",
    "mcp",
    "cfg",
    MARKER,
    "toolhive.stacklok.dev/v1alpha1",
    "toolhive.stacklok.dev/v1beta1",
    "MCPExternalAuthConfig",
];

const SETTING_VALUES: &[&str] = &[
    "v0.13",
    "2026-08",
    "admission",
    "reconcile",
    "build",
    "startup",
    "consumer",
    "advice",
    "policy",
    "github.com",
    "*.okta.com",
    "oidc",
    "oauth2",
    "https://github.com/",
];

#[derive(Arbitrary, Debug)]
enum Tree {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(u8),
    Raw(String),
    List(Vec<Tree>),
    Map(Vec<(u8, Tree)>),
}

fn to_json(t: &Tree, depth: usize, strings: &[&str]) -> Value {
    if depth > 16 {
        return Value::Null;
    }
    match t {
        Tree::Null => Value::Null,
        Tree::Bool(b) => json!(b),
        Tree::Int(i) => json!(i),
        Tree::Float(f) => json!(f),
        Tree::Str(i) => json!(strings[usize::from(*i) % strings.len()]),
        // The marker (or its start) may only come from `Str`, so that the secret check below
        // knows where it is.
        Tree::Raw(s) => {
            let mut s = s.clone();
            while s.contains("mArK3r") {
                s = s.replace("mArK3r", "");
            }
            json!(s)
        }
        Tree::List(items) => Value::Array(
            items
                .iter()
                .map(|i| to_json(i, depth + 1, strings))
                .collect(),
        ),
        Tree::Map(entries) => {
            let mut m = Map::new();
            for (k, v) in entries {
                m.insert(
                    KEYS[usize::from(*k) % KEYS.len()].to_owned(),
                    to_json(v, depth + 1, strings),
                );
            }
            Value::Object(m)
        }
    }
}

/// Keeps the marker only where the policy knows it is a secret: as the string value of a key
/// whose name says secret. Everywhere else it becomes `x`.
fn scrub(v: &mut Value, secret_key: bool) {
    match v {
        Value::String(s) if s == MARKER && !secret_key => *s = "x".into(),
        Value::Array(items) => items.iter_mut().for_each(|i| scrub(i, false)),
        Value::Object(m) => {
            for (k, v) in m.iter_mut() {
                scrub(v, k.to_ascii_lowercase().contains("secret"));
            }
        }
        _ => {}
    }
}

/// Names for namespaces and references (never the marker).
const NAMES: &[&str] = &[
    "",
    "default",
    "mcp",
    "cfg",
    "okta-auth",
    "github-and-okta",
    "Bad_Name",
    "a/b",
];

#[derive(Arbitrary, Debug)]
struct Input {
    operation: u8,
    kind: u8,
    version: u8,
    namespace: Option<u8>,
    /// The object: `spec` under a proper header, or (odd `shape`) the tree itself.
    shape: u8,
    spec: Tree,
    reference: Option<u8>,
    settings: Option<Vec<(u8, Tree)>>,
    /// What the fake cluster answers for a referenced config: `None` = not found.
    referenced: Option<Tree>,
}

const KINDS: [(&str, &str); 6] = [
    ("MCPExternalAuthConfig", "mcpexternalauthconfigs"),
    ("MCPServer", "mcpservers"),
    ("MCPRemoteProxy", "mcpremoteproxies"),
    ("VirtualMCPServer", "virtualmcpservers"),
    ("ConfigMap", "configmaps"),
    ("MCPServer", ""),
];

fn payload(input: &Input) -> Value {
    let (kind, resource) = KINDS[usize::from(input.kind) % KINDS.len()];
    let version = ["v1alpha1", "v1beta1", "", "v9"][usize::from(input.version) % 4];
    let group = if input.kind >= 128 {
        ""
    } else {
        "toolhive.stacklok.dev"
    };
    let operation = ["CREATE", "UPDATE", "DELETE", "CONNECT", ""][usize::from(input.operation) % 5];
    let namespace = input.namespace.map(|n| NAMES[usize::from(n) % NAMES.len()]);
    let mut spec = to_json(&input.spec, 0, STRINGS);
    scrub(&mut spec, false);
    let mut object = if input.shape % 2 == 1 {
        spec
    } else {
        json!({"apiVersion": format!("{group}/{version}"), "kind": kind, "metadata": {"name": "fuzz"}, "spec": spec})
    };
    if let (Some(r), Some(spec)) = (
        input.reference,
        object.get_mut("spec").and_then(Value::as_object_mut),
    ) {
        spec.insert(
            "externalAuthConfigRef".into(),
            json!({"name": NAMES[usize::from(r) % NAMES.len()]}),
        );
    }
    if let (Some(ns), Some(meta)) = (
        namespace,
        object.get_mut("metadata").and_then(Value::as_object_mut),
    ) {
        if input.shape & 2 == 2 {
            meta.insert("namespace".into(), json!(ns));
        }
    }
    let settings = match &input.settings {
        None => Value::Null,
        Some(entries) => {
            let mut m = Map::new();
            for (k, v) in entries {
                let key = mcpauth_guard_policy_logic::settings::KNOWN
                    [usize::from(*k) % mcpauth_guard_policy_logic::settings::KNOWN.len()];
                m.insert(key.to_owned(), to_json(v, 0, SETTING_VALUES));
            }
            Value::Object(m)
        }
    };
    json!({
        "request": {
            "uid": "fuzz",
            "kind": {"group": group, "version": version, "kind": kind},
            "resource": {"group": group, "version": version, "resource": resource},
            "namespace": namespace.unwrap_or(""),
            "operation": operation,
            "object": object,
        },
        "settings": settings,
    })
}

fn run(raw: &[u8], referenced: Option<Value>, marker_is_secret: bool) {
    let logs = std::cell::RefCell::new(Vec::<String>::new());
    let cluster =
        |api_version: &str, kind: &str, name: &str, namespace: &str| -> Result<Value, String> {
            assert_eq!(kind, "MCPExternalAuthConfig");
            assert!(
                api_version.starts_with("toolhive.stacklok.dev/"),
                "{api_version}"
            );
            match &referenced {
                Some(Value::Object(_)) => {
                    let mut c = referenced.clone().unwrap();
                    c["metadata"] = json!({"name": name, "namespace": namespace});
                    Ok(c)
                }
                Some(other) => Ok(other.clone()),
                None => Err(format!(
                    "MCPExternalAuthConfig {namespace}/{name} not found"
                )),
            }
        };
    let result = evaluate(raw, &cluster, &|m: &str| {
        logs.borrow_mut().push(m.to_owned())
    });
    let logs = logs.into_inner();
    let Ok(v) = result else { return };
    let out = serde_json::to_string(&v).expect("the verdict serializes");
    assert_eq!(v.accepted, v.code.is_none(), "{out}");
    if !v.accepted {
        assert_eq!(v.code, Some(400));
        let m = v.message.as_deref().expect("a rejection has a message");
        assert!(m.contains("problem"), "{m}");
        assert!(
            m.len() <= verdict::MAX_MESSAGE + 2 * verdict::MAX_MESSAGE / 4 + 64,
            "{}",
            m.len()
        );
    }
    if let Some(w) = &v.warnings {
        assert!(!w.is_empty() && w.len() <= verdict::MAX_WARNINGS, "{w:?}");
        assert!(
            w.iter().all(|w| w.len() <= verdict::MAX_WARNING_LEN),
            "{w:?}"
        );
    }
    for a in v.audit_annotations.iter().flat_map(|a| a.values()) {
        assert!(a.len() <= verdict::MAX_AUDIT, "{}", a.len());
    }
    if marker_is_secret {
        assert!(!out.contains(MARKER), "the secret leaked: {out}");
        assert!(
            !out.contains(&MARKER[..12]),
            "part of the secret leaked: {out}"
        );
        assert!(
            logs.iter().all(|l| !l.contains(MARKER)),
            "the secret leaked into the log: {logs:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    if selector % 2 == 0 {
        // Raw: the cluster knows nothing (or answers with the selector's choice).
        let referenced =
            (selector & 2 == 2).then(|| json!({"spec": {"type": "embeddedAuthServer"}}));
        run(rest, referenced, false);
        return;
    }
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(rest)) else {
        return;
    };
    let p = payload(&input);
    let referenced = input.referenced.as_ref().map(|t| {
        let mut spec = to_json(t, 0, STRINGS);
        scrub(&mut spec, false);
        if input.shape & 4 == 4 {
            spec
        } else {
            json!({"apiVersion": "toolhive.stacklok.dev/v1alpha1", "kind": "MCPExternalAuthConfig", "spec": spec})
        }
    });
    // The marker is only ever placed under a secret-named key (see `to_json`).
    let raw = serde_json::to_vec(&p).expect("json");
    run(&raw, referenced, true);
});
