//! The VirtualMCPServer controller's last check before it writes the vMCP config (profile
//! 2026-08, `ValidateAuthServerIntegration` in `pkg/vmcp/config`): the embedded auth server,
//! the incoming OIDC auth and the outgoing `upstream_inject` strategies fit together. A failure
//! sets the phase `Failed` with `invalid auth server integration: …` and deploys nothing.
//! ToolHive stops at the first failure; every one is reported here (G-12), except that without
//! an incoming OIDC reference only the missing audience is (adding a reference of type `oidc`
//! answers both that and the incoming type).
//!
//! Not checked: that the auth server's issuer equals the incoming OIDC issuer, which comes from
//! the referenced MCPOIDCConfig (a kind the core does not read).

use crate::context::WorkloadContext;
use crate::envname::resolved_upstream_name;
use crate::goutil::quote;
use crate::path::Path;
use crate::sink::Sink;
use crate::tree::Node;

use super::consumer::Outgoing;

/// The prefix of every message of the check.
const PREFIX: &str = "invalid auth server integration: ";

/// The type of an MCPExternalAuthConfig that injects an upstream's token into backend calls.
const UPSTREAM_INJECT: &str = "upstreamInject";

/// `ValidateAuthServerIntegration` on a VirtualMCPServer's `spec`: `auth_server` is its
/// admitted `authServerConfig`, `oidc_field` the member of `spec.incomingAuth` that references
/// its OIDC config, `ctx` its workload context (the resolved resource URL), `outgoing` the
/// configs its outgoing auth fetches.
pub fn check(
    spec: &Node,
    auth_server: Option<&Node>,
    oidc_field: &str,
    ctx: &WorkloadContext,
    outgoing: &[Outgoing<'_>],
    sink: &mut Sink,
) {
    let injects = outgoing
        .iter()
        .filter(|o| o.config.get("spec").and_then(|s| s.str("type")) == Some(UPSTREAM_INJECT));
    let Some(auth_server) = auth_server else {
        for o in injects {
            sink.emit("G-12", o.at.clone(), "this backend's upstreamInject config needs the VirtualMCPServer's embedded auth server (spec.authServerConfig)")
                .toolhive([PREFIX, "upstream_inject requires an embedded auth server (authServer must be configured)"].concat());
        }
        return;
    };
    // Without upstreams the controller's own check (G-05) has failed first.
    let upstreams = auth_server.items("upstreamProviders");
    if upstreams.is_empty() {
        return;
    }
    let incoming = spec.get("incomingAuth");
    let reference = incoming.and_then(|i| i.object(oidc_field));
    let base = Path::parse("spec.incomingAuth");
    match &ctx.resource_url {
        None => {
            sink.emit("G-12", Path::parse("spec.authServerConfig"), "the embedded auth server gets no allowed audience: without an incoming OIDC config reference the VirtualMCPServer has no resource URL")
                .toolhive([PREFIX, "auth server requires at least one allowed audience (MCP clients must send RFC 8707 resource parameter)"].concat())
                .at_key();
        }
        Some(url) => {
            if incoming.and_then(|i| i.str("type")) != Some("oidc") {
                sink.emit("G-12", base.key("type"), "the embedded auth server needs OIDC incoming auth (spec.incomingAuth.type: oidc)")
                    .toolhive([PREFIX, "embedded auth server requires OIDC incoming auth"].concat());
            }
            // ToolHive compares a non-empty audience only (the CRD requires one).
            if let Some(audience) = reference
                .and_then(|r| r.str("audience"))
                .filter(|a| !a.is_empty())
            {
                if audience != url {
                    sink.emit("G-12", base.key(oidc_field).key("audience"), format!("the audience is not the auth server's allowed audience, the resource URL {}", quote(url)))
                        .toolhive(format!("{PREFIX}incomingAuth.oidc.audience {} not in auth server's allowed audiences [{url}]", quote(audience)));
                }
            }
        }
    }
    let names: Vec<&str> = upstreams
        .iter()
        .map(|u| resolved_upstream_name(u.str_or_empty("name")))
        .collect();
    for o in injects {
        let provider = o
            .config
            .get("spec")
            .and_then(|s| s.get("upstreamInject"))
            .map_or("", |u| u.str_or_empty("providerName"));
        if !names.contains(&resolved_upstream_name(provider)) {
            sink.emit("G-12", o.at.clone(), format!("this backend's upstreamInject config injects the token of upstream {}, which is not one of the auth server's upstreams", quote(provider)))
                .toolhive(format!("{PREFIX}backend {}: upstream_inject providerName {} not found in auth server upstreams", quote(o.backend), quote(provider)));
        }
    }
}
