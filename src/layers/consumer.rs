//! Consumers: the MCPServer / MCPRemoteProxy guards (one upstream only), the proxy runner's
//! guard on run configs, and the workload preconditions the operator checks before building.

use crate::context::{ConsumerKind, WorkloadContext};
use crate::document;
use crate::goutil::quote;
use crate::path::Path;
use crate::profile::Behaviour;
use crate::sink::Sink;
use crate::tree::Node;

/// A config a consumer references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigRef<'n> {
    /// The MCPExternalAuthConfig's name.
    pub name: &'n str,
    /// Named by `spec.authServerRef` (profile 2026-08), else by `spec.externalAuthConfigRef`.
    pub via_auth_server_ref: bool,
    /// Whether the consumer's embedded auth server comes from this config
    /// (`EmbeddedAuthServerConfigName`: `spec.authServerRef.name` when set, else
    /// `spec.externalAuthConfigRef.name`).
    pub primary: bool,
}

/// Every MCPExternalAuthConfig a consumer references: the `spec.authServerRef` target (where
/// the profile has the field, when it names an MCPExternalAuthConfig), then the
/// `spec.externalAuthConfigRef` target. The controller checks the `externalAuthConfigRef` target
/// on its own, before `authServerRef` (its multi-upstream guard, G-01/G-02, included); it is the
/// embedded auth server's config only when no `authServerRef` is set. An `authServerRef` of
/// another kind names nothing ToolHive fetches (it stops at the kind, CT-15), yet it is still
/// the one the embedded auth server would have come from.
pub fn referenced_configs<'n>(root: &'n Node, b: &Behaviour) -> Vec<ConfigRef<'n>> {
    let Some(spec) = root.get("spec") else {
        return Vec::new();
    };
    let has_auth_server_ref = b.auth_server_ref && document::auth_server_ref(spec).is_some();
    let asr = b
        .auth_server_ref
        .then(|| document::auth_server_ref_name(spec))
        .flatten()
        .map(|name| ConfigRef {
            name,
            via_auth_server_ref: true,
            primary: true,
        });
    let external = spec
        .get("externalAuthConfigRef")
        .and_then(|r| r.str("name"))
        .map(|name| ConfigRef {
            name,
            via_auth_server_ref: false,
            primary: !has_auth_server_ref,
        });
    asr.into_iter().chain(external).collect()
}

fn ref_path_of(via_auth_server_ref: bool) -> Path {
    if via_auth_server_ref {
        Path::parse("spec.authServerRef.name")
    } else {
        ref_path()
    }
}

fn ref_path() -> Path {
    Path::parse("spec.externalAuthConfigRef.name")
}

/// The guard of an MCPServer or MCPRemoteProxy on a referenced embedded auth server with more
/// than one upstream (G-01, G-02), reported at `at`.
fn multi_upstream_guard(
    kind: ConsumerKind,
    eas: &Node,
    ctx: &WorkloadContext,
    at: Path,
    via_auth_server_ref: bool,
    sink: &mut Sink,
) {
    let n = eas.items("upstreamProviders").len();
    if n <= 1 {
        return;
    }
    let (rule, suffix, condition) = match (kind, via_auth_server_ref) {
        (ConsumerKind::VirtualMcpServer, _) => return,
        (_, true) => ("G-03", "; use VirtualMCPServer", "AuthServerRefValidated"),
        (ConsumerKind::McpServer, false) => (
            "G-01",
            "; use VirtualMCPServer",
            "ExternalAuthConfigValidated",
        ),
        (ConsumerKind::McpRemoteProxy, false) => ("G-02", "", "ExternalAuthConfigValidated"),
    };
    let k = kind.kind_name();
    sink.emit(rule, at, format!("{k} accepts one upstream provider, this config has {n}"))
        .toolhive(format!(
            "{k} {}/{}: embedded auth server has {n} upstream providers, but only 1 is supported{suffix}",
            ctx.namespace, ctx.workload
        ))
        .hint(format!(
            "condition {condition}=False, reason MultiUpstreamNotSupported: \"{k} supports only one upstream provider (found {n}); use VirtualMCPServer for multi-upstream\". Use a VirtualMCPServer, or keep one upstream."
        ));
}

/// Applies a consumer kind's guard to a config on its own (the `--consumer` option).
pub fn guard_config(eas: &Node, kind: ConsumerKind, ctx: &WorkloadContext, sink: &mut Sink) {
    multi_upstream_guard(
        kind,
        eas,
        ctx,
        Path::parse("spec.embeddedAuthServer.upstreamProviders"),
        false,
        sink,
    );
}

/// Checks a consumer document against the embedded auth server it takes from the first of
/// its [`referenced_configs`] (named `via_auth_server_ref` or not): its OIDC config (CT-07,
/// CT-08) and its upstream-count guard.
pub fn check_reference(
    consumer: &Node,
    kind: ConsumerKind,
    via_auth_server_ref: bool,
    eas: &Node,
    ctx: &WorkloadContext,
    sink: &mut Sink,
) {
    let b = sink.profile().behaviour();
    let field = b.workload_oidc_field;
    let oidc = consumer.get("spec").and_then(|s| s.object(field));
    let k = kind.kind_name();
    let at = Path::parse("spec").key(field);
    match oidc {
        None => {
            sink.emit("CT-07", Path::parse("spec"), format!("this {k} uses an embedded auth server but has no spec.{field}"))
                // ToolHive's text names MCPServer for both workload kinds.
                .toolhive("OIDC config is required for embedded auth server: OIDCConfigRef must be set on the MCPServer")
                .at_key();
        }
        Some(o) => {
            // CT-08 (profile 2026-08): the audience must equal the resource URL. The operator
            // reports the build failure as a terminal condition on the workload.
            let condition = if via_auth_server_ref {
                "AuthServerRefValidated=False, reason AuthServerRefInvalidConfig"
            } else {
                "ExternalAuthConfigValidated=False, reason InvalidConfig"
            };
            let hint =
                format!("condition {condition}. Set spec.{field}.audience to the resourceUrl.");
            // ToolHive compares with the resolved resource URL (never empty with an OIDC
            // config: the workload's service URL when resourceUrl is not set).
            let res = ctx.resource_url.as_deref().unwrap_or_default();
            let aud = o.str_or_empty("audience");
            if aud.is_empty() {
                sink.emit("CT-08", at.key("audience"), format!("this {k} has no spec.{field}.audience; with an embedded auth server it must equal resourceUrl"))
                    .toolhive(format!("oidcConfigRef.audience is required when an embedded auth server is active; set audience to {} to match resourceUrl", quote(res)))
                    .fix(serde_json::Value::String(res.to_owned()))
                    .hint(hint)
                    .at_key();
            } else if aud != res {
                sink.emit("CT-08", at.key("audience"), format!("spec.{field}.audience {} differs from resourceUrl {}", quote(aud), quote(res)))
                    .toolhive(format!("oidcConfigRef.audience {} must match resourceUrl {} when an embedded auth server is active; set audience to {} or set resourceUrl to match audience", quote(aud), quote(res), quote(res)))
                    .fix(serde_json::Value::String(res.to_owned()))
                    .hint(hint);
            }
        }
    }
    multi_upstream_guard(
        kind,
        eas,
        ctx,
        ref_path_of(via_auth_server_ref),
        via_auth_server_ref,
        sink,
    );
}

/// The controller's guard on an `externalAuthConfigRef` target that is not where the
/// consumer's embedded auth server comes from (`authServerRef` is set too): it still refuses
/// more than one upstream (G-01, G-02), before it looks at `authServerRef`.
pub fn guard_external_reference(
    kind: ConsumerKind,
    eas: &Node,
    ctx: &WorkloadContext,
    sink: &mut Sink,
) {
    multi_upstream_guard(kind, eas, ctx, ref_path(), false, sink);
}

/// What a consumer's references resolve to (profile 2026-08 checks on them).
pub struct Resolved<'a> {
    /// The config named by `spec.externalAuthConfigRef`, when in the input.
    pub external: Option<&'a Node>,
    /// The config named by `spec.authServerRef`, when in the input.
    pub auth_server: Option<&'a Node>,
    /// Validate()'s verdict on the externalAuthConfigRef target: `(reason, message)` of its
    /// `Valid=False` condition.
    pub external_invalid: Option<(String, String)>,
}

/// The references of an MCPServer / MCPRemoteProxy (profile 2026-08): `authServerRef` kind
/// and type, the conflict with `externalAuthConfigRef` (CT-15), and the mirrored `Valid=False`
/// of the referenced config (G-08).
pub fn check_refs(consumer: &Node, resolved: &Resolved<'_>, ns: &str, sink: &mut Sink) {
    let Some(spec) = consumer.get("spec") else {
        return;
    };
    let type_of = |c: &Node| {
        c.get("spec")
            .and_then(|s| s.str("type"))
            .unwrap_or("")
            .to_owned()
    };
    if let Some(r) = spec.object("authServerRef") {
        let kind = document::auth_server_ref_kind(r);
        if kind != document::AUTH_SERVER_REF_KIND {
            sink.emit(
                "CT-15",
                Path::parse("spec.authServerRef.kind"),
                format!(
                    "authServerRef.kind is {}, but only MCPExternalAuthConfig is supported",
                    quote(kind)
                ),
            )
            .toolhive(format!(
                "unsupported authServerRef kind {}: only MCPExternalAuthConfig is supported",
                quote(kind)
            ))
            .fix(serde_json::Value::String("MCPExternalAuthConfig".into()))
            .hint("condition AuthServerRefValidated=False, reason AuthServerRefInvalidKind");
        } else if let Some(target) = resolved.auth_server {
            let t = type_of(target);
            if t != "embeddedAuthServer" {
                let name = r.str_or_empty("name");
                sink.emit("CT-15", Path::parse("spec.authServerRef.name"), format!("authServerRef names {}, which is of type {}, not embeddedAuthServer", quote(name), quote(&t)))
                    .toolhive(format!("authServerRef must reference a MCPExternalAuthConfig with type \"embeddedAuthServer\", got {}", quote(&t)))
                    .hint(format!("condition AuthServerRefValidated=False, reason AuthServerRefInvalidType: \"authServerRef '{name}' has type {}, but only embeddedAuthServer is supported\". Reference an embeddedAuthServer config here, and use externalAuthConfigRef for outgoing auth.", quote(&t)));
            }
        }
        if let Some(ext) = resolved.external {
            if type_of(ext) == "embeddedAuthServer" {
                sink.emit("CT-15", ref_path(), "both authServerRef and externalAuthConfigRef reference an embedded auth server")
                    .toolhive("conflict: both authServerRef and externalAuthConfigRef reference an embedded auth server; use authServerRef for the embedded auth server and externalAuthConfigRef for outgoing auth only");
            }
        }
    }
    if let (Some((reason, message)), Some(name)) = (
        &resolved.external_invalid,
        spec.get("externalAuthConfigRef")
            .and_then(|r| r.str("name")),
    ) {
        sink.emit("G-08", ref_path(), format!("the referenced MCPExternalAuthConfig {} is invalid ({reason}): {message}", quote(name)))
            .toolhive(format!("MCPExternalAuthConfig {ns}/{name}: invalid ({reason}): {message}"))
            .hint(format!("condition ExternalAuthConfigValidated=False, reason {reason} (copied from the config). Fix the referenced MCPExternalAuthConfig."));
    }
}

/// A config a consumer references that is not in the input.
pub fn unresolved_reference(reference: ConfigRef<'_>, sink: &mut Sink) {
    let name = reference.name;
    sink.emit("CTX-02", ref_path_of(reference.via_auth_server_ref), format!("MCPExternalAuthConfig {name:?} is not in the input; its rules were not applied to this workload"));
}

/// The proxy runner's guard on a run config (G-04).
pub fn guard_run_config(rc: &Node, sink: &mut Sink) {
    let n = rc.items("upstreams").len();
    if n > 1 {
        sink.emit("G-04", Path::parse("upstreams"), format!("the proxy runner (MCPServer, MCPRemoteProxy) accepts one upstream, this run config has {n}"))
            .toolhive(format!(
                "proxy runner does not support multiple upstream providers (found {n}); use VirtualMCPServer for multi-upstream deployments"
            ));
    }
}

/// An MCPExternalAuthConfig a VirtualMCPServer's outgoing auth fetches.
pub(crate) struct Outgoing<'a> {
    /// The backend, as ToolHive's strategy map names it: `<default-strategy>` for
    /// `spec.outgoingAuth.default`, else the key under `spec.outgoingAuth.backends`.
    pub backend: &'a str,
    /// Where the reference names the config.
    pub at: Path,
    /// The config's name.
    pub name: &'a str,
    /// The config, as the cluster would hold it.
    pub config: &'a Node,
}

/// The configs a VirtualMCPServer's `spec.outgoingAuth` fetches: blocks of type
/// `externalAuthConfigRef` (a `discovered` block is a bare strategy, whatever reference it
/// carries) whose config `find` gives — only configs the cluster holds and whose `Valid`
/// condition is true, as ToolHive drops the others from its strategy map. (Backends discovered
/// from the workloads of the VirtualMCPServer's group are not followed.)
pub(crate) fn outgoing_configs<'a>(
    vmcp: &'a Node,
    find: &dyn Fn(&str) -> Option<&'a Node>,
) -> Vec<Outgoing<'a>> {
    let Some(out) = vmcp.get("spec").and_then(|s| s.get("outgoingAuth")) else {
        return Vec::new();
    };
    let base = Path::parse("spec.outgoingAuth");
    let default = out
        .get("default")
        .map(|b| ("<default-strategy>", b, base.key("default")));
    let backends = out
        .get("backends")
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .map(|e| (e.key.as_ref(), &e.value, base.key("backends").key(&e.key)));
    default
        .into_iter()
        .chain(backends)
        .filter(|(_, block, _)| block.str("type") == Some("externalAuthConfigRef"))
        .filter_map(|(backend, block, at)| {
            let name = block.get("externalAuthConfigRef")?.str("name")?;
            Some(Outgoing {
                backend,
                at: at.key("externalAuthConfigRef").key("name"),
                name,
                config: find(name)?,
            })
        })
        .collect()
}

/// A VirtualMCPServer's outgoing auth (profile 2026-08, G-07): an `xaa` config it references
/// without `subjectProviderName` is an error when its auth server has several upstreams (the
/// first upstream is only filled in when there is one).
pub(crate) fn check_vmcp_outgoing(vmcp: &Node, outgoing: &[Outgoing<'_>], sink: &mut Sink) {
    let upstreams = vmcp
        .get("spec")
        .and_then(|s| s.get("authServerConfig"))
        .map_or(0, |a| a.items("upstreamProviders").len());
    if upstreams <= 1 {
        return;
    }
    for o in outgoing {
        let Some(cs) = o.config.get("spec") else {
            continue;
        };
        if cs.str("type") != Some("xaa") {
            continue;
        }
        let subject = cs
            .get("xaa")
            .map(|x| x.str_or_empty("subjectProviderName"))
            .unwrap_or("");
        if subject.is_empty() {
            sink.emit("G-07", o.at.clone(), format!("the xaa config {} has no subjectProviderName, and the auth server has {upstreams} upstreams to choose from", quote(o.name)))
                .toolhive("SubjectProviderName must be set explicitly for xaa when more than one upstream is configured");
        }
    }
}
