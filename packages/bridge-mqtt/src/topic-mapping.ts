// Owns how export and import patterns (MQTT wildcards) map onto a system's topic matching mode and onto broker topics.
import { topicMatches, validatePattern } from '@ocre-ts/core';
import type { TopicMatchingMode } from '@ocre-ts/core';
import { BridgeError } from './errors.ts';

/** True when `pattern` is a valid MQTT topic filter (`+` and `#` fill whole levels, `#` last). */
export function isMqttFilter(pattern: string): boolean {
  return pattern.length > 0 && validatePattern('wildcard', pattern) === undefined;
}

/** True when `topic` matches the MQTT filter `pattern` (core's wildcard rules are MQTT's). */
export function mqttMatches(pattern: string, topic: string): boolean {
  return topicMatches('wildcard', pattern, topic);
}

/** True when a local topic can be an MQTT topic name: no wildcard characters, no NUL. */
export function isMqttTopicName(topic: string): boolean {
  return !topic.includes('+') && !topic.includes('#') && !topic.includes('\0');
}

/**
 * The subscription pattern, in the system's matching mode, that receives at least every local
 * topic the MQTT filter `pattern` matches. The bridge then keeps only true MQTT matches.
 * - `wildcard`: the pattern itself (core's wildcard mode is MQTT's).
 * - `prefix`: the literal levels before the first wildcard (`sensors/#` → `sensors`,
 *   `a/+/c` → `a/`); a pattern starting with a wildcard has no such prefix.
 * - `exact`: a pattern without wildcards only.
 *
 * @throws BridgeError `EXPORT_PATTERN_UNSUPPORTED` when no subscription in `mode` covers it
 */
export function coveringSubscription(mode: TopicMatchingMode, pattern: string): string {
  const wildcardAt = pattern.split('/').findIndex((level) => level === '+' || level === '#');
  if (mode === 'wildcard' || wildcardAt === -1) return pattern;
  if (mode === 'prefix' && wildcardAt > 0) {
    const levels = pattern.split('/').slice(0, wildcardAt).join('/');
    // `a/#` also matches `a` itself, so its prefix is `a`; `a/+/c` needs `a/`; `/#` needs `/`.
    const hash = pattern.split('/')[wildcardAt] === '#';
    return hash && levels.length > 0 ? levels : `${levels}/`;
  }
  throw new BridgeError(
    'EXPORT_PATTERN_UNSUPPORTED',
    `Export pattern ${JSON.stringify(pattern)} uses MQTT wildcards, which a system in "${mode}" topic matching cannot subscribe to` +
      (mode === 'prefix' ? ' when the pattern starts with a wildcard' : '') +
      '. Set messaging.topicMatching to "wildcard", or list the exact topics to export.',
  );
}

/**
 * Check every pattern of an export or import list as an MQTT filter.
 *
 * @throws BridgeError `INVALID_BRIDGE_OPTION` naming the first invalid one
 */
export function checkFilters(what: 'export' | 'import', patterns: readonly string[]): void {
  for (const [index, pattern] of patterns.entries()) {
    if (typeof pattern !== 'string' || !isMqttFilter(pattern)) {
      throw new BridgeError(
        'INVALID_BRIDGE_OPTION',
        `${what}[${index}]: expected an MQTT topic filter ("sensors/#", "commands/+"), got ${JSON.stringify(pattern)}: "+" and "#" must fill a whole level and "#" must come last.`,
      );
    }
  }
}
