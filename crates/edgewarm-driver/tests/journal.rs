//! The journal file on disk: owner-only (0600) even over an existing world-readable file, and
//! never written through a symlink planted next to it (at the old predictable `.tmp` name or
//! at any other name in the directory): the symlink's target stays unchanged.

use edgewarm_driver::{append_private, write_private};
use std::os::unix::fs::{symlink, PermissionsExt};

fn dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("edgewarm-journal-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn journal_is_owner_only_and_replaced_atomically() {
    let d = dir("mode");
    let path = d.join("job.json");
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    write_private(&path, b"{\"v\":1}").unwrap();
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"v\":1}");
    write_private(&path, b"{\"v\":2}").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"v\":2}");
    // nothing left behind but the journal
    let names: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec!["job.json".to_string()]);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn planted_symlinks_are_not_followed() {
    let d = dir("symlink");
    let victim = d.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let path = d.join("job.json");
    // every name an attacker could guess: the old fixed temp names
    for planted in ["job.tmp", "job.json.tmp", ".job.json.tmp"] {
        symlink(&victim, d.join(planted)).unwrap();
    }
    write_private(&path, b"{\"v\":1}").unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(!std::fs::symlink_metadata(&path)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"v\":1}");
    // a symlink at the journal path itself is replaced by the rename, not written through
    std::fs::remove_file(&path).unwrap();
    symlink(&victim, &path).unwrap();
    write_private(&path, b"{\"v\":2}").unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(!std::fs::symlink_metadata(&path)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// A record is appended to the journal the snapshot wrote (and synced); a symlink at the
/// journal's path is refused rather than written through, and nothing is created.
#[test]
fn records_are_appended_never_through_a_symlink() {
    let d = dir("append");
    let path = d.join("job.json");
    assert!(
        append_private(&path, b"r0\n").is_err(),
        "no journal: nothing created"
    );
    assert!(!path.exists());
    write_private(&path, b"snapshot\n").unwrap();
    append_private(&path, b"r1\n").unwrap();
    append_private(&path, b"r2\n").unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "snapshot\nr1\nr2\n"
    );
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let victim = d.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    std::fs::remove_file(&path).unwrap();
    symlink(&victim, &path).unwrap();
    assert!(append_private(&path, b"r3\n").is_err());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let _ = std::fs::remove_dir_all(&d);
}
