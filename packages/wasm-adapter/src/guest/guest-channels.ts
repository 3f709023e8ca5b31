// Owns the channels every guest instance talks through, in either kind of worker: its messaging port (publishes straight into the shared queue) and its stdout and stderr, reported line by line.
import { LineSink } from './wasi-output.ts';
import { WorkerMessagingPort } from './worker-port.ts';
import type { StartCommand, WorkerReport } from '../channel/worker-protocol.ts';

/** What the channels are built from: the instance's start command, minus what they do not use. */
export type ChannelsCommand = Pick<
  StartCommand,
  'generation' | 'sharedQueue' | 'producerId' | 'topicMatching'
>;

/** The messaging port and output lines of one guest instance. */
export class GuestChannels {
  /** Publishes and subscribes of the guest. */
  readonly port: WorkerMessagingPort;
  /** The guest's stdout, reported line by line. */
  readonly stdout: LineSink;
  /** The guest's stderr, reported line by line. */
  readonly stderr: LineSink;

  /**
   * @param command - the instance's start command (its `generation` names every report)
   * @param control - the worker's control block (call replies)
   * @param post - the worker's reporting channel
   */
  constructor(command: ChannelsCommand, control: Int32Array, post: (report: WorkerReport) => void) {
    const { generation } = command;
    this.port = new WorkerMessagingPort({
      generation,
      control,
      sharedQueue: command.sharedQueue,
      producerId: command.producerId,
      topicMatching: command.topicMatching,
      post,
    });
    const emit = (stream: 'stdout' | 'stderr') => (line: string) =>
      post({ type: 'output', generation, stream, line });
    this.stdout = new LineSink(emit('stdout'));
    this.stderr = new LineSink(emit('stderr'));
  }

  /** Report the guest's partial output lines. */
  flushOutput(): void {
    this.stdout.flush();
    this.stderr.flush();
  }
}
