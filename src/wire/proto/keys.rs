//! Map keys of the protobuf encoder (`super::encode`): a key serialized
//! straight into the field of the message it names.

use serde::ser::{Impossible, Serialize, Serializer};

use super::encode::Error;
use super::schema::{Field, Message};

/// A map key: the field of the message it names (no allocation for the
/// usual string keys).
pub(super) struct KeySer(pub(super) &'static Message);

type Found = Option<&'static Field>;

macro_rules! key_to_string {
    ($($f:ident($t:ty)),* $(,)?) => {
        $(fn $f(self, v: $t) -> Result<Found, Error> { Ok(self.0.field(&v.to_string())) })*
    };
}

impl Serializer for KeySer {
    type Ok = Found;
    type Error = Error;
    type SerializeSeq = Impossible<Found, Error>;
    type SerializeTuple = Impossible<Found, Error>;
    type SerializeTupleStruct = Impossible<Found, Error>;
    type SerializeTupleVariant = Impossible<Found, Error>;
    type SerializeMap = Impossible<Found, Error>;
    type SerializeStruct = Impossible<Found, Error>;
    type SerializeStructVariant = Impossible<Found, Error>;

    key_to_string!(
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
    );

    fn serialize_str(self, v: &str) -> Result<Found, Error> {
        Ok(self.0.field(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Found, Error> {
        Ok(self.0.field(&String::from_utf8_lossy(v)))
    }
    fn serialize_none(self) -> Result<Found, Error> {
        Err(Error("a map key cannot be null".into()))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Found, Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Found, Error> {
        Err(Error("a map key cannot be null".into()))
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<Found, Error> {
        Ok(self.0.field(name))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Found, Error> {
        Ok(self.0.field(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Found, Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Found, Error> {
        Err(Error("a map key must be a string".into()))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(Error("a map key must be a string".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error("a map key must be a string".into()))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Error("a map key must be a string".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error("a map key must be a string".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Error("a map key must be a string".into()))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(Error("a map key must be a string".into()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error("a map key must be a string".into()))
    }
}
