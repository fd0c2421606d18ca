//! What flows from the container: the RecordIO stream of `ProcessIO`
//! records of LAUNCH_NESTED_CONTAINER_SESSION / ATTACH_CONTAINER_OUTPUT,
//! decoded and written to local stdout / stderr as raw bytes.

use std::io::Write;

use crate::recordio;
use crate::wire::process_io::{ProcessIo, PROCESS_IO};
use crate::wire::proto::{self, Media};

/// Incremental decoder of the output stream.
#[derive(Debug)]
pub struct OutputDecoder {
    media: Media,
    dec: recordio::Decoder,
}

impl OutputDecoder {
    pub fn new(media: Media) -> OutputDecoder {
        OutputDecoder {
            media,
            dec: recordio::Decoder::new(),
        }
    }

    /// Feed received bytes; the whole records they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<ProcessIo>, String> {
        self.dec.push(bytes);
        let mut out = Vec::new();
        while let Some(rec) = self.dec.next_record()? {
            let json =
                proto::body_to_json(self.media, PROCESS_IO, &rec).map_err(|e| e.to_string())?;
            let io: ProcessIo = serde_json::from_slice(&json)
                .map_err(|e| format!("not a ProcessIO record ({e})"))?;
            out.push(io);
        }
        Ok(out)
    }

    /// Bytes of an unfinished record at the end of the stream.
    pub fn pending(&self) -> usize {
        self.dec.pending()
    }
}

/// Where the container's output goes (the process's stdout and stderr,
/// or buffers in tests).
pub struct Sinks {
    pub out: Box<dyn Write + Send>,
    pub err: Box<dyn Write + Send>,
}

impl Sinks {
    /// The process's own stdout and stderr (unbuffered: each record is
    /// written and flushed as it arrives).
    pub fn std() -> Sinks {
        Sinks {
            out: Box::new(std::io::stdout()),
            err: Box::new(std::io::stderr()),
        }
    }

    /// Write one record's bytes; heartbeats and other controls are
    /// skipped. `Err` only for a local write failure.
    pub fn write(&mut self, io: &ProcessIo) -> std::io::Result<()> {
        if io.kind != "DATA" {
            return Ok(());
        }
        let Some(d) = io.data.as_ref() else {
            return Ok(());
        };
        let Some(bytes) = io.bytes() else {
            return Ok(());
        };
        let w = if d.kind == "STDERR" {
            &mut self.err
        } else {
            &mut self.out
        };
        w.write_all(&bytes)?;
        w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_split_anywhere_decode_whole() {
        let mut stream = Vec::new();
        for io in [
            ProcessIo::data("STDOUT", b"hello\n"),
            ProcessIo::heartbeat(1),
            ProcessIo::data("STDERR", b"oops"),
        ] {
            stream.extend(proto::record(Media::Json, PROCESS_IO, &io).unwrap());
        }
        let mut d = OutputDecoder::new(Media::Json);
        let mut got = Vec::new();
        for chunk in stream.chunks(7) {
            got.extend(d.push(chunk).unwrap());
        }
        assert_eq!(got.len(), 3);
        assert_eq!(d.pending(), 0);
        assert_eq!(got[0].bytes().unwrap(), b"hello\n");
        assert_eq!(got[1].kind, "CONTROL");
        assert_eq!(got[2].data.as_ref().unwrap().kind, "STDERR");
        let mut bad = OutputDecoder::new(Media::Json);
        assert!(bad.push(b"3\nabc").unwrap_err().contains("ProcessIO"));
    }
}
