//! Profiles: which ToolHive behaviour the rules follow. Every difference between profiles is a
//! field of [`Behaviour`] (or a rule's revision set in the catalogue), never an
//! `if profile == …` inside a rule.

use std::fmt;
use std::sync::OnceLock;

use crate::layers::admission::schema::Schema;

/// A ToolHive revision the rules can follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// ToolHive at the multi-upstream change (074326e12, 2026-03-24; API `v1alpha1`).
    V0_13,
    /// ToolHive main of August 2026 (e25de16cf; API `v1beta1`, `v1alpha1` a deprecated alias).
    /// The default: what current ToolHive does.
    #[default]
    P2026_08,
}

/// Which revision of the rules reference a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revs {
    /// Revision A only (profile `v0.13`).
    A,
    /// Revision H only (profile `2026-08`).
    H,
    /// Both.
    AH,
    /// The project's own rule, in every profile.
    Own,
}

impl Revs {
    /// Whether a rule of these revisions applies in `profile`.
    pub fn includes(self, profile: Profile) -> bool {
        matches!(
            (self, profile),
            (Revs::AH | Revs::Own, _) | (Revs::A, Profile::V0_13) | (Revs::H, Profile::P2026_08)
        )
    }

    /// `A`, `H`, `A+H` or `own`, as in the rules reference.
    pub fn as_str(self) -> &'static str {
        match self {
            Revs::A => "A",
            Revs::H => "H",
            Revs::AH => "A+H",
            Revs::Own => "own",
        }
    }
}

/// How the loopback test of a URL host behaves (`networking.IsLocalhost`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopbackTest {
    /// Revision A: host is exactly `localhost`, `127.0.0.1` or `[::1]`, or starts with one of
    /// them followed by `:`.
    Prefix,
    /// Revision H: strip the port and brackets; `localhost` (any case) or any loopback IP.
    ParsedIp,
}

/// Everything that differs between profiles, as data.
#[derive(Debug)]
pub struct Behaviour {
    /// The profile this table describes.
    pub profile: Profile,
    /// The profile's id as written in reports.
    pub id: &'static str,
    /// The ToolHive revision, for humans.
    pub revision: &'static str,
    /// API versions the API server serves for MCPExternalAuthConfig.
    pub served_versions: &'static [&'static str],
    /// Served but deprecated versions, with the API server's warning.
    pub deprecated_versions: &'static [(&'static str, &'static str)],
    /// The embedded CRD schema (descriptions stripped) of MCPExternalAuthConfig.
    pub schema_json: &'static str,
    /// How loopback hosts are recognised.
    pub loopback: LoopbackTest,
    /// Whether the OAuth2 run config's `userinfo` is serialized as `null` when absent
    /// (revision A has no `omitempty` on it).
    pub oauth2_userinfo_null: bool,
    /// Whether the operator defaults an empty `redirectUri` to `{resourceUrl}/oauth/callback`.
    pub default_redirect_uri: bool,
    /// Whether the Redis username env var is always written into the run config.
    pub redis_username_always: bool,
    /// Whether Redis may be standalone/cluster (`addr`, username optional) besides Sentinel.
    pub redis_standalone: bool,
    /// Whether the issuer check rejects userinfo in the URL.
    pub issuer_rejects_userinfo: bool,
    /// Whether the VirtualMCPServer's inline `authServerConfig` is converted into a workload
    /// (env, volumes, run config). At revision A it is only validated.
    pub vmcp_deploys_auth_server: bool,
    /// Whether the auth server honours `insecure_allow_http` (global and per OAuth2 upstream):
    /// http for any issuer host, no endpoint check, the allow-http redirect-URI policy.
    pub insecure_allow_http: bool,
    /// Whether an OAuth2 upstream may register itself by DCR at start-up (its `client_id` is
    /// then filled in before the upstream checks run).
    pub upstream_dcr: bool,
    /// Where an MCPServer / MCPRemoteProxy keeps its OIDC settings: `oidcConfig` (resource URL
    /// on it, scopes under `inline`) or `oidcConfigRef` (resource URL, audience and scopes on it).
    pub workload_oidc_field: &'static str,
    /// Whether the workload's scopes are under `<oidc field>.inline.scopes` (else `<oidc field>.scopes`).
    pub workload_scopes_inline: bool,
    /// Where a VirtualMCPServer keeps its incoming OIDC settings under `spec.incomingAuth`.
    pub vmcp_oidc_field: &'static str,
    /// Whether MCPServer / MCPRemoteProxy may name the embedded auth server's config in
    /// `spec.authServerRef` (which then wins over `spec.externalAuthConfigRef`).
    pub auth_server_ref: bool,
}

static V0_13: Behaviour = Behaviour {
    profile: Profile::V0_13,
    id: "v0.13",
    revision: "ToolHive 074326e12 (2026-03-24), API toolhive.stacklok.dev/v1alpha1",
    served_versions: &["v1alpha1"],
    deprecated_versions: &[],
    schema_json: include_str!("../schemas/v0.13/mcpexternalauthconfig.json"),
    loopback: LoopbackTest::Prefix,
    oauth2_userinfo_null: true,
    default_redirect_uri: false,
    redis_username_always: true,
    redis_standalone: false,
    issuer_rejects_userinfo: false,
    vmcp_deploys_auth_server: false,
    insecure_allow_http: false,
    upstream_dcr: false,
    workload_oidc_field: "oidcConfig",
    workload_scopes_inline: true,
    vmcp_oidc_field: "oidcConfig",
    auth_server_ref: false,
};

static P2026_08: Behaviour = Behaviour {
    profile: Profile::P2026_08,
    id: "2026-08",
    revision: "ToolHive e25de16cf (2026-08-21), API toolhive.stacklok.dev/v1beta1",
    served_versions: &["v1alpha1", "v1beta1"],
    deprecated_versions: &[(
        "v1alpha1",
        "toolhive.stacklok.dev/v1alpha1 is deprecated; use v1beta1",
    )],
    schema_json: include_str!("../schemas/2026-08/mcpexternalauthconfig.json"),
    loopback: LoopbackTest::ParsedIp,
    oauth2_userinfo_null: false,
    default_redirect_uri: true,
    redis_username_always: false,
    redis_standalone: true,
    issuer_rejects_userinfo: true,
    vmcp_deploys_auth_server: true,
    insecure_allow_http: true,
    upstream_dcr: true,
    workload_oidc_field: "oidcConfigRef",
    workload_scopes_inline: false,
    vmcp_oidc_field: "oidcConfigRef",
    auth_server_ref: true,
};

impl Behaviour {
    /// Every behaviour setting as `(name, value)`, for the profile-differences table of
    /// `docs/RULES.md`. The destructuring has no `..`: a new field does not compile until it is
    /// described here.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        let Behaviour {
            profile: _,
            id: _,
            revision: _,
            served_versions,
            deprecated_versions,
            schema_json: _,
            loopback,
            oauth2_userinfo_null,
            default_redirect_uri,
            redis_username_always,
            redis_standalone,
            issuer_rejects_userinfo,
            vmcp_deploys_auth_server,
            insecure_allow_http,
            upstream_dcr,
            workload_oidc_field,
            workload_scopes_inline,
            vmcp_oidc_field,
            auth_server_ref,
        } = self;
        let deprecated: Vec<&str> = deprecated_versions.iter().map(|(v, _)| *v).collect();
        vec![
            ("served API versions", served_versions.join(", ")),
            ("deprecated API versions", deprecated.join(", ")),
            (
                "loopback hosts (networking.IsLocalhost)",
                format!("{loopback:?}"),
            ),
            (
                "OAuth2 `userinfo` absent is serialized as null",
                oauth2_userinfo_null.to_string(),
            ),
            (
                "operator defaults `redirectUri` to {resourceUrl}/oauth/callback",
                default_redirect_uri.to_string(),
            ),
            (
                "Redis username env var always in the run config",
                redis_username_always.to_string(),
            ),
            (
                "Redis standalone/cluster `addr`, password-only ACL",
                redis_standalone.to_string(),
            ),
            (
                "issuer check rejects userinfo",
                issuer_rejects_userinfo.to_string(),
            ),
            (
                "VirtualMCPServer deploys its inline auth server",
                vmcp_deploys_auth_server.to_string(),
            ),
            (
                "`insecure_allow_http` honoured",
                insecure_allow_http.to_string(),
            ),
            ("OAuth2 upstream DCR", upstream_dcr.to_string()),
            (
                "workload OIDC settings field",
                format!("`spec.{workload_oidc_field}`"),
            ),
            (
                "workload scopes under `inline`",
                workload_scopes_inline.to_string(),
            ),
            (
                "VirtualMCPServer incoming OIDC field",
                format!("`spec.incomingAuth.{vmcp_oidc_field}`"),
            ),
            (
                "`spec.authServerRef` on workloads",
                auth_server_ref.to_string(),
            ),
        ]
    }
}

impl Profile {
    /// Every profile, oldest first.
    pub const ALL: [Profile; 2] = [Profile::V0_13, Profile::P2026_08];

    /// Profiles whose rules are implemented completely (every statically decidable rule has
    /// test vectors) and may be selected.
    pub fn available() -> &'static [Profile] {
        &Profile::ALL
    }

    /// The profile's id (`v0.13`, `2026-08`).
    pub fn id(self) -> &'static str {
        self.behaviour().id
    }

    /// Parses a profile id.
    pub fn parse(id: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The behaviour table.
    pub fn behaviour(self) -> &'static Behaviour {
        match self {
            Profile::V0_13 => &V0_13,
            Profile::P2026_08 => &P2026_08,
        }
    }

    /// The compiled CRD schema (compiled once, on first use).
    pub fn schema(self) -> &'static Schema {
        static SCHEMAS: [OnceLock<Schema>; 2] = [OnceLock::new(), OnceLock::new()];
        let slot = match self {
            Profile::V0_13 => &SCHEMAS[0],
            Profile::P2026_08 => &SCHEMAS[1],
        };
        slot.get_or_init(|| Schema::compile_embedded(self.behaviour().schema_json))
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
