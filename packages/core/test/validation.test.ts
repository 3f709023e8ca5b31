import { describe, expect, it } from 'vitest';
import { defaultLimits } from '../src/defaults.ts';
import { resolveLimits } from '../src/limits.ts';
import { validatePublish, validateSubscribe } from '../src/validation.ts';

const limits = defaultLimits;
const payload = new Uint8Array([1, 2, 3]);

describe('validatePublish', () => {
  it('accepts a well-formed publish', () => {
    expect(validatePublish('a/b', 'text/plain', payload, 3, limits)).toBeUndefined();
    expect(validatePublish('a/b', 'text/plain', payload, 2, limits)).toBeUndefined();
    expect(validatePublish('a/b', 'text/plain', 'hé', 3, limits)).toBeUndefined();
  });

  it('names each broken rule', () => {
    const failure = (...args: Parameters<typeof validatePublish>) => {
      const error = validatePublish(...args);
      return `${error?.code}: ${error?.message}`;
    };
    expect(failure(null, 'text/plain', payload, 3, limits)).toMatchInlineSnapshot(
      `"INVALID_TOPIC: ocre_publish_message: topic must be a non-empty string, got NULL; pass a topic such as "sensors/temperature""`,
    );
    expect(failure('', 'text/plain', payload, 3, limits)).toMatchInlineSnapshot(
      `"INVALID_TOPIC: ocre_publish_message: topic must be a non-empty string, got an empty string; pass a topic such as "sensors/temperature""`,
    );
    expect(failure('x'.repeat(257), 'text/plain', payload, 3, limits)).toMatchInlineSnapshot(
      `"TOPIC_TOO_LONG: ocre_publish_message: topic is 257 bytes, over the limit of 256; shorten it or raise limits.maxTopicBytes"`,
    );
    expect(failure('t', null, payload, 3, limits)).toMatchInlineSnapshot(
      `"INVALID_CONTENT_TYPE: ocre_publish_message: content_type must be a non-empty string, got NULL; pass a MIME type such as "application/json""`,
    );
    expect(failure('t', '', payload, 3, limits)).toMatch(/^INVALID_CONTENT_TYPE/);
    expect(failure('t', 'c'.repeat(129), payload, 3, limits)).toMatchInlineSnapshot(
      `"CONTENT_TYPE_TOO_LONG: ocre_publish_message: content_type is 129 bytes, over the limit of 128; shorten it or raise limits.maxContentTypeBytes"`,
    );
    expect(failure('t', 'c', null, 3, limits)).toMatchInlineSnapshot(
      `"INVALID_PAYLOAD: ocre_publish_message: payload must be a Uint8Array or a string, got NULL"`,
    );
    expect(failure('t', 'c', payload, 0, limits)).toMatchInlineSnapshot(
      `"INVALID_PAYLOAD: ocre_publish_message: payload_len must be a positive integer, got 0; an empty message cannot be published"`,
    );
    expect(failure('t', 'c', payload, -1, limits)).toMatch(/^INVALID_PAYLOAD: .*got -1/);
    expect(failure('t', 'c', payload, 1.5, limits)).toMatch(/^INVALID_PAYLOAD/);
    expect(failure('t', 'c', payload, 4, limits)).toMatchInlineSnapshot(
      `"INVALID_PAYLOAD: ocre_publish_message: payload_len 4 is more than the 3 bytes of payload given"`,
    );
    expect(failure('t', 'c', new Uint8Array(65537), 65537, limits)).toMatchInlineSnapshot(
      `"PAYLOAD_TOO_LARGE: ocre_publish_message: payload_len 65537 is over the limit of 65536 bytes; split the payload or raise limits.maxPayloadBytes"`,
    );
  });

  it('counts topic length in UTF-8 bytes, not characters', () => {
    const small = resolveLimits({ maxTopicBytes: 4 });
    expect(validatePublish('éé', 'c', payload, 1, small)).toBeUndefined();
    expect(validatePublish('ééé', 'c', payload, 1, small)?.code).toBe('TOPIC_TOO_LONG');
    expect(validatePublish('😀', 'c', payload, 1, small)).toBeUndefined();
    expect(validatePublish('😀a', 'c', payload, 1, small)?.code).toBe('TOPIC_TOO_LONG');
  });
});

describe('validateSubscribe', () => {
  it('accepts a topic and a handler name', () => {
    expect(validateSubscribe('sensors/temperature', 'temperature_handler', limits)).toBeUndefined();
  });

  it('names each broken rule', () => {
    expect(validateSubscribe('', 'h', limits)?.code).toBe('INVALID_TOPIC');
    expect(validateSubscribe('t'.repeat(300), 'h', limits)?.code).toBe('TOPIC_TOO_LONG');
    expect(validateSubscribe('t', null, limits)?.message).toMatchInlineSnapshot(
      `"ocre_subscribe_message: handler_name must be a non-empty string, got NULL; pass the name of an exported handler"`,
    );
    expect(validateSubscribe('t', '', limits)?.code).toBe('INVALID_HANDLER');
  });
});

describe('resolveLimits', () => {
  it('fills in the documented defaults', () => {
    expect(resolveLimits()).toEqual({
      maxTopicBytes: 256,
      maxContentTypeBytes: 128,
      maxPayloadBytes: 65536,
      maxSubscriptions: 64,
    });
    expect(resolveLimits({ maxPayloadBytes: 10 }).maxPayloadBytes).toBe(10);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => resolveLimits({ maxSubscriptions: -1 })).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: limits.maxSubscriptions must be an integer from 1 to 2147483647, got -1]`,
    );
  });
});
