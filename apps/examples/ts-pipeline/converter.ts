// Converts readings/celsius to readings/fahrenheit; a reading below absolute zero makes its handler throw, a fault its supervisor handles.
import { defineContainer } from '@ocre-ts/actors';
import { readJson } from '@ocre-ts/core';

/** Below this no reading can be real. */
const absoluteZero = -273.15;

/** The converter: Celsius in, Fahrenheit out; a glitched reading is a handler fault. */
export default defineContainer({
  name: 'converter',
  initialState: () => ({ converted: 0 }),
  init(api, ctx) {
    api.ocre_msg_system_init();
    if (api.ocre_subscribe_message('readings/celsius', 'convert') !== 0) {
      throw new Error(`cannot subscribe: ${api.lastError()?.message ?? 'unknown'}`);
    }
    ctx.log('converting readings/celsius to readings/fahrenheit');
  },
  handlers: {
    convert(message, ctx) {
      const { celsius } = readJson(message) as { celsius: number };
      if (!(celsius >= absoluteZero)) {
        throw new RangeError(`${celsius} °C is below absolute zero: the sensor glitched`);
      }
      ctx.state.converted += 1;
      const fahrenheit = Math.round(((celsius * 9) / 5 + 32) * 10) / 10;
      ctx.api.publish('readings/fahrenheit', 'application/json', JSON.stringify({ fahrenheit }));
    },
  },
});
