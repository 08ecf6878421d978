import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
/** Where the dev server sends /api (CREDIT_API=http://host:port to use another server). */
const api = process.env.CREDIT_API ?? "http://localhost:3000";

/** `npx vite build --config web/vite.config.ts` → web/dist; `npx vite --config web/vite.config.ts` for development. */
export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        // React and the router change rarely: one long-cached chunk, apart from antd and the app.
        codeSplitting: {
          groups: [{ name: "react", test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ }],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { "/api": { target: api, changeOrigin: false } },
  },
  preview: {
    proxy: { "/api": { target: api, changeOrigin: false } },
  },
});
