// The calibrated scenario: the input scenario's own file, every comment and field kept, with the
// fitted fields replaced by distributions of what the data allow, and a header saying what it was
// fitted from. Monte Carlo runs of it (`simulate --runs`, `compare`, `forecast`) draw each value
// once per run, so the forecast carries the calibration's uncertainty forward.
//
//   fabric.perCopyRate                 lognormal(median, σ of ln rate over the bootstrap)
//   fabric.svmotionSetup               normal(value, sd over the bootstrap), truncated at 0
//   fabric.arrays[i].productionLoad    normal(value, sd over the bootstrap), truncated to [0, 1)
//   campaign.jitter                    √3 × the copies' spread beyond the model (a uniform factor
//                                      in [1 − j, 1 + j] has that standard deviation)
//
// A parameter the data bound on one side only keeps one value (the scenario's, if the data allow
// it) and the header says why; so does one whose replicates did not vary.

import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { formatDuration, formatPercent } from '../../domain/units.js';
import type { Scenario } from '../../scenario/scenario.js';
import type { Calibration, Estimate } from './fit.js';
import { spanOf, type Observations } from './observations.js';

/** The jitter written never passes this: a copy at 10 % of its rate is a fault, not a spread. */
const MAX_JITTER = 0.9;

export interface CalibratedFileInput {
  /** The scenario file's path and text, as read. */
  file: string;
  text: string;
  scenario: Scenario;
  calibration: Calibration;
  observations: Observations;
  /** Where the calibrated file goes (relative paths in it are rewritten for there). */
  out: string;
  /** When the calibration was made (a header line). */
  madeAt: Date;
}

const mbps = (bytesPerSecond: number, digits = 1): string => `${(bytesPerSecond / 1e6).toFixed(digits)}MB/s`;
const secs = (s: number): string => `${Number(s.toFixed(1))}s`;
const share = (x: number): string => `${Number(x.toFixed(4))}`;

function sd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
}

const pinned = (e: Estimate): boolean => e.boundedBelow && e.boundedAbove;

/** The distribution text of each fitted field, and the header's lines. */
export function calibratedFields(c: Calibration, scenario: Scenario): { fields: Array<{ path: Array<string | number>; value: string | number }>; lines: string[] } {
  const fields: Array<{ path: Array<string | number>; value: string | number }> = [];
  const lines: string[] = [];
  const interval = (e: Estimate, fmt: (v: number) => string) => `${fmt(e.value)} (${e.boundedBelow ? fmt(e.low) : 'any lower'} – ${e.boundedAbove ? fmt(e.high) : 'any higher'})`;

  const rate = c.perCopyRate;
  const logSd = sd(c.samples.perCopyRate.map(Math.log));
  if (pinned(rate) && logSd > 0) fields.push({ path: ['fabric', 'perCopyRate'], value: `lognormal(${mbps(rate.value)}, ${Number(logSd.toFixed(4))})` });
  else fields.push({ path: ['fabric', 'perCopyRate'], value: mbps(rate.value) });
  lines.push(`fabric.perCopyRate    ${interval(rate, (v) => mbps(v).replace('MB/s', ' MB/s'))}${pinned(rate) ? '' : rate.boundedBelow ? ': copies were held back by shared links, not by their own rate' : ''}`);

  const setup = c.svmotionSetupSeconds;
  const setupSd = sd(c.samples.svmotionSetupSeconds);
  if (pinned(setup) && setupSd > 0.05) fields.push({ path: ['fabric', 'svmotionSetup'], value: `normal(${secs(setup.value)}, ${secs(Math.max(0.1, setupSd))})` });
  else fields.push({ path: ['fabric', 'svmotionSetup'], value: secs(setup.value) });
  lines.push(`fabric.svmotionSetup  ${interval(setup, (v) => formatDuration(v))}`);

  scenario.fabric.arrays.forEach((a, i) => {
    const e = c.productionLoad[a.name];
    if (e === undefined) return;
    const path = ['fabric', 'arrays', i, 'productionLoad'];
    const loadSd = sd(c.samples.productionLoad[a.name] ?? []);
    if (pinned(e) && loadSd > 1e-4) fields.push({ path, value: `normal(${share(e.value)}, ${share(Math.max(1e-4, loadSd))})` });
    else fields.push({ path, value: Number(share(e.value)) });
    const label = `fabric.arrays[${i}].productionLoad (${a.name})`;
    lines.push(
      pinned(e)
        ? `${label}  ${interval(e, (v) => formatPercent(v))}`
        : `${label}  ${formatPercent(e.value)}: not identified, the copies never filled its ports (${e.boundedAbove ? `up to ${formatPercent(e.high)}` : 'any load'} fits as well)`,
    );
  });

  const jitter = Math.min(MAX_JITTER, Math.sqrt(3) * c.spread.value);
  fields.push({ path: ['campaign', 'jitter'], value: `${Number((jitter * 100).toFixed(1))}%` });
  lines.push(`campaign.jitter       ${formatPercent(jitter)}: copies vary by ${formatPercent(c.spread.value)} (sd) beyond the model (${formatPercent(c.spread.low)} – ${formatPercent(c.spread.high)})`);
  return { fields, lines };
}

/** The header's account of the observations: what, from where, over what span. */
export function observationLine(o: Observations): string {
  const svmotions = o.tasks.filter((t) => t.kind === 'svmotion');
  const ok = svmotions.filter((t) => t.outcome === 'success').length;
  const failed = svmotions.filter((t) => t.outcome === 'failed').length;
  const vmotions = o.tasks.length - svmotions.length;
  const span = spanOf(o);
  const when = span === null ? '' : ` between ${iso(span.from)} and ${iso(span.to)}`;
  const from = o.source.kind === 'journal' ? `the journal ${o.source.name}${o.source.plan ? ` (plan ${o.source.plan.slice(0, 12)})` : ''}` : `the task and event history of vCenter ${o.source.name}`;
  const scale = o.timeScale === 1 ? '' : `, its clock running ${o.timeScale}× faster than real time`;
  return `${ok} svMotion(s) that ended well${failed ? `, ${failed} that failed` : ''}${vmotions ? ` and ${vmotions} vMotion(s)` : ''} from ${from}${when}${scale}`;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** The calibrated scenario's text. */
export function calibratedScenarioText(input: CalibratedFileInput): string {
  const { calibration: c, scenario } = input;
  const doc = parseDocument(input.text);
  const { fields, lines } = calibratedFields(c, scenario);
  for (const f of fields) doc.setIn(f.path, f.value);
  // An imported estate is found relative to the scenario: keep it found from where the output goes.
  const imported = doc.getIn(['estate', 'import']);
  if (typeof imported === 'string' && !isAbsolute(imported)) {
    const target = resolve(dirname(input.file), imported);
    const fromOut = relative(dirname(resolve(input.out)), target) || '.';
    if (fromOut !== imported) doc.setIn(['estate', 'import'], fromOut);
  }
  const header = [
    `Calibrated by svmig calibrate on ${iso(input.madeAt.getTime())} from ${input.file}:`,
    `fitted to ${observationLine(input.observations)},`,
    `replayed through the simulator (${c.fit.copies} copies compared; median error of a copy's time at the fit ${formatPercent(c.fit.medianAbsError)}).`,
    `Values with their ${Math.round(c.method.level * 100)} % intervals (${c.method.name}, ${c.method.replicates} replicates, blocks of ${c.method.blockLength}):`,
    ...lines.map((l) => `  ${l}`),
    'Each of these fields is drawn once per Monte Carlo run from the distribution written below.',
    ...input.observations.notes.map((n) => `Note: ${n}.`),
  ];
  const previous = doc.commentBefore ? `\n${doc.commentBefore}` : '';
  doc.commentBefore = ` ${header.join('\n ')}${previous}`;
  return doc.toString({ lineWidth: 0 });
}
