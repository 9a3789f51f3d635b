//! Building AdmissionReview requests for tests.

use serde_json::{json, Value};

/// The plural resource name of a ToolHive kind (empty for others).
pub fn plural(kind: &str) -> &'static str {
    match kind {
        "MCPExternalAuthConfig" => "mcpexternalauthconfigs",
        "MCPServer" => "mcpservers",
        "MCPRemoteProxy" => "mcpremoteproxies",
        "VirtualMCPServer" => "virtualmcpservers",
        _ => "",
    }
}

/// An `admission.k8s.io/v1` AdmissionReview for `operation` on `object` (on DELETE the
/// object goes to `oldObject`).
pub fn admission_review(operation: &str, object: &Value) -> Value {
    let s = |p: &str| object.pointer(p).and_then(Value::as_str).unwrap_or("");
    let (group, version) = s("/apiVersion")
        .rsplit_once('/')
        .unwrap_or(("", s("/apiVersion")));
    let kind = s("/kind");
    let delete = operation == "DELETE";
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": "00000000-0000-0000-0000-000000000001",
            "kind": {"group": group, "version": version, "kind": kind},
            "resource": {"group": group, "version": version, "resource": plural(kind)},
            "requestKind": {"group": group, "version": version, "kind": kind},
            "requestResource": {"group": group, "version": version, "resource": plural(kind)},
            "name": s("/metadata/name"),
            "namespace": if s("/metadata/namespace").is_empty() { "default" } else { s("/metadata/namespace") },
            "operation": operation,
            "userInfo": {"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]},
            "object": if delete { Value::Null } else { object.clone() },
            "oldObject": if delete || operation == "UPDATE" { object.clone() } else { Value::Null },
            "dryRun": false,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": if delete { "DeleteOptions" } else { "CreateOptions" }}
        }
    })
}
