//! The parts of the Kubewarden validation payload the policy reads. The payload is read as
//! raw JSON (not through the SDK's request type) so that the plural resource name is
//! available and so that a parse error never echoes the payload (it may hold secrets).

use std::fmt;
use std::marker::PhantomData;

use mcpauth_guard::parse::MAX_DEPTH;
use mcpauth_guard::tree::{self, Node};
use mcpauth_guard::Profile;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// The validation payload (`{"request": …, "settings": …}`), read in one pass. Of the request,
/// only the members the policy uses are built; every other member (`oldObject`, `userInfo`,
/// `options`, …) is skipped by the parser. An UPDATE carries the old object, as large as the
/// new one, and the policy never reads it. A member given twice counts once, the last time.
#[derive(Debug, Default)]
pub struct Payload {
    /// The `request` member, when it is an object.
    pub request: Option<RequestMembers>,
    /// The `settings` member (`null` when absent).
    pub settings: Value,
}

/// The members of the payload's `request` the policy reads, each as given (`null` when
/// absent); the object straight as the core's tree.
#[derive(Debug, Default)]
pub struct RequestMembers {
    /// `CREATE`, `UPDATE`, `DELETE`, `CONNECT`.
    pub operation: Value,
    /// `{group, version, kind}`.
    pub kind: Value,
    /// `{group, version, resource}`.
    pub resource: Value,
    /// The request's namespace.
    pub namespace: Value,
    /// The object: `None` when absent or `null` (DELETE).
    pub object: Option<Object>,
}

/// The request's object, read straight into the core's tree (no `serde_json::Value` of it is
/// ever built: see [`Node::read_json`]).
#[derive(Debug)]
pub struct Object {
    /// The tree. Values nested deeper than the core reads are left out (`null`).
    pub tree: Node,
    /// Set when something was left out: the core refuses such an object
    /// ([`mcpauth_guard::too_deep`]).
    pub too_deep: bool,
}

/// Reads a request's `object` member.
struct ObjectSeed;

impl<'de> DeserializeSeed<'de> for ObjectSeed {
    type Value = Option<Object>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let (tree, too_deep) = Node::read_json(d, MAX_DEPTH)?;
        Ok(
            (!matches!(tree.value, tree::Value::Null)).then_some(Object {
                tree,
                too_deep: too_deep.is_some(),
            }),
        )
    }
}

impl Payload {
    /// Reads a validation payload: `None` when it is JSON but not an object. The errors are
    /// the parser's syntax errors, which never quote the text. (Text, not bytes: checked as
    /// UTF-8 once, the strings inside are not checked again one by one.)
    pub fn read(text: &str) -> serde_json::Result<Option<Payload>> {
        let mut de = serde_json::Deserializer::from_str(text);
        let payload = ObjectOrNone::<Payload>(PhantomData).deserialize(&mut de)?;
        de.end()?;
        Ok(payload)
    }
}

/// A type read from the members of a JSON object, skipping the members it does not use.
trait FromMembers: Sized {
    fn from_members<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

impl FromMembers for Payload {
    fn from_members<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut p = Payload::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "request" => p.request = map.next_value_seed(ObjectOrNone(PhantomData))?,
                "settings" => p.settings = map.next_value()?,
                _ => drop(map.next_value::<IgnoredAny>()?),
            }
        }
        Ok(p)
    }
}

impl FromMembers for RequestMembers {
    fn from_members<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut r = RequestMembers::default();
        while let Some(key) = map.next_key::<String>()? {
            let member = match key.as_str() {
                "operation" => &mut r.operation,
                "kind" => &mut r.kind,
                "resource" => &mut r.resource,
                "namespace" => &mut r.namespace,
                "object" => {
                    r.object = map.next_value_seed(ObjectSeed)?;
                    continue;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *member = map.next_value()?;
        }
        Ok(r)
    }
}

/// Reads a `T` from an object and skips anything else (`None`), so that no value of the
/// payload's ever reaches an error message (serde's "invalid type" errors quote it).
struct ObjectOrNone<T>(PhantomData<T>);

impl<'de, T: FromMembers> DeserializeSeed<'de> for ObjectOrNone<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: FromMembers> Visitor<'de> for ObjectOrNone<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::from_members(map).map(Some)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

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
}

impl RequestMembers {
    /// Takes the object out, so that the policy checks it without a copy: `None` when it is
    /// absent or `null` (DELETE).
    pub fn take_object(&mut self) -> Option<Object> {
        self.object.take()
    }
}

impl<'a> Request<'a> {
    /// Reads what the policy needs to know from the request's members.
    pub fn read(r: &'a RequestMembers) -> Request<'a> {
        let s = |v: Option<&'a Value>| v.and_then(Value::as_str).unwrap_or("");
        let group = s(r.kind.get("group"));
        let resource = s(r.resource.get("resource"));
        let kind = (group == GROUP)
            .then(|| ResourceKind::of(s(r.kind.get("kind")), resource))
            .flatten();
        Request {
            operation: s(Some(&r.operation)),
            kind,
            version: s(r.kind.get("version")),
            namespace: s(Some(&r.namespace)),
        }
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
/// - `spec.authServerRef.name` (where `profile` has that field on workloads, 2026-08; when it
///   names an MCPExternalAuthConfig, [`auth_server_ref_name`](mcpauth_guard::document::auth_server_ref_name)),
/// - `spec.externalAuthConfigRef.name`,
/// - a VirtualMCPServer's outgoing auth: `spec.outgoingAuth.default.externalAuthConfigRef.name`
///   and `spec.outgoingAuth.backends.<backend>.externalAuthConfigRef.name` (G-07 needs them).
pub fn config_references<'a>(object: &'a Node, profile: Profile) -> Vec<ConfigRef<'a>> {
    let mut refs: Vec<ConfigRef<'a>> = Vec::new();
    let mut add = |field: String, name: Option<&'a str>, auth_server: bool| {
        let Some(name) = name.filter(|n| !n.is_empty()) else {
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
    if profile.behaviour().auth_server_ref {
        add(
            "spec.authServerRef.name".into(),
            mcpauth_guard::document::auth_server_ref_name(spec),
            true,
        );
    }
    add(
        "spec.externalAuthConfigRef.name".into(),
        ref_name(spec),
        true,
    );
    if let Some(out) = spec.get("outgoingAuth") {
        add(
            "spec.outgoingAuth.default.externalAuthConfigRef.name".into(),
            out.get("default").and_then(ref_name),
            false,
        );
        for backend in out
            .object("backends")
            .and_then(Node::as_map)
            .unwrap_or_default()
        {
            add(
                format!(
                    "spec.outgoingAuth.backends.{}.externalAuthConfigRef.name",
                    backend.key
                ),
                ref_name(&backend.value),
                false,
            );
        }
    }
    refs
}

/// `externalAuthConfigRef.name` below `node`.
fn ref_name(node: &Node) -> Option<&str> {
    node.get("externalAuthConfigRef")?.str("name")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload(v: Value) -> Payload {
        Payload::read(&v.to_string()).unwrap().unwrap()
    }

    fn tree(v: Value) -> Node {
        Node::from_json(&v, MAX_DEPTH).unwrap()
    }

    #[test]
    fn reads_kind_and_operation() {
        let mut p = payload(json!({"request": {
            "operation": "CREATE", "namespace": "ns",
            "kind": {"group": GROUP, "version": "v1beta1", "kind": "MCPServer"},
            "resource": {"group": GROUP, "version": "v1beta1", "resource": "mcpservers"},
            "object": {"spec": {"externalAuthConfigRef": {"name": "c"}}},
            "oldObject": {"spec": {}}, "userInfo": {"username": "u"}, "dryRun": false
        }, "settings": {"profile": "v0.13"}}));
        assert_eq!(p.settings, json!({"profile": "v0.13"}));
        let members = p.request.as_mut().unwrap();
        let object = members.take_object().unwrap();
        assert!(members.object.is_none(), "taken, not copied");
        assert!(!object.too_deep);
        let object = object.tree;
        let r = Request::read(members);
        assert_eq!(r.kind, Some(ResourceKind::McpServer));
        assert_eq!(
            (r.operation, r.version, r.namespace),
            ("CREATE", "v1beta1", "ns")
        );
        assert!(r.is_checked());
        let refs = config_references(&object, Profile::P2026_08);
        assert_eq!(refs.len(), 1);
        assert_eq!(
            (refs[0].name, refs[0].field.as_str()),
            ("c", "spec.externalAuthConfigRef.name")
        );
        let mut p = payload(
            json!({"request": {"operation": "DELETE", "kind": {"group": GROUP, "kind": "MCPServer"}, "object": null}}),
        );
        let members = p.request.as_mut().unwrap();
        assert!(members.take_object().is_none());
        assert!(!Request::read(members).is_checked());
        let p = payload(
            json!({"request": {"operation": "CREATE", "kind": {"group": "", "kind": "Pod"}}}),
        );
        assert!(!Request::read(p.request.as_ref().unwrap()).is_checked());
        // Members of the wrong type read as empty; a request that is not an object is none.
        let p = payload(json!({"request": {"operation": 1, "kind": "MCPServer", "namespace": []}}));
        let r = Request::read(p.request.as_ref().unwrap());
        assert_eq!((r.operation, r.kind, r.namespace), ("", None, ""));
        for request in [
            json!(1),
            json!("x"),
            json!([1, {}]),
            json!(null),
            json!(true),
        ] {
            assert!(payload(json!({ "request": request })).request.is_none());
        }
        assert!(payload(json!({})).request.is_none());
        // As with a JSON object read whole: a member given twice counts the last time.
        let mut p = Payload::read(r#"{"request": {"object": 1, "object": {"a": 1}}, "x": [{}]}"#)
            .unwrap()
            .unwrap();
        assert_eq!(
            p.request.as_mut().unwrap().take_object().map(|o| o.tree),
            Some(tree(json!({"a": 1})))
        );
        for not_an_object in ["1", "-1", "1.5", "\"s3cr3t\"", "[{}]", "null", "false"] {
            assert!(Payload::read(not_an_object).unwrap().is_none());
        }
    }

    #[test]
    fn references_in_resolution_order_each_name_once() {
        let server = json!({"spec": {
            "authServerRef": {"kind": "MCPExternalAuthConfig", "name": "embedded"},
            "externalAuthConfigRef": {"name": "outgoing"}
        }});
        let server = tree(server);
        let refs = config_references(&server, Profile::P2026_08);
        let got: Vec<(&str, bool)> = refs.iter().map(|r| (r.name, r.auth_server)).collect();
        assert_eq!(got, [("embedded", true), ("outgoing", true)]);
        assert_eq!(refs[0].field, "spec.authServerRef.name");
        // Another kind of auth server is not an MCPExternalAuthConfig.
        let other = json!({"spec": {"authServerRef": {"kind": "Other", "name": "x"}}});
        assert!(config_references(&tree(other), Profile::P2026_08).is_empty());
        // At v0.13 workloads have no authServerRef.
        let at_v013: Vec<&str> = config_references(&server, Profile::V0_13)
            .iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(at_v013, ["outgoing"]);
        let vmcp = json!({"spec": {"outgoingAuth": {
            "default": {"type": "externalAuthConfigRef", "externalAuthConfigRef": {"name": "xaa"}},
            "backends": {
                "github": {"externalAuthConfigRef": {"name": "gh"}},
                "again": {"externalAuthConfigRef": {"name": "xaa"}},
                "empty": {"externalAuthConfigRef": {"name": ""}}
            }
        }}});
        let vmcp = tree(vmcp);
        let refs = config_references(&vmcp, Profile::P2026_08);
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
        assert_eq!(
            config_references(&tree(vmcp), Profile::P2026_08).len(),
            MAX_REFERENCES
        );
    }

    #[test]
    fn the_object_is_read_as_the_core_reads_it() {
        // Members sorted, the last duplicate kept, as a `Value` would have given the core.
        let text = r#"{"request": {"object": {"spec": {"b": 1, "a": [2.5, -1], "b": {"c": null}}, "kind": "K"}}}"#;
        let mut p = Payload::read(text).unwrap().unwrap();
        let object = p.request.as_mut().unwrap().take_object().unwrap();
        assert!(!object.too_deep);
        assert_eq!(
            object.tree,
            tree(json!({"kind": "K", "spec": {"a": [2.5, -1], "b": {"c": null}}}))
        );
        // Deeper than the core reads: flagged, the rest kept. What lies deeper is skipped
        // without recursion, so serde_json's recursion limit (128) no longer applies to the
        // object: however deep, it is the same "nested too deep" rejection.
        let deep = |levels: usize| {
            format!(
                r#"{{"request": {{"object": {{"kind": "K", "x": {}1{}}}}}}}"#,
                "[".repeat(levels),
                "]".repeat(levels)
            )
        };
        let mut p = Payload::read(&deep(MAX_DEPTH)).unwrap().unwrap();
        let object = p.request.as_mut().unwrap().take_object().unwrap();
        assert!(object.too_deep);
        assert_eq!(object.tree.str("kind"), Some("K"));
        let mut p = Payload::read(&deep(MAX_DEPTH - 2)).unwrap().unwrap();
        assert!(!p.request.as_mut().unwrap().take_object().unwrap().too_deep);
        for levels in [200, 100_000] {
            let mut p = Payload::read(&deep(levels)).unwrap().unwrap();
            assert!(p.request.as_mut().unwrap().take_object().unwrap().too_deep);
        }
    }
}
