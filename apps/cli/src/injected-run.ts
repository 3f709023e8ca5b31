// Owns a run's injected faults: a --chaos plan, a --ui dashboard's buttons, or both, through one fault injection; each fired fault printed, logged and shown.
import type { OcreSystem, OcreSystemOptions } from '@ocre-ts/actors';
import { injectFaults } from '@ocre-ts/actors/testing';
import type { FaultInjection, FaultRecord } from '@ocre-ts/actors/testing';
import { applyChaos, describeFired } from './chaos.ts';
import type { ChaosRun } from './chaos.ts';
import { openLiveDashboard } from './dashboard/live-dashboard.ts';
import type { LiveDashboard } from './dashboard/live-dashboard.ts';
import type { UiAddress } from './dashboard/ui-address.ts';
import { usageError } from './errors.ts';
import { faultEvent } from './events-log.ts';
import type { EventLog, FaultSource } from './events-log.ts';
import { note } from './output.ts';

/** Options of {@link prepareInjectedRun}. */
export interface InjectedRunOptions {
  /** The composed system. */
  readonly system: OcreSystemOptions;
  /** What runs, for the dashboard's title. */
  readonly title: string;
  /** The command, for usage errors. */
  readonly command: string;
  /** `--chaos <file>` and `--seed`. */
  readonly chaos?: { readonly file: string; readonly seed: number | undefined };
  /** `--ui [host:port]`. */
  readonly ui?: UiAddress;
  /** Where fired faults are printed, if anywhere. */
  readonly print: ((line: string) => void) | undefined;
  /** The run's event log, if any, read when a fault fires. */
  readonly eventLog: () => EventLog | undefined;
}

/** A run prepared for injected faults. */
export interface InjectedRun {
  /** Create the system with these. */
  readonly options: OcreSystemOptions;
  /** The `--chaos` plan applied, if any. */
  readonly chaos: ChaosRun | undefined;
  /** The dashboard, if `--ui`. */
  readonly dashboard: LiveDashboard | undefined;
  /** Call once the system exists. */
  attach(system: OcreSystem): void;
  /** Stop the dashboard. */
  close(): Promise<void>;
}

/**
 * Apply `--chaos` and/or open the `--ui` dashboard. A dashboard makes the injection live (every
 * container reachable); faults of the plan are `chaos`, faults injected later are `dashboard`.
 *
 * @throws CliError `INVALID_CHAOS_PLAN` for a bad plan, `USAGE` when the address cannot be bound
 */
export async function prepareInjectedRun(options: InjectedRunOptions): Promise<InjectedRun> {
  const live = options.ui !== undefined;
  let dashboard: LiveDashboard | undefined;
  let planned = 0;
  const fired = (record: FaultRecord) => {
    const source: FaultSource = record.fault < planned ? 'chaos' : 'dashboard';
    options.print?.(describeFired(record, source));
    options.eventLog()?.write(faultEvent(record, source));
    dashboard?.recordFault(record, source);
  };
  const chaos =
    options.chaos === undefined
      ? undefined
      : applyChaos(options.system, options.chaos.file, options.chaos.seed, fired, live);
  let injection: (FaultInjection & { readonly options: OcreSystemOptions }) | undefined;
  if (chaos !== undefined) {
    planned = chaos.injection.plan.faults.length;
  } else if (live) {
    injection = injectFaults(options.system, { faults: [] }, { live: true, onFired: fired });
  }
  const injected = chaos?.options ?? injection?.options ?? options.system;
  if (options.ui !== undefined) {
    const address = options.ui;
    try {
      dashboard = await openLiveDashboard({
        system: injected,
        injection: (chaos?.injection ?? injection) as FaultInjection,
        title: options.title,
        address,
        reportError: (error) =>
          note(
            `dashboard: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          ),
      });
    } catch (error) {
      throw usageError(
        `--ui: cannot serve the dashboard on ${address.host}:${address.port}: ${(error as Error).message}`,
        options.command,
      );
    }
    note(`dashboard at ${dashboard.url}`);
  }
  return {
    options: dashboard?.options ?? injected,
    chaos,
    dashboard,
    attach: (system) => dashboard?.attach(system),
    close: async () => dashboard?.close(),
  };
}
