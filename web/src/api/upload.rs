//! Uploads with progress: `fetch` cannot report the bytes sent, so a file goes up through an
//! `XMLHttpRequest`, whose upload events drive the page's progress bar.

use std::cell::RefCell;
use std::rc::Rc;

use carrel_core::api::{FileEntry, CSRF_HEADER};
use serde::de::DeserializeOwned;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{File, ProgressEvent, XmlHttpRequest};

use super::transport::{csrf_token, decode_text, url};
use super::ApiError;

/// Closures the request calls back; kept alive until it ends.
type Handlers = Rc<RefCell<Vec<Closure<dyn FnMut(ProgressEvent)>>>>;

/// Send `file` to `path` (PUT, its bytes as the body), calling `progress(sent, total)` as it
/// goes.
pub async fn upload_file(
    path: &str,
    file: &File,
    progress: impl Fn(f64, f64) + 'static,
) -> Result<FileEntry, ApiError> {
    send_file("PUT", path, file, "application/octet-stream", progress).await
}

/// Send `file` as the body of a `method` request to `path`, calling `progress(sent, total)`
/// as it goes; the answer decoded as `T`.
pub async fn send_file<T: DeserializeOwned>(
    method: &str,
    path: &str,
    file: &File,
    content_type: &str,
    progress: impl Fn(f64, f64) + 'static,
) -> Result<T, ApiError> {
    let network = |error: wasm_bindgen::JsValue| ApiError::Network(format!("{error:?}"));
    let request = XmlHttpRequest::new().map_err(network)?;
    request.open(method, &url(path)).map_err(network)?;
    if let Some(token) = csrf_token() {
        request
            .set_request_header(CSRF_HEADER, &token)
            .map_err(network)?;
    }
    request
        .set_request_header("Content-Type", content_type)
        .map_err(network)?;
    let handlers: Handlers = Rc::default();
    let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
        if event.length_computable() {
            progress(event.loaded(), event.total());
        }
    });
    request
        .upload()
        .map_err(network)?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    handlers.borrow_mut().push(on_progress);

    let finished = js_sys::Promise::new(&mut |resolve, _reject| {
        let done = Closure::<dyn FnMut(ProgressEvent)>::new(move |_event: ProgressEvent| {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
        request.set_onloadend(Some(done.as_ref().unchecked_ref()));
        handlers.borrow_mut().push(done);
    });
    request.send_with_opt_blob(Some(file)).map_err(network)?;
    wasm_bindgen_futures::JsFuture::from(finished)
        .await
        .map_err(network)?;
    drop(handlers);
    let status = request.status().map_err(network)?;
    if status == 0 {
        return Err(ApiError::Network(
            "the connection closed before the upload finished".to_owned(),
        ));
    }
    let text = request
        .response_text()
        .map_err(network)?
        .unwrap_or_default();
    decode_text(status, (200..300).contains(&status), &text)
}
