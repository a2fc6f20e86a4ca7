//! The use-case layer's error: a small code the UI may branch on and a
//! message for people.

use std::fmt;

use crate::dto::{ErrorCodeDto, ErrorDto};

#[derive(Debug, Clone, PartialEq)]
pub struct AppError {
    pub code: ErrorCodeDto,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCodeDto, message: impl Into<String>) -> Self {
        AppError {
            code,
            message: message.into(),
        }
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        AppError::new(ErrorCodeDto::BadInput, message)
    }

    pub fn unknown_credential(id: &str) -> Self {
        AppError::new(
            ErrorCodeDto::UnknownCredential,
            format!("no loaded pathway file defines the credential \"{id}\""),
        )
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

impl From<AppError> for ErrorDto {
    fn from(e: AppError) -> Self {
        ErrorDto {
            code: e.code,
            message: e.message,
        }
    }
}
