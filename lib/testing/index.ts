/**
 * `asphalt-ts/testing`: start a component tree in a test with parts of it replaced, have it stopped
 * after the test, and assert on its graph.
 *
 * @example
 * import { startTestApp, expectStartOrder, providerOf } from 'asphalt-ts/testing';
 *
 * it('serves from a fake db', async () => {
 *   const app = await startTestApp(AppComponent, {}, { overrides: [{ resource: Db, value: fakeDb }] });
 *   expect(await app.context.getResource(Db)).toBe(fakeDb);
 *   expectStartOrder(app, ['root.cache', 'root.web']);
 * }); // stopped after the test
 */
import 'reflect-metadata';

export { startTestApp, TEST_TIMEOUT_MS } from './start-test-app';
export type { TestAppOptions } from './start-test-app';
export type { CheckedOverrides, ComponentClass, ComponentOverride, Override, ResourceOverride } from './overrides';
export { expectStartOrder, providerOf, startedBefore } from './graph-assertions';
export type { HasGraph } from './graph-assertions';
