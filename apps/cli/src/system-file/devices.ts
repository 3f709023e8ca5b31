// Owns the schema of the `sensors:` and `gpio:` keys of a system file: the simulated devices Ocre's current-API containers see.
import { z } from 'zod';
import { integer, oneOf, strictObject, text } from './schema-parts.ts';

/** One `sensors:` entry: a random sensor like Ocre's RNG sensor, or one replaying a file of readings. */
export const sensorSchema = strictObject(
  {
    name: text('a sensor name (what ocre_sensors_open_by_name looks up)'),
    kind: oneOf(['random', 'scripted']),
    script: text('a path to a file of readings, relative to the system file').optional(),
    channelTypes: z
      .array(integer(0), { invalid_type_error: 'a list of channel types (whole numbers)' })
      .optional(),
  },
  'a sensor like { name: RNG Sensor, kind: random } or { name: thermometer, kind: scripted, script: ./readings.txt }',
).superRefine((sensor, ctx) => {
  if (sensor.kind === 'scripted' && sensor.script === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['script'],
      message: 'a script file for a scripted sensor',
    });
  if (
    sensor.kind === 'random' &&
    (sensor.script !== undefined || sensor.channelTypes !== undefined)
  )
    ctx.addIssue({
      code: 'custom',
      path: ['kind'],
      message: 'scripted (script and channelTypes are for scripted sensors)',
    });
});

/** The `gpio:` key: names for virtual pins (ports 0-7, pins 0-15). */
export const gpioSchema = strictObject(
  {
    names: z
      .record(
        strictObject(
          { port: integer(0, 7), pin: integer(0, 15) },
          'a pin like { port: 0, pin: 3 }',
        ),
        { invalid_type_error: 'a mapping of pin names to { port, pin }' },
      )
      .optional(),
  },
  'a mapping with names: { led0: { port: 0, pin: 1 } }',
);

/** A `sensors:` entry. */
export type SensorEntry = z.infer<typeof sensorSchema>;
/** The `gpio:` key. */
export type GpioEntry = z.infer<typeof gpioSchema>;
