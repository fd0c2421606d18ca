//! The libprocess files API (docs/wire-notes.md#files-api), shared by the
//! master (`/master/log`) and the agent (sandboxes, `/slave/log`).
//!
//! Only *attached* paths are served. A request path is resolved against the
//! longest attached virtual prefix; the remainder may not contain `..`, and
//! the canonicalized result (all symlinks followed) must stay inside the
//! canonicalized attached directory. Anything else is `404` (unknown) or
//! `400 '<p>' is inaccessible` (escapes), never the content.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine as _;
use serde::Serialize;

use crate::wire::files::{
    self as wire, ListFiles, Nanoseconds, ReadFile, ReadResponse, V1FileInfo,
};

use super::httputil::{self, query_param};

/// Reads are capped at 16 pages.
pub const MAX_READ: u64 = 16 * 4096;

/// Why a files request failed (maps to the HTTP status Mesos uses).
#[derive(Clone, Debug, PartialEq)]
pub enum FilesError {
    /// `400` with this message.
    Invalid(String),
    /// `404`.
    NotFound(String),
    /// `500` with this message.
    Unknown(String),
}

impl FilesError {
    pub fn message(&self) -> &str {
        match self {
            FilesError::Invalid(m) | FilesError::NotFound(m) | FilesError::Unknown(m) => m,
        }
    }
    pub fn status(&self) -> StatusCode {
        match self {
            FilesError::Invalid(_) => StatusCode::BAD_REQUEST,
            FilesError::NotFound(_) => StatusCode::NOT_FOUND,
            FilesError::Unknown(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl std::fmt::Display for FilesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl IntoResponse for FilesError {
    fn into_response(self) -> Response {
        let body = match &self {
            FilesError::NotFound(m) if m.is_empty() => String::new(),
            other => format!("{}\n", other.message().trim_end_matches('\n')),
        };
        httputil::text(self.status(), body)
    }
}

/// What `stat` says about one file, in the shapes both APIs need.
#[derive(Clone, Debug, PartialEq)]
pub struct FileInfo {
    /// Virtual path.
    pub path: String,
    pub nlink: u64,
    pub size: u64,
    /// Epoch seconds.
    pub mtime: i64,
    pub mtime_nsec: i64,
    /// Raw `st_mode`.
    pub mode: u32,
    pub uid: String,
    pub gid: String,
}

impl FileInfo {
    /// `/files/browse` entry.
    pub fn v0(&self) -> wire::FileInfo {
        wire::FileInfo {
            path: self.path.clone(),
            nlink: self.nlink,
            size: self.size,
            mtime: self.mtime as f64,
            mode: mode_string(self.mode),
            uid: self.uid.clone(),
            gid: self.gid.clone(),
        }
    }
    /// v1 `FileInfo`.
    pub fn v1(&self) -> V1FileInfo {
        V1FileInfo {
            path: self.path.clone(),
            nlink: self.nlink as i32,
            size: self.size,
            mtime: Nanoseconds {
                nanoseconds: self.mtime * 1_000_000_000 + self.mtime_nsec,
            },
            mode: self.mode,
            uid: self.uid.clone(),
            gid: self.gid.clone(),
        }
    }
}

/// The set of attached paths. Cheap to share (`Arc`).
#[derive(Debug, Default)]
pub struct FileServer {
    paths: RwLock<BTreeMap<String, PathBuf>>,
    names: Mutex<HashMap<(bool, u32), String>>,
}

/// Normalize a virtual path: leading `/`, no empty segments, no trailing `/`.
fn normalize_virtual(p: &str) -> String {
    let tokens: Vec<&str> = p.split('/').filter(|t| !t.is_empty()).collect();
    format!("/{}", tokens.join("/"))
}

impl FileServer {
    pub fn new() -> Arc<Self> {
        Arc::new(FileServer::default())
    }

    /// Serve the real path `real` (file or directory) under `virtual_path`.
    pub fn attach(&self, virtual_path: &str, real: impl AsRef<Path>) {
        self.paths
            .write()
            .unwrap()
            .insert(normalize_virtual(virtual_path), real.as_ref().to_path_buf());
    }

    /// Stop serving `virtual_path`.
    pub fn detach(&self, virtual_path: &str) {
        self.paths
            .write()
            .unwrap()
            .remove(&normalize_virtual(virtual_path));
    }

    /// Whether `virtual_path` is attached.
    pub fn is_attached(&self, virtual_path: &str) -> bool {
        self.paths
            .read()
            .unwrap()
            .contains_key(&normalize_virtual(virtual_path))
    }

    /// Virtual -> real, as `/files/debug` shows it.
    pub fn debug(&self) -> BTreeMap<String, String> {
        self.paths
            .read()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string_lossy().into_owned()))
            .collect()
    }

    /// Resolve a requested virtual path to a real, canonical path that is
    /// guaranteed to lie inside the attached target.
    pub fn resolve(&self, requested: &str) -> Result<PathBuf, FilesError> {
        let tokens: Vec<&str> = requested.split('/').filter(|t| !t.is_empty()).collect();
        let paths = self.paths.read().unwrap();
        for split in (1..=tokens.len()).rev() {
            let prefix = format!("/{}", tokens[..split].join("/"));
            let Some(base) = paths.get(&prefix) else {
                continue;
            };
            let suffix = &tokens[split..];
            if suffix.iter().any(|t| t.contains("..")) {
                return Err(FilesError::Invalid(format!(
                    "'{requested}' is inaccessible"
                )));
            }
            let base = base.clone();
            drop(paths);
            let base_meta = match std::fs::metadata(&base) {
                Ok(m) => m,
                Err(_) => return Err(FilesError::NotFound(String::new())),
            };
            let canon_base = canonical(&base, requested)?;
            if !base_meta.is_dir() {
                // An attached file: only the exact path resolves.
                return if suffix.is_empty() {
                    Ok(canon_base)
                } else {
                    Err(FilesError::NotFound(String::new()))
                };
            }
            let mut full = base.clone();
            for t in suffix {
                full.push(t);
            }
            let canon = canonical(&full, requested)?;
            if !canon.starts_with(&canon_base) {
                return Err(FilesError::Invalid(format!(
                    "'{requested}' is inaccessible"
                )));
            }
            return Ok(canon);
        }
        Err(FilesError::NotFound(String::new()))
    }

    fn name(&self, group: bool, id: u32) -> String {
        let mut cache = self.names.lock().unwrap();
        cache
            .entry((group, id))
            .or_insert_with(|| lookup_name(group, id).unwrap_or_else(|| id.to_string()))
            .clone()
    }

    fn info(&self, virtual_path: String, meta: &std::fs::Metadata) -> FileInfo {
        FileInfo {
            path: virtual_path,
            nlink: meta.nlink(),
            size: meta.size(),
            mtime: meta.mtime(),
            mtime_nsec: meta.mtime_nsec(),
            mode: meta.mode(),
            uid: self.name(false, meta.uid()),
            gid: self.name(true, meta.gid()),
        }
    }

    /// List a directory (sorted by path). A file yields an empty list.
    pub fn browse(&self, requested: &str) -> Result<Vec<FileInfo>, FilesError> {
        let real = self.resolve(requested)?;
        let meta = std::fs::metadata(&real).map_err(|_| FilesError::NotFound(String::new()))?;
        if !meta.is_dir() {
            return Ok(Vec::new());
        }
        let shown = requested.trim_end_matches('/');
        let rd = std::fs::read_dir(&real).map_err(|e| {
            FilesError::Unknown(format!("Failed to list files in '{requested}': {e}"))
        })?;
        let mut out = Vec::new();
        for entry in rd.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // lstat: a symlink is shown as a link, never as its target.
            let Ok(m) = std::fs::symlink_metadata(entry.path()) else {
                continue;
            };
            out.push(self.info(format!("{shown}/{name}"), &m));
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// Read at most `length` (default: to EOF) bytes from `offset`, capped at
    /// [`MAX_READ`]. Returns the current file size and the bytes.
    pub fn read(
        &self,
        requested: &str,
        offset: u64,
        length: Option<u64>,
    ) -> Result<(u64, Vec<u8>), FilesError> {
        let real = self.resolve(requested)?;
        if real.is_dir() {
            return Err(FilesError::Invalid("Cannot read a directory.".into()));
        }
        let mut f = open_nofollow(&real).map_err(|e| {
            FilesError::Unknown(format!("Failed to open file at '{requested}': {e}"))
        })?;
        let size = f
            .metadata()
            .map_err(|e| FilesError::Unknown(format!("Failed to stat '{requested}': {e}")))?
            .len();
        if offset >= size {
            return Ok((size, Vec::new()));
        }
        let want = length
            .unwrap_or(size - offset)
            .min(size - offset)
            .min(MAX_READ);
        if want == 0 {
            return Ok((size, Vec::new()));
        }
        f.seek(SeekFrom::Start(offset))
            .map_err(|e| FilesError::Unknown(format!("Failed to seek '{requested}': {e}")))?;
        let mut buf = Vec::with_capacity(want as usize);
        f.take(want)
            .read_to_end(&mut buf)
            .map_err(|e| FilesError::Unknown(format!("Failed to read '{requested}': {e}")))?;
        Ok((size, buf))
    }

    /// v1 `LIST_FILES` payload: `{"file_infos":[...]}`.
    pub fn list_files_v1(&self, requested: &str) -> Result<ListFiles, FilesError> {
        Ok(ListFiles {
            file_infos: self.browse(requested)?.iter().map(FileInfo::v1).collect(),
        })
    }

    /// v1 `READ_FILE` payload: `{"size":N,"data":"<base64>"}`.
    pub fn read_file_v1(
        &self,
        requested: &str,
        offset: u64,
        length: Option<u64>,
    ) -> Result<ReadFile, FilesError> {
        let (size, data) = self.read(requested, offset, length)?;
        Ok(ReadFile {
            size,
            data: base64::engine::general_purpose::STANDARD.encode(data),
        })
    }

    /// Axum routes `/files/browse`, `/files/read`, `/files/download`,
    /// `/files/debug` (the `.json` aliases come from [`httputil::Libprocess`]).
    pub fn router(self: &Arc<Self>) -> Router {
        Router::new()
            .route("/files/browse", get(browse_handler))
            .route("/files/read", get(read_handler))
            .route("/files/download", get(download_handler))
            .route("/files/debug", get(debug_handler))
            .with_state(self.clone())
    }
}

fn canonical(p: &Path, requested: &str) -> Result<PathBuf, FilesError> {
    match std::fs::canonicalize(p) {
        Ok(c) => Ok(c),
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                || e.raw_os_error() == Some(libc::ENOTDIR)
                || e.raw_os_error() == Some(libc::ELOOP) =>
        {
            Err(FilesError::NotFound(String::new()))
        }
        Err(e) => Err(FilesError::Invalid(format!(
            "Failed to resolve '{requested}': {e}"
        ))),
    }
}

fn open_nofollow(p: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(p)
}

/// `ls -l` style mode string, e.g. `drwxr-xr-x`.
#[allow(clippy::unnecessary_cast)] // mode_t is not u32 everywhere
pub fn mode_string(mode: u32) -> String {
    let kind = match mode & (libc::S_IFMT as u32) {
        m if m == libc::S_IFDIR as u32 => 'd',
        m if m == libc::S_IFCHR as u32 => 'c',
        m if m == libc::S_IFBLK as u32 => 'b',
        m if m == libc::S_IFIFO as u32 => 'p',
        m if m == libc::S_IFLNK as u32 => 'l',
        m if m == libc::S_IFSOCK as u32 => 's',
        _ => '-',
    };
    let mut s = String::with_capacity(10);
    s.push(kind);
    let bit = |b: u32, c: char| if mode & b != 0 { c } else { '-' };
    let exec =
        |x: u32, special: u32, set: char, unset: char| match (mode & x != 0, mode & special != 0) {
            (true, true) => set,
            (false, true) => unset,
            (true, false) => 'x',
            (false, false) => '-',
        };
    s.push(bit(0o400, 'r'));
    s.push(bit(0o200, 'w'));
    s.push(exec(0o100, 0o4000, 's', 'S'));
    s.push(bit(0o040, 'r'));
    s.push(bit(0o020, 'w'));
    s.push(exec(0o010, 0o2000, 's', 'S'));
    s.push(bit(0o004, 'r'));
    s.push(bit(0o002, 'w'));
    s.push(exec(0o001, 0o1000, 't', 'T'));
    s
}

/// User (`group == false`) or group name for an id (nix's passwd/group lookups).
fn lookup_name(group: bool, id: u32) -> Option<String> {
    use nix::unistd::{Gid, Group, Uid, User};
    if group {
        Group::from_gid(Gid::from_raw(id))
            .ok()
            .flatten()
            .map(|g| g.name)
    } else {
        User::from_uid(Uid::from_raw(id))
            .ok()
            .flatten()
            .map(|u| u.name)
    }
}

/// Bytes as a JSON-safe string that keeps byte offsets meaningful: valid
/// UTF-8 passes through, each invalid byte becomes one U+FFFD. An incomplete
/// multi-byte sequence at the very end is dropped (unless it is everything),
/// so a client continuing at `offset + bytes consumed` reads it whole next
/// time. Returns the text and the number of source bytes it covers.
pub fn lossy_chunk(bytes: &[u8], at_eof: bool) -> (String, usize) {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    let mut consumed = 0;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                consumed += rest.len();
                return (out, consumed);
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or_default());
                consumed += good;
                match e.error_len() {
                    Some(n) => {
                        for _ in 0..n {
                            out.push('\u{FFFD}');
                        }
                        consumed += n;
                        rest = &rest[good + n..];
                    }
                    None => {
                        // Incomplete sequence at the end of the chunk.
                        let tail = &rest[good..];
                        if at_eof || consumed == 0 {
                            for _ in tail {
                                out.push('\u{FFFD}');
                            }
                            consumed += tail.len();
                        }
                        return (out, consumed);
                    }
                }
            }
        }
    }
}

fn query_path(q: &Option<String>) -> Result<String, FilesError> {
    q.as_deref()
        .and_then(|q| query_param(q, "path"))
        .filter(|p| !p.is_empty())
        .ok_or_else(|| FilesError::Invalid("Expecting 'path=value' in query.".into()))
}

async fn browse_handler(State(fs): State<Arc<FileServer>>, RawQuery(q): RawQuery) -> Response {
    let path = match query_path(&q) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let fs2 = fs.clone();
    match tokio::task::spawn_blocking(move || fs2.browse(&path)).await {
        Ok(Ok(list)) => json_ok(&list.iter().map(FileInfo::v0).collect::<Vec<_>>()),
        Ok(Err(e)) => e.into_response(),
        Err(e) => FilesError::Unknown(e.to_string()).into_response(),
    }
}

/// Parse the `offset`/`length` query values as `/files/read` does.
fn parse_read_query(q: &str) -> Result<(i64, Option<u64>), FilesError> {
    let mut offset = -1i64;
    if let Some(v) = query_param(q, "offset") {
        let n: i64 = v.trim().parse().map_err(|_| {
            FilesError::Invalid(format!(
                "Failed to parse offset: Failed to convert '{v}' to number."
            ))
        })?;
        if n < -1 {
            return Err(FilesError::Invalid(format!(
                "Negative offset provided: {n}."
            )));
        }
        offset = n;
    }
    let mut length = None;
    if let Some(v) = query_param(q, "length") {
        let n: i64 = v.trim().parse().map_err(|_| {
            FilesError::Invalid(format!(
                "Failed to parse length: Failed to convert '{v}' to number."
            ))
        })?;
        if n < -1 {
            return Err(FilesError::Invalid(format!(
                "Negative length provided: {n}."
            )));
        }
        if n >= 0 {
            length = Some(n as u64);
        }
    }
    Ok((offset, length))
}

async fn read_handler(State(fs): State<Arc<FileServer>>, RawQuery(q): RawQuery) -> Response {
    let path = match query_path(&q) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let (offset, length) = match parse_read_query(q.as_deref().unwrap_or("")) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let fs2 = fs.clone();
    let res = tokio::task::spawn_blocking(move || {
        if offset == -1 {
            fs2.read(&path, 0, Some(0)).map(|(size, _)| ReadResponse {
                data: String::new(),
                offset: size,
            })
        } else {
            fs2.read(&path, offset as u64, length).map(|(size, data)| {
                let at_eof = offset as u64 + data.len() as u64 >= size;
                let (text, _) = lossy_chunk(&data, at_eof);
                ReadResponse {
                    data: text,
                    offset: offset as u64,
                }
            })
        }
    })
    .await;
    match res {
        Ok(Ok(v)) => json_ok(&v),
        Ok(Err(e)) => e.into_response(),
        Err(e) => FilesError::Unknown(e.to_string()).into_response(),
    }
}

/// Content type guessed from a file name, like libprocess' MIME table.
pub fn mime_for(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "log" | "out" | "err" => "text/plain",
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" => "application/javascript",
        "json" => "application/json",
        "xml" => "application/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "gz" | "tgz" => "application/x-gzip",
        "tar" => "application/x-tar",
        "zip" => "application/zip",
        "bz2" => "application/x-bzip2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

async fn download_handler(State(fs): State<Arc<FileServer>>, RawQuery(q): RawQuery) -> Response {
    let path = match query_path(&q) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let fs2 = fs.clone();
    let p2 = path.clone();
    let opened =
        tokio::task::spawn_blocking(move || -> Result<(std::fs::File, u64), FilesError> {
            let real = fs2.resolve(&p2)?;
            if real.is_dir() {
                return Err(FilesError::Invalid("Cannot download a directory.".into()));
            }
            let f = open_nofollow(&real)
                .map_err(|e| FilesError::Unknown(format!("Failed to open file at '{p2}': {e}")))?;
            let len = f.metadata().map(|m| m.len()).unwrap_or(0);
            Ok((f, len))
        })
        .await;
    let (file, len) = match opened {
        Ok(Ok(x)) => x,
        Ok(Err(e)) => return e.into_response(),
        Err(e) => return FilesError::Unknown(e.to_string()).into_response(),
    };
    let name = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("download")
        .to_string();
    let file = tokio::fs::File::from_std(file);
    let stream = futures_util::stream::unfold((file, len), |(mut f, left)| async move {
        use tokio::io::AsyncReadExt;
        if left == 0 {
            return None;
        }
        let mut buf = vec![0u8; (64 * 1024).min(left as usize).max(1)];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((
                    Ok::<_, std::io::Error>(bytes::Bytes::from(buf)),
                    (f, left.saturating_sub(n as u64)),
                ))
            }
            Err(e) => Some((Err(e), (f, 0))),
        }
    });
    let mut r = Response::new(Body::from_stream(stream));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(mime_for(&name)),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename={name}")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    r
}

async fn debug_handler(State(fs): State<Arc<FileServer>>) -> Response {
    json_ok(&fs.debug())
}

/// A `200` JSON response of a typed body.
fn json_ok<T: Serialize>(v: &T) -> Response {
    match serde_json::to_vec(v) {
        Ok(b) => httputil::json_bytes(StatusCode::OK, b),
        Err(e) => FilesError::Unknown(e.to_string()).into_response(),
    }
}

#[cfg(test)]
#[path = "files_tests.rs"]
mod tests;
