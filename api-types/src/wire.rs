//! Enums that travel as strings. Each variant's string is written once, beside it
//! (`Variant = "string"`): serde's rename, `as_str` and `parse` are made from it, so the URL,
//! the database and the JSON always agree, and reading a name costs a `match`, not a serializer.

/// Declares an enum of unit variants that travels as a string, with `ALL` (every variant, in
/// order), `as_str` and `parse`. `pub enum Name else Fallback { … }` makes `parse` answer the
/// fallback for a string it does not know (as serde does for a variant marked `#[serde(other)]`).
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident $(else $fallback:ident)? {
            $($(#[$variant_meta:meta])* $variant:ident = $wire:literal,)+
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$variant_meta])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// Every variant, in the order they are declared.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The variant's name on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }

            /// The variant with this name on the wire.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($wire => Some(Self::$variant),)+
                    _ => [$(Self::$fallback)?].first().copied(),
                }
            }
        }
    };
}
pub(crate) use wire_enum;
