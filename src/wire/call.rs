//! The v1 operator `Call` the bundled master accepts (`POST /api/v1`,
//! docs/wire-notes.md#master-call-types), parsed into a typed [`Call`] with
//! the validation and error texts of real Mesos.

use serde::de::{DeserializeOwned, Error as _, IgnoredAny};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

macro_rules! call_types {
    ($($v:ident = $s:literal),* $(,)?) => {
        /// Every master `Call.Type`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum CallType { $($v),* }

        impl CallType {
            /// Every type, in protobuf order.
            pub const ALL: &'static [CallType] = &[$(CallType::$v),*];

            /// The wire name (`GET_STATE`).
            pub fn as_str(&self) -> &'static str {
                match self { $(CallType::$v => $s),* }
            }

            /// The type of a wire name.
            pub fn from_name(s: &str) -> Option<CallType> {
                match s { $($s => Some(CallType::$v),)* _ => None }
            }
        }
    };
}

call_types! {
    Unknown = "UNKNOWN",
    GetHealth = "GET_HEALTH",
    GetFlags = "GET_FLAGS",
    GetVersion = "GET_VERSION",
    GetMetrics = "GET_METRICS",
    GetLoggingLevel = "GET_LOGGING_LEVEL",
    SetLoggingLevel = "SET_LOGGING_LEVEL",
    ListFiles = "LIST_FILES",
    ReadFile = "READ_FILE",
    GetState = "GET_STATE",
    GetAgents = "GET_AGENTS",
    GetFrameworks = "GET_FRAMEWORKS",
    GetExecutors = "GET_EXECUTORS",
    GetOperations = "GET_OPERATIONS",
    GetTasks = "GET_TASKS",
    GetRoles = "GET_ROLES",
    GetWeights = "GET_WEIGHTS",
    UpdateWeights = "UPDATE_WEIGHTS",
    GetMaster = "GET_MASTER",
    Subscribe = "SUBSCRIBE",
    ReserveResources = "RESERVE_RESOURCES",
    UnreserveResources = "UNRESERVE_RESOURCES",
    CreateVolumes = "CREATE_VOLUMES",
    DestroyVolumes = "DESTROY_VOLUMES",
    GrowVolume = "GROW_VOLUME",
    ShrinkVolume = "SHRINK_VOLUME",
    GetMaintenanceStatus = "GET_MAINTENANCE_STATUS",
    GetMaintenanceSchedule = "GET_MAINTENANCE_SCHEDULE",
    UpdateMaintenanceSchedule = "UPDATE_MAINTENANCE_SCHEDULE",
    StartMaintenance = "START_MAINTENANCE",
    StopMaintenance = "STOP_MAINTENANCE",
    DrainAgent = "DRAIN_AGENT",
    DeactivateAgent = "DEACTIVATE_AGENT",
    ReactivateAgent = "REACTIVATE_AGENT",
    GetQuota = "GET_QUOTA",
    UpdateQuota = "UPDATE_QUOTA",
    SetQuota = "SET_QUOTA",
    RemoveQuota = "REMOVE_QUOTA",
    Teardown = "TEARDOWN",
    MarkAgentGone = "MARK_AGENT_GONE",
}

/// A validated call: its type and the typed payload of the calls this
/// master reads a payload for.
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    SetLoggingLevel(SetLoggingLevel),
    ListFiles(ListFiles),
    ReadFile(ReadFile),
    Teardown(Teardown),
    /// Any other call (no payload needed).
    Plain(CallType),
}

impl Call {
    /// The call's type.
    pub fn kind(&self) -> CallType {
        match self {
            Call::SetLoggingLevel(_) => CallType::SetLoggingLevel,
            Call::ListFiles(_) => CallType::ListFiles,
            Call::ReadFile(_) => CallType::ReadFile,
            Call::Teardown(_) => CallType::Teardown,
            Call::Plain(t) => *t,
        }
    }
}

/// `set_logging_level`.
#[derive(Clone, Debug, PartialEq)]
pub struct SetLoggingLevel {
    pub level: u32,
    pub duration_nanos: u64,
}

/// `list_files`.
#[derive(Clone, Debug, PartialEq)]
pub struct ListFiles {
    pub path: String,
}

/// `read_file`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadFile {
    pub path: String,
    pub offset: u64,
    pub length: Option<u64>,
}

/// `teardown`.
#[derive(Clone, Debug, PartialEq)]
pub struct Teardown {
    pub framework_id: String,
}

/// Why a call was refused; [`CallError::message`] is the full `400` text.
#[derive(Clone, Debug, PartialEq)]
pub enum CallError {
    /// The body is not JSON.
    Parse(String),
    /// JSON that does not map onto the `Call` message.
    Convert(String),
    /// A `Call` that fails validation.
    Invalid(String),
}

impl CallError {
    /// The text real Mesos answers with.
    pub fn message(&self) -> String {
        match self {
            CallError::Parse(e) => format!("Failed to parse body into JSON: {e}"),
            CallError::Convert(e) => format!("Failed to convert JSON into Call protobuf: {e}"),
            CallError::Invalid(e) => format!("Failed to validate master::Call: {e}"),
        }
    }
}

fn missing(field: &str) -> CallError {
    CallError::Convert(format!("Missing required fields: {field}"))
}

/// A sub-message field: absent (or `null`), not an object, or the object.
#[derive(Clone, Debug, Default, PartialEq)]
enum Sub<T> {
    #[default]
    Absent,
    NotObject,
    Present(T),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Sub<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(Sub::Absent),
            v @ Value::Object(_) => T::deserialize(v)
                .map(Sub::Present)
                .map_err(D::Error::custom),
            _ => Ok(Sub::NotObject),
        }
    }
}

impl<T> Sub<T> {
    fn present(self) -> Option<T> {
        match self {
            Sub::Present(t) => Some(t),
            _ => None,
        }
    }

    /// The sub-message, required to be present (may be `{}`).
    fn required(self, key: &str) -> Result<T, CallError> {
        match self {
            Sub::Present(t) => Ok(t),
            Sub::Absent => Err(CallError::Invalid(format!(
                "Expecting '{key}' to be present"
            ))),
            Sub::NotObject => Err(CallError::Convert(format!(
                "Expecting a JSON object for field '{key}'"
            ))),
        }
    }
}

/// A field read leniently: a value of the wrong type counts as absent.
fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = Value::deserialize(d)?;
    let n = match &v {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    Ok(n)
}

fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(v.as_i64()
        .or_else(|| v.as_str().and_then(|x| x.parse().ok())))
}

fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(v.as_str().map(str::to_string))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TypeField {
    Name(String),
    Other(IgnoredAny),
}

#[derive(Default, Deserialize)]
struct Empty {}

#[derive(Default, Deserialize)]
struct DurationField {
    #[serde(default, deserialize_with = "lenient_i64")]
    nanoseconds: Option<i64>,
}

#[derive(Default, Deserialize)]
struct RawSetLoggingLevel {
    #[serde(default, deserialize_with = "lenient_u64")]
    level: Option<u64>,
    #[serde(default)]
    duration: Sub<DurationField>,
}

#[derive(Default, Deserialize)]
struct RawPath {
    #[serde(default, deserialize_with = "lenient_string")]
    path: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    offset: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    length: Option<u64>,
}

#[derive(Default, Deserialize)]
struct IdField {
    #[serde(default, deserialize_with = "lenient_string")]
    value: Option<String>,
}

#[derive(Default, Deserialize)]
struct RawTeardown {
    #[serde(default)]
    framework_id: Sub<IdField>,
}

/// The call as sent: `type` and the sub-messages this master reads.
#[derive(Deserialize)]
struct RawCall {
    #[serde(rename = "type", default)]
    kind: Option<TypeField>,
    #[serde(default)]
    get_metrics: Sub<Empty>,
    #[serde(default)]
    set_logging_level: Sub<RawSetLoggingLevel>,
    #[serde(default)]
    list_files: Sub<RawPath>,
    #[serde(default)]
    read_file: Sub<RawPath>,
    #[serde(default)]
    teardown: Sub<RawTeardown>,
}

/// Parse and validate a `Call` body (JSON).
pub fn parse(body: &[u8]) -> Result<Call, CallError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| CallError::Parse(e.to_string()))?;
    if !v.is_object() {
        return Err(CallError::Convert("Expecting a JSON object".into()));
    }
    let raw = RawCall::deserialize(v).map_err(|e| CallError::Convert(e.to_string()))?;
    let kind = match raw.kind {
        None => None,
        Some(TypeField::Name(s)) => CallType::from_name(&s),
        Some(TypeField::Other(_)) => {
            return Err(CallError::Convert(
                "Expecting a string for enum field 'type'".into(),
            ))
        }
    };
    let Some(kind) = kind else {
        return Err(CallError::Invalid("Expecting 'type' to be present".into()));
    };
    Ok(match kind {
        CallType::GetMetrics => {
            raw.get_metrics.required("get_metrics")?;
            Call::Plain(kind)
        }
        CallType::SetLoggingLevel => {
            let s = raw.set_logging_level.required("set_logging_level")?;
            let level = s.level.ok_or_else(|| missing("set_logging_level.level"))?;
            let ns = s
                .duration
                .present()
                .and_then(|d| d.nanoseconds)
                .ok_or_else(|| missing("set_logging_level.duration"))?;
            Call::SetLoggingLevel(SetLoggingLevel {
                level: u32::try_from(level).unwrap_or(u32::MAX),
                duration_nanos: ns.max(0) as u64,
            })
        }
        CallType::ListFiles => {
            let s = raw.list_files.required("list_files")?;
            let path = s.path.ok_or_else(|| missing("list_files.path"))?;
            Call::ListFiles(ListFiles { path })
        }
        CallType::ReadFile => {
            let s = raw.read_file.required("read_file")?;
            let path = s.path.ok_or_else(|| missing("read_file.path"))?;
            let offset = s.offset.ok_or_else(|| missing("read_file.offset"))?;
            Call::ReadFile(ReadFile {
                path,
                offset,
                length: s.length,
            })
        }
        CallType::Teardown => {
            let s = raw.teardown.required("teardown")?;
            let id = s
                .framework_id
                .present()
                .and_then(|f| f.value)
                .ok_or_else(|| missing("teardown.framework_id"))?;
            Call::Teardown(Teardown { framework_id: id })
        }
        other => Call::Plain(other),
    })
}

/// A `TEARDOWN` call as a client sends it (`mesos teardown`):
/// `{"type": "TEARDOWN", "teardown": {"framework_id": {"value": ..}}}`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TeardownCall {
    #[serde(rename = "type")]
    kind: &'static str,
    teardown: TeardownBody,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
struct TeardownBody {
    framework_id: super::agent_v1::Id,
}

impl TeardownCall {
    pub fn new(framework_id: &str) -> TeardownCall {
        TeardownCall {
            kind: "TEARDOWN",
            teardown: TeardownBody {
                framework_id: super::agent_v1::Id::new(framework_id),
            },
        }
    }

    /// The JSON text of the call.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("calls serialize")
    }
}

/// A payload-less call as a client sends it (`{"type": "GET_MASTER"}`).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct PlainCall {
    #[serde(rename = "type")]
    kind: &'static str,
}

impl PlainCall {
    pub fn new(kind: CallType) -> PlainCall {
        PlainCall {
            kind: kind.as_str(),
        }
    }
}

/// A `READ_FILE` call as a client sends it (`mesos cat` through an agent's
/// or master's v1 API).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ReadFileCall {
    #[serde(rename = "type")]
    kind: &'static str,
    read_file: ReadFileBody,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
struct ReadFileBody {
    path: String,
    offset: u64,
    length: u64,
}

impl ReadFileCall {
    pub fn new(path: &str, offset: u64, length: u64) -> ReadFileCall {
        ReadFileCall {
            kind: "READ_FILE",
            read_file: ReadFileBody {
                path: path.to_string(),
                offset,
                length,
            },
        }
    }

    /// The JSON text of the call.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("calls serialize")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_calls_are_the_calls_the_master_reads() {
        let body = ReadFileCall::new("/tmp/x", 5, 10).to_json();
        assert_eq!(
            body,
            r#"{"type":"READ_FILE","read_file":{"path":"/tmp/x","offset":5,"length":10}}"#
        );
        assert!(matches!(parse(body.as_bytes()).unwrap(), Call::ReadFile(_)));
        let body = serde_json::to_string(&PlainCall::new(CallType::GetMaster)).unwrap();
        assert_eq!(body, r#"{"type":"GET_MASTER"}"#);
        assert_eq!(
            parse(body.as_bytes()).unwrap(),
            Call::Plain(CallType::GetMaster)
        );
    }

    #[test]
    fn a_client_teardown_is_the_call_the_master_reads() {
        let body = TeardownCall::new("F-1").to_json();
        assert_eq!(
            body,
            r#"{"type":"TEARDOWN","teardown":{"framework_id":{"value":"F-1"}}}"#
        );
        assert_eq!(
            parse(body.as_bytes()).unwrap(),
            Call::Teardown(Teardown {
                framework_id: "F-1".into()
            })
        );
    }

    fn err(body: &str) -> String {
        parse(body.as_bytes()).unwrap_err().message()
    }

    #[test]
    fn types_and_payloads() {
        assert_eq!(
            parse(br#"{"type":"GET_STATE"}"#).unwrap(),
            Call::Plain(CallType::GetState)
        );
        assert_eq!(
            parse(br#"{"type":"READ_FILE","read_file":{"path":"/p","offset":"5","length":3}}"#)
                .unwrap(),
            Call::ReadFile(ReadFile {
                path: "/p".into(),
                offset: 5,
                length: Some(3)
            })
        );
        let c = parse(
            br#"{"type":"SET_LOGGING_LEVEL","set_logging_level":{"level":2,"duration":{"nanoseconds":"1000"}}}"#,
        )
        .unwrap();
        assert_eq!(
            c,
            Call::SetLoggingLevel(SetLoggingLevel {
                level: 2,
                duration_nanos: 1000
            })
        );
        assert_eq!(c.kind().as_str(), "SET_LOGGING_LEVEL");
        for t in CallType::ALL {
            assert_eq!(CallType::from_name(t.as_str()), Some(*t));
        }
    }

    #[test]
    fn mesos_error_texts() {
        assert_eq!(
            err("{}"),
            "Failed to validate master::Call: Expecting 'type' to be present"
        );
        assert_eq!(
            err(r#"{"type":"NOPE"}"#),
            "Failed to validate master::Call: Expecting 'type' to be present"
        );
        assert_eq!(
            err(r#"{"type":1}"#),
            "Failed to convert JSON into Call protobuf: Expecting a string for enum field 'type'"
        );
        assert_eq!(
            err("[]"),
            "Failed to convert JSON into Call protobuf: Expecting a JSON object"
        );
        assert!(err("{").starts_with("Failed to parse body into JSON: "));
        assert_eq!(
            err(r#"{"type":"GET_METRICS"}"#),
            "Failed to validate master::Call: Expecting 'get_metrics' to be present"
        );
        assert_eq!(
            err(r#"{"type":"LIST_FILES","list_files":[]}"#),
            "Failed to convert JSON into Call protobuf: Expecting a JSON object for field 'list_files'"
        );
        assert_eq!(
            err(r#"{"type":"READ_FILE","read_file":{"path":"/x"}}"#),
            "Failed to convert JSON into Call protobuf: Missing required fields: read_file.offset"
        );
        assert_eq!(
            err(r#"{"type":"TEARDOWN","teardown":{"framework_id":"x"}}"#),
            "Failed to convert JSON into Call protobuf: Missing required fields: teardown.framework_id"
        );
        assert_eq!(
            err(r#"{"type":"SET_LOGGING_LEVEL","set_logging_level":{"level":1}}"#),
            "Failed to convert JSON into Call protobuf: Missing required fields: set_logging_level.duration"
        );
    }
}
