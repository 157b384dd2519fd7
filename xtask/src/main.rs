//! `cargo xtask <task>`: the project's tasks in Rust, so a fresh machine needs nothing but cargo
//! (and Python 3 for the conformance checkers). `test` is what CI runs.

mod sdk;
mod serve;
mod steps;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  test          everything CI checks: toolchain set-up, fmt, clippy, unit and property tests,
                wasm32 build, both SDK conformance checks
  conformance   only the two conformance checks (build and verify)
  serve         run the console and proxy on http://127.0.0.1:8787 (sandbox cloud unless
                vendor credentials are in the environment; --sandbox / --live force a mode;
                --listen ADDR:PORT; --config SANDBOX.toml)
  sdk           the official Python SDKs against the sandbox through the proxy";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => steps::test(),
        Some("conformance") => steps::conformance(),
        Some("serve") => serve::serve(&args[1..]),
        Some("sdk") => sdk::sdk(),
        Some("-h") | Some("--help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown task {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
