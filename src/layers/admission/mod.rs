//! Admission: what the Kubernetes API server refuses (CRD schema and CEL rules) — and what it
//! silently changes (unknown fields pruned, defaults applied), which later layers must see.

pub mod cel;
mod pattern;
pub mod schema;

use std::borrow::Cow;

use schema::{Found, Issue, SchemaRef};

use crate::goutil;
use crate::path::{Path, Segment};
use crate::profile::Profile;
use crate::sink::Sink;
use crate::tree::Node;

/// Which schema rule id a violation at a path belongs to. Paths under the embedded auth
/// server are written relative to it (`eas.`), so the table serves MCPExternalAuthConfig and
/// VirtualMCPServer alike. First match wins; `S-00` catches the rest.
const SCHEMA_RULES: &[(&str, &str)] = &[
    ("spec.type", "S-01"),
    ("eas.issuer", "S-02"),
    ("eas.upstreamProviders", "S-03"),
    ("eas.upstreamProviders[]", "S-03"),
    ("eas.upstreamProviders[].name", "S-04"),
    ("eas.upstreamProviders[].type", "S-05"),
    ("eas.upstreamProviders[].oidcConfig.issuerUrl", "S-06"),
    ("eas.upstreamProviders[].oidcConfig.clientId", "S-06"),
    ("eas.upstreamProviders[].oauth2Config.clientId", "S-07"),
    ("eas.upstreamProviders[].oauth2Config.userInfo", "S-07"),
    (
        "eas.upstreamProviders[].oauth2Config.authorizationEndpoint",
        "S-08",
    ),
    ("eas.upstreamProviders[].oauth2Config.tokenEndpoint", "S-08"),
    ("eas.upstreamProviders[].oauth2Config.userInfo.*", "S-09"),
    (
        "eas.upstreamProviders[].oidcConfig.userInfoOverride.*",
        "S-09",
    ),
    (
        "eas.upstreamProviders[].oauth2Config.tokenResponseMapping.*",
        "S-10",
    ),
    ("eas.signingKeySecretRefs", "S-11"),
    ("eas.tokenLifespans.*", "S-12"),
    ("eas.storage.redis.dialTimeout", "S-12"),
    ("eas.storage.redis.readTimeout", "S-12"),
    ("eas.storage.redis.writeTimeout", "S-12"),
    ("eas.storage.type", "S-13"),
    ("eas.storage.redis.sentinelConfig", "S-14"),
    ("eas.storage.redis.aclUserConfig.usernameSecretRef", "S-14"),
    ("spec.tokenExchange.*", "S-15"),
    ("spec.headerInjection.*", "S-16"),
    ("spec.bearerToken.*", "S-16"),
    ("spec.awsSts.*", "S-17"),
    // Profile 2026-08 (fields that do not exist at v0.13 are pruned there, never validated).
    ("eas.upstreamProviders[].oidcConfig.subjectClaim", "S-18"),
    (
        "eas.upstreamProviders[].oidcConfig.additionalAuthorizationParams.*",
        "S-19",
    ),
    (
        "eas.upstreamProviders[].oauth2Config.additionalAuthorizationParams.*",
        "S-19",
    ),
    (
        "eas.upstreamProviders[].oauth2Config.dcrConfig.discoveryUrl",
        "S-20",
    ),
    (
        "eas.upstreamProviders[].oauth2Config.dcrConfig.registrationEndpoint",
        "S-20",
    ),
    (
        "eas.upstreamProviders[].oauth2Config.dcrConfig.softwareId",
        "S-20",
    ),
    (
        "eas.upstreamProviders[].oauth2Config.dcrConfig.softwareStatement",
        "S-20",
    ),
    (
        "eas.upstreamProviders[].oauth2Config.identityFromToken.*",
        "S-21",
    ),
    ("spec.upstreamInject.*", "S-22"),
    ("spec.obo.*", "S-23"),
    ("spec.xaa.*", "S-24"),
    ("eas.cimd.cacheFallbackTtl", "S-12"),
    ("eas.delegateClients.*", "S-25"),
    ("eas.trustedIssuers.*", "S-25"),
    ("eas.baselineClientScopes.*", "S-25"),
    ("eas.forceConfidentialRedirectUris.*", "S-25"),
    ("eas.cimd.*", "S-25"),
    ("eas.primaryUpstreamProvider", "S-25"),
    ("eas.authorizationEndpointBaseUrl", "S-25"),
];

/// The schema rule for a path pattern (indices as `[]`), relative to `eas_base`: the first
/// entry of [`SCHEMA_RULES`] that matches and whose rule applies in `profile` (a field whose
/// v0.13-only rule no longer applies — e.g. `oauth2Config.clientId`, optional at 2026-08 —
/// falls through to the next entry or `S-00`). `prefix.*` matches the prefix itself and
/// everything below it, members (`prefix.x`) and items (`prefix[]`).
fn schema_rule(pattern: &str, eas_base: &str, profile: Profile) -> &'static str {
    let normalized = match pattern.strip_prefix(eas_base) {
        Some(rest) if !eas_base.is_empty() => format!("eas{rest}"),
        _ => pattern.to_owned(),
    };
    SCHEMA_RULES
        .iter()
        .filter(|(_, id)| crate::catalogue::rule(id).is_some_and(|r| r.applies(profile)))
        .find(|(p, _)| match p.strip_suffix(".*") {
            Some(prefix) => normalized
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '['])),
            None => normalized == *p,
        })
        .map_or("S-00", |(_, id)| id)
}

/// Validates `node` (at `path`) against `schema`, reports every violation with the API
/// server's message, and returns the admitted object.
pub fn admit<'n>(
    schema: SchemaRef<'_>,
    node: &'n Node,
    path: &Path,
    eas_base: &str,
    sink: &mut Sink,
) -> Cow<'n, Node> {
    let (admitted, found) = schema.admit(node, path);
    admitted_checks(&admitted, &found, path, eas_base, sink);
    admitted
}

/// Like [`admit`], on `node` itself when the API server only adds defaults
/// ([`SchemaRef::admit_in_place`]): returns the admitted copy when one is needed, `None` when
/// `node` is now the admitted object.
pub fn admit_in_place(
    schema: SchemaRef<'_>,
    node: &mut Node,
    path: &Path,
    eas_base: &str,
    sink: &mut Sink,
) -> Option<Node> {
    let (copy, found) = schema.admit_in_place(node, path);
    admitted_checks(copy.as_ref().unwrap_or(node), &found, path, eas_base, sink);
    copy
}

/// Reports the schema's issues, then the CEL rules of an embedded auth server config.
fn admitted_checks(admitted: &Node, found: &[Found], path: &Path, eas_base: &str, sink: &mut Sink) {
    for f in found {
        report(f, eas_base, sink);
    }
    // An embedded auth server config admitted on its own (a VirtualMCPServer's inline
    // `spec.authServerConfig`, the same Go type) carries its type's CEL rules too; an
    // MCPExternalAuthConfig's runs them from `cel::check_spec`.
    if !eas_base.is_empty() && path.to_string() == eas_base && admitted.as_map().is_some() {
        cel::check_embedded(admitted, path, sink);
    }
}

fn report(f: &Found, eas_base: &str, sink: &mut Sink) {
    let p = f.path.to_string();
    if f.issue == Issue::Unknown {
        sink.emit(
            "ADV-01",
            f.path.clone(),
            format!("unknown field \"{p}\": the API server drops it"),
        )
        .toolhive(format!("unknown field \"{p}\""))
        .at_key();
        return;
    }
    let rule = schema_rule(&f.path.pattern(), eas_base, sink.profile());
    let (message, apiserver) = match &f.issue {
        Issue::Required => (format!("{p} is required"), format!("{p}: Required value")),
        Issue::Type { expected, got } => (
            format!("{p} must be of type {expected}, not {got}"),
            format!(
                "{p}: Invalid value: \"{got}\": {p} in body must be of type {expected}: \"{got}\""
            ),
        ),
        Issue::Enum { value, allowed } => (
            format!("{value} is not one of {}", allowed.join(", ")),
            format!(
                "{p}: Unsupported value: {value}: supported values: {}",
                allowed.join(", ")
            ),
        ),
        Issue::Pattern { value, pattern } => (
            format!("{value} does not match the pattern {pattern}"),
            format!("{p}: Invalid value: {value}: {p} in body should match '{pattern}'"),
        ),
        Issue::MinLength { value, min } => (
            format!("{p} must be at least {min} characters long"),
            format!("{p}: Invalid value: {value}: {p} in body should be at least {min} chars long"),
        ),
        Issue::MaxLength { max } => (
            format!("{p} must be at most {max} characters long"),
            format!("{p}: Too long: may not be more than {max} bytes"),
        ),
        Issue::MinItems { len, min } => (
            format!("{p} must have at least {min} item(s), it has {len}"),
            format!("{p}: Invalid value: {len}: {p} in body should have at least {min} items"),
        ),
        Issue::MaxItems { len, max } => (
            format!("{p} may have at most {max} items, it has {len}"),
            format!("{p}: Too many: {len}: must have at most {max} items"),
        ),
        Issue::Minimum { value, min } => (
            format!("{p} must be at least {}", goutil::format_number(*min)),
            format!(
                "{p}: Invalid value: {value}: {p} in body should be greater than or equal to {}",
                goutil::format_number(*min)
            ),
        ),
        Issue::Maximum { value, max } => (
            format!("{p} must be at most {}", goutil::format_number(*max)),
            format!(
                "{p}: Invalid value: {value}: {p} in body should be less than or equal to {}",
                goutil::format_number(*max)
            ),
        ),
        Issue::Duplicate { keys } => (
            format!("{p} repeats the key of an earlier item ({keys})"),
            format!("{p}: Duplicate value: map[string]interface {{}}{{{keys}}}"),
        ),
        Issue::Unknown => unreachable!("handled above"),
    };
    let d = sink.emit(rule, f.path.clone(), message);
    d.toolhive(apiserver);
    if f.issue == Issue::Required {
        d.at_key();
    }
    // S-20's catalogue hint is about the URLs; its length bounds get their own.
    if rule == "S-20"
        && matches!(
            f.path.segments().last(),
            Some(Segment::Key(k)) if &**k == "softwareId" || &**k == "softwareStatement"
        )
    {
        d.hint("softwareId and softwareStatement are strings: softwareId at most 255 characters, softwareStatement (the signed JWT the provider issued) at most 16384");
    }
    if rule == "S-04" {
        if let Some((reason, fixed)) = invalid_name_suggestion(f) {
            match fixed {
                Some(name) => d
                    .hint(format!("{reason}: use {name:?}"))
                    .fix(serde_json::Value::String(name)),
                None => d.hint(format!("{reason}; use lowercase letters, digits and '-'")),
            };
        }
    }
}

/// For a bad upstream name: why it is invalid and, when one can be made, the DNS-label name
/// closest to it (a certain fix).
fn invalid_name_suggestion(f: &Found) -> Option<(String, Option<String>)> {
    let value = match &f.issue {
        Issue::Pattern { value, .. } => value,
        _ => return None,
    };
    let raw: String = serde_json::from_str(value).ok()?;
    let err = crate::envname::validate_name(&raw).err()?;
    Some((err.reason, err.suggestion))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_rule_table() {
        let schema_rule = |p: &str, b: &str| super::schema_rule(p, b, Profile::V0_13);
        let base = "spec.embeddedAuthServer";
        assert_eq!(
            schema_rule("spec.embeddedAuthServer.upstreamProviders[].name", base),
            "S-04"
        );
        assert_eq!(
            schema_rule(
                "spec.authServerConfig.upstreamProviders[].name",
                "spec.authServerConfig"
            ),
            "S-04"
        );
        assert_eq!(
            schema_rule(
                "spec.embeddedAuthServer.upstreamProviders[].oauth2Config.userInfo.endpointUrl",
                base
            ),
            "S-09"
        );
        assert_eq!(
            schema_rule(
                "spec.embeddedAuthServer.upstreamProviders[].oauth2Config.userInfo",
                base
            ),
            "S-07"
        );
        assert_eq!(schema_rule("spec.awsSts.region", base), "S-17");
        assert_eq!(
            schema_rule("spec.embeddedAuthServer.hmacSecretRefs[].key", base),
            "S-00"
        );
    }

    #[test]
    fn s_20_length_bounds_get_their_own_hint() {
        let text = format!(
            "apiVersion: toolhive.stacklok.dev/v1beta1\nkind: MCPExternalAuthConfig\nmetadata: {{name: a}}\nspec:\n  type: embeddedAuthServer\n  embeddedAuthServer:\n    issuer: https://auth.example.com\n    upstreamProviders:\n      - name: gh\n        type: oauth2\n        oauth2Config:\n          authorizationEndpoint: https://gh.example.com/authorize\n          tokenEndpoint: https://gh.example.com/token\n          redirectUri: https://mcp.example.com/oauth/callback\n          dcrConfig:\n            discoveryUrl: https://gh.example.com/?x\n            softwareId: {}\n",
            "a".repeat(256)
        );
        let report = crate::check_text("t", &text, &crate::Options::default()).unwrap();
        let hint = |field: &str| {
            report.documents[0]
                .diagnostics
                .iter()
                .find(|d| d.rule == "S-20" && d.path.ends_with(field))
                .and_then(|d| d.hint.clone())
                .unwrap_or_else(|| panic!("no S-20 at {field}"))
        };
        assert!(hint("softwareId").contains("at most 255 characters"));
        assert!(hint("discoveryUrl").contains("https"));
    }

    #[test]
    fn schema_rule_table_2026_08() {
        let h = |p: &str| super::schema_rule(p, "spec.embeddedAuthServer", Profile::P2026_08);
        let eas = "spec.embeddedAuthServer";
        // Optional at 2026-08: the v0.13-only S-07 no longer claims the field.
        assert_eq!(
            h(&format!("{eas}.upstreamProviders[].oauth2Config.clientId")),
            "S-00"
        );
        assert_eq!(h(&format!("{eas}.upstreamProviders[]")), "S-03");
        assert_eq!(h(&format!("{eas}.delegateClients")), "S-25");
        assert_eq!(h(&format!("{eas}.delegateClients[].clientId")), "S-25");
        assert_eq!(h(&format!("{eas}.cimd.cacheFallbackTtl")), "S-12");
        assert_eq!(
            h(&format!(
                "{eas}.upstreamProviders[].oauth2Config.additionalAuthorizationParams"
            )),
            "S-19"
        );
        assert_eq!(h("spec.obo.scopes[]"), "S-23");
        assert_eq!(
            h(&format!(
                "{eas}.upstreamProviders[].oauth2Config.dcrConfig.initialAccessTokenRef.key"
            )),
            "S-00"
        );
    }
}
