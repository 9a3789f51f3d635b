//! # mcpauth-guard
//!
//! Checks ToolHive `MCPExternalAuthConfig` resources (and the workloads that consume them)
//! exactly as ToolHive does — the API server's schema and CEL rules, the controller's
//! `Validate()`, the operator's conversion, the auth server's start-up validation and the
//! consumers' guards — and reports every problem at once, with the layer where ToolHive would
//! fail, ToolHive's own message, a hint, and what the operator would generate (env vars,
//! volumes, run config).
//!
//! ```
//! use mcpauth_guard::{check_text, Options};
//!
//! let yaml = r#"
//! apiVersion: toolhive.stacklok.dev/v1alpha1
//! kind: MCPExternalAuthConfig
//! metadata: { name: github, namespace: default }
//! spec:
//!   type: embeddedAuthServer
//!   embeddedAuthServer:
//!     issuer: https://auth.example.com
//!     upstreamProviders:
//!       - name: Git_Hub
//!         type: oauth2
//!         oauth2Config:
//!           authorizationEndpoint: https://github.com/login/oauth/authorize
//!           tokenEndpoint: https://github.com/login/oauth/access_token
//!           clientId: abc
//!           redirectUri: https://mcp.example.com/oauth/callback
//!           userInfo: { endpointUrl: https://api.github.com/user }
//! "#;
//! let report = check_text("github.yaml", yaml, &Options::default()).unwrap();
//! let d = &report.documents[0].diagnostics;
//! assert!(d.iter().any(|d| d.rule == "S-04" && d.path.ends_with("upstreamProviders[0].name")));
//! ```
//!
//! The library has no I/O, threads or clocks: it builds natively and for
//! `wasm32-unknown-unknown` / `wasm32-wasip1` (the npm module and the Kubewarden policy).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod catalogue;
mod check;
pub mod context;
pub mod derive;
pub mod document;
pub mod envname;
pub mod goutil;
mod layers;
pub mod parse;
pub mod path;
mod position;
pub mod profile;
pub mod report;
pub mod secrets;
mod sink;
mod skeleton;
#[cfg(feature = "compact-schemas")]
pub mod snapshot;
pub mod tree;

pub use check::{
    check_nodes, check_sources, check_sources_redacting, check_text, check_values,
    check_values_redacting, too_deep, InputError, Options, Source,
};
pub use context::{ConsumerKind, ContextOverrides};
pub use envname::{client_secret_env_var, InvalidName};
pub use profile::Profile;
pub use report::{Diagnostic, DocumentReport, Layer, Report, Severity};

/// The schema of [`Profile`]'s CRD, as the admission layer uses it (exposed for tests).
pub use layers::admission::schema::Schema;
