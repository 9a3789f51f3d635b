//! Reading JSON straight into the tree, without a `serde_json::Value` in between.
//!
//! The Kubewarden policy receives the object as JSON inside its payload. Reading it into a
//! `serde_json::Value` and then converting that with [`Node::from_json`] built two trees of
//! the same object; [`Node::read_json`] builds only the second. The tree is the one
//! `from_json` builds from the `Value` serde_json would have read, so that every rule sees the
//! same thing either way:
//!
//! - mapping members sorted by key (a `Value`'s map is a `BTreeMap`), the last of duplicate
//!   keys kept (the `BTreeMap` keeps the last insert);
//! - numbers as `Int` when they fit in an `i64`, else as `Float` (`as_i64`, then `as_f64`);
//! - no positions.

use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{DepthError, Entry, Node, Value};

impl Node {
    /// Reads one JSON value from a serde deserializer into a tree, at most `max_depth` levels
    /// deep (the root is level 1, as in [`Node::from_json`]).
    ///
    /// The error is the deserializer's own (syntax) error. Nesting deeper than `max_depth` is
    /// not a syntax error: the deeper values are skipped unbuilt, left out of the tree as
    /// `null`, and the second member of the answer is `Some(DepthError)`, where `from_json`
    /// would have refused the same value. The shallower part is still there, so that a
    /// caller can say what the value was before saying it is too deep.
    pub fn read_json<'de, D: Deserializer<'de>>(
        deserializer: D,
        max_depth: usize,
    ) -> Result<(Node, Option<DepthError>), D::Error> {
        let too_deep = Cell::new(false);
        let node = NodeSeed {
            remaining: max_depth,
            too_deep: &too_deep,
        }
        .deserialize(deserializer)?;
        Ok((node, too_deep.get().then_some(DepthError)))
    }
}

/// Reads a value `remaining` levels from the depth limit; past the limit, skips it and sets
/// `too_deep`.
#[derive(Clone, Copy)]
struct NodeSeed<'a> {
    remaining: usize,
    too_deep: &'a Cell<bool>,
}

impl NodeSeed<'_> {
    fn child(self) -> Self {
        NodeSeed {
            remaining: self.remaining - 1,
            ..self
        }
    }
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        if self.remaining == 0 {
            d.deserialize_ignored_any(IgnoredAny)?;
            self.too_deep.set(true);
            return Ok(Node::new(Value::Null));
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::new(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::new(Value::Null))
    }

    fn visit_bool<E>(self, b: bool) -> Result<Node, E> {
        Ok(Node::new(Value::Bool(b)))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Node, E> {
        Ok(Node::new(Value::Int(i)))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Node, E> {
        Ok(Node::new(match i64::try_from(u) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(u as f64),
        }))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Node, E> {
        Ok(Node::new(Value::Float(f)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Node, E> {
        Ok(Node::new(Value::String(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Node, E> {
        Ok(Node::new(Value::String(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child())? {
            items.push(item);
        }
        Ok(Node::new(Value::Seq(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            entries.push(Entry {
                key: key.into(),
                key_span: None,
                value: map.next_value_seed(self.child())?,
            });
        }
        sort_keeping_last(&mut entries);
        Ok(Node::new(Value::Map(entries)))
    }
}

/// Sorts members by key and keeps only the last of each key, as a `BTreeMap` filled in order
/// would.
/// Objects sent by the API server are already sorted (Go marshals maps sorted by key): only
/// the check runs, and the sort, with the 4 KB of stack a stable sort reserves, stays out of the
/// reader's frames.
fn sort_keeping_last(entries: &mut Vec<Entry>) {
    if !entries.windows(2).all(|w| w[0].key < w[1].key) {
        sort_unsorted(entries);
    }
}

#[cold]
#[inline(never)]
fn sort_unsorted(entries: &mut Vec<Entry>) {
    // Stable: members with the same key stay in their order, the last one last.
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    entries.dedup_by(|later, kept| {
        let same = later.key == kept.key;
        if same {
            std::mem::swap(later, kept);
        }
        same
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, max_depth: usize) -> Result<Node, DepthError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let (node, too_deep) = Node::read_json(&mut de, max_depth).expect("valid JSON");
        de.end().expect("one value");
        too_deep.map_or(Ok(node), Err)
    }

    fn via_value(text: &str, max_depth: usize) -> Result<Node, DepthError> {
        let value: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
        Node::from_json(&value, max_depth)
    }

    #[test]
    fn builds_the_tree_from_json_builds() {
        for text in [
            r#"{"b": 1, "a": {"z": [1, 2.5, -3, "x", null, true]}, "c": {}}"#,
            r#"{"k": 1, "k": 2, "a": 0, "k": {"deep": [[]]}}"#,
            r#"{"é": 1, "e": 2, "E": 3, "": 4}"#,
            r#"{"a": [{"b": [1, {"c": 2}], "a": 0}, [3, [4]], {}], "b": {"x": {"y": [5]}, "w": 6}}"#,
            r#"[{"k": [{"k": [{"k": 1}]}]}, [], [[], [[]]]]"#,
            r#"[18446744073709551615, 9223372036854775807, -9223372036854775808, 1e300, -0, 0.0]"#,
            r#""a\u0000b\n""#,
            "null",
        ] {
            assert_eq!(read(text, 64), via_value(text, 64), "{text}");
        }
    }

    #[test]
    fn the_last_of_duplicate_keys_wins() {
        let node = read(r#"{"k": 1, "a": 0, "k": 2}"#, 64).unwrap();
        assert_eq!(node.keys().collect::<Vec<_>>(), ["a", "k"]);
        assert_eq!(node.get("k").unwrap().value, Value::Int(2));
    }

    #[test]
    fn nesting_past_the_limit_is_a_depth_error_not_a_syntax_error() {
        for (depth, limit) in [(3, 3), (4, 3), (10, 3), (64, 64), (65, 64), (120, 64)] {
            let text = format!("{}1{}", "[".repeat(depth - 1), "]".repeat(depth - 1));
            let got = read(&text, limit);
            assert_eq!(got.is_ok(), depth <= limit, "depth {depth}, limit {limit}");
            assert_eq!(got, via_value(&text, limit), "depth {depth}, limit {limit}");
        }
        // What is left is the shallower part, the rest null.
        let mut de = serde_json::Deserializer::from_str(r#"{"a": {"b": [1]}, "c": 2}"#);
        let (node, too_deep) = Node::read_json(&mut de, 2).unwrap();
        assert_eq!(too_deep, Some(DepthError));
        assert_eq!(node.get("a").unwrap().get("b").unwrap().value, Value::Null);
        assert_eq!(node.get("c").unwrap().value, Value::Int(2));
    }

    #[test]
    fn syntax_errors_are_the_parser_s() {
        let mut de = serde_json::Deserializer::from_str(r#"{"a": [1, }"#);
        let err = Node::read_json(&mut de, 64).unwrap_err();
        assert!(err.is_syntax(), "{err}");
    }
}
