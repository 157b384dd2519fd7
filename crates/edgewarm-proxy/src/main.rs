//! `edgewarm-proxy [--sandbox] [--listen ADDR:PORT] [--config FILE] [--static DIR]`: serves the
//! console and forwards its signed calls to the vendor APIs (or to the built-in sandbox cloud).

use edgewarm_proxy::{app, logging, ProxyConfig};
use edgewarm_sandbox::http::SandboxState;
use edgewarm_sandbox::{Sandbox, SandboxConfig, SystemClock};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

const USAGE: &str =
    "usage: edgewarm-proxy [--sandbox] [--listen ADDR:PORT] [--config SANDBOX.toml] [--static DIR]
  --sandbox        answer the vendor hosts with the built-in sandbox cloud (no cloud account needed)
  --listen         address to bind (default 127.0.0.1:8787, or $EDGEWARM_LISTEN)
  --config         sandbox world (TOML or JSON); default: the built-in one
  --static         directory of the console's files";

struct Args {
    sandbox: bool,
    listen: String,
    config: Option<PathBuf>,
    static_dir: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        sandbox: false,
        listen: std::env::var("EDGEWARM_LISTEN").unwrap_or_else(|_| "127.0.0.1:8787".into()),
        config: None,
        static_dir: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sandbox" => args.sandbox = true,
            "--listen" => args.listen = it.next().ok_or("--listen needs ADDR:PORT")?,
            "--config" => args.config = Some(it.next().ok_or("--config needs a file")?.into()),
            "--static" => {
                args.static_dir = Some(it.next().ok_or("--static needs a directory")?.into())
            }
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    logging::init();
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let addr: SocketAddr = match args.listen.parse() {
        Ok(a) => a,
        Err(_) => {
            eprintln!("--listen {:?} is not ADDR:PORT", args.listen);
            return ExitCode::from(2);
        }
    };
    let mut config = ProxyConfig::new(&args.listen);
    config.static_dir = args.static_dir;
    if args.sandbox {
        let world = match &args.config {
            Some(path) => match SandboxConfig::load(path) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            },
            None => SandboxConfig::default(),
        };
        config.sandbox = Some(SandboxState {
            sandbox: Arc::new(Sandbox::new(world)),
            clock: Arc::new(SystemClock),
        });
    }
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {addr}: {e}");
            return ExitCode::from(1);
        }
    };
    if !addr.ip().is_loopback() {
        eprintln!(
            "WARNING: listening on {addr}, which is not a loopback address. Anyone who can reach it \
             can use this proxy (it forwards only to the vendor APIs, and only pages served from \
             it may call it from a browser). Bind 127.0.0.1 unless you mean it."
        );
    }
    let mode = if config.sandbox.is_some() {
        "sandbox cloud"
    } else {
        "vendor APIs"
    };
    println!("edgewarm console: http://{addr}/   (forwarding to the {mode})");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, app(config))
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server error: {e}");
            ExitCode::from(1)
        }
    }
}
