/** A worker of `decide --batch`: decides the runs of lines it is sent, answering each in turn. */
import { parentPort } from 'node:worker_threads';
import { decideRun, decisionEngine, type BatchAnswer, type BatchJob } from './decide-lines.ts';

const port = parentPort!;
const { engine, lookup } = decisionEngine();
port.on('message', (job: BatchJob) => {
  try {
    const answer = decideRun(engine, lookup, job);
    const out = answer.out!;
    // the writer's buffer is the run's alone: hand it over without a copy
    port.postMessage(answer, [out.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ seq: job.seq, failure: (e as Error).message } satisfies BatchAnswer);
  }
});
port.postMessage({ seq: -1 } satisfies BatchAnswer);
