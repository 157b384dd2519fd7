//! `cargo xtask action`: bundles the GitHub Action (`action/src/main.mjs`, the package's JS and
//! its wasm inlined) into `action/dist/index.mjs` with esbuild (pinned in `action/`'s lockfile),
//! so that a runner runs it from a checkout with no install and no build step. `cargo xtask test`
//! rebuilds it into a scratch file and fails when the committed bundle differs (check-dist).
//!
//! The bundle is reproducible: esbuild sees only paths relative to the repository (generated
//! inputs under virtual names), and the wasm has only workspace-relative paths, the toolchain's
//! `/rustc/<hash>` paths and the cargo registry's (the same for every checkout on one machine;
//! a different `CARGO_HOME` or toolchain gives a different wasm).

use crate::pkg::{pkg, target_dir};
use crate::steps::{root, run_in};
use std::path::Path;

/// The committed bundle, relative to the repository root (`runs.main` in action.yml).
pub const BUNDLE: &str = "action/dist/index.mjs";

/// Builds the package's wasm and bundles the action into `out`.
fn build(out: &Path) -> Result<(), String> {
    pkg()?;
    let root = root();
    run_in(
        "npm ci (action bundler)",
        &root.join("action"),
        "npm",
        &["ci", "--no-audit", "--no-fund"],
        &[],
    )?;
    let out = out.to_string_lossy();
    run_in(
        "bundle the action",
        &root,
        "node",
        &["action/build.mjs", "pkg/wasm", &out],
        &[],
    )
}

/// `cargo xtask action`: rebuilds the committed bundle.
pub fn action() -> Result<(), String> {
    let out = root().join(BUNDLE);
    build(&out)?;
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    eprintln!("    action: {} ({} KB)", out.display(), size / 1024);
    Ok(())
}

/// Fails when the committed bundle differs from a fresh build (check-dist).
pub fn check_dist() -> Result<(), String> {
    let scratch = target_dir().join("action-check/index.mjs");
    build(&scratch)?;
    let committed = root().join(BUNDLE);
    let fresh = std::fs::read(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let kept = std::fs::read(&committed).map_err(|e| format!("{}: {e}", committed.display()))?;
    if fresh == kept {
        eprintln!("    check-dist: {BUNDLE} is fresh ({} bytes)", kept.len());
        Ok(())
    } else {
        let at = fresh.iter().zip(&kept).position(|(a, b)| a != b);
        Err(format!(
            "check-dist: {BUNDLE} differs from a fresh build ({} bytes committed, {} built, first difference at byte {}): run `cargo xtask action` and commit it",
            kept.len(),
            fresh.len(),
            at.unwrap_or(fresh.len().min(kept.len()))
        ))
    }
}
