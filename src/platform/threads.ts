// Worker threads started from a module's own directory: the compiled .js in production, or, in
// development and tests (the module itself is TypeScript), its .ts source through tsx.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `base` is the caller's import.meta.url; `name` the worker module beside it, without extension. */
export function startWorker(base: string, name: string, options: WorkerOptions = {}): Worker {
  if (base.endsWith('.ts')) {
    const url = new URL(`./${name}.ts`, base).href;
    return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); })`, { ...options, eval: true });
  }
  return new Worker(new URL(`./${name}.js`, base), options);
}
