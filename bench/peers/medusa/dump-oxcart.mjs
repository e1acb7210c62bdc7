// Reads the catalog `oxcart seed` made from a running Oxcart, so that Medusa is seeded with the
// very same products, variants, options and prices, and picks the products and variants both
// systems' workloads use. usage: node dump-oxcart.mjs URL OUT_DIR
// Writes OUT_DIR/catalog.json (for seed-bench.ts), picks.json (by slug and SKU, for both) and
// oxcart-setup.json (Oxcart's ids, for load.mjs).
import { writeFileSync } from "node:fs"

const [url, out] = process.argv.slice(2)
const SAMPLE = 1000 // products the detail workload rotates over, as many as Oxcart's own bench
const BUYABLE = 100 // variants the checkouts cycle through, as in Oxcart's checkout scenario

async function get(path) {
  const res = await fetch(url + path)
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

// By leaf category: one listing stops at 10,000 hits, a category's stays far below that.
const leaves = (await get("/api/v1/categories")).filter((c) => c.parent_id).map((c) => c.slug)
const slugs = new Set()
for (const leaf of leaves) {
  let cursor = ""
  do {
    const page = await get(`/api/v1/products?category=${leaf}&sort=newest&limit=100${cursor && `&cursor=${cursor}`}`)
    for (const p of page.items) slugs.add(p.slug)
    cursor = page.next_cursor
  } while (cursor)
}
// Seeded slugs end in the product's number: keep the seed's order.
const ordered = [...slugs].sort((a, b) => Number(a.split("-").pop()) - Number(b.split("-").pop()))

const products = new Array(ordered.length)
let next = 0
const worker = async () => {
  while (next < ordered.length) {
    const i = next++
    const p = await get(`/api/v1/products/${ordered[i]}`)
    products[i] = {
      id: p.id, slug: p.slug, title: p.title, description: p.description, seller_id: p.seller_id,
      image: p.images[0]?.url ? new URL(p.images[0].url, url).pathname : undefined,
      options: p.options.map((o) => ({ name: o.name, values: o.values })),
      variants: p.variants.map((v) => ({ id: v.id, sku: v.sku, title: v.title, options: v.options,
        price: v.price, weight_g: v.weight_g ?? undefined })),
    }
    if ((i + 1) % 2000 === 0) console.error(`dump: ${i + 1}/${ordered.length} products`)
  }
}
await Promise.all(Array.from({ length: 16 }, worker))

const step = Math.max(1, Math.floor(products.length / SAMPLE))
const sample = products.filter((_, i) => i % step === 0).slice(0, SAMPLE)
const cartable = sample.map((p) => p.variants[0])
const variants = products.reduce((n, p) => n + p.variants.length, 0)
writeFileSync(`${out}/catalog.json`, JSON.stringify(products))
writeFileSync(`${out}/picks.json`, JSON.stringify({ sample: sample.map((p) => p.slug),
  cartable: cartable.map((v) => v.sku), buyable: cartable.slice(0, BUYABLE).map((v) => v.sku) }))
writeFileSync(`${out}/oxcart-setup.json`, JSON.stringify({
  sample: sample.map((p) => ({ slug: p.slug, id: p.id })),
  cartable: cartable.map((v) => v.id), buyable: cartable.slice(0, BUYABLE).map((v) => v.id),
  stock: sample.map((p) => ({ sku: p.variants[0].sku, seller_id: p.seller_id })),
}))
console.error(`dump: ${products.length} products, ${variants} variants`)
