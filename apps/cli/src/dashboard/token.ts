// Owns the dashboard's control token: making one, and checking a given one in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random token: 24 bytes, base64url (32 characters, safe in a URL). */
export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * True when `given` is `expected`. Both are hashed first, so the comparison takes the same time
 * whatever the given value's length or how much of it is right.
 *
 * @param given - the token a request carries, if any
 * @param expected - the server's token
 */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(given), digest(expected));
}
