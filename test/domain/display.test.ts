import { describe, expect, it } from 'vitest';
import { printable, printableLine } from '../../src/domain/display.js';
import { compileNamePattern, NamePatternError } from '../../src/domain/name-pattern.js';

describe('names on a terminal', () => {
  it('shows control characters and escape sequences escaped, and leaves other text alone', () => {
    expect(printable('vm\u001b[2J01')).toBe('vm\\x1b[2J01');
    expect(printable('a\u009bb\u0007c\u007f')).toBe('a\\x9bb\\x07c\\x7f');
    expect(printable('évian\u202edoc')).toBe('évian\\u{202e}doc');
    expect(printable('two\nlines')).toBe('two\nlines');
    expect(printableLine('two\nlines\r')).toBe('two\\nlines\\x0d');
    expect(printable('Zoë 東京 db-01')).toBe('Zoë 東京 db-01');
  });
});

describe('name rules', () => {
  it('match exact names and searched expressions, in linear time', () => {
    const p = compileNamePattern('^VNX_');
    expect(p.test('VNX_01')).toBe(true);
    expect(p.test('PURE_01')).toBe(false);
    expect(compileNamePattern('ds(1)').test('ds(1)')).toBe(true);
    // Exponential for a backtracking engine: 2^40 paths. RE2 answers at once (and correctly: no match).
    expect(compileNamePattern('^(a+)+$').test(`${'a'.repeat(40)}!`)).toBe(false);
  });

  it('refuses what RE2 cannot run, with the reason', () => {
    expect(() => compileNamePattern('(?=x)')).toThrow(NamePatternError);
    expect(() => compileNamePattern('(a)\\1')).toThrow(/invalid escape/);
    expect(() => compileNamePattern('x'.repeat(1001))).toThrow(/at most 1000/);
  });
});
