//! A `serde::Serializer` that writes protobuf straight from a typed value,
//! guided by the message's descriptor: struct and map keys -> field numbers
//! (keys the message does not define are dropped, their values never
//! visited), enum name strings -> numbers (an unknown name leaves the field
//! unset, as stout does), base64 strings -> `bytes`, numbers and numeric
//! strings -> the field's scalar type, `None` skipped, sequences ->
//! repeated fields, maps -> `map<K, V>` entries, nested messages
//! length-delimited in place (no intermediate JSON value, no nested
//! buffers: a one-byte length is reserved, and the few that need more are
//! widened in one pass at the end, `super::buf`).

use std::fmt;

use base64::Engine as _;
use serde::ser::{
    self, Impossible, Serialize, SerializeMap, SerializeSeq, SerializeStruct, SerializeTuple,
    SerializeTupleStruct, Serializer,
};

use super::buf::{Open, Out};
use super::keys::KeySer;
use super::schema::{Field, Kind, Message, Registry};
use super::wire::{put_varint, zigzag};

/// Why a typed value does not fit the message.
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

type Reg = &'static Registry;

/// Protobuf bytes of `value` as message `msg`.
pub fn encode<T: Serialize + ?Sized>(
    reg: Reg,
    msg: &'static Message,
    value: &T,
) -> Result<Vec<u8>, Error> {
    let mut out = Out::with_capacity(256);
    value.serialize(MsgSer {
        reg,
        msg,
        out: &mut out,
    })?;
    Ok(out.finish())
}

/// The fields of `value` as message `msg`, appended to `out` where it
/// stands (inside a message being written: see `direct::Writer::fields`).
pub(super) fn encode_into<T: Serialize + ?Sized>(
    reg: Reg,
    msg: &'static Message,
    value: &T,
    out: &mut Out,
) -> Result<(), Error> {
    value.serialize(MsgSer { reg, msg, out })
}

fn mismatch(field: &Field, what: impl fmt::Display) -> Error {
    Error(format!("field '{}' cannot hold {what}", field.name))
}

// ---------------------------------------------------------------------------
// A whole message

struct MsgSer<'o> {
    reg: Reg,
    msg: &'static Message,
    out: &'o mut Out,
}

macro_rules! not_a_message {
    ($($f:ident($($t:ty),*)),* $(,)?) => {
        $(fn $f(self, $(_: $t),*) -> Result<(), Error> {
            Err(Error(format!("{} must be an object", self.msg.name)))
        })*
    };
}

impl<'o> Serializer for MsgSer<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = StructSer<'o>;
    type SerializeStruct = StructSer<'o>;
    type SerializeStructVariant = Impossible<(), Error>;

    not_a_message!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_none(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        // Externally tagged: `{variant: v}`.
        let mut s = self.serialize_struct("", 1)?;
        s.field_dyn(variant, v)?;
        SerializeStruct::end(s)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(Error(format!(
            "{} must be an object, not an array",
            self.msg.name
        )))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error(format!("{} must be an object", self.msg.name)))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Error(format!("{} must be an object", self.msg.name)))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error(format!("{} must be an object", self.msg.name)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<StructSer<'o>, Error> {
        Ok(StructSer::new(self.reg, self.msg, self.out, None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<StructSer<'o>, Error> {
        Ok(StructSer::new(self.reg, self.msg, self.out, None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error(format!(
            "{}: externally tagged struct variants are not supported",
            self.msg.name
        )))
    }
}

/// The fields of one message (a struct, or a map such as a `flatten`ed
/// struct or a JSON object). `open` is set for a nested message, closed
/// at the end.
pub struct StructSer<'o> {
    reg: Reg,
    msg: &'static Message,
    out: &'o mut Out,
    open: Option<Open>,
    pending: Option<&'static Field>,
}

impl<'o> StructSer<'o> {
    fn new(reg: Reg, msg: &'static Message, out: &'o mut Out, open: Option<Open>) -> Self {
        StructSer {
            reg,
            msg,
            out,
            open,
            pending: None,
        }
    }

    fn field_dyn<T: Serialize + ?Sized>(&mut self, key: &str, v: &T) -> Result<(), Error> {
        let f = self.msg.field(key);
        self.value(f, v)
    }

    /// Write `v` as field `f`; a key the message does not define (`None`)
    /// is dropped without visiting its value.
    fn value<T: Serialize + ?Sized>(
        &mut self,
        f: Option<&'static Field>,
        v: &T,
    ) -> Result<(), Error> {
        match f {
            Some(f) => v.serialize(FieldSer {
                reg: self.reg,
                field: f,
                out: self.out,
            }),
            None => Ok(()),
        }
        .map_err(|e| self.context(e))
    }

    fn context(&self, e: Error) -> Error {
        if e.0.starts_with(&self.msg.name) {
            e
        } else {
            Error(format!("{}: {}", self.msg.name, e.0))
        }
    }

    fn close(self) {
        if let Some(o) = self.open {
            self.out.end(o);
        }
    }
}

impl SerializeStruct for StructSer<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        let f = self.msg.field_static(key);
        self.value(f, v)
    }
    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl SerializeMap for StructSer<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.pending = key.serialize(KeySer(self.msg))?;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let f = self.pending.take();
        self.value(f, v)
    }
    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// One field's value

struct FieldSer<'o> {
    reg: Reg,
    field: &'static Field,
    out: &'o mut Out,
}

impl FieldSer<'_> {
    #[inline]
    fn tag(&mut self) {
        self.out.tag(&self.field.tag);
    }

    #[inline]
    fn varint(mut self, v: u64) -> Result<(), Error> {
        self.tag();
        put_varint(&mut self.out.buf, v);
        Ok(())
    }

    fn fixed64(mut self, v: u64) -> Result<(), Error> {
        self.tag();
        self.out.buf.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }

    fn fixed32(mut self, v: u32) -> Result<(), Error> {
        self.tag();
        self.out.buf.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }

    fn delimited(mut self, b: &[u8]) -> Result<(), Error> {
        self.tag();
        put_varint(&mut self.out.buf, b.len() as u64);
        self.out.buf.extend_from_slice(b);
        Ok(())
    }

    fn int(self, v: i64) -> Result<(), Error> {
        match self.field.kind {
            Kind::Int64 | Kind::Int32 | Kind::Enum(_) => self.varint(v as u64),
            Kind::Uint64 | Kind::Uint32 if v >= 0 => self.varint(v as u64),
            Kind::Sint32 | Kind::Sint64 => self.varint(zigzag(v)),
            Kind::Bool => self.varint(u64::from(v != 0)),
            Kind::Fixed64 | Kind::Sfixed64 => self.fixed64(v as u64),
            Kind::Fixed32 | Kind::Sfixed32 => self.fixed32(v as u32),
            Kind::Double => self.fixed64((v as f64).to_bits()),
            Kind::Float => self.fixed32((v as f32).to_bits()),
            Kind::String => self.delimited(v.to_string().as_bytes()),
            _ => Err(mismatch(self.field, format!("the number {v}"))),
        }
    }

    fn uint(self, v: u64) -> Result<(), Error> {
        match self.field.kind {
            Kind::Uint64 | Kind::Uint32 | Kind::Int64 | Kind::Int32 | Kind::Enum(_) => {
                self.varint(v)
            }
            Kind::Sint32 | Kind::Sint64 => self.varint(zigzag(v as i64)),
            Kind::Bool => self.varint(u64::from(v != 0)),
            Kind::Fixed64 | Kind::Sfixed64 => self.fixed64(v),
            Kind::Fixed32 | Kind::Sfixed32 => self.fixed32(v as u32),
            Kind::Double => self.fixed64((v as f64).to_bits()),
            Kind::Float => self.fixed32((v as f32).to_bits()),
            Kind::String => self.delimited(v.to_string().as_bytes()),
            _ => Err(mismatch(self.field, format!("the number {v}"))),
        }
    }

    fn float(self, v: f64) -> Result<(), Error> {
        match self.field.kind {
            Kind::Double => self.fixed64(v.to_bits()),
            Kind::Float => self.fixed32((v as f32).to_bits()),
            Kind::String => self.delimited(v.to_string().as_bytes()),
            Kind::Bytes | Kind::Message(_) => Err(mismatch(self.field, format!("the number {v}"))),
            _ if v.is_finite() && v.fract() == 0.0 => {
                if v < 0.0 {
                    self.int(v as i64)
                } else {
                    self.uint(v as u64)
                }
            }
            _ => Err(mismatch(self.field, format!("the fraction {v}"))),
        }
    }

    fn string(self, s: &str) -> Result<(), Error> {
        match self.field.kind {
            Kind::String => self.delimited(s.as_bytes()),
            Kind::Bytes => {
                // Decoded straight into the output after the key and a
                // length (a UUID: 24 characters -> 16 bytes, < 128).
                if s.len() < 168 {
                    let mark = self.out.buf.len();
                    self.out.tag(&self.field.tag);
                    let at = self.out.buf.len();
                    self.out.buf.push(0);
                    if super::buf::base64_into(s.as_bytes(), &mut self.out.buf) {
                        self.out.buf[at] = (self.out.buf.len() - at - 1) as u8;
                        return Ok(());
                    }
                    self.out.buf.truncate(mark);
                }
                let engine = &base64::engine::general_purpose::STANDARD;
                let bad = |f| mismatch(f, "a string that is not base64");
                if s.len() <= 128 {
                    let mut buf = [0u8; 96];
                    let n = engine
                        .decode_slice(s, &mut buf)
                        .map_err(|_| bad(self.field))?;
                    self.delimited(&buf[..n])
                } else {
                    let b = engine.decode(s).map_err(|_| bad(self.field))?;
                    self.delimited(&b)
                }
            }
            // An unknown enum name leaves the field unset.
            Kind::Enum(i) => match self.reg.enums[i].number(s) {
                Some(n) => self.varint(n as i64 as u64),
                None => Ok(()),
            },
            Kind::Bool => match s {
                "true" => self.varint(1),
                "false" => self.varint(0),
                _ => Err(mismatch(self.field, format!("'{s}'"))),
            },
            Kind::Double | Kind::Float => {
                let v = match s {
                    "Infinity" => f64::INFINITY,
                    "-Infinity" => f64::NEG_INFINITY,
                    _ => s
                        .trim()
                        .parse::<f64>()
                        .map_err(|_| mismatch(self.field, format!("'{s}'")))?,
                };
                self.float(v)
            }
            Kind::Message(_) => Err(mismatch(self.field, format!("the string '{s}'"))),
            _ => {
                let t = s.trim();
                if let Ok(v) = t.parse::<i64>() {
                    self.int(v)
                } else if let Ok(v) = t.parse::<u64>() {
                    self.uint(v)
                } else {
                    Err(mismatch(self.field, format!("'{s}'")))
                }
            }
        }
    }

    /// A nested message of this field's type; the returned serializer
    /// writes its fields and patches its length.
    fn nested<'p>(&'p mut self, i: usize) -> StructSer<'p> {
        let open = self.out.begin(&self.field.tag);
        StructSer::new(self.reg, &self.reg.messages[i], self.out, Some(open))
    }
}

impl<'o> Serializer for FieldSer<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = SeqSer<'o>;
    type SerializeTuple = SeqSer<'o>;
    type SerializeTupleStruct = SeqSer<'o>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Composite<'o>;
    type SerializeStruct = Composite<'o>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        match self.field.kind {
            Kind::String => self.delimited(if v { b"true" } else { b"false" }),
            Kind::Bytes | Kind::Message(_) | Kind::Double | Kind::Float => {
                Err(mismatch(self.field, "a boolean"))
            }
            _ => self.uint(u64::from(v)),
        }
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.uint(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.uint(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.uint(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.uint(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        match self.field.kind {
            Kind::Bytes | Kind::String => self.delimited(v),
            _ => Err(mismatch(self.field, "bytes")),
        }
    }
    fn serialize_none(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        let Kind::Message(i) = self.field.kind else {
            return Err(mismatch(self.field, format!("the variant {variant}")));
        };
        let mut s = self.nested(i);
        s.field_dyn(variant, v)?;
        s.close();
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<SeqSer<'o>, Error> {
        Ok(SeqSer {
            reg: self.reg,
            field: self.field,
            out: self.out,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqSer<'o>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqSer<'o>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(mismatch(self.field, "a tuple variant"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Composite<'o>, Error> {
        let Kind::Message(i) = self.field.kind else {
            return Err(mismatch(self.field, "an object"));
        };
        let entry = &self.reg.messages[i];
        if entry.map_entry {
            let (Some(key), Some(value)) = (entry.field_by_number(1), entry.field_by_number(2))
            else {
                return Err(mismatch(self.field, "a map (malformed entry type)"));
            };
            return Ok(Composite::Map(MapSer {
                reg: self.reg,
                field: self.field,
                key,
                value,
                out: self.out,
                open: None,
            }));
        }
        let open = self.out.begin(&self.field.tag);
        Ok(Composite::Message(StructSer::new(
            self.reg,
            entry,
            self.out,
            Some(open),
        )))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Composite<'o>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(mismatch(self.field, "a struct variant"))
    }
}

/// The elements of a repeated field, each written with the field's key.
pub struct SeqSer<'o> {
    reg: Reg,
    field: &'static Field,
    out: &'o mut Out,
}

impl SerializeSeq for SeqSer<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        v.serialize(FieldSer {
            reg: self.reg,
            field: self.field,
            out: self.out,
        })
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

impl SerializeTuple for SeqSer<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

impl SerializeTupleStruct for SeqSer<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

/// An object given for a message field: a nested message, or the entries
/// of a `map<K, V>` field.
pub enum Composite<'o> {
    Message(StructSer<'o>),
    Map(MapSer<'o>),
}

/// The entries of a `map<K, V>` field: one length-delimited entry message
/// `{1: key, 2: value}` per key.
pub struct MapSer<'o> {
    reg: Reg,
    field: &'static Field,
    key: &'static Field,
    value: &'static Field,
    out: &'o mut Out,
    /// The entry being written.
    open: Option<Open>,
}

impl MapSer<'_> {
    fn entry_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        v.serialize(FieldSer {
            reg: self.reg,
            field: self.value,
            out: self.out,
        })?;
        if let Some(o) = self.open.take() {
            self.out.end(o);
        }
        Ok(())
    }
}

impl SerializeMap for Composite<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Error> {
        match self {
            Composite::Message(s) => s.serialize_key(k),
            Composite::Map(m) => {
                m.open = Some(m.out.begin(&m.field.tag));
                k.serialize(FieldSer {
                    reg: m.reg,
                    field: m.key,
                    out: m.out,
                })
            }
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        match self {
            Composite::Message(s) => s.serialize_value(v),
            Composite::Map(m) => m.entry_value(v),
        }
    }
    fn end(self) -> Result<(), Error> {
        match self {
            Composite::Message(s) => SerializeMap::end(s),
            Composite::Map(_) => Ok(()),
        }
    }
}

impl SerializeStruct for Composite<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        match self {
            Composite::Message(s) => SerializeStruct::serialize_field(s, key, v),
            Composite::Map(m) => {
                m.open = Some(m.out.begin(&m.field.tag));
                FieldSer {
                    reg: m.reg,
                    field: m.key,
                    out: m.out,
                }
                .string(key)?;
                m.entry_value(v)
            }
        }
    }
    fn end(self) -> Result<(), Error> {
        SerializeMap::end(self)
    }
}
