//! Every page names itself in the browser tab and the history: "Page · Carrel".

use leptos::prelude::*;

/// Set the document's title now and whenever `page` changes.
pub fn page_title(page: impl Fn() -> String + 'static) {
    Effect::new(move |_| {
        let title = format!("{} · Carrel", page());
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&title);
        }
    });
}
