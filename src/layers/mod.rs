//! The layers, one module each, in the order ToolHive applies them: admission (API server),
//! reconcile (controller `Validate()`), build (operator conversion, in `derive`), startup
//! (`pkg/authserver` in the pod), consumer (workload guards) — plus advice.

pub mod admission;
mod advice;
pub mod consumer;
mod reconcile;
mod startup;

use crate::context::{ContextOverrides, Origin, WorkloadContext};
use crate::derive::{self, runtime_path_to_crd, Derived};
use crate::document;
use crate::path::Path;
use crate::profile::Profile;
use crate::sink::Sink;
use std::borrow::Cow;

use crate::tree::{Node, Value};

/// Admission and reconcile for an MCPExternalAuthConfig. Returns the admitted `spec`
/// (unknown fields pruned, defaults applied), which the later layers read.
pub fn check_external_auth_config<'n>(
    root: &'n Node,
    sink: &mut Sink,
    profile: Profile,
) -> Cow<'n, Node> {
    static EMPTY: Node = Node {
        value: Value::Map(Vec::new()),
        span: None,
    };
    check_api_version(root, sink, profile);
    let spec = root.get("spec").unwrap_or(&EMPTY);
    let schema = profile
        .schema()
        .at("spec")
        .expect("the CRD schema has spec");
    let admitted = admission::admit(
        schema,
        spec,
        &Path::parse("spec"),
        "spec.embeddedAuthServer",
        sink,
    );
    if matches!(admitted.value, Value::Map(_)) {
        admission::cel::check_spec(&admitted, sink);
        reconcile::check_spec(&admitted, sink);
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
    admitted
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
    let (derived, built) = derive::derive(eas, base, ctx, behaviour, sink);
    let audiences = if ctx.resource_url.is_some() {
        startup::Audiences::Check
    } else {
        startup::Audiences::Unknown
    };
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
pub fn check_virtual_mcp_server(
    root: &Node,
    overrides: &ContextOverrides,
    sink: &mut Sink,
    profile: Profile,
) -> Option<Derived> {
    let spec = root.get("spec")?;
    let inline = spec.get("authServerConfig")?;
    let base = Path::parse("spec.authServerConfig");
    let schema = profile
        .schema()
        .at("spec.embeddedAuthServer")
        .expect("the CRD schema has embeddedAuthServer");
    let admitted = admission::admit(schema, inline, &base, "spec.authServerConfig", sink);
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
    if !profile.behaviour().vmcp_deploys_auth_server {
        sink.emit("CTX-03", base, "at v0.13 the operator validates this inline auth server but does not deploy it: no env vars, volumes or run config are generated")
            .at_key();
        return None;
    }
    let mut ctx = WorkloadContext::from_overrides(
        overrides,
        document::namespace(root),
        document::name(root).unwrap_or("vmcp"),
    );
    if let Some(resource) = spec
        .get("incomingAuth")
        .and_then(|i| i.object("oidcConfig"))
        .and_then(|o| o.str("resourceUrl"))
    {
        ctx.resource_url = Some(resource.to_owned());
    }
    check_embedded(&admitted, &base, &ctx, sink, profile)
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
