// Owns the zod schema of a chaos plan file: a seed and a list of faults, each checked by its kind, in the shape @ocre-ts/actors/testing takes.
import type { Fault, FaultKind, FaultPlan } from '@ocre-ts/actors/testing';
import { z } from 'zod';
import { integer, nameSchema, strictObject, text } from '../system-file/schema.ts';

const probability = z
  .number({ invalid_type_error: 'a number from 0 to 1' })
  .min(0, { message: 'a number from 0 to 1' })
  .max(1, { message: 'a number from 0 to 1' });
const topic = text('a topic');

/** nth, probability and times: when a per-message fault fires. */
const trigger = {
  nth: integer(1).optional(),
  probability: probability.optional(),
  times: integer(1).optional(),
};

const kind = <const TKind extends FaultKind>(value: TKind) =>
  z.literal(value, { errorMap: () => ({ message: `"${value}"` }) });

/** The schema of each kind of fault; every key of a fault is checked against its kind. */
const faultSchemas = {
  throw: strictObject(
    { kind: kind('throw'), container: nameSchema, topic: topic.optional(), ...trigger },
    'a throw fault',
  ),
  hang: strictObject(
    { kind: kind('hang'), container: nameSchema, topic: topic.optional(), ...trigger },
    'a hang fault',
  ),
  kill: strictObject(
    {
      kind: kind('kill'),
      container: nameSchema,
      atMs: integer(0).optional(),
      topic: topic.optional(),
      ...trigger,
    },
    'a kill fault',
  ),
  delay: strictObject(
    {
      kind: kind('delay'),
      ms: integer(0),
      container: nameSchema.optional(),
      topic: topic.optional(),
      ...trigger,
    },
    'a delay fault',
  ),
  drop: strictObject(
    { kind: kind('drop'), container: nameSchema.optional(), topic: topic.optional(), ...trigger },
    'a drop fault',
  ),
  slow: strictObject(
    {
      kind: kind('slow'),
      container: nameSchema,
      ms: integer(0),
      topic: topic.optional(),
      ...trigger,
    },
    'a slow fault',
  ),
  'fill-queue': strictObject(
    { kind: kind('fill-queue'), atMs: integer(0), topic: topic.optional() },
    'a fill-queue fault',
  ),
  'fail-start': strictObject(
    { kind: kind('fail-start'), container: nameSchema, times: integer(1) },
    'a fail-start fault',
  ),
  'crash-supervisor': strictObject(
    { kind: kind('crash-supervisor'), supervisor: nameSchema, atMs: integer(0) },
    'a crash-supervisor fault',
  ),
} satisfies Record<FaultKind, z.ZodTypeAny>;

const kinds = Object.keys(faultSchemas) as FaultKind[];
const kindHint = `a fault: a mapping with kind (${kinds.join(', ')}) and its fields`;

/** Picks the fault's schema by its `kind`, so errors speak of that kind only. */
const faultSchema: z.ZodType<Fault, z.ZodTypeDef, unknown> = z
  .unknown()
  .transform((value, ctx): Fault => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: kindHint });
      return z.NEVER;
    }
    const given = (value as { kind?: unknown }).kind;
    const schema = kinds.includes(given as FaultKind)
      ? faultSchemas[given as FaultKind]
      : undefined;
    if (schema === undefined) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: `one of ${kinds.join(', ')}` });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      const fault = parsed.data as Fault & MessageFields;
      if (fault.nth !== undefined && fault.probability !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'give nth or probability, not both',
          params: { plain: true },
        });
      }
      if (
        fault.kind === 'kill' &&
        fault.atMs !== undefined &&
        (fault.nth ?? fault.probability) !== undefined
      ) {
        ctx.addIssue({
          code: 'custom',
          message: 'a kill happens at atMs or on a message (nth, probability), not both',
          params: { plain: true },
        });
      }
      return fault;
    }
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path });
    return z.NEVER;
  });

interface MessageFields {
  readonly nth?: number;
  readonly probability?: number;
  readonly atMs?: number;
}

/** A whole chaos plan file. */
export const chaosPlanSchema: z.ZodType<FaultPlan, z.ZodTypeDef, unknown> = strictObject(
  {
    seed: integer(0, 2 ** 32 - 1).optional(),
    faults: z
      .array(faultSchema, {
        invalid_type_error: 'a list of faults',
        required_error: 'a list of faults',
      })
      .min(1, { message: 'a list of at least one fault' }),
  },
  'a mapping with seed and faults',
).transform((plan): FaultPlan =>
  plan.seed === undefined ? { faults: plan.faults } : { seed: plan.seed, faults: plan.faults },
);
