import { isAbsolute, resolve } from 'node:path';
import { defineTask } from '../workers/index';
import { isJobProcessor, type JobProcessor } from './job-processor';
import { JobProcessorError } from './queue-errors';

/** Loads the processors named `"module:export"` (relative to `baseDir`). */
export function loadProcessors(specifiers: readonly string[], baseDir: string, what: string): JobProcessor[] {
  return specifiers.map((specifier) => {
    const { file, exportName } = defineTask(specifier);
    const path = isAbsolute(file) ? file : resolve(baseDir, file);
    let module: Record<string, unknown>;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- processors are named in config
      module = require(path) as Record<string, unknown>;
    } catch (error) {
      throw new JobProcessorError(`${what}: cannot load processor module ${path} (from "${specifier}"): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const value = module[exportName];
    if (!isJobProcessor(value)) {
      const exports = Object.keys(module).filter((key) => isJobProcessor(module[key]));
      throw new JobProcessorError(
        `${what}: "${specifier}" is not a job processor (made with jobProcessor() or workerPoolJob()); ` +
          (exports.length > 0 ? `the processors ${path} exports: ${exports.join(', ')}` : `${path} exports none`),
      );
    }
    return value;
  });
}
