//! The message descriptors of `proto/mesos/v1/*.proto`, loaded once from
//! the checked-in descriptor set (`proto/mesos.desc`, made by
//! `scripts/gen-proto.sh`) into lookup tables: message name -> fields,
//! field name -> field and field number -> field, enum name <-> number.

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use prost::Message as _;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorSet};

/// The descriptor set of `proto/mesos/v1/*.proto` (`--include_imports`).
pub const DESCRIPTOR_SET: &[u8] = include_bytes!("../../../proto/mesos.desc");

/// FNV-1a: the tables are keyed by short field names, looked up once per
/// field written; SipHash's DoS resistance buys nothing for a fixed schema.
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// What a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Double,
    Float,
    Int64,
    Uint64,
    Int32,
    Fixed64,
    Fixed32,
    Bool,
    String,
    Bytes,
    Uint32,
    Sfixed32,
    Sfixed64,
    Sint32,
    Sint64,
    /// Index into [`Registry::enums`].
    Enum(usize),
    /// Index into [`Registry::messages`].
    Message(usize),
}

impl Kind {
    /// The wire type a value of this kind is written with (unpacked).
    pub fn wire_type(self) -> u8 {
        match self {
            Kind::Double | Kind::Fixed64 | Kind::Sfixed64 => 1,
            Kind::Float | Kind::Fixed32 | Kind::Sfixed32 => 5,
            Kind::String | Kind::Bytes | Kind::Message(_) => 2,
            _ => 0,
        }
    }
}

/// One field of a message.
#[derive(Debug)]
pub struct Field {
    pub name: String,
    pub number: u32,
    pub kind: Kind,
    pub repeated: bool,
    /// The field's key (number and wire type), as a varint.
    pub tag: Vec<u8>,
}

/// One message type.
#[derive(Debug)]
pub struct Message {
    /// Fully qualified, without the leading dot (`mesos.v1.TaskStatus`).
    pub name: String,
    pub fields: Vec<Field>,
    /// A `map<K, V>` entry (fields 1 = key, 2 = value).
    pub map_entry: bool,
    by_name: ByLen<usize>,
    by_number: FastMap<u32, usize>,
}

/// Names bucketed by length: a lookup compares the few names of the key's
/// length (no hashing; most buckets hold one name), first by their leading
/// eight bytes as one integer, so a miss rarely reaches a byte compare.
#[derive(Debug)]
struct ByLen<V> {
    buckets: Vec<Vec<(u64, Box<str>, V)>>,
}

/// The first (up to) eight bytes of `s` as one integer.
#[inline]
fn prefix(s: &[u8]) -> u64 {
    if s.len() >= 8 {
        u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]])
    } else {
        let mut b = [0u8; 8];
        b[..s.len()].copy_from_slice(s);
        u64::from_le_bytes(b)
    }
}

impl<V: Copy> ByLen<V> {
    fn new(items: impl IntoIterator<Item = (String, V)>) -> Self {
        let mut buckets: Vec<Vec<(u64, Box<str>, V)>> = Vec::new();
        for (k, v) in items {
            if buckets.len() <= k.len() {
                buckets.resize_with(k.len() + 1, Vec::new);
            }
            buckets[k.len()].push((prefix(k.as_bytes()), k.into_boxed_str(), v));
        }
        ByLen { buckets }
    }

    #[inline]
    fn get(&self, key: &str) -> Option<V> {
        let key = key.as_bytes();
        let bucket = self.buckets.get(key.len())?;
        let p = prefix(key);
        bucket
            .iter()
            .find(|(kp, k, _)| *kp == p && (key.len() <= 8 || k.as_bytes()[8..] == key[8..]))
            .map(|(_, _, v)| *v)
    }
}

/// Per thread: (message address, key address, key length) -> field index
/// (`u32::MAX`: the message has no such field), direct-mapped.
const FIELD_CACHE_SLOTS: usize = 1024;
type Slot = Cell<(usize, usize, usize, u32)>;
thread_local! {
    static FIELD_CACHE: [Slot; FIELD_CACHE_SLOTS] =
        const { [const { Cell::new((0, 0, 0, 0)) }; FIELD_CACHE_SLOTS] };
}

impl Message {
    #[inline]
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.by_name.get(name).map(|i| &self.fields[i])
    }

    /// [`Message::field`] for a struct field name: a `'static` key keeps
    /// its address and text for good, so the answer is remembered per
    /// (message, key address) and later lookups compare two addresses.
    #[inline]
    pub fn field_static(&'static self, name: &'static str) -> Option<&'static Field> {
        let (m, k, n) = (
            self as *const Message as usize,
            name.as_ptr() as usize,
            name.len(),
        );
        let h = ((m ^ k.rotate_left(20) ^ n) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = (h >> (64 - FIELD_CACHE_SLOTS.trailing_zeros())) as usize;
        let hit = FIELD_CACHE.with(|c| {
            let (cm, ck, cn, i) = c[slot].get();
            (cm == m && ck == k && cn == n).then_some(i)
        });
        let i = match hit {
            Some(i) => i,
            None => {
                let i = self.by_name.get(name).map_or(u32::MAX, |i| i as u32);
                FIELD_CACHE.with(|c| c[slot].set((m, k, n, i)));
                i
            }
        };
        self.fields.get(i as usize)
    }

    pub fn field_by_number(&self, number: u32) -> Option<&Field> {
        self.by_number.get(&number).map(|i| &self.fields[*i])
    }
}

/// One enum type.
#[derive(Debug)]
pub struct Enum {
    pub name: String,
    by_name: ByLen<i32>,
    by_number: FastMap<i32, String>,
}

impl Enum {
    #[inline]
    pub fn number(&self, name: &str) -> Option<i32> {
        self.by_name.get(name)
    }
    pub fn name(&self, number: i32) -> Option<&str> {
        self.by_number.get(&number).map(String::as_str)
    }
}

/// Every message and enum of the descriptor set.
#[derive(Debug)]
pub struct Registry {
    pub messages: Vec<Message>,
    pub enums: Vec<Enum>,
    message_index: HashMap<String, usize>,
}

impl Registry {
    /// The message named `name` (fully qualified, no leading dot).
    pub fn message(&self, name: &str) -> Option<&Message> {
        self.message_index.get(name).map(|i| &self.messages[*i])
    }

    /// Build from a serialized `FileDescriptorSet`.
    pub fn from_descriptor_set(bytes: &[u8]) -> Result<Registry, String> {
        let set = FileDescriptorSet::decode(bytes).map_err(|e| e.to_string())?;
        // Pass 1: names -> indices.
        let mut names = Names::default();
        for file in &set.file {
            let pkg = file.package.clone().unwrap_or_default();
            for m in &file.message_type {
                names.collect(&pkg, m);
            }
            for e in &file.enum_type {
                names.enums.push((qualify(&pkg, e.name()), e.clone()));
            }
        }
        let enum_index: HashMap<String, usize> = names
            .enums
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (n.clone(), i))
            .collect();
        let message_index: HashMap<String, usize> = names
            .messages
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (n.clone(), i))
            .collect();
        // Pass 2: fields, resolved.
        let mut messages = Vec::with_capacity(names.messages.len());
        for (name, d) in &names.messages {
            let mut fields = Vec::with_capacity(d.field.len());
            for f in &d.field {
                let ty = f.type_name().trim_start_matches('.');
                let kind = match f.r#type() {
                    Type::Double => Kind::Double,
                    Type::Float => Kind::Float,
                    Type::Int64 => Kind::Int64,
                    Type::Uint64 => Kind::Uint64,
                    Type::Int32 => Kind::Int32,
                    Type::Fixed64 => Kind::Fixed64,
                    Type::Fixed32 => Kind::Fixed32,
                    Type::Bool => Kind::Bool,
                    Type::String => Kind::String,
                    Type::Bytes => Kind::Bytes,
                    Type::Uint32 => Kind::Uint32,
                    Type::Sfixed32 => Kind::Sfixed32,
                    Type::Sfixed64 => Kind::Sfixed64,
                    Type::Sint32 => Kind::Sint32,
                    Type::Sint64 => Kind::Sint64,
                    Type::Enum => Kind::Enum(
                        *enum_index
                            .get(ty)
                            .ok_or_else(|| format!("{name}.{}: unknown enum {ty}", f.name()))?,
                    ),
                    Type::Message => Kind::Message(
                        *message_index
                            .get(ty)
                            .ok_or_else(|| format!("{name}.{}: unknown message {ty}", f.name()))?,
                    ),
                    Type::Group => {
                        return Err(format!("{name}.{}: groups are not supported", f.name()))
                    }
                };
                let number = f.number() as u32;
                let mut tag = Vec::with_capacity(5);
                super::wire::put_varint(
                    &mut tag,
                    (u64::from(number) << 3) | u64::from(kind.wire_type()),
                );
                fields.push(Field {
                    name: f.name().to_string(),
                    number,
                    kind,
                    repeated: f.label() == Label::Repeated,
                    tag,
                });
            }
            let by_name = ByLen::new(fields.iter().enumerate().map(|(i, f)| (f.name.clone(), i)));
            let by_number = fields
                .iter()
                .enumerate()
                .map(|(i, f)| (f.number, i))
                .collect();
            messages.push(Message {
                name: name.clone(),
                fields,
                map_entry: d.options.as_ref().is_some_and(|o| o.map_entry()),
                by_name,
                by_number,
            });
        }
        let enums = names
            .enums
            .iter()
            .map(|(name, e)| Enum {
                name: name.clone(),
                by_name: ByLen::new(e.value.iter().map(|v| (v.name().to_string(), v.number()))),
                by_number: e
                    .value
                    .iter()
                    .map(|v| (v.number(), v.name().to_string()))
                    .collect(),
            })
            .collect();
        Ok(Registry {
            messages,
            enums,
            message_index,
        })
    }
}

#[derive(Default)]
struct Names {
    messages: Vec<(String, DescriptorProto)>,
    enums: Vec<(String, EnumDescriptorProto)>,
}

impl Names {
    fn collect(&mut self, scope: &str, m: &DescriptorProto) {
        let name = qualify(scope, m.name());
        for n in &m.nested_type {
            self.collect(&name, n);
        }
        for e in &m.enum_type {
            self.enums.push((qualify(&name, e.name()), e.clone()));
        }
        self.messages.push((name, m.clone()));
    }
}

fn qualify(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}

/// The registry of the checked-in descriptor set, built on first use.
pub fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| {
        Registry::from_descriptor_set(DESCRIPTOR_SET)
            .expect("proto/mesos.desc is a valid descriptor set (checked by the unit tests)")
    })
}
