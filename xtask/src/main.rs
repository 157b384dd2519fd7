//! `cargo xtask <task>`: the project's tasks in Rust, so a fresh machine needs nothing but cargo
//! (and Python 3 for the conformance checkers). `test` is what CI runs.

mod action;
mod compress;
mod console;
mod dts;
mod npm;
mod pkg;
mod sandbox;
mod sdk;
mod serve;
mod steps;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  test          everything CI checks: toolchain set-up, fmt, clippy, unit and property tests,
                wasm32 build, both SDK conformance checks, official SDKs, npm package,
                console (wasm store tests + Chromium flows), proxy load, 100k-URL job
  conformance   only the two conformance checks (build and verify)
  serve         run the console and proxy on http://127.0.0.1:8787 (sandbox cloud unless
                vendor credentials are in the environment; --sandbox / --live force a mode;
                --listen ADDR:PORT; --config SANDBOX.toml; `serve --help` for all its flags).
                The first run compiles for 3 to 5 minutes on 2 idle cores, later runs take seconds
  console       build the Yew console into web/dist/, with .br and .gz copies (serve does it first)
  console-test  the console's store tests (wasm, Node) and its Playwright flows in Chromium
                against the sandbox (needs `npm` first: it installs tests/npm)
  npm           the npm package, CLI and edge worker: pack, install the tarball into tests/npm,
                node --test (API, CLI end to end, types, Chromium, workerd), JS conformance
  action [--check]  the GitHub Action's bundle (JS and wasm) into action/dist/index.mjs (commit
                it); --check: fail when the committed bundle differs from a fresh build
  pkg           the npm package's wasm and JS glue into pkg/wasm/ (then `npm pack` in pkg/)
  sdk           the official Python SDKs against the sandbox through the proxy
  bench job [--urls N]      a job of N URLs (default 100 000) over the three vendors against an
                            in-process sandbox on loopback; last line: rate ratio, throttled,
                            lost, duplicated
  bench plan [N]            planning + signing N URLs (default 1 000 000) per vendor
  bench proxy [S] [C]       proxy overhead: C clients (200) for S seconds (20) vs the sandbox";

fn bench(args: &[String]) -> Result<(), String> {
    let rest: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    let (example, package, extra): (&str, &str, Vec<&str>) = match args.first().map(String::as_str)
    {
        Some("job") => ("job_bench", "edgewarm-driver", rest),
        Some("plan") => ("plan_sign_bench", "edgewarm", rest),
        Some("proxy") => {
            let secs = rest.first().copied().unwrap_or("20");
            let clients = rest.get(1).copied().unwrap_or("200");
            (
                "load",
                "edgewarm-proxy",
                vec!["--seconds", secs, "--clients", clients],
            )
        }
        _ => return Err(format!("bench: job | plan | proxy\n\n{USAGE}")),
    };
    steps::run_example(&format!("bench {example}"), package, example, &extra)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => steps::test(),
        Some("conformance") => steps::conformance(),
        Some("serve") => serve::serve(&args[1..]),
        Some("sdk") => sdk::sdk(),
        Some("pkg") => pkg::pkg(),
        Some("npm") => npm::npm(),
        Some("action") if args.get(1).map(String::as_str) == Some("--check") => {
            action::check_dist()
        }
        Some("action") => action::action(),
        Some("console") => console::console(),
        Some("console-test") => console::console_tests(),
        Some("bench") => bench(&args[1..]),
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
