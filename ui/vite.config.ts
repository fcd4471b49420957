import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The same build is loaded by the Tauri shell (from ui/dist) and served by `assay serve`,
// so asset URLs are relative to index.html.
export default defineConfig({
  base: './',
  plugins: [react()],
  clearScreen: false,
  server: {
    // tauri.conf.json's devUrl.
    port: 5173,
    strictPort: true,
    // In a browser, `npm run dev` talks to `assay serve` on its default address.
    proxy: {
      '/api': { target: 'http://127.0.0.1:7878', changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2021',
    sourcemap: false,
    // ECharts (charts of the Datasets panel) is a lazily loaded chunk of about 600 kB.
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
