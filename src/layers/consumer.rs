//! Consumers: the MCPServer / MCPRemoteProxy guards (one upstream only), the proxy runner's
//! guard on run configs, and the workload preconditions the operator checks before building.

use crate::context::{ConsumerKind, WorkloadContext};
use crate::path::Path;
use crate::sink::Sink;
use crate::tree::Node;

/// `spec.externalAuthConfigRef.name` of a consumer.
pub fn referenced_config(root: &Node) -> Option<&str> {
    root.get("spec")?.get("externalAuthConfigRef")?.str("name")
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
    sink: &mut Sink,
) {
    let n = eas.items("upstreamProviders").len();
    if n <= 1 {
        return;
    }
    let (rule, suffix) = match kind {
        ConsumerKind::McpServer => ("G-01", "; use VirtualMCPServer"),
        ConsumerKind::McpRemoteProxy => ("G-02", ""),
        ConsumerKind::VirtualMcpServer => return,
    };
    let k = kind.kind_name();
    sink.emit(rule, at, format!("{k} accepts one upstream provider, this config has {n}"))
        .toolhive(format!(
            "{k} {}/{}: embedded auth server has {n} upstream providers, but only 1 is supported{suffix}",
            ctx.namespace, ctx.workload
        ))
        .hint(format!(
            "condition ExternalAuthConfigValidated=False, reason MultiUpstreamNotSupported: \"{k} supports only one upstream provider (found {n}); use VirtualMCPServer for multi-upstream\". Use a VirtualMCPServer, or keep one upstream."
        ));
}

/// Applies a consumer kind's guard to a config on its own (the `--consumer` option).
pub fn guard_config(eas: &Node, kind: ConsumerKind, ctx: &WorkloadContext, sink: &mut Sink) {
    multi_upstream_guard(
        kind,
        eas,
        ctx,
        Path::parse("spec.embeddedAuthServer.upstreamProviders"),
        sink,
    );
}

/// Checks a consumer document against the embedded auth server it references: its OIDC
/// config (CT-07) and its upstream-count guard.
pub fn check_reference(
    consumer: &Node,
    kind: ConsumerKind,
    eas: &Node,
    ctx: &WorkloadContext,
    sink: &mut Sink,
) {
    let oidc = consumer.get("spec").and_then(|s| s.object("oidcConfig"));
    let k = kind.kind_name();
    match oidc {
        None => {
            sink.emit("CT-07", Path::parse("spec"), format!("this {k} uses an embedded auth server but has no spec.oidcConfig"))
                // ToolHive's text names MCPServer for both workload kinds.
                .toolhive("OIDC config is required for embedded auth server: OIDCConfigRef must be set on the MCPServer")
                .at_key();
        }
        Some(o) if o.str_or_empty("resourceUrl").is_empty() => {
            sink.emit("CT-07", Path::parse("spec.oidcConfig.resourceUrl"), format!("this {k} has no spec.oidcConfig.resourceUrl, which the embedded auth server needs as its audience"))
                .toolhive("OIDC config resourceUrl is required for embedded auth server: set resourceUrl in OIDCConfigRef")
                .at_key();
        }
        Some(_) => {}
    }
    multi_upstream_guard(kind, eas, ctx, ref_path(), sink);
}

/// A consumer whose referenced config is not in the input.
pub fn unresolved_reference(root: &Node, sink: &mut Sink) {
    if let Some(name) = referenced_config(root) {
        sink.emit("CTX-02", ref_path(), format!("MCPExternalAuthConfig {name:?} is not in the input; its rules were not applied to this workload"));
    }
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
