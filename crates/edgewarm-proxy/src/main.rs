//! `edgewarm-proxy [--sandbox] [--listen ADDR:PORT] [--public] [--allow-host NAME]
//! [--connect-origin ORIGIN] [--config FILE] [--static DIR]`: serves the console and forwards its
//! signed calls to the vendor APIs (or to the built-in sandbox cloud).

use edgewarm_proxy::{guard, logging, serve, ProxyConfig};
use edgewarm_sandbox::http::SandboxState;
use edgewarm_sandbox::{Sandbox, SandboxConfig, SystemClock};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

const USAGE: &str =
    "usage: edgewarm-proxy [--sandbox] [--listen ADDR:PORT] [--public] [--allow-host NAME]...
                      [--connect-origin ORIGIN]... [--config SANDBOX.toml] [--static DIR]
  --sandbox        answer the vendor hosts with the built-in sandbox cloud (no cloud account needed)
  --listen         address to bind (default 127.0.0.1:8787, or $EDGEWARM_LISTEN); a loopback
                   address unless --public is given
  --public         allow a non-loopback --listen address (0.0.0.0, a LAN address): anyone who
                   can reach it can use the proxy with their own keys. Requests must still name
                   the proxy in Host: a loopback name, the bound address, or an --allow-host
  --allow-host     another Host NAME (or NAME:PORT) to answer to, e.g. the machine's DNS name;
                   pages served under it may call /api (repeatable)
  --connect-origin an origin the console may fetch from besides the proxy, e.g. the edge
                   worker's https://edgewarm.example.workers.dev (CSP connect-src; repeatable)
  --config         sandbox world (TOML or JSON); default: the built-in one
  --static         directory of the console's files
Every other Host is refused (421 misdirected_host): a page on a rebinding DNS name cannot use
the proxy.";

struct Args {
    sandbox: bool,
    listen: String,
    public: bool,
    allow_hosts: Vec<String>,
    connect_origins: Vec<String>,
    config: Option<PathBuf>,
    static_dir: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        sandbox: false,
        listen: std::env::var("EDGEWARM_LISTEN").unwrap_or_else(|_| "127.0.0.1:8787".into()),
        public: false,
        allow_hosts: Vec::new(),
        connect_origins: Vec::new(),
        config: None,
        static_dir: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sandbox" => args.sandbox = true,
            "--listen" => args.listen = it.next().ok_or("--listen needs ADDR:PORT")?,
            "--public" => args.public = true,
            "--allow-host" => {
                let h = it.next().ok_or("--allow-host needs a NAME or NAME:PORT")?;
                match guard::split_host_port(&h) {
                    Some((name, _)) if !guard::is_unspecified(&name) => args.allow_hosts.push(h),
                    _ => return Err(format!("--allow-host {h:?} is not a NAME or NAME:PORT")),
                }
            }
            "--connect-origin" => {
                let o = it.next().ok_or("--connect-origin needs an ORIGIN")?;
                args.connect_origins.push(guard::parse_origin(&o)?);
            }
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
    if !addr.ip().is_loopback() && !args.public {
        eprintln!(
            "--listen {addr} is not a loopback address: anyone who can reach it could use this \
             proxy. Bind 127.0.0.1 (the default), or add --public if you mean it (see --help)."
        );
        return ExitCode::from(2);
    }
    let mut config = ProxyConfig::new(&args.listen);
    config.static_dir = args.static_dir;
    config.allow_hosts = args.allow_hosts;
    config.connect_origins = args.connect_origins;
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
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            let mut other = addr;
            other.set_port(addr.port().checked_add(1).unwrap_or(addr.port() - 1));
            eprintln!(
                "cannot listen on {addr}: the address is already in use (another edgewarm proxy \
                 or another program listens there). Stop it, or choose another port: \
                 --listen {other}"
            );
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("cannot listen on {addr}: {e}");
            return ExitCode::from(1);
        }
    };
    if !addr.ip().is_loopback() {
        eprintln!(
            "WARNING: listening on {addr} (--public). Anyone who can reach it can use this proxy \
             with their own keys (it forwards only to the vendor APIs, answers only the Host \
             names it knows, and only pages served from it may call it from a browser)."
        );
    }
    let mode = if config.sandbox.is_some() {
        "sandbox cloud"
    } else {
        "vendor APIs"
    };
    let bound = listener.local_addr().unwrap_or(addr);
    let shown = if bound.ip().is_unspecified() {
        SocketAddr::from(([127, 0, 0, 1], bound.port()))
    } else {
        bound
    };
    println!("edgewarm console: http://{shown}/   (forwarding to the {mode})");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match serve(listener, config, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("edgewarm-proxy: {e}");
            ExitCode::from(1)
        }
    }
}
