//! A protobuf writer driven by hand, for the few large answers where the
//! descriptor-guided encoder's per-value dispatch is the cost (the master's
//! `GET_STATE` family at 10,000 tasks, docs/benchmarks.md): the caller
//! writes field numbers it knows, straight from its own state, with no
//! typed intermediate value; parts it does not write by hand are appended
//! by the descriptor-guided encoder ([`Writer::fields`]: a message's
//! encoding is the concatenation of its fields' encodings).
//!
//! Nested lengths are deferred exactly as in the generic encoder (one pass
//! at [`Writer::finish`]), so the same fields in the same order give the
//! same bytes; the users' tests hold them to that.

use serde::Serialize;

use super::buf::{base64_into, Open, Out};
use super::wire::put_varint;
use super::{encode, message_of, schema, ProtoError};

/// An open nested message (see [`Writer::begin`]).
#[must_use = "a nested message must be closed with Writer::end"]
pub struct Nested(Open);

/// Protobuf bytes written field by field.
pub struct Writer {
    out: Out,
    tag: Vec<u8>,
}

impl Writer {
    pub fn with_capacity(n: usize) -> Writer {
        Writer {
            out: Out::with_capacity(n),
            tag: Vec::with_capacity(5),
        }
    }

    fn key(&mut self, field: u32, wire_type: u8) {
        if field < 16 {
            self.out.tag(&[(field << 3) as u8 | wire_type]);
        } else {
            self.tag.clear();
            put_varint(
                &mut self.tag,
                (u64::from(field) << 3) | u64::from(wire_type),
            );
            self.out.tag(&self.tag);
        }
    }

    /// Open a nested message (or any length-delimited field) `field`.
    pub fn begin(&mut self, field: u32) -> Nested {
        if field < 16 {
            Nested(self.out.begin(&[(field << 3) as u8 | 2]))
        } else {
            self.tag.clear();
            put_varint(&mut self.tag, (u64::from(field) << 3) | 2);
            let tag = std::mem::take(&mut self.tag);
            let open = self.out.begin(&tag);
            self.tag = tag;
            Nested(open)
        }
    }

    /// Close what [`Writer::begin`] opened.
    pub fn end(&mut self, n: Nested) {
        self.out.end(n.0);
    }

    /// A `string` (or `bytes` given raw) field.
    pub fn string(&mut self, field: u32, s: &str) {
        self.raw(field, s.as_bytes());
    }

    /// A length-delimited field of raw bytes.
    pub fn raw(&mut self, field: u32, b: &[u8]) {
        self.key(field, 2);
        put_varint(&mut self.out.buf, b.len() as u64);
        self.out.buf.extend_from_slice(b);
    }

    /// An id message (`TaskID`, `AgentID`, ...: `{value = 1}`).
    pub fn id(&mut self, field: u32, value: &str) {
        self.key(field, 2);
        put_varint(
            &mut self.out.buf,
            value.len() as u64 + 1 + varint_len(value.len()),
        );
        self.raw(1, value.as_bytes());
    }

    /// A varint field (`uint64`, `uint32`, `int64` >= 0).
    pub fn uint(&mut self, field: u32, v: u64) {
        self.key(field, 0);
        put_varint(&mut self.out.buf, v);
    }

    /// An enum field by number (negative numbers take ten bytes, as
    /// protobuf writes them).
    pub fn enumeration(&mut self, field: u32, n: i32) {
        self.uint(field, i64::from(n) as u64);
    }

    pub fn bool(&mut self, field: u32, b: bool) {
        self.uint(field, u64::from(b));
    }

    pub fn double(&mut self, field: u32, v: f64) {
        self.key(field, 1);
        self.out.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// A `bytes` field carried as base64 in the typed model (uuids, data);
    /// anything but canonical base64 is an error, as in the encoder (after
    /// an error the writer's bytes are not a message: drop it).
    pub fn base64(&mut self, field: u32, b64: &str) -> Result<(), ProtoError> {
        let n = self.begin(field);
        if !base64_into(b64.as_bytes(), &mut self.out.buf) {
            return Err(ProtoError::Encode(format!(
                "field {field} holds '{b64}', which is not base64"
            )));
        }
        self.end(n);
        Ok(())
    }

    /// The fields of `value` as message `message`, appended to the message
    /// being written (the descriptor-guided encoder, for the parts not
    /// written by hand).
    pub fn fields<T: Serialize + ?Sized>(
        &mut self,
        message: &str,
        value: &T,
    ) -> Result<(), ProtoError> {
        let msg = message_of(message)?;
        encode::encode_into(schema::registry(), msg, value, &mut self.out)
            .map_err(|e| ProtoError::Encode(e.0))
    }

    /// The finished bytes.
    pub fn finish(self) -> Vec<u8> {
        self.out.finish()
    }
}

fn varint_len(n: usize) -> u64 {
    super::wire::varint_len(n as u64) as u64
}

/// The enum named `name` (fully qualified, e.g. `mesos.v1.TaskState`),
/// from the same descriptors as the encoder; look it up once, then ask it
/// for numbers.
pub fn enum_type(name: &str) -> Option<&'static schema::Enum> {
    schema::registry().enums.iter().find(|e| e.name == name)
}
