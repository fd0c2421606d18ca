//! The one error type of the agent's handlers, and the JSON responder.
//! Errors are short plain-text bodies, libprocess style; JSON bodies are
//! serialized from typed values (`crate::wire`), never built by hand.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::daemon::files::FilesError;
use crate::daemon::httputil;

/// Why a request was refused.
#[derive(Debug)]
pub enum Error {
    /// 400
    BadRequest(String),
    /// 403
    Forbidden(String),
    /// 404
    NotFound(String),
    /// 406
    NotAcceptable(String),
    /// 409
    Conflict(String),
    /// 415
    UnsupportedMediaType(String),
    /// 500
    Internal(String),
    /// 501
    NotImplemented(String),
    /// The files API's own error (its status; an empty 404 stays empty).
    Files(FilesError),
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Error::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            Error::Files(e) => e.status(),
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Error::BadRequest(m)
            | Error::Forbidden(m)
            | Error::NotFound(m)
            | Error::NotAcceptable(m)
            | Error::Conflict(m)
            | Error::UnsupportedMediaType(m)
            | Error::Internal(m)
            | Error::NotImplemented(m) => m,
            Error::Files(FilesError::NotFound(m)) if m.is_empty() => "",
            Error::Files(e) => e.message(),
        }
    }
}

impl From<FilesError> for Error {
    fn from(e: FilesError) -> Error {
        Error::Files(e)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        httputil::text(self.status(), self.message().to_string())
    }
}

/// `200` with `T` serialized as JSON (jsonp and gzip are applied by the
/// libprocess layer around the app).
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(body) => httputil::json_bytes(StatusCode::OK, body),
            Err(e) => {
                Error::Internal(format!("Failed to serialize the response: {e}")).into_response()
            }
        }
    }
}

/// A JSON request body of type `T`, whatever its `Content-Type` (the
/// internal protocol's peers are our own master); a body that does not
/// parse is a 400 naming the problem.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| Error::BadRequest(format!("Failed to read the request body: {e}\n")))?;
        serde_json::from_slice(&bytes)
            .map(Body)
            .map_err(|e| Error::BadRequest(format!("Failed to parse the request body: {e}\n")))
    }
}
