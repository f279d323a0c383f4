import { describe, expect, it } from 'vitest';
import { withProgressBar } from '../../src/app/progress-bar.js';

function terminal(isTTY: boolean): { isTTY: boolean; text: string; write(t: string): void } {
  return { isTTY, text: '', write(t: string) { this.text += t; } };
}

describe('withProgressBar', () => {
  it('draws on a terminal and erases the bar when the work fails', async () => {
    const t = terminal(true);
    await expect(withProgressBar('Fitting', (onProgress) => { onProgress(2, 4); throw new Error('no copy ended'); }, true, t)).rejects.toThrow('no copy ended');
    // 2 of 4 is 15 of 30 cells; then the erase sequence, so the error's sentence starts on a clean line.
    expect(t.text).toBe(`\rFitting [${'█'.repeat(15)}${'░'.repeat(15)}]  50 %  2/4\r\x1b[2K`);
  });

  it('writes nothing to a pipe or when not shown, and returns what the work gives', async () => {
    const pipe = terminal(false);
    const hidden = terminal(true);
    expect(await withProgressBar('Sweeping', (onProgress) => { onProgress(1, 1); return 7; }, true, pipe)).toBe(7);
    expect(await withProgressBar('Sweeping', async (onProgress) => { onProgress(1, 1); return 8; }, false, hidden)).toBe(8);
    expect(pipe.text + hidden.text).toBe('');
  });
});
