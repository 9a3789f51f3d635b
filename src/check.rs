//! The entry points: read the input, recognise each document, run the layers in order, and
//! assemble the report.

use std::fmt;

use crate::context::{ConsumerKind, ContextOverrides, WorkloadContext};
use crate::derive::Derived;
use crate::document::{self, Kind};
use crate::layers;
use crate::parse::{self, ParseError, ParsedDocument, MAX_DEPTH};
use crate::path::Path;
use crate::position::SourceText;
use crate::profile::Profile;
use crate::report::{DocumentReport, Layer, Report, Tool};
use crate::secrets::{collect_secrets_and_spans, Redactor};
use crate::sink::Sink;
use crate::tree::{Node, Value};

/// How to check.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Which ToolHive behaviour to follow.
    pub profile: Profile,
    /// Apply this consumer's guards to every config (and, for `McpServer`/`McpRemoteProxy`,
    /// the proxy runner's guard to every run config).
    pub consumer: Option<ConsumerKind>,
    /// Workload context given by the caller.
    pub context: ContextOverrides,
}

/// One named input text.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The name shown in reports (a file name, `-` for standard input).
    pub name: &'a str,
    /// The YAML or JSON text.
    pub text: &'a str,
}

/// An input that could not be read at all (the CLI's exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Which source.
    pub source: String,
    /// What is wrong with it.
    pub error: ParseError,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.error)
    }
}

impl std::error::Error for InputError {}

/// Checks one YAML or JSON text (one or more documents).
pub fn check_text(name: &str, text: &str, options: &Options) -> Result<Report, InputError> {
    check_sources(&[Source { name, text }], options)
}

/// Checks several texts together: a workload in one file sees the config it references in
/// another.
pub fn check_sources(sources: &[Source<'_>], options: &Options) -> Result<Report, InputError> {
    let (mut inputs, texts) = read_sources(sources)?;
    Ok(run(
        &mut inputs,
        &texts,
        Some(layers::advice::ambiguous_scalars),
        options,
    ))
}

/// [`check_sources`], with a redactor for the secret values of the documents it read
/// ([`secrets`](crate::secrets)): a surface that writes the report passes its whole output
/// through it. The secrets are collected from the trees the check reads (no second parse).
pub fn check_sources_redacting(
    sources: &[Source<'_>],
    options: &Options,
) -> Result<(Report, Redactor), InputError> {
    let (mut inputs, texts) = read_sources(sources)?;
    let redactor = redactor_of(&inputs, &texts);
    let report = run(
        &mut inputs,
        &texts,
        Some(layers::advice::ambiguous_scalars),
        options,
    );
    Ok((report, redactor))
}

fn read_sources<'a>(
    sources: &[Source<'a>],
) -> Result<(Vec<Input>, Vec<SourceText<'a>>), InputError> {
    let mut docs = Vec::new();
    let texts: Vec<SourceText<'_>> = sources.iter().map(|s| SourceText::new(s.text)).collect();
    for (i, src) in sources.iter().enumerate() {
        let parsed = parse::parse_text(src.text).map_err(|error| InputError {
            source: src.name.to_owned(),
            error,
        })?;
        docs.extend(parsed.into_iter().map(|p| Input {
            source: src.name.to_owned(),
            text: Some(i),
            doc: p,
        }));
    }
    Ok((docs, texts))
}

/// Checks already-parsed objects (`checkObject` of the npm module). Positions are absent.
pub fn check_values(values: &[serde_json::Value], options: &Options) -> Result<Report, InputError> {
    Ok(run(&mut read_values(values)?, &[], None, options))
}

/// [`check_values`], with a redactor for the objects' secret values (see
/// [`check_sources_redacting`]).
pub fn check_values_redacting(
    values: &[serde_json::Value],
    options: &Options,
) -> Result<(Report, Redactor), InputError> {
    let mut inputs = read_values(values)?;
    let redactor = redactor_of(&inputs, &[]);
    Ok((run(&mut inputs, &[], None, options), redactor))
}

fn read_values(values: &[serde_json::Value]) -> Result<Vec<Input>, InputError> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let root = Node::from_json(v, MAX_DEPTH).map_err(|_| too_deep(i))?;
            object_input(i, root)
        })
        .collect()
}

/// A redactor for the secret values of every input document: strings, and the source text of
/// numbers and booleans written where a secret belongs.
fn redactor_of(inputs: &[Input], texts: &[SourceText<'_>]) -> Redactor {
    let mut secrets = Vec::new();
    for input in inputs {
        let mut spans = Vec::new();
        collect_secrets_and_spans(&input.doc.root, &mut secrets, &mut spans);
        let text = input.text.and_then(|t| texts.get(t));
        for span in spans {
            if let Some(written) = text.and_then(|t| t.span_text(span)) {
                secrets.push(written.to_owned());
            }
        }
    }
    Redactor::new(&secrets)
}

/// Checks objects already read into trees (the Kubewarden policy reads the request's object
/// straight into a tree, see [`Node::read_json`]). Positions are absent.
///
/// The trees stay the caller's, for a caller that reads them again afterwards (the policy
/// collects the secrets it redacts only when it has a text to write). A check adds to them
/// at most the defaults the API server would add; it removes and changes nothing.
pub fn check_nodes(roots: &mut [Node], options: &Options) -> Result<Report, InputError> {
    if let Some((i, root)) = roots.iter().enumerate().find(|(_, r)| !is_object(r)) {
        return Err(not_an_object(i, root));
    }
    let mut docs: Vec<Input> = roots
        .iter_mut()
        .enumerate()
        .map(|(i, root)| object_doc(i, std::mem::replace(root, Node::new(Value::Null))))
        .collect();
    let report = run(&mut docs, &[], None, options);
    for (root, doc) in roots.iter_mut().zip(docs) {
        *root = doc.doc.root;
    }
    Ok(report)
}

/// The error for object `index` nested deeper than [`MAX_DEPTH`] (as [`check_values`] reports
/// it), for callers that read objects into trees themselves.
pub fn too_deep(index: usize) -> InputError {
    object_error(format!(
        "object {index} is nested deeper than {MAX_DEPTH} levels"
    ))
}

fn object_error(message: String) -> InputError {
    InputError {
        source: "<object>".into(),
        error: ParseError {
            message,
            line: None,
            column: None,
        },
    }
}

fn is_object(root: &Node) -> bool {
    matches!(root.value, Value::Map(_))
}

fn not_an_object(index: usize, root: &Node) -> InputError {
    object_error(format!(
        "object {index} is {}, but a Kubernetes object or run config must be an object",
        root.type_name()
    ))
}

/// Object `index` as an input document: a Kubernetes object or run config is a mapping.
fn object_input(index: usize, root: Node) -> Result<Input, InputError> {
    if !is_object(&root) {
        return Err(not_an_object(index, &root));
    }
    Ok(object_doc(index, root))
}

/// Object `index`, a mapping, as an input document.
fn object_doc(index: usize, root: Node) -> Input {
    Input {
        source: "<object>".into(),
        text: None,
        doc: ParsedDocument {
            index,
            line: 1,
            root,
            ambiguous: Vec::new(),
        },
    }
}

/// The MCPExternalAuthConfigs of the input, sorted by namespace and name, so that resolving a
/// reference does not scan the whole input (a VirtualMCPServer may name thousands). It holds
/// input indices only: the documents may change (admission applies defaults) while it lives.
struct ConfigIndex<'o> {
    sorted: Vec<usize>,
    /// The namespace of a document without one.
    default_ns: &'o str,
}

impl<'o> ConfigIndex<'o> {
    fn new(inputs: &[Input], kinds: &[Kind], default_ns: &'o str) -> ConfigIndex<'o> {
        let key = |j| config_key(inputs, default_ns, j);
        let mut sorted: Vec<usize> = (0..inputs.len())
            .filter(|&j| kinds[j] == Kind::ExternalAuthConfig)
            .collect();
        // The input index as the last key keeps same-named configs in input order.
        sorted.sort_unstable_by(|&a, &b| (key(a), a).cmp(&(key(b), b)));
        ConfigIndex { sorted, default_ns }
    }

    /// The input indices of the configs named `name` in namespace `ns`, in input order.
    fn named(&self, inputs: &[Input], ns: &str, name: &str) -> &[usize] {
        let key = |j| config_key(inputs, self.default_ns, j);
        let wanted = (ns, Some(name));
        let start = self.sorted.partition_point(|&j| key(j) < wanted);
        let len = self.sorted[start..].partition_point(|&j| key(j) == wanted);
        &self.sorted[start..start + len]
    }
}

/// Document `j`'s namespace (`default_ns` when it has none) and name.
fn config_key<'a>(
    inputs: &'a [Input],
    default_ns: &'a str,
    j: usize,
) -> (&'a str, Option<&'a str>) {
    let root = &inputs[j].doc.root;
    (namespace_or(root, default_ns), document::name(root))
}

/// A document's namespace, `default_ns` when it has none.
fn namespace_or<'a>(root: &'a Node, default_ns: &'a str) -> &'a str {
    document::namespace(root).unwrap_or(default_ns)
}

struct Input {
    source: String,
    /// Which of the source texts the document was read from.
    text: Option<usize>,
    doc: ParsedDocument,
}

/// A consumer in the input that references a config in the input.
struct Reference {
    consumer: usize,
    config: usize,
    kind: ConsumerKind,
    /// How the consumer names the config.
    via_auth_server_ref: bool,
    /// Whether the consumer's embedded auth server comes from this config (else the consumer
    /// names it in `externalAuthConfigRef` besides an `authServerRef`).
    primary: bool,
}

/// What reports the plain scalars kubectl and YAML 1.2 read differently (DOC-04); only texts
/// have any, so objects' callers pass `None` and the Kubewarden policy links none of it.
type ScalarAdvice = fn(&Node, &[crate::parse::AmbiguousScalar], &mut Sink);

fn run(
    inputs: &mut [Input],
    texts: &[SourceText<'_>],
    scalar_advice: Option<ScalarAdvice>,
    options: &Options,
) -> Report {
    let profile = options.profile;
    let kinds: Vec<Kind> = inputs.iter().map(|i| Kind::of(&i.doc.root)).collect();
    let default_ns = options
        .context
        .namespace
        .as_deref()
        .unwrap_or(crate::context::DEFAULT_NAMESPACE);
    let ns_of = |root: &Node| namespace_or(root, default_ns).to_owned();

    let configs = ConfigIndex::new(inputs, &kinds, default_ns);
    // Which consumer references which config (same namespace, by name).
    let mut refs = Vec::new();
    for (ci, input) in inputs.iter().enumerate() {
        let Some(kind) = ConsumerKind::of(kinds[ci]) else {
            continue;
        };
        let ns = ns_of(&input.doc.root);
        let targets = layers::consumer::referenced_configs(&input.doc.root, profile.behaviour());
        for target in targets {
            if let Some(&config) = configs.named(inputs, &ns, target.name).first() {
                refs.push(Reference {
                    consumer: ci,
                    config,
                    kind,
                    via_auth_server_ref: target.via_auth_server_ref,
                    primary: target.primary,
                });
            }
        }
    }

    let mut sinks: Vec<Sink> = inputs.iter().map(|_| Sink::new(profile)).collect();
    let mut derived: Vec<Option<Derived>> = inputs.iter().map(|_| None).collect();

    // Admission and reconcile of every config first, on the document itself when the API
    // server only adds defaults (then nothing is copied). A config's sink receives nothing
    // from other documents, so its diagnostics keep their order.
    let admitted_copies: Vec<Option<Node>> = inputs
        .iter_mut()
        .zip(&mut sinks)
        .zip(&kinds)
        .map(|((input, sink), kind)| {
            (*kind == Kind::ExternalAuthConfig).then(|| {
                layers::check_external_auth_config_in_place(&mut input.doc.root, sink, profile)
            })?
        })
        .collect();
    // Which configs a VirtualMCPServer's controller fetches: the API server admits them (a
    // refused one is never stored) and their controller sets Valid=True.
    let fetchable: Vec<bool> = sinks
        .iter()
        .zip(&kinds)
        .map(|(sink, kind)| {
            *kind == Kind::ExternalAuthConfig
                && sink.error_count(Layer::Admission) == 0
                && sink.error_count(Layer::Reconcile) == 0
        })
        .collect();

    for (i, input) in inputs.iter().enumerate() {
        let root = &input.doc.root;
        if let Some(advise) = scalar_advice.filter(|_| kinds[i] != Kind::Unknown) {
            advise(root, &input.doc.ambiguous, &mut sinks[i]);
        }
        match kinds[i] {
            Kind::ExternalAuthConfig => {
                let admitted = layers::admitted_spec(root, admitted_copies[i].as_ref());
                let Some(embedded) = layers::embedded_config(admitted) else {
                    continue;
                };
                let base = Path::parse("spec.embeddedAuthServer");
                let consumers: Vec<&Reference> = refs.iter().filter(|r| r.config == i).collect();
                let context_of = |r: &Reference| {
                    WorkloadContext::from_consumer(
                        r.kind,
                        &inputs[r.consumer].doc.root,
                        &ns_of(root),
                        profile.behaviour(),
                    )
                };
                // The config's own derivation follows the first workload that references it,
                // else the caller's overrides, else the defaults.
                let primary = match consumers.first() {
                    Some(r) => context_of(r),
                    None => WorkloadContext::from_overrides(
                        &options.context,
                        document::namespace(root),
                        document::name(root).unwrap_or("mcp-server"),
                    ),
                };
                derived[i] =
                    layers::check_embedded(embedded, &base, &primary, &mut sinks[i], profile);
                if let Some(kind) = options.consumer {
                    layers::consumer::guard_config(embedded, kind, &primary, &mut sinks[i]);
                }
                for r in consumers {
                    let ctx = context_of(r);
                    if !r.primary {
                        layers::consumer::guard_external_reference(
                            r.kind,
                            embedded,
                            &ctx,
                            &mut sinks[r.consumer],
                        );
                        continue;
                    }
                    let consumer_root = &inputs[r.consumer].doc.root;
                    layers::consumer::check_reference(
                        consumer_root,
                        r.kind,
                        r.via_auth_server_ref,
                        embedded,
                        &ctx,
                        &mut sinks[r.consumer],
                    );
                    // Each workload gets the derivation for its own context; the config's
                    // problems are reported once, on the config.
                    let mut scratch = Sink::new(profile);
                    derived[r.consumer] =
                        layers::check_embedded(embedded, &base, &ctx, &mut scratch, profile);
                }
            }
            Kind::McpServer | Kind::RemoteProxy => {
                layers::authz::check_ignored_primary(root, kinds[i].as_str(), &mut sinks[i]);
                // The configs resolved above, by how the workload names them.
                let find = |via_auth_server_ref: bool| {
                    refs.iter()
                        .find(|r| r.consumer == i && r.via_auth_server_ref == via_auth_server_ref)
                        .map(|r| &inputs[r.config].doc.root)
                };
                for target in layers::consumer::referenced_configs(root, profile.behaviour()) {
                    if find(target.via_auth_server_ref).is_none() {
                        layers::consumer::unresolved_reference(target, &mut sinks[i]);
                    }
                }
                let ns = ns_of(root);
                layers::check_consumer_refs(
                    root,
                    find(false),
                    find(true),
                    &ns,
                    &mut sinks[i],
                    profile,
                );
            }
            Kind::VirtualMcpServer => {
                let ns = ns_of(root);
                // Only configs the cluster holds with Valid=True enter the controller's
                // strategy map.
                let find = |name: &str| {
                    let j = configs
                        .named(inputs, &ns, name)
                        .iter()
                        .find(|&&j| fetchable[j])?;
                    Some(&inputs[*j].doc.root)
                };
                let outgoing = layers::consumer::outgoing_configs(root, &find);
                derived[i] = layers::check_virtual_mcp_server(
                    root,
                    &options.context,
                    &outgoing,
                    &mut sinks[i],
                    profile,
                );
                layers::consumer::check_vmcp_outgoing(root, &outgoing, &mut sinks[i]);
            }
            Kind::RunConfig => {
                layers::check_run_config(root, options.consumer, &mut sinks[i], profile);
            }
            Kind::Unknown => layers::unknown_document(root, &mut sinks[i]),
        }
    }

    // A workload whose build ToolHive's operator aborts (a build-layer error on it: CT-07,
    // CT-08, CT-15) gets nothing: no env vars, volumes or run config. Nor does the config whose
    // own derivation followed that workload.
    let build_fails = |doc: usize| sinks[doc].error_count(Layer::Build) > 0;
    for r in &refs {
        if build_fails(r.consumer) {
            derived[r.consumer] = None;
        }
    }
    for (i, slot) in derived.iter_mut().enumerate() {
        let primary = refs.iter().find(|r| r.config == i && r.primary);
        if primary.is_some_and(|r| build_fails(r.consumer)) {
            *slot = None;
        }
    }

    let documents = inputs
        .iter()
        .zip(sinks)
        .zip(derived)
        .enumerate()
        .map(|(i, ((input, sink), derived))| {
            let root = &input.doc.root;
            let diagnostics = sink.finish(root, input.text.and_then(|t| texts.get(t)));
            DocumentReport {
                source: input.source.clone(),
                index: input.doc.index,
                line: input.doc.line,
                kind: kinds[i].as_str().to_owned(),
                api_version: root.str("apiVersion").map(str::to_owned),
                name: document::name(root).map(str::to_owned),
                namespace: document::namespace(root).map(str::to_owned),
                valid: !diagnostics
                    .iter()
                    .any(|d| d.severity == crate::report::Severity::Error),
                diagnostics,
                derived,
            }
        })
        .collect();
    Report {
        tool: Tool::default(),
        profile: profile.id().to_owned(),
        documents,
    }
}
