//! A payload the policy cannot read is a guest error that says why, never what it contained.

use mcpauth_guard_policy_logic::{cluster::Objects, evaluate};

fn error(payload: &[u8]) -> String {
    evaluate(payload, &Objects::default(), &|_| {})
        .expect_err("a guest error")
        .to_string()
}

#[test]
fn unreadable_payloads_are_named_not_echoed() {
    // The object is read as deep as the core reads objects, and skipped without recursion
    // below that; a member the policy does not read is skipped without recursion altogether.
    let deep = format!("{{\"request\": {{\"object\": {}", "[".repeat(100_000));
    assert_eq!(
        error(deep.as_bytes()),
        "the validation payload is not JSON: EOF while parsing a list (line 1, column 100023)"
    );
    let deep = format!("{{\"request\": {{\"oldObject\": {}", "[".repeat(100_000));
    assert_eq!(
        error(deep.as_bytes()),
        "the validation payload is not JSON: EOF while parsing a list (line 1, column 100026)"
    );
    let e = error(b"{\"request\": {\"object\": {\"clientSecret\": \"s3cr3t-value\" oops}}}");
    assert!(
        e.starts_with("the validation payload is not JSON: expected"),
        "{e}"
    );
    assert!(!e.contains("s3cr3t"), "{e}");
    assert_eq!(
        error(b""),
        "the validation payload is not JSON: EOF while parsing a value (line 1, column 0)"
    );
    assert_eq!(
        error(b"{\"settings\": {}}"),
        "the validation payload has no request object"
    );
    // Not UTF-8: where, as serde_json counts (the text is checked once, before parsing).
    assert_eq!(
        error(b"{\"request\": \"\xff\"}"),
        "the validation payload is not JSON: invalid UTF-8 (line 1, column 14)"
    );
    assert_eq!(
        error(b"{\n  \"request\": {\"s\": \"ok\xc3\"}}"),
        "the validation payload is not JSON: invalid UTF-8 (line 2, column 23)"
    );
    // Not an object at all: named, not quoted (serde's own type errors would quote it).
    assert_eq!(
        error(b"\"s3cr3t-value\""),
        "the validation payload has no request object"
    );
}
