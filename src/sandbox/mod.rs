//! Client of the files API of an agent (sandboxes, `/slave/log`) or a
//! master (`/master/log`): browse, byte-exact reads, streamed downloads,
//! reading backwards from the end, and the follow loop ([`follow`]).
//!
//! Reads prefer the v1 `READ_FILE` call (base64, so byte-exact, and it
//! returns the current size with the data) and fall back to `/files/read`
//! (whose raw-bytes JSON is decoded without UTF-8 assumptions) on agents
//! without the v1 API. Each read asks for [`BLOCK`] bytes, the most Mesos
//! returns at once, not the 1 KiB of the older CLIs. Whole files stream from
//! `/files/download`. Endpoints that only exist as `/files/<op>.json` on
//! old Mesos are found by falling back on a 404.

pub mod follow;
pub mod tree;

use std::sync::atomic::{AtomicU8, Ordering};

use base64::Engine as _;
use reqwest::{header, Method, StatusCode, Url};

use crate::error::{excerpt, Error, ErrorKind, Result};
use crate::http::{status_error, transport_error, HttpClient};
use crate::leader::endpoint;
use crate::wire::{FileInfo, ReadResponse};

/// The most bytes one `/files/read` or `READ_FILE` returns (16 pages).
pub const BLOCK: u64 = 64 * 1024;

const UNKNOWN: u8 = 0;
const YES: u8 = 1;
const NO: u8 = 2;

/// Files API client for one daemon.
#[derive(Debug)]
pub struct Files {
    http: HttpClient,
    /// Base URL of the daemon (agent or master).
    pub base: Url,
    /// Path of the v1 operator API on this daemon.
    api_path: &'static str,
    /// Whether `READ_FILE` works here.
    v1: AtomicU8,
    /// Whether the endpoints need the `.json` suffix (Mesos < 0.25...).
    legacy: AtomicU8,
}

/// The result of one read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chunk {
    pub data: Vec<u8>,
    /// The file size at the time of the read, when the API said it.
    pub size: Option<u64>,
}

impl Files {
    /// A client for an agent at `base`.
    pub fn agent(http: &HttpClient, base: Url) -> Files {
        Files::new(http, base, "/slave(1)/api/v1")
    }

    /// A client for a master at `base` (for `/master/log`).
    pub fn master(http: &HttpClient, base: Url) -> Files {
        Files::new(http, base, "/api/v1")
    }

    fn new(http: &HttpClient, base: Url, api_path: &'static str) -> Files {
        Files {
            http: http.clone(),
            base,
            api_path,
            v1: AtomicU8::new(UNKNOWN),
            legacy: AtomicU8::new(UNKNOWN),
        }
    }

    fn files_url(&self, op: &str, legacy: bool, params: &[(&str, &str)]) -> Url {
        let p = if legacy {
            format!("/files/{op}.json")
        } else {
            format!("/files/{op}")
        };
        let mut u = endpoint(&self.base, &p);
        if !params.is_empty() {
            let mut q = u.query_pairs_mut();
            for (k, v) in params {
                q.append_pair(k, v);
            }
        }
        u
    }

    /// GET a `/files/<op>` URL, trying `/files/<op>.json` on a 404 until we
    /// know which spelling this daemon has.
    async fn get_files(
        &self,
        op: &str,
        params: &[(&str, &str)],
    ) -> Result<(Url, StatusCode, bytes::Bytes)> {
        let legacy = self.legacy.load(Ordering::Relaxed);
        // For this flag YES means "the legacy `.json` spelling".
        let url = self.files_url(op, legacy == YES, params);
        let (status, body) = self.http.get_raw(&url).await?;
        if status != StatusCode::NOT_FOUND || legacy != UNKNOWN {
            if status.is_success() && legacy == UNKNOWN {
                self.legacy.store(NO, Ordering::Relaxed);
            }
            return Ok((url, status, body));
        }
        let url2 = self.files_url(op, true, params);
        let (status2, body2) = self.http.get_raw(&url2).await?;
        if status2 == StatusCode::NOT_FOUND {
            return Ok((url, status, body));
        }
        if status2.is_success() {
            self.legacy.store(YES, Ordering::Relaxed);
        }
        Ok((url2, status2, body2))
    }

    /// List a directory. A file lists as itself (found in its parent).
    pub async fn browse(&self, path: &str) -> Result<Vec<FileInfo>> {
        let (url, status, body) = self.get_files("browse", &[("path", path)]).await?;
        let list: Vec<FileInfo> =
            crate::http::decode_json(&url, status, &body).map_err(|e| file_error(e, path))?;
        if !list.is_empty() {
            return Ok(list);
        }
        // Empty: an empty directory, or a file (Mesos lists files as []).
        if let Some((parent, name)) = path.trim_end_matches('/').rsplit_once('/') {
            if !parent.is_empty() {
                if let Ok((u2, s2, b2)) = self.get_files("browse", &[("path", parent)]).await {
                    if let Ok(entries) = crate::http::decode_json::<Vec<FileInfo>>(&u2, s2, &b2) {
                        if let Some(f) = entries
                            .into_iter()
                            .find(|e| e.name() == name && !e.is_dir())
                        {
                            return Ok(vec![f]);
                        }
                    }
                }
            }
        }
        Ok(list)
    }

    /// The size of a file (`/files/read?offset=-1`).
    pub async fn size(&self, path: &str) -> Result<u64> {
        let (url, status, body) = self
            .get_files("read", &[("path", path), ("offset", "-1")])
            .await?;
        let r: ReadResponse =
            crate::http::decode_json(&url, status, &body).map_err(|e| file_error(e, path))?;
        Ok(r.offset)
    }

    /// Read up to `length` bytes (at most [`BLOCK`]) at `offset`. Empty data
    /// at or past the end of the file.
    pub async fn read(&self, path: &str, offset: u64, length: u64) -> Result<Chunk> {
        let length = length.min(BLOCK);
        if self.v1.load(Ordering::Relaxed) != NO {
            match self.read_v1(path, offset, length).await? {
                V1::Ok(c) => {
                    self.v1.store(YES, Ordering::Relaxed);
                    return Ok(c);
                }
                V1::Unsupported => self.v1.store(NO, Ordering::Relaxed),
                V1::NotFound(e) => {
                    if self.v1.load(Ordering::Relaxed) == YES {
                        return Err(e);
                    }
                    // Unknown: the API itself may be missing; v0 decides.
                    let r = self.read_v0(path, offset, length).await;
                    if r.is_ok() {
                        self.v1.store(NO, Ordering::Relaxed);
                    }
                    return r;
                }
            }
        }
        self.read_v0(path, offset, length).await
    }

    async fn read_v1(&self, path: &str, offset: u64, length: u64) -> Result<V1> {
        let url = endpoint(&self.base, self.api_path);
        let call = crate::wire::call::ReadFileCall::new(path, offset, length).to_json();
        let rb = self
            .http
            .request(Method::POST, url.clone(), true)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .body(call);
        let resp = self.http.send(rb, &url).await?;
        let status = resp.status();
        let body = resp
            .bytes()
            .await
            .map_err(|e| transport_error(&url, &e, self.http.timeout))?;
        match status {
            s if s.is_success() => {
                let r: crate::wire::v1::Response = crate::http::decode_json(&url, status, &body)?;
                let rf = r.read_file.unwrap_or_default();
                let data = base64::engine::general_purpose::STANDARD
                    .decode(rf.data.as_bytes())
                    .map_err(|e| {
                        Error::failed(format!("{url}: READ_FILE data is not base64: {e}"))
                    })?;
                Ok(V1::Ok(Chunk {
                    data,
                    size: Some(rf.size),
                }))
            }
            StatusCode::NOT_FOUND => Ok(V1::NotFound(file_error(
                status_error(&url, status, &body),
                path,
            ))),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::SERVICE_UNAVAILABLE => {
                Err(status_error(&url, status, &body))
            }
            StatusCode::BAD_REQUEST if looks_like_file_error(&body) => {
                Err(file_error(status_error(&url, status, &body), path))
            }
            // 405/415/501/400 on agents without the v1 API.
            _ => Ok(V1::Unsupported),
        }
    }

    async fn read_v0(&self, path: &str, offset: u64, length: u64) -> Result<Chunk> {
        let (o, l) = (offset.to_string(), length.to_string());
        let (url, status, body) = self
            .get_files("read", &[("path", path), ("offset", &o), ("length", &l)])
            .await?;
        if !status.is_success() {
            return Err(file_error(status_error(&url, status, &body), path));
        }
        let (data, _) = parse_read_body(&body).ok_or_else(|| {
            Error::failed(format!(
                "{url} answered with a body that is not a files read result: {}",
                excerpt(&body, 120)
            ))
        })?;
        Ok(Chunk { data, size: None })
    }

    /// Read `[start, end)` completely (several reads when over [`BLOCK`]).
    /// Stops early at end of file.
    pub async fn read_range(&self, path: &str, start: u64, end: u64) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity((end - start) as usize);
        let mut pos = start;
        while pos < end {
            let c = self.read(path, pos, (end - pos).min(BLOCK)).await?;
            if c.data.is_empty() {
                break;
            }
            pos += c.data.len() as u64;
            out.extend_from_slice(&c.data);
        }
        Ok(out)
    }

    /// The last `lines` lines of a file, read backwards from the end in
    /// [`BLOCK`]-sized reads. Returns the bytes and the end offset they stop at.
    pub async fn tail(&self, path: &str, lines: usize) -> Result<(Vec<u8>, u64)> {
        let size = self.size(path).await?;
        if lines == 0 || size == 0 {
            return Ok((Vec::new(), size));
        }
        let mut buf: Vec<u8> = Vec::new();
        let mut start = size;
        while start > 0 {
            let from = start.saturating_sub(BLOCK);
            let mut block = self.read_range(path, from, start).await?;
            block.extend_from_slice(&buf);
            buf = block;
            start = from;
            if let Some(cut) = last_lines_start(&buf, lines) {
                if cut > 0 || start == 0 {
                    buf.drain(..cut);
                    return Ok((buf, size));
                }
            }
        }
        let cut = last_lines_start(&buf, lines).unwrap_or(0);
        buf.drain(..cut);
        Ok((buf, size))
    }

    /// Stream a whole file (`/files/download`), from byte `from` when > 0
    /// (a `Range` request; the caller must check for `206` and otherwise
    /// skip `from` bytes itself, since Mesos answers `200` with everything).
    pub async fn download(&self, path: &str, from: u64) -> Result<reqwest::Response> {
        let legacy = self.legacy.load(Ordering::Relaxed) == YES;
        let mut last_err = None;
        for spelled_legacy in [legacy, !legacy] {
            let url = self.files_url("download", spelled_legacy, &[("path", path)]);
            let mut rb = self.http.stream_request(Method::GET, url.clone());
            if from > 0 {
                rb = rb.header(header::RANGE, format!("bytes={from}-"));
            }
            // No transparent decompression: bytes must be exact and countable.
            rb = rb.header(header::ACCEPT_ENCODING, "identity");
            let resp = self.http.send(rb, &url).await?;
            let status = resp.status();
            if status.is_success() {
                return Ok(resp);
            }
            let body = resp.bytes().await.unwrap_or_default();
            let e = file_error(status_error(&url, status, &body), path);
            if status != StatusCode::NOT_FOUND || self.legacy.load(Ordering::Relaxed) != UNKNOWN {
                return Err(e);
            }
            last_err = Some(e);
        }
        Err(last_err.unwrap_or_else(|| Error::not_found(format!("{path}: no such file"))))
    }
}

enum V1 {
    Ok(Chunk),
    Unsupported,
    NotFound(Error),
}

fn looks_like_file_error(body: &[u8]) -> bool {
    let t = String::from_utf8_lossy(body);
    t.contains("directory") || t.contains("inaccessible") || t.contains("Failed to")
}

/// Name the sandbox path in file errors (404 -> "no such file").
fn file_error(e: Error, path: &str) -> Error {
    match e.kind {
        ErrorKind::NotFound => Error::not_found(format!("{path}: no such file or directory")),
        _ => e,
    }
}

/// Index where the last `n` lines of `buf` start, if `buf` holds that many
/// line breaks (a final newline does not start a new line).
pub fn last_lines_start(buf: &[u8], n: usize) -> Option<usize> {
    if n == 0 {
        return Some(buf.len());
    }
    let end = if buf.last() == Some(&b'\n') {
        buf.len() - 1
    } else {
        buf.len()
    };
    let mut seen = 0;
    for i in (0..end).rev() {
        if buf[i] == b'\n' {
            seen += 1;
            if seen == n {
                return Some(i + 1);
            }
        }
    }
    None
}

/// Decode a `/files/read` body `{"data": "...", "offset": N}` byte-exactly:
/// real Mesos puts the file's raw bytes into the JSON string (only `"`, `\`
/// and control characters escaped), which need not be valid UTF-8.
pub fn parse_read_body(body: &[u8]) -> Option<(Vec<u8>, u64)> {
    let mut p = Parser { b: body, i: 0 };
    p.ws();
    p.eat(b'{')?;
    let (mut data, mut offset) = (None, None);
    loop {
        p.ws();
        if p.peek()? == b'}' {
            break;
        }
        let key = p.string()?;
        p.ws();
        p.eat(b':')?;
        p.ws();
        match p.peek()? {
            b'"' => {
                let v = p.string()?;
                if key == b"data" {
                    data = Some(v);
                }
            }
            _ => {
                let start = p.i;
                while p.i < p.b.len()
                    && !matches!(p.b[p.i], b',' | b'}' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    p.i += 1;
                }
                if key == b"offset" {
                    let t = std::str::from_utf8(&p.b[start..p.i]).ok()?;
                    offset = Some(t.parse::<f64>().ok()? as u64);
                }
            }
        }
        p.ws();
        match p.peek()? {
            b',' => p.i += 1,
            b'}' => break,
            _ => return None,
        }
    }
    Some((data?, offset.unwrap_or(0)))
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }
    fn hex4(&mut self) -> Option<u32> {
        let h = std::str::from_utf8(self.b.get(self.i..self.i + 4)?).ok()?;
        self.i += 4;
        u32::from_str_radix(h, 16).ok()
    }
    fn string(&mut self) -> Option<Vec<u8>> {
        self.eat(b'"')?;
        let mut out = Vec::new();
        loop {
            let c = self.peek()?;
            self.i += 1;
            match c {
                b'"' => return Some(out),
                b'\\' => {
                    let e = self.peek()?;
                    self.i += 1;
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let mut cp = self.hex4()?;
                            if (0xD800..0xDC00).contains(&cp)
                                && self.b.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                cp = 0x10000
                                    + ((cp - 0xD800) << 10)
                                    + (lo.wrapping_sub(0xDC00) & 0x3FF);
                            }
                            // \u0080-\u00FF from encoders that escape single bytes.
                            match char::from_u32(cp) {
                                Some(ch) => {
                                    let mut tmp = [0u8; 4];
                                    out.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
                                }
                                None => out.extend_from_slice("\u{FFFD}".as_bytes()),
                            }
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_body_raw_bytes_and_escapes() {
        let mut body = b"{\"data\":\"a\\n\\\"b\\u00e9".to_vec();
        body.extend_from_slice(&[0xff, 0xfe]);
        body.extend_from_slice(b"\\ud83d\\ude00\",\"offset\":12}");
        let (d, o) = parse_read_body(&body).unwrap();
        let mut want = b"a\n\"b\xc3\xa9".to_vec();
        want.extend_from_slice(&[0xff, 0xfe]);
        want.extend_from_slice("😀".as_bytes());
        assert_eq!(d, want);
        assert_eq!(o, 12);
        assert_eq!(
            parse_read_body(br#"{"offset": 5.0, "data": ""}"#),
            Some((vec![], 5))
        );
        assert_eq!(parse_read_body(b"<html>"), None);
        assert_eq!(parse_read_body(br#"{"offset":1}"#), None);
    }

    #[test]
    fn last_lines() {
        assert_eq!(last_lines_start(b"a\nb\nc\n", 2), Some(2));
        assert_eq!(last_lines_start(b"a\nb\nc", 2), Some(2));
        assert_eq!(last_lines_start(b"a\nb\nc\n", 3), None);
        assert_eq!(last_lines_start(b"abc", 0), Some(3));
    }
}
