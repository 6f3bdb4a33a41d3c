//! Text made safe for where it is written: HTML text and attributes, URL paths and queries.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but the unreserved characters of RFC 3986.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
const PATH: &AsciiSet = &COMPONENT.remove(b'/');

/// A value for one query parameter or path segment: `&`, `%`, `#`, `/` and spaces included.
pub fn component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// Bytes as lowercase hexadecimal, as digests and signatures are written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A path with its slashes kept, for `?next=` after sign-in.
pub fn path(text: &str) -> String {
    utf8_percent_encode(text, PATH).to_string()
}

/// `k=v&...` with each value encoded; empty values are left out.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", component(v))).collect::<Vec<_>>().join("&")
}

/// `base?k=v&...` with each value encoded; empty values are left out.
pub fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    match query_string(pairs) {
        q if q.is_empty() => base.to_string(),
        q => format!("{base}?{q}"),
    }
}

/// Text made safe inside an element or a quoted attribute of hand-written markup.
pub fn html(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_in_a_query_cannot_break_the_link() {
        assert_eq!(with_query("/budgets/expenses", &[("q", "R&D 100% #1"), ("year", "2026"), ("x", "")]), "/budgets/expenses?q=R%26D%20100%25%20%231&year=2026");
        assert_eq!(with_query("/kpis", &[("range", "")]), "/kpis");
        assert_eq!(component("a/b?c=d"), "a%2Fb%3Fc%3Dd");
        assert_eq!(component("née"), "n%C3%A9e");
    }

    #[test]
    fn next_paths_keep_their_slashes() {
        assert_eq!(path("/kpis?range=90d&x=a b"), "/kpis%3Frange%3D90d%26x%3Da%20b");
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(html(r#"<a href="x">R&D</a>"#), "&lt;a href=&quot;x&quot;&gt;R&amp;D&lt;/a&gt;");
    }
}
