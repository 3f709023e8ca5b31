// Options validation: every bad option is a SystemError whose code is stable and whose message names the path.
import { describe, it, expect } from 'vitest';
import { createOcreSystem, SystemError } from '../src/index.ts';
import type { OcreSystemOptions } from '../src/index.ts';
import { scripted } from './fixtures.ts';

/** `CODE: message` of the SystemError that `options` cause. */
function rejection(options: unknown): string {
  try {
    createOcreSystem(options as OcreSystemOptions);
  } catch (error) {
    if (error instanceof SystemError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected the options to be rejected');
}

const ok = scripted('ok');

describe('createOcreSystem options', () => {
  it('accepts a minimal system and fills in defaults', () => {
    expect(createOcreSystem({ containers: [ok] }).state).toBe('created');
  });

  it('rejects bad messaging options', () => {
    expect(rejection(null)).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: options must be an object, got null"`,
    );
    expect(rejection({ containers: [], messaging: 5 })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: messaging must be an object, got 5"`,
    );
    expect(rejection({ containers: [], messaging: { queueCapacity: 0 } })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: messaging.queueCapacity must be an integer from 1 to 16777216, got 0"`,
    );
    expect(rejection({ containers: [], messaging: { queueCapacity: 1.5 } })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: messaging.queueCapacity must be an integer from 1 to 16777216, got 1.5"`,
    );
    expect(
      rejection({ containers: [], messaging: { mailboxCapacity: '10' } }),
    ).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: messaging.mailboxCapacity must be an integer from 1 to 16777216, got "10""`,
    );
    expect(
      rejection({ containers: [], messaging: { topicMatching: 'regex' } }),
    ).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: messaging.topicMatching must be one of exact, prefix, wildcard, got "regex""`,
    );
    expect(
      rejection({ containers: [], messaging: { limits: { maxTopicBytes: 0 } } }),
    ).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: messaging.limits.maxTopicBytes must be an integer from 1 to 2147483647, got 0"`,
    );
    expect(
      rejection({ containers: [], messaging: { sharedQueueBytes: 10 } }),
    ).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: messaging.sharedQueueBytes must be an integer from 1024 to 2147483647, got 10"`,
    );
  });

  it('rejects bad supervisor options', () => {
    expect(
      rejection({ containers: [], supervisor: { strategy: 'all-for-one' } }),
    ).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: supervisor.strategy must be one of one-for-one, one-for-all, rest-for-one, got "all-for-one""`,
    );
    expect(rejection({ containers: [], supervisor: { maxRestarts: -1 } })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: supervisor.maxRestarts must be an integer from 0 to 2147483647, got -1"`,
    );
    expect(rejection({ containers: [], supervisor: { withinMs: 0 } })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: supervisor.withinMs must be an integer from 1 to 2147483647, got 0"`,
    );
    expect(rejection({ containers: [], supervisor: { name: '' } })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: supervisor.name must be a non-empty string, got """`,
    );
    expect(rejection({ containers: [], supervisor: { backoff: [] } })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: supervisor.backoff must be an object, got an array"`,
    );
    expect(
      rejection({ containers: [], supervisor: { backoff: { minMs: -5 } } }),
    ).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: supervisor.backoff.minMs must be an integer from 0 to 2147483647, got -5"`,
    );
    expect(
      rejection({ containers: [], supervisor: { backoff: { minMs: 100, maxMs: 50 } } }),
    ).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: supervisor.backoff.maxMs must be at least backoff.minMs (100), got 50"`,
    );
    expect(
      rejection({ containers: [], supervisor: { backoff: { jitter: 2 } } }),
    ).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: supervisor.backoff.jitter must be a number from 0 to 1, got 2"`,
    );
    expect(
      rejection({ containers: [], supervisor: { backoff: { resetAfterMs: 'soon' } } }),
    ).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: supervisor.backoff.resetAfterMs must be an integer from 0 to 2147483647, got "soon""`,
    );
  });

  it('rejects bad children, naming their path in the tree', () => {
    expect(rejection({})).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: containers must be an array of container or supervisor specs, got undefined"`,
    );
    expect(rejection({ containers: [null] })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: containers[0] must be a container or supervisor spec, got null"`,
    );
    expect(rejection({ containers: [{ ...ok, name: '' }] })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: containers[0].name must be a non-empty string, got """`,
    );
    expect(
      rejection({ containers: [ok, { ...ok, name: 'p', kind: 'process' }] }),
    ).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: containers[1].kind must be "container" or "supervisor", got "process""`,
    );
    expect(rejection({ containers: [{ kind: 'container', name: 'x' }] })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: containers[0].runtime must be a runtime factory (use defineContainer), got undefined"`,
    );
    expect(rejection({ containers: [{ ...ok, restart: 'sometimes' }] })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: containers[0].restart must be one of permanent, transient, temporary, got "sometimes""`,
    );
    expect(rejection({ containers: [{ ...ok, onFault: 'ignore' }] })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: containers[0].onFault must be one of restart, resume, stop, escalate, got "ignore""`,
    );
    expect(rejection({ containers: [{ ...ok, handlerTimeoutMs: 0 }] })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: containers[0].handlerTimeoutMs must be an integer from 1 to 2147483647, got 0"`,
    );
    expect(rejection({ containers: [{ ...ok, startTimeoutMs: -1 }] })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: containers[0].startTimeoutMs must be an integer from 1 to 2147483647, got -1"`,
    );
    expect(rejection({ containers: [{ ...ok, mailboxCapacity: 0 }] })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: containers[0].mailboxCapacity must be an integer from 1 to 16777216, got 0"`,
    );
    expect(
      rejection({ containers: [{ ...ok, publishesFromWorker: 'yes' }] }),
    ).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: containers[0].publishesFromWorker must be a boolean, got "yes""`,
    );
    expect(
      rejection({
        containers: [
          { kind: 'supervisor', name: 'inner', children: [{ ...ok, shutdownTimeoutMs: -1 }] },
        ],
      }),
    ).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: containers[0].children[0].shutdownTimeoutMs must be an integer from 0 to 2147483647, got -1"`,
    );
    expect(
      rejection({ containers: [{ kind: 'supervisor', name: 'inner', children: 'none' }] }),
    ).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: containers[0].children must be an array of container or supervisor specs, got "none""`,
    );
  });

  it('rejects duplicate names anywhere in the tree, the root included', () => {
    expect(rejection({ containers: [ok, ok] })).toMatchInlineSnapshot(
      `"DUPLICATE_NAME: containers[1].name "ok" is already used by containers[0]; every container and supervisor needs its own name"`,
    );
    expect(
      rejection({ containers: [ok, { kind: 'supervisor', name: 'inner', children: [ok] }] }),
    ).toMatchInlineSnapshot(
      `"DUPLICATE_NAME: containers[1].children[0].name "ok" is already used by containers[0]; every container and supervisor needs its own name"`,
    );
    expect(rejection({ containers: [scripted('root')] })).toMatchInlineSnapshot(
      `"DUPLICATE_NAME: containers[0].name "root" is already used by the root supervisor; every container and supervisor needs its own name"`,
    );
  });

  it('rejects hooks of the wrong shape', () => {
    expect(rejection({ containers: [], clock: {} })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: clock must be a Clock (now, setTimeout, clearTimeout), got an object"`,
    );
    expect(rejection({ containers: [], random: 0.5 })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: random must be a function, got 0.5"`,
    );
    expect(rejection({ containers: [], reportError: 'stderr' })).toMatchInlineSnapshot(
      `"INVALID_SYSTEM_OPTIONS: reportError must be a function, got "stderr""`,
    );
  });
});
