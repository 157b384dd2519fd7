//! `cargo xtask pkg`: builds the npm package's two wasm modules (`crates/edgewarm-wasm`: the
//! full one, and the call module without the job engine and the sources) and their JS glue and
//! `.d.ts` with wasm-bindgen's own library, pinned to the same version as the crate — no
//! prebuilt binary is downloaded. Output: `pkg/wasm/` (git-ignored). The call module's `.d.ts`
//! re-exports the full one's declarations (`dts.rs`).

use crate::steps::{ensure_wasm_target, root, run};
use std::path::PathBuf;

/// The pinned wasm-bindgen (Cargo.toml's `=` requirement; the JS glue and the test runner match it).
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";

/// Where cargo puts its output (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root().join(p) })
        .unwrap_or_else(|| root().join("target"))
}

/// Builds both wasm modules and their glue into `pkg/wasm/`: the full one (`edgewarm.js`,
/// `edgewarm_bg.wasm`, `edgewarm.d.ts`; the package's root export) and the call module
/// (`edgewarm_call.*`; `edgewarm/call`: build, validate, sign, verify, parse, proxy policy —
/// the core without its `jobs` and `sources` features, with its compact SHA-256 and the smaller
/// talc allocator (`small-alloc`), size-tuned profile `wasm-call`).
pub fn pkg() -> Result<(), String> {
    ensure_wasm_target()?;
    build_module("edgewarm", "wasm-pkg", &[])?;
    build_module(
        "edgewarm_call",
        "wasm-call",
        &[
            "--no-default-features",
            "--features",
            "compact-sha,small-alloc",
        ],
    )?;
    declare_call_types_once(&root().join("pkg/wasm"))
}

/// Drops the raw functions' declarations from both `.d.ts` files, then rewrites
/// `edgewarm_call.d.ts` as re-exports of `edgewarm.d.ts` wherever the two declare the same
/// thing (all of it, today): see `dts.rs`.
fn declare_call_types_once(out: &std::path::Path) -> Result<(), String> {
    let (call_raw, full_raw) = (
        read_text(&out.join("edgewarm_call.d.ts"))?,
        read_text(&out.join("edgewarm.d.ts"))?,
    );
    let (full, dropped) = crate::dts::without_functions(&full_raw)?;
    let (call, _) = crate::dts::without_functions(&call_raw)?;
    let (text, shared) = crate::dts::dedupe(&call, &full, "./edgewarm.js")?;
    write_text(&out.join("edgewarm.d.ts"), &full)?;
    write_text(&out.join("edgewarm_call.d.ts"), &text)?;
    eprintln!(
        "    pkg: edgewarm.d.ts without its {dropped} raw functions ({} → {} bytes); edgewarm_call.d.ts re-exports {shared} of its declarations ({} → {} bytes)",
        full_raw.len(),
        full.len(),
        call_raw.len(),
        text.len()
    );
    Ok(())
}

/// One `cargo build` of `edgewarm-wasm` under `profile` with `features` flags, then
/// wasm-bindgen into `pkg/wasm/<name>.js`, `<name>_bg.wasm`, `<name>.d.ts`.
fn build_module(name: &str, profile: &str, features: &[&str]) -> Result<(), String> {
    let mut args = vec![
        "build",
        "-q",
        "-p",
        "edgewarm-wasm",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        profile,
    ];
    args.extend_from_slice(features);
    run(&format!("wasm build ({name})"), "cargo", &args)?;
    let input = target_dir()
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join("edgewarm_wasm.wasm");
    let out = root().join("pkg/wasm");
    let started = std::time::Instant::now();
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(&input)
        .out_name(name)
        .typescript(true)
        .omit_default_module_path(false)
        .remove_name_section(std::env::var_os("EDGEWARM_KEEP_NAMES").is_none())
        .remove_producers_section(true);
    bindgen
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e}"))?;
    bindgen
        .generate(&out)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?;
    strip_init_declarations(&out.join(format!("{name}.d.ts")))?;
    let size = std::fs::metadata(out.join(format!("{name}_bg.wasm")))
        .map(|m| m.len())
        .unwrap_or(0);
    eprintln!(
        "    pkg: {}/{name}_bg.wasm ({} KB) in {:.1}s",
        out.display(),
        size / 1024,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The package's entries initialise the module themselves, so the generated loader
/// declarations (`InitInput`, `InitOutput` with its raw `any`-typed exports, `initSync`,
/// `__wbg_init`) are not public API: they are cut from the `.d.ts` (wasm-bindgen emits them last).
fn strip_init_declarations(path: &std::path::Path) -> Result<(), String> {
    let text = read_text(path)?;
    let cut = text
        .find("export type InitInput")
        .ok_or("wasm-bindgen's .d.ts has no InitInput: its layout changed")?;
    write_text(path, &text[..cut])
}

/// A generated text file, its path in the error.
fn read_text(path: &std::path::Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes a generated text file, its path in the error.
fn write_text(path: &std::path::Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
