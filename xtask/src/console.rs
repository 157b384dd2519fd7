//! `cargo xtask console`: builds the Yew console (`web/`) into `web/dist/` — the wasm (size
//! profile), its JS glue made by wasm-bindgen's own library (no binary download), `index.html`,
//! `style.css` and `boot.js`, each with precompressed `.br` and `.gz` copies the proxy serves to
//! browsers that accept them. `serve` and the browser tests use it.

use crate::pkg::target_dir;
use crate::sandbox::SandboxProxy;
use crate::steps::{ensure_wasm_target, root, run, run_in};

/// The console's wasm as cargo leaves it, before wasm-bindgen.
pub fn built_wasm() -> std::path::PathBuf {
    target_dir().join("wasm32-unknown-unknown/wasm-release/edgewarm-console.wasm")
}

/// Builds `web/dist/` quietly (`cargo xtask console`, the test steps).
pub fn console() -> Result<(), String> {
    build(false)
}

/// Builds `web/dist/`; `progress` lets cargo show what it compiles (`serve`, where a first
/// build takes minutes and silence looks like a hang).
pub fn build(progress: bool) -> Result<(), String> {
    ensure_wasm_target()?;
    let mut args = vec![
        "build",
        "-p",
        "edgewarm-console",
        "--bin",
        "edgewarm-console",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ];
    if !progress {
        args.insert(1, "-q");
    }
    run("console wasm build", "cargo", &args)?;
    let input = built_wasm();
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
    for file in ["index.html", "style.css", "history.css", "boot.js"] {
        std::fs::copy(web.join(file), dist.join(file)).map_err(|e| format!("{file}: {e}"))?;
    }
    let started = std::time::Instant::now();
    let sizes = crate::compress::precompress(&dist)?;
    let wasm = sizes
        .iter()
        .find(|s| s.name == "edgewarm_console_bg.wasm")
        .ok_or("wasm-bindgen wrote no edgewarm_console_bg.wasm")?;
    eprintln!(
        "    console: {} (wasm {} KB, {} KB brotli, {} KB gzip; precompressed in {:.1}s)",
        dist.display(),
        wasm.raw / 1024,
        wasm.br / 1024,
        wasm.gz / 1024,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `wasm-bindgen-test-runner` of the pinned wasm-bindgen, built from crates.io into
/// `target/tools/` once (about 2 minutes; no prebuilt binary is downloaded).
fn test_runner() -> Result<std::path::PathBuf, String> {
    let tools = target_dir().join("tools");
    let runner = tools.join("bin/wasm-bindgen-test-runner");
    if runner.is_file() {
        return Ok(runner);
    }
    let (root, build) = (
        tools.to_string_lossy().to_string(),
        target_dir()
            .join("tools-build")
            .to_string_lossy()
            .to_string(),
    );
    // not --locked: the crate's lockfile names a webpki-roots the registry no longer has
    run(
        "build wasm-bindgen-test-runner",
        "cargo",
        &[
            "install",
            "-q",
            "wasm-bindgen-cli",
            "--version",
            &format!("={}", crate::pkg::WASM_BINDGEN_VERSION),
            "--root",
            &root,
            "--target-dir",
            &build,
        ],
    )?;
    Ok(runner)
}

/// The console's tests: the store, reducer and pure helpers as wasm under Node
/// (wasm-bindgen-test), then the Playwright flows in Chromium against the sandbox proxy serving
/// `web/dist` (run after `npm`, which installs `tests/npm`).
pub fn console_tests() -> Result<(), String> {
    let runner = test_runner()?;
    let runner = runner.to_string_lossy().to_string();
    run_in(
        "console store and reducer (wasm-bindgen-test in Node)",
        &root(),
        "cargo",
        &[
            "test",
            "-p",
            "edgewarm-console",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
        ],
        &[("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &runner)],
    )?;
    console()?;
    let dist = root().join("web/dist");
    crate::npm::ensure_chromium()?;
    let proxy = SandboxProxy::start(&["--static", &dist.to_string_lossy()])?;
    run_in(
        "console flows in Chromium (Playwright)",
        &root().join("tests/npm"),
        "node",
        &[
            "--test",
            "--test-concurrency=1",
            "console.test.mjs",
            "console_state.test.mjs",
            "console_scale.test.mjs",
            "console_product.test.mjs",
            "console_refresh.test.mjs",
            "console_million.test.mjs",
            "console_urls.test.mjs",
        ],
        &[("EDGEWARM_CONSOLE", &proxy.base)],
    )
}
