// The load runner for both systems: a closed loop of C workers over one undici pool, each
// repeating one workload "unit" (a GET, or a chain of requests for carts and checkouts).
// usage: node load.mjs SYSTEM URL SETUP_JSON SERVER_PID OUT_JSONL
// env: DURATION (s, 10), WARMUP (s, 3), CONCURRENCY (16), MAX_WINDOW (s, 120), WORKLOADS (list,detail,search,cart,checkout)
import { Pool } from "undici"
import { readFileSync, appendFileSync, readdirSync } from "node:fs"

const [system, url, setupFile, pidArg, outFile] = process.argv.slice(2)
const DURATION = Number(process.env.DURATION || 10)
const WARMUP = Number(process.env.WARMUP || 3)
const CONCURRENCY = Number(process.env.CONCURRENCY || 16)
const MAX_WINDOW = Number(process.env.MAX_WINDOW || 120)
const WORKLOADS = (process.env.WORKLOADS || "list,detail,search,cart,checkout").split(",")
const setup = JSON.parse(readFileSync(setupFile, "utf8"))
const pool = new Pool(url, { connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 60_000 })
// Letters only: a long run of digits in an idempotency key may pass for a card number.
const run = Array.from({ length: 12 }, () => "abcdefghjkmnpqrstuvwxyz"[Math.floor(Math.random() * 23)]).join("")
// Oxcart's own bench words (crates/edge/oxcart/src/bench/mod.rs), all in the seeded vocabulary.
const WORDS = ["shirt", "jacket", "wireless", "leather", "coffee", "boot", "lamp", "classic", "cotton",
  "speaker", "yoga", "knife", "premium", "travel", "sneaker", "wool", "steel", "tent", "notebook", "organic"]

class Failed extends Error {}

// One request; answers the parsed JSON when asked, and adds the body's size to `unit.bytes`.
async function send(unit, method, path, { body, headers = {}, json = false } = {}) {
  const h = { ...headers }
  if (body !== undefined) h["content-type"] = "application/json"
  const res = await pool.request({ method, path, headers: h, body: body === undefined ? undefined : JSON.stringify(body) })
  unit.requests++
  const buf = Buffer.from(await res.body.arrayBuffer())
  unit.bytes += buf.length
  if (res.statusCode < 200 || res.statusCode > 299) {
    unit.status = res.statusCode
    if (process.env.VERBOSE) console.error(method, path, res.statusCode, buf.toString().slice(0, 300))
    throw new Failed(`${method} ${path}: ${res.statusCode}`)
  }
  return json ? JSON.parse(buf.toString()) : null
}

// --- the five workloads, per system -------------------------------------------------------
const address = { name: "Bench Buyer", line1: "1 Market St", city: "San Francisco", region: "CA",
  postal_code: "94105", country: "US" }

function oxcart() {
  const { sample, buyable, cartable } = setup
  // A never-binding price bound, unique per request, so that no answer comes from Oxcart's
  // search cache (keyed by the raw query; CACHE_TTL_SECS=0 covers only product answers).
  const bust = (i) => `price_max=${1_000_000_000 + i}`
  const cartAdd = (u, variant) => send(u, "POST", "/api/v1/cart/add", { body: { variant_id: variant, quantity: 1 }, json: true })
  return {
    list: (u, i) => send(u, "GET", `/api/v1/products?limit=20&${bust(i)}`),
    detail: (u, i) => send(u, "GET", `/api/v1/products/${sample[i % sample.length].slug}`),
    search: (u, i) => send(u, "GET", `/api/v1/products?q=${WORDS[i % WORDS.length]}&limit=20&${bust(i)}`),
    cart: (u, i) => cartAdd(u, cartable[(i * 64) % cartable.length]),
    // What Oxcart's checkout scenario does before and inside its clock: cart add, quote, checkout.
    checkout: async (u, i) => {
      const cart = await cartAdd(u, buyable[i % buyable.length])
      const headers = { "x-cart-token": cart.token }
      const quote = await send(u, "POST", "/api/v1/checkout/quote",
        { headers, body: { address, shipping_method: "standard" }, json: true })
      await send(u, "POST", "/api/v1/checkout", {
        headers: { ...headers, "idempotency-key": `bench-${run}-${i}` },
        body: { address, email: "bench@example.com", shipping_method: "standard",
          expected_total: quote.totals.total, payment_token: "tok_sandbox_ok" },
      })
    },
  }
}

function medusa() {
  const { sample, buyable, cartable, publishable_key, region_id, shipping_option_id } = setup
  const headers = { "x-publishable-api-key": publishable_key }
  // region_id as a storefront passes it, so that Medusa prices the variants it returns.
  const r = `region_id=${region_id}`
  const post = (u, path, body, json = true) => send(u, "POST", path, { headers, body, json })
  const cartAdd = async (u, variant) => {
    const { cart } = await post(u, "/store/carts", { region_id })
    await post(u, `/store/carts/${cart.id}/line-items`, { variant_id: variant, quantity: 1 }, false)
    return cart.id
  }
  return {
    list: (u) => send(u, "GET", `/store/products?limit=20&${r}`, { headers }),
    detail: (u, i) => send(u, "GET", `/store/products/${sample[i % sample.length].id}?${r}`, { headers }),
    search: (u, i) => send(u, "GET", `/store/products?q=${WORDS[i % WORDS.length]}&limit=20&${r}`, { headers }),
    cart: (u, i) => cartAdd(u, cartable[(i * 64) % cartable.length]),
    checkout: async (u, i) => {
      const id = await cartAdd(u, buyable[i % buyable.length])
      await post(u, `/store/carts/${id}`, { email: "bench@example.com", shipping_address: {
        first_name: "Bench", last_name: "Buyer", address_1: "1 Market St", city: "San Francisco",
        province: "us-ca", postal_code: "94105", country_code: "us" } }, false)
      await post(u, `/store/carts/${id}/shipping-methods`, { option_id: shipping_option_id }, false)
      const { payment_collection } = await post(u, "/store/payment-collections", { cart_id: id })
      await post(u, `/store/payment-collections/${payment_collection.id}/payment-sessions`,
        { provider_id: "pp_system_default" }, false)
      const done = await post(u, `/store/carts/${id}/complete`, {})
      if (done.type !== "order") { u.status = "not-order"; throw new Failed(JSON.stringify(done).slice(0, 300)) }
    },
  }
}

// --- the server's CPU and memory, from /proc ------------------------------------------------
function tree(root) {
  const parent = new Map()
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue
    try { parent.set(d, readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1].split(" ")[1]) } catch {}
  }
  const pids = [String(root)]
  for (let k = 0; k < pids.length; k++) for (const [p, pp] of parent) if (pp === pids[k]) pids.push(p)
  return pids
}
const TICK = 100 // USER_HZ, 100 on Linux
function cpuSeconds(root) {
  let ticks = 0
  for (const p of tree(root)) {
    try {
      const f = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" ")
      ticks += Number(f[11]) + Number(f[12]) // utime, stime
    } catch {}
  }
  return ticks / TICK
}
// PostgreSQL's CPU (not in the server's figure) and everything else's, the load runner's
// excepted: a busy neighbour shows up here rather than passing unnoticed.
function machine() {
  const total = readFileSync("/proc/stat", "utf8").split("\n")[0].split(/\s+/).slice(1, 9).map(Number)
  const busy = total[0] + total[1] + total[2] + total[5] + total[6] + total[7] // user nice system irq softirq steal
  let pg = 0
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue
    try {
      const st = readFileSync(`/proc/${d}/stat`, "utf8")
      if (!st.includes("(postgres)")) continue
      const f = st.split(") ")[1].split(" ")
      pg += Number(f[11]) + Number(f[12])
    } catch {}
  }
  const self = process.cpuUsage()
  return { busy: busy / TICK, pg: pg / TICK, self: (self.user + self.system) / 1e6 }
}
export function rssMB(root) {
  let kb = 0
  for (const p of tree(root)) {
    try { kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))[1]) } catch {}
  }
  return kb / 1024
}

// --- the closed loop -------------------------------------------------------------------------
async function measure(name, unitFn) {
  let phase = "warmup", seq = 1 // 0 is the probe's
  const lat = [], statuses = {}
  let ok = 0, errors = 0, requests = 0, bytes = 0
  const worker = async () => {
    while (phase !== "done") {
      const i = seq++
      const u = { requests: 0, bytes: 0, status: null }
      const t0 = performance.now()
      try { await unitFn(u, i) } catch (e) { if (!(e instanceof Failed)) u.status ??= e.code || e.message }
      if (phase !== "measure") continue
      requests += u.requests
      if (u.status === null) { ok++; lat.push(performance.now() - t0); bytes += u.bytes }
      else { errors++; statuses[u.status] = (statuses[u.status] || 0) + 1 }
    }
  }
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
  // Slow units (Medusa's checkouts take seconds each) stretch both windows, the same rule for
  // both systems: the warm-up lasts until every worker finished a unit, the measured window
  // until 2 × C units are in, each at most MAX_WINDOW seconds.
  const until = async (secs, enough) => {
    const start = performance.now()
    await sleep(secs * 1000)
    while (!enough() && performance.now() - start < MAX_WINDOW * 1000) await sleep(100)
  }
  const workers = Array.from({ length: CONCURRENCY }, worker)
  await until(WARMUP, () => seq - 1 - CONCURRENCY >= CONCURRENCY)
  phase = "measure"
  const cpu0 = cpuSeconds(pidArg), m0 = machine(), t0 = performance.now()
  await until(DURATION, () => ok + errors >= 2 * CONCURRENCY)
  const cpu1 = cpuSeconds(pidArg), m1 = machine(), secs = (performance.now() - t0) / 1000
  const pgSecs = m1.pg - m0.pg
  const otherCores = (m1.busy - m0.busy - (cpu1 - cpu0) - pgSecs - (m1.self - m0.self)) / secs
  phase = "done"
  await Promise.all(workers)
  lat.sort((a, b) => a - b)
  const pct = (q) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] : NaN)
  const units = ok + errors
  const r = { system, workload: name, units, ok, errors, statuses, http_requests: requests,
    per_sec: ok / secs, p50_ms: pct(0.5), p99_ms: pct(0.99),
    cpu_us_per_unit: units ? ((cpu1 - cpu0) * 1e6) / units : NaN,
    bytes_per_unit: ok ? bytes / ok : NaN, http_per_unit: units ? requests / units : NaN, concurrency: CONCURRENCY, window_s: secs,
    pg_cpu_us_per_unit: units ? (pgSecs * 1e6) / units : NaN, server_cores: (cpu1 - cpu0) / secs, other_cores: otherCores }
  console.error(`${system} ${name}: ${r.per_sec.toFixed(1)}/s p50 ${r.p50_ms.toFixed(2)} ms p99 ${r.p99_ms.toFixed(2)} ms ` +
    `cpu/unit ${r.cpu_us_per_unit.toFixed(0)} µs (PostgreSQL ${r.pg_cpu_us_per_unit.toFixed(0)} µs), ` +
    `others ${otherCores.toFixed(2)} cores, ${errors} errors ${JSON.stringify(statuses)}`)
  return r
}

// Oxcart's seed leaves one variant in ten sold out: stock the variants the runs buy, as an
// admin, the way `oxcart bench` does (Medusa's seed stocks every variant).
async function oxcartTopUp() {
  const u = { requests: 0, bytes: 0 }
  const login = await send(u, "POST", "/api/v1/auth/login",
    { body: { email: "admin@oxcart.test", password: process.env.OXCART_ADMIN_PASSWORD }, json: true })
  const auth = { authorization: `Bearer ${login.tokens.access_token}` }
  const location = {}
  for (const l of await send(u, "GET", "/api/v1/inventory/locations", { headers: auth, json: true }))
    location[l.seller_id] ??= l.id
  for (const { sku, seller_id } of setup.stock)
    await send(u, "POST", "/api/v1/inventory/adjustments", { headers: auth, body: { sku,
      location_id: location[seller_id], kind: "received", quantity: 100_000, reason: "benchmark" } })
}

const rssIdle = rssMB(pidArg)
if (system === "oxcart") await oxcartTopUp()
const fns = system === "oxcart" ? oxcart() : medusa()
for (const w of WORKLOADS) {
  // One unit first, outside the clock: a workload that cannot work at all says why at once.
  const probe = { requests: 0, bytes: 0, status: null }
  try { await fns[w](probe, 0) } catch (e) { console.error(`${system} ${w}: the first try failed: ${e.message}`) }
  appendFileSync(outFile, JSON.stringify(await measure(w, fns[w])) + "\n")
}
appendFileSync(outFile, JSON.stringify({ system, rss_idle_mb: rssIdle, rss_after_mb: rssMB(pidArg) }) + "\n")
await pool.close()
