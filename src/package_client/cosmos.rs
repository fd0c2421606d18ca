//! A client of the Cosmos package API (DC/OS, or `mesos marathon`'s own):
//! `POST <base>/package/<op>` with the op's request media type and the
//! response types we read in `Accept`; error bodies read back into
//! [`CosmosError`] with the HTTP status.
//!
//! * describe asks for v3 and, on `400 not_valid` (a Cosmos without v3),
//!   again for v2, as dcoscli does; install asks for v2.
//! * Basic auth and TLS come from the [`HttpClient`]. (DC/OS's
//!   `Authorization: token=` login is not done here.)
//! * An answer that is not the Cosmos API (an HTML 404, a plain Marathon's
//!   JSON 404, a proxy's 502) is one error naming the URL and the status.

use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::http::HttpClient;
use crate::packages::cosmos::{
    Capabilities, CosmosError, DescribeRequest, DescribeResponse, ErrorResponse, InstallRequest,
    InstallResponse, ListRequest, ListResponse, ListVersionsRequest, ListVersionsResponse, Op,
    RenderRequest, RenderResponse, RepositoryAddRequest, RepositoryDeleteRequest,
    RepositoryListRequest, RepositoryListResponse, SearchRequest, SearchResponse, UninstallRequest,
    UninstallResponse, CAPABILITIES_TYPE, ERROR_TYPE,
};
use crate::packages::model::Package;
use crate::packages::service::{Installed, Uninstalled};

pub struct CosmosClient {
    pub http: HttpClient,
    /// The cluster URL the API is under (`https://dcos.example`, or
    /// `http://127.0.0.1:8080` for `mesos marathon`).
    pub base: Url,
}

/// A failure to talk to the API at all (not an answer of it).
fn transport(e: crate::error::Error) -> CosmosError {
    let status = if e.message.contains("credentials") {
        401
    } else {
        503
    };
    let kind = if status == 401 {
        "Unauthorized"
    } else {
        "ServiceUnavailable"
    };
    let message = match &e.hint {
        Some(h) => format!("{} ({h})", e.message),
        None => e.message.clone(),
    };
    CosmosError::new(kind, status, message)
}

fn media_essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The error for an answer that is not the Cosmos API's.
fn not_cosmos(url: &Url, status: StatusCode, content_type: &str, body: &[u8]) -> CosmosError {
    let what = if content_type.is_empty() {
        "no content type".to_string()
    } else {
        media_essence(content_type)
    };
    let excerpt: String = String::from_utf8_lossy(body)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(120)
        .collect();
    let excerpt = if excerpt.is_empty() {
        String::new()
    } else {
        format!(": {excerpt}")
    };
    CosmosError::new(
        "UnexpectedResponse",
        status.as_u16(),
        format!(
            "{url} answered HTTP {status_code} with {what}, not the Cosmos package API{excerpt}",
            status_code = status.as_u16()
        ),
    )
}

/// A Cosmos error body (`{type, message, data?}`), when the answer is one.
fn error_body(content_type: &str, body: &[u8]) -> Option<ErrorResponse> {
    let essence = media_essence(content_type);
    let ours = media_essence(ERROR_TYPE);
    // Cosmos labels its errors; a proxy in front may not keep the label,
    // so a body of that exact shape is accepted too.
    let parsed = serde_json::from_slice::<ErrorResponse>(body).ok()?;
    (essence == ours || essence == "application/json").then_some(parsed)
}

impl CosmosClient {
    pub fn new(http: HttpClient, base: Url) -> CosmosClient {
        CosmosClient { http, base }
    }

    fn url(&self, path: &str) -> Url {
        crate::leader::endpoint(&self.base, path)
    }

    /// POST `req` to the op, asking for response `version`; the decoded
    /// answer.
    async fn call<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        op: Op,
        version: u8,
        req: &Req,
    ) -> Result<Resp, CosmosError> {
        let url = self.url(&format!("/package/{}", op.path()));
        let accept = op.response_type(version);
        let body = serde_json::to_vec(req)
            .map_err(|e| CosmosError::unhandled(format!("cannot encode the request: {e}")))?;
        let rb = self
            .http
            .request(Method::POST, url.clone(), true)
            .header(reqwest::header::CONTENT_TYPE, op.request_type())
            .header(reqwest::header::ACCEPT, &accept)
            .body(body);
        let resp = self.http.send(rb, &url).await.map_err(transport)?;
        let status = resp.status();
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| transport(crate::http::transport_error(&url, &e, self.http.timeout)))?;
        if !status.is_success() {
            return Err(match error_body(&content_type, &bytes) {
                Some(b) => CosmosError::from_body(status.as_u16(), b),
                None => not_cosmos(&url, status, &content_type, &bytes),
            });
        }
        // dcoscli's check: the answer's type is the one asked for.
        if media_essence(&content_type) != media_essence(&accept) {
            return Err(not_cosmos(&url, status, &content_type, &bytes));
        }
        serde_json::from_slice(&bytes).map_err(|e| {
            CosmosError::new(
                "UnexpectedResponse",
                status.as_u16(),
                format!(
                    "{url} answered a {} that does not decode: {e}",
                    op.media_name()
                ),
            )
        })
    }

    pub async fn search(&self, req: &SearchRequest) -> Result<SearchResponse, CosmosError> {
        self.call(Op::Search, 1, req).await
    }

    /// v3, else (a Cosmos that refuses v3 with `not_valid`) v2.
    pub async fn describe(&self, req: &DescribeRequest) -> Result<DescribeResponse, CosmosError> {
        match self.call::<_, DescribeResponse>(Op::Describe, 3, req).await {
            Err(e) if e.status == 400 && e.kind == "not_valid" => {
                let package: Package = self.call(Op::Describe, 2, req).await?;
                Ok(DescribeResponse { package })
            }
            other => other,
        }
    }

    pub async fn list_versions(
        &self,
        req: &ListVersionsRequest,
    ) -> Result<ListVersionsResponse, CosmosError> {
        self.call(Op::ListVersions, 1, req).await
    }

    pub async fn render(&self, req: &RenderRequest) -> Result<RenderResponse, CosmosError> {
        self.call(Op::Render, 1, req).await
    }

    /// install-response v2. The Marathon deployment is not reported by
    /// Cosmos (`created` is `None`).
    pub async fn install(&self, req: &InstallRequest) -> Result<Installed, CosmosError> {
        let response: InstallResponse = self.call(Op::Install, 2, req).await?;
        Ok(Installed {
            response,
            created: None,
        })
    }

    pub async fn list(&self, req: &ListRequest) -> Result<ListResponse, CosmosError> {
        self.call(Op::List, 1, req).await
    }

    /// Cosmos reports neither the deployment nor the frameworks it tore
    /// down: those are empty.
    pub async fn uninstall(&self, req: &UninstallRequest) -> Result<Vec<Uninstalled>, CosmosError> {
        let r: UninstallResponse = self.call(Op::Uninstall, 1, req).await?;
        Ok(r.results
            .into_iter()
            .map(|result| Uninstalled {
                result,
                deployment_id: None,
                torn_down: Vec::new(),
                leftovers: Vec::new(),
            })
            .collect())
    }

    pub async fn repository_list(&self) -> Result<RepositoryListResponse, CosmosError> {
        self.call(Op::RepositoryList, 1, &RepositoryListRequest {})
            .await
    }

    pub async fn repository_add(
        &self,
        req: &RepositoryAddRequest,
    ) -> Result<RepositoryListResponse, CosmosError> {
        self.call(Op::RepositoryAdd, 1, req).await
    }

    pub async fn repository_delete(
        &self,
        req: &RepositoryDeleteRequest,
    ) -> Result<RepositoryListResponse, CosmosError> {
        self.call(Op::RepositoryDelete, 1, req).await
    }
}

/// `GET <base>/capabilities`: `None` when the cluster has no Cosmos there
/// (404, or an answer that is not a capabilities document); an error when
/// it cannot be asked (unreachable, 401, a 5xx).
pub async fn capabilities(
    http: &HttpClient,
    base: &Url,
) -> Result<Option<Capabilities>, CosmosError> {
    let url = crate::leader::endpoint(base, "/capabilities");
    let rb = http
        .request(Method::GET, url.clone(), true)
        .header(reqwest::header::ACCEPT, CAPABILITIES_TYPE);
    let resp = http.send(rb, &url).await.map_err(transport)?;
    let status = resp.status();
    let content_type = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| transport(crate::http::transport_error(&url, &e, http.timeout)))?;
    if status.is_success() {
        return Ok(serde_json::from_slice::<Capabilities>(&bytes).ok());
    }
    if status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED {
        return Ok(None);
    }
    Err(match error_body(&content_type, &bytes) {
        Some(b) => CosmosError::from_body(status.as_u16(), b),
        None => not_cosmos(&url, status, &content_type, &bytes),
    })
}
