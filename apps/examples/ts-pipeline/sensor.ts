// The pipeline's source: publishes a Celsius reading to readings/celsius every 200 ms, and a bogus one every 15th.
import { defineTicker } from './ticker.ts';

/** The sensor: a ticker publishing a reading every 200 ms. */
export default defineTicker({
  name: 'sensor',
  everyMs: 200,
  initialState: () => ({ count: 0 }),
  tick(api, state, log) {
    state.count += 1;
    // A glitching sensor: every 15th reading is out of any physical range.
    const celsius = state.count % 15 === 0 ? -999 : 21 + Math.sin(state.count / 5) * 3;
    const payload = JSON.stringify({ celsius: Math.round(celsius * 10) / 10 });
    if (
      api.ocre_publish_message('readings/celsius', 'application/json', payload, payload.length) !==
      0
    ) {
      log(`publish failed: ${api.lastError()?.message ?? 'unknown'}`);
    }
  },
});
