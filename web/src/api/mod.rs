//! The typed client: one function per endpoint of the server's API, each taking and returning
//! `core::api` types. Pages call these, never a path of their own.

mod endpoints;
mod error;
mod transport;
mod upload;

pub use endpoints::*;
pub use error::ApiError;
pub use transport::remember_csrf;
pub use upload::{send_file, upload_file};
