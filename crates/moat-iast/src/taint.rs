//! Taint ranges: which characters of a string came from a request, from where, and which
//! vulnerability classes a sanitiser has already made them safe for.
//!
//! Offsets count characters (Unicode code points), as Python's `str` indexes them, so
//! the agent can pass its indices straight through; [`Taint::byte_ranges`] converts for
//! the analysers, which work on bytes.

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The kind of request data a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A query-string or form parameter.
    Parameter,
    /// A variable part of the path bound by the route (`/users/<id>`).
    PathParameter,
    /// The whole request path.
    Path,
    /// The raw query string.
    Query,
    /// A header value.
    Header,
    /// A header name.
    HeaderName,
    /// A cookie value.
    Cookie,
    /// The raw body.
    Body,
    /// A value inside a JSON body.
    Json,
    /// An uploaded file's name or content.
    File,
    /// The WSGI/ASGI environment.
    Environ,
}

impl SourceKind {
    /// Every kind, for parsing.
    const ALL: [SourceKind; 11] = [
        SourceKind::Parameter,
        SourceKind::PathParameter,
        SourceKind::Path,
        SourceKind::Query,
        SourceKind::Header,
        SourceKind::HeaderName,
        SourceKind::Cookie,
        SourceKind::Body,
        SourceKind::Json,
        SourceKind::File,
        SourceKind::Environ,
    ];

    /// The `snake_case` name used in reports (`path_parameter`).
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Parameter => "parameter",
            SourceKind::PathParameter => "path_parameter",
            SourceKind::Path => "path",
            SourceKind::Query => "query",
            SourceKind::Header => "header",
            SourceKind::HeaderName => "header_name",
            SourceKind::Cookie => "cookie",
            SourceKind::Body => "body",
            SourceKind::Json => "json",
            SourceKind::File => "file",
            SourceKind::Environ => "environ",
        }
    }

    /// The kind named by [`SourceKind::as_str`], if any.
    pub fn parse(name: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// Where tainted text came from: the kind of source and its name (`id`, `User-Agent`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Origin {
    /// The kind of source; `origin` in reports, as the agent interface names it.
    #[serde(rename = "origin")]
    pub kind: SourceKind,
    /// Its name: the parameter, header or cookie name; empty when it has none.
    pub name: String,
}

impl Origin {
    /// An origin shared by every range cut from the same source value.
    pub fn new(kind: SourceKind, name: impl Into<String>) -> Arc<Origin> {
        Arc::new(Origin {
            kind,
            name: name.into(),
        })
    }
}

/// A run of tainted characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaintRange {
    /// First character, counted in code points.
    pub start: usize,
    /// Number of characters; never zero.
    pub len: usize,
    /// Where the characters came from.
    pub origin: Arc<Origin>,
    /// Vulnerability types ([`crate::VulnType::secure_bit`]) a sanitiser
    /// has made these characters safe for.
    pub secure: u32,
}

impl TaintRange {
    fn end(&self) -> usize {
        self.start + self.len
    }
}

/// A string and its taint ranges, sorted and not overlapping.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Taint {
    text: String,
    chars: usize,
    ranges: Vec<TaintRange>,
}

impl Taint {
    /// Text that holds no request data.
    pub fn untainted(text: impl Into<String>) -> Taint {
        let text = text.into();
        let chars = text.chars().count();
        Taint {
            text,
            chars,
            ranges: Vec::new(),
        }
    }

    /// Text that came, all of it, from `origin`.
    pub fn whole(text: impl Into<String>, origin: Arc<Origin>) -> Taint {
        let mut taint = Taint::untainted(text);
        if taint.chars > 0 {
            taint.ranges.push(TaintRange {
                start: 0,
                len: taint.chars,
                origin,
                secure: 0,
            });
        }
        taint
    }

    /// Text whose characters `start..start + len` came from each run's origin; runs are
    /// clamped to the text, and the part of a run that overlaps an earlier one is dropped.
    pub fn from_runs(text: impl Into<String>, runs: &[(usize, usize, Arc<Origin>)]) -> Taint {
        let mut taint = Taint::untainted(text);
        let mut sorted: Vec<&(usize, usize, Arc<Origin>)> = runs.iter().collect();
        sorted.sort_by_key(|run| run.0);
        let mut end = 0;
        for (start, len, origin) in sorted {
            let stop = start.saturating_add(*len).min(taint.chars);
            let start = (*start).max(end);
            if start >= stop {
                continue;
            }
            taint.push(TaintRange {
                start,
                len: stop - start,
                origin: Arc::clone(origin),
                secure: 0,
            });
            end = stop;
        }
        taint
    }

    /// Text assembled from pieces (a join, a rendered template): each `(at, piece)` is a
    /// tainted piece and the character offset where it starts in `text`, in order.
    /// Ranges that would reach past the text are dropped.
    pub fn assembled<'a>(
        text: impl Into<String>,
        pieces: impl IntoIterator<Item = (usize, &'a Taint)>,
    ) -> Taint {
        let mut taint = Taint::untainted(text);
        for (at, piece) in pieces {
            for range in &piece.ranges {
                let start = at + range.start;
                if start < taint.ranges.last().map_or(0, TaintRange::end)
                    || start + range.len > taint.chars
                {
                    continue;
                }
                taint.push(TaintRange {
                    start,
                    ..range.clone()
                });
            }
        }
        taint
    }

    /// `result` made from this text by an escape that writes each character on its own
    /// (`<` as `&lt;`), after `prefix` added characters (an opening quote): `width` gives
    /// each character's length in the result. Ranges keep their origin and secure marks.
    /// `None` when the widths do not add up to the result, so the caller can fall back.
    pub fn expanded(
        &self,
        result: impl Into<String>,
        prefix: usize,
        suffix: usize,
        width: impl Fn(char) -> usize,
    ) -> Option<Taint> {
        // Where each input character starts in the result, and the end.
        let mut starts = Vec::with_capacity(self.chars + 1);
        let mut at = prefix;
        for c in self.text.chars() {
            starts.push(at);
            at += width(c);
        }
        starts.push(at);
        let mut out = Taint::untainted(result);
        if at + suffix != out.chars {
            return None;
        }
        for range in &self.ranges {
            let start = starts[range.start];
            out.push(TaintRange {
                start,
                len: starts[range.end()] - start,
                ..range.clone()
            });
        }
        Some(out)
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The ranges, sorted by start.
    pub fn ranges(&self) -> &[TaintRange] {
        &self.ranges
    }

    /// Whether any character is tainted.
    pub fn is_tainted(&self) -> bool {
        !self.ranges.is_empty()
    }

    /// The tainted character runs not yet made safe for vulnerability class `class`
    /// (a bit of the secure mask), as byte ranges for the analysers.
    pub fn byte_ranges_for(&self, class: u32) -> Vec<Range<usize>> {
        let unsafe_ranges: Vec<&TaintRange> = self
            .ranges
            .iter()
            .filter(|r| r.secure & class == 0)
            .collect();
        self.to_bytes(&unsafe_ranges)
    }

    /// Every tainted character run as byte ranges.
    pub fn byte_ranges(&self) -> Vec<Range<usize>> {
        self.to_bytes(&self.ranges.iter().collect::<Vec<_>>())
    }

    fn to_bytes(&self, ranges: &[&TaintRange]) -> Vec<Range<usize>> {
        // One pass over the characters: ranges are sorted, so offsets only grow.
        let mut out = Vec::with_capacity(ranges.len());
        let mut offsets = self
            .text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(self.text.len()));
        let mut char_at = 0;
        let mut byte_at = offsets.next().unwrap_or(0);
        let mut advance = |to: usize, char_at: &mut usize, byte_at: &mut usize| {
            while *char_at < to {
                *byte_at = offsets.next().unwrap_or(self.text.len());
                *char_at += 1;
            }
            *byte_at
        };
        for range in ranges {
            let start = advance(range.start, &mut char_at, &mut byte_at);
            let end = advance(range.end(), &mut char_at, &mut byte_at);
            out.push(start..end);
        }
        out
    }

    /// Marks every range safe for the classes in `mask` (after `html.escape`, say).
    #[must_use]
    pub fn mark_secure(mut self, mask: u32) -> Taint {
        for range in &mut self.ranges {
            range.secure |= mask;
        }
        self
    }

    /// `self + other`: `other`'s ranges move right by this string's length.
    #[must_use]
    pub fn concat(&self, other: &Taint) -> Taint {
        let mut out = self.clone();
        out.append(other);
        out
    }

    fn extend_shifted(&mut self, ranges: &[TaintRange], by: usize) {
        for range in ranges {
            let mut moved = range.clone();
            moved.start += by;
            self.push(moved);
        }
    }

    /// Appends a range after the existing ones, merging it with the last when they touch
    /// and agree on origin and safety, so repeated concatenation keeps ranges few.
    fn push(&mut self, range: TaintRange) {
        if let Some(last) = self.ranges.last_mut()
            && last.end() == range.start
            && Arc::ptr_eq(&last.origin, &range.origin)
            && last.secure == range.secure
        {
            last.len += range.len;
            return;
        }
        self.ranges.push(range);
    }

    /// Characters `start..end` (clamped), as Python's `s[start:end]` with non-negative
    /// indices.
    #[must_use]
    pub fn slice(&self, start: usize, end: usize) -> Taint {
        let end = end.min(self.chars);
        let start = start.min(end);
        let text: String = self.text.chars().skip(start).take(end - start).collect();
        let mut out = Taint::untainted(text);
        for range in &self.ranges {
            let from = range.start.max(start);
            let to = range.end().min(end);
            if from < to {
                out.push(TaintRange {
                    start: from - start,
                    len: to - from,
                    origin: range.origin.clone(),
                    secure: range.secure,
                });
            }
        }
        out
    }

    /// `sep.join(parts)`, built in one buffer so joining many parts stays linear.
    pub fn join(sep: &Taint, parts: &[Taint]) -> Taint {
        let mut out = Taint::default();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.append(sep);
            }
            out.append(part);
        }
        out
    }

    fn append(&mut self, other: &Taint) {
        self.text.push_str(&other.text);
        self.extend_shifted(&other.ranges, self.chars);
        self.chars += other.chars;
    }

    /// `s.replace(old, new)`: kept characters keep their taint, each inserted copy of
    /// `new` brings `new`'s. As in Python, it is `new.join(s.split(old))`, where an empty
    /// `old` splits between every character and at both ends.
    #[must_use]
    pub fn replace(&self, old: &str, new: &Taint) -> Taint {
        if !old.is_empty() {
            return Taint::join(new, &self.split(old));
        }
        let mut pieces = vec![self.slice(0, 0)];
        pieces.extend((0..self.chars).map(|i| self.slice(i, i + 1)));
        pieces.push(self.slice(self.chars, self.chars));
        Taint::join(new, &pieces)
    }

    /// `s.split(sep)`: each piece keeps the taint of its characters.
    pub fn split(&self, sep: &str) -> Vec<Taint> {
        if sep.is_empty() {
            return vec![self.clone()];
        }
        let mut pieces = Vec::new();
        let mut char_pos = 0;
        let mut byte_pos = 0;
        let sep_chars = sep.chars().count();
        for (at, _) in self.text.match_indices(sep) {
            let len = self.text[byte_pos..at].chars().count();
            pieces.push(self.slice(char_pos, char_pos + len));
            char_pos += len + sep_chars;
            byte_pos = at + sep.len();
        }
        pieces.push(self.slice(char_pos, self.chars));
        pieces
    }

    /// `s.strip()`: whitespace removed from both ends, taint kept on what stays.
    #[must_use]
    pub fn strip(&self) -> Taint {
        let leading = self.text.chars().take_while(|c| c.is_whitespace()).count();
        if leading == self.chars {
            return self.slice(0, 0);
        }
        let trailing = self
            .text
            .chars()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
        self.slice(leading, self.chars - trailing)
    }

    /// Taint for `result`, an opaque function of `inputs` (`%`, `str.format`): every
    /// occurrence in `result` of a tainted run of an input is tainted with that run's
    /// origin. Where the text of a run appears by coincidence it is tainted too, which errs
    /// towards reporting rather than missing a flow.
    pub fn found_in(result: &str, inputs: &[&Taint]) -> Taint {
        let mut found: Vec<TaintRange> = Vec::new();
        for input in inputs {
            for (range, bytes) in input.ranges.iter().zip(input.byte_ranges()) {
                let needle = &input.text[bytes];
                for (at, _) in result.match_indices(needle) {
                    found.push(TaintRange {
                        start: result[..at].chars().count(),
                        len: range.len,
                        origin: range.origin.clone(),
                        secure: range.secure,
                    });
                }
            }
        }
        found.sort_by_key(|r| r.start);
        let mut out = Taint::untainted(result);
        for range in found {
            // Overlaps keep the first run; the rest of the later one still counts.
            let covered = out.ranges.last().map_or(0, TaintRange::end);
            if range.end() <= covered {
                continue;
            }
            let start = range.start.max(covered);
            out.push(TaintRange {
                len: range.end() - start,
                start,
                ..range
            });
        }
        out
    }

    /// A case change (`upper`, `lower`...). When it keeps the length, each character
    /// keeps its taint; when it does not (`"ß".upper()` is `"SS"`), the whole result is
    /// tainted from the first origin, never left clean.
    #[must_use]
    pub fn map_case(&self, f: impl Fn(&str) -> String) -> Taint {
        let text = f(&self.text);
        let chars = text.chars().count();
        if chars == self.chars {
            return Taint {
                text,
                chars,
                ranges: self.ranges.clone(),
            };
        }
        match self.ranges.first() {
            Some(first) => {
                let mut whole = Taint::whole(text, first.origin.clone());
                let secure = self.ranges.iter().fold(u32::MAX, |acc, r| acc & r.secure);
                for range in &mut whole.ranges {
                    range.secure = secure;
                }
                whole
            }
            None => Taint::untainted(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(text: &str) -> Taint {
        Taint::whole(text, Origin::new(SourceKind::Parameter, "q"))
    }

    /// The tainted substrings, for readable assertions.
    fn tainted(t: &Taint) -> Vec<String> {
        t.byte_ranges()
            .into_iter()
            .map(|r| t.text()[r].to_owned())
            .collect()
    }

    #[test]
    fn concatenation_shifts_and_merges_ranges() {
        let q = param("bob");
        let s = Taint::untainted("name='")
            .concat(&q)
            .concat(&Taint::untainted("'"));
        assert_eq!(s.text(), "name='bob'");
        assert_eq!(tainted(&s), ["bob"]);
        let twice = q.concat(&q);
        assert_eq!(
            twice.ranges().len(),
            1,
            "adjacent ranges of one origin merge"
        );
        let other = Taint::whole("x", Origin::new(SourceKind::Header, "h"));
        assert_eq!(q.concat(&other).ranges().len(), 2);
    }

    #[test]
    fn slicing_keeps_only_the_overlap() {
        let s = Taint::untainted("ab")
            .concat(&param("cdef"))
            .concat(&Taint::untainted("gh"));
        assert_eq!(tainted(&s.slice(1, 4)), ["cd"]);
        assert_eq!(tainted(&s.slice(0, 2)), Vec::<String>::new());
        assert_eq!(tainted(&s.slice(5, 100)), ["f"]);
        assert_eq!(s.slice(9, 3).text(), "");
    }

    #[test]
    fn offsets_count_characters_and_convert_to_bytes() {
        let s = Taint::untainted("é→").concat(&param("ü1"));
        assert_eq!(s.ranges()[0].start, 2);
        assert_eq!(s.byte_ranges(), vec![Range { start: 5, end: 8 }]);
        assert_eq!(tainted(&s), ["ü1"]);
    }

    #[test]
    fn assembled_text_takes_each_piece_at_its_offset() {
        let name = param("bob");
        let secured = param("x<").mark_secure(1);
        let page = Taint::assembled("<b>bob</b>x<", [(3, &name), (10, &secured)]);
        assert_eq!(tainted(&page), ["bob", "x<"]);
        assert_eq!(
            page.ranges()[1].secure,
            1,
            "secure marks travel with the piece"
        );
        // Offsets the caller got wrong never produce ranges past the text or overlapping.
        let wrong = Taint::assembled("abc", [(2, &name), (1, &name)]);
        assert!(wrong.ranges().is_empty());
    }

    #[test]
    fn an_escape_stretches_ranges_over_what_each_character_became() {
        let value = Taint::untainted("a<").concat(&param("b>c"));
        let width = |c: char| match c {
            '<' | '>' => 4,
            _ => 1,
        };
        let escaped = value.expanded("a&lt;b&gt;c", 0, 0, width).unwrap();
        assert_eq!(tainted(&escaped), ["b&gt;c"]);
        let quoted = param("it").expanded("'it'", 1, 1, |_| 1).unwrap();
        assert_eq!(tainted(&quoted), ["it"]);
        assert!(
            value.expanded("a<b>c", 0, 0, width).is_none(),
            "widths must add up"
        );
    }

    #[test]
    fn join_replace_split_strip() {
        let parts = [param("a"), Taint::untainted("b"), param("c")];
        let joined = Taint::join(&Taint::untainted(", "), &parts);
        assert_eq!(joined.text(), "a, b, c");
        assert_eq!(tainted(&joined), ["a", "c"]);

        let s = Taint::untainted("x=").concat(&param("1;2"));
        let replaced = s.replace(";", &Taint::untainted("&"));
        assert_eq!(replaced.text(), "x=1&2");
        assert_eq!(tainted(&replaced), ["1", "2"]);
        let injected = Taint::untainted("a-b").replace("-", &param("OR"));
        assert_eq!(tainted(&injected), ["OR"]);
        assert_eq!(
            Taint::untainted("ab").replace("", &param("_")).text(),
            "_a_b_"
        );

        let pieces = param("k=v&z").split("&");
        assert_eq!(
            pieces.iter().map(Taint::text).collect::<Vec<_>>(),
            ["k=v", "z"]
        );
        assert!(pieces.iter().all(Taint::is_tainted));

        let padded = Taint::untainted("  ")
            .concat(&param("v"))
            .concat(&Taint::untainted(" "));
        assert_eq!(tainted(&padded.strip()), ["v"]);
        assert_eq!(Taint::untainted("   ").strip().text(), "");
    }

    #[test]
    fn case_changes_never_drop_taint() {
        let s = Taint::untainted("id=").concat(&param("abc"));
        assert_eq!(tainted(&s.map_case(str::to_uppercase)), ["ABC"]);
        let grown = param("straße").map_case(str::to_uppercase);
        assert_eq!(grown.text(), "STRASSE");
        assert_eq!(tainted(&grown), ["STRASSE"]);
    }

    #[test]
    fn formatting_finds_each_tainted_run_in_the_result() {
        let id = param("42 OR 1");
        let result = format!("id = {} and again {}", id.text(), id.text());
        let found = Taint::found_in(&result, &[&id, &Taint::untainted("id = %s")]);
        assert_eq!(tainted(&found), ["42 OR 1", "42 OR 1"]);
        assert!(!Taint::found_in("nothing here", &[&id]).is_tainted());
        let overlapping = Taint::found_in("abcde", &[&param("abc"), &param("cde")]);
        assert_eq!(tainted(&overlapping), ["abc", "de"]);
    }

    #[test]
    fn kind_names_round_trip_and_match_the_json() {
        for kind in SourceKind::ALL {
            assert_eq!(SourceKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(SourceKind::parse("nope"), None);
    }

    #[test]
    fn runs_taint_only_their_characters() {
        let id = Origin::new(SourceKind::PathParameter, "id");
        let taint = Taint::from_runs(
            "/users/42/éx",
            &[
                (7, 2, Arc::clone(&id)),
                (10, 9, Arc::clone(&id)),
                (8, 1, id),
            ],
        );
        assert_eq!(tainted(&taint), ["42", "éx"]);
        assert!(!Taint::from_runs("ab", &[(5, 1, Origin::new(SourceKind::Path, ""))]).is_tainted());
    }

    #[test]
    fn secure_marks_are_per_class() {
        const XSS: u32 = 1;
        const SQL: u32 = 2;
        let s = Taint::untainted("<b>")
            .concat(&param("x").mark_secure(XSS))
            .concat(&param("y"));
        assert_eq!(s.byte_ranges_for(XSS), vec![Range { start: 4, end: 5 }]);
        assert_eq!(s.byte_ranges_for(SQL), [3..4, 4..5]);
    }
}
