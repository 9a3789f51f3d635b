//! The npm module's API as plain Rust functions over JSON text, so that every behaviour is
//! tested natively; `lib.rs` only exports them through wasm-bindgen.
//!
//! Every fallible function returns an *envelope*: `{"ok": …}` or `{"error": {"kind": …}}`.
//! The JavaScript wrapper (`npm/js/api.js`) turns an error envelope into a typed `Error`
//! subclass (`ParseError`, `OptionsError`, `InvalidNameError`).

use mcpauth_guard::catalogue::{Decidable, RULES};
use mcpauth_guard::report::Layer;
use mcpauth_guard::secrets;
use mcpauth_guard::{ConsumerKind, ContextOverrides, InputError, Options, Profile, Source};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The source name reports carry when the caller gives none.
pub const DEFAULT_SOURCE: &str = "<input>";

/// Options as JavaScript passes them (`CheckOptions` in `index.d.ts`). `null` counts as absent.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JsOptions {
    /// Profile id (`v0.13`, `2026-08`).
    pub profile: Option<String>,
    /// `MCPServer`, `MCPRemoteProxy` or `VirtualMCPServer` (case-insensitive).
    pub consumer: Option<String>,
    /// Workload namespace.
    pub namespace: Option<String>,
    /// Workload name.
    pub workload: Option<String>,
    /// The workload's resource URL.
    pub resource_url: Option<String>,
    /// The workload's advertised scopes.
    pub scopes: Option<Vec<String>>,
    /// The name reports give the input (default `<input>`).
    pub source: Option<String>,
}

/// Why a call failed, as the JavaScript wrapper receives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ApiError {
    /// The input text (or object) could not be read.
    #[serde(rename_all = "camelCase")]
    Parse {
        /// The full message, with the source name.
        message: String,
        /// The source name.
        source: String,
        /// 1-based line, when known.
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<u32>,
        /// 1-based column, when known.
        #[serde(skip_serializing_if = "Option::is_none")]
        column: Option<u32>,
    },
    /// An option is malformed or names something unknown.
    #[serde(rename_all = "camelCase")]
    Options {
        /// What is wrong.
        message: String,
        /// Which option (`profile`, `consumer`, … or empty for the whole object).
        option: String,
    },
    /// `clientSecretEnvVar` was given a name the CRD would not admit.
    #[serde(rename_all = "camelCase")]
    InvalidName {
        /// The full message.
        message: String,
        /// The offending name.
        name: String,
        /// Why it is invalid.
        reason: String,
        /// A valid name close to it, when one can be made.
        #[serde(skip_serializing_if = "Option::is_none")]
        suggestion: Option<String>,
    },
}

impl ApiError {
    fn options(option: &str, message: impl Into<String>) -> ApiError {
        ApiError::Options {
            message: message.into(),
            option: option.to_owned(),
        }
    }
}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> ApiError {
        ApiError::Parse {
            message: e.to_string(),
            source: e.source,
            line: e.error.line,
            column: e.error.column,
        }
    }
}

fn envelope<T: Serialize>(result: Result<T, ApiError>) -> String {
    // Serialized directly, not through `serde_json::Value`, whose maps would sort the keys
    // (the run config keeps Go's field order).
    let (tag, body) = match result {
        Ok(ok) => ("ok", serde_json::to_string(&ok)),
        Err(error) => ("error", serde_json::to_string(&error)),
    };
    let body = body.unwrap_or_else(|e| {
        json_text(
            &json!({ "kind": "internal", "message": format!("cannot serialize the result: {e}") }),
        )
    });
    format!("{{\"{tag}\":{body}}}")
}

/// A JSON value's compact text: what `Value::to_string` gives, through the same serializer as
/// everything else here (`Display` would instantiate a second one in the wasm module).
fn json_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Parses the options JSON (`""`, `"null"` and `"{}"` mean defaults) into the core's options
/// and the source name.
pub fn parse_options(options_json: &str) -> Result<(Options, String), ApiError> {
    let trimmed = options_json.trim();
    let js: JsOptions = if trimmed.is_empty() || trimmed == "null" {
        JsOptions::default()
    } else {
        serde_json::from_str(trimmed)
            .map_err(|e| ApiError::options("", format!("invalid options: {e}")))?
    };
    let profile = match js.profile.as_deref() {
        None => Profile::default(),
        Some(id) => {
            let p = Profile::parse(id).ok_or_else(|| {
                let known: Vec<&str> = Profile::ALL.iter().map(|p| p.id()).collect();
                ApiError::options(
                    "profile",
                    format!(
                        "unknown profile {id:?}; known profiles: {}",
                        known.join(", ")
                    ),
                )
            })?;
            if !Profile::available().contains(&p) {
                return Err(ApiError::options(
                    "profile",
                    format!("profile {id:?} is not available yet (see profiles())"),
                ));
            }
            p
        }
    };
    let consumer = match js.consumer.as_deref() {
        None | Some("") => None,
        Some(c) => Some(ConsumerKind::parse(c).ok_or_else(|| {
            ApiError::options(
                "consumer",
                format!(
                    "unknown consumer {c:?}; use MCPServer, MCPRemoteProxy or VirtualMCPServer"
                ),
            )
        })?),
    };
    let non_empty = |s: Option<String>| s.filter(|s| !s.is_empty());
    let options = Options {
        profile,
        consumer,
        context: ContextOverrides {
            namespace: non_empty(js.namespace),
            workload: non_empty(js.workload),
            resource_url: non_empty(js.resource_url),
            scopes: js.scopes,
        },
    };
    Ok((
        options,
        js.source.unwrap_or_else(|| DEFAULT_SOURCE.to_owned()),
    ))
}

/// `check(text, options)`: the report of a YAML or JSON text, as an envelope.
pub fn check(text: &str, options_json: &str) -> String {
    let mut redactor = None;
    let answer = envelope(parse_options(options_json).and_then(|(options, source)| {
        let sources = [Source {
            name: &source,
            text,
        }];
        let (report, r) = mcpauth_guard::check_sources_redacting(&sources, &options)?;
        redactor = Some(r);
        Ok(report)
    }));
    redact(answer, redactor)
}

/// `checkObject(value, options)`: the report of an already-parsed object (or an array of
/// objects, one document each), given as JSON text, as an envelope.
pub fn check_object(value_json: &str, options_json: &str) -> String {
    let mut redactor = None;
    let answer = envelope(parse_options(options_json).and_then(|(options, _)| {
        let value: Value = serde_json::from_str(value_json).map_err(|e| ApiError::Parse {
            message: format!("<object>: cannot read the object: {e}"),
            source: "<object>".into(),
            line: None,
            column: None,
        })?;
        let values = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        let (report, r) = mcpauth_guard::check_values_redacting(&values, &options)?;
        redactor = Some(r);
        Ok(report)
    }));
    redact(answer, redactor)
}

/// Secret values never reach the caller, whichever part of the answer quotes them. An input
/// that could not be read has no secrets collected: its error never quotes a value.
fn redact(answer: String, redactor: Option<secrets::Redactor>) -> String {
    match redactor {
        Some(r) => r.redact(&answer),
        None => answer,
    }
}

/// `clientSecretEnvVar(name)`: the env var name, or why the name is invalid, as an envelope.
pub fn client_secret_env_var(name: &str) -> String {
    envelope(
        mcpauth_guard::client_secret_env_var(name).map_err(|e| ApiError::InvalidName {
            message: e.to_string(),
            name: e.name,
            reason: e.reason,
            suggestion: e.suggestion,
        }),
    )
}

/// `rules()`: the rule catalogue as a JSON array.
pub fn rules() -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let (decidable, undecidable) = match r.decidable {
                Decidable::Statically => (true, Value::Null),
                Decidable::AtRuntimeOnly(why) => (false, json!({ "kind": "runtime", "reason": why })),
                Decidable::Unreachable(why) => (false, json!({ "kind": "unreachable", "reason": why })),
            };
            let mut v = json!({
                "id": r.id,
                "layer": r.layer.as_str(),
                "severity": r.severity.as_str(),
                "title": r.title,
                "toolhive": r.toolhive,
                "hint": r.hint,
                "revs": r.revs.as_str(),
                "profiles": Profile::ALL.iter().filter(|p| r.applies(**p)).map(|p| p.id()).collect::<Vec<_>>(),
                "subsumedBy": r.subsumed_by,
                "decidable": decidable,
            });
            if !undecidable.is_null() {
                v["undecidable"] = undecidable;
            }
            v
        })
        .collect();
    json_text(&Value::Array(rules))
}

/// `profiles()`: every profile with its revision text and whether it can be selected.
pub fn profiles() -> String {
    let v: Vec<Value> = Profile::ALL
        .iter()
        .map(|p| {
            json!({
                "id": p.id(),
                "revision": p.behaviour().revision,
                "available": Profile::available().contains(p),
                "default": *p == Profile::default(),
            })
        })
        .collect();
    json_text(&Value::Array(v))
}

/// `layers()`: every layer in order, with what happens in a cluster when ToolHive fails there.
pub fn layers() -> String {
    let v: Vec<Value> = Layer::ALL
        .iter()
        .map(|l| json!({ "id": l.as_str(), "consequence": l.consequence() }))
        .collect();
    json_text(&Value::Array(v))
}

/// The core's version (the report's `tool.version`).
pub fn version() -> String {
    mcpauth_guard::report::Tool::default().version
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    const BAD_NAME: &str = "apiVersion: toolhive.stacklok.dev/v1alpha1
kind: MCPExternalAuthConfig
metadata: { name: okta, namespace: default }
spec:
  type: embeddedAuthServer
  embeddedAuthServer:
    issuer: https://auth.example.com
    upstreamProviders:
      - name: Okta_Prod
        type: oidc
        oidcConfig: { issuerUrl: https://okta.example.com, clientId: abc }
";

    #[test]
    fn options_map_to_core() {
        let (o, source) = parse_options(
            r#"{"profile":"v0.13","consumer":"mcpserver","namespace":"ns","workload":"w",
                "resourceUrl":"https://mcp.example.com","scopes":["openid"],"source":"a.yaml"}"#,
        )
        .unwrap();
        assert_eq!(source, "a.yaml");
        assert_eq!(o.profile, Profile::V0_13);
        assert_eq!(o.consumer, Some(ConsumerKind::McpServer));
        assert_eq!(o.context.namespace.as_deref(), Some("ns"));
        assert_eq!(o.context.workload.as_deref(), Some("w"));
        assert_eq!(
            o.context.resource_url.as_deref(),
            Some("https://mcp.example.com")
        );
        assert_eq!(o.context.scopes, Some(vec!["openid".to_owned()]));
        let (d, source) = parse_options("").unwrap();
        assert_eq!(source, DEFAULT_SOURCE);
        assert!(d.consumer.is_none() && d.context == ContextOverrides::default());
        assert!(parse_options("null").is_ok());
        assert!(parse_options(r#"{"namespace":null}"#).is_ok());
    }

    #[test]
    fn both_profiles_are_accepted() {
        for id in ["v0.13", "2026-08"] {
            let (o, _) = parse_options(&format!(r#"{{"profile":"{id}"}}"#)).expect("accepted");
            assert_eq!(o.profile.id(), id);
        }
    }

    #[test]
    fn bad_options_are_named() {
        for (json, option) in [
            (r#"{"profile":"v9"}"#, "profile"),
            (r#"{"consumer":"Pod"}"#, "consumer"),
            (r#"{"profle":"v0.13"}"#, ""),
            (r#"{"scopes":"openid"}"#, ""),
        ] {
            match parse_options(json) {
                Err(ApiError::Options { option: o, .. }) => assert_eq!(o, option, "{json}"),
                other => panic!("{json}: {other:?}"),
            }
        }
    }

    #[test]
    fn check_reports_s04_at_the_name() {
        let r = parse(&check(BAD_NAME, "{}"));
        let doc = &r["ok"]["documents"][0];
        assert_eq!(r["ok"]["profile"], "2026-08");
        assert_eq!(doc["source"], DEFAULT_SOURCE);
        let d = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == "S-04")
            .expect("S-04");
        let (start, end) = (
            d["offset"].as_u64().unwrap() as usize,
            d["endOffset"].as_u64().unwrap() as usize,
        );
        assert_eq!(&BAD_NAME[start..end], "Okta_Prod");
    }

    #[test]
    fn offsets_are_utf16_with_non_ascii_text() {
        // A comment with a 2-unit character (😀) and a 1-unit, 2-byte one (é) before the name.
        let text = BAD_NAME.replace("metadata:", "# café 😀\nmetadata:");
        let r = parse(&check(&text, "{}"));
        let d = r["ok"]["documents"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == "S-04")
            .cloned()
            .expect("S-04");
        let units: Vec<u16> = text.encode_utf16().collect();
        let (start, end) = (
            d["offset"].as_u64().unwrap() as usize,
            d["endOffset"].as_u64().unwrap() as usize,
        );
        assert_eq!(String::from_utf16(&units[start..end]).unwrap(), "Okta_Prod");
        assert_eq!(d["line"], 10);
        assert_eq!(d["column"], 15);
    }

    #[test]
    fn run_config_keeps_field_order() {
        let text = BAD_NAME.replace("Okta_Prod", "okta-prod");
        let out = check(&text, "{}");
        let rc = &out[out.find("\"runConfig\"").expect("a run config")..];
        let schema = rc.find("\"schema_version\"").expect("schema_version");
        let issuer = rc.find("\"issuer\"").expect("issuer");
        assert!(
            schema < issuer,
            "Go's order: schema_version before issuer: {rc}"
        );
    }

    #[test]
    fn parse_errors_carry_positions() {
        let r = parse(&check("a: [1, 2\nb: }", "{}"));
        let e = &r["error"];
        assert_eq!(e["kind"], "parse");
        assert_eq!(e["source"], DEFAULT_SOURCE);
        assert!(e["line"].as_u64().is_some(), "{e}");
        assert!(e["column"].as_u64().is_some(), "{e}");
    }

    #[test]
    fn check_object_accepts_objects_and_arrays() {
        let obj = r#"{"apiVersion":"toolhive.stacklok.dev/v1alpha1","kind":"MCPExternalAuthConfig",
            "metadata":{"name":"x"},"spec":{"type":"embeddedAuthServer","embeddedAuthServer":{
            "issuer":"https://auth.example.com","upstreamProviders":[{"name":"Okta_Prod","type":"oidc",
            "oidcConfig":{"issuerUrl":"https://okta.example.com","clientId":"abc"}}]}}}"#;
        let r = parse(&check_object(obj, "{}"));
        let docs = r["ok"]["documents"].as_array().unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0]["source"], "<object>");
        assert!(docs[0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "S-04"));
        let r = parse(&check_object(&format!("[{obj},{obj}]"), "{}"));
        assert_eq!(r["ok"]["documents"].as_array().unwrap().len(), 2);
        assert_eq!(parse(&check_object("42", "{}"))["error"]["kind"], "parse");
    }

    #[test]
    fn env_var_names() {
        assert_eq!(
            parse(&client_secret_env_var("okta-prod"))["ok"],
            "TOOLHIVE_UPSTREAM_CLIENT_SECRET_OKTA_PROD"
        );
        let e = &parse(&client_secret_env_var("Okta_Prod"))["error"];
        assert_eq!(e["kind"], "invalidName");
        assert_eq!(e["name"], "Okta_Prod");
        assert_eq!(e["suggestion"], "okta-prod");
        assert!(e["reason"].as_str().unwrap().contains("upper-case"));
        assert!(parse(&client_secret_env_var(""))["error"]
            .get("suggestion")
            .is_none());
    }

    #[test]
    fn catalogue_profiles_layers_version() {
        let rules = parse(&rules());
        let s04 = rules
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "S-04")
            .unwrap();
        assert_eq!(s04["layer"], "admission");
        assert_eq!(s04["severity"], "error");
        assert_eq!(s04["decidable"], true);
        assert_eq!(rules.as_array().unwrap().len(), RULES.len());
        assert!(rules
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["decidable"] == false
                && r["undecidable"]["reason"]
                    .as_str()
                    .is_some_and(|s| !s.is_empty())));
        let profiles = parse(&profiles());
        assert_eq!(profiles[0]["id"], "v0.13");
        assert_eq!(profiles[0]["available"], true);
        assert_eq!(profiles[0]["default"], false);
        assert_eq!(profiles[1]["id"], "2026-08");
        assert_eq!(profiles[1]["default"], true);
        let layers = parse(&layers());
        assert_eq!(layers.as_array().unwrap().len(), Layer::ALL.len());
        assert_eq!(layers[0]["id"], "admission");
        assert_eq!(version(), env!("CARGO_PKG_VERSION"));
    }
}
