// Owns the configurable size limits of the messaging contract and their resolution (the defaults are in defaults.ts).
import { defaultLimits } from './defaults.ts';
import { OcreError } from './errors.ts';

/** Size limits applied to every publish and subscribe; all are positive integers. */
export interface OcreLimits {
  /** Largest topic (and subscription pattern), in UTF-8 bytes. Default 256. */
  readonly maxTopicBytes: number;
  /** Largest content type, in UTF-8 bytes. Default 128. */
  readonly maxContentTypeBytes: number;
  /** Largest payload, in bytes. Default 65536 (64 KiB). */
  readonly maxPayloadBytes: number;
  /** Most subscriptions one container may hold. Default 64. */
  readonly maxSubscriptions: number;
}

/** The most any limit may be set to: 2^31 - 1, the largest `int` a C container can pass. */
export const maxLimitValue = 0x7fffffff;

/**
 * Fill in defaults and check every limit is a positive integer no larger than 2^31 - 1.
 *
 * @param limits - the limits to override; omitted ones take {@link defaultLimits}
 * @throws OcreError `INVALID_OPTION` naming the bad limit and its value
 */
export function resolveLimits(limits: Partial<OcreLimits> = {}): OcreLimits {
  const resolved = { ...defaultLimits, ...limits };
  for (const key of Object.keys(defaultLimits) as (keyof OcreLimits)[]) {
    checkPositiveInteger(`limits.${key}`, resolved[key], maxLimitValue);
  }
  return Object.freeze(resolved);
}

/**
 * Throw `INVALID_OPTION` unless `value` is an integer in 1..max.
 *
 * @param name - the option's name as the user wrote it, for the message
 * @param value - the value to check
 * @param max - the largest allowed value
 */
export function checkPositiveInteger(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new OcreError(
      'INVALID_OPTION',
      `${name} must be an integer from 1 to ${max}, got ${describeValue(value)}`,
    );
  }
  return value;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}
