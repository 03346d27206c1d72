//! The copylint binary: parse arguments, run, print the summary, map the outcome to an
//! exit code (0 no findings, 1 findings, 2 usage, config or input errors).

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use copylint::cli::{Cli, ColorChoice, Command};
use copylint::error::Error;
use copylint::{Io, REPORT_WIDTH, report};

fn color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color_err = color(cli.color, io::stderr().is_terminal());
    if let Command::Server = cli.command {
        // The server owns stdin and stdout (JSON-RPC) and logs to stderr from several
        // threads: nothing here may hold their locks.
        let options = copylint::server::Options {
            config: cli.config.clone(),
            isolated: cli.isolated,
        };
        return match copylint::server::run(options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprint!("{}", report::render_error(&e, color_err, REPORT_WIDTH));
                ExitCode::from(2)
            }
        };
    }
    let color_out = color(cli.color, io::stdout().is_terminal());
    let quiet = matches!(&cli.command, Command::Check(args) if args.quiet);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    // Not locked for the whole run: a thread that writes to stderr (a dependency's
    // warning) must not wait for the run to end.
    let mut err = io::stderr();
    let result = copylint::run(
        &cli,
        &mut Io {
            out: &mut out,
            err: &mut err,
            color_out,
            color_err,
            progress: io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
        },
    );
    match result {
        Ok(outcome) => {
            if let (false, Some(summary)) = (quiet, outcome.summary()) {
                let _ = writeln!(err, "{summary}");
            }
            ExitCode::from(outcome.exit_code())
        }
        // `copylint check | head` closes the pipe early: stop quietly, as ripgrep does.
        Err(Error::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = out.flush();
            let _ = err.write_all(report::render_error(&e, color_err, REPORT_WIDTH).as_bytes());
            ExitCode::from(2)
        }
    }
}
