//! A small builder for the run-config tree, with Go's `omitempty` as a method.

use std::borrow::Cow;

use crate::tree::{Entry, Node, Value};

/// An object under construction, members in insertion (Go struct) order.
#[derive(Default)]
pub struct Obj(Vec<Entry>);

/// A string node.
pub fn s(v: &str) -> Node {
    Node::new(Value::String(v.to_owned()))
}

/// A list of strings.
pub fn list(v: &[String]) -> Node {
    Node::new(Value::Seq(v.iter().map(|x| s(x)).collect()))
}

impl Obj {
    /// An empty object.
    pub fn new() -> Obj {
        Obj::default()
    }

    /// Adds a member unconditionally.
    pub fn put(mut self, key: &'static str, value: Node) -> Obj {
        self.0.push(Entry {
            key: Cow::Borrowed(key),
            key_span: None,
            value,
        });
        self
    }

    /// Adds a string member unconditionally (no `omitempty`).
    pub fn str(self, key: &'static str, value: &str) -> Obj {
        self.put(key, s(value))
    }

    /// Adds a string member unless it is empty (`omitempty`).
    pub fn str_oe(self, key: &'static str, value: &str) -> Obj {
        if value.is_empty() {
            self
        } else {
            self.str(key, value)
        }
    }

    /// Adds a string-list member unless it is empty (`omitempty`).
    pub fn list_oe(self, key: &'static str, value: &[String]) -> Obj {
        if value.is_empty() {
            self
        } else {
            self.put(key, list(value))
        }
    }

    /// Adds a member when present (`omitempty` on a pointer).
    pub fn opt(self, key: &'static str, value: Option<Node>) -> Obj {
        match value {
            Some(v) => self.put(key, v),
            None => self,
        }
    }

    /// Adds a boolean member when true (`omitempty`).
    pub fn flag_oe(self, key: &'static str, value: bool) -> Obj {
        if value {
            self.put(key, Node::new(Value::Bool(true)))
        } else {
            self
        }
    }

    /// Finishes the object.
    pub fn build(self) -> Node {
        Node::new(Value::Map(self.0))
    }
}
