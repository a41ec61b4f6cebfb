// Shapes the dashboard uses that `@pulse/contracts` does not export. Everything the API
// declares there is imported from `@pulse/contracts` directly; move a shape from here once
// the API exports it.
/** POST /api/engagements/:id/share-links (the API validates it with a class of its own). */
export interface CreateShareLinkBody {
  expiresAt?: string;
  families: string[];
  allowDrillDown: boolean;
}
