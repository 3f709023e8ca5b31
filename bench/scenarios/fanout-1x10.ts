// Owns the fanout-1x10 scenario: one topic, ten subscribers, 1e6 messages (1e7 deliveries).
import { fanoutScenario } from './fanout.ts';

/** One topic → ten subscribers. */
export const fanout1x10 = fanoutScenario(10);
