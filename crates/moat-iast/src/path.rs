//! Path traversal: whether tainted text lets a file path leave the directory the code
//! meant, not merely whether it contains `..`.
//!
//! `"/srv/files/" + name` with `name = "a/../b.txt"` stays under `/srv/files` and is
//! safe; `"../etc/passwd"` climbs above where the tainted text began and is reported.

use std::ops::Range;

/// Whether tainted bytes make `path` leave the directory reached by the untainted text
/// before them.
///
/// Reported when, walking the path's segments (`/` separated; `\` too on Windows), a
/// `..` climbs above the depth at which the first tainted byte appears; when the path
/// starts with a tainted separator (the request picks the root, as
/// `os.path.join(base, "/etc/passwd")` does); or when tainted text holds a NUL byte,
/// which truncates the path in C APIs.
pub fn traversal(path: &str, tainted: &[Range<usize>]) -> bool {
    let bytes = path.as_bytes();
    let mut ranges: Vec<Range<usize>> = crate::clamped(tainted, bytes.len()).collect();
    if ranges.is_empty() {
        return false;
    }
    ranges.sort_by_key(|r| r.start);
    let is_tainted = |at: usize| {
        let i = ranges.partition_point(|r| r.start <= at);
        i > 0 && ranges[..i].iter().any(|r| r.contains(&at))
    };
    if ranges.iter().any(|r| bytes[r.clone()].contains(&0)) {
        return true;
    }
    let separator = |b: u8| b == b'/' || (cfg!(windows) && b == b'\\');
    if separator(bytes[0]) && is_tainted(0) {
        return true;
    }
    let first_tainted = ranges[0].start;
    let mut depth: i64 = 0;
    let mut floor: Option<i64> = None;
    let mut start = 0;
    for end in (0..=bytes.len()).filter(|&i| i == bytes.len() || separator(bytes[i])) {
        let segment = &bytes[start..end];
        // The depth at which the request's text begins is the floor it must not leave.
        if floor.is_none() && end >= first_tainted {
            floor = Some(depth);
        }
        match segment {
            b"" | b"." => {}
            b".." => {
                depth -= 1;
                if let Some(floor) = floor
                    && depth < floor
                    && (start..end).any(is_tainted)
                {
                    return true;
                }
            }
            _ => depth += 1,
        }
        start = end + 1;
    }
    false
}

#[cfg(test)]
#[expect(
    clippy::single_range_in_vec_init,
    reason = "one tainted range is the usual case"
)]
mod tests {
    use super::*;

    fn check(base: &str, tainted: &str, rest: &str) -> bool {
        let path = format!("{base}{tainted}{rest}");
        traversal(&path, &[base.len()..base.len() + tainted.len()])
    }

    #[test]
    fn climbing_above_the_base_is_traversal() {
        assert!(check("/srv/files/", "../etc/passwd", ""));
        assert!(check("/srv/files/", "a/../../x", ""));
        assert!(check("uploads/", "..", "/secret.txt"));
        assert!(check("", "/etc/passwd", ""));
        assert!(check("/srv/files/", "report\0.png", ""));
    }

    #[test]
    fn staying_inside_is_safe() {
        assert!(!check("/srv/files/", "report.txt", ""));
        assert!(!check("/srv/files/", "a/../b.txt", ""));
        assert!(!check("/srv/files/", "./a/./b", ""));
        assert!(!check("/srv/files/", "..report", ""));
        assert!(!check("/srv/files/", "a..b", ".txt"));
        assert!(!traversal("/srv/../etc/passwd", &[]));
    }

    #[test]
    fn untainted_dots_before_the_taint_do_not_count() {
        // The code itself climbs; the request only names a file.
        assert!(!check("/srv/app/../files/", "x.txt", ""));
        // A tainted `..` after untainted ones still cannot go above its own start.
        assert!(check("/srv/app/../files/", "../x", ""));
    }

    #[test]
    fn odd_offsets_and_text_never_panic() {
        assert!(!traversal("", &[0..5]));
        assert!(!traversal("a/b", &[7..9, Range { start: 2, end: 1 }]));
        assert!(traversal("../é", &[0..4]));
        let long = "a/".repeat(100_000);
        assert!(!traversal(&long, &[0..long.len()]));
    }
}
