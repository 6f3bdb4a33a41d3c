//! Markdown the CTO writes (report commentary, radar evidence) to HTML that is safe to put in a page read by investors.
//!
//! Safety comes from the event stream, not from cleaning HTML afterwards: raw HTML in the
//! Markdown becomes text (so `<script>` shows as the characters it is), links keep only web,
//! mail and in-page addresses, and images become their alt text (an image from elsewhere would
//! let its host see who reads the report, and when). Everything else pulldown-cmark escapes.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

/// The most Markdown one section may hold.
pub const MAX_LEN: usize = 20_000;

pub fn to_html(markdown: &str) -> String {
    let mut links_kept = Vec::new();
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { dest_url, link_type, title, id }) => {
            let keep = safe_url(&dest_url);
            links_kept.push(keep);
            keep.then_some(Event::Start(Tag::Link { dest_url, link_type, title, id }))
        }
        Event::End(TagEnd::Link) => links_kept.pop().unwrap_or(false).then_some(Event::End(TagEnd::Link)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Web and mail addresses, and addresses within the site; no `javascript:`, `data:` or any
/// other scheme, however it is spelt.
fn safe_url(url: &str) -> bool {
    // Browsers ignore tabs, newlines and leading control characters and spaces in a URL, so
    // "java\tscript:" must be read as the scheme it is.
    let cleaned: String = url.chars().filter(|c| !c.is_control() && !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    let scheme_end = cleaned.find(':');
    let path_start = cleaned.find(['/', '?', '#']);
    match scheme_end {
        None => true,
        Some(colon) if path_start.is_some_and(|p| p < colon) => true,
        Some(_) => ["http:", "https:", "mailto:"].iter().any(|s| cleaned.starts_with(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_comes_through() {
        let html = to_html("## Plan\n\n**Bold** and *soft*, a [link](https://example.com/a?b=1), a list:\n\n- one\n- two\n");
        assert!(html.contains("<h2>Plan</h2>"), "{html}");
        assert!(html.contains("<strong>Bold</strong>"));
        assert!(html.contains(r#"<a href="https://example.com/a?b=1">link</a>"#), "{html}");
        assert!(html.contains("<li>one</li>"));
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        for input in ["<script>alert(1)</script>", "Hi <img src=x onerror=alert(1)> there", "<iframe src=\"https://evil\"></iframe>"] {
            let html = to_html(input);
            assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<iframe"), "{input} -> {html}");
            assert!(html.contains("&lt;"), "{input} -> {html}");
        }
    }

    #[test]
    fn unsafe_links_lose_their_address_but_keep_their_text() {
        for url in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "javascript&#58;alert(1)", "data:text/html,<script>x</script>", "vbscript:msgbox"] {
            let html = to_html(&format!("[click me]({url})"));
            assert!(!html.contains("href"), "{url} -> {html}");
            assert!(html.contains("click me"), "{url} -> {html}");
        }
        let html = to_html("<javascript:alert(1)>");
        assert!(!html.contains("href"), "{html}");
    }

    #[test]
    fn safe_links_are_kept() {
        for url in ["https://example.com", "http://example.com/x", "mailto:cto@example.com", "/reports", "#risks", "page?x=a:b"] {
            assert!(to_html(&format!("[x]({url})")).contains("href"), "{url}");
        }
    }

    #[test]
    fn images_become_their_alt_text() {
        let html = to_html("![our architecture](https://tracker.example/pixel.png)");
        assert!(!html.contains("<img") && !html.contains("tracker"), "{html}");
        assert!(html.contains("our architecture"));
    }

    #[test]
    fn attribute_breaking_titles_are_escaped() {
        let html = to_html(r#"[x](https://example.com "a\" onmouseover=\"alert(1)")"#);
        assert!(!html.contains("\" onmouseover"), "{html}");
    }
}
