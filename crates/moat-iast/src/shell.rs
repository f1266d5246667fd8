//! Command injection: whether tainted bytes change how a POSIX shell splits and expands a
//! command line (`os.system`, `subprocess` with `shell=True`).
//!
//! The command is read once, the way `sh` reads it, and every byte is classed as literal
//! argument text or as structure (separators, operators, quotes, escapes, expansions,
//! globs, comments). Tainted text is harmless only while every tainted byte is literal
//! text inside an argument: then the shell runs the same program with the same argument
//! list the developer wrote, only with another value in one argument.
//!
//! The reader is written by hand because what the check needs is the byte span of each
//! quote, escape and expansion, which shell-splitting crates do not report. It does not
//! recurse: nested `$(…)`, `${…}` and quotes are tracked on an explicit stack so that
//! deeply nested input cannot overflow the call stack.

use std::ops::Range;

/// Whether tainted bytes change the structure of `command`.
///
/// `tainted` holds byte offsets into `command`; ranges may overlap, be empty, reversed or
/// out of bounds (they are clamped to the command and empty ones are ignored). Offsets
/// that fall inside a multibyte character are fine: the command is read as bytes.
///
/// A tainted range is safe only when it lies inside one argument and every tainted byte
/// is literal text there:
/// - inside single quotes (no escapes exist there), or
/// - inside double quotes, except `$`, `` ` ``, `\` and `"`, or
/// - unquoted and one of `A-Z a-z 0-9 . _ / : = @ % + , -`, a byte of a multibyte UTF-8
///   character (never special to a shell), or a byte escaped by an untainted backslash.
///
/// Everything else is reported: separators and operators (`;` `&` `|` `<` `>` `(` `)`,
/// blanks, newlines), expansions (`$VAR`, `$(…)`, `${…}`, backticks, `~`), globs
/// (`*` `?` `[`), comments, quote characters and backslashes, and any text inside an
/// untainted expansion or an unterminated quote. A tainted range inside the word that
/// names the program (the first word of each command, also after `;`, `|`, `&&`,
/// `then`, `do` …, and the program run by `sudo`, `env`, `xargs` …) or inside the name
/// of a leading `NAME=value` assignment is reported too: the attacker chooses what runs.
/// So is any argument of `eval`, `source` and of shells (`sh -c …`, `bash script`):
/// the shell parses that text again, so even literal text there is code.
///
/// A tainted argument starting with `-` (`ls {arg}` with `-la`) is not reported here:
/// option injection depends on the program and is a separate check.
pub fn injected(command: &str, tainted: &[Range<usize>]) -> bool {
    let mut ranges = crate::clamped(tainted, command.len()).peekable();
    if ranges.peek().is_none() {
        return false;
    }
    let read = Reading::of(command.as_bytes());
    ranges.any(|range| !read.is_literal_argument(&range))
}

/// A command line, classed byte by byte.
struct Reading {
    /// Bytes that are not literal argument text; ascending, disjoint, non-adjacent.
    structure: Vec<Range<usize>>,
    /// Text the attacker must not choose even literally: program names, names of leading
    /// assignments, arguments of [`CODE_RUNNERS`]; ascending, disjoint.
    programs: Vec<Range<usize>>,
}

impl Reading {
    fn of(bytes: &[u8]) -> Self {
        let mut reader = Reader {
            bytes,
            pos: 0,
            structure: Vec::new(),
            programs: Vec::new(),
            role: Role::Program,
            wrapped: false,
            redirect_target: false,
        };
        reader.run();
        Self {
            structure: reader.structure,
            programs: reader.programs,
        }
    }

    /// Whether the non-empty, in-bounds `range` is literal text of one argument. Words are
    /// separated by structure bytes, so a range free of them stays inside one word.
    fn is_literal_argument(&self, range: &Range<usize>) -> bool {
        !overlaps(&self.structure, range) && !overlaps(&self.programs, range)
    }
}

/// Whether any of the ascending, disjoint `spans` shares a byte with `range`.
fn overlaps(spans: &[Range<usize>], range: &Range<usize>) -> bool {
    let first_after = spans.partition_point(|span| span.end <= range.start);
    spans
        .get(first_after)
        .is_some_and(|span| span.start < range.end)
}

/// Reserved words after which the next word is again a program name.
const LEADING_KEYWORDS: &[&[u8]] = &[
    b"if", b"then", b"else", b"elif", b"do", b"while", b"until", b"!", b"{", b"time",
];

/// Programs that run another program named by their first argument that is not an option.
const WRAPPERS: &[&[u8]] = &[
    b"exec", b"command", b"builtin", b"nohup", b"sudo", b"doas", b"env", b"xargs",
];

/// Programs whose arguments are shell code or a script to run: the shell parses them a
/// second time, so literal text here is as dangerous as structure.
const CODE_RUNNERS: &[&[u8]] = &[
    b"eval", b"source", b".", b"sh", b"bash", b"dash", b"zsh", b"ksh", b"ash",
];

/// What the next word of a simple command is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The program to run (or an assignment before it).
    Program,
    /// An argument: literal text is safe.
    Argument,
    /// An argument of a [`CODE_RUNNERS`] program.
    Code,
}

/// Single pass over the command at the top level.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    structure: Vec<Range<usize>>,
    programs: Vec<Range<usize>>,
    /// What the next word is.
    role: Role,
    /// The program is one of [`WRAPPERS`], so its options are skipped while looking for
    /// the program it runs.
    wrapped: bool,
    /// The next word is the file of a redirection, not an argument or program.
    redirect_target: bool,
}

impl Reader<'_> {
    fn run(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            let start = self.pos;
            match b {
                b' ' | b'\t' => self.structural(start, start + 1),
                b'&' if self.bytes.get(start + 1) == Some(&b'>') => self.redirection(start),
                b'\n' | b';' | b'|' | b'&' | b'(' | b')' => {
                    self.structural(start, start + 1);
                    self.role = Role::Program;
                    self.wrapped = false;
                    self.redirect_target = false;
                }
                b'<' | b'>' => self.redirection(start),
                b'#' => {
                    let end = self.bytes[start..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(self.bytes.len(), |offset| start + offset);
                    self.structural(start, end);
                }
                _ => self.word(),
            }
        }
    }

    /// Marks `start..end` as structure, merging with what is already marked. Unterminated
    /// quotes mark back over their body, hence the merge loop rather than a plain push.
    fn structural(&mut self, start: usize, end: usize) {
        let end = end.min(self.bytes.len());
        self.pos = self.pos.max(end);
        let mut span = start..end;
        while let Some(last) = self.structure.last() {
            if last.end < span.start {
                break;
            }
            span = last.start.min(span.start)..last.end.max(span.end);
            self.structure.pop();
        }
        self.structure.push(span);
    }

    /// `<`, `>`, `>>`, `<<`, `<<<`, `>&`, `<&`, `>|`, `<>`, `&>`: one operator whose next
    /// word is a file (or descriptor), after which a program name may still follow.
    fn redirection(&mut self, start: usize) {
        let end = start
            + 1
            + self.bytes[start + 1..]
                .iter()
                .take_while(|&&b| matches!(b, b'<' | b'>' | b'&' | b'|'))
                .count();
        self.structural(start, end);
        self.redirect_target = true;
    }

    /// One word, up to an unquoted blank or operator.
    fn word(&mut self) {
        let start = self.pos;
        while let Some(&b) = self.bytes.get(self.pos) {
            let at = self.pos;
            match b {
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' => break,
                b'\'' => self.single_quoted(at),
                b'"' => self.double_quoted(at),
                b'\\' => {
                    // The escaped byte is literal, except a newline, which the backslash
                    // removes to join two lines.
                    let escaped_newline = self.bytes.get(at + 1) == Some(&b'\n');
                    self.structural(at, if escaped_newline { at + 2 } else { at + 1 });
                    self.pos = (at + 2).min(self.bytes.len());
                }
                b'$' | b'`' => {
                    let end = expansion_end(self.bytes, at);
                    self.structural(at, end);
                }
                b if is_plain(b) => self.pos += 1,
                _ => self.structural(at, at + 1),
            }
        }
        self.finish_word(start..self.pos);
    }

    fn finish_word(&mut self, word: Range<usize>) {
        if word.is_empty() {
            return;
        }
        if self.redirect_target {
            self.redirect_target = false;
            return;
        }
        let text = &self.bytes[word.clone()];
        match self.role {
            Role::Argument => {}
            Role::Code => self.programs.push(word),
            Role::Program => {
                if let Some(equals) = assignment_equals(text) {
                    // `NAME=value cmd`: the name is structure, the value an argument, and
                    // the program name still follows.
                    self.programs.push(word.start..word.start + equals + 1);
                } else if self.wrapped && text.starts_with(b"-") {
                    // An option of `sudo`, `env` …; the program they run still follows.
                } else {
                    self.programs.push(word);
                    let name = text.rsplit(|&b| b == b'/').next().unwrap_or(text);
                    self.wrapped = WRAPPERS.contains(&name);
                    self.role = if self.wrapped || LEADING_KEYWORDS.contains(&text) {
                        Role::Program
                    } else if CODE_RUNNERS.contains(&name) {
                        Role::Code
                    } else {
                        Role::Argument
                    };
                }
            }
        }
    }

    /// `'…'`: no escapes, every byte between the quotes is literal.
    fn single_quoted(&mut self, open: usize) {
        match self.bytes[open + 1..].iter().position(|&b| b == b'\'') {
            Some(offset) => {
                let close = open + 1 + offset;
                self.structural(open, open + 1);
                self.structural(close, close + 1);
            }
            // The shell rejects the command; where the value was meant to end is unknown.
            None => self.structural(open, self.bytes.len()),
        }
    }

    /// `"…"`: literal except backslash escapes and expansions.
    fn double_quoted(&mut self, open: usize) {
        self.structural(open, open + 1);
        while let Some(&b) = self.bytes.get(self.pos) {
            let at = self.pos;
            match b {
                b'"' => {
                    self.structural(at, at + 1);
                    return;
                }
                b'\\' => match self.bytes.get(at + 1) {
                    Some(b'\n') => self.structural(at, at + 2),
                    Some(b'$' | b'`' | b'"' | b'\\') => {
                        self.structural(at, at + 1);
                        self.pos = at + 2;
                    }
                    // Before other bytes the backslash is kept literally, but a tainted
                    // backslash is still treated as structure.
                    _ => self.structural(at, at + 1),
                },
                b'$' | b'`' => {
                    let end = expansion_end(self.bytes, at);
                    self.structural(at, end);
                }
                _ => self.pos += 1,
            }
        }
        self.structural(open, self.bytes.len());
    }
}

/// What an expansion is inside, while looking for its end.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `$(…)`, `$((…))` or a `(…)` inside one.
    Paren,
    /// `${…}`.
    Brace,
    /// `` `…` ``.
    Backtick,
    /// `'…'` inside an expansion.
    Single,
    /// `"…"` inside an expansion.
    Double,
    /// Bash's `$'…'`, which has backslash escapes.
    Ansi,
}

/// End (exclusive) of the expansion starting at `at` (a `$` or a backtick). An expansion
/// that is never closed runs to the end of the input.
fn expansion_end(bytes: &[u8], at: usize) -> usize {
    let (first, mut pos) = match (bytes[at], bytes.get(at + 1)) {
        (b'`', _) => (Frame::Backtick, at + 1),
        (b'$', Some(b'(')) => (Frame::Paren, at + 2),
        (b'$', Some(b'{')) => (Frame::Brace, at + 2),
        (b'$', Some(b'\'')) => (Frame::Ansi, at + 2),
        (b'$', Some(&b)) if b.is_ascii_alphabetic() || b == b'_' => {
            let name = bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            return at + 1 + name;
        }
        (b'$', Some(&b)) if b.is_ascii_digit() || b"@*#?$!-".contains(&b) => return at + 2,
        // A lone `$` is literal to the shell; it is still structure for tainted bytes.
        _ => return at + 1,
    };
    let mut frames = vec![first];
    while let (Some(&frame), Some(&b)) = (frames.last(), bytes.get(pos)) {
        match frame {
            Frame::Single => {
                if b == b'\'' {
                    frames.pop();
                }
                pos += 1;
            }
            Frame::Ansi | Frame::Backtick => match b {
                b'\\' => pos += 2,
                b'\'' if frame == Frame::Ansi => {
                    frames.pop();
                    pos += 1;
                }
                b'`' if frame == Frame::Backtick => {
                    frames.pop();
                    pos += 1;
                }
                _ => pos += 1,
            },
            Frame::Double => match b {
                b'\\' => pos += 2,
                b'"' => {
                    frames.pop();
                    pos += 1;
                }
                b'$' | b'`' => pos = open_nested(bytes, pos, &mut frames),
                _ => pos += 1,
            },
            Frame::Paren | Frame::Brace => match b {
                b'\\' => pos += 2,
                b'\'' => {
                    frames.push(Frame::Single);
                    pos += 1;
                }
                b'"' => {
                    frames.push(Frame::Double);
                    pos += 1;
                }
                b'$' | b'`' => pos = open_nested(bytes, pos, &mut frames),
                b'(' if frame == Frame::Paren => {
                    frames.push(Frame::Paren);
                    pos += 1;
                }
                b')' if frame == Frame::Paren => {
                    frames.pop();
                    pos += 1;
                }
                b'}' if frame == Frame::Brace => {
                    frames.pop();
                    pos += 1;
                }
                // A comment inside `$(…)` may hold parentheses that close nothing.
                b'#' if frame == Frame::Paren
                    && pos
                        .checked_sub(1)
                        .and_then(|before| bytes.get(before))
                        .is_none_or(|&before| b" \t\n;&|(".contains(&before)) =>
                {
                    pos += bytes[pos..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .unwrap_or(bytes.len() - pos);
                }
                _ => pos += 1,
            },
        }
    }
    pos.min(bytes.len())
}

/// Pushes the frame opened by the `$` or backtick at `at`, returning where to read on.
fn open_nested(bytes: &[u8], at: usize, frames: &mut Vec<Frame>) -> usize {
    let frame = match (bytes[at], bytes.get(at + 1)) {
        (b'`', _) => {
            frames.push(Frame::Backtick);
            return at + 1;
        }
        (_, Some(b'(')) => Frame::Paren,
        (_, Some(b'{')) => Frame::Brace,
        (_, Some(b'\'')) => Frame::Ansi,
        _ => return at + 1,
    };
    frames.push(frame);
    at + 2
}

/// Unquoted bytes that are literal in every position of a word.
fn is_plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._/:=@%+,-".contains(&b) || b >= 0x80
}

/// Offset of the `=` when `word` starts with `NAME=`, a variable assignment.
fn assignment_equals(word: &[u8]) -> Option<usize> {
    let equals = word.iter().position(|&b| b == b'=')?;
    let name = &word[..equals];
    let valid = name
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_');
    valid.then_some(equals)
}
