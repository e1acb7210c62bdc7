// Seeds Medusa with Oxcart's catalog (CATALOG, written by dump-oxcart.mjs from `oxcart seed`)
// through Medusa's own workflows, and the US store a checkout needs; writes the ids the load
// runner uses to SETUP_OUT. Run by `medusa exec` (see run.sh).
import { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, ProductStatus } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"
import { readFileSync, writeFileSync } from "node:fs"

const BATCH = 250
// Every variant is stocked far beyond what a run sells, so no checkout fails for want of stock
// (Oxcart's runner tops up the variants it buys for the same reason).
const STOCK = 1_000_000

type Variant = { id: string; sku: string; title: string; options: Record<string, string>; price: number; weight_g?: number }
type Product = { slug: string; title: string; description: string; image?: string
  options: { name: string; values: string[] }[]; variants: Variant[] }

export default async function seedBench({ container }: ExecArgs) {
  const catalog: Product[] = JSON.parse(readFileSync(process.env.CATALOG!, "utf8"))
  const picks = JSON.parse(readFileSync(process.env.PICKS!, "utf8"))
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  const salesChannels = container.resolve(Modules.SALES_CHANNEL)
  const stores = container.resolve(Modules.STORE)
  const log = (s: string) => console.error(`seed: ${s}`)

  let [channel] = await salesChannels.listSalesChannels({ name: "Default Sales Channel" })
  if (!channel) {
    const { result } = await createSalesChannelsWorkflow(container).run({
      input: { salesChannelsData: [{ name: "Default Sales Channel" }] },
    })
    channel = result[0]
  }
  const [store] = await stores.listStores()
  await updateStoresWorkflow(container).run({
    input: { selector: { id: store.id }, update: {
      supported_currencies: [{ currency_code: "usd", is_default: true }],
      default_sales_channel_id: channel.id,
    } },
  })
  const { result: [region] } = await createRegionsWorkflow(container).run({
    input: { regions: [{ name: "United States", currency_code: "usd", countries: ["us"],
      payment_providers: ["pp_system_default"] }] },
  })
  await createTaxRegionsWorkflow(container).run({ input: [{ country_code: "us", provider_id: "tp_system" }] })

  const { result: [location] } = await createStockLocationsWorkflow(container).run({
    input: { locations: [{ name: "US Warehouse", address: { city: "San Francisco", country_code: "US", address_1: "" } }] },
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })
  let [profile] = await fulfillment.listShippingProfiles({ type: "default" })
  if (!profile) {
    const { result } = await createShippingProfilesWorkflow(container).run({
      input: { data: [{ name: "Default Shipping Profile", type: "default" }] },
    })
    profile = result[0]
  }
  const set = await fulfillment.createFulfillmentSets({
    name: "US delivery", type: "shipping",
    service_zones: [{ name: "US", geo_zones: [{ country_code: "us", type: "country" }] }],
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: set.id },
  })
  const { result: [option] } = await createShippingOptionsWorkflow(container).run({
    input: [{
      name: "Standard Shipping", price_type: "flat", provider_id: "manual_manual",
      service_zone_id: set.service_zones[0].id, shipping_profile_id: profile.id,
      type: { label: "Standard", description: "Ship in 2-3 days.", code: "standard" },
      prices: [{ currency_code: "usd", amount: 5 }, { region_id: region.id, amount: 5 }],
      rules: [
        { attribute: "enabled_in_store", value: "true", operator: "eq" },
        { attribute: "is_return", value: "false", operator: "eq" },
      ],
    }],
  })
  await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: location.id, add: [channel.id] } })
  const { result: [key] } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: "Bench", type: "publishable", created_by: "" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: key.id, add: [channel.id] } })
  log("store, region, tax region, stock location, fulfillment set, shipping option, API key made")

  const productIds = new Map<string, string>()
  const variantIds = new Map<string, string>()
  const started = Date.now()
  for (let done = 0; done < catalog.length; done += BATCH) {
    const batch = catalog.slice(done, done + BATCH)
    const { result } = await createProductsWorkflow(container).run({
      input: { products: batch.map((p) => {
        // Medusa needs at least one option; Oxcart's single-variant products have none.
        const options = p.options.length ? p.options : [{ name: "Default", values: ["Default"] }]
        return {
          title: p.title, handle: p.slug, description: p.description, status: ProductStatus.PUBLISHED,
          shipping_profile_id: profile.id, sales_channels: [{ id: channel.id }],
          images: p.image ? [{ url: p.image }] : [], thumbnail: p.image,
          options: options.map((o) => ({ title: o.name, values: o.values })),
          variants: p.variants.map((v) => ({
            title: v.title || "Default", sku: v.sku, manage_inventory: true, weight: v.weight_g,
            options: p.options.length ? v.options : { Default: "Default" },
            // Medusa v2 prices are in major units; Oxcart's are in cents.
            prices: [{ currency_code: "usd", amount: v.price / 100 }],
          })),
        }
      }) },
    })
    for (const p of result) {
      productIds.set(p.handle, p.id)
      for (const v of p.variants ?? []) variantIds.set(v.sku!, v.id)
    }
    const secs = (Date.now() - started) / 1000
    log(`products ${done + batch.length}/${catalog.length} (${((done + batch.length) / secs).toFixed(0)}/s)`)
  }

  // The inventory items createProductsWorkflow made, one per variant, stocked at the location.
  for (let skip = 0; ; skip += 1000) {
    const { data } = await query.graph({ entity: "inventory_item", fields: ["id"], pagination: { skip, take: 1000 } })
    if (!data.length) break
    await createInventoryLevelsWorkflow(container).run({
      input: { inventory_levels: data.map((i: { id: string }) => ({
        inventory_item_id: i.id, location_id: location.id, stocked_quantity: STOCK })) },
    })
    log(`inventory levels ${skip + data.length}`)
  }

  const setup = {
    publishable_key: key.token, region_id: region.id, shipping_option_id: option.id,
    sample: picks.sample.map((slug: string) => ({ slug, id: productIds.get(slug) })),
    cartable: picks.cartable.map((sku: string) => variantIds.get(sku)),
    buyable: picks.buyable.map((sku: string) => variantIds.get(sku)),
  }
  writeFileSync(process.env.SETUP_OUT!, JSON.stringify(setup, null, 1))
  log(`${catalog.length} products, ${variantIds.size} variants in ${((Date.now() - started) / 1000).toFixed(0)} s`)
}
