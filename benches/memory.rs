//! Memory stays flat on big reads: the peak heap growth while a scan streams
//! 10,000 and then 100,000 items, on the embedded engine. Prints one line per
//! size; run with `cargo bench --bench memory`.

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use dynamodb_mapper::{Connection, Model};
use futures::TryStreamExt;

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "events", hash_key = "id")]
struct Event {
    id: u64,
    kind: String,
    payload: String,
}

/// Peak heap growth, in bytes, while scanning `items` items one by one.
async fn scan_peak(conn: &Connection, items: u64) -> usize {
    let events: Vec<Event> = (0..items)
        .map(|id| Event {
            id,
            kind: "click".into(),
            payload: "x".repeat(200),
        })
        .collect();
    conn.save_batch(&events).await.expect("saved");
    drop(events);
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut seen = 0u64;
    let mut scan = conn.scan::<Event>();
    while let Some(event) = scan.try_next().await.expect("scan") {
        seen += u64::from(event.id < items);
    }
    assert_eq!(seen, items);
    PEAK.load(Ordering::Relaxed) - before
}

fn main() {
    let runtime = support::runtime();
    runtime.block_on(async {
        let mut peaks = Vec::new();
        for items in [10_000u64, 100_000] {
            let conn = Connection::embedded().expect("an in-memory database");
            conn.create_table::<Event>().await.expect("table");
            let peak = scan_peak(&conn, items).await;
            println!("memory/scan_{items}: peak heap growth {peak} bytes");
            peaks.push(peak);
        }
        println!(
            "memory/scan ratio 100000/10000: {:.2}",
            peaks[1] as f64 / peaks[0] as f64
        );
    });
}
