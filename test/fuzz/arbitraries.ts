// Generators of malformed (and well-formed) input for the fuzz suite, with fast-check: scenario
// files, RVTools CSV folders and XLSX workbooks, saved results, and command lines. Each starts from
// something svmig accepts and bends it: values swapped for edge cases (zero, negative, huge, wrong
// unit or case, control characters, formula starters), fields dropped or added, text damaged, special
// files where outputs go. Sizes stay small, so that what is valid also runs in milliseconds.

import fc from 'fast-check';
import { stringify } from 'yaml';
import { buildXlsx, type XCell } from '../inventory/helpers.js';
import type { FuzzCase, FuzzFile } from './harness.js';

const NASTY_TEXT = ['', ' ', 'x', '=HYPERLINK("http://x")', '+1', '-1+2', '@SUM(A1)', '\tvm', '\rvm', 'vm\u001b[2J', 'v\u009bm', 'Zoë', '東京', 'a'.repeat(2000), '{', '[', '*alias', '&anchor', '"', "'", '\\', 'null', '~'];
const NUMBERS = [0, -1, 1, 0.5, 2.5, 1e-9, 1e9, 1e15, 1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, -0];
const SIZE_TEXT = ['500GiB', '1KiB', '1B', '0B', '-5GiB', '500gb', '500Gb', '500 GiB', '1e9B', '2TiB', '8PiB', '9PiB', '16TiB', 'GiB', '1.5TB', '0.000001B'];
const RATE_TEXT = ['250MB/s', '1B/s', '1MB/s', '250mb/s', '250Mb/s', '0MB/s', '-1MB/s', '10Gbps', '1GiB/s', '1e12MB/s', 'fast'];
const DURATION_TEXT = ['20s', '0s', '1e9s', '1000000000', '5M', '1m', '1h30m', '10s', '9s', '0.001s', '3650d', '5000w', '-5s', 'soon'];
const FC_TEXT = ['8Gb', '16Gb', '3Gb', '0', '16', '16GFC', 'x'];
const FRACTION_TEXT = ['10%', '0%', '100%', '150%', '-5%', '0.5', '2', '%'];

/** Any of the edge values above, of any kind: what a field gets when it is "bent". */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...NASTY_TEXT),
  fc.constantFrom(...NUMBERS),
  fc.constantFrom(...SIZE_TEXT, ...RATE_TEXT, ...DURATION_TEXT, ...FC_TEXT, ...FRACTION_TEXT),
  fc.constantFrom(null, true, [], {}, [1, 2], { x: 1 }),
  fc.string({ maxLength: 12 }),
  fc.double(),
  fc.integer(),
);

type Json = Record<string, unknown>;

function baseScenario(): Json {
  return {
    name: 'fuzz',
    policy: 'fixed:2',
    fabric: {
      hosts: { hbaPorts: 2, portSpeed: '16Gb' },
      arrays: [
        { name: 'OLD', frontEndPorts: 4, portSpeed: '8Gb' },
        { name: 'NEW', frontEndPorts: 8, portSpeed: '16Gb' },
      ],
      perCopyRate: '250MB/s',
      svmotionSetup: '20s',
      vmotion: { rate: '1GB/s', setup: '15s' },
    },
    campaign: {
      drs: { level: 'off' },
      faults: { svmotion: { probability: '0%' } },
      jitter: '0%',
    },
    estate: {
      synthetic: {
        vcenter: 'vc',
        clusters: [{ name: 'C1', hosts: 4 }],
        vms: 12,
        vmSize: { median: '80GiB', sigma: 1, min: '20GiB', max: '2TiB' },
        legacy: { array: 'OLD', capacity: '8TiB' },
        new: { array: 'NEW', capacity: '32TiB', fill: '70%' },
      },
    },
  };
}

/** Fields a bend may target, as paths into the base scenario (new keys may be created). */
const SCENARIO_PATHS: string[][] = [
  ['name'], ['policy'], ['seed'], ['description'],
  ['vsphere', 'costs'], ['vsphere', 'version'], ['vsphere', 'overrides', 'hostMax'], ['vsphere', 'overrides', 'svmotionHost'], ['vsphere', 'overrides', 'datastoreMax'], ['vsphere', 'overrides', 'networkMax'],
  ['targets', 'headroom'],
  ['fabric', 'hosts', 'hbaPorts'], ['fabric', 'hosts', 'portSpeed'], ['fabric', 'enclosures'], ['fabric', 'arrays', '0', 'frontEndPorts'], ['fabric', 'arrays', '1', 'name'], ['fabric', 'arrays'],
  ['fabric', 'core'], ['fabric', 'perCopyRate'], ['fabric', 'maxParallelDiskCopies'], ['fabric', 'svmotionSetup'], ['fabric', 'vmotion', 'rate'], ['fabric', 'vmotion', 'setup'],
  ['campaign', 'monitoring'], ['campaign', 'drs', 'level'], ['campaign', 'drs', 'interval'], ['campaign', 'drs', 'maxMovesPerPass'], ['campaign', 'drs', 'drift'],
  ['campaign', 'faults', 'svmotion', 'probability'], ['campaign', 'faults', 'svmotion', 'transient'], ['campaign', 'faults', 'vms'], ['campaign', 'faults', 'hosts'],
  ['campaign', 'jitter'], ['campaign', 'placement'], ['campaign', 'priority'], ['campaign', 'progressInterval'], ['campaign', 'windows'], ['campaign', 'start'],
  ['estate', 'synthetic', 'vcenter'], ['estate', 'synthetic', 'seed'], ['estate', 'synthetic', 'clusters', '0', 'hosts'], ['estate', 'synthetic', 'clusters', '0', 'name'], ['estate', 'synthetic', 'clusters'],
  ['estate', 'synthetic', 'enclosureSize'], ['estate', 'synthetic', 'vms'], ['estate', 'synthetic', 'vmSize', 'sigma'], ['estate', 'synthetic', 'vmSize', 'min'], ['estate', 'synthetic', 'vmSize', 'max'],
  ['estate', 'synthetic', 'vmSize', 'median'], ['estate', 'synthetic', 'totalSize'], ['estate', 'synthetic', 'diskMax'], ['estate', 'synthetic', 'disksPerVm'], ['estate', 'synthetic', 'thin'],
  ['estate', 'synthetic', 'placement', 'skew'], ['estate', 'synthetic', 'legacy', 'capacity'], ['estate', 'synthetic', 'legacy', 'datastoresPerCluster'], ['estate', 'synthetic', 'legacy', 'fill'],
  ['estate', 'synthetic', 'new', 'capacity'], ['estate', 'synthetic', 'new', 'fill'], ['estate', 'synthetic', 'new', 'datastoresPerCluster'], ['estate', 'import'], ['estate', 'extra'],
  ['estate', 'synthetic', 'legacy', 'arrays'], ['estate', 'synthetic', 'new', 'arrays'],
];

/** Values that mean something at a given field, beyond the generic edge values. */
const FIELD_VALUES: Record<string, unknown[]> = {
  policy: ['field', 'fixed:0', 'fixed:100000000', 'host-aware', 'adaptive', 'adaptive:1:2:0s', 'drain', 'feild', 'fixed:2+retries:11', 'fixed:2+retries:3:1w', 'fixed:2+retries:10:1d', 'fixed:2+order:priority', '+', 'global:3+pick:host-aware'],
  'campaign.windows': [
    { start: '2026-12-04T20:00', open: [{ days: ['mon'], from: '20:00', to: '20:01' }] },
    { start: '2026-12-04T20:00', allowOverrun: true, open: [{ days: ['mon'], from: '20:00', to: '20:01' }] },
    { start: '2026-12-04T20:00', open: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }] },
    { start: '2026-12-04T20:00', open: [{ days: ['sat'], from: '00:00', to: '23:00' }] },
    { start: 'tomorrow', open: [{ days: ['mon'] }] },
    { start: '2026-12-04T20:00', open: [{ days: ['noday'] }] },
    { open: [{ days: ['sat', 'sun'] }] },
    { allowOverrun: true, open: [{ days: ['mon'], from: '02:00', to: '03:00' }] },
  ],
  'campaign.start': ['2026-12-05T20:00 Europe/Paris', '2027-03-28T02:30 Europe/Paris', '2026-10-25T02:30 Europe/Paris', '2026-12-05T20:00+01:00[Europe/Paris]', '2026-12-05T20:00', '2026-12-05T20:00 Mars/Olympus', '9999-12-31T23:59 Pacific/Kiritimati', '1970-01-01T00:00Z', 'tomorrow', 2026],
  'estate.synthetic.legacy.arrays': [2, 3, 1000, 0, [], ['OLD', 'OLD'], [{ name: 'OLD', share: '150%' }], [{ name: 'OLD', datastoresPerCluster: 3 }], 'two'],
  'estate.synthetic.new.arrays': [2, [{ name: 'NEW', share: '100%' }], ['OLD'], [{ name: 'NEW', datastoresPerCluster: 50000 }]],
  'campaign.priority': [['/^(a+)+$/'], ['/(/'], ['/(?=x)/'], ['c1-vm0001', '/vm00[0-9]/'], ['/' + 'x'.repeat(1200) + '/']],
  'campaign.faults.vms': [['c1-vm0001'], ['nobody']],
  'campaign.faults.hosts': [[{ host: 'c1-esx01', at: '1h', down: '1h' }], [{ host: 'c1-esx01', at: '5000w' }], [{ host: 'nobody', at: '1h' }]],
  'campaign.drs.level': ['fully-automated', 'manual', 'on'],
  'campaign.monitoring': ['push', 'poll:30s', 'poll:0s', 'poll:0.001s', 'poll:1s', 'poll', 'poll:5M'],
  'estate.synthetic.vms': [1, 2, 50, 300, 1_000_000, 0, -3, 2.5],
  'estate.synthetic.clusters.0.hosts': [1, 2, 33, 1_000_000, 0],
  'estate.synthetic.vmSize.sigma': [0, 0.5, 3, 10, 11],
  'estate.synthetic.totalSize': ['500TiB', '1TiB', '240GiB', '1PiB'],
  'estate.synthetic.diskMax': ['1B', '1GiB', '256GiB', '2TiB'],
  'estate.synthetic.enclosureSize': [0, 2, 16],
  'fabric.enclosures': [{ uplinkPorts: 8, portSpeed: '8Gb' }, null],
  'estate.import': ['/nonexistent.json', 'estate.json', '/dev/zero', '.'],
  'vsphere.overrides.hostMax': [4, 8, 16, 0, 1e7],
  'vsphere.overrides.svmotionHost': [0, 8, 17],
};

function setPath(obj: Json, path: readonly string[], value: unknown): void {
  let node: Json = obj;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = /^\d+$/.test(key) ? [] : {};
    node = node[key] as Json;
  }
  node[path[path.length - 1]!] = value;
}

function deletePath(obj: Json, path: readonly string[]): void {
  let node: unknown = obj;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Json)[key];
  }
  if (node !== null && typeof node === 'object') delete (node as Json)[path[path.length - 1]!];
}

const bend = fc.constantFrom(...SCENARIO_PATHS).chain((path) => {
  const special = FIELD_VALUES[path.join('.')];
  const value = special ? fc.oneof(fc.constantFrom(...special), anyValue) : anyValue;
  return fc.oneof(
    { weight: 8, arbitrary: value.map((v) => ({ path, value: v as unknown, remove: false })) },
    { weight: 1, arbitrary: fc.constant({ path, value: undefined as unknown, remove: true }) },
  );
});

/** A text damaged the way files get damaged: cut short, a character dropped in, a BOM, an alias bomb. */
const damage = fc.oneof(
  { weight: 16, arbitrary: fc.constant((t: string) => t) },
  { weight: 1, arbitrary: fc.nat().map((n) => (t: string) => t.slice(0, n % (t.length + 1))) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom(':', '{', '[', '"', '\t', '\u0000', '&a', '*a', '\n-', '%')).map(([n, ch]) => (t: string) => t.slice(0, n % (t.length + 1)) + ch + t.slice(n % (t.length + 1))) },
  { weight: 1, arbitrary: fc.constant((t: string) => `\ufeff${t}`) },
  { weight: 1, arbitrary: fc.constant((t: string) => `${t}\nbomb: [${'*b,'.repeat(50)}*b]\n`.replace('name:', 'b: &b [1,2,3,4,5,6,7,8,9,10]\nname:')) },
);

/** Extra command-line options of simulate / compare, and where the outputs go (maybe a special file). */
/** Mostly `usual`, now and then one of `rare`. */
function mostly<T>(usual: T, ...rare: T[]): fc.Arbitrary<T> {
  return fc.oneof({ weight: 3 * rare.length, arbitrary: fc.constant(usual) }, { weight: rare.length, arbitrary: fc.constantFrom(...rare) });
}

/** Nearly always `usual` (19 times in 20), so that a file of many cells is not always refused. */
function rarely<T>(usual: T, ...rare: T[]): fc.Arbitrary<T> {
  return fc.oneof({ weight: 19, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constantFrom(...rare) });
}

const outputs = fc.record({
  out: mostly<[string, FuzzFile | null]>(['out.json', null], ['fifo.json', { fifo: true }], ['link.json', { symlink: 'target.json' }], ['null', { device: 'null' }], ['dir', null]),
  report: mostly<[string | null, Record<string, FuzzFile>]>([null, {}], ['rep', {}], ['rep', {}], ['rep', { rep: 'not a folder' }]),
  deadline: mostly<string | null>(null, '14d', '0s', '5M', 'soon', '1e9s'),
  runs: mostly<string | null>(null, '2', '2', '0', '1000000000', 'x', '-1'),
  seed: mostly<string | null>(null, '7', '-1', '1e3', '99999999999999999999'),
});

export const scenarioCase: fc.Arbitrary<FuzzCase> = fc
  .record({ bends: fc.array(bend, { minLength: 0, maxLength: 3 }), json: fc.boolean(), damage, o: outputs, policy: mostly<string | null>(null, 'field', 'host-aware', 'adaptive', 'drain', 'fixed:0', 'feild', 'fixed:2+retries:999') })
  .map(({ bends, json, damage: hurt, o, policy }) => {
    const s = baseScenario();
    for (const b of bends) {
      if (b.remove) deletePath(s, b.path);
      else setPath(s, b.path, b.value);
    }
    const text = hurt(json ? JSON.stringify(s, null, 1) : stringify(s));
    const files: Record<string, FuzzFile> = { 's.yaml': text, 'estate.json': '{"vcenter":"vc","clusters":[],"hosts":[],"datastores":[],"vms":[]}' };
    const [outName, outFile] = o.out;
    if (outFile !== null) files[outName] = outFile;
    if (outName === 'link.json') files['target.json'] = '{}';
    if (outName === 'dir') files['dir'] = { fifo: true };
    Object.assign(files, o.report[1]);
    const argv = ['simulate', '@/s.yaml', '-o', `@/${outName}`];
    if (o.report[0] !== null) argv.push('-r', `@/${o.report[0]}`);
    if (o.deadline !== null) argv.push('--deadline', o.deadline);
    if (o.runs !== null) argv.push('--runs', o.runs, '--workers', '1');
    if (o.seed !== null) argv.push('--seed', o.seed);
    if (policy !== null) argv.push('--policy', policy);
    return { category: 'scenario', files, argv };
  });

// ---- RVTools exports -------------------------------------------------------------------------------

const VINFO = ['VM', 'Powerstate', 'Template', 'Memory', 'Disks', 'Provisioned MiB', 'In Use MiB', 'Path', 'Datacenter', 'Cluster', 'Host', 'VM ID', 'VI SDK Server'];
const VDISK = ['VM', 'Disk', 'Disk Key', 'Capacity MiB', 'Thin', 'Raw', 'Disk Mode', 'Path', 'VM ID'];
const VHOST = ['Host', 'Datacenter', 'Cluster', '# HBAs', 'Model'];
const VDATASTORE = ['Name', 'Type', 'Capacity MiB', 'Free MiB', 'Hosts'];

const CELL_TEXT = [
  'vm1', 'vm2', 'esx1', 'C1', 'DS1', '[DS1] vm1/vm1.vmx', '[DS2] vm2/vm2.vmdk', '[', '[] x', 'poweredOn', 'poweredOff', 'suspended', 'True', 'False', 'maybe',
  '1024', '16384', '16,384', '16.384', '1,5', '1.234,5', '1,234,567', '1e305', '-5', 'abc', '', '0', '4', 'vm-1', 'persistent', 'independent_persistent',
  ...NASTY_TEXT.slice(0, 12),
];

const cellText = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...CELL_TEXT) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) });
const NUMERIC = /MiB|Memory|Disks|# HBAs|Disk Key/;
const numberText = fc.oneof(
  { weight: 40, arbitrary: fc.constantFrom('1024', '16384', '4', '0', '2048', '102400') },
  { weight: 1, arbitrary: fc.constantFrom('16,384', '16.384', '1,5', '1.234,5', '1,234,567', '1e305', '-5', 'abc', '', ' 1 024') },
);
const pathText = fc.oneof({ weight: 30, arbitrary: fc.constantFrom('[DS1] vm1/vm1.vmx', '[DS2] vm2/vm2.vmdk', '[DS1] a/b.vmdk') }, { weight: 1, arbitrary: cellText });

/** A cell for the column named `header`: mostly what such a column holds, now and then anything. */
function cellFor(header: string): fc.Arbitrary<string> {
  if (NUMERIC.test(header)) return fc.oneof({ weight: 40, arbitrary: numberText }, { weight: 1, arbitrary: cellText });
  if (header === 'Path') return pathText;
  if (header === 'Powerstate') return rarely('poweredOn', 'poweredOff', 'suspended', 'on', '');
  if (header === 'Thin' || header === 'Template' || header === 'Raw') return rarely('False', 'True', 'maybe', '');
  if (header === 'Disk Mode') return rarely('persistent', 'independent_persistent', 'nonsense');
  return cellText;
}

/** A tab: its first (required) column and a subset of the others, maybe a stranger or a duplicate, and a few rows. */
function tab(columns: string[]): fc.Arbitrary<string[][]> {
  return fc
    .tuple(fc.subarray(columns.slice(1)), rarely(true, false), mostly<string[]>([], ['Extra'], [columns[0]!]), fc.integer({ min: 0, max: 6 }))
    .chain(([others, first, extra, n]) => {
      const header = [...(first ? [columns[0]!] : []), ...others, ...extra];
      if (header.length === 0) header.push(columns[0]!);
      const row = fc.tuple(...header.map(cellFor)).chain((cells) => rarely<string[]>(cells, [...cells, 'one too many']));
      return fc.array(row, { minLength: n, maxLength: n }).map((rows) => [header, ...rows]);
    });
}

function csvOf(rows: string[][], delimiter: string): string {
  return rows.map((r) => r.map((c) => (c.includes(delimiter) || /["\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(delimiter)).join('\r\n') + '\r\n';
}

const encode = mostly<(t: string) => Uint8Array>(
  (t) => Buffer.from(t, 'utf8'),
  (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]),
  (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
  (t) => Buffer.from(t, 'latin1'),
  (t) => Buffer.concat([Buffer.from(t, 'utf8'), Buffer.from([0x96, 0xff])]),
);

const RULES = ['DS1', '^DS', '^(a+)+$', '(', '(?=x)', '', 'x'.repeat(1200), '=cmd'];

const importOptions = fc.record({
  legacy: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(null, 'DS1', '^DS') }, { weight: 1, arbitrary: fc.constantFrom(...RULES) }),
  new: mostly<string | null>(null, 'DS2', '^DS2', '['),
  array: mostly<string | null>(null, 'VNX=DS1', 'VNX=DS1', '=DS1', 'X='),
  assume: mostly<string | null>(null, 'DS1', 'C1=DS1', '='),
  out: mostly<[string, FuzzFile | null]>(['estate.json', null], ['fifo.json', { fifo: true }], ['null', { device: 'null' }]),
});

function importArgv(target: string, o: { legacy: string | null; new: string | null; array: string | null; assume: string | null; out: [string, FuzzFile | null] }): string[] {
  const argv = ['inventory', 'import', target, '-o', `@/${o.out[0]}`];
  if (o.legacy !== null) argv.push('--legacy', o.legacy);
  if (o.new !== null) argv.push('--new', o.new);
  if (o.array !== null) argv.push('--array', o.array);
  if (o.assume !== null) argv.push('--assume-datastore', o.assume);
  return argv;
}

export const csvCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    vInfo: tab(VINFO),
    vDisk: fc.option(tab(VDISK)),
    vHost: fc.option(tab(VHOST)),
    vDatastore: fc.option(tab(VDATASTORE)),
    delimiter: mostly(',', ';', '\t'),
    encode,
    o: importOptions,
  })
  .map(({ vInfo, vDisk, vHost, vDatastore, delimiter, encode: enc, o }) => {
    const files: Record<string, FuzzFile> = { 'RVTools_tabvInfo.csv': enc(csvOf(vInfo, delimiter)) };
    if (vDisk) files['RVTools_tabvDisk.csv'] = enc(csvOf(vDisk, delimiter));
    if (vHost) files['RVTools_tabvHost.csv'] = enc(csvOf(vHost, delimiter));
    if (vDatastore) files['RVTools_tabvDatastore.csv'] = enc(csvOf(vDatastore, delimiter));
    if (o.out[1] !== null) files[o.out[0]] = o.out[1];
    return { category: 'rvtools-csv', files, argv: importArgv('@/RVTools_tabvInfo.csv', o) };
  });

const xcell: fc.Arbitrary<XCell> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...CELL_TEXT) },
  { weight: 2, arbitrary: fc.constantFrom(0, 1, 1024, 16384, -5, 1e305, 2.5, 1e15) },
  { weight: 1, arbitrary: fc.constantFrom<XCell>(true, false, null, { date: 45000 }) },
);

function sheet(columns: string[]): fc.Arbitrary<XCell[][]> {
  return tab(columns).chain(([header, ...rows]) =>
    // Numbers as numeric cells, as RVTools writes them; the rest as text, now and then a stranger.
    fc.tuple(...rows.map((r) => fc.tuple(...r.map((c) => fc.oneof({ weight: 40, arbitrary: fc.constant<XCell>(/^-?\d+(\.\d+)?(e\d+)?$/.test(c) ? Number(c) : c) }, { weight: 1, arbitrary: xcell })))))
      .map((cells) => [header!, ...cells]),
  );
}

export const xlsxCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    vInfo: sheet(VINFO),
    vDisk: fc.option(sheet(VDISK)),
    names: mostly(['vInfo', 'vDisk'], ['VINFO', 'vdisk'], ['Sheet1', 'vDisk']),
    corrupt: fc.oneof(
      { weight: 15, arbitrary: fc.constant((b: Uint8Array) => b) },
      { weight: 1, arbitrary: fc.nat().map((n) => (b: Uint8Array) => b.slice(0, n % (b.length + 1))) },
      { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([n, v]) => (b: Uint8Array) => {
        const c = Uint8Array.from(b);
        c[n % c.length] = v;
        return c;
      }) },
      { weight: 1, arbitrary: fc.constant(() => Buffer.from('not a zip at all')) },
    ),
    special: fc.oneof({ weight: 15, arbitrary: fc.constant<FuzzFile | null>(null) }, { weight: 1, arbitrary: fc.constantFrom<FuzzFile | null>({ fifo: true }, { symlink: '/dev/zero' }, { symlink: 'missing.xlsx' }) }),
    o: importOptions,
  })
  .map(({ vInfo, vDisk, names, corrupt, special, o }) => {
    const sheets = [{ name: names[0]!, rows: vInfo }, ...(vDisk ? [{ name: names[1]!, rows: vDisk }] : [])];
    const files: Record<string, FuzzFile> = { 'export.xlsx': special ?? corrupt(buildXlsx(sheets)) };
    if (o.out[1] !== null) files[o.out[0]] = o.out[1];
    return { category: 'rvtools-xlsx', files, argv: importArgv('@/export.xlsx', o) };
  });

// ---- saved results ----------------------------------------------------------------------------------

/** Every path into a JSON value, for picking what to bend. */
function paths(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = [], limit = 400): Array<Array<string | number>> {
  if (out.length >= limit) return out;
  out.push(prefix);
  if (Array.isArray(value)) value.slice(0, 3).forEach((v, i) => paths(v, [...prefix, i], out, limit));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out, limit);
  return out;
}

export function savedCase(bases: { result: unknown; compare: unknown; sweep: unknown }): fc.Arbitrary<FuzzCase> {
  const docPaths = { result: paths(bases.result), compare: paths(bases.compare), sweep: paths(bases.sweep) };
  return fc
    .record({
      kind: fc.constantFrom('result' as const, 'compare' as const, 'sweep' as const),
      picks: fc.array(fc.tuple(fc.nat(), anyValue, fc.boolean()), { maxLength: 2 }),
      damage,
      deadline: mostly<string | null>(null, '7h', '0s', 'x', '5M'),
      report: mostly<[string, Record<string, FuzzFile>]>(['rep', {}], ['rep', { rep: 'a file' }]),
    })
    .map(({ kind, picks, damage: hurt, deadline, report }) => {
      const doc = structuredClone(bases[kind]) as Json;
      const all = docPaths[kind];
      for (const [n, value, remove] of picks) {
        const path = all[n % all.length]!;
        if (path.length === 0) continue;
        let node: unknown = doc;
        for (const k of path.slice(0, -1)) node = (node as Record<string | number, unknown> | null)?.[k];
        if (node === null || typeof node !== 'object') continue;
        const key = path[path.length - 1]!;
        if (remove && !Array.isArray(node)) delete (node as Json)[String(key)];
        else (node as Record<string | number, unknown>)[key] = value;
      }
      const files: Record<string, FuzzFile> = { 'saved.json': hurt(JSON.stringify(doc)), ...report[1] };
      const argv = ['report', '@/saved.json', '-r', `@/${report[0]}`];
      if (deadline !== null) argv.push('--deadline', deadline);
      return { category: 'saved-result', files, argv };
    });
}

// ---- command lines ----------------------------------------------------------------------------------

const TOKENS = [
  'simulate', 'compare', 'report', 'inventory', 'import', 'show', 'plan', 'policies', 'help', 'nonsense',
  '@/s.yaml', '@/missing.yaml', '@/fifo', '@/zero', '@/dir', '@/', '-o', '@/out.json', '-r', '@/rep', '--runs', '--workers', '--seed', '--deadline', '--policy', '--policies',
  '-p', '--out', '--report', '--legacy', '--all', '--unknown', '-x', '0', '1', '2', '-1', '1e9', '1000000000', 'fixed:4', 'field,fixed:4', ',,', '', ' ', 'x', '5M', '14d', '=cmd',
  '--set', 'fabric.perCopyRate=120MB/s', 'fabric.arrays[9].name=X', 'campaign.start=2026-12-05T20:00 Europe/Paris', 'estate.synthetic.legacy.arrays=2', 'seed=[', '=', 'a..b=1',
  '2026-12-17T06:00', '2026-12-17T06:00Z', '2027-03-28T02:30 Europe/Paris',
  'sweep', '--vary', 'policy.cluster=1..3', 'policy.cluster=1..1000000', 'policy.nonsense=1', 'campaign.start=2026-12-05T20:00 Europe/Paris,2026-12-12T20:00 Europe/Paris',
  'fabric.perCopyRate=100MB/s..200MB/s', 'fabric.perCopyRate=0,1TB/s', 'campaign.jitter=0..0.5:0.25', 'policy.cluster=',
];

/** --vary values: good ones (lists, ranges, policy parts, starts) and bad ones. */
const VARY = ['policy.cluster=1..3', 'policy.cluster=1,2', 'policy.cluster=1..1000000', 'policy.cluster=', 'policy.nonsense=1', 'fabric.perCopyRate=100MB/s,200MB/s', 'fabric.perCopyRate=100MB/s..200MB/s', 'fabric.perCopyRate=0,1TB/s', 'campaign.jitter=0..0.5:0.25', 'campaign.jitter=0..1:0', 'campaign.start=2026-12-05T20:00 Europe/Paris,2026-12-12T20:00 Europe/Paris', 'nope.path=1', '=1', 'fabric.arrays[0].productionLoad=0..0.6:0.2'];

/** A sweep of the base scenario: a few axes, two runs, then anything. */
const sweepArgv = fc
  .tuple(fc.array(fc.constantFrom(...VARY), { maxLength: 2 }), fc.array(fc.constantFrom(...TOKENS), { maxLength: 3 }))
  .map(([vary, rest]) => ['sweep', '@/s.yaml', ...vary.flatMap((v) => ['--vary', v]), '--runs', '2', '--workers', '1', ...rest]);

export const flagsCase: fc.Arbitrary<FuzzCase> = fc.oneof(fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 7 }), sweepArgv).map((argv) => ({
  category: 'command-line',
  files: {
    's.yaml': stringify(baseScenario()),
    fifo: { fifo: true },
    zero: { symlink: '/dev/zero' },
    dir: 'a plain file named dir',
  },
  // Outputs always inside the case's folder (the last -o and -r win): a bare command would otherwise
  // write into reports/ or plan.json wherever the suite runs.
  argv: ['simulate', 'compare', 'sweep', 'report', 'plan'].includes(argv[0]!) ? [...argv, '-o', '@/out.json', '-r', '@/rep'] : argv,
}));
