// Utilisation over time of the busiest fabric links (the timeline keeps the five busiest): where
// the campaign is bottlenecked, and when. A result saved without a timeline has only each link's
// share over the whole campaign; that is drawn as bars instead.

import { formatRate } from '../../domain/units.js';
import type { SimulationResult } from '../../core/result.js';
import { anyConfig, type ChartSpec } from './spec.js';
import { AREA_LEGEND, commonOptions, HEIGHT, INK, linearAxis, lineStyle, seriesStyle, timeUnit } from './style.js';
import { binSteps } from './throughput.js';
import { bandsNote, chartTimeOf, timeAxis, windowBands } from './time-axis.js';

export const BUSIEST_LINKS = 5;

export function linksChart(r: SimulationResult): ChartSpec {
  const title = `Utilisation of the ${BUSIEST_LINKS} busiest fabric links`;
  const caption =
    'Share of each link’s capacity (one direction) carried by the copies. A link near 100 % is the bottleneck: ' +
    'more concurrent svMotions will not go faster through it.';
  const tl = r.timeline;
  if (!tl) {
    const links = r.links.slice(0, BUSIEST_LINKS);
    return {
      file: 'links.png',
      title,
      caption,
      height: HEIGHT,
      config: anyConfig({
        type: 'bar',
        data: {
          labels: links.map((l) => `${l.label} (${formatRate(l.capacity)})`),
          datasets: [
            {
              label: r.openSeconds === undefined ? 'mean utilisation over the whole campaign' : 'mean utilisation while change windows were open',
              data: links.map((l) => l.utilisation * 100),
              backgroundColor: seriesStyle(0).colour,
              borderColor: INK,
              borderWidth: 1,
              ...AREA_LEGEND,
            },
          ],
        },
        options: {
          ...commonOptions(title, `This result was saved without a timeline: mean ${r.openSeconds === undefined ? 'over the whole campaign' : 'over the time change windows were open'}`, { hover: 'bar' }),
          indexAxis: 'y',
          scales: {
            x: linearAxis('Utilisation (% of capacity)', { min: 0, max: 100, percent: true }),
            y: { ticks: { color: INK, font: { size: 12 } } },
          },
        },
      }),
    };
  }
  const end = Math.max(1, r.makespanSeconds);
  const t = timeUnit(end);
  const time = chartTimeOf(r);
  const links = tl.links.slice(0, BUSIEST_LINKS);
  const datasets = links.map((l, i) => ({
    label: `${l.label} (${formatRate(l.capacity)})`,
    data: binSteps(tl.times, l.utilisation, end).map(([x, u]) => ({ x: x / t.size, y: u * 100 })),
    ...lineStyle(i),
    stepped: 'before' as const,
    // A saturated link runs along the top edge: let its line overflow the frame by a few pixels.
    clip: 6,
  }));
  return {
    file: 'links.png',
    title,
    caption,
    height: HEIGHT,
    config: anyConfig({
      type: 'line',
      data: { datasets },
      options: {
        ...commonOptions(title, `Mean over each of ${tl.times.length} intervals; capacity per direction in brackets${bandsNote(time)}`, { svmigBands: windowBands(t, time) }),
        parsing: false,
        scales: {
          x: timeAxis(t, end, time),
          y: linearAxis('Utilisation (% of capacity)', { min: 0, max: 100, percent: true }),
        },
      },
    }),
  };
}
