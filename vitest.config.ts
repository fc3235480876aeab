import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // The HTTP surface, inside workerd.
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
        test: { name: "workers", include: ["test/http/**/*.test.ts"] },
      },
      {
        // The pure core and the real-tool cross-checks, in Node.
        test: {
          name: "node",
          include: ["test/core/**/*.test.ts", "test/node/**/*.test.ts", "test/fuzz/**/*.test.ts", "test/browser/**/*.test.ts"],
          environment: "node",
          testTimeout: 30000,
        },
      },
    ],
  },
});
