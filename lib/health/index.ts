// asphalt-ts/health: a registry of health checks that components contribute to, tied to the lifecycle.
export { HealthRegistry } from './health-registry';
export type { HealthCheck, HealthCheckOptions, HealthCheckResult, HealthReport, HealthState, LoopBlock } from './health-registry';
export { HealthComponent, HealthConfig } from './health-component';
