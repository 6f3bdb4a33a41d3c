//! Enums that travel as text (in forms, files, JSON and the database): one declaration gives
//! each variant its text and its label, and the enum its list and its parser.

/// `named_enum!(Kind { Capex = "capex" / "CapEx", ... })` declares the enum with `ALL`,
/// `as_str`, `label` and `parse`. `parse` trims and ignores case, since people type these in
/// files as often as forms send them. Further derives go in attributes before the name.
macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                $(if s.eq_ignore_ascii_case($text) { return Some($name::$variant); })+
                None
            }
        }
    };
}

pub(crate) use named_enum;

#[cfg(test)]
mod tests {
    named_enum!(
        /// A test enum.
        #[derive(PartialOrd, Ord)]
        Shade {
            Light = "light" / "Light",
            Dark = "dark" / "Dark",
        }
    );

    #[test]
    fn text_label_list_and_parse_agree() {
        assert_eq!(Shade::ALL, &[Shade::Light, Shade::Dark]);
        for s in Shade::ALL {
            assert_eq!(Shade::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Shade::parse(" DARK "), Some(Shade::Dark));
        assert_eq!(Shade::parse("dim"), None);
        assert_eq!(Shade::Dark.label(), "Dark");
        assert!(Shade::Light < Shade::Dark);
        assert_eq!(serde_json::to_string(&Shade::Dark).unwrap(), "\"Dark\"");
    }
}
