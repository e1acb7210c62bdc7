//! Messages from templates: per kind a `<kind>.txt` (blocks `subject`, `text`, `sms` when
//! the kind goes out by text, `push` when a push says more or less than the SMS would) and a `<kind>.html` (HTML-escaped, inside `layout.html`). A
//! variable a template uses but the message lacks is an error naming it, never a blank.

use crate::domain::Kind;
use minijinja::{Environment, ErrorKind, UndefinedBehavior, Value};
use std::path::Path;

/// What a message says, on each channel.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub sms: Option<String>,
    pub push: Option<String>,
}

/// Every template the shop ships, by name.
const BUILT_IN: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("macros.txt", include_str!("../templates/macros.txt")),
    ("email_verification.txt", include_str!("../templates/email_verification.txt")),
    ("email_verification.html", include_str!("../templates/email_verification.html")),
    ("password_reset.txt", include_str!("../templates/password_reset.txt")),
    ("password_reset.html", include_str!("../templates/password_reset.html")),
    ("password_changed.txt", include_str!("../templates/password_changed.txt")),
    ("password_changed.html", include_str!("../templates/password_changed.html")),
    ("order_confirmed.txt", include_str!("../templates/order_confirmed.txt")),
    ("order_confirmed.html", include_str!("../templates/order_confirmed.html")),
    ("payment_failed.txt", include_str!("../templates/payment_failed.txt")),
    ("payment_failed.html", include_str!("../templates/payment_failed.html")),
    ("order_shipped.txt", include_str!("../templates/order_shipped.txt")),
    ("order_shipped.html", include_str!("../templates/order_shipped.html")),
    ("order_out_for_delivery.txt", include_str!("../templates/order_out_for_delivery.txt")),
    ("order_out_for_delivery.html", include_str!("../templates/order_out_for_delivery.html")),
    ("order_delivered.txt", include_str!("../templates/order_delivered.txt")),
    ("order_delivered.html", include_str!("../templates/order_delivered.html")),
    ("order_cancelled.txt", include_str!("../templates/order_cancelled.txt")),
    ("order_cancelled.html", include_str!("../templates/order_cancelled.html")),
    ("return_approved.txt", include_str!("../templates/return_approved.txt")),
    ("return_approved.html", include_str!("../templates/return_approved.html")),
    ("refund_completed.txt", include_str!("../templates/refund_completed.txt")),
    ("refund_completed.html", include_str!("../templates/refund_completed.html")),
    ("seller_new_order.txt", include_str!("../templates/seller_new_order.txt")),
    ("seller_new_order.html", include_str!("../templates/seller_new_order.html")),
    ("seller_low_stock.txt", include_str!("../templates/seller_low_stock.txt")),
    ("seller_low_stock.html", include_str!("../templates/seller_low_stock.html")),
    ("seller_return_requested.txt", include_str!("../templates/seller_return_requested.txt")),
    ("seller_return_requested.html", include_str!("../templates/seller_return_requested.html")),
    ("admin_payment_disputed.txt", include_str!("../templates/admin_payment_disputed.txt")),
    ("admin_payment_disputed.html", include_str!("../templates/admin_payment_disputed.html")),
    ("admin_event_parked.txt", include_str!("../templates/admin_event_parked.txt")),
    ("admin_event_parked.html", include_str!("../templates/admin_event_parked.html")),
];

pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// The built-in templates, each replaced by a file of the same name in `overrides` when
    /// there is one. A template that does not parse fails the start, naming it.
    pub fn load(overrides: Option<&Path>) -> Result<Self, String> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.add_filter("money", money);
        for (name, source) in BUILT_IN {
            let source = match overrides.map(|dir| dir.join(name)) {
                Some(path) if path.is_file() => {
                    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?
                }
                _ => (*source).to_owned(),
            };
            env.add_template_owned(name.to_string(), source).map_err(|e| format!("template {name}: {e}"))?;
        }
        for kind in Kind::ALL {
            for part in ["txt", "html"] {
                let name = format!("{}.{part}", kind.as_str());
                env.get_template(&name).map_err(|e| format!("template {name}: {e}"))?;
            }
        }
        Ok(Self { env })
    }

    /// The message of `kind` with the values in `context`.
    pub fn render(&self, kind: Kind, context: &serde_json::Value) -> Result<Rendered, String> {
        let name = format!("{}.txt", kind.as_str());
        let text = self.env.get_template(&name).map_err(describe)?;
        let context = Value::from(minijinja::value::Serde(context));
        let mut captured = text.render_captured(context.clone()).map_err(describe)?;
        let (subject, body, sms, push) = captured.with_state_mut(|state| {
            let subject = state.render_block("subject").map_err(describe)?;
            let body = state.render_block("text").map_err(describe)?;
            let mut optional = |name| match state.render_block(name) {
                Ok(s) => Ok(Some(s.trim().to_owned())),
                Err(e) if e.kind() == ErrorKind::UnknownBlock => Ok(None),
                Err(e) => Err(describe(e)),
            };
            let sms = optional("sms")?;
            let push = optional("push")?;
            Ok::<_, String>((subject, body, sms, push))
        })?;
        let html = self
            .env
            .get_template(&format!("{}.html", kind.as_str()))
            .and_then(|t| t.render(context))
            .map_err(describe)?;
        Ok(Rendered {
            subject: subject.trim().replace(['\r', '\n'], " "),
            text: body.trim().to_owned(),
            html,
            sms,
            push,
        })
    }
}

/// The error with where it happened (`undefined value (in order_confirmed.txt:4)`).
fn describe(e: minijinja::Error) -> String {
    match (e.name(), e.line()) {
        (Some(name), Some(line)) => format!("{} (in {name}:{line})", e.detail().unwrap_or(&e.kind().to_string())),
        _ => e.to_string(),
    }
}

/// Minor units as the currency writes them: `1234` EUR is `12.34 EUR`, `1234` JPY `1234 JPY`.
fn money(amount: i64, currency: String) -> String {
    const NO_DECIMALS: &[&str] = &[
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    ];
    if NO_DECIMALS.contains(&currency.as_str()) {
        return format!("{amount} {currency}");
    }
    let sign = if amount < 0 { "-" } else { "" };
    let abs = amount.unsigned_abs();
    format!("{sign}{}.{:02} {currency}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests;
