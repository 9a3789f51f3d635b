//! Which upstream's token Cedar reads (profile 2026-08). A VirtualMCPServer with an authorization
//! policy (`spec.incomingAuth.authzConfig`) and an embedded auth server authorizes on the claims
//! of one upstream's access token: the one `primaryUpstreamProvider` names, else the first.
//! The VirtualMCPServer controller checks that choice after `validateAuthServerConfig`
//! (`validateAuthzUpstreamAvailable`): an unknown name or a name without an auth server fails
//! the reconcile (phase `Failed`, nothing deployed); several upstreams without a name only set
//! an advisory condition. MCPServer and MCPRemoteProxy run no embedded auth server: the field
//! is a no-op there, which their controllers say in an advisory condition.

use crate::envname::resolved_upstream_name;
use crate::goutil::quote;
use crate::path::Path;
use crate::sink::Sink;
use crate::tree::Node;

/// The field under a workload's authorization config (`…authzConfig.inline`): deprecated on a
/// VirtualMCPServer, a no-op on MCPServer and MCPRemoteProxy.
const INLINE_FIELD: [&str; 2] = ["inline", "primaryUpstreamProvider"];

/// An explicitly named primary upstream, and where it is written.
struct Primary<'a> {
    name: &'a str,
    path: Path,
}

/// A non-empty string member.
fn named<'a>(node: Option<&'a Node>, key: &str) -> Option<&'a str> {
    node?.str(key).filter(|s| !s.is_empty())
}

/// The primary upstream an authorization config names inline, and where (under `authz_path`).
fn inline_primary<'a>(authz: Option<&'a Node>, authz_path: &str) -> Option<Primary<'a>> {
    let [block, field] = INLINE_FIELD;
    named(authz?.get(block), field).map(|name| Primary {
        name,
        path: Path::parse(authz_path).key(block).key(field),
    })
}

/// The VirtualMCPServer controller's authorization coupling (G-09, G-10, ADV-08, ADV-09), and
/// the converter's for a referenced authorization config (G-09).
/// `auth_server` is the admitted `spec.authServerConfig` (`None` without one).
pub fn check_primary_upstream(spec: &Node, auth_server: Option<&Node>, sink: &mut Sink) {
    let incoming = spec.get("incomingAuth");
    let authz = incoming.and_then(|i| i.present("authzConfig"));
    // A shared MCPAuthzConfig (`authzConfigRef`) skips the controller's checks, but the
    // operator's converter (`resolvePrimaryUpstreamProvider`) refuses an unknown name as well.
    let by_converter = authz.is_none() && incoming.is_some_and(|i| i.has("authzConfigRef"));
    if authz.is_none() && !by_converter {
        return;
    }
    let canonical = named(auth_server, "primaryUpstreamProvider").map(|name| Primary {
        name,
        path: Path::parse("spec.authServerConfig.primaryUpstreamProvider"),
    });
    let deprecated = inline_primary(authz, "spec.incomingAuth.authzConfig");
    if let Some(old) = &deprecated {
        advise_deprecated(old, canonical.is_some(), sink);
    }
    // ToolHive's `ExplicitPrimaryUpstreamProvider`: the new location wins, the old one is read
    // while the new one is empty.
    let explicit = canonical.or(deprecated);
    let Some(auth_server) = auth_server else {
        if let Some(p) = explicit {
            sink.emit("G-10", p.path, "primaryUpstreamProvider names an upstream of the embedded auth server, but this VirtualMCPServer has no spec.authServerConfig")
                .toolhive_filled(&[("\"<p>\"", &quote(p.name))]);
        }
        return;
    };
    // Without upstreams the controller's own check (G-05) has already failed, and with it the
    // reconcile: `AuthzRequiresUpstream` (G-11) is never reached.
    let upstreams = auth_server.items("upstreamProviders");
    let Some(first) = upstreams.first() else {
        return;
    };
    match explicit {
        Some(p) if !declared(upstreams, p.name) => {
            let quoted = quote(p.name);
            let diagnostic = sink.emit(
                "G-09",
                p.path,
                "primaryUpstreamProvider is not the name of one of the auth server's upstreams",
            );
            if by_converter {
                diagnostic.toolhive(format!("authz primaryUpstreamProvider {quoted} does not match any upstream declared on spec.authServerConfig.upstreamProviders"));
            } else {
                diagnostic.toolhive_filled(&[("\"<p>\"", &quoted)]);
            }
        }
        Some(_) => {}
        // The advisory condition is the controller's.
        None if upstreams.len() > 1 && !by_converter => {
            let raw = first.str_or_empty("name");
            sink.emit("ADV-08", Path::parse("spec.authServerConfig.upstreamProviders"), "Cedar authorizes on the claims of the first upstream, because primaryUpstreamProvider is not set")
                .toolhive_filled(&[("\"<name>\"", &quote(raw))])
                .at_key();
        }
        None => {}
    }
}

/// Whether `name` is one of the upstreams' names, as ToolHive resolves them.
fn declared(upstreams: &[Node], name: &str) -> bool {
    upstreams
        .iter()
        .any(|u| resolved_upstream_name(u.str_or_empty("name")) == name)
}

/// ADV-09: the field's old location, read only while the new one is empty.
fn advise_deprecated(old: &Primary<'_>, shadowed: bool, sink: &mut Sink) {
    if shadowed {
        sink.emit("ADV-09", old.path.clone(), "this deprecated primaryUpstreamProvider is ignored: spec.authServerConfig.primaryUpstreamProvider is set and takes precedence");
    } else {
        sink.emit("ADV-09", old.path.clone(), "primaryUpstreamProvider is read from its deprecated location; it moves to spec.authServerConfig.primaryUpstreamProvider")
            .toolhive_filled(&[]);
    }
}

/// ADV-10: `primaryUpstreamProvider` in an MCPServer's or MCPRemoteProxy's authorization
/// config has no effect (`kind` is `MCPServer` or `MCPRemoteProxy`).
pub fn check_ignored_primary(root: &Node, kind: &str, sink: &mut Sink) {
    let authz = root.get("spec").and_then(|s| s.present("authzConfig"));
    let Some(p) = inline_primary(authz, "spec.authzConfig") else {
        return;
    };
    sink.emit("ADV-10", p.path, "primaryUpstreamProvider has no effect here: only a VirtualMCPServer with an embedded auth server picks an upstream's token for Cedar")
        .toolhive_filled(&[("\"<p>\"", &quote(p.name)), ("<kind>", kind)]);
}
