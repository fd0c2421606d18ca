//! What flows towards the container: the events of the local side (stdin
//! bytes, end of input, window changes, detach, interrupts) and the
//! ATTACH_CONTAINER_INPUT request body they become (RecordIO of agent
//! `Call`s: first the container id, then PROCESS_IO records).

use std::io::Read;

use bytes::Bytes;
use futures_util::Stream;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::wire::agent_v1::ContainerId;
use crate::wire::process_io::{InputCall, ProcessIo, AGENT_CALL};
use crate::wire::proto::{self, Media};

/// Default `--detach-keys` (as Mesos' own CLI and Docker).
pub const DEFAULT_DETACH_KEYS: &str = "ctrl-p,ctrl-q";

/// Heartbeat interval on the input stream (as Mesos' own CLI).
pub const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(30);

/// An event of the local side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Bytes read from stdin.
    Data(Vec<u8>),
    /// Stdin ended.
    Eof,
    /// The local terminal's size changed (rows, columns).
    Window(u32, u32),
    /// The detach keys were typed.
    Detach,
    /// A signal asked us to stop; exit with this code.
    Interrupt(u8),
}

/// What the input body carries after the first record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    Stdin(Vec<u8>),
    Window(u32, u32),
    Heartbeat,
}

impl Record {
    fn process_io(&self) -> ProcessIo {
        match self {
            Record::Stdin(b) => ProcessIo::data("STDIN", b),
            Record::Window(rows, cols) => ProcessIo::window(*rows, *cols),
            Record::Heartbeat => ProcessIo::heartbeat(HEARTBEAT.as_nanos() as i64),
        }
    }
}

/// One RecordIO record of the ATTACH_CONTAINER_INPUT body.
pub fn encode(media: Media, call: &InputCall) -> std::io::Result<Bytes> {
    proto::record(media, AGENT_CALL, call)
        .map(Bytes::from)
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// The streaming request body: the CONTAINER_ID record, then one record
/// per item received on `rx`, ending when every sender is gone.
pub fn body(
    media: Media,
    container: ContainerId,
    rx: UnboundedReceiver<Record>,
) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    let first = encode(media, &InputCall::container(container));
    futures_util::stream::unfold((Some(first), rx), move |(first, mut rx)| async move {
        if let Some(f) = first {
            return Some((f, (None, rx)));
        }
        let r = rx.recv().await?;
        Some((encode(media, &InputCall::io(r.process_io())), (None, rx)))
    })
}

/// Parse `--detach-keys`: comma-separated keys, each `ctrl-X` or one
/// character (`ctrl-p,ctrl-q`); empty turns detaching off.
pub fn parse_detach_keys(s: &str) -> Result<Vec<u8>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(Vec::new());
    }
    s.split(',')
        .map(|k| {
            let k = k.trim();
            let lower = k.to_ascii_lowercase();
            if let Some(c) = lower.strip_prefix("ctrl-") {
                let c = c.as_bytes();
                if c.len() == 1 {
                    match c[0] {
                        b'@' => return Ok(0),
                        b'a'..=b'z' => return Ok(c[0] - b'a' + 1),
                        b'[' | b'\\' | b']' | b'^' | b'_' => return Ok(c[0] - b'@'),
                        _ => {}
                    }
                }
            } else if k.len() == 1 && k.is_ascii() {
                return Ok(k.as_bytes()[0]);
            }
            Err(format!(
                "'{k}' is not a key: use ctrl-A..ctrl-Z, ctrl-@, ctrl-[, ctrl-\\, ctrl-], ctrl-^, ctrl-_ or one character (e.g. ctrl-p,ctrl-q)"
            ))
        })
        .collect()
}

/// Finds the detach key sequence in typed bytes, also across reads; bytes
/// that may begin the sequence are held back until the next key shows
/// whether they do.
#[derive(Clone, Debug, Default)]
pub struct Detector {
    seq: Vec<u8>,
    held: Vec<u8>,
}

impl Detector {
    pub fn new(seq: Vec<u8>) -> Detector {
        Detector {
            seq,
            held: Vec::new(),
        }
    }

    /// The bytes to send, and whether the sequence was typed (bytes after
    /// it are dropped).
    pub fn feed(&mut self, input: &[u8]) -> (Vec<u8>, bool) {
        if self.seq.is_empty() {
            return (input.to_vec(), false);
        }
        let mut out = Vec::with_capacity(input.len());
        for &b in input {
            self.held.push(b);
            while !self.held.is_empty() && !self.seq.starts_with(&self.held) {
                out.push(self.held.remove(0));
            }
            if self.held.len() == self.seq.len() {
                self.held.clear();
                return (out, true);
            }
        }
        (out, false)
    }
}

/// Read stdin on its own thread (blocking reads) and send what arrives:
/// data (the detach keys filtered out when `detach` is not empty), then at
/// the end of input EOT (`\x04`, with a remote TTY) or an empty record.
pub fn spawn_stdin_reader(tx: UnboundedSender<Input>, detach: Vec<u8>) {
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut detector = Detector::new(detach);
        let mut buf = vec![0u8; 8192];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) => {
                    let _ = tx.send(Input::Eof);
                    return;
                }
                Ok(n) => {
                    let (data, detached) = detector.feed(&buf[..n]);
                    if !data.is_empty() && tx.send(Input::Data(data)).is_err() {
                        return;
                    }
                    if detached {
                        let _ = tx.send(Input::Detach);
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    let _ = tx.send(Input::Eof);
                    return;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detach_keys_parse() {
        assert_eq!(
            parse_detach_keys("ctrl-p,ctrl-q").unwrap(),
            vec![0x10, 0x11]
        );
        assert_eq!(parse_detach_keys("Ctrl-A, x").unwrap(), vec![1, b'x']);
        assert_eq!(parse_detach_keys("ctrl-]").unwrap(), vec![0x1d]);
        assert!(parse_detach_keys("").unwrap().is_empty());
        let e = parse_detach_keys("ctrl-pq").unwrap_err();
        assert!(e.contains("'ctrl-pq' is not a key"), "{e}");
        assert!(parse_detach_keys("alt-x").is_err());
    }

    #[test]
    fn detector_finds_the_sequence_across_reads_and_passes_the_rest() {
        let mut d = Detector::new(vec![0x10, 0x11]);
        assert_eq!(d.feed(b"ls\r"), (b"ls\r".to_vec(), false));
        // Ctrl-P alone is held until the next key says what it was.
        assert_eq!(d.feed(&[0x10]), (vec![], false));
        assert_eq!(d.feed(b"x"), (vec![0x10, b'x'], false));
        assert_eq!(d.feed(&[b'a', 0x10]), (vec![b'a'], false));
        assert_eq!(d.feed(&[0x11, b'z']), (vec![], true));
        // Ctrl-P Ctrl-P Ctrl-Q: the first Ctrl-P is data.
        let mut d = Detector::new(vec![0x10, 0x11]);
        assert_eq!(d.feed(&[0x10, 0x10, 0x11]), (vec![0x10], true));
        // Off: everything passes.
        let mut d = Detector::new(vec![]);
        assert_eq!(d.feed(&[0x10, 0x11]), (vec![0x10, 0x11], false));
    }

    #[tokio::test]
    async fn body_starts_with_the_container_then_process_io_records() {
        use futures_util::StreamExt;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tx.send(Record::Stdin(b"hi".to_vec())).unwrap();
        tx.send(Record::Window(40, 120)).unwrap();
        tx.send(Record::Heartbeat).unwrap();
        drop(tx);
        let id = ContainerId::nested("n", ContainerId::new("p"));
        let parts: Vec<Bytes> = body(Media::Json, id, rx)
            .map(|r| r.unwrap())
            .collect()
            .await;
        let mut dec = crate::recordio::Decoder::new();
        for p in &parts {
            dec.push(p);
        }
        let mut recs = Vec::new();
        while let Some(r) = dec.next_record().unwrap() {
            recs.push(serde_json::from_slice::<serde_json::Value>(&r).unwrap());
        }
        assert_eq!(recs.len(), 4);
        assert_eq!(recs[0]["attach_container_input"]["type"], "CONTAINER_ID");
        assert_eq!(
            recs[0]["attach_container_input"]["container_id"]["parent"]["value"],
            "p"
        );
        let io = |i: usize| recs[i]["attach_container_input"]["process_io"].clone();
        assert_eq!(io(1)["data"]["type"], "STDIN");
        assert_eq!(io(1)["data"]["data"], "aGk=");
        assert_eq!(io(2)["control"]["tty_info"]["window_size"]["rows"], 40);
        assert_eq!(
            io(3)["control"]["heartbeat"]["interval"]["nanoseconds"],
            30_000_000_000i64
        );
    }
}
