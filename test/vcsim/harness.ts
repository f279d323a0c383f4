// Starts the vcsim harness (test/vcsim, a Go program around govmomi's simulator) for live-world
// tests: builds it when its sources changed, passes the spec on stdin and the credentials in the
// environment (never argv), waits for its "ready" line and drives it through control lines.
// The process ends when its stdin closes, so a crashed test run does not leave it behind.

import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import type { Estate } from '../../src/domain/estate.js';

const COMPILED_OR_SOURCE = dirname(fileURLToPath(import.meta.url));
// The sources (build.sh, *.go) live in test/vcsim; compiled for the benchmarks this module runs
// from dist/test/vcsim, three levels further down.
const HERE = existsSync(join(COMPILED_OR_SOURCE, 'build.sh')) ? COMPILED_OR_SOURCE : join(COMPILED_OR_SOURCE, '../../../test/vcsim');

// ---- the spec (mirrors test/vcsim/spec.go) ----

export interface HarnessCluster {
  name: string;
}
export interface HarnessHost {
  name: string;
  /** Omitted for a standalone host. */
  cluster?: string;
  model?: string;
}
export interface HarnessDatastore {
  name: string;
  capacityBytes: number;
  /** summary.freeSpace once the VMs are placed; omitted: capacity minus what the VMs use. */
  freeBytes?: number;
  /** Hosts mounting it; omitted: every host. */
  hosts?: string[];
  type?: string;
}
export interface HarnessDisk {
  capacityBytes: number;
  /** Allocated bytes of a thin disk; omitted: fully allocated. */
  allocatedBytes?: number;
  thin?: boolean;
  datastore: string;
}
export interface HarnessVm {
  name: string;
  host: string;
  powerState?: 'poweredOn' | 'poweredOff' | 'suspended';
  memoryBytes?: number;
  cpus?: number;
  homeDatastore?: string;
  template?: boolean;
  disks: HarnessDisk[];
  /** A snapshot chain, oldest first (the last is current); each adds deltaBytes to every disk. */
  snapshots?: HarnessSnapshot[];
  /** Bytes per disk of a delta no snapshot holds: runtime.consolidationNeeded until ConsolidateVMDisks_Task. */
  unconsolidatedBytes?: number;
}
export interface HarnessSnapshot {
  name: string;
  /** Allocated bytes of the snapshot's delta, on each disk. */
  deltaBytes: number;
}
/** Snapshot removal and consolidation take fixedMs + merged delta bytes / bytesPerSecond (simulated, relocate.timeScale applies). */
export interface HarnessRemediation {
  fixedMs?: number;
  bytesPerSecond?: number;
  /** Between info.progress updates; 0 → 250 ms, negative → none. */
  progressIntervalMs?: number;
}
export interface HarnessRelocate {
  /** "harness" (default): the harness's own RelocateVM_Task; "stock": vcsim's, delayed by TaskDelay. */
  mode?: 'harness' | 'stock';
  fixedMs?: number;
  /** Copy rate: a relocation also takes copied bytes / bytesPerSecond. */
  bytesPerSecond?: number;
  /** Between info.progress updates; 0 → 250 ms, negative → none. */
  progressIntervalMs?: number;
  /** Admission limits (svMotions per host, per datastore counting source and target); 0 = none. */
  maxPerHost?: number;
  maxPerDatastore?: number;
  /** Stock mode only: false adds TaskDelay's LockHandoff:0. */
  lockHandoff?: boolean;
  /**
   * Simulated seconds per real second (default 1): fixedMs, copy time, progressIntervalMs and the
   * load curve are simulated, so a copy of an hour with progress every 10 s passes in 6 s at 600.
   */
  timeScale?: number;
  /** One bottleneck every copy in flight shares. */
  link?: HarnessLink;
  /** Production-load noise on copy rates, reproducible from its seed. */
  noise?: HarnessNoise;
}
export interface HarnessLink {
  /** What the link carries, bytes per simulated second, before production load takes its part. */
  bytesPerSecond: number;
  /** "maxmin" (default): progressive filling, each copy capped by its own rate; "equal": capacity / copies. */
  share?: 'maxmin' | 'equal';
}
export interface HarnessNoise {
  seed: number;
  /** Standard deviation of ln(rate factor) of each copy attempt (log-normal, mean 1); 0: none. */
  perCopySpread?: number;
  /** Production-load fraction of the shared array: knots every periodSeconds, uniform in mean ± amplitude, interpolated. */
  load?: { mean: number; amplitude?: number; periodSeconds: number };
}
/** What the copy engine holds now (control op "copies"). */
export interface HarnessCopies {
  /** `streams`: the copy's parallel disk streams (distinct source datastores, at most 4), each at bytesPerSecond × factor. */
  copies: Array<{ vm: string; bytes: number; copied: number; rate: number; factor: number; streams: number }>;
  /** Simulated seconds since the harness started (the load curve's clock). */
  simSeconds: number;
  load: number;
}
/** Changes to the relocation model for relocations from now on (copies in flight follow link and noise at once). */
export interface HarnessRelocateChange extends Pick<HarnessRelocate, 'fixedMs' | 'bytesPerSecond' | 'progressIntervalMs' | 'timeScale' | 'link' | 'noise'> {
  /** Take the link away. */
  clearLink?: boolean;
  /** Take the noise away. */
  clearNoise?: boolean;
}
export interface HarnessFault {
  vm: string;
  /** The kind of task that fails: relocations by default. */
  task?: 'relocate' | 'removeSnapshot' | 'removeAllSnapshots' | 'consolidate';
  /** vim25 fault type name; default SystemError. */
  fault?: string;
  message: string;
  /** Percentage of the copy at which the task fails; default 50. */
  atPercent?: number;
  /** How many attempts fail before relocations of the VM succeed again; 0/omitted = always. */
  times?: number;
}
export interface HarnessSpec {
  apiVersion?: string;
  clusters: HarnessCluster[];
  hosts: HarnessHost[];
  datastores: HarnessDatastore[];
  vms: HarnessVm[];
  relocate?: HarnessRelocate;
  remediation?: HarnessRemediation;
  faults?: HarnessFault[];
  /** Go duration ("2s"): sessions idle that long expire. */
  sessionIdleTimeout?: string;
}

export interface StartOptions {
  username?: string;
  /** Default: a random one. */
  password?: string;
  /** Milliseconds to wait for the ready line (the inventory is built first). */
  startTimeoutMs?: number;
}

export interface HarnessIds {
  vms: Record<string, string>;
  hosts: Record<string, string>;
  datastores: Record<string, string>;
}

export interface Vcsim {
  /** https://127.0.0.1:PORT/sdk */
  url: string;
  /** SHA-256 thumbprint of the certificate, colon-separated upper-case hex. */
  thumbprint: string;
  thumbprintSha1: string;
  thumbprintSha256: string;
  apiVersion: string;
  username: string;
  password: string;
  /** Managed object ids by name. */
  ids: HarnessIds;
  injectFault(fault: HarnessFault): Promise<void>;
  clearFaults(): Promise<void>;
  /** Every session logged in so far is dead from now on (NotAuthenticated), as after an idle timeout. */
  expireSessions(): Promise<void>;
  /**
   * What vCenter does to an ended task 10 minutes after its end: it leaves every recentTask and its
   * reference no longer resolves (ManagedObjectNotFound); the task history keeps it. Says how many.
   */
  expireTasks(): Promise<number>;
  /** Idle timeout for sessions logged in from now on. */
  setSessionIdleTimeout(goDuration: string): Promise<void>;
  setRelocate(settings: HarnessRelocateChange): Promise<void>;
  /** The copies in flight with their current rates and factors, and the production load now. */
  copies(): Promise<HarnessCopies>;
  /** The production-load fraction at these simulated seconds (0 without noise.load). */
  loadAt(simSeconds: number[]): Promise<number[]>;
  control(request: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Relocation tasks the simulator held at most at once (in all, per host), and per VM, since it started. */
  relocations(): Promise<{ peakTotal: number; peakPerHost: Record<string, number>; perVm: Record<string, number>; held: number }>;
  /** RelocateVM_Task calls received from now on wait unanswered (`held` in relocations()) until released. */
  holdRelocations(): Promise<void>;
  /** Lets the held calls go on; resolves once each has created its task. */
  releaseRelocations(): Promise<void>;
  /** SOAP calls the simulator received from clients, by method, since it started. */
  stats(): Promise<{ calls: Record<string, number>; total: number }>;
  /** Freezes the process (SIGSTOP): a vCenter that keeps every connection and answers nothing, until thaw(). */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
  /** Stops and starts again from the spec on the same port with the same certificate: all state is new. */
  restart(): Promise<void>;
}

// ---- building ----

let builtBinary: string | undefined;

/** Builds the harness if its sources changed (see build.sh) and returns the binary's path. */
export function buildHarness(): string {
  if (builtBinary === undefined) {
    const out = execFileSync(join(HERE, 'build.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    builtBinary = out.trim().split('\n').at(-1) ?? '';
  }
  return builtBinary;
}

// ---- running ----

interface Ready {
  url: string;
  thumbprintSha1: string;
  thumbprintSha256: string;
  apiVersion: string;
}

class HarnessProcess {
  private readonly pending = new Map<number, (reply: Record<string, unknown>) => void>();
  private nextId = 1;
  private stderrTail = '';
  readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams, readonly ready: Ready) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(binary: string, spec: HarnessSpec, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<HarnessProcess> {
    const child = spawn(binary, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-8000);
    });
    return new Promise((resolve, reject) => {
      let proc: HarnessProcess | undefined;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`vcsim harness did not become ready within ${timeoutMs} ms: ${stderr.trim()}`));
      }, timeoutMs);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!proc) reject(new Error(`vcsim harness exited (code ${code}) before it was ready: ${stderr.trim()}`));
      });
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          return;
        }
        if (msg['event'] === 'ready' && !proc) {
          clearTimeout(timer);
          proc = new HarnessProcess(child, msg as unknown as Ready);
          child.stderr.removeAllListeners('data');
          child.stderr.on('data', (chunk: Buffer) => proc?.appendStderr(chunk));
          resolve(proc);
        } else if (proc && typeof msg['id'] === 'number') {
          const done = proc.pending.get(msg['id']);
          proc.pending.delete(msg['id']);
          done?.(msg);
        }
      });
      child.stdin.on('error', () => {}); // EPIPE after the process died is reported by 'exit'
      child.stdin.write(JSON.stringify(spec) + '\n');
    });
  }

  private appendStderr(chunk: Buffer): void {
    // SVMIG_VCSIM_DEBUG=1 shows what the simulator logs while a test runs.
    if (process.env['SVMIG_VCSIM_DEBUG']) process.stderr.write(chunk);
    this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-8000);
  }

  control(request: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) => {
        if (reply['ok'] === true) resolve(reply);
        else reject(new Error(`vcsim harness control ${String(request['op'])}: ${String(reply['error'])}`));
      });
      this.child.stdin.write(JSON.stringify({ ...request, id }) + '\n');
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGCONT'); // a frozen process reads no stdin
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGTERM'), 5000);
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10000);
    await this.exited;
    clearTimeout(timer);
    clearTimeout(killer);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal);
  }
}

const running = new Set<HarnessProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGTERM');
});

/** Starts a harness serving `spec`. Call stop() when done (afterAll). */
export async function startVcsim(spec: HarnessSpec, options: StartOptions = {}): Promise<Vcsim> {
  const binary = buildHarness();
  const username = options.username ?? 'svmig@vsphere.local';
  const password = options.password ?? randomBytes(12).toString('base64url');
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  // The certificate lives here so that restart() presents the same one.
  const tlsDir = mkdtempSync(join(tmpdir(), 'svmig-vcsim-tls-'));
  const env = { ...process.env, SVMIG_VCSIM_USERNAME: username, SVMIG_VCSIM_PASSWORD: password };

  let proc = await HarnessProcess.start(binary, spec, ['-tls-dir', tlsDir], env, timeoutMs);
  running.add(proc);
  const port = new URL(proc.ready.url).port;
  const inventory = await proc.control({ op: 'inventory' });
  const ids: HarnessIds = {
    vms: inventory['vms'] as Record<string, string>,
    hosts: inventory['hosts'] as Record<string, string>,
    datastores: inventory['datastores'] as Record<string, string>,
  };
  let stopped = false;

  const vcsim: Vcsim = {
    url: proc.ready.url,
    thumbprint: proc.ready.thumbprintSha256,
    thumbprintSha1: proc.ready.thumbprintSha1,
    thumbprintSha256: proc.ready.thumbprintSha256,
    apiVersion: proc.ready.apiVersion,
    username,
    password,
    ids,
    control: (request) => proc.control(request),
    freeze: () => proc.kill('SIGSTOP'),
    thaw: () => proc.kill('SIGCONT'),
    relocations: async () => {
      const reply = await proc.control({ op: 'relocations' });
      return {
        peakTotal: reply['peakTotal'] as number,
        peakPerHost: (reply['peakPerHost'] ?? {}) as Record<string, number>,
        perVm: (reply['perVm'] ?? {}) as Record<string, number>,
        held: reply['held'] as number,
      };
    },
    holdRelocations: async () => {
      await proc.control({ op: 'holdRelocations' });
    },
    releaseRelocations: async () => {
      await proc.control({ op: 'releaseRelocations' });
    },
    stats: async () => {
      const reply = await proc.control({ op: 'stats' });
      return { calls: reply['calls'] as Record<string, number>, total: reply['total'] as number };
    },
    injectFault: async (fault) => {
      await proc.control({ op: 'fault', ...fault });
    },
    clearFaults: async () => {
      await proc.control({ op: 'clearFaults' });
    },
    expireSessions: async () => {
      await proc.control({ op: 'expireSessions' });
    },
    expireTasks: async () => (await proc.control({ op: 'expireTasks' }))['forgotten'] as number,
    setSessionIdleTimeout: async (value) => {
      await proc.control({ op: 'sessionIdleTimeout', value });
    },
    setRelocate: async (settings) => {
      await proc.control({ op: 'relocate', ...settings });
    },
    copies: async () => {
      const reply = await proc.control({ op: 'copies' });
      return { copies: reply['copies'] as HarnessCopies['copies'], simSeconds: reply['simSeconds'] as number, load: reply['load'] as number };
    },
    loadAt: async (at) => (await proc.control({ op: 'load', at }))['load'] as number[],
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await proc.stop();
      running.delete(proc);
      rmSync(tlsDir, { recursive: true, force: true });
    },
    restart: async () => {
      await proc.stop();
      running.delete(proc);
      proc = await HarnessProcess.start(binary, spec, ['-tls-dir', tlsDir, '-listen', `127.0.0.1:${port}`], env, timeoutMs);
      running.add(proc);
      const again = await proc.control({ op: 'inventory' });
      Object.assign(ids.vms, again['vms']);
      Object.assign(ids.hosts, again['hosts']);
      Object.assign(ids.datastores, again['datastores']);
    },
  };
  return vcsim;
}

// ---- Estate → spec ----

export interface EstateToSpecOptions {
  relocate?: HarnessRelocate;
  remediation?: HarnessRemediation;
  faults?: HarnessFault[];
  sessionIdleTimeout?: string;
}

/**
 * The harness spec for an Estate: same clusters, hosts, datastores (capacity, free space, mounts,
 * type) and VMs (host, power state, memory, disks with capacity, allocation, thin flag and
 * datastore). What vSphere cannot hold is left out: enclosures, arrays, datastore roles, HBA
 * counts, blockers, notes and DRS overrides (set them through the API). A VM without a host goes
 * to the first host of its cluster that mounts all its datastores; a disk without a datastore goes
 * to the VM's home datastore. A VM's snapshots become a chain of `depth` snapshots sharing its
 * delta bytes equally over the chain and its disks, and its orphaned bytes an unconsolidated delta
 * on each disk; the estate counts them in the allocated bytes of its thin disks (as the inventory
 * reader does), so they are taken out of the base disks' here.
 */
export function estateToHarnessSpec(estate: Estate, options: EstateToSpecOptions = {}): HarnessSpec {
  const allHosts = estate.hosts.map((h) => h.name);
  const mounts = new Map(estate.datastores.map((d) => [d.name, new Set(d.hosts ?? allHosts)]));

  const vms: HarnessVm[] = estate.vms.map((vm) => {
    const home = vm.homeDatastore ?? vm.disks.find((d) => d.datastore !== null)?.datastore ?? null;
    if (home === null) throw new Error(`VM ${vm.name}: no home datastore and no disk with a datastore`);
    const s = vm.snapshots;
    const layers = s === undefined ? 0 : s.depth;
    const perLayer = s === undefined || layers === 0 || vm.disks.length === 0 ? 0 : Math.floor(s.deltaBytes / layers / vm.disks.length);
    const orphans = s?.consolidationNeeded && vm.disks.length > 0 ? Math.max(1, Math.floor((s.orphanBytes ?? 0) / vm.disks.length)) : 0;
    const disks: HarnessDisk[] = vm.disks.map((d) => {
      const disk: HarnessDisk = { capacityBytes: d.capacityBytes, datastore: d.datastore ?? home, thin: d.thin };
      if (d.thin) disk.allocatedBytes = Math.max(0, Math.min(d.allocatedBytes, d.capacityBytes) - perLayer * layers - orphans);
      return disk;
    });
    const needed = new Set([home, ...disks.map((d) => d.datastore)]);
    const fits = (h: string): boolean => [...needed].every((ds) => mounts.get(ds)?.has(h) ?? false);
    let host = vm.host;
    if (host === null) {
      const candidates = estate.hosts.filter((h) => vm.cluster === null || h.cluster === vm.cluster).map((h) => h.name);
      host = candidates.find(fits) ?? null;
      if (host === null) throw new Error(`VM ${vm.name}: no host ${vm.cluster ? `of cluster ${vm.cluster} ` : ''}mounts all its datastores`);
    }
    const out: HarnessVm = { name: vm.name, host, powerState: vm.template ? 'poweredOff' : vm.powerState, memoryBytes: vm.memoryBytes, homeDatastore: home, disks };
    if (vm.template) out.template = true;
    if (layers > 0) out.snapshots = Array.from({ length: layers }, (_, k) => ({ name: `snapshot-${k + 1}`, deltaBytes: perLayer }));
    if (orphans > 0) out.unconsolidatedBytes = orphans;
    return out;
  });

  const spec: HarnessSpec = {
    clusters: estate.clusters.map((c) => ({ name: c.name })),
    hosts: estate.hosts.map((h) => {
      const host: HarnessHost = { name: h.name };
      if (h.cluster !== null) host.cluster = h.cluster;
      if (h.model) host.model = h.model;
      return host;
    }),
    datastores: estate.datastores.map((d) => {
      const ds: HarnessDatastore = { name: d.name, capacityBytes: d.capacityBytes, freeBytes: Math.min(Math.max(d.freeBytes, 0), d.capacityBytes) };
      if (d.hosts !== null) ds.hosts = [...d.hosts];
      if (d.type) ds.type = d.type;
      return ds;
    }),
    vms,
  };
  if (options.relocate) spec.relocate = options.relocate;
  if (options.remediation) spec.remediation = options.remediation;
  if (options.faults) spec.faults = options.faults;
  if (options.sessionIdleTimeout) spec.sessionIdleTimeout = options.sessionIdleTimeout;
  return spec;
}
