//! Small parsers shared by every form: each returns the cleaned value or a message for the field.

/// Trimmed text that must be present, at most `max` characters, with no control characters.
/// `noun` names the field in the message ("name" gives "Enter a name.").
pub fn required_text(input: &str, noun: &str, max: usize) -> Result<String, String> {
    let text = input.trim();
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    if text.is_empty() {
        return Err(format!("Enter {article} {noun}."));
    }
    if text.chars().count() > max {
        return Err(format!("{} {noun} has at most {max} characters.", capitalise(article)));
    }
    if text.chars().any(char::is_control) {
        return Err(format!("{} {noun} cannot contain control characters.", capitalise(article)));
    }
    Ok(text.to_string())
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// "2026-10-02" from a form, with the field's own message.
pub fn parse_day(input: &str, what: &str) -> Result<chrono::NaiveDate, String> {
    let t = input.trim();
    if t.is_empty() {
        return Err(format!("Enter the {what}."));
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| format!("“{t}” is not a date such as 2026-10-02."))
}

/// Optional free text from a form, trimmed; longer than `max` characters is a mistake at `field`.
pub fn optional_text(p: &mut crate::platform::error::Problems, field: &str, input: &str, max: usize) -> String {
    let text = input.trim();
    if text.chars().count() > max {
        p.add(field, format!("Keep this under {max} characters."));
    }
    text.to_string()
}

/// An optional web address, such as a document's: http or https only, so a link never runs a
/// script in the reader's browser.
#[cfg(feature = "ssr")]
pub fn web_link(input: &str) -> Result<Option<String>, String> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.len() > 2000 {
        return Err("Keep the link under 2000 characters.".into());
    }
    match url::Url::parse(text) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(Some(u.to_string())),
        _ => Err(format!("“{text}” is not a web address such as https://example.com/report.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_cases() {
        assert_eq!(required_text("  Ada ", "name", 10).as_deref(), Ok("Ada"));
        assert_eq!(required_text(" ", "name", 10).unwrap_err(), "Enter a name.");
        assert_eq!(required_text("", "owner", 10).unwrap_err(), "Enter an owner.");
        assert_eq!(required_text("abcdefghijk", "name", 10).unwrap_err(), "A name has at most 10 characters.");
        assert_eq!(required_text("a\tb", "name", 10).unwrap_err(), "A name cannot contain control characters.");
        assert_eq!(required_text("éééé", "name", 4).as_deref(), Ok("éééé"), "characters, not bytes");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn links_are_web_addresses_only() {
        assert_eq!(web_link(" https://wiki.example.com/review?id=3 "), Ok(Some("https://wiki.example.com/review?id=3".into())));
        assert_eq!(web_link(""), Ok(None));
        for bad in ["javascript:alert(1)", "data:text/html,x", "wiki/review", "file:///etc/passwd", "https://"] {
            assert!(web_link(bad).is_err(), "{bad}");
        }
    }
}
