/** One route and the component that registered it. */
export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  /** Path of the component whose code registered it (`root.notes`). */
  readonly component: string;
}

/**
 * The routes of an {@link HttpComponent}, each with the component that registered it; published as
 * `HttpRoutes` and logged when the server listens.
 */
export class HttpRoutes {
  readonly #routes: RouteInfo[] = [];
  readonly #byKey = new Map<string, RouteInfo>();

  /** Every route, in registration order. */
  get routes(): readonly RouteInfo[] {
    return this.#routes;
  }

  /** The routes grouped by component path. */
  byComponent(): Map<string, RouteInfo[]> {
    const groups = new Map<string, RouteInfo[]>();
    for (const route of this.#routes) {
      const list = groups.get(route.component) ?? [];
      list.push(route);
      groups.set(route.component, list);
    }
    return groups;
  }

  /** One line per component: `root.notes: GET /notes, POST /notes`. */
  describe(): string {
    return [...this.byComponent()].map(([component, routes]) => `${component}: ${routes.map((r) => `${r.method} ${r.url}`).join(', ')}`).join('; ');
  }

  /** Internal: the route already registered under this key, if any. */
  find(key: string): RouteInfo | undefined {
    return this.#byKey.get(key);
  }

  /** Internal: records a route. */
  add(key: string, route: RouteInfo): void {
    this.#byKey.set(key, route);
    this.#routes.push(route);
  }
}
