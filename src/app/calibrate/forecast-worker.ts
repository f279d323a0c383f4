// Worker thread of the live run's forecasts (app/live-forecast.ts): holds the run's scenario and
// plan (received once) and answers each request with a forecast of the rest from the journal as it
// stands, so that fitting and simulating never hold up the executor's loop. The compiled file
// (dist/src/app/calibrate/forecast-worker.js) is what runs.

import { parentPort, workerData } from 'node:worker_threads';
import { readJournal } from '../../live/journal.js';
import { answerForecast, type ForecastRequest, type ForecastSetup } from './forecast-job.js';

const port = parentPort;
if (port === null) throw new Error('forecast-worker must run in a worker thread');
const setup = workerData as ForecastSetup;

port.on('message', (request: ForecastRequest) => {
  port.postMessage(answerForecast(setup, request, readJournal));
});
