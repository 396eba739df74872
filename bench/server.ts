// Starts a benchmark server script and waits for the "PORT n" line it prints: a .mjs script (the
// compiled code, as production runs it) with plain node, a .ts one under tsx.
import { spawn, type ChildProcess } from 'node:child_process';

export async function startBenchServer(script: string, env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d;
      const m = /PORT (\d+)/.exec(buf);
      if (!m) return;
      child.stdout!.off('data', onData); // later output (a server's logs) is the caller's to read or ignore
      resolve(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { port, child };
}
