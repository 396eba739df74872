// autocannon ships no type declarations; the benchmark uses a small part of its API.
declare module 'autocannon' {
  interface Result {
    requests: { average: number };
    latency: { p50: number; p99: number };
    errors: number;
    non2xx: number;
  }
  function autocannon(opts: { url: string; connections: number; duration: number; requests?: { method: 'GET'; path: string; setupRequest?: (req: { method: string; path: string }) => { method: string; path: string } }[] }): Promise<Result>;
  export default autocannon;
}
