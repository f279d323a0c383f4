// The commander command: `inventory import <path> --out …` writes the estate and reports what was
// assumed; `inventory show <estate>` prints the summary; a bad input rejects with a UserError.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inventoryCommand } from '../../src/cli/inventory.js';
import { UserError } from '../../src/domain/errors.js';
import { readEstateFile } from '../../src/inventory/estate-file.js';
import { csvFolder, csvText, tempDir } from './helpers.js';

function capture(): { text: () => string } {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  return { text: () => out };
}

afterEach(() => vi.restoreAllMocks());

// As main.ts does: exitOverride on `inventory` only; its sub-commands must follow.
const run = (args: string[]) => inventoryCommand().exitOverride().parseAsync(args, { from: 'user' });

describe('svmig inventory', async () => {
  const dir = await csvFolder({
    'RVTools_tabvInfo.csv': csvText([
      ['VM', 'Powerstate', 'Template', 'Memory', 'Path', 'Cluster', 'Host', 'VM ID'],
      ['web01', 'poweredOn', 'False', '4096', '[OLD_01] web01/web01.vmx', 'Prod', 'esx1', 'vm-1'],
      ['tpl01', 'poweredOff', 'True', '2048', '[OLD_01] tpl01/tpl01.vmx', 'Prod', 'esx1', 'vm-2'],
    ]),
    'RVTools_tabvDisk.csv': csvText([
      ['VM', 'Disk', 'Capacity MiB', 'Thin', 'Path', 'VM ID'],
      ['web01', 'Hard disk 1', '102400', 'False', '[OLD_01] web01/web01.vmdk', 'vm-1'],
      ['tpl01', 'Hard disk 1', '10240', 'False', '[OLD_01] tpl01/tpl01.vmdk', 'vm-2'],
    ]),
    'RVTools_tabvDatastore.csv': csvText([
      ['Name', 'Type', 'Capacity MiB', 'Free MiB', 'Hosts'],
      ['OLD_01', 'VMFS', '1048576', '524288', 'esx1'],
      ['NEW_01', 'VMFS', '2097152', '2097152', 'esx1'],
    ]),
  });

  it('import writes the estate with the roles and arrays asked for, and says what it assumed', async () => {
    const out = join(await tempDir(), 'estate.json');
    const stdout = capture();
    await run(['import', dir, '--out', out, '--legacy', '^OLD_', '--new', 'NEW_01', '--array', 'VNX=^OLD', '--array', 'PURE=^NEW', '--vcenter', 'vc-lab']);
    const e = readEstateFile(out);
    expect(e.vcenter).toBe('vc-lab');
    expect(e.datastores.map((d) => [d.name, d.role, d.array])).toEqual([['OLD_01', 'legacy', 'VNX'], ['NEW_01', 'new', 'PURE']]);
    expect(e.source?.rules).toEqual({ legacy: ['^OLD_'], new: ['NEW_01'], arrays: ['VNX=^OLD', 'PURE=^NEW'], assumeDatastores: [] });
    expect(stdout.text()).toContain(`Wrote ${out}: 2 VMs (1 blocked), 2 disks, 1 host, 1 cluster, 2 datastores,`);
    expect(stdout.text()).toContain('vHost: No vHost tab: hosts are taken from');
  });

  it('import --anonymise writes no real name', async () => {
    const out = join(await tempDir(), 'estate.json');
    capture();
    await run(['import', dir, '-o', out, '--anonymise', '--salt', 's3cret']);
    const text = await readFile(out, 'utf8');
    for (const name of ['web01', 'tpl01', 'esx1', 'OLD_01', 'NEW_01', 'Prod']) expect(text).not.toContain(name);
    expect(readEstateFile(out).source?.anonymised).toBe(true);
  });

  it('show prints clusters, datastores by array, to move, and the blocked VMs', async () => {
    const out = join(await tempDir(), 'estate.json');
    capture();
    await run(['import', dir, '--out', out, '--legacy', 'OLD_01', '--array', 'VNX=OLD']);
    const stdout = capture();
    await run(['show', out]);
    const text = stdout.text();
    // 100 GiB thick on the legacy datastore is to move; the template's 10 GiB is blocked.
    expect(text).toMatch(/VNX\s+legacy\s+OLD_01\s+VMFS\s+1\.0 TiB\s+512\.0 GiB\s+2\s+110\.0 GiB\s+100\.0 GiB/);
    expect(text).toMatch(/tpl01\s+template/);
    expect(text).toMatch(/Prod\s+1\s+2\s+1\s+110\.0 GiB/);
  });

  it('a missing --out is refused by commander; a bad file by a UserError', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(run(['import', dir])).rejects.toThrow(/required option '-o, --out <file>' not specified/);
    const bad = await csvFolder({ 'RVTools_tabvInfo.csv': 'Name\r\nx\r\n' });
    await expect(run(['import', bad, '--out', join(await tempDir(), 'e.json')])).rejects.toBeInstanceOf(UserError);
    await expect(run(['show', join(bad, 'none.json')])).rejects.toBeInstanceOf(UserError);
  });
});
