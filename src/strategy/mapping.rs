//! Cloud cost mapping rules: which department, system and investment category a line of a
//! cost export belongs to, from its tags, account, service or provider. Rules are tried in
//! order of priority and the first that matches decides, so a specific rule ("tag team =
//! payments") placed before a broad one ("provider = AWS") wins.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MatchOn {
    Tag,
    Account,
    Service,
    Provider,
}

impl MatchOn {
    pub const ALL: [MatchOn; 4] = [MatchOn::Tag, MatchOn::Account, MatchOn::Service, MatchOn::Provider];

    pub fn code(self) -> &'static str {
        match self {
            MatchOn::Tag => "tag",
            MatchOn::Account => "account",
            MatchOn::Service => "service",
            MatchOn::Provider => "provider",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MatchOn::Tag => "Tag",
            MatchOn::Account => "Account",
            MatchOn::Service => "Service",
            MatchOn::Provider => "Provider",
        }
    }

    pub fn parse(code: &str) -> Option<MatchOn> {
        MatchOn::ALL.into_iter().find(|m| m.code() == code.trim())
    }
}

/// What a rule looks for: `value` compared without regard to case, a trailing `*` matching
/// any ending; `key` is the tag's name for a tag rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matcher {
    pub on: MatchOn,
    pub key: String,
    pub value: String,
}

/// The attributes of a line of cost that rules look at.
#[derive(Clone, Copy, Debug)]
pub struct Attrs<'a> {
    pub provider: &'a str,
    pub account_id: &'a str,
    pub account_name: &'a str,
    pub service: &'a str,
    pub tags: &'a [(String, String)],
}

fn like(pattern: &str, text: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => text.len() >= prefix.len() && text.is_char_boundary(prefix.len()) && text[..prefix.len()].eq_ignore_ascii_case(prefix),
        None => pattern.eq_ignore_ascii_case(text),
    }
}

impl Matcher {
    pub fn matches(&self, a: &Attrs) -> bool {
        match self.on {
            MatchOn::Tag => a.tags.iter().any(|(k, v)| k.eq_ignore_ascii_case(&self.key) && like(&self.value, v)),
            // An account is known by its id in one export and its name in another.
            MatchOn::Account => like(&self.value, a.account_id) || (!a.account_name.is_empty() && like(&self.value, a.account_name)),
            MatchOn::Service => like(&self.value, a.service),
            MatchOn::Provider => like(&self.value, a.provider),
        }
    }

    /// "tag team = payments", "service = Amazon EC2".
    pub fn describe(&self) -> String {
        match self.on {
            MatchOn::Tag => format!("tag {} = {}", self.key, self.value),
            on => format!("{} = {}", on.code(), self.value),
        }
    }
}

/// The first of `rules` (in priority order) whose matcher matches, by index.
pub fn first_match<'r, T>(rules: &'r [(Matcher, T)], a: &Attrs) -> Option<&'r T> {
    rules.iter().find(|(m, _)| m.matches(a)).map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(on: MatchOn, key: &str, value: &str) -> Matcher {
        Matcher { on, key: key.into(), value: value.into() }
    }

    #[test]
    fn each_kind_of_rule_matches_its_attribute_without_regard_to_case() {
        let tags = vec![("team".to_string(), "Payments".to_string()), ("env".to_string(), "prod".to_string())];
        let a = Attrs { provider: "AWS", account_id: "123456789012", account_name: "payments-prod", service: "Amazon EC2", tags: &tags };
        assert!(m(MatchOn::Tag, "Team", "payments").matches(&a));
        assert!(!m(MatchOn::Tag, "team", "search").matches(&a));
        assert!(!m(MatchOn::Tag, "owner", "payments").matches(&a), "the value under another key does not count");
        assert!(m(MatchOn::Account, "", "123456789012").matches(&a));
        assert!(m(MatchOn::Account, "", "PAYMENTS-*").matches(&a), "by name, with a prefix");
        assert!(m(MatchOn::Service, "", "amazon ec2").matches(&a));
        assert!(!m(MatchOn::Service, "", "Amazon").matches(&a), "without * the whole name must match");
        assert!(m(MatchOn::Service, "", "Amazon*").matches(&a));
        assert!(m(MatchOn::Provider, "", "aws").matches(&a));
        assert!(m(MatchOn::Provider, "", "*").matches(&a), "a lone * matches everything");
    }

    #[test]
    fn the_first_rule_in_priority_order_decides() {
        let tags = vec![("team".to_string(), "payments".to_string())];
        let a = Attrs { provider: "AWS", account_id: "1", account_name: "", service: "Amazon S3", tags: &tags };
        let rules = vec![(m(MatchOn::Tag, "team", "payments"), "Engineering"), (m(MatchOn::Provider, "", "AWS"), "Operations")];
        assert_eq!(first_match(&rules, &a), Some(&"Engineering"));
        let untagged = Attrs { tags: &[], ..a };
        assert_eq!(first_match(&rules, &untagged), Some(&"Operations"));
        let azure = Attrs { provider: "Microsoft", ..untagged };
        assert_eq!(first_match(&rules, &azure), None);
        assert!(!m(MatchOn::Account, "", "x").matches(&Attrs { account_name: "", ..azure }), "an empty name matches no rule");
    }

    #[test]
    fn a_prefix_never_splits_a_character() {
        let a = Attrs { provider: "Ünicode", account_id: "", account_name: "", service: "", tags: &[] };
        assert!(!m(MatchOn::Provider, "", "Ü*").matches(&Attrs { provider: "x", ..a }));
        assert!(m(MatchOn::Provider, "", "Ü*").matches(&a));
        assert!(!m(MatchOn::Provider, "", "U*").matches(&a));
        assert_eq!(m(MatchOn::Tag, "team", "core").describe(), "tag team = core");
        assert_eq!(m(MatchOn::Service, "", "Amazon EC2").describe(), "service = Amazon EC2");
    }
}
