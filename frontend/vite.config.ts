import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': process.env.GAUNG_API ?? 'http://127.0.0.1:8000',
      '/media': process.env.GAUNG_API ?? 'http://127.0.0.1:8000',
    },
  },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./tests/setup.ts'],
    include: ['tests/**/*.test.{ts,tsx}'],
    css: false,
    // A screen test renders Mantine and waits on user events: about 1.5 s on a busy 2-core
    // machine, so the 5 s default left too little room on slower ones.
    testTimeout: 15_000,
  },
});
