// Entity options that cannot work: a version in an index key, the guard
// items' entity name, `unique` where no guard item can live.
use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "shop", pk = "C#{cid}", global_index(name = "byver", pk = "VER", sk = "{version}"))]
struct VersionInIndexKey {
    cid: u64,
    #[dynamodb(version)]
    version: u64,
}

#[derive(Model)]
#[dynamodb(table = "shop", entity = "UNIQUE", pk = "C#{cid}")]
struct GuardName {
    cid: u64,
}

#[derive(Model)]
#[dynamodb(table = "shop", hash_key = "id")]
struct NotAnEntity {
    id: String,
    #[dynamodb(unique)]
    email: String,
}

#[derive(Model)]
#[dynamodb(table = "shop", pk = "C#{cid}")]
struct UniqueKey {
    #[dynamodb(unique)]
    cid: u64,
    #[dynamodb(unique, json)]
    tags: Vec<String>,
}

fn main() {}
