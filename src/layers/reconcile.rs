//! Reconcile: `MCPExternalAuthConfig.Validate()`, run by ToolHive's controller. It returns the
//! first error only (status `Valid=False`); here every check runs, each with its exact text.

use crate::layers::admission::cel::TYPE_BLOCKS;
use crate::path::Path;
use crate::sink::Sink;
use crate::tree::Node;

/// Runs `Validate()` on the admitted `spec`.
pub fn check_spec(spec: &Node, sink: &mut Sink) {
    let path = Path::parse("spec");
    let ty = spec.str_or_empty("type");
    // W-01: the first failing biconditional, in the controller's order.
    if let Some((_, block)) = TYPE_BLOCKS
        .iter()
        .filter(|(rule, _)| crate::catalogue::rule(rule).is_some_and(|r| r.applies(sink.profile())))
        .find(|(_, block)| (ty == *block) != spec.has(block))
    {
        sink.emit(
            "W-01",
            path.clone(),
            format!("spec.type and the {block} block disagree"),
        )
        .toolhive(format!(
            "{block} configuration must be set if and only if type is '{block}'"
        ));
    }
    // Known types: `unauthenticated` and every type whose biconditional exists in the profile.
    let known = ty == "unauthenticated"
        || TYPE_BLOCKS.iter().any(|(rule, block)| {
            *block == ty && crate::catalogue::rule(rule).is_some_and(|r| r.applies(sink.profile()))
        });
    if !known {
        sink.emit(
            "W-03",
            path.key("type"),
            format!("auth type {ty:?} is not supported"),
        )
        .toolhive(format!("unsupported auth type: {ty}"));
    }
    if ty == "embeddedAuthServer" {
        if let Some(eas) = spec.object("embeddedAuthServer") {
            check_embedded(eas, &path.key("embeddedAuthServer"), sink);
        }
    }
    if ty == "awsSts" {
        if let Some(sts) = spec.object("awsSts") {
            check_aws_sts(sts, &path.key("awsSts"), sink);
        }
    }
}

/// `validateEmbeddedAuthServer` (revision A's checks; revision H's additions are in the
/// catalogue under W-05…W-18).
fn check_embedded(eas: &Node, base: &Path, sink: &mut Sink) {
    let providers = eas.items("upstreamProviders");
    if providers.is_empty() {
        sink.emit(
            "W-04",
            base.key("upstreamProviders"),
            "no upstream provider is configured",
        )
        .toolhive("at least one upstream provider is required");
    }
    for (i, p) in providers.iter().enumerate() {
        let at = base.key("upstreamProviders").index(i);
        let name = p.str_or_empty("name");
        if providers[..i]
            .iter()
            .any(|q| q.str_or_empty("name") == name)
        {
            sink.emit(
                "W-08",
                at.key("name"),
                format!("upstream name {name:?} is used by an earlier provider"),
            )
            .toolhive(format!(
                "upstreamProviders[{i}]: duplicate name {}",
                crate::goutil::quote(name)
            ));
        }
        let ty = p.str_or_empty("type");
        let prefix = format!("upstreamProviders[{i}]");
        if (ty == "oidc") != p.has("oidcConfig") {
            let ours = if p.has("oidcConfig") {
                format!("oidcConfig is set but the provider type is {ty:?}")
            } else {
                "type is oidc but oidcConfig is missing".to_owned()
            };
            sink.emit("W-09", at.clone(), ours)
                .toolhive(format!("{prefix}: oidcConfig must be set when type is 'oidc' and must not be set otherwise"));
        } else if (ty == "oauth2") != p.has("oauth2Config") {
            let ours = if p.has("oauth2Config") {
                format!("oauth2Config is set but the provider type is {ty:?}")
            } else {
                "type is oauth2 but oauth2Config is missing".to_owned()
            };
            sink.emit("W-10", at.clone(), ours)
                .toolhive(format!("{prefix}: oauth2Config must be set when type is 'oauth2' and must not be set otherwise"));
        } else if ty != "oidc" && ty != "oauth2" {
            sink.emit(
                "W-11",
                at.key("type"),
                format!("provider type {ty:?} is neither oidc nor oauth2"),
            )
            .toolhive(format!("{prefix}: unsupported provider type: {ty}"));
        }
    }
}

/// `validateAWSSts` (identical in both revisions).
fn check_aws_sts(sts: &Node, base: &Path, sink: &mut Sink) {
    if sts.str_or_empty("region").is_empty() {
        sink.emit("W-20", base.key("region"), "awsSts.region is empty")
            .toolhive("awsSts.region is required");
    }
    let mappings = sts.items("roleMappings");
    if sts.str_or_empty("fallbackRoleArn").is_empty() && mappings.is_empty() {
        sink.emit(
            "W-21",
            base.clone(),
            "awsSts has neither a fallbackRoleArn nor roleMappings",
        )
        .toolhive("awsSts: at least one of fallbackRoleArn or roleMappings must be configured");
    }
    for (i, m) in mappings.iter().enumerate() {
        let at = base.key("roleMappings").index(i);
        if m.str_or_empty("roleArn").is_empty() {
            sink.emit(
                "W-22",
                at.key("roleArn"),
                format!("role mapping {i} has no roleArn"),
            )
            .toolhive(format!("awsSts.roleMappings[{i}].roleArn is required"));
        }
        let claim = !m.str_or_empty("claim").is_empty();
        let matcher = !m.str_or_empty("matcher").is_empty();
        if claim == matcher {
            let (ours, theirs) = if claim {
                (
                    "sets both claim and matcher",
                    "claim and matcher are mutually exclusive",
                )
            } else {
                (
                    "sets neither claim nor matcher",
                    "exactly one of claim or matcher must be set",
                )
            };
            sink.emit("W-22", at.clone(), format!("role mapping {i} {ours}"))
                .toolhive(format!("awsSts.roleMappings[{i}]: {theirs}"));
        }
    }
    if let Some(d) = sts.get("sessionDuration").and_then(|n| match n.value {
        crate::tree::Value::Int(i) => Some(i),
        _ => None,
    }) {
        if !(900..=43200).contains(&d) {
            sink.emit(
                "W-23",
                base.key("sessionDuration"),
                format!("sessionDuration {d} is outside 900–43200 seconds"),
            )
            .toolhive("awsSts.sessionDuration must be between 900 and 43200 seconds");
        }
    }
}
