// Owns the fanout-1x1 scenario: one topic, one subscriber, 1e6 messages.
import { fanoutScenario } from './fanout.ts';

/** One topic → one subscriber. */
export const fanout1x1 = fanoutScenario(1);
