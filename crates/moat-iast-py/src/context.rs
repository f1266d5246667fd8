//! The per-request taint map: which Python `str` objects hold request data, and where.
//!
//! Objects are keyed by identity. The context keeps a strong reference to every tainted
//! object, so an id cannot be reused by another object while the request runs; the map
//! and the references go when the request's context is dropped.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use moat_iast::{Origin, SourceKind, Taint, VulnType};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

/// Strings shorter than this are cached singletons in `CPython` (`""`, one-character
/// Latin-1 strings): tainting one would taint every use of it in the process.
const MIN_TRACKED_CHARS: usize = 2;

/// How many tainted objects one request tracks unless told otherwise.
const DEFAULT_MAX_TRACKED: usize = 10_000;

/// Hashes an object's address: addresses are unique while the context holds the object,
/// and aligned, so one multiply spreads them well. The default `SipHash` resists chosen
/// keys, which addresses are not, at several times the cost on every string operation.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, address: usize) {
        self.0 = (address as u64 >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Tracked objects by address.
type Tracked = HashMap<usize, (Py<PyAny>, Taint), BuildHasherDefault<AddressHasher>>;

/// One request's taint state.
#[pyclass(module = "moat_iast._native", frozen)]
pub(crate) struct Context {
    tainted: Mutex<Tracked>,
    /// Past this many tainted objects, new ones are not tracked: memory per request stays
    /// bounded whatever the request holds, at the price of missing flows in huge ones.
    max_tracked: usize,
}

impl Context {
    fn lookup(&self, obj: &Bound<'_, PyAny>) -> Option<Taint> {
        let map = self.tainted.lock().ok()?;
        map.get(&(obj.as_ptr() as usize))
            .map(|(_, taint)| taint.clone())
    }

    /// The text of a `str`, or of `bytes` read as Latin-1 (one character per byte, so
    /// ASCII keeps its offsets through `encode` and `decode`); `None` for other types.
    fn text_of(obj: &Bound<'_, PyAny>) -> Option<String> {
        if let Ok(text) = obj.cast::<PyString>() {
            return Some(text.to_cow().ok()?.into_owned());
        }
        let bytes = obj.cast::<PyBytes>().ok()?;
        Some(bytes.as_bytes().iter().map(|&b| char::from(b)).collect())
    }

    /// The length in characters of a `str`, or of `bytes` (one character per byte).
    fn text_len(obj: &Bound<'_, PyAny>) -> Option<usize> {
        if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
            obj.len().ok()
        } else {
            None
        }
    }

    /// The taint of a `str`, or an untainted copy of its text; `None` for other types.
    fn taint_or_plain(&self, obj: &Bound<'_, PyAny>) -> Option<Taint> {
        let text = Context::text_of(obj)?;
        Some(self.lookup(obj).unwrap_or_else(|| Taint::untainted(text)))
    }

    /// Whether `obj` is tracked, without copying its taint.
    pub(crate) fn holds(&self, obj: &Bound<'_, PyAny>) -> bool {
        self.tainted
            .lock()
            .is_ok_and(|map| map.contains_key(&(obj.as_ptr() as usize)))
    }

    fn store(&self, obj: &Bound<'_, PyAny>, taint: Taint) {
        if !taint.is_tainted() || taint.text().chars().count() < MIN_TRACKED_CHARS {
            return;
        }
        if let Ok(mut map) = self.tainted.lock()
            && (map.len() < self.max_tracked || map.contains_key(&(obj.as_ptr() as usize)))
        {
            map.insert(obj.as_ptr() as usize, (obj.clone().unbind(), taint));
        }
    }

    fn origin(kind: &str, name: &str) -> std::sync::Arc<Origin> {
        Origin::new(
            SourceKind::parse(kind).unwrap_or(SourceKind::Parameter),
            name,
        )
    }

    fn any_tainted(&self, objs: &[&Bound<'_, PyAny>]) -> bool {
        self.tainted.lock().is_ok_and(|map| {
            objs.iter()
                .any(|o| map.contains_key(&(o.as_ptr() as usize)))
        })
    }

    /// Follows `result = owner.method()` (see `TextMethod`).
    pub(crate) fn follow_text_method(
        &self,
        result: &Bound<'_, PyAny>,
        owner: &Bound<'_, PyAny>,
        method: TextMethod,
    ) {
        crate::guarded("Context.follow_text_method", (), || {
            if result.is(owner) {
                return;
            }
            let strip = match method {
                TextMethod::Case => return self.propagate_case(result, owner),
                TextMethod::Strip(strip) => strip,
            };
            let (Some(len), Some(whole)) = (Context::text_len(result), Context::text_len(owner))
            else {
                return;
            };
            if len == 0 {
                return;
            }
            let at = match strip {
                Strip::End => Some(0),
                Strip::Start => whole.checked_sub(len),
                Strip::Both => owner
                    .call_method1(pyo3::intern!(owner.py(), "find"), (result,))
                    .and_then(|at| at.extract::<isize>())
                    .ok()
                    .and_then(|at| usize::try_from(at).ok()),
            };
            if let Some(at) = at {
                self.propagate_slice(result, owner, at, at + len);
            }
        });
    }

    /// `result = markupsafe.escape(value)` for text: each tainted range over what its
    /// characters became (wholly tainted when the escape is not markupsafe's, so a flow
    /// is never lost), and safe for XSS unless the text holds a `:`, which escaping
    /// leaves alone: a `javascript:` URL in an attribute would still run.
    pub(crate) fn markup_escaped(&self, result: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) {
        crate::guarded("Context.markup_escaped", (), || {
            let (Some(taint), Some(text)) = (self.lookup(value), Context::text_of(result)) else {
                return;
            };
            let scheme = taint.text().contains(':');
            let escaped = match taint.expanded(text.clone(), 0, 0, crate::template::escaped_width) {
                Some(escaped) => escaped,
                None => match taint.ranges().first() {
                    Some(first) => Taint::whole(text, first.origin.clone()),
                    None => return,
                },
            };
            let escaped = if scheme {
                escaped
            } else {
                escaped.mark_secure(VulnType::Xss.secure_bit())
            };
            self.store(result, escaped);
        });
    }
}

/// The text methods whose result is the text's own characters, changed in case or
/// with ends cut, which the core follows itself (the rest are `_ops`' rules).
#[derive(Clone, Copy)]
pub(crate) enum TextMethod {
    /// `upper`, `lower`, `casefold`, `title`, `capitalize`, `swapcase`.
    Case,
    /// The `strip` family.
    Strip(Strip),
}

/// Which ends a `strip` method may cut.
#[derive(Clone, Copy)]
pub(crate) enum Strip {
    /// `lstrip`, `removeprefix`.
    Start,
    /// `rstrip`, `removesuffix`.
    End,
    /// `strip`.
    Both,
}

impl TextMethod {
    /// The method called `name`, when it is one of these.
    pub(crate) fn of(name: &Bound<'_, PyString>) -> Option<TextMethod> {
        const NAMES: [(&std::ffi::CStr, TextMethod); 11] = [
            (c"upper", TextMethod::Case),
            (c"lower", TextMethod::Case),
            (c"casefold", TextMethod::Case),
            (c"title", TextMethod::Case),
            (c"capitalize", TextMethod::Case),
            (c"swapcase", TextMethod::Case),
            (c"strip", TextMethod::Strip(Strip::Both)),
            (c"lstrip", TextMethod::Strip(Strip::Start)),
            (c"removeprefix", TextMethod::Strip(Strip::Start)),
            (c"rstrip", TextMethod::Strip(Strip::End)),
            (c"removesuffix", TextMethod::Strip(Strip::End)),
        ];
        NAMES
            .iter()
            .find_map(|(n, method)| crate::text_is(name, n).then_some(*method))
    }
}

/// An environ key's header name as Werkzeug and Django spell it: `X_USER_ID` is
/// `X-User-Id` (each run of letters capitalised, as `str.title` does).
fn header_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut in_word = false;
    for c in key.chars() {
        let c = if c == '_' { '-' } else { c };
        if c.is_alphabetic() {
            out.extend(if in_word {
                c.to_lowercase().collect::<Vec<_>>()
            } else {
                c.to_uppercase().collect()
            });
            in_word = true;
        } else {
            out.push(c);
            in_word = false;
        }
    }
    out
}

#[pymethods]
impl Context {
    #[new]
    #[pyo3(signature = (max_tracked=DEFAULT_MAX_TRACKED))]
    fn new(max_tracked: usize) -> Self {
        Context {
            tainted: Mutex::default(),
            max_tracked,
        }
    }

    /// Marks all of `value` (a `str` or `bytes`) as coming from a source; returns it.
    fn taint<'py>(&self, value: &Bound<'py, PyAny>, kind: &str, name: &str) -> Bound<'py, PyAny> {
        if let Some(text) = Context::text_of(value) {
            self.store(value, Taint::whole(text, Context::origin(kind, name)));
        }
        value.clone()
    }

    /// Taints the request's own entries of a WSGI environ (or Django's `META`): every
    /// header (`HTTP_*`, `CONTENT_TYPE`, `CONTENT_LENGTH`) under the name frameworks
    /// give it (`HTTP_X_USER_ID` is `X-User-Id`), and the entries in `client` (chosen by
    /// the client too: the query string, the raw URI) under their own name. The rest is
    /// the server's. Values shorter than two characters are never tracked.
    fn taint_environ(&self, environ: &Bound<'_, PyDict>, client: &Bound<'_, PyAny>) {
        let py = environ.py();
        crate::guarded("Context.taint_environ", (), || {
            for (key, value) in environ.iter() {
                let (Ok(key), true) = (key.cast::<PyString>(), value.is_instance_of::<PyString>())
                else {
                    continue;
                };
                // The key's text is read only for the request's own entries: under the
                // stable ABI of Python 3.9 each read copies it.
                // SAFETY: a live `str` and prefix; -1 (an error) counts as no match.
                let header = unsafe {
                    let prefix = pyo3::intern!(py, "HTTP_");
                    pyo3::ffi::PyUnicode_Tailmatch(key.as_ptr(), prefix.as_ptr(), 0, isize::MAX, -1)
                        == 1
                };
                let kind = if header
                    || crate::text_is(key, c"CONTENT_TYPE")
                    || crate::text_is(key, c"CONTENT_LENGTH")
                {
                    "header"
                } else if client.contains(key).unwrap_or(false) {
                    "environ"
                } else {
                    continue;
                };
                let Ok(name) = key.to_cow() else {
                    continue;
                };
                let origin = match (kind, name.strip_prefix("HTTP_")) {
                    ("header", Some(header)) => Context::origin(kind, &header_name(header)),
                    ("header", None) => Context::origin(kind, &header_name(&name)),
                    _ => Context::origin(kind, &name),
                };
                if let Some(text) = Context::text_of(&value) {
                    self.store(&value, Taint::whole(text, origin));
                }
            }
        });
    }

    /// Marks only some characters of `value` as request data: `runs` holds
    /// `(start, length, kind, name)` in characters, as a route's variables in a path.
    #[expect(
        clippy::needless_pass_by_value,
        reason = "PyO3 extracts a Python list into a Vec"
    )]
    fn taint_runs(&self, value: &Bound<'_, PyAny>, runs: Vec<(usize, usize, String, String)>) {
        crate::guarded("Context.taint_runs", (), || {
            let Some(text) = Context::text_of(value) else {
                return;
            };
            let runs: Vec<_> = runs
                .iter()
                .map(|(start, len, kind, name)| (*start, *len, Context::origin(kind, name)))
                .collect();
            self.store(value, Taint::from_runs(text, &runs));
        });
    }

    /// `result` is `value` passed through a sanitiser that neutralises the vulnerability
    /// types named in `kinds` (`html.escape` and `XSS`): it keeps `value`'s taint with
    /// those types marked safe. Unknown names are ignored.
    #[expect(
        clippy::needless_pass_by_value,
        reason = "PyO3 extracts a Python list into a Vec"
    )]
    fn mark_secure(&self, result: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>, kinds: Vec<String>) {
        crate::guarded("Context.mark_secure", (), || {
            let Some(taint) = self.lookup(value) else {
                return;
            };
            let Some(text) = Context::text_of(result) else {
                return;
            };
            let mask = kinds
                .iter()
                .filter_map(|k| VulnType::from_name(k))
                .fold(0, |mask, kind| mask | kind.secure_bit());
            // The sanitised text differs from the input (`<` became `&lt;`): every character
            // of the result takes the input's first origin, safe for what was sanitised.
            let secured = if text == taint.text() {
                taint.mark_secure(mask)
            } else {
                match taint.ranges().first() {
                    Some(first) => Taint::whole(text, first.origin.clone()).mark_secure(
                        mask | taint
                            .ranges()
                            .iter()
                            .fold(u32::MAX, |acc, r| acc & r.secure),
                    ),
                    None => return,
                }
            };
            self.store(result, secured);
        });
    }

    /// Whether any character of `value` is tainted.
    fn is_tainted(&self, value: &Bound<'_, PyAny>) -> bool {
        self.holds(value)
    }

    /// The tainted runs of `value`: `(start, length, kind, name)` in characters.
    fn ranges(&self, value: &Bound<'_, PyAny>) -> Vec<(usize, usize, String, String)> {
        self.lookup(value)
            .map(|taint| {
                taint
                    .ranges()
                    .iter()
                    .map(|r| {
                        (
                            r.start,
                            r.len,
                            r.origin.kind.as_str().to_owned(),
                            r.origin.name.clone(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `result = left + right`.
    pub(crate) fn propagate_concat(
        &self,
        result: &Bound<'_, PyAny>,
        left: &Bound<'_, PyAny>,
        right: &Bound<'_, PyAny>,
    ) {
        crate::guarded("Context.propagate_concat", (), || {
            if !self.any_tainted(&[left, right]) {
                return;
            }
            if let (Some(l), Some(r)) = (self.taint_or_plain(left), self.taint_or_plain(right)) {
                self.store(result, l.concat(&r));
            }
        });
    }

    /// `result = "".join(parts)` with `parts` already turned into `str`: also how an
    /// f-string is assembled from its pieces, and a template's output from its chunks.
    /// Only tainted pieces are looked at; the others count by their length, so a page
    /// of many chunks costs one pass over them and one copy of the result.
    #[expect(
        clippy::needless_pass_by_value,
        reason = "PyO3 extracts a Python list into a Vec"
    )]
    pub(crate) fn propagate_parts(
        &self,
        result: &Bound<'_, PyAny>,
        separator: &Bound<'_, PyAny>,
        parts: Vec<Bound<'_, PyAny>>,
    ) {
        crate::guarded("Context.propagate_parts", (), || {
            let mut refs: Vec<&Bound<'_, PyAny>> = parts.iter().collect();
            refs.push(separator);
            if !self.any_tainted(&refs) {
                return;
            }
            // Lengths first: a `str` subclass may run Python code in `__len__`, which must
            // not find the map locked.
            let Some(sep_len) = Context::text_len(separator) else {
                return;
            };
            let lengths: Option<Vec<usize>> = parts.iter().map(Context::text_len).collect();
            let (Some(lengths), Some(text)) = (lengths, Context::text_of(result)) else {
                return;
            };
            let taint = {
                let Ok(map) = self.tainted.lock() else {
                    return;
                };
                let taint_of =
                    |obj: &Bound<'_, PyAny>| map.get(&(obj.as_ptr() as usize)).map(|(_, t)| t);
                let separator_taint = taint_of(separator);
                let mut pieces = Vec::new();
                let mut at = 0;
                for (i, (part, len)) in parts.iter().zip(lengths).enumerate() {
                    if i > 0 {
                        if let Some(t) = separator_taint {
                            pieces.push((at, t));
                        }
                        at += sep_len;
                    }
                    if let Some(t) = taint_of(part) {
                        pieces.push((at, t));
                    }
                    at += len;
                }
                Taint::assembled(text, pieces)
            };
            self.store(result, taint);
        });
    }

    /// `result` computed from `inputs` by an operation whose mapping is not modelled
    /// (`%`, `str.format`, `str.replace`): tainted runs are found in the result by text.
    #[expect(
        clippy::needless_pass_by_value,
        reason = "PyO3 extracts a Python list into a Vec"
    )]
    pub(crate) fn propagate_found(&self, result: &Bound<'_, PyAny>, inputs: Vec<Bound<'_, PyAny>>) {
        crate::guarded("Context.propagate_found", (), || {
            let tainted: Vec<Taint> = inputs.iter().filter_map(|i| self.lookup(i)).collect();
            if tainted.is_empty() {
                return;
            }
            let Some(text) = Context::text_of(result) else {
                return;
            };
            let refs: Vec<&Taint> = tainted.iter().collect();
            self.store(result, Taint::found_in(&text, &refs));
        });
    }

    /// `result = value.replace(old, new)`: kept characters keep their taint, inserted
    /// copies of `new` bring `new`'s.
    fn propagate_replace(
        &self,
        result: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
        old: &Bound<'_, PyAny>,
        new: &Bound<'_, PyAny>,
    ) {
        crate::guarded("Context.propagate_replace", (), || {
            if !self.any_tainted(&[value, new]) {
                return;
            }
            let (Some(taint), Some(old), Some(new)) = (
                self.taint_or_plain(value),
                Context::text_of(old),
                self.taint_or_plain(new),
            ) else {
                return;
            };
            self.store(result, taint.replace(&old, &new));
        });
    }

    /// `result = value[start:stop]` on a `str`, indices already normalised by `slice.indices`.
    fn propagate_slice(
        &self,
        result: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
        start: usize,
        stop: usize,
    ) {
        crate::guarded("Context.propagate_slice", (), || {
            if let Some(taint) = self.lookup(value) {
                self.store(result, taint.slice(start, stop));
            }
        });
    }

    /// `result = value.upper()` and other per-character changes.
    fn propagate_case(&self, result: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) {
        crate::guarded("Context.propagate_case", (), || {
            let Some(taint) = self.lookup(value) else {
                return;
            };
            let Some(text) = Context::text_of(result) else {
                return;
            };
            self.store(result, taint.map_case(|_| text.clone()));
        });
    }

    /// `result` is `value` escaped character by character: `widths` gives what a character
    /// becomes (`{"<": 4}` for `&lt;`; others stay one), after `prefix` and before `suffix`
    /// added characters. Returns whether the widths matched the result (when they do not,
    /// the caller falls back to a coarser rule).
    #[pyo3(signature = (result, value, widths, prefix=0, suffix=0))]
    #[expect(
        clippy::needless_pass_by_value,
        reason = "PyO3 extracts a Python dict into a HashMap"
    )]
    fn propagate_escaped(
        &self,
        result: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
        widths: HashMap<char, usize>,
        prefix: usize,
        suffix: usize,
    ) -> bool {
        crate::guarded("Context.propagate_escaped", false, || {
            let (Some(taint), Some(text)) = (self.lookup(value), Context::text_of(result)) else {
                return false;
            };
            let width = |c| widths.get(&c).copied().unwrap_or(1);
            match taint.expanded(text, prefix, suffix, width) {
                Some(escaped) => {
                    self.store(result, escaped);
                    true
                }
                None => false,
            }
        })
    }

    /// `result = owner.name()` for a case change or a `strip` (see `TextMethod`);
    /// False when `name` is not one of those.
    #[pyo3(name = "follow_text_method")]
    fn py_follow_text_method(
        &self,
        result: &Bound<'_, PyAny>,
        owner: &Bound<'_, PyAny>,
        name: &Bound<'_, PyString>,
    ) -> bool {
        TextMethod::of(name).is_some_and(|method| {
            self.follow_text_method(result, owner, method);
            true
        })
    }

    /// `result = markupsafe.escape(value)` for text (see `markup_escaped`).
    fn propagate_markup_escape(&self, result: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) {
        self.markup_escaped(result, value);
    }

    /// `result = value` when an operation returned equal text (`format(s, "")`, `str(s)`).
    fn propagate_same(&self, result: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) {
        crate::guarded("Context.propagate_same", (), || {
            if let Some(taint) = self.lookup(value) {
                self.store(result, taint);
            }
        });
    }

    /// The report line when tainted text in `value` reaching a sink of type `kind` (an
    /// interface name such as `SQL_INJECTION`) is exploitable, or `None` when it is not:
    /// the JSON object of the `MOAT_IAST_OUTPUT` interface.
    #[pyo3(signature = (kind, value, path, line, method=None, route=None))]
    fn report(
        &self,
        kind: &str,
        value: &Bound<'_, PyAny>,
        path: String,
        line: u32,
        method: Option<String>,
        route: Option<String>,
    ) -> Option<String> {
        crate::guarded("Context.report", None, || {
            let kind = VulnType::from_name(kind)?;
            let taint = self.lookup(value)?;
            if !kind.analyser()(taint.text(), &taint.byte_ranges_for(kind.secure_bit())) {
                return None;
            }
            let location = moat_iast::CodeLocation { path, line };
            Some(
                moat_iast::Report::new(kind, location, crate::request(method, route), &taint)
                    .to_json_line(),
            )
        })
    }

    /// Whether tainted text in `value` makes a sink of type `kind` exploitable.
    fn vulnerable(&self, kind: &str, value: &Bound<'_, PyAny>) -> bool {
        crate::guarded("Context.vulnerable", false, || {
            let Some(kind) = VulnType::from_name(kind) else {
                return false;
            };
            self.lookup(value)
                .is_some_and(|t| kind.analyser()(t.text(), &t.byte_ranges_for(kind.secure_bit())))
        })
    }

    /// How many objects are tracked, for tests of memory bounds.
    fn __len__(&self) -> usize {
        self.tainted.lock().map_or(0, |m| m.len())
    }
}
