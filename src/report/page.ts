// What a report says, independent of how it is written: sections of facts, tables, figures and
// notes. html.ts and markdown.ts render the same page, so index.html and summary.md agree.

import { formatInstant, formatMoment, type Calendar } from '../domain/calendar.js';
import { formatBytes, formatDuration } from '../domain/units.js';
import { OPERATIONS } from '../core/operations.js';
import type { CompareResult } from '../core/compare-result.js';
import type { OperationRecord, SimulationResult } from '../core/result.js';
import { type ReportInput, deadlineOf } from './charts/index.js';
import type { ChartSpec } from './charts/spec.js';
import { calendarOf } from './calendar.js';
import { COMPARE_NOTE, compareTableRows } from './compare-table.js';
import { explainRun, LONG_POLE_HEADER, longPoleRows } from './explain.js';
import { SCHEDULE_HEADER, scheduleRows } from './schedule.js';
import { linkBasis, linkRows, summaryRows } from './summary.js';
import { sweepInputRows, sweepLede, sweepSections } from './sweep-page.js';
import { formatCount } from './table.js';

export type Block =
  | { kind: 'facts'; rows: Array<[string, string]> }
  | { kind: 'table'; header: string[]; rows: string[][]; align: Array<'left' | 'right'> }
  | { kind: 'text'; text: string }
  /** A chart, and its PNG file when one was written (the page draws the chart itself either way). */
  | { kind: 'figure'; chart: ChartSpec; png: string | null }
  /** Long detail, folded away in the page. */
  | { kind: 'details'; summary: string; blocks: Block[] }
  | { kind: 'files'; files: Array<{ name: string; what: string }> };

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}

export interface Page {
  title: string;
  /** The verdict in a sentence or two, first thing under the title. */
  lede: string[];
  sections: Section[];
  generatedAt: Date;
}

export interface PageInput extends ReportInput {
  /** Best possible makespan (no policy can beat it), when known. */
  lowerBoundSeconds?: number | null;
}

/** `pngs`: whether each chart was also written as a PNG file (chart.file). */
export function reportPage(input: PageInput, charts: readonly ChartSpec[], files: Array<{ name: string; what: string }>, generatedAt: Date, pngs = true): Page {
  const r = input.result;
  const c = input.compare;
  const deadline = deadlineOf(input);
  const lowerBound = input.lowerBoundSeconds ?? (c && c.lowerBoundSeconds > 0 ? c.lowerBoundSeconds : null);
  const scenario = r?.scenario ?? c?.scenario ?? input.sweep?.scenario ?? '';
  const calendar = r ? calendarOf(r) : c ? calendarOf(c) : null;
  const sections: Section[] = [{ id: 'inputs', title: 'Inputs', blocks: [{ kind: 'facts', rows: inputRows(input, deadline, lowerBound, calendar) }] }];
  if (input.sweep) sections.push(...sweepSections(input.sweep));
  if (c) {
    const t = compareTableRows(c);
    sections.push({
      id: 'comparison',
      title: 'Policies compared',
      blocks: [
        { kind: 'table', header: t.header, rows: t.rows, align: t.align },
        {
          kind: 'text',
          text:
            `P50, P90 and P99: the makespan that half, nine in ten and 99 in 100 of the ${formatCount(c.runs)} simulated runs did not exceed. ` +
            `${COMPARE_NOTE} vMotions and API calls are means per run; “× bound” is P50 over the lower bound.`,
        },
      ],
    });
    const explained = (input.results ?? []).filter((x) => c.policies.some((p) => p.policy === x.policy));
    if (explained.length > 0) {
      sections.push({
        id: 'bound',
        title: 'What bound each policy',
        blocks: [
          { kind: 'text', text: `From one run of each policy (seed ${explained[0]!.seed}), best first:` },
          {
            kind: 'table',
            header: ['Policy', 'Ends', 'What bound it'],
            rows: rankedRuns(c, explained).map((x) => [x.policy, formatMoment(calendarOf(x), x.makespanSeconds), explainRun(x).join(' ')]),
            align: ['left', 'left', 'left'],
          },
        ],
      });
    }
  }
  // With a comparison, the one run comes after the table of all runs.
  if (r) sections.push({ id: 'summary', title: c ? `One run in detail: policy ${r.policy}, seed ${r.seed}` : 'Summary', blocks: resultBlocks(r) });
  if (charts.length > 0) sections.push({ id: 'charts', title: 'Charts', blocks: charts.map((chart) => ({ kind: 'figure' as const, chart, png: pngs ? chart.file : null })) });
  if (r) sections.push(...detailSections(r, calendar));
  sections.push({ id: 'files', title: 'Files of this report', blocks: [{ kind: 'files', files }] });
  return {
    title: `Storage vMotion campaign: ${scenario}`,
    lede: [...(c ? compareLede(c) : []), ...(r ? resultLede(r, deadline, calendar) : []), ...(input.sweep ? sweepLede(input.sweep) : [])],
    sections,
    generatedAt,
  };
}

/** The runs in the comparison's ranking, best first. */
function rankedRuns(c: CompareResult, runs: readonly SimulationResult[]): SimulationResult[] {
  const order = c.ranking ?? c.policies.map((p) => p.policy);
  return [...runs].sort((a, b) => order.indexOf(a.policy) - order.indexOf(b.policy));
}

function inputRows(input: PageInput, deadline: number | null, lowerBound: number | null, calendar: Calendar | null): Array<[string, string]> {
  const r = input.result;
  const c = input.compare;
  const rows: Array<[string, string]> = [['Scenario', r?.scenario ?? c?.scenario ?? input.sweep?.scenario ?? '']];
  if (input.sweep) rows.push(...sweepInputRows(input.sweep));
  if (r) rows.push(['Policy', r.policy], ['Seed', String(r.seed)], ['VMs in scope', formatCount(r.vmCount)]);
  if (c) {
    rows.push(['Policies compared', c.policies.map((p) => p.policy).join(', ')]);
    rows.push(['Runs', `${formatCount(c.runs)} per policy`]);
    rows.push([r ? 'Base seed of the runs' : 'Seed', `${c.seed} (run i uses the same seed under every policy)`]);
  }
  if (input.results && input.results.length > 1) rows.push(['Curves per policy', input.results.map((x) => `${x.policy} (seed ${x.seed})`).join(', ')]);
  if (calendar !== null) rows.push(['Start', `${formatInstant(calendar, 0)} (${calendar.zone})`]);
  rows.push(['Deadline', deadline === null ? 'none given' : formatMoment(calendar, deadline)]);
  if (lowerBound !== null) rows.push(['Lower bound', `${formatDuration(lowerBound)}: no policy can finish sooner${boundReason(c)}`]);
  return rows;
}

/** What sets the comparison's lower bound, when it says. */
function boundReason(c: CompareResult | undefined): string {
  const bound = c?.lowerBound;
  const part = bound?.parts.find((p) => p.name === bound.binding);
  return part ? ` (set by ${part.name}: ${part.explanation})` : '';
}

function resultLede(r: SimulationResult, deadline: number | null, calendar: Calendar | null): string[] {
  const ends = calendar === null ? '' : `, ending ${formatInstant(calendar, r.makespanSeconds)}`;
  const lines = [`${formatBytes(r.bytesMoved)} moved in ${formatDuration(r.makespanSeconds)}${ends} (policy ${r.policy}, seed ${r.seed}).`];
  if (deadline !== null) {
    const slack = deadline - r.makespanSeconds;
    const of = formatMoment(calendar, deadline);
    lines.push(slack >= 0 ? `That is ${formatDuration(slack)} before the deadline of ${of}.` : `That misses the deadline of ${of} by ${formatDuration(-slack)}.`);
  }
  const stuck = r.summary.vmsFailed + r.summary.vmsSkipped;
  if (stuck > 0) lines.push(`${formatCount(stuck)} VMs were not moved (${formatCount(r.summary.vmsFailed)} failed, ${formatCount(r.summary.vmsSkipped)} skipped): see below.`);
  lines.push(...explainRun(r));
  return lines;
}

function compareLede(c: CompareResult): string[] {
  const lines = c.policies.map((p) => {
    const byDeadline = p.deadlineProbability === null ? '' : `; ${Math.round(p.deadlineProbability * 100)} % of runs meet the deadline`;
    return `Policy ${p.policy}: half of ${formatCount(c.runs)} runs finish within ${formatDuration(p.p50Seconds)}, nine in ten within ${formatDuration(p.p90Seconds)}${byDeadline}.`;
  });
  if (c.winner && c.policies.length > 1) lines.push(c.verdict ?? `Best: ${c.winner}.`);
  return lines;
}

function resultBlocks(r: SimulationResult): Block[] {
  const blocks: Block[] = [{ kind: 'facts', rows: summaryRows(r, calendarOf(r)) }];
  if (r.links.length > 0) {
    blocks.push(
      { kind: 'text', text: `Busiest fabric links (${linkBasis(r)}):` },
      { kind: 'table', header: ['Link', 'Used', 'Capacity'], rows: linkRows(r), align: ['left', 'right', 'left'] },
    );
  }
  return blocks;
}

/** Rows a page's table shows at most: past them a page stops being read (operations.csv has all). */
export const MAX_TABLE_ROWS = 1000;

function capped(rows: string[][], width: number): string[][] {
  if (rows.length <= MAX_TABLE_ROWS) return rows;
  const more = `… and ${formatCount(rows.length - MAX_TABLE_ROWS)} more in operations.csv`;
  return [...rows.slice(0, MAX_TABLE_ROWS), [more, ...Array<string>(width - 1).fill('')]];
}

function detailSections(r: SimulationResult, calendar: Calendar | null): Section[] {
  const out: Section[] = [];
  const poles = longPoleRows(r);
  if (poles.length > 0) {
    out.push({
      id: 'long-poles',
      title: 'Long poles',
      blocks: [
        { kind: 'text', text: 'The copies still running in the last tenth of the campaign, longest first: their length is time no policy wins back by running more copies beside them. “Share” is the copy’s length over the time copies could run.' },
        { kind: 'table', header: LONG_POLE_HEADER, rows: poles, align: ['left', 'left', 'right', 'left', 'left', 'right', 'right'] },
      ],
    });
  }
  const schedule = scheduleRows(r);
  if (schedule.length > 0) {
    const windowed = (r.windows ?? []).length > 0;
    out.push({
      id: 'schedule',
      title: windowed ? 'Schedule by change window' : 'Schedule by day',
      blocks: [
        {
          kind: 'text',
          text: `What starts in each ${windowed ? 'change window' : 'day of the campaign'}, as this run started it: the plan to review before running it. schedule.csv lists every copy with its window, host, target and times.`,
        },
        { kind: 'table', header: SCHEDULE_HEADER, rows: capped(schedule, SCHEDULE_HEADER.length), align: ['left', 'right', 'right', 'left', 'left'] },
      ],
    });
  }
  const ds = r.datastoresEmptied;
  if (ds.length > 0) {
    const never = ds.filter((d) => d.at === null).length;
    out.push({
      id: 'datastores',
      title: 'Legacy datastores',
      blocks: [
        {
          kind: 'details',
          summary: `When each of the ${formatCount(ds.length)} legacy datastores was emptied${never > 0 ? ` (${formatCount(never)} never were)` : ''}`,
          blocks: [
            {
              kind: 'table',
              header: ['Datastore', 'Empty after'],
              rows: capped(ds.map((d) => [d.name, d.at === null ? 'not emptied' : formatMoment(calendar, d.at)]), 2),
              align: ['left', 'right'],
            },
          ],
        },
      ],
    });
  }
  // A VM whose copy failed once and then succeeded on a retry was moved: only the last word counts.
  const moved = new Set(r.operations.filter((o) => OPERATIONS[o.kind].movesStorage && o.outcome === 'success').map((o) => o.vm));
  const last = new Map<string, OperationRecord>();
  for (const o of r.operations) if (OPERATIONS[o.kind].movesStorage && !moved.has(o.vm)) last.set(o.vm, o);
  const notMoved = [...last.values()];
  if (notMoved.length > 0) {
    out.push({
      id: 'not-moved',
      title: 'VMs not moved',
      blocks: [
        {
          kind: 'details',
          summary: `${formatCount(notMoved.length)} VMs failed, were cancelled or were skipped`,
          blocks: [
            {
              kind: 'table',
              header: ['VM', 'Cluster', 'Outcome', 'Reason'],
              rows: capped(notMoved.map((o) => [o.vm, o.cluster, o.outcome, o.reason ?? '']), 4),
              align: ['left', 'left', 'left', 'left'],
            },
          ],
        },
      ],
    });
  }
  return out;
}
