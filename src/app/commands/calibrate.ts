// The work of `svmig calibrate` (its options and help: cli/calibrate.ts): observations from a
// journal or from vCenter's history, the model fitted to them by replay, and the calibrated
// scenario written with the fitted fields as distributions.

import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Calibration, Estimate } from '../calibrate/fit.js';
import { observationsFromHistory } from '../calibrate/from-history.js';
import { matchScenario } from '../calibrate/match.js';
import type { Observations } from '../calibrate/observations.js';
import { calibratedScenarioText, observationLine } from '../calibrate/scenario-file.js';
import { UserError } from '../../domain/errors.js';
import { formatDuration, formatPercent } from '../../domain/units.js';
import { table } from '../../report/table.js';
import { fit, instantOption, journalObservations, readExistingJournal, timeScaleOption } from '../calibration.js';
import { connect, type ConnectFlags } from '../connect.js';
import { positiveOption, parseIntegerOption } from '../flags.js';
import { checkOutputFile, STDOUT, writeResult } from '../io.js';
import { CommandOutput } from '../output.js';
import { withProgressBar } from '../progress-bar.js';
import { loadScenarioWithSettings } from '../scenario-input.js';

export interface CalibrateFlags extends Partial<ConnectFlags> {
  from?: string;
  since?: string;
  until?: string;
  out?: string;
  replicates?: string;
  seed?: string;
  json?: boolean;
  set?: string[];
  timeScale?: string;
}

export async function calibrate(file: string, flags: CalibrateFlags): Promise<void> {
  const output = new CommandOutput(flags);
  if (flags.from !== undefined && flags.vcenter !== undefined) throw new UserError('give --from (a journal) or --vcenter (its history), not both.');
  if (flags.from === undefined && flags.vcenter === undefined) throw new UserError('say what to calibrate from: --from <journal of svmig run>, or --vcenter <address> to read its task and event history.');
  if (flags.vcenter === undefined && (flags.since !== undefined || flags.until !== undefined)) throw new UserError('--since and --until choose a window of vCenter’s history: they go with --vcenter, not with --from.');
  const out = flags.out ?? defaultOut(file);
  checkOutputFile(out);
  const replicates = flags.replicates === undefined ? 100 : flags.replicates.trim() === '0' ? 0 : positiveOption('--replicates', flags.replicates);
  const seed = flags.seed === undefined ? 1 : parseIntegerOption('--seed', flags.seed);
  const timeScale = timeScaleOption(flags.timeScale);
  const scenario = loadScenarioWithSettings(file, flags.set);
  const text = readFileSync(file, 'utf8');

  let observations: Observations;
  if (flags.from !== undefined) {
    observations = journalObservations(readExistingJournal(flags.from), flags.from, scenario, timeScale);
  } else {
    const now = Date.now();
    const since = flags.since === undefined ? new Date(now - 24 * 3600 * 1000) : instantOption('--since', flags.since, now);
    const until = flags.until === undefined ? new Date(now) : instantOption('--until', flags.until, now);
    if (!(until.getTime() > since.getTime())) throw new UserError(`--until (${until.toISOString()}) must be after --since (${since.toISOString()}).`);
    const client = await connect(flags as ConnectFlags);
    try {
      observations = matchScenario(await observationsFromHistory(client, { since, until }, { before: scenario.estate, timeScale }), scenario);
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  const calibration = await withProgressBar('Fitting', (onProgress) => fit(scenario, observations, { replicates, seed, onProgress }), !flags.json);
  writeResult(out, calibratedScenarioText({ file, text, scenario, calibration, observations, out, madeAt: new Date() }));
  output.say(`${describe(file, calibration, observations)}\n${out === STDOUT ? '' : `\n  Calibrated scenario written to ${out}\n`}`);
  output.summary(calibrationJson(calibration, observations, out === STDOUT ? null : out));
}

/** `scenarios/site.yaml` → `scenarios/site.calibrated.yaml`, beside it: its relative paths stay right. */
function defaultOut(file: string): string {
  return join(dirname(file), `${basename(file, extname(file))}.calibrated.yaml`);
}

function describe(file: string, c: Calibration, o: Observations): string {
  const row = (name: string, e: Estimate, fmt: (v: number) => string, note = ''): string[] => [
    name,
    fmt(e.value),
    `${e.boundedBelow ? fmt(e.low) : '—'} … ${e.boundedAbove ? fmt(e.high) : '—'}`,
    note || (e.boundedBelow && e.boundedAbove ? '' : !e.boundedAbove && e.boundedBelow ? 'bounded below only' : !e.boundedBelow && e.boundedAbove ? 'bounded above only' : 'not identified'),
  ];
  const mbps = (v: number) => `${(v / 1e6).toFixed(1)} MB/s`;
  const rows = [
    ['parameter', 'fitted', `${Math.round(c.method.level * 100)} % interval`, ''],
    row('per-copy rate', c.perCopyRate, mbps),
    row('svMotion setup', c.svmotionSetupSeconds, formatDuration),
    ...Object.entries(c.productionLoad).map(([a, e]) => row(`production load ${a}`, e, (v) => formatPercent(v), e.boundedAbove && e.boundedBelow ? '' : 'not identified: kept as the scenario had it')),
    row('copies’ spread (sd)', c.spread, (v) => formatPercent(v)),
  ];
  return [
    `${file} calibrated on ${observationLine(o)}`,
    '',
    table(rows, ['left', 'right', 'right', 'left']),
    '',
    `  Fit: ${c.fit.copies} copies compared over a replay of ${c.fit.tasks} tasks; median error of a copy's time ${formatPercent(c.fit.medianAbsError)}.`,
    `  Intervals: ${c.method.name} (${c.method.replicates} replicates, blocks of ${c.method.blockLength} consecutive copies), each side also checked by scanning the loss.`,
    ...o.notes.filter((n) => !n.startsWith('window')).map((n) => `  Note: ${n}.`),
  ].join('\n');
}

function calibrationJson(c: Calibration, o: Observations, written: string | null): object {
  const svmotions = o.tasks.filter((t) => t.kind === 'svmotion');
  const span = o.tasks.length === 0 ? null : { from: new Date(Math.min(...o.tasks.map((t) => t.submittedAt))).toISOString(), to: new Date(Math.max(...o.tasks.map((t) => t.endedAt ?? t.submittedAt))).toISOString() };
  return {
    kind: 'calibration',
    source: o.source,
    timeScale: o.timeScale,
    observations: {
      tasks: o.tasks.length,
      svmotions: svmotions.length,
      succeeded: svmotions.filter((t) => t.outcome === 'success').length,
      failed: svmotions.filter((t) => t.outcome === 'failed').length,
      vmotions: o.tasks.length - svmotions.length,
      ...span,
      notes: o.notes,
    },
    parameters: {
      perCopyRate: c.perCopyRate,
      svmotionSetupSeconds: c.svmotionSetupSeconds,
      productionLoad: c.productionLoad,
      spread: c.spread,
    },
    fit: c.fit,
    method: c.method,
    files: { scenario: written },
  };
}
