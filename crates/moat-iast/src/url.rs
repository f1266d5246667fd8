//! Server-side request forgery: whether tainted text decides where an outgoing request
//! goes (scheme, host, port or credentials), not merely which path or query it asks for.
//!
//! `"https://api.example.com/items/" + item_id` is safe even when `item_id` is tainted;
//! `"https://" + host + "/items"` is not, and neither is `base + "@evil.example"`, which
//! turns the original host into credentials.

use std::ops::Range;

/// Whether tainted bytes fall in the part of `url` that picks the destination.
///
/// The destination is the scheme and the authority (`user:pass@host:port`) as RFC 3986
/// splits them; for a URL without `//` the whole text before the path counts. A tainted
/// byte at the very start also counts: the request then chooses the entire target.
pub fn ssrf(url: &str, tainted: &[Range<usize>]) -> bool {
    let bytes = url.as_bytes();
    let ranges: Vec<Range<usize>> = crate::clamped(tainted, bytes.len()).collect();
    if ranges.is_empty() {
        return false;
    }
    let destination_end = destination_end(bytes);
    ranges
        .iter()
        .any(|r| r.start == 0 || r.start < destination_end)
}

/// Where the scheme and authority end: the first `/`, `?` or `#` after `scheme://host`.
fn destination_end(bytes: &[u8]) -> usize {
    let ends_part = |b: &u8| matches!(b, b'/' | b'?' | b'#');
    // A scheme is letters, digits, `+`, `-` and `.` before the first `:`.
    let scheme_end = bytes
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
        .filter(|&i| i > 0 && bytes[i] == b':');
    let after_scheme = scheme_end.map_or(0, |i| i + 1);
    let rest = &bytes[after_scheme..];
    if rest.starts_with(b"//") {
        let authority = after_scheme + 2;
        return bytes[authority..]
            .iter()
            .position(ends_part)
            .map_or(bytes.len(), |i| authority + i);
    }
    // No authority (`mailto:x`, a relative `host/path`): the first segment decides.
    bytes[after_scheme..]
        .iter()
        .position(ends_part)
        .map_or(bytes.len(), |i| after_scheme + i)
}

#[cfg(test)]
#[expect(
    clippy::single_range_in_vec_init,
    reason = "one tainted range is the usual case"
)]
mod tests {
    use super::*;

    fn check(before: &str, tainted: &str, after: &str) -> bool {
        let url = format!("{before}{tainted}{after}");
        ssrf(&url, &[before.len()..before.len() + tainted.len()])
    }

    #[test]
    fn tainted_host_scheme_port_or_credentials_is_ssrf() {
        assert!(check("https://", "internal.local", "/items"));
        assert!(check("", "http://169.254.169.254", "/latest/meta-data"));
        assert!(check("https://api.example.com:", "6379", "/"));
        assert!(check("https://api.example.com", "@evil.example", "/"));
        assert!(check("", "gopher", "://api.example.com/"));
        assert!(check("https://api.", "example.com.evil.example", "/items"));
    }

    #[test]
    fn tainted_path_query_or_fragment_is_safe() {
        assert!(!check("https://api.example.com/items/", "42", ""));
        assert!(!check("https://api.example.com/search?q=", "a@b:c//d", ""));
        assert!(!check("https://api.example.com/#", "x", ""));
        assert!(!check("/relative/", "path", ""));
        assert!(!ssrf("https://api.example.com/x", &[]));
    }

    #[test]
    fn odd_input_never_panics() {
        assert!(!ssrf("", &[0..3]));
        assert!(ssrf(":", &[0..1]));
        assert!(ssrf("é://x", &[0..2]));
        assert!(!ssrf("https://h/é", &[10..11]));
    }
}
