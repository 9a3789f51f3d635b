//! Converting the YAML reader's positions (characters, lines, columns) into the offsets other
//! tools need: UTF-8 bytes for Rust slicing, UTF-16 code units for JavaScript editors.

use crate::tree::{Pos, Span};

/// One source text and its line index, built on first use (only when a diagnostic needs an
/// offset).
#[derive(Debug)]
pub struct SourceText<'a> {
    text: &'a str,
    ascii: bool,
    index: std::cell::OnceCell<LineIndex>,
}

impl<'a> SourceText<'a> {
    /// Wraps a text.
    pub fn new(text: &'a str) -> SourceText<'a> {
        SourceText {
            text,
            ascii: text.is_ascii(),
            index: std::cell::OnceCell::new(),
        }
    }

    /// The text of a span that lies on one line (a scalar as written); `None` otherwise.
    pub fn span_text(&self, span: Span) -> Option<&'a str> {
        if span.start.line != span.end.line || span.end.column < span.start.column {
            return None;
        }
        if self.ascii {
            // A character index is a byte offset: slice directly.
            let (from, to) = (span.start.char_index as usize, span.end.char_index as usize);
            return self.text.get(from..to);
        }
        let line = self
            .index
            .get_or_init(|| LineIndex::new(self.text))
            .line_text(self.text, span.start.line);
        let mut chars = line.char_indices().map(|(i, _)| i).chain([line.len()]);
        let from = chars.nth(span.start.column.saturating_sub(1) as usize)?;
        let to = if span.end.column == span.start.column {
            from
        } else {
            chars.nth((span.end.column - span.start.column - 1) as usize)?
        };
        line.get(from..to)
    }

    /// The UTF-16 offset of `pos` in the text.
    pub fn utf16_offset(&self, pos: Pos) -> u32 {
        if self.ascii {
            // Every character is one UTF-16 code unit: no index needed.
            return pos.char_index;
        }
        self.index
            .get_or_init(|| LineIndex::new(self.text))
            .utf16_offset(self.text, pos)
    }
}

/// Per-line start offsets of one source text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    text_len: usize,
    /// Byte offset where each line starts.
    line_bytes: Vec<usize>,
    /// UTF-16 offset where each line starts.
    line_utf16: Vec<usize>,
    /// Whether the text is pure ASCII (then every offset is the character index).
    ascii: bool,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut line_bytes = vec![0];
        let mut line_utf16 = vec![0];
        let mut utf16 = 0usize;
        for (i, c) in text.char_indices() {
            utf16 += c.len_utf16();
            if c == '\n' {
                line_bytes.push(i + 1);
                line_utf16.push(utf16);
            }
        }
        LineIndex {
            text_len: text.len(),
            line_bytes,
            line_utf16,
            ascii: text.is_ascii(),
        }
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line_text<'t>(&self, text: &'t str, line: u32) -> &'t str {
        let i = (line as usize).saturating_sub(1);
        let Some(&start) = self.line_bytes.get(i) else {
            return "";
        };
        let end = self.line_bytes.get(i + 1).copied().unwrap_or(self.text_len);
        text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The UTF-16 offset of `pos`, saturating at `u32::MAX`.
    pub fn utf16_offset(&self, text: &str, pos: Pos) -> u32 {
        let offset = if self.ascii {
            pos.char_index as usize
        } else {
            let i = (pos.line as usize)
                .saturating_sub(1)
                .min(self.line_utf16.len() - 1);
            let line = self.line_text(text, pos.line);
            let within: usize = line
                .chars()
                .take(pos.column.saturating_sub(1) as usize)
                .map(char::len_utf16)
                .sum();
            self.line_utf16[i] + within
        };
        u32::try_from(offset).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        let text = "a: é\nb: 😀x\n";
        let idx = LineIndex::new(text);
        // 'x' is line 2, column 5 (b, :, space, 😀, x): UTF-16 offset 5 (line 1) + 3 + 2.
        let pos = Pos {
            char_index: 9,
            line: 2,
            column: 5,
        };
        assert_eq!(idx.utf16_offset(text, pos), 10);
        assert_eq!(idx.line_text(text, 2), "b: 😀x");
    }

    #[test]
    fn ascii_uses_char_index() {
        let text = "abc\ndef\n";
        let src = SourceText::new(text);
        let pos = Pos {
            char_index: 5,
            line: 2,
            column: 2,
        };
        assert_eq!(src.utf16_offset(pos), 5);
    }
}
