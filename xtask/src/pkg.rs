//! `cargo xtask pkg`: builds the npm package's wasm (`crates/edgewarm-wasm`, size profile) and
//! its JS glue and `.d.ts` with wasm-bindgen's own library, pinned to the same version as the
//! crate — no prebuilt binary is downloaded. Output: `pkg/wasm/` (git-ignored).

use crate::steps::{ensure_wasm_target, root, run};
use std::path::PathBuf;

/// Where cargo puts its output (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root().join(p) })
        .unwrap_or_else(|| root().join("target"))
}

/// Builds `pkg/wasm/edgewarm.js`, `edgewarm_bg.wasm` and `edgewarm.d.ts`.
pub fn pkg() -> Result<(), String> {
    ensure_wasm_target()?;
    run(
        "wasm build (edgewarm-wasm)",
        "cargo",
        &[
            "build",
            "-q",
            "-p",
            "edgewarm-wasm",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ],
    )?;
    let input = target_dir().join("wasm32-unknown-unknown/wasm-release/edgewarm_wasm.wasm");
    let out = root().join("pkg/wasm");
    let started = std::time::Instant::now();
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(&input)
        .out_name("edgewarm")
        .typescript(true)
        .omit_default_module_path(false)
        .remove_name_section(true)
        .remove_producers_section(true);
    bindgen
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e}"))?;
    bindgen
        .generate(&out)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?;
    let size = std::fs::metadata(out.join("edgewarm_bg.wasm"))
        .map(|m| m.len())
        .unwrap_or(0);
    eprintln!(
        "    pkg: {} ({} KB wasm) in {:.1}s",
        out.display(),
        size / 1024,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
