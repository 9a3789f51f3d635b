//! `mcpauth-guard-annotate -m metadata.yml -i policy.wasm -o annotated-policy.wasm`:
//! writes the `io.kubewarden.metadata` section (what `kwctl annotate` does).

use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mcpauth-guard-annotate: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let (mut metadata, mut input, mut output) = (None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "-m" | "--metadata-path" => &mut metadata,
            "-i" | "--input" => &mut input,
            "-o" | "--output-path" => &mut output,
            "-h" | "--help" => {
                println!("usage: mcpauth-guard-annotate -m metadata.yml -i policy.wasm -o annotated-policy.wasm");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        };
        *slot = Some(args.next().ok_or_else(|| format!("{flag} needs a value"))?);
    }
    let need =
        |v: Option<String>, what: &str| v.ok_or_else(|| format!("missing {what} (see --help)"));
    let (metadata, input, output) = (
        need(metadata, "-m")?,
        need(input, "-i")?,
        need(output, "-o")?,
    );
    let yaml = std::fs::read_to_string(&metadata).map_err(|e| format!("{metadata}: {e}"))?;
    let wasm = std::fs::read(&input).map_err(|e| format!("{input}: {e}"))?;
    let meta = mcpauth_guard_annotate::metadata_json(&yaml).map_err(|e| e.to_string())?;
    let out = mcpauth_guard_annotate::annotate(&wasm, &meta).map_err(|e| e.to_string())?;
    std::fs::write(&output, &out).map_err(|e| format!("{output}: {e}"))?;
    println!(
        "{output}: {} bytes ({} bytes of metadata)",
        out.len(),
        out.len() - wasm.len()
    );
    Ok(())
}
