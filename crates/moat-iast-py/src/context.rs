//! The per-request taint map: which Python `str` objects hold request data, and where.
//!
//! Objects are keyed by identity. The context keeps a strong reference to every tainted
//! object, so an id cannot be reused by another object while the request runs; the map
//! and the references go when the request's context is dropped.

use std::collections::HashMap;
use std::sync::Mutex;

use moat_iast::{Origin, SourceKind, Taint, VulnType};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

/// Strings shorter than this are cached singletons in `CPython` (`""`, one-character
/// Latin-1 strings): tainting one would taint every use of it in the process.
const MIN_TRACKED_CHARS: usize = 2;

/// How many tainted objects one request tracks unless told otherwise.
const DEFAULT_MAX_TRACKED: usize = 10_000;

/// One request's taint state.
#[pyclass(module = "moat_iast._native")]
pub(crate) struct Context {
    tainted: Mutex<HashMap<usize, (Py<PyAny>, Taint)>>,
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

    /// The taint of a `str`, or an untainted copy of its text; `None` for other types.
    fn taint_or_plain(&self, obj: &Bound<'_, PyAny>) -> Option<Taint> {
        let text = Context::text_of(obj)?;
        Some(self.lookup(obj).unwrap_or_else(|| Taint::untainted(text)))
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
        self.lookup(value).is_some()
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
    fn propagate_concat(
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
    /// f-string is assembled from its pieces.
    #[expect(
        clippy::needless_pass_by_value,
        reason = "PyO3 extracts a Python list into a Vec"
    )]
    fn propagate_parts(
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
            let Some(sep) = self.taint_or_plain(separator) else {
                return;
            };
            let pieces: Option<Vec<Taint>> = parts.iter().map(|p| self.taint_or_plain(p)).collect();
            if let Some(pieces) = pieces {
                self.store(result, Taint::join(&sep, &pieces));
            }
        });
    }

    /// `result` computed from `inputs` by an operation whose mapping is not modelled
    /// (`%`, `str.format`, `str.replace`): tainted runs are found in the result by text.
    #[expect(
        clippy::needless_pass_by_value,
        reason = "PyO3 extracts a Python list into a Vec"
    )]
    fn propagate_found(&self, result: &Bound<'_, PyAny>, inputs: Vec<Bound<'_, PyAny>>) {
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
