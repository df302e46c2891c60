type PlainConfig = Record<string, unknown>;

/** `override` merged into `base`, recursively for plain objects (arrays and other values replace). */
export function deepMerge(base: PlainConfig, override: PlainConfig): PlainConfig {
  const result: PlainConfig = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const existing = result[key];
    result[key] = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
  }
  return result;
}

/** Whether `value` is an object literal (not an array, a class instance or null). */
export function isPlainObject(value: unknown): value is PlainConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
