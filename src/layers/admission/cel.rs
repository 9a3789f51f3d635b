//! The CRD's CEL rules (`x-kubernetes-validations`), evaluated on the admitted object (after
//! pruning and defaulting), as the API server does. Every failing rule is reported.

use crate::catalogue;
use crate::goutil::parse_duration;
use crate::path::Path;
use crate::sink::Sink;
use crate::tree::{Node, Value};

/// The type/configuration biconditionals on `spec`: rule id, `spec.type` value and the block
/// that must be present exactly when the type has that value. Rules that do not apply in the
/// profile are dropped by the sink.
pub const TYPE_BLOCKS: &[(&str, &str)] = &[
    ("C-01", "tokenExchange"),
    ("C-02", "headerInjection"),
    ("C-03", "bearerToken"),
    ("C-04", "embeddedAuthServer"),
    ("C-05", "awsSts"),
    ("C-06", "upstreamInject"),
    ("C-07", "obo"),
    ("C-08", "xaa"),
];

/// The API server's rendering of a failed CEL rule on an object.
pub fn apiserver_message(path: &Path, message: &str) -> String {
    format!("{path}: Invalid value: \"object\": {message}")
}

/// Evaluates the rules on `spec` of an MCPExternalAuthConfig (and, below it, the rules of
/// the embedded auth server's type).
pub fn check_spec(spec: &Node, sink: &mut Sink) {
    let path = Path::parse("spec");
    if let Some(eas) = spec.object("embeddedAuthServer") {
        check_embedded(eas, &path.key("embeddedAuthServer"), sink);
    }
    // Every rule on `spec` reads `self.type` without `has()`: without a type none of them can
    // be evaluated, and the API server reports each (next to spec.type's Required value).
    if !spec.has("type") {
        for rule in TYPE_BLOCKS.iter().map(|(rule, _)| *rule).chain(["C-09"]) {
            report(sink, rule, &path, no_such_key("type"), String::new);
        }
        return;
    }
    let ty = spec.str_or_empty("type");
    for (rule, block) in TYPE_BLOCKS {
        if (ty == *block) != spec.has(block) {
            let message =
                format!("{block} configuration must be set if and only if type is '{block}'");
            let ours = if spec.has(block) {
                format!("spec.{block} is set but spec.type is '{ty}'")
            } else {
                format!("spec.type is '{ty}' but spec.{block} is missing")
            };
            let d = sink.emit(rule, path.clone(), ours);
            d.toolhive(apiserver_message(&path, &message));
            if *block == "embeddedAuthServer" && !spec.has(block) {
                d.fix_at(&path.key(block), crate::skeleton::embedded_auth_server());
            }
        }
    }
    // C-09: with type unauthenticated, none of the profile's blocks may be set.
    if ty != "unauthenticated" {
        return;
    }
    let profile = sink.profile();
    let set: Vec<&str> = TYPE_BLOCKS
        .iter()
        .filter(|(rule, _)| catalogue::rule(rule).is_some_and(|r| r.applies(profile)))
        .filter(|(_, b)| spec.has(b))
        .map(|(_, b)| *b)
        .collect();
    if !set.is_empty() {
        sink.emit(
            "C-09",
            path.clone(),
            format!(
                "type unauthenticated carries no configuration, but {} is set",
                set.join(", ")
            ),
        )
        .toolhive(apiserver_message(
            &path,
            "no configuration must be set when type is 'unauthenticated'",
        ));
    }
}

/// The outcome of one CEL rule: true, false, or an evaluation error (`no such key: x`, a
/// failed conversion), which the API server reports as a failure of the rule.
type Eval = Result<bool, String>;

fn no_such_key(key: &str) -> Eval {
    Err(format!("no such key: {key}"))
}

/// CEL's `&&`: false wins over an error, an error over true (commutative, left to right).
fn and(terms: &[Eval]) -> Eval {
    if terms.iter().any(|t| t == &Ok(false)) {
        return Ok(false);
    }
    terms
        .iter()
        .find(|t| t.is_err())
        .cloned()
        .unwrap_or(Ok(true))
}

/// `has(self.key) && size(self.key) > 0` for a string, list or map member.
fn non_empty(node: &Node, key: &str) -> bool {
    match node.get(key).map(|n| &n.value) {
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Seq(items)) => !items.is_empty(),
        Some(Value::Map(entries)) => !entries.is_empty(),
        _ => false,
    }
}

/// `has(self.key) && self.key` for a boolean member (defaulted members are present).
fn enabled(node: &Node, key: &str) -> bool {
    node.flag(key)
}

/// `'*' in self.key` (an error when the member is absent).
fn contains_wildcard(node: &Node, key: &str) -> Eval {
    match node.get(key) {
        None => no_such_key(key),
        Some(n) => Ok(n
            .as_seq()
            .is_some_and(|items| items.iter().any(|i| i.as_str() == Some("*")))),
    }
}

/// Reports a rule that evaluated to false or failed to evaluate. `ours` explains the false
/// case; an evaluation error is reported with the API server's text for it.
fn report(sink: &mut Sink, id: &str, path: &Path, eval: Eval, ours: impl FnOnce() -> String) {
    let rule = catalogue::rule(id).unwrap_or_else(|| panic!("rule {id} is not in the catalogue"));
    match eval {
        Ok(true) => {}
        Ok(false) => {
            sink.emit(id, path.clone(), ours())
                .toolhive(apiserver_message(path, rule.template));
        }
        Err(e) => {
            sink.emit(
                id,
                path.clone(),
                format!("the rule cannot be evaluated ({e}); the API server rejects the object"),
            )
            .toolhive(apiserver_message(
                path,
                &format!("{e} evaluating rule: {}", rule.template),
            ));
        }
    }
}

/// The reserved JWT claims a trusted issuer's `actorClaim` must not name.
const RESERVED_ACTOR_CLAIMS: &[&str] = &[
    "sub", "iss", "aud", "exp", "iat", "nbf", "jti", "name", "email", "scope", "scp", "may_act",
];

/// The rules of the embedded auth server's type (profile 2026-08), at `base`
/// (`spec.embeddedAuthServer`, or a VirtualMCPServer's `spec.authServerConfig`).
pub fn check_embedded(eas: &Node, base: &Path, sink: &mut Sink) {
    // C-10
    let c10 =
        !(enabled(eas, "allowConfidentialClientRegistration") && enabled(eas, "insecureAllowHTTP"));
    report(sink, "C-10", base, Ok(c10), || {
        "allowConfidentialClientRegistration and insecureAllowHTTP are both true".to_owned()
    });
    // C-11
    let delegates = eas.items("delegateClients");
    let c11 = if delegates.is_empty() {
        Ok(true)
    } else {
        match eas.str("issuer") {
            None if !eas.has("issuer") => no_such_key("issuer"),
            issuer => Ok(!issuer.unwrap_or("").starts_with("http://")),
        }
    };
    let fired = c11 == Ok(false);
    report(sink, "C-11", base, c11, || {
        format!(
            "{} delegate client(s) with the plain-HTTP issuer {:?}",
            delegates.len(),
            eas.str_or_empty("issuer")
        )
    });
    if fired {
        loopback_issuer_advice(eas, base, sink);
    }
    // C-12
    let c12 = !non_empty(eas, "forceConfidentialRedirectUris")
        || enabled(eas, "allowConfidentialClientRegistration");
    report(sink, "C-12", base, Ok(c12), || {
        "forceConfidentialRedirectUris is set but allowConfidentialClientRegistration is not true"
            .to_owned()
    });
    for (i, dc) in delegates.iter().enumerate() {
        if matches!(dc.value, Value::Map(_)) {
            check_delegate_client(dc, &base.key("delegateClients").index(i), sink);
        }
    }
    if let Some(redis) = eas.object("storage").and_then(|s| s.object("redis")) {
        check_redis(redis, &base.key("storage").key("redis"), sink);
    }
    for (i, ti) in eas.items("trustedIssuers").iter().enumerate() {
        if matches!(ti.value, Value::Map(_)) {
            check_trusted_issuer(ti, &base.key("trustedIssuers").index(i), sink);
        }
    }
    let providers = base.key("upstreamProviders");
    for (i, up) in eas.items("upstreamProviders").iter().enumerate() {
        if matches!(up.value, Value::Map(_)) {
            check_upstream(up, &providers.index(i), sink);
        }
    }
}

/// ADV-06: C-11 rejected a plain-HTTP loopback issuer, which ToolHive's Go code accepts with
/// `insecureAllowConfidentialOverLoopbackHTTP` (reference §9 #8).
fn loopback_issuer_advice(eas: &Node, base: &Path, sink: &mut Sink) {
    let issuer = eas.str_or_empty("issuer");
    let Ok(u) = crate::goutil::parse_url(issuer) else {
        return;
    };
    let test = sink.profile().behaviour().loopback;
    if u.scheme != "http" || !crate::layers::urls::is_loopback_host(&u.host, test) {
        return;
    }
    let opt_in = enabled(eas, "insecureAllowConfidentialOverLoopbackHTTP");
    let message = if opt_in {
        format!("{issuer:?} is a loopback issuer and insecureAllowConfidentialOverLoopbackHTTP is set: the controller and the auth server would accept delegate clients on it, but the CRD rule rejects every http:// issuer with delegate clients, so the API server refuses the object")
    } else {
        format!("{issuer:?} is a loopback issuer: ToolHive's Go code would accept delegate clients on it with insecureAllowConfidentialOverLoopbackHTTP, but the CRD rule rejects every http:// issuer with delegate clients, so the opt-in cannot help")
    };
    sink.emit("ADV-06", base.key("issuer"), message);
}

fn check_delegate_client(dc: &Node, at: &Path, sink: &mut Sink) {
    // has(self.clientSecretRef) && size(self.clientSecretRef.name) > 0 && size(…key) > 0
    let c13 = match dc.get("clientSecretRef") {
        None => Ok(false),
        Some(r) => {
            let part = |k: &str| -> Eval {
                match r.get(k) {
                    None => no_such_key(k),
                    Some(v) => Ok(v.as_str().is_some_and(|s| !s.is_empty())),
                }
            };
            and(&[Ok(true), part("name"), part("key")])
        }
    };
    report(sink, "C-13", at, c13, || {
        if dc.has("clientSecretRef") {
            "clientSecretRef has an empty name or key".to_owned()
        } else {
            "the delegate client has no clientSecretRef".to_owned()
        }
    });
}

fn check_redis(redis: &Node, at: &Path, sink: &mut Sink) {
    let addr = non_empty(redis, "addr");
    let sentinel = redis.has("sentinelConfig");
    report(sink, "C-14", at, Ok(addr != sentinel), || {
        if addr {
            "both addr and sentinelConfig are set".to_owned()
        } else if redis.has("addr") {
            "addr is empty and there is no sentinelConfig".to_owned()
        } else {
            "neither addr nor sentinelConfig is set".to_owned()
        }
    });
    let c15 = !enabled(redis, "clusterMode") || addr;
    report(sink, "C-15", at, Ok(c15), || {
        "clusterMode is true but addr is not set".to_owned()
    });
}

fn check_trusted_issuer(ti: &Node, at: &Path, sink: &mut Sink) {
    let adc_len = ti
        .get("allowedDelegateClients")
        .and_then(Node::as_seq)
        .map_or(0, <[Node]>::len);
    let wildcard = contains_wildcard(ti, "allowedDelegateClients");
    // C-16
    let c16 = !ti.has("allowedDelegateClients") || wildcard != Ok(true) || adc_len == 1;
    report(sink, "C-16", at, Ok(c16), || {
        format!("allowedDelegateClients has the wildcard \"*\" among {adc_len} entries")
    });
    // C-17 (no has() guard on allowedDelegateClients)
    let c17 = and(&[
        Ok(ti.has("allowMayAct")),
        Ok(enabled(ti, "allowMayAct")),
        wildcard,
    ])
    .map(|v| !v);
    report(sink, "C-17", at, c17, || {
        "allowMayAct is true and allowedDelegateClients contains \"*\"".to_owned()
    });
    // C-18
    let claim = ti.str_or_empty("actorClaim");
    let c18 = !ti.has("actorClaim") || !RESERVED_ACTOR_CLAIMS.contains(&claim);
    report(sink, "C-18", at, Ok(c18), || {
        format!("actorClaim {claim:?} is a reserved claim")
    });
    // C-19
    let c19 = !enabled(ti, "allowPrivateIPs") || ti.str("jwksUrl").is_some_and(|s| !s.is_empty());
    report(sink, "C-19", at, Ok(c19), || {
        "allowPrivateIPs is true but jwksUrl is not set".to_owned()
    });
    // C-20, C-21
    let actor = non_empty(ti, "actorClaim")
        || non_empty(ti, "actorMatcher")
        || enabled(ti, "allowMayAct")
        || non_empty(ti, "allowedActors");
    let audience = non_empty(ti, "expectedAudience");
    let c20 = (ti.has("jwtBearerGrant") && !actor) || audience;
    report(sink, "C-20", at, Ok(c20), || {
        if ti.has("jwtBearerGrant") {
            "expectedAudience is not set, and the issuer is used for delegation (actorClaim, actorMatcher, allowMayAct or allowedActors)".to_owned()
        } else {
            "expectedAudience is not set and there is no jwtBearerGrant".to_owned()
        }
    });
    let delegation = audience
        || non_empty(ti, "actorClaim")
        || non_empty(ti, "actorMatcher")
        || enabled(ti, "allowMayAct");
    let c21 = !delegation || adc_len > 0;
    report(sink, "C-21", at, Ok(c21), || {
        "the issuer is used for delegation but allowedDelegateClients is empty or missing"
            .to_owned()
    });
    if let Some(grant) = ti.object("jwtBearerGrant") {
        check_jwt_bearer_grant(grant, &at.key("jwtBearerGrant"), sink);
    }
}

fn check_jwt_bearer_grant(grant: &Node, at: &Path, sink: &mut Sink) {
    // C-22: duration(self.maxAssertionAge) > duration('0s')
    let age = grant.str_or_empty("maxAssertionAge");
    let c22 = match grant.get("maxAssertionAge") {
        None => no_such_key("maxAssertionAge"),
        Some(_) => match parse_duration(age) {
            Ok(ns) => Ok(ns > 0),
            Err(_) => {
                Err("type conversion error from 'string' to 'google.protobuf.Duration'".to_owned())
            }
        },
    };
    report(sink, "C-22", at, c22, || {
        format!("maxAssertionAge {age:?} is not greater than zero")
    });
    // C-23: subjects are unique
    let c23 = match grant.get("subjectBindings").and_then(Node::as_seq) {
        None if !grant.has("subjectBindings") => no_such_key("subjectBindings"),
        None => Ok(true),
        Some(bindings) => {
            if bindings.iter().any(|b| !b.has("subject")) {
                no_such_key("subject")
            } else {
                let subjects: Vec<_> = bindings
                    .iter()
                    .map(|b| b.get("subject").map(Node::to_json))
                    .collect();
                Ok(subjects
                    .iter()
                    .all(|s| subjects.iter().filter(|o| *o == s).count() == 1))
            }
        }
    };
    report(sink, "C-23", at, c23, || {
        let subjects: Vec<&str> = grant
            .items("subjectBindings")
            .iter()
            .map(|b| b.str_or_empty("subject"))
            .collect();
        let dup = subjects
            .iter()
            .find(|s| subjects.iter().filter(|o| o == s).count() > 1)
            .copied()
            .unwrap_or("");
        format!("subject {dup:?} appears in more than one subject binding")
    });
}

fn check_upstream(up: &Node, at: &Path, sink: &mut Sink) {
    // C-24
    let oidc = up.has("oidcConfig");
    let oauth2 = up.has("oauth2Config");
    let ty = up.str_or_empty("type");
    let c24 = if !up.has("type") {
        no_such_key("type")
    } else {
        Ok(match ty {
            "oidc" => oidc && !oauth2,
            "oauth2" => oauth2 && !oidc,
            _ => false,
        })
    };
    report(sink, "C-24", at, c24, || {
        discriminator_problem(ty, oidc, oauth2)
    });
    let Some(cfg) = up.object("oauth2Config") else {
        return;
    };
    let at = at.key("oauth2Config");
    // C-25
    let client_id = non_empty(cfg, "clientId");
    let dcr = cfg.has("dcrConfig");
    report(sink, "C-25", &at, Ok(client_id != dcr), || {
        if dcr {
            "both clientId and dcrConfig are set".to_owned()
        } else {
            "neither a non-empty clientId nor dcrConfig is set".to_owned()
        }
    });
    // C-26
    report(
        sink,
        "C-26",
        &at,
        Ok(!(dcr && cfg.has("clientSecretRef"))),
        || "dcrConfig and clientSecretRef are both set".to_owned(),
    );
    // C-27
    if let Some(d) = cfg.object("dcrConfig") {
        let discovery = d.has("discoveryUrl");
        let registration = d.has("registrationEndpoint");
        report(
            sink,
            "C-27",
            &at.key("dcrConfig"),
            Ok(discovery != registration),
            || {
                if discovery {
                    "both discoveryUrl and registrationEndpoint are set".to_owned()
                } else {
                    "neither discoveryUrl nor registrationEndpoint is set".to_owned()
                }
            },
        );
    }
}

/// What is wrong with an upstream provider's type and config blocks (C-24, W-12).
pub(crate) fn discriminator_problem(ty: &str, oidc: bool, oauth2: bool) -> String {
    match (ty, oidc, oauth2) {
        ("oidc" | "oauth2", true, true) => {
            format!("type is {ty} but both oidcConfig and oauth2Config are set")
        }
        ("oidc", false, true) => {
            "type is oidc but oauth2Config is set instead of oidcConfig".to_owned()
        }
        ("oidc", false, false) => "type is oidc but oidcConfig is missing".to_owned(),
        ("oauth2", true, false) => {
            "type is oauth2 but oidcConfig is set instead of oauth2Config".to_owned()
        }
        ("oauth2", false, false) => "type is oauth2 but oauth2Config is missing".to_owned(),
        _ => format!("provider type {ty:?} is neither oidc nor oauth2"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cel_and_is_commutative_for_errors() {
        let err = || no_such_key("x");
        assert_eq!(and(&[Ok(true), err(), Ok(false)]), Ok(false));
        assert_eq!(and(&[err(), Ok(false)]), Ok(false));
        assert_eq!(and(&[Ok(true), err()]), err());
        assert_eq!(and(&[Ok(true), Ok(true)]), Ok(true));
    }

    #[test]
    fn discriminator_messages() {
        assert_eq!(
            discriminator_problem("oidc", false, true),
            "type is oidc but oauth2Config is set instead of oidcConfig"
        );
        assert_eq!(
            discriminator_problem("saml", false, false),
            "provider type \"saml\" is neither oidc nor oauth2"
        );
    }
}
