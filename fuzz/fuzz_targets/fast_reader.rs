//! The fast YAML reader against the full one: on any text, the fast path either gives up or
//! produces exactly the full reader's documents (values, keys and every position).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcpauth_guard::parse::{parse_text_fast, parse_text_full};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some(fast) = parse_text_fast(text) else { return };
    let full = parse_text_full(text).expect("the fast path read a text the full reader refuses");
    // Debug text compares NaN equal to NaN, as the readers should.
    if fast != full {
        assert_eq!(format!("{fast:?}"), format!("{full:?}"));
    }
});
