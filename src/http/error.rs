//! The API's errors: a stable code, a status, and a JSON body `{"error":{"code","message"}}`.
//! User mistakes are 400s; nothing a user sends produces a 5xx.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

use crate::error::Error;

/// An error as the HTTP API reports it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is invalid; `param` names the parameter.
    #[error("{message}")]
    BadRequest {
        /// Stable code: `invalid_query` or `invalid_parameter`.
        code: &'static str,
        /// The parameter at fault.
        param: &'static str,
        /// What to change.
        message: String,
    },
    /// No such article or route.
    #[error("{0}")]
    NotFound(String),
    /// The route exists but only answers GET.
    #[error("this route only answers GET")]
    MethodNotAllowed,
    /// The path and query string are longer than [`super::MAX_URI_BYTES`].
    #[error("the URL is {0} bytes long; at most {max} are allowed", max = super::MAX_URI_BYTES)]
    UriTooLong(usize),
    /// The server is overloaded or shutting down.
    #[error("the server is busy; try again")]
    Unavailable,
    /// A bug or an I/O failure; details go to the log, not to the client.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// The stable, snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. } => code,
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::UriTooLong(_) => "uri_too_long",
            ApiError::Unavailable => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        match e {
            Error::BadQuery { param, message } => ApiError::BadRequest {
                code: if param == "q" {
                    "invalid_query"
                } else {
                    "invalid_parameter"
                },
                param,
                message,
            },
            Error::NotFound(_) => ApiError::NotFound(e.to_string()),
            // The cluster did not answer (a node down, a timeout): the search may be retried.
            Error::OpenSearch(m) => {
                tracing::warn!("OpenSearch: {m}");
                ApiError::Unavailable
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(detail) = self {
            tracing::error!("internal error: {detail}");
        }
        let mut body = json!({"error": {"code": self.code(), "message": self.to_string()}});
        if let ApiError::BadRequest { param, .. } = self {
            body["error"]["param"] = json!(param);
        }
        HttpResponse::build(self.status_code()).json(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_statuses_and_messages() {
        let cases: Vec<(ApiError, u16, &str, &str)> = vec![
            (
                Error::bad_query("q", "unclosed quote").into(),
                400,
                "invalid_query",
                "unclosed quote",
            ),
            (
                Error::bad_query("limit", "limit must be…").into(),
                400,
                "invalid_parameter",
                "limit must be…",
            ),
            (
                Error::NotFound("x".into()).into(),
                404,
                "not_found",
                "no article with id \"x\"",
            ),
            (
                ApiError::MethodNotAllowed,
                405,
                "method_not_allowed",
                "this route only answers GET",
            ),
            (
                ApiError::UriTooLong(70_000),
                414,
                "uri_too_long",
                "the URL is 70000 bytes long; at most 64512 are allowed",
            ),
            (
                ApiError::Unavailable,
                503,
                "unavailable",
                "the server is busy; try again",
            ),
            (
                Error::io("f", std::io::Error::other("disk")).into(),
                500,
                "internal",
                "internal error",
            ),
        ];
        for (e, status, code, message) in cases {
            assert_eq!(e.status_code().as_u16(), status);
            assert_eq!(e.code(), code);
            assert_eq!(e.to_string(), message);
        }
    }
}
