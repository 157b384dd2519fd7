//! The steps of `cargo xtask test`, each one command, run in order, stopping at the first
//! failure with the command line that failed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The workspace root (parent of `xtask/`).
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// The conformance vectors beside the checkout (where CI and developers have them).
pub fn conformance_dir() -> Result<PathBuf, String> {
    let dir = root().join("../shared/conformance");
    if dir.join("check.py").is_file() {
        Ok(dir)
    } else {
        Err(format!(
            "conformance checkers not found at {}: the tests need the project's shared folder \
             (SDK-captured vectors in conformance/, specs) checked out beside this repository as \
             ../shared, as CI has it (README, \"Needs\")",
            dir.display()
        ))
    }
}

/// Runs `program args` in the repository root; fails with the label when it fails.
pub fn run(label: &str, program: &str, args: &[&str]) -> Result<(), String> {
    run_in(label, &root(), program, args, &[])
}

/// Runs `cargo run -q --release -p <package> --example <example> -- <args>` in the root.
pub fn run_example(label: &str, package: &str, example: &str, args: &[&str]) -> Result<(), String> {
    let mut all = vec![
        "run",
        "-q",
        "--release",
        "-p",
        package,
        "--example",
        example,
        "--",
    ];
    all.extend_from_slice(args);
    run(label, "cargo", &all)
}

/// Runs `program args` in `dir` with extra environment variables, timed and labelled.
pub fn run_in(
    label: &str,
    dir: &std::path::Path,
    program: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> Result<(), String> {
    let started = Instant::now();
    eprintln!("==> {label}: {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .status()
        .map_err(|e| format!("{label}: cannot start {program}: {e}"))?;
    eprintln!("    {label}: {:.1}s", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{label} failed ({status}): {program} {}",
            args.join(" ")
        ))
    }
}

/// Installs the wasm32 target when it is missing (a fresh machine has none).
pub fn ensure_wasm_target() -> Result<(), String> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("rustup: {e}"))?;
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(
        "wasm target",
        "rustup",
        &["target", "add", "wasm32-unknown-unknown"],
    )
}

fn ensure_components() -> Result<(), String> {
    run(
        "components",
        "rustup",
        &["component", "add", "rustfmt", "clippy"],
    )
}

/// Both SDK conformance checks, exactly as the README states them.
pub fn conformance() -> Result<(), String> {
    let dir = conformance_dir()?;
    let d = |f: &str| dir.join(f).to_string_lossy().into_owned();
    // built once here, then started by the checkers as `cargo run <example> -- <mode>`
    let example = [
        "-q",
        "--release",
        "-p",
        "edgewarm",
        "--example",
        "conformance",
    ];
    run(
        "build adapter",
        "cargo",
        &[&["build"][..], &example].concat(),
    )?;
    let adapter = [&["cargo", "run"][..], &example, &["--"]].concat();
    // python3 <checker> [flags] --vectors <file>… -- <adapter> <build | verify>
    let check = |label: &str, checker: &str, flags: &[&str], vectors: &[&str], mode: &str| {
        let mut args = vec![d(checker)];
        args.extend(flags.iter().map(|f| f.to_string()));
        for v in vectors {
            args.push("--vectors".into());
            args.push(d(v));
        }
        args.push("--".into());
        args.extend(adapter.iter().map(|s| s.to_string()));
        args.push(mode.into());
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        run(label, "python3", &refs)
    };
    check(
        "conformance build",
        "check.py",
        &["--semantic"],
        &["public.jsonl", "public_purge.jsonl"],
        "build",
    )?;
    check(
        "conformance verify",
        "check_verify.py",
        &[],
        &["public.jsonl", "public_node.jsonl", "public_purge.jsonl"],
        "verify",
    )
}

/// Everything CI checks.
pub fn test() -> Result<(), String> {
    let started = Instant::now();
    // fail before minutes of building when ../shared is missing
    conformance_dir()?;
    let clean_at_start = git_changes().is_some_and(|c| c.is_empty());
    ensure_components()?;
    ensure_wasm_target()?;
    run("fmt", "cargo", &["fmt", "--all", "--check"])?;
    run(
        "clippy",
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // the call module's feature set (no job engine, no sources; see crates/edgewarm features;
    // the tests with its compact SHA-256 backend)
    run(
        "clippy (core, call features)",
        "cargo",
        &[
            "clippy",
            "-p",
            "edgewarm",
            "--no-default-features",
            "--features",
            "url",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // the console's feature set: job engine and sources, URLs parsed by the browser (no `url`)
    run(
        "clippy (core, console features)",
        "cargo",
        &[
            "clippy",
            "-p",
            "edgewarm",
            "--no-default-features",
            "--features",
            "jobs,sources",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    run("tests", "cargo", &["test", "--workspace"])?;
    run(
        "tests (core, call features)",
        "cargo",
        &[
            "test",
            "-p",
            "edgewarm",
            "--no-default-features",
            "--features",
            "url,compact-sha",
        ],
    )?;
    run(
        "wasm build",
        "cargo",
        &[
            "build",
            "-p",
            "edgewarm",
            "--target",
            "wasm32-unknown-unknown",
        ],
    )?;
    conformance()?;
    crate::sdk::sdk()?;
    crate::npm::npm()?;
    crate::action::check_dist()?;
    crate::console::console_tests()?;
    run_example(
        "proxy load (bounded)",
        "edgewarm-proxy",
        "load",
        &["--seconds", "5", "--clients", "200"],
    )?;
    run_example(
        "proxy load with the sandbox's 20 req/s throttling",
        "edgewarm-proxy",
        "load",
        &["--seconds", "3", "--clients", "50", "--rate", "20"],
    )?;
    run_example(
        "100 000-URL job over the three vendors through the proxy in sandbox mode",
        "edgewarm-driver",
        "job_bench",
        &["--urls", "100000", "--via-proxy", "--check"],
    )?;
    if clean_at_start {
        // every step writes its output to ignored places (target/, pkg/wasm/, web/dist/,
        // tests/npm/node_modules/, artefacts/) or byte-identical files; a fresh clone stays clean
        let left = git_changes().unwrap_or_default();
        if !left.is_empty() {
            return Err(format!(
                "the tree was clean before the run and is not after it; a step wrote these \
                 (make it write to an ignored place):\n{}",
                left.join("\n")
            ));
        }
        eprintln!("    the git tree is as clean as it was before the run");
    }
    eprintln!(
        "==> all checks passed in {:.0}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `git status --porcelain` lines (changed tracked files and untracked files that are not
/// ignored); `None` outside a git checkout.
fn git_changes() -> Option<Vec<String>> {
    let out = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(root())
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    })
}
