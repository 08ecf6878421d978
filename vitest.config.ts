import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // web/src: pure modules of the web app (no DOM); pages are covered by the browser tests under test/.
    include: ["src/**/*.test.ts", "policy/**/*.test.ts", "test/**/*.test.ts", "web/src/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
