//! The per-request taint map: which Python `str` objects hold request data, and where.
//!
//! Objects are keyed by identity. The context keeps a strong reference to every tainted
//! object, so an id cannot be reused by another object while the request runs; the map
//! and the references go when the request's context is dropped.

use std::collections::HashMap;
use std::sync::Mutex;

use moat_iast::{Origin, SourceKind, Taint, VulnType};
use pyo3::prelude::*;
use pyo3::types::PyString;

/// Strings shorter than this are cached singletons in `CPython` (`""`, one-character
/// Latin-1 strings): tainting one would taint every use of it in the process.
const MIN_TRACKED_CHARS: usize = 2;

/// A sink analyser of the core: text and tainted byte ranges to a verdict.
type Analyser = fn(&str, &[std::ops::Range<usize>]) -> bool;

/// One request's taint state.
#[pyclass(module = "moat_iast._native")]
#[derive(Default)]
pub(crate) struct Context {
    tainted: Mutex<HashMap<usize, (Py<PyAny>, Taint)>>,
}

impl Context {
    fn lookup(&self, obj: &Bound<'_, PyAny>) -> Option<Taint> {
        let map = self.tainted.lock().ok()?;
        map.get(&(obj.as_ptr() as usize))
            .map(|(_, taint)| taint.clone())
    }

    /// The text of a `str`; `None` for other types.
    fn text_of(obj: &Bound<'_, PyAny>) -> Option<String> {
        Some(obj.cast::<PyString>().ok()?.to_cow().ok()?.into_owned())
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
        if let Ok(mut map) = self.tainted.lock() {
            map.insert(obj.as_ptr() as usize, (obj.clone().unbind(), taint));
        }
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
    fn new() -> Self {
        Context::default()
    }

    /// Marks all of `value` as coming from a source; returns the object to use from now on.
    fn taint<'py>(
        &self,
        value: &Bound<'py, PyString>,
        kind: &str,
        name: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        // `to_str` needs Python 3.10 under the stable ABI; `to_cow` works from 3.9.
        let text = value.to_cow()?.into_owned();
        let any = value.as_any();
        self.store(
            any,
            Taint::whole(
                text,
                Origin::new(
                    SourceKind::parse(kind).unwrap_or(SourceKind::Parameter),
                    name,
                ),
            ),
        );
        Ok(any.clone())
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
        if !self.any_tainted(&[left, right]) {
            return;
        }
        if let (Some(l), Some(r)) = (self.taint_or_plain(left), self.taint_or_plain(right)) {
            self.store(result, l.concat(&r));
        }
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
    }

    /// `result` computed from `inputs` by an operation whose mapping is not modelled
    /// (`%`, `str.format`, `str.replace`): tainted runs are found in the result by text.
    #[expect(
        clippy::needless_pass_by_value,
        reason = "PyO3 extracts a Python list into a Vec"
    )]
    fn propagate_found(&self, result: &Bound<'_, PyAny>, inputs: Vec<Bound<'_, PyAny>>) {
        let tainted: Vec<Taint> = inputs.iter().filter_map(|i| self.lookup(i)).collect();
        if tainted.is_empty() {
            return;
        }
        let Some(text) = Context::text_of(result) else {
            return;
        };
        let refs: Vec<&Taint> = tainted.iter().collect();
        self.store(result, Taint::found_in(&text, &refs));
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
    }

    /// `result = value[start:stop]` on a `str`, indices already normalised by `slice.indices`.
    fn propagate_slice(
        &self,
        result: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
        start: usize,
        stop: usize,
    ) {
        if let Some(taint) = self.lookup(value) {
            self.store(result, taint.slice(start, stop));
        }
    }

    /// `result = value.upper()` and other per-character changes.
    fn propagate_case(&self, result: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) {
        let Some(taint) = self.lookup(value) else {
            return;
        };
        let Some(text) = Context::text_of(result) else {
            return;
        };
        self.store(result, taint.map_case(|_| text.clone()));
    }

    /// `result = value` when an operation returned equal text (`format(s, "")`, `str(s)`).
    fn propagate_same(&self, result: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) {
        if let Some(taint) = self.lookup(value) {
            self.store(result, taint);
        }
    }

    /// The report line when tainted text in `value` makes the sink `sink` (`sql`,
    /// `shell`, `path` or `url`) vulnerable, or `None` when it is clean: the JSON object
    /// of the `MOAT_IAST_OUTPUT` interface.
    #[pyo3(signature = (sink, value, path, line, method=None, request_path=None))]
    fn report(
        &self,
        sink: &str,
        value: &Bound<'_, PyAny>,
        path: String,
        line: u32,
        method: Option<String>,
        request_path: Option<String>,
    ) -> Option<String> {
        crate::guarded("Context.report", None, || {
            let (kind, check): (VulnType, Analyser) = match sink {
                "sql" => (VulnType::SqlInjection, moat_iast::sql::injected),
                "shell" => (VulnType::CommandInjection, moat_iast::shell::injected),
                "path" => (VulnType::PathTraversal, moat_iast::path::traversal),
                "url" => (VulnType::Ssrf, moat_iast::url::ssrf),
                _ => return None,
            };
            let taint = self.lookup(value)?;
            if !check(taint.text(), &taint.byte_ranges_for(kind.secure_bit())) {
                return None;
            }
            let request = method
                .zip(request_path)
                .map(|(method, path)| moat_iast::RequestInfo { method, path });
            let location = moat_iast::CodeLocation { path, line };
            Some(moat_iast::Report::new(kind, location, request, &taint).to_json_line())
        })
    }

    /// Whether tainted text changes the structure of `query`.
    fn sql_injected(&self, query: &Bound<'_, PyAny>) -> bool {
        crate::guarded("Context.sql_injected", false, || {
            self.lookup(query)
                .is_some_and(|t| moat_iast::sql::injected(t.text(), &t.byte_ranges()))
        })
    }

    /// How many objects are tracked, for tests of memory bounds.
    fn __len__(&self) -> usize {
        self.tainted.lock().map_or(0, |m| m.len())
    }
}
