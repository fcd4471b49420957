use tokio::sync::broadcast;

use crate::dto::AppEvent;

/// Fan-out of [`AppEvent`]s to every connected UI. Slow receivers miss old events rather than
/// slowing the engine down.
#[derive(Debug, Clone)]
pub struct EventBus {
    tx: broadcast::Sender<AppEvent>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}

impl EventBus {
    /// A bus buffering up to 1024 events per receiver.
    pub fn new() -> Self {
        Self {
            tx: broadcast::channel(1024).0,
        }
    }

    /// Sends an event to every current subscriber (none is fine).
    pub fn publish(&self, event: AppEvent) {
        let _ = self.tx.send(event);
    }

    /// A new receiver of every event published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<AppEvent> {
        self.tx.subscribe()
    }
}
