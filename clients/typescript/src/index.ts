/**
 * A typed client of the clinic's content API.
 *
 * `src/schema.d.ts` is generated from the committed `openapi.yaml` (`npm run generate`);
 * this file adds only what every app would otherwise write itself: a client with JSON
 * defaults, an error that carries the RFC 9457 problem, and the sync loop.
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";

import type { components, paths } from "./schema.js";

export type { components, paths } from "./schema.js";
export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];
export type SyncChange = Schemas["SyncChange"];
export type SyncItem = Schemas["SyncItem"];
export type ContentApi = Client<paths>;

/** A client of the API at `baseUrl` (e.g. "https://api.clinic.example"). */
export function createContentApi(baseUrl: string, options: ClientOptions = {}): ContentApi {
  return createClient<paths>({
    baseUrl,
    ...options,
    headers: { Accept: "application/json", ...(options.headers as Record<string, string>) },
  });
}

/** An answer that was a problem details document (every error the API returns is one). */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = "ProblemError";
  }
}

/** Return `data`, or throw the problem as a `ProblemError`. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined) {
    return result.data;
  }
  throw new ProblemError(result.response.status, result.error as Problem);
}

export interface SyncScope {
  type?: ("article" | "faq" | "research" | "glossary")[];
  condition?: string[];
}

/**
 * Apply every change since `cursor` (all public content without one), page by page, and
 * return the cursor to keep for next time. A problem whose `code` is `sync_restart` means
 * the cursor cannot be continued: drop the local copy and call again without one.
 */
export async function syncChanges(
  api: ContentApi,
  apply: (change: SyncChange) => void | Promise<void>,
  { cursor, scope = {}, limit = 100 }: { cursor?: string; scope?: SyncScope; limit?: number } = {},
): Promise<string> {
  for (;;) {
    const page = unwrap(
      await api.GET("/api/v1/sync/", { params: { query: { ...scope, cursor, limit } } }),
    );
    for (const change of page.changes) {
      await apply(change);
    }
    cursor = page.cursor;
    if (!page.has_more) {
      return cursor;
    }
  }
}
