// Owns a container's messaging port: what its facade publishes into and subscribes through, bound to the container.
import type { OcreError, OcreMessage, OcreMessagingPort, TopicMatchingMode } from '@ocre-ts/core';
import type { RoutedCell } from './types.ts';

/** The router calls a port forwards, naming the container it belongs to. */
export interface PortRouter {
  /** Accept a message published by `publisher`. */
  publish(
    topic: string,
    contentType: string,
    payload: Uint8Array,
    publisher?: RoutedCell,
  ): OcreMessage | bigint | OcreError;
  /** Record that `cell`'s `handler` wants messages matching `pattern`. */
  subscribe(
    cell: RoutedCell,
    pattern: string,
    handler: string,
    matching?: TopicMatchingMode,
  ): OcreError | undefined;
}

/** A container's messaging port: two prototype methods, not two closures per container. */
export class CellPort implements OcreMessagingPort {
  /**
   * @param router - the router it forwards to
   * @param cell - the container it belongs to
   */
  constructor(
    private readonly router: PortRouter,
    private readonly cell: RoutedCell,
  ) {}

  /** Publish as the container. */
  publish(
    topic: string,
    contentType: string,
    payload: Uint8Array,
  ): OcreMessage | bigint | OcreError {
    return this.router.publish(topic, contentType, payload, this.cell);
  }

  /** Subscribe one of the container's handlers. */
  subscribe(topic: string, handler: string, matching?: TopicMatchingMode): OcreError | undefined {
    return this.router.subscribe(this.cell, topic, handler, matching);
  }
}
