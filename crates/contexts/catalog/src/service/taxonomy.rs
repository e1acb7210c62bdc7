//! Categories (a tree) and brands: read by everyone, written by admins.

use super::CatalogService;
use crate::api::events::TaxonomyChanged;
use crate::domain::{Slug, optional_text, required_text, slugify};
use crate::dto::{BrandDto, BrandInput, CategoryDto, CategoryInput, CategoryRef};
use crate::store::taxonomy::{self as sql, BrandRow, CategoryRow};
use kernel::auth::Principal;
use kernel::id::new_id;
use kernel::{Error, Result, Validation};
use std::collections::HashMap;
use store::{Db, outbox};

/// Deeper trees are a modelling mistake, and the bound keeps path walks cheap.
const MAX_DEPTH: usize = 8;

/// Every category and brand, indexed for lookups by id or slug.
#[derive(Debug, Default)]
pub struct Taxonomy {
    categories: HashMap<String, CategoryRow>,
    category_slugs: HashMap<String, String>,
    children: HashMap<Option<String>, Vec<String>>,
    brands: HashMap<String, BrandRow>,
    brand_slugs: HashMap<String, String>,
    ordered_categories: Vec<String>,
}

impl Taxonomy {
    pub async fn load(db: &Db) -> Result<Self> {
        let categories = sql::category_all(db).await?;
        let brands = sql::brand_all(db).await?;
        let mut t = Self::default();
        for c in categories {
            t.category_slugs.insert(c.slug.clone(), c.id.clone());
            t.children.entry(c.parent_id.clone()).or_default().push(c.id.clone());
            t.ordered_categories.push(c.id.clone());
            t.categories.insert(c.id.clone(), c);
        }
        for b in brands {
            t.brand_slugs.insert(b.slug.clone(), b.id.clone());
            t.brands.insert(b.id.clone(), b);
        }
        Ok(t)
    }

    pub fn category(&self, id_or_slug: &str) -> Option<&CategoryRow> {
        self.categories
            .get(id_or_slug)
            .or_else(|| self.category_slugs.get(id_or_slug).and_then(|id| self.categories.get(id)))
    }

    pub fn brand(&self, id_or_slug: &str) -> Option<&BrandRow> {
        self.brands.get(id_or_slug).or_else(|| self.brand_slugs.get(id_or_slug).and_then(|id| self.brands.get(id)))
    }

    pub fn brands(&self) -> impl Iterator<Item = &BrandRow> {
        self.brands.values()
    }

    /// From the root down to `id` (inclusive).
    pub fn path(&self, id: &str) -> Vec<&CategoryRow> {
        let mut path = Vec::new();
        let mut cursor = self.categories.get(id);
        while let Some(c) = cursor {
            if path.len() > MAX_DEPTH {
                break;
            }
            path.push(c);
            cursor = c.parent_id.as_deref().and_then(|p| self.categories.get(p));
        }
        path.reverse();
        path
    }

    pub fn children_of(&self, id: Option<&str>) -> Vec<&CategoryRow> {
        self.children
            .get(&id.map(str::to_owned))
            .map(|ids| ids.iter().filter_map(|i| self.categories.get(i)).collect())
            .unwrap_or_default()
    }

    /// `id` and every category below it.
    pub fn subtree(&self, id: &str) -> Vec<String> {
        let mut out = vec![id.to_owned()];
        let mut i = 0;
        while let Some(current) = out.get(i).cloned() {
            out.extend(self.children_of(Some(&current)).into_iter().map(|c| c.id.clone()));
            i += 1;
        }
        out
    }

    pub fn category_dto(&self, c: &CategoryRow) -> CategoryDto {
        CategoryDto {
            id: c.id.clone(),
            parent_id: c.parent_id.clone(),
            slug: c.slug.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            position: c.position,
            breadcrumbs: self.path(&c.id).into_iter().map(category_ref).collect(),
            children: self.children_of(Some(&c.id)).into_iter().map(category_ref).collect(),
        }
    }

    pub fn categories_in_order(&self) -> impl Iterator<Item = &CategoryRow> {
        self.ordered_categories.iter().filter_map(|id| self.categories.get(id))
    }
}

pub fn category_ref(c: &CategoryRow) -> CategoryRef {
    CategoryRef { id: c.id.clone(), slug: c.slug.clone(), name: c.name.clone() }
}

pub fn brand_dto(b: &BrandRow) -> BrandDto {
    BrandDto { id: b.id.clone(), slug: b.slug.clone(), name: b.name.clone(), description: b.description.clone() }
}

fn slug_or_name(v: &mut Validation, slug: Option<&str>, name: &str) -> String {
    match slug {
        Some(s) => v.check(Slug::parse("slug", s).map(Slug::into_inner)),
        None => {
            let s = slugify(name);
            if s.is_empty() {
                v.push("slug", "cannot be made from this name; give one");
            }
            s
        }
    }
}

fn taken(e: store::Error, what: &'static str) -> Error {
    if e.is_unique_violation() { Error::conflict(what, "The slug is taken.") } else { e.into() }
}

impl CatalogService {
    pub async fn category_list(&self) -> Result<Vec<CategoryDto>> {
        let t = self.taxonomy().await?;
        Ok(t.categories_in_order().map(|c| t.category_dto(c)).collect())
    }

    pub async fn category_get(&self, id_or_slug: &str) -> Result<CategoryDto> {
        let t = self.taxonomy().await?;
        let c = t.category(id_or_slug).ok_or_else(|| Error::not_found("category_not_found", "No such category."))?;
        Ok(t.category_dto(c))
    }

    /// Creates a category (`id` None) or replaces one.
    pub async fn category_save(&self, p: &Principal, id: Option<&str>, input: CategoryInput) -> Result<CategoryDto> {
        p.require_scope(crate::api::TAXONOMY_WRITE)?;
        let mut v = Validation::default();
        let name = v.check(required_text("name", &input.name, 100));
        let description = v.check(optional_text("description", input.description.as_deref().unwrap_or(""), 2000));
        let slug = slug_or_name(&mut v, input.slug.as_deref(), &name);
        let t = self.taxonomy().await?;
        let parent_id = match input.parent_id.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(parent) => match t.category(parent) {
                None => {
                    v.push("parent_id", "is not a category");
                    None
                }
                Some(parent) if id.is_some_and(|id| t.path(&parent.id).iter().any(|c| c.id == id)) => {
                    v.push("parent_id", "would put the category inside itself");
                    None
                }
                Some(parent) if t.path(&parent.id).len() >= MAX_DEPTH => {
                    v.push("parent_id", format!("the tree may be at most {MAX_DEPTH} levels deep"));
                    None
                }
                Some(parent) => Some(parent.id.clone()),
            },
        };
        v.finish()?;
        let existing = id
            .map(|i| t.category(i).cloned().ok_or_else(|| Error::not_found("category_not_found", "No such category.")));
        let existing = existing.transpose()?;
        let row = CategoryRow {
            id: existing.as_ref().map_or_else(|| new_id("cat"), |c| c.id.clone()),
            parent_id,
            slug,
            name,
            description,
            position: input.position.unwrap_or(0),
        };
        let mut tx = self.db.begin().await?;
        match &existing {
            None => sql::category_insert(&mut tx, &row).await.map_err(|e| taken(e, "category_slug_taken"))?,
            Some(_) => {
                sql::category_update(&mut tx, &row).await.map_err(|e| taken(e, "category_slug_taken"))?;
                outbox::emit(&mut tx, &TaxonomyChanged { kind: "category".into(), id: row.id.clone() }).await?;
            }
        }
        tx.commit().await?;
        self.taxonomy_forget();
        let t = self.taxonomy().await?;
        let saved = t.category(&row.id).ok_or_else(|| Error::internal("category vanished"))?;
        Ok(t.category_dto(saved))
    }

    /// Deletes an unused category (no products, no children).
    pub async fn category_delete(&self, p: &Principal, id: &str) -> Result<()> {
        p.require_scope(crate::api::TAXONOMY_WRITE)?;
        let t = self.taxonomy().await?;
        let c = t.category(id).ok_or_else(|| Error::not_found("category_not_found", "No such category."))?;
        let mut tx = self.db.begin().await?;
        if sql::category_usage(&mut tx, &c.id).await? > 0 {
            return Err(Error::conflict("category_in_use", "Products or subcategories still use this category."));
        }
        sql::category_delete(&mut tx, &c.id).await?;
        // Listings cached with the category (as a filter or a facet) must learn it is gone.
        outbox::emit(&mut tx, &TaxonomyChanged { kind: "category".into(), id: c.id.clone() }).await?;
        tx.commit().await?;
        self.taxonomy_forget();
        Ok(())
    }

    pub async fn brand_list(&self) -> Result<Vec<BrandDto>> {
        let t = self.taxonomy().await?;
        let mut brands: Vec<BrandDto> = t.brands().map(brand_dto).collect();
        brands.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(brands)
    }

    pub async fn brand_get(&self, id_or_slug: &str) -> Result<BrandDto> {
        let t = self.taxonomy().await?;
        t.brand(id_or_slug).map(brand_dto).ok_or_else(|| Error::not_found("brand_not_found", "No such brand."))
    }

    pub async fn brand_save(&self, p: &Principal, id: Option<&str>, input: BrandInput) -> Result<BrandDto> {
        p.require_scope(crate::api::TAXONOMY_WRITE)?;
        let mut v = Validation::default();
        let name = v.check(required_text("name", &input.name, 100));
        let description = v.check(optional_text("description", input.description.as_deref().unwrap_or(""), 2000));
        let slug = slug_or_name(&mut v, input.slug.as_deref(), &name);
        v.finish()?;
        let t = self.taxonomy().await?;
        let existing =
            id.map(|i| t.brand(i).cloned().ok_or_else(|| Error::not_found("brand_not_found", "No such brand.")));
        let existing = existing.transpose()?;
        let row =
            BrandRow { id: existing.as_ref().map_or_else(|| new_id("brd"), |b| b.id.clone()), slug, name, description };
        let mut tx = self.db.begin().await?;
        match &existing {
            None => sql::brand_insert(&mut tx, &row).await.map_err(|e| taken(e, "brand_slug_taken"))?,
            Some(_) => {
                sql::brand_update(&mut tx, &row).await.map_err(|e| taken(e, "brand_slug_taken"))?;
                outbox::emit(&mut tx, &TaxonomyChanged { kind: "brand".into(), id: row.id.clone() }).await?;
            }
        }
        tx.commit().await?;
        self.taxonomy_forget();
        Ok(brand_dto(&row))
    }

    pub async fn brand_delete(&self, p: &Principal, id: &str) -> Result<()> {
        p.require_scope(crate::api::TAXONOMY_WRITE)?;
        let t = self.taxonomy().await?;
        let b = t.brand(id).ok_or_else(|| Error::not_found("brand_not_found", "No such brand."))?;
        let mut tx = self.db.begin().await?;
        if sql::brand_usage(&mut tx, &b.id).await? > 0 {
            return Err(Error::conflict("brand_in_use", "Products still use this brand."));
        }
        sql::brand_delete(&mut tx, &b.id).await?;
        outbox::emit(&mut tx, &TaxonomyChanged { kind: "brand".into(), id: b.id.clone() }).await?;
        tx.commit().await?;
        self.taxonomy_forget();
        Ok(())
    }
}
