//! The CRD's CEL rules (`x-kubernetes-validations`), evaluated on the admitted object (after
//! pruning and defaulting), as the API server does. Every failing rule is reported.

use crate::catalogue;
use crate::path::Path;
use crate::sink::Sink;
use crate::tree::Node;

/// The type/configuration biconditionals on `spec`: rule id, `spec.type` value and the block
/// that must be present exactly when the type has that value. Rules that do not apply in the
/// profile are dropped by the sink.
pub const TYPE_BLOCKS: &[(&str, &str)] = &[
    ("C-01", "tokenExchange"),
    ("C-02", "headerInjection"),
    ("C-03", "bearerToken"),
    ("C-04", "embeddedAuthServer"),
    ("C-05", "awsSts"),
    ("C-06", "upstreamInject"),
    ("C-07", "obo"),
    ("C-08", "xaa"),
];

/// The API server's rendering of a failed CEL rule on an object.
pub fn apiserver_message(path: &Path, message: &str) -> String {
    format!("{path}: Invalid value: \"object\": {message}")
}

/// Evaluates the rules on `spec` of an MCPExternalAuthConfig.
pub fn check_spec(spec: &Node, sink: &mut Sink) {
    let path = Path::parse("spec");
    let ty = spec.str_or_empty("type");
    for (rule, block) in TYPE_BLOCKS {
        if (ty == *block) != spec.has(block) {
            let message =
                format!("{block} configuration must be set if and only if type is '{block}'");
            let ours = if spec.has(block) {
                format!("spec.{block} is set but spec.type is '{ty}'")
            } else {
                format!("spec.type is '{ty}' but spec.{block} is missing")
            };
            sink.emit(rule, path.clone(), ours)
                .toolhive(apiserver_message(&path, &message));
        }
    }
    // C-09: with type unauthenticated, none of the profile's blocks may be set.
    let profile = sink.profile();
    let blocks_in_profile = TYPE_BLOCKS
        .iter()
        .filter(|(rule, _)| catalogue::rule(rule).is_some_and(|r| r.applies(profile)));
    let set: Vec<&str> = blocks_in_profile
        .filter(|(_, b)| spec.has(b))
        .map(|(_, b)| *b)
        .collect();
    if ty == "unauthenticated" && !set.is_empty() {
        sink.emit(
            "C-09",
            path.clone(),
            format!(
                "type unauthenticated carries no configuration, but {} is set",
                set.join(", ")
            ),
        )
        .toolhive(apiserver_message(
            &path,
            "no configuration must be set when type is 'unauthenticated'",
        ));
    }
}
