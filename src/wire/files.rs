//! `/files/browse` and `/files/read` (docs/wire-notes.md#files-api), plus the v1
//! `LIST_FILES` entry shape, which [`FileInfo`] also accepts.

use super::de;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// One `/files/browse` entry. Also parses a v1 `LIST_FILES` `file_infos[]`
/// entry, whose numeric `mode` (st_mode) is rendered as the ls-style string
/// and whose `mtime` `{"nanoseconds":N}` becomes seconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileInfo {
    /// Virtual path of the entry (`<dir>/<name>`).
    #[serde(default, deserialize_with = "de::string")]
    pub path: String,
    #[serde(default, deserialize_with = "de::u64")]
    pub nlink: u64,
    /// Bytes.
    #[serde(default, deserialize_with = "de::u64")]
    pub size: u64,
    /// Epoch seconds.
    #[serde(default, deserialize_with = "de::seconds")]
    pub mtime: f64,
    /// `drwxr-xr-x` (10 chars).
    #[serde(default, deserialize_with = "mode")]
    pub mode: String,
    /// User name, or the numeric uid.
    #[serde(default, deserialize_with = "de::string")]
    pub uid: String,
    /// Group name, or the numeric gid.
    #[serde(default, deserialize_with = "de::string")]
    pub gid: String,
}

impl FileInfo {
    /// True for directories (`mode` starts with `d`).
    pub fn is_dir(&self) -> bool {
        self.mode.starts_with('d')
    }

    /// The last path component.
    pub fn name(&self) -> &str {
        let p = self.path.trim_end_matches('/');
        p.rsplit('/').next().unwrap_or(p)
    }
}

/// Render a numeric `st_mode` like `ls -l`: `drwxr-xr-x`.
pub fn mode_string(m: u32) -> String {
    let kind = match m & 0o170000 {
        0o040000 => 'd',
        0o120000 => 'l',
        0o020000 => 'c',
        0o060000 => 'b',
        0o010000 => 'p',
        0o140000 => 's',
        _ => '-',
    };
    let mut s = String::with_capacity(10);
    s.push(kind);
    let bits = [
        (0o400, 'r'),
        (0o200, 'w'),
        (0o100, 'x'),
        (0o040, 'r'),
        (0o020, 'w'),
        (0o010, 'x'),
        (0o004, 'r'),
        (0o002, 'w'),
        (0o001, 'x'),
    ];
    for (i, (bit, c)) in bits.iter().enumerate() {
        let set = m & bit != 0;
        let special = match i {
            2 => m & 0o4000 != 0,
            5 => m & 0o2000 != 0,
            8 => m & 0o1000 != 0,
            _ => false,
        };
        s.push(match (set, special, i) {
            (true, true, 8) => 't',
            (false, true, 8) => 'T',
            (true, true, _) => 's',
            (false, true, _) => 'S',
            (true, false, _) => *c,
            (false, false, _) => '-',
        });
    }
    s
}

fn mode<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde::de::Error;
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(mode_string)
            .ok_or_else(|| D::Error::custom(format!("bad file mode {n}"))),
        other => Err(D::Error::custom(format!(
            "expected a file mode, got {other}"
        ))),
    }
}

/// `/files/read` response: `{"data": "...", "offset": N}`. With no/`-1`
/// offset in the request, `data` is `""` and `offset` is the file size.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadResponse {
    #[serde(default, deserialize_with = "de::string")]
    pub data: String,
    #[serde(default, deserialize_with = "de::u64")]
    pub offset: u64,
}

/// v1 `FileInfo` as the daemons write it (`LIST_FILES`): raw `st_mode`,
/// `mtime` as `{"nanoseconds": N}`, `nlink` an int32. [`FileInfo`] reads it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct V1FileInfo {
    pub path: String,
    pub nlink: i32,
    pub size: u64,
    pub mtime: Nanoseconds,
    pub mode: u32,
    pub uid: String,
    pub gid: String,
}

/// `TimeInfo`: `{"nanoseconds": N}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Nanoseconds {
    pub nanoseconds: i64,
}

/// v1 `LIST_FILES` payload: `{"file_infos": [..]}` (omitted when empty).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ListFiles {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub file_infos: Vec<V1FileInfo>,
}

/// v1 `READ_FILE` payload: the file's `size` and the base64 `data` read.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ReadFile {
    pub size: u64,
    pub data: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browse_entry_v0() {
        let f: FileInfo = serde_json::from_str(
            r#"{"gid":"root","mode":"drwxr-xr-x","mtime":1456220729,"nlink":2,
                "path":"/x/runs/r/jre","size":4096,"uid":"root"}"#,
        )
        .unwrap();
        assert!(f.is_dir());
        assert_eq!(f.name(), "jre");
        assert_eq!(f.mtime, 1456220729.0);
    }

    #[test]
    fn list_files_entry_v1() {
        let f: FileInfo = serde_json::from_str(
            r#"{"path":"/master/log","nlink":1,"size":12,"mtime":{"nanoseconds":1500000000000000000},
                "mode":33188,"uid":"root","gid":"root"}"#,
        )
        .unwrap();
        assert_eq!(f.mode, "-rw-r--r--");
        assert_eq!(f.mtime, 1500000000.0);
        assert!(!f.is_dir());
    }

    #[test]
    fn mode_strings() {
        assert_eq!(mode_string(0o040755), "drwxr-xr-x");
        assert_eq!(mode_string(0o100640), "-rw-r-----");
        assert_eq!(mode_string(0o041777), "drwxrwxrwt");
        assert_eq!(mode_string(0o104755), "-rwsr-xr-x");
        assert_eq!(mode_string(0o120777), "lrwxrwxrwx");
    }

    #[test]
    fn read_response_probe() {
        let r: ReadResponse = serde_json::from_str(r#"{"data":"","offset":2048}"#).unwrap();
        assert_eq!(r.offset, 2048);
        assert!(r.data.is_empty());
    }
}
