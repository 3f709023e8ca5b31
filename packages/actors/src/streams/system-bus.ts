// Owns the observation side of a system: the subjects behind events$, deadLetters$ and topic$, built only when someone listens.
import { Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import { createTopicIndex } from '@ocre-ts/core';
import type { OcreMessage, TopicIndex, TopicMatchingMode } from '@ocre-ts/core';
import type { Clock } from '../clock.ts';
import type { DeadLetter, DeadLetterReason } from '../dead-letter.ts';
import type { EventSink, SystemEvent, SystemEventInput } from '../events.ts';
import type { UnhandledErrorReporter } from '../errors.ts';
import { ReportingObservable } from './reporting-observable.ts';

/**
 * Fans a system's happenings out to RxJS subscribers. With nobody subscribed, every method
 * returns after one property check: no event object is built.
 */
export class SystemBus implements EventSink {
  private readonly events = new Subject<SystemEvent>();
  private readonly deadLetters = new Subject<DeadLetter>();
  private readonly taps: TopicIndex<Subject<OcreMessage>>;
  private readonly openTaps = new Set<Subject<OcreMessage>>();
  private readonly closeListeners = new Set<() => void>();
  private closed = false;

  /**
   * @param clock - gives each event its time
   * @param origin - the clock time the system started at; event times are relative to it
   * @param report - where errors of observers go
   */
  constructor(
    private readonly clock: Clock,
    mode: TopicMatchingMode,
    private readonly report: UnhandledErrorReporter,
    private origin = clock.now(),
  ) {
    this.taps = createTopicIndex<Subject<OcreMessage>>(mode);
  }

  /** Every event, as it happens; completes when the system stops. */
  readonly events$: Observable<SystemEvent> = this.guarded(this.events, 'an events$ observer');
  /** Every dead letter, as it happens; completes when the system stops. */
  readonly deadLetters$: Observable<DeadLetter> = this.guarded(
    this.deadLetters,
    'a deadLetters$ observer',
  );

  /** Call `callback` once when the bus closes (at once if it already has); returns an unregister function. */
  onClose(callback: () => void): () => void {
    if (this.closed) {
      callback();
      return () => undefined;
    }
    this.closeListeners.add(callback);
    return () => this.closeListeners.delete(callback);
  }

  /** Wrap a stream so its direct observers' throws go to the reporter. */
  guarded<T>(source: Observable<T>, where: string): Observable<T> {
    return new ReportingObservable<T>(
      (subscriber) => source.subscribe(subscriber),
      (error) => this.report(error, where),
    );
  }

  /** Reset the origin of event times (at system start). */
  markOrigin(): void {
    this.origin = this.clock.now();
  }

  /** Milliseconds since the origin. */
  elapsed(): number {
    return this.clock.now() - this.origin;
  }

  /** Emit an event; the time is stamped here. */
  emit(event: SystemEventInput): void {
    if (this.closed || !this.events.observed) return;
    const stamped = { ...event, time: this.elapsed() } as SystemEvent;
    this.guard(() => this.events.next(stamped), 'an events$ observer');
  }

  /** A dead letter: on deadLetters$ and as a `message.dead-lettered` event. */
  deadLetter(
    message: OcreMessage,
    reason: DeadLetterReason,
    container?: string,
    handler?: string,
    error?: string,
  ): void {
    if (this.deadLetters.observed) {
      const letter: DeadLetter = {
        message,
        reason,
        ...(container === undefined ? {} : { container }),
        ...(handler === undefined ? {} : { handler }),
        ...(error === undefined ? {} : { error }),
      };
      this.guard(() => this.deadLetters.next(letter), 'a deadLetters$ observer');
    }
    if (this.events.observed) {
      this.emit({
        type: 'message.dead-lettered',
        mid: message.mid,
        topic: message.topic,
        reason,
        ...(container === undefined ? {} : { container }),
      });
    }
  }

  /** A publish refused for a full queue. */
  queueFull(topic: string, publisher: string, capacity: number): void {
    if (this.events.observed) {
      this.emit({ type: 'queue.full', topic, publisher, capacity });
    }
  }

  /** Show a routed message to the topic$ streams whose pattern matches. */
  tap(message: OcreMessage): void {
    if (this.taps.size === 0) return;
    const subjects = this.taps.match(message.topic);
    for (let i = 0; i < subjects.length; i++) {
      const subject = subjects[i] as Subject<OcreMessage>;
      this.guard(() => subject.next(message), 'a topic$ observer');
    }
  }

  /** Messages on topics matching `pattern`, from when you subscribe; completes when the system stops. */
  topic$(pattern: string): Observable<OcreMessage> {
    return new ReportingObservable<OcreMessage>(
      (subscriber) => {
        if (this.closed) {
          subscriber.complete();
          return undefined;
        }
        const subject = new Subject<OcreMessage>();
        try {
          this.taps.add(pattern, subject);
        } catch (error) {
          subscriber.error(error);
          return undefined;
        }
        this.openTaps.add(subject);
        const inner = subject.subscribe(subscriber);
        return () => {
          inner.unsubscribe();
          this.openTaps.delete(subject);
          this.taps.remove(pattern, subject);
        };
      },
      (error) => this.report(error, 'a topic$ observer'),
    );
  }

  /** Complete every stream; later emits are ignored. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.events.complete();
    this.deadLetters.complete();
    for (const subject of [...this.openTaps]) subject.complete();
    this.openTaps.clear();
    for (const callback of [...this.closeListeners]) this.guard(callback, 'a stream at close');
    this.closeListeners.clear();
  }

  private guard(action: () => void, where: string): void {
    try {
      action();
    } catch (error) {
      this.report(error, where);
    }
  }
}
