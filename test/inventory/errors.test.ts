// A malformed or foreign export stops the import with one sentence naming file, tab, row and column,
// and nothing is written.

import { readFile, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import { runImport } from '../../src/app/commands/inventory.js';
import { importRvtools } from '../../src/inventory/rvtools/import.js';
import { csvFolder, tempDir, xlsxFile } from './helpers.js';

async function failure(p: Promise<unknown>): Promise<UserError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  const message = (err as UserError).message;
  // One sentence: a single full stop, at the end.
  expect(message.endsWith('.')).toBe(true);
  expect(message.split(/\.\s+[A-Z]/)).toHaveLength(1);
  return err as UserError;
}

describe('foreign files', () => {
  it('a CSV folder whose vInfo is not RVTools names the missing VM column in row 1', async () => {
    const dir = await csvFolder({ 'RVTools_tabvInfo.csv': 'Name,Size\r\nfoo,12\r\n' });
    const err = await failure(importRvtools(dir));
    expect(err.message).toBe(
      'RVTools_tabvInfo.csv, tab vInfo, row 1, column "VM": the header has no such column, so this is not an RVTools vInfo tab.',
    );
  });

  it('a folder without any RVTools CSV', async () => {
    const dir = await csvFolder({ 'notes.txt': 'hello' });
    expect((await failure(importRvtools(dir))).message).toMatch(/holds no RVTools CSV files/);
  });

  it('a folder with vDisk but no vInfo: vInfo is required', async () => {
    const dir = await csvFolder({ 'RVTools_tabvDisk.csv': 'VM,Capacity MiB\r\na,1\r\n' });
    expect((await failure(importRvtools(dir))).message).toBe(
      'The folder has no RVTools_tabvInfo.csv (it has vDisk): vInfo is the one tab svmig needs; export it from RVTools.',
    );
  });

  it('a workbook without a vInfo tab lists the tabs it has', async () => {
    const path = await xlsxFile([{ name: 'Sheet1', rows: [['a', 'b']] }], 'book.xlsx');
    expect((await failure(importRvtools(path))).message).toBe(
      'book.xlsx has no vInfo tab (it has Sheet1): vInfo is the one tab svmig needs; export it from RVTools.',
    );
  });

  it('a file that is not a workbook at all, an .xls, and some other file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'fake.xlsx'), 'VM,Memory\nx,1\n');
    expect((await failure(importRvtools(join(dir, 'fake.xlsx')))).message).toMatch(/^fake\.xlsx is not an XLSX workbook/);
    await writeFile(join(dir, 'old.xls'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
    expect((await failure(importRvtools(join(dir, 'old.xls')))).message).toMatch(/^old\.xls is a legacy \.xls workbook/);
    await writeFile(join(dir, 'export.json'), '{}');
    expect((await failure(importRvtools(join(dir, 'export.json')))).message).toMatch(/^export\.json is not an RVTools export/);
  });

  it('two exports in one folder', async () => {
    const dir = await csvFolder({ 'RVTools_tabvInfo.csv': 'VM\r\na\r\n', 'vc2_RVTools_tabvInfo.csv': 'VM\r\nb\r\n' });
    expect((await failure(importRvtools(dir))).message).toMatch(/holds two vInfo files, RVTools_tabvInfo\.csv and vc2_RVTools_tabvInfo\.csv/);
  });
});

describe('malformed cells and rows', () => {
  it('a non-numeric size names file, tab, row and column', async () => {
    const dir = await csvFolder({
      'RVTools_tabvInfo.csv': 'VM,Memory\r\na,1024\r\nb,2048\r\n',
      'RVTools_tabvDisk.csv': 'VM,Disk,Capacity MiB,Thin\r\na,Hard disk 1,"10,240",True\r\nb,Hard disk 1,12x,False\r\n',
    });
    expect((await failure(importRvtools(dir))).message).toBe(
      'RVTools_tabvDisk.csv, tab vDisk, row 3, column "Capacity MiB": "12x" is not a number.',
    );
  });

  it('row numbers count records, so a quoted newline above does not shift them', async () => {
    const dir = await csvFolder({ 'RVTools_tabvInfo.csv': 'VM,Annotation,Memory\r\na,"two\r\nlines",1\r\nb,x,lots\r\n' });
    expect((await failure(importRvtools(dir))).message).toBe('RVTools_tabvInfo.csv, tab vInfo, row 3, column "Memory": "lots" is not a number.');
  });

  it('a text size in a workbook, a negative size, a flag that is neither True nor False, an unknown power state', async () => {
    const cases: Array<[unknown[], string]> = [
      [['a', 'poweredOn', 'lots', 'False'], 'book.xlsx, tab vInfo, row 2, column "Memory": "lots" is not a number.'],
      [['a', 'poweredOn', -5, 'False'], 'book.xlsx, tab vInfo, row 2, column "Memory": -5 is not a size (it is negative).'],
      [['a', 'poweredOn', 5, 'maybe'], 'book.xlsx, tab vInfo, row 2, column "Template": "maybe" is neither True nor False.'],
      [['a', 'running', 5, 'False'], 'book.xlsx, tab vInfo, row 2, column "Powerstate": "running" is not a power state (poweredOn, poweredOff or suspended).'],
    ];
    for (const [row, message] of cases) {
      const path = await xlsxFile([{ name: 'vInfo', rows: [['VM', 'Powerstate', 'Memory', 'Template'], row as never] }], 'book.xlsx');
      expect((await failure(importRvtools(path))).message).toBe(message);
    }
  });

  it('a vDisk row without capacity', async () => {
    const dir = await csvFolder({ 'RVTools_tabvInfo.csv': 'VM\r\na\r\n', 'RVTools_tabvDisk.csv': 'VM;Capacity MiB\r\na;\r\n' });
    expect((await failure(importRvtools(dir))).message).toBe('RVTools_tabvDisk.csv, tab vDisk, row 2, column "Capacity MiB": the disk has no capacity.');
  });

  it('a vDisk tab without a capacity column is not vDisk', async () => {
    const dir = await csvFolder({ 'RVTools_tabvInfo.csv': 'VM\r\na\r\n', 'RVTools_tabvDisk.csv': 'VM,Disk\r\na,Hard disk 1\r\n' });
    expect((await failure(importRvtools(dir))).message).toBe(
      'RVTools_tabvDisk.csv, tab vDisk, row 1, column "Capacity MiB": the header has no such column, so this is not an RVTools vDisk tab.',
    );
  });

  it('an unquoted delimiter that shifts the columns, and a quote that is never closed', async () => {
    const shifted = await csvFolder({ 'RVTools_tabvInfo.csv': 'VM,Memory,Host\r\na,16,384,h1\r\n' });
    expect((await failure(importRvtools(shifted))).message).toBe(
      'RVTools_tabvInfo.csv, tab vInfo, row 2, column 4: the row has 4 fields but the header has 3 (a delimiter inside an unquoted value?).',
    );
    const open = await csvFolder({ 'RVTools_tabvInfo.csv': 'VM,Memory\r\na,1\r\n"b,2\r\n' });
    expect((await failure(importRvtools(open))).message).toMatch(/^RVTools_tabvInfo\.csv, tab vInfo, row 3 \(line \d+\): the CSV is malformed/);
  });

  it('an empty vInfo file', async () => {
    const dir = await csvFolder({ 'RVTools_tabvInfo.csv': '' });
    expect((await failure(importRvtools(dir))).message).toBe('RVTools_tabvInfo.csv, tab vInfo, row 1: the file is empty (no header row).');
  });
});

describe('nothing is written on error', () => {
  const options = (out: string) => ({ out, legacy: [], new: [], array: [], assumeDatastore: [] });

  it('no estate file appears, and an earlier one is left as it was', async () => {
    const bad = await csvFolder({ 'RVTools_tabvInfo.csv': 'VM,Memory\r\na,x\r\n' });
    const outDir = await tempDir();
    const out = join(outDir, 'estate.json');
    await expect(runImport(bad, options(out))).rejects.toBeInstanceOf(UserError);
    expect(await readdir(outDir)).toEqual([]);

    await writeFile(out, 'previous');
    await expect(runImport(bad, options(out))).rejects.toBeInstanceOf(UserError);
    expect(await readFile(out, 'utf8')).toBe('previous');
    expect(await readdir(outDir)).toEqual(['estate.json']);
  });

  it('a bad rule is refused before anything is read or written', async () => {
    const good = await csvFolder({ 'RVTools_tabvInfo.csv': 'VM\r\na\r\n' });
    const out = join(await tempDir(), 'estate.json');
    await expect(runImport(good, { ...options(out), legacy: ['(unclosed'] })).rejects.toThrow(
      /^--legacy "\(unclosed" is neither a name nor a valid regular expression/,
    );
    await expect(runImport(good, { ...options(out), array: ['=x'] })).rejects.toThrow(/^--array =x: write it as NAME=rule/);
    await expect(readFile(out)).rejects.toThrow();
  });

  it('a successful import replaces the file whole', async () => {
    const good = await csvFolder({ 'RVTools_tabvInfo.csv': 'VM,Memory,Host,Cluster\r\na,1,h,c\r\n' });
    const outDir = await tempDir();
    const out = join(outDir, 'estate.json');
    await writeFile(out, 'previous');
    await runImport(good, options(out));
    expect(JSON.parse(await readFile(out, 'utf8')).vms[0].name).toBe('a');
    expect(await readdir(outDir)).toEqual(['estate.json']);
  });
});
