import { createRequire } from 'node:module';
import type { MetadataStorage as TransformerStorage } from 'class-transformer/types/MetadataStorage';

// class-validator (with validator.js and libphonenumber-js) and class-transformer cost more to load
// than the rest of the core together, and an application that declares no config class never
// needs them; so they load at the first validation or description, not with `asphalt-ts`. A config
// class's own decorators (`@IsInt()`) load them anyway when the user's module imports them; their
// metadata storages are process-wide in both libraries, so loading later sees every decorator.
const load = createRequire(__filename);

let validator: typeof import('class-validator') | undefined;
let transformer: typeof import('class-transformer') | undefined;
let storage: TransformerStorage | undefined;

/** class-validator, loaded on first use. */
export function classValidator(): typeof import('class-validator') {
  return (validator ??= load('class-validator') as typeof import('class-validator'));
}

/** class-transformer, loaded on first use. */
export function classTransformer(): typeof import('class-transformer') {
  return (transformer ??= load('class-transformer') as typeof import('class-transformer'));
}

/** The storage class-transformer's decorators write to (kept out of its public entry point). */
export function transformerStorage(): TransformerStorage {
  return (storage ??= (load('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerStorage }).defaultMetadataStorage);
}
