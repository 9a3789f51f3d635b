//! The rule catalogue: one entry per rule id, the single place that says what a rule checks,
//! in which layer, for which profiles, with which ToolHive message and which hint.
//!
//! Rule code emits diagnostics by id; the layer, default severity and hint come from here.
//! `docs/RULES.md` is generated from this table (`mcpauth-guard rules --markdown`) and a test
//! keeps the two in sync.

use crate::profile::{Profile, Revs};
use crate::report::{Layer, Severity};

/// Whether a rule can be decided from the manifests alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decidable {
    /// Checked from the input (every such rule has test vectors).
    Statically,
    /// Needs something only the running pod has (secret contents, environment); documented,
    /// not checked. The text says why.
    AtRuntimeOnly(&'static str),
    /// ToolHive has the check, but no input can reach it (an earlier check in the same code
    /// path always fires first). Documented, not checked. The text says why.
    Unreachable(&'static str),
}

/// One rule.
#[derive(Debug)]
pub struct Rule {
    /// The id (`S-04`, `C-01`, `W-08`, `CT-01`, `RT-08`, `G-01`, or the project's own).
    pub id: &'static str,
    /// Which ToolHive revisions have it.
    pub revs: Revs,
    /// When ToolHive fails on it.
    pub layer: Layer,
    /// Default severity of its diagnostics.
    pub severity: Severity,
    /// What it checks, in one line.
    pub title: &'static str,
    /// ToolHive's message (the reference's text; `<i>`, `<n>` … are filled in at run time).
    pub toolhive: &'static str,
    /// How to fix it.
    pub hint: &'static str,
    /// Earlier-layer rules that already report the same problem at the same path; a
    /// diagnostic of this rule is dropped when one of them fired there ("report a problem
    /// once, at the earliest layer").
    pub subsumed_by: &'static [&'static str],
    /// Whether the rule can be checked from the manifests.
    pub decidable: Decidable,
}

impl Rule {
    /// Whether this rule applies in `profile`.
    pub fn applies(&self, profile: Profile) -> bool {
        self.revs.includes(profile)
    }
}

macro_rules! rule {
    ($id:literal, $revs:ident, $layer:ident, $sev:ident, $title:literal, $toolhive:literal, $hint:literal) => {
        rule!($id, $revs, $layer, $sev, $title, $toolhive, $hint, [])
    };
    ($id:literal, $revs:ident, $layer:ident, $sev:ident, $title:literal, $toolhive:literal, $hint:literal, [$($sub:literal),*]) => {
        Rule {
            id: $id,
            revs: Revs::$revs,
            layer: Layer::$layer,
            severity: Severity::$sev,
            title: $title,
            toolhive: $toolhive,
            hint: $hint,
            subsumed_by: &[$($sub),*],
            decidable: Decidable::Statically,
        }
    };
}

/// Every rule, grouped by layer in the order things happen.
pub static RULES: &[Rule] = &[
    // ---- admission: CRD schema ------------------------------------------------------------
    rule!("S-00", Own, Admission, Error,
        "Any other CRD schema constraint (secret references, Redis fields, wrong types, unserved apiVersion)",
        "<path>: Required value / Invalid value / Unsupported value (API server)",
        "Make the field match the CRD schema of the profile."),
    rule!("S-01", AH, Admission, Error,
        "spec.type is required and must be one of the supported auth types",
        "spec.type: Unsupported value: \"<t>\": supported values: …",
        "Set spec.type to one of the listed values (embeddedAuthServer for an embedded auth server)."),
    rule!("S-02", AH, Admission, Error,
        "embeddedAuthServer.issuer is required and must match ^https?://[^\\s?#]+[^/\\s?#]$",
        "…issuer in body should match '^https?://[^\\s?#]+[^/\\s?#]$'",
        "Use an absolute http(s) URL without query, fragment or trailing slash, e.g. https://auth.example.com."),
    rule!("S-03", AH, Admission, Error,
        "embeddedAuthServer.upstreamProviders is required with at least one item (at 2026-08 also unique names)",
        "…upstreamProviders: Required value / should have at least 1 items",
        "Declare at least one upstream identity provider."),
    rule!("S-04", AH, Admission, Error,
        "upstream provider name is required, 1–63 characters, a DNS label ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$",
        "…name in body should match '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'",
        "Use lowercase letters, digits and '-', starting and ending with a letter or digit."),
    rule!("S-05", AH, Admission, Error,
        "upstream provider type is required: oidc or oauth2",
        "…type: Unsupported value: \"<t>\": supported values: \"oidc\", \"oauth2\"",
        "Set type to oidc (OpenID Connect discovery) or oauth2 (explicit endpoints)."),
    rule!("S-06", AH, Admission, Error,
        "oidcConfig.issuerUrl and oidcConfig.clientId are required; issuerUrl must start with https://",
        "…issuerUrl in body should match '^https://.*$'",
        "Give the provider's https issuer URL and the client ID registered with it."),
    rule!("S-07", A, Admission, Error,
        "oauth2Config.clientId and oauth2Config.userInfo are required (v0.13)",
        "…oauth2Config.clientId: Required value / …oauth2Config.userInfo: Required value",
        "Add the client ID and a userInfo block with the provider's user-info endpoint."),
    rule!("S-08", AH, Admission, Error,
        "oauth2Config.authorizationEndpoint and tokenEndpoint are required http(s) URLs",
        "…authorizationEndpoint in body should match '^https?://.*$'",
        "Give the provider's authorization and token endpoint URLs."),
    rule!("S-09", AH, Admission, Error,
        "userInfo.endpointUrl is a required http(s) URL; httpMethod is GET or POST",
        "…endpointUrl in body should match '^https?://.*$'",
        "Give the user-info endpoint URL; use GET or POST."),
    rule!("S-10", AH, Admission, Error,
        "tokenResponseMapping.accessTokenPath is required and non-empty",
        "…accessTokenPath: Required value",
        "Set accessTokenPath to where the token response carries the access token (e.g. access_token)."),
    rule!("S-11", AH, Admission, Error,
        "at most 5 signingKeySecretRefs",
        "…signingKeySecretRefs: Too many: <n>: must have at most 5 items",
        "Keep the current key and at most four previous keys for rotation."),
    rule!("S-12", AH, Admission, Error,
        "token lifespans and Redis timeouts are Go durations without sign (^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$)",
        "…in body should match '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$'",
        "Write a duration such as 1h, 30m or 1h30m."),
    rule!("S-13", AH, Admission, Error,
        "storage.type is memory or redis (default memory)",
        "…storage.type: Unsupported value: \"<t>\": supported values: \"memory\", \"redis\"",
        "Use memory (single replica) or redis."),
    rule!("S-14", A, Admission, Error,
        "storage.redis.sentinelConfig and aclUserConfig.usernameSecretRef are required (v0.13)",
        "…sentinelConfig: Required value",
        "v0.13 supports Redis Sentinel only, with ACL username and password secrets."),
    rule!("S-15", AH, Admission, Error,
        "tokenExchange needs tokenUrl and audience; subjectTokenType must be a known token type",
        "…tokenExchange.audience: Required value",
        "Fill in tokenUrl and audience."),
    rule!("S-16", AH, Admission, Error,
        "headerInjection needs headerName and valueSecretRef; bearerToken needs tokenSecretRef",
        "…headerInjection.valueSecretRef: Required value",
        "Fill in the required secret reference."),
    rule!("S-17", AH, Admission, Error,
        "awsSts needs a region like us-east-1; role ARNs must be IAM role ARNs; sessionDuration 900–43200",
        "…awsSts.region in body should match '^[a-z]{2}(-[a-z]+)+-\\d+$'",
        "Fix the region, role ARN or session duration."),
    // ---- admission: CEL -------------------------------------------------------------------
    rule!("C-01", AH, Admission, Error,
        "tokenExchange is set if and only if type is tokenExchange",
        "tokenExchange configuration must be set if and only if type is 'tokenExchange'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-02", AH, Admission, Error,
        "headerInjection is set if and only if type is headerInjection",
        "headerInjection configuration must be set if and only if type is 'headerInjection'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-03", AH, Admission, Error,
        "bearerToken is set if and only if type is bearerToken",
        "bearerToken configuration must be set if and only if type is 'bearerToken'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-04", AH, Admission, Error,
        "embeddedAuthServer is set if and only if type is embeddedAuthServer",
        "embeddedAuthServer configuration must be set if and only if type is 'embeddedAuthServer'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-05", AH, Admission, Error,
        "awsSts is set if and only if type is awsSts",
        "awsSts configuration must be set if and only if type is 'awsSts'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-06", H, Admission, Error,
        "upstreamInject is set if and only if type is upstreamInject",
        "upstreamInject configuration must be set if and only if type is 'upstreamInject'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-07", H, Admission, Error,
        "obo is set if and only if type is obo",
        "obo configuration must be set if and only if type is 'obo'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-08", H, Admission, Error,
        "xaa is set if and only if type is xaa",
        "xaa configuration must be set if and only if type is 'xaa'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-09", AH, Admission, Error,
        "type unauthenticated carries no configuration block",
        "no configuration must be set when type is 'unauthenticated'",
        "Remove every configuration block, or choose another type."),
    // ---- admission, profile 2026-08 only (C-10…C-27 and the H schema rows) ---------------
    // (section owned by the 2026-08 admission/reconcile work)
    // ---- end of 2026-08 admission rules -----------------------------------------------------
    // ---- reconcile: Validate() ------------------------------------------------------------
    rule!("W-01", AH, Reconcile, Error,
        "type/config consistency (the controller's mirror of C-01…C-05)",
        "<field> configuration must be set if and only if type is '<field>'",
        "Set the block that matches spec.type and remove the others.",
        ["C-01", "C-02", "C-03", "C-04", "C-05"]),
    Rule {
        id: "W-02",
        revs: Revs::AH,
        layer: Layer::Reconcile,
        severity: Severity::Error,
        title: "type unauthenticated carries no configuration block",
        toolhive: "no configuration must be set when type is 'unauthenticated'",
        hint: "Remove every configuration block.",
        subsumed_by: &["C-09"],
        decidable: Decidable::Unreachable(
            "any block set with type unauthenticated already fails W-01's biconditional, which Validate() checks first",
        ),
    },
    rule!("W-03", AH, Reconcile, Error,
        "spec.type is a type the controller knows",
        "unsupported auth type: <type>",
        "Use one of the supported auth types.",
        ["S-01"]),
    rule!("W-04", AH, Reconcile, Error,
        "at least one upstream provider",
        "at least one upstream provider is required",
        "Declare at least one upstream identity provider.",
        ["S-03"]),
    rule!("W-08", AH, Reconcile, Error,
        "upstream provider names are unique",
        "upstreamProviders[<i>]: duplicate name \"<name>\"",
        "Give every upstream provider its own name."),
    rule!("W-09", A, Reconcile, Error,
        "oidcConfig is set if and only if the provider type is oidc",
        "upstreamProviders[<i>]: oidcConfig must be set when type is 'oidc' and must not be set otherwise",
        "Keep only the config block that matches the provider's type."),
    rule!("W-10", A, Reconcile, Error,
        "oauth2Config is set if and only if the provider type is oauth2",
        "upstreamProviders[<i>]: oauth2Config must be set when type is 'oauth2' and must not be set otherwise",
        "Keep only the config block that matches the provider's type."),
    rule!("W-11", A, Reconcile, Error,
        "provider type is oidc or oauth2",
        "upstreamProviders[<i>]: unsupported provider type: <type>",
        "Use oidc or oauth2.",
        ["S-05"]),
    rule!("W-20", AH, Reconcile, Error,
        "awsSts.region is not empty",
        "awsSts.region is required",
        "Set the AWS region.",
        ["S-17"]),
    rule!("W-21", AH, Reconcile, Error,
        "awsSts has a fallbackRoleArn or roleMappings",
        "awsSts: at least one of fallbackRoleArn or roleMappings must be configured",
        "Add a fallbackRoleArn or at least one role mapping."),
    rule!("W-22", AH, Reconcile, Error,
        "each awsSts role mapping has a roleArn and exactly one of claim or matcher",
        "awsSts.roleMappings[<i>].roleArn is required / …: exactly one of claim or matcher must be set / …: claim and matcher are mutually exclusive",
        "Give each mapping a roleArn and either a claim or a matcher.",
        ["S-17"]),
    rule!("W-23", AH, Reconcile, Error,
        "awsSts.sessionDuration is between 900 and 43200 seconds",
        "awsSts.sessionDuration must be between 900 and 43200 seconds",
        "Use a session duration between 15 minutes and 12 hours.",
        ["S-17"]),
    // ---- reconcile, profile 2026-08 only (W-05…W-19, W-24) --------------------------------
    // (section owned by the 2026-08 admission/reconcile work)
    // ---- end of 2026-08 reconcile rules -----------------------------------------------------
    // ---- build: operator conversion -------------------------------------------------------
    rule!("CT-01", AH, Build, Info,
        "each upstream's client secret reaches the pod as TOOLHIVE_UPSTREAM_CLIENT_SECRET_<NAME> from its clientSecretRef",
        "TOOLHIVE_UPSTREAM_CLIENT_SECRET_<UPPER(name, -→_)> ← secretKeyRef{name,key}",
        "Add a clientSecretRef for a confidential client; without one the upstream is a public client."),
    rule!("CT-04", AH, Build, Warning,
        "Redis credentials become TOOLHIVE_AUTH_SERVER_REDIS_USERNAME/PASSWORD only when storage.type is redis",
        "TOOLHIVE_AUTH_SERVER_REDIS_USERNAME, TOOLHIVE_AUTH_SERVER_REDIS_PASSWORD",
        "Set storage.type: redis, or remove the unused storage.redis block."),
    rule!("CT-05", AH, Build, Warning,
        "signing keys, HMAC secrets and Redis CA certificates are mounted as read-only secret volumes",
        "volumes authserver-signing-key-<i>, authserver-hmac-secret-<i>, redis-tls-ca-master, redis-tls-ca-sentinel",
        "Only reference CA certificates the workload uses."),
    rule!("CT-06", AH, Build, Error,
        "the referenced MCPExternalAuthConfig exists and, for embeddedAuthServer, has its configuration",
        "failed to get MCPExternalAuthConfig: … / embedded auth server configuration is nil for type embeddedAuthServer",
        "Create the referenced MCPExternalAuthConfig in the workload's namespace.",
        ["C-04"]),
    rule!("CT-07", AH, Build, Error,
        "a workload using an embedded auth server has an OIDC config with a resourceUrl",
        "OIDC config is required for embedded auth server: OIDCConfigRef must be set on the MCPServer / OIDC config resourceUrl is required for embedded auth server: set resourceUrl in OIDCConfigRef",
        "Set spec.oidcConfig.resourceUrl on the workload to the URL clients use for the MCP server."),
    rule!("CT-13", AH, Build, Error,
        "Redis storage has a redis block, a Sentinel config and ACL credentials",
        "redis config is required when storage type is redis / sentinel config is required for Redis storage / ACL user config is required for Redis storage",
        "Complete storage.redis (sentinelConfig and aclUserConfig with username and password secrets).",
        ["S-13", "S-14", "S-00"]),
    rule!("CT-14", AH, Build, Error,
        "Redis Sentinel has sentinelAddrs or a sentinelService",
        "either sentinelAddrs or sentinelService must be specified",
        "List sentinelAddrs (host:port) or name the Sentinel service."),
    // ---- startup: pkg/authserver at pod start ---------------------------------------------
    rule!("RT-01", AH, Startup, Error,
        "the auth server's issuer is an absolute https URL (http only for localhost), without query, fragment or trailing slash",
        "issuer: <err>",
        "Use https://… for the issuer; plain http is only accepted for localhost.",
        ["S-02"]),
    Rule {
        id: "RT-03",
        revs: Revs::AH,
        layer: Layer::Startup,
        severity: Severity::Error,
        title: "the current HMAC secret is at least 32 bytes",
        toolhive: "HMAC secrets are required / HMAC secret must be at least 32 bytes",
        hint: "Store at least 32 random bytes in each HMAC secret.",
        subsumed_by: &[],
        decidable: Decidable::Unreachable(
            "the runner applies defaults (an ephemeral 32-byte secret) before Config.Validate(), and secret contents are not in the manifests",
        ),
    },
    rule!("RT-05", AH, Startup, Error,
        "at least one upstream",
        "at least one upstream is required",
        "Declare at least one upstream.",
        ["S-03", "W-04"]),
    rule!("RT-06", AH, Startup, Info,
        "a single upstream with an empty name is named default",
        "(no error: the name becomes \"default\")",
        "Name the upstream explicitly; the client secret env var then follows that name."),
    rule!("RT-07", AH, Startup, Error,
        "with several upstreams every upstream is named",
        "upstream[<i>]: name must be explicitly set when multiple upstreams are configured",
        "Give each upstream a DNS-label name.",
        ["S-04"]),
    rule!("RT-08", AH, Startup, Error,
        "with several upstreams no upstream is named default",
        "upstream[<i>]: name \"default\" is reserved for single-upstream configs; use a descriptive name",
        "Give this upstream a descriptive name, such as the identity provider's."),
    rule!("RT-09", AH, Startup, Error,
        "upstream names match ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$",
        "upstream[<i>]: name \"<n>\" must match ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$ (lowercase alphanumeric and hyphens)",
        "Use lowercase letters, digits and '-', starting and ending with a letter or digit.",
        ["S-04"]),
    rule!("RT-10", AH, Startup, Error,
        "upstream names are unique (after defaulting)",
        "duplicate upstream name: \"<n>\"",
        "Give every upstream its own name.",
        ["S-03", "W-08"]),
    rule!("RT-11", AH, Startup, Error,
        "each upstream has the config block of its type and not the other",
        "upstream \"<n>\": oidc_config is required for OIDC provider / … unsupported provider type: \"<t>\"",
        "Keep only the config block that matches the upstream's type.",
        ["W-09", "W-10", "W-11", "S-05"]),
    rule!("RT-12", AH, Startup, Error,
        "an OIDC upstream's issuer is set and uses https (or a loopback host)",
        "upstream \"<n>\": issuer is required for OIDC providers / upstream \"<n>\": invalid issuer URL: endpoint must use HTTPS: <url>",
        "Use the provider's https issuer URL.",
        ["S-06"]),
    rule!("RT-14", AH, Startup, Error,
        "an OAuth2 upstream's authorization and token endpoints are set and use https (or a loopback host)",
        "upstream \"<n>\": authorization_endpoint is required for OAuth2 providers / … invalid token_endpoint: endpoint must use HTTPS: <url>",
        "Use https endpoints.",
        ["S-08"]),
    rule!("RT-15", AH, Startup, Error,
        "an OAuth2 upstream's userinfo endpoint is absolute, http(s), https unless loopback; method GET or POST",
        "upstream \"<n>\": invalid userinfo config: endpoint_url …",
        "Use an https user-info endpoint.",
        ["S-09", "S-07"]),
    rule!("RT-16", AH, Startup, Error,
        "a token response mapping has an access token path",
        "upstream \"<n>\": token_response_mapping.access_token_path is required when token_response_mapping is set",
        "Set tokenResponseMapping.accessTokenPath.",
        ["S-10"]),
    rule!("RT-18", AH, Startup, Error,
        "every upstream has a client_id and a redirect_uri",
        "upstream \"<n>\": client_id is required / upstream \"<n>\": redirect_uri is required",
        "Set redirectUri to the callback URL registered with the provider, e.g. https://mcp.example.com/oauth/callback.",
        ["S-06", "S-07"]),
    rule!("RT-19", AH, Startup, Error,
        "redirect URIs are absolute, without fragment, at most 2048 characters, https (http only for loopback)",
        "upstream \"<n>\": redirect_uri must use http (for loopback) or https scheme",
        "Use an https redirect URI (http only for localhost)."),
    rule!("RT-21", AH, Startup, Error,
        "at least one allowed audience (the workload's resource URL)",
        "at least one allowed audience is required for MCP compliance (RFC 8707 resource parameter validation)",
        "Set the workload's resource URL (spec.oidcConfig.resourceUrl).",
        ["CT-07"]),
    rule!("RT-32", AH, Startup, Error,
        "token lifespans parse as Go durations",
        "failed to parse token lifespans: invalid access token lifespan: <err>",
        "Write a duration such as 1h, 30m or 168h.",
        ["S-12"]),
    Rule {
        id: "RT-33",
        revs: Revs::AH,
        layer: Layer::Startup,
        severity: Severity::Error,
        title: "client secrets resolve from their file or environment variable",
        toolhive: "failed to read secret file \"<f>\": … / environment variable \"<v>\" is not set",
        hint: "Make sure the referenced Secret and key exist in the workload's namespace.",
        subsumed_by: &[],
        decidable: Decidable::AtRuntimeOnly(
            "needs the Secret's contents and the pod's environment; the operator always wires the env var it derives (CT-01)",
        ),
    },
    rule!("RT-34", AH, Startup, Error,
        "an OIDC upstream's scopes include openid (default [openid, offline_access] when empty)",
        "openid scope is required for OIDC provider; use BaseOAuth2Provider for pure OAuth 2.0 flows",
        "Add openid to the scopes, or leave scopes empty for the default [openid, offline_access]."),
    // ---- consumer -------------------------------------------------------------------------
    rule!("G-01", AH, Consumer, Error,
        "an MCPServer accepts an embedded auth server with one upstream only",
        "MCPServer <ns>/<n>: embedded auth server has <k> upstream providers, but only 1 is supported; use VirtualMCPServer",
        "Use a VirtualMCPServer for several upstreams, or keep one upstream."),
    rule!("G-02", AH, Consumer, Error,
        "an MCPRemoteProxy accepts an embedded auth server with one upstream only",
        "MCPRemoteProxy <ns>/<n>: embedded auth server has <k> upstream providers, but only 1 is supported",
        "Use a VirtualMCPServer for several upstreams, or keep one upstream."),
    rule!("G-04", AH, Consumer, Error,
        "the proxy runner accepts a run config with one upstream only",
        "proxy runner does not support multiple upstream providers (found <k>); use VirtualMCPServer for multi-upstream deployments",
        "Use a VirtualMCPServer for several upstreams."),
    rule!("G-05", AH, Consumer, Error,
        "a VirtualMCPServer's authServerConfig has an issuer and upstream providers",
        "spec.authServerConfig.issuer is required / spec.authServerConfig.upstreamProviders is required",
        "Set issuer and at least one upstream provider.",
        ["S-02", "S-03"]),
    // ---- build, startup and consumer, profile 2026-08 only ---------------------------------
    // (CT-02, CT-03, CT-08…CT-12, CT-15, RT-02, RT-04, RT-13, RT-17, RT-20, RT-22…RT-31,
    // G-03, G-06…G-08; section owned by the 2026-08 build/startup/consumer work)
    // ---- end of 2026-08 build/startup/consumer rules ----------------------------------------
    // ---- advice and context (the project's own) -------------------------------------------
    rule!("ADV-01", Own, Advice, Warning,
        "a field the CRD schema does not know is pruned (dropped) by the API server",
        "unknown field \"<path>\" (kubectl warning; the field is dropped)",
        "Check the spelling and case of the field name against the CRD."),
    rule!("ADV-02", Own, Advice, Warning,
        "without signingKeySecretRefs the auth server signs with an ephemeral key: tokens die with the pod",
        "(runtime log: using ephemeral signing key)",
        "Add signingKeySecretRefs with a persistent private key for production."),
    rule!("ADV-03", Own, Advice, Warning,
        "without hmacSecretRefs the auth server generates an ephemeral HMAC secret: sessions die with the pod",
        "no HMAC secrets configured, generating ephemeral secret",
        "Add hmacSecretRefs with at least 32 random bytes for production."),
    rule!("ADV-04", Own, Advice, Warning,
        "an OIDC upstream's userInfoOverride is not propagated to the auth server (the runner ignores it)",
        "(runtime log: userinfo override is not supported for OIDC upstreams)",
        "Remove userInfoOverride, or use an oauth2 upstream with userInfo."),
    rule!("DOC-01", Own, Advice, Warning,
        "a document that is none of the kinds mcpauth-guard checks",
        "",
        "Check MCPExternalAuthConfig, MCPServer, MCPRemoteProxy, VirtualMCPServer or an authserver RunConfig."),
    rule!("DOC-02", Own, Admission, Error,
        "the apiVersion is served by the profile's CRD",
        "no matches for kind \"<kind>\" in version \"<apiVersion>\"",
        "Use an apiVersion the profile's CRD serves."),
    rule!("CTX-01", Own, Advice, Info,
        "no workload references the config, so the derivation uses a documented default workload context",
        "",
        "Add the MCPServer/MCPRemoteProxy that references this config to the input, or pass --namespace, --workload and --resource-url."),
    rule!("CTX-02", Own, Advice, Info,
        "a workload references an MCPExternalAuthConfig that is not in the input, so consumer rules were not applied",
        "",
        "Check the referenced MCPExternalAuthConfig together with the workload (same command, same input)."),
    rule!("CTX-03", Own, Advice, Info,
        "at v0.13 a VirtualMCPServer only validates its inline authServerConfig; the operator does not deploy it yet",
        "",
        "Use profile 2026-08 to see the env vars, volumes and run config the current operator generates."),
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The rules that apply in `profile`, in catalogue order.
pub fn rules_for(profile: Profile) -> impl Iterator<Item = &'static Rule> {
    RULES.iter().filter(move |r| r.applies(profile))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_subsumers_exist() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(
                RULES[..i].iter().all(|o| o.id != r.id),
                "duplicate rule id {}",
                r.id
            );
            for s in r.subsumed_by {
                let by = rule(s).unwrap_or_else(|| panic!("{} is subsumed by unknown {s}", r.id));
                assert!(by.layer <= r.layer, "{} subsumed by later-layer {s}", r.id);
            }
        }
    }
}
