// Owns the zod building blocks of the CLI's file schemas: integers, non-empty strings and strict objects whose errors say what was expected.
import { z } from 'zod';

const maxInt = 2 ** 31 - 1;

/** An integer in `min..max`; every failure reads "expected <what>". */
export function integer(min: number, max = maxInt) {
  const expected = min === 0 ? `an integer from 0 to ${max}` : `an integer from ${min} to ${max}`;
  const message = { message: expected };
  return z
    .number({ invalid_type_error: expected, required_error: expected })
    .int(message)
    .min(min, message)
    .max(max, message);
}

/** One of `values`; failures list them. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const expected = `one of ${values.join(', ')}`;
  return z.enum(values, { errorMap: () => ({ message: expected }) });
}

/** A non-empty string described as `expected`. */
export function text(expected: string) {
  return z
    .string({ invalid_type_error: expected, required_error: expected })
    .min(1, { message: expected });
}

/** A strict object: unknown keys are errors that list the keys allowed here. */
export function strictObject<T extends z.ZodRawShape>(shape: T, what: string) {
  const allowed = Object.keys(shape).join(', ');
  return z
    .object(shape, { invalid_type_error: what, required_error: what })
    .strict({ message: `unknown key; allowed here: ${allowed}` });
}
