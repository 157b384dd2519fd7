//! A `edgewarm-proxy --sandbox` process on a free loopback port for the test steps (official
//! SDKs, npm package, browser, CLI); killed when dropped.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running proxy in sandbox mode.
pub struct SandboxProxy {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The port.
    pub port: u16,
}

impl SandboxProxy {
    /// Builds (release) and starts the proxy with `extra` arguments (e.g. `--static DIR`), on the
    /// test world `tests/sandbox.test.toml` (the documented limits, with the daily CDN push quota
    /// raised: the steps share one proxy and push more than a day's default between them).
    pub fn start(extra: &[&str]) -> Result<SandboxProxy, String> {
        crate::steps::run(
            "build proxy",
            "cargo",
            &["build", "-q", "--release", "-p", "edgewarm-proxy"],
        )?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let listen = format!("127.0.0.1:{port}");
        let world = crate::steps::root().join("tests/sandbox.test.toml");
        let child = Command::new(crate::pkg::target_dir().join("release/edgewarm-proxy"))
            .args(["--sandbox", "--listen", &listen, "--config"])
            .arg(&world)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start the proxy: {e}"))?;
        let running = SandboxProxy {
            child,
            base: format!("http://{listen}"),
            port,
        };
        let started = Instant::now();
        while TcpStream::connect(&listen).is_err() {
            if started.elapsed() > Duration::from_secs(20) {
                return Err("the proxy did not start listening".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(running)
    }
}

impl Drop for SandboxProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
