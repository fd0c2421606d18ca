//! Calls that keep what Marathon answered apart from the user-facing
//! error, for callers that map Marathon's statuses themselves (the package
//! service answers in Cosmos' error types: 409 → `PackageAlreadyInstalled`,
//! other 4xx → `MarathonBadResponse` with Marathon's `details`, 5xx →
//! `MarathonBadGateway`, no answer → `ServiceUnavailable`). `apps`,
//! `create` and `remove` are these with the failure made an [`Error`].

use reqwest::{Method, StatusCode, Url};

use super::{deployment_header, force_query, Body, Deployed, Marathon, MarathonError, Target};
use crate::error::{excerpt, Error};
use crate::wire::marathon::{AppDefinition, AppList, AppView, DeploymentResult, ErrorBody, PathId};

/// Why a call failed.
#[derive(Debug)]
pub enum Failure {
    /// No answer (connection refused, timeout, TLS, credentials refused).
    Unreachable(Error),
    /// A non-2xx answer: the status, Marathon's error body when it sent
    /// one, and the error as `mesos app` reports it.
    Refused {
        status: u16,
        body: Option<ErrorBody>,
        error: MarathonError,
    },
    /// A success whose body is not Marathon's (or an unexpected 2xx).
    BadAnswer(Error),
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Error {
        match f {
            Failure::Unreachable(e) | Failure::BadAnswer(e) => e,
            Failure::Refused { error, .. } => error.into(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Unreachable(e) | Failure::BadAnswer(e) => f.write_str(&e.message),
            Failure::Refused { error, .. } => error.fmt(f),
        }
    }
}

type Checked<T> = std::result::Result<T, Failure>;

impl Marathon {
    /// Send; status, headers and body of any answer.
    async fn exchange(
        &self,
        method: Method,
        url: &Url,
        body: Option<Body>,
    ) -> Checked<(StatusCode, reqwest::header::HeaderMap, bytes::Bytes)> {
        self.send(method, url, body)
            .await
            .map_err(Failure::Unreachable)
    }

    fn refused(
        &self,
        method: &Method,
        url: &Url,
        status: StatusCode,
        bytes: &[u8],
        target: &Target,
    ) -> Failure {
        Failure::Refused {
            status: status.as_u16(),
            body: serde_json::from_slice(bytes).ok(),
            error: self.error(method, url, status, bytes, target),
        }
    }

    /// [`Marathon::apps`], failures kept apart.
    pub async fn try_apps(&self) -> Checked<Vec<AppView>> {
        let url = self.url(
            &["v2", "apps"],
            &[("embed", "apps.lastTaskFailure".to_string())],
        );
        let (status, _, bytes) = self.exchange(Method::GET, &url, None).await?;
        if !status.is_success() {
            return Err(self.refused(&Method::GET, &url, status, &bytes, &Target::Apps));
        }
        let list: AppList = self
            .decode(&Method::GET, &url, &bytes)
            .map_err(Failure::BadAnswer)?;
        Ok(list.apps)
    }

    /// [`Marathon::create`], failures kept apart.
    pub async fn try_create(&self, app: &AppDefinition, force: bool) -> Checked<Deployed> {
        let url = self.url(&["v2", "apps"], &force_query(force));
        let target = Target::NewApp(app.id.clone());
        let body = Body::json(app).map_err(Failure::BadAnswer)?;
        let (status, headers, bytes) = self.exchange(Method::POST, &url, Some(body)).await?;
        if status != StatusCode::CREATED {
            if status.is_success() {
                return Err(Failure::BadAnswer(
                    MarathonError::Status {
                        at: self.at(),
                        status: status.as_u16(),
                        method: "POST".into(),
                        path: url.path().to_string(),
                        message: "expected 201 Created".into(),
                    }
                    .into(),
                ));
            }
            return Err(self.refused(&Method::POST, &url, status, &bytes, &target));
        }
        let created: AppView = self
            .decode(&Method::POST, &url, &bytes)
            .map_err(Failure::BadAnswer)?;
        let id = created
            .deployments
            .first()
            .map(|d| d.id.clone())
            .or_else(|| deployment_header(&headers))
            .ok_or_else(|| {
                Failure::BadAnswer(
                    MarathonError::BadBody {
                        at: self.at(),
                        method: "POST".into(),
                        path: url.path().to_string(),
                        cause: "no deployments[0].id and no Marathon-Deployment-Id header".into(),
                        excerpt: excerpt(&bytes, 120),
                    }
                    .into(),
                )
            })?;
        Ok(Deployed {
            result: DeploymentResult {
                version: created.app.version.clone().unwrap_or_default(),
                deployment_id: id,
            },
        })
    }

    /// [`Marathon::remove`], failures kept apart.
    pub async fn try_remove(&self, id: &PathId, force: bool) -> Checked<Deployed> {
        let url = self.app_url(id, &[], &force_query(force));
        let (status, headers, bytes) = self.exchange(Method::DELETE, &url, None).await?;
        if !status.is_success() {
            return Err(self.refused(
                &Method::DELETE,
                &url,
                status,
                &bytes,
                &Target::App(id.clone()),
            ));
        }
        self.deployed(&Method::DELETE, &url, &headers, &bytes)
            .map_err(Failure::BadAnswer)
    }
}
