// A known path asked with a method it does not serve answers 405 with an Allow header (RFC 9110
// §15.5.6), not the 404 of a path that does not exist. The router only knows "no route", so the
// methods of each route pattern are recorded as routes are added and matched when none was found.
import type { RouteOptions } from 'fastify';

export interface MethodRegistry {
  /** An `onRoute` hook: records the route's methods under its URL pattern. */
  record(route: RouteOptions): void;
  /** The methods some route serves on this path (no query string), sorted; none for an unknown path. */
  allowedOn(path: string): string[];
}

/** A route URL (`/dossiers/:code/accept`, `/docs/*`) as a regular expression over paths. */
function patternOf(url: string): RegExp {
  const source = url
    .split(/(:\w+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

export function createMethodRegistry(): MethodRegistry {
  const routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  return {
    record(route) {
      // A catch-all (CORS preflight's OPTIONS *) would make every unknown path "known".
      if (route.url === '*' || route.url === '/*') return;
      const entry = routes.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set<string>() };
      for (const method of [route.method].flat()) entry.methods.add(method);
      routes.set(route.url, entry);
    },
    allowedOn(path) {
      const allowed = new Set<string>();
      for (const { pattern, methods } of routes.values()) if (pattern.test(path)) for (const method of methods) allowed.add(method);
      return [...allowed].sort();
    },
  };
}
