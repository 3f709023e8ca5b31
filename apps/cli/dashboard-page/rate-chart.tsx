// Owns the rates-over-time chart: published, delivered and dead letters per second (averaged over the last second), drawn with uPlot.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { RateHistory } from '../src/dashboard/model/view-state.ts';

/** Props of {@link RateChart}. */
export interface RateChartProps {
  readonly rates: RateHistory;
  /** Redraw when this changes. */
  readonly version: number;
  /** A replay records only dead letters. */
  readonly deadLettersOnly: boolean;
}

/** The chart; uPlot owns its canvas, Preact only hands it new data. */
export function RateChart({ rates, version, deadLettersOnly }: RateChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  useEffect(() => {
    const element = host.current;
    if (element === null) return undefined;
    const series: uPlot.Series[] = [
      { label: 'time (s)' },
      { label: 'published/s', stroke: '#2b6cb0', show: !deadLettersOnly },
      { label: 'delivered/s', stroke: '#2f855a', show: !deadLettersOnly },
      { label: 'dead letters/s', stroke: '#c53030' },
    ];
    chart.current = new uPlot(
      {
        width: Math.max(300, element.clientWidth),
        height: 200,
        series,
        scales: { x: { time: false } },
        axes: [{ label: 's' }, {}],
      },
      [[], [], [], []],
      element,
    );
    return () => chart.current?.destroy();
  }, [deadLettersOnly]);
  useEffect(() => {
    chart.current?.setData([rates.time, rates.published, rates.delivered, rates.deadLettered]);
  }, [version, rates]);
  return <div class="chart" ref={host} />;
}
