//! The phases on sample inputs: what generated code names, and how many
//! errors a struct with several mistakes gets.

use syn::{parse_quote, DeriveInput};

use crate::{expand_attribute, expand_model};

/// Every path into the main crate goes through `::dynamodb_mapper::__private`.
fn only_private_paths(code: &proc_macro2::TokenStream) {
    let text = code.to_string();
    let uses = text.matches("dynamodb_mapper").count();
    let private = text.matches(":: dynamodb_mapper :: __private ::").count();
    assert!(uses > 0, "{text}");
    assert_eq!(uses, private, "a path outside __private in:\n{text}");
}

#[test]
fn generated_models_reach_the_crate_only_through_private() {
    let inputs: [DeriveInput; 2] = [
        parse_quote! {
            #[dynamodb(table = "players", hash_key = "id", migrator = Steps, ttl = "expires")]
            #[dynamodb(stream = "keys_only", global_index(name = "by_name", hash_key = "name", include = ["level"]))]
            pub struct Player {
                #[dynamodb(auto_increment)]
                id: i64,
                #[dynamodb(rename = "n")]
                name: String,
                #[dynamodb(default = 1u32)]
                level: u32,
                #[dynamodb(version)]
                version: u64,
                #[dynamodb(sensitive, json)]
                secret: Vec<String>,
                #[dynamodb(epoch_seconds)]
                expires: DateTime<Utc>,
                #[dynamodb(bool_as_number)]
                active: bool,
                #[dynamodb(with = my::codec, default_with = my::start)]
                custom: Custom,
                #[dynamodb(skip)]
                cache: u8,
            }
        },
        parse_quote! {
            #[dynamodb(table = "scores", hash_key = "player", range_key = "game")]
            #[dynamodb(local_index(name = "by-score", range_key = "score", projection = "keys_only"))]
            struct Score { player: String, game: String, score: i64 }
        },
    ];
    for input in &inputs {
        only_private_paths(&expand_model(input).expect("a valid model"));
    }
}

#[test]
fn generated_nested_structs_reach_the_crate_only_through_private() {
    let input: DeriveInput = parse_quote! {
        struct Address {
            #[dynamodb(rename = "town", default = "Oslo")]
            city: String,
            #[dynamodb(json)]
            lines: Vec<String>,
            #[dynamodb(skip)]
            cache: u8,
        }
    };
    only_private_paths(&expand_attribute(&input).expect("a valid struct"));
}

#[test]
fn every_mistake_is_reported() {
    let input: DeriveInput = parse_quote! {
        #[dynamodb(table = "t", hash_key = "id", table = "again")]
        struct Broken {
            #[dynamodb(rename = "a", rename = "b")]
            id: String,
            #[dynamodb(skip, rename = "x")]
            cache: u8,
            #[dynamodb(json, with = codec)]
            tags: Vec<String>,
        }
    };
    let errors: Vec<String> = expand_model(&input)
        .expect_err("mistakes")
        .into_iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(
        errors,
        [
            "duplicate option `table`: give it once",
            "duplicate option `rename`: give it once",
            "`skip` leaves this field unstored, so `rename` would have no effect",
            "only one of `json`, `serde`, `epoch_seconds`, `bool_as_number`, `with` and `native` may be given",
            "DynamoDB table names have at least 3 characters",
        ]
    );
}

/// The reference docs (on the main crate's re-exports) name every option
/// the parser accepts, each in a table row of its own.
#[test]
fn the_reference_docs_list_every_option() {
    use crate::parse::{FIELD_OPTIONS, INDEX_OPTIONS, STRUCT_OPTIONS, VECTOR_INDEX_OPTIONS};
    let model = include_str!("../../src/model/derive_model.md");
    let nested = include_str!("../../src/model/derive_attribute.md");
    // A row starts with "| `name`", "| `name = .." or "| `name(..".
    let rows = |doc: &str, name: &str| {
        doc.lines()
            .filter_map(|line| line.strip_prefix(&format!("| `{name}")))
            .filter(|rest| rest.starts_with(['`', ' ', '(']))
            .count()
    };
    for name in STRUCT_OPTIONS.iter().chain(&FIELD_OPTIONS) {
        assert!(rows(model, name) >= 1, "derive(Model) docs miss `{name}`");
    }
    // `hash_key` and `range_key` have a row as struct and as index options.
    for name in INDEX_OPTIONS {
        let wanted = if STRUCT_OPTIONS.contains(&name) { 2 } else { 1 };
        assert!(
            rows(model, name) >= wanted,
            "derive(Model) docs miss index option `{name}`"
        );
    }
    for name in VECTOR_INDEX_OPTIONS {
        assert!(
            rows(model, name) >= 1,
            "derive(Model) docs miss vector index option `{name}`"
        );
    }
    for name in FIELD_OPTIONS {
        let refused =
            ["auto_increment", "version", "sensitive", "native", "unique"].contains(&name);
        if refused {
            assert!(
                nested.contains(&format!("`{name}`")),
                "derive(Attribute) docs miss `{name}`"
            );
        } else {
            assert_eq!(
                rows(nested, name),
                1,
                "derive(Attribute) docs miss `{name}`"
            );
        }
    }
}
