//! `mcpauth-guard`: check ToolHive MCPExternalAuthConfig resources from the command line.
//!
//! Exit codes: 0 no error diagnostics; 1 at least one error (or a warning with `--strict`);
//! 2 the input could not be read or parsed, or the command line is wrong.

mod text;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mcpauth_guard::catalogue::{self, Decidable};
use mcpauth_guard::parse::{check_size, decode, MAX_INPUT_BYTES};
use mcpauth_guard::{
    check_sources_redacting, ConsumerKind, ContextOverrides, Options, Profile, Source,
};

/// A check makes many small, short-lived allocations (the document tree, the run config, the
/// report); mimalloc serves them at about a third of the system allocator's cost (see
/// docs/PERFORMANCE.md). The benchmarks use it too, so they measure what the CLI runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "mcpauth-guard",
    version,
    about = "Check ToolHive MCPExternalAuthConfig resources exactly as ToolHive does, at every layer, before you deploy."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check YAML or JSON files (or `-` for standard input).
    Check(CheckArgs),
    /// Print the client-secret env var ToolHive derives for upstream names.
    EnvName {
        /// Upstream names.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Explain a rule: what it checks, when ToolHive enforces it, how to fix it.
    Explain {
        /// A rule id such as RT-08.
        rule: String,
    },
    /// List the rules of a profile (`--markdown` writes docs/RULES.md).
    Rules {
        /// Write the Markdown rule reference.
        #[arg(long)]
        markdown: bool,
    },
}

#[derive(Args)]
struct CheckArgs {
    /// Files to check; `-` reads standard input.
    #[arg(default_value = "-")]
    files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Which ToolHive behaviour to follow.
    #[arg(long, default_value = "2026-08", value_parser = parse_profile)]
    profile: Profile,
    /// Apply this consumer's rules to every config (for a run config: the proxy runner).
    #[arg(long, value_parser = parse_consumer)]
    consumer: Option<ConsumerKind>,
    /// Workload namespace (when no consumer in the input references the config).
    #[arg(long)]
    namespace: Option<String>,
    /// Workload name.
    #[arg(long)]
    workload: Option<String>,
    /// The workload's resource URL (spec.oidcConfig.resourceUrl).
    #[arg(long = "resource-url")]
    resource_url: Option<String>,
    /// A scope the workload advertises (repeatable).
    #[arg(long = "scope")]
    scopes: Vec<String>,
    /// Warnings fail too (exit 1).
    #[arg(long)]
    strict: bool,
    /// Colour: auto (only on a terminal, honouring NO_COLOR), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    let p = Profile::parse(s).ok_or_else(|| {
        let ids: Vec<_> = Profile::ALL.iter().map(|p| p.id()).collect();
        format!("unknown profile {s:?} (profiles: {})", ids.join(", "))
    })?;
    if !Profile::available().contains(&p) {
        return Err(format!("profile {s} is not implemented yet"));
    }
    Ok(p)
}

fn parse_consumer(s: &str) -> Result<ConsumerKind, String> {
    ConsumerKind::parse(s).ok_or_else(|| {
        format!("unknown consumer {s:?} (mcpserver, mcpremoteproxy, virtualmcpserver)")
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(&args),
        Command::EnvName { names } => env_name(&names),
        Command::Explain { rule } => explain(&rule),
        Command::Rules { markdown } => {
            let text = if markdown {
                text::rules_markdown()
            } else {
                text::rules_list()
            };
            write_stdout(&text).err().unwrap_or(ExitCode::SUCCESS)
        }
    }
}

/// Writes `text` to standard output. A reader that has gone away (`… | head`) ends the output
/// quietly; any other write error (a full disk) is reported, with exit code 2.
fn write_stdout(text: &str) -> Result<(), ExitCode> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(fail_input(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}

fn fail_input(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("mcpauth-guard: error: {message}");
    ExitCode::from(2)
}

fn read_input(file: &str) -> Result<Vec<u8>, String> {
    if file == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES as u64 + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("<stdin>: {e}"))?;
        check_size(buf.len()).map_err(|e| format!("<stdin>: {e}"))?;
        return Ok(buf);
    }
    let meta = std::fs::metadata(file).map_err(|e| format!("{file}: {e}"))?;
    if meta.is_dir() {
        return Err(format!("{file}: is a directory"));
    }
    // A regular file's length refuses it before reading; devices, FIFOs and process
    // substitutions report no length, so every file is also read through the same cap as stdin.
    check_size(usize::try_from(meta.len()).unwrap_or(usize::MAX))
        .map_err(|e| format!("{file}: {e}"))?;
    let mut buf = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_INPUT_BYTES as u64 + 1).read_to_end(&mut buf))
        .map_err(|e| format!("{file}: {e}"))?;
    check_size(buf.len()).map_err(|e| format!("{file}: {e}"))?;
    Ok(buf)
}

fn check(args: &CheckArgs) -> ExitCode {
    let mut raw = Vec::new();
    for f in &args.files {
        match read_input(f) {
            Ok(bytes) => raw.push((f.clone(), bytes)),
            Err(e) => return fail_input(e),
        }
    }
    let mut sources = Vec::new();
    for (name, bytes) in &raw {
        match decode(bytes) {
            Ok(text) => sources.push(Source { name, text }),
            Err(e) => return fail_input(format!("{name}: {e}")),
        }
    }
    let options = Options {
        profile: args.profile,
        consumer: args.consumer,
        context: ContextOverrides {
            namespace: args.namespace.clone(),
            workload: args.workload.clone(),
            resource_url: args.resource_url.clone(),
            scopes: (!args.scopes.is_empty()).then(|| args.scopes.clone()),
        },
    };
    let (report, redactor) = match check_sources_redacting(&sources, &options) {
        Ok(r) => r,
        Err(e) => return fail_input(e),
    };
    let output = match args.format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => json + "\n",
            Err(e) => return fail_input(e),
        },
        Format::Text => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    // no-color.org: only a NO_COLOR that is set and not empty turns colour off.
                    std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            text::render(&report, &sources, color)
        }
    };
    // Secret values never reach the output, whichever part of it quotes them.
    let output = redactor.redact(&output);
    if let Err(code) = write_stdout(&output) {
        return code;
    }
    if report.has_errors() || (args.strict && report.has_warnings()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn env_name(names: &[String]) -> ExitCode {
    let mut code = ExitCode::SUCCESS;
    let mut out = String::new();
    for name in names {
        match mcpauth_guard::client_secret_env_var(name) {
            Ok(var) => out.push_str(&(var + "\n")),
            Err(e) => {
                eprintln!("mcpauth-guard: {e}");
                code = ExitCode::from(1);
            }
        }
    }
    write_stdout(&out).err().unwrap_or(code)
}

fn explain(id: &str) -> ExitCode {
    let Some(rule) = catalogue::rule(&id.to_ascii_uppercase()) else {
        return fail_input(format!("no rule {id:?}; `mcpauth-guard rules` lists them"));
    };
    let mut lines = vec![
        format!("{} — {}", rule.id, rule.title),
        String::new(),
        format!(
            "layer:     {} ({})",
            rule.layer.as_str(),
            rule.layer.consequence()
        ),
        format!(
            "revisions: {} (profiles: {})",
            rule.revs.as_str(),
            profiles_of(rule).join(", ")
        ),
        format!("severity:  {}", rule.severity.as_str()),
    ];
    if !rule.toolhive.is_empty() {
        lines.push(format!("toolhive:  {}", rule.toolhive));
    }
    lines.push(format!("fix:       {}", rule.hint));
    match rule.decidable {
        Decidable::Statically => {}
        Decidable::AtRuntimeOnly(why) => lines.push(format!("not checked statically: {why}")),
        Decidable::Unreachable(why) => lines.push(format!("never reported: {why}")),
    }
    if !rule.subsumed_by.is_empty() {
        lines.push(format!(
            "reported as {} when that rule already catches the same problem",
            rule.subsumed_by.join(" / ")
        ));
    }
    write_stdout(&(lines.join("\n") + "\n"))
        .err()
        .unwrap_or(ExitCode::SUCCESS)
}

fn profiles_of(rule: &catalogue::Rule) -> Vec<&'static str> {
    Profile::ALL
        .iter()
        .filter(|p| rule.applies(**p))
        .map(|p| p.id())
        .collect()
}
