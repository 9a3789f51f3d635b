//! The run config's storage block (`buildStorageRunConfig`, rules CT-13 and CT-14).

use super::obj::{list, Obj};
use crate::context::WorkloadContext;
use crate::envname::{REDIS_PASSWORD, REDIS_USERNAME};
use crate::path::Path;
use crate::profile::Behaviour;
use crate::sink::Sink;
use crate::tree::{Node, Value};

fn fail(sink: &mut Sink, rule: &str, path: Path, ours: &str, theirs: &str) {
    sink.emit(rule, path, ours)
        .toolhive(format!("failed to build storage config: {theirs}"));
}

/// The storage run config, or `None` for in-memory storage or when building fails (the
/// failure is reported to `sink`).
pub fn storage(
    eas: &Node,
    at: &Path,
    ctx: &WorkloadContext,
    b: &Behaviour,
    sink: &mut Sink,
) -> Option<Node> {
    let st = eas.object("storage")?;
    match st.str("type").unwrap_or("memory") {
        "memory" => return None,
        "redis" => {}
        other => {
            fail(
                sink,
                "CT-13",
                at.key("type"),
                &format!("storage type {other:?} is not supported"),
                &format!("unsupported storage type: {other}"),
            );
            return None;
        }
    }
    let at = at.key("redis");
    let Some(redis) = st.object("redis") else {
        fail(
            sink,
            "CT-13",
            at,
            "storage type is redis but storage.redis is missing",
            "redis config is required when storage type is redis",
        );
        return None;
    };
    let addr = redis.str_or_empty("addr");
    let sentinel = redis.object("sentinelConfig");
    if b.redis_standalone {
        match (addr.is_empty(), sentinel.is_some()) {
            (false, true) => {
                fail(
                    sink,
                    "CT-13",
                    at.clone(),
                    "storage.redis sets both addr and sentinelConfig",
                    "addr and sentinelConfig are mutually exclusive for Redis storage",
                );
                return None;
            }
            (true, false) => {
                fail(sink, "CT-13", at.clone(), "storage.redis needs addr or sentinelConfig", "one of addr (standalone or cluster) or sentinelConfig (Sentinel) is required for Redis storage");
                return None;
            }
            _ => {}
        }
    } else if sentinel.is_none() {
        fail(
            sink,
            "CT-13",
            at.key("sentinelConfig"),
            "storage.redis.sentinelConfig is missing",
            "sentinel config is required for Redis storage",
        );
        return None;
    }
    let acl = redis.object("aclUserConfig");
    let username = acl.and_then(|a| a.object("usernameSecretRef"));
    let password = acl.and_then(|a| a.object("passwordSecretRef"));
    let username_required = !b.redis_standalone;
    if acl.is_none() || password.is_none() || (username_required && username.is_none()) {
        let path = match acl {
            None => at.key("aclUserConfig"),
            Some(_) if password.is_none() => at.key("aclUserConfig").key("passwordSecretRef"),
            Some(_) => at.key("aclUserConfig").key("usernameSecretRef"),
        };
        fail(
            sink,
            "CT-13",
            path,
            "Redis storage needs ACL user credentials",
            "ACL user config is required for Redis storage",
        );
        return None;
    }
    let sentinel_node = match sentinel {
        Some(sc) => {
            let addrs = sc.strings("sentinelAddrs");
            let addrs = if !addrs.is_empty() {
                addrs
            } else if let Some(svc) = sc.object("sentinelService") {
                let ns = svc
                    .str("namespace")
                    .filter(|n| !n.is_empty())
                    .unwrap_or(&ctx.namespace);
                let port = match svc.get("port").map(|p| &p.value) {
                    Some(Value::Int(p)) if *p != 0 => *p,
                    _ => 26379,
                };
                vec![format!(
                    "{}.{ns}.svc.cluster.local:{port}",
                    svc.str_or_empty("name")
                )]
            } else {
                sink.emit("CT-14", at.key("sentinelConfig"), "Sentinel needs sentinelAddrs or sentinelService")
                    .toolhive("failed to build storage config: failed to resolve sentinel addresses: either sentinelAddrs or sentinelService must be specified");
                return None;
            };
            let db = match sc.get("db").map(|d| &d.value) {
                Some(Value::Int(d)) if *d != 0 => Some(Node::new(Value::Int(*d))),
                _ => None,
            };
            Some(
                Obj::new()
                    .str("master_name", sc.str_or_empty("masterName"))
                    .put("sentinel_addrs", list(&addrs))
                    .opt("db", db)
                    .build(),
            )
        }
        None => None,
    };
    let username_var = if username.is_some() || b.redis_username_always {
        REDIS_USERNAME
    } else {
        ""
    };
    let tls = |key: &str, file: &str| {
        redis.object(key).map(|t| {
            Obj::new()
                .flag_oe("insecure_skip_verify", t.flag("insecureSkipVerify"))
                .str_oe(
                    "ca_cert_file",
                    &t.object("caCertSecretRef")
                        .map(|_| format!("/etc/toolhive/authserver/redis-tls/{file}"))
                        .unwrap_or_default(),
                )
                .build()
        })
    };
    let sentinel_tls = if sentinel.is_some() {
        tls("sentinelTls", "sentinel-ca.crt")
    } else {
        None
    };
    let config = Obj::new()
        .str_oe("addr", addr)
        .flag_oe("cluster_mode", redis.flag("clusterMode"))
        .opt("sentinel_config", sentinel_node)
        .str("auth_type", "aclUser")
        .put(
            "acl_user_config",
            Obj::new()
                .str("username_env_var", username_var)
                .str("password_env_var", REDIS_PASSWORD)
                .build(),
        )
        .str(
            "key_prefix",
            &format!("thv:auth:{{{}:{}}}:", ctx.namespace, ctx.workload),
        )
        .str_oe("dial_timeout", redis.str_or_empty("dialTimeout"))
        .str_oe("read_timeout", redis.str_or_empty("readTimeout"))
        .str_oe("write_timeout", redis.str_or_empty("writeTimeout"))
        .opt("tls", tls("tls", "ca.crt"))
        .opt("sentinel_tls", sentinel_tls)
        .build();
    Some(
        Obj::new()
            .str("type", "redis")
            .put("redis_config", config)
            .build(),
    )
}
