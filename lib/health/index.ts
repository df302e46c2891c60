// asphalt-ts/health: a registry of health checks that components contribute to.
export { HealthRegistry } from './health-registry';
export type { HealthCheck, HealthCheckOptions, HealthCheckResult, HealthReport } from './health-registry';
export { HealthComponent } from './health-component';
