import { parentPort } from 'node:worker_threads';
import type { WorkerAnswer, WorkerJob } from '../worker.pool';
import { TEXT_TASKS, type TextTaskName } from './text-work.tasks';

/** A thread of the text-work pool: runs each job it is sent and answers with its result or its error. */
const port = parentPort;
if (!port) throw new Error('text-work.worker runs as a worker thread');

port.on('message', (job: WorkerJob) => {
  void run(job).then((answer) => port.postMessage(answer));
});

async function run(job: WorkerJob): Promise<WorkerAnswer> {
  try {
    const task = TEXT_TASKS[job.task as TextTaskName] as ((input: unknown) => unknown) | undefined;
    if (!task) throw new Error(`Unknown text task ${job.task}`);
    return { id: job.id, ok: true, output: await task(job.input) };
  } catch (error) {
    const { name, message, stack } =
      error instanceof Error ? error : new Error(typeof error === 'string' ? error : 'non-error thrown');
    return { id: job.id, ok: false, error: { name, message, ...(stack ? { stack } : {}) } };
  }
}
