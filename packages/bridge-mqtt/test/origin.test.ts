// Tests reading the origin property from untrusted user properties: what is accepted, its duplicate key, and every malformed shape refused.
import { describe, expect, it } from 'vitest';
import { newRunId, originValue, readOrigin } from '../src/origin.ts';

const read = (value: string | string[]) => readOrigin({ 'ocre-origin': value });

describe('readOrigin', () => {
  it('reads what originValue writes; the system id is the rest of the value, spaces and all', () => {
    const run = newRunId();
    expect(run).toMatch(/^[A-Za-z0-9_-]{12}$/);
    const value = originValue(42n, ` ${run} edge 7:plant-a`);
    expect(value).toBe(`42 ${run} edge 7:plant-a`);
    expect(read(value)).toEqual({ system: 'edge 7:plant-a', key: value });
    expect(read('0 r s')).toEqual({ system: 's', key: '0 r s' });
    expect(read('18446744073709551615 r s')).toEqual({
      system: 's',
      key: '18446744073709551615 r s',
    });
  });

  it('is undefined without the property (a plain MQTT publisher); other user properties are ignored', () => {
    expect(readOrigin(undefined)).toBeUndefined();
    expect(readOrigin({ unit: 'celsius' })).toBeUndefined();
  });

  it.each([
    ['repeated', ['1 r s', '2 r s']],
    ['empty', ''],
    ['no run or system', '1'],
    ['no system', '1 r'],
    ['an empty system', '1 r '],
    ['an empty run', '1  s'],
    ['an empty mid', ' r s'],
    ['a mid with a letter', '1a r s'],
    ['a signed mid', '-1 r s'],
    ['a leading zero', '01 r s'],
    ['a mid over uint64', '18446744073709551616 r s'],
    ['a mid of 21 digits', '100000000000000000000 r s'],
  ])('refuses %s', (_, value) => {
    expect(read(value)).toBe('bad-origin');
  });
});
