import { defineConfig } from 'vite';

// The envmon API serves web/dist at "/", and relative asset URLs ("./") keep the bundle working
// if it is ever mounted under a sub-path. `npm run dev` proxies /api and /ready to a running
// envmon (or the fixture server) so the page can be developed with hot reload.
const apiTarget = process.env.ENVMON_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/ready': apiTarget,
    },
  },
});
