//! `cargo xtask sdk`: the official Python SDKs (pinned in `tests/sdk/requirements.txt`, installed
//! from PyPI into a venv under `target/`) call every vendor of the sandbox through a real proxy
//! process on loopback, with only their TCP connection redirected.

use std::path::Path;

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
    let proxy = crate::sandbox::SandboxProxy::start(&[])?;
    let port = proxy.port;
    let script = root.join("tests/sdk/official_sdks.py");
    crate::steps::run(
        "official SDKs",
        &python.to_string_lossy(),
        &[&script.to_string_lossy(), &port.to_string()],
    )
}
