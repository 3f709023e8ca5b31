// Owns dropping keys whose value is undefined, so optional options pass under exactOptionalPropertyTypes.

/** Keys of `T` whose values may be undefined become optional keys that are absent instead. */
export type WithoutUndefined<T> = {
  [K in keyof T]: Exclude<T[K], undefined>;
};

/**
 * A shallow copy of `value` without the keys whose value is `undefined`.
 *
 * @example
 * withoutUndefined({ a: 1, b: undefined }); // { a: 1 }
 */
export function withoutUndefined<T extends object>(value: T): WithoutUndefined<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as WithoutUndefined<T>;
}
