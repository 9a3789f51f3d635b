//! The policy run the way policy-server 1.35 runs it, on the fixtures under
//! policy/tests/fixtures: verdicts, codes, rule ids, warnings, host calls, and that no request
//! traps or runs past its 2 s deadline.

mod common;

use common::*;
use mcpauth_guard_policy_host::{review, ClusterState};
use serde_json::{json, Value};

fn request(name: &str) -> Value {
    fixture(&format!("requests/{name}.json"))
}

fn accepted(name: &str, settings: &Value) -> Vec<String> {
    let h = host(fixture_cluster());
    let r = evaluate(&h, &request(name), settings).response;
    assert!(r.accepted, "{name}: {:?}", r.message);
    assert_eq!(r.code, None, "{name}");
    r.warnings.unwrap_or_default()
}

fn rejected(
    name: &str,
    settings: &Value,
) -> (Vec<String>, mcpauth_guard_policy_host::ValidationResponse) {
    let h = host(fixture_cluster());
    let r = evaluate(&h, &request(name), settings).response;
    assert!(!r.accepted, "{name} was accepted");
    assert_eq!(r.code, Some(400), "{name}");
    (message_rules(&r), r)
}

#[test]
fn protocol_version_is_v1() {
    let h = host(ClusterState::new());
    assert_eq!(h.protocol_version().unwrap(), "v1");
    assert_eq!(h.metadata()["protocolVersion"], "v1");
}

#[test]
fn an_unannotated_module_is_refused() {
    let raw = std::fs::read(policy_dir().join("policy.wasm")).expect("policy/policy.wasm");
    let err = mcpauth_guard_policy_host::PolicyHost::load(&raw, ClusterState::new()).err();
    assert!(
        err.is_some(),
        "policy-server refuses a waPC module without protocolVersion"
    );
}

#[test]
fn valid_configs_are_accepted() {
    for name in [
        "config-single-create",
        "config-two-upstreams-create",
        "config-two-upstreams-update",
    ] {
        accepted(name, &json!({}));
    }
}

#[test]
fn a_broken_config_is_rejected_with_its_rules() {
    let (rules, r) = rejected("config-broken-create", &json!({}));
    assert!(rules.contains(&"RT-08".to_owned()), "{rules:?}");
    let msg = r.message.as_deref().unwrap();
    assert!(
        msg.starts_with(&format!("{} problem", audit_rejections(&r))),
        "{msg}"
    );
    assert!(msg.contains("(ToolHive: "), "{msg}");
    let report = audit_report(&r);
    assert_eq!(report["tool"]["name"], "mcpauth-guard");
    assert_eq!(report["documents"][0]["kind"], "MCPExternalAuthConfig");
    assert_eq!(report["documents"][0]["valid"], false);
}

/// How many diagnostics in the audit report reject under the default settings.
fn audit_rejections(r: &mcpauth_guard_policy_host::ValidationResponse) -> usize {
    let reject = ["reconcile", "build", "startup", "consumer", "policy"];
    audit_report(r)["documents"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error" && reject.contains(&d["layer"].as_str().unwrap()))
        .count()
}

#[test]
fn delete_other_kinds_and_other_groups_are_accepted_untouched() {
    for name in [
        "config-broken-delete",
        "configmap-create",
        "foreign-group-create",
    ] {
        let h = host(fixture_cluster());
        let r = evaluate(&h, &request(name), &json!({})).response;
        assert!(
            r.accepted && r.warnings.is_none() && r.message.is_none(),
            "{name}: {r:?}"
        );
        assert!(h.take_calls().is_empty(), "{name}: no host calls");
    }
}

#[test]
fn a_consumer_of_one_upstream_is_accepted_after_fetching_it() {
    let h = host(fixture_cluster());
    let r = evaluate(&h, &request("mcpserver-single-ref"), &json!({})).response;
    assert!(r.accepted, "{:?}", r.message);
    let calls = h.take_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(
        calls[0].starts_with("kubewarden/kubernetes/get_resource "),
        "{calls:?}"
    );
    assert!(
        calls[0].contains("\"name\":\"okta-auth\"") && calls[0].contains("\"namespace\":\"mcp\""),
        "{calls:?}"
    );
}

#[test]
fn mcpserver_and_proxy_refuse_two_upstreams_at_admission() {
    let (rules, r) = rejected("mcpserver-multi-ref", &json!({}));
    assert!(
        rules.contains(&"G-01".to_owned()),
        "{rules:?} {:?}",
        r.message
    );
    let (rules, r) = rejected("mcpremoteproxy-multi-ref", &json!({}));
    assert!(
        rules.contains(&"G-02".to_owned()),
        "{rules:?} {:?}",
        r.message
    );
}

#[test]
fn an_auth_server_ref_is_fetched_and_guarded() {
    // Profile 2026-08: spec.authServerRef names the embedded auth server (G-03, not G-01).
    let h = host(fixture_cluster());
    let r = evaluate(&h, &request("mcpserver-authserverref-multi"), &json!({})).response;
    assert!(!r.accepted, "{:?}", r.message);
    assert_eq!(message_rules(&r), ["G-03"], "{:?}", r.message);
    let calls = h.take_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(calls[0].contains("github-and-okta"), "{calls:?}");
}

#[test]
fn a_virtual_mcp_servers_outgoing_xaa_config_is_fetched() {
    // Two upstreams and an xaa backend without subjectProviderName: G-07, which needs the
    // referenced config, found at admission.
    let h = host(fixture_cluster());
    let r = evaluate(&h, &request("vmcp-outgoing-xaa"), &json!({})).response;
    assert!(!r.accepted, "{:?}", r.message);
    assert_eq!(message_rules(&r), ["G-07"], "{:?}", r.message);
    assert!(
        r.message
            .as_deref()
            .unwrap_or("")
            .contains("spec.outgoingAuth.backends.jira.externalAuthConfigRef.name"),
        "{:?}",
        r.message
    );
    assert!(h.take_calls().iter().any(|c| c.contains("jira-xaa")));
    // Without the referenced config in the cluster: admitted, with a warning naming the field.
    let h = host(ClusterState::new());
    let r = evaluate(&h, &request("vmcp-outgoing-xaa"), &json!({})).response;
    assert!(r.accepted, "{:?}", r.message);
    let warnings = r.warnings.unwrap_or_default();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("spec.outgoingAuth.backends.jira.externalAuthConfigRef.name: MCPExternalAuthConfig tools/jira-xaa was not found")),
        "{warnings:?}"
    );
}

#[test]
fn a_missing_reference_is_a_warning_and_logged() {
    let h = host(fixture_cluster());
    let r = evaluate(&h, &request("mcpserver-missing-ref"), &json!({})).response;
    assert!(r.accepted, "{:?}", r.message);
    let warnings = r.warnings.unwrap_or_default();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("does-not-exist") && w.contains("not found")),
        "{warnings:?}"
    );
    let logs = h.take_logs();
    assert!(
        logs.iter().any(|l| l.contains("does-not-exist")),
        "{logs:?}"
    );
}

#[test]
fn inline_secrets_are_refused_when_asked_and_never_echoed() {
    const SECRET: &str = "Sup3r-Secret-Value-8c1f";
    // Inline OIDC client secrets exist on workloads at v0.13 (`spec.oidcConfig.inline`); at
    // 2026-08 the OIDC settings moved to MCPOIDCConfig resources. The fixture is v1alpha1.
    let settings = json!({"profile": "v0.13", "forbidInlineClientSecrets": true, "rejectLayers": ["admission", "reconcile", "build", "startup", "consumer"]});
    let (rules, r) = rejected("mcpserver-inline-secret", &settings);
    assert!(rules.contains(&"POL-07".to_owned()), "{rules:?}");
    let everything =
        serde_json::to_string(&(&r.message, &r.warnings, &r.audit_annotations)).unwrap();
    assert!(
        !everything.contains(SECRET),
        "the secret leaked: {everything}"
    );
    // Without the rule, whatever the verdict, the secret is not repeated either.
    let h = host(fixture_cluster());
    let r = evaluate(&h, &request("mcpserver-inline-secret"), &json!({"profile": "v0.13", "rejectLayers": ["admission"], "warnLayers": ["reconcile", "build", "startup", "consumer", "advice"]})).response;
    let everything =
        serde_json::to_string(&(&r.message, &r.warnings, &r.audit_annotations)).unwrap();
    assert!(
        !everything.contains(SECRET),
        "the secret leaked: {everything}"
    );
}

#[test]
fn replicas_need_redis_when_asked() {
    accepted("mcpserver-replicas", &json!({}));
    let (rules, _) = rejected(
        "mcpserver-replicas",
        &json!({"requireRedisStorageForReplicas": true}),
    );
    assert_eq!(rules, ["POL-06"]);
}

#[test]
fn a_virtual_mcp_server_may_chain_two_upstreams() {
    accepted("vmcp-two-upstreams-create", &json!({}));
    let (rules, _) = rejected(
        "vmcp-two-upstreams-create",
        &json!({"maxUpstreamProviders": 1}),
    );
    assert_eq!(rules, ["POL-04"]);
}

#[test]
fn policy_rules_on_a_config() {
    let strict = fixture("settings/valid/strict.json");
    accepted("config-two-upstreams-create", &strict);
    let settings = json!({
        "allowedUpstreamIssuers": ["github.com"],
        "allowedUpstreamTypes": ["oauth2"],
        "maxUpstreamProviders": 1
    });
    let (rules, _) = rejected("config-two-upstreams-create", &settings);
    assert_eq!(
        rules,
        ["POL-04", "POL-03", "POL-05", "POL-03"],
        "api.github.com and okta are not allowed"
    );
}

#[test]
fn advice_is_a_warning_and_can_reject() {
    // The broken twin's advice-layer findings (if any) come back as warnings when they do not
    // reject; with advice in rejectLayers nothing is lost.
    let h = host(fixture_cluster());
    let quiet = evaluate(
        &h,
        &request("config-broken-create"),
        &json!({"warnLayers": []}),
    )
    .response;
    assert!(quiet.warnings.is_none(), "{:?}", quiet.warnings);
}

#[test]
fn malformed_objects_are_rejected_without_a_trap() {
    let (rules, r) = rejected("malformed-object-string", &json!({}));
    assert_eq!(rules, ["INPUT"], "{:?}", r.message);
    // A spec of the wrong type is an API-server (admission) problem: rejected when asked.
    let (_, r) = rejected(
        "malformed-spec",
        &json!({"rejectLayers": ["admission", "reconcile", "build", "startup", "consumer"]}),
    );
    assert!(r.message.unwrap().contains("spec"));
    // A payload that is not JSON, or has no request, is a guest error (policy-server: 500).
    let h = host(ClusterState::new());
    assert!(h.validate_raw(b"{not json").is_err());
    assert!(h.validate_raw(b"{\"settings\": {}}").is_err());
}

#[test]
fn a_one_megabyte_object_finishes_in_time() {
    let mut config = fixture("cluster.json")[0].clone();
    let upstream = config["spec"]["embeddedAuthServer"]["upstreamProviders"][0].clone();
    let mut ups = Vec::new();
    let mut i = 0;
    while serde_json::to_string(&ups).unwrap().len() < 1_000_000 {
        let mut u = upstream.clone();
        u["name"] = Value::String(format!("github-{i}"));
        ups.push(u);
        i += 1;
    }
    config["spec"]["embeddedAuthServer"]["upstreamProviders"] = Value::Array(ups);
    let review = review::admission_review("CREATE", &config);
    assert!(serde_json::to_string(&review).unwrap().len() > 1_000_000);
    let h = host(ClusterState::new());
    let eval = evaluate(&h, &review, &json!({"maxUpstreamProviders": 10}));
    assert!(!eval.response.accepted);
    assert!(
        eval.response.message.as_deref().unwrap().len() < 4096,
        "the message is bounded"
    );
    eprintln!("1 MB object ({i} upstreams): {:?}", eval.elapsed);
    // And a consumer referencing it.
    let server = request("mcpserver-multi-ref")["request"]["object"].clone();
    let mut cluster = ClusterState::new();
    config["metadata"]["name"] = json!("github-and-okta");
    cluster.insert(config);
    let h = host(cluster);
    let eval = evaluate(&h, &review::admission_review("CREATE", &server), &json!({}));
    assert!(!eval.response.accepted);
    assert!(message_rules(&eval.response).contains(&"G-01".to_owned()));
}

#[test]
fn many_problems_give_a_bounded_message() {
    let mut config = fixture("cluster.json")[0].clone();
    let ups: Vec<Value> = (0..60)
        .map(|i| json!({"name": format!("Bad_Name_{i}"), "type": "oidc", "oidcConfig": {"issuerUrl": "http://idp.example.net", "clientId": "x"}}))
        .collect();
    config["spec"]["embeddedAuthServer"]["upstreamProviders"] = Value::Array(ups);
    let h = host(ClusterState::new());
    let all = json!({"rejectLayers": ["admission", "reconcile", "build", "startup", "consumer"], "allowedUpstreamIssuers": ["*.okta.com"]});
    let r = evaluate(&h, &review::admission_review("CREATE", &config), &all).response;
    let msg = r.message.unwrap();
    assert!(msg.len() <= 2600, "{}", msg.len());
    assert!(msg.contains(" more"), "{msg}");
    let n: usize = msg.split(' ').next().unwrap().parse().unwrap();
    assert!(n > 60, "{msg}");
    let audit = r.audit_annotations.unwrap();
    assert!(audit["mcpauth-guard-report"].len() <= 32 * 1024);
}

#[test]
fn settings_fixtures() {
    let h = host(ClusterState::new());
    let dir = fixture_path("settings/valid");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let s: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let a = h.validate_settings(&s).unwrap();
        assert!(a.valid, "{}: {:?}", path.display(), a.message);
    }
    let expected = [
        (
            "unknown-key",
            "unknown setting \"rejectLayer\" (did you mean \"rejectLayers\"?)",
        ),
        (
            "unknown-layer",
            "rejectLayers[1] \"runtime\" is not a layer",
        ),
        ("unknown-profile", "profile \"v0.12\" is unknown"),
        (
            "bad-pattern",
            "allowedUpstreamIssuers[0] \"https://github.com/\" is not a host pattern",
        ),
        (
            "bad-type",
            "allowedUpstreamTypes[0] \"saml\" is not an upstream type",
        ),
        (
            "wrong-types",
            "requirePersistentSigningKeys must be true or false, not a string",
        ),
        (
            "overlap",
            "layer \"startup\" is in both rejectLayers and warnLayers",
        ),
        ("not-an-object", "settings must be an object"),
    ];
    for (name, fragment) in expected {
        let s = fixture(&format!("settings/invalid/{name}.json"));
        let a = h.validate_settings(&s).unwrap();
        assert!(!a.valid, "{name}");
        let m = a.message.unwrap_or_default();
        assert!(m.contains(fragment), "{name}: {m}");
    }
    let both = h
        .validate_settings(&fixture("settings/invalid/wrong-types.json"))
        .unwrap();
    assert_eq!(
        both.message.unwrap().matches("; ").count(),
        1,
        "one message per problem"
    );
    // validate with invalid settings is a guest error (the host never gets that far).
    let review = request("config-single-create");
    assert!(h
        .validate(&review["request"], &json!({"profile": "nope"}))
        .is_err());
}

#[test]
fn every_fixture_request_runs_in_time() {
    let h = host(fixture_cluster());
    let dirs = [fixture_path("requests"), fixture_path("examples")];
    for entry in dirs.iter().flat_map(|d| std::fs::read_dir(d).unwrap()) {
        let path = entry.unwrap().path();
        let review: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for settings in [json!({}), fixture("settings/valid/strict.json")] {
            let eval = evaluate(&h, &review, &settings);
            if !eval.response.accepted {
                assert_eq!(eval.response.code, Some(400), "{}", path.display());
                assert!(
                    !message_rules(&eval.response).is_empty(),
                    "{}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn pre_initialisation_changes_nothing_but_speed() {
    // The shipped module is pre-initialised (wasmtime-wizer); the plain build, annotated the
    // same way, must answer every fixture identically.
    let raw = std::fs::read(policy_dir().join("policy.wasm")).expect("policy/policy.wasm");
    let shipped = policy_wasm();
    assert!(
        !String::from_utf8_lossy(&shipped).contains("wizer-initialize"),
        "the initialisation export is removed"
    );
    let meta = mcpauth_guard_annotate::read_metadata(&shipped)
        .unwrap()
        .unwrap();
    let plain = mcpauth_guard_annotate::annotate(&raw, &meta).unwrap();
    let plain = mcpauth_guard_policy_host::PolicyHost::load(&plain, fixture_cluster()).unwrap();
    let pre = host(fixture_cluster());
    for entry in std::fs::read_dir(fixture_path("requests")).unwrap() {
        let path = entry.unwrap().path();
        let review: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for settings in [json!({}), fixture("settings/valid/strict.json")] {
            let a = evaluate(&plain, &review, &settings).response;
            let b = evaluate(&pre, &review, &settings).response;
            assert_eq!(a, b, "{}", path.display());
        }
    }
}

#[test]
fn the_deadline_interrupts_a_runaway_guest() {
    // A waPC guest whose `validate` never returns: the epoch deadline (2 ticks of 1 s) must
    // stop it, as policy-server's would, with an error instead of a hang.
    const LOOP: &str = r#"(module
        (memory (export "memory") 1)
        (func (export "wapc_init"))
        (func (export "__guest_call") (param i32 i32) (result i32)
            (loop $forever (br $forever))
            (i32.const 0)))"#;
    let h = mcpauth_guard_policy_host::PolicyHost::load_unchecked(
        LOOP.as_bytes(),
        json!({}),
        ClusterState::new(),
    )
    .expect("the module loads");
    let start = std::time::Instant::now();
    let result = h.validate(&request("config-single-create")["request"], &json!({}));
    let elapsed = start.elapsed();
    assert!(result.is_err(), "a runaway guest is interrupted");
    assert!(
        elapsed >= std::time::Duration::from_millis(900),
        "{elapsed:?}"
    );
    assert!(elapsed < std::time::Duration::from_secs(4), "{elapsed:?}");
}
