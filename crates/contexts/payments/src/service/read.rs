//! What callers may see: a customer their own payments, a seller those covering its sales,
//! an admin every one. Another's payment is 404, never 403.

use super::{PaymentsService, load, not_found, payment_of};
use crate::api::PAYMENTS_READ;
use crate::domain::{EntryKind, PaymentState};
use crate::dto::{LedgerEntryDto, PaymentDetailDto, PaymentDto, TransitionDto};
use crate::store::{self as sql, PaymentRow};
use kernel::Result;
use kernel::auth::{Principal, Role};
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;

impl PaymentsService {
    pub async fn payment_get(&self, p: &Principal, id: &str) -> Result<PaymentDetailDto> {
        p.require_scope(PAYMENTS_READ)?;
        let mut q = self.db.clone();
        let row = load(&mut q, id).await?;
        let visible = match p.role {
            Role::Admin => true,
            Role::Seller => {
                sql::seller_has(&mut q, id, &p.user_id).await? || row.customer_id.as_deref() == Some(&p.user_id)
            }
            Role::Customer => row.customer_id.as_deref() == Some(&p.user_id),
        };
        if !visible {
            return Err(not_found());
        }
        self.payment_detail(row).await
    }

    /// A payment with its ledger and history, for a caller already allowed to see it.
    pub(super) async fn payment_detail(&self, row: PaymentRow) -> Result<PaymentDetailDto> {
        let mut q = self.db.clone();
        let id = row.id.clone();
        let id = id.as_str();
        let ledger = sql::entry_list(&mut q, id)
            .await?
            .into_iter()
            .filter_map(|e| {
                Some(LedgerEntryDto {
                    kind: EntryKind::parse(&e.kind)?,
                    id: e.id,
                    amount: e.amount,
                    currency: e.currency,
                    provider_ref: e.provider_ref,
                    status: e.status,
                    reason: e.reason,
                    created_at: Timestamp::from_micros(e.created_at),
                })
            })
            .collect();
        let history = sql::history_list(&mut q, id)
            .await?
            .into_iter()
            .filter_map(|h| {
                Some(TransitionDto {
                    from: h.from_state.as_deref().and_then(PaymentState::parse),
                    to: PaymentState::parse(&h.to_state)?,
                    actor: h.actor,
                    reason: h.reason,
                    at: Timestamp::from_micros(h.at),
                })
            })
            .collect();
        Ok(PaymentDetailDto { payment: self.dto(row).await?, ledger, history })
    }

    /// Newest first.
    pub async fn payment_list(&self, p: &Principal, page: PageParams) -> Result<Page<PaymentDto>> {
        p.require_scope(PAYMENTS_READ)?;
        let page = page.validate()?;
        let (customer, seller) = match p.role {
            Role::Admin => (None, None),
            Role::Seller => (None, Some(p.user_id.as_str())),
            Role::Customer => (Some(p.user_id.as_str()), None),
        };
        let limit = i64::from(page.limit) + 1;
        let rows = sql::payment_list(&mut self.db.clone(), customer, seller, page.after.as_deref(), limit).await?;
        let page = Page::from_rows(rows, page.limit, |r| &r.id);
        let mut items = Vec::with_capacity(page.items.len());
        for row in page.items {
            items.push(self.dto(row).await?);
        }
        Ok(Page { items, next_cursor: page.next_cursor })
    }

    async fn dto(&self, row: PaymentRow) -> Result<PaymentDto> {
        let (created_at, updated_at) = (Timestamp::from_micros(row.created_at), Timestamp::from_micros(row.updated_at));
        let p = payment_of(&mut self.db.clone(), row).await?;
        Ok(PaymentDto {
            id: p.id,
            reference: p.reference,
            customer_id: p.customer_id,
            state: p.state,
            amount: p.amount,
            currency: p.currency,
            provider: p.provider,
            amounts: p.amounts,
            next_action: p.next_action,
            failure_code: p.failure_code,
            created_at,
            updated_at,
        })
    }
}
