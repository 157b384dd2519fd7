//! Starting the proxy binary on a port another program holds: a clear message that names the
//! address and the `--listen` to use instead, exit code 1, and no panic or backtrace.

#[test]
fn a_port_in_use_is_reported_with_the_listen_flag_to_use() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_edgewarm-proxy"))
        .args(["--sandbox", "--listen", &addr.to_string()])
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("cannot listen on {addr}")) && err.contains("already in use"),
        "{err}"
    );
    assert!(err.contains("--listen 127.0.0.1:"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing claims to be serving");
    drop(taken);
}
