//! The project's own policy rules (POL-01 … POL-08): things ToolHive accepts but a platform
//! team may want to forbid. Each is off unless its setting turns it on; each diagnostic has
//! layer `policy` and severity `error` (see docs/POLICY.md).

use mcpauth_guard::path::Path;
use mcpauth_guard::tree::{Node, Value};
use mcpauth_guard::{Diagnostic, Layer, Severity};

use crate::hosts::url_host;
use crate::request::ResourceKind;
use crate::settings::Settings;

/// What the rules look at: the object under review, and the MCPExternalAuthConfig a consumer
/// references (when it could be fetched).
pub struct Subject<'a> {
    /// The kind of `object`.
    pub kind: ResourceKind,
    /// The object being created or updated.
    pub object: &'a Node,
    /// The referenced MCPExternalAuthConfig, for consumers.
    pub referenced: Option<&'a Node>,
}

/// Runs every enabled rule.
pub fn check(settings: &Settings, subject: &Subject<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some((base, server)) = own_auth_server(subject.kind, subject.object) {
        auth_server_rules(settings, base, server, &mut out);
    }
    if settings.require_redis_storage_for_replicas {
        replicas_need_redis(subject, &mut out);
    }
    if settings.forbid_inline_client_secrets || settings.forbid_insecure_transport {
        inline_oidc_rules(settings, subject, &mut out);
    }
    out
}

/// A policy-layer error diagnostic.
pub fn diagnostic(rule: &str, path: String, message: String, hint: &str) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        layer: Layer::Policy,
        rule: rule.to_owned(),
        path,
        message,
        toolhive: None,
        hint: Some(hint.to_owned()),
        fix: None,
        also: Vec::new(),
        line: None,
        column: None,
        end_line: None,
        end_column: None,
        offset: None,
        end_offset: None,
    }
}

/// The embedded auth server an object carries itself, with its path.
fn own_auth_server(kind: ResourceKind, object: &Node) -> Option<(&'static str, &Node)> {
    let spec = object.get("spec")?;
    match kind {
        ResourceKind::ExternalAuthConfig => {
            let server = spec.object("embeddedAuthServer")?;
            (spec.str("type") == Some("embeddedAuthServer"))
                .then_some(("spec.embeddedAuthServer", server))
        }
        ResourceKind::VirtualMcpServer => spec
            .object("authServerConfig")
            .map(|s| ("spec.authServerConfig", s)),
        _ => None,
    }
}

/// The embedded auth server a consumer's workload runs: its own inline one
/// (VirtualMCPServer) or the referenced config's.
fn workload_auth_server<'a>(subject: &Subject<'a>) -> Option<&'a Node> {
    if let Some((_, s)) = own_auth_server(subject.kind, subject.object) {
        return Some(s);
    }
    let r = subject.referenced?;
    own_auth_server(ResourceKind::ExternalAuthConfig, r).map(|(_, s)| s)
}

fn non_empty_list(v: Option<&Node>) -> bool {
    v.and_then(Node::as_seq).is_some_and(|a| !a.is_empty())
}

fn auth_server_rules(s: &Settings, base: &str, server: &Node, out: &mut Vec<Diagnostic>) {
    if s.require_persistent_signing_keys && !non_empty_list(server.get("signingKeySecretRefs")) {
        out.push(diagnostic(
            "POL-01",
            format!("{base}.signingKeySecretRefs"),
            "no signing keys are configured: the auth server would generate an ephemeral key at \
             start-up (dev-only), so every restart or second replica invalidates issued tokens"
                .into(),
            "reference a Secret holding a PEM private key in signingKeySecretRefs",
        ));
    }
    if s.require_persistent_hmac_secrets && !non_empty_list(server.get("hmacSecretRefs")) {
        out.push(diagnostic(
            "POL-02",
            format!("{base}.hmacSecretRefs"),
            "no HMAC secrets are configured: the auth server would generate an ephemeral secret \
             at start-up (dev-only), so authorization codes and refresh tokens die with the pod"
                .into(),
            "reference a Secret holding at least 32 random bytes in hmacSecretRefs",
        ));
    }
    let upstreams = server.items("upstreamProviders");
    if let Some(max) = s.max_upstream_providers {
        if upstreams.len() as u64 > max {
            out.push(diagnostic(
                "POL-04",
                format!("{base}.upstreamProviders"),
                format!(
                    "{} upstream providers are configured; this cluster allows at most {max}",
                    upstreams.len()
                ),
                "remove upstream providers or split them over several auth configs",
            ));
        }
    }
    for (i, up) in upstreams.iter().enumerate() {
        let path = format!("{base}.upstreamProviders[{i}]");
        let ty = up.str_or_empty("type");
        if !s.allowed_upstream_types.is_empty()
            && !ty.is_empty()
            && !s.allowed_upstream_types.iter().any(|t| t == ty)
        {
            out.push(diagnostic(
                "POL-05",
                format!("{path}.type"),
                format!(
                    "upstream type \"{ty}\" is not allowed here (allowed: {})",
                    s.allowed_upstream_types.join(", ")
                ),
                "use an allowed upstream type",
            ));
        }
        if !s.allowed_upstream_issuers.is_empty() {
            for (field, url) in upstream_urls(up) {
                issuer_allowed(s, &format!("{path}.{field}"), url, out);
            }
        }
        if s.forbid_insecure_transport
            && up
                .get("oauth2Config")
                .is_some_and(|c| c.flag("insecureAllowHTTP"))
        {
            insecure(format!("{path}.oauth2Config.insecureAllowHTTP"), out);
        }
    }
    if s.forbid_insecure_transport {
        for field in [
            "insecureAllowHTTP",
            "insecureAllowConfidentialOverLoopbackHTTP",
        ] {
            if server.flag(field) {
                insecure(format!("{base}.{field}"), out);
            }
        }
        for (i, t) in server.items("trustedIssuers").iter().enumerate() {
            if t.flag("insecureAllowHTTP") {
                insecure(format!("{base}.trustedIssuers[{i}].insecureAllowHTTP"), out);
            }
        }
        for tls in ["tls", "sentinelTls"] {
            let redis_tls = Path::parse(&format!("storage.redis.{tls}"));
            if server
                .at(&redis_tls)
                .is_some_and(|t| t.flag("insecureSkipVerify"))
            {
                insecure(
                    format!("{base}.storage.redis.{tls}.insecureSkipVerify"),
                    out,
                );
            }
        }
    }
}

/// The URLs an upstream provider's auth server talks to, with their paths below the provider.
fn upstream_urls(up: &Node) -> Vec<(&'static str, &str)> {
    const FIELDS: [&str; 7] = [
        "oidcConfig.issuerUrl",
        "oidcConfig.userInfoOverride.endpointUrl",
        "oauth2Config.authorizationEndpoint",
        "oauth2Config.tokenEndpoint",
        "oauth2Config.userInfo.endpointUrl",
        "oauth2Config.dcrConfig.discoveryUrl",
        "oauth2Config.dcrConfig.registrationEndpoint",
    ];
    FIELDS
        .iter()
        .filter_map(|path| {
            let url = up.at(&Path::parse(path))?.as_str()?;
            (!url.trim().is_empty()).then_some((*path, url))
        })
        .collect()
}

fn issuer_allowed(s: &Settings, path: &str, url: &str, out: &mut Vec<Diagnostic>) {
    let allowed = || {
        s.allowed_upstream_issuers
            .iter()
            .map(|p| p.text())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match url_host(url) {
        Some(host) if s.allowed_upstream_issuers.iter().any(|p| p.matches(&host)) => {}
        Some(host) => out.push(diagnostic(
            "POL-03",
            path.to_owned(),
            format!("host \"{host}\" is not an allowed upstream host (allowed: {})", allowed()),
            "use an identity provider on an allowed host, or ask the platform team to add it",
        )),
        None => out.push(diagnostic(
            "POL-03",
            path.to_owned(),
            format!("this is not an absolute URL with a host, so it cannot be matched against the allowed upstream hosts ({})", allowed()),
            "write an absolute https:// URL",
        )),
    }
}

fn insecure(path: String, out: &mut Vec<Diagnostic>) {
    out.push(diagnostic(
        "POL-08",
        path,
        "insecure transport is switched on; this cluster forbids plain HTTP and unverified TLS"
            .into(),
        "remove the switch and use https:// (or verified TLS for Redis)",
    ));
}

fn replicas_need_redis(subject: &Subject<'_>, out: &mut Vec<Diagnostic>) {
    if subject.kind == ResourceKind::ExternalAuthConfig {
        return;
    }
    let replicas = match subject
        .object
        .at(&Path::parse("spec.replicas"))
        .map(|n| &n.value)
    {
        Some(&Value::Int(n)) => u64::try_from(n).unwrap_or(1),
        _ => 1,
    };
    if replicas <= 1 {
        return;
    }
    let Some(server) = workload_auth_server(subject) else {
        return;
    };
    let storage = server
        .at(&Path::parse("storage.type"))
        .and_then(Node::as_str)
        .unwrap_or("memory");
    if storage != "redis" {
        let whose = match own_auth_server(subject.kind, subject.object) {
            Some((base, _)) => format!("its auth server ({base})"),
            None => "the referenced MCPExternalAuthConfig's auth server".to_owned(),
        };
        out.push(diagnostic(
            "POL-06",
            "spec.replicas".into(),
            format!(
                "{replicas} replicas share one embedded auth server identity, but {whose} keeps \
                 its state in {storage} storage: codes and tokens issued by one replica are \
                 unknown to the others"
            ),
            "set storage.type: redis on the auth server, or run one replica",
        ));
    }
}

fn inline_oidc_rules(s: &Settings, subject: &Subject<'_>, out: &mut Vec<Diagnostic>) {
    let base = match subject.kind {
        ResourceKind::McpServer | ResourceKind::McpRemoteProxy => "spec.oidcConfig.inline",
        ResourceKind::VirtualMcpServer => "spec.incomingAuth.oidcConfig.inline",
        ResourceKind::ExternalAuthConfig => return,
    };
    let Some(inline) = subject.object.at(&Path::parse(base)) else {
        return;
    };
    if s.forbid_inline_client_secrets && inline.str("clientSecret").is_some_and(|v| !v.is_empty()) {
        // Never quote the value: it is a secret.
        out.push(diagnostic(
            "POL-07",
            format!("{base}.clientSecret"),
            "a client secret is written in plain text in the resource, readable by anyone who \
             can read it"
                .into(),
            "store it in a Secret and reference it with clientSecretRef",
        ));
    }
    if s.forbid_insecure_transport && inline.flag("insecureAllowHTTP") {
        insecure(format!("{base}.insecureAllowHTTP"), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value as Json};

    fn tree(v: &Json) -> Node {
        Node::from_json(v, 64).unwrap()
    }

    fn config(server: Json) -> Json {
        json!({
            "apiVersion": "toolhive.stacklok.dev/v1alpha1",
            "kind": "MCPExternalAuthConfig",
            "metadata": {"name": "c", "namespace": "ns"},
            "spec": {"type": "embeddedAuthServer", "embeddedAuthServer": server}
        })
    }

    fn rules(
        s: &Settings,
        kind: ResourceKind,
        object: &Json,
        referenced: Option<&Json>,
    ) -> Vec<String> {
        let referenced = referenced.map(tree);
        check(
            s,
            &Subject {
                kind,
                object: &tree(object),
                referenced: referenced.as_ref(),
            },
        )
        .into_iter()
        .map(|d| format!("{} {}", d.rule, d.path))
        .collect()
    }

    fn all_on() -> Settings {
        Settings::parse(&json!({
            "requirePersistentSigningKeys": true,
            "requirePersistentHmacSecrets": true,
            "allowedUpstreamIssuers": ["*.okta.com", "github.com"],
            "maxUpstreamProviders": 1,
            "allowedUpstreamTypes": ["oidc"],
            "requireRedisStorageForReplicas": true,
            "forbidInlineClientSecrets": true,
            "forbidInsecureTransport": true
        }))
        .unwrap()
    }

    #[test]
    fn defaults_enable_nothing() {
        let c = config(
            json!({"issuer": "http://x", "insecureAllowHTTP": true, "upstreamProviders": []}),
        );
        assert!(rules(
            &Settings::default(),
            ResourceKind::ExternalAuthConfig,
            &c,
            None
        )
        .is_empty());
    }

    #[test]
    fn auth_server_rules_fire() {
        let c = config(json!({
            "issuer": "https://auth.example.com",
            "insecureAllowHTTP": true,
            "upstreamProviders": [
                {"name": "okta", "type": "oidc", "oidcConfig": {"issuerUrl": "https://acme.okta.com"}},
                {"name": "gh", "type": "oauth2", "oauth2Config": {
                    "authorizationEndpoint": "https://github.com/login/oauth/authorize",
                    "tokenEndpoint": "https://evil.example.net/token",
                    "insecureAllowHTTP": true}}
            ]
        }));
        let got = rules(&all_on(), ResourceKind::ExternalAuthConfig, &c, None);
        let want = [
            "POL-01 spec.embeddedAuthServer.signingKeySecretRefs",
            "POL-02 spec.embeddedAuthServer.hmacSecretRefs",
            "POL-04 spec.embeddedAuthServer.upstreamProviders",
            "POL-05 spec.embeddedAuthServer.upstreamProviders[1].type",
            "POL-03 spec.embeddedAuthServer.upstreamProviders[1].oauth2Config.tokenEndpoint",
            "POL-08 spec.embeddedAuthServer.upstreamProviders[1].oauth2Config.insecureAllowHTTP",
            "POL-08 spec.embeddedAuthServer.insecureAllowHTTP",
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn consumer_rules_fire_without_echoing_secrets() {
        let cfg = config(
            json!({"issuer": "https://a", "upstreamProviders": [], "storage": {"type": "memory"}}),
        );
        let server = json!({
            "apiVersion": "toolhive.stacklok.dev/v1beta1", "kind": "MCPServer",
            "metadata": {"name": "s", "namespace": "ns"},
            "spec": {"replicas": 3, "externalAuthConfigRef": {"name": "c"},
                     "oidcConfig": {"inline": {"clientSecret": "hunter2-very-secret"}}}
        });
        let (server, cfg) = (tree(&server), tree(&cfg));
        let d = check(
            &all_on(),
            &Subject {
                kind: ResourceKind::McpServer,
                object: &server,
                referenced: Some(&cfg),
            },
        );
        let ids: Vec<_> = d.iter().map(|d| d.rule.as_str()).collect();
        assert_eq!(ids, ["POL-06", "POL-07"]);
        let text = serde_json::to_string(&d).unwrap();
        assert!(!text.contains("hunter2"));
        // Redis storage satisfies POL-06; no reference, nothing to say.
        let redis = config(json!({"storage": {"type": "redis"}}));
        let d = check(
            &all_on(),
            &Subject {
                kind: ResourceKind::McpServer,
                object: &server,
                referenced: Some(&tree(&redis)),
            },
        );
        assert_eq!(d.len(), 1);
        let d = check(
            &all_on(),
            &Subject {
                kind: ResourceKind::McpServer,
                object: &server,
                referenced: None,
            },
        );
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn virtual_mcp_server_inline_auth_server() {
        let v = json!({
            "kind": "VirtualMCPServer",
            "spec": {"replicas": 2, "authServerConfig": {
                "signingKeySecretRefs": [{"name": "k", "key": "k"}],
                "hmacSecretRefs": [{"name": "h", "key": "h"}],
                "upstreamProviders": [{"name": "o", "type": "oidc", "oidcConfig": {"issuerUrl": "https://login.okta.com"}}]}}
        });
        let got = rules(&all_on(), ResourceKind::VirtualMcpServer, &v, None);
        assert_eq!(got, ["POL-06 spec.replicas"]);
    }
}
