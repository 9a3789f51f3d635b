//! The parts of the Kubewarden validation payload the policy reads. The payload is read as
//! raw JSON (not through the SDK's request type) so that the plural resource name is
//! available and so that a parse error never echoes the payload (it may hold secrets).

use serde_json::Value;

/// The API group of ToolHive's resources.
pub const GROUP: &str = "toolhive.stacklok.dev";

/// The resource kinds the policy checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    /// `MCPExternalAuthConfig` (`mcpexternalauthconfigs`).
    ExternalAuthConfig,
    /// `MCPServer` (`mcpservers`).
    McpServer,
    /// `MCPRemoteProxy` (`mcpremoteproxies`).
    McpRemoteProxy,
    /// `VirtualMCPServer` (`virtualmcpservers`).
    VirtualMcpServer,
}

impl ResourceKind {
    /// Recognises a kind by its name (`MCPServer`) or plural resource (`mcpservers`).
    pub fn of(kind: &str, resource: &str) -> Option<ResourceKind> {
        match (kind, resource) {
            ("MCPExternalAuthConfig", _) | (_, "mcpexternalauthconfigs") => {
                Some(ResourceKind::ExternalAuthConfig)
            }
            ("MCPServer", _) | (_, "mcpservers") => Some(ResourceKind::McpServer),
            ("MCPRemoteProxy", _) | (_, "mcpremoteproxies") => Some(ResourceKind::McpRemoteProxy),
            ("VirtualMCPServer", _) | (_, "virtualmcpservers") => {
                Some(ResourceKind::VirtualMcpServer)
            }
            _ => None,
        }
    }

    /// Whether this kind references an MCPExternalAuthConfig by `spec.externalAuthConfigRef`.
    pub fn is_consumer(self) -> bool {
        self != ResourceKind::ExternalAuthConfig
    }
}

/// What the policy needs to know about one admission request.
#[derive(Debug)]
pub struct Request<'a> {
    /// `CREATE`, `UPDATE`, `DELETE`, `CONNECT`.
    pub operation: &'a str,
    /// The ToolHive kind, when the request is about one.
    pub kind: Option<ResourceKind>,
    /// The API version of the request's kind (`v1alpha1`, `v1beta1`).
    pub version: &'a str,
    /// The request's namespace (may be empty).
    pub namespace: &'a str,
    /// The object (absent or `null` on DELETE).
    pub object: Option<&'a Value>,
}

impl<'a> Request<'a> {
    /// Reads the request out of the payload's `request` member. `None` when the payload has
    /// no request object.
    pub fn read(payload: &'a Value) -> Option<Request<'a>> {
        let r = payload.get("request").filter(|r| r.is_object())?;
        let s = |v: Option<&'a Value>| v.and_then(Value::as_str).unwrap_or("");
        let kind = r.get("kind");
        let group = s(kind.and_then(|k| k.get("group")));
        let resource = s(r.pointer("/resource/resource"));
        let kind = (group == GROUP)
            .then(|| ResourceKind::of(s(kind.and_then(|k| k.get("kind"))), resource))
            .flatten();
        Some(Request {
            operation: s(r.get("operation")),
            kind,
            version: s(r.pointer("/kind/version")),
            namespace: s(r.get("namespace")),
            object: r.get("object").filter(|o| !o.is_null()),
        })
    }

    /// Whether the policy checks this request at all.
    pub fn is_checked(&self) -> bool {
        self.kind.is_some() && matches!(self.operation, "CREATE" | "UPDATE")
    }
}

/// At most this many referenced objects are fetched for one request (each is a host call).
pub const MAX_REFERENCES: usize = 16;

/// An `MCPExternalAuthConfig` a consumer names, and the field that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigRef<'a> {
    /// The naming field, as a report path (`spec.authServerRef.name`).
    pub field: String,
    /// The referenced object's name (same namespace as the consumer).
    pub name: &'a str,
    /// Whether the reference names the consumer's embedded auth server (`authServerRef`, or
    /// `externalAuthConfigRef` of an MCPServer / MCPRemoteProxy) rather than an outgoing auth.
    pub auth_server: bool,
}

/// Every `MCPExternalAuthConfig` a consumer names, in the order ToolHive resolves them, each
/// name once, at most [`MAX_REFERENCES`]:
/// - `spec.authServerRef.name` (profile 2026-08; `kind` empty or `MCPExternalAuthConfig`),
/// - `spec.externalAuthConfigRef.name`,
/// - a VirtualMCPServer's outgoing auth: `spec.outgoingAuth.default.externalAuthConfigRef.name`
///   and `spec.outgoingAuth.backends.<backend>.externalAuthConfigRef.name` (G-07 needs them).
pub fn config_references<'a>(object: &'a Value) -> Vec<ConfigRef<'a>> {
    let mut refs: Vec<ConfigRef<'a>> = Vec::new();
    let mut add = |field: String, name: Option<&'a Value>, auth_server: bool| {
        let Some(name) = name.and_then(Value::as_str).filter(|n| !n.is_empty()) else {
            return;
        };
        if refs.len() < MAX_REFERENCES && refs.iter().all(|r| r.name != name) {
            refs.push(ConfigRef {
                field,
                name,
                auth_server,
            });
        }
    };
    let Some(spec) = object.get("spec") else {
        return refs;
    };
    if let Some(r) = spec.get("authServerRef") {
        let kind = r.get("kind").and_then(Value::as_str).unwrap_or("");
        if kind.is_empty() || kind == "MCPExternalAuthConfig" {
            add("spec.authServerRef.name".into(), r.get("name"), true);
        }
    }
    add(
        "spec.externalAuthConfigRef.name".into(),
        spec.pointer("/externalAuthConfigRef/name"),
        true,
    );
    if let Some(out) = spec.get("outgoingAuth") {
        add(
            "spec.outgoingAuth.default.externalAuthConfigRef.name".into(),
            out.pointer("/default/externalAuthConfigRef/name"),
            false,
        );
        if let Some(backends) = out.get("backends").and_then(Value::as_object) {
            for (backend, b) in backends {
                add(
                    format!("spec.outgoingAuth.backends.{backend}.externalAuthConfigRef.name"),
                    b.pointer("/externalAuthConfigRef/name"),
                    false,
                );
            }
        }
    }
    refs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_kind_and_operation() {
        let p = json!({"request": {
            "operation": "CREATE", "namespace": "ns",
            "kind": {"group": GROUP, "version": "v1beta1", "kind": "MCPServer"},
            "resource": {"group": GROUP, "version": "v1beta1", "resource": "mcpservers"},
            "object": {"spec": {"externalAuthConfigRef": {"name": "c"}}}
        }});
        let r = Request::read(&p).unwrap();
        assert_eq!(r.kind, Some(ResourceKind::McpServer));
        assert!(r.is_checked());
        let refs = config_references(r.object.unwrap());
        assert_eq!(refs.len(), 1);
        assert_eq!(
            (refs[0].name, refs[0].field.as_str()),
            ("c", "spec.externalAuthConfigRef.name")
        );
        let p = json!({"request": {"operation": "DELETE", "kind": {"group": GROUP, "kind": "MCPServer"}, "object": null}});
        let r = Request::read(&p).unwrap();
        assert!(!r.is_checked());
        assert!(r.object.is_none());
        let p = json!({"request": {"operation": "CREATE", "kind": {"group": "", "kind": "Pod"}}});
        assert!(!Request::read(&p).unwrap().is_checked());
        assert!(Request::read(&json!({"request": 1})).is_none());
    }

    #[test]
    fn references_in_resolution_order_each_name_once() {
        let server = json!({"spec": {
            "authServerRef": {"kind": "MCPExternalAuthConfig", "name": "embedded"},
            "externalAuthConfigRef": {"name": "outgoing"}
        }});
        let refs = config_references(&server);
        let got: Vec<(&str, bool)> = refs.iter().map(|r| (r.name, r.auth_server)).collect();
        assert_eq!(got, [("embedded", true), ("outgoing", true)]);
        assert_eq!(refs[0].field, "spec.authServerRef.name");
        // Another kind of auth server is not an MCPExternalAuthConfig.
        let other = json!({"spec": {"authServerRef": {"kind": "Other", "name": "x"}}});
        assert!(config_references(&other).is_empty());
        let vmcp = json!({"spec": {"outgoingAuth": {
            "default": {"type": "externalAuthConfigRef", "externalAuthConfigRef": {"name": "xaa"}},
            "backends": {
                "github": {"externalAuthConfigRef": {"name": "gh"}},
                "again": {"externalAuthConfigRef": {"name": "xaa"}},
                "empty": {"externalAuthConfigRef": {"name": ""}}
            }
        }}});
        let refs = config_references(&vmcp);
        let names: Vec<&str> = refs.iter().map(|r| r.name).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names.contains(&"xaa") && names.contains(&"gh"));
        assert!(refs.iter().all(|r| !r.auth_server));
        assert!(refs
            .iter()
            .any(|r| r.field == "spec.outgoingAuth.backends.github.externalAuthConfigRef.name"));
    }

    #[test]
    fn references_are_bounded() {
        let backends: serde_json::Map<String, Value> = (0..100)
            .map(|i| {
                (
                    format!("b{i}"),
                    json!({"externalAuthConfigRef": {"name": format!("c{i}")}}),
                )
            })
            .collect();
        let vmcp = json!({"spec": {"outgoingAuth": {"backends": backends}}});
        assert_eq!(config_references(&vmcp).len(), MAX_REFERENCES);
    }
}
