// Worker thread of the sweep runner (sweep.ts): receives the grid's scenarios as it needs them
// (each once, as plain data) and runs the jobs it is handed, one at a time, answering each with the
// run's summary. The compiled file (dist/src/sim/sweep-worker.js) is what runs.

import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../scenario/scenario.js';
import { runJob, type WorkerReply } from './montecarlo-job.js';
import { PreparedCache, type SweepMessage } from './sweep.js';

const port = parentPort;
if (port === null) throw new Error('sweep-worker must run in a worker thread');
const scenarios = new Map<number, Scenario>();
const prepared = new PreparedCache((index) => {
  const s = scenarios.get(index);
  if (s === undefined) throw new Error(`scenario ${index} was not sent before its jobs`);
  return s;
});

port.on('message', (message: SweepMessage) => {
  if (message.kind === 'scenario') {
    scenarios.set(message.index, message.scenario);
    return;
  }
  let reply: WorkerReply;
  try {
    reply = { index: message.index, summary: runJob(prepared.get(message.scenario), message) };
  } catch (err) {
    const userError = err instanceof Error && err.name === 'UserError';
    reply = { index: message.index, error: err instanceof Error ? err.message : String(err), userError, stack: err instanceof Error ? (err.stack ?? '') : '' };
  }
  port.postMessage(reply);
});
