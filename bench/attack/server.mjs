// The server the attack harness (bench/attack.ts) hits: the compiled `gongkai serve` itself (dist/,
// as production runs it), configured only through the environment the harness passes (PORT,
// GONGKAI_DATA_DIR, DATABASE_URL, GONGKAI_DEMO, GONGKAI_TRUST_PROXY, …). Prints "PORT n" on stdout
// once it listens, for bench/server.ts; its logs follow on stdout.
process.argv = [process.argv[0], process.argv[1], 'serve'];
await import('../../dist/cli/main.js'); // resolves once the server listens (or the command failed)
if (process.exitCode !== undefined && process.exitCode !== 0) process.exit(process.exitCode);
process.stdout.write(`PORT ${process.env.PORT}\n`);
