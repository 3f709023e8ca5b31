// Owns starting a supervisor's children one after another, as OTP does, skipping those taken down meanwhile.
import type { ChildRecord, NestedSupervisor } from './types.ts';

/** What the ordered start asks of the supervisor that runs it. */
export interface OrderedStarter {
  /** True while the supervisor is `running` (a stop or failure ends the sequence). */
  isRunning(): boolean;
  /** The clock's time, recorded as each child's `startedAt`. */
  now(): number;
}

/**
 * Start `members` one after another: each child's start (its init, or a nested supervisor's
 * whole start) finishes before the next begins, so a subscriber listed before a publisher is
 * subscribed before the publisher's first message. A member taken down or stopped meanwhile
 * (its generation moved on) is skipped; a nested supervisor still stopping is awaited first.
 */
export async function startInOrder(
  members: readonly ChildRecord<NestedSupervisor>[],
  supervisor: OrderedStarter,
): Promise<void> {
  const generations = members.map((member) => member.generation);
  // Called from the machine's own transition: let it settle into `running` first.
  await Promise.resolve();
  for (let i = 0; i < members.length; i++) {
    const member = members[i] as ChildRecord<NestedSupervisor>;
    if (!supervisor.isRunning()) return;
    if (member.generation !== generations[i]) continue;
    if (member.stopping !== undefined) {
      await member.stopping;
      member.stopping = undefined;
      if (!supervisor.isRunning()) return;
      if (member.generation !== generations[i]) continue;
    }
    member.startedAt = supervisor.now();
    if (member.cell !== undefined) {
      member.cell.send({ type: 'start' });
      await member.cell.until((state) => state !== 'starting');
    } else if (member.node !== undefined) {
      member.node.start();
      await member.node.started;
    }
  }
}
