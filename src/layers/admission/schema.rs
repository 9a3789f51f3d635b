//! A validator for Kubernetes structural schemas (the CRD's `openAPIV3Schema`), as the API
//! server applies them: null pruning, unknown-field pruning, defaulting, then types, required
//! fields, enums, patterns (`pattern.rs`) and bounds. The schema itself is data: the CRD's own schema,
//! embedded per profile (`schemas/<profile>/`).

use serde_json::Value as J;

use std::borrow::Cow;

use super::pattern::Pattern;
use crate::path::{Path, Segment};
use crate::tree::{Entry, Node, Value};

/// A compiled structural schema.
#[derive(Debug, Clone)]
pub struct Schema {
    root: SchemaNode,
}

/// One node of the compiled schema. What most nodes lack (value limits, a default) is boxed:
/// a request walks the compiled schema in the policy's memory snapshot, and a smaller node
/// touches fewer of its pages (docs/PERFORMANCE.md).
#[derive(Debug, Default, Clone)]
struct SchemaNode {
    ty: Option<String>,
    properties: Vec<(String, SchemaNode)>,
    additional: Option<Box<SchemaNode>>,
    items: Option<Box<SchemaNode>>,
    required: Vec<String>,
    /// The checks of a value beyond its type, when it has any.
    limits: Option<Box<Limits>>,
    /// The default, already as a tree (every CRD default is a scalar).
    default: Option<Box<Node>>,
    preserve_unknown: bool,
    int_or_string: bool,
    nullable: bool,
}

/// A schema node's checks beyond the type (most nodes have none).
#[derive(Debug, Default, Clone)]
struct Limits {
    enumeration: Vec<J>,
    pattern: Option<(String, Pattern)>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    max_properties: Option<usize>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    map_keys: Vec<String>,
}

impl Limits {
    fn is_none(&self) -> bool {
        self.enumeration.is_empty()
            && self.pattern.is_none()
            && [
                self.min_length,
                self.max_length,
                self.min_items,
                self.max_items,
                self.max_properties,
            ]
            .iter()
            .all(Option::is_none)
            && self.minimum.is_none()
            && self.maximum.is_none()
            && self.map_keys.is_empty()
    }
}

/// The limits of a node without any.
static NO_LIMITS: Limits = Limits {
    enumeration: Vec::new(),
    pattern: None,
    min_length: None,
    max_length: None,
    min_items: None,
    max_items: None,
    max_properties: None,
    minimum: None,
    maximum: None,
    map_keys: Vec::new(),
};

/// One violation of the schema, before it is turned into a diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub enum Issue {
    /// A required member is missing.
    Required,
    /// The value has the wrong JSON type.
    Type {
        /// The schema's type.
        expected: String,
        /// The value's type.
        got: &'static str,
    },
    /// A value outside the enum.
    Enum {
        /// The value as Go prints it.
        value: String,
        /// The allowed values, quoted.
        allowed: Vec<String>,
    },
    /// A string that does not match the pattern.
    Pattern {
        /// The value as Go prints it.
        value: String,
        /// The pattern.
        pattern: String,
    },
    /// A string shorter than minLength.
    MinLength {
        /// The value as Go prints it.
        value: String,
        /// The bound.
        min: usize,
    },
    /// A string longer than maxLength.
    MaxLength {
        /// The bound.
        max: usize,
    },
    /// Fewer items than minItems.
    MinItems {
        /// How many there are.
        len: usize,
        /// The bound.
        min: usize,
    },
    /// More items than maxItems (or members than maxProperties).
    MaxItems {
        /// How many there are.
        len: usize,
        /// The bound.
        max: usize,
    },
    /// A number below minimum.
    Minimum {
        /// The value.
        value: String,
        /// The bound.
        min: f64,
    },
    /// A number above maximum.
    Maximum {
        /// The value.
        value: String,
        /// The bound.
        max: f64,
    },
    /// An item of a `listType=map` list repeats the key of an earlier one.
    Duplicate {
        /// The repeated key values, as `name: "x"`.
        keys: String,
    },
    /// A member the schema does not know (pruned).
    Unknown,
}

/// A schema issue at a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Where.
    pub path: Path,
    /// What.
    pub issue: Issue,
}

impl Schema {
    /// Compiles a schema from its JSON text.
    ///
    /// # Panics
    /// When the embedded text is not a valid schema — caught by the unit tests of every
    /// embedded schema, never by user input.
    pub fn compile_embedded(json: &str) -> Schema {
        let value: J = serde_json::from_str(json).expect("embedded schema is valid JSON");
        let root = SchemaNode::compile(&value);
        // The compiled nodes lie among the compilation's temporaries (the schema's JSON tree,
        // the patterns' compilers); with an allocator that never frees, a copy made now lies
        // in one piece (feature `compact-schemas`, docs/PERFORMANCE.md), starting at a
        // 64 KiB boundary: the kernel maps a memory snapshot's pages 64 KiB at a time, so
        // that a request reading the copy faults once per window it spans.
        #[cfg(feature = "compact-schemas")]
        let root = {
            crate::snapshot::skip_to_boundary(1 << 16);
            root.clone()
        };
        Schema { root }
    }

    /// The sub-schema at a dotted property path (`spec.embeddedAuthServer`), to validate the
    /// same structure embedded elsewhere (VirtualMCPServer's `spec.authServerConfig`).
    pub fn at(&self, path: &str) -> Option<SchemaRef<'_>> {
        let mut node = &self.root;
        for key in path.split('.') {
            node = node
                .properties
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, n)| n)?;
        }
        Some(SchemaRef(node))
    }

    /// The whole schema.
    pub fn root(&self) -> SchemaRef<'_> {
        SchemaRef(&self.root)
    }
}

/// A reference to a (sub-)schema.
#[derive(Debug, Clone, Copy)]
pub struct SchemaRef<'a>(&'a SchemaNode);

impl SchemaRef<'_> {
    /// Validates `node` (located at `path`) as the API server would, returning the admitted
    /// object (nulls and unknown members pruned, defaults applied) and every issue found. The
    /// object is only copied when the API server would change it.
    pub fn admit<'n>(&self, node: &'n Node, path: &Path) -> (Cow<'n, Node>, Vec<Found>) {
        let (edits, found) = self.walk(node, path);
        if edits.is_empty() {
            return (Cow::Borrowed(node), found);
        }
        let mut copy = node.clone();
        apply(&mut copy, edits);
        (Cow::Owned(copy), found)
    }

    /// Like [`SchemaRef::admit`], but when the API server only adds defaults they are added
    /// to `node` itself — nothing read from the text is removed, so its positions stay valid
    /// — and `None` is returned. When members must be removed, `node` is left as it is and
    /// the admitted copy is returned.
    pub fn admit_in_place(&self, node: &mut Node, path: &Path) -> (Option<Node>, Vec<Found>) {
        let (edits, found) = self.walk(node, path);
        if edits.iter().all(|e| matches!(e.op, Op::Insert(..))) {
            apply(node, edits);
            return (None, found);
        }
        let mut copy = node.clone();
        apply(&mut copy, edits);
        (Some(copy), found)
    }

    /// Validates `node`: the API server's changes and the issues.
    fn walk(&self, node: &Node, path: &Path) -> (Vec<Edit>, Vec<Found>) {
        let mut walk: Walk<'_, '_> = Walk {
            base: path,
            at: Vec::new(),
            found: Vec::new(),
            edits: Vec::new(),
        };
        self.0.validate(node, &mut walk);
        (walk.edits, walk.found)
    }
}

/// Applies the API server's changes: first every removal, one pass per mapping (an object with
/// thousands of unknown members is not rescanned once per member), then the defaults in the
/// order they were found. The walk finds a mapping's removals before its defaults, and defaults
/// are scalars that no other change points into, so this is the order of the walk.
fn apply(node: &mut Node, edits: Vec<Edit>) {
    let mut removals: Vec<(Vec<Segment>, String)> = Vec::new();
    let mut insertions = Vec::new();
    for edit in edits {
        match edit.op {
            Op::Remove(key) => removals.push((edit.at, key)),
            Op::Insert(key, value) => insertions.push((edit.at, key, value)),
        }
    }
    removals.sort_unstable();
    for group in removals.chunk_by(|a, b| a.0 == b.0) {
        if let Some(Value::Map(entries)) = get_mut(node, &group[0].0).map(|n| &mut n.value) {
            entries.retain(|e| {
                group
                    .binary_search_by(|(_, k)| k.as_str().cmp(&e.key))
                    .is_err()
            });
        }
    }
    for (at, key, value) in insertions {
        if let Some(Value::Map(entries)) = get_mut(node, &at).map(|n| &mut n.value) {
            entries.push(Entry {
                key: key.into(),
                key_span: None,
                value,
            });
        }
    }
}

/// A change the API server makes to the object before validation.
enum Op {
    Remove(String),
    Insert(String, Node),
}

struct Edit {
    at: Vec<Segment>,
    op: Op,
}

/// One step of the walk's position, borrowed from the document or the schema.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The state of one validation walk: the current position (a stack of borrowed steps, so
/// that no path is built and no key copied unless something is reported or edited), the
/// issues and the edits.
struct Walk<'p, 'a> {
    base: &'p Path,
    at: Vec<Step<'a>>,
    found: Vec<Found>,
    edits: Vec<Edit>,
}

impl<'a> Walk<'_, 'a> {
    /// The current position as owned segments.
    fn segments(&self) -> Vec<Segment> {
        self.at
            .iter()
            .map(|s| match s {
                Step::Key(k) => Segment::Key((*k).into()),
                Step::Index(i) => Segment::Index(*i),
            })
            .collect()
    }

    fn report(&mut self, issue: Issue) {
        self.found.push(Found {
            path: self.base.join(&self.segments()),
            issue,
        });
    }

    fn report_member(&mut self, key: &'a str, issue: Issue) {
        self.at.push(Step::Key(key));
        self.report(issue);
        self.at.pop();
    }

    fn edit(&mut self, op: Op) {
        self.edits.push(Edit {
            at: self.segments(),
            op,
        });
    }
}

fn get_mut<'a>(node: &'a mut Node, at: &[Segment]) -> Option<&'a mut Node> {
    let mut n = node;
    for seg in at {
        n = match (seg, &mut n.value) {
            (Segment::Key(k), Value::Map(entries)) => {
                &mut entries.iter_mut().find(|e| *e.key == **k)?.value
            }
            (Segment::Index(i), Value::Seq(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(n)
}

fn usize_of(v: Option<&J>) -> Option<usize> {
    v.and_then(J::as_u64).and_then(|n| usize::try_from(n).ok())
}

impl SchemaNode {
    fn compile(v: &J) -> SchemaNode {
        let get = |k: &str| v.get(k);
        let mut limits = Limits {
            enumeration: get("enum")
                .and_then(J::as_array)
                .cloned()
                .unwrap_or_default(),
            pattern: get("pattern")
                .and_then(J::as_str)
                .map(|p| (p.to_owned(), Pattern::compile(p))),
            min_length: usize_of(get("minLength")),
            max_length: usize_of(get("maxLength")),
            min_items: usize_of(get("minItems")),
            max_items: usize_of(get("maxItems")),
            max_properties: usize_of(get("maxProperties")),
            minimum: get("minimum").and_then(J::as_f64),
            maximum: get("maximum").and_then(J::as_f64),
            map_keys: Vec::new(),
        };
        if get("x-kubernetes-list-type").and_then(J::as_str) == Some("map") {
            limits.map_keys = get("x-kubernetes-list-map-keys")
                .and_then(J::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
        }
        let mut n = SchemaNode {
            ty: get("type").and_then(J::as_str).map(str::to_owned),
            preserve_unknown: get("x-kubernetes-preserve-unknown-fields") == Some(&J::Bool(true)),
            int_or_string: get("x-kubernetes-int-or-string") == Some(&J::Bool(true)),
            required: get("required")
                .and_then(J::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            limits: (!limits.is_none()).then(|| Box::new(limits)),
            default: get("default").map(|d| {
                Box::new(Node::from_json(d, 8).expect("embedded CRD defaults are shallow"))
            }),
            nullable: get("nullable") == Some(&J::Bool(true)),
            ..SchemaNode::default()
        };
        if let Some(props) = get("properties").and_then(J::as_object) {
            n.properties = props
                .iter()
                .map(|(k, s)| (k.clone(), SchemaNode::compile(s)))
                .collect();
        }
        if let Some(add) = get("additionalProperties").filter(|a| a.is_object()) {
            n.additional = Some(Box::new(SchemaNode::compile(add)));
        }
        if let Some(items) = get("items") {
            n.items = Some(Box::new(SchemaNode::compile(items)));
        }
        n
    }

    /// The node's limits (none, for most nodes).
    fn limits(&self) -> &Limits {
        self.limits.as_deref().unwrap_or(&NO_LIMITS)
    }

    fn type_matches(&self, node: &Node) -> bool {
        if self.int_or_string {
            return matches!(node.value, Value::Int(_) | Value::String(_));
        }
        match self.ty.as_deref() {
            None => true,
            Some("string") => matches!(node.value, Value::String(_)),
            Some("integer") => {
                matches!(node.value, Value::Int(_))
                    || matches!(node.value, Value::Float(f) if f.fract() == 0.0 && f.is_finite())
            }
            Some("number") => matches!(node.value, Value::Int(_) | Value::Float(_)),
            Some("boolean") => matches!(node.value, Value::Bool(_)),
            Some("object") => matches!(node.value, Value::Map(_)),
            Some("array") => matches!(node.value, Value::Seq(_)),
            Some(_) => true,
        }
    }

    fn validate<'a>(&'a self, node: &'a Node, w: &mut Walk<'_, 'a>) {
        if !self.type_matches(node) {
            let expected = self.ty.clone().unwrap_or_default();
            w.report(Issue::Type {
                expected,
                got: node.type_name(),
            });
            return;
        }
        match &node.value {
            Value::String(s) => self.validate_string(s, w),
            Value::Int(_) | Value::Float(_) => self.validate_number(node_number(&node.value), w),
            Value::Seq(items) => {
                let len = items.len();
                if let Some(min) = self.limits().min_items.filter(|m| len < *m) {
                    w.report(Issue::MinItems { len, min });
                }
                if let Some(max) = self.limits().max_items.filter(|m| len > *m) {
                    w.report(Issue::MaxItems { len, max });
                }
                if let Some(item_schema) = &self.items {
                    for (i, item) in items.iter().enumerate() {
                        w.at.push(Step::Index(i));
                        item_schema.validate(item, w);
                        w.at.pop();
                    }
                }
                self.check_map_keys(items, w);
            }
            Value::Map(entries) => self.validate_object(entries, w),
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn validate_object<'a>(&'a self, entries: &'a [Entry], w: &mut Walk<'_, 'a>) {
        let mut kept = 0;
        // Which of the first 64 properties are present with a value (bit i: property i), so
        // defaults and required members need no second look at the entries.
        let mut present: u64 = 0;
        for e in entries {
            let index = self.property_index(&e.key);
            let member = index
                .map(|i| &self.properties[i].1)
                .or(self.additional.as_deref());
            let is_null = matches!(e.value.value, Value::Null);
            if let Some(i) = index.filter(|i| *i < 64 && !is_null) {
                present |= 1 << i;
            }
            let dropped_null = is_null && !member.is_some_and(|m| m.nullable);
            let unknown = member.is_none() && !self.preserve_unknown;
            if unknown {
                w.report_member(&e.key, Issue::Unknown);
            }
            if dropped_null || unknown {
                // Nulls of non-nullable members and unknown members are dropped before
                // defaulting and validation.
                w.edit(Op::Remove(e.key.to_string()));
                continue;
            }
            kept += 1;
            if let Some(schema) = member {
                w.at.push(Step::Key(&e.key));
                schema.validate(&e.value, w);
                w.at.pop();
            }
        }
        let has_value = |index: Option<usize>, key: &str| match index {
            Some(i) if i < 64 => present & (1 << i) != 0,
            _ => entries
                .iter()
                .any(|e| e.key == key && !matches!(e.value.value, Value::Null)),
        };
        for (i, (key, prop)) in self.properties.iter().enumerate() {
            if let Some(default) = prop.default.as_ref().filter(|_| !has_value(Some(i), key)) {
                w.edit(Op::Insert(key.clone(), Node::clone(default)));
            }
        }
        for req in &self.required {
            let index = self.property_index(req);
            let defaulted = index.is_some_and(|i| self.properties[i].1.default.is_some());
            if !has_value(index, req) && !defaulted {
                w.report_member(req, Issue::Required);
            }
        }
        if let Some(max) = self.limits().max_properties.filter(|m| kept > *m) {
            w.report(Issue::MaxItems { len: kept, max });
        }
    }

    /// The position of property `key` among the declared properties.
    fn property_index(&self, key: &str) -> Option<usize> {
        self.properties.iter().position(|(k, _)| k == key)
    }

    fn validate_string(&self, s: &str, w: &mut Walk<'_, '_>) {
        if !self.limits().enumeration.is_empty()
            && !self
                .limits()
                .enumeration
                .iter()
                .any(|e| e.as_str() == Some(s))
        {
            // serde_json::to_string is Value's Display text, without a second serializer
            // instantiation for fmt::Formatter in the wasm builds.
            let allowed = self.limits().enumeration.iter().map(json_text).collect();
            w.report(Issue::Enum {
                value: crate::goutil::quote(s),
                allowed,
            });
        }
        // kube-openapi's string validator checks maxLength, minLength and the pattern in this
        // order and reports only the first that fails.
        if self.limits().min_length.is_some() || self.limits().max_length.is_some() {
            let chars = s.chars().count();
            if let Some(max) = self.limits().max_length.filter(|m| chars > *m) {
                w.report(Issue::MaxLength { max });
                return;
            }
            if let Some(min) = self.limits().min_length.filter(|m| chars < *m) {
                w.report(Issue::MinLength {
                    value: crate::goutil::quote(s),
                    min,
                });
                return;
            }
        }
        if let Some((pattern, matcher)) = &self.limits().pattern {
            if !matcher.is_match(s) {
                w.report(Issue::Pattern {
                    value: crate::goutil::quote(s),
                    pattern: pattern.clone(),
                });
            }
        }
    }

    fn validate_number(&self, n: f64, w: &mut Walk<'_, '_>) {
        let shown = crate::goutil::format_number(n);
        if let Some(min) = self.limits().minimum.filter(|m| n < *m) {
            w.report(Issue::Minimum {
                value: shown.clone(),
                min,
            });
        }
        if let Some(max) = self.limits().maximum.filter(|m| n > *m) {
            w.report(Issue::Maximum { value: shown, max });
        }
    }

    fn check_map_keys(&self, items: &[Node], w: &mut Walk<'_, '_>) {
        if self.limits().map_keys.is_empty() {
            return;
        }
        let key_of = |n: &Node| -> Vec<Option<String>> {
            self.limits()
                .map_keys
                .iter()
                .map(|k| n.get(k).map(|v| json_text(&v.to_json())))
                .collect()
        };
        // As the API server's `validateListMap`: an item without the key has the key
        // "unspecified" (shown as an empty map), and of several items with the same key
        // only the first repeat is reported.
        let mut seen = std::collections::HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let k = key_of(item);
            let times = seen.entry(k.clone()).or_insert(0usize);
            *times += 1;
            if *times == 2 {
                let shown = self
                    .limits()
                    .map_keys
                    .iter()
                    .zip(&k)
                    .filter_map(|(name, v)| v.as_ref().map(|v| format!("\"{name}\":{v}")))
                    .collect::<Vec<_>>()
                    .join(", ");
                w.at.push(Step::Index(i));
                w.report(Issue::Duplicate { keys: shown });
                w.at.pop();
            }
        }
    }
}

/// A JSON value's compact text (what its `Display` prints).
fn json_text(v: &J) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn node_number(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::parse_text;
    use crate::path::Path;
    use crate::profile::Profile;
    use crate::tree::Value;

    #[test]
    fn every_embedded_schema_compiles() {
        for p in Profile::ALL {
            assert!(p.schema().at("spec.embeddedAuthServer").is_some(), "{p}");
        }
    }

    #[test]
    fn unknown_and_null_members_are_pruned_and_defaults_added() {
        // Removals of several mappings, interleaved in the walk, then the defaults.
        let mut text = String::from(
            "embeddedAuthServer:\n  issuer: https://auth.example.com\n  stray: 1\n  upstreamProviders:\n    - name: a\n      type: oidc\n      extra: x\n      oidcConfig: {issuerUrl: https://idp, clientId: c, nope: 1}\n",
        );
        for i in 0..40 {
            text.push_str(&format!("  unknown{i}: {i}\n"));
        }
        text.push_str("  tokenLifespans: null\n");
        let node = parse_text(&text).expect("parses").remove(0).root;
        let schema = Profile::P2026_08.schema();
        let spec = schema.at("spec").expect("spec schema");
        let (admitted, found) = spec.admit(&node, &Path::parse("spec"));
        let eas = admitted.get("embeddedAuthServer").expect("kept");
        let keys: Vec<&str> = eas.keys().collect();
        assert!(
            keys.starts_with(&["issuer", "upstreamProviders"]),
            "{keys:?}"
        );
        assert!(!keys
            .iter()
            .any(|k| k.starts_with("unknown") || *k == "stray" || *k == "tokenLifespans"));
        let upstream = &eas.items("upstreamProviders")[0];
        assert!(upstream.get("extra").is_none());
        assert!(upstream
            .get("oidcConfig")
            .expect("kept")
            .get("nope")
            .is_none());
        let unknown = found
            .iter()
            .filter(|f| matches!(f.issue, super::Issue::Unknown))
            .count();
        assert_eq!(unknown, 43);
        // Defaults of the 2026-08 schema are added after the removals.
        assert!(eas
            .as_map()
            .expect("map")
            .iter()
            .any(|e| e.key_span.is_none() && !matches!(e.value.value, Value::Null)));
    }

    /// As kube-openapi's string validator: maxLength, then minLength, then the pattern, and
    /// only the first that fails.
    #[test]
    fn a_string_reports_only_its_first_failing_check() {
        let schema = Profile::P2026_08.schema();
        let eas = schema.at("spec.embeddedAuthServer").expect("schema");
        let issues = |name: &str| {
            let text = format!("issuer: https://auth.example.com\nupstreamProviders:\n  - name: {name:?}\n    type: oidc\n    oidcConfig: {{issuerUrl: https://idp, clientId: c}}\n");
            let node = parse_text(&text).expect("parses").remove(0).root;
            let (_, found) = eas.admit(&node, &Path::parse("eas"));
            found
                .into_iter()
                .filter(|f| f.path.to_string() == "eas.upstreamProviders[0].name")
                .map(|f| f.issue)
                .collect::<Vec<_>>()
        };
        assert!(matches!(
            issues("").as_slice(),
            [super::Issue::MinLength { .. }]
        ));
        assert!(matches!(
            issues(&"A".repeat(64)).as_slice(),
            [super::Issue::MaxLength { .. }]
        ));
        assert!(matches!(
            issues("Okta").as_slice(),
            [super::Issue::Pattern { .. }]
        ));
        assert!(issues("okta").is_empty());
    }
}
