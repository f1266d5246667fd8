//! The `moat` command: scan a repository for vulnerable code, write or test rules, and
//! run the Vulnerability Explorer server.

mod args;
mod rules_cmd;
mod runtime;
mod scan_cmd;
mod serve_cmd;
mod status;
mod upload;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, RulesCommand};
use crate::status::ExitStatus;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Scan(args) => scan_cmd::run(args),
        Command::Serve(args) => serve_cmd::run(args),
        Command::Rules { command } => match command {
            RulesCommand::Test(args) => rules_cmd::test(args),
            RulesCommand::List(args) => rules_cmd::list(args),
            RulesCommand::Validate(args) => rules_cmd::validate(args),
        },
    };
    match result {
        Ok(status) => status.into(),
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitStatus::Clean.into();
            }
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  cause: {cause}");
            }
            ExitStatus::Error.into()
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
