//! Generated code needs nothing from the user's scope: every derive option
//! compiles in a module without the prelude and without imports, beside
//! items that shadow the names generated code could have used. Derived code
//! reaches this crate only through `dynamodb_mapper::__private` (the derive
//! crate's unit tests check its output for that).

#![no_implicit_prelude]

/// Names a derive could collide with, had it used them unqualified.
#[allow(dead_code)]
mod shadows {
    pub struct Option;
    pub struct Result;
    pub struct Some;
    pub struct Ok;
    pub struct Item;
    pub struct Attribute;
    pub struct AttributeValue;
    pub struct String;
    pub mod attribute {}
    pub mod model {}
    pub mod core {}
}

#[allow(unused_imports)]
use self::shadows::*;

/// A conversion module for `with`: the count stored as text.
mod as_text {
    pub fn to_attribute(
        value: &u32,
    ) -> ::core::result::Result<
        ::dynamodb_mapper::AttributeValue,
        ::dynamodb_mapper::attribute::ValueError,
    > {
        ::core::result::Result::Ok(::dynamodb_mapper::AttributeValue::S(
            ::std::string::ToString::to_string(value),
        ))
    }

    pub fn from_attribute(
        value: ::dynamodb_mapper::AttributeValue,
    ) -> ::core::result::Result<u32, ::dynamodb_mapper::attribute::ValueError> {
        match value {
            ::dynamodb_mapper::AttributeValue::S(text) => {
                ::core::result::Result::Ok(::core::str::FromStr::from_str(&text).unwrap_or(0))
            }
            _ => ::core::result::Result::Ok(0),
        }
    }

    pub fn from_missing() -> ::core::result::Result<u32, ::dynamodb_mapper::attribute::ValueError> {
        ::core::result::Result::Ok(0)
    }

    pub fn to_json(
        value: &u32,
    ) -> ::core::result::Result<::serde_json::Value, ::dynamodb_mapper::attribute::ValueError> {
        ::core::result::Result::Ok(::core::convert::From::from(*value))
    }
}

struct NoMigrations;

impl ::dynamodb_mapper::model::Migrator for NoMigrations {
    const VERSIONS: &'static [::dynamodb_mapper::model::SchemaVersion] =
        &[::dynamodb_mapper::model::SchemaVersion::new(1)];
}

fn s(text: &str) -> ::std::string::String {
    ::std::borrow::ToOwned::to_owned(text)
}

fn starting_level() -> u32 {
    1
}

#[derive(
    ::dynamodb_mapper::Attribute, ::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq,
)]
struct Address {
    #[dynamodb(rename = "town")]
    city: ::std::string::String,
    #[dynamodb(json)]
    lines: ::std::vec::Vec<::std::string::String>,
    #[dynamodb(bool_as_number)]
    verified: bool,
    #[dynamodb(skip, default = 7u8)]
    cached: u8,
}

/// Every model option except `range_key` and `local_index` (below).
#[derive(
    ::dynamodb_mapper::Model, ::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq,
)]
#[dynamodb(table = "players", hash_key = "id", migrator = NoMigrations, ttl = "expires")]
#[dynamodb(
    stream = "new_and_old_images",
    global_index(name = "by-name", hash_key = "name", projection = "keys_only")
)]
#[dynamodb(global_index(name = "by_level", hash_key = "level", include = ["address"]))]
struct Player {
    #[dynamodb(auto_increment)]
    id: i64,
    name: ::std::string::String,
    #[dynamodb(default_with = starting_level)]
    level: u32,
    #[dynamodb(with = as_text, default = 3u32)]
    lives: u32,
    #[dynamodb(version)]
    version: u64,
    #[dynamodb(sensitive)]
    password: ::dynamodb_mapper::attribute::Secret<::std::string::String>,
    #[dynamodb(epoch_seconds)]
    expires: ::chrono::DateTime<::chrono::Utc>,
    address: Address,
    #[dynamodb(skip)]
    session: ::core::option::Option<u64>,
}

/// `range_key` and `local_index`.
#[derive(
    ::dynamodb_mapper::Model, ::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq,
)]
#[dynamodb(table = "scores", hash_key = "player", range_key = "game")]
#[dynamodb(local_index(name = "by_score", range_key = "score"))]
struct Score {
    player: ::std::string::String,
    game: ::std::string::String,
    score: i64,
}

#[test]
fn derived_code_needs_no_imports() {
    let player = Player {
        name: s("ann"),
        password: ::dynamodb_mapper::attribute::Secret::new(s("pw")),
        expires: ::chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("a time"),
        address: Address {
            city: s("Oslo"),
            ..::core::default::Default::default()
        },
        ..::core::default::Default::default()
    };
    ::std::assert_eq!((player.level, player.lives), (1, 3));
    let item = <Player as ::dynamodb_mapper::Model>::to_item(&player).expect("encodes");
    ::std::assert_eq!(
        item.get("lives"),
        ::core::option::Option::Some(&::dynamodb_mapper::AttributeValue::S(s("3")))
    );
    let loaded = <Player as ::dynamodb_mapper::Model>::from_item_ref(&item).expect("decodes");
    ::std::assert_eq!(loaded.address.city, "Oslo");
    ::std::assert_eq!(
        loaded.address.cached,
        0,
        "skipped fields load as Default::default()"
    );
    ::std::assert_eq!(loaded.session, ::core::option::Option::None);

    let schema = <Player as ::dynamodb_mapper::Model>::SCHEMA;
    ::std::assert_eq!(schema.sensitive, &["password"]);
    ::std::assert_eq!(schema.ttl, ::core::option::Option::Some("expires"));
    let policies = <Player as ::dynamodb_mapper::Model>::POLICIES;
    ::std::assert!(policies.auto_increment.is_some() && policies.migrator.is_some());
    let (version, counter) = (
        policies.version.expect("a version field"),
        policies.auto_increment.expect("an auto-increment key"),
    );
    ::std::assert_eq!(version.attribute, "version");
    let mut player = player;
    ::std::assert!((counter.is_unset)(&player));
    (counter.assign)(&mut player, 7).expect("fits");
    (version.set)(&mut player, 3).expect("fits");
    ::std::assert_eq!((player.id, player.version), (7, 3));
    ::std::assert_eq!((version.get)(&player), 3);
    ::std::assert!(<Score as ::dynamodb_mapper::Model>::POLICIES
        .version
        .is_none());
    ::std::assert_eq!(schema.indexes.len(), 2);
    let _ = Player::indexes().by_name;
    let _ = Player::fields().address;
    ::std::assert_eq!(
        <Score as ::dynamodb_mapper::Model>::SCHEMA.indexes[0].name,
        "by_score"
    );
    let key = <Score as ::dynamodb_mapper::Model>::key_item(&(s("ann"), s("doom"))).expect("a key");
    ::std::assert_eq!(key.len(), 2);
}

/// An entity whose template fields have the names generated code could use
/// for its own locals, in a module without the prelude; with a unique field,
/// a sparse index and a collection of it.
#[derive(
    ::dynamodb_mapper::Model, ::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq,
)]
#[dynamodb(
    table = "hygienic",
    pk = "E#{out}#{item}",
    sk = "S#{stored}#{value}#{key}#{error}#{text}",
    global_index(name = "by-self", pk = "X#{maybe}#{type}", sk = "{out}")
)]
pub(crate) struct Entity {
    out: u32,
    item: ::std::string::String,
    stored: u64,
    value: i8,
    key: i32,
    error: u16,
    text: ::std::string::String,
    maybe: ::core::option::Option<::std::string::String>,
    r#type: ::std::string::String,
    #[dynamodb(unique)]
    email: ::std::string::String,
}

#[derive(::dynamodb_mapper::Collection, ::core::fmt::Debug)]
#[allow(dead_code)]
pub(crate) enum Entities {
    Entity(Entity),
}

#[test]
fn entities_need_no_imports_and_take_any_field_name() {
    use ::dynamodb_mapper::Model as _;
    let entity = Entity {
        out: 1,
        item: s("i#t"),
        stored: 2,
        value: -3,
        key: 4,
        error: 5,
        text: s("t"),
        maybe: ::core::option::Option::Some(s("m")),
        r#type: s("ty"),
        email: s("e"),
    };
    let item = entity.to_item().expect("encodes");
    ::std::assert_eq!(
        Entity::from_item(::core::clone::Clone::clone(&item)).expect("decodes"),
        entity
    );
    let sk = <EntitySk as ::dynamodb_mapper::Attribute>::from_attribute_ref(&item["sk"])
        .expect("parses");
    ::std::assert_eq!((sk.stored, sk.value, sk.text), (2, -3, s("t")));
    ::std::assert!(item.contains_key("by-self_pk"));
    let _ = Entity::key(1, s("i#t"), 2, -3, 4, 5, s("t"));
    let _ = EntityBySelfPk {
        maybe: s("m"),
        r#type: s("ty"),
    };
    ::std::assert_eq!(
        <Entity as ::dynamodb_mapper::Model>::SCHEMA.unique,
        ["email"]
    );
}
