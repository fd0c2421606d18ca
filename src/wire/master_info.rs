//! MasterInfo: the JSON a master stores in ZooKeeper (`json.info_*`) and
//! returns as `leader_info` / `master_info`.

use serde::{Deserialize, Serialize};

/// `address` inside MasterInfo.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// MasterInfo (docs/wire-notes.md#masterinfo). All fields optional when parsing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MasterInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Deprecated packed IPv4 (`a + b<<8 + c<<16 + d<<24`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<serde_json::Value>,
    #[serde(
        default,
        deserialize_with = "super::de::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub capabilities: Vec<MasterCapability>,
}

/// `MasterInfo.Capability`: `{"type": NAME}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MasterCapability {
    #[serde(rename = "type", default, deserialize_with = "super::de::string")]
    pub kind: String,
}

impl MasterCapability {
    pub fn new(kind: &str) -> MasterCapability {
        MasterCapability {
            kind: kind.to_string(),
        }
    }
}

impl MasterInfo {
    /// The IPv4 address as a dotted string, from `address.ip`, else the
    /// packed `ip` field, else the `pid`.
    pub fn ip_string(&self) -> Option<String> {
        if let Some(ip) = self.address.as_ref().and_then(|a| a.ip.clone()) {
            return Some(ip);
        }
        if let Some(n) = self.ip {
            return Some(unpack_ip(n));
        }
        self.pid.as_deref().and_then(parse_pid).map(|(h, _)| h)
    }

    /// The hostname: `address.hostname`, else `hostname`.
    pub fn hostname_string(&self) -> Option<String> {
        self.address
            .as_ref()
            .and_then(|a| a.hostname.clone())
            .or_else(|| self.hostname.clone())
            .filter(|h| !h.is_empty())
    }

    /// The port: `address.port`, else `port`, else from `pid`.
    pub fn port_number(&self) -> Option<u16> {
        self.address
            .as_ref()
            .and_then(|a| a.port)
            .or(self.port)
            .or_else(|| self.pid.as_deref().and_then(parse_pid).map(|(_, p)| p))
    }

    /// The host to connect to: IP first (works without DNS), then hostname.
    pub fn connect_host(&self) -> Option<String> {
        self.ip_string().or_else(|| self.hostname_string())
    }
}

/// Unpack the deprecated uint32 `ip` field (little-endian `s_addr`).
pub fn unpack_ip(n: u32) -> String {
    let b = n.to_le_bytes();
    format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
}

/// Pack a dotted IPv4 into the deprecated uint32 `ip` field.
pub fn pack_ip(ip: std::net::Ipv4Addr) -> u32 {
    u32::from_le_bytes(ip.octets())
}

/// Parse a libprocess pid `name@host:port` (or `host:port`) into host and port.
pub fn parse_pid(pid: &str) -> Option<(String, u16)> {
    let addr = pid.rsplit_once('@').map(|(_, a)| a).unwrap_or(pid).trim();
    let (host, port) = addr.rsplit_once(':')?;
    let port = port.parse().ok()?;
    if host.is_empty() {
        return None;
    }
    Some((host.to_string(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_ip_round_trips() {
        // 10.0.0.11 from the wire reference example.
        assert_eq!(unpack_ip(184549386), "10.0.0.11");
        assert_eq!(pack_ip("10.0.0.11".parse().unwrap()), 184549386);
    }

    #[test]
    fn decodes_reference_master_info() {
        let j = r#"{"id":"7f1e","ip":184549386,"port":5050,"pid":"master@10.0.0.11:5050",
            "hostname":"m1.example.net","version":"1.11.0",
            "address":{"hostname":"m1.example.net","ip":"10.0.0.11","port":5050},
            "capabilities":[{"type":"AGENT_UPDATE"}]}"#;
        let m: MasterInfo = serde_json::from_str(j).unwrap();
        assert_eq!(m.ip_string().as_deref(), Some("10.0.0.11"));
        assert_eq!(m.hostname_string().as_deref(), Some("m1.example.net"));
        assert_eq!(m.port_number(), Some(5050));
    }

    #[test]
    fn falls_back_to_pid_and_legacy_fields() {
        let m: MasterInfo = serde_json::from_str(r#"{"pid":"master@10.1.2.3:5051"}"#).unwrap();
        assert_eq!(m.connect_host().as_deref(), Some("10.1.2.3"));
        assert_eq!(m.port_number(), Some(5051));
        let m: MasterInfo = serde_json::from_str(r#"{"hostname":"h","port":5050}"#).unwrap();
        assert_eq!(m.connect_host().as_deref(), Some("h"));
        assert_eq!(m.port_number(), Some(5050));
    }
}
