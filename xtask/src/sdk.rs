//! `cargo xtask sdk`: the official Python SDKs (pinned in `tests/sdk/requirements.txt`, installed
//! from PyPI into a venv under `target/`) call every vendor of the sandbox through a real proxy
//! process on loopback, with only their TCP connection redirected.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn venv(root: &Path) -> Result<std::path::PathBuf, String> {
    let dir = crate::pkg::target_dir().join("sdk-venv");
    let python = dir.join("bin/python");
    let requirements = root.join("tests/sdk/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("{}: {e}", requirements.display()))?;
    let marker = dir.join("installed-requirements.txt");
    if python.is_file() && std::fs::read_to_string(&marker).is_ok_and(|m| m == wanted) {
        return Ok(python);
    }
    crate::steps::run(
        "sdk venv",
        "python3",
        &["-m", "venv", &dir.to_string_lossy()],
    )?;
    crate::steps::run(
        "sdk install",
        &python.to_string_lossy(),
        &[
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "-r",
            &requirements.to_string_lossy(),
        ],
    )?;
    std::fs::write(&marker, wanted).map_err(|e| e.to_string())?;
    Ok(python)
}

/// Runs the SDK acceptance test.
pub fn sdk() -> Result<(), String> {
    let root = crate::steps::root();
    let python = venv(&root)?;
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
    let child = Command::new(crate::pkg::target_dir().join("release/edgewarm-proxy"))
        .args(["--sandbox", "--listen", &listen])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the proxy: {e}"))?;
    let _guard = Killed(child);
    let started = Instant::now();
    while TcpStream::connect(&listen).is_err() {
        if started.elapsed() > Duration::from_secs(20) {
            return Err("the proxy did not start listening".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let script = root.join("tests/sdk/official_sdks.py");
    crate::steps::run(
        "official SDKs",
        &python.to_string_lossy(),
        &[&script.to_string_lossy(), &port.to_string()],
    )
}
