//! Enums that travel as text (in forms, files, JSON and the database): one declaration gives
//! each variant its text and its label, and the enum its list, its parser and its SQL column
//! mapping, so a repo binds and reads the enum itself and no layer handles the bare text.

/// `named_enum!(Kind { Capex = "capex" / "CapEx", ... })` declares the enum with `ALL`,
/// `as_str`, `label` and `parse`. `parse` trims and ignores case, since people type these in
/// files as often as forms send them. Further derives go in attributes before the name.
macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal / $label:literal),+ $(,)? }) => {
        // The derive first, so attributes passed in may use serde's helpers.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        $(#[$m])*
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Every variant as `(text, label)`, the choices of a select field.
            pub fn choices() -> impl Iterator<Item = (String, String)> {
                $name::ALL.iter().map(|v| (v.as_str().to_string(), v.label().to_string()))
            }

            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                $(if s.eq_ignore_ascii_case($text) { return Some($name::$variant); })+
                None
            }
        }

        // Stored as its text. A value no variant claims is a decoding error, not a default:
        // a typo in the database should surface, not turn into another variant.
        #[cfg(feature = "ssr")]
        impl ::sqlx::Type<::sqlx::Sqlite> for $name {
            fn type_info() -> ::sqlx::sqlite::SqliteTypeInfo {
                <&str as ::sqlx::Type<::sqlx::Sqlite>>::type_info()
            }
            fn compatible(ty: &::sqlx::sqlite::SqliteTypeInfo) -> bool {
                <&str as ::sqlx::Type<::sqlx::Sqlite>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> ::sqlx::Encode<'q, ::sqlx::Sqlite> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <::sqlx::Sqlite as ::sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <&str as ::sqlx::Encode<'q, ::sqlx::Sqlite>>::encode(self.as_str(), buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> ::sqlx::Decode<'r, ::sqlx::Sqlite> for $name {
            fn decode(value: ::sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, ::sqlx::error::BoxDynError> {
                let text = <&str as ::sqlx::Decode<'r, ::sqlx::Sqlite>>::decode(value)?;
                $name::parse(text).ok_or_else(|| format!("{:?} is not a {}", text, stringify!($name)).into())
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
        assert_eq!(Shade::choices().collect::<Vec<_>>(), [("light".to_string(), "Light".to_string()), ("dark".to_string(), "Dark".to_string())]);
        assert!(Shade::Light < Shade::Dark);
        assert_eq!(serde_json::to_string(&Shade::Dark).unwrap(), "\"Dark\"");
    }

    #[cfg(feature = "ssr")]
    #[tokio::test]
    async fn stored_as_its_text_and_read_back() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        let (text, back): (String, Shade) = sqlx::query_as("SELECT ?1, ?1").bind(Shade::Dark).fetch_one(&pool).await.unwrap();
        assert_eq!((text.as_str(), back), ("dark", Shade::Dark));
        let read: Result<(Shade,), _> = sqlx::query_as("SELECT 'dim'").fetch_one(&pool).await;
        assert!(read.unwrap_err().to_string().contains("\"dim\" is not a Shade"));
    }
}
