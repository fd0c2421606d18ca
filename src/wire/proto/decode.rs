//! Protobuf bytes -> the JSON value of the stout mapping: proto field
//! names, enum names (an unknown number leaves the field unset), standard
//! base64 for `bytes`, every integer a JSON number, repeated fields as
//! arrays (packed or not), `map<K, V>` as an object, unknown fields skipped.

use base64::Engine as _;
use serde_json::{Map, Number, Value};

use super::schema::{Field, Kind, Message, Registry};
use super::wire::{unzigzag, Reader};

/// Nesting deeper than this is refused (the v1 messages nest < 15 deep).
const MAX_DEPTH: usize = 64;

pub fn message(reg: &Registry, msg: &Message, buf: &[u8]) -> Result<Map<String, Value>, String> {
    decode(reg, msg, buf, 0)
}

fn decode(
    reg: &Registry,
    msg: &Message,
    buf: &[u8],
    depth: usize,
) -> Result<Map<String, Value>, String> {
    if depth > MAX_DEPTH {
        return Err(format!("nesting deeper than {MAX_DEPTH}"));
    }
    let mut out = Map::new();
    let mut r = Reader::new(buf);
    while !r.done() {
        let at = r.offset();
        let key = r.varint()?;
        let number = u32::try_from(key >> 3).map_err(|_| format!("bad field key at byte {at}"))?;
        let wt = (key & 7) as u8;
        if number == 0 {
            return Err(format!("field number 0 at byte {at}"));
        }
        let Some(field) = msg.field_by_number(number) else {
            r.skip(wt).map_err(|e| format!("field {number}: {e}"))?;
            continue;
        };
        let fail = |e: String| format!("{}: {e}", field.name);
        let expected = field.kind.wire_type();
        if wt == 2 && expected != 2 && field.repeated {
            // Packed repeated scalars.
            let body = r.delimited().map_err(fail)?;
            let mut p = Reader::new(body);
            while !p.done() {
                let v = scalar(reg, field, expected, &mut p).map_err(fail)?;
                if let Some(v) = v {
                    push(&mut out, field, v);
                }
            }
            continue;
        }
        if wt != expected {
            // Not what the schema says: skipped as an unknown field would be.
            r.skip(wt).map_err(fail)?;
            continue;
        }
        match field.kind {
            Kind::Message(i) => {
                let body = r.delimited().map_err(fail)?;
                let sub = &reg.messages[i];
                let v = decode(reg, sub, body, depth + 1).map_err(fail)?;
                if sub.map_entry {
                    let (k, v) = map_entry(sub, v);
                    let obj = out
                        .entry(field.name.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let (Value::Object(o), Some(k)) = (obj, k) {
                        o.insert(k, v);
                    }
                } else if field.repeated {
                    push(&mut out, field, Value::Object(v));
                } else {
                    // A message given twice is merged (proto2 rule).
                    match out.get_mut(&field.name) {
                        Some(Value::Object(old)) => old.extend(v),
                        _ => {
                            out.insert(field.name.clone(), Value::Object(v));
                        }
                    }
                }
            }
            _ => {
                if let Some(v) = scalar(reg, field, wt, &mut r).map_err(fail)? {
                    if field.repeated {
                        push(&mut out, field, v);
                    } else {
                        out.insert(field.name.clone(), v);
                    }
                }
            }
        }
    }
    Ok(out)
}

fn push(out: &mut Map<String, Value>, field: &Field, v: Value) {
    match out
        .entry(field.name.clone())
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        Value::Array(a) => a.push(v),
        other => *other = Value::Array(vec![v]),
    }
}

/// The JSON object key and value of a decoded map entry.
fn map_entry(entry: &Message, mut v: Map<String, Value>) -> (Option<String>, Value) {
    let key_name = entry
        .field_by_number(1)
        .map(|f| f.name.as_str())
        .unwrap_or("key");
    let value_name = entry
        .field_by_number(2)
        .map(|f| f.name.as_str())
        .unwrap_or("value");
    let key = match v.remove(key_name) {
        Some(Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
        None => Some(String::new()),
    };
    (key, v.remove(value_name).unwrap_or(Value::Null))
}

/// One scalar of `field` (wire type `wt`); `None` for an enum number the
/// schema does not know (stout leaves such a field unset).
fn scalar(
    reg: &Registry,
    field: &Field,
    wt: u8,
    r: &mut Reader<'_>,
) -> Result<Option<Value>, String> {
    let _ = wt;
    Ok(Some(match field.kind {
        Kind::Double => return Ok(float(f64::from_bits(r.fixed64()?))),
        Kind::Float => return Ok(float(f64::from(f32::from_bits(r.fixed32()?)))),
        Kind::Int64 => Value::from(r.varint()? as i64),
        Kind::Uint64 => Value::from(r.varint()?),
        Kind::Int32 => Value::from(r.varint()? as i64 as i32),
        Kind::Uint32 => Value::from(r.varint()? as u32),
        Kind::Sint32 => Value::from(unzigzag(r.varint()?) as i32),
        Kind::Sint64 => Value::from(unzigzag(r.varint()?)),
        Kind::Fixed64 => Value::from(r.fixed64()?),
        Kind::Sfixed64 => Value::from(r.fixed64()? as i64),
        Kind::Fixed32 => Value::from(r.fixed32()?),
        Kind::Sfixed32 => Value::from(r.fixed32()? as i32),
        Kind::Bool => Value::Bool(r.varint()? != 0),
        Kind::Enum(i) => {
            let n = r.varint()? as i64 as i32;
            match reg.enums[i].name(n) {
                Some(name) => Value::String(name.to_string()),
                None => return Ok(None),
            }
        }
        Kind::String => {
            let b = r.delimited()?;
            Value::String(
                std::str::from_utf8(b)
                    .map_err(|_| "string is not valid UTF-8".to_string())?
                    .to_string(),
            )
        }
        Kind::Bytes => {
            Value::String(base64::engine::general_purpose::STANDARD.encode(r.delimited()?))
        }
        Kind::Message(_) => return Err("message where a scalar was expected".into()),
    }))
}

fn float(f: f64) -> Option<Value> {
    Number::from_f64(f).map(Value::Number)
}
