// How each CSV file of an export is read: its encoding, and how it writes its numbers, decided from
// the file itself and said in a warning.

import { describe, expect, it } from 'vitest';
import { csvEncoding, decodeCsv } from '../../src/inventory/rvtools/csv.js';
import { numberEvidence } from '../../src/inventory/rvtools/cells.js';
import { importRvtools } from '../../src/inventory/rvtools/import.js';
import { csvFolder, csvText } from './helpers.js';

describe('CSV encoding, per file', () => {
  it('keeps a UTF-8 file with one stray byte as UTF-8, and says where the byte is', () => {
    const bytes = Buffer.concat([Buffer.from('VM\r\nZoë\r\ncafé\r\n', 'utf8'), Buffer.from([0x96]), Buffer.from('\r\n')]);
    const e = csvEncoding(bytes);
    expect(e.encoding).toBe('utf-8');
    expect(e.notice).toMatch(/1 byte is not UTF-8 \(the first on line 4\)/);
    expect(decodeCsv(bytes)).toBe('VM\r\nZoë\r\ncafé\r\n\ufffd\r\n');
  });

  it('reads a file with no UTF-8 in it as Windows-1252, and says so', () => {
    const bytes = Buffer.from('VM\r\nZo\u00eb \u20ac\r\n', 'latin1');
    bytes[bytes.length - 3] = 0x80; // the euro sign in Windows-1252
    const e = csvEncoding(bytes);
    expect(e.encoding).toBe('windows-1252');
    expect(e.notice).toMatch(/not UTF-8 .*read as Windows-1252/);
    expect(decodeCsv(bytes)).toBe('VM\r\nZoë €\r\n');
  });

  it('says nothing about a clean UTF-8 file', () => {
    expect(csvEncoding(Buffer.from('VM\r\nZoë\r\n', 'utf8')).notice).toBeNull();
  });
});

describe('numbers, per file', () => {
  it('tells the evidence of each way of writing a number apart', () => {
    expect(numberEvidence('1,234,567')).toBe('commaGrouping');
    expect(numberEvidence('1,234.5')).toBe('commaGrouping');
    expect(numberEvidence('1,5')).toBe('decimalComma');
    expect(numberEvidence('1234,56')).toBe('decimalComma');
    expect(numberEvidence('16.384')).toBe('decimalComma');
    expect(numberEvidence('16,384')).toBe('ambiguous');
    expect(numberEvidence('16384')).toBeNull();
  });

  it('reads a ;-separated file with decimal commas as decimal commas, without a word', async () => {
    const dir = await csvFolder({
      'RVTools_tabvInfo.csv': csvText([['VM', 'Memory', 'Provisioned MiB', 'Path', 'Cluster', 'Host'], ['vm1', '1024', '1536,5', '[DS] a/a.vmx', 'C1', 'esx1']], ';'),
    });
    const e = await importRvtools(dir);
    // 1536,5 MiB: one and a half GiB and half a MiB.
    expect(e.vms[0]!.disks[0]!.capacityBytes).toBe(Math.round(1536.5 * 2 ** 20));
    expect(e.warnings.some((w) => w.code === 'thousands-separator')).toBe(false);
  });

  it('refuses a file that writes numbers both ways, naming both cells', async () => {
    const dir = await csvFolder({
      'RVTools_tabvInfo.csv': csvText([['VM', 'Memory', 'Provisioned MiB', 'Path', 'Cluster', 'Host'], ['vm1', '1,024,000', '1536,5', '[DS] a/a.vmx', 'C1', 'esx1']], ';'),
    });
    await expect(importRvtools(dir)).rejects.toThrow(/RVTools_tabvInfo\.csv, tab vInfo, row 2, column "Provisioned MiB": "1536,5" has a decimal comma, but row 2, column "Memory" groups thousands with commas \("1,024,000"\)/);
  });
});
