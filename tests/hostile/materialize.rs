//! The hostile-input catalogue's generators (`tests/hostile/cases.json`), shared by the
//! surfaces that run the catalogue: the CLI (`tests/hostile.rs`) and the Kubewarden policy
//! (`policy/host/tests/hostile.rs`). Included with `#[path]`; the npm module's test reads the same
//! file with a JavaScript twin (`npm/test/hostile.test.mjs`).

use serde_json::Value;

/// Builds the bytes of a case's `input` (a string or a generator).
pub fn materialize(input: &Value) -> Vec<u8> {
    if let Some(s) = input.as_str() {
        return s.as_bytes().to_vec();
    }
    let n = |k: &str| input[k].as_u64().unwrap_or(0) as usize;
    if let Some(hex) = input["hex"].as_str() {
        return (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
            .collect();
    }
    if let Some(unit) = input["repeat"].as_str() {
        let mut s = input["prefix"].as_str().unwrap_or("").to_owned();
        s.push_str(&unit.repeat(n("times")));
        match input["suffix_repeat"].as_str() {
            Some(close) => s.push_str(&close.repeat(n("times"))),
            None => s.push_str(input["suffix"].as_str().unwrap_or("")),
        }
        return s.into_bytes();
    }
    if let Some(unit) = input["numbered"].as_str() {
        // `unit` repeated with `#` replaced by 0, 1, 2, … (distinct keys, for instance).
        let mut s = input["prefix"].as_str().unwrap_or("").to_owned();
        for i in 0..n("times") {
            s.push_str(&unit.replace('#', &i.to_string()));
        }
        return s.into_bytes();
    }
    if input.get("alias_bomb").is_some() {
        let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..=n("alias_bomb") {
            let p = i - 1;
            let refs = vec![format!("*a{p}"); 10].join(", ");
            s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        return s.into_bytes();
    }
    if input.get("block_nesting").is_some() {
        return (0..n("block_nesting"))
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>()
            .into_bytes();
    }
    if let Some(template) = input["template"].as_str() {
        let name = &input["name"];
        let value = name["repeat"]
            .as_str()
            .expect("repeat")
            .repeat(name["times"].as_u64().expect("times") as usize);
        return template.replace("NAME", &value).into_bytes();
    }
    panic!("unknown generator {input}");
}
