import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HealthRegistry, HealthReport } from '../health/index';
import type { HttpHealthConfig } from './http-config';

function send(reply: FastifyReply, report: HealthReport): FastifyReply {
  return reply.code(report.status === 'ok' ? 200 : 503).header('cache-control', 'no-store').send(report);
}

/** Serves `/livez`, `/readyz` and `/startupz` (paths from config) from a {@link HealthRegistry}. Internal. */
export function serveHealth(app: FastifyInstance, health: HealthRegistry, paths: HttpHealthConfig): void {
  app.get(paths.livez, async (_request, reply) => send(reply, health.liveness()));
  app.get(paths.readyz, async (_request, reply) => send(reply, await health.readiness()));
  app.get(paths.startupz, async (_request, reply) => send(reply, health.startup()));
}
