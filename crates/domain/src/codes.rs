//! `code_enum!`: a closed list of values stored as stable codes ("approved") and
//! shown with Vietnamese and English labels.

/// Declare an enum whose variants each have a stored code and a bilingual label;
/// gives `ALL`, `as_str`, `parse` (trimmed, exact) and `label`.
#[macro_export]
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($v:ident = $code:literal, $vi:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($v),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $code),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s.trim())
            }
            pub fn label(self) -> $crate::Msg {
                match self { $($name::$v => $crate::Msg::new($vi, $en)),+ }
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Self::parse(&s).ok_or_else(|| {
                    <D::Error as ::serde::de::Error>::custom(format!("unknown code {s:?}"))
                })
            }
        }
    };
}
