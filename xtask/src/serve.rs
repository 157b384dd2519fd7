//! `cargo xtask serve`: builds what the console needs and runs the proxy in the foreground.
//! Without vendor credentials in the environment (or with `--sandbox`) the proxy answers from
//! the built-in sandbox cloud, so a newcomer can try everything with the well-known sandbox keys.
//!
//! A first run compiles for minutes, so before each build it says what it builds and about how
//! long that takes, and it checks the listen address before building (a port in use is reported
//! at once, with the `--listen` to use instead). Once the proxy accepts connections it prints the
//! address to open.

use crate::pkg::target_dir;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

const CREDENTIAL_VARS: [&str; 2] = ["TENCENTCLOUD_SECRET_ID", "ALIBABA_CLOUD_ACCESS_KEY_ID"];

/// The proxy's default address (also its own default).
const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

/// How long the builds take from an empty `target/` (crates already downloaded), measured as CPU
/// time: the xtask itself 0.75 CPU-minutes, the console's wasm 1.75 (its LTO link runs on one
/// core), the release proxy 3.4; about 6 CPU-minutes in all, so 3 to 5 minutes of waiting on an
/// idle 2-core machine and more on a busy one.
const FIRST_CONSOLE: &str = "about 1 to 2 minutes on 2 idle cores";
const FIRST_PROXY: &str = "about 2 minutes on 2 idle cores";
const LATER: &str = "seconds when nothing changed, about a minute after an edit";

const USAGE: &str = "usage: cargo xtask serve [--sandbox | --live] [--listen ADDR:PORT] [--public]
                         [--allow-host NAME]... [--connect-origin ORIGIN]... [--config FILE]
                         [--static DIR]

Builds the console (web/dist) and the proxy, then serves the console on http://127.0.0.1:8787/
and forwards its signed calls to the vendor APIs, or to the built-in sandbox cloud.
The first run compiles everything: 3 to 5 minutes on an idle 2-core machine (6 CPU-minutes),
longer on a busy one; later runs take seconds.

  --sandbox        answer with the built-in sandbox cloud (the default when neither
                   TENCENTCLOUD_SECRET_ID nor ALIBABA_CLOUD_ACCESS_KEY_ID is set)
  --live           forward to the real vendor APIs even without credentials in the environment
  --listen         address to bind (default 127.0.0.1:8787, or $EDGEWARM_LISTEN); use another
                   port when 8787 is taken, e.g. --listen 127.0.0.1:8788
  --public         allow a non-loopback --listen (anyone who reaches it may use the proxy)
  --allow-host     another Host name to answer to (repeatable)
  --connect-origin an origin the console may fetch from besides the proxy, e.g. an edge worker
  --config         the sandbox's world (TOML or JSON; default: the built-in one)
  --static         serve this directory instead of web/dist
  -h, --help       this text";

/// Runs the proxy in the foreground until interrupted.
pub fn serve(args: &[String]) -> Result<(), String> {
    let mut sandbox = None;
    let mut pass = Vec::new();
    let mut listen = None;
    let mut public = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            "--sandbox" => sandbox = Some(true),
            "--live" => sandbox = Some(false),
            "--public" => {
                public = true;
                pass.push(a.clone());
            }
            "--listen" | "--config" | "--static" | "--allow-host" | "--connect-origin" => {
                let value = it
                    .next()
                    .ok_or(format!("serve: {a} needs a value (see --help)"))?;
                if a == "--listen" {
                    listen = Some(value.clone());
                }
                pass.push(a.clone());
                pass.push(value.clone());
            }
            other => {
                return Err(format!(
                    "serve: unknown argument {other:?} (cargo xtask serve --help lists them)"
                ))
            }
        }
    }
    let listen = listen
        .or_else(|| std::env::var("EDGEWARM_LISTEN").ok())
        .unwrap_or_else(|| DEFAULT_LISTEN.into());
    let addr = check_listen(&listen, public)?;

    let has_credentials = CREDENTIAL_VARS
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|s| !s.is_empty()));
    let sandbox = sandbox.unwrap_or(!has_credentials);
    if sandbox {
        pass.push("--sandbox".into());
    }

    let started = Instant::now();
    let console_first = !crate::console::built_wasm().is_file();
    step(
        1,
        "the console (Yew → wasm32, size-optimised with LTO, into web/dist)",
        console_first,
        FIRST_CONSOLE,
    );
    crate::console::build(true)?;
    let proxy = target_dir().join("release/edgewarm-proxy");
    step(
        2,
        "the proxy (edgewarm-proxy, release)",
        !proxy.is_file(),
        FIRST_PROXY,
    );
    crate::steps::run(
        "proxy build",
        "cargo",
        &["build", "--release", "-p", "edgewarm-proxy"],
    )?;
    eprintln!(
        "==> built in {:.0}s; starting the proxy",
        started.elapsed().as_secs_f64()
    );

    let root = crate::steps::root();
    let web = root.join("web/dist");
    if web.join("index.html").is_file() && !pass.iter().any(|a| a == "--static") {
        pass.push("--static".into());
        pass.push(web.to_string_lossy().into_owned());
    }
    let mut child = Command::new(&proxy)
        .args(&pass)
        .current_dir(&root)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", proxy.display()))?;
    let shown = shown_address(addr);
    // The banner comes once the proxy accepts connections (or the proxy's own error instead).
    let waited = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Err(format!("the proxy exited with {status}"));
        }
        if TcpStream::connect_timeout(&shown, Duration::from_millis(500)).is_ok() {
            banner(&format!("http://{shown}/"), sandbox);
            break;
        }
        if waited.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = child
        .wait()
        .map_err(|e| format!("the proxy did not run: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the proxy exited with {status}"))
    }
}

/// Parses `--listen` and binds it once, so that a taken port or a refused address is reported
/// before minutes of building, with the flag that fixes it.
fn check_listen(listen: &str, public: bool) -> Result<SocketAddr, String> {
    let addr: SocketAddr = listen.parse().map_err(|_| {
        format!("serve: --listen {listen:?} is not ADDR:PORT (e.g. --listen 127.0.0.1:8788)")
    })?;
    if !addr.ip().is_loopback() && !public {
        return Err(format!(
            "serve: --listen {addr} is not a loopback address: anyone who can reach it could use \
             the proxy. Bind 127.0.0.1 (the default), or add --public if you mean it."
        ));
    }
    match TcpListener::bind(addr) {
        Ok(_) => Ok(addr),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            let other = if addr.port() == u16::MAX {
                addr.port() - 1
            } else {
                addr.port() + 1
            };
            let mut suggestion = addr;
            suggestion.set_port(other);
            Err(format!(
                "serve: {addr} is already in use (another `cargo xtask serve` or another program \
                 listens there). Stop it, or serve on another port:\n\n    cargo xtask serve \
                 --listen {suggestion}\n"
            ))
        }
        Err(e) => Err(format!("serve: cannot listen on {addr}: {e}")),
    }
}

/// Where a browser on this machine reaches the proxy (a wildcard bind is shown as 127.0.0.1).
fn shown_address(addr: SocketAddr) -> SocketAddr {
    if addr.ip().is_unspecified() {
        SocketAddr::from(([127, 0, 0, 1], addr.port()))
    } else {
        addr
    }
}

/// One line before a long step: what it builds and about how long it takes.
fn step(n: u8, what: &str, first: bool, first_time: &str) {
    let how_long = if first {
        format!("first build: {first_time}")
    } else {
        format!("already built once: {LATER}")
    };
    eprintln!("==> [{n}/2] building {what} ({how_long})");
}

/// The address to open, framed so that it stands out from the build output.
fn banner(url: &str, sandbox: bool) {
    let mut lines = vec![
        format!("edgewarm console:  {url}"),
        "Open it in your browser; Ctrl-C stops the proxy.".to_string(),
    ];
    if sandbox {
        lines.extend([
            String::new(),
            "Sandbox cloud (offline, no account needed):".to_string(),
            "  Tencent  AKIDSANDBOX0000000000000000000000000 / sandbox-tencent-secret".to_string(),
            "  Alibaba  LTAISANDBOX0000000000000 / sandbox-alibaba-secret".to_string(),
            "  EdgeOne zone zone-sandbox · ESA site 100000001".to_string(),
            "  domains www.example.com, static.example.com".to_string(),
        ]);
    }
    let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) + 4;
    let rule = "=".repeat(width);
    println!("\n{rule}");
    for l in &lines {
        println!("  {l}");
    }
    println!("{rule}\n");
}
