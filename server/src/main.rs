//! `sealform-server`: parses its arguments and calls the library. See `--help`.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use sealform_server::config::Config;
use sealform_server::demo::{DEMO_DIR, Demo};
use sealform_server::serve::shutdown_signal;
use sealform_server::settings::{Cli, Command, ExportArgs, ServeArgs};
use sealform_server::store::Store;
use sealform_server::{Error, run};
use tracing_subscriber::EnvFilter;
use zeroizing_alloc::ZeroAlloc;

/// Every freed allocation is wiped, so request buffers we do not own (hyper's, age's) leave no
/// plaintext behind in freed memory.
#[global_allocator]
static WIPING_ALLOCATOR: ZeroAlloc<std::alloc::System> = ZeroAlloc(std::alloc::System);

fn main() -> ExitCode {
    withhold_panic_messages();
    let cli = match Cli::try_parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    init_logging();
    // Before any request can bring plaintext into memory.
    match sealform_server::process::harden() {
        Ok(open_files) => tracing::debug!("open-file limit: {open_files:?}"),
        Err(error) => {
            eprintln!("sealform-server: {error}");
            return ExitCode::FAILURE;
        }
    }
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("sealform-server: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Some(Command::Export(args)) => export(&args),
        None => serve(cli.serve),
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let demo = if args.demo {
        Some(Demo::prepare(Path::new(DEMO_DIR))?)
    } else {
        None
    };
    let config = Config::from_args(&args, demo.as_ref())?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| Error::Listen {
                address: config.listen.to_string(),
                reason: e.to_string(),
            })?;
        if let Some(demo) = &demo {
            let _ = write!(std::io::stdout(), "{}", demo.instructions());
            tracing::warn!(
                "demo mode: the key to every record is unprotected in {}; not for real use",
                demo.identity_file().display()
            );
        }
        run(config, listener, shutdown_signal()?).await
    })?;
    Ok(())
}

fn export(args: &ExportArgs) -> anyhow::Result<()> {
    if !args.data_dir.is_dir() {
        bail!(
            "there is no data folder at {}\ngive --data-dir the folder the server was started with",
            args.data_dir.display()
        );
    }
    let store = Store::open(&args.data_dir)?;
    let count = store.export(&args.out)?;
    println!(
        "exported {count} record(s) to {out}\nto read them: sealform-keytool decrypt -i IDENTITY {out}",
        out = args.out.display()
    );
    Ok(())
}

/// Logs go to stderr, at `info` unless `RUST_LOG` says otherwise, without timestamps: the time
/// of a request is what would let someone match a log line to a record or a person.
fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .without_time()
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
}

/// A panic message can quote anything, even a submission (an `unwrap` on a value holding
/// one): print only where it happened.
fn withhold_panic_messages() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "sealform-server: a thread panicked{location}; its message is withheld, as it \
             could quote a submission"
        );
    }));
}
