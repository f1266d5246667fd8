//! SQL injection: whether tainted bytes change the token structure of a query.
//!
//! The query is tokenised once, then every tainted range is looked up among the token
//! spans. Tainted text is harmless while it stays inside the body of one string literal or
//! one number: the database then sees the same statement shape the developer wrote, only
//! with another value. Anything else (a keyword, an operator, a quote, a comment, a name)
//! lets the request author rewrite the statement.
//!
//! The tokenizer is written by hand because no crate tokenises the quoting rules of every
//! dialect we meet (`MySQL` backslashes and `#` comments, Postgres dollar quotes and
//! `E'…'` strings, backtick names) and also reports the byte span of each token and of
//! each escape sequence, which is what the check needs.

use std::ops::Range;

/// Postgres limits identifiers, and so dollar-quote tags, to 63 bytes; the bound also
/// keeps the search for the closing tag linear in the query length.
const MAX_DOLLAR_TAG: usize = 64;

/// Whether tainted bytes change the structure of `query`.
///
/// `tainted` holds byte offsets into `query`; ranges may overlap, be empty, reversed or
/// out of bounds (they are clamped to the query and empty ones are ignored). Offsets that
/// fall inside a multibyte character are fine: the query is read as bytes.
///
/// A tainted range is safe only when it lies entirely inside
/// - the body of one terminated string literal (`'…'`, `E'…'`, `$tag$…$tag$`), not
///   touching either quote and not splitting an escape sequence (`''` or backslash plus
///   byte), or
/// - one numeric literal (`42`, `3.5e-2`, `0x1F`), optionally with a unary sign right
///   before it when the sign follows an operator or opens the query (`id = -1`).
///
/// Everything else is reported, in particular:
/// - a range that is exactly one whole identifier, such as a table or column name taken
///   from the request (`ORDER BY {column}`), and the body of a quoted identifier
///   (`"…"`, `` `…` ``): the attacker chooses which object the statement reads, so this
///   is treated as injection even though the statement keeps its shape;
/// - text inside a literal that is not terminated: the query no longer says where the
///   value was meant to end;
/// - text inside a comment, a placeholder, or whitespace between tokens.
///
/// A backslash escapes the next byte inside single-quoted strings, as in `MySQL` and in
/// Postgres `E'…'` strings, so `'\' OR 1=1 -- '` is one literal and tainted `\'` inside
/// it is safe, while a tainted `\\'` ends the literal. Postgres with
/// `standard_conforming_strings` (its default) treats a backslash in a plain `'…'`
/// string as an ordinary byte; such a query is judged with `MySQL`'s rules.
pub fn injected(query: &str, tainted: &[Range<usize>]) -> bool {
    let mut ranges = crate::clamped(tainted, query.len()).peekable();
    if ranges.peek().is_none() {
        return false;
    }
    let lexed = Lexed::of(query.as_bytes());
    ranges.any(|range| !lexed.holds_value(&range))
}

/// What a token is, as far as the injection check cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A run of whitespace.
    Blank,
    /// A string literal; `body` excludes the quotes, prefix and dollar tags.
    Text {
        body_start: usize,
        body_end: usize,
        closed: bool,
    },
    /// A numeric literal.
    Number,
    /// A `-` or `+` that is the sign of the number right after it.
    Sign,
    /// Keywords, names (plain or quoted) and placeholders.
    Word,
    /// One byte of operator or punctuation.
    Op(u8),
    /// `-- …`, `# …` or `/* … */`.
    Comment,
}

/// One token; tokens tile the query without gaps, in order.
#[derive(Clone, Copy, Debug)]
struct Token {
    start: usize,
    end: usize,
    kind: Kind,
}

/// A tokenised query.
struct Lexed {
    tokens: Vec<Token>,
    /// Start offsets of two-byte escape sequences inside string literals, ascending.
    escapes: Vec<usize>,
}

impl Lexed {
    fn of(bytes: &[u8]) -> Self {
        let mut lexer = Lexer {
            bytes,
            pos: 0,
            tokens: Vec::new(),
            escapes: Vec::new(),
        };
        while lexer.pos < bytes.len() {
            lexer.step();
        }
        mark_signs(&mut lexer.tokens);
        Self {
            tokens: lexer.tokens,
            escapes: lexer.escapes,
        }
    }

    /// Whether the non-empty, in-bounds `range` stays inside one literal value.
    fn holds_value(&self, range: &Range<usize>) -> bool {
        // Tokens tile the query, so the last token starting at or before the range's
        // first byte is the one holding it.
        let at = self
            .tokens
            .partition_point(|token| token.start <= range.start)
            .saturating_sub(1);
        let Some(token) = self.tokens.get(at) else {
            return false;
        };
        let inside = match token.kind {
            Kind::Text {
                body_start,
                body_end,
                closed,
            } => closed && body_start <= range.start && range.end <= body_end,
            Kind::Number => range.end <= token.end,
            Kind::Sign => self
                .tokens
                .get(at + 1)
                .is_some_and(|number| number.kind == Kind::Number && range.end <= number.end),
            Kind::Blank | Kind::Word | Kind::Op(_) | Kind::Comment => false,
        };
        inside && !self.splits_escape(range)
    }

    /// Whether `range` takes one byte of an escape sequence but not the other: a tainted
    /// trailing backslash escapes the closing quote, a tainted quote pairs with the
    /// closing one, and either way the literal no longer ends where it was written to.
    fn splits_escape(&self, range: &Range<usize>) -> bool {
        let escape_at = |pos: usize| self.escapes.binary_search(&pos).is_ok();
        (range.start > 0 && escape_at(range.start - 1)) || escape_at(range.end - 1)
    }
}

/// Turns a `-`/`+` right before a number into [`Kind::Sign`] when it cannot be a binary
/// operator: at the start of the query or after another operator (`= -1`, `(-1`, `, -1`).
fn mark_signs(tokens: &mut [Token]) {
    let mut last: Option<usize> = None;
    let mut before_last: Option<Kind> = None;
    for at in 0..tokens.len() {
        let kind = tokens[at].kind;
        if matches!(kind, Kind::Blank | Kind::Comment) {
            continue;
        }
        if kind == Kind::Number
            && let Some(sign) = last
            && sign + 1 == at
            && matches!(tokens[sign].kind, Kind::Op(b'-' | b'+'))
            && before_last.is_none_or(|kind| match kind {
                Kind::Op(op) => !matches!(op, b')' | b']'),
                Kind::Sign => true,
                _ => false,
            })
        {
            tokens[sign].kind = Kind::Sign;
        }
        before_last = last.map(|index| tokens[index].kind);
        last = Some(at);
    }
}

/// Single pass over the query bytes.
struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    tokens: Vec<Token>,
    escapes: Vec<usize>,
}

impl Lexer<'_> {
    fn peek(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    /// First offset at or after `from` whose byte does not satisfy `keep`.
    fn skip_while(&self, from: usize, keep: impl Fn(u8) -> bool) -> usize {
        let bytes = self.bytes.get(from..).unwrap_or_default();
        from + bytes.iter().position(|&b| !keep(b)).unwrap_or(bytes.len())
    }

    /// Reads the token at `self.pos` and moves past it.
    fn step(&mut self) {
        let start = self.pos;
        let first = self.bytes[start];
        let next = self.peek(start + 1);
        let kind = match first {
            b if is_blank(b) => {
                self.pos = self.skip_while(start, is_blank);
                Kind::Blank
            }
            b'\'' => self.text(start),
            b'E' | b'e' | b'N' | b'n' | b'X' | b'x' | b'B' | b'b' if next == Some(b'\'') => {
                self.text(start + 1)
            }
            b'"' | b'`' => self.quoted_name(start),
            b'$' => self.dollar(start),
            b'0'..=b'9' => self.number(start),
            b'.' if next.is_some_and(|b| b.is_ascii_digit()) => self.number(start),
            b'-' if next == Some(b'-') => self.line_comment(start),
            b'#' => self.line_comment(start),
            b'/' if next == Some(b'*') => self.block_comment(start),
            b'?' => {
                // `?` and SQLite's `?NNN`.
                self.pos = self.skip_while(start + 1, |b| b.is_ascii_digit());
                Kind::Word
            }
            b'%' => self.percent(start),
            b':' if next.is_some_and(is_word_start) => {
                self.pos = self.skip_while(start + 1, is_word_byte);
                Kind::Word
            }
            b if is_word_start(b) => {
                self.pos = self.skip_while(start, is_word_byte);
                Kind::Word
            }
            b => {
                self.pos = start + 1;
                Kind::Op(b)
            }
        };
        self.tokens.push(Token {
            start,
            end: self.pos,
            kind,
        });
    }

    /// A single-quoted literal whose opening quote is at `quote`.
    fn text(&mut self, quote: usize) -> Kind {
        let body_start = quote + 1;
        let mut at = body_start;
        while at < self.bytes.len() {
            match self.bytes[at] {
                b'\\' if at + 1 < self.bytes.len() => {
                    self.escapes.push(at);
                    at += 2;
                }
                b'\'' if self.peek(at + 1) == Some(b'\'') => {
                    self.escapes.push(at);
                    at += 2;
                }
                b'\'' => {
                    self.pos = at + 1;
                    return Kind::Text {
                        body_start,
                        body_end: at,
                        closed: true,
                    };
                }
                _ => at += 1,
            }
        }
        self.pos = self.bytes.len();
        Kind::Text {
            body_start,
            body_end: self.bytes.len(),
            closed: false,
        }
    }

    /// A `"…"` or `` `…` `` name; the delimiter doubled stands for itself.
    fn quoted_name(&mut self, start: usize) -> Kind {
        let quote = self.bytes[start];
        let mut at = start + 1;
        while at < self.bytes.len() {
            if self.bytes[at] == quote {
                if self.peek(at + 1) == Some(quote) {
                    at += 2;
                    continue;
                }
                self.pos = at + 1;
                return Kind::Word;
            }
            at += 1;
        }
        self.pos = self.bytes.len();
        Kind::Word
    }

    /// `$1`, `$$…$$`, `$tag$…$tag$`, or a `$name` some drivers use as a placeholder.
    fn dollar(&mut self, start: usize) -> Kind {
        if self.peek(start + 1).is_some_and(|b| b.is_ascii_digit()) {
            self.pos = self.skip_while(start + 1, |b| b.is_ascii_digit());
            return Kind::Word;
        }
        let tag_end = self.skip_while(start + 1, is_tag_byte);
        if self.peek(tag_end) != Some(b'$') || tag_end - start > MAX_DOLLAR_TAG {
            self.pos = tag_end.max(start + 1);
            return Kind::Word;
        }
        let delimiter = &self.bytes[start..=tag_end];
        let body_start = tag_end + 1;
        let body = &self.bytes[body_start..];
        let closing = body
            .windows(delimiter.len())
            .position(|window| window == delimiter);
        let body_end = closing.map_or(self.bytes.len(), |offset| body_start + offset);
        self.pos = closing.map_or(self.bytes.len(), |_| body_end + delimiter.len());
        Kind::Text {
            body_start,
            body_end,
            closed: closing.is_some(),
        }
    }

    /// Integers, decimals, exponents and `0x` hex. Digits running straight into letters
    /// form a name instead (`MySQL` accepts `1abc` as an identifier).
    fn number(&mut self, start: usize) -> Kind {
        let mut at;
        if self.bytes[start] == b'0'
            && matches!(self.peek(start + 1), Some(b'x' | b'X'))
            && self.peek(start + 2).is_some_and(|b| b.is_ascii_hexdigit())
        {
            at = self.skip_while(start + 2, |b| b.is_ascii_hexdigit());
        } else {
            at = self.skip_while(start, |b| b.is_ascii_digit());
            if self.peek(at) == Some(b'.') {
                at = self.skip_while(at + 1, |b| b.is_ascii_digit());
            }
            if matches!(self.peek(at), Some(b'e' | b'E')) {
                let mut digits = at + 1;
                if matches!(self.peek(digits), Some(b'+' | b'-')) {
                    digits += 1;
                }
                if self.peek(digits).is_some_and(|b| b.is_ascii_digit()) {
                    at = self.skip_while(digits, |b| b.is_ascii_digit());
                }
            }
        }
        if self.peek(at).is_some_and(is_word_byte) {
            self.pos = self.skip_while(at, is_word_byte);
            return Kind::Word;
        }
        self.pos = at;
        Kind::Number
    }

    /// `-- …` and `MySQL`'s `# …`, up to the end of the line.
    fn line_comment(&mut self, start: usize) -> Kind {
        self.pos = self.skip_while(start, |b| b != b'\n');
        Kind::Comment
    }

    /// `/* … */`; `MySQL` does not nest them, so neither does this.
    fn block_comment(&mut self, start: usize) -> Kind {
        let body = start + 2;
        self.pos = self.bytes[body..]
            .windows(2)
            .position(|window| window == b"*/")
            .map_or(self.bytes.len(), |offset| body + offset + 2);
        Kind::Comment
    }

    /// Python DB-API placeholders `%s` and `%(name)s`, or the modulo operator.
    fn percent(&mut self, start: usize) -> Kind {
        match self.peek(start + 1) {
            Some(b) if b.is_ascii_alphabetic() => {
                self.pos = start + 2;
                Kind::Word
            }
            Some(b'(') => {
                let close = self.skip_while(start + 2, is_word_byte);
                if self.peek(close) == Some(b')')
                    && self
                        .peek(close + 1)
                        .is_some_and(|b| b.is_ascii_alphabetic())
                {
                    self.pos = close + 2;
                    Kind::Word
                } else {
                    self.pos = start + 1;
                    Kind::Op(b'%')
                }
            }
            _ => {
                self.pos = start + 1;
                Kind::Op(b'%')
            }
        }
    }
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Bytes of UTF-8 multibyte characters count as letters, as every dialect allows them in
/// names.
fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_word_byte(b: u8) -> bool {
    is_word_start(b) || b.is_ascii_digit() || b == b'$'
}

fn is_tag_byte(b: u8) -> bool {
    is_word_start(b) || b.is_ascii_digit()
}
