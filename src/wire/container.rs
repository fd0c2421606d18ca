//! `ContainerInfo` as a framework puts it in a TaskInfo (what `mesos
//! execute --docker-image` sends): a `DOCKER` container, or a `MESOS`
//! container with a Docker image. Fields not modelled are kept in `other`.

use serde::{Deserialize, Serialize};

use super::agent_v1::Extra;
use super::de;

/// `ContainerInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerInfo {
    /// `DOCKER` or `MESOS`.
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker: Option<DockerInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mesos: Option<MesosInfo>,
    /// Asks for a TTY (`mesos execute --tty`; `mesos attach` needs one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tty_info: Option<super::process_io::TtyInfo>,
    #[serde(flatten)]
    pub other: Extra,
}

/// `ContainerInfo.DockerInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DockerInfo {
    #[serde(default, deserialize_with = "de::string")]
    pub image: String,
    /// `HOST`, `BRIDGE`, `NONE`, `USER`.
    #[serde(
        default,
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub network: Option<String>,
    #[serde(flatten)]
    pub other: Extra,
}

/// `ContainerInfo.MesosInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MesosInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
}

/// `Image` (of a MESOS container).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// `DOCKER` or `APPC`.
    #[serde(rename = "type", default, deserialize_with = "de::string")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker: Option<DockerImage>,
    #[serde(flatten)]
    pub other: Extra,
}

/// `Image.Docker`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DockerImage {
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
}

impl ContainerInfo {
    /// A `DOCKER` container of `image` on the host network.
    pub fn docker(image: &str) -> ContainerInfo {
        ContainerInfo {
            kind: "DOCKER".into(),
            docker: Some(DockerInfo {
                image: image.to_string(),
                network: Some("HOST".into()),
                other: Extra::new(),
            }),
            ..ContainerInfo::default()
        }
    }

    /// A `MESOS` container with a TTY (no image).
    pub fn mesos_tty() -> ContainerInfo {
        ContainerInfo {
            kind: "MESOS".into(),
            tty_info: Some(super::process_io::TtyInfo::default()),
            ..ContainerInfo::default()
        }
    }

    /// A `MESOS` container running the Docker image `image`.
    pub fn mesos_docker_image(image: &str) -> ContainerInfo {
        ContainerInfo {
            kind: "MESOS".into(),
            mesos: Some(MesosInfo {
                image: Some(Image {
                    kind: "DOCKER".into(),
                    docker: Some(DockerImage {
                        name: image.to_string(),
                    }),
                    other: Extra::new(),
                }),
            }),
            ..ContainerInfo::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn containers_have_the_protobuf_json_shape() {
        assert_eq!(
            serde_json::to_value(ContainerInfo::docker("alpine")).unwrap(),
            json!({"type": "DOCKER", "docker": {"image": "alpine", "network": "HOST"}})
        );
        assert_eq!(
            serde_json::to_value(ContainerInfo::mesos_docker_image("alpine")).unwrap(),
            json!({"type": "MESOS", "mesos": {"image": {"type": "DOCKER", "docker": {"name": "alpine"}}}})
        );
    }
}
