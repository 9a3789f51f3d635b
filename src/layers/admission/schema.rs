//! A validator for Kubernetes structural schemas (the CRD's `openAPIV3Schema`), as the API
//! server applies them: null pruning, unknown-field pruning, defaulting, then types, required
//! fields, enums, patterns and bounds. The schema itself is data: the CRD's own schema,
//! embedded per profile (`schemas/<profile>/`).

use regex_lite::Regex;
use serde_json::Value as J;

use crate::path::Path;
use crate::tree::{Entry, Node, Value};

/// A compiled structural schema.
#[derive(Debug)]
pub struct Schema {
    root: SchemaNode,
}

#[derive(Debug, Default)]
struct SchemaNode {
    ty: Option<String>,
    properties: Vec<(String, SchemaNode)>,
    additional: Option<Box<SchemaNode>>,
    preserve_unknown: bool,
    int_or_string: bool,
    items: Option<Box<SchemaNode>>,
    required: Vec<String>,
    enumeration: Vec<J>,
    pattern: Option<(String, Regex)>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    max_properties: Option<usize>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    default: Option<J>,
    map_keys: Vec<String>,
    nullable: bool,
}

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
        Schema {
            root: SchemaNode::compile(&value),
        }
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
    /// object (nulls and unknown members pruned, defaults applied) and every issue found.
    pub fn admit(&self, node: &Node, path: &Path) -> (Node, Vec<Found>) {
        let mut out = Vec::new();
        let mut copy = node.clone();
        self.0.validate(&mut copy, path, &mut out);
        (copy, out)
    }
}

fn usize_of(v: Option<&J>) -> Option<usize> {
    v.and_then(J::as_u64).and_then(|n| usize::try_from(n).ok())
}

impl SchemaNode {
    fn compile(v: &J) -> SchemaNode {
        let get = |k: &str| v.get(k);
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
            enumeration: get("enum")
                .and_then(J::as_array)
                .cloned()
                .unwrap_or_default(),
            pattern: get("pattern").and_then(J::as_str).map(|p| {
                let re = Regex::new(p).expect("embedded CRD pattern compiles");
                (p.to_owned(), re)
            }),
            min_length: usize_of(get("minLength")),
            max_length: usize_of(get("maxLength")),
            min_items: usize_of(get("minItems")),
            max_items: usize_of(get("maxItems")),
            max_properties: usize_of(get("maxProperties")),
            minimum: get("minimum").and_then(J::as_f64),
            maximum: get("maximum").and_then(J::as_f64),
            default: get("default").cloned(),
            nullable: get("nullable") == Some(&J::Bool(true)),
            ..SchemaNode::default()
        };
        if get("x-kubernetes-list-type").and_then(J::as_str) == Some("map") {
            n.map_keys = get("x-kubernetes-list-map-keys")
                .and_then(J::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
        }
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

    fn validate(&self, node: &mut Node, path: &Path, out: &mut Vec<Found>) {
        if !self.type_matches(node) {
            out.push(Found {
                path: path.clone(),
                issue: Issue::Type {
                    expected: self.ty.clone().unwrap_or_default(),
                    got: node.type_name(),
                },
            });
            return;
        }
        let span = node.span;
        match &mut node.value {
            Value::String(s) => self.validate_string(s, path, out),
            Value::Int(_) | Value::Float(_) => {
                self.validate_number(node_number(&node.value), path, out)
            }
            Value::Seq(items) => {
                let len = items.len();
                if let Some(min) = self.min_items.filter(|m| len < *m) {
                    out.push(Found {
                        path: path.clone(),
                        issue: Issue::MinItems { len, min },
                    });
                }
                if let Some(max) = self.max_items.filter(|m| len > *m) {
                    out.push(Found {
                        path: path.clone(),
                        issue: Issue::MaxItems { len, max },
                    });
                }
                if let Some(item_schema) = &self.items {
                    for (i, item) in items.iter_mut().enumerate() {
                        item_schema.validate(item, &path.index(i), out);
                    }
                }
                self.check_map_keys(items, path, out);
            }
            Value::Map(entries) => {
                // Nulls of non-nullable members are dropped before defaulting and validation.
                entries.retain(|e| {
                    !matches!(e.value.value, Value::Null)
                        || self.member(&e.key).is_some_and(|m| m.nullable)
                });
                if !self.preserve_unknown {
                    entries.retain(|e| {
                        let known = self.member(&e.key).is_some();
                        if !known {
                            out.push(Found {
                                path: path.key(&e.key),
                                issue: Issue::Unknown,
                            });
                        }
                        known
                    });
                }
                for (key, prop) in &self.properties {
                    if let Some(default) = &prop.default {
                        if !entries.iter().any(|e| &e.key == key) {
                            if let Ok(value) = Node::from_json(default, 8) {
                                entries.push(Entry {
                                    key: key.clone(),
                                    key_span: None,
                                    value,
                                });
                            }
                        }
                    }
                }
                for req in &self.required {
                    if !entries.iter().any(|e| &e.key == req) {
                        out.push(Found {
                            path: path.key(req),
                            issue: Issue::Required,
                        });
                    }
                }
                if let Some(max) = self.max_properties.filter(|m| entries.len() > *m) {
                    out.push(Found {
                        path: path.clone(),
                        issue: Issue::MaxItems {
                            len: entries.len(),
                            max,
                        },
                    });
                }
                for e in entries.iter_mut() {
                    if let Some(schema) = self.member(&e.key) {
                        schema.validate(&mut e.value, &path.key(&e.key), out);
                    }
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
        node.span = span;
    }

    fn member(&self, key: &str) -> Option<&SchemaNode> {
        self.properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, s)| s)
            .or(self.additional.as_deref())
    }

    fn validate_string(&self, s: &str, path: &Path, out: &mut Vec<Found>) {
        if !self.enumeration.is_empty() && !self.enumeration.iter().any(|e| e.as_str() == Some(s)) {
            out.push(Found {
                path: path.clone(),
                issue: Issue::Enum {
                    value: crate::goutil::quote(s),
                    allowed: self.enumeration.iter().map(|e| e.to_string()).collect(),
                },
            });
        }
        let chars = s.chars().count();
        if let Some(min) = self.min_length.filter(|m| chars < *m) {
            out.push(Found {
                path: path.clone(),
                issue: Issue::MinLength {
                    value: crate::goutil::quote(s),
                    min,
                },
            });
        }
        if let Some(max) = self.max_length.filter(|m| chars > *m) {
            out.push(Found {
                path: path.clone(),
                issue: Issue::MaxLength { max },
            });
        }
        if let Some((pattern, re)) = &self.pattern {
            if !re.is_match(s) {
                out.push(Found {
                    path: path.clone(),
                    issue: Issue::Pattern {
                        value: crate::goutil::quote(s),
                        pattern: pattern.clone(),
                    },
                });
            }
        }
    }

    fn validate_number(&self, n: f64, path: &Path, out: &mut Vec<Found>) {
        let shown = if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            n.to_string()
        };
        if let Some(min) = self.minimum.filter(|m| n < *m) {
            out.push(Found {
                path: path.clone(),
                issue: Issue::Minimum {
                    value: shown.clone(),
                    min,
                },
            });
        }
        if let Some(max) = self.maximum.filter(|m| n > *m) {
            out.push(Found {
                path: path.clone(),
                issue: Issue::Maximum { value: shown, max },
            });
        }
    }

    fn check_map_keys(&self, items: &[Node], path: &Path, out: &mut Vec<Found>) {
        if self.map_keys.is_empty() {
            return;
        }
        let key_of = |n: &Node| -> Vec<Option<String>> {
            self.map_keys
                .iter()
                .map(|k| n.get(k).map(|v| v.to_json().to_string()))
                .collect()
        };
        let keys: Vec<_> = items.iter().map(key_of).collect();
        for (i, k) in keys.iter().enumerate() {
            if keys[..i].contains(k) {
                let shown = self
                    .map_keys
                    .iter()
                    .zip(k)
                    .map(|(name, v)| format!("\"{name}\":{}", v.as_deref().unwrap_or("null")))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(Found {
                    path: path.index(i),
                    issue: Issue::Duplicate { keys: shown },
                });
            }
        }
    }
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
    use crate::profile::Profile;

    #[test]
    fn every_embedded_schema_compiles() {
        for p in Profile::ALL {
            assert!(p.schema().at("spec.embeddedAuthServer").is_some(), "{p}");
        }
    }
}
