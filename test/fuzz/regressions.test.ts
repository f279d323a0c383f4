// The malformed inputs an independent run found crashing, hanging or misleading svmig, one named test
// each. Hangs and crashes run the compiled CLI in a child process (cli.ts) so that a regression shows
// as a timeout or an abort instead of stopping the suite; the rest run in process.
//
// What every CLI run here must do: exit 0, or exit 2 with one sentence naming the file, field or row
// at fault and no stack trace; write no output file unless it exits 0.

import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operationsCsv, runsCsv } from '../../src/report/csv.js';
import type { CompareResult, RunSummary } from '../../src/core/compare-result.js';
import type { OperationRecord } from '../../src/core/result.js';
import { reportCharts } from '../../src/report/charts/index.js';
import { PNG_MISSING_NOTE } from '../../src/report/render.js';
import { csvText } from '../inventory/helpers.js';
import { PNG_INSTALLED } from '../report/png.js';

/** What a report says on stderr: nothing, or where the optional PNG renderer is not installed, how to get the PNGs. */
const REPORT_STDERR = PNG_INSTALLED ? '' : `svmig: ${PNG_MISSING_NOTE}\n`;
import { hangLimitMs, listing, runCli, STACK_LINE, workDir, type CliRun } from './cli.js';
import { repeatedEntry, workbookParts, zip } from './zip.js';

/** A small generated estate: 4 hosts, 20 VMs, one legacy and one new array. `extra` is spliced in at the top level. */
function scenarioText(o: { fabric?: string; campaign?: string; top?: string; synthetic?: string; newSide?: string; legacySide?: string } = {}): string {
  return `name: t
${o.top ?? ''}
fabric:
  hosts: { hbaPorts: 2, portSpeed: 16Gb }
  arrays:
    - { name: OLD, frontEndPorts: 4, portSpeed: 8Gb }
    - { name: NEW, frontEndPorts: 8, portSpeed: 16Gb }
  perCopyRate: 250MB/s
${o.fabric ?? ''}
${o.campaign ? `campaign:\n${o.campaign}` : ''}
estate:
  synthetic:
    vcenter: vc
    clusters: [ { name: C1, hosts: 4 } ]
    vms: 20
    vmSize: { median: 80GiB, sigma: 1, min: 20GiB, max: 2TiB }
${o.synthetic ?? ''}
    legacy: ${o.legacySide ?? '{ array: OLD, capacity: 8TiB }'}
    new: ${o.newSide ?? '{ array: NEW, capacity: 32TiB, fill: 70% }'}
`;
}

/** Runs `simulate` on a scenario text; the result JSON goes to out.json in the run's folder. */
async function simulateText(text: string, ...args: string[]): Promise<CliRun & { dir: string }> {
  const dir = workDir({ 's.yaml': text });
  const run = await runCli(['simulate', 's.yaml', '-o', 'out.json', ...args], { cwd: dir });
  return { ...run, dir };
}

/** Exit 2, one sentence matching `sentence`, no stack, nothing written. */
function refused(run: CliRun & { dir?: string }, sentence: RegExp): void {
  expect(run.hung, 'the run hung').toBe(false);
  expect(run.signal).toBeNull();
  expect(run.stderr).toMatch(sentence);
  expect(run.stderr).not.toMatch(STACK_LINE);
  expect(run.stderr).not.toMatch(/internal error/);
  expect(run.code).toBe(2);
  if (run.dir) expect(existsSync(join(run.dir, 'out.json'))).toBe(false);
}

describe('hangs with no output', () => {
  it('hang: a change window of one minute', async () => {
    const run = await simulateText(
      scenarioText({ campaign: '  windows:\n    start: 2026-12-04T20:00\n    open: [{days: [mon], from: "20:00", to: "20:01"}]' }),
    );
    // 80 GiB-class VMs copy at 250 MB/s for minutes: none fits a one-minute window.
    refused(run, /s\.yaml line \d+: campaign\.windows\.open: .*1m 00s.*(allowOverrun)/);
  });

  it('hang: drs interval 0s', async () => {
    const run = await simulateText(scenarioText({ campaign: '  drs: {level: fully-automated, interval: 0s}' }));
    refused(run, /s\.yaml line \d+: campaign\.drs\.interval: .*at least/);
  });

  it('hang: perCopyRate 1B/s', async () => {
    const run = await simulateText(scenarioText({ fabric: '', campaign: '  drs: {level: fully-automated}' }).replace('perCopyRate: 250MB/s', 'perCopyRate: 1B/s'));
    refused(run, /s\.yaml line \d+: fabric\.perCopyRate: .*at least/);
  });

  it('hang: svmotionSetup 1e9s', async () => {
    const run = await simulateText(scenarioText({ fabric: '  svmotionSetup: 1e9', campaign: '  drs: {level: fully-automated}' }));
    refused(run, /s\.yaml line \d+: fabric\.svmotionSetup: .*at most/);
  });

  it('hang: a new datastore of 1 KiB', async () => {
    const run = await simulateText(scenarioText({ newSide: '{ array: NEW, capacity: 1KiB, fill: 70% }' }));
    refused(run, /s\.yaml line \d+: estate\.synthetic\.new\.capacity: .*datastores/);
  });

  it('hang: 1e6 hosts', async () => {
    const run = await simulateText(scenarioText().replace('hosts: 4 }', 'hosts: 1000000 }'));
    refused(run, /s\.yaml line \d+: estate\.synthetic\.clusters\[0\]\.hosts: .*at most/);
  });

  it('hang: a FIFO given as the .xlsx', async () => {
    const dir = workDir();
    execFileSync('mkfifo', [join(dir, 'export.xlsx')]);
    const run = await runCli(['inventory', 'import', 'export.xlsx', '-o', 'estate.json'], { cwd: dir });
    refused(run, /export\.xlsx is not a regular file \(a FIFO\)/);
    expect(listing(dir)).toEqual(['export.xlsx']);
  });

  it('hang: /dev/zero given as the .xlsx', async () => {
    const dir = workDir();
    symlinkSync('/dev/zero', join(dir, 'zero.xlsx'));
    const run = await runCli(['inventory', 'import', 'zero.xlsx', '-o', 'estate.json'], { cwd: dir });
    refused(run, /zero\.xlsx is not a regular file \(a character device\)/);
  });

  it('hang: a 300 MB XLSX zip bomb', async () => {
    // 300 MiB of rows deflated to well under a megabyte: the sheet expands about 400 times.
    const row = '<row><c t="n"><v>1</v></c></row>';
    const chunk = row.repeat(Math.floor(2 ** 20 / row.length));
    const sheet = await repeatedEntry('xl/worksheets/sheet1.xml', chunk, 300);
    const dir = workDir({ 'bomb.xlsx': zip([...workbookParts('vInfo'), sheet]) });
    const run = await runCli(['inventory', 'import', 'bomb.xlsx', '-o', 'estate.json'], { cwd: dir });
    refused(run, /bomb\.xlsx: xl\/worksheets\/sheet1\.xml expands .* times/);
    expect(listing(dir)).toEqual(['bomb.xlsx']);
  });

  it('hang: a catastrophic-backtracking --legacy regex', async () => {
    const name = `${'a'.repeat(40)}!`;
    const info = csvText([
      ['VM', 'Powerstate', 'Memory', 'Path', 'Cluster', 'Host'],
      ['vm1', 'poweredOn', '1024', `[${name}] vm1/vm1.vmx`, 'C1', 'esx1'],
    ]);
    const dir = workDir({ 'RVTools_tabvInfo.csv': info });
    const run = await runCli(['inventory', 'import', '.', '--legacy', '^(a+)+$', '-o', 'estate.json'], { cwd: dir });
    expect(run.hung).toBe(false);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Linear-time matching still says the right thing: the name has a "!" so the rule does not match it.
    const estate = JSON.parse(readFileSync(join(dir, 'estate.json'), 'utf8'));
    expect(estate.warnings.map((w: { code: string }) => w.code)).toContain('rule-matches-nothing');
  });

  it('hang: a saved result of 200k operations given to report', async () => {
    const n = 200_000;
    const ops: OperationRecord[] = [];
    for (let i = 0; i < n; i++) {
      ops.push({ vm: `vm${i}`, kind: 'svmotion', cluster: 'C1', host: `esx${i % 4}`, toHost: null, sourceDatastores: ['OLD'], targetDatastore: 'NEW', bytes: 1e9, submittedAt: i * 10, startedAt: i * 10, finishedAt: i * 10 + 100, outcome: 'success' });
    }
    const result = {
      scenario: 'big', policy: 'fixed:1', seed: 1, makespanSeconds: n * 10 + 100, bytesMoved: n * 1e9, vmCount: n,
      summary: { svmotions: n, vmotions: 0, vmsMoved: n, vmsFailed: 0, vmsSkipped: 0, queuedSeconds: 0, queuedOperations: 0, meanThroughput: 1e8, peakThroughput: 1e8, peakConcurrentCopies: 1, apiCalls: n, events: n },
      datastoresEmptied: [{ name: 'OLD', at: n * 10 + 100 }], links: [], throughput: [[0, 1e8]], operations: ops,
    };
    const text = JSON.stringify(result);
    const dir = workDir({ 'big.json': text });
    const run = await runCli(['report', 'big.json', '-r', 'rep'], { cwd: dir, timeoutMs: hangLimitMs(text.length) });
    expect(run.hung, 'the report hung').toBe(false);
    expect(run.stderr).toBe(REPORT_STDERR);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'rep', 'operations.csv'), 'utf8').split('\r\n').length).toBe(n + 2);
  }, 600_000);
});

describe('crashes', () => {
  it('crash: overrides hostMax 4 makes every svMotion impossible', async () => {
    const run = await simulateText(scenarioText({ top: 'vsphere:\n  overrides: { hostMax: 4 }' }));
    refused(run, /s\.yaml line \d+: vsphere\.overrides\.hostMax: 4 .*svmotionHost/);
  });

  it('crash: a YAML alias bomb', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (const [i, k] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) {
      const prev = 'abcdefg'[i]!;
      lines.push(`${k}: &${k} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const run = await simulateText(`${lines.join('\n')}\n`);
    refused(run, /s\.yaml line \d+: .*alias/);
  });

  it('crash: an undefined YAML alias', async () => {
    const run = await simulateText(`${scenarioText()}\ndescription: *nope\n`);
    refused(run, /s\.yaml line \d+: .*alias "?\*?nope/);
  });

  it('crash: diskMax 1B', async () => {
    const run = await simulateText(scenarioText({ synthetic: '    diskMax: 1B' }));
    refused(run, /s\.yaml line \d+: estate\.synthetic\.diskMax: .*disks/);
  });

  it('crash: cell sizes that overflow to Infinity', async () => {
    const dir = workDir({
      'RVTools_tabvInfo.csv': csvText([
        ['VM', 'Powerstate', 'Memory', 'Path', 'Cluster', 'Host'],
        ['vm1', 'poweredOn', '1024', '[DS1] vm1/vm1.vmx', 'C1', 'esx1'],
      ]),
      'RVTools_tabvDisk.csv': csvText([
        ['VM', 'Disk', 'Capacity MiB', 'Path'],
        ['vm1', 'Hard disk 1', '1e305', '[DS1] vm1/vm1.vmdk'],
      ]),
    });
    const run = await runCli(['inventory', 'import', '.', '-o', 'estate.json'], { cwd: dir });
    refused(run, /RVTools_tabvDisk\.csv, tab vDisk, row 2, column "Capacity MiB": .*at most/);
    expect(existsSync(join(dir, 'estate.json'))).toBe(false);
  });

  it('crash: a saved comparison with 500k runs (Math.min(...all))', () => {
    const runs: RunSummary[] = Array.from({ length: 500_000 }, (_, i) => ({
      seed: i, makespanSeconds: 3600 + (i % 1000), bytesMoved: 1e12, vmotions: 0, apiCalls: 10, queuedSeconds: 0, vmsFailed: 0,
      firstLegacyEmptySeconds: null, lastLegacyEmptySeconds: null, vmsSkipped: 0, retries: 0, drsMoves: 0,
    }));
    const compare = {
      scenario: 'big', seed: 1, runs: runs.length, deadlineSeconds: null, lowerBoundSeconds: 3000, scenarioFile: null, winner: 'field', percentileMethod: 'nearest-rank',
      lowerBound: { seconds: 3000, binding: 'x', parts: [] },
      policies: [{ policy: 'field', p50Seconds: 4099, p90Seconds: 4499, p99Seconds: 4589, deadlineProbability: null, vmotions: 0, apiCalls: 10, bytesPerHour: 1e12, ratioToLowerBound: 1.37, meanSeconds: 4099.5, bytesMoved: 1e12, queuedSeconds: 0, vmsFailed: 0, firstLegacyEmptyP50Seconds: null, lastLegacyEmptyP50Seconds: null, runs }],
    } as unknown as CompareResult;
    const charts = reportCharts({ compare });
    expect(charts.map((c) => c.file)).toEqual(['makespan-histogram.png', 'makespan-cdf.png']);
    // Makespans 3600 … 4599 s: the histogram spans exactly that, bins of a round width.
    const data = (charts[0]!.config.data.datasets[0] as { data: Array<{ x: number }> }).data;
    expect(data[0]!.x * 60).toBeLessThanOrEqual(3600);
    expect(data[data.length - 1]!.x * 60).toBeGreaterThan(4599);
  });

  it('crash: a saved sweep whose point starts at the edge of what a date holds (Invalid time value)', async () => {
    // Found by the fuzz suite (seed 1796142137688): a point's calendar 8e15 ms after 1970, the
    // latest start the schema takes, plus makespans of 1e12 s: their ends are beyond Date's range.
    // The report writes the duration without a date there, and no date in sweep.csv.
    const cell = { policy: 'field', spec: 'field', p50Seconds: 1e12, p90Seconds: 1e12, p99Seconds: 1e12, meanSeconds: 1e12, deadlineProbability: null, vmsLeft: 0, vmsFailed: 0, queuedSeconds: 0, ratioToLowerBound: 2, runs: [{ seed: 1, makespanSeconds: 1e12 }] };
    const sweep = {
      kind: 'sweep', scenario: 's', scenarioFile: null, seed: 1, runs: 1, deadlineSeconds: null, percentileMethod: 'nearest-rank', policies: ['field'],
      axes: [{ path: 'policy.cluster', kind: 'policy', values: ['1'] }],
      points: [{ values: ['1'], lowerBoundSeconds: 5e5, cells: [cell], calendar: { start: 'far', startMs: 8e15, zone: 'UTC' } }],
    };
    const dir = workDir({ 'saved.json': JSON.stringify(sweep) });
    const run = await runCli(['report', 'saved.json', '-r', 'rep'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const row = readFileSync(join(dir, 'rep', 'sweep.csv'), 'utf8').split('\r\n')[1]!;
    expect(row.endsWith(',far,,,')).toBe(true);
  });

  it('crash: a retry back-off that overflows', async () => {
    const run = await simulateText(scenarioText({ campaign: '  faults: { vms: [c1-vm0001] }' }), '-p', 'fixed:2+retries:2000');
    refused(run, /policy "fixed:2\+retries:2000": .*at most/);
  });

  it('crash: --runs 1000000000', async () => {
    const run = await simulateText(scenarioText(), '--runs', '1000000000');
    refused(run, /--runs 1000000000 is more than .* runs/);
  });
});

describe('injection and clobbering', () => {
  const dangerous = ['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\tvm', '\rvm'];

  it('injection: names starting with = + - @ tab or CR are neutralised in operations.csv', () => {
    const ops: OperationRecord[] = dangerous.map((name, i) => ({
      vm: name, kind: 'svmotion', cluster: dangerous[(i + 1) % 6]!, host: dangerous[(i + 2) % 6]!, toHost: null,
      sourceDatastores: [dangerous[(i + 3) % 6]!], targetDatastore: dangerous[(i + 4) % 6]!, bytes: -5, submittedAt: 0, startedAt: 0, finishedAt: 1, outcome: 'failed', reason: dangerous[(i + 5) % 6]!,
    }));
    const rows = operationsCsv(ops).split('\r\n').slice(1, -1);
    for (const row of rows) {
      // Every text field is quoted and starts with a single quote; the negative byte count stays a number.
      const fields = [...row.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!);
      expect(fields.length).toBeGreaterThanOrEqual(6);
      for (const f of fields.filter((f) => dangerous.some((d) => f.endsWith(d.replace(/"/g, '""'))))) expect(f.startsWith("'")).toBe(true);
      expect(row).toContain(',-5,');
    }
  });

  it('injection: policy names in runs.csv are neutralised', () => {
    const csv = runsCsv({ policies: [{ policy: '=cmd|"/c calc"!A1', runs: [{ seed: 1, makespanSeconds: 1, bytesMoved: 0, vmotions: 0, apiCalls: 0, queuedSeconds: 0, vmsFailed: 0, firstLegacyEmptySeconds: null, lastLegacyEmptySeconds: null, vmsSkipped: 0, retries: 0, drsMoves: 0 }] }] } as unknown as CompareResult);
    expect(csv.split('\r\n')[1]).toBe(`"'=cmd|""/c calc""!A1",1,1,0,0,0,0,0,,,0,0,0`);
  });

  it('injection: inventory show prints names escaped', async () => {
    const estate = {
      vcenter: 'vc\u001b]0;owned\u0007', clusters: [{ name: 'C\u001b[2J1' }], hosts: [{ name: 'esx\u009b1', cluster: 'C\u001b[2J1', enclosure: null }],
      datastores: [{ name: 'DS\r1', capacityBytes: 1e12, freeBytes: 1e12, array: null, role: 'legacy', hosts: null }],
      vms: [{ name: 'vm\u001b[31m1', cluster: 'C\u001b[2J1', host: 'esx\u009b1', powerState: 'poweredOn', memoryBytes: 1, disks: [], blockers: ['bad\u0007'] }],
    };
    const dir = workDir({ 'estate.json': JSON.stringify(estate) });
    const run = await runCli(['inventory', 'show', 'estate.json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(run.stdout).toContain('vm\\x1b[31m1');
    expect(run.stdout).toContain('C\\x1b[2J1');
    expect(run.stdout).toContain('DS\\x0d1');
  });

  it('injection: the live view prints names escaped', async () => {
    const { LineView, LiveTableView } = await import('../../src/app/run-view.js');
    let out = '';
    const sink = { write: (s: string) => ((out += s), true), isTTY: true } as unknown as NodeJS.WriteStream;
    new LineView(sink).event('VM "vm\u001b[2J" moved');
    new LiveTableView(sink).status({
      now: new Date(0), eta: null, bytesDone: 0, bytesTotal: 1, throughput: 0, stopping: false,
      clusters: [{ name: 'C\u001b]0;x\u0007', done: 0, running: 0, queued: 0, failed: 0, left: 1, bytesDone: 0 }],
    } as never);
    // The view's own cursor moves are the only escape sequences it writes.
    const withoutOwn = out.replace(/\u001b\[\d+F\u001b\[J/g, '');
    expect(withoutOwn).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('vm\\x1b[2J');
    expect(out).toContain('C\\x1b]0;x\\x07');
  });

  it('clobbering: --out through a FIFO writes into it and leaves it a FIFO', async () => {
    const dir = workDir({ 's.yaml': scenarioText() });
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // A reader on the other end, opened before svmig writes (as `cat pipe > copy` would be), and a
    // writer of our own holding the pipe open, so that the reader sees the end only once we close it.
    const reader = new Socket({ fd: openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false });
    const holder = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    const chunks: Buffer[] = [];
    reader.on('data', (b: Buffer) => chunks.push(b));
    const ended = new Promise((resolve) => reader.on('end', resolve));
    const run = await runCli(['simulate', 's.yaml', '-o', 'pipe'], { cwd: dir });
    closeSync(holder);
    await ended;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8')).scenario).toBe('t');
  });

  it('clobbering: --out to a FIFO nobody reads is refused at once, not waited on', async () => {
    const dir = workDir({ 's.yaml': scenarioText() });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const run = await runCli(['simulate', 's.yaml', '-o', 'pipe'], { cwd: dir });
    refused(run, /cannot write pipe: it is a FIFO that no process is reading/);
    expect(lstatSync(join(dir, 'pipe')).isFIFO()).toBe(true);
  });

  it('clobbering: --out through a symlink writes its target and keeps the link', async () => {
    const dir = workDir({ 's.yaml': scenarioText(), 'real.json': '{}' });
    symlinkSync('real.json', join(dir, 'link.json'));
    const run = await runCli(['simulate', 's.yaml', '-o', 'link.json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'real.json'), 'utf8')).scenario).toBe('t');
  });

  it('clobbering: --out to a character device (a null device of its own) stays a device', async () => {
    // Made in the test's folder (mknod, as root), not /dev/null: a regression must not break the machine.
    const dir = workDir({ 's.yaml': scenarioText() });
    execFileSync('mknod', [join(dir, 'null'), 'c', '1', '3']);
    const run = await runCli(['simulate', 's.yaml', '-o', 'null'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(statSync(join(dir, 'null')).isCharacterDevice()).toBe(true);
    expect(listing(dir)).toEqual(['null', 's.yaml']);
  });

  it('clobbering: a report folder holding a FIFO named index.html is refused, not replaced', async () => {
    const dir = workDir({ 's.yaml': scenarioText() });
    mkdirSync(join(dir, 'rep'));
    execFileSync('mkfifo', [join(dir, 'rep', 'index.html')]);
    const run = await runCli(['simulate', 's.yaml', '-o', 'out.json', '-r', 'rep'], { cwd: dir });
    refused({ ...run, dir }, /rep\/index\.html is not a regular file \(a FIFO\)/);
    expect(lstatSync(join(dir, 'rep', 'index.html')).isFIFO()).toBe(true);
  });
});

describe('silent misreadings', () => {
  const vInfoHeader = ['VM', 'Powerstate', 'Memory', 'Path', 'Cluster', 'Host'];

  it('misreading: a UTF-8 CSV with one stray byte keeps its accented names', async () => {
    // The stray byte: a Windows-1252 en dash (0x96) pasted into one path.
    const [head, tail] = csvText([vInfoHeader, ['Zoë-app', 'poweredOn', '1024', '[DS] a/a.vmx', 'Clüster', 'esx1'], ['café', 'poweredOn', '1024', '[DS] b/b@.vmx', 'Clüster', 'esx1']]).split('@');
    const bytes = Buffer.concat([Buffer.from(head!, 'utf8'), Buffer.from([0x96]), Buffer.from(tail!, 'utf8')]);
    const dir = workDir({ 'RVTools_tabvInfo.csv': bytes });
    const run = await runCli(['inventory', 'import', '.', '-o', 'estate.json'], { cwd: dir });
    expect(run.code).toBe(0);
    const estate = JSON.parse(readFileSync(join(dir, 'estate.json'), 'utf8'));
    expect(estate.vms.map((v: { name: string }) => v.name)).toEqual(['Zoë-app', 'café']);
    expect(estate.warnings.some((w: { code: string; message: string }) => w.code === 'encoding' && /not UTF-8/.test(w.message))).toBe(true);
  });

  it('misreading: a ;-separated CSV with , thousands separators', async () => {
    const dir = workDir({
      'RVTools_tabvInfo.csv': csvText([vInfoHeader, ['vm1', 'poweredOn', '16,384', '[DS] a/a.vmx', 'C1', 'esx1']], ';'),
      'RVTools_tabvDisk.csv': csvText([['VM', 'Disk', 'Capacity MiB', 'Thin', 'Path'], ['vm1', 'Hard disk 1', '102,400', 'False', '[DS] a/a.vmdk']], ';'),
    });
    const run = await runCli(['inventory', 'import', '.', '-o', 'estate.json'], { cwd: dir });
    expect(run.code).toBe(0);
    const estate = JSON.parse(readFileSync(join(dir, 'estate.json'), 'utf8'));
    // 102,400 MiB = 100 GiB; 16,384 MiB = 16 GiB: read with the comma as a thousands separator.
    expect(estate.vms[0].disks[0].capacityBytes).toBe(102_400 * 2 ** 20);
    expect(estate.vms[0].memoryBytes).toBe(16_384 * 2 ** 20);
    expect(estate.warnings.filter((w: { code: string }) => w.code === 'thousands-separator').map((w: { file: string }) => w.file).sort()).toEqual(['RVTools_tabvDisk.csv', 'RVTools_tabvInfo.csv']);
  });

  it("misreading: dropping vInfo's Host column is reported", async () => {
    const dir = workDir({ 'RVTools_tabvInfo.csv': csvText([['VM', 'Powerstate', 'Memory', 'Path', 'Cluster'], ['vm1', 'poweredOn', '1024', '[DS] a/a.vmx', 'C1']]) });
    const run = await runCli(['inventory', 'import', '.', '-o', 'estate.json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/vInfo has no Host column/);
    const estate = JSON.parse(readFileSync(join(dir, 'estate.json'), 'utf8'));
    expect(estate.warnings.some((w: { code: string; column?: string }) => w.code === 'column-missing' && w.column === 'Host')).toBe(true);
  });

  it('misreading: vmSize.sigma 3 no longer ignores totalSize', async () => {
    const { parseScenario } = await import('../../src/scenario/load.js');
    const text = scenarioText({ synthetic: '    totalSize: 500TiB' })
      .replace('vms: 20', 'vms: 3000')
      .replace('vmSize: { median: 80GiB, sigma: 1, min: 20GiB, max: 2TiB }', 'vmSize: { median: 80GiB, sigma: 3, min: 20GiB, max: 16TiB }');
    const s = parseScenario(text, 's.yaml');
    const provisioned = s.estate.vms.reduce((t, v) => t + v.disks.reduce((u, d) => u + d.capacityBytes, 0), 0);
    // Disks are rounded to whole GiB: at most half a GiB off per disk.
    const disks = s.estate.vms.reduce((t, v) => t + v.disks.length, 0);
    expect(Math.abs(provisioned - 500 * 2 ** 40)).toBeLessThanOrEqual(disks * 2 ** 29);
  });

  it('misreading: estate.import with an absolute path is honoured', async () => {
    const estateDir = workDir({
      'estate.json': JSON.stringify({
        vcenter: 'vc', clusters: [{ name: 'C1' }], hosts: [{ name: 'esx1', cluster: 'C1' }],
        datastores: [{ name: 'OLD1', capacityBytes: 1e12, freeBytes: 5e11 }, { name: 'NEW1', capacityBytes: 1e13, freeBytes: 1e13 }],
        vms: [{ name: 'vm1', cluster: 'C1', host: 'esx1', powerState: 'poweredOn', memoryBytes: 1e9, disks: [{ label: 'Hard disk 1', capacityBytes: 1e11, allocatedBytes: 1e11, thin: false, datastore: 'OLD1' }] }],
      }),
    });
    const text = scenarioText().replace(/estate:\n[\s\S]*$/, `estate:\n  import: ${join(estateDir, 'estate.json')}\n  legacy: { datastores: [OLD1], array: OLD }\n  new: { datastores: [NEW1], array: NEW }\n`);
    const run = await simulateText(text);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('misreading: JSON with a UTF-8 BOM is read by inventory show and report', async () => {
    const estate = { vcenter: 'vc', clusters: [], hosts: [], datastores: [], vms: [] };
    const dir = workDir({ 'estate.json': `\ufeff${JSON.stringify(estate)}` });
    const show = await runCli(['inventory', 'show', 'estate.json'], { cwd: dir });
    expect(show.stderr).toBe('');
    expect(show.code).toBe(0);
    const sim = await simulateText(scenarioText());
    expect(sim.code).toBe(0);
    writeFileSync(join(sim.dir, 'bom.json'), `\ufeff${readFileSync(join(sim.dir, 'out.json'), 'utf8')}`);
    const report = await runCli(['report', 'bom.json', '-r', 'rep'], { cwd: sim.dir });
    expect(report.stderr).toBe(REPORT_STDERR);
    expect(report.code).toBe(0);
  });

  it('misreading: an unknown policy named in a scenario file names the file and line', async () => {
    const run = await simulateText(scenarioText({ top: 'policy: feild' }));
    refused(run, /s\.yaml line 2: policy: unknown policy "feild"/);
  });
});

describe('found by the fuzz suite', () => {
  it('fuzz: an absurd # HBAs in vHost named as a cell, not an internal error', async () => {
    const dir = workDir({
      'RVTools_tabvInfo.csv': csvText([['VM', 'Powerstate', 'Memory', 'Path', 'Cluster', 'Host'], ['vm1', 'poweredOn', '1024', '[DS1] vm1/vm1.vmx', 'C1', 'esx1']]),
      'RVTools_tabvHost.csv': csvText([['Host', 'Cluster', '# HBAs'], ['esx1', 'C1', '1e305']]),
    });
    const run = await runCli(['inventory', 'import', '.', '-o', 'estate.json'], { cwd: dir });
    refused(run, /RVTools_tabvHost\.csv, tab vHost, row 2, column "# HBAs": 1e305 is too large: svmig takes at most 1,024 here/);
    expect(existsSync(join(dir, 'estate.json'))).toBe(false);
  });
});
