//! The fast path: a reader for the plain block YAML that manifests are almost always written
//! in, producing exactly the documents (values *and* positions) that the full reader would.
//!
//! It reads block mappings and sequences, single-line plain and quoted scalars without escapes,
//! one-line flow sequences of scalars, comments and `---` separators. At the first thing outside
//! that subset — anchors, aliases, tags, block scalars, flow mappings, multi-line scalars,
//! escapes, tabs, carriage returns, duplicate keys, non-string keys, anything malformed — it
//! gives up and returns `None`, and [`super::parse_text`] hands the whole text to
//! `saphyr-parser`. So the full reader stays the single authority on YAML: this module never
//! produces an error, and every document it does produce is compared with the full reader's in
//! the tests (`tests/fast_reader.rs`) and by the fuzz target.
//!
//! Positions follow `saphyr-parser`'s conventions, which the rest of the crate relies on: a
//! block collection starts at its first key or dash (an indentless sequence at its first item's
//! content) and ends where the next token starts; an empty value sits, zero-width, on its
//! colon; columns and indices count characters.

use super::{resolve_plain, yaml12_reading, DuplicateKeys, ParsedDocument, MAX_DEPTH};
use crate::tree::{Entry, Node, Pos, Span, Value};

/// Reads `text` if it lies entirely within the subset; `None` hands it to the full reader.
pub(super) fn read(text: &str) -> Option<Vec<ParsedDocument>> {
    // Merge keys (`<<`) are the full reader's.
    if text.contains("<<") {
        return None;
    }
    let mut reader = Reader::new(text)?;
    let mut docs = Vec::new();
    loop {
        let doc_line = match reader.peek {
            Peek::Eof => break,
            Peek::DocStart(line) => {
                reader.advance(line)?;
                line.no
            }
            // Content without a `---` starts only the first document.
            Peek::Line(line) if docs.is_empty() && !reader.marker_seen => line.no,
            Peek::Line(_) => return None,
        };
        reader.marker_seen = true;
        let Peek::Line(line) = reader.peek else {
            continue; // an empty document: skipped, as the full reader does
        };
        let root = reader.node(line, line.indent, 1)?;
        if !matches!(root.value, Value::Map(_)) {
            return None;
        }
        if let Peek::Line(_) = reader.peek {
            return None; // content less indented than the root
        }
        if docs.len() == super::MAX_DOCUMENTS {
            return None; // the full reader says why
        }
        docs.push(ParsedDocument {
            index: docs.len(),
            line: doc_line,
            root,
            ambiguous: Vec::new(),
        });
    }
    (!docs.is_empty()).then_some(docs)
}

/// A plain value scalar, as kubectl reads it; `None` (the full reader's) where YAML 1.2 reads
/// it otherwise, since the full reader notes those for the report.
fn plain(text: &str) -> Option<Value> {
    let value = resolve_plain(text.into());
    yaml12_reading(text, &value).is_none().then_some(value)
}

/// One line of the text: byte range (without the line break), 1-based number, the character
/// index of its first byte, and its indentation in spaces.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
    no: u32,
    char_start: usize,
    indent: usize,
    ascii: bool,
}

/// The next line that matters: content, a `---` document marker, or the end of the text.
#[derive(Clone, Copy, Debug)]
enum Peek {
    Line(Line),
    DocStart(Line),
    Eof,
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    peek: Peek,
    /// Where the text ends, as a position.
    eof: Pos,
    /// Whether a document has started (a later document needs a `---`).
    marker_seen: bool,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Option<Reader<'a>> {
        let mut reader = Reader {
            text,
            bytes: text.as_bytes(),
            peek: Peek::Eof,
            eof: Pos::default(),
            marker_seen: false,
        };
        reader.peek = reader.scan(0, 1, 0)?;
        Some(reader)
    }

    /// Finds the next content line, marker or end from byte `start` (a line start), skipping
    /// blank and comment lines. `None` for lines outside the subset.
    fn scan(&mut self, mut start: usize, mut no: u32, mut char_start: usize) -> Option<Peek> {
        loop {
            if start >= self.bytes.len() {
                self.eof = Pos {
                    char_index: u32::try_from(char_start).ok()?,
                    line: no,
                    column: 1,
                };
                return Some(Peek::Eof);
            }
            let mut end = start;
            let mut chars = 0usize;
            while let Some(&b) = self.bytes.get(end) {
                match b {
                    b'\n' => break,
                    // Tabs, carriage returns and other control characters: the full reader's.
                    0..=0x1f | 0x7f => return None,
                    _ => {}
                }
                if b & 0xC0 != 0x80 {
                    chars += 1;
                }
                end += 1;
            }
            if chars != end - start && has_special_char(&self.text[start..end]) {
                return None;
            }
            let line_bytes = &self.bytes[start..end];
            let indent = line_bytes.iter().take_while(|&&b| b == b' ').count();
            let line = Line {
                start,
                end,
                no,
                char_start,
                indent,
                ascii: chars == end - start,
            };
            match line_bytes.get(indent) {
                None | Some(b'#') => {}
                Some(_) if indent == 0 => {
                    if line_bytes.starts_with(b"---") && is_blank_or_comment(&line_bytes[3..]) {
                        return Some(Peek::DocStart(line));
                    }
                    if line_bytes.starts_with(b"...")
                        || line_bytes.starts_with(b"---")
                        || line_bytes[0] == b'%'
                    {
                        return None;
                    }
                    return Some(Peek::Line(line));
                }
                Some(_) => return Some(Peek::Line(line)),
            }
            if end >= self.bytes.len() {
                // The last line, without a line break, is blank or a comment: where the full
                // reader then places the end of the text varies; it decides.
                return None;
            }
            start = end + 1;
            no = no.checked_add(1)?;
            char_start += chars + 1;
        }
    }

    /// Moves past `line` to the next line that matters.
    fn advance(&mut self, line: Line) -> Option<()> {
        let chars = if line.ascii {
            line.end - line.start
        } else {
            char_count(&self.bytes[line.start..line.end])
        };
        if line.end >= self.bytes.len() {
            self.eof = end_of_text(line.char_start + chars, line.no)?;
            self.peek = Peek::Eof;
            return Some(());
        }
        self.peek = self.scan(
            line.end + 1,
            line.no.checked_add(1)?,
            line.char_start + chars + 1,
        )?;
        Some(())
    }

    /// The position of byte `at` of `line`.
    fn pos(&self, line: Line, at: usize) -> Pos {
        let chars = if line.ascii {
            at - line.start
        } else {
            char_count(&self.bytes[line.start..at])
        };
        Pos {
            char_index: u32::try_from(line.char_start + chars).unwrap_or(u32::MAX),
            line: line.no,
            column: u32::try_from(chars + 1).unwrap_or(u32::MAX),
        }
    }

    /// Where the enclosing blocks end: the start of the next token.
    fn next_token_pos(&self) -> Pos {
        match self.peek {
            Peek::Line(line) | Peek::DocStart(line) => self.pos(line, line.start + line.indent),
            Peek::Eof => self.eof,
        }
    }

    /// A block node whose first token is at byte column `col` of `line`.
    fn node(&mut self, line: Line, col: usize, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH / 2 {
            return None;
        }
        if is_dash(self.bytes, line, col) {
            self.sequence(line, col, false, depth)
        } else {
            self.mapping(line, col, depth)
        }
    }

    /// A block mapping whose keys sit at byte column `col` (the first one on `line`, perhaps
    /// after a sequence dash).
    fn mapping(&mut self, first: Line, col: usize, depth: usize) -> Option<Node> {
        let start = self.pos(first, first.start + col);
        let mut entries: Vec<Entry> = Vec::new();
        let mut keys = DuplicateKeys::default();
        let mut line = first;
        loop {
            let key = self.key(line, line.start + col)?;
            if keys.find(&entries, &key.text).is_some() {
                return None; // the full reader reports the duplicate
            }
            let after = skip_spaces(self.bytes, key.after, line.end);
            let value = if is_blank_or_comment_at(self.bytes, key.after, line.end) {
                self.advance(line)?;
                match self.peek {
                    Peek::Line(next) if next.indent > col => {
                        self.node(next, next.indent, depth + 1)?
                    }
                    Peek::Line(next) if next.indent == col && is_dash(self.bytes, next, col) => {
                        self.sequence(next, col, true, depth + 1)?
                    }
                    _ => {
                        let at = self.pos(line, key.after - 1);
                        Node {
                            value: Value::Null,
                            span: Some(Span::between(at, at)),
                        }
                    }
                }
            } else {
                let value = self.inline(line, after)?;
                self.advance(line)?;
                if let Peek::Line(next) = self.peek {
                    if next.indent > col {
                        return None; // a continuation line: a multi-line scalar
                    }
                }
                value
            };
            entries.push(Entry {
                key: key.text.into(),
                key_span: Some(key.span),
                value,
            });
            match self.peek {
                Peek::Line(next) if next.indent == col => {
                    if is_dash(self.bytes, next, col) {
                        return None;
                    }
                    line = next;
                }
                Peek::Line(next) if next.indent > col => return None,
                _ => break,
            }
        }
        let end = self.next_token_pos();
        Some(Node {
            value: Value::Map(entries),
            span: Some(Span::between(start, end)),
        })
    }

    /// A block sequence whose dashes sit at byte column `col`. An indentless sequence (a
    /// mapping value whose dashes line up with the mapping's keys) ends at the next key.
    fn sequence(
        &mut self,
        first: Line,
        col: usize,
        indentless: bool,
        depth: usize,
    ) -> Option<Node> {
        let mut items = Vec::new();
        let mut start = None;
        let mut line = first;
        loop {
            let content = skip_spaces(self.bytes, line.start + col + 1, line.end);
            if is_blank_or_comment_at(self.bytes, line.start + col + 1, line.end)
                || is_dash(self.bytes, line, content - line.start)
            {
                return None; // an item on the following lines, or a nested compact sequence
            }
            let dash = self.pos(line, line.start + col);
            start.get_or_insert(if indentless {
                self.pos(line, content)
            } else {
                dash
            });
            let item = if self.is_key(line, content) {
                if depth + 1 > MAX_DEPTH / 2 {
                    return None;
                }
                self.mapping(line, content - line.start, depth + 1)?
            } else {
                let item = self.inline(line, content)?;
                self.advance(line)?;
                if let Peek::Line(next) = self.peek {
                    if next.indent > col {
                        return None; // a continuation line
                    }
                }
                item
            };
            items.push(item);
            match self.peek {
                Peek::Line(next) if next.indent == col && is_dash(self.bytes, next, col) => {
                    line = next;
                }
                Peek::Line(next) if next.indent == col && indentless => break,
                Peek::Line(next) if next.indent >= col => return None,
                _ => break,
            }
        }
        let end = self.next_token_pos();
        Some(Node {
            value: Value::Seq(items),
            span: Some(Span::between(start?, end)),
        })
    }

    /// Whether a mapping key (a single-line scalar followed by `:` and a space or the line's
    /// end) starts at byte `at` of `line`.
    fn is_key(&self, line: Line, at: usize) -> bool {
        match self.bytes.get(at) {
            Some(b'"' | b'\'') => self
                .quoted(line, at)
                .is_some_and(|(_, end)| key_colon(self.bytes, end, line.end).is_some()),
            Some(_) => plain_key_end(self.bytes, at, line.end).is_some(),
            None => false,
        }
    }

    /// The mapping key at byte `at` of `line`.
    fn key(&self, line: Line, at: usize) -> Option<Key> {
        let (text, end, after) = match self.bytes.get(at)? {
            b'"' | b'\'' => {
                // A quoted key's span takes in the spaces before its colon.
                let (text, end) = self.quoted(line, at)?;
                let after = key_colon(self.bytes, end, line.end)?;
                (
                    text.to_owned(),
                    skip_spaces(self.bytes, end, line.end),
                    after,
                )
            }
            _ => {
                if !plain_start(self.bytes, at, line.end, false) {
                    return None;
                }
                let (end, after) = plain_key_end(self.bytes, at, line.end)?;
                let text = &self.text[at..end];
                match plain(text)? {
                    Value::String(s) => (s, end, after),
                    _ => return None, // keys that read as numbers, booleans or null
                }
            }
        };
        if after - at > MAX_KEY_BYTES {
            return None; // YAML limits implicit keys to 1024 characters
        }
        Some(Key {
            text,
            span: Span::between(self.pos(line, at), self.pos(line, end)),
            after,
        })
    }

    /// A scalar or one-line flow sequence at byte `at` of `line`, which must end the line
    /// (a comment may follow).
    fn inline(&self, line: Line, at: usize) -> Option<Node> {
        // A quoted scalar or flow sequence ends, for the full reader, where the line ends
        // (trailing spaces and comment included); a plain scalar at its last character.
        let (value, end, span_end) = match self.bytes.get(at)? {
            b'"' | b'\'' => {
                let (text, end) = self.quoted(line, at)?;
                (Value::String(text.to_owned()), end, line.end)
            }
            b'[' => {
                let (value, end) = self.flow_sequence(line, at)?;
                (value, end, line.end)
            }
            _ => {
                if !plain_start(self.bytes, at, line.end, false) {
                    return None;
                }
                let end = plain_value_end(self.bytes, at, line.end)?;
                (plain(&self.text[at..end])?, end, end)
            }
        };
        if !is_blank_or_comment_at(self.bytes, end, line.end) {
            return None;
        }
        Some(Node {
            value,
            span: Some(Span::between(self.pos(line, at), self.pos(line, span_end))),
        })
    }

    /// A quoted scalar without escapes at byte `at`: its text and the byte after the closing
    /// quote.
    fn quoted(&self, line: Line, at: usize) -> Option<(&'a str, usize)> {
        let quote = *self.bytes.get(at)?;
        let body = at + 1;
        let close = body
            + self.bytes[body..line.end]
                .iter()
                .position(|&b| b == quote)?;
        let text = &self.text[body..close];
        if quote == b'"' && text.contains('\\') {
            return None; // escapes: left to the full reader
        }
        if quote == b'\'' && self.bytes.get(close + 1) == Some(&b'\'') {
            return None; // '' inside single quotes
        }
        Some((text, close + 1))
    }

    /// A flow sequence of scalars on one line, from its `[` at byte `at`.
    fn flow_sequence(&self, line: Line, at: usize) -> Option<(Value, usize)> {
        let mut items = Vec::new();
        let mut i = skip_spaces(self.bytes, at + 1, line.end);
        if self.bytes.get(i) == Some(&b']') && i < line.end {
            return Some((Value::Seq(items), i + 1));
        }
        loop {
            let (value, end) = match self.bytes.get(i) {
                Some(b'"' | b'\'') if i < line.end => {
                    // A quoted item's span takes in the spaces after it.
                    let (text, end) = self.quoted(line, i)?;
                    (
                        Value::String(text.to_owned()),
                        skip_spaces(self.bytes, end, line.end),
                    )
                }
                Some(_) if i < line.end && plain_start(self.bytes, i, line.end, true) => {
                    let end = plain_flow_end(self.bytes, i, line.end)?;
                    (plain(&self.text[i..end])?, end)
                }
                _ => return None,
            };
            items.push(Node {
                value,
                span: Some(Span::between(self.pos(line, i), self.pos(line, end))),
            });
            i = skip_spaces(self.bytes, end, line.end);
            match self.bytes.get(i) {
                Some(b',') if i < line.end => {
                    i = skip_spaces(self.bytes, i + 1, line.end);
                    if matches!(self.bytes.get(i), Some(b']') | None) || i >= line.end {
                        return None; // a trailing comma
                    }
                }
                Some(b']') if i < line.end => return Some((Value::Seq(items), i + 1)),
                _ => return None,
            }
        }
    }
}

/// Longest key the fast path reads (YAML's limit on implicit keys is 1024 characters, counted
/// in a way left to the full reader).
const MAX_KEY_BYTES: usize = 512;

/// A mapping key: its text, where it is written, and the byte after its colon.
struct Key {
    text: String,
    span: Span,
    after: usize,
}

/// The end of a text whose last line (`line`) has no line break: the full reader places it
/// as if the break were there, at the start of the next line.
fn end_of_text(char_index: usize, line: u32) -> Option<Pos> {
    Some(Pos {
        char_index: u32::try_from(char_index).ok()?,
        line: line.checked_add(1)?,
        column: 1,
    })
}

/// Characters YAML treats specially outside ASCII: C1 controls (U+0085 is a line break in
/// YAML 1.1), the line and paragraph separators, byte-order marks and non-characters.
fn has_special_char(line: &str) -> bool {
    line.chars().any(|c| {
        matches!(
            c,
            '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
    })
}

fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

fn skip_spaces(bytes: &[u8], mut at: usize, end: usize) -> usize {
    while at < end && bytes[at] == b' ' {
        at += 1;
    }
    at
}

/// Whether the rest of a line from `at` is spaces, perhaps followed by a comment. A comment
/// right after a token (no space between) is not a comment in YAML.
fn is_blank_or_comment_at(bytes: &[u8], at: usize, end: usize) -> bool {
    let next = skip_spaces(bytes, at, end);
    next >= end || (bytes[next] == b'#' && next > at)
}

fn is_blank_or_comment(rest: &[u8]) -> bool {
    is_blank_or_comment_at(rest, 0, rest.len())
}

/// Whether a sequence dash (`-` then a space or the line's end) is at byte column `col`.
fn is_dash(bytes: &[u8], line: Line, col: usize) -> bool {
    let at = line.start + col;
    at < line.end && bytes[at] == b'-' && (at + 1 == line.end || bytes[at + 1] == b' ')
}

/// After a quoted key ending at `end`: optional spaces, a colon, then a space or the line's
/// end. The byte after the colon.
fn key_colon(bytes: &[u8], end: usize, line_end: usize) -> Option<usize> {
    let colon = skip_spaces(bytes, end, line_end);
    (colon < line_end && bytes[colon] == b':' && is_separator(bytes, colon + 1, line_end))
        .then_some(colon + 1)
}

fn is_separator(bytes: &[u8], at: usize, end: usize) -> bool {
    at >= end || bytes[at] == b' '
}

/// Whether a plain scalar may start at `at`: not an indicator (`-` only when a non-space
/// follows — and, in a flow collection, not a flow indicator; `:` and `?` are left to the full
/// reader).
fn plain_start(bytes: &[u8], at: usize, end: usize, flow: bool) -> bool {
    match bytes[at] {
        b'-' => {
            let next_ends_it = is_separator(bytes, at + 1, end)
                || (flow && matches!(bytes[at + 1], b',' | b'[' | b']' | b'{' | b'}'));
            !next_ends_it
        }
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
        | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' => false,
        _ => true,
    }
}

/// A plain key from `at`: the byte after its last non-space character and the byte after
/// its colon. `None` when the line holds no `: ` before a comment.
fn plain_key_end(bytes: &[u8], at: usize, end: usize) -> Option<(usize, usize)> {
    let mut i = at;
    while i < end {
        match bytes[i] {
            b':' if is_separator(bytes, i + 1, end) => {
                let mut last = i;
                while last > at && bytes[last - 1] == b' ' {
                    last -= 1;
                }
                return Some((last, i + 1));
            }
            b'#' if i > at && bytes[i - 1] == b' ' => return None,
            _ => i += 1,
        }
    }
    None
}

/// A plain value from `at` in block context: the byte after its last non-space character.
/// `None` if the line holds a `: ` (a mapping where a value was expected).
fn plain_value_end(bytes: &[u8], at: usize, end: usize) -> Option<usize> {
    let mut i = at;
    let mut last = at;
    while i < end {
        match bytes[i] {
            b':' if is_separator(bytes, i + 1, end) => return None,
            b'#' if i > at && bytes[i - 1] == b' ' => break,
            b' ' => {}
            _ => last = i + 1,
        }
        i += 1;
    }
    Some(last)
}

/// A plain item from `at` in a flow sequence: the byte after its last non-space character.
/// `None` for anything that would need the full reader (nested flow collections, pairs,
/// comments).
fn plain_flow_end(bytes: &[u8], at: usize, end: usize) -> Option<usize> {
    let mut i = at;
    let mut last = at;
    while i < end {
        match bytes[i] {
            b',' | b']' => return Some(last),
            b'[' | b'{' | b'}' => return None,
            b':' if i + 1 >= end
                || matches!(bytes[i + 1], b' ' | b',' | b']' | b'[' | b'{' | b'}') =>
            {
                return None
            }
            b'#' if i > at && bytes[i - 1] == b' ' => return None,
            b' ' => {}
            // After a space, an indicator is read as the start of something else.
            _ if bytes[i - 1] == b' ' && !plain_start(bytes, i, end, true) => return None,
            _ => last = i + 1,
        }
        i += 1;
    }
    None
}
