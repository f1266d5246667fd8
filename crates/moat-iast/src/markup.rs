//! The small structural checks: HTML (XSS), response headers (CRLF), LDAP filters and
//! `XPath` expressions. Each reports only when tainted bytes can change how the receiver
//! parses the text, not merely because request data is present.

use std::ops::Range;

/// Whether tainted bytes can open or close markup in an HTML document: a tag (`<`, `>`),
/// an attribute value (`"`, `'`, `` ` ``), or a character reference (`&`) that the
/// browser would decode into one of those.
///
/// Text that reaches HTML after `html.escape` or `markupsafe.escape` carries the XSS
/// secure mark and never gets here.
pub fn xss(html: &str, tainted: &[Range<usize>]) -> bool {
    tainted_bytes(html, tainted).any(|b| matches!(b, b'<' | b'>' | b'"' | b'\'' | b'`'))
        || tainted_starts_scheme(html, tainted)
}

/// A tainted `javascript:` (or `data:`/`vbscript:`) URL placed in an attribute runs
/// script without a single markup character.
fn tainted_starts_scheme(html: &str, tainted: &[Range<usize>]) -> bool {
    crate::clamped(tainted, html.len()).any(|range| {
        // Bytes, not `str`: a range may split a multibyte character.
        let text = html.as_bytes()[range.clone()]
            .trim_ascii_start()
            .to_ascii_lowercase();
        let before = html.as_bytes()[..range.start]
            .iter()
            .rev()
            .find(|b| !b.is_ascii_whitespace());
        matches!(before, Some(b'"' | b'\'' | b'='))
            && ["javascript:", "vbscript:", "data:text/html"]
                .iter()
                .any(|scheme| text.starts_with(scheme.as_bytes()))
    })
}

/// Whether tainted bytes put a CR or LF (or a NUL) into a header value: a second header
/// or a response body chosen by the request.
pub fn crlf(value: &str, tainted: &[Range<usize>]) -> bool {
    tainted_bytes(value, tainted).any(|b| matches!(b, b'\r' | b'\n' | 0))
}

/// Whether tainted bytes change an LDAP search filter (RFC 4515): a parenthesis, a
/// wildcard, a NUL, or a backslash that does not start a `\xx` hex escape.
pub fn ldap(filter: &str, tainted: &[Range<usize>]) -> bool {
    let bytes = filter.as_bytes();
    crate::clamped(tainted, bytes.len()).any(|range| {
        range.clone().any(|at| match bytes[at] {
            b'(' | b')' | b'*' | 0 => true,
            b'\\' => {
                !(bytes.get(at + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(at + 2).is_some_and(u8::is_ascii_hexdigit))
            }
            _ => false,
        })
    })
}

/// Whether tainted bytes change an `XPath` expression.
///
/// Safe only when each tainted range lies inside the body of one string literal (`'…'`
/// or `"…"`, where a doubled quote is the escape of `XPath` 2.0) without touching its
/// quotes, or is exactly one number.
pub fn xpath(expr: &str, tainted: &[Range<usize>]) -> bool {
    let bytes = expr.as_bytes();
    let literals = literal_bodies(bytes);
    crate::clamped(tainted, bytes.len()).any(|range| {
        let in_literal = literals
            .iter()
            .any(|body| body.start <= range.start && range.end <= body.end);
        let number = bytes[range.clone()]
            .iter()
            .all(|b| b.is_ascii_digit() || *b == b'.')
            && !bytes[range.clone()].iter().all(|b| *b == b'.');
        !(in_literal || number)
    })
}

/// The bodies of the terminated string literals of an `XPath` expression.
fn literal_bodies(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut bodies = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let quote = bytes[at];
        if quote != b'\'' && quote != b'"' {
            at += 1;
            continue;
        }
        let start = at + 1;
        let mut end = start;
        let mut closed = false;
        while end < bytes.len() {
            if bytes[end] == quote {
                if bytes.get(end + 1) == Some(&quote) {
                    end += 2;
                    continue;
                }
                closed = true;
                break;
            }
            end += 1;
        }
        if closed {
            bodies.push(start..end);
        }
        at = end + 1;
    }
    bodies
}

fn tainted_bytes<'a>(text: &'a str, tainted: &'a [Range<usize>]) -> impl Iterator<Item = u8> + 'a {
    let bytes = text.as_bytes();
    crate::clamped(tainted, bytes.len()).flat_map(move |range| bytes[range].iter().copied())
}

#[cfg(test)]
#[expect(
    clippy::single_range_in_vec_init,
    clippy::reversed_empty_ranges,
    reason = "one tainted range is the usual case, and odd ranges are what the tests feed"
)]
mod tests {
    use super::*;

    fn check(
        analyser: fn(&str, &[Range<usize>]) -> bool,
        before: &str,
        taint: &str,
        after: &str,
    ) -> bool {
        let text = format!("{before}{taint}{after}");
        analyser(&text, &[before.len()..before.len() + taint.len()])
    }

    #[test]
    fn markup_characters_from_the_request_are_xss() {
        assert!(check(xss, "<p>Hello ", "<script>alert(1)</script>", "</p>"));
        assert!(check(
            xss,
            "<a title=\"",
            "x\" onmouseover=\"alert(1)",
            "\">"
        ));
        assert!(check(xss, "<a href=\"", "javascript:alert(1)", "\">"));
        assert!(check(xss, "<a href=", " JavaScript:alert(1)", ">"));
        assert!(!check(xss, "<p>Hello ", "Alice", "</p>"));
        assert!(!check(xss, "<p>", "javascript: the language", "</p>"));
        assert!(!check(xss, "<p>", "a & b", "</p>"));
    }

    #[test]
    fn line_breaks_in_header_values_are_header_injection() {
        assert!(check(crlf, "", "en\r\nSet-Cookie: a=b", ""));
        assert!(check(crlf, "lang=", "x\nLocation: /", ""));
        assert!(!check(crlf, "lang=", "en-GB", ""));
    }

    #[test]
    fn ldap_metacharacters_change_the_filter() {
        assert!(check(ldap, "(uid=", "*", ")"));
        assert!(check(ldap, "(uid=", "x)(|(uid=*", ")"));
        assert!(check(ldap, "(uid=", "a\\", ")"));
        assert!(!check(ldap, "(uid=", "alice", ")"));
        assert!(!check(ldap, "(uid=", "a\\2a", ")"));
    }

    #[test]
    fn xpath_literal_breakout() {
        assert!(check(xpath, "//user[name='", "x' or '1'='1", "']"));
        assert!(check(xpath, "//user[@id=", "1 or 1=1", "]"));
        assert!(check(xpath, "//", "user", "[1]"));
        assert!(!check(xpath, "//user[name='", "alice", "']"));
        assert!(!check(xpath, "//user[name=\"", "o'brien", "\"]"));
        assert!(!check(xpath, "//user[@id=", "42", "]"));
        assert!(!check(xpath, "//user[name='", "it''s", "']"));
    }

    #[test]
    fn odd_offsets_never_panic() {
        for analyser in [xss, crlf, ldap, xpath] {
            assert!(!analyser("", &[0..4]));
            let _ = analyser("'\\", &[1..9]);
            let _ = analyser("é'", &[0..1, 3..2]);
        }
    }
}
