//! What the operator derives at profile 2026-08 (rules reference §4): every kind of env var
//! (upstream client secret, DCR initial access token, delegate client secret, Redis username
//! and password) with its exact name and in the operator's order, and the run config's
//! 2026-08 fields.

use mcpauth_guard::{check_text, ContextOverrides, Options, Profile};
use serde_json::{json, Value};

fn options() -> Options {
    Options {
        profile: Profile::P2026_08,
        ..Options::default()
    }
}

/// The `derived` block of document `doc` (as JSON).
fn derived(input: &str, doc: usize, options: &Options) -> Value {
    let report = check_text("<test>", input, options).expect("input parses");
    let d = &report.documents[doc];
    let json = serde_json::to_value(d).expect("serializes");
    assert!(
        !json["derived"].is_null(),
        "no derivation; diagnostics: {:#?}",
        d.diagnostics
    );
    json["derived"].clone()
}

/// The run config of document `doc` as the report holds it (a tree that keeps Go's member
/// order, which the JSON `Value` of [`derived`] does not).
fn run_config_tree(input: &str, doc: usize) -> mcpauth_guard::tree::Node {
    let mut report = check_text("<test>", input, &options()).expect("input parses");
    report
        .documents
        .swap_remove(doc)
        .derived
        .expect("derived")
        .run_config
}

fn env_names(derived: &Value) -> Vec<String> {
    derived["env"]
        .as_array()
        .expect("env list")
        .iter()
        .map(|v| v["name"].as_str().expect("name").to_owned())
        .collect()
}

const EVERY_KIND: &str = r#"
apiVersion: toolhive.stacklok.dev/v1beta1
kind: MCPExternalAuthConfig
metadata:
  name: mcp-auth
  namespace: tools
spec:
  type: embeddedAuthServer
  embeddedAuthServer:
    issuer: https://auth.example.com
    upstreamProviders:
      - name: corp-okta
        type: oidc
        oidcConfig:
          issuerUrl: https://example.okta.com/oauth2/default
          clientId: 0oa1b2c3d4e5f6g7h8i9
          clientSecretRef: {name: okta-oauth, key: client-secret}
      - name: atlassian-cloud
        type: oauth2
        oauth2Config:
          authorizationEndpoint: https://auth.atlassian.com/authorize
          tokenEndpoint: https://auth.atlassian.com/oauth/token
          dcrConfig:
            registrationEndpoint: https://auth.atlassian.com/register
            initialAccessTokenRef: {name: atlassian-dcr, key: token}
      - name: github
        type: oauth2
        oauth2Config:
          authorizationEndpoint: https://github.com/login/oauth/authorize
          tokenEndpoint: https://github.com/login/oauth/access_token
          clientId: Iv1.0123456789abcdef
          clientSecretRef: {name: github-oauth, key: client-secret}
    delegateClients:
      - clientId: claude-desktop
        clientSecretRef: {name: delegates, key: claude}
        scopes: [openid]
        audiences: [https://mcp.example.com/mcp]
      - clientId: cursor
        clientSecretRef: {name: delegates, key: cursor}
        scopes: [openid]
        audiences: [https://mcp.example.com/mcp]
    storage:
      type: redis
      redis:
        addr: redis.tools.svc.cluster.local:6379
        aclUserConfig:
          usernameSecretRef: {name: redis-acl, key: username}
          passwordSecretRef: {name: redis-acl, key: password}
"#;

#[test]
fn every_env_var_kind_with_exact_names_in_operator_order() {
    let d = derived(EVERY_KIND, 0, &options());
    assert_eq!(
        env_names(&d),
        [
            "TOOLHIVE_UPSTREAM_CLIENT_SECRET_CORP_OKTA",
            "TOOLHIVE_UPSTREAM_DCR_INITIAL_ACCESS_TOKEN_ATLASSIAN_CLOUD",
            "TOOLHIVE_UPSTREAM_CLIENT_SECRET_GITHUB",
            "TOOLHIVE_DELEGATE_CLIENT_SECRET_0",
            "TOOLHIVE_DELEGATE_CLIENT_SECRET_1",
            "TOOLHIVE_AUTH_SERVER_REDIS_USERNAME",
            "TOOLHIVE_AUTH_SERVER_REDIS_PASSWORD",
        ]
    );
    // Secret references only, never values.
    assert_eq!(
        d["env"][1],
        json!({"name": "TOOLHIVE_UPSTREAM_DCR_INITIAL_ACCESS_TOKEN_ATLASSIAN_CLOUD",
               "valueFrom": {"secretKeyRef": {"name": "atlassian-dcr", "key": "token"}}})
    );
    assert_eq!(
        d["env"][4],
        json!({"name": "TOOLHIVE_DELEGATE_CLIENT_SECRET_1",
               "valueFrom": {"secretKeyRef": {"name": "delegates", "key": "cursor"}}})
    );
    // The run config names the same variables.
    let rc = &d["runConfig"];
    assert_eq!(
        rc["upstreams"][1]["oauth2_config"]["dcr_config"],
        json!({"registration_endpoint": "https://auth.atlassian.com/register",
               "initial_access_token_env_var": "TOOLHIVE_UPSTREAM_DCR_INITIAL_ACCESS_TOKEN_ATLASSIAN_CLOUD"})
    );
    assert_eq!(
        rc["delegate_clients"],
        json!([
            {"client_id": "claude-desktop", "client_secret_env_var": "TOOLHIVE_DELEGATE_CLIENT_SECRET_0",
             "scopes": ["openid"], "audiences": ["https://mcp.example.com/mcp"]},
            {"client_id": "cursor", "client_secret_env_var": "TOOLHIVE_DELEGATE_CLIENT_SECRET_1",
             "scopes": ["openid"], "audiences": ["https://mcp.example.com/mcp"]}
        ])
    );
    assert_eq!(
        rc["storage"]["redis_config"]["acl_user_config"],
        json!({"username_env_var": "TOOLHIVE_AUTH_SERVER_REDIS_USERNAME",
               "password_env_var": "TOOLHIVE_AUTH_SERVER_REDIS_PASSWORD"})
    );
    assert_eq!(
        rc["storage"]["redis_config"]["addr"],
        "redis.tools.svc.cluster.local:6379"
    );
}

#[test]
fn delegate_variables_follow_position_not_client_id() {
    let swapped = EVERY_KIND
        .replace("clientId: claude-desktop", "clientId: TMP")
        .replace("clientId: cursor", "clientId: claude-desktop")
        .replace("clientId: TMP", "clientId: cursor");
    let d = derived(&swapped, 0, &options());
    assert_eq!(d["runConfig"]["delegate_clients"][0]["client_id"], "cursor");
    assert_eq!(
        d["runConfig"]["delegate_clients"][0]["client_secret_env_var"],
        "TOOLHIVE_DELEGATE_CLIENT_SECRET_0"
    );
}

#[test]
fn password_only_redis_serializes_an_empty_username_variable() {
    let input = EVERY_KIND.replace(
        "          usernameSecretRef: {name: redis-acl, key: username}\n",
        "",
    );
    let d = derived(&input, 0, &options());
    let names = env_names(&d);
    assert!(!names
        .iter()
        .any(|n| n == "TOOLHIVE_AUTH_SERVER_REDIS_USERNAME"));
    assert_eq!(names.last().unwrap(), "TOOLHIVE_AUTH_SERVER_REDIS_PASSWORD");
    assert_eq!(
        d["runConfig"]["storage"]["redis_config"]["acl_user_config"],
        json!({"username_env_var": "", "password_env_var": "TOOLHIVE_AUTH_SERVER_REDIS_PASSWORD"})
    );
}

#[test]
fn redis_credentials_only_with_storage_type_redis() {
    let input = EVERY_KIND.replace("      type: redis\n", "      type: memory\n");
    let d = derived(&input, 0, &options());
    assert!(!env_names(&d).iter().any(|n| n.contains("REDIS")));
    assert!(d["runConfig"].get("storage").is_none());
}

const WORKLOAD: &str = r#"
---
apiVersion: toolhive.stacklok.dev/v1beta1
kind: MCPServer
metadata:
  name: github-tools
  namespace: tools
spec:
  image: ghcr.io/github/github-mcp-server:v0.4.0
  oidcConfigRef:
    name: mcp-oidc
    audience: https://mcp.example.com/mcp/
    resourceUrl: https://mcp.example.com/mcp/
    scopes: [openid, offline_access, mcp:tools]
  externalAuthConfigRef:
    name: mcp-auth
"#;

const H_FIELDS: &str = r#"
apiVersion: toolhive.stacklok.dev/v1beta1
kind: MCPExternalAuthConfig
metadata:
  name: mcp-auth
  namespace: tools
spec:
  type: embeddedAuthServer
  embeddedAuthServer:
    issuer: https://auth.example.com
    authorizationEndpointBaseUrl: https://login.example.com
    baselineClientScopes: [openid]
    disableUpstreamTokenInjection: true
    allowConfidentialClientRegistration: true
    forceConfidentialRedirectUris: [https://app.example.com/callback]
    cimd:
      enabled: true
      cacheFallbackTtl: 10m
    trustedIssuers:
      - issuerUrl: https://login.partner.example
        jwtBearerGrant:
          maxAssertionAge: 5m
          subjectBindings:
            - subject: svc-reports
              allowedResources: [https://mcp.example.com/mcp/]
    upstreamProviders:
      - name: okta
        type: oidc
        oidcConfig:
          issuerUrl: https://example.okta.com/oauth2/default
          clientId: 0oa1b2c3d4e5f6g7h8i9
          additionalAuthorizationParams: {prompt: consent}
          subjectClaim: oid
"#;

#[test]
fn run_config_fields_of_2026_08() {
    let input = format!("{H_FIELDS}{WORKLOAD}");
    // The workload's derivation (document 1) follows its oidcConfigRef.
    let d = derived(&input, 1, &options());
    let rc = &d["runConfig"];
    // Member order is Go's struct order (the report keeps it; serde_json's map here does not).
    let node = run_config_tree(&input, 1);
    let keys: Vec<&str> = node.keys().collect();
    assert_eq!(
        keys,
        [
            "schema_version",
            "issuer",
            "authorization_endpoint_base_url",
            "upstreams",
            "scopes_supported",
            "baseline_client_scopes",
            "allowed_audiences",
            "disable_upstream_token_injection",
            "cimd",
            "trusted_issuers",
            "allow_confidential_client_registration",
            "force_confidential_redirect_uris",
        ]
    );
    assert_eq!(
        rc["allowed_audiences"],
        json!(["https://mcp.example.com/mcp/"])
    );
    assert_eq!(
        rc["scopes_supported"],
        json!(["openid", "offline_access", "mcp:tools"])
    );
    assert_eq!(
        rc["cimd"],
        json!({"enabled": true, "cache_fallback_ttl": "10m"})
    );
    assert_eq!(
        rc["trusted_issuers"],
        json!([{"issuer_url": "https://login.partner.example", "expected_audience": "",
                "jwt_bearer_grant": {"max_assertion_age": "5m0s",
                  "subject_bindings": [{"subject": "svc-reports",
                    "allowed_resources": ["https://mcp.example.com/mcp/"]}]}}])
    );
    let okta = &rc["upstreams"][0]["oidc_config"];
    // Redirect URI defaulted from the resource URL, trailing slash removed.
    assert_eq!(
        okta["redirect_uri"],
        "https://mcp.example.com/mcp/oauth/callback"
    );
    assert_eq!(
        okta["additional_authorization_params"],
        json!({"prompt": "consent"})
    );
    assert_eq!(okta["subject_claim"], "oid");
    assert!(okta.get("client_secret_env_var").is_none());
}

/// Go writes a map's keys sorted (`additional_authorization_params`, `additional_headers` are
/// `map[string]string`), whatever order the manifest has.
#[test]
fn string_maps_are_written_with_sorted_keys() {
    let input = format!(
        "{}{WORKLOAD}",
        H_FIELDS.replace(
            "additionalAuthorizationParams: {prompt: consent}",
            "additionalAuthorizationParams: {prompt: consent, access_type: offline, Hd: x}",
        )
    );
    let rc = run_config_tree(&input, 1);
    let params = rc
        .at(&mcpauth_guard::path::Path::parse(
            "upstreams[0].oidc_config.additional_authorization_params",
        ))
        .expect("the params");
    assert_eq!(
        params.keys().collect::<Vec<_>>(),
        ["Hd", "access_type", "prompt"]
    );
}

#[test]
fn disabled_cimd_is_omitted_and_redirect_is_kept_without_workload() {
    let input = H_FIELDS.replace("enabled: true", "enabled: false");
    let d = derived(
        &input,
        0,
        &Options {
            context: ContextOverrides::default(),
            ..options()
        },
    );
    assert!(d["runConfig"].get("cimd").is_none());
    assert!(d["runConfig"]["upstreams"][0]["oidc_config"]
        .get("redirect_uri")
        .is_none());
}

const VMCP: &str = r#"
apiVersion: toolhive.stacklok.dev/v1beta1
kind: VirtualMCPServer
metadata:
  name: dev-tools
  namespace: tools
spec:
  groupRef: {name: dev-tools}
  incomingAuth:
    type: oidc
    oidcConfigRef:
      name: vmcp-oidc
      audience: https://vmcp.example.com/mcp
      resourceUrl: https://vmcp.example.com/mcp
      scopes: [openid, offline_access]
  authServerConfig:
    issuer: https://auth.example.com
    hmacSecretRefs:
      - {name: authserver-hmac, key: hmac-secret}
    upstreamProviders:
      - name: okta
        type: oidc
        oidcConfig:
          issuerUrl: https://example.okta.com/oauth2/default
          clientId: 0oa1b2c3d4e5f6g7h8i9
          clientSecretRef: {name: okta-oauth, key: client-secret}
      - name: github
        type: oauth2
        oauth2Config:
          authorizationEndpoint: https://github.com/login/oauth/authorize
          tokenEndpoint: https://github.com/login/oauth/access_token
          clientId: Iv1.0123456789abcdef
          clientSecretRef: {name: github-oauth, key: client-secret}
"#;

#[test]
fn virtual_mcp_server_deploys_its_inline_auth_server() {
    let d = derived(VMCP, 0, &options());
    assert_eq!(
        env_names(&d),
        [
            "TOOLHIVE_UPSTREAM_CLIENT_SECRET_OKTA",
            "TOOLHIVE_UPSTREAM_CLIENT_SECRET_GITHUB"
        ]
    );
    assert_eq!(d["volumes"][0]["name"], "authserver-hmac-secret-0");
    let rc = &d["runConfig"];
    assert_eq!(
        rc["allowed_audiences"],
        json!(["https://vmcp.example.com/mcp"])
    );
    assert_eq!(rc["scopes_supported"], json!(["openid", "offline_access"]));
    assert_eq!(
        rc["upstreams"][1]["oauth2_config"]["redirect_uri"],
        "https://vmcp.example.com/mcp/oauth/callback"
    );
    // Without an incoming resource URL, or with an empty one, ToolHive's OIDC resolver gives
    // the VirtualMCPServer's service URL on port 4483 (which the incoming audience must then
    // be, G-12); without an incoming OIDC config at all, the audience list is nil.
    let service = "http://dev-tools.tools.svc.cluster.local:4483";
    let audience = |resource_url: &str| {
        VMCP.replace(
            "      audience: https://vmcp.example.com/mcp\n      resourceUrl: https://vmcp.example.com/mcp\n",
            &format!("      audience: {service}\n{resource_url}"),
        )
    };
    for bare in [audience(""), audience("      resourceUrl: \"\"\n")] {
        let d = derived(&bare, 0, &options());
        assert_eq!(
            d["runConfig"]["allowed_audiences"],
            json!([service]),
            "{bare}"
        );
        assert_eq!(
            d["runConfig"]["upstreams"][1]["oauth2_config"]["redirect_uri"],
            format!("{service}/oauth/callback")
        );
    }
    // The controller refuses that before deploying anything (G-12); the auth server would
    // not start either (RT-21).
    let report = check_text("<test>", &without_incoming_oidc(), &options()).expect("parses");
    let refused = &report.documents[0].diagnostics;
    let g12 = refused.iter().find(|d| d.rule == "G-12").expect("G-12");
    assert_eq!(g12.path, "spec.authServerConfig");
    assert!(g12.also.iter().any(|r| r.rule == "RT-21"), "{g12:#?}");
    assert!(report.documents[0].derived.is_none());
}

/// [`VMCP`] without `spec.incomingAuth.oidcConfigRef`.
fn without_incoming_oidc() -> String {
    let start = VMCP
        .find("    oidcConfigRef:\n")
        .expect("the fixture has one");
    let end = VMCP
        .find("  authServerConfig:")
        .expect("the fixture has one");
    format!("{}{}", &VMCP[..start], &VMCP[end..])
}

/// The VirtualMCPServer controller refuses an inline auth server before deploying it: what the
/// auth server would refuse at start-up for the same reason is listed under G-06 (`also`), not
/// reported a second time (the consumer and start-up rules of the report are compared).
#[test]
fn a_virtual_mcp_server_s_controller_check_is_reported_once() {
    let broken = VMCP
        .replace(
            "    issuer: https://auth.example.com\n",
            "    issuer: http://auth.example.com\n",
        )
        .replace(
            "          issuerUrl: https://example.okta.com/oauth2/default\n",
            "          issuerUrl: https://example.okta.com/oauth2/default\n          additionalAuthorizationParams: {client_id: x}\n",
        );
    let loopback = VMCP.replace(
        "    issuer: https://auth.example.com\n",
        "    issuer: http://localhost:8080\n    allowConfidentialClientRegistration: true\n",
    );
    for (input, want) in [
        (
            broken,
            vec![
                ("spec.authServerConfig.issuer", "RT-01"),
                (
                    "spec.authServerConfig.upstreamProviders[0].oidcConfig.additionalAuthorizationParams.client_id",
                    "RT-20",
                ),
            ],
        ),
        (loopback, vec![("spec.authServerConfig", "RT-27")]),
    ] {
        let report = check_text("<test>", &input, &options()).expect("parses");
        let got: Vec<(&str, &str, Vec<&str>)> = report.documents[0]
            .diagnostics
            .iter()
            .filter(|d| d.rule.starts_with("G-") || d.rule.starts_with("RT-"))
            .map(|d| {
                let also = d.also.iter().map(|a| a.rule.as_str()).collect();
                (d.rule.as_str(), d.path.as_str(), also)
            })
            .collect();
        let want: Vec<(&str, &str, Vec<&str>)> = want
            .into_iter()
            .map(|(path, folded)| ("G-06", path, vec![folded]))
            .collect();
        assert_eq!(got, want, "{input}");
    }
}

/// The rules of one document of a report.
fn rules(report: &mcpauth_guard::Report, doc: usize) -> Vec<&str> {
    report.documents[doc]
        .diagnostics
        .iter()
        .map(|d| d.rule.as_str())
        .collect()
}

const CONFIG_AND_TWO_SERVERS: &str = r#"
apiVersion: toolhive.stacklok.dev/v1beta1
kind: MCPExternalAuthConfig
metadata: {name: cfg, namespace: mcp}
spec:
  type: embeddedAuthServer
  embeddedAuthServer:
    issuer: https://auth.example.com
    upstreamProviders:
      - name: okta
        type: oidc
        oidcConfig:
          issuerUrl: https://example.okta.com
          clientId: a
          clientSecretRef: {name: okta, key: s}
---
apiVersion: toolhive.stacklok.dev/v1beta1
kind: MCPServer
metadata: {name: first, namespace: mcp}
spec:
  image: x
  oidcConfigRef:
    name: o
    audience: https://first.example.com/mcp
    resourceUrl: https://first.example.com/mcp
  externalAuthConfigRef: {name: cfg}
---
apiVersion: toolhive.stacklok.dev/v1beta1
kind: MCPServer
metadata: {name: second, namespace: mcp}
spec:
  image: x
  oidcConfigRef:
    name: o
    audience: https://second.example.com/mcp
    resourceUrl: https://second.example.com/mcp
  externalAuthConfigRef: {name: cfg}
"#;

#[test]
fn a_workload_whose_build_fails_gets_no_derivation() {
    let check = |input: &str| check_text("<test>", input, &options()).expect("parses");
    // Both workloads build: each gets its own run config, the config follows the first.
    let report = check(CONFIG_AND_TWO_SERVERS);
    for doc in 0..3 {
        assert!(report.documents[doc].derived.is_some(), "document {doc}");
    }
    // The second one's audience differs from its resource URL (CT-08): the operator builds
    // nothing for it; the first one and the config keep theirs.
    let report = check(&CONFIG_AND_TWO_SERVERS.replace(
        "audience: https://second.example.com/mcp",
        "audience: https://other.example.com",
    ));
    assert_eq!(rules(&report, 2), ["CT-08"]);
    assert!(report.documents[2].derived.is_none());
    assert!(report.documents[1].derived.is_some());
    assert!(report.documents[0].derived.is_some());
    // The first one has no OIDC config (CT-07): nothing for it, nor for the config, whose
    // derivation follows its first workload.
    let first_without_oidc = CONFIG_AND_TWO_SERVERS.replacen(
        "  oidcConfigRef:\n    name: o\n    audience: https://first.example.com/mcp\n    resourceUrl: https://first.example.com/mcp\n",
        "",
        1,
    );
    let report = check(&first_without_oidc);
    assert_eq!(rules(&report, 1), ["CT-07"]);
    assert!(report.documents[1].derived.is_none());
    assert!(report.documents[0].derived.is_none());
    assert!(report.documents[2].derived.is_some());
}

#[test]
fn no_incoming_oidc_config_gives_no_redirect_default() {
    let input = without_incoming_oidc();
    let report = check_text("<test>", &input, &options()).expect("parses");
    // Nothing is deployed (G-12: no allowed audience), but the start-up checks of the run
    // config the operator would build still run: the oauth2 upstream has no redirect URI.
    let found = rules(&report, 0);
    assert!(found.contains(&"G-12"), "{found:?}");
    assert!(!found.contains(&"CT-09"), "{found:?}");
    assert!(found.contains(&"RT-18"), "{found:?}");
    assert!(report.documents[0]
        .diagnostics
        .iter()
        .any(|d| d.rule == "RT-18"
            && d.path == "spec.authServerConfig.upstreamProviders[1].oauth2Config.redirectUri"));
}

#[test]
fn a_virtual_mcp_server_is_its_own_workload_whatever_the_overrides() {
    let redis = VMCP.replace(
        "    hmacSecretRefs:",
        "    storage:\n      type: redis\n      redis:\n        addr: redis.tools.svc:6379\n        aclUserConfig:\n          passwordSecretRef: {name: rp, key: p}\n    hmacSecretRefs:",
    );
    let overridden = Options {
        context: ContextOverrides {
            namespace: Some("other".into()),
            workload: Some("elsewhere".into()),
            resource_url: Some("https://flag.example.com/mcp".into()),
            scopes: Some(vec!["flag-scope".into()]),
        },
        ..options()
    };
    let rc = &derived(&redis, 0, &overridden)["runConfig"];
    assert_eq!(
        rc["storage"]["redis_config"]["key_prefix"],
        "thv:auth:{tools:dev-tools}:"
    );
    assert_eq!(
        rc["allowed_audiences"],
        json!(["https://vmcp.example.com/mcp"])
    );
    assert_eq!(rc["scopes_supported"], json!(["openid", "offline_access"]));
    // Without incoming OIDC the audience list stays nil and the auth server cannot start,
    // whatever resource URL the caller passes.
    let anonymous = VMCP.replace(
        "    type: oidc\n    oidcConfigRef:\n      name: vmcp-oidc\n      audience: https://vmcp.example.com/mcp\n      resourceUrl: https://vmcp.example.com/mcp\n      scopes: [openid, offline_access]\n",
        "    type: anonymous\n",
    );
    let report = check_text("<test>", &anonymous, &overridden).expect("parses");
    let g12 = report.documents[0]
        .diagnostics
        .iter()
        .find(|d| d.rule == "G-12" && d.path == "spec.authServerConfig")
        .expect("G-12: no allowed audience");
    assert!(g12.also.iter().any(|r| r.rule == "RT-21"), "{g12:#?}");
}
