use leptos::prelude::*;

use crate::components::title::page_title;

#[component]
pub fn NotFound() -> impl IntoView {
    page_title(|| "Page not found".to_owned());
    view! {
        <section class="panel narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <p><a href="/">"Go to your workspaces"</a></p>
        </section>
    }
}
