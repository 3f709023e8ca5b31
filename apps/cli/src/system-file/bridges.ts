// Owns the zod schema of a system file's `bridges:` section: MQTT bridges to other systems.
import { z } from 'zod';
import { integer, strictObject, text } from './schema-parts.ts';

const filterList = (what: string) =>
  z
    .array(text(`an MQTT topic filter such as "sensors/#"`), {
      invalid_type_error: `a list of ${what} topic patterns (MQTT filters), e.g. ['sensors/#']`,
    })
    .optional();

/** One bridge: a supervised connection to an MQTT 5 broker. */
const bridgeEntrySchema = strictObject(
  {
    name: z
      .string({ invalid_type_error: 'a name', required_error: 'a name (every bridge needs one)' })
      .regex(/^[A-Za-z0-9_.-]+$/, {
        message: 'a name of letters, digits, "_", "." or "-" (at least one)',
      }),
    mqtt: z
      .string({
        invalid_type_error: 'a broker URL such as mqtt://127.0.0.1:1883',
        required_error: 'a broker URL such as mqtt://127.0.0.1:1883',
      })
      .regex(/^mqtts?:\/\/[^\s]+$/, { message: 'an mqtt:// or mqtts:// URL' }),
    export: filterList('local'),
    import: filterList('local'),
    prefix: z.string({ invalid_type_error: 'a string such as "ocre/"' }).optional(),
    qos: z
      .union([z.literal(0), z.literal(1)], { errorMap: () => ({ message: '0 or 1' }) })
      .optional(),
    retain: z.boolean({ invalid_type_error: 'true or false' }).optional(),
    outboxCapacity: integer(1, 10_000_000).optional(),
    outboxFile: text(
      'a path to the outbox file (created if missing), relative to the system file',
    ).optional(),
    outboxSync: z
      .enum(['none', 'batch'], { errorMap: () => ({ message: '"none" or "batch"' }) })
      .optional(),
    systemId: text('a system id (default: <host>:<file name>-<hash of its path>)').optional(),
    username: text('a user name').optional(),
    password: text('a password').optional(),
    ca: text('a path to a CA certificate (PEM), relative to the system file').optional(),
    cert: text('a path to a client certificate (PEM), relative to the system file').optional(),
    key: text('a path to the client key (PEM), relative to the system file').optional(),
  },
  'a bridge entry like { name: uplink, mqtt: mqtt://127.0.0.1:1883, export: [sensors/#] }',
);

/** The `bridges:` list. */
export const bridgesSchema = z.array(bridgeEntrySchema, {
  invalid_type_error: 'a list of bridge entries',
});

/** A bridge entry as validated. */
export type BridgeEntry = z.infer<typeof bridgeEntrySchema>;

/** The keys of a bridge entry that name files, resolved relative to the system file. */
export const bridgeFileKeys = ['ca', 'cert', 'key'] as const;
