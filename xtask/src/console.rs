//! `cargo xtask console`: builds the Yew console (`web/`) into `web/dist/` — the wasm (size
//! profile), its JS glue made by wasm-bindgen's own library (no binary download), `index.html`
//! and `style.css`. `serve` and the browser tests use it.

use crate::pkg::target_dir;
use crate::steps::{ensure_wasm_target, root, run};

/// Builds `web/dist/`.
pub fn console() -> Result<(), String> {
    ensure_wasm_target()?;
    run(
        "console wasm build",
        "cargo",
        &[
            "build",
            "-q",
            "-p",
            "edgewarm-console",
            "--bin",
            "edgewarm-console",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ],
    )?;
    let input = target_dir().join("wasm32-unknown-unknown/wasm-release/edgewarm-console.wasm");
    let web = root().join("web");
    let dist = web.join("dist");
    std::fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(&input)
        .out_name("edgewarm_console")
        .typescript(false)
        .omit_default_module_path(false)
        .remove_name_section(true)
        .remove_producers_section(true);
    bindgen
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e}"))?;
    bindgen
        .generate(&dist)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?;
    for file in ["index.html", "style.css"] {
        std::fs::copy(web.join(file), dist.join(file)).map_err(|e| format!("{file}: {e}"))?;
    }
    let size = std::fs::metadata(dist.join("edgewarm_console_bg.wasm"))
        .map(|m| m.len())
        .unwrap_or(0);
    eprintln!("    console: {} ({} KB wasm)", dist.display(), size / 1024);
    Ok(())
}
