// Owns the errno values the current-API imports return, negated: wasi-libc's numbering, so a container compares with -EINVAL from its own <errno.h>.

/**
 * The errno values Ocre's current API uses, as wasi-libc's `<errno.h>` defines them. Ocre's own
 * runtime returns its host's numbers (Linux or Zephyr), which a wasm32-wasi guest cannot compare
 * with its `EINVAL`; ocre-ts returns the guest's.
 */
export const errno = Object.freeze({
  /** Device or resource busy: a timer id created twice. */
  EBUSY: 10,
  /** Invalid argument: bad pointer, unterminated string, wrapping length, id out of range. */
  EINVAL: 28,
  /** No such entry: a publish no subscription matched. */
  ENOENT: 44,
  /** Out of memory: a table is full, the guest's malloc failed, the system's queue is full. */
  ENOMEM: 48,
  /** No message: `ocre_get_event` with nothing pending. */
  ENOMSG: 49,
});

/** What a current-API call returns: 0 or a negated {@link errno} value. */
export type ErrnoResult = 0 | -10 | -28 | -44 | -48 | -49;

/** The result of a call that failed with `code`. */
export function fail(code: keyof typeof errno): ErrnoResult {
  return -errno[code] as ErrnoResult;
}
