//! Keeps item data out of logs: the AWS SDK writes whole request and response
//! bodies, items included, in its TRACE events. Those events are dropped for
//! the SDK calls of this engine; everything else reaches the subscriber.

use std::future::Future;

use futures::future::Either;

use tracing::instrument::WithSubscriber;
use tracing::subscriber::Interest;
use tracing::{Dispatch, Event, Level, Metadata, Subscriber};

/// The current subscriber, minus the SDK's TRACE events.
struct WithoutSdkBodies(Dispatch);

fn carries_bodies(metadata: &Metadata<'_>) -> bool {
    *metadata.level() == Level::TRACE && metadata.target().starts_with("aws_")
}

impl Subscriber for WithoutSdkBodies {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        // Interest is cached for every subscriber of the process: never say
        // "never", let `enabled` decide each time.
        let _ = self.0.register_callsite(metadata);
        Interest::sometimes()
    }
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        !carries_bodies(metadata) && self.0.enabled(metadata)
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        self.0.new_span(span)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        self.0.record(span, values)
    }
    fn record_follows_from(&self, span: &tracing::span::Id, follows: &tracing::span::Id) {
        self.0.record_follows_from(span, follows)
    }
    fn event(&self, event: &Event<'_>) {
        if !carries_bodies(event.metadata()) {
            self.0.event(event)
        }
    }
    fn enter(&self, span: &tracing::span::Id) {
        self.0.enter(span)
    }
    fn exit(&self, span: &tracing::span::Id) {
        self.0.exit(span)
    }
    fn clone_span(&self, id: &tracing::span::Id) -> tracing::span::Id {
        self.0.clone_span(id)
    }
    fn try_close(&self, id: tracing::span::Id) -> bool {
        self.0.try_close(id)
    }
}

/// Runs an SDK call without the SDK's TRACE events (which hold item data).
/// When nobody listens at TRACE there is nothing to drop, and no cost.
pub(super) fn quiet<F: Future>(future: F) -> impl Future<Output = F::Output> {
    if !tracing::enabled!(target: "aws_smithy_runtime", Level::TRACE) {
        return Either::Left(future);
    }
    let current = tracing::dispatcher::get_default(Dispatch::clone);
    Either::Right(future.with_subscriber(WithoutSdkBodies(current)))
}
