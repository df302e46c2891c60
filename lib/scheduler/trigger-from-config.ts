import { InvalidArgumentError } from '../index';
import type { TriggerConfig } from './scheduler-config';
import { allOf, anyOf, at, cron, every, type Trigger } from './trigger';

/** The {@link Trigger} a trigger config describes (exactly one of cron, every, at, any, all). */
export function triggerFromConfig(config: TriggerConfig, where: string): Trigger {
  const kinds = (['cron', 'every', 'at', 'any', 'all'] as const).filter((kind) => config[kind] !== undefined);
  if (kinds.length !== 1) {
    throw new InvalidArgumentError(
      `${where}: a trigger has exactly one of cron, every, at, any, all; got ${kinds.length === 0 ? 'none' : kinds.join(' and ')} ` +
        `(e.g. { cron: '0 3 * * *', timezone: Europe/Paris } or { every: 60000 })`,
    );
  }
  switch (kinds[0]) {
    case 'cron':
      return cron(config.cron!, { timezone: config.timezone });
    case 'every':
      return every(config.every!, { start: config.start, end: config.end });
    case 'at':
      return at(config.at!);
    case 'any':
      return anyOf(...config.any!.map((t, i) => triggerFromConfig(t, `${where}.any.${i}`)));
    default:
      return allOf(...config.all!.map((t, i) => triggerFromConfig(t, `${where}.all.${i}`)));
  }
}
