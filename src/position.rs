//! Turning the tree's character ranges into what reports and tools need: lines and columns
//! (1-based, in characters), UTF-8 byte offsets for Rust slicing, UTF-16 code units for
//! JavaScript editors. The index is built once per text, and only when a diagnostic or a
//! secret needs a position.

use crate::tree::{Pos, Span};

/// One source text and its line index, built on first use.
#[derive(Debug)]
pub struct SourceText<'a> {
    text: &'a str,
    index: std::cell::OnceCell<LineIndex>,
}

impl<'a> SourceText<'a> {
    /// Wraps a text.
    pub fn new(text: &'a str) -> SourceText<'a> {
        SourceText {
            text,
            index: std::cell::OnceCell::new(),
        }
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(self.text))
    }

    /// The line and column of character `char_index`.
    pub fn locate(&self, char_index: u32) -> Pos {
        self.index().locate(char_index)
    }

    /// The text of a span that lies on one line (a scalar as written); `None` otherwise.
    pub fn span_text(&self, span: Span) -> Option<&'a str> {
        let index = self.index();
        let from = index.byte_offset(self.text, span.start)?;
        let to = index.byte_offset(self.text, span.end)?;
        self.text
            .get(from..to)
            .filter(|t| !t.contains(['\n', '\r']))
    }

    /// The UTF-16 offset of `pos` (as [`locate`](Self::locate) gives it) in the text.
    pub fn utf16_offset(&self, pos: Pos) -> u32 {
        self.index().utf16_offset(self.text, pos)
    }
}

/// Per-line start offsets of one source text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    text_len: usize,
    /// Byte offset where each line starts.
    line_bytes: Vec<usize>,
    /// Character index where each line starts (empty for ASCII text: the byte offsets).
    line_chars: Vec<u32>,
    /// UTF-16 offset where each line starts (empty for ASCII text: the byte offsets).
    line_utf16: Vec<usize>,
    /// The text starts with a byte-order mark, which the reader counts in character indices
    /// but not in the first line's columns.
    bom: bool,
}

impl LineIndex {
    /// Indexes `text`. Lines break after `\n`, and after a `\r` not followed by `\n` (YAML's
    /// line breaks, as the reader counts them).
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        // Whether the line ends at byte `i` (a break that is not the `\r` of a `\r\n`).
        let breaks_at =
            |i: usize| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        let mut line_bytes = vec![0];
        let (mut line_chars, mut line_utf16) = (Vec::new(), Vec::new());
        if text.is_ascii() {
            line_bytes.extend((0..bytes.len()).filter(|&i| breaks_at(i)).map(|i| i + 1));
        } else {
            line_chars.push(0);
            line_utf16.push(0);
            let mut utf16 = 0usize;
            for (chars, (i, c)) in (1u32..).zip(text.char_indices()) {
                utf16 += c.len_utf16();
                if matches!(c, '\n' | '\r') && breaks_at(i) {
                    line_bytes.push(i + 1);
                    line_chars.push(chars);
                    line_utf16.push(utf16);
                }
            }
        }
        LineIndex {
            text_len: text.len(),
            line_bytes,
            line_chars,
            line_utf16,
            bom: text.starts_with('\u{feff}'),
        }
    }

    fn ascii(&self) -> bool {
        self.line_chars.is_empty()
    }

    /// The character index where each line starts, line `i` (0-based) at `i`.
    fn line_char(&self, i: usize) -> u32 {
        if self.ascii() {
            u32::try_from(self.line_bytes[i]).unwrap_or(u32::MAX)
        } else {
            self.line_chars[i]
        }
    }

    /// The line and column of character `char_index`.
    pub fn locate(&self, char_index: u32) -> Pos {
        let lines = self.line_bytes.len();
        // The last line starting at or before the character.
        let (mut lo, mut hi) = (0, lines);
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if self.line_char(mid) <= char_index {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let column = char_index - self.line_char(lo) + 1;
        Pos {
            char_index,
            line: u32::try_from(lo + 1).unwrap_or(u32::MAX),
            column: if lo == 0 && self.bom {
                column.saturating_sub(1).max(1)
            } else {
                column
            },
        }
    }

    /// The byte offset of character `char_index` (`None` past the end of the text).
    fn byte_offset(&self, text: &str, char_index: u32) -> Option<usize> {
        if self.ascii() {
            return Some(char_index as usize).filter(|&b| b <= self.text_len);
        }
        let line = self.locate(char_index).line as usize - 1;
        let start = self.line_bytes[line];
        let rest = &text[start..];
        rest.char_indices()
            .map(|(i, _)| i)
            .chain([rest.len()])
            .nth((char_index - self.line_char(line)) as usize)
            .map(|i| start + i)
    }

    /// The UTF-16 offset of `pos`, saturating at `u32::MAX`.
    pub fn utf16_offset(&self, text: &str, pos: Pos) -> u32 {
        let offset = if self.ascii() {
            pos.char_index as usize
        } else {
            // From the line's start, the characters before `pos` (line breaks included, so
            // that a position on a `\r` counts what precedes it).
            let i = (pos.line as usize)
                .saturating_sub(1)
                .min(self.line_utf16.len() - 1);
            let before = pos.char_index.saturating_sub(self.line_chars[i]) as usize;
            let within: usize = text[self.line_bytes[i]..]
                .chars()
                .take(before)
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

    #[test]
    fn lines_break_as_the_reader_breaks_them() {
        let at = |text: &str, c: u32| {
            let p = SourceText::new(text).locate(c);
            (p.line, p.column)
        };
        // A lone \r breaks a line; \r\n is one break; both in ASCII and other text.
        for (text, c, want) in [
            ("a\rb", 2, (2, 1)),
            ("a\r\nb", 3, (2, 1)),
            ("a\r\nb", 1, (1, 2)),
            ("é\rb", 2, (2, 1)),
            ("é\r\nb", 3, (2, 1)),
        ] {
            assert_eq!(at(text, c), want, "{text:?} {c}");
        }
        // A byte-order mark is a character of the index but not a column of line 1.
        assert_eq!(at("\u{feff}kind: X\n", 7), (1, 7));
        assert_eq!(at("\u{feff}kind: X\nx", 9), (2, 1));
        // UTF-16 offsets count what precedes, the \r of a CRLF included.
        let src = SourceText::new("é\r\nx");
        assert_eq!(src.utf16_offset(src.locate(1)), 1);
        assert_eq!(src.utf16_offset(src.locate(2)), 2);
        assert_eq!(src.utf16_offset(src.locate(3)), 3);
        assert_eq!(
            SourceText::new("a\rb").span_text(Span { start: 0, end: 3 }),
            None
        );
    }

    #[test]
    fn locate_gives_lines_and_columns_in_characters() {
        // ASCII: line starts are byte offsets.
        let src = SourceText::new("abc\ndef\n\nx");
        let at = |c| {
            let p = src.locate(c);
            (p.line, p.column)
        };
        assert_eq!(
            [at(0), at(2), at(3), at(4), at(8), at(9)],
            [(1, 1), (1, 3), (1, 4), (2, 1), (3, 1), (4, 1)]
        );
        // Not ASCII: characters, not bytes ('é' is 2 bytes, '😀' 4 bytes and 2 UTF-16 units).
        let text = "a: é\nb: 😀x\n";
        let src = SourceText::new(text);
        let x = src.locate(9);
        assert_eq!((x.line, x.column), (2, 5));
        assert_eq!(src.utf16_offset(x), 10);
        assert_eq!(src.span_text(Span { start: 3, end: 4 }), Some("é"));
        assert_eq!(src.span_text(Span { start: 8, end: 10 }), Some("😀x"));
        // Across a line break, or past the end: no text.
        assert_eq!(src.span_text(Span { start: 0, end: 3 }), Some("a: "));
        assert_eq!(src.span_text(Span { start: 3, end: 6 }), None);
        assert_eq!(src.span_text(Span { start: 9, end: 40 }), None);
    }
}
