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

/// The MCPExternalAuthConfig name a consumer references (`spec.externalAuthConfigRef.name`).
pub fn referenced_config(object: &Value) -> Option<&str> {
    object
        .pointer("/spec/externalAuthConfigRef/name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
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
        assert_eq!(referenced_config(r.object.unwrap()), Some("c"));
        let p = json!({"request": {"operation": "DELETE", "kind": {"group": GROUP, "kind": "MCPServer"}, "object": null}});
        let r = Request::read(&p).unwrap();
        assert!(!r.is_checked());
        assert!(r.object.is_none());
        let p = json!({"request": {"operation": "CREATE", "kind": {"group": "", "kind": "Pod"}}});
        assert!(!Request::read(&p).unwrap().is_checked());
        assert!(Request::read(&json!({"request": 1})).is_none());
    }
}
