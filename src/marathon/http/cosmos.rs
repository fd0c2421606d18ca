//! The Cosmos package API next to `/v2` (docs/packages.md, "The Cosmos
//! API on the dev cluster"): `GET /capabilities` and `POST
//! /package/<op>`. Thin: negotiate the media types
//! ([`crate::marathon::cosmos::negotiate`]), decode the typed request,
//! call the package service, write the response in the chosen type or the
//! error with [`ERROR_TYPE`].

// Every failure here is a Cosmos wire error (`CosmosError`, the package
// service's error type), returned as is: not worth boxing.
#![allow(clippy::result_large_err)]

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{caller, Peer, Shared};
use crate::marathon::cosmos::negotiate::{
    check_content_type, choose_response_type, combine, decode_body,
};
use crate::packages::cosmos::{
    Capabilities, Capability, CosmosError, DescribeRequest, InstallRequest, ListRequest,
    ListVersionsRequest, Op, RenderRequest, RepositoryAddRequest, RepositoryDeleteRequest,
    RepositoryListRequest, SearchRequest, UninstallRequest, UninstallResponse, CAPABILITIES_TYPE,
    CAPABILITY_NAMES, ERROR_TYPE,
};

/// install v1: the first three fields of v2, `appId` required.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InstallResponseV1 {
    package_name: String,
    package_version: String,
    app_id: String,
}

/// A body with an exact media type.
fn typed(status: StatusCode, media_type: &str, body: Vec<u8>) -> Response {
    let mut resp = (status, body).into_response();
    if let Ok(v) = HeaderValue::from_str(media_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp
}

/// A Cosmos error: its status, [`ERROR_TYPE`], `{type, message, data?}`.
pub fn cosmos_error(e: &CosmosError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(&e.body()).unwrap_or_default();
    typed(status, ERROR_TYPE, body)
}

fn encode<T: Serialize>(v: &T) -> Result<Vec<u8>, CosmosError> {
    serde_json::to_vec(v)
        .map_err(|e| CosmosError::unhandled(format!("cannot encode the response: {e}")))
}

/// `GET /capabilities`: needs `Accept` compatible with
/// [`CAPABILITIES_TYPE`], as Cosmos.
pub async fn capabilities(headers: HeaderMap) -> Response {
    let chosen = match choose_response_type(&headers, &[CAPABILITIES_TYPE.to_string()]) {
        Ok(t) => t,
        Err(e) => return cosmos_error(&e),
    };
    let body = Capabilities {
        capabilities: CAPABILITY_NAMES
            .iter()
            .map(|n| Capability {
                name: n.to_string(),
            })
            .collect(),
    };
    match encode(&body) {
        Ok(b) => typed(StatusCode::OK, &chosen, b),
        Err(e) => cosmos_error(&e),
    }
}

/// The request of an op: the body decoded, or every failure so far
/// (header ones first) as one error.
fn request<T: DeserializeOwned>(
    mut errors: Vec<CosmosError>,
    body: &[u8],
) -> Result<T, CosmosError> {
    let req = decode_body::<T>(body);
    if let Err(e) = &req {
        errors.push(e.clone());
    }
    match combine(errors) {
        Some(e) => Err(e),
        None => req,
    }
}

/// `POST /package/<op>`.
pub async fn package(
    State(ctx): State<Shared>,
    Path(rest): Path<String>,
    peer: Peer,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(op) = Op::ALL.iter().copied().find(|o| o.path() == rest) else {
        return super::not_found(uri).await;
    };
    let versions = op.response_versions();
    let available: Vec<String> = versions.iter().map(|v| op.response_type(*v)).collect();
    let mut errors = Vec::new();
    let chosen = match choose_response_type(&headers, &available) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if let Err(e) = check_content_type(&headers, &op.request_type()) {
        errors.push(e);
    }
    let version = chosen
        .as_ref()
        .and_then(|c| available.iter().position(|a| a == c))
        .map(|i| versions[i])
        .unwrap_or(versions[0]);
    let svc = ctx.cosmos.service(ctx.api.clone(), caller(peer, &uri));
    let out: Result<Vec<u8>, CosmosError> = async {
        match op {
            Op::Search => encode(
                &svc.search(&request::<SearchRequest>(errors, &body)?)
                    .await?,
            ),
            Op::Describe => {
                let r = svc
                    .describe(&request::<DescribeRequest>(errors, &body)?)
                    .await?;
                if version == 2 {
                    encode(&r.package)
                } else {
                    encode(&r)
                }
            }
            Op::ListVersions => encode(
                &svc.list_versions(&request::<ListVersionsRequest>(errors, &body)?)
                    .await?,
            ),
            Op::Render => encode(
                &svc.render(&request::<RenderRequest>(errors, &body)?)
                    .await?,
            ),
            Op::Install => {
                let req = request::<InstallRequest>(errors, &body)?;
                let done = svc.install(&req).await?;
                let r = done.response;
                crate::info!(
                    "Cosmos: installed package {} {}{}",
                    r.package_name,
                    r.package_version,
                    r.app_id
                        .as_deref()
                        .map(|a| format!(" as app {a}"))
                        .unwrap_or_default()
                );
                if version == 1 {
                    let Some(app_id) = r.app_id.clone() else {
                        return Err(CosmosError::new(
                            "ServiceMarathonTemplateNotFound",
                            400,
                            format!(
                                "Package [{}] version [{}] has no Marathon template: an \
                                 install-response v1 needs an appId; ask for v2",
                                r.package_name, r.package_version
                            ),
                        ));
                    };
                    encode(&InstallResponseV1 {
                        package_name: r.package_name,
                        package_version: r.package_version,
                        app_id,
                    })
                } else {
                    encode(&r)
                }
            }
            Op::List => encode(&svc.list(&request::<ListRequest>(errors, &body)?).await?),
            Op::Uninstall => {
                let done = svc
                    .uninstall(&request::<UninstallRequest>(errors, &body)?)
                    .await?;
                for u in &done {
                    crate::info!(
                        "Cosmos: uninstalled package {} (app {})",
                        u.result.package_name,
                        u.result.app_id
                    );
                }
                encode(&UninstallResponse {
                    results: done.into_iter().map(|u| u.result).collect(),
                })
            }
            Op::RepositoryList => {
                request::<RepositoryListRequest>(errors, &body)?;
                encode(&svc.repository_list().await?)
            }
            Op::RepositoryAdd => {
                let req = request::<RepositoryAddRequest>(errors, &body)?;
                let r = svc.repository_add(&req).await?;
                crate::info!("Cosmos: added repository {} ({})", req.name, req.uri);
                encode(&r)
            }
            Op::RepositoryDelete => {
                let req = request::<RepositoryDeleteRequest>(errors, &body)?;
                let r = svc.repository_delete(&req).await?;
                crate::info!(
                    "Cosmos: removed repository {}",
                    req.name.as_deref().or(req.uri.as_deref()).unwrap_or("")
                );
                encode(&r)
            }
        }
    }
    .await;
    match (out, chosen) {
        (Ok(b), Some(t)) => typed(StatusCode::OK, &t, b),
        (Err(e), _) => cosmos_error(&e),
        // A failed Accept always comes back as an error above.
        (Ok(_), None) => cosmos_error(&CosmosError::unhandled("no response type was chosen")),
    }
}
