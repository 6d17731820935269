//! Entities sharing a table: keys composed from fields, the stored entity
//! name checked on every read, queries and scans that keep to one entity,
//! index keys kept in step with their fields by every write.

use chrono::{DateTime, Utc};
use dynamodb_mapper::attribute::ValueErrorKind;
use dynamodb_mapper::{
    Attribute, AttributeValue, Collection, Connection, Document, Error, KeyCondition, Model,
};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "PROFILE")]
struct Customer {
    customer_id: u64,
    name: String,
}

/// Another entity under the same keys as `Customer`: reading one as the
/// other must fail, not make up a struct.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "PROFILE")]
struct Impostor {
    customer_id: u64,
    name: String,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "shop",
    entity = "Order",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{placed_at}#{order_id}",
    global_index(name = "gsi1", pk = "STATUS#{status}", sk = "{total}#{order_id}"),
    global_index(
        name = "gsi2",
        pk = "COUPON#{coupon}",
        sk = "{order_id}",
        pk_attribute = "gsi2pk",
        sk_attribute = "gsi2sk"
    )
)]
struct Order {
    customer_id: u64,
    placed_at: DateTime<Utc>,
    order_id: u32,
    status: String,
    coupon: Option<String>,
    total: i64,
    #[dynamodb(version)]
    version: u64,
}

/// One line of an order, in the customer's partition and in the
/// overloaded `gsi1` (the same attributes as `Order`'s, another template).
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#LINE#{order_id}#{line}",
    global_index(name = "gsi1", pk = "STATUS#{status}", sk = "LINE#{line}")
)]
struct OrderLine {
    customer_id: u64,
    order_id: u32,
    line: u16,
    status: String,
}

#[derive(Collection, Debug, PartialEq)]
enum CustomerData {
    Customer(Customer),
    Order(Order),
    OrderLine(OrderLine),
}

/// Knows no order lines.
#[derive(Collection, Debug, PartialEq)]
enum CustomerOrders {
    Customer(Customer),
    Order(Order),
}

/// Two entities under one key schema, read back as one polymorphic model.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "PAYMENT#{payment_id}"
)]
struct CardPayment {
    customer_id: u64,
    payment_id: u32,
    last4: String,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "PAYMENT#{payment_id}"
)]
struct TransferPayment {
    customer_id: u64,
    payment_id: u32,
    #[dynamodb(sensitive)]
    iban: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
enum Payment {
    Card(CardPayment),
    Transfer(TransferPayment),
}

fn at(day: u32) -> DateTime<Utc> {
    format!("2026-11-{day:02}T10:00:00Z")
        .parse()
        .expect("a datetime")
}

fn order(customer_id: u64, day: u32, order_id: u32, status: &str) -> Order {
    Order {
        customer_id,
        placed_at: at(day),
        order_id,
        status: status.into(),
        coupon: None,
        total: 100 + i64::from(order_id),
        version: 0,
    }
}

async fn shop(conn: &Connection) -> dynamodb_mapper::Result<()> {
    // One table: the model declaring every index creates it.
    conn.create_table::<Order>()
        .provisioned(5, 5)
        .await
        .map(drop)
}

fn text<'i>(item: &'i dynamodb_mapper::Item, name: &str) -> Option<&'i str> {
    match item.get(name) {
        Some(AttributeValue::S(s)) => Some(s),
        _ => None,
    }
}

/// A customer with orders on days 3, 1 and 2, and another customer's order.
async fn customers_with_orders(conn: &Connection) -> dynamodb_mapper::Result<()> {
    shop(conn).await?;
    conn.save(Document::new(Customer {
        customer_id: 42,
        name: "Ann".into(),
    }))
    .await?;
    conn.save(Document::new(Customer {
        customer_id: 43,
        name: "Bob".into(),
    }))
    .await?;
    let mut with_coupon = order(42, 2, 8, "shipped");
    with_coupon.coupon = Some("WINTER".into());
    conn.save_batch(&[
        order(42, 3, 7, "open"),
        with_coupon,
        order(43, 1, 1, "open"),
    ])
    .await?;
    conn.save(Document::new(order(42, 1, 9, "open"))).await?;
    Ok(())
}

fn is_wrong_entity(error: &Error) -> bool {
    matches!(error, Error::Attribute(e) if matches!(e.source.kind(), ValueErrorKind::WrongEntity { .. }))
}

engine_tests! {
    async fn composed_keys_are_stored_beside_their_fields(conn, engine) {
        shop(&conn).await?;
        let o = order(42, 3, 7, "open");
        conn.save(Document::new(o.clone())).await?;
        let loaded = conn.get::<Order>(Order::key(42, o.placed_at, 7)).await?.expect("saved");
        assert_eq!(Order { version: 1, ..o.clone() }, *loaded);
        let stored = loaded.stored_item().expect("loaded");
        assert_eq!(text(stored, "pk"), Some("CUSTOMER#00000000000000000042"));
        assert_eq!(text(stored, "sk"), Some("ORDER#2026-11-03T10:00:00.000000+00:00#0000000007"));
        assert_eq!(text(stored, "entity"), Some("Order"));
        assert_eq!(text(stored, "gsi1_pk"), Some("STATUS#open"));
        assert_eq!(text(stored, "gsi1_sk"), Some("00000000000000000107#0000000007"));
        assert!(stored.get("gsi2pk").is_none(), "no coupon: not in the sparse index");
        // The generated key types parse what they render.
        let sk = OrderSk::from_attribute_ref(&stored["sk"])?;
        assert_eq!(sk, OrderSk { placed_at: o.placed_at, order_id: 7 });
        assert_eq!(Order::key(42, o.placed_at, 7), (OrderPk { customer_id: 42 }, sk));
    }

    async fn queries_and_scans_keep_to_one_entity(conn, engine) {
        customers_with_orders(&conn).await?;
        let orders: Vec<u32> = conn.query::<Order>(OrderPk { customer_id: 42 }).map_ok(|o| o.order_id).try_collect().await?;
        assert_eq!(orders, [9, 8, 7], "by date, without the customer's profile");
        let latest: Vec<u32> = conn.query::<Order>(OrderPk { customer_id: 42 }).reverse().limit(2).map_ok(|o| o.order_id).try_collect().await?;
        assert_eq!(latest, [7, 8]);
        let since_2nd: Vec<u32> = conn
            .query::<Order>(OrderPk { customer_id: 42 })
            .range(KeyCondition::Ge(OrderSk { placed_at: at(2), order_id: 0 }))
            .map_ok(|o| o.order_id)
            .try_collect()
            .await?;
        assert_eq!(since_2nd, [8, 7]);
        let profile: Vec<String> = conn.query::<Customer>(CustomerPk { customer_id: 42 }).map_ok(|c| c.name.clone()).try_collect().await?;
        assert_eq!(profile, ["Ann"]);
        let mut all_orders: Vec<u32> = conn.scan::<Order>().map_ok(|o| o.order_id).try_collect().await?;
        all_orders.sort();
        assert_eq!(all_orders, [1, 7, 8, 9], "a scan keeps to the entity too");
        let customers = conn.scan::<Customer>().try_collect::<Vec<_>>().await?;
        assert_eq!(customers.len(), 2);
    }

    async fn index_templates_are_queried_and_sparse(conn, engine) {
        customers_with_orders(&conn).await?;
        let idx = Order::indexes();
        let open: Vec<u32> = conn
            .query_index(idx.gsi1, OrderGsi1Pk { status: "open".into() })
            .map_ok(|o| o.order_id)
            .try_collect()
            .await?;
        assert_eq!(open, [1, 7, 9], "by total, then order id");
        let coupons: Vec<u32> = conn
            .query_index(idx.gsi2, OrderGsi2Pk { coupon: "WINTER".into() })
            .map_ok(|o| o.order_id)
            .try_collect()
            .await?;
        assert_eq!(coupons, [8]);
        let in_gsi2 = conn.scan::<Order>().index(idx.gsi2).try_collect::<Vec<_>>().await?;
        assert_eq!(in_gsi2.len(), 1, "only orders with a coupon are in the sparse index");
    }

    async fn another_entity_under_the_same_key_is_a_typed_mismatch(conn, engine) {
        customers_with_orders(&conn).await?;
        let error = conn.get::<Impostor>(Impostor::key(42)).await.expect_err("a Customer is no Impostor");
        assert!(is_wrong_entity(&error), "{error}");
        let text = error.to_string();
        assert!(text.contains("Impostor") && text.contains("entity") && text.contains("Customer"), "{text}");
        let batch = conn.get_batch::<Impostor>([Impostor::key(43)]).try_collect::<Vec<_>>().await;
        assert!(batch.as_ref().is_err_and(is_wrong_entity), "{batch:?}");
        // Decoding any item checks it: one written without the entity name too.
        let mut foreign = Customer { customer_id: 1, name: "x".into() }.to_item()?;
        foreign.remove("entity");
        assert!(Document::<Customer>::from_stored(foreign).is_err_and(|e| is_wrong_entity(&e)));
    }

    async fn updates_keep_index_keys_in_step(conn, engine) {
        customers_with_orders(&conn).await?;
        let f = Order::fields();
        let key = Order::key(42, at(3), 7);
        // status alone makes gsi1_pk; total with the order id from the key makes gsi1_sk.
        let updated = conn.update::<Order>(key.clone()).set(f.status, "shipped").set(f.total, 5).return_new().await?;
        let stored = updated.stored_item().expect("returned");
        assert_eq!(text(stored, "gsi1_pk"), Some("STATUS#shipped"));
        assert_eq!(text(stored, "gsi1_sk"), Some("00000000000000000005#0000000007"));
        let shipped: Vec<u32> = conn.query_index(Order::indexes().gsi1, OrderGsi1Pk { status: "shipped".into() }).map_ok(|o| o.order_id).try_collect().await?;
        assert_eq!(shipped, [7, 8]);
        // An optional field in an index key: set puts the item in the index, remove takes it out.
        let added = conn.update::<Order>(key.clone()).set(f.coupon, Some("SPRING".to_string())).return_new().await?;
        assert_eq!(text(added.stored_item().expect("returned"), "gsi2pk"), Some("COUPON#SPRING"));
        let removed = conn.update::<Order>(key.clone()).remove(f.coupon).return_new().await?;
        assert!(removed.stored_item().expect("returned").get("gsi2pk").is_none());

        // Refused before anything is sent.
        for (update, says) in [
            (conn.update::<Order>(key.clone()).set(f.customer_id, 43u64), "primary key"),
            (conn.update::<Order>(key.clone()).action(dynamodb_mapper::expression::UpdateAction::Set(
                dynamodb_mapper::expression::Path::attribute("gsi1_pk"),
                dynamodb_mapper::expression::SetValue::Value(AttributeValue::S("STATUS#x".into())),
            )), "composed from fields"),
            (conn.update::<Order>(key.clone()).action(dynamodb_mapper::expression::UpdateAction::Remove(
                dynamodb_mapper::expression::Path::attribute("entity"),
            )), "entity name"),
            (conn.update::<Order>(key.clone()).add(f.total, 1i64), "stale"),
        ] {
            let error = update.await.expect_err(says);
            assert!(matches!(error, Error::InvalidRequest { .. }) && error.to_string().contains(says), "{error}");
        }
        let unchanged = conn.get::<Order>(key).await?.expect("kept");
        assert_eq!(unchanged.total, 5, "none of the refused updates applied");
    }

    async fn an_upsert_creates_an_item_of_the_entity_and_never_renames_another(conn, engine) {
        customers_with_orders(&conn).await?;
        let f = Customer::fields();
        conn.update::<Customer>(Customer::key(44)).set(f.name, "Cid").await?;
        let cid = conn.get::<Customer>(Customer::key(44)).await?.expect("created by the update");
        assert_eq!(cid.name, "Cid");
        let fi = Impostor::fields();
        let error = conn.update::<Impostor>(Impostor::key(42)).set(fi.name, "Eve").await.expect_err("a Customer's item");
        assert!(matches!(error, Error::Conflict(_)), "{error}");
        assert_eq!(conn.get::<Customer>(Customer::key(42)).await?.expect("kept").name, "Ann");
    }

    async fn conflicts_versions_transactions_and_deletes_work_on_entities(conn, engine) {
        customers_with_orders(&conn).await?;
        let key = Order::key(42, at(1), 9);
        let mut first = conn.get::<Order>(key.clone()).await?.expect("saved");
        let mut second = conn.get::<Order>(key.clone()).await?.expect("saved");
        first.status = "paid".into();
        conn.save(&mut first).await?;
        second.status = "cancelled".into();
        let error = conn.save(&mut second).await.expect_err("stale version");
        assert!(matches!(error, Error::Conflict(_)), "{error}");
        let paid: Vec<u32> = conn.query_index(Order::indexes().gsi1, OrderGsi1Pk { status: "paid".into() }).map_ok(|o| o.order_id).try_collect().await?;
        assert_eq!(paid, [9], "save rewrites the index key");
        let mut tx = conn.transact_write();
        tx = tx.save(conn.save(Document::new(order(42, 4, 10, "open"))))
            .update(conn.update::<Order>(key.clone()).set(Order::fields().status, "refunded"));
        tx.await?;
        assert_eq!(conn.get::<Order>(key.clone()).await?.expect("kept").status, "refunded");
        let refunded: Vec<u32> = conn.query_index(Order::indexes().gsi1, OrderGsi1Pk { status: "refunded".into() }).map_ok(|o| o.order_id).try_collect().await?;
        assert_eq!(refunded, [9], "a transaction's update rewrites the index key too");
        let opened: Vec<u32> = conn.query_index(Order::indexes().gsi1, OrderGsi1Pk { status: "open".into() }).map_ok(|o| o.order_id).try_collect().await?;
        assert_eq!(opened, [1, 7, 10], "and its put writes it");
        conn.delete_batch::<Order>([key.clone()]).await?;
        assert!(conn.get::<Order>(key).await?.is_none());
    }

    async fn a_collection_reads_a_partition_as_its_entities(conn, engine) {
        customers_with_orders(&conn).await?;
        conn.save_batch(&[
            OrderLine { customer_id: 42, order_id: 7, line: 1, status: "open".into() },
            OrderLine { customer_id: 42, order_id: 7, line: 2, status: "open".into() },
        ]).await?;
        let all: Vec<CustomerData> = conn.collection::<CustomerData>(CustomerPk { customer_id: 42 }).try_collect().await?;
        let kinds: Vec<&str> = all.iter().map(|d| match d {
            CustomerData::Customer(_) => "customer",
            CustomerData::Order(_) => "order",
            CustomerData::OrderLine(_) => "line",
        }).collect();
        assert_eq!(kinds, ["order", "order", "order", "line", "line", "customer"], "sort key order: ORDER#2026.. < ORDER#LINE.. < PROFILE");
        assert!(matches!(&all[5], CustomerData::Customer(c) if c.name == "Ann"));
        // Narrowed: one entity, or several (their sort keys' common prefix, and their names).
        let orders = conn.collection::<CustomerData>(CustomerPk { customer_id: 42 }).only::<Order>().try_collect::<Vec<_>>().await?;
        assert_eq!(orders.len(), 3);
        let lines_and_profile = conn.collection::<CustomerData>(CustomerPk { customer_id: 42 })
            .only::<OrderLine>().only::<Customer>().reverse().try_collect::<Vec<_>>().await?;
        assert!(matches!(&lines_and_profile[..], [CustomerData::Customer(_), CustomerData::OrderLine(b), CustomerData::OrderLine(a)] if a.line == 1 && b.line == 2));
        let paged = conn.collection::<CustomerData>(CustomerPk { customer_id: 42 }).page_size(1).limit(4).try_collect::<Vec<_>>().await?;
        assert_eq!(paged, all[..4]);
        // An entity the enum does not know: a typed error, or skipped.
        let error = conn.collection::<CustomerOrders>(CustomerPk { customer_id: 42 }).try_collect::<Vec<_>>().await.expect_err("order lines are unknown");
        assert!(is_wrong_entity(&error), "{error}");
        assert!(error.to_string().contains("OrderLine") && error.to_string().contains("Customer or Order"), "{error}");
        let known = conn.collection::<CustomerOrders>(CustomerPk { customer_id: 42 }).skip_unknown().try_collect::<Vec<_>>().await?;
        assert_eq!(known.len(), 4);
    }

    async fn a_collection_reads_an_overloaded_index(conn, engine) {
        customers_with_orders(&conn).await?;
        conn.save_batch(&[
            OrderLine { customer_id: 42, order_id: 7, line: 1, status: "open".into() },
            OrderLine { customer_id: 42, order_id: 7, line: 2, status: "shipped".into() },
        ]).await?;
        let open: Vec<CustomerData> = conn
            .collection_index::<CustomerData, _, _, _>(Order::indexes().gsi1, OrderGsi1Pk { status: "open".into() })
            .try_collect()
            .await?;
        let ids: Vec<String> = open.iter().map(|d| match d {
            CustomerData::Order(o) => format!("order {}", o.order_id),
            CustomerData::OrderLine(l) => format!("line {}", l.line),
            CustomerData::Customer(c) => format!("customer {}", c.customer_id),
        }).collect();
        assert_eq!(ids, ["order 1", "order 7", "order 9", "line 1"], "customers have no gsi1 keys: not in the index");
    }

    async fn a_polymorphic_model_reads_back_as_its_variants(conn, engine) {
        customers_with_orders(&conn).await?;
        let card = Payment::Card(CardPayment { customer_id: 42, payment_id: 1, last4: "4242".into() });
        let transfer = Payment::Transfer(TransferPayment { customer_id: 42, payment_id: 2, iban: "FR76".into() });
        conn.save(Document::new(card.clone())).await?;
        conn.save(Document::new(transfer.clone())).await?;
        assert_eq!(*conn.get::<Payment>(Payment::key_of(42, 1)).await?.expect("saved"), card);
        let all: Vec<Payment> = conn.query::<Payment>(CardPaymentPk { customer_id: 42 }).map_ok(Document::into_inner).try_collect().await?;
        assert_eq!(all, [card.clone(), transfer.clone()], "only payments: the orders and the profile share the partition");
        let mut scanned = conn.scan::<Payment>().try_collect::<Vec<_>>().await?;
        scanned.sort_by_key(|p| matches!(**p, Payment::Transfer(_)));
        assert_eq!(scanned.len(), 2);
        assert_eq!(Payment::SCHEMA.sensitive, ["iban"], "a variant's sensitive attribute stays out of errors");
        assert!(Payment::SCHEMA.declares("last4") && Payment::SCHEMA.declares("iban"));

        // A variant replaced by another: the first one's attributes go.
        let mut loaded = conn.get::<Payment>(Payment::key_of(42, 1)).await?.expect("saved");
        *loaded = Payment::Transfer(TransferPayment { customer_id: 42, payment_id: 1, iban: "DE89".into() });
        conn.save(&mut loaded).await?;
        let replaced = conn.get::<Payment>(Payment::key_of(42, 1)).await?.expect("saved");
        assert!(replaced.stored_item().expect("loaded").get("last4").is_none(), "{:?}", replaced.stored_item());
        assert!(matches!(&*replaced, Payment::Transfer(t) if t.iban == "DE89"));

        // Another entity under a payment's key shape is a typed mismatch.
        let error = conn.get::<Payment>((CardPaymentPk { customer_id: 42 }, CardPaymentSk { payment_id: 9 })).await;
        assert!(error.as_ref().is_ok_and(Option::is_none), "no item there: {error:?}");
        let mut customer = Customer { customer_id: 1, name: "x".into() }.to_item()?;
        customer.insert("sk".into(), AttributeValue::S("PAYMENT#0000000001".into()));
        let error = Document::<Payment>::from_stored(customer).expect_err("a customer is no payment");
        assert!(is_wrong_entity(&error) && error.to_string().contains("CardPayment or TransferPayment"), "{error}");
        // An update applies only to an item of one of the variants.
        let created = conn.update::<Payment>(Payment::key_of(42, 3))
            .action(dynamodb_mapper::expression::UpdateAction::Set(
                dynamodb_mapper::expression::Path::attribute("last4"),
                dynamodb_mapper::expression::SetValue::Value(AttributeValue::S("1111".into())),
            ))
            .await;
        assert!(matches!(created, Err(Error::Conflict(_))), "{created:?}");
    }

    async fn cursors_and_migrations_work_on_entities(conn, engine) {
        customers_with_orders(&conn).await?;
        // Pages of an entity's query, resumed by cursor (its text form too).
        let first: Vec<_> = conn.query::<Order>(OrderPk { customer_id: 42 }).page_size(1).limit(1).pages().try_collect().await?;
        let cursor = first.last().and_then(|p| p.cursor.clone()).expect("more to read");
        let cursor: dynamodb_mapper::operation::Cursor = cursor.to_string().parse()?;
        let rest: Vec<u32> = conn.query::<Order>(OrderPk { customer_id: 42 }).start_after(cursor).map_ok(|o| o.order_id).try_collect().await?;
        assert_eq!((first[0].items[0].order_id, rest), (9, vec![8, 7]));
        // An item stored before the model was an entity reads once migrated.
        let mut legacy = LegacyNote { customer_id: 42, note: "old".into() }.to_item()?;
        legacy.remove("entity");
        conn.engine().send(&dynamodb_mapper::engine::request::PutItemInput::new(conn.table_name("shop"), legacy)).await?;
        let note = conn.get::<LegacyNote>(LegacyNote::key(42)).await?.expect("stored");
        assert_eq!(note.note, "old");
        let mut note = note;
        conn.save(&mut note).await?;
        let stored = conn.get::<LegacyNote>(LegacyNote::key(42)).await?.expect("saved");
        assert_eq!(text(stored.stored_item().expect("loaded"), "entity"), Some("LegacyNote"), "saved with its name");
    }
}

/// An entity whose older items have no entity name: its migration adds it.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "NOTE", migrator = NoteVersions)]
struct LegacyNote {
    customer_id: u64,
    note: String,
}

struct NoteVersions;

impl dynamodb_mapper::model::Migrator for NoteVersions {
    const VERSIONS: &'static [dynamodb_mapper::model::SchemaVersion] = &[
        dynamodb_mapper::model::SchemaVersion::new(1).check(|raw| !raw.contains_key("entity")),
        dynamodb_mapper::model::SchemaVersion::new(2)
            .check(|raw| raw.contains_key("entity"))
            .migrate(|raw| {
                raw.insert("entity".into(), AttributeValue::S("LegacyNote".into()));
                Ok(())
            }),
    ];
}

impl Payment {
    fn key_of(customer_id: u64, payment_id: u32) -> <Payment as Model>::Key {
        CardPayment::key(customer_id, payment_id)
    }
}
