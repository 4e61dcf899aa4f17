// Vite's configuration of the staff console (docs/console.md#building-it). The app is served under
// /console/ by the API itself, so its assets are addressed from there; `npm run console:dev` proxies
// the API's routes to a running `npm start` for work on the screens with hot reload.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.MOTCUA_API_URL ?? 'http://127.0.0.1:3000';
const apiRoutes = ['/auth', '/dossiers', '/catalogue', '/reports', '/documents', '/deliveries', '/openapi.json', '/citizen', '/health', '/ready'];

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The browsers of a commune office are kept current by their updates; one script for the shell
    // and one per screen group keeps the first load small.
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: Object.fromEntries(apiRoutes.map((route) => [route, api])) },
});
