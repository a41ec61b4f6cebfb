export const queryKeys = {
  me: ['me'] as const,
  engagements: ['engagements'] as const,
  kpiDefinitions: ['kpi-definitions'] as const,
  engagement: (id: string) => ['engagement', id] as const,
  kpis: (id: string, from: string, to: string) => ['engagement', id, 'kpis', from, to] as const,
  health: (id: string) => ['engagement', id, 'health'] as const,
  connections: (id: string) => ['engagement', id, 'connections'] as const,
  syncRuns: (id: string) => ['engagement', id, 'sync-runs'] as const,
  people: (id: string) => ['engagement', id, 'people'] as const,
  unassigned: (id: string) => ['engagement', id, 'people', 'unassigned'] as const,
  thresholds: (id: string) => ['engagement', id, 'thresholds'] as const,
  shareLinks: (id: string) => ['engagement', id, 'share-links'] as const,
  drill: (id: string, kind: string, from: string, to: string) =>
    ['engagement', id, 'drill', kind, from, to] as const,
  share: (token: string) => ['share', token] as const,
  sharePullRequests: (token: string, from: string, to: string) =>
    ['share', token, 'pull-requests', from, to] as const,
};
