//! Variants: the sellable units of a product (one per combination of option values).

use super::guards::{owned_product, write_conflict};
use super::{CatalogService, write_scope};
use crate::api::events::VariantPriceChanged;
use crate::domain::{measure, optional_text, price, sku};
use crate::dto::{ProductDto, ProductOption, VariantDto, VariantInput};
use crate::store::products::{self as sql, VariantRow};
use kernel::auth::Principal;
use kernel::id::new_id;
use kernel::{Error, ErrorKind, Result, Validation};
use std::collections::BTreeMap;

/// A product may have this many variants; beyond it the product is really several.
const MAX_VARIANTS: usize = 250;

pub(crate) struct VariantDraft {
    pub sku: String,
    pub title: String,
    pub option_values: String,
    pub options: BTreeMap<String, String>,
    pub price: i64,
    pub compare_at: Option<i64>,
    pub weight_g: Option<i64>,
    pub length_mm: Option<i64>,
    pub width_mm: Option<i64>,
    pub height_mm: Option<i64>,
    pub barcode: Option<String>,
}

fn currency_mismatch(field: &str, store: &str) -> Error {
    Error::new(ErrorKind::Invalid, "currency_mismatch", format!("Prices must be in the store's currency, {store}."))
        .with_errors(vec![kernel::error::FieldError { field: field.into(), message: format!("must be {store}") }])
}

/// Validates one variant against the product's options.
pub(crate) fn variant_draft(
    v: &mut Validation,
    field: &str,
    currency: &str,
    options: &[ProductOption],
    input: &VariantInput,
) -> Result<VariantDraft> {
    if let Some(c) = &input.currency
        && !c.eq_ignore_ascii_case(currency)
    {
        return Err(currency_mismatch(&format!("{field}.currency"), currency));
    }
    let sku = v.check(sku(&format!("{field}.sku"), &input.sku));
    let price_minor = v.check(price(&format!("{field}.price"), input.price));
    let compare_at = input.compare_at_price.map(|c| v.check(price(&format!("{field}.compare_at_price"), c)));
    let title = v.check(optional_text(&format!("{field}.title"), input.title.as_deref().unwrap_or(""), 200));
    let barcode = input.barcode.as_deref().map(|b| b.trim().to_owned()).filter(|b| !b.is_empty());
    if barcode.as_ref().is_some_and(|b| b.len() > 32 || !b.chars().all(|c| c.is_ascii_alphanumeric())) {
        v.push(&format!("{field}.barcode"), "must be at most 32 letters and digits (GTIN, EAN, UPC)");
    }
    let mut resolved = BTreeMap::new();
    for (name, value) in &input.options {
        match options.iter().find(|o| o.name.eq_ignore_ascii_case(name)) {
            None => v.push(&format!("{field}.options.{name}"), "is not an option of the product"),
            Some(o) => match o.values.iter().find(|x| x.eq_ignore_ascii_case(value.trim())) {
                None => v.push(&format!("{field}.options.{name}"), format!("must be one of: {}", o.values.join(", "))),
                Some(x) => {
                    resolved.insert(o.name.clone(), x.clone());
                }
            },
        }
    }
    for o in options {
        if !input.options.keys().any(|k| k.eq_ignore_ascii_case(&o.name)) {
            v.push(&format!("{field}.options.{}", o.name), "is required");
        }
    }
    let title = if title.is_empty() { resolved.values().cloned().collect::<Vec<_>>().join(" / ") } else { title };
    Ok(VariantDraft {
        sku,
        title,
        option_values: serde_json::to_string(&resolved).map_err(Error::internal)?,
        options: resolved,
        price: price_minor,
        compare_at,
        weight_g: v.check(measure(&format!("{field}.weight_g"), input.weight_g)),
        length_mm: v.check(measure(&format!("{field}.length_mm"), input.length_mm)),
        width_mm: v.check(measure(&format!("{field}.width_mm"), input.width_mm)),
        height_mm: v.check(measure(&format!("{field}.height_mm"), input.height_mm)),
        barcode,
    })
}

/// Validates a product's variants together: SKUs and option combinations must be distinct.
pub(crate) fn variant_drafts(
    v: &mut Validation,
    currency: &str,
    options: &[ProductOption],
    inputs: &[VariantInput],
) -> Result<Vec<VariantDraft>> {
    if inputs.is_empty() || inputs.len() > MAX_VARIANTS {
        v.push("variants", format!("must hold 1 to {MAX_VARIANTS} variants"));
    }
    if options.is_empty() && inputs.len() > 1 {
        v.push("options", "are needed to tell several variants apart");
    }
    let mut drafts: Vec<VariantDraft> = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let d = variant_draft(v, &format!("variants[{i}]"), currency, options, input)?;
        if drafts.iter().any(|x| x.sku == d.sku && !d.sku.is_empty()) {
            v.push(&format!("variants[{i}].sku"), "is repeated");
        }
        if !options.is_empty() && drafts.iter().any(|x| x.options == d.options) {
            v.push(&format!("variants[{i}].options"), "repeat another variant's");
        }
        drafts.push(d);
    }
    Ok(drafts)
}

/// New options must still describe every existing variant.
pub(crate) fn check_options_fit(options: &[ProductOption], variants: &[VariantRow]) -> Result<()> {
    for var in variants {
        let values: BTreeMap<String, String> = serde_json::from_str(&var.option_values).unwrap_or_default();
        let fits = values.len() == options.len()
            && values.iter().all(|(k, x)| options.iter().any(|o| &o.name == k && o.values.contains(x)));
        if !fits {
            return Err(Error::conflict(
                "options_in_use",
                format!("Variant {} uses option values the new options lack; change it first.", var.sku),
            ));
        }
    }
    Ok(())
}

pub(crate) fn variant_dto(v: &VariantRow) -> VariantDto {
    VariantDto {
        id: v.id.clone(),
        sku: v.sku.clone(),
        title: v.title.clone(),
        options: serde_json::from_str(&v.option_values).unwrap_or_default(),
        price: v.price_minor,
        compare_at_price: v.compare_at_minor,
        currency: v.currency.clone(),
        on_sale: v.compare_at_minor.is_some_and(|c| c > v.price_minor),
        weight_g: v.weight_g,
        length_mm: v.length_mm,
        width_mm: v.width_mm,
        height_mm: v.height_mm,
        barcode: v.barcode.clone(),
    }
}

fn variant_not_found() -> Error {
    Error::not_found("variant_not_found", "No such variant of this product.")
}

impl CatalogService {
    pub async fn variant_add(&self, p: &Principal, key: &str, input: VariantInput) -> Result<ProductDto> {
        self.variant_write(p, key, None, input).await
    }

    pub async fn variant_update(&self, p: &Principal, key: &str, id: &str, input: VariantInput) -> Result<ProductDto> {
        self.variant_write(p, key, Some(id), input).await
    }

    async fn variant_write(
        &self,
        p: &Principal,
        key: &str,
        id: Option<&str>,
        input: VariantInput,
    ) -> Result<ProductDto> {
        let scope = write_scope(p)?;
        let mut tx = self.db.begin().await?;
        let product = owned_product(&mut tx, scope, key).await?;
        let options: Vec<ProductOption> = serde_json::from_str(&product.options).unwrap_or_default();
        let existing = sql::variants_of(&mut tx, &product.id).await?;
        let current = match id {
            None => None,
            Some(id) => Some(existing.iter().find(|v| v.id == id).ok_or_else(variant_not_found)?),
        };
        let mut v = Validation::default();
        let draft = variant_draft(&mut v, "variant", &self.config.currency, &options, &input)?;
        let others = existing.iter().filter(|e| Some(e.id.as_str()) != id);
        for other in others {
            let values: BTreeMap<String, String> = serde_json::from_str(&other.option_values).unwrap_or_default();
            if options.is_empty() {
                v.push("options", "are needed to tell several variants apart");
                break;
            }
            if values == draft.options {
                v.push("variant.options", format!("are those of variant {}", other.sku));
            }
            if other.sku == draft.sku {
                v.push("variant.sku", "is repeated in this product");
            }
        }
        if id.is_none() && existing.len() >= MAX_VARIANTS {
            v.push("variants", format!("a product may have at most {MAX_VARIANTS} variants"));
        }
        v.finish()?;
        if !sql::skus_taken(&mut tx, std::slice::from_ref(&draft.sku), &product.id, &product.seller_id)
            .await?
            .is_empty()
        {
            return Err(Error::conflict("sku_taken", format!("SKU {} belongs to another product.", draft.sku)));
        }
        match current {
            None => {
                let row = draft.into_row(new_id("var"), &product.id, existing.len() as i64, &self.config.currency);
                sql::variant_insert(&mut tx, &row).await.map_err(write_conflict)?;
            }
            Some(current) => {
                let row = draft.into_row(current.id.clone(), &product.id, current.position, &current.currency);
                sql::variant_update(&mut tx, &row).await.map_err(write_conflict)?;
                if row.price_minor != current.price_minor {
                    let changed = VariantPriceChanged {
                        product_id: product.id.clone(),
                        variant_id: row.id.clone(),
                        sku: row.sku.clone(),
                        seller_id: product.seller_id.clone(),
                        from: current.price_minor,
                        to: row.price_minor,
                        currency: row.currency.clone(),
                    };
                    ::store::outbox::emit(&mut tx, &changed).await?;
                }
            }
        }
        crate::store::products::product_touch(&mut tx, &product.id).await?;
        self.product_changed(&mut tx, &product, None).await?;
        tx.commit().await?;
        self.product_detail(&product.id, true).await
    }

    /// Removes a variant; the last one stays (archive the product instead).
    pub async fn variant_delete(&self, p: &Principal, key: &str, id: &str) -> Result<ProductDto> {
        let scope = write_scope(p)?;
        let mut tx = self.db.begin().await?;
        let product = owned_product(&mut tx, scope, key).await?;
        let existing = sql::variants_of(&mut tx, &product.id).await?;
        if !existing.iter().any(|v| v.id == id) {
            return Err(variant_not_found());
        }
        if existing.len() == 1 {
            return Err(Error::conflict("last_variant", "A product keeps at least one variant; archive it instead."));
        }
        sql::variant_delete(&mut tx, id).await?;
        crate::store::products::product_touch(&mut tx, &product.id).await?;
        self.product_changed(&mut tx, &product, None).await?;
        tx.commit().await?;
        self.product_detail(&product.id, true).await
    }
}
