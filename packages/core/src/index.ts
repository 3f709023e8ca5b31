// Owns the public surface of @ocre-ts/core: every export is named here, and each is documented in the package README.
export { OcreError, isOcreError } from './errors.ts';
export type { OcreErrorCode } from './errors.ts';
export { defaultLimits, defaultMatchCacheSize, defaultQueueCapacity } from './defaults.ts';
export { maxLimitValue, resolveLimits } from './limits.ts';
export type { OcreLimits } from './limits.ts';
export {
  draftFromBytes,
  draftFromJson,
  draftFromText,
  readBytes,
  readJson,
  readText,
} from './message.ts';
export type { OcreDraft, OcreMessage, TextDraftOptions } from './message.ts';
export { createMessageIdCounter, maxMessageId } from './message-id.ts';
export type { MessageIdCounter } from './message-id.ts';
export { maxQueueCapacity } from './ring-buffer.ts';
export { validatePublish, validateSubscribe, validateTopic } from './validation.ts';
export type { PayloadInput } from './validation.ts';
export { createOcreFacade } from './facade.ts';
export type {
  OcreFacade,
  OcreFacadeOptions,
  OcreMessagingPort,
  OcreResult,
  PublishOptions,
} from './facade.ts';
export {
  isTopicMatchingMode,
  topicMatches,
  topicMatchingModes,
  validatePattern,
  validatePublishTopic,
} from './topic-matching.ts';
export type { TopicMatchingMode } from './topic-matching.ts';
export { createTopicIndex } from './topic-index.ts';
export type { TopicIndex, TopicIndexOptions } from './topic-index.ts';
