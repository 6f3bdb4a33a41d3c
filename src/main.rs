use clap::Parser;
use northstar::server::cli::{run, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    northstar::server::tune_allocators();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into());
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // One JSON object per line for log collectors; plain text for people.
    match std::env::var("NORTHSTAR_LOG_FORMAT").unwrap_or_default().trim().to_ascii_lowercase().as_str() {
        "" | "text" => logs.init(),
        "json" => logs.json().flatten_event(true).with_current_span(false).init(),
        other => {
            eprintln!("error: configuration: NORTHSTAR_LOG_FORMAT: {other:?} is not text or json");
            return ExitCode::FAILURE;
        }
    }
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
