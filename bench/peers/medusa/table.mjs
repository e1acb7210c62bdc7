// Prints the markdown tables from load.mjs's results. usage: node table.mjs RESULTS_JSONL
import { readFileSync } from "node:fs"

const rows = readFileSync(process.argv[2], "utf8").trim().split("\n").map((l) => JSON.parse(l))
const by = (system, workload) => rows.find((r) => r.system === system && r.workload === workload)
const NAMES = { list: "list 20 products", detail: "product by id", search: "text search, 20 hits",
  cart: "create cart + add one item", checkout: "full checkout (checkouts/s)" }
const n = (x, d = 0) => (x == null || Number.isNaN(x) ? "—" : x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }))
const ms = (x) => (x == null ? "—" : x < 10 ? `${n(x, 2)} ms` : x < 100 ? `${n(x, 1)} ms` : `${n(x)} ms`)
const cpu = (x) => (x == null ? "—" : x < 1000 ? `${n(x)} µs` : `${n(x / 1000, x < 10_000 ? 2 : 1)} ms`)
const flag = (r) => (r && r.errors ? ` ⚠ ${r.errors} errors` : "")
const ratio = (a, b) => (a && b ? `${n(a / b, a / b < 10 ? 1 : 0)}×` : "—")

const workloads = [...new Set(rows.filter((r) => r.workload).map((r) => r.workload))]
console.log("| workload | HTTP requests per unit (Oxcart / Medusa) | Oxcart units/s | p50 | p99 | CPU/unit | Medusa units/s | p50 | p99 | CPU/unit | Medusa CPU/unit ÷ Oxcart | Oxcart units/s ÷ Medusa |")
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for (const w of workloads) {
  const o = by("oxcart", w), m = by("medusa", w)
  console.log(`| ${NAMES[w] || w} | ${n(o?.http_per_unit, 0)} / ${n(m?.http_per_unit, 0)} ` +
    `| ${n(o?.per_sec)}${flag(o)} | ${ms(o?.p50_ms)} | ${ms(o?.p99_ms)} | ${cpu(o?.cpu_us_per_unit)} ` +
    `| ${n(m?.per_sec, m?.per_sec < 100 ? 1 : 0)}${flag(m)} | ${ms(m?.p50_ms)} | ${ms(m?.p99_ms)} | ${cpu(m?.cpu_us_per_unit)} ` +
    `| ${ratio(m?.cpu_us_per_unit, o?.cpu_us_per_unit)} | ${ratio(o?.per_sec, m?.per_sec)} |`)
}
console.log("\n| workload | bytes per unit, Oxcart / Medusa | units measured (window), Oxcart / Medusa | PostgreSQL CPU/unit, Oxcart / Medusa (not counted above) | other processes' CPU in the window, Oxcart / Medusa |")
console.log("|---|---:|---:|---:|---:|")
const win = (r) => (r ? `${n(r.units)} (${n(r.window_s, 1)} s)` : "—")
const cores = (r) => (r ? `${n(r.other_cores, 2)} cores` : "—")
for (const w of workloads) {
  const o = by("oxcart", w), m = by("medusa", w)
  console.log(`| ${NAMES[w] || w} | ${n(o?.bytes_per_unit)} / ${n(m?.bytes_per_unit)} | ${win(o)} / ${win(m)} ` +
    `| ${cpu(o?.pg_cpu_us_per_unit)} / ${cpu(m?.pg_cpu_us_per_unit)} | ${cores(o)} / ${cores(m)} |`)
}
const rss = (s) => rows.find((r) => r.system === s && r.rss_idle_mb != null)
for (const s of ["oxcart", "medusa"]) {
  const r = rss(s)
  if (r) console.log(`\n${s} resident memory: ${n(r.rss_idle_mb)} MB after start, ${n(r.rss_after_mb)} MB after the runs`)
}
for (const r of rows.filter((r) => r.errors)) console.log(`\n⚠ ${r.system} ${r.workload}: ${r.errors} failed units ${JSON.stringify(r.statuses)}`)
