// Worker thread of the Monte Carlo runner: holds one scenario (received once, as plain data) and
// runs the (policy, seed) jobs the main thread hands it, one at a time, answering each with the
// run's summary. The compiled file (dist/src/sim/montecarlo-worker.js) is what runs.

import { parentPort, workerData } from 'node:worker_threads';
import type { Scenario } from '../scenario/scenario.js';
import { runJob, type JobMessage, type WorkerReply } from './montecarlo-job.js';
import { PreparedScenario } from './prepared.js';

const port = parentPort;
if (port === null) throw new Error('montecarlo-worker must run in a worker thread');
const prepared = new PreparedScenario((workerData as { scenario: Scenario }).scenario);

port.on('message', (job: JobMessage) => {
  let reply: WorkerReply;
  try {
    reply = { index: job.index, summary: runJob(prepared, job) };
  } catch (err) {
    const userError = err instanceof Error && err.name === 'UserError';
    reply = { index: job.index, error: err instanceof Error ? err.message : String(err), userError, stack: err instanceof Error ? (err.stack ?? '') : '' };
  }
  port.postMessage(reply);
});
