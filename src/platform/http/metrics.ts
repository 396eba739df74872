// Prometheus metrics at /metrics: request counts and latencies by route, job queue depth.
import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { Platform } from '../platform.js';

export function installMetrics(app: FastifyInstance, p: Platform): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'gongkai_' });
  const duration = new client.Histogram({
    name: 'gongkai_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new client.Gauge({
    name: 'gongkai_jobs',
    help: 'Jobs not yet done, by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const depth = await p.jobs.depth(p.db);
      for (const [status, n] of Object.entries(depth)) this.set({ status }, n);
    },
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    duration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.decorate('metricsRegistry', registry);
  return registry;
}
