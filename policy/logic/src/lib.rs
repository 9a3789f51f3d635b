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

use mcpauth_guard::{check_values, ContextOverrides, Options};
use serde::Serialize;
use serde_json::Value;

pub mod cluster;
pub mod hosts;
pub mod request;
pub mod rules;
pub mod settings;
pub mod verdict;

use cluster::Cluster;
use request::{config_references, Payload, Request, GROUP};
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
    let problems = match serde_json::from_slice::<Value>(payload) {
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
    let mut object = match object {
        Some(o) if o.is_object() => o,
        other => {
            return Ok(Verdict::reject(format!(
                "1 problem: [INPUT] the request's object is {}, not a Kubernetes object",
                other.as_ref().map_or("missing", settings::type_name)
            )))
        }
    };
    let namespace = ensure_namespace(&mut object, request.namespace);

    let mut extra_warnings = Vec::new();
    // The referenced configs, checked together with the consumer; the first one that names
    // its embedded auth server is what the policy rules look at.
    let mut fetched: Vec<Value> = Vec::new();
    let mut auth_server: Option<usize> = None;
    if kind.is_consumer() {
        let api_version = format!("{GROUP}/{}", version_or_default(request.version));
        for r in config_references(&object) {
            let name = r.name;
            match cluster.get_resource(&api_version, "MCPExternalAuthConfig", name, &namespace) {
                Ok(config) if config.is_object() => {
                    if r.auth_server && auth_server.is_none() {
                        auth_server = Some(fetched.len());
                    }
                    fetched.push(config);
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

    let mut secrets = Vec::new();
    verdict::collect_secrets(&object, &mut secrets);
    for r in &fetched {
        verdict::collect_secrets(r, &mut secrets);
    }
    let options = Options {
        profile: settings.profile,
        consumer: None,
        context: ContextOverrides {
            namespace: Some(namespace.clone()),
            ..ContextOverrides::default()
        },
    };
    let values: Vec<Value> = std::iter::once(object).chain(fetched).collect();
    let mut report = match check_values(&values, &options) {
        Ok(r) => r,
        Err(e) => {
            let text = verdict::redact(&e.error.message, &secrets);
            log(&format!("the object could not be checked: {text}"));
            return Ok(Verdict::reject(format!(
                "1 problem: [INPUT] the object could not be checked: {text}"
            )));
        }
    };
    let policy = rules::check(
        &settings,
        &rules::Subject {
            kind,
            object: &values[0],
            referenced: auth_server.and_then(|i| values.get(1 + i)),
        },
    );
    if let Some(doc) = report.documents.first_mut() {
        doc.diagnostics.extend(policy);
        doc.valid = !doc
            .diagnostics
            .iter()
            .any(|d| d.severity == mcpauth_guard::Severity::Error);
    }
    Ok(verdict::decide(
        &settings,
        &report,
        extra_warnings,
        &secrets,
    ))
}

/// Gives the object the request's namespace when it has none; returns the namespace used.
fn ensure_namespace(object: &mut Value, request_ns: &str) -> String {
    let own = object
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
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
    if let Some(Value::Object(meta)) = object.get_mut("metadata") {
        meta.insert("namespace".into(), Value::String(ns.clone()));
    } else if let Value::Object(root) = object {
        root.insert("metadata".into(), serde_json::json!({ "namespace": ns }));
    }
    ns
}

fn version_or_default(version: &str) -> &str {
    if version.is_empty() {
        "v1alpha1"
    } else {
        version
    }
}
