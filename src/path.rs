//! JSON paths in the report's notation: `spec.embeddedAuthServer.upstreamProviders[1].name`.

use std::fmt;
use std::sync::Arc;

/// One step of a [`Path`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    /// A mapping member. Shared, so that extending a path does not copy its keys.
    Key(Arc<str>),
    /// A sequence index (zero-based).
    Index(usize),
}

/// A path from a document's root; the empty path is the document itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Path(Vec<Segment>);

impl Path {
    /// The document root.
    pub fn root() -> Path {
        Path(Vec::new())
    }

    /// Parses the dotted notation (`a.b[2].c`). Keys may not contain `.` or `[`.
    pub fn parse(text: &str) -> Path {
        let mut segs = Vec::new();
        for part in text.split('.').filter(|p| !p.is_empty()) {
            let mut rest = part;
            if let Some(open) = rest.find('[') {
                if open > 0 {
                    segs.push(Segment::Key(rest[..open].into()));
                }
                rest = &rest[open..];
                while let Some(stripped) = rest.strip_prefix('[') {
                    let close = stripped.find(']').unwrap_or(stripped.len());
                    if let Ok(i) = stripped[..close].parse() {
                        segs.push(Segment::Index(i));
                    }
                    rest = stripped.get(close + 1..).unwrap_or("");
                }
            } else {
                segs.push(Segment::Key(rest.into()));
            }
        }
        Path(segs)
    }

    /// This path with a member appended.
    pub fn key(&self, key: &str) -> Path {
        self.join(&[Segment::Key(key.into())])
    }

    /// This path with an index appended.
    pub fn index(&self, i: usize) -> Path {
        self.join(&[Segment::Index(i)])
    }

    /// This path followed by `more` (one allocation of the exact size).
    pub fn join(&self, more: &[Segment]) -> Path {
        let mut segs = Vec::with_capacity(self.0.len() + more.len());
        segs.extend_from_slice(&self.0);
        segs.extend_from_slice(more);
        Path(segs)
    }

    /// The steps of the path.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// Whether this is the document root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The parent path and the last step (`None` for the root).
    pub fn split_last(&self) -> Option<(Path, Option<&Segment>)> {
        let (last, rest) = self.0.split_last()?;
        Some((Path(rest.to_vec()), Some(last)))
    }

    /// The path with every index replaced by `[]` — the shape used by schema tables.
    pub fn pattern(&self) -> String {
        let mut out = String::new();
        for seg in &self.0 {
            match seg {
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Segment::Index(_) => out.push_str("[]"),
            }
        }
        out
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                Segment::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Segment::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display_round_trip() {
        let text = "spec.embeddedAuthServer.upstreamProviders[1].oidcConfig.scopes[0]";
        let p = Path::parse(text);
        assert_eq!(p.to_string(), text);
        assert_eq!(p.segments().len(), 7);
        assert_eq!(
            p.pattern(),
            "spec.embeddedAuthServer.upstreamProviders[].oidcConfig.scopes[]"
        );
    }

    #[test]
    fn root_is_empty_string() {
        assert_eq!(Path::root().to_string(), "");
        assert_eq!(Path::parse(""), Path::root());
        assert_eq!(Path::parse("[3]").to_string(), "[3]");
    }
}
