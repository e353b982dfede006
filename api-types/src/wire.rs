//! Enums that travel as strings. Their strings are serde's (`rename_all`, `rename`): `as_str`
//! and `parse` ask serde for them, so no string is written twice and the URL, the database and
//! the JSON always agree.

use serde::de::value::{Error, StrDeserializer};
use serde::de::{DeserializeOwned, Error as _, IntoDeserializer};
use serde::ser::{Impossible, Serialize, Serializer};

/// Declares an enum of unit variants that travels as a string, with `ALL` (every variant, in
/// order), `as_str` and `parse`, all read from the serde attributes the enum carries.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident,)+
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every variant, in the order they are declared.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The variant's name on the wire.
            pub fn as_str(self) -> &'static str {
                $crate::wire::name_of(&self)
            }

            /// The variant with this name on the wire.
            pub fn parse(s: &str) -> Option<Self> {
                $crate::wire::parse(s)
            }
        }
    };
}
pub(crate) use wire_enum;

/// The name serde gives a unit variant.
pub(crate) fn name_of<T: Serialize>(variant: &T) -> &'static str {
    variant
        .serialize(VariantName)
        .expect("wire enums have unit variants only")
}

/// The unit variant serde reads from `s`.
pub(crate) fn parse<T: DeserializeOwned>(s: &str) -> Option<T> {
    let de: StrDeserializer<'_, Error> = s.into_deserializer();
    T::deserialize(de).ok()
}

/// A serializer that answers a unit variant's name and refuses everything else.
struct VariantName;

fn not_a_unit_variant() -> Error {
    Error::custom("not a unit variant")
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)+) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, Error> {
            Err(not_a_unit_variant())
        })+
    };
}

impl Serializer for VariantName {
    type Ok = &'static str;
    type Error = Error;
    type SerializeSeq = Impossible<&'static str, Error>;
    type SerializeTuple = Impossible<&'static str, Error>;
    type SerializeTupleStruct = Impossible<&'static str, Error>;
    type SerializeTupleVariant = Impossible<&'static str, Error>;
    type SerializeMap = Impossible<&'static str, Error>;
    type SerializeStruct = Impossible<&'static str, Error>;
    type SerializeStructVariant = Impossible<&'static str, Error>;

    fn serialize_unit_variant(
        self,
        _enum: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<&'static str, Error> {
        Ok(variant)
    }

    refuse! {
        serialize_bool(bool) -> &'static str;
        serialize_i8(i8) -> &'static str;
        serialize_i16(i16) -> &'static str;
        serialize_i32(i32) -> &'static str;
        serialize_i64(i64) -> &'static str;
        serialize_u8(u8) -> &'static str;
        serialize_u16(u16) -> &'static str;
        serialize_u32(u32) -> &'static str;
        serialize_u64(u64) -> &'static str;
        serialize_f32(f32) -> &'static str;
        serialize_f64(f64) -> &'static str;
        serialize_char(char) -> &'static str;
        serialize_str(&str) -> &'static str;
        serialize_bytes(&[u8]) -> &'static str;
        serialize_none() -> &'static str;
        serialize_unit() -> &'static str;
        serialize_unit_struct(&'static str) -> &'static str;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<&'static str, Error> {
        Err(not_a_unit_variant())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<&'static str, Error> {
        Err(not_a_unit_variant())
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<&'static str, Error> {
        Err(not_a_unit_variant())
    }
}
