// Legacy datastores emptied over time: when each can be unmounted and the old array
// decommissioned. A datastore is empty when the last copy off it ended (datastoresEmptied).

import { formatDuration } from '../../domain/units.js';
import type { SimulationResult } from '../../core/result.js';
import { maxOf, minOf } from '../extent.js';
import { anyConfig, type ChartSpec } from './spec.js';
import { AREA_LEGEND, commonOptions, HEIGHT, INK, linearAxis, lineStyle, timeUnit, withAlpha } from './style.js';
import { bandsNote, chartTimeOf, timeAxis, windowBands } from './time-axis.js';

/** Step series [t, number emptied by t], from 0 to `end`; datastores never emptied do not count. */
export function emptiedSteps(r: Pick<SimulationResult, 'datastoresEmptied'>, end: number): Array<[number, number]> {
  const times = r.datastoresEmptied.map((d) => d.at).filter((t): t is number => t !== null).sort((a, b) => a - b);
  const out: Array<[number, number]> = [[0, 0]];
  times.forEach((t, i) => {
    const last = out[out.length - 1]!;
    if (last[0] === t) last[1] = i + 1;
    else out.push([t, i + 1]);
  });
  const last = out[out.length - 1]!;
  if (last[0] < end) out.push([end, last[1]]);
  return out;
}

export function datastoresChart(r: SimulationResult): ChartSpec {
  const total = r.datastoresEmptied.length;
  const emptied = r.datastoresEmptied.filter((d) => d.at !== null);
  const end = Math.max(1, r.makespanSeconds);
  const t = timeUnit(end);
  const time = chartTimeOf(r);
  const steps = emptiedSteps(r, end);
  const style = lineStyle(0, 2.5);
  const lastAt = maxOf(emptied.map((d) => d.at!), 0);
  const firstAt = emptied.length > 0 ? minOf(emptied.map((d) => d.at!)) : null;
  const subtitle =
    emptied.length === 0
      ? `None of the ${total} legacy datastores was emptied`
      : `${emptied.length} of ${total} emptied; the first after ${formatDuration(firstAt!)}, ${emptied.length === total ? 'the last' : 'the last emptied'} after ${formatDuration(lastAt)}` +
        (emptied.length < total ? `; ${total - emptied.length} still hold a VM that failed or was skipped` : '');
  return {
    file: 'datastores.png',
    title: 'Legacy datastores emptied',
    caption: 'How many legacy datastores hold nothing left to move, over time: each step is one datastore that can be unmounted.',
    height: HEIGHT,
    config: anyConfig({
      type: 'line',
      data: {
        datasets: [
          {
            label: 'emptied',
            data: steps.map(([x, y]) => ({ x: x / t.size, y })),
            ...style,
            backgroundColor: withAlpha(style.borderColor, 0.25),
            fill: 'origin' as const,
            ...AREA_LEGEND,
            stepped: 'before' as const,
          },
          {
            label: `legacy datastores in scope (${total})`,
            data: [
              { x: 0, y: total },
              { x: end / t.size, y: total },
            ],
            borderColor: INK,
            backgroundColor: INK,
            borderDash: [8, 4],
            borderWidth: 1.5,
            pointRadius: 0,
            pointStyle: 'line' as const,
            fill: false,
          },
        ],
      },
      options: {
        ...commonOptions('Legacy datastores emptied', `${subtitle}${bandsNote(time)}`, { svmigBands: windowBands(t, time) }),
        parsing: false,
        scales: {
          x: timeAxis(t, end, time),
          y: linearAxis('Datastores emptied (count)', { min: 0, max: Math.max(1, Math.ceil(total * 1.05)), integer: true }),
        },
      },
    }),
  };
}
