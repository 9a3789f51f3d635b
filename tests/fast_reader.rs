//! The fast reader against the full one: whenever the fast path reads a text, its documents —
//! values, keys and every position — must be exactly those `saphyr-parser` gives, and it must
//! read the plain manifests it exists for. Inputs: every example, every vector input, and
//! mutations of each (lines removed, re-indented, truncated, given comments, quotes, flow
//! collections, anchors, continuation lines…), which land on both sides of the subset's edge.

use std::path::Path;

use mcpauth_guard::parse::{parse_text_fast, parse_text_full};

/// Every text the tests hold that a user could write: examples and per-rule vector inputs.
fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    for dir in ["examples", "examples/v0.13"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("examples exist") {
            let path = entry.expect("readable").path();
            if path.is_file() {
                let text = std::fs::read_to_string(&path).expect("UTF-8");
                texts.push((path.display().to_string(), text));
            }
        }
    }
    for profile in ["v0.13", "2026-08"] {
        for entry in std::fs::read_dir(root.join("tests/vectors").join(profile)).expect("vectors") {
            let path = entry.expect("readable").path();
            let text = std::fs::read_to_string(&path).expect("UTF-8");
            let file: serde_json::Value = serde_json::to_value(
                parse_text_full(&text).expect("vector file parses")[0]
                    .root
                    .to_json(),
            )
            .expect("JSON");
            for (n, case) in file["cases"].as_array().expect("cases").iter().enumerate() {
                if let Some(input) = case["input"].as_str() {
                    texts.push((format!("{}#{n}", path.display()), input.to_owned()));
                }
            }
        }
    }
    texts.sort();
    texts
}

/// Asserts the fast path agrees with the full reader on `text`; returns whether it read it.
fn agrees(origin: &str, text: &str) -> bool {
    let Some(fast) = parse_text_fast(text) else {
        return false;
    };
    match parse_text_full(text) {
        // `==` first (fast); formatted, it also equates NaN with NaN.
        Ok(full) if fast == full => {}
        Ok(full) => {
            let (fast, full) = (format!("{fast:#?}"), format!("{full:#?}"));
            if fast != full {
                let at = fast
                    .lines()
                    .zip(full.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                let context = |s: &str| {
                    s.lines()
                        .skip(at.saturating_sub(12))
                        .take(14)
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                panic!(
                    "fast and full readers differ on {origin}:\n{text:?}\n--- fast:\n{}\n--- full:\n{}",
                    context(&fast),
                    context(&full)
                );
            }
        }
        Err(e) => {
            panic!("the fast path read a text the full reader refuses ({e}) — {origin}:\n{text}")
        }
    }
    true
}

/// Variants of `text`, one line changed at a time.
fn mutations(text: &str) -> Vec<String> {
    const EDITS: &[fn(&str) -> String] = &[
        |_| String::new(),
        |l| format!(" {l}"),
        |l| format!("  {l}"),
        |l| l.strip_prefix(' ').unwrap_or(l).to_owned(),
        |l| format!("{l} # note"),
        |l| format!("{l}#x"),
        |l| format!("{l}: extra"),
        |l| format!("{l}:"),
        |l| format!("{l} "),
        |l| format!("{l}\n"),
        |l| format!("{l}\n   continued"),
        |l| format!("{l}\n# comment\n"),
        |l| l.replacen(": ", ": &anchor ", 1),
        |l| l.replacen(": ", ": \"", 1),
        |l| l.replacen(": ", ": '", 1),
        |l| l.replacen(": ", ": [", 1),
        |l| format!("{l}]"),
        |l| l.replacen(": ", ": {a: b}", 1),
        |l| l.replacen(": ", ": \"quoted\" ", 1),
        |l| l.replacen(": ", ": 'it''s'", 1),
        |l| l.replacen(": ", ": \"a\\tb\"", 1),
        |l| l.replacen(": ", ":  ", 1),
        |l| l.replacen(": ", " : ", 1),
        |l| l.replacen(": ", ":\n", 1),
        |l| l.replacen("- ", "-  ", 1),
        |l| l.replacen("- ", "- - ", 1),
        |l| l.replacen("- ", "-\n", 1),
        |l| l.replacen(", ", ",", 1),
        |l| l.replacen(", ", " , ", 1),
        |l| l.replacen("]", ", ]", 1),
        |l| l.replacen("[", "[ ", 1),
        |l| l.replace(|c: char| c.is_ascii_lowercase(), "é"),
        |l| format!("{l}\u{2028}"),
        |l| l.replacen(' ', "\t", 1),
        |l| format!("{l}\r"),
        |l| format!("---\n{l}"),
        |l| format!("{l}\n---"),
        |l| format!("{l}\n...\n"),
        |l| l.replacen(": ", ": |\n  block\n", 1),
        |l| l.replacen(": ", ": 1", 1),
        |l| l.replacen(": ", ": 0x1F", 1),
        |l| l.replacen(": ", ": true", 1),
        |l| l.replacen(": ", ": ~", 1),
        |l| l.replacen(": ", ": -", 1),
        |l| l.replacen(": ", ": -x", 1),
        |l| l.replacen(':', "1:", 1),
    ];
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for i in 0..lines.len() {
        for edit in EDITS {
            let mut changed = lines.clone();
            let new = edit(lines[i]);
            changed[i] = &new;
            out.push(changed.join("\n") + "\n");
        }
        // Truncated after this line, with and without its line break.
        out.push(lines[..=i].join("\n"));
        out.push(lines[..=i].join("\n") + "\n");
    }
    // Whole-text changes.
    out.push(text.trim_end().to_owned());
    out.push(format!("{text}\n\n# trailing comment"));
    out.push(format!("\u{feff}{text}"));
    out.push(format!("---\n{text}---\n{text}"));
    out.push(format!("# header\n---\n{text}\n---\n"));
    out.push(text.replace("\n  ", "\n   "));
    out.push(text.replace("\n", "\r\n"));
    out
}

#[test]
fn the_fast_path_reads_every_plain_example() {
    for (origin, text) in corpus() {
        if origin.contains("/examples/") && origin.ends_with(".yaml") {
            assert!(
                parse_text_fast(&text).is_some(),
                "the fast path gave up on {origin}"
            );
            assert!(agrees(&origin, &text));
        }
    }
}

#[test]
fn the_fast_path_agrees_with_the_full_reader_on_the_corpus() {
    let corpus = corpus();
    let read = corpus
        .iter()
        .filter(|(origin, text)| agrees(origin, text))
        .count();
    // Most vector inputs are plain block YAML; the rest (JSON, anchors, block scalars, broken
    // YAML) go to the full reader.
    assert!(
        read * 10 >= corpus.len() * 7,
        "fast path read only {read} of {}",
        corpus.len()
    );
}

#[test]
fn the_fast_path_agrees_with_the_full_reader_on_mutations() {
    let mut read = 0usize;
    let mut total = 0usize;
    for (origin, text) in corpus().iter().filter(|(o, _)| o.contains("/examples/")) {
        for (n, variant) in mutations(text).iter().enumerate() {
            total += 1;
            if agrees(&format!("{origin} (mutation {n})"), variant) {
                read += 1;
            }
        }
    }
    // Both sides of the edge are exercised.
    assert!(
        read * 4 > total,
        "fast path read {read} of {total} variants"
    );
    assert!(read < total, "fast path read every variant");
}

#[test]
fn the_fast_path_agrees_on_mutated_vector_inputs() {
    for (origin, text) in corpus().iter().filter(|(o, _)| o.contains("vectors")) {
        for (n, variant) in mutations(text).iter().enumerate().step_by(7) {
            agrees(&format!("{origin} (mutation {n})"), variant);
        }
    }
}

#[test]
fn edge_positions_match() {
    for text in [
        "k: v",
        "k: v\n",
        "k:",
        "k:\n",
        "k:   # c\n",
        "a:\n- x\n- w\nb: 1\n",
        "a:\n  - x: 1\n    w: 2\n  - z\nb: []\nc: [ ]\nd: [a, \"b\", 'c']\n",
        "# c\n\n  a: 1\n  b: 2\n",
        "---\na: 1\n---\n---\nb: 2\n",
        "--- # first\na: 1\n--- \nb: 2",
        "a: é\nb: ü # ö\n\"ç\": 'ß'\n",
        "a: b # c\n   # indented comment\nc: d\n",
        "a: 'x' # c\nb: \"y\"   \nc: [x]  # c\n",
        "key   : spaced\n\"q\" : v\n",
        "a: -1\nb: -x\nc: 1.5\nd: .inf\ne: 0o17\nf: null\ng: TRUE\n",
        "a:\n  b:\n    c:\n      - d: [1, 2]\n        e:\n      -  f: g\n",
        "a: read:user\nb: [read:user, repo]\nc: x#y\nd: http://h:8080/p?q=1#f\n",
        "a: b\n\n\n",
        "a: b\n  \n",
    ] {
        let full = parse_text_full(text);
        match parse_text_fast(text) {
            Some(fast) => assert_eq!(
                format!("{fast:#?}"),
                format!("{:#?}", full.expect("the full reader reads it")),
                "{text:?}"
            ),
            None => panic!("the fast path gave up on {text:?} (full reader: {full:?})"),
        }
    }
}

/// Inputs the fuzz target (`fuzz/fuzz_targets/fast_reader.rs`) found where the fast path once
/// disagreed with the full reader; it must now agree or give up.
#[test]
fn fuzz_regressions() {
    let long_key = format!("{}: withub-auth\n", "k".repeat(1100));
    for text in [
        // The end of a text whose last line is blank, without a line break.
        "a:\n  b: 1\n      ",
        // `-` followed by a flow indicator in a flow sequence.
        "spec: [-]\n",
        // An implicit key longer than YAML allows.
        long_key.as_str(),
        // A space, then `-` and a flow indicator, inside a flow item.
        "pes: [openid -, profile]\n",
    ] {
        agrees("fuzz regression", text);
    }
}
