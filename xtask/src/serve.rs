//! `cargo xtask serve [--sandbox | --live] [--listen ADDR:PORT] [--public] [--allow-host NAME]
//! [--connect-origin ORIGIN] [--config FILE]`: builds what the console needs and runs the proxy
//! (the options after `--live` are the proxy's own, passed through). Without vendor credentials in the environment (or with
//! `--sandbox`) the proxy answers from the built-in sandbox cloud, so a newcomer can try
//! everything with the well-known sandbox keys.

use std::process::Command;

const CREDENTIAL_VARS: [&str; 2] = ["TENCENTCLOUD_SECRET_ID", "ALIBABA_CLOUD_ACCESS_KEY_ID"];

/// Runs the proxy in the foreground until interrupted.
pub fn serve(args: &[String]) -> Result<(), String> {
    let mut sandbox = None;
    let mut pass = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sandbox" => sandbox = Some(true),
            "--live" => sandbox = Some(false),
            "--public" => pass.push(a.clone()),
            "--listen" | "--config" | "--static" | "--allow-host" | "--connect-origin" => {
                pass.push(a.clone());
                pass.push(it.next().ok_or(format!("{a} needs a value"))?.clone());
            }
            other => return Err(format!("serve: unknown argument {other:?}")),
        }
    }
    let has_credentials = CREDENTIAL_VARS
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|s| !s.is_empty()));
    let sandbox = sandbox.unwrap_or(!has_credentials);
    if sandbox {
        pass.push("--sandbox".into());
        eprintln!(
            "serve: sandbox cloud (offline). Keys: Tencent AKIDSANDBOX0000000000000000000000000 / \
             sandbox-tencent-secret, Alibaba LTAISANDBOX0000000000000 / sandbox-alibaba-secret; \
             EdgeOne zone zone-sandbox, ESA site 100000001; domains www.example.com, static.example.com"
        );
    }
    crate::console::console()?;
    let root = crate::steps::root();
    let web = root.join("web/dist");
    if web.join("index.html").is_file() && !pass.iter().any(|a| a == "--static") {
        pass.push("--static".into());
        pass.push(web.to_string_lossy().into_owned());
    }
    let mut cmd = Command::new("cargo");
    cmd.args(["run", "-q", "--release", "-p", "edgewarm-proxy", "--"])
        .args(&pass)
        .current_dir(&root);
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start the proxy: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the proxy exited with {status}"))
    }
}
