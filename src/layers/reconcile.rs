//! Reconcile: `MCPExternalAuthConfig.Validate()`, run by ToolHive's controller. It returns the
//! first error only (status `Valid=False`); here every check runs, each with its exact text.

use std::collections::HashSet;

use crate::goutil::{parse_duration, parse_url, quote};
use crate::layers::admission::cel::TYPE_BLOCKS;
use crate::layers::urls::{check_redirect_uri, is_loopback_host};
use crate::path::Path;
use crate::sink::Sink;
use crate::tree::Node;

/// Runs `Validate()` on the admitted `spec`.
pub fn check_spec(spec: &Node, sink: &mut Sink) {
    let path = Path::parse("spec");
    let ty = spec.str_or_empty("type");
    // W-01: the first failing biconditional, in the controller's order (`obo` first, where
    // the profile has it; then the CEL order).
    let in_profile: Vec<&str> = TYPE_BLOCKS
        .iter()
        .filter(|(rule, _)| crate::catalogue::rule(rule).is_some_and(|r| r.applies(sink.profile())))
        .map(|(_, block)| *block)
        .collect();
    let order = in_profile
        .iter()
        .filter(|b| **b == "obo")
        .chain(in_profile.iter().filter(|b| **b != "obo"));
    let mismatch = order
        .copied()
        .find(|block| (ty == *block) != spec.has(block));
    if let Some(block) = mismatch {
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
            let base = path.key("embeddedAuthServer");
            check_embedded(eas, &base, sink);
            identity_synthesized(eas, &base, sink);
        }
    }
    if ty == "upstreamInject" && mismatch.is_none() {
        if let Some(ui) = spec.get("upstreamInject") {
            if ui.str_or_empty("providerName").is_empty() {
                sink.emit(
                    "W-19",
                    path.key("upstreamInject").key("providerName"),
                    "upstreamInject has no providerName",
                )
                .toolhive("upstreamInject requires a non-empty providerName")
                .at_key();
            }
        }
    }
    // W-24: type obo passes Validate(), then the default (non-enterprise) OBO handler refuses.
    if ty == "obo" && mismatch.is_none() {
        sink.emit(
            "W-24",
            path.key("obo"),
            "this ToolHive build has no on-behalf-of (OBO) support: the config is marked Valid=False with reason EnterpriseRequired",
        )
        .toolhive("on-behalf-of (OBO) external auth type requires an enterprise build")
        .at_key();
    }
    if ty == "awsSts" {
        if let Some(sts) = spec.object("awsSts") {
            check_aws_sts(sts, &path.key("awsSts"), sink);
        }
    }
}

/// `upstreamProviders[i]`, the prefix of ToolHive's per-provider messages; formatted only
/// when a message is.
struct ProviderPrefix(usize);

impl std::fmt::Display for ProviderPrefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "upstreamProviders[{}]", self.0)
    }
}

/// `validateEmbeddedAuthServer`. Every check runs (rules of other profiles are dropped by
/// the sink); where one Go helper stops at its first error for one item, so do we.
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
    confidential_transport(eas, base, sink);
    force_confidential_redirect_uris(eas, base, sink);
    trusted_issuers(eas, base, sink);
    // Names seen so far: a repeat is found in constant time (a scan of the earlier providers
    // made a 1000-upstream config quadratic).
    let mut names = HashSet::with_capacity(providers.len());
    let providers_at = base.key("upstreamProviders");
    for (i, p) in providers.iter().enumerate() {
        let at = providers_at.index(i);
        let name = p.str_or_empty("name");
        if !names.insert(name) {
            // At the item, where admission rejects the repeated item at profile 2026-08 (S-03,
            // `listType=map`) and where the start-up check reports it (RT-10): one problem.
            sink.emit(
                "W-08",
                at.clone(),
                format!("upstream name {name:?} is used by an earlier provider"),
            )
            .toolhive(format!(
                "upstreamProviders[{i}]: duplicate name {}",
                crate::goutil::quote(name)
            ));
        }
        let ty = p.str_or_empty("type");
        let prefix = ProviderPrefix(i);
        // With a type the schema refuses (S-05 at `type`), the pairing problem is reported
        // there too, so that it lands in S-05's `also`.
        let pairing_at = if ty == "oidc" || ty == "oauth2" {
            at.clone()
        } else {
            at.key("type")
        };
        if (ty == "oidc") != p.has("oidcConfig") {
            let ours = if p.has("oidcConfig") {
                format!("oidcConfig is set but the provider type is {ty:?}")
            } else {
                "type is oidc but oidcConfig is missing".to_owned()
            };
            let d = sink.emit("W-09", pairing_at, ours);
            d.toolhive(format!("{prefix}: oidcConfig must be set when type is 'oidc' and must not be set otherwise"));
            if !p.has("oidcConfig") {
                d.fix_at(&at.key("oidcConfig"), crate::skeleton::oidc_config());
            }
        } else if (ty == "oauth2") != p.has("oauth2Config") {
            let ours = if p.has("oauth2Config") {
                format!("oauth2Config is set but the provider type is {ty:?}")
            } else {
                "type is oauth2 but oauth2Config is missing".to_owned()
            };
            let d = sink.emit("W-10", pairing_at, ours);
            d.toolhive(format!("{prefix}: oauth2Config must be set when type is 'oauth2' and must not be set otherwise"));
            if !p.has("oauth2Config") {
                d.fix_at(&at.key("oauth2Config"), crate::skeleton::oauth2_config());
            }
        } else if ty != "oidc" && ty != "oauth2" {
            sink.emit(
                "W-11",
                at.key("type"),
                format!("provider type {ty:?} is neither oidc nor oauth2"),
            )
            .toolhive(format!("{prefix}: unsupported provider type: {ty}"));
        }
        check_upstream_h(p, &at, i, sink);
    }
}

/// The per-provider checks of `validateUpstreamProvider` at revision H: the unified
/// discriminator first (nothing else is checked when it fails), then the DCR pairing and
/// length caps, `identityFromToken`, and the reserved authorization parameters.
fn check_upstream_h(p: &Node, at: &Path, i: usize, sink: &mut Sink) {
    let prefix = ProviderPrefix(i);
    let ty = p.str_or_empty("type");
    let (oidc, oauth2) = (p.has("oidcConfig"), p.has("oauth2Config"));
    let ok = (ty == "oidc" && oidc && !oauth2) || (ty == "oauth2" && oauth2 && !oidc);
    if !ok {
        let ours = crate::layers::admission::cel::discriminator_problem(ty, oidc, oauth2);
        sink.emit("W-12", at.clone(), ours).toolhive(format!(
            "{prefix}: type must be 'oidc' or 'oauth2'; oidcConfig must be set when type is 'oidc' and oauth2Config must be set when type is 'oauth2' (and the other must not be set)"
        ));
        return;
    }
    let cfg_key = if ty == "oidc" {
        "oidcConfig"
    } else {
        "oauth2Config"
    };
    let Some(cfg) = p.object(cfg_key) else {
        return;
    };
    let cfg_at = at.key(cfg_key);
    if ty == "oauth2" {
        check_dcr(cfg, &cfg_at, &prefix, sink);
        if let Some(idt) = cfg.object("identityFromToken") {
            if idt.str_or_empty("subjectPath").is_empty() {
                sink.emit(
                    "W-17",
                    cfg_at.key("identityFromToken").key("subjectPath"),
                    "identityFromToken has no subjectPath",
                )
                .toolhive(format!("{prefix}: oauth2Config.identityFromToken.subjectPath must not be empty when identityFromToken is set"))
                .at_key();
            }
        }
    }
    // W-18: every reserved key (ToolHive reports one of them, whichever Go's map iteration
    // yields first).
    let reserved: Vec<&str> = cfg
        .object("additionalAuthorizationParams")
        .map(|params| {
            params
                .keys()
                .filter(|k| crate::layers::RESERVED_AUTHORIZATION_PARAMS.contains(k))
                .collect()
        })
        .unwrap_or_default();
    for key in &reserved {
        let d = sink.emit(
            "W-18",
            cfg_at.key("additionalAuthorizationParams").key(key),
            format!("{key:?} is a parameter the framework sets itself"),
        );
        d.toolhive(format!(
            "{prefix}.additionalAuthorizationParams: reserved parameter {} is managed by the framework and cannot be overridden",
            quote(key)
        ))
        .at_key();
        if reserved.len() > 1 {
            d.hint(format!(
                "Remove the reserved parameters ({}). ToolHive reports only one of them per reconcile — whichever Go's map iteration yields first, so the message can change between reconciles.",
                reserved.join(", ")
            ));
        }
    }
}

/// `ValidateOAuth2DCRConfig` on an oauth2 upstream's config (W-13…W-16).
fn check_dcr(cfg: &Node, at: &Path, prefix: &ProviderPrefix, sink: &mut Sink) {
    let client_id = !cfg.str_or_empty("clientId").is_empty();
    let dcr = cfg.get("dcrConfig");
    if client_id == dcr.is_some() {
        let ours = if client_id {
            "both clientId and dcrConfig are set"
        } else {
            "neither a clientId nor dcrConfig is set"
        };
        sink.emit("W-13", at.clone(), ours).toolhive(format!(
            "{prefix}: oauth2Config: exactly one of clientId or dcrConfig must be set"
        ));
    }
    let Some(dcr) = dcr else {
        return;
    };
    if cfg.has("clientSecretRef") {
        sink.emit("W-14", at.clone(), "dcrConfig and clientSecretRef are both set")
            .toolhive(format!("{prefix}: oauth2Config: clientSecretRef must not be set when dcrConfig is set; the client_secret is obtained at runtime via Dynamic Client Registration"));
    }
    let dcr_at = at.key("dcrConfig");
    let discovery = !dcr.str_or_empty("discoveryUrl").is_empty();
    let registration = !dcr.str_or_empty("registrationEndpoint").is_empty();
    if discovery == registration {
        let ours = if discovery {
            "both discoveryUrl and registrationEndpoint are set"
        } else {
            "neither a discoveryUrl nor a registrationEndpoint is set"
        };
        sink.emit("W-15", dcr_at.clone(), ours).toolhive(format!(
            "{prefix}: oauth2Config.dcrConfig: exactly one of discoveryUrl or registrationEndpoint must be set"
        ));
        return;
    }
    for (field, max) in [
        ("discoveryUrl", 2048),
        ("registrationEndpoint", 2048),
        ("softwareStatement", 16384),
    ] {
        let n = dcr.str_or_empty(field).len();
        if n > max {
            sink.emit(
                "W-16",
                dcr_at.key(field),
                format!("{field} is {n} bytes long, more than {max}"),
            )
            .toolhive(format!(
                "{prefix}: oauth2Config.dcrConfig.{field}: length {n} exceeds maximum {max}"
            ));
            return;
        }
    }
}

/// `ValidateConfidentialClientTransport` (W-05): confidential clients are either allowed
/// explicitly or implied by delegate clients.
fn confidential_transport(eas: &Node, base: &Path, sink: &mut Sink) {
    let allow =
        eas.flag("allowConfidentialClientRegistration") || !eas.items("delegateClients").is_empty();
    if !allow {
        return;
    }
    let why = if eas.flag("allowConfidentialClientRegistration") {
        "allowConfidentialClientRegistration"
    } else {
        "delegateClients"
    };
    if eas.flag("insecureAllowHTTP") {
        sink.emit("W-05", base.clone(), format!("{why} with insecureAllowHTTP: confidential clients would send their secrets over cleartext HTTP"))
            .toolhive("allow_confidential_client_registration cannot be combined with insecure_allow_http: confidential clients would send secrets over cleartext HTTP");
        return;
    }
    if eas.flag("insecureAllowConfidentialOverLoopbackHTTP") {
        return;
    }
    let issuer = eas.str_or_empty("issuer");
    let Ok(u) = parse_url(issuer) else {
        return;
    };
    if u.scheme == "http" && is_loopback_host(&u.host, sink.profile().behaviour().loopback) {
        sink.emit("W-05", base.clone(), format!("{why} with the plain-HTTP loopback issuer {issuer:?}, without insecureAllowConfidentialOverLoopbackHTTP"))
            .toolhive(format!("allow_confidential_client_registration cannot be combined with a plain-HTTP loopback issuer ({}) unless insecure_allow_confidential_over_loopback_http is set: confidential clients would send secrets over cleartext HTTP", quote(issuer)));
    }
}

/// `ValidateForceConfidentialRedirectURIs` (W-06).
fn force_confidential_redirect_uris(eas: &Node, base: &Path, sink: &mut Sink) {
    let uris = eas.items("forceConfidentialRedirectUris");
    if uris.is_empty() {
        return;
    }
    if !eas.flag("allowConfidentialClientRegistration") {
        sink.emit("W-06", base.clone(), "forceConfidentialRedirectUris is set but allowConfidentialClientRegistration is not true")
            .toolhive("force_confidential_redirect_uris requires allow_confidential_client_registration to be true");
        return;
    }
    let loopback = sink.profile().behaviour().loopback;
    for (j, n) in uris.iter().enumerate() {
        let Some(uri) = n.as_str() else { continue };
        let at = base.key("forceConfidentialRedirectUris").index(j);
        let q = quote(uri);
        let (ours, theirs) = match check_redirect_uri(uri).and_then(|()| {
            parse_url(uri).map_err(|e| format!("invalid URL: {e}"))
        }) {
            Err(e) => (format!("{uri:?} is not a valid redirect URI: {e}"), format!("force_confidential_redirect_uris: {q}: {e}")),
            Ok(u) if is_loopback_host(&u.host, loopback) => (
                format!("{uri:?} is a loopback redirect URI: a loopback client is public and gets no secret"),
                format!("force_confidential_redirect_uris: {q} must not be a loopback redirect URI; a loopback client is a public client by construction and must not be issued a secret"),
            ),
            Ok(_) => continue,
        };
        sink.emit("W-06", at, ours).toolhive(theirs);
    }
}

/// The structural trusted-issuer checks of `tokenexchange.ValidateTrustedIssuers` as the
/// controller runs them (W-07): allowed audiences unknown (nil), `actorMatcher` dropped by
/// the CRD conversion. Per issuer, the first failing check (each path chosen so that the
/// admission rule for the same problem, when there is one, subsumes it).
fn trusted_issuers(eas: &Node, base: &Path, sink: &mut Sink) {
    let own = eas.str_or_empty("issuer");
    let issuers = eas.items("trustedIssuers");
    // The issuer URLs of the issuers before the current one.
    let mut earlier = HashSet::with_capacity(issuers.len());
    for (i, ti) in issuers.iter().enumerate() {
        let at = base.key("trustedIssuers").index(i);
        if let Some((path, err)) = trusted_issuer_error(ti, &earlier, own, &at) {
            sink.emit("W-07", path, format!("trusted issuer {i}: {err}"))
                .toolhive(format!("trustedIssuers: {err}"));
        }
        earlier.insert(ti.str_or_empty("issuerUrl"));
        if !ti.str_or_empty("actorMatcher").is_empty() {
            sink.emit("ADV-07", at.key("actorMatcher"), "the controller's Validate() does not see actorMatcher: an expression that does not compile leaves the config Valid=True and only fails when a workload builds the run config and at pod start")
                .at_key();
        }
    }
}

/// The first structural error of one trusted issuer, with the path to report it at.
fn trusted_issuer_error(
    ti: &Node,
    earlier: &HashSet<&str>,
    own: &str,
    at: &Path,
) -> Option<(Path, String)> {
    let url = ti.str_or_empty("issuerUrl");
    if url.is_empty() {
        return Some((at.key("issuerUrl"), "issuer_url is required".to_owned()));
    }
    let pre = format!("issuer_url {}: ", quote(url));
    let fail = |path: Path, what: &str| Some((path, format!("{pre}{what}")));
    let audience = ti.str_or_empty("expectedAudience");
    let grant = ti.object("jwtBearerGrant");
    if audience.is_empty() && grant.is_none() {
        return fail(
            at.clone(),
            "expected_audience is required when JWT-bearer grant is disabled",
        );
    }
    if url == own {
        return fail(at.key("issuerUrl"), "must not equal the authorization server's own issuer; self-issued tokens are already handled separately");
    }
    if earlier.contains(url) {
        return fail(at.key("issuerUrl"), "configured more than once");
    }
    let claim = ti.str_or_empty("actorClaim");
    if [
        "sub", "iss", "aud", "exp", "iat", "nbf", "jti", "name", "email", "scope", "scp", "may_act",
    ]
    .contains(&claim)
    {
        return fail(at.clone(), &format!("actor_claim {} is not supported (use \"client_id\" or a non-registered claim such as \"azp\", \"appid\", \"cid\")", quote(claim)));
    }
    // (actor_matcher is not converted: never compiled here.)
    let may_act = ti.flag("allowMayAct");
    let clients = ti.strings("allowedDelegateClients");
    if audience.is_empty()
        && (!claim.is_empty() || may_act || !ti.items("allowedActors").is_empty())
    {
        return fail(at.clone(), "expected_audience is required when actor_claim, actor_matcher, allow_may_act, or allowed_actors is set");
    }
    let wildcard = clients.iter().any(|c| c == "*");
    if !audience.is_empty() {
        if clients.is_empty() {
            return fail(at.clone(), "allowed_delegate_clients is required; set it to [\"*\"] to permit any ToolHive confidential client holding the token-exchange grant, or list specific client IDs to bind delegation to them — an issuer with no entries can never authorize a delegated exchange");
        }
        if let Some(j) = clients.iter().position(String::is_empty) {
            return fail(
                at.key("allowedDelegateClients").index(j),
                "allowed_delegate_clients must not contain an empty client ID",
            );
        }
        if wildcard && clients.len() > 1 {
            return fail(at.clone(), "allowed_delegate_clients must not combine the wildcard \"*\" with specific client IDs");
        }
        if may_act && wildcard {
            return fail(at.clone(), "allow_may_act must not be enabled when allowed_delegate_clients contains the wildcard \"*\"");
        }
    }
    if let Some(grant) = grant {
        let g_at = at.key("jwtBearerGrant");
        // A value the controller cannot decode never reaches Validate() (C-22 rejects it).
        if let Some(Ok(ns)) = grant.str("maxAssertionAge").map(parse_duration) {
            if ns <= 0 {
                return fail(
                    g_at,
                    "jwt_bearer_grant.max_assertion_age must be a positive duration",
                );
            }
        }
        let bindings = grant.items("subjectBindings");
        if bindings.is_empty() {
            return fail(
                g_at.key("subjectBindings"),
                "jwt_bearer_grant.subject_bindings is required",
            );
        }
        for (k, b) in bindings.iter().enumerate() {
            let b_at = g_at.key("subjectBindings").index(k);
            let subject = b.str_or_empty("subject");
            if subject.is_empty() || subject == "*" {
                return fail(
                    b_at.key("subject"),
                    "jwt_bearer_grant.subject_bindings contains an empty or wildcard subject",
                );
            }
            if bindings[..k]
                .iter()
                .any(|o| o.str_or_empty("subject") == subject)
            {
                return fail(
                    g_at,
                    &format!(
                        "jwt_bearer_grant.subject_bindings contains duplicate subject {}",
                        quote(subject)
                    ),
                );
            }
            let resources = b.strings("allowedResources");
            if resources.is_empty() {
                return fail(
                    b_at.key("allowedResources"),
                    &format!(
                        "jwt_bearer_grant subject {} has no allowed_resources",
                        quote(subject)
                    ),
                );
            }
            for (m, r) in resources.iter().enumerate() {
                let r_at = b_at.key("allowedResources").index(m);
                if r.is_empty() || r == "*" {
                    return fail(
                        r_at,
                        &format!(
                            "jwt_bearer_grant subject {} has an empty or wildcard resource",
                            quote(subject)
                        ),
                    );
                }
                if let Err(e) = audience_uri(r) {
                    return fail(
                        r_at,
                        &format!(
                            "jwt_bearer_grant subject {} resource {} is invalid: {e}",
                            quote(subject),
                            quote(r)
                        ),
                    );
                }
            }
        }
        for (m, a) in grant.strings("acceptedAudiences").iter().enumerate() {
            let a_at = g_at.key("acceptedAudiences").index(m);
            if a.is_empty() {
                return fail(
                    a_at,
                    "jwt_bearer_grant.accepted_audiences must not contain an empty value",
                );
            }
            if let Err(e) = audience_uri(a) {
                return fail(
                    a_at,
                    &format!(
                        "jwt_bearer_grant.accepted_audiences value {} is invalid: {e}",
                        quote(a)
                    ),
                );
            }
            // (overlap with allowed_audiences: the controller passes none.)
        }
    }
    if may_act && wildcard {
        return fail(at.clone(), "allow_may_act must not be enabled when allowed_delegate_clients contains the wildcard \"*\"");
    }
    if ti.flag("allowPrivateIPs") && ti.str_or_empty("jwksUrl").is_empty() {
        return fail(at.clone(), "allow_private_ips requires jwks_url to be set explicitly; otherwise OIDC discovery — fetched from the external issuer — would choose the private target");
    }
    None
}

/// The RFC 8707 resource/audience URI check: parses, absolute, with a host, no fragment,
/// http or https. Failures are fosite `invalid_target` errors, whose `Error()` is the code.
fn audience_uri(raw: &str) -> Result<(), String> {
    let bad = || Err("invalid_target".to_owned());
    let Ok(u) = parse_url(raw) else { return bad() };
    if u.scheme.is_empty() || u.host.is_empty() || !u.fragment.is_empty() || raw.contains('#') {
        return bad();
    }
    if u.scheme != "http" && u.scheme != "https" {
        return bad();
    }
    Ok(())
}

/// The `IdentitySynthesized` advisory condition (ADV-05): OAuth2 upstreams with neither
/// `userInfo` nor `identityFromToken`, sorted by name.
fn identity_synthesized(eas: &Node, base: &Path, sink: &mut Sink) {
    let mut names: Vec<&str> = eas
        .items("upstreamProviders")
        .iter()
        .filter(|p| p.str_or_empty("type") == "oauth2")
        .filter_map(|p| p.object("oauth2Config").map(|c| (p, c)))
        .filter(|(_, c)| !c.has("userInfo") && !c.has("identityFromToken"))
        .map(|(p, _)| p.str_or_empty("name"))
        .collect();
    if names.is_empty() {
        return;
    }
    names.sort_unstable();
    let list = format!("[{}]", names.join(" "));
    sink.emit("ADV-05", base.clone(), format!("condition IdentitySynthesized=True: OAuth2 upstream(s) {list} have neither userInfo nor identityFromToken, so users get a synthesized subject without name or email"))
        .toolhive(format!("OAuth2 upstream(s) {list} have no userInfo configured; the embedded auth server will synthesize a non-PII subject from the access token (no Name/Email claims). If a userInfo endpoint exists for these upstreams, configure it to resolve real identity."))
        .at_key();
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
    if let Some(d) = sts.get("sessionDuration").and_then(Node::as_int) {
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
