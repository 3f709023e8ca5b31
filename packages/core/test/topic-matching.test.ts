// Tests the topic-matching rules: the modes, pattern and publish-topic validation, and the reference matcher.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { OcreError } from '../src/errors.ts';
import {
  isTopicMatchingMode,
  topicMatches,
  topicMatchingModes,
  validatePattern,
  validatePublishTopic,
} from '../src/topic-matching.ts';
import type { TopicMatchingMode } from '../src/topic-matching.ts';

describe('isTopicMatchingMode', () => {
  it.each([
    ['exact', true],
    ['prefix', true],
    ['wildcard', true],
    ['Exact', false],
    ['mqtt', false],
    ['', false],
    [undefined, false],
    [1, false],
  ])('%j → %s', (value, expected) => {
    expect(isTopicMatchingMode(value)).toBe(expected);
  });

  it('agrees with the list of modes', () => {
    expect(topicMatchingModes).toEqual(['exact', 'prefix', 'wildcard']);
    expect(topicMatchingModes.every(isTopicMatchingMode)).toBe(true);
  });
});

describe('topicMatches', () => {
  it.each([
    ['a/b', 'a/b', true],
    ['a/b', 'a/b/c', false],
    ['a/b', 'a', false],
    ['a/+', 'a/b', false],
    ['a/+', 'a/+', true],
    ['#', 'a', false],
    ['/a', '/a', true],
    ['/a', 'a', false],
  ])('exact: %j vs %j → %s', (pattern, topic, expected) => {
    expect(topicMatches('exact', pattern, topic)).toBe(expected);
  });

  it.each([
    ['sensors/temp', 'sensors/temp', true],
    ['sensors/temp', 'sensors/temperature', true], // plain string prefix, not segment-aware
    ['sensors/temp', 'sensors/tem', false],
    ['sensors/', 'sensors/a/b', true],
    ['sensors/', 'sensors', false],
    ['s', 'sensors', true],
    ['a/+', 'a/b', false],
    ['a/+', 'a/+/c', true],
    ['b', 'ab', false],
  ])('prefix: %j vs %j → %s', (pattern, topic, expected) => {
    expect(topicMatches('prefix', pattern, topic)).toBe(expected);
  });

  it.each([
    // literal levels
    ['a/b', 'a/b', true],
    ['a/b', 'a/bc', false],
    ['a/b', 'a/b/c', false],
    // `+` matches exactly one level, which may be empty
    ['a/+', 'a/b', true],
    ['a/+', 'a/', true],
    ['a/+', 'a', false],
    ['a/+', 'a/b/c', false],
    ['+', 'a', true],
    ['+', '/', false],
    ['+/+', '/', true],
    ['+/a', '/a', true],
    ['a/+/+', 'a/b/c', true],
    ['a/+/+', 'a/b', false],
    ['+/+/c', 'a/b/c', true],
    ['+/b/+', 'x/b/', true],
    // `#` matches the remaining levels, including zero
    ['#', 'a', true],
    ['#', 'a/b/c', true],
    ['#', '/', true],
    ['a/#', 'a', true],
    ['a/#', 'a/', true],
    ['a/#', 'a/b/c', true],
    ['a/#', 'ab', false],
    ['a/#', 'b/a', false],
    ['+/#', 'a', true],
    ['+/#', 'a/b/c', true],
    ['a/+/#', 'a', false],
    ['a/+/#', 'a/b', true],
    // leading and trailing slashes make empty levels
    ['/a', '/a', true],
    ['/a', 'a', false],
    ['a/', 'a/', true],
    ['a/', 'a', false],
    ['/#', '/a/b', true],
    ['/#', 'a', false],
    ['/+', '/x', true],
    // `$` topics are not special
    ['#', '$SYS/broker', true],
    ['+/broker', '$SYS/broker', true],
  ])('wildcard: %j vs %j → %s', (pattern, topic, expected) => {
    expect(topicMatches('wildcard', pattern, topic)).toBe(expected);
  });

  it('wildcard agrees with a regular-expression oracle', () => {
    const level = fc.constantFrom('a', 'b', '', '+');
    const pattern = fc
      .tuple(fc.array(level, { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([levels, hash]) => (hash ? [...levels, '#'] : levels).join('/'));
    const topic = fc
      .array(fc.constantFrom('a', 'b', ''), { minLength: 1, maxLength: 5 })
      .map((levels) => levels.join('/'));
    fc.assert(
      fc.property(pattern, topic, (p, t) => {
        expect(topicMatches('wildcard', p, t)).toBe(wildcardRegExp(p).test(t));
      }),
    );
  });
});

/** An independent oracle: `+` is `[^/]*`, a trailing `/#` is an optional `/…`, a lone `#` is `.*`. */
function wildcardRegExp(pattern: string): RegExp {
  if (pattern === '#') return /^.*$/s;
  const hash = pattern.endsWith('/#');
  const body = (hash ? pattern.slice(0, -2) : pattern)
    .split('/')
    .map((level) => (level === '+' ? '[^/]*' : level.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}${hash ? '(/.*)?' : ''}$`, 's');
}

describe('validatePattern', () => {
  it.each([
    ['exact', 'a/b'],
    ['exact', 'a+/#/b'], // wildcards are plain characters outside wildcard mode
    ['prefix', 's'],
    ['prefix', '#'],
    ['wildcard', 'a/b'],
    ['wildcard', '#'],
    ['wildcard', '+'],
    ['wildcard', 'a/#'],
    ['wildcard', '+/+/#'],
    ['wildcard', '/'],
    ['wildcard', '/+/'],
    ['wildcard', '$SYS/#'],
  ] as const)('%s accepts %j', (mode, pattern) => {
    expect(validatePattern(mode, pattern)).toBeUndefined();
  });

  it.each(['exact', 'prefix', 'wildcard'] as const)('%s rejects an empty pattern', (mode) => {
    const error = validatePattern(mode, '');
    expect(error).toBeInstanceOf(OcreError);
    expect(error?.code).toBe('INVALID_TOPIC');
  });

  it('explains an empty or non-string pattern', () => {
    expect(validatePattern('exact', '')?.message).toMatchInlineSnapshot(
      `"Invalid exact pattern "": a subscription pattern must be a non-empty string, e.g. "sensors/temperature"."`,
    );
    expect(
      validatePattern('wildcard', undefined as unknown as string)?.message,
    ).toMatchInlineSnapshot(
      `"Invalid wildcard pattern (undefined): a subscription pattern must be a non-empty string, e.g. "sensors/temperature"."`,
    );
  });

  const invalid = (pattern: string): string | undefined => {
    const error = validatePattern('wildcard', pattern);
    expect(error?.code).toBe('INVALID_PATTERN');
    expect(validatePattern('exact', pattern)).toBeUndefined();
    expect(validatePattern('prefix', pattern)).toBeUndefined();
    return error?.message;
  };

  it('rejects misplaced wildcards with a message that names a valid pattern', () => {
    expect(invalid('a+/b')).toMatchInlineSnapshot(
      `"Invalid wildcard pattern "a+/b": "+" must fill a whole level, but level 1 is "a+". A valid pattern would be "+/b"."`,
    );
    expect(invalid('a/b+c')).toMatchInlineSnapshot(
      `"Invalid wildcard pattern "a/b+c": "+" must fill a whole level, but level 2 is "b+c". A valid pattern would be "a/+"."`,
    );
    expect(invalid('a/#/b')).toMatchInlineSnapshot(
      `"Invalid wildcard pattern "a/#/b": "#" must be the last level. A valid pattern would be "a/#"."`,
    );
    expect(invalid('a#')).toMatchInlineSnapshot(
      `"Invalid wildcard pattern "a#": "#" must fill a whole level, but level 1 is "a#". A valid pattern would be "#"."`,
    );
    expect(invalid('a/b/c#')).toMatchInlineSnapshot(
      `"Invalid wildcard pattern "a/b/c#": "#" must fill a whole level, but level 3 is "c#". A valid pattern would be "a/b/#"."`,
    );
    expect(invalid('#/#')).toMatchInlineSnapshot(
      `"Invalid wildcard pattern "#/#": "#" must be the last level. A valid pattern would be "#"."`,
    );
    expect(invalid('++')).toMatchInlineSnapshot(
      `"Invalid wildcard pattern "++": "+" must fill a whole level, but level 1 is "++". A valid pattern would be "+"."`,
    );
    expect(invalid('+#')).toMatchInlineSnapshot(
      `"Invalid wildcard pattern "+#": "#" must fill a whole level, but level 1 is "+#". A valid pattern would be "#"."`,
    );
  });

  it('suggests a pattern that is itself valid', () => {
    const level = fc.stringMatching(/^[ab+#]{0,3}$/);
    fc.assert(
      fc.property(fc.array(level, { minLength: 1, maxLength: 5 }), (levels) => {
        const error = validatePattern('wildcard', levels.join('/'));
        if (error === undefined || error.code !== 'INVALID_PATTERN') return;
        const suggestion = /A valid pattern would be (".*")\.$/.exec(error.message)?.[1];
        expect(suggestion).toBeDefined();
        expect(validatePattern('wildcard', JSON.parse(suggestion!) as string)).toBeUndefined();
      }),
    );
  });
});

describe('validatePublishTopic', () => {
  it.each([
    ['exact', 'a/+/#'],
    ['prefix', '#'],
    ['wildcard', 'a/b'],
    ['wildcard', '/'],
    ['wildcard', '$SYS/x'],
  ] as const)('%s accepts %j', (mode, topic) => {
    expect(validatePublishTopic(mode, topic)).toBeUndefined();
  });

  it.each([
    ['exact', ''],
    ['prefix', ''],
    ['wildcard', ''],
    ['wildcard', 'a/+'],
    ['wildcard', '#'],
    ['wildcard', 'a/b#'],
  ] as [TopicMatchingMode, string][])('%s rejects %j as INVALID_TOPIC', (mode, topic) => {
    expect(validatePublishTopic(mode, topic)?.code).toBe('INVALID_TOPIC');
  });

  it('explains why', () => {
    expect(validatePublishTopic('exact', '')?.message).toMatchInlineSnapshot(
      `"Invalid topic "": a message topic must be a non-empty string, e.g. "sensors/temperature"."`,
    );
    expect(validatePublishTopic('wildcard', 'sensors/+')?.message).toMatchInlineSnapshot(
      `"Invalid topic "sensors/+" for publishing in wildcard mode: "+" and "#" are reserved for subscription patterns. Publish to a concrete topic, e.g. "sensors/kitchen/temperature"."`,
    );
  });
});
