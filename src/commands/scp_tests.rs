//! Unit tests of `mesos scp`.

use super::*;

#[test]
fn remote_dirs() {
    assert_eq!(normalize_remote_dir("/tmp/").unwrap(), "/tmp");
    assert_eq!(normalize_remote_dir("/").unwrap(), "/");
    assert_eq!(normalize_remote_dir("~").unwrap(), ".");
    assert_eq!(normalize_remote_dir("~/bin/").unwrap(), "bin");
    assert_eq!(normalize_remote_dir("rel/dir").unwrap(), "rel/dir");
    assert!(normalize_remote_dir("~bob/x").is_err());
    assert!(normalize_remote_dir("").is_err());
    assert!(normalize_remote_dir("/a\nb").is_err());
    assert_eq!(remote_join("/", "a"), "/a");
    assert_eq!(remote_join("/tmp", "a"), "/tmp/a");
}

#[test]
fn local_file_checks() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let a = d.path().join("a.sh");
    std::fs::write(&a, b"echo hi\n").unwrap();
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o751)).unwrap();
    let f = local_files(std::slice::from_ref(&a)).unwrap();
    assert_eq!(
        (f[0].name.as_str(), f[0].size, f[0].mode),
        ("a.sh", 8, 0o751)
    );
    assert_eq!(
        local_files(&[d.path().to_path_buf()])
            .unwrap_err()
            .exit_code(),
        2
    );
    assert_eq!(
        local_files(&[d.path().join("missing")])
            .unwrap_err()
            .exit_code(),
        1
    );
    let sub = d.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("a.sh"), b"x").unwrap();
    assert_eq!(
        local_files(&[a, sub.join("a.sh")]).unwrap_err().exit_code(),
        2
    );
}

#[test]
fn the_rename_helper_replaces_files() {
    use std::io::Write;
    let d = tempfile::tempdir().unwrap();
    let p = |n: &str| d.path().join(n).display().to_string();
    std::fs::write(p(".a tmp"), "new a").unwrap();
    std::fs::write(p(".b'tmp"), "new b").unwrap();
    std::fs::write(p("a file"), "old a").unwrap();
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(MOVER)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let input = format!(
        "{}\n{}\n{}\n{}\n",
        p(".a tmp"),
        p("a file"),
        p(".b'tmp"),
        p("b$x")
    );
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(std::fs::read_to_string(p("a file")).unwrap(), "new a");
    assert_eq!(std::fs::read_to_string(p("b$x")).unwrap(), "new b");
    assert!(!d.path().join(".a tmp").exists());
    // A failed rename fails the helper.
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(MOVER)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"/nonexistent/x\n/nonexistent/y\n")
        .unwrap();
    assert!(!child.wait().unwrap().success());
}

#[test]
fn df_and_sizes() {
    let df = "Filesystem     1024-blocks    Used Available Capacity Mounted on\n/dev/sda1        100000   90000     10000      90% /\n";
    assert_eq!(df_available(df), Some(10000 * 1024));
    assert_eq!(df_available(""), None);
    assert_eq!(human(10 * 1024 * 1024), "10.0 MiB");
    assert_eq!(human(12), "12 B");
}

#[test]
fn partial_errors_name_hosts() {
    let (a, b) = ("h1".to_string(), "h2".to_string());
    assert!(fanout::partial_error("scp", &[(&a, None, None)]).is_ok());
    let e = fanout::partial_error(
        "scp",
        &[
            (&a, None, None),
            (&b, Some(Reason::HostKey), Some("run ssh-keygen -R")),
        ],
    )
    .unwrap_err();
    assert_eq!(e.exit_code(), 3);
    assert_eq!(e.message, "scp failed on 1 of 2 hosts: h2 (host key)");
    assert_eq!(e.hint.as_deref(), Some("run ssh-keygen -R"));
}
