//! The thin `PyO3` layer over `moat-iast`: the Python agent calls these functions from its
//! hooks. Every entry point fails open: a panic inside the core is caught, logged once and
//! answered with the harmless default, because a `PyO3` panic would otherwise surface in the
//! application as a `BaseException` that ordinary `except Exception` handlers miss.

use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};

use pyo3::prelude::*;

mod context;
mod hooked;
mod ops;
mod template;

static PANICKED: AtomicBool = AtomicBool::new(false);

/// Runs `f`, turning a panic into `default` and one warning on stderr.
pub(crate) fn guarded<T>(what: &str, default: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        if !PANICKED.swap(true, Ordering::Relaxed) {
            eprintln!("moat-iast: internal error in {what}; the check was skipped (reported once)");
        }
        default
    })
}

/// Whether the `str` `text` equals `ascii`, compared in place: reading a `str` as
/// UTF-8 copies it under the stable ABI of Python 3.9, and these run per call.
pub(crate) fn text_is(text: &Bound<'_, pyo3::types::PyString>, ascii: &std::ffi::CStr) -> bool {
    // SAFETY: a live `str` and a NUL-terminated ASCII string; no error is set.
    unsafe { pyo3::ffi::PyUnicode_CompareWithASCIIString(text.as_ptr(), ascii.as_ptr()) == 0 }
}

fn ranges(pairs: Vec<(usize, usize)>) -> Vec<Range<usize>> {
    pairs.into_iter().map(|(start, end)| start..end).collect()
}

/// Whether the tainted byte ranges change the structure of an SQL query.
#[pyfunction]
fn sql_injected(query: &str, tainted: Vec<(usize, usize)>) -> bool {
    guarded("sql_injected", false, || {
        moat_iast::sql::injected(query, &ranges(tainted))
    })
}

/// Whether the tainted byte ranges change the structure of a shell command.
#[pyfunction]
fn shell_injected(command: &str, tainted: Vec<(usize, usize)>) -> bool {
    guarded("shell_injected", false, || {
        moat_iast::shell::injected(command, &ranges(tainted))
    })
}

/// The request part of a report, when the sink ran inside one.
pub(crate) fn request(
    method: Option<String>,
    route: Option<String>,
) -> Option<moat_iast::RequestInfo> {
    method
        .zip(route)
        .map(|(method, path)| moat_iast::RequestInfo { method, path })
}

/// The report line of a check that follows no data flow (`WEAK_HASH`, `INSECURE_COOKIE`),
/// or `None` for an unknown type name.
#[pyfunction]
#[pyo3(signature = (kind, evidence, path, line, method=None, route=None))]
fn report_plain(
    kind: &str,
    evidence: String,
    path: String,
    line: u32,
    method: Option<String>,
    route: Option<String>,
) -> Option<String> {
    guarded("report_plain", None, || {
        let kind = moat_iast::VulnType::from_name(kind)?;
        let location = moat_iast::CodeLocation { path, line };
        let evidence = moat_iast::Evidence::plain(evidence);
        Some(
            moat_iast::Report::plain(kind, location, request(method, route), evidence)
                .to_json_line(),
        )
    })
}

/// Panics inside the core, so tests can prove the panic never reaches Python.
#[pyfunction]
fn _panic_for_tests() -> bool {
    guarded("_panic_for_tests", false, || panic!("forced by a test"))
}

/// Panics without the guard: the panic reaches Python as `PanicException`, a
/// `BaseException`, so tests can prove the Python hooks contain it too.
#[pyfunction]
fn _raise_panic_for_tests() {
    panic!("forced by a test, unguarded");
}

/// The extension module `moat_iast._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<context::Context>()?;
    m.add_class::<hooked::Hooked>()?;
    m.add_function(wrap_pyfunction!(hooked::may_carry_args, m)?)?;
    m.add_function(wrap_pyfunction!(ops::register_ops, m)?)?;
    m.add_function(wrap_pyfunction!(ops::add, m)?)?;
    m.add_function(wrap_pyfunction!(ops::iadd, m)?)?;
    m.add_function(wrap_pyfunction!(ops::modulo, m)?)?;
    m.add_function(wrap_pyfunction!(ops::imod, m)?)?;
    m.add_function(wrap_pyfunction!(ops::join_parts, m)?)?;
    m.add_function(wrap_pyfunction!(ops::format_value, m)?)?;
    m.add_function(wrap_pyfunction!(ops::method0, m)?)?;
    m.add_function(wrap_pyfunction!(ops::method1, m)?)?;
    m.add_function(wrap_pyfunction!(ops::method2, m)?)?;
    m.add_function(wrap_pyfunction!(template::register_template, m)?)?;
    m.add_function(wrap_pyfunction!(template::template_escape, m)?)?;
    m.add_function(wrap_pyfunction!(sql_injected, m)?)?;
    m.add_function(wrap_pyfunction!(shell_injected, m)?)?;
    m.add_function(wrap_pyfunction!(report_plain, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(_raise_panic_for_tests, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
