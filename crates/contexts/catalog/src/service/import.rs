//! CSV import and export of products and variants, one row per variant.
//!
//! An import is checked whole before anything is written: every faulty line is reported, and
//! either every row is applied in one transaction or none is.

use super::guards::write_conflict;
use super::products::{resolve_refs, unique_slug};
use super::variants::variant_drafts;
use super::{CatalogService, write_scope};
use crate::dto::{ImportReport, ProductCreate, ProductOption, VariantInput};
use crate::store::products::{self as sql, ProductRow};
use kernel::auth::Principal;
use kernel::error::FieldError;
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{Error, ErrorKind, Result, Validation};
use std::collections::{BTreeMap, HashMap};

pub const COLUMNS: [&str; 19] = [
    "product_slug",
    "title",
    "description",
    "status",
    "brand",
    "category",
    "attributes",
    "options",
    "sku",
    "variant_title",
    "option_values",
    "price",
    "compare_at_price",
    "currency",
    "weight_g",
    "length_mm",
    "width_mm",
    "height_mm",
    "barcode",
];

/// Rows one import may hold; bigger catalogs are imported in parts.
pub const MAX_ROWS: usize = 50_000;
const MAX_REPORTED: usize = 500;

struct Line {
    number: usize,
    cells: HashMap<&'static str, String>,
}

impl Line {
    fn get(&self, column: &str) -> &str {
        self.cells.get(column).map_or("", |s| s.trim())
    }
}

fn import_error(errors: Vec<FieldError>) -> Error {
    Error::new(ErrorKind::Invalid, "import_invalid", "The file has errors; nothing was imported.").with_errors(errors)
}

fn line_error(line: usize, column: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: format!("line {line}: {column}"), message: message.into() }
}

/// `Size=S|M|L;Colour=Red|Blue`
fn parse_options(text: &str) -> std::result::Result<Vec<ProductOption>, String> {
    text.split(';')
        .filter(|s| !s.trim().is_empty())
        .map(|part| {
            let (name, values) = part.split_once('=').ok_or("must look like Size=S|M|L;Colour=Red|Blue")?;
            Ok(ProductOption {
                name: name.trim().into(),
                values: values.split('|').map(|v| v.trim().to_owned()).collect(),
            })
        })
        .collect()
}

/// `Size=S;Colour=Red`
fn parse_values(text: &str) -> std::result::Result<BTreeMap<String, String>, String> {
    text.split(';')
        .filter(|s| !s.trim().is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').ok_or("must look like Size=S;Colour=Red")?;
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        })
        .collect()
}

fn int(line: &Line, column: &'static str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let text = line.get(column);
    if text.is_empty() {
        return None;
    }
    match text.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(line_error(
                line.number,
                column,
                "must be a whole number (prices in minor units, e.g. 1999 for 19.99)",
            ));
            None
        }
    }
}

/// A cell a spreadsheet would run as a formula (OWASP's CSV injection list).
fn formula_like(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A cell that export neutralised: a quote before a formula-like (or itself quoted) cell.
fn neutralised(cell: &str) -> bool {
    cell.strip_prefix('\'').is_some_and(|rest| formula_like(rest) || neutralised(rest))
}

/// Export's cell text: a leading quote makes spreadsheets show the text instead of running it.
/// Quoting already-quoted cells too keeps the mapping reversible.
fn cell_out(cell: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(cell) || neutralised(cell) { format!("'{cell}").into() } else { cell.into() }
}

/// Import's inverse of [`cell_out`]; a hand-written `'Tis` stays as it is.
fn cell_in(cell: &str) -> &str {
    if neutralised(cell) { &cell[1..] } else { cell }
}

fn read_lines(csv_text: &[u8]) -> Result<Vec<Line>> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(csv_text);
    let headers = reader.headers().map_err(|e| import_error(vec![line_error(1, "header", e.to_string())]))?.clone();
    let mut index: Vec<(usize, &'static str)> = Vec::new();
    let mut errors = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        match COLUMNS.iter().find(|c| c.eq_ignore_ascii_case(h.trim())) {
            Some(c) => index.push((i, c)),
            None => errors.push(line_error(1, h, format!("is not a column; the columns are {}", COLUMNS.join(", ")))),
        }
    }
    for required in ["product_slug", "title", "sku", "price"] {
        if !index.iter().any(|(_, c)| *c == required) {
            errors.push(line_error(1, required, "column is missing"));
        }
    }
    let mut lines = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let number = n + 2;
        if lines.len() >= MAX_ROWS {
            errors.push(line_error(number, "file", format!("an import holds at most {MAX_ROWS} rows")));
            break;
        }
        match record {
            Err(e) => errors.push(line_error(number, "row", e.to_string())),
            Ok(r) => lines.push(Line {
                number,
                cells: index.iter().map(|(i, c)| (*c, cell_in(r.get(*i).unwrap_or("")).to_owned())).collect(),
            }),
        }
    }
    if lines.is_empty() && errors.is_empty() {
        errors.push(line_error(2, "file", "holds no rows"));
    }
    if errors.is_empty() { Ok(lines) } else { Err(import_error(errors)) }
}

struct Planned {
    slug: String,
    input: ProductCreate,
    lines: Vec<usize>,
}

impl CatalogService {
    /// Validates every row, then writes all of it in one transaction (or nothing).
    pub async fn product_import(&self, p: &Principal, seller: Option<&str>, csv_text: &[u8]) -> Result<ImportReport> {
        let scope = write_scope(p)?;
        let seller_id = match (scope, seller) {
            (Some(own), _) => own.to_owned(),
            (None, Some(s)) => s.to_owned(),
            (None, None) => return Err(Error::invalid_field("seller_id", "is required when an admin imports")),
        };
        let lines = read_lines(csv_text)?;
        let mut errors = Vec::new();
        let mut groups: Vec<Planned> = Vec::new();
        for line in &lines {
            let slug = line.get("product_slug").to_owned();
            let options = parse_options(line.get("options")).unwrap_or_else(|m| {
                errors.push(line_error(line.number, "options", m));
                Vec::new()
            });
            let option_values = parse_values(line.get("option_values")).unwrap_or_else(|m| {
                errors.push(line_error(line.number, "option_values", m));
                BTreeMap::new()
            });
            let variant = VariantInput {
                sku: line.get("sku").into(),
                title: Some(line.get("variant_title").into()),
                options: option_values,
                price: int(line, "price", &mut errors).unwrap_or(-1),
                compare_at_price: int(line, "compare_at_price", &mut errors),
                currency: Some(line.get("currency").to_owned()).filter(|c| !c.is_empty()),
                weight_g: int(line, "weight_g", &mut errors),
                length_mm: int(line, "length_mm", &mut errors),
                width_mm: int(line, "width_mm", &mut errors),
                height_mm: int(line, "height_mm", &mut errors),
                barcode: Some(line.get("barcode").to_owned()),
            };
            if let Some(g) = groups.iter_mut().find(|g| g.slug == slug && !slug.is_empty()) {
                g.input.variants.push(variant);
                g.lines.push(line.number);
                continue;
            }
            let attributes = match line.get("attributes") {
                "" => None,
                text => match serde_json::from_str(text) {
                    Ok(v) => Some(v),
                    Err(_) => {
                        errors.push(line_error(line.number, "attributes", "must be a JSON object"));
                        None
                    }
                },
            };
            let input = ProductCreate {
                title: line.get("title").into(),
                slug: Some(slug.clone()),
                description: Some(line.get("description").into()),
                brand_id: Some(line.get("brand").to_owned()).filter(|b| !b.is_empty()),
                category_id: Some(line.get("category").to_owned()).filter(|c| !c.is_empty()),
                status: Some(line.get("status").to_owned()).filter(|s| !s.is_empty()),
                attributes,
                options,
                variants: vec![variant],
                seller_id: None,
            };
            groups.push(Planned { slug, input, lines: vec![line.number] });
        }
        let t = self.taxonomy().await?;
        let mut all_skus: HashMap<String, usize> = HashMap::new();
        for g in &groups {
            let first = g.lines[0];
            let mut v = Validation::default();
            let draft = self.product_draft(&mut v, &g.input);
            let drafts =
                draft.and_then(|d| variant_drafts(&mut v, &self.config.currency, &d.options, &g.input.variants));
            let found = match (drafts, v.finish()) {
                (Ok(drafts), Ok(())) => drafts,
                (Err(e), _) | (Ok(_), Err(e)) => {
                    let fallback = vec![FieldError { field: e.code.to_string(), message: e.detail.to_string() }];
                    for fe in if e.errors.is_empty() { fallback } else { e.errors } {
                        let line = variant_line(&fe.field, &g.lines).unwrap_or(first);
                        errors.push(line_error(line, &fe.field, fe.message));
                    }
                    continue;
                }
            };
            if let Err(e) = resolve_refs(&t, g.input.brand_id.as_deref(), g.input.category_id.as_deref()) {
                for fe in e.errors {
                    errors.push(line_error(first, &fe.field, fe.message));
                }
            }
            for (d, line) in found.iter().zip(&g.lines) {
                if let Some(other) = all_skus.insert(d.sku.clone(), *line) {
                    errors.push(line_error(*line, "sku", format!("repeats line {other}")));
                }
            }
        }
        let mut tx = self.db.begin().await?;
        let mut existing: HashMap<String, ProductRow> = HashMap::new();
        for g in &groups {
            if let Some(row) = sql::product_get(&mut tx, &g.slug).await? {
                if row.seller_id != seller_id {
                    errors.push(line_error(g.lines[0], "product_slug", "is taken by another store's product"));
                } else {
                    existing.insert(g.slug.clone(), row);
                }
            }
        }
        // Checked whatever else is wrong, so that every faulty line is reported at once.
        for g in &groups {
            let skus: Vec<String> = g.input.variants.iter().map(|v| v.sku.trim().to_ascii_uppercase()).collect();
            let except = existing.get(&g.slug).map_or("", |r| r.id.as_str());
            for taken in sql::skus_taken(&mut tx, &skus, except, &seller_id).await? {
                let line = skus.iter().position(|s| *s == taken).and_then(|i| g.lines.get(i)).copied();
                errors.push(line_error(
                    line.unwrap_or(g.lines[0]),
                    "sku",
                    format!("{taken} belongs to another product"),
                ));
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| {
                e.field.split(':').next().and_then(|l| l.trim_start_matches("line ").parse::<usize>().ok())
            });
            errors.truncate(MAX_REPORTED);
            return Err(import_error(errors));
        }
        let mut report = ImportReport { products_created: 0, products_updated: 0, variants_written: 0 };
        for g in groups {
            let written = self.import_group(&mut tx, &seller_id, existing.remove(&g.slug), g.input).await?;
            report.variants_written += written.1;
            if written.0 { report.products_created += 1 } else { report.products_updated += 1 }
        }
        tx.commit().await?;
        Ok(report)
    }

    /// Writes one product of a checked import; returns (created, variants written).
    async fn import_group(
        &self,
        tx: &mut store::Tx,
        seller_id: &str,
        existing: Option<ProductRow>,
        input: ProductCreate,
    ) -> Result<(bool, usize)> {
        let t = self.taxonomy().await?;
        let mut v = Validation::default();
        let draft = self.product_draft(&mut v, &input)?;
        let drafts = variant_drafts(&mut v, &self.config.currency, &draft.options, &input.variants)?;
        v.finish()?;
        let (brand_id, category_id) = resolve_refs(&t, draft.brand_id.as_deref(), draft.category_id.as_deref())?;
        let now = Timestamp::now().as_micros();
        let created = existing.is_none();
        let mut row = match existing {
            Some(row) => row,
            None => {
                let id = new_id("prd");
                let slug = unique_slug(tx, draft.slug.as_deref(), &draft.title, &id).await?;
                ProductRow {
                    id,
                    seller_id: seller_id.into(),
                    slug,
                    title: String::new(),
                    description: String::new(),
                    brand_id: None,
                    category_id: None,
                    status: String::new(),
                    attributes: String::new(),
                    options: String::new(),
                    rating_count: 0,
                    rating_sum: 0,
                    rating_hist: "[0,0,0,0,0]".into(),
                    created_at: now,
                    updated_at: now,
                }
            }
        };
        row.title = draft.title;
        row.description = draft.description;
        row.brand_id = brand_id;
        row.category_id = category_id;
        row.status = draft.status.as_str().into();
        row.attributes = draft.attributes;
        row.options = serde_json::to_string(&draft.options).map_err(Error::internal)?;
        if created {
            sql::product_insert(tx, &row).await.map_err(write_conflict)?;
        } else {
            sql::product_update(tx, &row).await.map_err(write_conflict)?;
        }
        let current = sql::variants_of(tx, &row.id).await?;
        let count = drafts.len();
        for (i, d) in drafts.into_iter().enumerate() {
            match current.iter().find(|c| c.sku == d.sku) {
                Some(c) => sql::variant_update(tx, &d.into_row(c.id.clone(), &row.id, c.position, &c.currency)).await,
                None => {
                    sql::variant_insert(
                        tx,
                        &d.into_row(new_id("var"), &row.id, (current.len() + i) as i64, &self.config.currency),
                    )
                    .await
                }
            }
            .map_err(write_conflict)?;
        }
        if !created {
            let all = sql::variants_of(tx, &row.id).await?;
            super::variants::check_options_fit(
                &serde_json::from_str::<Vec<ProductOption>>(&row.options).unwrap_or_default(),
                &all,
            )?;
        }
        self.product_changed(tx, &row, None).await?;
        Ok((created, count))
    }

    /// Every product and variant of the caller's store (an admin: of `seller`, or all) as CSV.
    pub async fn product_export(&self, p: &Principal, seller: Option<&str>) -> Result<String> {
        let scope = write_scope(p)?;
        let seller = scope.or(seller);
        let t = self.taxonomy().await?;
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(COLUMNS).map_err(Error::internal)?;
        let mut before: Option<String> = None;
        let mut db = self.db.clone();
        loop {
            let rows = sql::product_list(&mut db, seller, None, before.as_deref(), 500).await?;
            let Some(last) = rows.iter().take(500).next_back() else { break };
            before = Some(last.id.clone());
            let more = rows.len() > 500;
            let ids: Vec<String> = rows.iter().take(500).map(|r| r.id.clone()).collect();
            let variants = sql::variants_of_many(&mut db, &ids).await?;
            for r in rows.iter().take(500) {
                let options: Vec<ProductOption> = serde_json::from_str(&r.options).unwrap_or_default();
                let options =
                    options.iter().map(|o| format!("{}={}", o.name, o.values.join("|"))).collect::<Vec<_>>().join(";");
                let brand = r.brand_id.as_deref().and_then(|b| t.brand(b)).map(|b| b.slug.clone()).unwrap_or_default();
                let category =
                    r.category_id.as_deref().and_then(|c| t.category(c)).map(|c| c.slug.clone()).unwrap_or_default();
                for v in variants.iter().filter(|v| v.product_id == r.id) {
                    let values: BTreeMap<String, String> = serde_json::from_str(&v.option_values).unwrap_or_default();
                    let values = values.iter().map(|(k, x)| format!("{k}={x}")).collect::<Vec<_>>().join(";");
                    let opt = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
                    let record = [
                        r.slug.as_str(),
                        &r.title,
                        &r.description,
                        &r.status,
                        &brand,
                        &category,
                        &r.attributes,
                        &options,
                        &v.sku,
                        &v.title,
                        &values,
                        &v.price_minor.to_string(),
                        &opt(v.compare_at_minor),
                        &v.currency,
                        &opt(v.weight_g),
                        &opt(v.length_mm),
                        &opt(v.width_mm),
                        &opt(v.height_mm),
                        v.barcode.as_deref().unwrap_or(""),
                    ];
                    out.write_record(record.iter().map(|c| cell_out(c).into_owned())).map_err(Error::internal)?;
                }
            }
            if !more {
                break;
            }
        }
        let bytes = out.into_inner().map_err(|e| Error::internal(e.to_string()))?;
        String::from_utf8(bytes).map_err(Error::internal)
    }
}

/// The file line of a `variants[i]…` field of a group.
fn variant_line(field: &str, lines: &[usize]) -> Option<usize> {
    let rest = field.strip_prefix("variants[")?;
    let i: usize = rest.split(']').next()?.parse().ok()?;
    lines.get(i).copied()
}
