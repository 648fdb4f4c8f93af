/** The outbox pattern across subgraphs: the `GET /events` feed, its consumer, and exactly-once reactions. */
export { consumeOutbox, type OutboxConsumer, type OutboxConsumerOptions } from './consumer.js';
export { createOutboxFeed, openOutboxFeeds, type OutboxFeed } from './feed.js';
export { onceOnly } from './once.js';
export { feedUrl, type FeedLine, type OutboxEvent } from './types.js';
