//! The agent's wrapper around a library function, written here rather than in Python
//! because it runs on the application's hottest paths: Jinja escapes every printed value
//! through a hooked `markupsafe.escape`, which builds a hooked `Markup`. Outside a request,
//! or when no argument holds request data, the wrapper's whole cost is the context lookup
//! and a few type checks, with no Python frame of the agent's.
//!
//! The hooks themselves stay in Python (they are fail-open there); this only decides
//! whether to call them. Errors of the original function reach the application unchanged;
//! errors of the agent's own parts never do.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyString, PyTuple, PyType};

use crate::context::Context;

/// A hook run before the original: always, or inside a request, or (with
/// `tainted_only`) only when an argument after the first may hold request data.
struct Before {
    hook: Py<PyAny>,
    always: bool,
    tainted_only: bool,
}

/// A hooked function: callable like the original, and bound like a function when it is
/// set on a class. `functools.update_wrapper` gives it the original's name and docs.
/// One object holds a sink's hook (before) and a propagation hook (after) of the same
/// function, so a hot function hooked twice still costs one call.
#[pyclass(module = "moat_iast._native", frozen, dict)]
pub(crate) struct Hooked {
    original: Py<PyAny>,
    /// The request context's getter (`ContextVar.get`): the context or `None`.
    current: Py<PyAny>,
    before: Option<Before>,
    /// `hook(ctx, result, args, kwargs)` after the original, inside a request, when an
    /// argument may hold request data; a result other than `None` replaces the original's.
    after: Option<Py<PyAny>>,
}

impl Hooked {
    /// The current request's context, or `None` outside one (or when the lookup fails).
    fn context<'py>(&self, py: Python<'py>) -> Option<Bound<'py, Context>> {
        let ctx = self.current.bind(py).call0().ok()?;
        ctx.cast_into::<Context>().ok()
    }

    fn run_before<'py>(
        before: &Before,
        ctx: Option<&Bound<'py, Context>>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) {
        let run = before.always
            || ctx.is_some_and(|ctx| {
                !before.tainted_only
                    || crate::guarded("hook", false, || {
                        may_carry(ctx.get(), arguments(args, kwargs, 1))
                    })
            });
        if run {
            // The hook is fail-open in Python; anything escaping it still stops here.
            let _ = before.hook.bind(args.py()).call(args, kwargs);
        }
    }

    fn run_after<'py>(
        after: &Py<PyAny>,
        ctx: &Bound<'py, Context>,
        result: Bound<'py, PyAny>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> Bound<'py, PyAny> {
        let py = args.py();
        let carries = crate::guarded("hook", false, || {
            may_carry(ctx.get(), arguments(args, kwargs, 0))
        });
        if !carries {
            return result;
        }
        let kwargs = match kwargs {
            Some(k) => k.clone(),
            None => PyDict::new(py),
        };
        match after.bind(py).call1((ctx, &result, args, kwargs)) {
            Ok(replacement) if !replacement.is_none() => replacement,
            _ => result,
        }
    }
}

/// Whether any of `values` may hold request data: a tainted `str` or `bytes`, or any
/// object other than text, numbers, `None` and classes (a container, not looked into).
fn may_carry<'py>(ctx: &Context, values: impl IntoIterator<Item = Bound<'py, PyAny>>) -> bool {
    values.into_iter().any(|value| {
        if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
            ctx.holds(&value)
        } else {
            !(value.is_none()
                || value.is_instance_of::<PyInt>()
                || value.is_instance_of::<PyFloat>()
                || value.is_instance_of::<PyBool>()
                || value.is_instance_of::<PyType>())
        }
    })
}

/// Whether call arguments may hold request data (see the wrapper's rule), for the agent's
/// wrappers written in Python; `skip` leaves out the first arguments (`self`).
#[pyfunction]
#[pyo3(signature = (ctx, args, kwargs=None, skip=0))]
pub(crate) fn may_carry_args(
    ctx: &Bound<'_, Context>,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
    skip: usize,
) -> bool {
    crate::guarded("may_carry", true, || {
        may_carry(ctx.get(), arguments(args, kwargs, skip))
    })
}

fn arguments<'py>(
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
    skip: usize,
) -> impl Iterator<Item = Bound<'py, PyAny>> {
    let values = kwargs.map(|k| k.values().into_iter());
    args.iter().skip(skip).chain(values.into_iter().flatten())
}

#[pymethods]
impl Hooked {
    /// Wraps `original` with `hook`. `when` is `"after"` or `"before"`; `always` and
    /// `tainted_only` apply to `"before"` hooks.
    #[new]
    #[pyo3(signature = (original, hook, current, when, always=false, tainted_only=false))]
    fn new(
        original: Py<PyAny>,
        hook: Py<PyAny>,
        current: Py<PyAny>,
        when: &str,
        always: bool,
        tainted_only: bool,
    ) -> PyResult<Self> {
        let (before, after) = match when {
            "after" => (None, Some(hook)),
            "before" => (
                Some(Before {
                    hook,
                    always,
                    tainted_only,
                }),
                None,
            ),
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "when must be 'after' or 'before', not {other:?}"
                )));
            }
        };
        Ok(Hooked {
            original,
            current,
            before,
            after,
        })
    }

    /// This hooked function with a hook added where it has none yet (`when` as in the
    /// constructor), or `None` when that place is taken (the caller wraps it instead).
    #[pyo3(signature = (hook, when, always=false, tainted_only=false))]
    fn joined(
        &self,
        py: Python<'_>,
        hook: Py<PyAny>,
        when: &str,
        always: bool,
        tainted_only: bool,
    ) -> Option<Hooked> {
        let before = |b: &Before| Before {
            hook: b.hook.clone_ref(py),
            always: b.always,
            tainted_only: b.tainted_only,
        };
        let (new_before, new_after) = match (when, &self.before, &self.after) {
            ("before", None, _) => (
                Some(Before {
                    hook,
                    always,
                    tainted_only,
                }),
                self.after.as_ref().map(|a| a.clone_ref(py)),
            ),
            ("after", _, None) => (self.before.as_ref().map(before), Some(hook)),
            _ => return None,
        };
        Some(Hooked {
            original: self.original.clone_ref(py),
            current: self.current.clone_ref(py),
            before: new_before,
            after: new_after,
        })
    }

    #[pyo3(signature = (*args, **kwargs))]
    fn __call__<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut ctx = None;
        if let Some(before) = &self.before {
            if !before.always {
                ctx = self.context(py);
            }
            Hooked::run_before(before, ctx.as_ref(), args, kwargs);
        }
        let result = self.original.bind(py).call(args, kwargs)?;
        let Some(after) = &self.after else {
            return Ok(result);
        };
        // Looked up after the call when the before hook did not need it (an always-run
        // one): the original may be what opens the request.
        match ctx.or_else(|| self.context(py)) {
            Some(ctx) => Ok(Hooked::run_after(after, &ctx, result, args, kwargs)),
            None => Ok(result),
        }
    }

    /// Bound to an instance like a function set on its class.
    fn __get__<'py>(
        slf: Bound<'py, Self>,
        instance: Option<Bound<'py, PyAny>>,
        _owner: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match instance {
            Some(instance) if !instance.is_none() => {
                static METHOD: PyOnceLock<Py<PyType>> = PyOnceLock::new();
                let method = METHOD.import(slf.py(), "types", "MethodType")?;
                method.call1((slf, instance))
            }
            _ => Ok(slf.into_any()),
        }
    }

    /// Pickled by reference, like the module-level function it replaces.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.getattr("__qualname__")
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "<moat-iast hook of {}>",
            self.original.bind(py).repr()?
        ))
    }
}
