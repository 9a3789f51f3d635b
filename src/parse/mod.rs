//! Reading YAML and JSON text into [`Node`] trees, with positions and hard limits.
//!
//! The YAML 1.2 event parser (`saphyr-parser`) does the lexing; this module assembles the
//! events into trees with an explicit stack (no recursion, so hostile nesting cannot overflow
//! the stack), resolves plain scalars as kubectl does (YAML 1.1's booleans and numbers, noting
//! where YAML 1.2 reads them otherwise), expands aliases within a budget, and refuses
//! duplicate keys — as `kubectl` does.

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::BuildHasher;

mod block;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};

use crate::goutil;
use crate::tree::{Entry, Extent, Node, Pos, Span, Value};

/// Largest input accepted, in bytes. Kubernetes stores objects of at most ~1.5 MiB in etcd;
/// 4 MiB leaves room for several documents and comments while bounding time and memory.
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;
/// Deepest nesting accepted. A ToolHive resource needs about 12 levels.
pub const MAX_DEPTH: usize = 64;
/// Most nodes that aliases may add by expansion, over a whole input (alias bombs).
pub const MAX_ALIAS_NODES: usize = 10_000;
/// Most documents in one input. A file of manifests holds dozens; 4 MiB of tiny documents
/// would otherwise cost gigabytes of reports.
pub const MAX_DOCUMENTS: usize = 20_000;
/// Most nodes kept as copies of anchored nodes, over a whole input. An anchored node is
/// copied when it is complete (an alias may follow); anchors nested in anchors would copy the
/// same nodes once per level.
pub const MAX_ANCHORED_NODES: usize = 100_000;

/// Why text could not be read. Displayed as one line, with a position where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What went wrong.
    pub message: String,
    /// 1-based line, when the problem has a position.
    pub line: Option<u32>,
    /// 1-based column, when the problem has a position.
    pub column: Option<u32>,
}

impl ParseError {
    fn at(message: impl Into<String>, pos: Pos) -> ParseError {
        ParseError {
            message: message.into(),
            line: Some(pos.line),
            column: Some(pos.column),
        }
    }

    fn plain(message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
            line: None,
            column: None,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{} (line {l}, column {c})", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ParseError {}

/// One document of a (possibly multi-document) input.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDocument {
    /// Zero-based position among the non-empty documents of the input.
    pub index: usize,
    /// 1-based line where the document starts.
    pub line: u32,
    /// The document's root (always a mapping).
    pub root: Node,
    /// Plain scalars that kubectl (YAML 1.1, what the tree holds) and YAML 1.2 read
    /// differently, in source order.
    pub ambiguous: Vec<AmbiguousScalar>,
}

/// Checks the size limit and UTF-8 of raw bytes, then parses them.
pub fn parse_bytes(bytes: &[u8]) -> Result<Vec<ParsedDocument>, ParseError> {
    parse_text(decode(bytes)?)
}

/// Checks the size limit and UTF-8 of raw bytes and returns them as text.
pub fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    check_size(bytes.len())?;
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        ParseError::plain(format!(
            "input is not valid UTF-8 (invalid byte at offset {}, line {line})",
            e.valid_up_to()
        ))
    })
}

/// Refuses inputs over [`MAX_INPUT_BYTES`] (callers that read files check the length first,
/// so a 100 MB file is refused without being read).
pub fn check_size(len: usize) -> Result<(), ParseError> {
    if len > MAX_INPUT_BYTES {
        return Err(ParseError::plain(format!(
            "input is {len} bytes; the limit is {MAX_INPUT_BYTES} bytes (4 MiB)"
        )));
    }
    Ok(())
}

/// Parses YAML or JSON text into its non-empty documents.
///
/// Errors: empty input, syntax errors, a document whose top level is not a mapping, nesting
/// deeper than [`MAX_DEPTH`], alias expansion beyond [`MAX_ALIAS_NODES`], duplicate keys,
/// non-string keys, text over [`MAX_INPUT_BYTES`].
pub fn parse_text(text: &str) -> Result<Vec<ParsedDocument>, ParseError> {
    check_text(text)?;
    if let Some(docs) = block::read(text) {
        return Ok(docs);
    }
    read_full(text)
}

/// [`parse_text`] without its fast path: every text goes through the full YAML reader. This is
/// the reference the fast path is tested and fuzzed against; callers want [`parse_text`].
pub fn parse_text_full(text: &str) -> Result<Vec<ParsedDocument>, ParseError> {
    check_text(text)?;
    read_full(text)
}

/// The fast path alone: the documents of `text` when it is plain block YAML that the fast
/// reader handles, `None` when [`parse_text`] would hand it to the full reader. For tests and
/// fuzzing; callers want [`parse_text`].
pub fn parse_text_fast(text: &str) -> Option<Vec<ParsedDocument>> {
    check_text(text).ok()?;
    block::read(text)
}

/// The limits every reader applies first: size and NUL bytes.
fn check_text(text: &str) -> Result<(), ParseError> {
    check_size(text.len())?;
    if text.contains('\0') {
        let line = text[..text.find('\0').unwrap_or(0)].matches('\n').count() + 1;
        return Err(ParseError::plain(format!(
            "input contains a NUL byte (line {line}); YAML and JSON text may not"
        )));
    }
    Ok(())
}

/// Reads `text` with `saphyr-parser`, assembling its events into documents.
fn read_full(text: &str) -> Result<Vec<ParsedDocument>, ParseError> {
    let mut builder = Builder {
        text,
        // kubectl's `YAMLOrJSONDecoder`: JSON when the first non-space character is `{`.
        json: text
            .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
            .starts_with('{'),
        ..Builder::default()
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let m = e.marker();
            let info = if e.info().contains("recursion limit") {
                format!(
                    "document is nested deeper than the YAML reader allows ({})",
                    e.info()
                )
            } else {
                format!("malformed YAML/JSON: {}", e.info())
            };
            ParseError::at(info, pos(m.index(), m.line(), m.col()))
        })?;
        builder.event(event, span)?;
    }
    if builder.docs.is_empty() {
        return Err(ParseError::plain(
            "input is empty: no YAML or JSON document found",
        ));
    }
    Ok(builder.docs)
}

/// YAML merge keys, which kubectl's YAML reader applies (`<<: *base`, or `<<: [*a, *b]`): the
/// members of the merged mappings that the mapping does not set itself are added to it, the
/// earlier of several mappings first; the `<<` member goes. Only a plain `<<` key (one whose
/// position is in `merge_keys`) merges; a `<<` whose value is not a mapping or a list of
/// mappings stays an ordinary member.
fn apply_merges(node: &mut Node, merge_keys: &[u32]) {
    let is_merge = |e: &Entry| {
        e.key == "<<"
            && e.key_span
                .is_some_and(|s| merge_keys.binary_search(&s.start).is_ok())
    };
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|i| apply_merges(i, merge_keys)),
        Value::Map(entries) => {
            entries
                .iter_mut()
                .for_each(|e| apply_merges(&mut e.value, merge_keys));
            let Some(at) = entries.iter().position(is_merge) else {
                return;
            };
            let sources: Vec<&Node> = match &entries[at].value.value {
                Value::Map(_) => vec![&entries[at].value],
                Value::Seq(items) if items.iter().all(|i| matches!(i.value, Value::Map(_))) => {
                    items.iter().collect()
                }
                _ => return,
            };
            let mut taken: HashSet<String> = entries
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != at)
                .map(|(_, e)| e.key.to_string())
                .collect();
            let mut merged = Vec::new();
            for source in sources {
                for e in source.as_map().unwrap_or(&[]) {
                    if taken.insert(e.key.to_string()) {
                        merged.push(e.clone());
                    }
                }
            }
            entries.remove(at);
            entries.extend(merged);
        }
        _ => {}
    }
}

fn pos(char_index: usize, line: usize, col: usize) -> Pos {
    Pos {
        char_index: u32::try_from(char_index).unwrap_or(u32::MAX),
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(col + 1).unwrap_or(u32::MAX),
    }
}

/// A range as the full reader reports it, with lines and columns (the tree keeps its
/// character range, [`Span`]).
#[derive(Clone, Copy)]
struct Marks {
    start: Pos,
    end: Pos,
}

impl Marks {
    fn span(self) -> Span {
        Span::between(self.start, self.end)
    }
}

fn marks_of(s: &YSpan) -> Marks {
    Marks {
        start: pos(s.start.index(), s.start.line(), s.start.col()),
        end: pos(s.end.index(), s.end.line(), s.end.col()),
    }
}

/// The line and column of character `char_index` of `text`, for an error found after the
/// reader's own positions are gone (once per text: the error ends the reading).
fn locate(text: &str, char_index: u32) -> Pos {
    crate::position::SourceText::new(text).locate(char_index)
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: Marks,
        anchor: usize,
    },
    Map {
        entries: Vec<Entry>,
        keys: DuplicateKeys,
        key: Option<(String, Span)>,
        start: Marks,
        anchor: usize,
    },
}

#[derive(Default)]
struct Builder<'t> {
    /// The text being read (for the positions of errors found on finished nodes).
    text: &'t str,
    stack: Vec<Frame>,
    docs: Vec<ParsedDocument>,
    doc_line: u32,
    /// The current document's anchored nodes, with their extents.
    anchors: HashMap<usize, (Node, Extent)>,
    alias_nodes: usize,
    /// Nodes copied into `anchors` so far.
    anchored_nodes: usize,
    /// The current document's plain scalars that YAML 1.2 reads otherwise.
    ambiguous: Vec<AmbiguousScalar>,
    /// Where the current document's plain `<<` scalars start (character indices, in source
    /// order): a mapping key among them is a merge key. A quoted `"<<"` is an ordinary key,
    /// for kubectl as for YAML.
    merge_keys: Vec<u32>,
    /// The text is JSON (it starts with `{`): kubectl decodes it as JSON, not as YAML.
    json: bool,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, ys: YSpan) -> Result<(), ParseError> {
        let span = marks_of(&ys);
        match event {
            Event::DocumentStart(_) => {
                self.doc_line = span.start.line;
                self.anchors.clear();
                self.ambiguous.clear();
                self.merge_keys.clear();
            }
            Event::Scalar(value, style, anchor, tag) => {
                let plain = style == ScalarStyle::Plain && tag.is_none();
                if plain && value == "<<" {
                    self.merge_keys.push(span.start.char_index);
                }
                let value = if plain {
                    self.plain_scalar(value, span.start)?
                } else {
                    Value::String(value.into_owned())
                };
                self.fits(1, span.start)?;
                let node = Node {
                    value,
                    span: Some(span.span()),
                };
                self.complete(node, anchor)?;
            }
            Event::SequenceStart(anchor, _) => {
                self.push(Frame::Seq {
                    items: Vec::new(),
                    start: span,
                    anchor,
                })?;
            }
            Event::MappingStart(anchor, _) => {
                self.push(Frame::Map {
                    entries: Vec::new(),
                    keys: DuplicateKeys::default(),
                    key: None,
                    start: span,
                    anchor,
                })?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node_and_anchor = match self.stack.pop() {
                    Some(Frame::Seq {
                        items,
                        start,
                        anchor,
                    }) => (
                        Node {
                            value: Value::Seq(items),
                            span: Some(Span::between(start.start, span.end)),
                        },
                        anchor,
                    ),
                    Some(Frame::Map {
                        entries,
                        start,
                        anchor,
                        ..
                    }) => (
                        Node {
                            value: Value::Map(entries),
                            span: Some(Span::between(start.start, span.end)),
                        },
                        anchor,
                    ),
                    None => return Ok(()),
                };
                self.complete(node_and_anchor.0, node_and_anchor.1)?;
            }
            Event::Alias(id) => {
                let Some((target, extent)) = self.anchors.get(&id) else {
                    return Err(ParseError::at(
                        "malformed YAML: alias refers to an unknown anchor",
                        span.start,
                    ));
                };
                self.alias_nodes += extent.nodes;
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(ParseError::at(
                        format!(
                            "YAML aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?); refusing to expand"
                        ),
                        span.start,
                    ));
                }
                // A merge (`<<: *a`, `<<: [*a]`) lifts the anchor's members into the mapping:
                // the document's depth is checked again once merged.
                let depth = extent.depth.saturating_sub(self.merge_lift()).max(1);
                self.fits(depth, span.start)?;
                let mut copy = target.clone();
                copy.span = Some(span.span());
                self.complete(copy, 0)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// kubectl's reading of the plain scalar `text` written at `at`, noted for the advice
    /// layer when a YAML 1.2 reader reads it otherwise.
    ///
    /// In JSON text, which kubectl decodes as JSON, nothing is noted (there is no YAML to read
    /// otherwise), and a number out of range for Go's `float64` is refused, as kubectl refuses
    /// it.
    fn plain_scalar(&mut self, text: Cow<'_, str>, at: Pos) -> Result<Value, ParseError> {
        let resolved = resolve_non_string(&text);
        let yaml12 = match &resolved {
            Some(value) => yaml12_reading(&text, value),
            None => string_reading(&text),
        };
        match yaml12 {
            Some(Yaml12Reading::Number) if self.json => {
                return Err(ParseError::at(
                    format!("number {text} is out of range: kubectl's JSON decoder refuses it (json: cannot unmarshal number {text} into Go value of type float64)"),
                    at,
                ))
            }
            Some(yaml12) if !self.json => self.ambiguous.push(AmbiguousScalar {
                at,
                kubectl: resolved
                    .as_ref()
                    .map_or(KubectlReading::String, KubectlReading::of),
                yaml12,
            }),
            _ => {}
        }
        Ok(resolved.unwrap_or_else(|| Value::String(text.into_owned())))
    }

    /// How many levels a merge lifts the value about to be completed: 1 for the value of a
    /// plain `<<` key, 2 for an item of a list that is that value, else 0.
    fn merge_lift(&self) -> usize {
        let merging = |frame: Option<&Frame>| match frame {
            Some(Frame::Map {
                key: Some((k, span)),
                ..
            }) => k == "<<" && self.merge_keys.last() == Some(&span.start),
            _ => false,
        };
        let n = self.stack.len();
        if merging(self.stack.last()) {
            1
        } else if matches!(self.stack.last(), Some(Frame::Seq { .. }))
            && merging(n.checked_sub(2).and_then(|i| self.stack.get(i)))
        {
            2
        } else {
            0
        }
    }

    fn push(&mut self, frame: Frame) -> Result<(), ParseError> {
        let at = match &frame {
            Frame::Seq { start, .. } | Frame::Map { start, .. } => start.start,
        };
        self.fits(1, at)?;
        self.stack.push(frame);
        Ok(())
    }

    /// Refuses a node `depth` levels deep (1 for a scalar) placed at the current level when it
    /// would reach past [`MAX_DEPTH`] levels, counted as [`Node::from_json`] counts them (the
    /// document's root is level 1), so that a text and the same object handed over parsed
    /// (the policy, `checkObject`) are refused alike — aliases included, which copy their
    /// anchor's whole depth.
    fn fits(&self, depth: usize, at: Pos) -> Result<(), ParseError> {
        if self.stack.len() + depth > MAX_DEPTH {
            return Err(ParseError::at(
                format!("document is nested deeper than {MAX_DEPTH} levels"),
                at,
            ));
        }
        Ok(())
    }

    /// A node is finished: attach it to its parent, or finish the document.
    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), ParseError> {
        if anchor != 0 {
            let extent = node.extent();
            self.anchored_nodes += extent.nodes;
            if self.anchored_nodes > MAX_ANCHORED_NODES {
                return Err(ParseError::at(
                    format!(
                        "YAML anchors hold more than {MAX_ANCHORED_NODES} nodes (anchors nested in anchors?); refusing to copy them"
                    ),
                    locate(self.text, node.span.unwrap_or_default().start),
                ));
            }
            self.anchors.insert(anchor, (node.clone(), extent));
        }
        let text = self.text;
        match self.stack.last_mut() {
            None => self.finish_document(node),
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map {
                entries, keys, key, ..
            }) => match key.take() {
                None => {
                    let span = node.span.unwrap_or_default();
                    let k = match node.value {
                        Value::String(s) => s,
                        Value::Null => String::new(),
                        Value::Bool(b) => b.to_string(),
                        Value::Int(i) => i.to_string(),
                        Value::Float(f) => crate::goutil::format_number(f),
                        Value::Seq(_) | Value::Map(_) => {
                            return Err(ParseError::at(
                                "mapping keys must be strings, not sequences or mappings",
                                locate(text, span.start),
                            ))
                        }
                    };
                    if let Some(prev) = keys.find(entries, &k) {
                        let first = prev.key_span.map_or(0, |s| locate(text, s.start).line);
                        return Err(ParseError::at(
                            format!("duplicate key \"{k}\" (first defined on line {first})"),
                            locate(text, span.start),
                        ));
                    }
                    *key = Some((k, span));
                    Ok(())
                }
                Some((k, key_span)) => {
                    entries.push(Entry {
                        key: k.into(),
                        key_span: Some(key_span),
                        value: node,
                    });
                    Ok(())
                }
            },
        }
    }

    fn finish_document(&mut self, root: Node) -> Result<(), ParseError> {
        match root.value {
            Value::Map(_) if self.docs.len() == MAX_DOCUMENTS => Err(ParseError::at(
                format!("the input holds more than {MAX_DOCUMENTS} documents; split it"),
                locate(self.text, root.span.unwrap_or_default().start),
            )),
            Value::Map(_) => {
                let mut root = root;
                if !self.merge_keys.is_empty() {
                    let merge_keys = std::mem::take(&mut self.merge_keys);
                    apply_merges(&mut root, &merge_keys);
                    if root.extent().depth > MAX_DEPTH {
                        return Err(ParseError::at(
                            format!("document is nested deeper than {MAX_DEPTH} levels"),
                            locate(self.text, root.span.unwrap_or_default().start),
                        ));
                    }
                }
                self.docs.push(ParsedDocument {
                    index: self.docs.len(),
                    line: self.doc_line.max(1),
                    root,
                    ambiguous: std::mem::take(&mut self.ambiguous),
                });
                Ok(())
            }
            // An empty document (`---` alone, or only comments) is skipped, as kubectl does.
            Value::Null => Ok(()),
            _ => Err(ParseError::at(
                format!(
                    "document {} is {} {}, but a Kubernetes object or run config must be a mapping",
                    self.docs.len(),
                    article(root.type_name()),
                    root.type_name()
                ),
                locate(self.text, root.span.unwrap_or_default().start),
            )),
        }
    }
}

fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Finds a repeated key of one mapping as its entries are read, in time linear in the mapping:
/// a scan while it is small (real resources), the keys' hashes once it is not — a 4 MiB mapping
/// of distinct keys would otherwise cost billions of comparisons. A hash hit is confirmed by a
/// scan, so a collision costs one scan and never a false report.
#[derive(Default)]
pub(crate) struct DuplicateKeys {
    hashes: Option<(RandomState, HashSet<u64>)>,
}

impl DuplicateKeys {
    /// Mappings up to this size are scanned.
    const SCAN_LIMIT: usize = 16;

    /// The entry among `entries` (the mapping's keys so far) whose key is `key`; remembers `key`.
    pub(crate) fn find<'e>(&mut self, entries: &'e [Entry], key: &str) -> Option<&'e Entry> {
        let scan = || entries.iter().find(|e| e.key == key);
        if entries.len() < Self::SCAN_LIMIT {
            return scan();
        }
        let (state, hashes) = self.hashes.get_or_insert_with(|| {
            let state = RandomState::new();
            let hashes = entries.iter().map(|e| state.hash_one(&e.key)).collect();
            (state, hashes)
        });
        if hashes.insert(state.hash_one(key)) {
            None
        } else {
            scan()
        }
    }
}

/// Resolves an untagged plain scalar as kubectl does: `sigs.k8s.io/yaml` reads YAML 1.1 with
/// go-yaml v2's rules, where `yes`/`no`, `on`/`off` and `y`/`n` are booleans, underscores
/// are dropped from numbers and a leading `0` means octal. A string keeps the reader's buffer
/// (no second copy). [`yaml12_reading`] tells where YAML 1.2 reads the scalar otherwise.
fn resolve_plain(text: Cow<'_, str>) -> Value {
    resolve_non_string(&text).unwrap_or_else(|| Value::String(text.into_owned()))
}

/// [`resolve_plain`]'s reading when it is not a string.
fn resolve_non_string(s: &str) -> Option<Value> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
            return Some(Value::Bool(true))
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
            return Some(Value::Bool(false))
        }
        _ => {}
    }
    if let Some(special) = special_float(s) {
        return Some(Value::Float(special));
    }
    // `strconv.ParseFloat` fails on overflow (±Inf), and go-yaml then keeps the string.
    let finite = |f: f64| f.is_finite().then_some(Value::Float(f));
    match s.as_bytes()[0] {
        // go-yaml: `strconv.ParseFloat` of the text as written (Go's literal syntax allows an
        // underscore between two digits).
        b'.' if goutil::underscores_ok(s) => {
            let plain = s.replace('_', "");
            if is_float(&plain) {
                return plain.parse().ok().and_then(finite);
            }
        }
        // go-yaml: without underscores, `strconv.ParseInt(_, 0, 64)`, then `ParseUint`, then
        // a float of YAML's form.
        b'0'..=b'9' | b'-' | b'+' => {
            let plain = if s.contains('_') {
                Cow::Owned(s.replace('_', ""))
            } else {
                Cow::Borrowed(s)
            };
            if let Some(i) = goutil::parse_int(&plain) {
                return Some(Value::Int(i));
            }
            if let Some(u) = goutil::parse_uint(&plain) {
                return Some(Value::Float(u as f64)); // beyond i64, as the tree keeps big integers
            }
            if is_float(&plain) {
                return plain.parse().ok().and_then(finite);
            }
        }
        _ => {}
    }
    None
}

/// `.inf`, `-.inf`, `.nan` and their spellings (the same in YAML 1.1 and 1.2).
fn special_float(s: &str) -> Option<f64> {
    match s {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Some(f64::NAN),
        _ => None,
    }
}

/// How a YAML 1.2 reader reads a plain scalar that kubectl reads as
/// something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Yaml12Reading {
    /// YAML 1.2 reads a string (`no`, `on`, `y`, `1_000`, `0b101`).
    String,
    /// YAML 1.2 reads another number (`0777`: octal 511 for kubectl, 777 for YAML 1.2).
    OtherNumber,
    /// YAML 1.2 reads a number where kubectl keeps the string (`1e400`: out of range for Go's
    /// `strconv.ParseFloat`, whose error makes go-yaml keep the text).
    Number,
}

/// How kubectl (go-yaml v2, YAML 1.1) reads a plain scalar that a YAML 1.2 reader reads as
/// something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KubectlReading {
    /// A boolean (`no` is `false`).
    Boolean(bool),
    /// A number (`0777` is 511).
    Number,
    /// A string (`1e400`).
    String,
}

impl KubectlReading {
    /// The kind of kubectl's reading `value` (never null: YAML 1.1 and 1.2 agree on nulls).
    fn of(value: &Value) -> KubectlReading {
        match value {
            Value::Bool(b) => KubectlReading::Boolean(*b),
            Value::String(_) => KubectlReading::String,
            _ => KubectlReading::Number,
        }
    }
}

/// A plain scalar that kubectl (YAML 1.1) and YAML 1.2 readers read differently. The tree
/// holds kubectl's reading; the advice layer reports the difference (rule DOC-04).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmbiguousScalar {
    /// Where the scalar starts (a key's or a value's span start).
    pub at: Pos,
    /// kubectl's reading (what the tree holds).
    pub kubectl: KubectlReading,
    /// What YAML 1.2 makes of it.
    pub yaml12: Yaml12Reading,
}

/// How YAML 1.2's core schema reads plain scalar `s`, when that differs from kubectl's
/// reading `value` ([`resolve_plain`]); `None` when both read the same.
fn yaml12_reading(s: &str, value: &Value) -> Option<Yaml12Reading> {
    match value {
        Value::String(_) => string_reading(s),
        Value::Bool(_) => (!matches!(s, "true" | "True" | "TRUE" | "false" | "False" | "FALSE"))
            .then_some(Yaml12Reading::String),
        Value::Int(_) | Value::Float(_) => match core_schema_number(s) {
            None => Some(Yaml12Reading::String),
            Some(n) if same_number(&n, value) => None,
            Some(_) => Some(Yaml12Reading::OtherNumber),
        },
        _ => None,
    }
}

/// How YAML 1.2 reads plain scalar `s`, which kubectl reads as a string, when that differs.
fn string_reading(s: &str) -> Option<Yaml12Reading> {
    core_schema_number(s).map(|_| Yaml12Reading::Number)
}

/// A number in YAML 1.2's core schema (`0x`, `0o`, decimal, float, `.inf`, `.nan`).
fn core_schema_number(s: &str) -> Option<Value> {
    if let Some(special) = special_float(s) {
        return Some(Value::Float(special));
    }
    for (prefix, radix) in [("0x", 16), ("0o", 8)] {
        let Some(digits) = s.strip_prefix(prefix) else {
            continue;
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            continue;
        }
        return Some(match u64::from_str_radix(digits, radix) {
            Ok(u) => i64::try_from(u).map_or(Value::Float(u as f64), Value::Int),
            // Beyond 64 bits: YAML 1.2's integer, as a float (what JavaScript's `yaml` reads).
            Err(_) => Value::Float(digits.chars().fold(0.0, |n, c| {
                n * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
            })),
        });
    }
    if is_decimal_int(s) {
        return Some(match s.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(s.parse().unwrap_or(f64::NAN)),
        });
    }
    (is_float(s))
        .then(|| s.parse().ok().map(Value::Float))
        .flatten()
}

/// Whether two numbers are the same value (an integral float equals the integer).
fn same_number(a: &Value, b: &Value) -> bool {
    let f = |v: &Value| match v {
        Value::Int(i) => *i as f64,
        Value::Float(x) => *x,
        _ => f64::NAN,
    };
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x == y,
        _ => f(a) == f(b) || (f(a).is_nan() && f(b).is_nan()),
    }
}

fn is_decimal_int(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_float(s: &str) -> bool {
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let b = s.strip_prefix(['-', '+']).unwrap_or(s).as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let mut docs = parse_text(text).expect("parses");
        assert_eq!(docs.len(), 1);
        docs.remove(0).root
    }

    #[test]
    fn plain_scalars_are_read_as_kubectl_reads_them() {
        use Yaml12Reading::{OtherNumber, String as Str};
        // (text, kubectl's reading, YAML 1.2's when it differs)
        let cases: &[(&str, Value, Option<Yaml12Reading>)] = &[
            ("yes", Value::Bool(true), Some(Str)),
            ("On", Value::Bool(true), Some(Str)),
            ("Y", Value::Bool(true), Some(Str)),
            ("no", Value::Bool(false), Some(Str)),
            ("OFF", Value::Bool(false), Some(Str)),
            ("n", Value::Bool(false), Some(Str)),
            ("True", Value::Bool(true), None),
            ("false", Value::Bool(false), None),
            ("0777", Value::Int(511), Some(OtherNumber)),
            ("1_000", Value::Int(1000), Some(Str)),
            ("0b101", Value::Int(5), Some(Str)),
            ("0X1f", Value::Int(31), Some(Str)),
            ("-0x10", Value::Int(-16), Some(Str)),
            ("1_0.5", Value::Float(10.5), Some(Str)),
            (".5_0", Value::Float(0.5), Some(Str)),
            (
                "0x8000000000000000",
                Value::Float(9223372036854775808.0),
                None,
            ),
            ("1e-400", Value::Float(0.0), None),
            ("0_", Value::Int(0), Some(Str)),
            // Not octal for Go (8 is no octal digit): a float 8, the same number as YAML 1.2's.
            ("08", Value::Float(8.0), None),
            ("0x1F", Value::Int(31), None),
            ("0o17", Value::Int(15), None),
            ("0", Value::Int(0), None),
            ("-12", Value::Int(-12), None),
            ("+12", Value::Int(12), None),
            ("1e3", Value::Float(1000.0), None),
            (".5", Value::Float(0.5), None),
            ("9223372036854775807", Value::Int(i64::MAX), None),
            (
                "18446744073709551615",
                Value::Float(18446744073709551615.0),
                None,
            ),
        ];
        // Strings for kubectl, and read alike by YAML 1.2.
        let strings = [
            "yess",
            "0x",
            "1_a",
            "2024-01-02",
            "1.2.3",
            "-",
            "._5",
            ".5_",
            ".",
        ];
        // Strings for kubectl (`strconv.ParseFloat`'s overflow is an error, and go-yaml then
        // keeps the string), numbers for YAML 1.2.
        let out_of_range = [
            "1e400",
            "-1e400",
            ".5e400",
            &"9".repeat(400),
            "0x10000000000000000",
            "0o7777777777777777777777777",
        ];
        let cases = cases
            .iter()
            .cloned()
            .chain(strings.map(|s| (s, Value::String(s.into()), None)))
            .chain(out_of_range.map(|s| (s, Value::String(s.into()), Some(Yaml12Reading::Number))));
        for (text, want, yaml12) in cases {
            let got = resolve_plain(text.into());
            assert!(same_value(&got, &want), "{text}: {got:?}, want {want:?}");
            assert_eq!(yaml12_reading(text, &got), yaml12, "{text}");
        }
    }

    fn same_value(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
            _ => a == b,
        }
    }

    #[test]
    fn a_document_lists_its_ambiguous_scalars_in_source_order() {
        let docs = parse_text("a: no\nb: 'no'\nc: [on, off]\ny: 1\nd: |\n  yes\n").unwrap();
        let at: Vec<(u32, u32, Yaml12Reading)> = docs[0]
            .ambiguous
            .iter()
            .map(|s| (s.at.line, s.at.column, s.yaml12))
            .collect();
        let s = Yaml12Reading::String;
        assert_eq!(at, [(1, 4, s), (3, 5, s), (3, 9, s), (4, 1, s)]);
        let kubectl: Vec<KubectlReading> = docs[0].ambiguous.iter().map(|s| s.kubectl).collect();
        use KubectlReading::Boolean;
        assert_eq!(
            kubectl,
            [Boolean(false), Boolean(true), Boolean(false), Boolean(true)]
        );
        // The key `y` is kubectl's `true` (sigs.k8s.io/yaml turns boolean keys into text).
        assert!(docs[0].root.get("true").is_some());
        // Quoted and block scalars are strings for both.
        assert_eq!(docs[0].root.str("b"), Some("no"));
        // Each document its own.
        let docs = parse_text("a: on\n---\nb: 1\n").unwrap();
        assert_eq!((docs[0].ambiguous.len(), docs[1].ambiguous.len()), (1, 0));
        // Numbers, and a number out of kubectl's range, which it keeps as text.
        let docs = parse_text("a: 1e400\nb: 0777\n").unwrap();
        let readings: Vec<_> = docs[0]
            .ambiguous
            .iter()
            .map(|s| (s.kubectl, s.yaml12))
            .collect();
        assert_eq!(
            readings,
            [
                (KubectlReading::String, Yaml12Reading::Number),
                (KubectlReading::Number, Yaml12Reading::OtherNumber)
            ]
        );
        assert_eq!(docs[0].root.str("a"), Some("1e400"));
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let root =
            one("a: 1\nb: '1'\nc: true\nd: ~\ne: 1.5\nf: hello\ng: 99999999999999999999999\n");
        assert_eq!(root.get("a").unwrap().value, Value::Int(1));
        assert_eq!(root.get("b").unwrap().value, Value::String("1".into()));
        assert_eq!(root.get("c").unwrap().value, Value::Bool(true));
        assert_eq!(root.get("d").unwrap().value, Value::Null);
        assert_eq!(root.get("e").unwrap().value, Value::Float(1.5));
        assert_eq!(root.get("f").unwrap().value, Value::String("hello".into()));
        assert!(matches!(root.get("g").unwrap().value, Value::Float(_)));
    }

    #[test]
    fn json_is_read_as_yaml_with_positions() {
        let text = "{\n  \"kind\": \"X\",\n  \"spec\": {\"n\": [1, 2]}\n}";
        let root = one(text);
        let n = root.get("spec").unwrap().get("n").unwrap();
        assert_eq!(n.as_seq().unwrap().len(), 2);
        let span = root.get("kind").unwrap().span.unwrap();
        let start = locate(text, span.start);
        assert_eq!((start.line, start.column), (2, 11));
    }

    #[test]
    fn multi_document_skips_empty_documents() {
        let docs = parse_text("---\na: 1\n---\n---\nb: 2\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].index, 1);
        assert_eq!(docs[1].line, 4);
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let err = parse_text("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(err.message.contains("duplicate key \"a\""), "{err}");
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn duplicate_keys_are_found_in_large_mappings() {
        // Past the scanned size, keys are remembered by hash; a repeat is still found, with
        // the line of its first definition, by both readers.
        let mut yaml: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        yaml.push_str("k7: again\n");
        let json = format!(
            "{{{}, \"k7\": 0}}",
            (0..40)
                .map(|i| format!("\"k{i}\": {i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for text in [&yaml, &json] {
            let err = parse_text(text).unwrap_err();
            assert!(err.message.contains("duplicate key \"k7\""), "{err}");
        }
        assert!(parse_text(&yaml)
            .unwrap_err()
            .message
            .contains("first defined on line 8"));
        let distinct: String = (0..1000).map(|i| format!("k{i}: {i}\n")).collect();
        assert_eq!(one(&distinct).as_map().map(<[_]>::len), Some(1000));
    }

    #[test]
    fn top_level_must_be_a_mapping() {
        let err = parse_text("- a\n- b\n").unwrap_err();
        assert!(err.message.contains("is an array"), "{err}");
        let err = parse_text("just a string").unwrap_err();
        assert!(err.message.contains("is a string"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let err = parse_text(&format!("a: {deep}")).unwrap_err();
        assert!(
            err.message.contains("nested deeper") || err.message.contains("recursion"),
            "{err}"
        );
        let block: String = (0..10_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert!(parse_text(&block).is_err());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let err = parse_text(&text).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{err}");
    }

    #[test]
    fn small_aliases_expand() {
        let root = one("base: &b {k: v}\ncopy: *b\n");
        assert_eq!(root.get("copy").unwrap().str("k"), Some("v"));
    }

    #[test]
    fn bad_bytes_and_sizes() {
        assert!(parse_bytes(&[0xff, 0xfe, b'a'])
            .unwrap_err()
            .message
            .contains("UTF-8"));
        assert!(parse_text("").unwrap_err().message.contains("empty"));
        assert!(parse_text("# only a comment\n")
            .unwrap_err()
            .message
            .contains("empty"));
        assert!(parse_text("a: \"x\0\"")
            .unwrap_err()
            .message
            .contains("NUL"));
        let big = vec![b'a'; MAX_INPUT_BYTES + 1];
        assert!(parse_bytes(&big).unwrap_err().message.contains("limit"));
    }

    #[test]
    fn merge_keys_are_applied_as_kubectl_does() {
        let text = "base: &b {a: 1, b: 2}\nother: &o {b: 3, c: 4}\none:\n  <<: *b\n  b: 9\nmany:\n  <<: [*o, *b]\nodd:\n  <<: 5\n";
        let docs = parse_text(text).expect("parses");
        let root = &docs[0].root;
        let json = |key: &str| root.get(key).expect(key).to_json();
        assert_eq!(json("one"), serde_json::json!({"a": 1, "b": 9}));
        // Several mappings: the earlier wins.
        assert_eq!(json("many"), serde_json::json!({"a": 1, "b": 3, "c": 4}));
        // Not a mapping: an ordinary member (reported as unknown where it matters).
        assert_eq!(json("odd"), serde_json::json!({"<<": 5}));
        // A quoted `<<` is an ordinary key, in YAML as in JSON.
        for text in [
            "a: &b {x: 1}\nc: {'<<': *b, z: 2}\n",
            "{\"c\": {\"<<\": {\"x\": 1}, \"z\": 2}}",
        ] {
            let docs = parse_text(text).expect("parses");
            assert_eq!(
                docs[0].root.get("c").expect("c").to_json(),
                serde_json::json!({"<<": {"x": 1}, "z": 2}),
                "{text}"
            );
        }
        // The fast reader leaves merge keys to the full reader.
        assert!(parse_text_fast("a:\n  <<:\n    b: 1\n").is_none());
        assert_eq!(
            parse_text("a:\n  <<:\n    b: 1\n  c: 2\n").expect("parses")[0]
                .root
                .to_json(),
            serde_json::json!({"a": {"b": 1, "c": 2}})
        );
    }

    #[test]
    fn json_text_is_read_as_kubectl_decodes_json() {
        // A number out of float64's range: kubectl's JSON decoder refuses it (in YAML, go-yaml
        // keeps the text, and DOC-04 notes it).
        let err = parse_text("{\"a\": {\"b\": 1e400}}").unwrap_err();
        assert!(
            err.message.contains("number 1e400 is out of range"),
            "{err}"
        );
        assert_eq!((err.line, err.column), (Some(1), Some(13)));
        let docs = parse_text("\u{feff}\n  {\"a\": 1e300, \"b\": 0.5}").expect("parses");
        assert!(docs[0].ambiguous.is_empty());
        assert_eq!(docs[0].root.get("a").unwrap().value, Value::Float(1e300));
        let docs = parse_text("a: 1e400\n").expect("parses");
        assert_eq!(docs[0].ambiguous.len(), 1);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse_text("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.message.starts_with("malformed YAML/JSON"), "{err}");
        assert!(err.line.is_some());
    }
}
