//! The document model: a JSON-like tree whose nodes remember where they came from.
//!
//! Both YAML and JSON text become a [`Node`] tree (JSON is read as YAML 1.2, of which it is a
//! subset). Objects handed over already parsed (the Kubewarden policy, `checkObject` in the npm
//! module) become the same tree without positions. Every layer of rules reads this tree.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::path::{Path, Segment};

mod json;

/// A position in the source text, as the YAML readers report it (parse errors, plain scalars
/// kubectl reads otherwise). The tree keeps only character indices ([`Span`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    /// Index in Unicode scalar values (characters) from the start of the text.
    pub char_index: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// A range of source text, in characters from the start of the text (start inclusive, end
/// exclusive). Lines, columns and UTF-16 offsets are computed from the text when a diagnostic
/// needs them ([`SourceText::locate`](crate::position::SourceText::locate)): a tree node stays
/// small (8 bytes of position instead of 24), which every surface's memory and copies gain from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    /// First character of the range.
    pub start: u32,
    /// One past the last character of the range.
    pub end: u32,
}

impl Span {
    /// The range from `start` to `end`.
    pub fn between(start: Pos, end: Pos) -> Span {
        Span {
            start: start.char_index,
            end: end.char_index,
        }
    }
}

/// A value in the tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// Any other number (including integers too large for 64 bits).
    Float(f64),
    /// A string (quoted or plain).
    String(String),
    /// A sequence (YAML) or array (JSON).
    Seq(Vec<Node>),
    /// A mapping (YAML) or object (JSON), in source order. Keys are unique (duplicates are a
    /// parse error).
    Map(Vec<Entry>),
}

/// One key/value pair of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key, always a string: owned when read from a document, borrowed when the key is a
    /// constant (the members of a derived run config).
    pub key: Cow<'static, str>,
    /// Where the key is written.
    pub key_span: Option<Span>,
    /// The value.
    pub value: Node,
}

/// A value and where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value is written; `None` for values that were not read from text
    /// (already-parsed objects, defaults applied by the schema layer).
    pub span: Option<Span>,
}

impl Node {
    /// A node without a source position.
    pub fn new(value: Value) -> Node {
        Node { value, span: None }
    }

    /// The JSON type name Kubernetes uses in messages: `string`, `integer`, `number`,
    /// `boolean`, `object`, `array` or `null`.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::String(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    /// The member `key` of a mapping (`None` for other values or a missing key).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    /// The member `key` of a mapping, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.value {
            Value::Map(entries) => entries
                .iter_mut()
                .find(|e| e.key == key)
                .map(|e| &mut e.value),
            _ => None,
        }
    }

    /// The entry `key` of a mapping, with its key position.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// Whether a mapping has the member `key` with a non-null value — CEL's `has()`.
    pub fn has(&self, key: &str) -> bool {
        self.present(key).is_some()
    }

    /// The member `key` unless it is absent or null: what the API server stores for a field
    /// that is not nullable (it drops a null).
    pub fn present(&self, key: &str) -> Option<&Node> {
        self.get(key).filter(|n| !matches!(n.value, Value::Null))
    }

    /// [`Node::present`], to change it.
    pub fn present_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.get_mut(key)
            .filter(|n| !matches!(n.value, Value::Null))
    }

    /// The string value of member `key`, if it is a string.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// The string value of member `key`, or `""` when absent or not a string (Go's zero value).
    pub fn str_or_empty(&self, key: &str) -> &str {
        self.str(key).unwrap_or("")
    }

    /// The boolean value of member `key`, `false` when absent or not a boolean.
    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key).map(|n| &n.value), Some(Value::Bool(true)))
    }

    /// This value as a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// This value as an integer (one that fits in 64 bits).
    pub fn as_int(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    /// This value as a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// This value as a mapping.
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The member names of a mapping, in order (none for any other value).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.as_map().unwrap_or_default().iter().map(|e| &*e.key)
    }

    /// The items of member `key` when it is a sequence; empty otherwise.
    pub fn items(&self, key: &str) -> &[Node] {
        self.get(key).and_then(Node::as_seq).unwrap_or(&[])
    }

    /// The string items of member `key` (non-strings skipped).
    pub fn strings(&self, key: &str) -> Vec<String> {
        self.items(key)
            .iter()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect()
    }

    /// The member `key` when it is a mapping (an object).
    pub fn object(&self, key: &str) -> Option<&Node> {
        self.get(key).filter(|n| matches!(n.value, Value::Map(_)))
    }

    /// Follows `path` from this node. Returns the node, if every step exists.
    pub fn at(&self, path: &Path) -> Option<&Node> {
        self.at_segments(path.segments())
    }

    /// [`Node::at`] for a path given as its segments.
    pub fn at_segments(&self, path: &[Segment]) -> Option<&Node> {
        let mut node = self;
        for seg in path {
            node = match seg {
                Segment::Key(k) => node.get(k)?,
                Segment::Index(i) => node.as_seq()?.get(*i)?,
            };
        }
        Some(node)
    }

    /// The source span that best locates `path`: the value's own span when it exists and has
    /// one, else the key of the deepest existing ancestor (for a missing value, "where it
    /// should have been"). To locate many paths in one tree, use a [`Locator`].
    pub fn locate(&self, path: &Path) -> Option<Span> {
        Locator::new(self).locate(path)
    }

    /// Like [`Node::locate`], but for a mapping member prefers the key's position (used for
    /// problems about a member's presence rather than its value). A member without positions
    /// (a default the schema layer added) is located as a missing one.
    pub fn locate_key(&self, path: &Path) -> Option<Span> {
        Locator::new(self).locate_key(path)
    }

    /// How large this subtree is: its nodes (which bound alias expansion) and its levels of
    /// nesting (which bound recursion), in one walk.
    pub fn extent(&self) -> Extent {
        let mut extent = Extent { nodes: 0, depth: 0 };
        let mut stack = vec![(self, 1)];
        while let Some((n, level)) = stack.pop() {
            extent.nodes += 1;
            extent.depth = extent.depth.max(level);
            match &n.value {
                Value::Seq(items) => stack.extend(items.iter().map(|i| (i, level + 1))),
                Value::Map(entries) => stack.extend(entries.iter().map(|e| (&e.value, level + 1))),
                _ => {}
            }
        }
        extent
    }

    /// Converts to a `serde_json::Value` (positions are dropped).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            // Inserted one by one (the last of equal keys wins, as with `collect`):
            // `BTreeMap`'s `FromIterator` sorts with a stable sort, whose 4 KB of stack would
            // sit in every frame of this recursion (docs/PERFORMANCE.md, stack pages).
            Value::Map(entries) => {
                let mut map = serde_json::Map::new();
                for e in entries {
                    map.insert(e.key.to_string(), e.value.to_json());
                }
                J::Object(map)
            }
        }
    }

    /// Builds a tree (without positions) from an already-parsed JSON value.
    ///
    /// Nesting deeper than `max_depth` is refused, so that no recursion on the result can run
    /// out of stack.
    pub fn from_json(value: &serde_json::Value, max_depth: usize) -> Result<Node, DepthError> {
        use serde_json::Value as J;
        if max_depth == 0 {
            return Err(DepthError);
        }
        let v = match value {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => Value::String(s.clone()),
            J::Array(items) => Value::Seq(
                items
                    .iter()
                    .map(|i| Node::from_json(i, max_depth - 1))
                    .collect::<Result<_, _>>()?,
            ),
            J::Object(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| {
                        Ok(Entry {
                            key: k.clone().into(),
                            key_span: None,
                            value: Node::from_json(v, max_depth - 1)?,
                        })
                    })
                    .collect::<Result<_, _>>()?,
            ),
        };
        Ok(Node::new(v))
    }
}

/// The size of a subtree ([`Node::extent`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extent {
    /// Nodes in the subtree, itself included.
    pub nodes: usize,
    /// Levels of nesting: 1 for a scalar or an empty collection, as [`Node::from_json`]'s
    /// `max_depth` counts them.
    pub depth: usize,
}

/// Locates paths in one tree ([`Node::locate`], [`Node::locate_key`]), finding the members of
/// large mappings through an index built on first use: one diagnostic per member of a mapping
/// with thousands of members stays linear.
pub struct Locator<'t> {
    root: &'t Node,
    /// Member indices of the large mappings met so far, by the mapping's address.
    indices: HashMap<*const Node, HashMap<&'t str, usize>>,
}

impl<'t> Locator<'t> {
    /// Mappings up to this size are scanned.
    const SCAN_LIMIT: usize = 16;

    /// A locator for paths in `root`.
    pub fn new(root: &'t Node) -> Locator<'t> {
        Locator {
            root,
            indices: HashMap::new(),
        }
    }

    /// [`Node::locate`] in the root.
    pub fn locate(&mut self, path: &Path) -> Option<Span> {
        let mut node = self.root;
        let mut best = node.span;
        for seg in path.segments() {
            let next = match seg {
                Segment::Key(k) => match self.member(node, k) {
                    Some(e) => {
                        best = e.value.span.or(e.key_span).or(best);
                        &e.value
                    }
                    None => return best,
                },
                Segment::Index(i) => match node.as_seq().and_then(|s| s.get(*i)) {
                    Some(n) => {
                        best = n.span.or(best);
                        n
                    }
                    None => return best,
                },
            };
            node = next;
        }
        best
    }

    /// [`Node::locate_key`] in the root.
    pub fn locate_key(&mut self, path: &Path) -> Option<Span> {
        let Some((parent, last)) = path.split_last() else {
            return self.root.span;
        };
        if let Some(Segment::Key(k)) = last {
            let mut node = Some(self.root);
            for seg in parent.segments() {
                node = node.and_then(|n| match seg {
                    Segment::Key(k) => self.member(n, k).map(|e| &e.value),
                    Segment::Index(i) => n.as_seq()?.get(*i),
                });
            }
            if let Some(span) = node
                .and_then(|p| self.member(p, k))
                .and_then(|e| e.key_span.or(e.value.span))
            {
                return Some(span);
            }
        }
        self.locate(path)
    }

    /// The member `key` of `node`, when it is a mapping that has it.
    fn member(&mut self, node: &'t Node, key: &str) -> Option<&'t Entry> {
        let entries = node.as_map()?;
        if entries.len() <= Self::SCAN_LIMIT {
            return entries.iter().find(|e| e.key == key);
        }
        let index = self.indices.entry(node as *const Node).or_insert_with(|| {
            entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key.as_ref(), i))
                .collect()
        });
        index.get(key).map(|&i| &entries[i])
    }
}

/// A value nested deeper than the allowed limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepthError;

impl serde::Serialize for Node {
    /// Serializes as plain JSON, keeping mapping members in their order (Go's struct order for
    /// derived run configs, source order for read documents).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match &self.value {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => serializer.serialize_i64(*i),
            Value::Float(f) => serializer.serialize_f64(*f),
            Value::String(s) => serializer.serialize_str(s),
            Value::Seq(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for e in entries {
                    map.serialize_entry(&e.key, &e.value)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Locator;
    use crate::parse::parse_text;
    use crate::path::Path;

    #[test]
    fn the_locator_finds_what_the_tree_finds() {
        // A mapping past the scanned size (indexed), one below it, sequences, missing members.
        let mut text = String::from("spec:\n  small: {a: 1, b: [x, y]}\n  big:\n");
        for i in 0..50 {
            text.push_str(&format!("    k{i}: {{v: {i}}}\n"));
        }
        let root = parse_text(&text).expect("parses").remove(0).root;
        let mut locator = Locator::new(&root);
        let mut paths = vec![
            "spec",
            "spec.small.a",
            "spec.small.b[1]",
            "spec.small.b[7]",
            "spec.small.missing",
            "spec.big.missing.deeper",
            "nowhere",
        ];
        let keys: Vec<String> = (0..50)
            .flat_map(|i| [format!("spec.big.k{i}"), format!("spec.big.k{i}.v")])
            .collect();
        paths.extend(keys.iter().map(String::as_str));
        for p in paths {
            let path = Path::parse(p);
            assert_eq!(locator.locate(&path), root.locate(&path), "{p}");
            assert_eq!(locator.locate_key(&path), root.locate_key(&path), "{p}");
        }
        let k49 = Path::parse("spec.big.k49");
        let text = crate::position::SourceText::new(&text);
        let line = |s: crate::tree::Span| text.locate(s.start).line;
        assert_eq!(locator.locate_key(&k49).map(line), Some(53));
    }
}
