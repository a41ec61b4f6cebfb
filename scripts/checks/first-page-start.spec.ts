import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

// The dashboard's first page: its data and code are asked for by main.tsx's first import,
// before React DOM and the app are evaluated (on a cold load the data requests then leave
// ~50 ms sooner). That only holds while the first import's own imports stay clear of them:
// this walks its import graph.

const SRC = join(__dirname, '../../apps/dashboard/src');

/** Modules a file imports at run time (type-only imports are erased by the build). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(pattern)) if (!m[2]) found.push(m[3]!);
  return found;
}

function resolveLocal(from: string, spec: string): string {
  const base = join(dirname(from), spec);
  const candidates = ['.ts', '.tsx', '/index.ts', '/index.tsx'].map((ext) => base + ext);
  const hit = candidates.find((c) => existsSync(c));
  if (!hit) throw new Error(`cannot resolve ${spec} from ${from}`);
  return hit;
}

/** Every local file reachable from `entry`, and every package it reaches. */
function importGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of runtimeImports(file)) {
      if (/\.(css|svg|png)$/.test(spec)) continue; // assets: no code
      if (spec.startsWith('.')) visit(resolveLocal(file, spec));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files: [...files].map((f) => relative(SRC, f)).sort(), packages: [...packages].sort() };
}

describe('the first import of main.tsx', () => {
  it('is the module that starts the first page’s requests', () => {
    expect(runtimeImports(join(SRC, 'main.tsx'))[0]).toBe('./preload-first-page');
    expect(readFileSync(join(SRC, 'preload-first-page.ts'), 'utf8')).toMatch(/prefetchFirstPage\(client,/);
  });

  it('reaches neither React DOM, the router nor the app', () => {
    const { files, packages } = importGraph(join(SRC, 'preload-first-page.ts'));
    // what it does reach: the query cache, the page queries, the lazy page table
    expect(files).toEqual(expect.arrayContaining(['query-client.ts', 'pages/first-page-data.ts']));
    expect(files).not.toContain('app.tsx');
    expect(packages.filter((p) => /^react-dom|^react-router|^recharts/.test(p))).toEqual([]);
  });

  it('walks imports the way the check above relies on', () => {
    // the walker must see the app's imports, or the check above would pass on an empty graph
    const { packages } = importGraph(join(SRC, 'main.tsx'));
    expect(packages).toEqual(expect.arrayContaining(['react-dom/client', 'react-router']));
  });
});
