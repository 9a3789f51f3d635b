//! Small re-implementations of the Go standard-library behaviour ToolHive's messages and
//! checks depend on: `%q` quoting, `net/url.Parse`/`ParseRequestURI` and
//! `time.ParseDuration`, `strconv.ParseInt`/`ParseUint` with base 0 (as go-yaml reads YAML
//! 1.1 numbers), `unicode.ToUpper`. No Rust crate reproduces Go's semantics (the `url` crate follows
//! WHATWG and normalises; Go does not), and the exact error texts are part of ToolHive's
//! messages, so they live here, each tested against Go's documented behaviour.

use std::borrow::Cow;

use std::fmt::Write;

/// Go's `%q` for a string: double-quoted with Go escapes.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() || c == '\u{feff}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A URL as Go's `net/url` splits it (only the parts ToolHive's checks read). The parts
/// borrow from the parsed text unless unescaping or lower-casing changed them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoUrl<'a> {
    /// Lower-cased scheme, empty when there is none.
    pub scheme: Cow<'a, str>,
    /// Opaque part (`scheme:opaque` without `//`).
    pub opaque: &'a str,
    /// Whether a userinfo (`user@` or `user:pass@`) is present.
    pub has_userinfo: bool,
    /// Host with port (`url.Host`).
    pub host: Cow<'a, str>,
    /// Path (unescaped).
    pub path: Cow<'a, str>,
    /// Raw query (after `?`).
    pub raw_query: &'a str,
    /// Whether the URL ended with a bare `?`.
    pub force_query: bool,
    /// Fragment (after `#`).
    pub fragment: Cow<'a, str>,
}

impl GoUrl<'_> {
    /// `url.Hostname()`: the host without port and brackets.
    pub fn hostname(&self) -> &str {
        let host = &*self.host;
        if let Some(rest) = host.strip_prefix('[') {
            return rest.split(']').next().unwrap_or("");
        }
        match host.rfind(':') {
            Some(i) if host[i + 1..].bytes().all(|b| b.is_ascii_digit()) => &host[..i],
            _ => host,
        }
    }
}

/// `url.Parse(raw)`. The error is Go's full text: `parse "<raw>": <reason>`.
pub fn parse_url(raw: &str) -> Result<GoUrl<'_>, String> {
    let fail = |reason: &str| format!("parse {}: {reason}", quote(raw));
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err(fail("net/url: invalid control character in URL"));
    }
    let (rest, fragment) = match raw.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (raw, None),
    };
    let mut u = parse_inner(rest, false).map_err(|r| fail(&r))?;
    if let Some(f) = fragment {
        u.fragment = unescape(f, Part::Other).map_err(|r| fail(&r))?;
    }
    Ok(u)
}

/// `url.ParseRequestURI(raw)`: no fragment splitting, and a relative reference is an error.
pub fn parse_request_uri(raw: &str) -> Result<GoUrl<'_>, String> {
    let fail = |reason: &str| format!("parse {}: {reason}", quote(raw));
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err(fail("net/url: invalid control character in URL"));
    }
    parse_inner(raw, true).map_err(|r| fail(&r))
}

fn parse_inner(raw: &str, via_request: bool) -> Result<GoUrl<'_>, String> {
    let mut u = GoUrl::default();
    if raw.is_empty() && via_request {
        return Err("empty url".into());
    }
    if raw == "*" {
        u.path = Cow::Borrowed("*");
        return Ok(u);
    }
    let (scheme, mut rest) = get_scheme(raw)?;
    u.scheme = if scheme.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(scheme.to_ascii_lowercase())
    } else {
        Cow::Borrowed(scheme)
    };
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        u.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, q)) = rest.split_once('?') {
        u.raw_query = q;
        rest = r;
    }
    if !rest.starts_with('/') {
        if !u.scheme.is_empty() {
            u.opaque = rest;
            return Ok(u);
        }
        if via_request {
            return Err("invalid URI for request".into());
        }
        if let Some(seg) = rest.split('/').next() {
            if seg.contains(':') {
                return Err("first path segment in URL cannot contain colon".into());
            }
        }
    }
    if (!u.scheme.is_empty() || !via_request && !rest.starts_with("///")) && rest.starts_with("//")
    {
        let after = &rest[2..];
        let (authority, path) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        let host = match authority.rfind('@') {
            Some(i) => {
                u.has_userinfo = true;
                &authority[i + 1..]
            }
            None => authority,
        };
        u.host = parse_host(host)?;
        rest = path;
    }
    u.path = unescape(rest, Part::Other)?;
    Ok(u)
}

fn get_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok(("", raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("missing protocol scheme".into());
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

fn parse_host(host: &str) -> Result<Cow<'_, str>, String> {
    if let Some(inner) = host.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return Err("missing ']' in host".into());
        };
        let port = &inner[close + 1..];
        if !valid_optional_port(port) {
            return Err(format!("invalid port {} after host", quote(port)));
        }
        return Ok(Cow::Borrowed(host));
    }
    if let Some(i) = host.rfind(':') {
        let port = &host[i..];
        if !valid_optional_port(port) {
            return Err(format!("invalid port {} after host", quote(port)));
        }
    }
    // Bytes, not chars: every non-ASCII character is allowed, so only ASCII bytes can fail.
    let allowed =
        |b: u8| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:%".contains(&b) || !b.is_ascii();
    if let Some(i) = host.bytes().position(|b| !allowed(b)) {
        return Err(format!(
            "invalid character {} in host name",
            quote(&host[i..i + 1])
        ));
    }
    unescape(host, Part::Host)
}

fn valid_optional_port(port: &str) -> bool {
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// Which part of a URL Go's `unescape` decodes (its `encodeHost` mode, or the others).
#[derive(Clone, Copy, PartialEq)]
enum Part {
    /// The host: an escape may only encode a non-ASCII byte, or be `%25` (IPv6 zones,
    /// RFC 6874).
    Host,
    /// The path or the fragment.
    Other,
}

/// Go's `unescape`: `%XX` escapes decoded, as in `part`.
fn unescape(s: &str, part: Part) -> Result<Cow<'_, str>, String> {
    if !s.contains('%') {
        return Ok(Cow::Borrowed(s));
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()));
            let Some(h) = hex else {
                let bad: String = s[i..].chars().take(3).collect();
                return Err(format!("invalid URL escape {}", quote(&bad)));
            };
            if part == Part::Host && h.as_bytes()[0] < b'8' && h != "25" {
                return Err(format!("invalid URL escape {}", quote(&s[i..i + 3])));
            }
            out.push(u8::from_str_radix(h, 16).unwrap_or(0));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(Cow::Owned(String::from_utf8_lossy(&out).into_owned()))
}

/// `strconv.ParseUint(s, 0, 64)`: `0x`/`0X` hexadecimal, `0b`/`0B` binary, `0o`/`0O` or a
/// leading `0` octal, else decimal; no sign. `None` for a syntax or range error. (Go also
/// takes underscores between digits here; go-yaml removes them before calling it.)
pub fn parse_uint(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let (radix, digits) = match b {
        [] => return None,
        [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'x') => (16, &s[2..]),
        [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'b') => (2, &s[2..]),
        [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'o') => (8, &s[2..]),
        [b'0', ..] => (8, &s[1..]),
        _ => (10, s),
    };
    // `from_str_radix` would take a sign; Go's digits are digits only ("0" leaves none: 0).
    if !digits.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    if digits.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(digits, radix).ok()
}

/// Go's `underscoreOK`: whether the underscores of number literal `s` each stand between two
/// digits (or a base prefix and a digit), as `strconv` requires.
pub fn underscores_ok(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    // The last character class seen: b'^' start, b'0' digit or prefix, b'_', b'!' other.
    let (mut saw, mut i, mut hex) = (b'^', 0, false);
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        (saw, i, hex) = (b'0', 2, b[1].eq_ignore_ascii_case(&b'x'));
    }
    for &c in &b[i..] {
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else if saw == b'_' {
            return false;
        } else {
            saw = b'!';
        }
    }
    saw != b'_'
}

/// Go's `unicode.ToUpper` (what `strings.ToUpper` applies to each character): Unicode's
/// simple upper-case mapping, one character for one. Rust's [`char::to_uppercase`] applies
/// the full mapping, which turns some characters into several (`ß` → `SS`); where it does, the
/// simple mapping is the character itself, except for the Greek letters with a subscript iota,
/// which map to their capital with the subscript iota (`ᾳ` → `ᾼ`).
pub fn to_upper(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => match u32::from(c) {
            // ᾀ–ᾇ → ᾈ–ᾏ, ᾐ–ᾗ → ᾘ–ᾟ, ᾠ–ᾧ → ᾨ–ᾯ; the capitals map to themselves.
            n @ 0x1F80..=0x1FAF if n & 0x8 == 0 => char::from_u32(n + 8).unwrap_or(c),
            // ᾳ → ᾼ, ῃ → ῌ, ῳ → ῼ.
            n @ (0x1FB3 | 0x1FC3 | 0x1FF3) => char::from_u32(n + 9).unwrap_or(c),
            _ => c,
        },
    }
}

/// `strconv.ParseInt(s, 0, 64)`: an optional sign, then [`parse_uint`]'s forms, within i64.
pub fn parse_int(s: &str) -> Option<i64> {
    let (neg, magnitude) = match s.as_bytes().first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if magnitude.is_empty() {
        return None;
    }
    let un = parse_uint(magnitude)?;
    if neg {
        0i64.checked_sub_unsigned(un)
    } else {
        i64::try_from(un).ok()
    }
}

/// `time.ParseDuration(s)`, returning nanoseconds, or Go's error text.
pub fn parse_duration(s: &str) -> Result<i128, String> {
    let invalid = || format!("time: invalid duration {}", quote(s));
    let mut rest = s;
    let mut neg = false;
    if let Some(r) = rest.strip_prefix('-') {
        neg = true;
        rest = r;
    } else if let Some(r) = rest.strip_prefix('+') {
        rest = r;
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let int_part = &rest[..int_len];
        rest = &rest[int_len..];
        let mut frac_part = "";
        if let Some(r) = rest.strip_prefix('.') {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            frac_part = &r[..n];
            rest = &r[n..];
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| *c == '.' || c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale: i128 = match unit {
            "" => return Err(format!("time: missing unit in duration {}", quote(s))),
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote(unit),
                    quote(s)
                ))
            }
        };
        let int: i128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| invalid())?
        };
        let mut value = int.checked_mul(scale).ok_or_else(invalid)?;
        // Go's leadingFraction: the digits as an integer over a power of ten, digits past
        // what fits in an int64 ignored, then `float64(f) * (float64(unit) / scale)` — no
        // decimal float parsing (which would pull a 10 KB table into the WebAssembly builds).
        let (mut f, mut fscale, mut overflow) = (0u64, 1f64, false);
        for d in frac_part.bytes() {
            if overflow || f > (i64::MAX as u64) / 10 {
                overflow = true;
                continue;
            }
            let y = f * 10 + u64::from(d - b'0');
            if y > 1 << 63 {
                overflow = true;
                continue;
            }
            f = y;
            fscale *= 10.0;
        }
        if f > 0 {
            value += (f as f64 * (scale as f64 / fscale)) as i128;
        }
        total = total.checked_add(value).ok_or_else(invalid)?;
        if total > i64::MAX as i128 + i128::from(neg) {
            return Err(invalid());
        }
    }
    Ok(if neg { -total } else { total })
}

/// A number as the API server's messages show it: integral values as integers (`900`), others
/// in shortest round-trip form (`1.5`, `1e+20`, `2.5e-7`), `NaN`, `+Inf`, `-Inf`. Uses serde_json's float
/// formatter rather than `f64`'s `Display`, which would add core's second float formatter to
/// the WebAssembly builds.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return (n as i64).to_string();
    }
    match serde_json::Number::from_f64(n) {
        Some(x) => x.to_string(),
        None if n.is_nan() => "NaN".into(),
        None if n > 0.0 => "+Inf".into(),
        None => "-Inf".into(),
    }
}

/// Go's `time.Duration.String()` for a duration in nanoseconds (`5m0s`, `1h0m0s`, `1.5s`,
/// `500ms`, `0s`).
pub fn format_duration(ns: i128) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let sign = if ns < 0 { "-" } else { "" };
    // A Go Duration is an int64, so its magnitude fits in a u64 (parse_duration never returns
    // more); formatting u64 instead of u128 keeps 128-bit division out of the wasm builds.
    let u = u64::try_from(ns.unsigned_abs()).unwrap_or(u64::MAX);
    let with_frac = |int: u64, frac: u64, digits: usize| -> String {
        if frac == 0 {
            return int.to_string();
        }
        let f = format!("{frac:0digits$}");
        format!("{int}.{}", f.trim_end_matches('0'))
    };
    if u < 1_000_000_000 {
        let (unit, scale, digits) = if u < 1_000 {
            ("ns", 1, 0)
        } else if u < 1_000_000 {
            ("\u{b5}s", 1_000, 3)
        } else {
            ("ms", 1_000_000, 6)
        };
        return format!("{sign}{}{unit}", with_frac(u / scale, u % scale, digits));
    }
    let secs = u / 1_000_000_000;
    let sec_text = with_frac(secs % 60, u % 1_000_000_000, 9);
    let (h, m) = (secs / 3600, (secs / 60) % 60);
    if h > 0 {
        format!("{sign}{h}h{m}m{sec_text}s")
    } else if m > 0 {
        format!("{sign}{m}m{sec_text}s")
    } else {
        format!("{sign}{sec_text}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_upper_is_one_character_for_one_as_in_go() {
        for (c, up) in [
            ('a', 'A'),
            ('é', 'É'),
            ('ǅ', 'Ǆ'),
            ('ß', 'ß'),
            ('ŉ', 'ŉ'),
            ('ﬀ', 'ﬀ'),
            ('ΐ', 'ΐ'),
            ('ᾀ', 'ᾈ'),
            ('ᾈ', 'ᾈ'),
            ('ᾧ', 'ᾯ'),
            ('ᾳ', 'ᾼ'),
            ('ᾼ', 'ᾼ'),
            ('ῳ', 'ῼ'),
            ('ῲ', 'ῲ'),
            ('1', '1'),
            ('_', '_'),
        ] {
            assert_eq!(to_upper(c), up, "{c}");
        }
    }

    #[test]
    fn integers_parse_as_strconv_with_base_zero() {
        for (text, want) in [
            ("0", Some(0)),
            ("00", Some(0)),
            ("017", Some(15)),
            ("0o17", Some(15)),
            ("0O17", Some(15)),
            ("0x1f", Some(31)),
            ("0XFF", Some(255)),
            ("0b11", Some(3)),
            ("-0b11", Some(-3)),
            ("+42", Some(42)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("9223372036854775807", Some(i64::MAX)),
            ("9223372036854775808", None),
            ("08", None),
            ("0x", None),
            ("0b", None),
            ("", None),
            ("+", None),
            ("--1", None),
            ("+-1", None),
            ("1e3", None),
            (" 1", None),
        ] {
            assert_eq!(parse_int(text), want, "{text:?}");
        }
        for (text, ok) in [
            ("1_000", true),
            ("-1_000", true),
            ("0x_1f", true),
            ("0_7", true),
            (".5_0", true),
            ("_1", false),
            ("1_", false),
            ("1__0", false),
            ("._5", false),
            ("1_.5", false),
        ] {
            assert_eq!(underscores_ok(text), ok, "{text:?}");
        }
        assert_eq!(parse_uint("18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_uint("18446744073709551616"), None);
        assert_eq!(parse_uint("+1"), None);
        assert_eq!(parse_uint("-1"), None);
    }

    #[test]
    fn numbers_as_the_api_server_shows_them() {
        for (n, shown) in [
            (900.0, "900"),
            (-3.0, "-3"),
            (0.0, "0"),
            (1.5, "1.5"),
            (1e20, "1e+20"),
            (2.5e-7, "2.5e-7"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "+Inf"),
            (f64::NEG_INFINITY, "-Inf"),
        ] {
            assert_eq!(format_number(n), shown, "{n}");
        }
    }

    #[test]
    fn quote_like_go() {
        assert_eq!(quote("a\"b"), r#""a\"b""#);
        assert_eq!(quote("ok\n"), r#""ok\n""#);
        assert_eq!(quote("é"), "\"é\"");
        assert_eq!(quote("\u{1}"), r#""\x01""#);
    }

    #[test]
    fn url_parts() {
        let u = parse_url("https://user@Example.com:8443/a%20b?x=1#frag").unwrap();
        assert_eq!(u.scheme, "https");
        assert!(u.has_userinfo);
        assert_eq!(u.host, "Example.com:8443");
        assert_eq!(u.hostname(), "Example.com");
        assert_eq!(u.path, "/a b");
        assert_eq!(u.raw_query, "x=1");
        assert_eq!(u.fragment, "frag");
        let bare = parse_url("example.com").unwrap();
        assert_eq!((&*bare.scheme, &*bare.path), ("", "example.com"));
        let opaque = parse_url("localhost:8080").unwrap();
        assert_eq!(opaque.scheme, "localhost");
        assert_eq!(parse_url("https://[::1]:80/").unwrap().hostname(), "::1");
    }

    #[test]
    fn url_query_fragment_and_userinfo_split_as_go() {
        // A lone trailing `?` is ForceQuery; otherwise the query starts at the first `?`.
        let u = parse_url("https://h/p?").unwrap();
        assert!(u.force_query);
        assert_eq!((&*u.path, u.raw_query), ("/p", ""));
        let u = parse_url("https://h/p??").unwrap();
        assert!(!u.force_query);
        assert_eq!((&*u.path, u.raw_query), ("/p", "?"));
        let u = parse_url("https://h/p?a?b#f#g").unwrap();
        assert_eq!((u.raw_query, &*u.fragment), ("a?b", "f#g"));
        // The host follows the last `@` of the authority; a path may hold more.
        let u = parse_url("https://a@b@host:1/x@y").unwrap();
        assert!(u.has_userinfo);
        assert_eq!((&*u.host, &*u.path), ("host:1", "/x@y"));
        assert_eq!(
            parse_url("1a:b").unwrap_err(),
            r#"parse "1a:b": first path segment in URL cannot contain colon"#
        );
        assert_eq!(parse_url("1a/b:c").unwrap().path, "1a/b:c");
        assert_eq!(
            parse_url("https://[::1").unwrap_err(),
            r#"parse "https://[::1": missing ']' in host"#
        );
        assert_eq!(parse_url("https://h:8080").unwrap().hostname(), "h");
    }

    #[test]
    fn url_errors_match_go() {
        assert_eq!(
            parse_url(":x").unwrap_err(),
            r#"parse ":x": missing protocol scheme"#
        );
        assert_eq!(
            parse_url("https://a b").unwrap_err(),
            r#"parse "https://a b": invalid character " " in host name"#
        );
        assert_eq!(
            parse_url("http://h:port").unwrap_err(),
            r#"parse "http://h:port": invalid port ":port" after host"#
        );
        assert_eq!(
            parse_url("http://x/%zz").unwrap_err(),
            r#"parse "http://x/%zz": invalid URL escape "%zz""#
        );
        assert!(parse_request_uri("relative/path").is_err());
        // In a host, an escape may only encode a non-ASCII byte (or be %25); a path takes any.
        assert_eq!(
            parse_url("https://auth%20x.example.com").unwrap_err(),
            r#"parse "https://auth%20x.example.com": invalid URL escape "%20""#
        );
        assert_eq!(
            parse_url("https://caf%C3%A9.example.com").unwrap().host,
            "café.example.com"
        );
        assert_eq!(parse_url("https://x/a%20b").unwrap().path, "/a b");
    }

    #[test]
    fn duration_strings_like_go() {
        let d = |t: &str| format_duration(parse_duration(t).unwrap());
        assert_eq!(d("5m"), "5m0s");
        assert_eq!(d("1h"), "1h0m0s");
        assert_eq!(d("90s"), "1m30s");
        assert_eq!(d("1.5s"), "1.5s");
        assert_eq!(d("500ms"), "500ms");
        assert_eq!(d("1500us"), "1.5ms");
        assert_eq!(d("0s"), "0s");
        assert_eq!(d("-2s"), "-2s");
        assert_eq!(d("3us"), "3\u{b5}s");
        assert_eq!(d("25h1s"), "25h0m1s");
    }

    #[test]
    fn durations_like_go() {
        assert_eq!(parse_duration("1h30m").unwrap(), 5_400_000_000_000);
        assert_eq!(parse_duration("1.5s").unwrap(), 1_500_000_000);
        assert_eq!(parse_duration("0").unwrap(), 0);
        assert_eq!(parse_duration("-1s").unwrap(), -1_000_000_000);
        // Fractions, from Go's time_test.go (parseDurationTests; issue 15011): long fractions
        // and the overflow check in leadingFraction.
        assert_eq!(parse_duration("1.004s").unwrap(), 1_004_000_000);
        assert_eq!(parse_duration("100.00100s").unwrap(), 100_001_000_000);
        assert_eq!(
            parse_duration("0.100000000000000000000h").unwrap(),
            360_000_000_000
        );
        assert_eq!(
            parse_duration("0.830103483285477580700h").unwrap(),
            2_988_372_539_827
        );
        assert_eq!(
            parse_duration("0.3333333333333333333h").unwrap(),
            1_200_000_000_000
        );
        assert_eq!(
            parse_duration("1").unwrap_err(),
            r#"time: missing unit in duration "1""#
        );
        assert_eq!(
            parse_duration("1d").unwrap_err(),
            r#"time: unknown unit "d" in duration "1d""#
        );
        assert_eq!(
            parse_duration("9999999999999h").unwrap_err(),
            r#"time: invalid duration "9999999999999h""#
        );
        assert_eq!(
            parse_duration("").unwrap_err(),
            r#"time: invalid duration """#
        );
    }
}
