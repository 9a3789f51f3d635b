//! The workload context a derivation needs (namespace, workload name, resource URL, scopes),
//! and where it comes from: a consumer document in the input that references the config, else
//! the caller's overrides (CLI flags, API options), else documented defaults.

use crate::document::Kind;
use crate::profile::Behaviour;
use crate::tree::Node;

/// The namespace used when neither the documents nor the caller name one.
pub const DEFAULT_NAMESPACE: &str = "default";

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
        let inline = if b.workload_scopes_inline {
            oidc.and_then(|o| o.object("inline"))
        } else {
            oidc
        };
        WorkloadContext {
            namespace,
            workload: name.clone(),
            resource_url: oidc
                .and_then(|o| o.str("resourceUrl"))
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
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
            // ToolHive's `deriveAllowedAudiences`: an empty resource is no audience (nil).
            resource_url: oidc
                .and_then(|o| o.str("resourceUrl"))
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
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
