// Cell readers: numbers in both locale styles, booleans, and the CSV sniffers.

import { describe, expect, it } from 'vitest';
import { cellBoolean, cellBytes, cellNumber, parseNumberText } from '../../src/inventory/rvtools/cells.js';
import { decodeCsv, sniffDelimiter } from '../../src/inventory/rvtools/csv.js';
import { parseDatastorePath } from '../../src/inventory/rvtools/paths.js';

const loc = { file: 'f.csv', tab: 'vInfo', row: 7, column: 'Memory' };

describe('parseNumberText', () => {
  it.each([
    ['16,384', 16384],
    ['1,048,576', 1048576],
    ['1,234.5', 1234.5],
    ['206057', 206057],
    ['0.34375', 0.34375],
    ['-1', -1],
    ['16 384', 16384],
    ['16\u00a0384', 16384],
    ["16'384", 16384],
    ['1e3', 1000],
  ])('decimal point: %s is %d', (text, value) => expect(parseNumberText(text, 'decimal-point')).toBe(value));

  it.each([
    ['16.384', 16384],
    ['1.048.576', 1048576],
    ['1.234,5', 1234.5],
    ['16384,5', 16384.5],
    [',5', 0.5],
    ['1234.5', 1234.5],
    ['0.344', 0.344],
    ['16\u202f384,25', 16384.25],
  ])('decimal comma: %s is %d', (text, value) => expect(parseNumberText(text, 'decimal-comma')).toBe(value));

  it.each(['12x', 'abc', '', '1,2,3', '16,38', '--1', '1.2.3'])('%s is not a number (decimal point)', (text) =>
    expect(parseNumberText(text, 'decimal-point')).toBeNaN(),
  );
  it('a comma-grouped number is not a number in a decimal-comma file', () => {
    expect(parseNumberText('1,234,567', 'decimal-comma')).toBeNaN();
  });
});

describe('typed cells', () => {
  it('numbers: numeric cells as they are, text parsed, empty as null, anything else an error naming the cell', () => {
    expect(cellNumber(2048, 'decimal-point', loc)).toBe(2048);
    expect(cellNumber(' 2,048 ', 'decimal-point', loc)).toBe(2048);
    expect(cellNumber(null, 'decimal-point', loc)).toBeNull();
    expect(cellNumber('  ', 'decimal-point', loc)).toBeNull();
    expect(() => cellNumber('n/a', 'decimal-point', loc)).toThrow('f.csv, tab vInfo, row 7, column "Memory": "n/a" is not a number.');
    expect(() => cellNumber(true, 'decimal-point', loc)).toThrow('"Memory": true is not a number.');
    expect(() => cellNumber(new Date(0), 'decimal-point', loc)).toThrow('is not a number.');
  });

  it('sizes: MiB to bytes, rounded to whole bytes; negative is refused', () => {
    expect(cellBytes('1.5', 'decimal-point', 1024 ** 2, loc)).toBe(1572864);
    expect(cellBytes('0,1', 'decimal-comma', 1024 ** 2, loc)).toBe(104858);
    expect(() => cellBytes(-1, 'decimal-point', 1, loc)).toThrow('-1 is not a size (it is negative).');
  });

  it('booleans: .NET text, boolean cells, 0/1, empty; else an error', () => {
    expect(['True', 'FALSE', 'true', true, false, 1, 0, null, ''].map((c) => cellBoolean(c, loc))).toEqual([
      true, false, true, true, false, true, false, null, null,
    ]);
    expect(() => cellBoolean('maybe', loc)).toThrow('"maybe" is neither True nor False.');
    expect(() => cellBoolean(2, loc)).toThrow('"2" is neither True nor False.');
  });
});

describe('CSV sniffing', () => {
  it('takes the delimiter the header uses most, outside quotes', () => {
    expect(sniffDelimiter('VM,Powerstate,Memory\r\na;b;c;d;e')).toBe(',');
    expect(sniffDelimiter('VM;Powerstate;"Memory, MiB"\r\n')).toBe(';');
    expect(sniffDelimiter('VM\tPowerstate\tIn Use, MiB\n')).toBe('\t');
    expect(sniffDelimiter('"a;b;c",x,y\n')).toBe(',');
    expect(sniffDelimiter('VM\n')).toBe(',');
  });

  it('decodes UTF-8 with and without BOM, UTF-16 by BOM, anything else as Windows-1252', () => {
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, 0x56, 0x4d]))).toBe('VM');
    expect(decodeCsv(Buffer.from('café', 'utf8'))).toBe('café');
    expect(decodeCsv(new Uint8Array([0xff, 0xfe, 0x56, 0x00, 0x4d, 0x00]))).toBe('VM');
    expect(decodeCsv(new Uint8Array([0xfe, 0xff, 0x00, 0x56, 0x00, 0x4d]))).toBe('VM');
    // 0xE9 alone is not UTF-8; in Windows-1252 it is é, and 0x80 is the euro sign.
    expect(decodeCsv(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80]))).toBe('café €');
  });
});

describe('datastore paths', () => {
  it('splits [datastore] path, with spaces and brackets kept where they belong', () => {
    expect(parseDatastorePath('[VNX_01] web01/web01.vmdk')).toEqual({ datastore: 'VNX_01', file: 'web01/web01.vmdk' });
    expect(parseDatastorePath('[PURE ds 1] a b/a b.vmx')).toEqual({ datastore: 'PURE ds 1', file: 'a b/a b.vmx' });
    expect(parseDatastorePath('[nfs-01]')).toEqual({ datastore: 'nfs-01', file: '' });
    expect(parseDatastorePath('/vmfs/volumes/x/y.vmdk')).toBeNull();
    expect(parseDatastorePath('[] x')).toBeNull();
    expect(parseDatastorePath(null)).toBeNull();
  });
});
