//! Protobuf (`application/x-protobuf`) for the v1 APIs, and the media-type
//! negotiation every v1 endpoint shares (docs/wire-notes.md#protobuf).
//!
//! One typed wire model: a protobuf body is read into the same JSON value
//! the stout mapping gives (so JSON and protobuf decode to the same typed
//! values through the same serde types), and a typed value is written to
//! protobuf straight from its `Serialize` impl, guided by the message's
//! descriptor (field names -> numbers, enum names -> numbers, base64
//! strings of `bytes` fields -> bytes). The descriptors are the messages of
//! `proto/mesos/v1/*.proto`, written from the field numbers of Mesos 1.x.
//!
//! Message names are fully qualified: `mesos.v1.scheduler.Call`,
//! `mesos.v1.scheduler.Event`, `mesos.v1.executor.Call`,
//! `mesos.v1.executor.Event`, `mesos.v1.master.Call`,
//! `mesos.v1.master.Response`, `mesos.v1.master.Event`,
//! `mesos.v1.agent.Call`, `mesos.v1.agent.Response`,
//! `mesos.v1.agent.ProcessIO`, and the core `mesos.v1.*` messages.
//!
//! CONTRACT (lead): the signatures below are what the daemons' handlers
//! and the CLI's clients call. The protobuf lane fills the bodies; until
//! then protobuf answers [`ProtoError::Unsupported`].

use serde::Serialize;

mod buf;
mod decode;
pub mod direct;
mod encode;
mod keys;
pub mod schema;
#[cfg(test)]
mod tests;
mod wire;

fn message_of(message: &str) -> Result<&'static schema::Message, ProtoError> {
    schema::registry()
        .message(message)
        .ok_or_else(|| ProtoError::Unsupported(format!("no protobuf message '{message}'")))
}

/// `application/json`.
pub const JSON: &str = "application/json";
/// `application/x-protobuf`.
pub const PROTOBUF: &str = "application/x-protobuf";
/// `application/recordio` (agent streaming calls).
pub const RECORDIO: &str = "application/recordio";

/// A message encoding of the v1 APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    Json,
    Protobuf,
}

impl Media {
    /// The media type string.
    pub fn as_str(self) -> &'static str {
        match self {
            Media::Json => JSON,
            Media::Protobuf => PROTOBUF,
        }
    }

    /// The media of a `Content-Type` (parameters stripped, lenient as our
    /// daemons are): `None` for anything but JSON or protobuf.
    pub fn of_content_type(content_type: &str) -> Option<Media> {
        match content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            JSON => Some(Media::Json),
            PROTOBUF => Some(Media::Protobuf),
            _ => None,
        }
    }

    /// The response media an `Accept` header allows: missing or `*/*` ->
    /// JSON; JSON wins over protobuf when both are acceptable (q=0 refuses);
    /// `None` when neither is acceptable (406).
    /// `accept` is the header's value (`Accept`, or `Message-Accept` on
    /// the agent's streaming calls).
    pub fn from_accept(accept: Option<&str>) -> Option<Media> {
        let Some(v) = accept else {
            return Some(Media::Json);
        };
        let mut json = false;
        let mut proto = false;
        for part in v.split(',') {
            let mut it = part.split(';');
            let ty = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it
                .filter_map(|p| p.trim().strip_prefix("q=").map(str::to_string))
                .next()
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            match ty.as_str() {
                JSON | "application/*" | "*/*" => json = true,
                PROTOBUF => proto = true,
                _ => {}
            }
        }
        if v.trim().is_empty() || json {
            Some(Media::Json)
        } else if proto {
            Some(Media::Protobuf)
        } else {
            None
        }
    }
}

static CLIENT_MEDIA: std::sync::OnceLock<Media> = std::sync::OnceLock::new();

/// Set the media of the CLI's v1 clients (the global `--wire` flag).
pub fn set_client_media(media: Media) {
    let _ = CLIENT_MEDIA.set(media);
}

/// The media the CLI's v1 clients speak: `--wire`, else `MESOS_WIRE`
/// (`json` | `protobuf`), else JSON.
pub fn client_media() -> Media {
    if let Some(m) = CLIENT_MEDIA.get() {
        return *m;
    }
    match std::env::var("MESOS_WIRE").ok().as_deref().map(str::trim) {
        Some(w) if w.eq_ignore_ascii_case("protobuf") => Media::Protobuf,
        _ => Media::Json,
    }
}

/// What went wrong reading or writing protobuf: one line for a 400 body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProtoError {
    /// Not built (yet) for this message.
    Unsupported(String),
    /// The bytes are not a valid message of that type.
    Decode(String),
    /// The typed value does not fit the message (a bug, not bad input).
    Encode(String),
}

impl std::fmt::Display for ProtoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProtoError::Unsupported(m) | ProtoError::Decode(m) | ProtoError::Encode(m) => {
                f.write_str(m)
            }
        }
    }
}

impl std::error::Error for ProtoError {}

/// Protobuf bytes of `message` -> the JSON value the stout mapping gives
/// (proto field names, enum names, base64 bytes, defaults NOT filled in:
/// the serde types apply them as they do for JSON).
pub fn to_json(message: &str, bytes: &[u8]) -> Result<serde_json::Value, ProtoError> {
    let msg = message_of(message)?;
    decode::message(schema::registry(), msg, bytes)
        .map(serde_json::Value::Object)
        .map_err(|e| ProtoError::Decode(format!("Failed to parse {message} protobuf: {e}")))
}

/// A typed value -> protobuf bytes of `message`, straight from its
/// `Serialize` impl (keys the message does not define are dropped).
pub fn encode<T: Serialize + ?Sized>(message: &str, value: &T) -> Result<Vec<u8>, ProtoError> {
    let msg = message_of(message)?;
    encode::encode(schema::registry(), msg, value)
        .map_err(|e| ProtoError::Encode(format!("Failed to write {message} protobuf: {e}")))
}

/// A request body in `media` -> JSON bytes for the existing JSON parsers.
pub fn body_to_json(media: Media, message: &str, body: &[u8]) -> Result<Vec<u8>, ProtoError> {
    match media {
        Media::Json => Ok(body.to_vec()),
        Media::Protobuf => {
            let v = to_json(message, body)?;
            serde_json::to_vec(&v).map_err(|e| ProtoError::Decode(e.to_string()))
        }
    }
}

/// A typed value in `media` (compact JSON, or protobuf of `message`).
pub fn write<T: Serialize + ?Sized>(
    media: Media,
    message: &str,
    value: &T,
) -> Result<Vec<u8>, ProtoError> {
    match media {
        Media::Json => serde_json::to_vec(value).map_err(|e| ProtoError::Encode(e.to_string())),
        Media::Protobuf => encode(message, value),
    }
}

/// RecordIO records of compact JSON (what the daemons' event streams
/// carry, encoded once for every subscriber) re-encoded as records of
/// `media` (protobuf `message`); JSON passes through untouched.
pub fn transcode_records(media: Media, message: &str, chunk: &[u8]) -> Result<Vec<u8>, ProtoError> {
    if media == Media::Json {
        return Ok(chunk.to_vec());
    }
    let mut d = crate::recordio::Decoder::new();
    d.push(chunk);
    let mut out = Vec::with_capacity(chunk.len());
    while let Some(r) = d.next_record().map_err(ProtoError::Decode)? {
        let v: serde_json::Value =
            serde_json::from_slice(&r).map_err(|e| ProtoError::Decode(e.to_string()))?;
        out.extend_from_slice(&record(media, message, &v)?);
    }
    Ok(out)
}

/// A JSON body (a response rendered as JSON) re-encoded in `media`.
pub fn transcode_body(media: Media, message: &str, json: &[u8]) -> Result<Vec<u8>, ProtoError> {
    if media == Media::Json {
        return Ok(json.to_vec());
    }
    let v: serde_json::Value =
        serde_json::from_slice(json).map_err(|e| ProtoError::Encode(e.to_string()))?;
    write(media, message, &v)
}

/// The response media of a request's `Accept` headers (several headers
/// count as one list); `None`: neither JSON nor protobuf is acceptable.
pub fn accepted<'a>(values: impl Iterator<Item = &'a str>) -> Option<Media> {
    let all: Vec<&str> = values.collect();
    if all.is_empty() {
        return Media::from_accept(None);
    }
    Media::from_accept(Some(&all.join(",")))
}

/// One RecordIO record (`<len>\n<payload>`) of a typed value in `media`.
pub fn record<T: Serialize + ?Sized>(
    media: Media,
    message: &str,
    value: &T,
) -> Result<Vec<u8>, ProtoError> {
    Ok(crate::recordio::encode(&write(media, message, value)?))
}
