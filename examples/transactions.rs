//! Application-level transactions: `cargo run --example transactions`.

use dynamodb_mapper::transactions::{Transaction, TransactionLog};
use dynamodb_mapper::{Connection, Document, Model};

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "accounts", hash_key = "id")]
struct Account {
    id: String,
    balance: i64,
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    conn.create_table::<Account>().await?;
    conn.create_table::<TransactionLog>().await?;
    for id in ["ann", "bob"] {
        conn.save(Document::new(Account {
            id: id.into(),
            balance: 100,
        }))
        .await?;
    }

    let mut transfer = Transaction::new(TransactionLog::new(1));
    transfer
        .step(
            |c| c.get::<Account>("ann".into()),
            |a| {
                if a.balance < 30 {
                    return Err("insufficient funds".into());
                }
                a.balance -= 30;
                Ok(())
            },
        )
        .step(
            |c| c.get::<Account>("bob".into()),
            |b| {
                b.balance += 30;
                Ok(())
            },
        );
    transfer.commit(&conn).await?;
    println!("transfer {:?}", transfer.status());

    for id in ["ann", "bob"] {
        let account = conn.get::<Account>(id.to_string()).await?.expect("saved");
        println!("{id}: {}", account.balance);
    }
    Ok(())
}
