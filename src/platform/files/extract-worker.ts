// A text-extraction worker thread (see pool.ts): runs one job at a time and answers with its
// result, or with why it failed. The pool terminates it when a job passes the time limit, and its
// heap is limited (resourceLimits), so a hostile file costs this thread, never the server's.
import { parentPort } from 'node:worker_threads';
import { ExtractRefused, runExtractJob, type ExtractJob, type ExtractLimits, type ExtractResult } from './extract.js';

export interface ExtractRequest {
  id: number;
  job: ExtractJob;
  buf: Uint8Array;
  limits: ExtractLimits;
}

export type ExtractReply = { ready: true } | { id: number; ok: true; result: ExtractResult } | { id: number; ok: false; refused: 'size' | 'entries' | null; message: string };

const port = parentPort!;
port.on('message', async (m: ExtractRequest) => {
  let reply: ExtractReply;
  try {
    reply = { id: m.id, ok: true, result: await runExtractJob(m.job, m.buf, m.limits) };
  } catch (err: any) {
    reply = { id: m.id, ok: false, refused: err instanceof ExtractRefused ? err.reason : null, message: String(err?.message ?? err) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies ExtractReply);
