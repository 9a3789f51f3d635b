//! The workload context a derivation needs (namespace, workload name, resource URL, scopes),
//! and where it comes from: a consumer document in the input that references the config, else
//! the caller's overrides (CLI flags, API options), else documented defaults.

use crate::document::Kind;
use crate::profile::Behaviour;
use crate::tree::Node;

/// The namespace used when neither the documents nor the caller name one.
pub const DEFAULT_NAMESPACE: &str = "default";

/// The proxy port of an MCPServer / MCPRemoteProxy without `spec.proxyPort` (the CRD's
/// default, and ToolHive's `GetProxyPort` fallback).
pub const DEFAULT_PROXY_PORT: i64 = 8080;

/// The port ToolHive's OIDC resolver gives a VirtualMCPServer (`GetProxyPort`, fixed).
pub const VMCP_PORT: i64 = 4483;

/// The resource URL ToolHive's OIDC resolver gives a workload with the OIDC config `oidc`:
/// its `resourceUrl`, else the workload's service URL (`createServiceURL`:
/// `http://<name>.<namespace>.svc.cluster.local:<port>`). It is never empty, so an OIDC
/// config always gives the embedded auth server an audience.
pub fn resolved_resource_url(oidc: &Node, name: &str, namespace: &str, port: i64) -> String {
    match oidc.str("resourceUrl").filter(|s| !s.is_empty()) {
        Some(url) => url.to_owned(),
        None => format!("http://{name}.{namespace}.svc.cluster.local:{port}"),
    }
}

/// The consumers whose guards can be applied to a config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsumerKind {
    /// `MCPServer` (one upstream; a run config is checked as its proxy runner).
    McpServer,
    /// `MCPRemoteProxy` (one upstream; a run config is checked as its proxy runner).
    McpRemoteProxy,
    /// `VirtualMCPServer` (several upstreams).
    VirtualMcpServer,
}

impl ConsumerKind {
    /// Parses `mcpserver`, `mcpremoteproxy` or `virtualmcpserver` (case-insensitive).
    pub fn parse(text: &str) -> Option<ConsumerKind> {
        match text.to_ascii_lowercase().as_str() {
            "mcpserver" => Some(ConsumerKind::McpServer),
            "mcpremoteproxy" => Some(ConsumerKind::McpRemoteProxy),
            "virtualmcpserver" => Some(ConsumerKind::VirtualMcpServer),
            _ => None,
        }
    }

    /// The resource kind (`MCPServer`, …).
    pub fn kind_name(self) -> &'static str {
        match self {
            ConsumerKind::McpServer => "MCPServer",
            ConsumerKind::McpRemoteProxy => "MCPRemoteProxy",
            ConsumerKind::VirtualMcpServer => "VirtualMCPServer",
        }
    }

    /// The consumer kind of a document kind.
    pub fn of(kind: Kind) -> Option<ConsumerKind> {
        match kind {
            Kind::McpServer => Some(ConsumerKind::McpServer),
            Kind::RemoteProxy => Some(ConsumerKind::McpRemoteProxy),
            Kind::VirtualMcpServer => Some(ConsumerKind::VirtualMcpServer),
            _ => None,
        }
    }
}

/// What the caller says about the workload (CLI flags, API options). Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextOverrides {
    /// Namespace of the workload.
    pub namespace: Option<String>,
    /// Name of the workload (MCPServer, …).
    pub workload: Option<String>,
    /// The workload's resource URL (`spec.oidcConfig.resourceUrl`), the token audience.
    pub resource_url: Option<String>,
    /// The scopes the workload's OIDC config advertises.
    pub scopes: Option<Vec<String>>,
}

/// Where a context came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A consumer document in the input (its kind and name).
    Consumer(ConsumerKind, String),
    /// The caller's overrides.
    Overrides,
    /// Documented defaults.
    Defaults,
}

/// The resolved workload context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadContext {
    /// Namespace (Redis key prefix, Sentinel service address).
    pub namespace: String,
    /// Workload name (Redis key prefix, messages).
    pub workload: String,
    /// Resource URL, when known: the allowed audience.
    pub resource_url: Option<String>,
    /// Scopes, when known: `scopes_supported`.
    pub scopes: Option<Vec<String>>,
    /// Where the context came from.
    pub origin: Origin,
}

impl WorkloadContext {
    /// The context of a consumer document: its namespace and name, its resource URL and inline
    /// OIDC scopes.
    pub fn from_consumer(
        kind: ConsumerKind,
        root: &Node,
        fallback_ns: &str,
        b: &Behaviour,
    ) -> WorkloadContext {
        let meta = root.get("metadata");
        let name = meta.and_then(|m| m.str("name")).unwrap_or("").to_owned();
        let namespace = meta
            .and_then(|m| m.str("namespace"))
            .unwrap_or(fallback_ns)
            .to_owned();
        let oidc = root
            .get("spec")
            .and_then(|s| s.object(b.workload_oidc_field));
        // At v0.13 the scopes are those of an inline OIDC config: ToolHive's resolver reads
        // `inline` only for `type: inline` (the CRD defaults `type` to `kubernetes`).
        let inline = if b.workload_scopes_inline {
            oidc.filter(|o| o.str("type").unwrap_or("kubernetes") == "inline")
                .and_then(|o| o.object("inline"))
        } else {
            oidc
        };
        // ToolHive's OIDC resolver: without a resource URL, the workload's own service URL on
        // its proxy port (`GetProxyPort`: `spec.proxyPort`, which the CRD defaults to 8080).
        let port = root
            .get("spec")
            .and_then(|s| s.get("proxyPort"))
            .and_then(Node::as_int)
            .filter(|&p| p > 0)
            .unwrap_or(DEFAULT_PROXY_PORT);
        let resource_url = oidc.map(|o| resolved_resource_url(o, &name, &namespace, port));
        WorkloadContext {
            namespace,
            workload: name.clone(),
            resource_url,
            scopes: inline
                .filter(|i| i.has("scopes"))
                .map(|i| i.strings("scopes")),
            origin: Origin::Consumer(kind, name),
        }
    }

    /// The context of a VirtualMCPServer, which is itself the workload: its name (`vmcp`
    /// when it has none), namespace `ns` (the document's, else the caller's, else the
    /// default), and its incoming OIDC config's resource URL and scopes. The caller's
    /// workload, resource URL and scopes are for configs no workload references; they never
    /// replace the document's own.
    pub fn from_vmcp(root: &Node, ns: &str, b: &Behaviour) -> WorkloadContext {
        let name = root
            .get("metadata")
            .and_then(|m| m.str("name"))
            .unwrap_or("vmcp")
            .to_owned();
        let oidc = root
            .get("spec")
            .and_then(|s| s.get("incomingAuth"))
            .and_then(|i| i.object(b.vmcp_oidc_field));
        WorkloadContext {
            namespace: ns.to_owned(),
            workload: name.clone(),
            // ToolHive's `deriveAllowedAudiences`: no incoming OIDC config is no audience (nil);
            // with one, its resolved resource URL (the service URL on vMCP's port 4483 when the
            // reference has none).
            resource_url: oidc.map(|o| resolved_resource_url(o, &name, ns, VMCP_PORT)),
            scopes: oidc.map(|o| o.strings("scopes")).filter(|s| !s.is_empty()),
            origin: Origin::Consumer(ConsumerKind::VirtualMcpServer, name),
        }
    }

    /// The context for a config no consumer in the input references: the caller's overrides,
    /// else the defaults (the config's namespace or `default`; the config's own name as the
    /// workload name; no resource URL, no scopes).
    pub fn from_overrides(
        o: &ContextOverrides,
        config_ns: Option<&str>,
        config_name: &str,
    ) -> WorkloadContext {
        let any = o.namespace.is_some()
            || o.workload.is_some()
            || o.resource_url.is_some()
            || o.scopes.is_some();
        WorkloadContext {
            namespace: o
                .namespace
                .clone()
                .or_else(|| config_ns.map(str::to_owned))
                .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned()),
            workload: o.workload.clone().unwrap_or_else(|| config_name.to_owned()),
            resource_url: o.resource_url.clone().filter(|s| !s.is_empty()),
            scopes: o.scopes.clone(),
            origin: if any {
                Origin::Overrides
            } else {
                Origin::Defaults
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_text;
    use crate::profile::Profile;

    fn consumer_at(profile: Profile, text: &str) -> WorkloadContext {
        let root = parse_text(text).expect("parses").remove(0).root;
        WorkloadContext::from_consumer(
            ConsumerKind::McpServer,
            &root,
            DEFAULT_NAMESPACE,
            profile.behaviour(),
        )
    }

    fn consumer(text: &str) -> WorkloadContext {
        consumer_at(Profile::default(), text)
    }

    #[test]
    fn v0_13_scopes_come_from_an_inline_oidc_config_only() {
        let with = |ty: &str| {
            format!(
                "kind: MCPServer\nmetadata: {{name: fetch}}\nspec:\n  oidcConfig:\n{ty}    resourceUrl: https://mcp.example.com/mcp\n    inline: {{issuer: https://i.example.com, scopes: [openid, x]}}\n"
            )
        };
        let ctx = consumer_at(Profile::V0_13, &with("    type: inline\n"));
        assert_eq!(ctx.scopes, Some(vec!["openid".to_owned(), "x".to_owned()]));
        // Without type (the CRD's default, kubernetes) or another type, ToolHive's resolver
        // does not read `inline` (and the API server refuses the object: CEL on oidcConfig).
        for ty in ["", "    type: kubernetes\n", "    type: configMap\n"] {
            assert_eq!(
                consumer_at(Profile::V0_13, &with(ty)).scopes,
                None,
                "{ty:?}"
            );
        }
    }

    #[test]
    fn the_resource_url_is_resolved_as_toolhive_s_oidc_resolver_does() {
        let base = "kind: MCPServer\nmetadata: {name: fetch, namespace: mcp}\nspec:\n";
        // Written: used as is.
        let ctx = consumer(&format!(
            "{base}  oidcConfigRef: {{name: o, resourceUrl: https://mcp.example.com/mcp}}\n"
        ));
        assert_eq!(
            ctx.resource_url.as_deref(),
            Some("https://mcp.example.com/mcp")
        );
        // Absent or empty: the service URL on the proxy port (the CRD's default 8080).
        for oidc in ["{name: o}", "{name: o, resourceUrl: \"\"}"] {
            let ctx = consumer(&format!("{base}  oidcConfigRef: {oidc}\n"));
            let want = "http://fetch.mcp.svc.cluster.local:8080";
            assert_eq!(ctx.resource_url.as_deref(), Some(want), "{oidc}");
        }
        let ctx = consumer(&format!(
            "{base}  proxyPort: 9090\n  oidcConfigRef: {{name: o}}\n"
        ));
        let want = "http://fetch.mcp.svc.cluster.local:9090";
        assert_eq!(ctx.resource_url.as_deref(), Some(want));
        // No OIDC config: no resource URL (CT-07).
        assert_eq!(consumer(&format!("{base}  image: x\n")).resource_url, None);
    }
}
