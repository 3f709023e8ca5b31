import { describe, expect, it } from 'vitest';
import {
  draftFromBytes,
  draftFromJson,
  draftFromText,
  readBytes,
  readJson,
  readText,
} from '../src/message.ts';
import type { OcreMessage } from '../src/message.ts';

function asMessage(draft: {
  topic: string;
  contentType: string;
  payload: Uint8Array;
}): OcreMessage {
  return { ...draft, mid: 7n, payloadLen: draft.payload.length };
}

describe('message helpers', () => {
  it('round-trips text, with or without the C-style NUL terminator', () => {
    const plain = draftFromText('greetings', 'héllo');
    expect(plain.contentType).toBe('text/plain');
    expect(plain.payload.length).toBe(6);
    expect(readText(asMessage(plain))).toBe('héllo');
    const nul = draftFromText('greetings', 'hi', { nulTerminated: true, contentType: 'text/x' });
    expect([...nul.payload]).toEqual([104, 105, 0]);
    expect(readText(asMessage(nul))).toBe('hi');
  });

  it('round-trips JSON, as the seed publisher sends it (NUL included)', () => {
    const draft = draftFromJson('sensors/temperature', { temperature: 22.5, unit: 'celsius' });
    expect(draft.contentType).toBe('application/json');
    expect(readJson(asMessage(draft))).toEqual({ temperature: 22.5, unit: 'celsius' });
    const fromC = new TextEncoder().encode('{"temperature": 22.5, "unit": "celsius"}\0');
    expect(readJson(asMessage(draftFromBytes('t', fromC)))).toEqual({
      temperature: 22.5,
      unit: 'celsius',
    });
  });

  it('says which message is not JSON', () => {
    const message = asMessage(draftFromText('sensors/x', 'not json'));
    expect(() => readJson(message)).toThrow(/message 7 on "sensors\/x" is not JSON/);
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => draftFromJson('t', undefined)).toThrowErrorMatchingInlineSnapshot(
      `[OcreError: cannot serialise undefined as JSON for topic "t"; pass an object, array, string, number, boolean or null]`,
    );
    expect(() => draftFromJson('t', { n: 1n })).toThrow(/cannot serialise the payload/);
  });

  it('keeps bytes as they are', () => {
    const bytes = new Uint8Array([0, 255, 1]);
    const draft = draftFromBytes('raw', bytes);
    expect(draft.contentType).toBe('application/octet-stream');
    expect(readBytes(asMessage(draft))).toEqual(bytes);
  });
});
