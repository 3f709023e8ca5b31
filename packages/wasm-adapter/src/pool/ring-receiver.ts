// Owns a pooled worker's side of its delivery ring: waiting on the doorbell, taking records in order in bounded batches, and handing each to its instance through one narrow function.
import { OVERSIZED, RingReader } from '../channel/delivery-ring.ts';
import type { RingDelivery } from '../channel/delivery-ring.ts';
import { claim, complete } from '../channel/delivery-lane.ts';
import type {
  DeliveredReport,
  HandlerFailedReport,
  WorkerReport,
} from '../channel/worker-protocol.ts';

/** Records taken per turn of the worker's event loop before timers (sleeping mains) get a turn. */
const batchRecords = 256;

/** How one delivery to an instance ended. */
export type DeliveryOutcome = DeliveredReport | HandlerFailedReport;

/** What the receiver knows of one instance on this worker. */
export interface MailTarget {
  /** The instance's lane: claimed before a handler runs, completed after it returns. */
  readonly lane: Int32Array;
  /** Records of another epoch are stale (sent before a failed delivery was heard of): skipped. */
  epoch: number;
  /** Is the instance taking mail now? A dead one leaves its records unclaimed. */
  readonly acceptsMail: boolean;
  /** Run the handler on the message: the one call that moves a message into the guest. */
  deliver(delivery: RingDelivery): DeliveryOutcome;
}

/** The outcome of a message too large for the ring: it fails in its place, the instance lives on. */
function oversized(delivery: RingDelivery, capacity: number): DeliveryOutcome {
  const message = `message ${delivery.mid} does not fit the pool's delivery ring (${capacity} bytes; one message may take half of it): raise WasmPool({ ringBytes }) or send smaller payloads`;
  return {
    type: 'handler-failed',
    generation: delivery.id,
    kind: 'delivery',
    error: { name: 'Error', message },
  };
}

/**
 * Take every record of `ring` as it arrives, for as long as the thread lives. A delivery runs
 * only once its lane is claimed (never after the main thread fenced it); a handled one is a
 * completion in the lane, a failure (or `proc_exit(0)`) also a report naming its sequence.
 *
 * @param ring - the worker's delivery ring
 * @param target - the instance a record is for, if it is still on this worker
 * @param post - the worker's reporting channel
 */
export function receiveDeliveries(
  ring: SharedArrayBuffer,
  target: (id: number) => MailTarget | undefined,
  post: (report: WorkerReport) => void,
): void {
  const reader = new RingReader(ring);
  const visit = (delivery: RingDelivery): void => {
    const instance = target(delivery.id);
    if (instance === undefined || delivery.epoch !== instance.epoch || !instance.acceptsMail)
      return;
    if (!claim(instance.lane, delivery.seq)) return;
    const outcome =
      delivery.handlerIndex === OVERSIZED
        ? oversized(delivery, reader.bytesCapacity)
        : instance.deliver(delivery);
    if (outcome.type === 'delivered') {
      complete(instance.lane, delivery.seq);
      if (outcome.exited) post({ ...outcome, seq: delivery.seq });
      return;
    }
    // A message that could not be placed leaves the instance alive: what the main thread sent
    // after it is stale until it has heard of the failure and moved to the next epoch.
    if (outcome.kind === 'delivery') instance.epoch++;
    post({ ...outcome, seq: delivery.seq });
  };
  const pump = (): void => {
    for (;;) {
      const visited = reader.read(batchRecords, visit);
      if (visited > 0) reader.signalDone();
      if (visited === batchRecords) {
        setImmediate(pump);
        return;
      }
      const seen = reader.prepareWait();
      if (reader.empty()) {
        void reader.waitBell(seen).then(pump);
        return;
      }
      reader.cancelWait();
    }
  };
  pump();
}
