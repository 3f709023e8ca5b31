// Owns the Observable flavour behind every system stream: an observer that throws is reported through the system's hook, never into the router.
import { Observable, Subscriber } from 'rxjs';
import type { Observer, Subscription, TeardownLogic } from 'rxjs';

/**
 * An Observable whose direct observers are guarded: when one throws, `report` gets the error at
 * once (RxJS alone would rethrow it later on a bare timer). Operators and other subscribers
 * (`pipe`, `firstValueFrom`) pass through untouched; their errors follow RxJS's own rules
 * (`config.onUnhandledError`). Either way the producer (the router, a container) never sees them.
 */
export class ReportingObservable<T> extends Observable<T> {
  /**
   * @param subscribe - the producer, as for `new Observable`
   * @param report - receives what an observer threw
   */
  constructor(
    subscribe: (subscriber: Subscriber<T>) => TeardownLogic,
    private readonly report: (error: unknown) => void,
  ) {
    super(subscribe);
  }

  /** Subscribe; a throwing `next` or `complete` callback is reported instead of rethrown. */
  override subscribe(
    observerOrNext?: Partial<Observer<T>> | ((value: T) => void) | null,
    error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): Subscription {
    if (observerOrNext instanceof Subscriber) return super.subscribe(observerOrNext);
    return super.subscribe(guard(observerOrNext, error, complete, this.report));
  }
}

function guard<T>(
  observerOrNext: Partial<Observer<T>> | ((value: T) => void) | null | undefined,
  error: ((error: unknown) => void) | null | undefined,
  complete: (() => void) | null | undefined,
  report: (error: unknown) => void,
): Partial<Observer<T>> {
  const observer: Partial<Observer<T>> =
    typeof observerOrNext === 'function'
      ? {
          next: observerOrNext,
          ...(error ? { error } : {}),
          ...(complete ? { complete } : {}),
        }
      : (observerOrNext ?? {});
  const guarded: Partial<Observer<T>> = {};
  const { next, complete: done } = observer;
  if (next) {
    guarded.next = (value: T) => {
      try {
        next.call(observer, value);
      } catch (thrown) {
        report(thrown);
      }
    };
  }
  if (observer.error) guarded.error = observer.error.bind(observer);
  if (done) {
    guarded.complete = () => {
      try {
        done.call(observer);
      } catch (thrown) {
        report(thrown);
      }
    };
  }
  return guarded;
}
