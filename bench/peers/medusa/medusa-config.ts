import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "production", process.cwd())

// No redisUrl: Medusa's in-memory event bus, cache, workflow engine and locking (its defaults
// without Redis). No module is added or removed: the store API runs as Medusa ships it.
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    databaseLogging: false,
    http: {
      storeCors: "http://127.0.0.1",
      adminCors: "http://127.0.0.1",
      authCors: "http://127.0.0.1",
      jwtSecret: process.env.JWT_SECRET || "bench-only-secret",
      cookieSecret: process.env.COOKIE_SECRET || "bench-only-secret",
    },
  },
  admin: { disable: true },
})
