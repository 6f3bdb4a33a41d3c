//! How HTML forms arrive: a checkbox is sent as `name=on` when ticked and not at all when not.

use serde::{Deserialize, Deserializer};

/// A checkbox field: ticked when the form sent any value for it (`on`), or when JSON says
/// `true`. Use with `#[serde(default, deserialize_with = "checkbox")]`, so that an unticked box,
/// which the browser leaves out, reads as false.
pub fn checkbox<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Sent {
        Flag(bool),
        Text(String),
    }
    Ok(match Sent::deserialize(d)? {
        Sent::Flag(b) => b,
        Sent::Text(t) => !matches!(t.as_str(), "" | "false" | "off"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
    struct Form {
        name: String,
        #[serde(default, deserialize_with = "checkbox")]
        active: bool,
    }

    #[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
    struct Call {
        id: String,
        #[serde(flatten)]
        form: Form,
    }

    #[test]
    fn a_flattened_form_reads_as_the_browser_sends_it() {
        let ticked: Call = serde_qs::from_str("id=3&name=Jo&active=on").unwrap();
        assert_eq!(ticked, Call { id: "3".into(), form: Form { name: "Jo".into(), active: true } });
        let unticked: Call = serde_qs::from_str("id=3&name=Jo").unwrap();
        assert!(!unticked.form.active);
        // What the browser's server-function client sends is the same flat form.
        assert_eq!(serde_qs::to_string(&ticked).unwrap(), "id=3&name=Jo&active=true");
        let again: Call = serde_qs::from_str(&serde_qs::to_string(&ticked).unwrap()).unwrap();
        assert_eq!(again, ticked);
        // JSON (a page's own data, the editor's prefill) keeps plain booleans.
        let json: Form = serde_json::from_str(r#"{"name":"Jo","active":false}"#).unwrap();
        assert!(!json.active);
    }

    #[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
    struct WithList {
        name: String,
        #[serde(default)]
        items: Vec<String>,
    }

    #[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
    struct ListCall {
        #[serde(flatten)]
        form: WithList,
    }

    #[test]
    fn lists_survive_flattening() {
        let call: ListCall = serde_qs::from_str("name=a&items[0]=x&items[1]=y").unwrap();
        assert_eq!(call.form.items, ["x", "y"]);
        // Ticked boxes of a list arrive with gaps where boxes were left unticked.
        let sparse: ListCall = serde_qs::from_str("name=a&items[1]=y&items[3]=z").unwrap();
        assert_eq!(sparse.form.items, ["y", "z"]);
        let none: ListCall = serde_qs::from_str("name=a").unwrap();
        assert!(none.form.items.is_empty());
        let sent = serde_qs::to_string(&call).unwrap();
        assert_eq!(serde_qs::from_str::<ListCall>(&sent).unwrap(), call);
    }
}
