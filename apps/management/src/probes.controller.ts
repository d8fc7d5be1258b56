import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '@hypercache/auth';
import { NodeState, READINESS_CHECKS, type ReadinessCheck } from '@hypercache/node';

/**
 * Kubernetes probes on the management listener, public (no auth) like `/health`:
 *
 * - `GET /livez` — liveness: answers `200` whenever the event loop can run a handler; it checks
 *   nothing external on purpose (a liveness probe that fails with a dependency restarts healthy
 *   pods in cascade). A wedged process does not answer and the probe's timeout fails it.
 * - `GET /readyz` — readiness: `503` while the listeners are not all bound, before the node has
 *   joined its seeds ({@link SeedJoinTracker}), and from the moment it drains (SIGTERM or
 *   `POST /dist/drain`) — so a Service stops routing clients to it before writes start to
 *   answer `DRAINING`. Over Redis the `redis` check replaces the join: 503 naming Redis until it
 *   answers PING (the node starts without it and reconnects by itself).
 *
 * Bodies are @nestjs/terminus results: `{status, info, error, details}`.
 */
@ApiTags('probes')
@Controller()
export class ProbesController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly node: NodeState,
    @Inject(READINESS_CHECKS) private readonly checks: readonly ReadinessCheck[],
  ) {}

  @Get('livez')
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness probe (k8s livenessProbe): 200 while the process serves requests' })
  livez(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.#run(reply, [() => this.indicators.check('process').up({ pid: process.pid, uptimeSeconds: Math.floor(process.uptime()) })]);
  }

  @Get('readyz')
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness probe (k8s readinessProbe): 503 before joining the cluster (over Redis: while Redis does not answer) and while draining' })
  readyz(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.#run(reply, [
      () => {
        const c = this.indicators.check('listeners');
        return this.node.isServing ? c.up() : c.down({ message: 'listeners not bound yet' });
      },
      () => {
        const c = this.indicators.check('drain');
        return this.node.isDraining ? c.down({ draining: true }) : c.up({ draining: false });
      },
      ...this.checks.map((check) => async () => {
        const c = this.indicators.check(check.name);
        const r = await check.check();
        return r.up ? c.up(r.details) : c.down(r.details);
      }),
    ]);
  }

  /** Terminus throws `ServiceUnavailableException(result)` on failure; answer it as a 503 body. */
  async #run(reply: FastifyReply, checks: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    reply.header('cache-control', 'no-store');
    try {
      return await this.health.check(checks);
    } catch (e) {
      if (!(e instanceof ServiceUnavailableException)) throw e;
      reply.code(503);
      return e.getResponse() as HealthCheckResult;
    }
  }
}
