// Owns reporting the reasons of failed host calls to the main thread, rate-limited: at most a window's worth of lines, the rest counted and summarised.
import type { WorkerReport } from '../channel/worker-protocol.ts';

/** Reasons reported per window; the rest are counted and summarised. */
const reportsPerWindow = 50;
const reportWindowMs = 1000;

/**
 * Makes the reporter of one instance's failed calls: each reason goes to the container's stderr
 * as a `call-error` report, at most {@link reportsPerWindow} per second; beyond that one
 * `SUPPRESSED` line says how many were only counted.
 *
 * @param generation - the instance the reports are about
 * @param post - the worker's reporting channel
 */
export function createCallErrorReporter(
  generation: number,
  post: (report: WorkerReport) => void,
): (code: string, message: string) => void {
  let windowStart = 0;
  let reported = 0;
  let suppressed = 0;
  return (code, message) => {
    const now = performance.now();
    if (now - windowStart >= reportWindowMs) {
      if (suppressed > 0) {
        const summary = `${suppressed} more failed calls were not reported`;
        post({ type: 'call-error', generation, code: 'SUPPRESSED', message: summary });
      }
      windowStart = now;
      reported = 0;
      suppressed = 0;
    }
    if (reported < reportsPerWindow) {
      reported++;
      post({ type: 'call-error', generation, code, message });
    } else if (suppressed++ === 0) {
      const summary = `over ${reportsPerWindow} failed calls within ${reportWindowMs} ms; counting the rest`;
      post({ type: 'call-error', generation, code: 'SUPPRESSED', message: summary });
    }
  };
}
