import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest)$/;

/**
 * Writes a `.br` and a `.gz` next to every compressible output file, at maximum compression
 * (done once at build time, so serving costs nothing). The API serves the variant the browser
 * accepts (apps/api/src/static/dashboard-static.ts).
 *
 * It compresses the files as written to disk (`writeBundle`), not the bundle in
 * `generateBundle`: Vite rewrites chunks after that hook (e.g. its `__VITE_PRELOAD__`
 * placeholder for lazy imports), and compressed copies taken earlier broke every lazy page.
 */
export function precompress(): Plugin {
  return {
    name: 'pulse-precompress',
    apply: 'build',
    enforce: 'post',
    writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist';
      for (const fileName of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(fileName)) continue;
        const path = join(dir, fileName);
        const bytes = readFileSync(path);
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(bytes, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
            },
          }),
        );
        writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}
