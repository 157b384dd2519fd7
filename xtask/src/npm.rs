//! `cargo xtask npm`: the npm package as users get it. Builds `pkg/`, packs the tarball,
//! installs it into the consumer project `tests/npm/` (its dev tools from its lockfile), builds
//! the Vite test page, starts the proxy in sandbox mode serving that page, and runs there:
//! `node --test` (JS API, the call module, CLI end to end, types, Chromium, workerd) and the
//! conformance vectors through the JS API's call module (`edgewarm/call`).

use crate::pkg::{pkg, target_dir};
use crate::sandbox::SandboxProxy;
use crate::steps::{root, run_in};
use std::path::Path;

/// Debian's Chromium for the browser tests (installed when missing).
pub fn ensure_chromium() -> Result<(), String> {
    if Path::new("/usr/bin/chromium").exists() {
        return Ok(());
    }
    let root = root();
    run_in("apt-get update", &root, "apt-get", &["update", "-qq"], &[])?;
    run_in(
        "install chromium",
        &root,
        "apt-get",
        &["install", "-y", "-qq", "chromium"],
        &[("DEBIAN_FRONTEND", "noninteractive")],
    )
}

/// Packs `pkg/` and returns the tarball's path.
fn pack() -> Result<String, String> {
    let out = target_dir().join("npm");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    for entry in std::fs::read_dir(&out)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let _ = std::fs::remove_file(entry.path());
    }
    let dest = out.to_string_lossy().to_string();
    run_in(
        "npm pack",
        &root().join("pkg"),
        "npm",
        &["pack", "--pack-destination", &dest],
        &[],
    )?;
    std::fs::read_dir(&out)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "tgz"))
        .map(|p| p.to_string_lossy().to_string())
        .ok_or_else(|| "npm pack made no tarball".to_string())
}

/// Everything about the npm package, the CLI and the edge worker.
pub fn npm() -> Result<(), String> {
    ensure_chromium()?;
    pkg()?;
    let tarball = pack()?;
    let size = std::fs::metadata(&tarball).map(|m| m.len()).unwrap_or(0);
    eprintln!("    tarball: {tarball} ({} KB)", size / 1024);
    let project = root().join("tests/npm");
    run_in(
        "npm ci (test tools)",
        &project,
        "npm",
        &["ci", "--no-audit", "--no-fund"],
        &[],
    )?;
    run_in(
        "install the packed tarball",
        &project,
        "npm",
        &["install", "--no-save", "--no-audit", "--no-fund", &tarball],
        &[],
    )?;
    run_in(
        "vite build of the test page",
        &project,
        "node",
        &[
            "node_modules/vite/bin/vite.js",
            "build",
            "--config",
            "bundle/vite.config.mjs",
        ],
        &[],
    )?;
    let dist = project.join("bundle/dist");
    let proxy = SandboxProxy::start(&["--static", &dist.to_string_lossy()])?;
    run_in(
        "node --test (API, CLI, types, Chromium, workerd)",
        &project,
        "node",
        &[
            "--test",
            "api.test.mjs",
            "call.test.mjs",
            "url_list.test.mjs",
            "types.test.mjs",
            "cli.test.mjs",
            "cli_scale.test.mjs",
            "browser.test.mjs",
            "edge.test.mjs",
            "action.test.mjs",
            "vite_plugin.test.mjs",
        ],
        &[("EDGEWARM_PROXY", &proxy.base)],
    )?;
    let conformance = crate::steps::conformance_dir()?;
    let check = conformance.join("check.py").to_string_lossy().to_string();
    let python_vectors = conformance
        .join("public.jsonl")
        .to_string_lossy()
        .to_string();
    let node_vectors = conformance
        .join("public_node.jsonl")
        .to_string_lossy()
        .to_string();
    let purge_vectors = conformance
        .join("public_purge.jsonl")
        .to_string_lossy()
        .to_string();
    run_in(
        "conformance vectors through the JS API",
        &project,
        "python3",
        &[
            &check,
            "--semantic",
            "--vectors",
            &python_vectors,
            "--vectors",
            &node_vectors,
            "--vectors",
            &purge_vectors,
            "--",
            "node",
            "conformance_adapter.mjs",
        ],
        &[],
    )
}
