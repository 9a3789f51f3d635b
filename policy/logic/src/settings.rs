//! The policy's settings: parsed by hand from JSON so that every problem gets one clear
//! message (`validate_settings`), and so that a typo in a setting's name is an error instead of
//! being silently ignored.

use mcpauth_guard::{Layer, Profile};
use serde_json::{Map, Value};

use crate::hosts::HostPattern;

/// The upstream provider types ToolHive knows.
pub const UPSTREAM_TYPES: [&str; 2] = ["oidc", "oauth2"];

/// Every setting's name, as written in the policy's settings.
pub const KNOWN: [&str; 11] = [
    "profile",
    "rejectLayers",
    "warnLayers",
    "requirePersistentSigningKeys",
    "requirePersistentHmacSecrets",
    "allowedUpstreamIssuers",
    "maxUpstreamProviders",
    "allowedUpstreamTypes",
    "requireRedisStorageForReplicas",
    "forbidInlineClientSecrets",
    "forbidInsecureTransport",
];

/// The validated settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Which ToolHive behaviour the checks follow.
    pub profile: Profile,
    /// Layers whose error diagnostics reject the request.
    pub reject_layers: Vec<Layer>,
    /// Layers whose diagnostics (not rejecting) become AdmissionResponse warnings.
    pub warn_layers: Vec<Layer>,
    /// POL-01: an embedded auth server must name its signing keys.
    pub require_persistent_signing_keys: bool,
    /// POL-02: an embedded auth server must name its HMAC secrets.
    pub require_persistent_hmac_secrets: bool,
    /// POL-03: hosts upstream providers may use (empty: any).
    pub allowed_upstream_issuers: Vec<HostPattern>,
    /// POL-04: the largest number of upstream providers one auth server may have (`None`, or
    /// 0 in the settings: no limit).
    pub max_upstream_providers: Option<u64>,
    /// POL-05: the upstream types allowed (empty: any).
    pub allowed_upstream_types: Vec<String>,
    /// POL-06: a workload with more than one replica must use Redis storage.
    pub require_redis_storage_for_replicas: bool,
    /// POL-07: no plain-text `clientSecret` in a workload's inline OIDC config.
    pub forbid_inline_client_secrets: bool,
    /// POL-08: no `insecure*` transport switches.
    pub forbid_insecure_transport: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            profile: Profile::default(),
            reject_layers: vec![
                Layer::Reconcile,
                Layer::Build,
                Layer::Startup,
                Layer::Consumer,
            ],
            warn_layers: vec![Layer::Advice],
            require_persistent_signing_keys: false,
            require_persistent_hmac_secrets: false,
            allowed_upstream_issuers: Vec::new(),
            max_upstream_providers: None,
            allowed_upstream_types: Vec::new(),
            require_redis_storage_for_replicas: false,
            forbid_inline_client_secrets: false,
            forbid_insecure_transport: false,
        }
    }
}

impl Settings {
    /// Parses and validates settings. `null` means "no settings". On failure, returns one
    /// message per problem.
    pub fn parse(value: &Value) -> Result<Settings, Vec<String>> {
        let empty = Map::new();
        let map = match value {
            Value::Null => &empty,
            Value::Object(m) => m,
            other => {
                return Err(vec![format!(
                    "settings must be an object, not {}",
                    type_name(other)
                )])
            }
        };
        let mut s = Settings::default();
        let mut problems = Vec::new();
        for (key, v) in map {
            if let Err(p) = s.set(key, v) {
                problems.extend(p);
            }
        }
        for layer in &s.reject_layers {
            if s.warn_layers.contains(layer) {
                problems.push(format!(
                    "layer \"{}\" is in both rejectLayers and warnLayers; keep it in one",
                    layer.as_str()
                ));
            }
        }
        if problems.is_empty() {
            Ok(s)
        } else {
            Err(problems)
        }
    }

    /// Sets one member; its problems, one per bad value (every bad item of a list).
    fn set(&mut self, key: &str, v: &Value) -> Result<(), Vec<String>> {
        let one = |e: String| vec![e];
        match key {
            "profile" => self.profile = profile(v).map_err(one)?,
            "rejectLayers" => self.reject_layers = layers(key, v)?,
            "warnLayers" => self.warn_layers = layers(key, v)?,
            "requirePersistentSigningKeys" => {
                self.require_persistent_signing_keys = flag(key, v).map_err(one)?
            }
            "requirePersistentHmacSecrets" => {
                self.require_persistent_hmac_secrets = flag(key, v).map_err(one)?
            }
            "allowedUpstreamIssuers" => {
                self.allowed_upstream_issuers = each_string(key, v, |i, p| {
                    HostPattern::parse(p).map_err(|why| format!("{key}[{i}] {why}"))
                })?;
            }
            "maxUpstreamProviders" => {
                self.max_upstream_providers = max_upstreams(key, v).map_err(one)?
            }
            "allowedUpstreamTypes" => self.allowed_upstream_types = upstream_types(key, v)?,
            "requireRedisStorageForReplicas" => {
                self.require_redis_storage_for_replicas = flag(key, v).map_err(one)?
            }
            "forbidInlineClientSecrets" => {
                self.forbid_inline_client_secrets = flag(key, v).map_err(one)?
            }
            "forbidInsecureTransport" => {
                self.forbid_insecure_transport = flag(key, v).map_err(one)?
            }
            other => {
                return Err(one(format!(
                    "unknown setting \"{other}\"{}",
                    suggest(other)
                        .map(|k| format!(" (did you mean \"{k}\"?)"))
                        .unwrap_or_default()
                )))
            }
        }
        Ok(())
    }
}

/// How a JSON value's type is named in messages (`a string`, `a list`, …).
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn profile(v: &Value) -> Result<Profile, String> {
    let ids = || {
        Profile::available()
            .iter()
            .map(|p| format!("\"{}\"", p.id()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Value::String(id) = v else {
        return Err(format!(
            "profile must be a string ({}), not {}",
            ids(),
            type_name(v)
        ));
    };
    match Profile::parse(id) {
        Some(p) if Profile::available().contains(&p) => Ok(p),
        Some(_) => Err(format!(
            "profile \"{id}\" is not complete yet and cannot be selected; available: {}",
            ids()
        )),
        None => Err(format!("profile \"{id}\" is unknown; available: {}", ids())),
    }
}

fn flag(key: &str, v: &Value) -> Result<bool, String> {
    match v {
        Value::Bool(b) => Ok(*b),
        other => Err(format!(
            "{key} must be true or false, not {}",
            type_name(other)
        )),
    }
}

/// Every value, or every problem.
fn every<T>(results: impl Iterator<Item = Result<T, String>>) -> Result<Vec<T>, Vec<String>> {
    let (mut values, mut problems) = (Vec::new(), Vec::new());
    for r in results {
        match r {
            Ok(v) => values.push(v),
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(problems)
    }
}

/// Each item of the list of strings `v` through `f` (with its index): every value, or every
/// problem, items that are not strings included.
fn each_string<T>(
    key: &str,
    v: &Value,
    f: impl Fn(usize, &str) -> Result<T, String>,
) -> Result<Vec<T>, Vec<String>> {
    let Value::Array(items) = v else {
        return Err(vec![format!(
            "{key} must be a list of strings, not {}",
            type_name(v)
        )]);
    };
    every(items.iter().enumerate().map(|(i, item)| match item {
        Value::String(s) => f(i, s),
        other => Err(format!(
            "{key}[{i}] must be a string, not {}",
            type_name(other)
        )),
    }))
}

fn layers(key: &str, v: &Value) -> Result<Vec<Layer>, Vec<String>> {
    let names = || {
        Layer::ALL
            .iter()
            .filter(|l| **l != Layer::Policy)
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let parsed = each_string(key, v, |i, name| {
        match Layer::parse(name) {
            Some(Layer::Policy) => Err(format!(
                "{key}[{i}] \"policy\": the policy rules (POL-xx) always reject when enabled; remove it"
            )),
            Some(l) => Ok(l),
            None => Err(format!(
                "{key}[{i}] \"{name}\" is not a layer; layers are: {}",
                names()
            )),
        }
    })?;
    let mut out = Vec::new();
    for l in parsed {
        if !out.contains(&l) {
            out.push(l);
        }
    }
    Ok(out)
}

fn max_upstreams(key: &str, v: &Value) -> Result<Option<u64>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => match n.as_u64() {
            // 0 means "no limit" (what a UI form writes for an untouched number field).
            Some(0) => Ok(None),
            Some(n) => Ok(Some(n)),
            None => Err(format!(
                "{key} must be a whole number (0 for no limit), not {n}"
            )),
        },
        other => Err(format!(
            "{key} must be a whole number (0 for no limit), not {}",
            type_name(other)
        )),
    }
}

fn upstream_types(key: &str, v: &Value) -> Result<Vec<String>, Vec<String>> {
    each_string(key, v, |i, t| {
        if UPSTREAM_TYPES.contains(&t) {
            Ok(t.to_owned())
        } else {
            Err(format!(
                "{key}[{i}] \"{t}\" is not an upstream type; ToolHive's types are \"oidc\" and \"oauth2\""
            ))
        }
    })
}

/// The known setting closest to a misspelt one (same letters ignoring case, or a small edit
/// distance).
fn suggest(name: &str) -> Option<&'static str> {
    KNOWN
        .iter()
        .map(|k| {
            (
                edit_distance(&name.to_ascii_lowercase(), &k.to_ascii_lowercase()),
                *k,
            )
        })
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_and_null_give_defaults() {
        assert_eq!(Settings::parse(&json!({})).unwrap(), Settings::default());
        assert_eq!(Settings::parse(&Value::Null).unwrap(), Settings::default());
    }

    #[test]
    fn every_setting_parses() {
        let s = Settings::parse(&json!({
            "profile": "v0.13",
            "rejectLayers": ["admission", "reconcile"],
            "warnLayers": ["advice", "startup"],
            "requirePersistentSigningKeys": true,
            "requirePersistentHmacSecrets": true,
            "allowedUpstreamIssuers": ["*.okta.com", "github.com"],
            "maxUpstreamProviders": 3,
            "allowedUpstreamTypes": ["oidc"],
            "requireRedisStorageForReplicas": true,
            "forbidInlineClientSecrets": true,
            "forbidInsecureTransport": true
        }))
        .unwrap();
        assert_eq!(s.reject_layers, vec![Layer::Admission, Layer::Reconcile]);
        assert_eq!(s.max_upstream_providers, Some(3));
        assert_eq!(s.allowed_upstream_issuers.len(), 2);
        assert!(s.forbid_insecure_transport);
    }

    #[test]
    fn a_whole_float_is_not_a_whole_number() {
        // The playground's settings form (www/src/kubewarden.js) says the same.
        for text in [
            r#"{"maxUpstreamProviders": 3.0}"#,
            r#"{"maxUpstreamProviders": 3e0}"#,
        ] {
            let r = crate::settings_response(text.as_bytes());
            assert_eq!(
                r.message.as_deref(),
                Some("maxUpstreamProviders must be a whole number (0 for no limit), not 3.0"),
                "{text}"
            );
        }
    }

    #[test]
    fn one_message_per_problem() {
        let errs = Settings::parse(&json!({
            "profile": "v9",
            "rejectLayer": ["build"],
            "warnLayers": ["nope"],
            "maxUpstreamProviders": -1,
            "allowedUpstreamTypes": ["saml"],
            "allowedUpstreamIssuers": ["https://okta.com/"],
            "requirePersistentSigningKeys": "yes"
        }))
        .unwrap_err();
        assert_eq!(errs.len(), 7, "{errs:?}");
        let all = errs.join("\n");
        assert!(all.contains("did you mean \"rejectLayers\""), "{all}");
        assert!(all.contains("profile \"v9\" is unknown"), "{all}");
        assert!(
            all.contains("warnLayers[0] \"nope\" is not a layer"),
            "{all}"
        );
        // Every bad item of a list is a problem of its own.
        let errs = Settings::parse(&json!({
            "allowedUpstreamIssuers": ["https://a.com", "b.com:443", 1],
            "rejectLayers": ["nope", "bogus"],
            "allowedUpstreamTypes": ["saml", "ldap", "oidc"]
        }))
        .unwrap_err();
        let all = errs.join("\n");
        assert_eq!(errs.len(), 7, "{all}");
        for item in [
            "allowedUpstreamIssuers[0]",
            "allowedUpstreamIssuers[1]",
            "allowedUpstreamIssuers[2] must be a string",
            "rejectLayers[0]",
            "rejectLayers[1]",
            "allowedUpstreamTypes[0]",
            "allowedUpstreamTypes[1]",
        ] {
            assert!(all.contains(item), "{item}: {all}");
        }
        let errs =
            Settings::parse(&json!({"allowedUpstreamIssuers": ["https://a.com", "b.com:443"]}))
                .unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
    }

    #[test]
    fn unfinished_profiles_and_overlaps_are_refused() {
        let r = Settings::parse(&json!({"profile": "2026-08"}));
        if Profile::available().contains(&Profile::P2026_08) {
            assert!(r.is_ok());
        } else {
            assert!(r.unwrap_err()[0].contains("not complete"));
        }
        let errs = Settings::parse(&json!({"warnLayers": ["build"]})).unwrap_err();
        assert!(
            errs[0].contains("both rejectLayers and warnLayers"),
            "{errs:?}"
        );
        let errs = Settings::parse(&json!({"rejectLayers": ["policy"]})).unwrap_err();
        assert!(errs[0].contains("always reject"), "{errs:?}");
        assert!(Settings::parse(&json!([1])).is_err());
    }
}
