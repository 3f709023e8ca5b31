// Owns the publish-outside scenario: system.publish from outside any container into one TypeScript subscriber, 1e6 messages.
import { fanoutScenario } from './fanout.ts';

/** `system.publish` → one subscriber container. */
export const publishOutside = fanoutScenario(1, 'outside');
