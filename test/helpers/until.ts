// Waiting in a test on what the system under test reports (a task state, a harness control answer,
// a counter), never on the clock. `until` asks again, with a short pause between asks only to spare
// the machine, until the answer is there. Its guard is a failure with a sentence saying what never
// came, not a measure: it is far above any machine's speed.

export async function until<T>(ask: () => Promise<T | null | undefined | false> | T | null | undefined | false, what: string, guardMs = 60_000): Promise<T> {
  const giveUpAt = Date.now() + guardMs;
  for (;;) {
    const answer = await ask();
    if (answer !== null && answer !== undefined && answer !== false) return answer;
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A promise and the function that resolves it, for waiting on a callback. */
export function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
