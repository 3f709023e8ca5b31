// Owns the topic-matching rules of @ocre-ts/core: the three modes, pattern and publish-topic validation, and the naive reference matcher.
import { OcreError } from './errors.ts';

/**
 * How a subscription pattern is compared with a published topic; chosen once per system.
 *
 * - `exact` (default, the Ocre seed runtime): the pattern matches a topic iff the strings are equal.
 * - `prefix` (later Ocre releases): the pattern matches iff the topic starts with it. This is a
 *   plain string prefix, not segment-aware: `sensors/temp` matches `sensors/temperature`.
 * - `wildcard` (MQTT 3.1.1 style): topics split on `/`; `+` matches exactly one level (which may
 *   be empty), `#` matches all remaining levels including none (`a/#` matches `a` and `a/b/c`;
 *   `#` alone matches everything). Topics starting with `$` are not special here, unlike MQTT.
 *
 * In `exact` and `prefix` modes `+` and `#` are ordinary characters.
 */
export type TopicMatchingMode = 'exact' | 'prefix' | 'wildcard';

/** Every matching mode, `exact` (the default) first. */
export const topicMatchingModes: readonly TopicMatchingMode[] = Object.freeze([
  'exact',
  'prefix',
  'wildcard',
]);

/** True when `value` names a {@link TopicMatchingMode}. */
export function isTopicMatchingMode(value: unknown): value is TopicMatchingMode {
  return value === 'exact' || value === 'prefix' || value === 'wildcard';
}

/**
 * Checks a subscription pattern for `mode`; returns the error instead of throwing so hot paths
 * stay exception-free.
 *
 * @param mode - the system's matching mode
 * @param pattern - the pattern a container subscribes with
 * @returns `undefined` when valid; otherwise an `INVALID_TOPIC` error (empty or not a string) or
 *   an `INVALID_PATTERN` error (misplaced `+`/`#` in `wildcard` mode)
 * @example
 * validatePattern('wildcard', 'a+/b')?.code; // 'INVALID_PATTERN'
 */
export function validatePattern(mode: TopicMatchingMode, pattern: string): OcreError | undefined {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    return new OcreError(
      'INVALID_TOPIC',
      `Invalid ${mode} pattern ${describe(pattern)}: a subscription pattern must be a non-empty string, e.g. "sensors/temperature".`,
    );
  }
  if (mode !== 'wildcard' || !hasWildcardChar(pattern)) return undefined;
  const levels = pattern.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] ?? '';
    let problem: string | undefined;
    if (level.includes('#')) {
      if (level !== '#')
        problem = `"#" must fill a whole level, but level ${i + 1} is ${JSON.stringify(level)}`;
      else if (i !== levels.length - 1) problem = `"#" must be the last level`;
    } else if (level.includes('+') && level !== '+') {
      problem = `"+" must fill a whole level, but level ${i + 1} is ${JSON.stringify(level)}`;
    }
    if (problem !== undefined) {
      return new OcreError(
        'INVALID_PATTERN',
        `Invalid wildcard pattern ${JSON.stringify(pattern)}: ${problem}. A valid pattern would be ${JSON.stringify(repairPattern(levels))}.`,
      );
    }
  }
  return undefined;
}

/**
 * Checks a topic a container publishes to; returns the error instead of throwing.
 *
 * @param mode - the system's matching mode
 * @param topic - the concrete topic of a message
 * @returns `undefined` when valid; otherwise an `INVALID_TOPIC` error: the topic is empty or not
 *   a string, or (in `wildcard` mode only) it contains `+` or `#`
 */
export function validatePublishTopic(
  mode: TopicMatchingMode,
  topic: string,
): OcreError | undefined {
  if (typeof topic !== 'string' || topic.length === 0) {
    return new OcreError(
      'INVALID_TOPIC',
      `Invalid topic ${describe(topic)}: a message topic must be a non-empty string, e.g. "sensors/temperature".`,
    );
  }
  if (mode === 'wildcard' && hasWildcardChar(topic)) {
    return new OcreError(
      'INVALID_TOPIC',
      `Invalid topic ${JSON.stringify(topic)} for publishing in wildcard mode: "+" and "#" are reserved for subscription patterns. Publish to a concrete topic, e.g. "sensors/kitchen/temperature".`,
    );
  }
  return undefined;
}

/**
 * The naive reference matcher: does `pattern` match `topic` under `mode`? Both are assumed valid
 * (see {@link validatePattern} and {@link validatePublishTopic}). The topic index gives the same
 * answers without scanning every pattern; use this for one-off checks and tests.
 *
 * @param mode - the system's matching mode
 * @param pattern - a subscription pattern
 * @param topic - a published topic
 * @example
 * topicMatches('wildcard', 'a/#', 'a'); // true: `#` matches zero levels
 * topicMatches('prefix', 'sensors/temp', 'sensors/temperature'); // true: not segment-aware
 */
export function topicMatches(mode: TopicMatchingMode, pattern: string, topic: string): boolean {
  switch (mode) {
    case 'exact':
      return pattern === topic;
    case 'prefix':
      return topic.startsWith(pattern);
    case 'wildcard':
      return levelsMatch(pattern.split('/'), topic.split('/'));
  }
}

function levelsMatch(patternLevels: readonly string[], topicLevels: readonly string[]): boolean {
  for (let i = 0; i < patternLevels.length; i++) {
    const level = patternLevels[i];
    if (level === '#') return true;
    if (i >= topicLevels.length) return false;
    if (level !== '+' && level !== topicLevels[i]) return false;
  }
  return patternLevels.length === topicLevels.length;
}

function hasWildcardChar(text: string): boolean {
  return text.includes('+') || text.includes('#');
}

/** The closest valid pattern: each level holding a wildcard becomes that wildcard alone, cut after `#`. */
function repairPattern(levels: readonly string[]): string {
  const repaired: string[] = [];
  for (const level of levels) {
    if (level.includes('#')) {
      repaired.push('#');
      break;
    }
    repaired.push(level.includes('+') ? '+' : level);
  }
  return repaired.join('/');
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : `(${typeof value})`;
}
