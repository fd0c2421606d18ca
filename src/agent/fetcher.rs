//! The fetcher: CommandInfo URIs into the sandbox before the command starts.
//! `http(s)://` is downloaded, `file://` and absolute paths are copied
//! (relative ones need `--frameworks_home`), archives are extracted into the
//! sandbox with the system tools when `extract` (default true), and
//! `executable: true` makes the file 0755. `output_file` names the
//! destination (relative to the sandbox). The log goes to the sandbox
//! `stderr`, like Mesos' fetcher.

use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

use reqwest::Method;

use super::core::Agent;
use crate::daemon::log::{append_glog, Level};
use crate::wire::agent_v1::CommandUri;

/// Archive kinds we extract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Archive {
    Tar,
    Zip,
    Gzip,
}

/// Which archive a file name denotes, if any.
pub fn archive_kind(name: &str) -> Option<Archive> {
    let n = name.to_ascii_lowercase();
    let tar = [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz",
    ];
    if tar.iter().any(|e| n.ends_with(e)) {
        Some(Archive::Tar)
    } else if n.ends_with(".zip") {
        Some(Archive::Zip)
    } else if n.ends_with(".gz") {
        Some(Archive::Gzip)
    } else {
        None
    }
}

/// The file name a URI is fetched to (without `output_file`).
pub fn basename(uri: &str) -> String {
    let no_query = uri.split(['?', '#']).next().unwrap_or(uri);
    let path = match no_query.split_once("://") {
        Some((_, rest)) => rest.split_once('/').map(|(_, p)| p).unwrap_or(""),
        None => no_query,
    };
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string()
}

/// Fetch every URI; the first failure aborts with a message naming it.
pub async fn fetch_all(
    agent: &Agent,
    uris: &[CommandUri],
    sandbox: &Path,
    log_path: &Path,
) -> Result<(), String> {
    let log = |msg: &str| append_glog(log_path, Level::Info, msg);
    for uri in uris {
        if uri.value.is_empty() {
            return Err("a URI has no 'value'".into());
        }
        let value = uri.value.clone();
        fetch_one(agent, uri, &value, sandbox, &log)
            .await
            .map_err(|e| {
                append_glog(
                    log_path,
                    Level::Error,
                    &format!("Failed to fetch '{value}': {e}"),
                );
                format!("Failed to fetch '{value}': {e}")
            })?;
    }
    log(&format!(
        "Successfully fetched all URIs into '{}'",
        sandbox.display()
    ));
    Ok(())
}

async fn fetch_one(
    agent: &Agent,
    uri: &CommandUri,
    value: &str,
    sandbox: &Path,
    log: &impl Fn(&str),
) -> Result<(), String> {
    let executable = uri.executable.unwrap_or(false);
    let extract = uri.extract.unwrap_or(true);
    log(&format!("Fetching URI '{value}'"));
    let name = match uri.output_file.as_deref().filter(|s| !s.is_empty()) {
        Some(o) => o.to_string(),
        None => basename(value),
    };
    if name.is_empty() {
        return Err("cannot tell a file name from the URI (set output_file)".into());
    }
    let rel = Path::new(&name);
    if rel.is_absolute() || rel.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err(format!(
            "output_file '{name}' must be a relative path inside the sandbox"
        ));
    }
    let dest = sandbox.join(rel);
    if let Some(parent) = dest.parent() {
        tokio::fs::create_dir_all(parent)
            .await
            .map_err(|e| format!("cannot create '{}': {e}", parent.display()))?;
    }
    log("Fetching directly into the sandbox directory");
    let lower = value.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        log(&format!(
            "Downloading resource from '{value}' to '{}'",
            dest.display()
        ));
        download(agent, value, &dest).await?;
    } else {
        let source: PathBuf = if let Some(p) = value.strip_prefix("file://") {
            PathBuf::from(p)
        } else if value.contains("://") {
            let scheme = value.split("://").next().unwrap_or_default();
            return Err(format!(
                "unsupported URI scheme '{scheme}://' (use http://, https://, file:// or an absolute path)"
            ));
        } else if value.starts_with('/') {
            PathBuf::from(value)
        } else {
            match agent.cfg.flags.string("frameworks_home") {
                Some(home) => Path::new(&home).join(value),
                None => {
                    return Err("A relative path was passed for the resource but the Mesos framework home was not specified. Please either provide this config option or avoid using a relative path".into())
                }
            }
        };
        let meta = tokio::fs::metadata(&source)
            .await
            .map_err(|e| format!("cannot read '{}': {e}", source.display()))?;
        if meta.is_dir() {
            return Err(format!("'{}' is a directory", source.display()));
        }
        tokio::fs::copy(&source, &dest).await.map_err(|e| {
            format!(
                "cannot copy '{}' to '{}': {e}",
                source.display(),
                dest.display()
            )
        })?;
        log(&format!(
            "Copied resource '{}' to '{}'",
            source.display(),
            dest.display()
        ));
    }
    if executable {
        tokio::fs::set_permissions(&dest, std::fs::Permissions::from_mode(0o755))
            .await
            .map_err(|e| format!("cannot make '{}' executable: {e}", dest.display()))?;
    } else if extract {
        if let Some(kind) = archive_kind(&name) {
            extract_archive(kind, &dest, sandbox, log).await?;
        }
    }
    Ok(())
}

async fn download(agent: &Agent, url: &str, dest: &Path) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("invalid URL: {e}"))?;
    let resp = agent
        .fetch_client
        .request(Method::GET, parsed, true)
        .send()
        .await
        .map_err(|e| {
            format!(
                "Error downloading resource: {}",
                crate::http::root_cause(&e)
            )
        })?;
    if !resp.status().is_success() {
        return Err(format!(
            "Error downloading resource, received HTTP return code {}",
            resp.status().as_u16()
        ));
    }
    let mut file = tokio::fs::File::create(dest)
        .await
        .map_err(|e| format!("cannot create '{}': {e}", dest.display()))?;
    let mut stream = resp.bytes_stream();
    use futures_util::StreamExt;
    use tokio::io::AsyncWriteExt;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| format!("Error downloading resource: {e}"))?;
        file.write_all(&chunk)
            .await
            .map_err(|e| format!("cannot write '{}': {e}", dest.display()))?;
    }
    file.flush().await.map_err(|e| e.to_string())?;
    Ok(())
}

async fn extract_archive(
    kind: Archive,
    file: &Path,
    sandbox: &Path,
    log: &impl Fn(&str),
) -> Result<(), String> {
    let mut cmd = match kind {
        Archive::Tar => {
            let mut c = tokio::process::Command::new("tar");
            c.arg("-C").arg(sandbox).arg("-xf").arg(file);
            c
        }
        Archive::Zip => {
            let mut c = tokio::process::Command::new("unzip");
            c.arg("-o").arg("-d").arg(sandbox).arg(file);
            c
        }
        Archive::Gzip => {
            let mut c = tokio::process::Command::new("gzip");
            c.arg("-d").arg("-f").arg(file);
            c
        }
    };
    let shown = format!("{:?}", cmd.as_std()).replace('"', "");
    log(&format!("Extracting with command: {shown}"));
    let out = cmd
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| {
            format!(
                "Failed to extract '{}': cannot run {shown}: {e}",
                file.display()
            )
        })?;
    if !out.status.success() {
        return Err(format!(
            "Failed to extract '{}': {shown} failed: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    log(&format!(
        "Extracted '{}' into '{}'",
        file.display(),
        sandbox.display()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_archives() {
        assert_eq!(basename("http://h:80/a/b/app.tar.gz?x=1"), "app.tar.gz");
        assert_eq!(basename("file:///opt/x/run.sh"), "run.sh");
        assert_eq!(basename("/opt/x/run.sh"), "run.sh");
        assert_eq!(basename("http://host"), "");
        assert_eq!(archive_kind("a.tgz"), Some(Archive::Tar));
        assert_eq!(archive_kind("a.tar.xz"), Some(Archive::Tar));
        assert_eq!(archive_kind("a.zip"), Some(Archive::Zip));
        assert_eq!(archive_kind("a.json.gz"), Some(Archive::Gzip));
        assert_eq!(archive_kind("a.jar"), None);
    }
}
