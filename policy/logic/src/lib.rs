//! # mcpauth-guard Kubewarden policy: the logic
//!
//! Everything the policy decides, as an ordinary library with no waPC in it: the guest crate
//! (`policy/`, a `cdylib`) only registers `validate`, `validate_settings` and
//! `protocol_version` and calls [`evaluate`] and [`settings_response`] with the host's
//! [`cluster::Cluster`] and log. Native tests and the fuzz target (`fuzz/`, `validate_payload`)
//! call the same functions with fixture clusters.
//!
//! Validates CREATE and UPDATE of ToolHive's `MCPExternalAuthConfig`, `MCPServer`,
//! `MCPRemoteProxy` and `VirtualMCPServer` with the mcpauth-guard core, exactly as ToolHive
//! would judge them, plus the project's optional policy rules (POL-xx, [`rules`]). A consumer
//! that references an `MCPExternalAuthConfig` is checked together with the referenced object,
//! fetched through the host capability `kubernetes/get_resource`. See docs/POLICY.md.

use mcpauth_guard::parse::MAX_DEPTH;
use mcpauth_guard::secrets::{collect_secrets, redact};
use mcpauth_guard::tree::{Entry, Node, Value as TreeValue};
use mcpauth_guard::{check_nodes, too_deep, ContextOverrides, Options};
use serde::Serialize;
use serde_json::Value;

pub mod cluster;
pub mod hosts;
pub mod request;
pub mod rules;
pub mod settings;
pub mod verdict;

use cluster::Cluster;
use request::{config_references, Object, Payload, Request, GROUP};
use settings::Settings;
use verdict::Verdict;

/// The `validate_settings` answer (Kubewarden's `SettingsValidationResponse` wire format:
/// `{"valid": …, "message": …}`, `message` null when valid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingsResponse {
    /// Whether the settings are accepted.
    pub valid: bool,
    /// One message per problem, joined with `; `.
    pub message: Option<String>,
}

/// The `validate_settings` answer for a settings payload.
pub fn settings_response(payload: &[u8]) -> SettingsResponse {
    let problems = match utf8(payload)
        .and_then(|text| serde_json::from_str::<Value>(text).map_err(|e| e.to_string()))
    {
        Ok(v) => Settings::parse(&v).err(),
        Err(e) => Some(vec![format!("settings are not valid JSON: {e}")]),
    };
    SettingsResponse {
        valid: problems.is_none(),
        message: problems.map(|p| p.join("; ")),
    }
}

/// A payload the policy cannot work with at all (the host answers 500, failing closed).
#[derive(Debug)]
pub struct BadPayload(pub String);

impl std::fmt::Display for BadPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadPayload {}

/// Evaluates one validation payload (`{"request": …, "settings": …}`). `log` receives
/// operational warnings (sent to the host's tracing in the real policy).
pub fn evaluate(
    payload: &[u8],
    cluster: &dyn Cluster,
    log: &dyn Fn(&str),
) -> Result<Verdict, BadPayload> {
    // Never echo the payload in an error: it may hold secrets. The parser's own words for a
    // syntax error ("expected value", "recursion limit exceeded", …) are fixed texts.
    let payload = utf8(payload)
        .map_err(|e| BadPayload(format!("the validation payload is not JSON: {e}")))?;
    let payload = Payload::read(payload).map_err(|e| {
        let text = e.to_string();
        let why = text.split(" at line ").next().unwrap_or_default();
        BadPayload(format!(
            "the validation payload is not JSON: {why} (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    // A payload that is JSON but not an object has neither settings nor a request.
    let Payload { request, settings } = payload.unwrap_or_default();
    let settings = Settings::parse(&settings)
        .map_err(|p| BadPayload(format!("invalid settings: {}", p.join("; "))))?;
    let mut members =
        request.ok_or_else(|| BadPayload("the validation payload has no request object".into()))?;
    let object = members.take_object();
    let request = Request::read(&members);
    if !request.is_checked() {
        return Ok(Verdict::accept());
    }
    let kind = request.kind.expect("is_checked implies a kind");
    let (mut object, object_too_deep) = match object {
        Some(Object { tree, too_deep }) if tree.as_map().is_some() => (tree, too_deep),
        other => {
            return Ok(Verdict::reject(format!(
                "1 problem: [INPUT] the request's object is {}, not a Kubernetes object",
                other.as_ref().map_or("missing", |o| type_name(&o.tree))
            )))
        }
    };
    let namespace = ensure_namespace(&mut object, request.namespace);
    // The first object the core would refuse as nested too deep (0 is the request's).
    let mut first_too_deep = object_too_deep.then_some(0);

    let mut extra_warnings = Vec::new();
    // The referenced configs, checked together with the consumer; the first one that names
    // its embedded auth server is what the policy rules look at.
    let mut fetched: Vec<Node> = Vec::new();
    let mut auth_server: Option<usize> = None;
    if kind.is_consumer() {
        let api_version = format!("{GROUP}/{}", version_or_default(request.version));
        for r in config_references(&object, settings.profile) {
            let name = r.name;
            match cluster.get_resource(&api_version, "MCPExternalAuthConfig", name, &namespace) {
                Ok(config) if config.is_object() => {
                    if r.auth_server && auth_server.is_none() {
                        auth_server = Some(fetched.len());
                    }
                    fetched.push(Node::from_json(&config, MAX_DEPTH).unwrap_or_else(|_| {
                        first_too_deep.get_or_insert(1 + fetched.len());
                        Node::new(TreeValue::Null)
                    }));
                }
                outcome => {
                    let why = match outcome {
                        Ok(_) => "the host returned something that is not an object".to_owned(),
                        Err(e) => e,
                    };
                    log(&format!(
                        "MCPExternalAuthConfig {namespace}/{name} could not be fetched: {why}"
                    ));
                    extra_warnings.push(format!(
                        "{}: MCPExternalAuthConfig {namespace}/{name} was not found \
                         (or the policy server may not read it); the checks that need it were skipped",
                        r.field
                    ));
                }
            }
        }
    }

    let options = Options {
        profile: settings.profile,
        consumer: None,
        context: ContextOverrides {
            namespace: Some(namespace.clone()),
            ..ContextOverrides::default()
        },
    };
    // The policy's own rules first, on the trees as they were sent.
    let policy = rules::check(
        &settings,
        &rules::Subject {
            kind,
            object: &object,
            referenced: auth_server.and_then(|i| fetched.get(i)),
        },
    );
    let mut trees: Vec<Node> = std::iter::once(object).chain(fetched).collect();
    let checked = match first_too_deep {
        Some(index) => Err(too_deep(index)),
        None => check_nodes(&mut trees, &options),
    };
    // The secret values of the trees, collected only when there is text to redact (an
    // accepted request without warnings has none: a sixth of its work, docs/PERFORMANCE.md).
    // Admission's defaults in the trees add no secret.
    let secrets = || {
        let mut secrets = Vec::new();
        for tree in &trees {
            collect_secrets(tree, &mut secrets);
        }
        secrets
    };
    let mut report = match checked {
        Ok(r) => r,
        Err(e) => {
            let text = redact(&e.error.message, &secrets());
            log(&format!("the object could not be checked: {text}"));
            return Ok(Verdict::reject(format!(
                "1 problem: [INPUT] the object could not be checked: {text}"
            )));
        }
    };
    if let Some(doc) = report.documents.first_mut() {
        doc.diagnostics.extend(policy);
        doc.valid = !doc
            .diagnostics
            .iter()
            .any(|d| d.severity == mcpauth_guard::Severity::Error);
    }
    Ok(verdict::decide(&settings, &report, extra_warnings, secrets))
}

/// `bytes` as text, or where they stop being UTF-8 (serde_json's line and column: bytes since
/// the last line break, 1-based).
pub fn utf8(bytes: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
        let column = 1 + valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        format!("invalid UTF-8 (line {line}, column {column})")
    })
}

/// Gives the object the request's namespace when it has none; returns the namespace used.
/// Members are inserted where a `BTreeMap` would put them: the object was read with its
/// members sorted (see [`Node::read_json`]).
fn ensure_namespace(object: &mut Node, request_ns: &str) -> String {
    let own = object
        .get("metadata")
        .and_then(|m| m.str("namespace"))
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if let Some(ns) = own {
        return ns;
    }
    let ns = if request_ns.is_empty() {
        mcpauth_guard::context::DEFAULT_NAMESPACE.to_owned()
    } else {
        request_ns.to_owned()
    };
    let namespace = member("namespace", Node::new(TreeValue::String(ns.clone())));
    match object.get_mut("metadata") {
        Some(meta) if meta.as_map().is_some() => set_member(meta, namespace),
        _ => set_member(
            object,
            member("metadata", Node::new(TreeValue::Map(vec![namespace]))),
        ),
    }
    ns
}

fn member(key: &'static str, value: Node) -> Entry {
    Entry {
        key: key.into(),
        key_span: None,
        value,
    }
}

/// Sets a member of a mapping whose members are sorted, keeping them sorted.
fn set_member(map: &mut Node, member: Entry) {
    if let TreeValue::Map(entries) = &mut map.value {
        match entries.binary_search_by(|e| e.key.cmp(&member.key)) {
            Ok(i) => entries[i] = member,
            Err(i) => entries.insert(i, member),
        }
    }
}

/// How the request's object's type is named in the rejection (`a string`, `a list`, …), as
/// the settings' messages name types.
fn type_name(node: &Node) -> &'static str {
    match node.value {
        TreeValue::Null => "null",
        TreeValue::Bool(_) => "a boolean",
        TreeValue::Int(_) | TreeValue::Float(_) => "a number",
        TreeValue::String(_) => "a string",
        TreeValue::Seq(_) => "a list",
        TreeValue::Map(_) => "an object",
    }
}

fn version_or_default(version: &str) -> &str {
    if version.is_empty() {
        "v1alpha1"
    } else {
        version
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tree(v: Value) -> Node {
        Node::from_json(&v, MAX_DEPTH).unwrap()
    }

    #[test]
    fn the_namespace_is_added_where_a_json_object_would_have_it() {
        // Without metadata, with metadata of the wrong type, without a namespace, with an
        // empty one: the request's namespace, in sorted position; as before with a Value.
        for (object, want) in [
            (
                json!({"kind": "K", "spec": {}}),
                json!({"kind": "K", "metadata": {"namespace": "ns"}, "spec": {}}),
            ),
            (
                json!({"metadata": "x", "spec": {}}),
                json!({"metadata": {"namespace": "ns"}, "spec": {}}),
            ),
            (
                json!({"metadata": {"name": "n", "uid": "u"}}),
                json!({"metadata": {"name": "n", "namespace": "ns", "uid": "u"}}),
            ),
            (
                json!({"metadata": {"namespace": ""}}),
                json!({"metadata": {"namespace": "ns"}}),
            ),
        ] {
            let mut node = tree(object.clone());
            assert_eq!(ensure_namespace(&mut node, "ns"), "ns", "{object}");
            assert_eq!(node, tree(want), "{object}");
        }
        // Its own namespace stays; no namespace anywhere is the default one.
        let mut node = tree(json!({"metadata": {"namespace": "own"}}));
        assert_eq!(ensure_namespace(&mut node, "ns"), "own");
        let mut node = tree(json!({}));
        assert_eq!(
            ensure_namespace(&mut node, ""),
            mcpauth_guard::context::DEFAULT_NAMESPACE
        );
    }
}
