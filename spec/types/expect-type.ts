// Type-level assertions for the files in spec/types/: `tsc --noEmit` (npm test) checks them; a
// line marked `@ts-expect-error` fails the type-check if it ever compiles.

/** True when `A` and `B` are the same type (not merely assignable either way). */
export type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

/** Compiles only when given `true`: `assertType<Equal<typeof x, Pool>>(true)`. */
export function assertType<Condition extends true>(ok: Condition): Condition {
  return ok;
}

/** The type of `value`, for `Equal<TypeOf<...>>` checks without running anything. */
export declare function typeOf<T>(value: T): T;

/**
 * Compiles only when `value`'s type is exactly `Expected`: `exact<Pool>()(pool)`.
 * (A mismatch asks for a second argument, which names the problem.)
 */
export function exact<Expected>() {
  return <Actual>(value: Actual, ..._mismatch: Equal<Actual, Expected> extends true ? [] : ['type mismatch: see Expected']): Actual =>
    value;
}
