// Owns a pooled worker's thread: holds the modules it was sent and the instances it runs, and dispatches start, hand-over (Ocre's current API) and kill commands to them; 2025-API mail arrives through the delivery ring.
import { parentPort, workerData } from 'node:worker_threads';
import { C_RUNNING, C_TURN } from '../channel/control-block.ts';
import type { PoolCommand } from './pool-protocol.ts';
import { PooledInstance } from './pooled-instance.ts';
import type { PooledInstanceLinks } from './pooled-instance.ts';
import { receiveDeliveries } from './ring-receiver.ts';
import type { MailTarget } from './ring-receiver.ts';
import type { WorkerReport } from '../channel/worker-protocol.ts';
import { filterWorkerWarnings } from '../channel/worker-warnings.ts';

filterWorkerWarnings();

const port = parentPort;
if (port === null) throw new Error('pool-worker runs inside a worker thread (see wasm-pool.ts)');

const data = workerData as { control: SharedArrayBuffer; ring: SharedArrayBuffer };
const control = new Int32Array(data.control);
const modules = new Map<string, WebAssembly.Module>();
const instances = new Map<number, PooledInstance>();
const targets = new Map<number, MailTarget>();
const links: PooledInstanceLinks = {
  post: (report: WorkerReport) => port.postMessage(report),
  control,
  enter: (id) => {
    Atomics.store(control, C_RUNNING, id);
    Atomics.add(control, C_TURN, 1);
  },
  leave: () => Atomics.store(control, C_RUNNING, 0),
};

receiveDeliveries(data.ring, (id) => targets.get(id), links.post);

port.on('message', (command: PoolCommand) => {
  switch (command.type) {
    case 'module':
      modules.set(command.key, command.module);
      return;
    case 'start': {
      const module = modules.get(command.key);
      if (module === undefined) {
        const message = `module ${command.key} was never sent to this worker`;
        links.post({
          type: 'start-failed',
          generation: command.generation,
          error: { name: 'Error', message },
          permanent: false,
        });
        return;
      }
      const instance = new PooledInstance(command, module, links);
      instances.set(command.generation, instance);
      targets.set(command.generation, {
        lane: new Int32Array(command.lane),
        epoch: 0,
        get acceptsMail() {
          return instance.acceptsMail;
        },
        deliver: (delivery) => instance.deliver(delivery),
      });
      if (!instance.start()) {
        instances.delete(command.generation);
        targets.delete(command.generation);
      }
      return;
    }
    case 'hand-over':
      instances.get(command.id)?.handOver(command);
      return;
    case 'kill':
      instances.get(command.id)?.end();
      instances.delete(command.id);
      targets.delete(command.id);
      if (command.ack) port.postMessage({ type: 'ended', generation: command.id });
      return;
    case 'exit':
      for (const instance of instances.values()) instance.end();
      process.exit(0);
  }
});
