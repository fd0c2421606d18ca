//! The v1 scheduler `Event` (the RecordIO stream a framework reads from
//! `POST /api/v1/scheduler` SUBSCRIBE): written by the bundled master,
//! read by `mesos execute` and the scheduler client.
//!
//! The JSON form is protobuf's: `{"type": "OFFERS", "offers": {..}}`, one
//! optional member per event type named by the lower-cased type. Reads are
//! lenient: unknown types decode as [`EventType::Unknown`], unknown fields
//! are kept in `other` where a message is forwarded.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::agent_v1::{Extra, Id, V1TaskStatus};
use super::de;
use super::maintenance::Unavailability;
use super::master_info::MasterInfo;
use super::resources::{AllocationInfo, Attribute, Resource};

/// `Event.Type`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventType {
    Subscribed,
    Offers,
    InverseOffers,
    Rescind,
    RescindInverseOffer,
    Update,
    UpdateOperationStatus,
    Message,
    Failure,
    Error,
    Heartbeat,
    /// A type this build does not know (or a missing `type`).
    #[default]
    #[serde(other)]
    Unknown,
}

impl EventType {
    /// The wire name (`OFFERS`); `UNKNOWN` for a type this build does not know.
    pub fn as_str(&self) -> &'static str {
        match self {
            EventType::Subscribed => "SUBSCRIBED",
            EventType::Offers => "OFFERS",
            EventType::InverseOffers => "INVERSE_OFFERS",
            EventType::Rescind => "RESCIND",
            EventType::RescindInverseOffer => "RESCIND_INVERSE_OFFER",
            EventType::Update => "UPDATE",
            EventType::UpdateOperationStatus => "UPDATE_OPERATION_STATUS",
            EventType::Message => "MESSAGE",
            EventType::Failure => "FAILURE",
            EventType::Error => "ERROR",
            EventType::Heartbeat => "HEARTBEAT",
            EventType::Unknown => "UNKNOWN",
        }
    }
}

/// One scheduler event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Event {
    #[serde(rename = "type", default)]
    pub kind: EventType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribed: Option<Subscribed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offers: Option<Offers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inverse_offers: Option<InverseOffers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rescind: Option<Rescind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rescind_inverse_offer: Option<RescindInverseOffer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<Update>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorEvent>,
}

impl Event {
    fn of(kind: EventType) -> Event {
        Event {
            kind,
            ..Event::default()
        }
    }

    pub fn heartbeat() -> Event {
        Event::of(EventType::Heartbeat)
    }

    pub fn subscribed(framework_id: &str, heartbeat_secs: f64, master_info: MasterInfo) -> Event {
        Event {
            subscribed: Some(Subscribed {
                framework_id: Id::new(framework_id),
                heartbeat_interval_seconds: Some(heartbeat_secs),
                master_info: Some(master_info),
            }),
            ..Event::of(EventType::Subscribed)
        }
    }

    pub fn offers(offers: Vec<Offer>) -> Event {
        Event {
            offers: Some(Offers { offers }),
            ..Event::of(EventType::Offers)
        }
    }

    pub fn inverse_offers(inverse_offers: Vec<InverseOffer>) -> Event {
        Event {
            inverse_offers: Some(InverseOffers { inverse_offers }),
            ..Event::of(EventType::InverseOffers)
        }
    }

    pub fn rescind(offer_id: &str) -> Event {
        Event {
            rescind: Some(Rescind {
                offer_id: Id::new(offer_id),
            }),
            ..Event::of(EventType::Rescind)
        }
    }

    pub fn rescind_inverse_offer(inverse_offer_id: &str) -> Event {
        Event {
            rescind_inverse_offer: Some(RescindInverseOffer {
                inverse_offer_id: Id::new(inverse_offer_id),
            }),
            ..Event::of(EventType::RescindInverseOffer)
        }
    }

    pub fn update(status: V1TaskStatus) -> Event {
        Event {
            update: Some(Update { status }),
            ..Event::of(EventType::Update)
        }
    }

    pub fn error(message: impl Into<String>) -> Event {
        Event {
            error: Some(ErrorEvent {
                message: message.into(),
            }),
            ..Event::of(EventType::Error)
        }
    }

    /// `FAILURE` for a lost agent (no executor).
    pub fn agent_failure(agent_id: &str) -> Event {
        Event {
            failure: Some(Failure {
                agent_id: Some(Id::new(agent_id)),
                ..Failure::default()
            }),
            ..Event::of(EventType::Failure)
        }
    }

    /// `MESSAGE`: data (base64) an executor sent its scheduler.
    pub fn message(agent_id: &str, executor_id: &str, data: impl Into<String>) -> Event {
        Event {
            message: Some(Message {
                agent_id: Id::new(agent_id),
                executor_id: Id::new(executor_id),
                data: data.into(),
            }),
            ..Event::of(EventType::Message)
        }
    }

    /// `FAILURE` for an executor that terminated with a wait status.
    pub fn executor_failure(agent_id: &str, executor_id: &str, status: i64) -> Event {
        Event {
            failure: Some(Failure {
                agent_id: Some(Id::new(agent_id)),
                executor_id: Some(Id::new(executor_id)),
                status: Some(status),
            }),
            ..Event::of(EventType::Failure)
        }
    }

    /// The JSON text of the event (what goes inside one RecordIO record).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("events serialize")
    }
}

/// `Event.Subscribed`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Subscribed {
    #[serde(default)]
    pub framework_id: Id,
    #[serde(
        default,
        deserialize_with = "de::opt_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub heartbeat_interval_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_info: Option<MasterInfo>,
}

/// `Event.Offers`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Offers {
    #[serde(default, deserialize_with = "de::vec")]
    pub offers: Vec<Offer>,
}

/// `Event.InverseOffers`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InverseOffers {
    #[serde(default, deserialize_with = "de::vec")]
    pub inverse_offers: Vec<InverseOffer>,
}

/// `Event.Rescind`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rescind {
    #[serde(default)]
    pub offer_id: Id,
}

/// `Event.RescindInverseOffer`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RescindInverseOffer {
    #[serde(default)]
    pub inverse_offer_id: Id,
}

/// `Event.Update`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Update {
    #[serde(default)]
    pub status: V1TaskStatus,
}

/// `Event.Message`: executor-to-framework data (base64).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Message {
    #[serde(default)]
    pub agent_id: Id,
    #[serde(default)]
    pub executor_id: Id,
    #[serde(default, deserialize_with = "de::string")]
    pub data: String,
}

/// `Event.Failure`: an agent lost, or an executor exited.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor_id: Option<Id>,
    /// The executor's wait status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
}

/// `Event.Error`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorEvent {
    #[serde(default, deserialize_with = "de::string")]
    pub message: String,
}

/// `URL.address` in an offer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UrlAddress {
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub hostname: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub ip: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_u16",
        skip_serializing_if = "Option::is_none"
    )]
    pub port: Option<u16>,
}

/// `Offer.url`: where the agent serves (`{scheme, address, path}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Url {
    #[serde(default, deserialize_with = "de::string")]
    pub scheme: String,
    #[serde(default)]
    pub address: UrlAddress,
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub path: Option<String>,
}

/// A v1 `Offer`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    #[serde(default)]
    pub id: Id,
    #[serde(default)]
    pub framework_id: Id,
    #[serde(default)]
    pub agent_id: Id,
    #[serde(default, deserialize_with = "de::string")]
    pub hostname: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
    #[serde(default, deserialize_with = "de::vec")]
    pub resources: Vec<Resource>,
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub attributes: Vec<Attribute>,
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub executor_ids: Vec<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailability: Option<Unavailability>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_info: Option<AllocationInfo>,
    /// Fields this build does not model, kept as sent.
    #[serde(flatten)]
    pub other: Extra,
}

/// A v1 `InverseOffer`: the master asks the framework to vacate an agent
/// for maintenance.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InverseOffer {
    #[serde(default)]
    pub id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
    #[serde(default)]
    pub framework_id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<Id>,
    #[serde(default)]
    pub unavailability: Unavailability,
    /// Resources to vacate (empty: the whole agent).
    #[serde(
        default,
        deserialize_with = "de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub resources: Vec<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_have_protobuf_json_shape() {
        let v: Value = serde_json::from_str(&Event::heartbeat().to_json()).unwrap();
        assert_eq!(v, serde_json::json!({"type": "HEARTBEAT"}));
        let v: Value = serde_json::from_str(&Event::rescind("o1").to_json()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"type": "RESCIND", "rescind": {"offer_id": {"value": "o1"}}})
        );
        let v: Value = serde_json::from_str(&Event::error("gone").to_json()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"type": "ERROR", "error": {"message": "gone"}})
        );
    }

    #[test]
    fn unknown_types_and_fields_decode_leniently() {
        let e: Event =
            serde_json::from_str(r#"{"type":"SOMETHING_NEW","something_new":{"x":1}}"#).unwrap();
        assert_eq!(e.kind, EventType::Unknown);
        let e: Event = serde_json::from_str(
            r#"{"type":"OFFERS","offers":{"offers":[{"id":{"value":"o"},"framework_id":{"value":"f"},
            "agent_id":{"value":"a"},"hostname":"h","resources":[],"new_field":7}]}}"#,
        )
        .unwrap();
        let o = &e.offers.unwrap().offers[0];
        assert_eq!(o.id.value, "o");
        assert_eq!(o.other.get("new_field"), Some(&serde_json::json!(7)));
    }

    /// The shapes the bundled master wrote with `json!` (and, for inverse
    /// offers, its own structs) before it sent these typed events.
    #[test]
    fn master_events_keep_their_json_shape() {
        let v = |e: &Event| serde_json::from_str::<Value>(&e.to_json()).unwrap();
        let info = MasterInfo {
            id: Some("M".into()),
            port: Some(5050),
            ..MasterInfo::default()
        };
        assert_eq!(
            v(&Event::subscribed("F1", 15.0, info)),
            serde_json::json!({"type": "SUBSCRIBED", "subscribed": {
                "framework_id": {"value": "F1"}, "heartbeat_interval_seconds": 15.0,
                "master_info": {"id": "M", "port": 5050}}})
        );
        assert_eq!(
            v(&Event::agent_failure("S1")),
            serde_json::json!({"type": "FAILURE", "failure": {"agent_id": {"value": "S1"}}})
        );
        let io = InverseOffer {
            id: Id::new("O1"),
            url: Some(Url {
                scheme: "http".into(),
                address: UrlAddress {
                    hostname: Some("h".into()),
                    ip: Some("10.0.0.1".into()),
                    port: Some(5051),
                },
                path: Some("/slave(1)".into()),
            }),
            framework_id: Id::new("F1"),
            agent_id: Some(Id::new("S1")),
            unavailability: serde_json::from_value(
                serde_json::json!({"start": {"nanoseconds": 7}}),
            )
            .unwrap(),
            resources: Vec::new(),
        };
        assert_eq!(
            v(&Event::inverse_offers(vec![io])),
            serde_json::json!({"type": "INVERSE_OFFERS", "inverse_offers": {"inverse_offers": [{
                "id": {"value": "O1"},
                "url": {"scheme": "http",
                    "address": {"hostname": "h", "ip": "10.0.0.1", "port": 5051},
                    "path": "/slave(1)"},
                "framework_id": {"value": "F1"}, "agent_id": {"value": "S1"},
                "unavailability": {"start": {"nanoseconds": 7}}}]}})
        );
        assert_eq!(
            v(&Event::rescind_inverse_offer("O1")),
            serde_json::json!({"type": "RESCIND_INVERSE_OFFER",
                "rescind_inverse_offer": {"inverse_offer_id": {"value": "O1"}}})
        );
    }
}
