//! Jinja's escape of every printed value, for the values that carry no request data.
//!
//! A page prints dozens of values, and markupsafe's `escape` is a Python function that
//! builds its `Markup` through `Markup.__new__`, which the agent hooks (declaring text
//! safe HTML is the XSS sink behind `|safe` and `Markup(...)`). Routing every printed
//! number and database string through both hooks cost more than the rest of a request's
//! analysis, so templates get this escape instead: text and numbers become their
//! `Markup` directly, exactly as markupsafe builds it, with the text's taint mapped over
//! the escaped result; any other value (markup, objects with `__html__`) goes to the
//! (hooked) markupsafe `escape`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyString, PyType};
use pyo3::{ffi, intern};

/// What the agent registers once it has hooked markupsafe.
struct Registered {
    /// markupsafe's `escape` as the agent hooked it: the path for every other value.
    escape: Py<PyAny>,
    /// `markupsafe.Markup`.
    markup: Py<PyType>,
    /// `str.__new__`, which builds the `Markup` without running `Markup.__new__`: for
    /// plain text that is all markupsafe's `__new__` does.
    str_new: Py<PyAny>,
}

static REGISTERED: PyOnceLock<Registered> = PyOnceLock::new();

/// Registers markupsafe's hooked `escape` and `Markup`; the first call wins. False when markupsafe escapes differently from `escape_html`: then
/// templates must keep markupsafe's own escape.
#[pyfunction]
pub(crate) fn register_template(
    py: Python<'_>,
    escape: Py<PyAny>,
    markup: Py<PyType>,
) -> PyResult<bool> {
    let probe = "&<>'\"é";
    let theirs: String = escape.bind(py).call1((probe,))?.str()?.extract()?;
    if theirs != escape_html(probe) {
        return Ok(false);
    }
    let str_new = py
        .get_type::<PyString>()
        .getattr(intern!(py, "__new__"))?
        .unbind();
    REGISTERED.get_or_init(py, || Registered {
        escape,
        markup,
        str_new,
    });
    Ok(true)
}

/// The characters markupsafe escapes, and what each becomes.
const ESCAPES: [(char, &str); 5] = [
    ('&', "&amp;"),
    ('<', "&lt;"),
    ('>', "&gt;"),
    ('\'', "&#39;"),
    ('"', "&#34;"),
];

fn escape_of(c: char) -> Option<&'static str> {
    ESCAPES
        .iter()
        .find(|(from, _)| *from == c)
        .map(|(_, to)| *to)
}

/// HTML-escaped text as markupsafe writes it. Checked against markupsafe's own escape
/// when the agent registers (`register_template` refuses a different one).
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match escape_of(c) {
            Some(escaped) => out.push_str(escaped),
            None => out.push(c),
        }
    }
    out
}

/// What one character becomes in `escape_html`'s output, in characters.
pub(crate) fn escaped_width(c: char) -> usize {
    escape_of(c).map_or(1, str::len)
}

/// Whether HTML escaping leaves `text` as it is.
fn needs_no_escaping(text: &Bound<'_, PyString>) -> bool {
    // SAFETY: `text` is a live `str`; both calls only read it and report errors by
    // their return value (an error leaves the value to markupsafe).
    unsafe {
        let len = ffi::PyUnicode_GetLength(text.as_ptr());
        if len < 0 {
            ffi::PyErr_Clear();
            return false;
        }
        ESCAPES.iter().all(|&(c, _)| {
            let at = ffi::PyUnicode_FindChar(text.as_ptr(), c as ffi::Py_UCS4, 0, len, 1);
            if at == -2 {
                ffi::PyErr_Clear();
            }
            at == -1
        })
    }
}

/// The `Markup` of text or of a number, bool or `None` (whose text never needs
/// escaping), with the text's taint followed; `None` for any other value, and when
/// anything fails here, so that markupsafe's escape decides (and raises, if it must).
fn escaped<'py>(registered: &Registered, value: &Bound<'py, PyAny>) -> Option<Bound<'py, PyAny>> {
    let py = value.py();
    let markup = |text: Bound<'py, PyString>| {
        registered
            .str_new
            .bind(py)
            .call1((registered.markup.bind(py), text))
            .ok()
    };
    if let Ok(text) = value.cast_exact::<PyString>() {
        let ctx = crate::ops::current(py).filter(|ctx| ctx.get().holds(value));
        let escaped = if needs_no_escaping(text) {
            text.clone()
        } else {
            PyString::new(py, &escape_html(&text.to_cow().ok()?))
        };
        let result = markup(escaped)?;
        if let Some(ctx) = ctx {
            ctx.get().markup_escaped(&result, value);
        }
        return Some(result);
    }
    if crate::ops::is_number(value) {
        markup(value.str().ok()?)
    } else {
        None
    }
}

/// `markupsafe.escape(value)` for a template: the same `Markup`, with taint followed.
#[pyfunction]
pub(crate) fn template_escape<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = value.py();
    let Some(registered) = REGISTERED.get(py) else {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(
            "moat-iast: template escape used before markupsafe was hooked",
        ));
    };
    match crate::guarded("template_escape", None, || escaped(registered, value)) {
        Some(result) => Ok(result),
        None => registered.escape.bind(py).call1((value,)),
    }
}
