// Builds the web console into dist/web, which the Fastify server serves at `/` (src/http/console.ts).
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: path.resolve(import.meta.dirname, '../dist/web'),
    emptyOutDir: true,
    // React and the charts change less often than the app: separate files stay cached across releases.
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (/node_modules\/(react|react-dom|scheduler)\//.test(id)) return 'react';
          if (id.includes('node_modules')) return 'vendor';
        },
      },
    },
    chunkSizeWarningLimit: 600,
  },
  // `npm run dev:web` against a local `fulcrum serve`.
  server: { proxy: { '/v1': 'http://127.0.0.1:4100' } },
});
