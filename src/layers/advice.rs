//! Advice: accepted by ToolHive, but risky or surprising — and the operator's silent choices
//! (ignored blocks, public clients) made visible.

use crate::derive::env::active_config_of;
use crate::parse::{AmbiguousScalar, KubectlReading, Yaml12Reading};
use crate::path::Path;
use crate::sink::Sink;
use crate::tree::{Node, Span, Value};

/// Advice on an admitted embedded auth server config at `base`.
pub fn check_embedded(eas: &Node, base: &Path, sink: &mut Sink) {
    if eas.items("signingKeySecretRefs").is_empty() {
        sink.emit("ADV-02", base.clone(), "no signingKeySecretRefs: the auth server signs tokens with an ephemeral key, so every token is invalid after a restart")
            .at_key();
    }
    if eas.items("hmacSecretRefs").is_empty() {
        sink.emit("ADV-03", base.clone(), "no hmacSecretRefs: the auth server generates an ephemeral HMAC secret, so sessions and codes die with the pod")
            .toolhive("no HMAC secrets configured, generating ephemeral secret")
            .at_key();
    }
    let providers = base.key("upstreamProviders");
    for (i, p) in eas.items("upstreamProviders").iter().enumerate() {
        let at = providers.index(i);
        let name = p.str_or_empty("name");
        if p.str_or_empty("type") == "oidc" {
            if let Some(o) = p
                .object("oidcConfig")
                .and_then(|c| c.object("userInfoOverride"))
            {
                let _ = o;
                sink.emit("ADV-04", at.key("oidcConfig").key("userInfoOverride"), format!("upstream {name:?}: userInfoOverride is ignored for OIDC upstreams at run time"))
                    .at_key();
            }
        }
        if let Some(cfg) = active_config_of(p) {
            if cfg.object("clientSecretRef").is_none() && cfg.object("dcrConfig").is_none() {
                sink.emit("CT-01", at.clone(), format!("upstream {name:?} has no clientSecretRef: it is a public client and no TOOLHIVE_UPSTREAM_CLIENT_SECRET_* variable is generated"))
                    .at_key();
            }
        }
    }
    if let Some(st) = eas.object("storage") {
        let redis_type = st.str("type") == Some("redis");
        if let Some(redis) = st.object("redis").filter(|_| !redis_type) {
            sink.emit("CT-04", base.key("storage").key("redis"), "storage.redis is set but storage.type is memory: the Redis settings are ignored and no Redis credentials are passed to the pod")
                .hint("set storage.type: redis to use Redis, or remove storage.redis")
                .at_key();
            let ca_refs = ["tls", "sentinelTls"].iter().any(|t| {
                redis
                    .object(t)
                    .and_then(|x| x.object("caCertSecretRef"))
                    .is_some()
            });
            if ca_refs {
                sink.emit(
                    "CT-05",
                    base.key("storage").key("redis"),
                    "Redis CA certificate volumes are mounted although storage.type is memory",
                )
                .at_key();
            }
        }
    }
}

/// DOC-04: the plain scalars of a document that kubectl (YAML 1.1, through
/// `sigs.k8s.io/yaml`, as Helm and Argo CD) reads otherwise than YAML 1.2 readers do
/// (`scalars`, from the parser), at the path of the key or value they are.
/// The tree, and so every other rule, holds kubectl's reading.
pub fn ambiguous_scalars(root: &Node, scalars: &[AmbiguousScalar], sink: &mut Sink) {
    if scalars.is_empty() {
        return;
    }
    let mut found = Vec::new();
    find_scalars(root, Path::root(), scalars, &mut found);
    for (path, at_key, scalar) in found {
        let kubectl = match scalar.kubectl {
            KubectlReading::Boolean(b) => format!("the boolean {b}"),
            KubectlReading::Number => "a number".to_owned(),
            KubectlReading::String => "a string (the number is out of range)".to_owned(),
        };
        let other = match scalar.yaml12 {
            Yaml12Reading::String => "a string",
            Yaml12Reading::OtherNumber => {
                "a different number (a leading 0 is octal only in YAML 1.1)"
            }
            Yaml12Reading::Number => "a number",
        };
        let what = if at_key { "key" } else { "value" };
        let pending = sink.emit(
            "DOC-04",
            path,
            format!("this plain {what} is {kubectl} for kubectl, Helm and Argo CD (YAML 1.1), but {other} for YAML 1.2 readers; this report follows kubectl"),
        );
        if at_key {
            pending.at_key();
        }
    }
}

/// The scalars of `scalars` found under `node`: each one's path, whether it is a key, and the
/// parser's note.
fn find_scalars(
    node: &Node,
    path: Path,
    scalars: &[AmbiguousScalar],
    found: &mut Vec<(Path, bool, AmbiguousScalar)>,
) {
    // `scalars` is in source order.
    let note = |span: Option<Span>| {
        let at = span?.start;
        let i = scalars
            .binary_search_by_key(&at, |s| s.at.char_index)
            .ok()?;
        Some(scalars[i])
    };
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                let at = path.key(&e.key);
                if let Some(scalar) = note(e.key_span) {
                    found.push((at.clone(), true, scalar));
                }
                find_scalars(&e.value, at, scalars, found);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                find_scalars(item, path.index(i), scalars, found);
            }
        }
        _ => {
            if let Some(scalar) = note(node.span) {
                found.push((path, false, scalar));
            }
        }
    }
}
