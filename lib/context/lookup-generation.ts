/**
 * A counter bumped whenever any context publishes a value or factory. A context's lookup cache is
 * valid only while the counter has not moved since it was filled, so a child never answers a
 * value its chain no longer holds (a middle context may shadow a root resource at any time).
 * Publishing is rare after startup, so caches stay warm on the request path. Internal.
 */
export const lookupGeneration = { value: 0 };
