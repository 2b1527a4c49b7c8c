/** Prometheus metrics at /metrics: requests and latency per route, Fabric submit/commit latency, errors by code. */
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { readKeeperState } from '../../../../platform/src/keeper-state';
import { runPaths } from '../../../../platform/src/paths';
import { nodesOf } from '../../../../platform/src/topology';
import type { GatewayConfig } from '../../config';

export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  requestSeconds: Histogram<'method' | 'route'>;
  /** Endorse + submit to the orderers, per transaction. */
  submitSeconds: Histogram<'contract' | 'transaction'>;
  /** From submission to the commit status. */
  commitSeconds: Histogram<'contract' | 'transaction'>;
  evaluateSeconds: Histogram<'contract' | 'transaction'>;
  errors: Counter<'code'>;
  /** Transactions committed as MVCC or phantom read conflicts (each retry counts). */
  readConflicts: Counter<'contract' | 'transaction'>;
  /** Device readings by outcome (accepted, duplicate, rejected) and code. */
  readings: Counter<'status' | 'code'>;
  /** Readings per RecordReadings transaction. */
  batchSize: Histogram;
  /** Restarts of this org's nodes by their keepers, read at each scrape. */
  nodeRestarts: Gauge<'node'>;
}

/** A node's restart count as its keeper records it; undefined when the node is not kept (stopped). */
export type RestartCounts = () => Array<{ node: string; restarts: number | undefined }>;

declare module 'fastify' {
  interface FastifyInstance {
    metrics: GatewayMetrics;
  }
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function newGatewayMetrics(restartCounts: RestartCounts = () => []): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const tx = ['contract', 'transaction'] as const;
  return {
    registry,
    requests: new Counter({
      name: 'vpp_gateway_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'vpp_gateway_http_request_duration_seconds',
      help: 'HTTP request latency by method and route',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    submitSeconds: new Histogram({
      name: 'vpp_gateway_fabric_submit_duration_seconds',
      help: 'Endorsement and submission to ordering',
      labelNames: tx,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    commitSeconds: new Histogram({
      name: 'vpp_gateway_fabric_commit_duration_seconds',
      help: 'Wait from submission to the commit status',
      labelNames: tx,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    evaluateSeconds: new Histogram({
      name: 'vpp_gateway_fabric_evaluate_duration_seconds',
      help: 'Query (evaluate) latency',
      labelNames: tx,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    errors: new Counter({
      name: 'vpp_gateway_errors_total',
      help: 'Error responses by stable error code',
      labelNames: ['code'],
      registers: [registry],
    }),
    readConflicts: new Counter({
      name: 'vpp_gateway_fabric_read_conflicts_total',
      help: 'Transactions invalidated by an MVCC or phantom read conflict',
      labelNames: tx,
      registers: [registry],
    }),
    readings: new Counter({
      name: 'vpp_gateway_readings_total',
      help: 'Device readings by outcome and code',
      labelNames: ['status', 'code'],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'vpp_gateway_reading_batch_size',
      help: 'Readings per RecordReadings transaction',
      buckets: [1, 10, 50, 100, 250, 500, 1000],
      registers: [registry],
    }),
    nodeRestarts: new Gauge({
      name: 'vpp_node_restarts',
      help: "Restarts of this org's nodes by their keepers since npm start, after unexpected exits",
      labelNames: ['node'],
      registers: [registry],
      collect() {
        this.reset();
        for (const { node, restarts } of restartCounts()) {
          if (restarts !== undefined) this.set({ node }, restarts);
        }
      },
    }),
  };
}

/** The org's nodes on this host, as their keepers' state files in the run folder record them. */
export function restartCountsOf(config: Pick<GatewayConfig, 'topology' | 'org'>): RestartCounts {
  const ids = nodesOf(config.topology)
    .filter((node) => node.org.name === config.org.name)
    .map((node) => node.id);
  return () => ids.map((node) => ({ node, restarts: readKeeperState(runPaths.pid(node))?.restarts }));
}

export default fp(
  async (app, options: { config: GatewayConfig }) => {
    const metrics = newGatewayMetrics(restartCountsOf(options.config));
    app.decorate('metrics', metrics);
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const labels = { method: request.method, route };
      metrics.requests.inc({ ...labels, status: String(reply.statusCode) });
      metrics.requestSeconds.observe(labels, reply.elapsedTime / 1000);
    });
    app.get(
      '/metrics',
      { config: { public: true }, schema: { tags: ['ops'], summary: 'Prometheus metrics (text format)' } },
      async (_request, reply) => {
        void reply.type(metrics.registry.contentType);
        return metrics.registry.metrics();
      },
    );
  },
  { name: 'metrics' },
);
