//! The report every surface emits (`docs/REPORT.md`, `docs/report.schema.json`).

use serde::Serialize;

use crate::derive::Derived;

/// The whole result of a check.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Which tool and version produced the report.
    pub tool: Tool,
    /// Which ToolHive behaviour the rules follow (`v0.13` or `2026-08`).
    pub profile: String,
    /// One entry per input document, in input order.
    pub documents: Vec<DocumentReport>,
}

impl Report {
    /// Whether any document has an error diagnostic.
    pub fn has_errors(&self) -> bool {
        self.documents.iter().any(|d| !d.valid)
    }

    /// Whether any document has a warning diagnostic.
    pub fn has_warnings(&self) -> bool {
        self.documents
            .iter()
            .flat_map(|d| &d.diagnostics)
            .any(|d| d.severity == Severity::Warning)
    }
}

/// The producing tool.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tool {
    /// Always `mcpauth-guard`.
    pub name: String,
    /// The crate version.
    pub version: String,
}

impl Default for Tool {
    fn default() -> Tool {
        Tool {
            name: "mcpauth-guard".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// The result for one input document.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DocumentReport {
    /// The file name (`-` for standard input, `<object>` for already-parsed values).
    pub source: String,
    /// Zero-based index of the document within its source.
    pub index: usize,
    /// 1-based line where the document starts (1 for already-parsed values).
    pub line: u32,
    /// `MCPExternalAuthConfig`, `MCPServer`, `MCPRemoteProxy`, `VirtualMCPServer`,
    /// `RunConfig` or `Unknown`.
    pub kind: String,
    /// The document's `apiVersion`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `metadata.name`, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `metadata.namespace`, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// True when no diagnostic has severity `error`.
    pub valid: bool,
    /// Problems, sorted by position in the source.
    pub diagnostics: Vec<Diagnostic>,
    /// What ToolHive's operator would generate, when derivation succeeds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived: Option<Derived>,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// ToolHive (or the chosen policy) would refuse this.
    Error,
    /// Accepted, but risky or surprising.
    Warning,
    /// Worth knowing (for example a default ToolHive applies).
    Info,
}

impl Severity {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// When ToolHive itself would fail on a problem, in the order things happen.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// The Kubernetes API server rejects the object (CRD schema or CEL rule).
    Admission,
    /// ToolHive's controller marks the resource invalid (`Validate()`, status condition).
    Reconcile,
    /// The operator cannot build the workload (env, volumes, run config, storage).
    Build,
    /// The auth server in the pod refuses to start.
    Startup,
    /// A consumer (MCPServer, MCPRemoteProxy, VirtualMCPServer, proxy runner) refuses it.
    Consumer,
    /// Only this project's policy settings reject it.
    Policy,
    /// ToolHive accepts it, but it is risky or surprising.
    Advice,
}

impl Layer {
    /// Every layer, in order.
    pub const ALL: [Layer; 7] = [
        Layer::Admission,
        Layer::Reconcile,
        Layer::Build,
        Layer::Startup,
        Layer::Consumer,
        Layer::Policy,
        Layer::Advice,
    ];

    /// The lowercase name used in reports and settings.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Admission => "admission",
            Layer::Reconcile => "reconcile",
            Layer::Build => "build",
            Layer::Startup => "startup",
            Layer::Consumer => "consumer",
            Layer::Policy => "policy",
            Layer::Advice => "advice",
        }
    }

    /// Parses a layer name.
    pub fn parse(name: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.as_str() == name)
    }

    /// What happens in a cluster when ToolHive fails at this layer.
    pub fn consequence(self) -> &'static str {
        match self {
            Layer::Admission => "kubectl apply is refused by the API server",
            Layer::Reconcile => "the object is stored but its status condition says Valid=False",
            Layer::Build => "the operator cannot build the workload; it stays unready",
            Layer::Startup => "the pod starts and crash-loops",
            Layer::Consumer => "the consuming workload refuses the config (status Failed)",
            Layer::Policy => "your admission policy refuses it",
            Layer::Advice => "ToolHive accepts it, but it is risky or surprising",
        }
    }
}

/// One problem found in a document.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// When ToolHive would fail on it.
    pub layer: Layer,
    /// The rule id (`S-04`, `W-08`, `RT-08`, …; `docs/RULES.md`).
    pub rule: String,
    /// Dotted JSON path from the document root; empty for the document itself.
    pub path: String,
    /// Our plain-English statement of the problem.
    pub message: String,
    /// The message ToolHive (or the API server) itself would produce.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toolhive: Option<String>,
    /// What to change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// A replacement a tool may apply when the fix is certain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// Later layers that would fail on the same problem (reported once, at the earliest
    /// layer; these say what would happen next if the earlier check were bypassed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Related>,
    /// 1-based line of the value at `path` (of its key when the value is missing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column, in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// 1-based line where the located text ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    /// 1-based column (characters) one past the located text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    /// Start of the located text in UTF-16 code units from the start of the source (what
    /// JavaScript strings and editors use).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u32>,
    /// End (exclusive) of the located text in UTF-16 code units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_offset: Option<u32>,
}

/// A certain fix: replace the value at `path` with `value`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Fix {
    /// Path of the value to replace (same notation as [`Diagnostic::path`]).
    pub path: String,
    /// The replacement value.
    pub value: serde_json::Value,
}

/// A later-layer rule that fails on the same problem as the diagnostic it is attached to.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Related {
    /// The rule id.
    pub rule: String,
    /// Its layer.
    pub layer: Layer,
    /// ToolHive's message at that layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toolhive: Option<String>,
}
