import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { precompress } from './precompress.plugin.mts';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ command }) => {
  if (command === 'build') {
    // A build is what users get, always: Vite would otherwise follow an inherited NODE_ENV
    // (npm test exports NODE_ENV=test) and bundle React's development build. Vite reads
    // NODE_ENV after loading this file, so setting it here decides the build.
    process.env.NODE_ENV = 'production';
  }
  return {
    root,
    mode: command === 'build' ? 'production' : undefined,
    plugins: [react(), precompress()],
    resolve: {
      alias: {
        '@pulse/contracts': fileURLToPath(new URL('../../libs/contracts/src/index.ts', import.meta.url)),
        '@pulse/kpi': fileURLToPath(new URL('../../libs/kpi/src/index.ts', import.meta.url)),
      },
    },
    build: {
      outDir: fileURLToPath(new URL('../../dist/dashboard', import.meta.url)),
      emptyOutDir: true,
      // Source maps would publish the whole source; production errors are read from the API's logs.
      sourcemap: false,
    },
    server: {
      port: 4200,
      proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' },
    },
  };
});
