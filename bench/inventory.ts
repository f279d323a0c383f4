// Benchmark: import an RVTools CSV export the size of a 50,000-VM estate (vInfo, vDisk with about two
// disks per VM, vHost, vDatastore; full RVTools 4.7 headers, locale-grouped quoted numbers, a quoted
// multi-line annotation now and then) and print wall time, rows per second and peak memory.
// The export is generated into a temporary folder first, streamed so as not to weigh on the figures.

import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseEstateFile, writeEstateFile } from '../src/inventory/estate-file.js';
import { importRvtools } from '../src/inventory/rvtools/import.js';
import { parseNameRule } from '../src/inventory/rules.js';

const VMS = 50_000;
const CLUSTERS = 20;
const HOSTS_PER_CLUSTER = 32;
const DATASTORES = 400;

const VINFO = 'VM,Powerstate,Template,SRM Placeholder,Config status,DNS Name,Connection state,Guest state,Heartbeat,Consolidation Needed,PowerOn,Suspended To Memory,Suspend time,Suspend Interval,Creation date,Change Version,CPUs,Overall Cpu Readiness,Memory,Active Memory,NICs,Disks,Total disk capacity MiB,Fixed Passthru HotPlug,min Required EVC Mode Key,Latency Sensitivity,Op Notification Timeout,EnableUUID,CBT,Primary IP Address,Network #1,Network #2,Network #3,Network #4,Network #5,Network #6,Network #7,Network #8,Num Monitors,Video Ram KiB,Resource pool,Folder ID,Folder,vApp,DAS protection,FT State,FT Role,FT Latency,FT Bandwidth,FT Sec. Latency,Vm Failover In Progress,Provisioned MiB,In Use MiB,Unshared MiB,HA Restart Priority,HA Isolation Response,HA VM Monitoring,Cluster rule(s),Cluster rule name(s),Boot Required,Boot delay,Boot retry delay,Boot retry enabled,Boot BIOS setup,Reboot PowerOff,EFI Secure boot,Firmware,HW version,HW upgrade status,HW upgrade policy,HW target,Path,Log directory,Snapshot directory,Suspend directory,Annotation,Backup status,ClusterInvariantVMMId,Last backup,Datacenter,Cluster,Host,OS according to the configuration file,OS according to the VMware Tools,Customization Info,Guest Detailed Data,VM ID,SMBIOS UUID,VM UUID,VI SDK Server type,VI SDK API Version,VI SDK Server,VI SDK UUID'.split(',');
const VDISK = 'VM,Powerstate,Template,SRM Placeholder,Disk,Disk Key,Disk UUID,Disk Path,Capacity MiB,Raw,Disk Mode,Sharing mode,Thin,Eagerly Scrub,Split,Write Through,Level,Shares,Reservation,Limit,Controller,Label,SCSI Unit #,Unit #,Shared Bus,Path,Raw LUN ID,Raw Comp. Mode,Internal Sort Column,Annotation,Backup status,ClusterInvariantVMMId,Last backup,Datacenter,Cluster,Host,Folder,OS according to the configuration file,OS according to the VMware Tools,VM ID,VM UUID,VI SDK Server,VI SDK UUID'.split(',');
const VHOST = 'Host,Datacenter,Cluster,Config status,Compliance Check State,in Maintenance Mode,in Quarantine Mode,vSAN Fault Domain Name,CPU Model,Speed,HT Available,HT Active,# CPU,Cores per CPU,# Cores,CPU usage %,# Memory,Memory Tiering Type,Memory usage %,Console,# NICs,# HBAs,# VMs total,# VMs,VMs per Core,# vCPUs,vCPUs per Core,vRAM,VM Used memory,VM Memory Swapped,VM Memory Ballooned,VMotion support,Storage VMotion support,Current EVC,Max EVC,Assigned License(s),ATS Heartbeat,ATS Locking,Current CPU power man. policy,Supported CPU power man.,Host Power Policy,ESX Version,Boot time,DNS Servers,DHCP,Domain,Domain List,DNS Search Order,NTP Server(s),NTPD running,Time Zone,Time Zone Name,GMT Offset,Vendor,Model,Serial number,Service tag,OEM specific string,BIOS Vendor,BIOS Version,BIOS Date,Certificate Issuer,Certificate Start Date,Certificate Expiry Date,Certificate Status,Certificate Subject,Object ID,AutoDeploy.MachineIdentity,Backup status,ClusterInvariantVMMId,Last backup,UUID,VI SDK Server,VI SDK UUID'.split(',');
const VDATASTORE = 'Name,Config status,Address,Accessible,Type,# VMs total,# VMs,Capacity MiB,Provisioned MiB,In Use MiB,Free MiB,Free %,SIOC enabled,SIOC Threshold,# Hosts,Hosts,Cluster name,Cluster capacity MiB,Cluster free space MiB,Block size,Max Blocks,# Extents,Major Version,Version,VMFS Upgradeable,MHA,URL,Object ID,Backup status,ClusterInvariantVMMId,Last backup,VI SDK Server,VI SDK UUID'.split(',');

/** A deterministic pseudo-random sequence, so every run imports the same export. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
/** `16,384` as an en-US RVTools CSV writes it (and so quoted). */
const grouped = (n: number) => n.toLocaleString('en-US');

/** A CSV file written row by row through a buffer, so generating the export takes little memory. */
class TabWriter {
  private readonly out;
  private buf: string;
  rows = 0;
  constructor(path: string, private readonly header: string[]) {
    this.out = createWriteStream(path);
    this.buf = `${header.map(csvField).join(',')}\r\n`;
  }
  async add(row: Record<string, string>): Promise<void> {
    this.buf += `${this.header.map((h) => csvField(row[h] ?? '')).join(',')}\r\n`;
    this.rows++;
    if (this.buf.length > 1 << 16) {
      const ok = this.out.write(this.buf);
      this.buf = '';
      if (!ok) await once(this.out, 'drain');
    }
  }
  async close(): Promise<number> {
    this.out.end(this.buf);
    await once(this.out, 'finish');
    return this.rows;
  }
}

function* vmRows(rand: () => number): Generator<{ info: Record<string, string>; disks: Record<string, string>[] }> {
  for (let i = 0; i < VMS; i++) {
    const name = `vm${String(i).padStart(5, '0')}`;
    const cluster = `cl${String(i % CLUSTERS).padStart(2, '0')}`;
    const host = `esx-${cluster}-${String(Math.floor(rand() * HOSTS_PER_CLUSTER)).padStart(2, '0')}.example.net`;
    const ds = `ds${String(Math.floor(rand() * DATASTORES)).padStart(3, '0')}`;
    const nDisks = rand() < 0.5 ? 1 : rand() < 0.8 ? 2 : 4;
    const disks: Record<string, string>[] = [];
    let total = 0;
    for (let d = 0; d < nDisks; d++) {
      const cap = [20480, 40960, 81920, 204800][Math.floor(rand() * 4)]!;
      total += cap;
      disks.push({
        VM: name, Powerstate: 'poweredOn', Template: 'False', 'SRM Placeholder': 'False',
        Disk: `Hard disk ${d + 1}`, 'Disk Key': String(2000 + d), 'Disk UUID': `6000C29${i}-${d}`,
        'Capacity MiB': grouped(cap), Raw: 'False', 'Disk Mode': 'persistent', 'Sharing mode': 'sharingNone',
        Thin: rand() < 0.7 ? 'True' : 'False', 'Eagerly Scrub': 'False', Split: 'False', 'Write Through': 'False',
        Level: 'normal', Shares: '1,000', Reservation: '0', Limit: '-1', Controller: 'VMware paravirtual SCSI',
        Label: 'SCSI controller 0', 'SCSI Unit #': String(d), 'Unit #': String(d), 'Shared Bus': 'noSharing',
        Path: `[${ds}] ${name}/${name}${d === 0 ? '' : `_${d}`}.vmdk`, Datacenter: 'DC1', Cluster: cluster, Host: host,
        Folder: '/Production', 'OS according to the configuration file': 'Red Hat Enterprise Linux 9 (64-bit)',
        'VM ID': `vm-${100000 + i}`, 'VM UUID': `5000${i}`, 'VI SDK Server': 'vcsa01.example.net', 'VI SDK UUID': 'abc',
      });
    }
    const memory = [2048, 4096, 8192, 16384, 65536][Math.floor(rand() * 5)]!;
    const info: Record<string, string> = {
      VM: name, Powerstate: rand() < 0.9 ? 'poweredOn' : 'poweredOff', Template: rand() < 0.01 ? 'True' : 'False',
      'SRM Placeholder': 'False', 'Config status': 'green', 'DNS Name': `${name}.example.net`, 'Connection state': 'connected',
      'Guest state': 'running', Heartbeat: 'green', 'Consolidation Needed': rand() < 0.01 ? 'True' : 'False',
      PowerOn: '2026/10/01 08:00:00', 'Creation date': '2024/01/01 00:00:00', CPUs: String(1 + Math.floor(rand() * 8)),
      Memory: grouped(memory), NICs: '1', Disks: String(nDisks), 'Total disk capacity MiB': grouped(total),
      'Network #1': 'VM Network', 'Resource pool': '/DC1/Resources', Folder: '/Production', 'FT State': 'notConfigured',
      'Provisioned MiB': grouped(total + memory), 'In Use MiB': grouped(Math.round(total * rand())),
      'Unshared MiB': grouped(Math.round(total * 0.4)), Firmware: 'efi', 'HW version': '19',
      Path: `[${ds}] ${name}/${name}.vmx`, 'Log directory': `[${ds}] ${name}`,
      Annotation: i % 97 === 0 ? 'Owner: "App team"\nTicket CHG-1234, see runbook' : '',
      Datacenter: 'DC1', Cluster: cluster, Host: host, 'OS according to the configuration file': 'Red Hat Enterprise Linux 9 (64-bit)',
      'VM ID': `vm-${100000 + i}`, 'VM UUID': `5000${i}`, 'VI SDK Server type': 'VMware vCenter Server 8.0.3 build-24262322',
      'VI SDK API Version': '8.0.3.0', 'VI SDK Server': 'vcsa01.example.net', 'VI SDK UUID': 'abc',
    };
    yield { info, disks };
  }
}

async function generate(dir: string): Promise<{ rows: number; bytes: number }> {
  const rand = lcg(42);
  const info = new TabWriter(join(dir, 'RVTools_tabvInfo.csv'), VINFO);
  const disk = new TabWriter(join(dir, 'RVTools_tabvDisk.csv'), VDISK);
  for (const vm of vmRows(rand)) {
    await info.add(vm.info);
    for (const d of vm.disks) await disk.add(d);
  }
  let rows = (await info.close()) + (await disk.close());
  const host = new TabWriter(join(dir, 'RVTools_tabvHost.csv'), VHOST);
  for (let c = 0; c < CLUSTERS; c++) {
    for (let h = 0; h < HOSTS_PER_CLUSTER; h++) {
      const cluster = `cl${String(c).padStart(2, '0')}`;
      await host.add({
        Host: `esx-${cluster}-${String(h).padStart(2, '0')}.example.net`, Datacenter: 'DC1', Cluster: cluster,
        'CPU Model': 'Intel(R) Xeon(R) Gold 6348', Speed: '2,600', '# CPU': '2', '# Cores': '56', '# Memory': grouped(1048576),
        '# HBAs': '4', Vendor: 'Dell Inc.', Model: 'PowerEdge MX750c', 'VI SDK Server': 'vcsa01.example.net',
      });
    }
  }
  rows += await host.close();
  const ds = new TabWriter(join(dir, 'RVTools_tabvDatastore.csv'), VDATASTORE);
  for (let d = 0; d < DATASTORES; d++) {
    const cluster = `cl${String(d % CLUSTERS).padStart(2, '0')}`;
    await ds.add({
      Name: `ds${String(d).padStart(3, '0')}`, Accessible: 'True', Type: 'VMFS', 'Capacity MiB': grouped(16777216),
      'Free MiB': grouped(4194304), '# Hosts': String(HOSTS_PER_CLUSTER),
      Hosts: Array.from({ length: HOSTS_PER_CLUSTER }, (_, h) => `esx-${cluster}-${String(h).padStart(2, '0')}.example.net`).join(', '),
    });
  }
  rows += await ds.close();
  let bytes = 0;
  for (const f of ['vInfo', 'vDisk', 'vHost', 'vDatastore']) bytes += (await stat(join(dir, `RVTools_tab${f}.csv`))).size;
  return { rows, bytes };
}

export async function benchInventory(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'svmig-bench-inventory-'));
  try {
    const gen = await generate(dir);
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const estate = await importRvtools(dir, {
      rules: { legacy: [parseNameRule('/^ds[0-1]/', '--legacy')], new: [parseNameRule('/^ds[23]/', '--new')], arrays: [], assume: [] },
    });
    const t1 = performance.now();
    parseEstateFile(estate, 'estate.json');
    const t2 = performance.now();
    const out = join(dir, 'estate.json');
    await writeEstateFile(out, estate);
    const t3 = performance.now();
    const outBytes = (await stat(out)).size;
    const heap = process.memoryUsage().heapUsed;
    const maxRss = process.resourceUsage().maxRSS * 1024;
    const disks = estate.vms.reduce((n, v) => n + v.disks.length, 0);
    const MiBf = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
    const lines: Array<[string, string]> = [
      ['export', `${gen.rows.toLocaleString('en-US')} rows in 4 CSV files, ${MiBf(gen.bytes)}`],
      ['estate', `${estate.vms.length.toLocaleString('en-US')} VMs, ${disks.toLocaleString('en-US')} disks, ${estate.hosts.length} hosts, ${estate.datastores.length} datastores`],
      ['read + build', `${((t1 - t0) / 1000).toFixed(2)} s`],
      ['validate', `${((t2 - t1) / 1000).toFixed(2)} s`],
      ['write estate.json', `${((t3 - t2) / 1000).toFixed(2)} s (${MiBf(outBytes)})`],
      ['import total', `${((t3 - t0) / 1000).toFixed(2)} s (limit 10 s)`],
      ['rows/s', `${Math.round(gen.rows / ((t1 - t0) / 1000)).toLocaleString('en-US')}`],
      ['RSS before import', MiBf(rssBefore)],
      ['peak RSS (maxRSS)', `${MiBf(maxRss)} (limit 1024 MiB)`],
      ['heap used after', MiBf(heap)],
    ];
    const width = Math.max(...lines.map(([k]) => k.length));
    process.stdout.write('inventory import, 50,000-VM RVTools CSV export\n');
    for (const [k, v] of lines) process.stdout.write(`  ${k.padEnd(width)}  ${v}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
