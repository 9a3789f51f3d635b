//! What `kwctl annotate` does, for machines without kwctl: turn `metadata.yml` into the
//! policy metadata JSON (camelCase, with `"protocolVersion": "v1"`) and write it into the
//! module as the custom section `io.kubewarden.metadata`. The module is re-encoded section by
//! section with `wasmparser` and `wasm-encoder`; every other section is copied byte for byte.

use std::fmt;

use serde_json::Value;
use wasm_encoder::{CustomSection, Module, RawSection};
use wasmparser::{Parser, Payload};

/// The custom section Kubewarden reads a policy's metadata from.
pub const SECTION: &str = "io.kubewarden.metadata";
/// The waPC protocol version the policies speak.
pub const PROTOCOL_VERSION: &str = "v1";

/// Why annotating failed.
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// The metadata JSON for a `metadata.yml` text: the YAML as JSON plus `protocolVersion`.
pub fn metadata_json(yaml: &str) -> Result<Value, Error> {
    let mut v: Value = serde_yaml::from_str(yaml)
        .map_err(|e| Error(format!("metadata.yml is not valid YAML: {e}")))?;
    let Value::Object(map) = &mut v else {
        return Err(Error("metadata.yml must be a mapping".into()));
    };
    if map.contains_key("protocolVersion") {
        return Err(Error(
            "metadata.yml must not set protocolVersion: the annotate step writes it".into(),
        ));
    }
    for key in ["rules", "mutating", "executionMode", "annotations"] {
        if !map.contains_key(key) {
            return Err(Error(format!("metadata.yml has no \"{key}\"")));
        }
    }
    map.insert(
        "protocolVersion".into(),
        Value::String(PROTOCOL_VERSION.into()),
    );
    Ok(v)
}

/// Returns `wasm` with its `io.kubewarden.metadata` section set to `metadata` (an existing
/// one is replaced; it is written last, as kwctl does).
pub fn annotate(wasm: &[u8], metadata: &Value) -> Result<Vec<u8>, Error> {
    let mut module = Module::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| Error(format!("not a WebAssembly module: {e}")))?;
        match &payload {
            Payload::Version { encoding, .. } if *encoding != wasmparser::Encoding::Module => {
                return Err(Error("a component, not a core WebAssembly module".into()));
            }
            Payload::CustomSection(c) if c.name() == SECTION => continue,
            _ => {}
        }
        if let Some((id, range)) = payload.as_section() {
            module.section(&RawSection {
                id,
                data: &wasm[range],
            });
        }
    }
    let data = serde_json::to_vec(metadata).map_err(|e| Error(e.to_string()))?;
    module.section(&CustomSection {
        name: SECTION.into(),
        data: data.into(),
    });
    Ok(module.finish())
}

/// Reads the metadata section back (`None` when the module has none).
pub fn read_metadata(wasm: &[u8]) -> Result<Option<Value>, Error> {
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CustomSection(c) =
            payload.map_err(|e| Error(format!("not a WebAssembly module: {e}")))?
        {
            if c.name() == SECTION {
                return serde_json::from_slice(c.data())
                    .map(Some)
                    .map_err(|e| Error(format!("{SECTION} is not JSON: {e}")));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(module (func (export "f")))` with a `name`-like custom section.
    const MODULE: &[u8] = &[
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
        0x03, 0x02, 0x01, 0x00, // function section
        0x07, 0x05, 0x01, 0x01, b'f', 0x00, 0x00, // export "f"
        0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code
        0x00, 0x04, 0x01, b'x', 0xaa, 0xbb, // custom section "x"
    ];

    #[test]
    fn round_trip_and_replace() {
        let meta = metadata_json(
            "rules: []\nmutating: false\nexecutionMode: kubewarden-wapc\nannotations: {a: b}\n",
        )
        .unwrap();
        assert_eq!(meta["protocolVersion"], "v1");
        let once = annotate(MODULE, &meta).unwrap();
        assert!(
            once.starts_with(MODULE),
            "other sections are copied unchanged"
        );
        assert_eq!(read_metadata(&once).unwrap(), Some(meta.clone()));
        let mut other = meta.clone();
        other["mutating"] = Value::Bool(true);
        let twice = annotate(&once, &other).unwrap();
        assert_eq!(read_metadata(&twice).unwrap(), Some(other));
        let sections = Parser::new(0)
            .parse_all(&twice)
            .filter(|p| matches!(p, Ok(Payload::CustomSection(c)) if c.name() == SECTION))
            .count();
        assert_eq!(sections, 1, "the old section was replaced");
        wasmparser::Validator::new().validate_all(&twice).unwrap();
        assert_eq!(read_metadata(MODULE).unwrap(), None);
    }

    #[test]
    fn bad_inputs() {
        assert!(metadata_json(
            "protocolVersion: v1\nrules: []\nmutating: false\nexecutionMode: x\nannotations: {}"
        )
        .is_err());
        assert!(metadata_json("- a").is_err());
        assert!(metadata_json("rules: []").is_err());
        assert!(annotate(b"not wasm", &Value::Null).is_err());
    }
}
