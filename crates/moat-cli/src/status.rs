use std::process::ExitCode;

/// Every way `moat` can exit; the numbers are part of the interface CI relies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExitStatus {
    /// Nothing at or above `--fail-on`.
    Clean = 0,
    /// Findings at or above `--fail-on`, or failing rule tests.
    Findings = 1,
    /// Bad usage or a scan error.
    Error = 2,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status as u8)
    }
}
