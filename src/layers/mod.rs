//! The layers, one module each, in the order ToolHive applies them: admission (API server),
//! reconcile (controller `Validate()`), build (operator conversion, in `derive`), startup
//! (`pkg/authserver` in the pod), consumer (workload guards) — plus advice.

pub mod admission;
pub(crate) mod advice;
pub(crate) mod authz;
pub mod consumer;
mod integration;
mod reconcile;
mod startup;
pub(crate) mod urls;

use crate::context::{ConsumerKind, ContextOverrides, Origin, WorkloadContext, DEFAULT_NAMESPACE};
use crate::derive::obj::Obj;
use crate::derive::{self, runtime_path_to_crd, Derived};
use crate::document;
use crate::path::Path;
use crate::profile::Profile;
use crate::sink::Sink;
use std::borrow::Cow;

use crate::tree::{Node, Value};

/// The authorization parameters the framework manages and an upstream may not override
/// (matched case-sensitively; profile 2026-08).
pub(crate) const RESERVED_AUTHORIZATION_PARAMS: [&str; 8] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "nonce",
];

/// The spec of a config without one.
static EMPTY: Node = Node {
    value: Value::Map(Vec::new()),
    span: None,
};

/// A config's `spec` as the API server stores it: `None` when absent or null. The CRD does not
/// require a spec (an object without one is admitted, and its controller finds no type), and
/// drops a null one (the field is not nullable).
fn stored_spec(root: &Node) -> Option<&Node> {
    root.present("spec")
}

/// What the controller's `Validate()` finds in a config without a stored spec (no type).
fn check_without_spec(sink: &mut Sink) {
    reconcile::check_spec(&EMPTY, sink);
}

/// Where an MCPExternalAuthConfig keeps its embedded auth server config.
const EAS_BASE: &str = "spec.embeddedAuthServer";

/// Admission and reconcile for an MCPExternalAuthConfig. Returns the admitted `spec`
/// (unknown fields pruned, defaults applied), which the later layers read.
pub fn check_external_auth_config<'n>(
    root: &'n Node,
    sink: &mut Sink,
    profile: Profile,
) -> Cow<'n, Node> {
    check_api_version(root, sink, profile);
    let Some(spec) = stored_spec(root) else {
        check_without_spec(sink);
        return Cow::Borrowed(&EMPTY);
    };
    let admitted = admission::admit(
        spec_schema(profile),
        spec,
        &Path::parse("spec"),
        EAS_BASE,
        sink,
    );
    check_admitted_spec(&admitted, sink);
    admitted
}

/// [`check_external_auth_config`] on the document itself: when the API server only adds
/// defaults, they are added to `root`'s spec (no copy; positions stay valid, since nothing
/// read from the text is removed) and `None` is returned. Otherwise the admitted spec is
/// returned as a copy. Either way [`admitted_spec`] gives the admitted spec.
pub fn check_external_auth_config_in_place(
    root: &mut Node,
    sink: &mut Sink,
    profile: Profile,
) -> Option<Node> {
    check_api_version(root, sink, profile);
    let Some(spec) = root.present_mut("spec") else {
        check_without_spec(sink);
        return None;
    };
    let copy = admission::admit_in_place(
        spec_schema(profile),
        spec,
        &Path::parse("spec"),
        EAS_BASE,
        sink,
    );
    check_admitted_spec(admitted_spec(root, copy.as_ref()), sink);
    copy
}

/// The admitted spec after [`check_external_auth_config_in_place`]: its copy when one was
/// made, else the document's own spec.
pub fn admitted_spec<'a>(root: &'a Node, copy: Option<&'a Node>) -> &'a Node {
    copy.unwrap_or_else(|| stored_spec(root).unwrap_or(&EMPTY))
}

fn spec_schema(profile: Profile) -> admission::schema::SchemaRef<'static> {
    profile
        .schema()
        .at("spec")
        .expect("the CRD schema has spec")
}

/// CEL and reconcile on an admitted spec.
fn check_admitted_spec(admitted: &Node, sink: &mut Sink) {
    if matches!(admitted.value, Value::Map(_)) {
        admission::cel::check_spec(admitted, sink);
        reconcile::check_spec(admitted, sink);
        if admitted.str("type") == Some("embeddedAuthServer") && !admitted.has("embeddedAuthServer")
        {
            sink.emit(
                "CT-06",
                Path::parse("spec"),
                "type is embeddedAuthServer but there is no embeddedAuthServer block to build from",
            )
            .toolhive("embedded auth server configuration is nil for type embeddedAuthServer");
        }
    }
}

fn check_api_version(root: &Node, sink: &mut Sink, profile: Profile) {
    let served = profile.behaviour().served_versions;
    let version = document::api_version(root).unwrap_or("");
    if !served.contains(&version) {
        let api = root.str_or_empty("apiVersion");
        let kind = root.str_or_empty("kind");
        sink.emit(
            "DOC-02",
            Path::parse("apiVersion"),
            format!(
                "{api} is not served by the {} CRD (served: {})",
                profile.id(),
                served.join(", ")
            ),
        )
        .toolhive(format!(
            "no matches for kind \"{kind}\" in version \"{api}\""
        ));
    }
    if let Some((_, warning)) = profile
        .behaviour()
        .deprecated_versions
        .iter()
        .find(|(v, _)| *v == version)
    {
        sink.emit(
            "DOC-03",
            Path::parse("apiVersion"),
            format!("{version} is deprecated in profile {}", profile.id()),
        )
        .toolhive(format!("Warning: {warning}"));
    }
}

/// The admitted `spec.embeddedAuthServer` when the type is `embeddedAuthServer`.
pub fn embedded_config(spec: &Node) -> Option<&Node> {
    (spec.str("type") == Some("embeddedAuthServer"))
        .then(|| spec.object("embeddedAuthServer"))
        .flatten()
}

/// Build, startup and advice for an admitted embedded auth server config at `base`, in the
/// given workload context. Returns what the operator derives, unless building fails.
pub fn check_embedded(
    eas: &Node,
    base: &Path,
    ctx: &WorkloadContext,
    sink: &mut Sink,
    profile: Profile,
) -> Option<Derived> {
    let behaviour = profile.behaviour();
    let (derived, mut built) = derive::derive(eas, base, ctx, behaviour, sink);
    // A VirtualMCPServer is its own workload: without an incoming resource URL its auth
    // server gets no allowed audience at all (and fails to start).
    let vmcp = matches!(
        ctx.origin,
        Origin::Consumer(ConsumerKind::VirtualMcpServer, _)
    );
    let audiences = if ctx.resource_url.is_some() || vmcp {
        startup::Audiences::Check
    } else {
        startup::Audiences::Unknown
    };
    // CT-12 (profile 2026-08): the operator runs the run-config pre-flight on a reduced copy
    // when delegate clients or trusted issuers exist.
    let rc = &derived.run_config;
    if rc.has("delegate_clients") || rc.has("trusted_issuers") {
        let keep = [
            "issuer",
            "allowed_audiences",
            "scopes_supported",
            "insecure_allow_http",
            "insecure_allow_confidential_over_loopback_http",
            "delegate_clients",
            "trusted_issuers",
        ];
        let reduced = Node::new(Value::Map(
            rc.as_map()
                .unwrap_or(&[])
                .iter()
                .filter(|e| keep.contains(&e.key.as_ref()))
                .cloned()
                .collect(),
        ));
        let errors = sink.error_count(crate::report::Layer::Build);
        for p in startup::preflight::preflight(&reduced, behaviour, audiences) {
            sink.emit("CT-12", runtime_path_to_crd(&p.path, base), p.ours)
                .toolhive(format!(
                    "invalid embedded auth server delegate clients or trusted issuers: {}",
                    p.theirs
                ));
        }
        built &= sink.error_count(crate::report::Layer::Build) == errors;
    }
    let mut at_start = Sink::new(profile);
    startup::check(&derived.run_config, behaviour, audiences, &mut at_start);
    at_start.map_paths(|p| runtime_path_to_crd(p, base));
    sink.extend(at_start);
    advice::check_embedded(eas, base, sink);
    if ctx.origin == Origin::Defaults {
        sink.emit("CTX-01", base.clone(), format!(
            "no workload references this config: derived for namespace {:?}, workload {:?}, without a resource URL (allowed_audiences is empty)",
            ctx.namespace, ctx.workload
        ))
        .at_key();
    }
    built.then_some(derived)
}

/// A VirtualMCPServer: the inline `spec.authServerConfig` (admission with the shared schema,
/// the controller's checks, and — where the profile deploys it — build and startup).
pub(crate) fn check_virtual_mcp_server(
    root: &Node,
    overrides: &ContextOverrides,
    outgoing: &[consumer::Outgoing<'_>],
    sink: &mut Sink,
    profile: Profile,
) -> Option<Derived> {
    let spec = root.get("spec")?;
    let behaviour = profile.behaviour();
    let ns = document::namespace(root)
        .or(overrides.namespace.as_deref())
        .unwrap_or(DEFAULT_NAMESPACE);
    let ctx = WorkloadContext::from_vmcp(root, ns, behaviour);
    // ToolHive's controller stops at its first failing check; each is reported here.
    let controller_checks = |auth_server: Option<&Node>, sink: &mut Sink| {
        authz::check_primary_upstream(spec, auth_server, sink);
        integration::check(
            spec,
            auth_server,
            behaviour.vmcp_oidc_field,
            &ctx,
            outgoing,
            sink,
        );
    };
    // A null is dropped by the API server (the field is not nullable): no auth server.
    let Some(inline) = spec.present("authServerConfig") else {
        controller_checks(None, sink);
        return None;
    };
    let base = Path::parse("spec.authServerConfig");
    let schema = profile
        .schema()
        .at("spec.embeddedAuthServer")
        .expect("the CRD schema has embeddedAuthServer");
    let admitted = admission::admit(schema, inline, &base, "spec.authServerConfig", sink);
    let refused_before = sink.error_count(crate::report::Layer::Consumer);
    if admitted.str_or_empty("issuer").is_empty() {
        sink.emit(
            "G-05",
            base.key("issuer"),
            "the VirtualMCPServer's authServerConfig has no issuer",
        )
        .toolhive("spec.authServerConfig.issuer is required")
        .at_key();
    }
    if admitted.items("upstreamProviders").is_empty() {
        sink.emit(
            "G-05",
            base.key("upstreamProviders"),
            "the VirtualMCPServer's authServerConfig has no upstream providers",
        )
        .toolhive("spec.authServerConfig.upstreamProviders is required")
        .at_key();
    }
    vmcp_controller_checks(&admitted, &base, sink, profile);
    controller_checks(Some(&admitted), sink);
    // A failed controller check (G-05, G-06, G-09, G-12) deploys nothing: the later layers
    // are still reported, but there is nothing the operator generates.
    let deployed = sink.error_count(crate::report::Layer::Consumer) == refused_before;
    if !behaviour.vmcp_deploys_auth_server {
        sink.emit("CTX-03", base, "at v0.13 the operator validates this inline auth server but does not deploy it: no env vars, volumes or run config are generated")
            .at_key();
        return None;
    }
    let derived = check_embedded(&admitted, &base, &ctx, sink, profile);
    derived.filter(|_| deployed)
}

/// The VirtualMCPServer controller's `validateAuthServerConfig` at profile 2026-08 (G-06):
/// plain-http issuer, confidential transport, reserved authorization parameters.
fn vmcp_controller_checks(eas: &Node, base: &Path, sink: &mut Sink, profile: Profile) {
    let b = profile.behaviour();
    let issuer = eas.str_or_empty("issuer");
    if let Ok(u) = crate::goutil::parse_url(issuer) {
        if u.scheme == "http"
            && !eas.flag("insecureAllowHTTP")
            && !urls::is_loopback_host(&u.host, b.loopback)
        {
            sink.emit("G-06", base.key("issuer"), format!("the issuer {} uses plain http with a non-loopback host", crate::goutil::quote(issuer)))
                .toolhive(format!("spec.authServerConfig.issuer {} uses http:// with a non-localhost host; set spec.authServerConfig.insecureAllowHTTP: true to allow this for trusted in-cluster deployments, or use https:// for production deployments", crate::goutil::quote(issuer)))
                .hint("condition AuthServerConfigValidated=False, reason AuthServerConfigInvalid. Use https://, or set insecureAllowHTTP: true for trusted in-cluster deployments.");
        }
    }
    let flag = |k: &str| Node::new(Value::Bool(eas.flag(k)));
    let mini = Obj::new()
        .str("issuer", issuer)
        .put(
            "allow_confidential_client_registration",
            flag("allowConfidentialClientRegistration"),
        )
        .put("insecure_allow_http", flag("insecureAllowHTTP"))
        .put(
            "insecure_allow_confidential_over_loopback_http",
            flag("insecureAllowConfidentialOverLoopbackHTTP"),
        )
        .put(
            "delegate_clients",
            Node::new(Value::Seq(eas.items("delegateClients").to_vec())),
        )
        .build();
    let mut problems = Vec::new();
    startup::preflight::confidential_transport(&mini, b, &mut problems);
    for p in problems {
        sink.emit("G-06", base.clone(), p.ours)
            .toolhive(format!("spec.authServerConfig: {}", p.theirs))
            .at_key();
    }
    for (i, p) in eas.items("upstreamProviders").iter().enumerate() {
        let at = base.key("upstreamProviders").index(i);
        for cfg_key in ["oidcConfig", "oauth2Config"] {
            let Some(params) = p
                .object(cfg_key)
                .and_then(|c| c.object("additionalAuthorizationParams"))
            else {
                continue;
            };
            for e in params.as_map().unwrap_or(&[]) {
                if RESERVED_AUTHORIZATION_PARAMS.contains(&e.key.as_ref()) {
                    sink.emit("G-06", at.key(cfg_key).key("additionalAuthorizationParams").key(&e.key), format!("authorization parameter {} is managed by the auth server", crate::goutil::quote(&e.key)))
                        .toolhive(format!("spec.authServerConfig.upstreamProviders[{i}].additionalAuthorizationParams: reserved parameter {} is managed by the framework and cannot be overridden", crate::goutil::quote(&e.key)))
                        .at_key();
                }
            }
        }
    }
}

/// The profile-2026-08 checks of an MCPServer / MCPRemoteProxy on its references (CT-15,
/// G-08), given the configs they name (when in the input).
pub fn check_consumer_refs(
    consumer: &Node,
    external: Option<&Node>,
    auth_server: Option<&Node>,
    ns: &str,
    sink: &mut Sink,
    profile: Profile,
) {
    let resolved = consumer::Resolved {
        external,
        auth_server,
        external_invalid: external.and_then(|c| invalid_condition(c, profile)),
    };
    consumer::check_refs(consumer, &resolved, ns, sink);
}

/// The `Valid=False` condition the MCPExternalAuthConfig controller would write for a config:
/// `(reason, message)` of `Validate()`'s first error. `None` when the config is valid, or not
/// admitted at all (then it does not exist for its consumers).
fn invalid_condition(config: &Node, profile: Profile) -> Option<(String, String)> {
    let mut scratch = Sink::new(profile);
    let _ = check_external_auth_config(config, &mut scratch, profile);
    // Without positions the diagnostics keep the order they were found in (Validate()'s).
    let bare = Node::from_json(&config.to_json(), crate::parse::MAX_DEPTH).ok()?;
    let diags = scratch.finish(&bare, None);
    let errors = || {
        diags
            .iter()
            .filter(|d| d.severity == crate::report::Severity::Error)
    };
    if errors().any(|d| d.layer == crate::report::Layer::Admission) {
        return None;
    }
    let first = errors().find(|d| d.layer == crate::report::Layer::Reconcile)?;
    let reason = if first.rule == "W-24" {
        "EnterpriseRequired"
    } else {
        "ValidationFailed"
    };
    let message = first
        .toolhive
        .clone()
        .unwrap_or_else(|| first.message.clone());
    Some((reason.to_owned(), message))
}

/// A serialized authserver run config: the start-up checks, and the proxy runner's guard when
/// the consumer is an MCPServer or MCPRemoteProxy.
pub fn check_run_config(
    root: &Node,
    consumer: Option<crate::ConsumerKind>,
    sink: &mut Sink,
    profile: Profile,
) {
    startup::check(root, profile.behaviour(), startup::Audiences::Check, sink);
    if matches!(
        consumer,
        Some(crate::ConsumerKind::McpServer | crate::ConsumerKind::McpRemoteProxy)
    ) {
        consumer::guard_run_config(root, sink);
    }
}

/// A document of a kind this tool does not check.
pub fn unknown_document(root: &Node, sink: &mut Sink) {
    let what = match (root.str("apiVersion"), root.str("kind")) {
        (Some(a), Some(k)) => format!("{k} ({a})"),
        (None, Some(k)) => k.to_owned(),
        _ => "a document without apiVersion/kind that is not a run config".to_owned(),
    };
    sink.emit(
        "DOC-01",
        Path::root(),
        format!("{what} is not a kind mcpauth-guard checks; skipped"),
    );
}
