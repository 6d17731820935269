//! Native DynamoDB transactions: `cargo run --example native_transactions`.

use dynamodb_mapper::{Connection, Document, Error, Model};

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "wallets", hash_key = "owner")]
struct Wallet {
    owner: String,
    coins: i64,
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    conn.create_table::<Wallet>().await?;
    for owner in ["ann", "bob"] {
        conn.save(Document::new(Wallet {
            owner: owner.into(),
            coins: 100,
        }))
        .await?;
    }
    let w = Wallet::fields();
    let transfer = |amount: i64| {
        conn.transact_write()
            .update(
                conn.update::<Wallet>("ann".into())
                    .add(w.coins, -amount)
                    .condition(w.coins.ge(amount)),
            )
            .update(conn.update::<Wallet>("bob".into()).add(w.coins, amount))
            .token(format!("transfer-{amount}"))
    };
    transfer(30).await?;
    match transfer(500).await {
        Err(Error::TransactionCanceled { reasons, .. }) => {
            println!("refused: {} ({})", reasons[0].code, reasons[0].key)
        }
        other => println!("unexpected: {other:?}"),
    }
    let both = conn
        .transact_get()
        .get::<Wallet>("ann".into())
        .get::<Wallet>("bob".into())
        .await?;
    for i in 0..both.len() {
        let wallet = both.get::<Wallet>(i)?.expect("exists");
        println!("{}: {}", wallet.owner, wallet.coins);
    }
    Ok(())
}
