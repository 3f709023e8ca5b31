// Owns reading a string argument a current-API call requires: NULL, empty, unterminated or too long is an error that names the call and the field.
import { OcreError } from '@ocre-ts/core';
import type { GuestMemory, StringField } from '../guest/guest-memory.ts';

/** The NUL-terminated string at `pointer` in `memory`, or the error that refuses it. */
export function readRequiredString(
  memory: GuestMemory,
  pointer: number,
  field: StringField,
): string | OcreError {
  const text = memory.readString(pointer, field);
  if (text === null) return new OcreError(field.invalid, `${field.call}: ${field.name} is NULL`);
  if (text instanceof OcreError) return text;
  if (text === '') return new OcreError(field.invalid, `${field.call}: ${field.name} is empty`);
  return text;
}
