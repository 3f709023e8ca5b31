// Owns every default of @ocre-ts/core: the limits, the queue size, the match cache and the shared queue's ring read them from here and nowhere else.
/** The default size limits (an `OcreLimits`): topic 256, content type 128, payload 65536 (64 KiB) bytes, 64 subscriptions. */
export const defaultLimits = Object.freeze({
  maxTopicBytes: 256,
  maxContentTypeBytes: 128,
  maxPayloadBytes: 65536,
  maxSubscriptions: 64,
});

/** The Ocre runtime's message queue size, our default queue capacity. */
export const defaultQueueCapacity = 100;

/** Topics whose matches a `prefix` or `wildcard` topic index remembers, by default. */
export const defaultMatchCacheSize = 1024;

/** Default bytes of a shared queue's ring, framing included (1 MiB). */
export const defaultSharedQueueBytes = 1 << 20;
