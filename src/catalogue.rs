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
    /// What it checks, in one line. Empty when the crate is built without the `rule-docs`
    /// feature (the Kubewarden policy, whose reports never show it).
    pub title: &'static str,
    /// ToolHive's message as the reference gives it (`<i>`, `<n>` … stand for values).
    /// Documentation: empty without the `rule-docs` feature, unless it is the [`template`].
    ///
    /// [`template`]: Rule::template
    pub toolhive: &'static str,
    /// ToolHive's message as the code fills it in at run time (the API server's text of a CEL
    /// rule, the placeholders the sink's `Pending::toolhive_filled` fills); empty for
    /// a rule whose code writes ToolHive's text itself. In every build.
    pub template: &'static str,
    /// How to fix it (empty without `rule-docs` for a rule that is not checked, as above).
    pub hint: &'static str,
    /// Rules that fail earlier and already report the same problem at the same path; a
    /// diagnostic of this rule is dropped when one of them fired there ("report a problem
    /// once, where ToolHive fails first"). They are in earlier layers, except the consumer
    /// checks of [`BEFORE_STARTUP`].
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

/// A rule's documentation-only text (its title; for a rule that is not checked, why, and its
/// ToolHive message and hint, which no report carries): the literal with the
/// `rule-docs` feature (CLI, npm module), `""` without it, so that builds whose reports never
/// show these texts do not carry them.
macro_rules! doc_text {
    ($text:literal) => {
        if cfg!(feature = "rule-docs") {
            $text
        } else {
            ""
        }
    };
}

/// One rule. ToolHive's text is documentation (`doc_text!`) unless it is marked `read`: then
/// the code fills it in at run time ([`Rule::template`]).
macro_rules! rule {
    // A rule that is documented but not checked (`Unreachable` or `AtRuntimeOnly`, with why):
    // no report carries its texts, so all of them are documentation.
    ($id:literal, $revs:ident, $layer:ident, $sev:ident, $title:literal, $toolhive:literal, $hint:literal, [$($sub:literal),*], $decidable:ident $why:literal) => {
        Rule {
            id: $id,
            revs: Revs::$revs,
            layer: Layer::$layer,
            severity: Severity::$sev,
            title: doc_text!($title),
            toolhive: doc_text!($toolhive),
            template: "",
            hint: doc_text!($hint),
            subsumed_by: &[$($sub),*],
            decidable: Decidable::$decidable(doc_text!($why)),
        }
    };
    ($id:literal, $revs:ident, $layer:ident, $sev:ident, $title:literal, read $toolhive:literal, $hint:literal $(, [$($sub:literal),*])?) => {
        rule!(@ $id, $revs, $layer, $sev, $title, $toolhive, $toolhive, $hint, [$($($sub),*)?])
    };
    ($id:literal, $revs:ident, $layer:ident, $sev:ident, $title:literal, $toolhive:literal, $hint:literal $(, [$($sub:literal),*])?) => {
        rule!(@ $id, $revs, $layer, $sev, $title, doc_text!($toolhive), "", $hint, [$($($sub),*)?])
    };
    (@ $id:literal, $revs:ident, $layer:ident, $sev:ident, $title:literal, $toolhive:expr, $template:literal, $hint:literal, [$($sub:literal),*]) => {
        Rule {
            id: $id,
            revs: Revs::$revs,
            layer: Layer::$layer,
            severity: Severity::$sev,
            title: doc_text!($title),
            toolhive: $toolhive,
            template: $template,
            hint: $hint,
            subsumed_by: &[$($sub),*],
            decidable: Decidable::Statically,
        }
    };
}

/// Consumer-layer rules that ToolHive checks before the auth server starts: the
/// VirtualMCPServer controller validates its inline `authServerConfig` (G-05, G-06) and how it
/// fits the incoming and outgoing auth (G-12) and, when
/// that fails, sets the phase `Failed` and deploys nothing, so the start-up errors they
/// anticipate never happen. They may subsume start-up rules.
pub const BEFORE_STARTUP: &[&str] = &["G-05", "G-06", "G-12"];

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
        read "tokenExchange configuration must be set if and only if type is 'tokenExchange'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-02", AH, Admission, Error,
        "headerInjection is set if and only if type is headerInjection",
        read "headerInjection configuration must be set if and only if type is 'headerInjection'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-03", AH, Admission, Error,
        "bearerToken is set if and only if type is bearerToken",
        read "bearerToken configuration must be set if and only if type is 'bearerToken'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-04", AH, Admission, Error,
        "embeddedAuthServer is set if and only if type is embeddedAuthServer",
        read "embeddedAuthServer configuration must be set if and only if type is 'embeddedAuthServer'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-05", AH, Admission, Error,
        "awsSts is set if and only if type is awsSts",
        read "awsSts configuration must be set if and only if type is 'awsSts'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-06", H, Admission, Error,
        "upstreamInject is set if and only if type is upstreamInject",
        read "upstreamInject configuration must be set if and only if type is 'upstreamInject'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-07", H, Admission, Error,
        "obo is set if and only if type is obo",
        read "obo configuration must be set if and only if type is 'obo'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-08", H, Admission, Error,
        "xaa is set if and only if type is xaa",
        read "xaa configuration must be set if and only if type is 'xaa'",
        "Set the block that matches spec.type and remove the others."),
    rule!("C-09", AH, Admission, Error,
        "type unauthenticated carries no configuration block",
        read "no configuration must be set when type is 'unauthenticated'",
        "Remove every configuration block, or choose another type."),
    // ---- admission, profile 2026-08 only (C-10…C-27 and the H schema rows) ---------------
    // (section owned by the 2026-08 admission/reconcile work)
    rule!("S-18", H, Admission, Error,
        "oidcConfig.subjectClaim is at most 128 characters and a claim name ^([a-zA-Z_][a-zA-Z0-9_]*)?$",
        "…oidcConfig.subjectClaim in body should match '^([a-zA-Z_][a-zA-Z0-9_]*)?$'",
        "Name a top-level claim of the ID token, e.g. sub or oid (letters, digits, underscores)."),
    rule!("S-19", H, Admission, Error,
        "additionalAuthorizationParams has at most 16 entries",
        "…additionalAuthorizationParams: Too many: <n>: must have at most 16 items",
        "Keep at most 16 extra authorization parameters."),
    rule!("S-20", H, Admission, Error,
        "dcrConfig.discoveryUrl / registrationEndpoint are https URLs without query, fragment or trailing slash (≤2048); softwareId ≤255; softwareStatement ≤16384",
        "…dcrConfig.discoveryUrl in body should match '^https://[^\\s?#]+[^/\\s?#]$'",
        "Use the provider's https discovery or registration URL, without query, fragment or trailing slash."),
    rule!("S-21", H, Admission, Error,
        "identityFromToken needs subjectPath; subjectPath, namePath and emailPath are 1–256 characters",
        "…identityFromToken.subjectPath: Required value",
        "Set subjectPath to where the token response carries the user's subject (e.g. user.id)."),
    rule!("S-22", H, Admission, Error,
        "upstreamInject.providerName is required and non-empty",
        "…upstreamInject.providerName: Required value",
        "Name the upstream provider whose token is injected."),
    rule!("S-23", H, Admission, Error,
        "obo fields: tenantId a GUID or domain (≤253), authority an https URL, scopes ≤20 of 1–256 characters, subjectTokenProviderName a DNS label",
        "…obo.authority in body should match '^https://[^\\s?#@]+[^/\\s?#@]$'",
        "Fix the OBO field to the documented shape."),
    rule!("S-24", H, Admission, Error,
        "xaa needs idpTokenUrl (https), targetTokenUrl and targetAudience; subjectTokenType is the id_token type",
        "…xaa.targetAudience: Required value",
        "Fill in idpTokenUrl, targetTokenUrl and targetAudience."),
    rule!("S-25", H, Admission, Error,
        "bounds and patterns of the 2026-08 embedded auth server fields (delegateClients, trustedIssuers, jwtBearerGrant, baselineClientScopes, forceConfidentialRedirectUris, cimd, primaryUpstreamProvider, authorizationEndpointBaseUrl)",
        "<path>: Required value / Invalid value / Too many (API server)",
        "Make the field match the CRD schema (see the rules reference §1.5)."),
    rule!("C-10", H, Admission, Error,
        "allowConfidentialClientRegistration is not combined with insecureAllowHTTP",
        read "allowConfidentialClientRegistration cannot be combined with insecureAllowHTTP; client secrets would be issued in cleartext over an unauthenticated endpoint",
        "Serve the auth server over https and drop insecureAllowHTTP, or keep confidential client registration off."),
    rule!("C-11", H, Admission, Error,
        "delegateClients need an issuer that does not start with http:// (loopback included — stricter than the controller, see ADV-06)",
        read "delegateClients require an https:// issuer; delegate client secrets must not be sent over plaintext HTTP",
        "Use an https:// issuer; insecureAllowConfidentialOverLoopbackHTTP does not lift this rule."),
    rule!("C-12", H, Admission, Error,
        "forceConfidentialRedirectUris requires allowConfidentialClientRegistration: true",
        read "forceConfidentialRedirectUris requires allowConfidentialClientRegistration to be true",
        "Set allowConfidentialClientRegistration: true, or remove forceConfidentialRedirectUris."),
    rule!("C-13", H, Admission, Error,
        "each delegate client has a clientSecretRef with non-empty name and key",
        read "clientSecretRef.name and clientSecretRef.key are required and must be non-empty",
        "Reference the Secret (name) and the key inside it that holds the delegate client's secret."),
    rule!("C-14", H, Admission, Error,
        "Redis storage sets exactly one of addr (standalone/cluster) or sentinelConfig",
        read "exactly one of addr or sentinelConfig must be set",
        "Use addr for a standalone or cluster Redis, or sentinelConfig for Sentinel — not both, not neither."),
    rule!("C-15", H, Admission, Error,
        "Redis clusterMode needs addr",
        read "clusterMode requires addr to be set",
        "Set addr to the cluster's address, or drop clusterMode."),
    rule!("C-16", H, Admission, Error,
        "a trusted issuer's allowedDelegateClients is either [\"*\"] or a list of client IDs",
        read "allowedDelegateClients must not combine the wildcard \"*\" with specific client IDs",
        "Use [\"*\"] alone, or list only specific client IDs."),
    rule!("C-17", H, Admission, Error,
        "allowMayAct is not enabled together with the wildcard delegate client (CEL without has() guard: an absent allowedDelegateClients is an evaluation error)",
        read "allowMayAct must not be enabled when allowedDelegateClients contains the wildcard \"*\"",
        "List the specific delegate client IDs allowed to act, or turn allowMayAct off."),
    rule!("C-18", H, Admission, Error,
        "a trusted issuer's actorClaim is not a reserved JWT claim (sub, iss, aud, exp, iat, nbf, jti, name, email, scope, scp, may_act)",
        read "actorClaim must name a readable claim; use client_id or a non-reserved claim such as azp, appid, or cid",
        "Use client_id, or a claim such as azp, appid or cid."),
    rule!("C-19", H, Admission, Error,
        "a trusted issuer with allowPrivateIPs sets jwksUrl explicitly",
        read "allowPrivateIPs requires jwksUrl to be set explicitly",
        "Set jwksUrl to the issuer's JWKS endpoint, or drop allowPrivateIPs."),
    rule!("C-20", H, Admission, Error,
        "a trusted issuer has an expectedAudience, unless it is JWT-bearer only (jwtBearerGrant without actorClaim, actorMatcher, allowMayAct, allowedActors)",
        read "expectedAudience is required unless jwtBearerGrant is configured without actorClaim, actorMatcher, allowMayAct, or allowedActors",
        "Set expectedAudience to the audience the issuer's tokens carry for this auth server."),
    rule!("C-21", H, Admission, Error,
        "a trusted issuer used for delegation (expectedAudience, actorClaim, actorMatcher or allowMayAct) lists allowedDelegateClients",
        read "allowedDelegateClients is required when expectedAudience, actorClaim, actorMatcher, or allowMayAct is set",
        "List the delegate client IDs allowed to exchange this issuer's tokens, or [\"*\"] for any."),
    rule!("C-22", H, Admission, Error,
        "jwtBearerGrant.maxAssertionAge is a duration greater than zero",
        read "maxAssertionAge must be greater than zero",
        "Use a positive duration such as 5m."),
    rule!("C-23", H, Admission, Error,
        "jwtBearerGrant.subjectBindings have distinct subjects",
        read "subjectBindings must not contain duplicate subjects",
        "Merge the allowedResources of bindings with the same subject."),
    rule!("C-24", H, Admission, Error,
        "an upstream provider has the config block of its type (oidc → oidcConfig, oauth2 → oauth2Config) and not the other",
        read "type must be 'oidc' or 'oauth2'; oidcConfig must be set when type is 'oidc' and oauth2Config must be set when type is 'oauth2' (and the other must not be set)",
        "Keep only the config block that matches the provider's type."),
    rule!("C-25", H, Admission, Error,
        "an oauth2 upstream sets exactly one of a non-empty clientId or dcrConfig",
        read "exactly one of clientId or dcrConfig must be set",
        "Use a pre-registered clientId, or dcrConfig for Dynamic Client Registration — not both."),
    rule!("C-26", H, Admission, Error,
        "an oauth2 upstream using dcrConfig has no clientSecretRef",
        read "clientSecretRef must not be set when dcrConfig is set; the client_secret is obtained at runtime via Dynamic Client Registration",
        "Remove clientSecretRef: Dynamic Client Registration obtains the secret."),
    rule!("C-27", H, Admission, Error,
        "dcrConfig sets exactly one of discoveryUrl or registrationEndpoint (presence, an empty string counts as set)",
        read "exactly one of discoveryUrl or registrationEndpoint must be set",
        "Give either the discovery URL or the registration endpoint."),
    // ---- end of 2026-08 admission rules -----------------------------------------------------
    // ---- reconcile: Validate() ------------------------------------------------------------
    rule!("W-01", AH, Reconcile, Error,
        "type/config consistency (the controller's mirror of C-01…C-05)",
        "<field> configuration must be set if and only if type is '<field>'",
        "Set the block that matches spec.type and remove the others.",
        ["C-01", "C-02", "C-03", "C-04", "C-05", "C-06", "C-07", "C-08"]),
    rule!("W-02", AH, Reconcile, Error,
        "type unauthenticated carries no configuration block",
        "no configuration must be set when type is 'unauthenticated'",
        "Remove every configuration block.",
        ["C-09"],
        Unreachable "any block set with type unauthenticated already fails W-01's biconditional, which Validate() checks first"),
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
        "Give every upstream provider its own name.",
        ["S-03"]),
    rule!("W-09", A, Reconcile, Error,
        "oidcConfig is set if and only if the provider type is oidc",
        "upstreamProviders[<i>]: oidcConfig must be set when type is 'oidc' and must not be set otherwise",
        "Keep only the config block that matches the provider's type.",
        ["S-05"]),
    rule!("W-10", A, Reconcile, Error,
        "oauth2Config is set if and only if the provider type is oauth2",
        "upstreamProviders[<i>]: oauth2Config must be set when type is 'oauth2' and must not be set otherwise",
        "Keep only the config block that matches the provider's type.",
        ["S-05"]),
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
    rule!("W-05", H, Reconcile, Error,
        "confidential clients (allowConfidentialClientRegistration or delegateClients) are not served over cleartext HTTP",
        "allow_confidential_client_registration cannot be combined with insecure_allow_http: confidential clients would send secrets over cleartext HTTP / allow_confidential_client_registration cannot be combined with a plain-HTTP loopback issuer (\"<iss>\") unless insecure_allow_confidential_over_loopback_http is set: confidential clients would send secrets over cleartext HTTP",
        "Use an https issuer without insecureAllowHTTP (for local testing on a loopback issuer: insecureAllowConfidentialOverLoopbackHTTP). The message names allow_confidential_client_registration even when delegateClients triggered it.",
        ["C-10", "C-11"]),
    rule!("W-06", H, Reconcile, Error,
        "forceConfidentialRedirectUris need allowConfidentialClientRegistration and valid, non-loopback https redirect URIs",
        "force_confidential_redirect_uris requires allow_confidential_client_registration to be true / force_confidential_redirect_uris: \"<u>\": <err> / force_confidential_redirect_uris: \"<u>\" must not be a loopback redirect URI; a loopback client is a public client by construction and must not be issued a secret",
        "Set allowConfidentialClientRegistration: true and list only non-loopback https redirect URIs.",
        ["C-12", "S-25"]),
    rule!("W-07", H, Reconcile, Error,
        "trusted issuers pass the structural checks (issuer URL set and unique, not the own issuer, delegation policy, JWT-bearer grant); actorMatcher is not seen here (ADV-07)",
        "trustedIssuers: issuer_url \"<u>\": …",
        "Fix the trusted issuer as the message says.",
        ["S-25", "C-16", "C-17", "C-18", "C-19", "C-20", "C-21", "C-22", "C-23"]),
    rule!("W-12", H, Reconcile, Error,
        "an upstream provider has the config block of its type and not the other (the controller's mirror of C-24)",
        "upstreamProviders[<i>]: type must be 'oidc' or 'oauth2'; oidcConfig must be set when type is 'oidc' and oauth2Config must be set when type is 'oauth2' (and the other must not be set)",
        "Keep only the config block that matches the provider's type.",
        ["C-24"]),
    rule!("W-13", H, Reconcile, Error,
        "an oauth2 upstream sets exactly one of a non-empty clientId or dcrConfig (mirror of C-25)",
        "upstreamProviders[<i>]: oauth2Config: exactly one of clientId or dcrConfig must be set",
        "Use a pre-registered clientId, or dcrConfig — not both.",
        ["C-25"]),
    rule!("W-14", H, Reconcile, Error,
        "an oauth2 upstream using dcrConfig has no clientSecretRef (mirror of C-26)",
        "upstreamProviders[<i>]: oauth2Config: clientSecretRef must not be set when dcrConfig is set; the client_secret is obtained at runtime via Dynamic Client Registration",
        "Remove clientSecretRef.",
        ["C-26"]),
    rule!("W-15", H, Reconcile, Error,
        "dcrConfig sets exactly one non-empty discoveryUrl or registrationEndpoint (mirror of C-27, which tests presence)",
        "upstreamProviders[<i>]: oauth2Config.dcrConfig: exactly one of discoveryUrl or registrationEndpoint must be set",
        "Give either the discovery URL or the registration endpoint.",
        ["C-27"]),
    rule!("W-16", H, Reconcile, Error,
        "dcrConfig URLs are at most 2048 bytes and softwareStatement at most 16384 bytes (bytes, where the CRD counts characters)",
        "upstreamProviders[<i>]: oauth2Config.dcrConfig.<field>: length <n> exceeds maximum <max>",
        "Shorten the value (non-ASCII characters count several bytes).",
        ["S-20"]),
    rule!("W-17", H, Reconcile, Error,
        "identityFromToken has a non-empty subjectPath",
        "upstreamProviders[<i>]: oauth2Config.identityFromToken.subjectPath must not be empty when identityFromToken is set",
        "Set subjectPath, or remove identityFromToken.",
        ["S-21"]),
    rule!("W-18", H, Reconcile, Error,
        "additionalAuthorizationParams does not override a parameter the framework manages (response_type, client_id, redirect_uri, scope, state, code_challenge, code_challenge_method, nonce; case-sensitive)",
        "upstreamProviders[<i>].additionalAuthorizationParams: reserved parameter \"<k>\" is managed by the framework and cannot be overridden",
        "Remove the reserved parameter; scopes go in scopes, the redirect URI in redirectUri."),
    rule!("W-19", H, Reconcile, Error,
        "upstreamInject names its provider",
        "upstreamInject requires a non-empty providerName",
        "Set providerName to the upstream provider whose token is injected.",
        ["S-22"]),
    rule!("W-24", H, Reconcile, Error,
        "type obo needs an enterprise build of ToolHive (condition Valid=False, reason EnterpriseRequired)",
        "on-behalf-of (OBO) external auth type requires an enterprise build",
        "Use an enterprise ToolHive build for OBO, or another auth type such as tokenExchange."),
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
        "a workload using an embedded auth server has an OIDC config (its resolved resource URL is never empty: without resourceUrl, ToolHive's resolver uses the workload's service URL)",
        "OIDC config is required for embedded auth server: OIDCConfigRef must be set on the MCPServer / OIDC config resourceUrl is required for embedded auth server: set resourceUrl in OIDCConfigRef",
        "Give the workload an OIDC config, with resourceUrl set to the URL clients use for the MCP server (without it, http://<name>.<namespace>.svc.cluster.local:<proxyPort>)."),
    rule!("CT-13", AH, Build, Error,
        "Redis storage has a supported type, a redis block, a Sentinel config (at 2026-08: addr or a Sentinel config, not both) and ACL credentials",
        "unsupported storage type: <t> / redis config is required when storage type is redis / sentinel config is required for Redis storage (v0.13) / addr and sentinelConfig are mutually exclusive for Redis storage / one of addr (standalone or cluster) or sentinelConfig (Sentinel) is required for Redis storage (2026-08) / ACL user config is required for Redis storage",
        "Complete storage.redis: sentinelConfig (at 2026-08 either addr or sentinelConfig) and aclUserConfig with username and password secrets.",
        ["S-13", "S-14", "S-00", "C-14"]),
    rule!("CT-14", AH, Build, Error,
        "Redis Sentinel has sentinelAddrs or a sentinelService",
        "either sentinelAddrs or sentinelService must be specified",
        "List sentinelAddrs (host:port) or name the Sentinel service."),
    // ---- startup: pkg/authserver at pod start ---------------------------------------------
    rule!("RT-01", AH, Startup, Error,
        "the auth server's issuer is an absolute https URL (http only for localhost), without query, fragment or trailing slash",
        "issuer: <err>",
        "Use https://… for the issuer; plain http is only accepted for localhost.",
        ["S-02", "G-06"]),
    rule!("RT-03", AH, Startup, Error,
        "the current HMAC secret is at least 32 bytes",
        "HMAC secrets are required / HMAC secret must be at least 32 bytes",
        "Store at least 32 random bytes in each HMAC secret.",
        [],
        Unreachable "the runner applies defaults (an ephemeral 32-byte secret) before Config.Validate(), and secret contents are not in the manifests"),
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
        ["W-09", "W-10", "W-11", "S-05", "C-24", "W-12"]),
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
        ["CT-07", "G-12"]),
    rule!("RT-32", AH, Startup, Error,
        "token lifespans parse as Go durations",
        "failed to parse token lifespans: invalid access token lifespan: <err>",
        "Write a duration such as 1h, 30m or 168h.",
        ["S-12"]),
    rule!("RT-33", AH, Startup, Error,
        "client secrets resolve from their file or environment variable",
        "failed to read secret file \"<f>\": … / environment variable \"<v>\" is not set",
        "Make sure the referenced Secret and key exist in the workload's namespace.",
        [],
        AtRuntimeOnly "needs the Secret's contents and the pod's environment; the operator always wires the env var it derives (CT-01)"),
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
    rule!("CT-02", H, Build, Info,
        "a DCR upstream's initial access token reaches the pod as TOOLHIVE_UPSTREAM_DCR_INITIAL_ACCESS_TOKEN_<NAME>; without initialAccessTokenRef it registers anonymously",
        "TOOLHIVE_UPSTREAM_DCR_INITIAL_ACCESS_TOKEN_<UPPER(name, -→_)> ← secretKeyRef{name,key}",
        "Add dcrConfig.initialAccessTokenRef if the provider's registration endpoint requires an initial access token."),
    rule!("CT-03", H, Build, Info,
        "each delegate client's secret reaches the pod as TOOLHIVE_DELEGATE_CLIENT_SECRET_<i>, named by its position in delegateClients",
        "TOOLHIVE_DELEGATE_CLIENT_SECRET_<i> ← secretKeyRef{name,key}",
        "Reordering delegateClients renames the variables; the operator rewires them, but anything else reading them must follow."),
    rule!("CT-08", H, Build, Error,
        "a workload using an embedded auth server has an OIDC audience equal to its resolved resource URL (resourceUrl, else its service URL)",
        "oidcConfigRef.audience is required when an embedded auth server is active; set audience to \"<resourceUrl>\" to match resourceUrl / oidcConfigRef.audience \"<aud>\" must match resourceUrl \"<res>\" when an embedded auth server is active; …",
        "Set spec.oidcConfigRef.audience to the same URL as spec.oidcConfigRef.resourceUrl."),
    rule!("CT-09", H, Build, Info,
        "an empty redirectUri is set by the operator to <resourceUrl without trailing />/oauth/callback",
        "redirect_uri = <resourceURL without trailing />/oauth/callback",
        "Register this callback URL with the identity provider, or set redirectUri explicitly."),
    rule!("CT-10", H, Build, Error,
        "an OAuth2 upstream has exactly one of clientId and dcrConfig, and a well-formed dcrConfig (checked again when building)",
        "upstream \"<name>\": oauth2Config: exactly one of clientId or dcrConfig must be set / …",
        "Set either clientId (with an optional clientSecretRef) or dcrConfig with one of discoveryUrl or registrationEndpoint.",
        ["W-13", "W-14", "W-15", "W-16", "C-25", "C-26", "C-27", "S-20"]),
    rule!("CT-11", H, Build, Error,
        "every delegate client has a clientSecretRef with a name and a key",
        "delegateClients[<i>].clientSecretRef.name and clientSecretRef.key are required",
        "Reference the Secret and key holding the delegate client's secret.",
        ["C-13", "S-00", "S-25"]),
    rule!("CT-12", H, Build, Error,
        "delegate clients and trusted issuers pass the run config pre-flight when the operator builds the workload",
        "invalid embedded auth server delegate clients or trusted issuers: <err>",
        "Fix the delegate client or trusted issuer named in the message.",
        ["C-10", "C-11", "C-16", "C-17", "C-18", "C-19", "C-20", "C-21", "C-22", "C-23", "W-05", "W-07", "S-25"]),
    rule!("CT-15", H, Build, Error,
        "spec.authServerRef names an MCPExternalAuthConfig of type embeddedAuthServer, and externalAuthConfigRef then does not also reference one",
        "unsupported authServerRef kind \"<k>\": only MCPExternalAuthConfig is supported / authServerRef must reference a MCPExternalAuthConfig with type \"embeddedAuthServer\", got \"<t>\" / conflict: both authServerRef and externalAuthConfigRef reference an embedded auth server; …",
        "Use authServerRef (kind MCPExternalAuthConfig) for the embedded auth server and externalAuthConfigRef for outgoing auth only."),
    rule!("RT-02", H, Startup, Error,
        "authorizationEndpointBaseUrl passes the issuer URL checks (https, or http for localhost or with insecureAllowHTTP)",
        "authorization_endpoint_base_url: <err>",
        "Use an https URL without query, fragment, userinfo or trailing slash.",
        ["S-25"]),
    rule!("RT-04", H, Startup, Error,
        "every HMAC secret file holds at least 32 bytes (not trimmed)",
        "HMAC secret in <f> is <n> bytes, but must be at least 32 bytes / rotated HMAC secret in <f> is <n> bytes, but must be at least 32 bytes",
        "Store at least 32 random bytes in each HMAC secret key.",
        [],
        AtRuntimeOnly "needs the Secret's contents (the file mounted in the pod); the manifests only reference it"),
    rule!("RT-13", H, Startup, Error,
        "an OIDC upstream's subject_claim is a claim name",
        "upstream \"<n>\": subject_claim \"<v>\" must be a claim name: start with a letter or underscore and use only letters, digits, and underscores",
        "Use a claim name such as sub, oid or preferred_username.",
        ["S-18"]),
    rule!("RT-17", H, Startup, Error,
        "an OAuth2 upstream's identity_from_token has a subject_path",
        "oauth2 upstream: identity_from_token.subject_path must not be empty when identity_from_token is configured",
        "Set identityFromToken.subjectPath (e.g. sub).",
        ["W-17", "S-21"]),
    rule!("RT-20", H, Startup, Error,
        "additional authorization parameters do not override framework-managed ones",
        "upstream \"<n>\": reserved parameter \"<k>\" is managed by the framework and cannot be overridden",
        "Remove response_type, client_id, redirect_uri, scope, state, code_challenge, code_challenge_method and nonce from additionalAuthorizationParams.",
        ["W-18", "G-06"]),
    rule!("RT-22", H, Startup, Error,
        "every allowed audience is a non-empty RFC 8707 resource URI (absolute http(s), with host, no fragment)",
        "allowed_audiences must not contain an empty audience / allowed_audiences contains invalid audience \"<a>\": invalid_target",
        "Set the workload's resource URL to an absolute https URL without fragment.",
        ["CT-12"]),
    rule!("RT-23", H, Startup, Error,
        "an upstream filter needs at least two upstreams",
        "upstream_filter is configured but has no effect with fewer than 2 upstreams",
        "",
        [],
        Unreachable "the serialized run config has no upstream filter; only Go callers of authserver.Config can set one"),
    rule!("RT-24", H, Startup, Error,
        "baseline client scopes are among the supported scopes",
        "baseline_client_scopes contains \"<s>\" which is not in scopes_supported",
        "Only use scopes the workload advertises (default: openid, profile, email, offline_access)."),
    rule!("RT-25", H, Startup, Error,
        "an enabled CIMD cache has a non-negative size and a positive fallback TTL",
        "cimd: cache_max_size must be non-negative when CIMD is enabled, got <n> / cimd: cache_fallback_ttl must be positive when CIMD is enabled, got <s> / cimd: cache_fallback_ttl: <err>",
        "Use a positive duration such as 5m for cimd.cacheFallbackTtl, or leave it unset.",
        ["S-12", "S-25"]),
    rule!("RT-26", H, Startup, Error,
        "the delegation token lifespan parses and is between 0 and 24h",
        "invalid delegation token lifespan: <err> / delegation token lifespan must not be negative / delegation token lifespan must not exceed 24h0m0s",
        "Use a duration up to 24h, or leave it unset for the default 15m."),
    rule!("RT-27", H, Startup, Error,
        "confidential clients (allowConfidentialClientRegistration or delegate clients) are not served over plain HTTP",
        "allow_confidential_client_registration cannot be combined with insecure_allow_http: … / … plain-HTTP loopback issuer (\"<iss>\") unless insecure_allow_confidential_over_loopback_http is set: …",
        "Use an https issuer, or for local testing set insecureAllowConfidentialOverLoopbackHTTP.",
        ["C-10", "C-11", "W-05", "CT-12", "G-06"]),
    rule!("RT-28", H, Startup, Error,
        "forced confidential redirect URIs require confidential registration and are strict, non-loopback redirect URIs",
        "force_confidential_redirect_uris requires allow_confidential_client_registration to be true / force_confidential_redirect_uris: \"<u>\": <err> / … must not be a loopback redirect URI; …",
        "Set allowConfidentialClientRegistration and list only https, non-loopback redirect URIs.",
        ["C-12", "W-06", "S-25"]),
    rule!("RT-29", H, Startup, Error,
        "delegate clients have unique ids, a secret source, supported scopes and allowed audiences",
        "delegate_clients: client_id \"<id>\": audience \"<a>\" is not in allowed_audiences / …",
        "Use the workload's resource URL as the delegate client's audience and only scopes the workload advertises.",
        ["CT-12"]),
    rule!("RT-30", H, Startup, Error,
        "trusted issuers have valid issuer and JWKS URLs, a consistent delegation policy and JWT-bearer resources among the allowed audiences",
        "trusted_issuers: issuer_url \"<u>\": …",
        "Fix the trusted issuer named in the message.",
        ["C-16", "C-17", "C-18", "C-19", "C-20", "C-21", "C-22", "C-23", "W-07", "CT-12", "S-25"]),
    rule!("RT-31", H, Startup, Error,
        "an OAuth2 upstream has exactly one of client_id and dcr_config; dcr_config has one usable URL",
        "oauth2 upstream: either client_id or dcr_config is required / … / oauth2 upstream: invalid dcr_config: dcr_config: …",
        "Set either clientId or dcrConfig with an https discoveryUrl or registrationEndpoint.",
        ["CT-10", "W-13", "W-15", "C-25", "C-27"]),
    rule!("G-03", H, Consumer, Error,
        "an MCPServer or MCPRemoteProxy accepts an embedded auth server named in authServerRef with one upstream only",
        "<Kind> <ns>/<n>: embedded auth server has <k> upstream providers, but only 1 is supported; use VirtualMCPServer",
        "Use a VirtualMCPServer for several upstreams, or keep one upstream."),
    rule!("G-06", H, Consumer, Error,
        "a VirtualMCPServer's authServerConfig passes the controller's checks: no plain-http non-loopback issuer without insecureAllowHTTP, safe confidential transport, no reserved authorization parameters",
        "spec.authServerConfig.issuer \"<i>\" uses http:// with a non-localhost host; set spec.authServerConfig.insecureAllowHTTP: true to allow this for trusted in-cluster deployments, or use https:// for production deployments",
        "Use an https issuer (or set insecureAllowHTTP for trusted in-cluster deployments).",
        ["S-02", "C-10", "C-11"]),
    rule!("G-07", H, Consumer, Error,
        "a VirtualMCPServer with several upstreams names the subject provider of its xaa outgoing auth explicitly",
        "SubjectProviderName must be set explicitly for xaa when more than one upstream is configured",
        "Set spec.xaa.subjectProviderName of the referenced MCPExternalAuthConfig to one of the upstream names."),
    rule!("G-08", H, Consumer, Error,
        "an MCPServer or MCPRemoteProxy fails while the MCPExternalAuthConfig it references is invalid (Valid=False)",
        "MCPExternalAuthConfig <ns>/<n>: invalid (<reason>): <message>",
        "Fix the referenced MCPExternalAuthConfig; the workload mirrors its Valid=False condition."),
    rule!("G-09", H, Consumer, Error,
        "a VirtualMCPServer with an authorization config names, in primaryUpstreamProvider, one of its auth server's upstreams (the controller checks an inline authzConfig, the operator's converter an authzConfigRef)",
        read "primaryUpstreamProvider=\"<p>\" does not match any upstream declared on spec.authServerConfig.upstreamProviders. Set primaryUpstreamProvider to one of the configured upstream names, or leave it empty to default to the first upstream.",
        "Name one of the upstreams, or remove primaryUpstreamProvider to use the first one.",
        ["S-25"]),
    rule!("G-10", H, Consumer, Error,
        "a VirtualMCPServer names a primaryUpstreamProvider (in the deprecated spec.incomingAuth.authzConfig.inline location) only together with spec.authServerConfig",
        read "primaryUpstreamProvider=\"<p>\" is set but spec.authServerConfig is not configured. The field names an upstream IDP on the embedded auth server, which is required for it to take effect. Remove primaryUpstreamProvider, or configure spec.authServerConfig with an upstream of that name.",
        "Remove primaryUpstreamProvider, or configure spec.authServerConfig with an upstream of that name."),
    rule!("G-11", H, Consumer, Error,
        "a VirtualMCPServer with an authorization config and an auth server has at least one upstream (AuthzRequiresUpstream)",
        "spec.authServerConfig is set but has no upstream providers, and spec.incomingAuth.authzConfig references claims. …",
        "Configure spec.authServerConfig.upstreamProviders with at least one upstream IDP.",
        [],
        Unreachable "the CRD requires at least one upstream (S-03), and the controller's own check of authServerConfig (G-05) fails the reconcile before the authorization checks run"),
    rule!("G-12", H, Consumer, Error,
        "a VirtualMCPServer's embedded auth server fits its incoming and outgoing auth (the controller's ValidateAuthServerIntegration): an allowed audience (an incoming oidcConfigRef), incoming type oidc, the incoming audience equal to the resource URL, every upstreamInject provider among the upstreams, and no upstreamInject without an auth server",
        "invalid auth server integration: auth server requires at least one allowed audience (MCP clients must send RFC 8707 resource parameter) / embedded auth server requires OIDC incoming auth / incomingAuth.oidc.audience \"<a>\" not in auth server's allowed audiences [<url>] / backend \"<b>\": upstream_inject providerName \"<p>\" not found in auth server upstreams / upstream_inject requires an embedded auth server (authServer must be configured)",
        "Reference an MCPOIDCConfig in spec.incomingAuth (type oidc) whose audience is the resource URL, and inject only upstreams the auth server has."),
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
    // ADV-05…ADV-07: profile 2026-08 (the admission/reconcile work)
    rule!("ADV-05", H, Advice, Info,
        "condition IdentitySynthesized: OAuth2 upstreams without userInfo or identityFromToken get a synthesized, non-PII subject (no name or email)",
        "OAuth2 upstream(s) <names> have no userInfo configured; the embedded auth server will synthesize a non-PII subject from the access token (no Name/Email claims). If a userInfo endpoint exists for these upstreams, configure it to resolve real identity.",
        "Configure userInfo (or identityFromToken) on these upstreams to resolve the real user identity."),
    rule!("ADV-06", H, Advice, Info,
        "a plain-HTTP loopback issuer with delegateClients: the API server's rule (C-11) rejects it although the controller and the auth server would accept it with insecureAllowConfidentialOverLoopbackHTTP (reference §9 #8)",
        "",
        "For local testing with delegate clients, serve the issuer over https (e.g. a self-signed certificate on localhost)."),
    rule!("ADV-07", H, Advice, Info,
        "a trusted issuer's actorMatcher is not seen by the controller's Validate(): an invalid CEL expression leaves the config Valid=True and fails only when a workload builds the run config and at pod start (reference §9 #21)",
        "issuer_url \"<u>\": invalid actor_matcher: <cel error> (only at build and pod start)",
        "Check the actorMatcher expression (CEL over `claims`) before deploying; the config's Valid condition will not catch it."),
    // ADV-08…ADV-10: which upstream's token Cedar reads (profile 2026-08)
    rule!("ADV-08", H, Advice, Warning,
        "condition AuthzUpstreamSelectionWarning: a VirtualMCPServer with an authorization config and several upstreams, without primaryUpstreamProvider, authorizes on the first upstream's claims",
        read "multiple upstreamProviders configured; Cedar policies will evaluate claims from the first upstream (\"<name>\"). If another upstream should be authoritative, set spec.incomingAuth.authzConfig.inline.primaryUpstreamProvider explicitly, or remove or reorder the list.",
        "Set spec.authServerConfig.primaryUpstreamProvider to the upstream whose claims the Cedar policies are written for."),
    rule!("ADV-09", H, Advice, Warning,
        "a VirtualMCPServer's primaryUpstreamProvider in the deprecated location spec.incomingAuth.authzConfig.inline (read for one release, only while spec.authServerConfig.primaryUpstreamProvider is empty)",
        read "spec.incomingAuth.authzConfig.inline.primaryUpstreamProvider is deprecated; move the value to spec.authServerConfig.primaryUpstreamProvider",
        "Move the value to spec.authServerConfig.primaryUpstreamProvider."),
    rule!("ADV-10", H, Advice, Warning,
        "condition AuthzPrimaryUpstreamProviderIgnored: primaryUpstreamProvider in an MCPServer's or MCPRemoteProxy's authzConfig has no effect",
        read "spec.authzConfig.inline.primaryUpstreamProvider=\"<p>\" has no effect on <kind>; the field only takes effect on VirtualMCPServer with an embedded auth server",
        "Remove the field: only a VirtualMCPServer with an embedded auth server chooses an upstream's token for Cedar."),
    rule!("DOC-01", Own, Advice, Warning,
        "a document that is none of the kinds mcpauth-guard checks",
        "",
        "Check MCPExternalAuthConfig, MCPServer, MCPRemoteProxy, VirtualMCPServer or an authserver RunConfig."),
    rule!("DOC-02", Own, Admission, Error,
        "the apiVersion is served by the profile's CRD",
        "no matches for kind \"<kind>\" in version \"<apiVersion>\"",
        "Use an apiVersion the profile's CRD serves."),
    rule!("DOC-03", H, Admission, Warning,
        "the apiVersion is served but deprecated (kubectl prints the API server's warning)",
        "Warning: <group>/<version> is deprecated; use <newer version>",
        "Move the manifest to the storage version, e.g. toolhive.stacklok.dev/v1beta1."),
    rule!("DOC-04", Own, Advice, Warning,
        "a plain scalar that kubectl (YAML 1.1: yes/no, on/off, y/n, 0777, 1_000, 0b1; a number out of range, 1e400, stays text) reads otherwise than a YAML 1.2 reader; the report follows kubectl",
        "",
        "Quote the value if it is meant as a string; write true/false, or the number in plain decimal (within a 64-bit float's range), if it is meant as one."),
    rule!("CTX-01", Own, Advice, Info,
        "no workload references the config, so the derivation uses a documented default workload context",
        "",
        "Add the MCPServer/MCPRemoteProxy that references this config to the input, or pass --namespace, --workload and --resource-url."),
    rule!("CTX-02", Own, Advice, Info,
        "a workload references an MCPExternalAuthConfig that is not in the input, so consumer rules were not applied",
        "",
        "Check the referenced MCPExternalAuthConfig together with the workload (same command, same input)."),
    rule!("CTX-03", A, Advice, Info,
        "at v0.13 a VirtualMCPServer only validates its inline authServerConfig; the operator does not deploy it yet",
        "",
        "Use profile 2026-08 to see the env vars, volumes and run config the current operator generates."),
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    // Every diagnostic and every table-driven layer looks rules up by id (twenty-odd times
    // per document): a binary search over the ids packed into integers, sorted once.
    static BY_ID: std::sync::OnceLock<Vec<(u64, &'static Rule)>> = std::sync::OnceLock::new();
    let index = BY_ID.get_or_init(|| {
        let mut index: Vec<(u64, &'static Rule)> = RULES
            .iter()
            .map(|r| (packed_id(r.id).expect("rule ids are at most 8 bytes"), r))
            .collect();
        index.sort_unstable_by_key(|(key, _)| *key);
        index
    });
    let key = packed_id(id)?;
    index
        .binary_search_by_key(&key, |(k, _)| *k)
        .ok()
        .map(|i| index[i].1)
}

/// An id of at most 8 bytes as one integer (big-endian, zero-padded: injective on ids, which
/// hold no NUL).
fn packed_id(id: &str) -> Option<u64> {
    let bytes = id.as_bytes();
    if bytes.len() > 8 {
        return None;
    }
    let mut buf = [0u8; 8];
    buf[..bytes.len()].copy_from_slice(bytes);
    Some(u64::from_be_bytes(buf))
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
                let earlier = by.layer <= r.layer
                    || (BEFORE_STARTUP.contains(s) && r.layer == Layer::Startup);
                assert!(earlier, "{} subsumed by later-layer {s}", r.id);
            }
        }
    }

    #[test]
    fn documentation_texts_follow_the_rule_docs_feature() {
        for r in RULES {
            assert_eq!(!r.title.is_empty(), cfg!(feature = "rule-docs"), "{}", r.id);
            if cfg!(feature = "rule-docs") {
                let documented = !r.toolhive.is_empty()
                    || r.id.starts_with("ADV-")
                    || r.id.starts_with("DOC-")
                    || r.id.starts_with("CTX-");
                assert!(documented, "{}", r.id);
            } else {
                // Only the texts read at run time are left.
                assert_eq!(r.toolhive, r.template, "{}", r.id);
            }
            if !r.template.is_empty() {
                assert_eq!(r.template, r.toolhive, "{}", r.id);
            }
        }
    }

    /// Every CEL rule's text is read at run time (the API server's message): its template is
    /// kept in every build.
    #[test]
    fn cel_rules_keep_their_template() {
        for r in RULES.iter().filter(|r| r.id.starts_with("C-")) {
            assert!(!r.template.is_empty(), "{}", r.id);
        }
    }
}
