// Owns the zod schema of a system file: messaging, the root supervisor and a tree of WASM, TypeScript and supervisor entries.
import { maxLimitValue, maxQueueCapacity, topicMatchingModes } from '@ocre-ts/core';
import type { TopicMatchingMode } from '@ocre-ts/core';
import { coveringSubscription, isMqttFilter } from '@ocre-ts/bridge-mqtt';
import { z } from 'zod';
import { bridgesSchema } from './bridges.ts';
import { gpioSchema, sensorSchema } from './devices.ts';
import type { BridgeEntry } from './bridges.ts';
import { integer, oneOf, strictObject, text } from './schema-parts.ts';

export { integer, strictObject, text };

/** A container or supervisor name. */
export const nameSchema = z
  .string({ invalid_type_error: 'a name', required_error: 'a name (every entry needs one)' })
  .regex(/^[A-Za-z0-9_.-]+$/, {
    message: 'a name of letters, digits, "_", "." or "-" (at least one)',
  });

const backoffSchema = strictObject(
  {
    minMs: integer(0).optional(),
    maxMs: integer(0).optional(),
    jitter: z
      .number({ invalid_type_error: 'a number from 0 to 1' })
      .min(0, { message: 'a number from 0 to 1' })
      .max(1, { message: 'a number from 0 to 1' })
      .optional(),
    resetAfterMs: integer(0).optional(),
  },
  'a mapping like { minMs: 10, maxMs: 1000 }',
).refine((b) => b.minMs === undefined || b.maxMs === undefined || b.maxMs >= b.minMs, {
  message: 'maxMs at least as large as minMs',
  path: ['maxMs'],
});

const supervisorShape = {
  strategy: oneOf(['one-for-one', 'one-for-all', 'rest-for-one']).optional(),
  maxRestarts: integer(0).optional(),
  withinMs: integer(1).optional(),
  backoff: backoffSchema.optional(),
};
const supervisorWhat = 'a mapping of strategy, maxRestarts, withinMs, backoff';

const childShape = {
  name: nameSchema,
  restart: oneOf(['permanent', 'transient', 'temporary']).optional(),
  onFault: oneOf(['restart', 'resume', 'stop', 'escalate']).optional(),
  shutdownTimeoutMs: integer(0).optional(),
};

const containerShape = {
  ...childShape,
  mailboxCapacity: integer(1, maxQueueCapacity).optional(),
  handlerTimeoutMs: integer(1).optional(),
  startTimeoutMs: integer(1).optional(),
};

const wasmEntrySchema = strictObject(
  {
    ...containerShape,
    wasm: text('a path to a .wasm module, relative to the system file'),
    memoryMaxPages: integer(1, 65536).optional(),
    isolation: oneOf(['pooled', 'worker']).optional(),
    args: z
      .array(z.string({ invalid_type_error: 'a string' }), {
        invalid_type_error: 'a list of strings',
      })
      .optional(),
    env: z
      .record(z.string({ invalid_type_error: 'a string' }), {
        invalid_type_error: 'a mapping of names to strings',
      })
      .optional(),
  },
  'a container entry',
);

const moduleEntrySchema = strictObject(
  {
    ...containerShape,
    module: text('a path to a TypeScript or JavaScript module, relative to the system file'),
    export: text('the name of the module export holding the container').optional(),
  },
  'a container entry',
);

/** A WebAssembly container entry. */
export type WasmEntry = z.infer<typeof wasmEntrySchema>;
/** A TypeScript (or JavaScript) container entry. */
export type ModuleEntry = z.infer<typeof moduleEntrySchema>;
/** A supervisor's own options: strategy, restart intensity, backoff. */
export type SupervisorFields = z.infer<z.ZodObject<typeof supervisorShape>>;
/** A nested supervisor entry with its own children. */
export interface SupervisorEntry extends z.infer<z.ZodObject<typeof childShape>> {
  readonly supervisor: SupervisorFields;
  readonly containers: readonly ChildEntry[];
}
/** Any entry of a `containers:` list. */
export type ChildEntry = WasmEntry | ModuleEntry | SupervisorEntry;

const kindKeys = ['wasm', 'module', 'supervisor'] as const;
const kindHint =
  'a container entry with `wasm: <file>` or `module: <file>`, or a nested supervisor with `supervisor:` and `containers:`';

const supervisorEntrySchema: z.ZodType<SupervisorEntry, z.ZodTypeDef, unknown> = strictObject(
  {
    ...childShape,
    supervisor: strictObject(supervisorShape, supervisorWhat),
    containers: z.lazy(() => childrenSchema),
  },
  'a supervisor entry',
);

/** Picks the entry's schema by the key that says what it is, so errors speak of that kind only. */
const childSchema: z.ZodType<ChildEntry, z.ZodTypeDef, unknown> = z
  .unknown()
  .transform((value, ctx): ChildEntry => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: kindHint });
      return z.NEVER;
    }
    const kinds = kindKeys.filter((key) => key in value);
    if (kinds.length !== 1) {
      const message =
        kinds.length === 0
          ? kindHint
          : `has both ${kinds.join(' and ')}; an entry is exactly one of a wasm container, a module container or a supervisor`;
      ctx.addIssue({ code: 'custom', message, params: { plain: kinds.length > 0 } });
      return z.NEVER;
    }
    const schema =
      kinds[0] === 'wasm'
        ? wasmEntrySchema
        : kinds[0] === 'module'
          ? moduleEntrySchema
          : supervisorEntrySchema;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path });
    return z.NEVER;
  });

const childrenSchema = z
  .array(childSchema, {
    invalid_type_error: 'a list of entries',
    required_error: 'a list of entries',
  })
  .min(1, { message: 'a list of at least one entry' });

const limitsSchema = strictObject(
  {
    maxTopicBytes: integer(1, maxLimitValue).optional(),
    maxContentTypeBytes: integer(1, maxLimitValue).optional(),
    maxPayloadBytes: integer(1, maxLimitValue).optional(),
    maxSubscriptions: integer(1, maxLimitValue).optional(),
  },
  'a mapping of maxTopicBytes, maxContentTypeBytes, maxPayloadBytes, maxSubscriptions',
);

/** The whole system file. */
export const systemFileSchema = strictObject(
  {
    messaging: strictObject(
      {
        queueCapacity: integer(1, maxQueueCapacity).optional(),
        mailboxCapacity: integer(1, maxQueueCapacity).optional(),
        topicMatching: oneOf(
          topicMatchingModes as unknown as ['exact', 'prefix', 'wildcard'],
        ).optional(),
        limits: limitsSchema.optional(),
      },
      'a mapping of queueCapacity, mailboxCapacity, topicMatching, limits',
    ).optional(),
    supervisor: strictObject(
      { name: nameSchema.optional(), ...supervisorShape },
      supervisorWhat,
    ).optional(),
    wasmPool: strictObject(
      { size: integer(1, 256).optional() },
      'a mapping of size (worker threads shared by pooled WebAssembly containers)',
    ).optional(),
    containers: childrenSchema,
    bridges: bridgesSchema.optional(),
    sensors: z.array(sensorSchema, { invalid_type_error: 'a list of sensors' }).optional(),
    gpio: gpioSchema.optional(),
  },
  'a mapping with messaging, supervisor, containers, bridges, sensors and gpio',
).superRefine((system, ctx) => {
  checkBridges(system.bridges ?? [], system.messaging?.topicMatching ?? 'exact', ctx);
  // Names are global to the system: containers, nested supervisors and the root.
  const rootName = system.supervisor?.name;
  const seen = new Map<string, string>([
    rootName === undefined
      ? ['root', 'the root supervisor (its default name)']
      : [rootName, 'supervisor.name'],
  ]);
  const visit = (children: readonly ChildEntry[], path: (string | number)[]) => {
    children.forEach((child, index) => {
      const at = [...path, index];
      const earlier = seen.get(child.name);
      if (earlier !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'name'],
          message: `"${child.name}" is already used by ${earlier}; names must be unique in the system`,
          params: { plain: true },
        });
      } else {
        seen.set(child.name, formatPath([...at, 'name']));
      }
      if ('supervisor' in child) visit(child.containers, [...at, 'containers']);
    });
  };
  visit(system.containers, ['containers']);
});

/** Bridge names are unique, and each export pattern can be subscribed to in the system's matching mode. */
function checkBridges(
  bridges: readonly BridgeEntry[],
  mode: TopicMatchingMode,
  ctx: z.RefinementCtx,
): void {
  const names = new Set<string>();
  bridges.forEach((bridge, index) => {
    if (names.has(bridge.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['bridges', index, 'name'],
        message: `"${bridge.name}" is already the name of another bridge; bridge names must be unique`,
        params: { plain: true },
      });
    }
    names.add(bridge.name);
    for (const [key, patterns] of [
      ['export', bridge.export ?? []],
      ['import', bridge.import ?? []],
    ] as const) {
      patterns.forEach((pattern, at) => {
        const path = ['bridges', index, key, at];
        if (!isMqttFilter(pattern)) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `expected an MQTT topic filter such as "sensors/#" or "commands/+" ("+" and "#" fill a whole level, "#" comes last), got ${JSON.stringify(pattern)}`,
            params: { plain: true },
          });
          return;
        }
        try {
          if (key === 'export') coveringSubscription(mode, pattern);
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: (error as Error).message,
            params: { plain: true },
          });
        }
      });
    }
  });
}

/** A validated system file, before paths are resolved. */
export type SystemFileData = z.infer<typeof systemFileSchema>;

/** True for a nested supervisor entry. */
export function isSupervisorEntry(entry: ChildEntry): entry is SupervisorEntry {
  return 'supervisor' in entry;
}

/** True for a WebAssembly container entry. */
export function isWasmEntry(entry: ChildEntry): entry is WasmEntry {
  return 'wasm' in entry;
}

/** Show a path inside the file the way it reads in YAML terms: `containers[1].backoff.minMs`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`,
    )
    .join('');
}

/** True when a WebAssembly container is among `entries`, at any depth. */
export function hasWasm(entries: readonly ChildEntry[]): boolean {
  return entries.some((entry) =>
    isSupervisorEntry(entry) ? hasWasm(entry.containers) : isWasmEntry(entry),
  );
}
