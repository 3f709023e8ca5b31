// Owns combining two sets of system hooks into one: both tracers, interceptors in turn, both start and stop callbacks.
import type { SystemHooks } from '../system-hooks.ts';

/**
 * One set of hooks doing what both do: a tracer is kept from either (the first wins if both
 * have one); interceptors run in turn, the first verdict other than `deliver` deciding;
 * `started` and `stopping` callbacks both run, `first`'s first.
 *
 * @example
 * createOcreSystem({ ...options, hooks: combineHooks(recorder.hooks, injection.hooks) });
 */
export function combineHooks(
  first: SystemHooks | undefined,
  second: SystemHooks | undefined,
): SystemHooks {
  if (first === undefined) return second ?? {};
  if (second === undefined) return first;
  const tracer = first.tracer ?? second.tracer;
  const a = first.intercept;
  const b = second.intercept;
  const intercept =
    a !== undefined && b !== undefined
      ? (...args: Parameters<typeof a>) => {
          const verdict = a(...args);
          return verdict === 'deliver' ? b(...args) : verdict;
        }
      : (a ?? b);
  const { started: s1, stopping: t1 } = first;
  const { started: s2, stopping: t2 } = second;
  return {
    ...(tracer === undefined ? {} : { tracer }),
    ...(intercept === undefined ? {} : { intercept }),
    ...(s1 === undefined && s2 === undefined
      ? {}
      : {
          started: (controls) => {
            s1?.(controls);
            s2?.(controls);
          },
        }),
    ...(t1 === undefined && t2 === undefined
      ? {}
      : {
          stopping: () => {
            t1?.();
            t2?.();
          },
        }),
  };
}
