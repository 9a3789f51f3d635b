//! Recognising what a document is.

use crate::tree::Node;

/// The API group of ToolHive's resources.
pub const GROUP: &str = "toolhive.stacklok.dev";

/// The kinds of document mcpauth-guard checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `MCPExternalAuthConfig`.
    ExternalAuthConfig,
    /// `MCPServer`.
    McpServer,
    /// `MCPRemoteProxy`.
    RemoteProxy,
    /// `VirtualMCPServer`.
    VirtualMcpServer,
    /// A serialized authserver run config (no `apiVersion`/`kind`; has `upstreams` or
    /// `schema_version`).
    RunConfig,
    /// Anything else.
    Unknown,
}

/// The only kind a workload's `spec.authServerRef` may name.
pub const AUTH_SERVER_REF_KIND: &str = "MCPExternalAuthConfig";

/// The kind a workload's `authServerRef` object names. The CRD defaults an absent (or null)
/// `kind` to [`AUTH_SERVER_REF_KIND`] before anything else reads it, so a manifest without
/// `kind` is as good as one with it.
pub fn auth_server_ref_kind(reference: &Node) -> &str {
    match reference.present("kind") {
        None => AUTH_SERVER_REF_KIND,
        Some(k) => k.as_str().unwrap_or(""),
    }
}

/// A workload's `spec.authServerRef` with the name it gives, of whatever kind: `None` when it is
/// absent or has no name. When set, it is where the embedded auth server comes from
/// (`EmbeddedAuthServerConfigName`), even if its kind is unsupported.
pub fn auth_server_ref(spec: &Node) -> Option<(&Node, &str)> {
    let reference = spec.object("authServerRef")?;
    let name = reference.str("name").filter(|n| !n.is_empty())?;
    Some((reference, name))
}

/// The MCPExternalAuthConfig a workload's `spec.authServerRef` names: `None` when the
/// reference is absent, has no name, or names another kind (ToolHive then stops at the kind,
/// CT-15, and fetches nothing).
pub fn auth_server_ref_name(spec: &Node) -> Option<&str> {
    let (reference, name) = auth_server_ref(spec)?;
    (auth_server_ref_kind(reference) == AUTH_SERVER_REF_KIND).then_some(name)
}

impl Kind {
    /// The name written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ExternalAuthConfig => "MCPExternalAuthConfig",
            Kind::McpServer => "MCPServer",
            Kind::RemoteProxy => "MCPRemoteProxy",
            Kind::VirtualMcpServer => "VirtualMCPServer",
            Kind::RunConfig => "RunConfig",
            Kind::Unknown => "Unknown",
        }
    }

    /// Classifies a document by `apiVersion`/`kind`, or by shape for run configs.
    pub fn of(root: &Node) -> Kind {
        let api = root.str("apiVersion");
        let kind = root.str("kind");
        if api.is_none() && kind.is_none() {
            return if root.get("upstreams").is_some() || root.get("schema_version").is_some() {
                Kind::RunConfig
            } else {
                Kind::Unknown
            };
        }
        let in_group = api.is_some_and(|a| a.split('/').next() == Some(GROUP));
        match (in_group, kind) {
            (true, Some("MCPExternalAuthConfig")) => Kind::ExternalAuthConfig,
            (true, Some("MCPServer")) => Kind::McpServer,
            (true, Some("MCPRemoteProxy")) => Kind::RemoteProxy,
            (true, Some("VirtualMCPServer")) => Kind::VirtualMcpServer,
            _ => Kind::Unknown,
        }
    }
}

/// `metadata.name`.
pub fn name(root: &Node) -> Option<&str> {
    root.get("metadata").and_then(|m| m.str("name"))
}

/// `metadata.namespace`.
pub fn namespace(root: &Node) -> Option<&str> {
    root.get("metadata").and_then(|m| m.str("namespace"))
}

/// The version part of `apiVersion` (`v1alpha1` of `toolhive.stacklok.dev/v1alpha1`).
pub fn api_version(root: &Node) -> Option<&str> {
    root.str("apiVersion")
        .and_then(|a| a.split_once('/'))
        .map(|(_, v)| v)
}
