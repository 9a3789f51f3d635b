//! Arbitrary bytes as CLI input: reading must give a clear error or a report, never a panic,
//! whatever the profile and consumer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcpauth_guard::parse::decode;
use mcpauth_guard::{check_text, ConsumerKind, Options, Profile};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let Ok(text) = decode(bytes) else { return };
    let options = Options {
        profile: Profile::ALL[usize::from(selector & 1)],
        consumer: [None, Some(ConsumerKind::McpServer), Some(ConsumerKind::VirtualMcpServer)]
            [usize::from(selector >> 1) % 3],
        ..Options::default()
    };
    if let Ok(report) = check_text("fuzz", text, &options) {
        // The report always serializes, and error diagnostics decide validity.
        let json = serde_json::to_string(&report).expect("report serializes");
        assert!(json.starts_with('{'));
        for d in &report.documents {
            let has_error = d.diagnostics.iter().any(|x| x.severity == mcpauth_guard::Severity::Error);
            assert_eq!(d.valid, !has_error);
        }
    }
});
