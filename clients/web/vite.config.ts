import { defineConfig } from "vite";

// The console is served by the gateway (services/gateway) from dist/, on the
// same origin as its gRPC-Web endpoints (POST /<package.Service>/<Method>)
// and /auth/*. For `npm run dev`, Vite proxies those paths to a running
// gateway (TANDEM_GATEWAY, default http://127.0.0.1:8080).
const gateway = globalThis.process?.env?.TANDEM_GATEWAY ?? "http://127.0.0.1:8080";

export default defineConfig({
  base: "./",
  esbuild: {
    jsx: "automatic",
    jsxImportSource: "preact",
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    target: "es2020",
  },
  server: {
    host: "127.0.0.1",
    proxy: {
      "^/tandem\\.": { target: gateway, changeOrigin: false },
      "/auth": { target: gateway, changeOrigin: false },
    },
  },
});
