//! A workspace description is markdown: rendered here to HTML and sanitized (only formatting,
//! lists, links and code survive; scripts, styles, event handlers and `javascript:` links do not),
//! so the web app can show it as it is.

use pulldown_cmark::{html, Event, Options, Parser};

/// `markdown` as sanitized HTML. A line break in the text is a line break on the page, as people
/// expect when they type a description.
pub fn to_safe_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::SoftBreak => Event::HardBreak,
        // Raw HTML in the text is shown as text, never as markup.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn formatting_lists_links_and_line_breaks_are_kept() {
        let html = to_safe_html("**Aim**: find markers\nacross sites\n\n- one\n- two\n\n[Protocol](https://example.org/p)");
        assert!(html.contains("<strong>Aim</strong>"), "{html}");
        assert!(html.contains("find markers<br>"), "{html}");
        assert!(html.contains("<ul>\n<li>one</li>"), "{html}");
        assert!(
            html.contains(
                r#"<a href="https://example.org/p" rel="noopener noreferrer nofollow">Protocol</a>"#
            ),
            "{html}"
        );
    }

    #[test]
    fn scripts_handlers_and_script_links_are_removed() {
        let html = to_safe_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "shown as text: {html}");
    }
}
