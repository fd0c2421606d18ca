//! RecordIO framing used by every Mesos event stream:
//! `<decimal length>\n<payload>` repeated, no separator after the payload.

/// Frame one payload.
pub fn encode(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 12);
    out.extend_from_slice(payload.len().to_string().as_bytes());
    out.push(b'\n');
    out.extend_from_slice(payload);
    out
}

/// Incremental decoder: feed bytes as they arrive, take whole records out.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    /// Maximum accepted record size (guards against garbage lengths).
    pub max_record: usize,
}

impl Decoder {
    pub fn new() -> Self {
        Decoder {
            buf: Vec::new(),
            max_record: 256 * 1024 * 1024,
        }
    }

    /// Append received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes buffered but not yet returned as a record.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    /// The next complete record, `Ok(None)` when more bytes are needed, or an
    /// error when the stream is not RecordIO.
    pub fn next_record(&mut self) -> Result<Option<Vec<u8>>, String> {
        let Some(nl) = self.buf.iter().position(|&b| b == b'\n') else {
            if self.buf.len() > 20 {
                return Err(format!(
                    "not a RecordIO stream: no length line in {:?}",
                    String::from_utf8_lossy(&self.buf[..20.min(self.buf.len())])
                ));
            }
            return Ok(None);
        };
        let len_text = std::str::from_utf8(&self.buf[..nl])
            .map_err(|_| "not a RecordIO stream: length is not text".to_string())?
            .trim();
        let len: usize = len_text
            .parse()
            .map_err(|_| format!("not a RecordIO stream: bad record length {len_text:?}"))?;
        if len > self.max_record {
            return Err(format!("RecordIO record of {len} bytes is too large"));
        }
        if self.buf.len() < nl + 1 + len {
            return Ok(None);
        }
        let record = self.buf[nl + 1..nl + 1 + len].to_vec();
        self.buf.drain(..nl + 1 + len);
        Ok(Some(record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_across_arbitrary_chunks() {
        let a = br#"{"type":"HEARTBEAT"}"#;
        let b = "{\"type\":\"UPDATE\",\"x\":\"\u{e9}\"}".as_bytes();
        let mut stream = encode(a);
        stream.extend(encode(b));
        assert!(stream.starts_with(b"20\n{"));
        for chunk in 1..stream.len() {
            let mut d = Decoder::new();
            let mut got = Vec::new();
            for piece in stream.chunks(chunk) {
                d.push(piece);
                while let Some(r) = d.next_record().unwrap() {
                    got.push(r);
                }
            }
            assert_eq!(got, vec![a.to_vec(), b.to_vec()], "chunk size {chunk}");
            assert_eq!(d.pending(), 0);
        }
    }

    #[test]
    fn garbage_is_an_error() {
        let mut d = Decoder::new();
        d.push(b"abc\n{}");
        assert!(d.next_record().is_err());
        let mut d = Decoder::new();
        d.push(b"<html><body>this is not a stream");
        assert!(d.next_record().is_err());
    }
}
