//! The rewritten application's string operations (`moat_iast._ops`), for the shapes that
//! run most: `+`, `%`, f-strings, and method calls on text. Each computes its result
//! exactly as Python does (the same C call the interpreter makes, so the same value,
//! type and exceptions), then follows taint only inside a request and only when an
//! operand is tainted. Written here because every one of them replaces a bytecode of
//! the application: a Python frame per `+` would cost more than the rest of the agent.
//!
//! What is not a fast path is handed to `_ops` in Python, which holds the full rules.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyComplex, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3::{ffi, intern};

use crate::context::{Context, TextMethod};

/// What `_ops` registers once: the request context's getter, and the Python functions
/// that handle what the fast paths leave.
struct Registered {
    /// `ContextVar.get` of the request context.
    current: Py<PyAny>,
    /// `_method(ctx, bound, name, args, kwargs)`.
    method: Py<PyAny>,
    /// `_format_value(value, conversion, spec)`.
    format_value: Py<PyAny>,
}

static REGISTERED: PyOnceLock<Registered> = PyOnceLock::new();

/// Registers the context getter and the Python fallbacks; the first call wins.
#[pyfunction]
pub(crate) fn register_ops(
    py: Python<'_>,
    current: Py<PyAny>,
    method: Py<PyAny>,
    format_value: Py<PyAny>,
) {
    REGISTERED.get_or_init(py, || Registered {
        current,
        method,
        format_value,
    });
}

/// The request's context, or `None` outside one (and before `register_ops`).
pub(crate) fn current(py: Python<'_>) -> Option<Bound<'_, Context>> {
    let ctx = REGISTERED.get(py)?.current.bind(py).call0().ok()?;
    ctx.cast_into::<Context>().ok()
}

fn is_text(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_exact_instance_of::<PyString>() || obj.is_exact_instance_of::<PyBytes>()
}

/// `result = left + right` (or `+=`): concatenation when both are text of the result's
/// type, else the operands' text found again in the result (a subclass built it).
fn follow_add(result: &Bound<'_, PyAny>, left: &Bound<'_, PyAny>, right: &Bound<'_, PyAny>) {
    if !is_text(result) {
        return;
    }
    let Some(ctx) = current(result.py()) else {
        return;
    };
    let ctx = ctx.get();
    if result.get_type().is(left.get_type()) && result.get_type().is(right.get_type()) {
        ctx.propagate_concat(result, left, right);
    } else if ctx.holds(left) || ctx.holds(right) {
        ctx.propagate_found(result, vec![left.clone(), right.clone()]);
    }
}

/// `result = left % right` (or `%=`): the tainted inputs found again in the result.
fn follow_mod(result: &Bound<'_, PyAny>, left: &Bound<'_, PyAny>, right: &Bound<'_, PyAny>) {
    if !is_text(result) {
        return;
    }
    let Some(ctx) = current(result.py()) else {
        return;
    };
    let ctx = ctx.get();
    // Looked at in place first: most formatting involves no request data, and
    // collecting the inputs would allocate on every `%` of the application.
    let tuple = right.cast::<PyTuple>().ok();
    let dict = right.cast::<PyDict>().ok();
    let tainted = ctx.holds(left)
        || match (&tuple, &dict) {
            (Some(tuple), _) => tuple.iter().any(|item| ctx.holds(&item)),
            (None, Some(dict)) => dict.values().iter().any(|value| ctx.holds(&value)),
            (None, None) => ctx.holds(right),
        };
    if !tainted {
        return;
    }
    let mut inputs = vec![left.clone()];
    match (tuple, dict) {
        (Some(tuple), _) => inputs.extend(tuple.iter()),
        (None, Some(dict)) => inputs.extend(dict.values().iter()),
        (None, None) => inputs.push(right.clone()),
    }
    ctx.propagate_found(result, inputs);
}

/// `f(a, b)` for a C-API call taking two objects and returning a new reference: the
/// in-place operators, `str.join` and `format`, which `PyAnyMethods` does not offer.
fn call_api<'py>(
    f: unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject) -> *mut ffi::PyObject,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: both pointers are live objects held by the caller; `f` returns a new
    // reference or NULL with an exception set, which `from_owned_ptr_or_err` takes over.
    unsafe { Bound::from_owned_ptr_or_err(a.py(), f(a.as_ptr(), b.as_ptr())) }
}

/// `left + right`.
#[pyfunction]
pub(crate) fn add<'py>(
    left: &Bound<'py, PyAny>,
    right: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let result = left.add(right)?;
    crate::guarded("add", (), || follow_add(&result, left, right));
    Ok(result)
}

/// `left += right`: the rewriter assigns the result back to the same target, so mutable
/// types (`list +=`) still change in place.
#[pyfunction]
pub(crate) fn iadd<'py>(
    left: &Bound<'py, PyAny>,
    right: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let result = call_api(ffi::PyNumber_InPlaceAdd, left, right)?;
    crate::guarded("iadd", (), || follow_add(&result, left, right));
    Ok(result)
}

/// `left % right`.
#[pyfunction]
#[pyo3(name = "mod")]
pub(crate) fn modulo<'py>(
    left: &Bound<'py, PyAny>,
    right: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let result = left.rem(right)?;
    crate::guarded("mod", (), || follow_mod(&result, left, right));
    Ok(result)
}

/// `left %= right`.
#[pyfunction]
pub(crate) fn imod<'py>(
    left: &Bound<'py, PyAny>,
    right: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let result = call_api(ffi::PyNumber_InPlaceRemainder, left, right)?;
    crate::guarded("imod", (), || follow_mod(&result, left, right));
    Ok(result)
}

/// Text assembled from pieces: an f-string's formatted pieces, or a rendered
/// template's chunks (Jinja's `Environment.concat`, which hands over a generator).
#[pyfunction]
pub(crate) fn join_parts<'py>(parts: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = parts.py();
    let empty = intern!(py, "");
    let listed;
    let parts = if parts.is_exact_instance_of::<PyTuple>() || parts.is_exact_instance_of::<PyList>()
    {
        parts
    } else {
        // SAFETY: a live object; a new reference or NULL with an exception set.
        listed = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PySequence_List(parts.as_ptr())) }?;
        &listed
    };
    let result = call_api(ffi::PyUnicode_Join, empty, parts)?;
    crate::guarded("join_parts", (), || {
        let Some(ctx) = current(py) else {
            return;
        };
        if let Ok(pieces) = parts.extract::<Vec<Bound<'py, PyAny>>>() {
            ctx.get().propagate_parts(&result, empty, pieces);
        }
    });
    Ok(result)
}

/// Values whose text is the program's whatever their value: no taint to follow.
pub(crate) fn is_number(value: &Bound<'_, PyAny>) -> bool {
    value.is_none()
        || value.is_exact_instance_of::<PyInt>()
        || value.is_exact_instance_of::<PyFloat>()
        || value.is_exact_instance_of::<PyBool>()
        || value.is_exact_instance_of::<PyComplex>()
}

/// `format(converted, spec)`, as the interpreter formats an f-string's piece.
fn formatted<'py>(
    value: &Bound<'py, PyAny>,
    conversion: i32,
    spec: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = value.py();
    let converted = match conversion {
        115 => value.str()?.into_any(),
        114 => value.repr()?.into_any(),
        // SAFETY: a live object; a new reference or NULL with an exception set.
        97 => unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyObject_ASCII(value.as_ptr())) }?,
        _ => value.clone(),
    };
    call_api(ffi::PyObject_Format, &converted, spec)
}

/// One `{value!r:spec}` of an f-string (`conversion` is -1, or `ord` of `s`, `r`, `a`).
/// A `str` shown as it is, is the object itself, as Python's own f-string gives it;
/// numbers and anything outside a request are formatted here; the rest is
/// `_ops._format_value`, which follows taint through the conversion.
#[pyfunction]
pub(crate) fn format_value<'py>(
    value: &Bound<'py, PyAny>,
    conversion: i32,
    spec: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = value.py();
    if conversion == -1 && value.is_exact_instance_of::<PyString>() && !spec.is_truthy()? {
        return Ok(value.clone());
    }
    if is_number(value) || current(py).is_none() {
        return formatted(value, conversion, spec);
    }
    match REGISTERED.get(py) {
        Some(registered) => registered
            .format_value
            .bind(py)
            .call1((value, conversion, spec)),
        None => formatted(value, conversion, spec),
    }
}

/// Method names whose result can be tainted by their arguments when the text is not.
const ARGUMENT_TAINT: [&std::ffi::CStr; 3] = [c"format", c"format_map", c"replace"];

/// Whether a call of method `name` with `args` can take taint from its arguments.
fn argument_taint(name: &Bound<'_, PyString>, args: &Bound<'_, PyTuple>) -> bool {
    !args.is_empty()
        && ARGUMENT_TAINT
            .iter()
            .any(|method| crate::text_is(name, method))
}

/// `obj.name(*args)` with `bound` the method already looked up: outside a request, or on
/// untainted `str`/`bytes` for a method that only copies its text, the call alone;
/// anything else goes to `_ops._method`, which follows taint.
fn method_call<'py>(
    bound: &Bound<'py, PyAny>,
    name: &Bound<'py, PyString>,
    args: Bound<'py, PyTuple>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = bound.py();
    let Some(ctx) = current(py) else {
        return bound.call1(args);
    };
    let Ok(owner) = bound.getattr(intern!(py, "__self__")) else {
        return bound.call1(args); // not a bound method: `_method` would only call it
    };
    if is_text(&owner) {
        let tainted = crate::guarded("method", true, || ctx.get().holds(&owner));
        if !tainted && !argument_taint(name, &args) {
            return bound.call1(args);
        }
        if let Some(method) = TextMethod::of(name).filter(|_| tainted) {
            let result = bound.call1(args)?;
            ctx.get().follow_text_method(&result, &owner, method);
            return Ok(result);
        }
    }
    let Some(registered) = REGISTERED.get(py) else {
        return bound.call1(args);
    };
    registered
        .method
        .bind(py)
        .call1((ctx, bound, name, args, PyDict::new(py)))
}

/// `obj.name()`.
#[pyfunction]
pub(crate) fn method0<'py>(
    bound: &Bound<'py, PyAny>,
    name: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyAny>> {
    method_call(bound, name, PyTuple::empty(bound.py()))
}

/// `obj.name(first)`.
#[pyfunction]
pub(crate) fn method1<'py>(
    bound: &Bound<'py, PyAny>,
    name: &Bound<'py, PyString>,
    first: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    method_call(bound, name, PyTuple::new(bound.py(), [first])?)
}

/// `obj.name(first, second)`.
#[pyfunction]
pub(crate) fn method2<'py>(
    bound: &Bound<'py, PyAny>,
    name: &Bound<'py, PyString>,
    first: &Bound<'py, PyAny>,
    second: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    method_call(bound, name, PyTuple::new(bound.py(), [first, second])?)
}
