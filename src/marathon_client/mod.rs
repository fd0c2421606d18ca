//! A client of the Marathon 1.x REST API, for `mesos app` and `mesos
//! deployment`: the bundled `mesos marathon` or a real Marathon (directly,
//! or behind DC/OS Admin Router at `/service/marathon`). Every body is read
//! and written through the typed model in [`crate::wire::marathon`].
//!
//! * [`locate`]: which Marathon (`--marathon`, `MESOS_MARATHON`, the
//!   profile's `marathon`, else discovery through the leading master).
//! * [`follow`]: following a deployment until it leaves `/v2/deployments`.
//! * [`view`]: the tables of apps, tasks and deployments.
//!
//! The calls are the ones real clients make (dcoscli, marathon-python):
//! `POST /v2/apps` expects 201 and reads `deployments[0].id`; scaling is
//! `PUT /v2/apps/ID {"instances": N}`; `?force=true` only when asked.

pub mod checked;
pub mod follow;
pub mod locate;
pub mod view;

use reqwest::{header, Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{excerpt, Error, ErrorKind, Result};
use crate::http::{transport_error, HttpClient};
use crate::wire::marathon::{
    AppDefinition, AppOne, AppView, Deployment, DeploymentResult, ErrorBody, PathId, TaskList,
    TaskOne, VersionList,
};

/// A Marathon to talk to: its base URL (any path prefix kept) and where
/// that URL came from (for `-v` and error messages).
#[derive(Clone, Debug)]
pub struct Marathon {
    pub http: HttpClient,
    pub base: Url,
    pub source: String,
}

/// What a call was about, to name it in errors.
#[derive(Clone, Debug)]
pub enum Target {
    Apps,
    App(PathId),
    /// `POST /v2/apps` of this id (409 = it exists).
    NewApp(PathId),
    Task(PathId, String),
    Deployments,
    Deployment(String),
}

/// Marathon's answers that a user needs told apart; exit codes in
/// `From<MarathonError> for Error`.
#[derive(Debug, thiserror::Error)]
pub enum MarathonError {
    /// 404 for an app (exit 4).
    #[error("app '{app}' does not exist (Marathon at {at})")]
    NoApp { app: PathId, at: String },
    /// 404 for a task (exit 4).
    #[error("task '{task}' of app '{app}' does not exist (Marathon at {at})")]
    NoTask {
        app: PathId,
        task: String,
        at: String,
    },
    /// 404 for a deployment (exit 4).
    #[error("deployment '{id}' does not exist (Marathon at {at})")]
    NoDeployment { id: String, at: String },
    /// 409 on create (exit 1).
    #[error("app '{app}' already exists (Marathon at {at})")]
    AppExists { app: PathId, at: String },
    /// 409: a running deployment holds the app (exit 1).
    #[error("{what} is locked by deployment {ids} (Marathon at {at})")]
    Locked {
        what: String,
        ids: String,
        at: String,
    },
    /// 400/422 with `details` (exit 1); the details are listed under it.
    #[error("Marathon at {at} rejected {what} (HTTP {status}): {message}")]
    Invalid {
        what: String,
        at: String,
        status: u16,
        message: String,
        details: Vec<String>,
    },
    /// Any other unexpected answer (exit 1; 404 exit 4).
    #[error("Marathon at {at} answered HTTP {status} to {method} {path}: {message}")]
    Status {
        at: String,
        status: u16,
        method: String,
        path: String,
        message: String,
    },
    /// A success whose body is not what Marathon sends (exit 1).
    #[error("Marathon at {at} answered {method} {path} with a body that is not Marathon's JSON ({cause}): {excerpt}")]
    BadBody {
        at: String,
        method: String,
        path: String,
        cause: String,
        excerpt: String,
    },
}

impl From<MarathonError> for Error {
    fn from(e: MarathonError) -> Self {
        use MarathonError as M;
        let kind = match &e {
            M::NoApp { .. } | M::NoTask { .. } | M::NoDeployment { .. } => ErrorKind::NotFound,
            M::Status { status: 404, .. } => ErrorKind::NotFound,
            _ => ErrorKind::Failed,
        };
        let details = match &e {
            M::Invalid { details, .. } => details.clone(),
            _ => Vec::new(),
        };
        let hint = match &e {
            M::Locked { .. } => Some(
                "wait for it (`mesos deployment list`), roll it back (`mesos deployment rollback ID`), or pass --force to cancel it",
            ),
            M::AppExists { .. } => Some("`mesos app update APP FILE` changes an existing app"),
            _ => None,
        };
        let err = Error::new(kind, e.to_string()).with_details(details);
        match hint {
            Some(h) => err.with_hint(h),
            None => err,
        }
    }
}

/// `{"instances": N}`: the body of a scale (`PUT /v2/apps/ID`).
#[derive(Clone, Debug, Serialize)]
pub struct ScaleBody {
    pub instances: u32,
}

/// What a deployable call answered: the deployment to follow.
#[derive(Clone, Debug)]
pub struct Deployed {
    pub result: DeploymentResult,
}

/// A request body: JSON bytes.
pub struct Body(pub Vec<u8>);

impl Body {
    pub fn json<T: Serialize + ?Sized>(v: &T) -> Result<Body> {
        serde_json::to_vec(v)
            .map(Body)
            .map_err(|e| Error::failed(format!("cannot encode the request body: {e}")))
    }
}

impl Marathon {
    /// A client of the Marathon at `base`.
    pub fn new(http: HttpClient, base: Url, source: impl Into<String>) -> Marathon {
        Marathon {
            http,
            base,
            source: source.into(),
        }
    }

    /// The base URL as shown in messages (no trailing slash).
    pub fn at(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_string()
    }

    /// `base` + `/v2/...` segments (each one percent-encoded) + query.
    pub fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Url {
        let mut u = self.base.clone();
        {
            let mut p = u
                .path_segments_mut()
                .expect("a Marathon base URL is http(s)");
            p.pop_if_empty();
            for s in segments {
                p.push(s);
            }
        }
        if query.is_empty() {
            u.set_query(None);
        } else {
            let mut q = u.query_pairs_mut();
            q.clear();
            for (k, v) in query {
                q.append_pair(k, v);
            }
        }
        u
    }

    /// `/v2/apps/<id segments>/<more>`.
    fn app_url(&self, id: &PathId, more: &[&str], query: &[(&str, String)]) -> Url {
        let mut segs: Vec<&str> = vec!["v2", "apps"];
        segs.extend(id.segments().iter().map(String::as_str));
        segs.extend_from_slice(more);
        self.url(&segs, query)
    }

    /// Send one request; status and body, whatever the status.
    pub async fn send(
        &self,
        method: Method,
        url: &Url,
        body: Option<Body>,
    ) -> Result<(StatusCode, reqwest::header::HeaderMap, bytes::Bytes)> {
        let mut rb = self
            .http
            .request(method, url.clone(), true)
            .header(header::ACCEPT, "application/json");
        if let Some(Body(b)) = body {
            rb = rb.header(header::CONTENT_TYPE, "application/json").body(b);
        }
        let resp = self.http.send(rb, url).await?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| transport_error(url, &e, self.http.timeout))?;
        Ok((status, headers, bytes))
    }

    /// A call that must answer 2xx with a `T`; anything else is the error
    /// for `target`.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        url: &Url,
        body: Option<Body>,
        target: &Target,
    ) -> Result<T> {
        let (status, _, bytes) = self.send(method.clone(), url, body).await?;
        if !status.is_success() {
            return Err(self.error(&method, url, status, &bytes, target).into());
        }
        self.decode(&method, url, &bytes)
    }

    fn decode<T: DeserializeOwned>(&self, method: &Method, url: &Url, bytes: &[u8]) -> Result<T> {
        serde_json::from_slice(bytes).map_err(|e| {
            MarathonError::BadBody {
                at: self.at(),
                method: method.to_string(),
                path: url.path().to_string(),
                cause: e.to_string(),
                excerpt: excerpt(bytes, 120),
            }
            .into()
        })
    }

    /// The error for a non-2xx answer.
    pub fn error(
        &self,
        method: &Method,
        url: &Url,
        status: StatusCode,
        body: &[u8],
        target: &Target,
    ) -> MarathonError {
        let at = self.at();
        let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
        let message = parsed
            .as_ref()
            .map(|b| b.message.clone())
            .unwrap_or_else(|| excerpt(body, 160));
        let code = status.as_u16();
        match (code, target) {
            (404, Target::App(app)) => {
                return MarathonError::NoApp {
                    app: app.clone(),
                    at,
                }
            }
            (404, Target::Task(app, task)) => {
                // Marathon says which one is missing: the app or the task.
                if message.starts_with("App ") {
                    return MarathonError::NoApp {
                        app: app.clone(),
                        at,
                    };
                }
                return MarathonError::NoTask {
                    app: app.clone(),
                    task: task.clone(),
                    at,
                };
            }
            (404, Target::Deployment(id)) => {
                return MarathonError::NoDeployment { id: id.clone(), at }
            }
            (409, _) => {
                let locking: Vec<String> = parsed
                    .as_ref()
                    .and_then(|b| b.deployments.as_ref())
                    .map(|d| d.iter().map(|d| d.id.clone()).collect())
                    .unwrap_or_default();
                if !locking.is_empty() {
                    return MarathonError::Locked {
                        what: target_name(target),
                        ids: locking.join(", "),
                        at,
                    };
                }
                if let Target::NewApp(app) = target {
                    return MarathonError::AppExists {
                        app: app.clone(),
                        at,
                    };
                }
            }
            (400 | 422, _) => {
                if let Some(details) = parsed.as_ref().and_then(|b| b.details.as_ref()) {
                    let mut lines = Vec::new();
                    for d in details {
                        if d.errors.is_empty() {
                            lines.push(d.path.clone());
                        }
                        for e in &d.errors {
                            lines.push(format!("{}: {e}", d.path));
                        }
                    }
                    return MarathonError::Invalid {
                        what: target_name(target),
                        at,
                        status: code,
                        message,
                        details: lines,
                    };
                }
            }
            _ => {}
        }
        MarathonError::Status {
            at,
            status: code,
            method: method.to_string(),
            path: url.path().to_string(),
            message,
        }
    }

    // ---- reads -------------------------------------------------------

    /// `GET /v2/apps` (1.5 embeds counts and deployments; `apps.lastTaskFailure` asked too).
    pub async fn apps(&self) -> Result<Vec<AppView>> {
        Ok(self.try_apps().await?)
    }

    /// `GET /v2/apps/ID` (exit 4 when unknown).
    pub async fn app(&self, id: &PathId) -> Result<AppView> {
        let url = self.app_url(id, &[], &[]);
        let one: AppOne = self
            .call(Method::GET, &url, None, &Target::App(id.clone()))
            .await?;
        Ok(one.app)
    }

    /// `GET /v2/apps/ID`, `None` when Marathon says it does not exist.
    pub async fn app_optional(&self, id: &PathId) -> Result<Option<AppView>> {
        match self.app(id).await {
            Ok(a) => Ok(Some(a)),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `GET /v2/apps/ID/versions`.
    pub async fn versions(&self, id: &PathId) -> Result<Vec<String>> {
        let url = self.app_url(id, &["versions"], &[]);
        let v: VersionList = self
            .call(Method::GET, &url, None, &Target::App(id.clone()))
            .await?;
        Ok(v.versions)
    }

    /// `GET /v2/apps/ID/versions/VERSION`: the app as it was.
    pub async fn version(&self, id: &PathId, version: &str) -> Result<AppDefinition> {
        let url = self.app_url(id, &["versions", version], &[]);
        self.call(Method::GET, &url, None, &Target::App(id.clone()))
            .await
    }

    /// `GET /v2/apps/ID/tasks`.
    pub async fn tasks(&self, id: &PathId) -> Result<TaskList> {
        let url = self.app_url(id, &["tasks"], &[]);
        self.call(Method::GET, &url, None, &Target::App(id.clone()))
            .await
    }

    /// `GET /v2/deployments` (a bare array).
    pub async fn deployments(&self) -> Result<Vec<Deployment>> {
        let url = self.url(&["v2", "deployments"], &[]);
        self.call(Method::GET, &url, None, &Target::Deployments)
            .await
    }

    // ---- deployable calls ----------------------------------------------

    /// `POST /v2/apps`: 201 with the app; its `deployments[0].id` (or the
    /// `Marathon-Deployment-Id` header) is the deployment.
    pub async fn create(&self, app: &AppDefinition, force: bool) -> Result<Deployed> {
        Ok(self.try_create(app, force).await?)
    }

    /// `PUT /v2/apps/ID` with a partial body (`partialUpdate` is Marathon's
    /// default). The caller checks the app exists first: PUT would create it.
    pub async fn put_app(&self, id: &PathId, body: Body, force: bool) -> Result<Deployed> {
        let url = self.app_url(id, &[], &force_query(force));
        self.deployable(Method::PUT, &url, Some(body), &Target::App(id.clone()))
            .await
    }

    /// `POST /v2/apps/ID/restart`.
    pub async fn restart(&self, id: &PathId, force: bool) -> Result<Deployed> {
        let url = self.app_url(id, &["restart"], &force_query(force));
        self.deployable(Method::POST, &url, None, &Target::App(id.clone()))
            .await
    }

    /// `DELETE /v2/apps/ID` (Marathon's default is `force=true`; the flag is
    /// sent only with --force, as dcoscli does).
    pub async fn remove(&self, id: &PathId, force: bool) -> Result<Deployed> {
        Ok(self.try_remove(id, force).await?)
    }

    /// `DELETE /v2/apps/ID/tasks/TASK` without `scale`: the killed task.
    pub async fn kill_task(&self, id: &PathId, task: &str, force: bool) -> Result<TaskOne> {
        let url = self.app_url(id, &["tasks", task], &force_query(force));
        self.call(
            Method::DELETE,
            &url,
            None,
            &Target::Task(id.clone(), task.to_string()),
        )
        .await
    }

    /// `DELETE /v2/apps/ID/tasks` without `scale`: the killed tasks.
    pub async fn kill_all(&self, id: &PathId, force: bool) -> Result<TaskList> {
        let url = self.app_url(id, &["tasks"], &force_query(force));
        self.call(Method::DELETE, &url, None, &Target::App(id.clone()))
            .await
    }

    /// `DELETE /v2/apps/ID/tasks[/TASK]?scale=true`: a deployment lowering
    /// `instances` by the tasks killed.
    pub async fn kill_and_scale(
        &self,
        id: &PathId,
        task: Option<&str>,
        force: bool,
    ) -> Result<Deployed> {
        let mut q = vec![("scale", "true".to_string())];
        q.extend(force_query(force));
        let (url, target) = match task {
            Some(t) => (
                self.app_url(id, &["tasks", t], &q),
                Target::Task(id.clone(), t.to_string()),
            ),
            None => (self.app_url(id, &["tasks"], &q), Target::App(id.clone())),
        };
        self.deployable(Method::DELETE, &url, None, &target).await
    }

    /// `DELETE /v2/deployments/ID`: without `force` a new deployment that
    /// reverts it (`Some`); with `force` only cancelled (202, `None`).
    pub async fn rollback(&self, id: &str, force: bool) -> Result<Option<Deployed>> {
        let url = self.url(&["v2", "deployments", id], &force_query(force));
        let target = Target::Deployment(id.to_string());
        let (status, headers, bytes) = self.send(Method::DELETE, &url, None).await?;
        if !status.is_success() {
            return Err(self
                .error(&Method::DELETE, &url, status, &bytes, &target)
                .into());
        }
        if status == StatusCode::ACCEPTED || bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        self.deployed(&Method::DELETE, &url, &headers, &bytes)
            .map(Some)
    }

    async fn deployable(
        &self,
        method: Method,
        url: &Url,
        body: Option<Body>,
        target: &Target,
    ) -> Result<Deployed> {
        let (status, headers, bytes) = self.send(method.clone(), url, body).await?;
        if !status.is_success() {
            return Err(self.error(&method, url, status, &bytes, target).into());
        }
        self.deployed(&method, url, &headers, &bytes)
    }

    fn deployed(
        &self,
        method: &Method,
        url: &Url,
        headers: &header::HeaderMap,
        bytes: &[u8],
    ) -> Result<Deployed> {
        let mut result: DeploymentResult = self.decode(method, url, bytes)?;
        if result.deployment_id.is_empty() {
            if let Some(h) = deployment_header(headers) {
                result.deployment_id = h;
            }
        }
        Ok(Deployed { result })
    }
}

fn force_query(force: bool) -> Vec<(&'static str, String)> {
    if force {
        vec![("force", "true".to_string())]
    } else {
        Vec::new()
    }
}

fn deployment_header(h: &header::HeaderMap) -> Option<String> {
    h.get("Marathon-Deployment-Id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn target_name(t: &Target) -> String {
    match t {
        Target::Apps => "the app list".into(),
        Target::App(a) | Target::NewApp(a) => format!("app '{a}'"),
        Target::Task(a, t) => format!("task '{t}' of app '{a}'"),
        Target::Deployments => "the deployment list".into(),
        Target::Deployment(d) => format!("deployment '{d}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpOptions;

    fn m(base: &str) -> Marathon {
        Marathon::new(
            HttpClient::new(&HttpOptions::default()).unwrap(),
            Url::parse(base).unwrap(),
            "test",
        )
    }

    #[test]
    fn urls_keep_the_prefix_and_encode_segments() {
        let a = m("https://dcos.example/service/marathon/");
        let id = PathId::parse("//prod/web");
        assert_eq!(
            a.app_url(&id, &["tasks", "prod_web.1"], &[("scale", "true".into())])
                .as_str(),
            "https://dcos.example/service/marathon/v2/apps/prod/web/tasks/prod_web.1?scale=true"
        );
        let b = m("http://127.0.0.1:8080");
        assert_eq!(
            b.url(&["v2", "deployments", "a b"], &[]).as_str(),
            "http://127.0.0.1:8080/v2/deployments/a%20b"
        );
    }

    #[test]
    fn errors_name_what_was_wrong() {
        let a = m("http://h:8080");
        let url = a.url(&["v2", "apps"], &[]);
        let e = a.error(
            &Method::POST,
            &url,
            StatusCode::UNPROCESSABLE_ENTITY,
            br#"{"message":"Object is not valid","details":[{"path":"/cpus","errors":["must be >= 0","is odd"]},{"path":"/id","errors":["bad"]}]}"#,
            &Target::NewApp(PathId::parse("/x")),
        );
        let err: Error = e.into();
        assert_eq!(
            err.message,
            "Marathon at http://h:8080 rejected app '/x' (HTTP 422): Object is not valid"
        );
        assert_eq!(
            err.details,
            ["/cpus: must be >= 0", "/cpus: is odd", "/id: bad"]
        );
        let e: Error = a
            .error(
                &Method::GET,
                &url,
                StatusCode::NOT_FOUND,
                br#"{"message":"App '/x' does not exist"}"#,
                &Target::App(PathId::parse("x")),
            )
            .into();
        assert_eq!(e.exit_code(), 4);
        assert_eq!(
            e.message,
            "app '/x' does not exist (Marathon at http://h:8080)"
        );
        let e: Error = a
            .error(
                &Method::PUT,
                &url,
                StatusCode::CONFLICT,
                br#"{"message":"App is locked","deployments":[{"id":"d1"}]}"#,
                &Target::App(PathId::parse("x")),
            )
            .into();
        assert_eq!(e.exit_code(), 1);
        assert!(
            e.message.contains("locked by deployment d1"),
            "{}",
            e.message
        );
        let e: Error = a
            .error(
                &Method::POST,
                &url,
                StatusCode::CONFLICT,
                br#"{"message":"An app with id [/x] already exists."}"#,
                &Target::NewApp(PathId::parse("x")),
            )
            .into();
        assert_eq!(
            e.message,
            "app '/x' already exists (Marathon at http://h:8080)"
        );
    }
}
